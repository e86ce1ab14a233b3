"""Conversions between the protobuf messages and the service's domain values."""

from __future__ import annotations

from schema.protos import applications_pb2 as pb
from services.applications.domain import ApplicationInput, VehicleInput
from services.applications.models import Application
from services.applications.operations import BatchItemResult, CreateOutcome, ListFilterRequest
from services.common.validation import to_timestamp

__all__ = [
    "application_input_from_proto",
    "application_to_proto",
    "batch_result_to_proto",
    "create_response",
    "list_filter_from_proto",
    "status_name",
]


def status_name(value: int) -> str:
    """The status name of a proto enum value; unknown numbers come back as their digits (invalid)."""
    try:
        name = pb.ApplicationStatus.Name(value)  # type: ignore[arg-type]
    except ValueError:
        return str(value)
    return name


def application_input_from_proto(message: pb.ApplicationInput) -> ApplicationInput:
    """The domain form of an ``ApplicationInput`` (``vehicle`` is None unless the field is set)."""
    vehicle = None
    if message.HasField("vehicle"):
        v = message.vehicle
        vehicle = VehicleInput(v.vin, v.plate, v.make, v.model, v.year, v.engine_power_hp)
    return ApplicationInput(
        idempotency_key=message.idempotency_key,
        client_id=message.client_id,
        product_id=message.product_id,
        insured_kind=message.insured_object.kind,
        insured_description=message.insured_object.description,
        sum_insured_kopecks=message.sum_insured_kopecks,
        term_months=message.term_months,
        vehicle=vehicle,
        comment=message.comment,
        submit=message.submit,
    )


def list_filter_from_proto(message: pb.ApplicationFilter) -> ListFilterRequest:
    """The filter as sent, with statuses as names."""
    return ListFilterRequest(
        applied_from=message.applied_from,
        applied_to=message.applied_to,
        statuses=tuple(status_name(value) for value in message.statuses),
        client_id=message.client_id,
        product_id=message.product_id,
    )


def application_to_proto(application: Application) -> pb.Application:
    """The ``Application`` message, with its status history (loaded by the repository)."""
    message = pb.Application(
        id=application.id,
        number=application.number,
        client_id=application.client_id,
        product_id=application.product_id,
        status=pb.ApplicationStatus.Value(application.status),
        applied_at=to_timestamp(application.applied_at),
        updated_at=to_timestamp(application.updated_at),
        insured_object=pb.InsuredObject(
            kind=application.insured_kind, description=application.insured_description
        ),
        sum_insured_kopecks=application.sum_insured_kopecks,
        term_months=application.term_months,
        comment=application.comment,
        cancellation_reason=application.cancellation_reason,
        idempotency_key=application.idempotency_key,
    )
    if application.vehicle_vin is not None:
        message.vehicle.CopyFrom(
            pb.VehicleInfo(
                vin=application.vehicle_vin,
                plate=application.vehicle_plate or "",
                make=application.vehicle_make or "",
                model=application.vehicle_model or "",
                year=application.vehicle_year or 0,
                engine_power_hp=application.vehicle_engine_power_hp or 0,
            )
        )
    for entry in application.history:
        message.status_history.append(
            pb.StatusChange(
                status=pb.ApplicationStatus.Value(entry.status),
                at=to_timestamp(entry.at),
                reason=entry.reason,
            )
        )
    return message


def create_response(outcome: CreateOutcome) -> pb.CreateApplicationResponse:
    """The response to ``CreateApplication``."""
    return pb.CreateApplicationResponse(
        application=application_to_proto(outcome.application), created=outcome.created
    )


def batch_result_to_proto(result: BatchItemResult) -> pb.BatchCreateResult:
    """One item of ``BatchCreateApplicationsResponse``."""
    outcome = result.outcome
    if isinstance(outcome, CreateOutcome):
        return pb.BatchCreateResult(
            index=result.index, application=application_to_proto(outcome.application), created=outcome.created
        )
    return pb.BatchCreateResult(
        index=result.index,
        error=pb.ItemError(
            code=outcome.code,
            message=outcome.message,
            field_violations=[
                pb.FieldViolation(field=v.field, description=v.description) for v in outcome.violations
            ],
        ),
    )
