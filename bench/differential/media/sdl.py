"""The SDL of the media supergraph: an interface and two unions spread over three subgraphs.

The project's own supergraph has no abstract types, so the differential test brings this one:

* ``catalog`` owns books, people and the catalog's view of movies; ``Media`` (an interface) is
  implemented there by ``Book`` and ``Movie``, and ``SearchResult`` is ``Book | Movie | Person``.
* ``films`` implements the same ``Media`` interface with ``Movie`` and ``Series``, adds film
  facts (``rating``, ``cast``, a ``Movie.isClassic`` that ``@requires`` the catalog's ``year``),
  and its own ``SearchResult`` of ``Movie | Series``.
* ``reviews`` adds reviews to every medium and person; ``Review.subject`` is the union
  ``Reviewable = Book | Movie | Series``, and ``Review.author`` ``@provides`` the person's name.

Each subgraph sees only some implementations of ``Media`` and some members of the unions, so a
planner must route type conditions to the subgraph that knows the type. ``ORACLE_SDL`` is the
same API as one plain schema over the same records (``schemas.build_oracle_schema``).
"""

from __future__ import annotations

__all__ = ["ORACLE_SDL", "SUBGRAPH_SDL"]

_LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
    'import: ["@key", "@external", "@requires", "@provides", "@shareable"])\n'
)

CATALOG_SDL = (
    _LINK
    + """
type Query {
  mediaById(id: ID!): Media
  media(first: Int = 10): [Media!]!
  search(term: String!): [SearchResult!]!
  person(id: ID!): Person
}

interface Media {
  id: ID!
  title: String!
}

type Book implements Media @key(fields: "id") {
  id: ID!
  title: String!
  year: Int
  pages: Int
  author: Person
}

type Movie implements Media @key(fields: "id") {
  id: ID!
  title: String! @shareable
  year: Int
}

type Person @key(fields: "id") {
  id: ID!
  name: String! @shareable
  born: Int
}

union SearchResult = Book | Movie | Person
"""
)

FILMS_SDL = (
    _LINK
    + """
type Query {
  trending: [Media!]!
  searchFilms(term: String!): [SearchResult!]!
}

interface Media {
  id: ID!
  title: String!
}

type Movie implements Media @key(fields: "id") {
  id: ID!
  title: String! @shareable
  year: Int @external
  rating: Float
  runtime: Int
  isClassic: Boolean @requires(fields: "year")
  director: Person
  cast: [Person!]!
}

type Series implements Media @key(fields: "id") {
  id: ID!
  title: String!
  seasons: Int!
  creator: Person
}

type Person @key(fields: "id") {
  id: ID!
  filmography: [Media!]!
}

union SearchResult = Movie | Series
"""
)

REVIEWS_SDL = (
    _LINK
    + """
type Query {
  latestReviews(first: Int = 5): [Review!]!
}

type Review @key(fields: "id") {
  id: ID!
  body: String!
  stars: Int!
  subject: Reviewable
  author: Person @provides(fields: "name")
}

union Reviewable = Book | Movie | Series

type Book @key(fields: "id") {
  id: ID!
  reviews: [Review!]!
}

type Movie @key(fields: "id") {
  id: ID!
  reviews: [Review!]!
}

type Series @key(fields: "id") {
  id: ID!
  reviews: [Review!]!
}

type Person @key(fields: "id") {
  id: ID!
  name: String! @external
  reviews: [Review!]!
}
"""
)

SUBGRAPH_SDL: dict[str, str] = {"catalog": CATALOG_SDL, "films": FILMS_SDL, "reviews": REVIEWS_SDL}
"""Subgraph name → its SDL (what composition reads)."""

ORACLE_SDL = """
type Query {
  mediaById(id: ID!): Media
  media(first: Int = 10): [Media!]!
  search(term: String!): [SearchResult!]!
  person(id: ID!): Person
  trending: [Media!]!
  searchFilms(term: String!): [SearchResult!]!
  latestReviews(first: Int = 5): [Review!]!
}

interface Media {
  id: ID!
  title: String!
}

type Book implements Media {
  id: ID!
  title: String!
  year: Int
  pages: Int
  author: Person
  reviews: [Review!]!
}

type Movie implements Media {
  id: ID!
  title: String!
  year: Int
  rating: Float
  runtime: Int
  isClassic: Boolean
  director: Person
  cast: [Person!]!
  reviews: [Review!]!
}

type Series implements Media {
  id: ID!
  title: String!
  seasons: Int!
  creator: Person
  reviews: [Review!]!
}

type Person {
  id: ID!
  name: String!
  born: Int
  filmography: [Media!]!
  reviews: [Review!]!
}

type Review {
  id: ID!
  body: String!
  stars: Int!
  subject: Reviewable
  author: Person
}

union SearchResult = Book | Movie | Person | Series

union Reviewable = Book | Movie | Series
"""
"""The media API as one plain schema: what a correct gateway answers."""
