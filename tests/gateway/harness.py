"""Shared test helpers for the gateway: build supergraph SDL by hand and plan queries.

``supergraph_sdl(body, *graphs)`` wraps hand-written type definitions (with ``join__``
directives, join v0.3) in the schema header, directive definitions and ``join__Graph`` enum;
``plan_text(sdl, query)`` plans a query against it and pretty-prints the plan, after checking
that the plan survives the JSON round trip of the shared plan cache (``assert_plan_round_trips``).
"""

from __future__ import annotations

import textwrap

import orjson
from graphql import parse, validate

from gateway.planner import QueryPlanner
from gateway.planner.display import format_plan
from gateway.planner.plan import QueryPlan
from gateway.supergraph import load_supergraph

__all__ = ["assert_plan_round_trips", "plan_text", "supergraph_sdl"]

_HEADER = """\
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
  @link(url: "https://specs.apollo.dev/tag/v0.3")
{
  query: Query
%(roots)s}

directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR \
| ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION \
| ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, \
external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, \
resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION \
| ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }

enum join__Graph {
%(graphs)s
}
"""


def supergraph_sdl(body: str, *graphs: str) -> str:
    """Wrap type definitions in a join v0.3 supergraph; graph ``a`` is the enum value ``A``."""
    body = textwrap.dedent(body)
    roots = "".join(
        f"  {kind}: {name}\n"
        for kind, name in (("mutation", "Mutation"), ("subscription", "Subscription"))
        if f"type {name} " in body
    )
    enum = "\n".join(
        f'  {g.upper()} @join__graph(name: "{g}", url: "http://{g}.svc/graphql")' for g in graphs
    )
    return _HEADER % {"roots": roots, "graphs": enum} + "\n" + body


def plan_text(sdl: str, query: str, operation_name: str | None = None) -> str:
    """Validate ``query`` against the API schema, plan it, and pretty-print the plan."""
    supergraph = load_supergraph(sdl)
    document = parse(query)
    errors = validate(supergraph.api_schema, document)
    assert not errors, errors
    plan = QueryPlanner(supergraph).plan(document, operation_name)
    assert_plan_round_trips(plan)
    return format_plan(plan)


def assert_plan_round_trips(plan: QueryPlan) -> None:
    """``plan`` → ``to_json`` → orjson bytes → ``from_json`` gives ``plan`` back, and the same JSON."""
    rendered = plan.to_json()
    decoded = QueryPlan.from_json(orjson.loads(orjson.dumps(rendered)))
    assert decoded == plan
    assert decoded.to_json() == rendered
    assert format_plan(decoded) == format_plan(plan)
