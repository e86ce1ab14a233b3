"""The three Strawberry federation v2 subgraphs: client_info, applications and core_app."""
