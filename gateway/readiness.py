"""``GET /ready``: whether this gateway replica should receive traffic.

Ready means the supergraph is loaded and every subgraph answers its health check
(``GET /health`` beside its GraphQL path). A replica whose subgraphs are unreachable says so, so
that a load balancer in front of several zones sends the traffic to a zone that can serve it.
Probes arrive every few seconds from each load balancer and kubelet: one check runs at a time
and its result is reused for ``ttl`` seconds, so probing costs the subgraphs one cheap request
per subgraph per ``ttl`` whatever the number of probers. ``/health`` stays the cheap
"supergraph loaded" check and ``/healthz`` the liveness check.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["Readiness", "ReadinessReport", "health_url", "ready"]


def health_url(graphql_url: str) -> str:
    """The health URL of a subgraph: its GraphQL URL with the path replaced by ``/health``."""
    parts = urlsplit(graphql_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    """The outcome of one check."""

    ready: bool
    subgraphs: Mapping[str, str]
    """Subgraph name → ``"ok"`` or why it is not (status code or error class)."""
    checked_at: float
    """``time.monotonic()`` when the check finished."""

    def to_json(self) -> bytes:
        return orjson.dumps({"status": "ready" if self.ready else "unavailable", "subgraphs": self.subgraphs})


class Readiness:
    """Checks every subgraph's health, at most once per ``ttl`` seconds, one check at a time.

    Args:
        urls: Subgraph name → GraphQL URL.
        ttl: Seconds a result is reused.
        timeout: Seconds one subgraph may take to answer its health check.
        transport: An httpx transport (tests); real sockets by default.
    """

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        ttl: float = 2.0,
        timeout: float = 1.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.urls = {name: health_url(url) for name, url in urls.items()}
        self.ttl, self.timeout, self._transport = ttl, timeout, transport
        self._last: ReadinessReport | None = None
        self._lock = asyncio.Lock()

    async def check(self) -> ReadinessReport:
        """The latest report, refreshed when it is older than ``ttl``."""
        async with self._lock:
            last = self._last
            if last is None or time.monotonic() - last.checked_at >= self.ttl:
                last = self._last = await self._check_all()
            return last

    async def _check_all(self) -> ReadinessReport:
        async with httpx.AsyncClient(timeout=self.timeout, transport=self._transport) as client:
            names = list(self.urls)
            outcomes = await asyncio.gather(*(self._check_one(client, self.urls[n]) for n in names))
        subgraphs = dict(zip(names, outcomes, strict=True))
        ready = all(outcome == "ok" for outcome in outcomes)
        return ReadinessReport(ready, subgraphs, time.monotonic())

    @staticmethod
    async def _check_one(client: httpx.AsyncClient, url: str) -> str:
        try:
            response = await client.get(url)
        except httpx.HTTPError as exc:
            return type(exc).__name__
        return "ok" if response.status_code == 200 else f"HTTP {response.status_code}"


async def ready(request: Request) -> Response:
    """``GET /ready``: 200 when the supergraph is loaded and every subgraph is healthy, else 503."""
    state = request.app.state
    gateway = state.gateway
    if gateway is None:
        return Response(b'{"status":"starting","subgraphs":{}}', 503, media_type="application/json")
    readiness: Readiness | None = getattr(state, "readiness", None)
    if readiness is None or getattr(state, "readiness_for", None) is not gateway:
        from gateway.http.app import subgraph_urls

        transport = getattr(state, "readiness_transport", None)  # a test seam
        urls = subgraph_urls(gateway.supergraph, state.settings)
        readiness = state.readiness = Readiness(urls, transport=transport)
        state.readiness_for = gateway
    report = await readiness.check()
    return Response(report.to_json(), 200 if report.ready else 503, media_type="application/json")
