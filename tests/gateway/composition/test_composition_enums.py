"""Enums merge by usage: output → union, input → intersection, both → must match."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

ORDERS_QUOTES = {
    "orders": """
        enum Channel {
          WEB
          MOBILE
          PARTNER
        }

        enum Currency {
          RUB
          USD
          EUR
        }

        enum SortOrder {
          ASC
          DESC
        }

        enum Priority {
          LOW
          HIGH
        }

        type Order @key(fields: "id") {
          id: ID!
          channel: Channel!
          priority: Priority!
        }

        type Query {
          orders(currency: Currency, sort: SortOrder = ASC): [Order!]!
        }
    """,
    "quotes": """
        enum Channel {
          WEB
          EMAIL
        }

        enum Currency {
          RUB
          USD
        }

        enum SortOrder {
          ASC
          DESC
        }

        enum Priority {
          LOW
          HIGH
        }

        type Quote @key(fields: "id") {
          id: ID!
          channel: Channel
          priority(at: Priority): Priority
        }

        type Query {
          quotes(currency: Currency!, sort: SortOrder): [Quote!]!
        }
    """,
}
ORDERS_QUOTES_EXPECTED = {
    "Channel": """\
enum Channel @join__type(graph: ORDERS) @join__type(graph: QUOTES) {
  WEB @join__enumValue(graph: ORDERS) @join__enumValue(graph: QUOTES)
  MOBILE @join__enumValue(graph: ORDERS)
  PARTNER @join__enumValue(graph: ORDERS)
  EMAIL @join__enumValue(graph: QUOTES)
}
""",
    "Currency": """\
enum Currency @join__type(graph: ORDERS) @join__type(graph: QUOTES) {
  RUB @join__enumValue(graph: ORDERS) @join__enumValue(graph: QUOTES)
  USD @join__enumValue(graph: ORDERS) @join__enumValue(graph: QUOTES)
}
""",
    "Priority": """\
enum Priority @join__type(graph: ORDERS) @join__type(graph: QUOTES) {
  LOW @join__enumValue(graph: ORDERS) @join__enumValue(graph: QUOTES)
  HIGH @join__enumValue(graph: ORDERS) @join__enumValue(graph: QUOTES)
}
""",
}


def test_orders_quotes(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(ORDERS_QUOTES)
    for name, expected in ORDERS_QUOTES_EXPECTED.items():
        assert block_of(sdl, name) == expected
