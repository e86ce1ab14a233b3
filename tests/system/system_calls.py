"""Requests the system tests send: persisted operations, free-form GraphQL, application inputs."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from services.common.catalog import client_seed_id, product_seed_id
from tests.system.system_world import persisted

__all__ = ["LIFE", "OSAGO", "graphql", "life_input", "new_key", "run_persisted"]

LIFE = product_seed_id("LIFE-BASIC")
OSAGO = product_seed_id("OSAGO-STD")


def new_key(label: str = "key") -> str:
    """A fresh idempotency key."""
    return f"{label}-{uuid.uuid4().hex}"


def life_input(client: int = 0, **overrides: Any) -> dict[str, Any]:
    """A valid life-insurance ``ApplicationInput`` of the ``client``-th seeded client."""
    return {
        "clientId": client_seed_id(client),
        "productId": LIFE,
        "insuredObject": {"kind": "PERSON", "description": "Жизнь и здоровье"},
        "sumInsuredKopecks": 150_000_000,
        "termMonths": 12,
        **overrides,
    }


async def run_persisted(client: httpx.AsyncClient, name: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Run the deploy manifests' operation ``name`` by its id; the decoded response body."""
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": persisted(name)}}
    response = await client.post("/graphql", json={"extensions": extensions, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def graphql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run a free-form operation (first party or sandbox); the decoded response body."""
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    body: dict[str, Any] = response.json()
    return body
