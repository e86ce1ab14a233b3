"""Where subgraph SDL comes from: a named source record, and fetching ``_service { sdl }``.

Composition itself is pure (SDL in, SDL out). Fetching the SDL of a running
subgraph is the only I/O of this package; it lives here, used by the CLI, and
maps every transport failure to a ``SUBGRAPH_FETCH_FAILED`` error.

Spec: https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec#fetch-service-capabilities
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from gateway.composition.errors import CompositionError, composition_error

__all__ = ["SERVICE_SDL_QUERY", "SubgraphSource", "fetch_subgraph_sdl"]

SERVICE_SDL_QUERY = "query SubgraphIntrospectQuery { _service { sdl } }"


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    """One subgraph to compose: its name, the routing URL the gateway will call, and its SDL."""

    name: str
    """The subgraph name; becomes ``@join__graph(name:)`` and the ``join__Graph`` enum value."""
    url: str
    """The routing URL; becomes ``@join__graph(url:)``."""
    sdl: str
    """Federation v2 subgraph SDL, as the subgraph prints it (``_service { sdl }``)."""


def fetch_subgraph_sdl(
    name: str, url: str, client: httpx.Client, *, timeout: float = 10.0
) -> SubgraphSource | CompositionError:
    """Fetch a subgraph's SDL with ``{ _service { sdl } }``.

    Args:
        name: The subgraph name to record.
        url: The subgraph's GraphQL endpoint; also used as its routing URL.
        client: The HTTP client (a test passes one with ``httpx.MockTransport``).
        timeout: Seconds to wait for the subgraph.

    Returns:
        The source, or a ``SUBGRAPH_FETCH_FAILED`` error that says what went wrong.
    """

    def failed(why: str) -> CompositionError:
        return composition_error(
            "SUBGRAPH_FETCH_FAILED",
            f"Could not fetch the SDL of subgraph {name!r} from {url!r}: {why}. "
            "Check that the subgraph is running and serves `{ _service { sdl } }`.",
            name,
        )

    try:
        response = client.post(url, json={"query": SERVICE_SDL_QUERY}, timeout=timeout)
    except httpx.HTTPError as exc:
        return failed(f"{type(exc).__name__}: {exc}")
    if response.status_code != 200:
        return failed(f"HTTP status {response.status_code}")
    try:
        payload = response.json()
        sdl = payload["data"]["_service"]["sdl"]
    except (ValueError, KeyError, TypeError):
        return failed("the response is not a GraphQL result with `data._service.sdl`")
    if not isinstance(sdl, str):
        return failed("`data._service.sdl` is not a string")
    return SubgraphSource(name, url, sdl)
