"""Text no database can store is refused at every backend's gRPC boundary, field by field."""

from __future__ import annotations

from schema.protos import applications_pb2 as pb
from services.common.storable_text import MAX_VIOLATIONS, is_storable, unstorable_text


def test_every_nested_and_repeated_string_is_checked() -> None:
    request = pb.BatchCreateApplicationsRequest(
        inputs=[
            pb.ApplicationInput(idempotency_key="fine-key-1", comment="ok"),
            pb.ApplicationInput(
                idempotency_key="bad\x00key",
                insured_object=pb.InsuredObject(description="a\x00b"),
                vehicle=pb.VehicleInfo(vin="\x00"),
            ),
        ]
    )
    assert unstorable_text(request) == [
        "inputs[1].idempotency_key",
        "inputs[1].insured_object.description",
        "inputs[1].vehicle.vin",
    ]
    filter_request = pb.ListApplicationsRequest(
        filter=pb.ApplicationFilter(client_id="\x00"), page_token="ok"
    )
    assert unstorable_text(filter_request) == ["filter.client_id"]
    assert unstorable_text(pb.SearchApplicationsRequest(query="ложка")) == []
    assert is_storable("ложка")
    assert not is_storable("\x00")


def test_a_hostile_request_gets_a_bounded_answer() -> None:
    request = pb.BatchGetApplicationsRequest(ids=["\x00"] * 1000)
    assert len(unstorable_text(request)) == MAX_VIOLATIONS
