"""Property tests of the REST surface against its own generated OpenAPI 3.1 document (schemathesis).

A gateway process serves ``deploy/rest.yaml`` over the in-memory applications subgraph; every
operation of the document gets a few deterministic examples, and each response must be no server
error and conform to the document (status code, content type, body schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.persisted_queries import sha256_hex
from tests.gateway.partner_world import DEPLOY, gateway_cluster, write_partners

KEY = "schemathesis-key"


@pytest.fixture(scope="module")
def rest_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BaseSchema]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    partners = write_partners(
        tmp,
        f"""
  - id: fuzzer
    name: Fuzzer
    api_keys: ["sha256:{sha256_hex(KEY)}"]
    manifests: ["{{manifests}}/applications-read.json", "{{manifests}}/applications-write.json"]
""",
    )
    with gateway_cluster(tmp, partners, rest=DEPLOY / "rest.yaml") as (url,):
        yield schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_rest_responses_conform_to_the_openapi_document(rest_schema: BaseSchema) -> None:
    operations = []
    for result in rest_schema.get_all_operations():
        assert isinstance(result, Ok), result  # every operation of the document is well-formed
        operations.append(result.ok())
    assert len(operations) == 6  # the six seed-000 endpoints
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def conforms(case: Case[Any]) -> None:
            case.call_and_validate(headers={"x-api-key": KEY}, checks=CHECKS)

        conforms()
