# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any; the resolvers stay annotated.)
"""The applications subgraph: the seed's REST API for applications, as GraphQL.

| seed endpoint                      | GraphQL                                          |
| POST /applications                 | createApplication(input, idempotencyKey)         |
| POST /applications/batch           | createApplications(inputs) — per-item results    |
| POST /applications/{id}/cancel     | cancelApplication(id, reason)                    |
| GET /applications/{id}             | application(id)                                  |
| GET /applications?appliedFrom=…    | applications(filter, first, after)               |
| GET /applications/search?q=…       | searchApplications(q, limit)                     |
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from grpc_clients.errors import FieldViolation, InvalidArgumentError, NotFoundError, code_for_status
from resolvers.applications import ApplicationsLoaders
from resolvers.arguments import (
    batch_item_path,
    parse_id,
    rename_violations,
    require_limit,
    violations_message,
)
from resolvers.context import RequestContext
from schema.protos import applications_pb2 as pb
from subgraphs.applications.inputs import ApplicationBatchInput, ApplicationFilter, ApplicationInput
from subgraphs.applications.types import Application, ApplicationStatus, Client, Product
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.types import FieldError, PageInfo

__all__ = [
    "ApplicationConnection",
    "CreateApplicationPayload",
    "CreateApplicationResult",
    "ItemError",
    "Mutation",
    "Query",
    "schema",
]

ApplicationsInfo = Info[RequestContext[ApplicationsLoaders], None]

MAX_PAGE = 100
_SINGLE_CREATE_RENAMES = {"input.idempotency_key": "idempotencyKey"}
_LIST_RENAMES = {"page_token": "after", "page_size": "first", "filter.statuses": "filter.status"}
_BATCH_ITEM_FIELDS = frozenset({"idempotency_key"})
"""Fields of a batch item itself; every other field of an item is under its ``application``."""


@strawberry.type(description="A page of applications, newest first.")
class ApplicationConnection:
    nodes: list[Application]
    page_info: PageInfo


@strawberry.type
class CreateApplicationPayload:
    application: Application
    created: bool = strawberry.field(
        description="False when the idempotency key was used before: this is the application created then."
    )


@strawberry.type(description="Why one item of a batch failed.")
class ItemError:
    code: str = strawberry.field(description="BAD_USER_INPUT, ALREADY_EXISTS, NOT_FOUND, …")
    message: str
    field_errors: list[FieldError]


@strawberry.type(description="The outcome of one item of createApplications: an application or an error.")
class CreateApplicationResult:
    index: int = strawberry.field(description="The item's position in `inputs`.")
    application: Application | None
    created: bool
    error: ItemError | None

    @classmethod
    def from_proto(cls, result: pb.BatchCreateResult) -> CreateApplicationResult:
        """The GraphQL result of one proto batch item."""
        if result.WhichOneof("outcome") == "application":
            return cls(
                index=result.index,
                application=Application.from_proto(result.application),
                created=result.created,
                error=None,
            )
        error = result.error
        code = code_for_status(error.code)
        fields = [
            (batch_item_path(v.field, "application", own=_BATCH_ITEM_FIELDS), v.description)
            for v in error.field_violations
        ]
        # A validation message names its fields: rebuilt from the GraphQL paths, not the proto's.
        message = violations_message(fields) if fields and code == "BAD_USER_INPUT" else error.message
        return cls(
            index=result.index,
            application=None,
            created=False,
            error=ItemError(
                code=code,
                message=message,
                field_errors=[FieldError.from_violation(FieldViolation(f, text)) for f, text in fields],
            ),
        )


@strawberry.type
class Query:
    @strawberry.field(description="One application; a NOT_FOUND error when the id is unknown.")
    async def application(self, info: ApplicationsInfo, id: strawberry.ID) -> Application | None:
        application_id = parse_id(id, "id")
        message = await info.context.loaders.applications.load(application_id)
        if message is None:
            raise NotFoundError(f"No application has id {application_id!r}; check the id.")
        return Application.from_proto(message)

    @strawberry.field(description="Applications matching `filter`, newest first, with cursor pagination.")
    async def applications(
        self,
        info: ApplicationsInfo,
        filter: ApplicationFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ApplicationConnection:
        require_limit(first, "first", maximum=MAX_PAGE)
        proto_filter = (filter or ApplicationFilter()).to_proto()
        try:
            response = await info.context.loaders.backend.list_applications(proto_filter, first, after or "")
        except InvalidArgumentError as error:
            raise rename_violations(error, _LIST_RENAMES) from error
        return ApplicationConnection(
            nodes=[Application.from_proto(message) for message in response.applications],
            page_info=PageInfo(
                has_next_page=bool(response.next_page_token), end_cursor=response.next_page_token or None
            ),
        )

    @strawberry.field(
        description="Full-text search over number, comment, insured object and cancellation reason."
    )
    async def search_applications(self, info: ApplicationsInfo, q: str, limit: int = 20) -> list[Application]:
        require_limit(limit, "limit", maximum=MAX_PAGE)
        try:
            messages = await info.context.loaders.backend.search_applications(q, limit)
        except InvalidArgumentError as error:
            raise rename_violations(error, {"query": "q"}) from error
        return [Application.from_proto(message) for message in messages]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create an application; retrying with the same idempotencyKey is safe.")
    async def create_application(
        self, info: ApplicationsInfo, input: ApplicationInput, idempotency_key: str
    ) -> CreateApplicationPayload:
        try:
            response = await info.context.loaders.backend.create_application(input.to_proto(idempotency_key))
        except InvalidArgumentError as error:
            raise rename_violations(error, _SINGLE_CREATE_RENAMES) from error
        return CreateApplicationPayload(
            application=Application.from_proto(response.application), created=response.created
        )

    @strawberry.mutation(description="Create up to 100 applications; each item succeeds or fails on its own.")
    async def create_applications(
        self, info: ApplicationsInfo, inputs: list[ApplicationBatchInput]
    ) -> list[CreateApplicationResult]:
        try:
            results = await info.context.loaders.backend.batch_create_applications(
                [item.to_proto() for item in inputs]
            )
        except InvalidArgumentError as error:
            raise rename_violations(error) from error
        return [CreateApplicationResult.from_proto(result) for result in results]

    @strawberry.mutation(
        description="Cancel from DRAFT, SUBMITTED, PROCESSING or OFFERED; else FAILED_PRECONDITION."
    )
    async def cancel_application(self, info: ApplicationsInfo, id: strawberry.ID, reason: str) -> Application:
        message = await info.context.loaders.backend.cancel_application(parse_id(id, "id"), reason)
        return Application.from_proto(message)

    @strawberry.mutation(description="Move an application along the state machine (back office).")
    async def transition_application(
        self, info: ApplicationsInfo, id: strawberry.ID, to_status: ApplicationStatus, reason: str = ""
    ) -> Application:
        try:
            message = await info.context.loaders.backend.transition_application(
                parse_id(id, "id"), to_status.to_proto(), reason
            )
        except InvalidArgumentError as error:
            raise rename_violations(error) from error
        return Application.from_proto(message)


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[Application, Client, Product])
