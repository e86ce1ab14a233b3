"""Run one ``FetchNode`` (a root fetch, or an ``_entities`` fetch for the objects at a path) or
one ``BatchFetchNode`` (aliased ``_entities`` calls for objects at several paths, one request).

A fetch never raises for a subgraph failure: an unreachable or broken subgraph becomes GraphQL
errors (with ``extensions.code`` and ``serviceName``) and the fields it would have filled stay
absent, so the response carries partial data. The errors carry the fetch's response paths, as the
spec asks of an error that maps to fields: one per root field a root fetch would have filled,
one per object an entity fetch would have completed (``failed_fetch_errors``). A root fetch the
subgraph answered without any data, with errors that name no path (it refused the request: a
variable its scalar rejects), reports them the same way, at each root field it would have filled.

See https://spec.graphql.org/October2021/#sec-Errors.Error-result-format
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gateway.errors import DownstreamServiceError, UpstreamError
from gateway.execution.merge import deep_merge
from gateway.execution.representations import EntityBatch, TypeMatcher, apply_rewrites, build_entity_batch
from gateway.execution.subgraph_errors import (
    entity_errors,
    failed_fetch_errors,
    root_errors,
    root_response_keys,
    upstream_error_to_json,
)
from gateway.execution.targets import Targets
from gateway.execution.transport import SubgraphRequest, SubgraphTransport
from gateway.planner.plan import BatchFetchNode, EntityCall, FetchNode, FetchRewrite
from gateway.types import JSONObject

__all__ = ["FetchObserver", "RunState", "run_batch_fetch", "run_fetch"]

FetchObserver = Callable[[str, float, "str | None"], None]
"""``observer(subgraph, seconds, error_code_or_None)``, called after every fetch."""


@dataclass(slots=True)
class RunState:
    """Everything one plan execution shares: inputs, the response being built, and errors."""

    transport: SubgraphTransport
    variables: JSONObject
    matches: TypeMatcher
    observer: FetchObserver | None = None
    headers: tuple[tuple[str, str], ...] = ()
    data: JSONObject = field(default_factory=dict)
    errors: list[JSONObject] = field(default_factory=list)


async def run_fetch(node: FetchNode, state: RunState, targets: Targets) -> None:
    """Execute ``node`` for ``targets`` and merge its results into them."""
    if not targets.objects:
        return
    variables = {name: state.variables[name] for name in node.variable_usages if name in state.variables}
    if node.requires is None:
        await _run_root_fetch(node, state, targets, variables)
    else:
        await _run_entity_fetch(node, state, targets, variables)


async def _run_root_fetch(node: FetchNode, state: RunState, targets: Targets, variables: JSONObject) -> None:
    request = SubgraphRequest(
        node.service_name, node.operation, variables, node.operation_name, state.headers
    )
    payload = await _send(request, state)
    if isinstance(payload, UpstreamError):
        keys = root_response_keys(node.operation)
        prefixes = [path for obj in targets.unique_objects() for path in targets.paths_of(obj)] or [[]]
        paths = [[*prefix, key] for prefix in prefixes for key in keys]
        state.errors.extend(failed_fetch_errors(payload, paths))
        return
    data = payload.get("data")
    if payload.get("errors"):
        unanswered = root_response_keys(node.operation) if not isinstance(data, dict) else ()
        for obj in targets.unique_objects():
            for prefix in targets.paths_of(obj) or [[]]:
                state.errors.extend(root_errors(payload["errors"], node.service_name, prefix, unanswered))
    if not isinstance(data, dict):
        if data is not None:
            exc = DownstreamServiceError(
                f"Subgraph {node.service_name!r} returned 'data' that is not an object.",
                service_name=node.service_name,
            )
            state.errors.append(upstream_error_to_json(exc))
        return
    if node.output_rewrites:
        apply_rewrites(data, node.output_rewrites, state.matches)
    for obj in targets.objects:
        deep_merge(obj, data)


async def _run_entity_fetch(
    node: FetchNode, state: RunState, targets: Targets, variables: JSONObject
) -> None:
    assert node.requires is not None
    batch = build_entity_batch(targets.objects, node.requires, node.input_rewrites, state.matches)
    if not batch.representations:
        return
    variables["representations"] = batch.representations
    request = SubgraphRequest(
        node.service_name, node.operation, variables, node.operation_name, state.headers
    )
    payload = await _send(request, state)
    if isinstance(payload, UpstreamError):
        state.errors.extend(failed_fetch_errors(payload, _origin_paths(batch, targets.paths_of)))
        return
    if payload.get("errors"):
        state.errors.extend(
            entity_errors(payload["errors"], node.service_name, batch.origins, targets.paths_of)
        )
    data = payload.get("data")
    entities = data.get("_entities") if isinstance(data, dict) else None
    _merge_entities(entities, batch, node.service_name, node.output_rewrites, state)


def _merge_entities(
    entities: object,
    batch: EntityBatch,
    service_name: str,
    output_rewrites: tuple[FetchRewrite, ...],
    state: RunState,
) -> None:
    """Merge an ``_entities`` result into the objects each representation came from."""
    if entities is None:
        return
    if not isinstance(entities, list) or len(entities) != len(batch.representations):
        count = len(entities) if isinstance(entities, list) else 0
        exc = DownstreamServiceError(
            f"Subgraph {service_name!r} returned {count} entities for "
            f"{len(batch.representations)} representations.",
            service_name=service_name,
        )
        state.errors.append(upstream_error_to_json(exc))
        return
    for entity, origins in zip(entities, batch.origins, strict=True):
        if not isinstance(entity, dict):
            continue
        if output_rewrites:
            apply_rewrites(entity, output_rewrites, state.matches)
        for obj in origins:
            deep_merge(obj, entity)


async def run_batch_fetch(node: BatchFetchNode, state: RunState, targets: Targets) -> None:
    """Execute a ``BatchFetchNode``: one request, one aliased ``_entities`` call per ``EntityCall``."""
    variables = {name: state.variables[name] for name in node.variable_usages if name in state.variables}
    built: list[tuple[EntityCall, EntityBatch, list[Targets]]] = []
    for call in node.calls:
        found = [targets.flatten(path) for path in call.paths]
        objects = [obj for part in found for obj in part.objects]
        batch = build_entity_batch(objects, call.requires, call.input_rewrites, state.matches)
        variables[call.variable] = batch.representations
        built.append((call, batch, found))
    if not any(r.representations for _, r, _ in built):
        return
    request = SubgraphRequest(
        node.service_name, node.operation, variables, node.operation_name, state.headers
    )
    payload = await _send(request, state)
    if isinstance(payload, UpstreamError):
        paths = [path for _, batch, found in built for path in _origin_paths(batch, _paths_in(found))]
        state.errors.extend(failed_fetch_errors(payload, paths))
        return
    data = payload.get("data")
    aliases = frozenset(c.alias for c in node.calls)
    for number, (call, batch, found) in enumerate(built):
        if payload.get("errors"):
            state.errors.extend(
                entity_errors(
                    payload["errors"],
                    node.service_name,
                    batch.origins,
                    _paths_in(found),
                    entities_key=call.alias,
                    other_keys=aliases - {call.alias} if number == 0 else None,
                )
            )
        entities = data.get(call.alias) if isinstance(data, dict) else None
        _merge_entities(entities, batch, node.service_name, call.output_rewrites, state)


def _paths_in(found: list[Targets]) -> Callable[[JSONObject], list[list[str | int]]]:
    def paths_of(obj: JSONObject) -> list[list[str | int]]:
        return [path for part in found for path in part.paths_of(obj)]

    return paths_of


def _origin_paths(
    batch: EntityBatch, paths_of: Callable[[JSONObject], list[list[str | int]]]
) -> list[list[str | int]]:
    """The response paths of the objects an entity fetch was to complete (those still present)."""
    unique = {id(obj): obj for origins in batch.origins for obj in origins}
    return [path for obj in unique.values() for path in paths_of(obj)]


async def _send(request: SubgraphRequest, state: RunState) -> JSONObject | UpstreamError:
    """The subgraph's response, or the failure (the caller turns it into errors with paths)."""
    started = time.perf_counter()
    try:
        payload = await state.transport.fetch(request)
    except UpstreamError as exc:
        if state.observer is not None:
            state.observer(request.service_name, time.perf_counter() - started, exc.code.name)
        return exc
    if state.observer is not None:
        failed = bool(payload.get("errors"))
        state.observer(
            request.service_name, time.perf_counter() - started, "SUBGRAPH_ERRORS" if failed else None
        )
    return payload
