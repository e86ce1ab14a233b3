"""The GraphQL request pipeline, one named stage per step, read top to bottom in ``Gateway.run``.

``parse → check_depth → validate → select_operation → check_method → coerce_variables →
plan (cached) → execute → shape``. Everything that depends only on the document text (parse,
depth, validation, the split of introspection fields, shaping plans) is prepared once and kept
in an LRU keyed by the text; plans are cached per supergraph + document hash + operation name, in
the process and, with Redis configured, in a cache shared by every replica.
Request-level failures raise ``ClientError`` subclasses; field-level failures end up in the
response's ``errors`` next to partial ``data``.

See https://graphql.github.io/graphql-over-http/draft/ and https://spec.graphql.org/October2021/
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    is_abstract_type,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from gateway.caching import LRUCache, PlanCache, PlanCacheKey, SharedPlanStore, document_hash
from gateway.config import Settings
from gateway.errors import (
    BadRequest,
    BadUserInput,
    DepthLimitExceeded,
    GatewayError,
    GraphQLParseFailed,
    GraphQLValidationFailed,
    MethodNotAllowed,
    OperationNotFound,
    QueryPlanningFailed,
)
from gateway.execution import ExecutionOutcome, SubgraphTransport, execute_plan, type_matcher
from gateway.execution.introspection import (
    INTROSPECTION_FIELDS,
    OperationParts,
    run_introspection,
    split_introspection,
)
from gateway.planner.plan import QueryPlan
from gateway.response import OperationShaper
from gateway.telemetry import Metrics
from gateway.types import JSONObject

__all__ = [
    "Gateway",
    "GraphQLRequest",
    "GraphQLResponse",
    "Planner",
    "PreparedDocument",
    "SupergraphLike",
    "check_depth",
    "check_method",
    "coerce_variables",
    "max_depth",
    "parse_document",
    "select_operation",
    "supergraph_id_of",
]


class SupergraphLike(Protocol):
    """What the pipeline needs from a loaded supergraph."""

    @property
    def api_schema(self) -> GraphQLSchema: ...


class Planner(Protocol):
    """Builds the query plan of one operation (pure; ``gateway.planner.QueryPlanner``)."""

    def plan(self, document: DocumentNode, operation_name: str | None) -> QueryPlan: ...


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The parameters of a GraphQL-over-HTTP request."""

    query: str
    variables: JSONObject | None = None
    operation_name: str | None = None
    extensions: JSONObject | None = None
    forward_headers: tuple[tuple[str, str], ...] = ()
    """Client headers passed on to every subgraph (``Settings.forward_headers``)."""
    request_id: str | None = None
    """Sent to subgraphs as ``x-request-id`` so their logs join the gateway's."""


@dataclass(slots=True)
class GraphQLResponse:
    """An executed operation's response body (``data``, ``errors``, ``extensions``)."""

    payload: JSONObject
    operation_name: str | None = None


@dataclass(slots=True)
class PreparedDocument:
    """A parsed, depth-checked, validated document and everything derived from its text."""

    document: DocumentNode
    hash: str
    operations: dict[str | None, OperationDefinitionNode]
    fragments: dict[str, FragmentDefinitionNode]
    validation_errors: list[GraphQLError] | None = None
    parts: dict[str | None, OperationParts] = field(default_factory=dict)
    shapers: dict[str | None, OperationShaper] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Execution:
    """A request that passed the checks: what executing and shaping it needs."""

    prepared: PreparedDocument
    operation_name: str | None
    variables: JSONObject
    include_plan: bool
    forward_headers: tuple[tuple[str, str], ...]
    request_id: str | None


class Gateway:
    """One supergraph snapshot wired to a planner, a transport, caches and metrics.

    Args:
        supergraph: The loaded supergraph (its ``api_schema`` is what clients see).
        planner: Plans operations against the supergraph.
        transport: Sends subgraph requests.
        settings: Limits and switches (depth, dedupe, cache sizes).
        supergraph_id: Identifies the snapshot in plan-cache keys (e.g. a hash of its SDL).
        metrics: Where request, fetch and cache metrics go.
        plan_store: The plan cache shared by replicas (Redis), asked after a local miss; the
            caller opens and closes it. Without it plans stay in this process.
    """

    def __init__(
        self,
        supergraph: SupergraphLike,
        planner: Planner,
        transport: SubgraphTransport,
        settings: Settings,
        *,
        supergraph_id: str,
        metrics: Metrics | None = None,
        plan_store: SharedPlanStore | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.api_schema
        self.planner = planner
        self.transport = transport
        self.settings = settings
        self.supergraph_id = supergraph_id
        self.metrics = metrics or Metrics()
        self._documents: LRUCache[str, PreparedDocument] = LRUCache(settings.document_cache_size)
        self.plans = PlanCache(
            settings.plan_cache_size,
            shared=plan_store,
            on_hit=self.metrics.plan_cache_hit,
            on_miss=self.metrics.plan_cache_miss,
            on_shared_lookup=self.metrics.plan_cache_shared_lookup,
        )
        self.matches = type_matcher(_possible_types(self.schema))
        """Whether a ``__typename`` satisfies a type condition (abstract types expanded)."""
        self._inflight: dict[tuple[Any, ...], asyncio.Future[GraphQLResponse]] = {}

    async def run(
        self, request: GraphQLRequest, *, method: str = "POST", include_plan: bool = False
    ) -> GraphQLResponse:
        """Run one request through the pipeline; time it and count its outcome.

        Raises:
            ClientError: The request cannot be executed (parse, validation, variables, limits).
        """
        started = time.perf_counter()
        name = request.operation_name
        try:
            response = await self._run(request, method, include_plan)
        except Exception:
            self.metrics.observe_request(name, "error", time.perf_counter() - started)
            raise
        outcome = "partial" if response.payload.get("errors") else "success"
        if response.payload.get("data") is None:
            outcome = "error"
        self.metrics.observe_request(response.operation_name or name, outcome, time.perf_counter() - started)
        return response

    async def _run(self, request: GraphQLRequest, method: str, include_plan: bool) -> GraphQLResponse:
        prepared = self.prepare(request.query)
        operation = select_operation(prepared, request.operation_name)
        check_method(operation, method)
        work = _Execution(
            prepared,
            operation.name.value if operation.name else None,
            coerce_variables(self.schema, operation, request.variables),
            include_plan,
            request.forward_headers,
            request.request_id,
        )
        if self.settings.dedupe_inflight and operation.operation is OperationType.QUERY:
            return await self._deduplicated(work)
        return await self._execute(work)

    def prepare(self, query: str) -> PreparedDocument:
        """Parse, depth-check and validate ``query``, or return the cached result."""
        prepared = self._documents.get(query)
        if prepared is None:
            prepared = parse_document(query)
            check_depth(prepared, self.settings.max_depth)
            prepared.validation_errors = validate(self.schema, prepared.document)
            self._documents.put(query, prepared)
        if prepared.validation_errors:
            raise GraphQLValidationFailed("The query does not validate.", prepared.validation_errors)
        return prepared

    async def _deduplicated(self, work: _Execution) -> GraphQLResponse:
        # Identical queries (document, operation, variables, forwarded headers) share one
        # execution. It runs as its own task, so a client that disconnects does not cancel it
        # for the others waiting on the same result.
        key = (
            work.prepared.hash,
            work.operation_name,
            orjson.dumps(work.variables, option=orjson.OPT_SORT_KEYS),
            work.include_plan,
            work.forward_headers,
        )
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._execute(work))
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._finish_inflight(key, done))
        return await asyncio.shield(task)

    def _finish_inflight(self, key: tuple[Any, ...], task: asyncio.Future[GraphQLResponse]) -> None:
        self._inflight.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved here, so a failure nobody awaits any more is not logged twice

    async def _execute(self, work: _Execution) -> GraphQLResponse:
        prepared, op_key, variables = work.prepared, work.operation_name, work.variables
        parts = self._parts(prepared, op_key)
        plan = await self.plan_step(prepared, parts, op_key)
        headers = work.forward_headers
        if work.request_id is not None:
            headers = (*headers, ("x-request-id", work.request_id))
        outcome = await self.execute(plan, variables, headers)
        if parts.introspection is not None:
            run_introspection(self.schema, parts.introspection, variables, outcome)
        payload = self.shape(prepared, op_key, outcome, variables)
        if work.include_plan:
            payload["extensions"] = {"queryPlan": plan.to_json() if plan is not None else None}
        return GraphQLResponse(payload, op_key)

    def _parts(self, prepared: PreparedDocument, op_key: str | None) -> OperationParts:
        parts = prepared.parts.get(op_key)
        if parts is None:
            parts = split_introspection(prepared.operations[op_key], prepared.fragments)
            prepared.parts[op_key] = parts
        return parts

    async def plan_step(
        self, prepared: PreparedDocument, parts: OperationParts, op_key: str | None
    ) -> QueryPlan | None:
        """The plan stage of a request: the local LRU, then the shared cache (Redis), then the planner.

        A local hit costs no I/O. ``None`` when the operation has nothing to fetch.

        Raises:
            QueryPlanningFailed: The planner failed.
        """
        if parts.data is None:
            return None
        key = PlanCacheKey(self.supergraph_id, prepared.hash, op_key)
        plan = self.plans.get(key)
        if plan is None:
            plan = await self.plans.fetch_or_plan(key, partial(self._build_plan, parts.data, op_key))
        return plan

    def plan(self, prepared: PreparedDocument, parts: OperationParts, op_key: str | None) -> QueryPlan | None:
        """The plan of the operation's non-introspection part from the local cache, or planned now.

        Synchronous and local only: for planning at load (persisted operations). ``None`` if
        nothing needs fetching.

        Raises:
            QueryPlanningFailed: The planner failed.
        """
        if parts.data is None:
            return None
        key = PlanCacheKey(self.supergraph_id, prepared.hash, op_key)
        return self.plans.get_or_plan(key, partial(self._build_plan, parts.data, op_key))

    def _build_plan(self, document: DocumentNode, op_key: str | None) -> QueryPlan:
        try:
            return self.planner.plan(document, op_key)
        except GatewayError:
            raise
        except Exception as exc:
            raise QueryPlanningFailed(f"Planning operation {op_key!r} failed: {exc}") from exc

    async def execute(
        self, plan: QueryPlan | None, variables: JSONObject, headers: tuple[tuple[str, str], ...] = ()
    ) -> ExecutionOutcome:
        """Run the plan against the subgraphs."""
        if plan is None:
            return ExecutionOutcome({}, [])
        return await execute_plan(
            plan,
            transport=self.transport,
            variables=variables,
            matches=self.matches,
            observer=self.metrics.observe_fetch,
            headers=headers,
        )

    def shape(
        self, prepared: PreparedDocument, op_key: str | None, outcome: ExecutionOutcome, variables: JSONObject
    ) -> JSONObject:
        """Apply the client's operation to the merged data; return the response body."""
        shaper = prepared.shapers.get(op_key)
        if shaper is None:
            shaper = OperationShaper(self.schema, prepared.operations[op_key], prepared.fragments)
            prepared.shapers[op_key] = shaper
        shaped = shaper.shape(outcome.data, variables, outcome.errors)
        errors = outcome.errors + shaped.errors if shaped.errors else outcome.errors
        payload: JSONObject = {}
        if errors:
            payload["errors"] = errors
        payload["data"] = shaped.data
        return payload


def parse_document(query: str) -> PreparedDocument:
    """Parse ``query`` and index its operations and fragments.

    Raises:
        GraphQLParseFailed: The text is not a GraphQL document.
    """
    try:
        document = parse(query)
    except GraphQLError as exc:
        raise GraphQLParseFailed(f"Syntax error: {exc.message}", [exc]) from exc
    operations: dict[str | None, OperationDefinitionNode] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations[definition.name.value if definition.name else None] = definition
        elif isinstance(definition, FragmentDefinitionNode):
            fragments[definition.name.value] = definition
    return PreparedDocument(document, document_hash(query), operations, fragments)


def check_depth(prepared: PreparedDocument, limit: int) -> None:
    """Reject documents whose operations nest selection sets deeper than ``limit``.

    Raises:
        DepthLimitExceeded: An operation is too deep (introspection fields are not counted).
    """
    for name, operation in prepared.operations.items():
        depth = max_depth(operation.selection_set, prepared.fragments, limit)
        if depth > limit:
            label = f"Operation {name!r}" if name else "The operation"
            raise DepthLimitExceeded(
                f"{label} nests selections {depth} levels deep; the limit is {limit}. "
                "Split the query or select fewer nested fields."
            )


def select_operation(prepared: PreparedDocument, operation_name: str | None) -> OperationDefinitionNode:
    """Pick the operation to run (spec GetOperation).

    Raises:
        OperationNotFound: ``operation_name`` is unknown, or missing with several operations.
    """
    operations = prepared.operations
    if operation_name is None:
        if len(operations) == 1:
            return next(iter(operations.values()))
        raise OperationNotFound(
            "The document contains several operations; set 'operationName' to one of "
            f"{sorted(str(k) for k in operations)}."
        )
    operation = operations.get(operation_name)
    if operation is None:
        known = sorted(str(k) for k in operations if k is not None)
        raise OperationNotFound(f"Unknown operation named {operation_name!r}; the document defines {known}.")
    return operation


def check_method(operation: OperationDefinitionNode, method: str) -> None:
    """Only queries may run over GET; subscriptions are not served over HTTP.

    Raises:
        MethodNotAllowed: A mutation arrived over GET.
        BadRequest: A subscription arrived over HTTP.
    """
    if operation.operation is OperationType.SUBSCRIPTION:
        raise BadRequest("Subscriptions are not supported over HTTP; use a WebSocket connection.")
    if method == "GET" and operation.operation is not OperationType.QUERY:
        raise MethodNotAllowed(
            f"Can only perform a {operation.operation.value} operation from a POST request."
        )


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, raw: Mapping[str, Any] | None
) -> JSONObject:
    """Coerce the request's variables to the operation's declared types (defaults applied).

    Raises:
        BadUserInput: A value is missing or of the wrong type.
    """
    definitions = operation.variable_definitions
    if not definitions:
        return {}
    result = get_variable_values(schema, definitions, dict(raw or {}), max_errors=50)
    if isinstance(result, list):
        raise BadUserInput("Variable values are invalid.", result)
    return dict(result.coerced)


def max_depth(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode], limit: int
) -> int:
    """The nesting depth of ``selection_set`` (fragments expanded), counted up to ``limit + 1``.

    Introspection fields are not counted: the standard introspection query is deep but cheap.
    """
    return _depth(selection_set, fragments, set(), limit, 0)


def _depth(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    visiting: set[str],
    limit: int,
    current: int,
) -> int:
    deepest = current
    for selection in selection_set.selections:
        if deepest > limit:
            break
        if isinstance(selection, FieldNode):
            if selection.name.value in INTROSPECTION_FIELDS:
                continue
            if selection.selection_set is None:
                depth = current + 1
            else:
                depth = _depth(selection.selection_set, fragments, visiting, limit, current + 1)
        elif isinstance(selection, InlineFragmentNode):
            depth = _depth(selection.selection_set, fragments, visiting, limit, current)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in visiting:
                continue
            visiting.add(name)
            depth = _depth(fragment.selection_set, fragments, visiting, limit, current)
            visiting.discard(name)
        else:
            continue
        deepest = max(deepest, depth)
    return deepest


def _possible_types(schema: GraphQLSchema) -> dict[str, frozenset[str]]:
    return {
        name: frozenset(t.name for t in schema.get_possible_types(gql_type))
        for name, gql_type in schema.type_map.items()
        if is_abstract_type(gql_type)
    }


def supergraph_id_of(sdl: str) -> str:
    """A snapshot id for plan-cache keys: the SHA-256 of the supergraph SDL."""
    return hashlib.sha256(sdl.encode()).hexdigest()[:16]
