"""Serve the REST routes of ``rest.yaml`` by running their persisted operations.

Each route is bound at load to a prepared entry of the persisted catalog. A request passes the
partner gate (key, rate limit, safelist), its path, query and body become the operation's
variables (query strings coerced to the variables' types), the load-time plan runs, and the
operation's single root field becomes the response body. GraphQL error codes become HTTP
statuses (``NOT_FOUND`` → 404, ``BAD_USER_INPUT`` → 400, ``FAILED_PRECONDITION`` → 409, …), and
an error body is an RFC 9457 problem (``gateway.rest.problem``) with the code. A route with path
parameters whose root value is null answers 404.

Routes are grouped by path: a method a path does not serve is 405 with ``Allow``, ``OPTIONS``
answers 204 with ``Allow`` listing every method of the path, and a path under the prefix that
no route has is a problem 404 — never Starlette's plain-text pages.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import orjson
from graphql import (
    GraphQLBoolean,
    GraphQLFloat,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    OperationType,
    type_from_ast,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.errors import (
    BadRequest,
    BadUserInput,
    ErrorCode,
    GatewayError,
    PersistedQueryNotAllowed,
    ServiceNotReady,
    to_graphql_errors,
)
from gateway.http.request import read_body
from gateway.partner_errors import PartnerRateLimited
from gateway.partner_gate import forwarded_headers
from gateway.ratelimit import rate_limit_headers
from gateway.rest.openapi import build_openapi, root_field_of
from gateway.rest.problem import PROBLEM_JSON, problem
from gateway.rest.routes import RestConfigError, RestRoute
from gateway.types import JSONObject

if TYPE_CHECKING:
    from gateway.partner_gate import PartnerGate
    from gateway.persisted_catalog import PersistedCatalog, PersistedEntry

__all__ = [
    "REST_STATUS",
    "RestBinding",
    "RestHost",
    "bind_routes",
    "openapi_document",
    "rest_routes",
    "status_for_code",
    "variables_from_request",
]

REST_STATUS: Mapping[str, int] = {
    "NOT_FOUND": 404,
    "BAD_USER_INPUT": 400,
    "GRAPHQL_VALIDATION_FAILED": 400,
    "GRAPHQL_PARSE_FAILED": 400,
    "FAILED_PRECONDITION": 409,
    "ALREADY_EXISTS": 409,
    "UNAUTHENTICATED": 401,
    "PERSISTED_QUERY_NOT_ALLOWED": 403,
    "RATE_LIMITED": 429,
    "SUBGRAPH_UNAVAILABLE": 502,
    "DOWNSTREAM_SERVICE_ERROR": 502,
    "SERVICE_UNAVAILABLE": 503,
    "INTERNAL_SERVER_ERROR": 500,
}
"""HTTP status of a REST response whose first GraphQL error has this ``extensions.code``."""

_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class RestBinding:
    """A route and the prepared persisted operation it runs."""

    route: RestRoute
    entry: PersistedEntry
    root_key: str
    """Response key of the operation's single root field (the REST body)."""


class RestHost(Protocol):
    """What the REST endpoints need from the running partner API."""

    @property
    def gate(self) -> PartnerGate: ...

    @property
    def rest_bindings(self) -> Mapping[str, RestBinding]: ...

    @property
    def openapi(self) -> JSONObject: ...


def status_for_code(code: str | None) -> int:
    """The HTTP status for a GraphQL error code (the gateway's registry, then ``REST_STATUS``)."""
    if code is None:
        return 500
    if code in REST_STATUS:
        return REST_STATUS[code]
    if code in ErrorCode.__members__:
        return ErrorCode[code].status
    return 500


def bind_routes(routes: Sequence[RestRoute], catalog: PersistedCatalog) -> dict[str, RestBinding]:
    """Bind each route to its persisted operation, by route name.

    Raises:
        RestConfigError: A route names no persisted operation, or one that does not fit it.
    """
    bindings: dict[str, RestBinding] = {}
    for route in routes:
        where = f"{route.method} {route.path}"
        entry = catalog.named(route.operation)
        if entry is None:
            raise RestConfigError(
                f"{where}: no persisted operation {route.operation!r} in the partners' manifests "
                "(or two manifests give that name different bodies; use the manifest id)."
            )
        if route.method == "GET" and entry.definition.operation is not OperationType.QUERY:
            raise RestConfigError(
                f"{where}: a GET route must run a query, not a {entry.definition.operation.value}."
            )
        variables = {d.variable.name.value for d in entry.definition.variable_definitions or ()}
        wanted = [*route.path_params, *route.query.values(), *route.body_fields]
        if route.body is not None:
            wanted.append(route.body)
        unknown = [name for name in wanted if name not in variables]
        if unknown:
            raise RestConfigError(f"{where}: {unknown} are not variables of operation {route.operation!r}.")
        try:
            root = root_field_of(entry.definition)
        except ValueError as exc:
            raise RestConfigError(f"{where}: {exc}") from exc
        bindings[route.name] = RestBinding(route, entry, (root.alias or root.name).value)
    return bindings


def openapi_document(schema: GraphQLSchema, bindings: Mapping[str, RestBinding]) -> JSONObject:
    """The OpenAPI 3.1 document of the bound routes."""
    return build_openapi(schema, [(b.route, b.entry.prepared.document) for b in bindings.values()])


def _scalar(param: str, type_: Any, raw: str) -> Any:
    try:
        if type_ is GraphQLInt:
            return int(raw)
        if type_ is GraphQLFloat:
            return float(raw)
    except ValueError as exc:
        raise BadUserInput(f"Query parameter {param!r} must be of type {type_.name}, got {raw!r}.") from exc
    if type_ is GraphQLBoolean:
        lowered = raw.lower()
        if lowered not in ("true", "false", "1", "0"):
            raise BadUserInput(f"Query parameter {param!r} must be true or false, got {raw!r}.")
        return lowered in ("true", "1")
    return raw


def _query_value(param: str, type_: Any, values: list[str]) -> Any:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        item = type_.of_type.of_type if isinstance(type_.of_type, GraphQLNonNull) else type_.of_type
        return [_scalar(param, item, part) for value in values for part in value.split(",") if part]
    return _scalar(param, type_, values[-1])


def _json_body(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.") from exc


def variables_from_request(
    schema: GraphQLSchema,
    binding: RestBinding,
    path_params: Mapping[str, str],
    query_params: Mapping[str, list[str]],
    body: bytes | None,
) -> JSONObject:
    """The operation's variables from the path, the query string and the JSON body.

    Raises:
        BadUserInput: A query parameter does not fit its variable's type.
        BadRequest: The body is not JSON, or not an object where fields are expected.
    """
    route = binding.route
    definitions = {d.variable.name.value: d for d in binding.entry.definition.variable_definitions or ()}
    variables: JSONObject = {}
    if body is not None and (route.body is not None or route.body_fields):
        value = _json_body(body)
        if route.body is not None:
            if value is not None:
                variables[route.body] = value
        else:
            value = {} if value is None else value
            if not isinstance(value, dict):
                raise BadRequest(
                    f"The request body must be a JSON object with the fields {list(route.body_fields)}."
                )
            unknown = sorted(set(value) - set(route.body_fields))
            if unknown:
                raise BadRequest(
                    f"Unknown body fields {unknown}; {route.method} {route.path} accepts {list(route.body_fields)}."
                )
            variables.update(value)
    for param, variable in route.query.items():
        values = [v for v in query_params.get(param, []) if v != ""]
        if values:
            type_ = type_from_ast(schema, definitions[variable].type)
            variables[variable] = _query_value(param, type_, values)
    for name in route.path_params:
        variables[name] = path_params[name]
    return variables


def _respond(
    payload: Any, status: int, request_id: str, headers: Mapping[str, str], media_type: str = _JSON
) -> Response:
    return Response(orjson.dumps(payload), status, {**headers, "x-request-id": request_id}, media_type)


def _problem_response(body: JSONObject, request_id: str, headers: Mapping[str, str]) -> Response:
    return _respond(body, int(body["status"]), request_id, headers, PROBLEM_JSON)


def _errors_problem(errors: list[JSONObject], request_id: str, instance: str) -> JSONObject:
    first: JSONObject = errors[0] if errors else {"message": "Internal server error."}
    code = (first.get("extensions") or {}).get("code") or "INTERNAL_SERVER_ERROR"
    detail = str(first.get("message", ""))
    return problem(status_for_code(code), code, detail, request_id, instance=instance, errors=errors)


def _exception_response(
    exc: Exception, request_id: str, headers: Mapping[str, str], instance: str
) -> Response:
    body = _errors_problem(to_graphql_errors(exc, request_id), request_id, instance)
    body["status"] = exc.status if isinstance(exc, GatewayError) and exc.expose else 500
    if isinstance(exc, PartnerRateLimited):
        headers = {**headers, **exc.headers}
    return _problem_response(body, request_id, headers)


def _result_response(
    binding: RestBinding, payload: JSONObject, request_id: str, headers: Mapping[str, str], instance: str
) -> Response:
    data = payload.get("data")
    value = data.get(binding.root_key) if isinstance(data, dict) else None
    errors: list[JSONObject] = payload.get("errors") or []
    if value is None and errors:
        return _problem_response(_errors_problem(errors, request_id, instance), request_id, headers)
    if value is None and binding.route.path_params:
        params = ", ".join(binding.route.path_params)
        detail = f"Nothing exists at {binding.route.path} for the given {params}."
        return _problem_response(
            problem(404, "NOT_FOUND", detail, request_id, instance=instance), request_id, headers
        )
    status = binding.route.status
    flag = binding.route.replay_flag
    if flag is not None and isinstance(value, dict) and value.get(flag) is False:
        status = 200  # an idempotent replay: nothing was created this time
    return _respond(value, status, request_id, headers)


def _host(request: Request) -> RestHost:
    host: RestHost | None = getattr(request.app.state, "partner_api", None)
    if host is None:
        raise ServiceNotReady(
            "The gateway is starting and has not loaded its partner API yet; retry shortly."
        )
    return host


def _request_id(request: Request) -> str:
    return request.headers.get("x-request-id") or uuid.uuid4().hex


def _make_endpoint(route: RestRoute) -> Any:
    takes_body = route.body is not None or bool(route.body_fields)

    async def endpoint(request: Request) -> Response:
        request_id = _request_id(request)
        instance = request.url.path
        headers: dict[str, str] = {}
        try:
            host = _host(request)
            gate = host.gate
            binding = host.rest_bindings[route.name]
            partner = gate.authenticate(request.headers.get("x-api-key"))
            headers = rate_limit_headers(await gate.rate_limit(partner))
            if not gate.catalog.allows(partner.id, binding.entry):
                raise PersistedQueryNotAllowed(
                    f"Partner {partner.id!r} may not call {route.method} {route.path}: its operation "
                    f"{route.operation!r} is not in the partner's manifests."
                )
            body = await read_body(request, request.app.state.settings.max_body_bytes) if takes_body else None
            query = {key: request.query_params.getlist(key) for key in route.query}
            variables = variables_from_request(gate.gateway.schema, binding, request.path_params, query, body)
            gate.check_persisted(partner, binding.entry, variables)
            settings = request.app.state.settings
            forwarded = forwarded_headers(settings.forward_headers, request.headers, partner, request_id)
            async with gate.in_flight(partner):
                response = await gate.run_persisted(binding.entry, variables, headers=forwarded)
            return _result_response(binding, response.payload, request_id, headers, instance)
        except Exception as exc:
            return _exception_response(exc, request_id, headers, instance)

    endpoint.__name__ = route.name
    return endpoint


async def _openapi(request: Request) -> Response:
    try:
        host = _host(request)
    except GatewayError as exc:
        return _exception_response(exc, _request_id(request), {}, request.url.path)
    return Response(orjson.dumps(host.openapi), 200, media_type=_JSON)


def _path_endpoint(methods: Mapping[str, Any]) -> Any:
    """One endpoint for every method of a path: dispatch, ``OPTIONS``, or a problem 405."""
    served = {**methods, **({"HEAD": methods["GET"]} if "GET" in methods else {})}
    allow = ", ".join([*sorted(served), "OPTIONS"])

    async def endpoint(request: Request) -> Response:
        handler = served.get(request.method)
        if handler is not None:
            response: Response = await handler(request)
            return response
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"allow": allow})
        request_id = _request_id(request)
        detail = f"{request.url.path} does not serve {request.method}; it serves {allow}."
        body = problem(405, "METHOD_NOT_ALLOWED", detail, request_id, instance=request.url.path)
        return _problem_response(body, request_id, {"allow": allow})

    return endpoint


async def _unknown_path(request: Request) -> Response:
    request_id = _request_id(request)
    detail = f"No REST route has the path {request.url.path}; the routes are listed in openapi.json."
    body = problem(404, "NOT_FOUND", detail, request_id, instance=request.url.path)
    return _problem_response(body, request_id, {})


_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def rest_routes(routes: Sequence[RestRoute], prefix: str = "/api/v1") -> list[Route]:
    """Starlette routes for ``routes``, ``{prefix}/openapi.json`` and a problem 404 for the rest.

    One Starlette route per path serves every method of it (and ``OPTIONS``), in the order the
    paths first appear (``routes`` come most specific first). Full paths rather than a ``Mount``:
    a mount's ``.*`` does not match every character a path parameter may hold (a newline), which
    would answer those requests with a plain-text 404.
    """
    by_path: dict[str, dict[str, Any]] = {"/openapi.json": {"GET": _openapi}}
    names: dict[str, str] = {}
    for route in routes:
        by_path.setdefault(route.path, {})[route.method] = _make_endpoint(route)
        names.setdefault(route.path, route.name)
    out = [
        Route(prefix + path, _path_endpoint(methods), methods=_ANY_METHOD, name=names.get(path))
        for path, methods in by_path.items()
    ]
    out.append(Route(prefix, _unknown_path, methods=_ANY_METHOD))
    out.append(Route(prefix + "/{unknown:path}", _unknown_path, methods=_ANY_METHOD))
    return out
