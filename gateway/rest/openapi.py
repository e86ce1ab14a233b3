"""Build the OpenAPI 3.1 document of the REST routes from their operations' types.

Parameters and request bodies are typed by the operations' variable definitions; a success
response is the operation's single root field as the operation shapes it; error responses share
one ``Problem`` schema (RFC 9457 problem details, ``application/problem+json``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableDefinitionNode,
    type_from_ast,
)

from gateway.rest.json_schema import input_schema, output_schema
from gateway.rest.routes import RestRoute

__all__ = ["ERROR_STATUSES", "build_openapi", "operation_of", "root_field_of"]

JSON = dict[str, Any]

ERROR_STATUSES: Mapping[str, str] = {
    "400": "The request is invalid (BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED, …).",
    "401": "X-API-Key is missing or unknown (UNAUTHENTICATED).",
    "403": "The partner may not run this operation (PERSISTED_QUERY_NOT_ALLOWED).",
    "404": "The entity does not exist (NOT_FOUND).",
    "405": "The path does not serve this method (METHOD_NOT_ALLOWED); see Allow.",
    "409": "The entity's state forbids the change, or it already exists (FAILED_PRECONDITION, ALREADY_EXISTS).",
    "429": "The partner's rate limit is exhausted (RATE_LIMITED); see Retry-After.",
    "500": "An unexpected failure (INTERNAL_SERVER_ERROR); quote requestId when reporting it.",
    "502": "A backend failed (SUBGRAPH_UNAVAILABLE, DOWNSTREAM_SERVICE_ERROR).",
    "503": "A backend service is unavailable (SERVICE_UNAVAILABLE); retry with backoff.",
}

_PROBLEM_SCHEMA: JSON = {
    "type": "object",
    "description": "RFC 9457 problem details, with the stable machine code.",
    "required": ["type", "title", "status", "detail", "code", "requestId"],
    "properties": {
        "type": {"type": "string", "description": "'about:blank': the status and code say what happened."},
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What happened and what to do."},
        "instance": {"type": "string", "description": "The request's path."},
        "code": {"type": "string", "description": "Stable machine code (the GraphQL extensions.code)."},
        "requestId": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Every underlying error, with its path and extensions.code.",
            "items": {"type": "object"},
        },
    },
}


def operation_of(document: DocumentNode) -> OperationDefinitionNode:
    """The single operation of a persisted document."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        raise ValueError("A REST route's persisted document must hold exactly one operation.")
    return operations[0]


def root_field_of(operation: OperationDefinitionNode) -> FieldNode:
    """The single root field whose value a REST response returns."""
    fields = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != 1:
        raise ValueError("A REST route's operation must select exactly one root field.")
    return fields[0]


def _without_null(schema: JSON) -> JSON:
    kind = schema.get("type")
    if isinstance(kind, list):
        return {**schema, "type": next(k for k in kind if k != "null")}
    return schema


def _variable_schema(schema: GraphQLSchema, definition: VariableDefinitionNode) -> JSON:
    type_ = type_from_ast(schema, definition.type)
    if type_ is None:
        raise ValueError(f"Variable ${definition.variable.name.value} has an unknown type.")
    return input_schema(type_)  # type: ignore[arg-type]


def _operation(schema: GraphQLSchema, route: RestRoute, document: DocumentNode) -> JSON:
    operation = operation_of(document)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    variables = {d.variable.name.value: d for d in operation.variable_definitions or ()}
    parameters: list[JSON] = []
    for name in route.path_params:
        if name not in variables:
            raise ValueError(
                f"{route.method} {route.path}: path parameter {name!r} is not a variable of the operation."
            )
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": _variable_schema(schema, variables[name]),
            }
        )
    for param, variable in route.query.items():
        if variable not in variables:
            raise ValueError(
                f"{route.method} {route.path}: query parameter {param!r} maps to unknown ${variable}."
            )
        definition = variables[variable]
        required = definition.type.kind == "non_null_type" and definition.default_value is None
        parameters.append(
            {
                "name": param,
                "in": "query",
                "required": required,
                "schema": _variable_schema(schema, definition),
            }
        )
    out: JSON = {"operationId": route.name, "parameters": parameters, "security": [{"ApiKey": []}]}
    if route.summary:
        out["summary"] = route.summary
    body: JSON | None = None
    if route.body is not None:
        if route.body not in variables:
            raise ValueError(f"{route.method} {route.path}: body maps to unknown ${route.body}.")
        body = _variable_schema(schema, variables[route.body])
    elif route.body_fields:
        properties = {}
        for name in route.body_fields:
            if name not in variables:
                raise ValueError(f"{route.method} {route.path}: body field {name!r} is not a variable.")
            properties[name] = _variable_schema(schema, variables[name])
        body = {"type": "object", "properties": properties, "additionalProperties": False}
        mandatory = [n for n in route.body_fields if variables[n].type.kind == "non_null_type"]
        if mandatory:
            body["required"] = mandatory
    if body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    root = schema.get_root_type(operation.operation)
    field = root_field_of(operation)
    assert root is not None
    field_def = root.fields[field.name.value]
    result = output_schema(schema, field_def.type, field.selection_set, fragments)
    if route.path_params:
        result = _without_null(result)  # a null entity answers 404, so a success body is never null
    responses: JSON = {
        str(route.status): {"description": "Success.", "content": {"application/json": {"schema": result}}}
    }
    if route.replay_flag is not None and route.status != 200:
        responses["200"] = {
            "description": f"An idempotent replay: '{route.replay_flag}' is false and nothing new was created.",
            "content": {"application/json": {"schema": result}},
        }
    for status, description in ERROR_STATUSES.items():
        responses[status] = {
            "description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    out["responses"] = responses
    return out


def build_openapi(
    schema: GraphQLSchema,
    routes: Sequence[tuple[RestRoute, DocumentNode]],
    *,
    title: str = "InsureTech partner REST API",
    version: str = "1.0.0",
    server_url: str = "/api/v1",
) -> JSON:
    """The OpenAPI 3.1 document for ``routes`` (each with its persisted operation's document)."""
    paths: dict[str, JSON] = {}
    for route, document in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(schema, route, document)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": {"Problem": _PROBLEM_SCHEMA},
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        },
    }
