"""Contracts shared by every part of the system: gRPC protos, subgraph SDL and the supergraph."""
