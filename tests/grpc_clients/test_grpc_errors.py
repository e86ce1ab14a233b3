"""The status-code table: every gRPC status maps once onto the project's errors."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import code_pb2, error_details_pb2, status_pb2

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

SERVICE = "insuretech.client_info.v1.ClientInfoService"


class FakeRpcError(grpc.RpcError):  # type: ignore[misc]
    """A failed call as ``grpc.aio`` raises it: code, details and trailing metadata."""

    def __init__(
        self, code: grpc.StatusCode, details: str, metadata: tuple[tuple[str, bytes], ...] = ()
    ) -> None:
        super().__init__(details)
        self._code = code
        self._details = details
        self._metadata = metadata

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def trailing_metadata(self) -> tuple[tuple[str, bytes], ...]:
        return self._metadata


def bad_request(message: str, *violations: tuple[str, str]) -> FakeRpcError:
    status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message=message)
    detail = error_details_pb2.BadRequest(
        field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=f, description=d) for f, d in violations
        ]
    )
    status.details.add().Pack(detail)
    return FakeRpcError(
        grpc.StatusCode.INVALID_ARGUMENT, message, (("grpc-status-details-bin", status.SerializeToString()),)
    )


@pytest.mark.parametrize(
    ("status", "expected", "code"),
    [
        (grpc.StatusCode.NOT_FOUND, NotFoundError, "NOT_FOUND"),
        (grpc.StatusCode.INVALID_ARGUMENT, InvalidArgumentError, "BAD_USER_INPUT"),
        (grpc.StatusCode.OUT_OF_RANGE, InvalidArgumentError, "BAD_USER_INPUT"),
        (grpc.StatusCode.FAILED_PRECONDITION, FailedPreconditionError, "FAILED_PRECONDITION"),
        (grpc.StatusCode.ALREADY_EXISTS, AlreadyExistsError, "ALREADY_EXISTS"),
        (grpc.StatusCode.UNAVAILABLE, UnavailableError, "SERVICE_UNAVAILABLE"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, UnavailableError, "SERVICE_UNAVAILABLE"),
        (grpc.StatusCode.DEADLINE_EXCEEDED, DeadlineExceededError, "SERVICE_UNAVAILABLE"),
        (grpc.StatusCode.INTERNAL, InternalError, "INTERNAL_SERVER_ERROR"),
        (grpc.StatusCode.UNKNOWN, InternalError, "INTERNAL_SERVER_ERROR"),
        (grpc.StatusCode.UNIMPLEMENTED, InternalError, "INTERNAL_SERVER_ERROR"),
        (grpc.StatusCode.PERMISSION_DENIED, InternalError, "INTERNAL_SERVER_ERROR"),
    ],
)
def test_status_table(status: grpc.StatusCode, expected: type[BackendError], code: str) -> None:
    error = from_rpc_error(
        FakeRpcError(status, "detail from the server"), service=SERVICE, method="GetClient"
    )
    assert type(error) is expected
    assert error.code == code
    assert code in ERROR_CODES
    assert (error.service, error.method) == (SERVICE, "GetClient")


def test_safe_errors_keep_the_server_sentence() -> None:
    error = from_rpc_error(FakeRpcError(grpc.StatusCode.NOT_FOUND, "No client has id 'x'."), service=SERVICE)
    assert error.message == "No client has id 'x'."
    assert error.safe


def test_internal_errors_never_carry_the_server_detail() -> None:
    error = from_rpc_error(FakeRpcError(grpc.StatusCode.INTERNAL, "Traceback: secret"), service=SERVICE)
    assert "secret" not in error.message
    assert not error.safe


def test_unavailable_message_names_the_service_not_the_transport_detail() -> None:
    error = from_rpc_error(
        FakeRpcError(grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses; ipv4:10.0.0.1"),
        service=SERVICE,
    )
    assert error.message == "The client_info service is unavailable; retry the request later."


def test_invalid_argument_parses_bad_request_field_violations() -> None:
    exc = bad_request("Invalid value for 'phone'.", ("phone", "Use E.164."), ("birth_date", "In the future."))
    error = from_rpc_error(exc, service=SERVICE)
    assert isinstance(error, InvalidArgumentError)
    assert error.violations == (
        FieldViolation("phone", "Use E.164."),
        FieldViolation("birth_date", "In the future."),
    )


def test_invalid_argument_without_details_has_no_violations() -> None:
    error = from_rpc_error(FakeRpcError(grpc.StatusCode.INVALID_ARGUMENT, "bad"))
    assert isinstance(error, InvalidArgumentError)
    assert error.violations == ()


def test_inconsistent_status_details_are_ignored() -> None:
    exc = bad_request("one message", ("id", "bad"))
    exc._details = "another message"
    error = from_rpc_error(exc)
    assert isinstance(error, InvalidArgumentError)
    assert error.violations == ()


def test_is_transient() -> None:
    assert is_transient(UnavailableError("down"))
    assert is_transient(DeadlineExceededError("slow"))
    assert not is_transient(NotFoundError("gone"))
    assert not is_transient(ValueError("x"))


def test_code_for_status_names() -> None:
    assert code_for_status("INVALID_ARGUMENT") == "BAD_USER_INPUT"
    assert code_for_status("ALREADY_EXISTS") == "ALREADY_EXISTS"
    assert code_for_status("NOT_A_STATUS") == "INTERNAL_SERVER_ERROR"


def test_for_field_builds_one_violation() -> None:
    error = InvalidArgumentError.for_field("id", "Not a UUID.")
    assert error.violations == (FieldViolation("id", "Not a UUID."),)
    assert error.message == "Invalid value for 'id': Not a UUID."
