"""The benchmark operation: one nested query with fragments across all four subgraphs.

Same shape as the query of The Guild's gateways benchmark (users → reviews → product →
reviews → author → reviews → product, and topProducts → reviews → author → reviews → product),
so a gateway needs about seven subgraph fetches, including an ``@requires`` hop to inventory.
"""

from __future__ import annotations

__all__ = ["OPERATION", "OPERATION_NAME"]

OPERATION_NAME = "GatewayBench"

OPERATION = """
query GatewayBench {
  users {
    ...UserFields
    reviews {
      ...ReviewFields
      product {
        ...ProductFields
        reviews {
          ...ReviewFields
          author {
            ...UserFields
            reviews {
              ...ReviewFields
              product {
                ...ProductFields
              }
            }
          }
        }
      }
    }
  }
  topProducts {
    ...ProductFields
    reviews {
      ...ReviewFields
      author {
        ...UserFields
        reviews {
          ...ReviewFields
          product {
            ...ProductFields
          }
        }
      }
    }
  }
}

fragment UserFields on User {
  id
  username
  name
}

fragment ReviewFields on Review {
  id
  body
}

fragment ProductFields on Product {
  upc
  name
  price
  weight
  inStock
  shippingEstimate
}
"""
