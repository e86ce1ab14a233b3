"""The Strawberry federation schema class every subgraph uses.

It fixes the federation version, installs the coded-error extension and the ``Date`` scalar
override, and leaves error logging to ``CodedErrors`` (which logs only unexpected errors, with
the request id) instead of Strawberry's default of logging every error with its traceback.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from subgraphs.common.errors import CodedErrors
from subgraphs.common.loaders import OperationLoaders
from subgraphs.common.scalars import DATE_SCALAR, LONG_SCALAR, Long

__all__ = ["FEDERATION_VERSION", "SubgraphSchema"]

FEDERATION_VERSION: Final = "2.7"
"""The federation v2 spec version the subgraphs link (``@link(url: ".../federation/v2.7")``)."""


class SubgraphSchema(strawberry.federation.Schema):
    """A federation v2 subgraph schema with coded errors."""

    def __init__(
        self, query: type, mutation: type | None = None, subscription: type | None = None, **kwargs: Any
    ):
        super().__init__(
            query=query,
            mutation=mutation,
            subscription=subscription,
            extensions=[OperationLoaders, CodedErrors],
            scalar_overrides={datetime.date: DATE_SCALAR, Long: LONG_SCALAR},
            federation_version=FEDERATION_VERSION,
            **kwargs,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Do nothing: ``CodedErrors`` logs what deserves a log line."""
