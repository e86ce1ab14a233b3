"""The applications service as core_app sees it: applications to check, events to apply.

Quotes and policies belong to an application that the applications service owns. Before a quote
session starts or a policy is issued, core_app reads the application *as the caller* (the
partner's ``x-partner-id`` goes along), so a partner reaches only its own applications, and
checks that it can still take offers. The outbox relay delivers ``OFFER_MADE`` and
``POLICY_ISSUED`` through ``apply``.

``ApplicationDirectory`` and ``EventSink`` are the seams; ``BackendApplications`` is the real
peer over the applications gRPC client. Its errors are translated here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from grpc_clients.applications import ApplicationsClient
from grpc_clients.caller import Caller
from grpc_clients.errors import (
    BackendError,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
)
from schema.protos import applications_pb2 as pb
from services.common.errors import NotFound, Unavailable
from services.core_app.models import OutboxEvent

__all__ = [
    "FINAL_STATUSES",
    "ApplicationDirectory",
    "ApplicationView",
    "BackendApplications",
    "EventRefused",
    "EventSink",
]

FINAL_STATUSES = frozenset({"CANCELLED", "REJECTED", "COMPLETED"})


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """What core_app needs to know of an application."""

    id: str
    number: str
    owner: str
    client_id: str
    product_id: str
    status: str


class EventRefused(Exception):
    """The applications service answered that an event cannot be applied (it will never be)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ApplicationDirectory(Protocol):
    """Reads applications as a caller sees them."""

    async def get(self, application_id: str, caller: Caller) -> ApplicationView:
        """The application, if ``caller`` may see it.

        Raises:
            NotFound: no such application, or one of another partner.
            Unavailable: the applications service could not be asked.
        """
        ...


class EventSink(Protocol):
    """Where the outbox relay delivers events."""

    async def apply(self, event: OutboxEvent) -> bool:
        """Deliver ``event``; True when it changed the application's status.

        Raises:
            EventRefused: the event can never be applied (unknown or finished application).
            BackendError: a transient failure; the relay retries.
        """
        ...


class BackendApplications:
    """``ApplicationDirectory`` and ``EventSink`` over the applications gRPC client."""

    def __init__(self, client: ApplicationsClient) -> None:
        self.client = client

    async def get(self, application_id: str, caller: Caller) -> ApplicationView:
        try:
            message = await self.client.for_caller(caller).get_application(application_id)
        except NotFoundError as error:
            raise NotFound(f"Application {application_id!r} does not exist.") from error
        except BackendError as error:
            raise Unavailable(
                "The applications service could not be asked about the application; retry later."
            ) from error
        return ApplicationView(
            id=message.id,
            number=message.number,
            owner=message.owner,
            client_id=message.client_id,
            product_id=message.product_id,
            status=pb.ApplicationStatus.Name(message.status),
        )

    async def apply(self, event: OutboxEvent) -> bool:
        request = pb.ApplyCoreEventRequest(
            event_id=event.event_id,
            event_type=pb.CoreEventType.Value(event.event_type),
            application_id=event.application_id,
            reason=event.reason,
        )
        try:
            response = await self.client.apply_core_event(request)
        except (NotFoundError, FailedPreconditionError, InvalidArgumentError) as error:
            raise EventRefused(error.code, error.message) from error
        return response.changed
