"""Golden plans for unions across subgraphs: members known to some subgraphs only, entity members."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: SEARCH) @join__type(graph: PEOPLE) @join__type(graph: DOCS) {
      search(q: String!): [Result] @join__field(graph: SEARCH)
      people: [Result] @join__field(graph: PEOPLE)
      featured: Featured @join__field(graph: SEARCH)
    }

    type Featured @join__type(graph: SEARCH) {
      top: Result @join__field(graph: SEARCH, type: "Person")
    }

    union Result
      @join__type(graph: SEARCH) @join__type(graph: PEOPLE)
      @join__unionMember(graph: SEARCH, member: "Person")
      @join__unionMember(graph: SEARCH, member: "Document")
      @join__unionMember(graph: PEOPLE, member: "Person")
    = Person | Document

    type Person @join__type(graph: SEARCH, key: "id") @join__type(graph: PEOPLE, key: "id") {
      id: ID!
      name: String @join__field(graph: PEOPLE)
    }

    type Document @join__type(graph: SEARCH, key: "id") @join__type(graph: DOCS, key: "id") {
      id: ID!
      title: String @join__field(graph: DOCS)
      snippet: String @join__field(graph: SEARCH)
    }
    """,
    "docs",
    "people",
    "search",
)


def test_union_members_resolved_in_parallel() -> None:
    query = "query Search($q: String!) { search(q: $q) { __typename ... on Person { name } ... on Document { title snippet } } }"
    assert plan_text(SUPERGRAPH, query, "Search") == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "search") {
              query($q: String!) {
                search(q: $q) {
                  __typename
                  ... on Person {
                    __typename
                    id
                  }
                  ... on Document {
                    snippet
                    __typename
                    id
                  }
                }
              }
            },
            Parallel {
              Flatten(path: "search.@") {
                Fetch(service: "people") {
                  {
                    ... on Person {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Person {
                      name
                    }
                  }
                }
              },
              Flatten(path: "search.@") {
                Fetch(service: "docs") {
                  {
                    ... on Document {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Document {
                      title
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_narrower_subgraph_field_type_drops_other_members() -> None:
    query = "{ featured { top { __typename ... on Person { id } ... on Document { id } } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "search") {
            {
              featured {
                top {
                  __typename
                  id
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_member_unknown_to_the_subgraph_is_dropped() -> None:
    query = "{ people { ... on Person { name } ... on Document { title } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "people") {
            {
              people {
                __typename
                ... on Person {
                  name
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


PARTIAL = supergraph_sdl(
    """
    type Query @join__type(graph: EAST) @join__type(graph: WEST) {
      eastBox: Box @join__field(graph: EAST)
      anyBox: Box
    }

    type Box @join__type(graph: EAST, key: "id") @join__type(graph: WEST, key: "id") {
      id: ID!
      shelf: Shelf
      westShelf: Shelf @join__field(graph: WEST)
    }

    type Shelf @join__type(graph: EAST) @join__type(graph: WEST) {
      items: [Item!]!
    }

    union Item
      @join__type(graph: EAST) @join__type(graph: WEST)
      @join__unionMember(graph: EAST, member: "Coat")
      @join__unionMember(graph: WEST, member: "Coat")
      @join__unionMember(graph: EAST, member: "Hat")
      @join__unionMember(graph: WEST, member: "Shoe")
    = Coat | Hat | Shoe

    type Coat @join__type(graph: EAST) @join__type(graph: WEST) {
      size: Int
    }

    type Hat @join__type(graph: EAST) {
      brim: Int
    }

    type Shoe @join__type(graph: WEST) {
      heel: Int
    }
    """,
    "east",
    "west",
)

_ITEMS = "items { __typename ... on Coat { size } ... on Hat { brim } ... on Shoe { heel } }"


def test_shareable_path_keeps_only_members_every_candidate_subgraph_knows() -> None:
    # 'Box.shelf' could come from either subgraph ('Box' is an entity in both): only 'Coat' is
    # a member everywhere, so 'Hat' objects keep just their __typename ('brim' becomes null).
    query = f"{{ eastBox {{ shelf {{ {_ITEMS} }} }} }}"
    assert plan_text(PARTIAL, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "east") {
            {
              eastBox {
                __typename
                shelf {
                  items {
                    __typename
                    ... on Coat {
                      size
                    }
                  }
                }
              }
            }
          }
        }"""
    )


def test_field_of_one_subgraph_keeps_that_subgraphs_members() -> None:
    query = f"{{ eastBox {{ westShelf {{ {_ITEMS} }} }} }}"
    plan = plan_text(PARTIAL, query)
    assert "... on Shoe {\n" in plan
    assert "heel" in plan
    assert "... on Hat" not in plan


def test_shareable_root_field_keeps_only_shared_members() -> None:
    plan = plan_text(PARTIAL, f"{{ anyBox {{ shelf {{ {_ITEMS} }} }} }}")
    assert "... on Coat" in plan
    assert "... on Hat" not in plan
    assert "... on Shoe" not in plan
