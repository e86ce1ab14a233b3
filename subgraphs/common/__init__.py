"""What the three subgraphs share: schema class, error coding, scalars, value types and the app."""

from __future__ import annotations

from subgraphs.common.app import SubgraphRuntime, create_subgraph_app
from subgraphs.common.errors import INTERNAL_ERROR_MESSAGE, SUBGRAPH_ERROR_CODES, CodedErrors, code_error
from subgraphs.common.loaders import OperationLoaders
from subgraphs.common.scalars import DATE_SCALAR, LONG_SCALAR, Long, parse_date
from subgraphs.common.schema import FEDERATION_VERSION, SubgraphSchema
from subgraphs.common.types import FieldError, Money, PageInfo

__all__ = [
    "DATE_SCALAR",
    "FEDERATION_VERSION",
    "INTERNAL_ERROR_MESSAGE",
    "LONG_SCALAR",
    "SUBGRAPH_ERROR_CODES",
    "CodedErrors",
    "FieldError",
    "Long",
    "Money",
    "OperationLoaders",
    "PageInfo",
    "SubgraphRuntime",
    "SubgraphSchema",
    "code_error",
    "create_subgraph_app",
    "parse_date",
]
