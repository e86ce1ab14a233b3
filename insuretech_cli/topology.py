"""Which processes make up the system and where each listens (fixed local defaults)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BACKENDS", "GATEWAY_PORT", "SUBGRAPHS", "Backend", "Subgraph"]

GATEWAY_PORT = 4000


@dataclass(frozen=True, slots=True)
class Backend:
    """A gRPC backend service: ``python -m services.<name>``."""

    name: str
    port: int

    @property
    def module(self) -> str:
        return f"services.{self.name}"

    @property
    def env_var(self) -> str:
        """The variable subgraphs read this backend's address from."""
        return f"{self.name.upper()}_GRPC"


@dataclass(frozen=True, slots=True)
class Subgraph:
    """A Strawberry subgraph: ``python -m subgraphs.<name>``."""

    name: str
    port: int

    @property
    def module(self) -> str:
        return f"subgraphs.{self.name}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"


BACKENDS = (Backend("client_info", 50051), Backend("applications", 50052), Backend("core_app", 50053))
SUBGRAPHS = (Subgraph("client_info", 4001), Subgraph("applications", 4002), Subgraph("core_app", 4003))
