"""``python -m subgraphs.client_info [--port 4001]``."""

from __future__ import annotations

from subgraphs.client_info.app import DEFAULT_PORT, create_app
from subgraphs.common.cli import run_subgraph

if __name__ == "__main__":
    run_subgraph("client_info", DEFAULT_PORT, create_app)
