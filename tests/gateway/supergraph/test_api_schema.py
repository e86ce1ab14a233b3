"""Tests for the API schema: core machinery stripped, ``@inaccessible`` elements removed."""

from __future__ import annotations

import textwrap

from graphql import print_schema

from gateway.supergraph import load_supergraph
from tests.gateway.harness import supergraph_sdl

SDL = supergraph_sdl(
    """
    type Query @join__type(graph: A) {
      clients(filter: ClientFilter, debug: Boolean @inaccessible): [Client]
      secret: Secret @inaccessible
      search: [Result]
    }

    interface Node @join__type(graph: A) {
      id: ID!
    }

    interface Internal @join__type(graph: A) @inaccessible {
      id: ID!
    }

    type Client implements Node & Internal
      @join__type(graph: A, key: "id")
      @join__implements(graph: A, interface: "Node")
      @join__implements(graph: A, interface: "Internal")
      @tag(name: "public")
    {
      id: ID!
      name: String @tag(name: "pii")
      score: Int @inaccessible
      status: Status @deprecated(reason: "Use 'state'.")
    }

    type Secret @join__type(graph: A) @inaccessible {
      value: String
    }

    union Result @join__type(graph: A) @join__unionMember(graph: A, member: "Client")
      @join__unionMember(graph: A, member: "Secret") = Client | Secret

    input ClientFilter @join__type(graph: A) {
      name: String
      scoreAbove: Int @inaccessible
    }

    enum Status @join__type(graph: A) {
      ACTIVE @join__enumValue(graph: A)
      BLOCKED @join__enumValue(graph: A) @inaccessible
    }
    """,
    "a",
)


def test_api_schema_golden() -> None:
    printed = print_schema(load_supergraph(SDL).api_schema)
    assert printed == textwrap.dedent(
        """\
        type Query {
          clients(filter: ClientFilter): [Client]
          search: [Result]
        }

        interface Node {
          id: ID!
        }

        type Client implements Node {
          id: ID!
          name: String
          status: Status @deprecated(reason: "Use 'state'.")
        }

        union Result = Client

        input ClientFilter {
          name: String
        }

        enum Status {
          ACTIVE
        }"""
    )


def test_full_schema_keeps_inaccessible_elements_for_the_planner() -> None:
    supergraph = load_supergraph(SDL)
    assert "Secret" in supergraph.schema.type_map
    assert "Secret" not in supergraph.api_schema.type_map
    assert not any(name.startswith(("join__", "link__")) for name in supergraph.api_schema.type_map)
    directives = {d.name for d in supergraph.api_schema.directives}
    assert directives >= {"include", "skip", "deprecated", "specifiedBy"}
    assert not directives & {"link", "inaccessible", "tag", "join__type", "join__field"}
