"""The caller of a backend method, read from its gRPC metadata (see ``grpc_clients.caller``)."""

from __future__ import annotations

from typing import Any

import grpc

from grpc_clients.caller import PARTNER_ID_KEY, Caller, InvalidCallerError, caller_from_metadata
from services.common.errors import FieldViolation, InvalidArgument

__all__ = ["caller_of"]


def caller_of(context: grpc.aio.ServicerContext[Any, Any]) -> Caller:
    """The partner a call acts for (``x-partner-id`` metadata), or the first party without it.

    Raises:
        InvalidArgument: the metadata holds something that is not a partner id.
    """
    try:
        return caller_from_metadata(context.invocation_metadata())
    except InvalidCallerError as error:
        raise InvalidArgument.for_fields([FieldViolation(PARTNER_ID_KEY, str(error))]) from error
