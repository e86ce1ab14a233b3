"""The partner gate: who is calling, whether they are within their rate, and what they may run.

Every request of the partner API passes the same stages, in this order::

    authenticate (X-API-Key) → rate_limit → resolve (safelist / APQ) → check_limits → run

``authenticate`` maps the key to a ``Partner`` (or ``UNAUTHENTICATED``, 401). ``rate_limit``
counts the request in the partner's moving windows, shared by all replicas through Redis
(``RATE_LIMITED``, 429, with ``RateLimit-*`` and ``Retry-After``). ``resolve`` turns the request
into a prepared persisted operation — by manifest id, by APQ hash or by its full body — and
refuses anything outside the partner's manifests (``PERSISTED_QUERY_NOT_ALLOWED``, 403).
First-party clients (``persisted_only: false``, or ``free_form_in_dev`` on a ``--dev`` gateway)
may also send free-form documents and use the APQ round trip (``PERSISTED_QUERY_NOT_FOUND``, then hash + body, verified:
``PERSISTED_QUERY_HASH_MISMATCH``). ``check_limits`` applies the caller's operation limits
(the partner's own, else the file's defaults) to free-form documents and the variable-dependent
cost of persisted ones. Persisted operations then run from their load-time plan.

See https://www.apollographql.com/docs/apollo-server/performance/apq/
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gateway.caching import LRUCache
from gateway.errors import (
    BadRequest,
    DepthLimitExceeded,
    PersistedQueryHashMismatch,
    PersistedQueryNotAllowed,
    PersistedQueryNotFound,
    QueryTooComplex,
    Unauthenticated,
)
from gateway.operation_limits import count_tokens, measure_operation, violations
from gateway.partner_errors import PartnerRateLimited
from gateway.partners import OperationLimits, Partner, PartnerConfigError, PartnerRegistry, RegistrySource
from gateway.persisted_catalog import PersistedCatalog, PersistedEntry, build_catalog
from gateway.persisted_queries import PersistedQueryStore, sha256_hex
from gateway.pipeline import GraphQLResponse, check_method, coerce_variables, select_operation
from gateway.ratelimit import Decision, PartnerRateLimiter
from gateway.types import JSONObject

if TYPE_CHECKING:
    from graphql import FragmentDefinitionNode, OperationDefinitionNode

    from gateway.pipeline import Gateway

__all__ = [
    "API_KEY_HEADER",
    "PARTNER_HEADER",
    "OperationRequest",
    "PartnerGate",
    "Resolved",
    "forwarded_headers",
    "persisted_hash",
]

_log = logging.getLogger(__name__)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

API_KEY_HEADER = "x-api-key"
PARTNER_HEADER = "x-partner-id"
"""Sent to subgraphs with every request of a partner that is not first party: the subgraphs and
backends limit what it reads and changes to what it created (``grpc_clients.caller``). The
gateway alone sets it; ``Settings`` refuses to forward a client's own."""


def forwarded_headers(
    names: tuple[str, ...], headers: Mapping[str, str], partner: Partner, request_id: str
) -> tuple[tuple[str, str], ...]:
    """Headers for the subgraphs: the configured client headers, the partner id, the request id.

    The API key and a client's own ``x-partner-id`` are never forwarded, even when configured. A
    first-party partner gets no partner id: it acts for the marketplace and sees everything.
    """
    picked = tuple(
        (name, value)
        for name in names
        if name not in (API_KEY_HEADER, PARTNER_HEADER) and (value := headers.get(name)) is not None
    )
    identity = () if partner.first_party else ((PARTNER_HEADER, partner.id),)
    return (*picked, *identity, ("x-request-id", request_id))


@dataclass(frozen=True, slots=True)
class OperationRequest:
    """A GraphQL request as the partner API accepts it: ``query`` may be absent with a hash."""

    query: str | None
    variables: JSONObject | None = None
    operation_name: str | None = None
    extensions: JSONObject | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a request runs: a persisted entry, or a free-form document (first party only)."""

    entry: PersistedEntry | None = None
    query: str | None = None


@dataclass(frozen=True, slots=True)
class _State:
    registry: PartnerRegistry
    catalog: PersistedCatalog


def persisted_hash(extensions: JSONObject | None) -> str | None:
    """The ``extensions.persistedQuery.sha256Hash`` of a request, if it has one.

    Raises:
        BadRequest: ``persistedQuery`` is present but malformed.
    """
    if not extensions or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict):
        raise BadRequest("'extensions.persistedQuery' must be an object with 'version' and 'sha256Hash'.")
    if persisted.get("version", 1) != 1:
        raise BadRequest(
            f"Unsupported persisted query version {persisted.get('version')!r}; only version 1 is supported."
        )
    value = persisted.get("sha256Hash")
    if not isinstance(value, str) or not value:
        raise BadRequest("'extensions.persistedQuery.sha256Hash' must be a non-empty string.")
    return value


class PartnerGate:
    """Authentication, rate limits, the safelist and APQ in front of a ``Gateway``.

    Args:
        gateway: The pipeline whose prepare/plan functions build the catalog, and which runs requests.
        source: The partner file, re-read by ``reload_if_changed``.
        limiter: The per-partner moving windows.
        apq: Where APQ bodies are stored (Redis when configured).
    """

    def __init__(
        self,
        gateway: Gateway,
        source: RegistrySource,
        limiter: PartnerRateLimiter,
        apq: PersistedQueryStore,
    ) -> None:
        self.gateway = gateway
        self.source = source
        self.limiter = limiter
        self.apq = apq
        self._state = _State(source.current, build_catalog(gateway, source.current))
        self._tokens: LRUCache[str, int] = LRUCache(1024)
        self._slots: dict[tuple[str, int], asyncio.Semaphore] = {}

    @property
    def registry(self) -> PartnerRegistry:
        """The partner registry in force."""
        return self._state.registry

    @property
    def catalog(self) -> PersistedCatalog:
        """The prepared persisted operations in force."""
        return self._state.catalog

    def reload_if_changed(self) -> bool:
        """Re-read the partner file if it changed; keep the last good config if it is invalid.

        Returns whether a new registry (and catalog) is in force.
        """
        if not self.source.refresh():
            return False
        try:
            catalog = build_catalog(self.gateway, self.source.current)
        except PartnerConfigError as exc:
            self.source.last_error = str(exc)
            _log.error("partner file change rejected, keeping the last good config: %s", exc)
            return False
        self._state = _State(self.source.current, catalog)
        return True

    def authenticate(self, api_key: str | None) -> Partner:
        """The partner owning ``api_key``.

        Raises:
            Unauthenticated: The key is missing or unknown.
        """
        if not api_key:
            raise Unauthenticated("The request has no 'X-API-Key' header; send the API key issued to you.")
        partner = self.registry.authenticate(api_key)
        if partner is None:
            raise Unauthenticated(
                "The 'X-API-Key' header holds an unknown or revoked key; check the key issued to you."
            )
        return partner

    async def rate_limit(self, partner: Partner) -> Decision:
        """Count one request of ``partner``.

        Raises:
            PartnerRateLimited: A window of the partner's rate limit is full.
        """
        decision = await self.limiter.hit(partner.id, partner.rate_limit)
        if not decision.allowed:
            raise PartnerRateLimited(partner.id, decision)
        return decision

    @asynccontextmanager
    async def in_flight(self, partner: Partner) -> AsyncIterator[None]:
        """Hold one of the partner's ``max_in_flight`` execution slots on this process."""
        key = (partner.id, partner.max_in_flight)
        slots = self._slots.get(key)
        if slots is None:
            slots = self._slots[key] = asyncio.Semaphore(partner.max_in_flight)
        async with slots:
            yield

    async def resolve(self, partner: Partner, request: OperationRequest) -> Resolved:
        """Find what ``request`` runs: a persisted operation, or (first party) a free-form document.

        Raises:
            PersistedQueryHashMismatch: The hash is not the SHA-256 of the query sent with it.
            PersistedQueryNotAllowed: The operation is not in the partner's manifests.
            PersistedQueryNotFound: An APQ hash without a body that the store does not know.
            BadRequest: Neither a query nor a hash.
        """
        ref = persisted_hash(request.extensions)
        query = request.query
        if ref is None and query is None:
            raise BadRequest(
                "The request must contain a non-empty 'query' string or a persisted query hash in "
                "'extensions.persistedQuery.sha256Hash'."
            )
        if ref is not None and query is not None:
            _check_hash(ref, query, self.catalog.lookup(ref))
        if partner.persisted_only and not (partner.free_form_in_dev and self.gateway.settings.dev):
            entry = self.catalog.lookup(ref if ref is not None else sha256_hex(query or ""))
            if entry is None or not self.catalog.allows(partner.id, entry):
                what = f"hash {ref!r}" if ref is not None else "the operation sent"
                raise PersistedQueryNotAllowed(
                    f"Partner {partner.id!r} may run only the operations of its manifests, and {what} is "
                    "not one of them; ask InsureTech to add the operation to your manifest."
                )
            return Resolved(entry=entry)
        if ref is not None:
            if query is None:
                entry = self.catalog.lookup(ref)
                if entry is not None:
                    return Resolved(entry=entry)
                query = await self.apq.get(ref)
                if query is None:
                    raise PersistedQueryNotFound(
                        f"The persisted query hash {ref!r} is unknown; send it again with the full 'query'."
                    )
            elif _HEX64.match(ref):
                await self.apq.put(ref, query)
        return Resolved(query=query)

    def limits_of(self, partner: Partner | None) -> OperationLimits:
        """The operation limits of ``partner``, or the defaults of the partner file."""
        return partner.limits if partner is not None else self.registry.default_limits

    def check_free_form(self, limits: OperationLimits, request: OperationRequest) -> None:
        """Apply operation limits to a free-form document before it runs.

        Raises:
            QueryTooComplex: Too many tokens, aliases or root fields, or too costly.
            DepthLimitExceeded: Nested too deep.
            GraphQLParseFailed, GraphQLValidationFailed, OperationNotFound: as the pipeline would.
        """
        query = request.query or ""
        tokens = self._tokens.get(query)
        if tokens is None:
            tokens = count_tokens(query) if len(query) < 64 * limits.max_tokens else limits.max_tokens + 1
            self._tokens.put(query, tokens)
        if tokens > limits.max_tokens:
            raise QueryTooComplex(
                f"The document has {tokens} tokens; the limit is {limits.max_tokens}. "
                "Send a smaller document or use a persisted operation."
            )
        prepared = self.gateway.prepare(query)
        operation = select_operation(prepared, request.operation_name)
        _enforce(limits, operation, prepared.fragments, self.gateway, request.variables)

    def check_persisted(self, partner: Partner, entry: PersistedEntry, variables: JSONObject | None) -> None:
        """Apply the variable-dependent cost limit to a persisted operation.

        Raises:
            QueryTooComplex: The variables make the operation too costly (e.g. ``first: 100000``).
        """
        if entry.definition.variable_definitions:
            _enforce(partner.limits, entry.definition, entry.prepared.fragments, self.gateway, variables)

    async def run_persisted(
        self,
        entry: PersistedEntry,
        variables: JSONObject | None,
        *,
        method: str = "POST",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> GraphQLResponse:
        """Execute a prepared persisted operation from its load-time plan.

        Raises:
            BadUserInput: The variables do not coerce to the operation's types.
            MethodNotAllowed: A mutation over GET.
        """
        gateway = self.gateway
        started = time.perf_counter()
        check_method(entry.definition, method)
        try:
            coerced = coerce_variables(gateway.schema, entry.definition, variables)
            outcome = await gateway.execute(entry.plan, coerced, headers)
        except Exception:
            gateway.metrics.observe_request(entry.op_key, "error", time.perf_counter() - started)
            raise
        payload = gateway.shape(entry.prepared, entry.op_key, outcome, coerced)
        result = "partial" if payload.get("errors") else "success"
        if payload.get("data") is None:
            result = "error"
        gateway.metrics.observe_request(entry.op_key, result, time.perf_counter() - started)
        return GraphQLResponse(payload, entry.op_key)


def _check_hash(ref: str, query: str, entry: PersistedEntry | None) -> None:
    actual = sha256_hex(query)
    if actual == ref or (entry is not None and entry.operation.body == query):
        return
    raise PersistedQueryHashMismatch(
        f"The sha256Hash {ref!r} is not the SHA-256 of the query sent ({actual!r}); "
        "hash the exact query text (UTF-8) or send the hash alone."
    )


def _enforce(
    limits: OperationLimits,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    gateway: Gateway,
    variables: Any,
) -> None:
    measures = measure_operation(
        gateway.schema,
        operation,
        fragments,
        variables if isinstance(variables, dict) else None,
        default_list_size=limits.default_list_size,
    )
    found = violations(measures, limits)
    if not found:
        return
    code, message = found[0]
    if code == "DEPTH_LIMIT_EXCEEDED":
        raise DepthLimitExceeded(message)
    raise QueryTooComplex(message)
