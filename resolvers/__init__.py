"""Per-request DataLoaders, argument validation and proto value conversion for the subgraphs.

Every loader's batch function makes exactly one batch RPC for all the keys of a tick; the
containers (``ClientInfoLoaders``, ``ApplicationsLoaders``, ``CoreAppLoaders``) are created
per request by the subgraph's context getter.
"""

from __future__ import annotations

from resolvers.applications import ApplicationsLoaders, ClientApplicationsKey, ClientApplicationsLoader
from resolvers.arguments import graphql_path, parse_id, parse_ids, rename_violations, require_limit
from resolvers.batching import MAX_BATCH_SIZE, BatchLoader, order_by_keys, unique
from resolvers.client_info import CARD_SECTIONS, ClientInfoLoaders, ClientKey, ClientLoader
from resolvers.context import RequestContext, new_request_id
from resolvers.convert import age_on, format_rubles, optional_date, optional_str, optional_timestamp
from resolvers.core_app import CoreAppLoaders
from resolvers.selection import field_names, selected_fields

__all__ = [
    "CARD_SECTIONS",
    "MAX_BATCH_SIZE",
    "ApplicationsLoaders",
    "BatchLoader",
    "ClientApplicationsKey",
    "ClientApplicationsLoader",
    "ClientInfoLoaders",
    "ClientKey",
    "ClientLoader",
    "CoreAppLoaders",
    "RequestContext",
    "age_on",
    "field_names",
    "format_rubles",
    "graphql_path",
    "new_request_id",
    "optional_date",
    "optional_str",
    "optional_timestamp",
    "order_by_keys",
    "parse_id",
    "parse_ids",
    "rename_violations",
    "require_limit",
    "selected_fields",
    "unique",
]
