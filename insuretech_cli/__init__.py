"""The ``insuretech`` command: run the whole system locally, seed it, compose and plan."""

from insuretech_cli.main import main

__all__ = ["main"]
