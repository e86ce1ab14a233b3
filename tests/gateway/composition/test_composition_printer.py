"""Golden test of the printed supergraph: the exact bytes ``compose()`` writes."""

from __future__ import annotations

from collections.abc import Callable

from graphql import build_ast_schema, parse

SupergraphOf = Callable[[dict[str, str]], str]

SUBGRAPHS = {
    "accounts": '''
        """The root."""
        type Query { me: User }
        """
        A registered user.
        Second line.
        """
        type User @key(fields: "id") { id: ID! name: String @shareable @deprecated(reason: "Use fullName.") }
    ''',
    "reviews-v2": '''
        type Query { reviews(first: Int = 10, """Only visible.""" visible: Boolean): [Review!]! }
        type Review { body: String! author: User }
        type User @key(fields: "id") { id: ID! name: String @shareable reviewCount: Int! @tag(name: "public") }
        scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")
        type Mutation { rate(stars: Int!, on: Date): Boolean }
    ''',
}

EXPECTED = r'''schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/tag/v0.3")
{
  query: Query
  mutation: Mutation
}

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA

scalar join__FieldSet

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}

enum join__Graph {
  ACCOUNTS @join__graph(name: "accounts", url: "http://accounts.svc/graphql")
  REVIEWS_V2 @join__graph(name: "reviews-v2", url: "http://reviews-v2.svc/graphql")
}

"""The root."""
type Query @join__type(graph: ACCOUNTS) @join__type(graph: REVIEWS_V2) {
  me: User @join__field(graph: ACCOUNTS)
  reviews(
    first: Int = 10
    """Only visible."""
    visible: Boolean
  ): [Review!]! @join__field(graph: REVIEWS_V2)
}

type Mutation @join__type(graph: REVIEWS_V2) {
  rate(stars: Int!, on: Date): Boolean
}

scalar Date @join__type(graph: REVIEWS_V2) @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

type Review @join__type(graph: REVIEWS_V2) {
  body: String!
  author: User
}

"""
A registered user.
Second line.
"""
type User @join__type(graph: ACCOUNTS, key: "id") @join__type(graph: REVIEWS_V2, key: "id") {
  id: ID!
  name: String @deprecated(reason: "Use fullName.")
  reviewCount: Int! @join__field(graph: REVIEWS_V2) @tag(name: "public")
}
'''


def test_supergraph_is_printed_exactly(supergraph_of: SupergraphOf) -> None:
    assert supergraph_of(SUBGRAPHS) == EXPECTED


def test_printed_supergraph_is_a_valid_schema(supergraph_of: SupergraphOf) -> None:
    schema = build_ast_schema(parse(supergraph_of(SUBGRAPHS)))
    assert schema.get_directive("join__field") is not None
    assert schema.mutation_type is not None


def test_printing_twice_gives_the_same_bytes(supergraph_of: SupergraphOf) -> None:
    assert supergraph_of(SUBGRAPHS) == supergraph_of(dict(reversed(SUBGRAPHS.items())))
