"""Typed ``grpc.aio`` clients of the backend services.

One shared channel per backend (``open_channel``), one client class per service, and one
error table (``from_rpc_error``) that turns ``grpc.RpcError`` into the project's errors.
"""

from __future__ import annotations

from grpc_clients.applications import ApplicationsClient
from grpc_clients.base import BackendClient
from grpc_clients.channels import (
    APPLICATIONS,
    CLIENT_INFO,
    CORE_APP,
    DEFAULT_TIMEOUT_SECONDS,
    BackendSpec,
    ChannelSettings,
    open_channel,
    service_config,
    settings_from_env,
)
from grpc_clients.client_info import ClientInfoClient
from grpc_clients.core_app import CoreAppClient
from grpc_clients.errors import (
    ERROR_CODES,
    AlreadyExistsError,
    BackendError,
    DeadlineExceededError,
    FailedPreconditionError,
    FieldViolation,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    UnavailableError,
    code_for_status,
    from_rpc_error,
    is_transient,
)
from grpc_clients.health import check_serving
from grpc_clients.metrics import (
    ClientMetrics,
    ClientMetricsInterceptor,
    StreamMetricsInterceptor,
    client_interceptors,
)

__all__ = [
    "APPLICATIONS",
    "CLIENT_INFO",
    "CORE_APP",
    "DEFAULT_TIMEOUT_SECONDS",
    "ERROR_CODES",
    "AlreadyExistsError",
    "ApplicationsClient",
    "BackendClient",
    "BackendError",
    "BackendSpec",
    "ChannelSettings",
    "ClientInfoClient",
    "ClientMetrics",
    "ClientMetricsInterceptor",
    "CoreAppClient",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "FieldViolation",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "StreamMetricsInterceptor",
    "UnavailableError",
    "check_serving",
    "client_interceptors",
    "code_for_status",
    "from_rpc_error",
    "is_transient",
    "open_channel",
    "service_config",
    "settings_from_env",
]
