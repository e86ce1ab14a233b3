"""REST endpoints generated from persisted operations, with an OpenAPI 3.1 document.

``deploy/rest.yaml`` maps routes (``GET /applications/{id}``) to persisted operations; path,
query and body values become operation variables; GraphQL error codes become HTTP statuses.

``gateway.rest.endpoint`` (the Starlette endpoints) is not re-exported here: it needs the HTTP
stack and the partner gate, which the route and document builders do not.
"""

from gateway.rest.json_schema import input_schema, output_schema
from gateway.rest.openapi import build_openapi
from gateway.rest.routes import RestConfigError, RestRoute, load_routes, parse_routes

__all__ = [
    "RestConfigError",
    "RestRoute",
    "build_openapi",
    "input_schema",
    "load_routes",
    "output_schema",
    "parse_routes",
]
