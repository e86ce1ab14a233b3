"""The thin ``grpc.aio`` servicer: protobuf in, ``Applications`` use case, protobuf out.

Each method reads its caller from the ``x-partner-id`` metadata (``caller_of``) and passes it to
the use case. Domain errors propagate; the server's ``ErrorInterceptor`` turns them into gRPC
statuses.
"""

from __future__ import annotations

from typing import Any

import grpc

from schema.protos import applications_pb2 as pb
from schema.protos import applications_pb2_grpc as pb_grpc
from services.applications.convert import (
    application_input_from_proto,
    application_to_proto,
    batch_result_to_proto,
    core_event_name,
    create_response,
    history_requested,
    list_filter_from_proto,
    status_name,
)
from services.applications.operations import Applications
from services.common.caller import caller_of

__all__ = ["ApplicationsServicer"]


class ApplicationsServicer(pb_grpc.ApplicationsServiceServicer):
    """Serves ``insuretech.applications.v1.ApplicationsService`` over ``Applications``."""

    def __init__(self, applications: Applications) -> None:
        self.applications = applications

    async def CreateApplication(
        self, request: pb.CreateApplicationRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.CreateApplicationResponse:
        outcome = await self.applications.create(
            application_input_from_proto(request.input), caller_of(context)
        )
        return create_response(outcome)

    async def BatchCreateApplications(
        self, request: pb.BatchCreateApplicationsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.BatchCreateApplicationsResponse:
        results = await self.applications.batch_create(
            [application_input_from_proto(i) for i in request.inputs], caller_of(context)
        )
        return pb.BatchCreateApplicationsResponse(results=[batch_result_to_proto(r) for r in results])

    async def CancelApplication(
        self, request: pb.CancelApplicationRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.Application:
        cancelled = await self.applications.cancel(request.id, request.reason, caller_of(context))
        return application_to_proto(cancelled)

    async def TransitionApplication(
        self, request: pb.TransitionApplicationRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.Application:
        application = await self.applications.transition(
            request.id, status_name(request.to_status), request.reason, caller_of(context)
        )
        return application_to_proto(application)

    async def GetApplication(
        self, request: pb.GetApplicationRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.Application:
        return application_to_proto(await self.applications.get(request.id, caller_of(context)))

    async def BatchGetApplications(
        self, request: pb.BatchGetApplicationsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.BatchGetApplicationsResponse:
        found, missing = await self.applications.batch_get(list(request.ids), caller_of(context))
        return pb.BatchGetApplicationsResponse(
            applications=[application_to_proto(a) for a in found], missing_ids=missing
        )

    async def ListApplications(
        self, request: pb.ListApplicationsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ListApplicationsResponse:
        page, token = await self.applications.list_page(
            list_filter_from_proto(request.filter), request.page_size, request.page_token, caller_of(context)
        )
        return pb.ListApplicationsResponse(
            applications=[application_to_proto(a) for a in page], next_page_token=token
        )

    async def SearchApplications(
        self, request: pb.SearchApplicationsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.SearchApplicationsResponse:
        found = await self.applications.search(request.query, request.limit, caller_of(context))
        return pb.SearchApplicationsResponse(applications=[application_to_proto(a) for a in found])

    async def BatchListApplicationsByClient(
        self, request: pb.BatchListApplicationsByClientRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.BatchListApplicationsByClientResponse:
        grouped = await self.applications.list_by_clients(
            list(request.client_ids),
            request.limit_per_client,
            caller_of(context),
            with_history=history_requested(request),
        )
        return pb.BatchListApplicationsByClientResponse(
            results=[
                pb.ClientApplications(
                    client_id=client_id, applications=[application_to_proto(a) for a in found]
                )
                for client_id, found in grouped
            ]
        )

    async def ApplyCoreEvent(
        self, request: pb.ApplyCoreEventRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.ApplyCoreEventResponse:
        outcome = await self.applications.apply_core_event(
            request.event_id, core_event_name(request.event_type), request.application_id, request.reason
        )
        return pb.ApplyCoreEventResponse(
            application=application_to_proto(outcome.application), changed=outcome.changed
        )
