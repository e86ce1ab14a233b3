"""Golden plans for ``@interfaceObject``: interface fields contributed by a subgraph that sees an object."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: ACCOUNTS) @join__type(graph: AUDIT) {
      accounts: [Account] @join__field(graph: ACCOUNTS)
      recentlyAudited: [Account] @join__field(graph: AUDIT)
    }

    interface Account
      @join__type(graph: ACCOUNTS, key: "id")
      @join__type(graph: AUDIT, key: "id", isInterfaceObject: true)
    {
      id: ID!
      name: String @join__field(graph: ACCOUNTS)
      lastAudit: String @join__field(graph: AUDIT)
    }

    type Person implements Account
      @join__type(graph: ACCOUNTS, key: "id")
      @join__implements(graph: ACCOUNTS, interface: "Account")
    {
      id: ID!
      name: String
      birthDate: String
      lastAudit: String @join__field
    }

    type Company implements Account
      @join__type(graph: ACCOUNTS, key: "id")
      @join__implements(graph: ACCOUNTS, interface: "Account")
    {
      id: ID!
      name: String
      taxId: String
      lastAudit: String @join__field
    }
    """,
    "accounts",
    "audit",
)


def test_interface_object_field_from_concrete_types_rewrites_typename() -> None:
    query = "{ accounts { name lastAudit } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "accounts") {
              {
                accounts {
                  __typename
                  name
                  id
                }
              }
            },
            Flatten(path: "accounts.@") {
              Fetch(service: "audit") {
                {
                  ... on Company {
                    __typename
                    id
                  }
                  ... on Person {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Account {
                    lastAudit
                  }
                }
                inputRewrites: ... on Company.__typename = 'Account', ... on Person.__typename = 'Account'
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_interface_object_root_needs_real_typename_for_fragments() -> None:
    query = "{ recentlyAudited { lastAudit ... on Person { birthDate } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "audit") {
              {
                recentlyAudited {
                  lastAudit
                  __typename
                  id
                }
              }
            },
            Flatten(path: "recentlyAudited.@") {
              Fetch(service: "accounts") {
                {
                  ... on Account {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Account {
                    __typename
                    ... on Person {
                      birthDate
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_interface_object_root_with_interface_fields_only() -> None:
    query = "{ recentlyAudited { id lastAudit name } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "audit") {
              {
                recentlyAudited {
                  id
                  lastAudit
                  __typename
                }
              }
            },
            Flatten(path: "recentlyAudited.@") {
              Fetch(service: "accounts") {
                {
                  ... on Account {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Account {
                    __typename
                    name
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_interface_object_root_typename_comes_from_the_interface_owner() -> None:
    query = "{ recentlyAudited { __typename id } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "audit") {
              {
                recentlyAudited {
                  id
                  __typename
                }
              }
            },
            Flatten(path: "recentlyAudited.@") {
              Fetch(service: "accounts") {
                {
                  ... on Account {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Account {
                    __typename
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
