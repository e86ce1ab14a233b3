"""Golden plans for ``@provides`` and ``@external``: provided fields stay in the providing fetch."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: ACCOUNTS) @join__type(graph: REVIEWS) {
      me: User @join__field(graph: ACCOUNTS)
      latestReviews: [Review] @join__field(graph: REVIEWS)
      featuredReview: Review @join__field(graph: REVIEWS, provides: "author { name address { city } }")
    }

    type Review @join__type(graph: REVIEWS, key: "id") {
      id: ID!
      body: String
      author: User @join__field(graph: REVIEWS, provides: "name")
      editor: User @join__field(graph: REVIEWS)
    }

    type User @join__type(graph: ACCOUNTS, key: "id") @join__type(graph: REVIEWS, key: "id") {
      id: ID!
      name: String @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
      email: String @join__field(graph: ACCOUNTS)
      address: Address @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
      reviews: [Review] @join__field(graph: REVIEWS)
    }

    type Address @join__type(graph: ACCOUNTS) @join__type(graph: REVIEWS) {
      city: String @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
      street: String @join__field(graph: ACCOUNTS)
    }
    """,
    "accounts",
    "reviews",
)


def test_provided_field_needs_no_entity_fetch() -> None:
    query = "{ latestReviews { body author { name } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "reviews") {
            {
              latestReviews {
                __typename
                body
                author {
                  __typename
                  name
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_external_field_without_provides_needs_an_entity_fetch() -> None:
    query = "{ latestReviews { editor { name } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "reviews") {
              {
                latestReviews {
                  __typename
                  editor {
                    __typename
                    id
                  }
                }
              }
            },
            Flatten(path: "latestReviews.@.editor") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    name
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_provided_and_unprovided_fields_together() -> None:
    query = "{ latestReviews { author { name email } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "reviews") {
              {
                latestReviews {
                  __typename
                  author {
                    __typename
                    name
                    id
                  }
                }
              }
            },
            Flatten(path: "latestReviews.@.author") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    email
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_nested_provides() -> None:
    query = "{ featuredReview { author { name address { city } } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "reviews") {
            {
              featuredReview {
                __typename
                author {
                  __typename
                  name
                  address {
                    city
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_nested_provides_does_not_cover_siblings() -> None:
    query = "{ featuredReview { author { address { city street } } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "reviews") {
              {
                featuredReview {
                  __typename
                  author {
                    __typename
                    address {
                      city
                    }
                    id
                  }
                }
              }
            },
            Flatten(path: "featuredReview.author") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    address {
                      street
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
