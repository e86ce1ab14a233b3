"""``python -m subgraphs.core_app [--port 4003]``."""

from __future__ import annotations

from subgraphs.common.cli import run_subgraph
from subgraphs.core_app.app import DEFAULT_PORT, create_app

if __name__ == "__main__":
    run_subgraph("core_app", DEFAULT_PORT, create_app)
