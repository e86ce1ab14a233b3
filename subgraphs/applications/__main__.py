"""``python -m subgraphs.applications [--port 4002]``."""

from __future__ import annotations

from subgraphs.applications.app import DEFAULT_PORT, create_app
from subgraphs.common.cli import run_subgraph

if __name__ == "__main__":
    run_subgraph("applications", DEFAULT_PORT, create_app)
