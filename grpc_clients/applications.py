"""Typed async client of ``insuretech.applications.v1.ApplicationsService``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from grpc_clients.base import BackendClient
from grpc_clients.channels import APPLICATIONS, BackendSpec
from schema.protos import applications_pb2 as pb
from schema.protos import applications_pb2_grpc

__all__ = ["ApplicationsClient"]


class ApplicationsClient(BackendClient):
    """The applications backend: creation (idempotent), state machine, listing and search."""

    spec: ClassVar[BackendSpec] = APPLICATIONS
    stub_type = applications_pb2_grpc.ApplicationsServiceStub

    async def create_application(self, application: pb.ApplicationInput) -> pb.CreateApplicationResponse:
        """Create one application; the same idempotency key returns the first one (created=False)."""
        request = pb.CreateApplicationRequest(input=application)
        return await self._unary("CreateApplication", request, pb.CreateApplicationResponse)

    async def batch_create_applications(
        self, inputs: Sequence[pb.ApplicationInput]
    ) -> list[pb.BatchCreateResult]:
        """Create up to 100 applications; each result holds an application or an item error."""
        request = pb.BatchCreateApplicationsRequest(inputs=list(inputs))
        response = await self._unary("BatchCreateApplications", request, pb.BatchCreateApplicationsResponse)
        return list(response.results)

    async def cancel_application(self, application_id: str, reason: str) -> pb.Application:
        """Cancel from a cancellable state; FailedPreconditionError otherwise."""
        request = pb.CancelApplicationRequest(id=application_id, reason=reason)
        return await self._unary("CancelApplication", request, pb.Application)

    async def transition_application(
        self, application_id: str, to_status: pb.ApplicationStatus.ValueType, reason: str = ""
    ) -> pb.Application:
        """Move an application along the state machine (back office)."""
        request = pb.TransitionApplicationRequest(id=application_id, to_status=to_status, reason=reason)
        return await self._unary("TransitionApplication", request, pb.Application)

    async def get_application(self, application_id: str) -> pb.Application:
        """One application; NotFoundError when unknown."""
        return await self._unary(
            "GetApplication", pb.GetApplicationRequest(id=application_id), pb.Application
        )

    async def batch_get_applications(self, ids: Sequence[str]) -> pb.BatchGetApplicationsResponse:
        """Many applications in one call; unknown ids come back in ``missing_ids``."""
        request = pb.BatchGetApplicationsRequest(ids=list(ids))
        return await self._unary("BatchGetApplications", request, pb.BatchGetApplicationsResponse)

    async def list_applications(
        self, filter: pb.ApplicationFilter, page_size: int = 0, page_token: str = ""
    ) -> pb.ListApplicationsResponse:
        """One page, newest first; ``next_page_token`` is empty on the last page."""
        request = pb.ListApplicationsRequest(filter=filter, page_size=page_size, page_token=page_token)
        return await self._unary("ListApplications", request, pb.ListApplicationsResponse)

    async def search_applications(self, query: str, limit: int = 0) -> list[pb.Application]:
        """Full-text search over number, comment, insured object and cancellation reason."""
        request = pb.SearchApplicationsRequest(query=query, limit=limit)
        response = await self._unary("SearchApplications", request, pb.SearchApplicationsResponse)
        return list(response.applications)

    async def batch_list_applications_by_client(
        self, client_ids: Sequence[str], limit_per_client: int = 0, *, with_history: bool = True
    ) -> list[pb.ClientApplications]:
        """The newest applications of each client, in one call.

        ``with_history=False`` sends a ``read_mask`` without ``status_history``: the backend
        then neither reads nor sends the histories.
        """
        request = pb.BatchListApplicationsByClientRequest(
            client_ids=list(client_ids), limit_per_client=limit_per_client
        )
        if not with_history:
            request.read_mask.paths.append("id")
        response = await self._unary(
            "BatchListApplicationsByClient", request, pb.BatchListApplicationsByClientResponse
        )
        return list(response.results)

    async def apply_core_event(self, request: pb.ApplyCoreEventRequest) -> pb.ApplyCoreEventResponse:
        """Apply an event of core_app to an application, exactly once per event id (never retried here)."""
        return await self._unary("ApplyCoreEvent", request, pb.ApplyCoreEventResponse)
