"""Golden plans for mutations: root fields run in document order; same-subgraph runs share a fetch."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: APPLICATIONS) @join__type(graph: CLIENTS) {
      application(id: ID!): Application @join__field(graph: APPLICATIONS)
    }

    type Mutation @join__type(graph: APPLICATIONS) @join__type(graph: CLIENTS) {
      registerClient(name: String!): Client @join__field(graph: CLIENTS)
      updateContacts(id: ID!, phone: String!): Client @join__field(graph: CLIENTS)
      createApplication(clientId: ID!, productId: ID!): Application @join__field(graph: APPLICATIONS)
    }

    type Application @join__type(graph: APPLICATIONS, key: "id") {
      id: ID!
      status: String
      client: Client
    }

    type Client @join__type(graph: APPLICATIONS, key: "id") @join__type(graph: CLIENTS, key: "id") {
      id: ID!
      name: String @join__field(graph: CLIENTS)
      applications: [Application] @join__field(graph: APPLICATIONS)
    }
    """,
    "applications",
    "clients",
)


def test_mutation_root_fields_run_in_order() -> None:
    query = """
        mutation Onboard($name: String!) {
          a: registerClient(name: $name) { id }
          b: updateContacts(id: "1", phone: "+70000000000") { id name }
          c: createApplication(clientId: "1", productId: "p") { id status }
          d: registerClient(name: "second") { id }
        }
    """
    assert plan_text(SUPERGRAPH, query, "Onboard") == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "clients") {
              mutation($name: String!) {
                a: registerClient(name: $name) {
                  __typename
                  id
                }
                b: updateContacts(id: "1", phone: "+70000000000") {
                  __typename
                  id
                  name
                }
              }
            },
            Fetch(service: "applications") {
              mutation {
                c: createApplication(clientId: "1", productId: "p") {
                  __typename
                  id
                  status
                }
              }
            },
            Fetch(service: "clients") {
              mutation {
                d: registerClient(name: "second") {
                  __typename
                  id
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_mutation_result_entity_fetch_runs_after_its_mutation() -> None:
    query = """
        mutation {
          createApplication(clientId: "1", productId: "p") { id client { name } }
          registerClient(name: "x") { applications { id } }
        }
    """
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "applications") {
              mutation {
                createApplication(clientId: "1", productId: "p") {
                  __typename
                  id
                  client {
                    __typename
                    id
                  }
                }
              }
            },
            Flatten(path: "createApplication.client") {
              Fetch(service: "clients") {
                {
                  ... on Client {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Client {
                    name
                  }
                }
              }
            },
            Fetch(service: "clients") {
              mutation {
                registerClient(name: "x") {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "registerClient") {
              Fetch(service: "applications") {
                {
                  ... on Client {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Client {
                    applications {
                      __typename
                      id
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
