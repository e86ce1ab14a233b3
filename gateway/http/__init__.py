"""The HTTP binding of the gateway (Starlette): GraphQL over HTTP, health and metrics."""

from __future__ import annotations

from gateway.http.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
