"""The SDL of the four benchmark subgraphs (Federation v2) and of the pre-stitched ceiling schema.

The subgraphs follow the shape of The Guild's gateways benchmark: ``accounts`` owns users,
``products`` owns products, ``inventory`` adds stock and a shipping estimate that
``@requires`` the product's price and weight, and ``reviews`` adds long-text reviews to both
users and products and ``@provides`` the author's username.
"""

from __future__ import annotations

__all__ = ["FEDERATION_PREAMBLE", "STITCHED_SDL", "SUBGRAPH_NAMES", "SUBGRAPH_SDL"]

_LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
    'import: ["@key", "@external", "@requires", "@provides", "@shareable"])\n'
)

ACCOUNTS_SDL = (
    _LINK
    + """
type Query {
  me: User
  user(id: ID!): User
  users: [User]
}

type User @key(fields: "id") {
  id: ID!
  name: String
  username: String @shareable
  birthday: Int
}
"""
)

PRODUCTS_SDL = (
    _LINK
    + """
type Query {
  topProducts(first: Int = 5): [Product]
}

type Product @key(fields: "upc") {
  upc: String!
  name: String
  price: Int
  weight: Int
}
"""
)

INVENTORY_SDL = (
    _LINK
    + """
type Product @key(fields: "upc") {
  upc: String!
  weight: Int @external
  price: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}
"""
)

REVIEWS_SDL = (
    _LINK
    + """
type Review @key(fields: "id") {
  id: ID!
  body: String
  product: Product
  author: User @provides(fields: "username")
}

type User @key(fields: "id") {
  id: ID!
  username: String @external
  reviews: [Review]
}

type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review]
}
"""
)

SUBGRAPH_SDL: dict[str, str] = {
    "accounts": ACCOUNTS_SDL,
    "inventory": INVENTORY_SDL,
    "products": PRODUCTS_SDL,
    "reviews": REVIEWS_SDL,
}
"""Subgraph name → the SDL it reports in ``_service { sdl }`` and that composition reads."""

SUBGRAPH_NAMES = tuple(SUBGRAPH_SDL)

FEDERATION_PREAMBLE = """
scalar _Any
scalar link__Import
type _Service { sdl: String }
directive @link(url: String!, import: [link__Import]) repeatable on SCHEMA
directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @external on FIELD_DEFINITION | OBJECT
directive @requires(fields: String!) on FIELD_DEFINITION
directive @provides(fields: String!) on FIELD_DEFINITION
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
"""
"""What graphql-core needs besides a subgraph's SDL to execute it: the federation definitions."""

STITCHED_SDL = """
type Query {
  me: User
  user(id: ID!): User
  users: [User]
  topProducts(first: Int = 5): [Product]
}

type User {
  id: ID!
  name: String
  username: String
  birthday: Int
  reviews: [Review]
}

type Product {
  upc: String!
  name: String
  price: Int
  weight: Int
  inStock: Boolean
  shippingEstimate: Int
  reviews: [Review]
}

type Review {
  id: ID!
  body: String
  product: Product
  author: User
}
"""
"""The whole API as one plain schema: the reference answer and the ceiling endpoint."""
