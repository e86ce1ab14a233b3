"""Builders, fakes and assertions shared by the core_app tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import event

from grpc_clients.caller import FIRST_PARTY_OWNER, Caller
from schema.protos import core_app_pb2_grpc
from services.common.catalog import INSURERS, client_seed_id, insurer_seed_id, product_seed_id
from services.common.db import Database
from services.common.errors import NotFound
from services.common.server import ServiceSpec, build_server
from services.common.validation import new_id
from services.core_app.applications_peer import ApplicationView
from services.core_app.models import Offer, QuoteSession
from services.core_app.osago import (
    InsurerDecision,
    InsurerProfile,
    InsurerQuoteRequest,
    Offered,
    OsagoConfig,
    RetryPolicy,
    TransientInsurerError,
    osago_premium,
)

__all__ = [
    "APPLICATION_ID",
    "CLIENT_ID",
    "FAST_CONFIG",
    "KnownApplications",
    "ManualClock",
    "ScriptedInsurer",
    "StatementCounter",
    "count_statements",
    "field_violations",
    "grpc_stub",
    "insert_offers",
    "insurer_codes",
    "later",
]

CLIENT_ID = client_seed_id(0)
APPLICATION_ID = "0b8f0e59-6f0e-4c4e-9d0e-6a1f1f1f1f1f"


class KnownApplications:
    """What the applications service answers, as a test sets it (``ApplicationDirectory``).

    ``APPLICATION_ID`` is a first-party OSAGO application of ``CLIENT_ID`` in SUBMITTED; the
    real peer (``BackendApplications``) runs against the real backend in the system tests.
    """

    def __init__(self) -> None:
        self.applications: dict[str, ApplicationView] = {}
        self.add(APPLICATION_ID)
        self.reads: list[tuple[str, Caller]] = []

    def add(
        self,
        application_id: str,
        *,
        owner: str = FIRST_PARTY_OWNER,
        client_id: str = CLIENT_ID,
        status: str = "SUBMITTED",
        product_id: str = product_seed_id("OSAGO-STD"),
    ) -> ApplicationView:
        view = ApplicationView(
            application_id, f"APP-{application_id[:4]}", owner, client_id, product_id, status
        )
        self.applications[application_id] = view
        return view

    async def get(self, application_id: str, caller: Caller) -> ApplicationView:
        self.reads.append((application_id, caller))
        view = self.applications.get(application_id)
        if view is None or not caller.may_see(view.owner):
            raise NotFound(f"Application {application_id!r} does not exist.")
        return view


FAST_CONFIG = OsagoConfig(
    deadline_s=2.0,
    call_timeout_s=0.5,
    poll_interval_s=0.005,
    retry=RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.01),
    breaker_failure_threshold=5,
    breaker_cooldown_s=60.0,
    watch_poll_s=0.05,
    seed=7,
    default_profile=InsurerProfile(
        latency_min_s=0.001,
        latency_max_s=0.01,
        latency_mode_s=0.005,
        call_latency_s=0.001,
        failure_rate=0.0,
        decline_rate=0.0,
    ),
)
"""Millisecond latencies, no random failures: every simulated insurer offers."""


def insurer_codes() -> list[str]:
    """The seeded insurers' codes in seed order."""
    return [insurer.code for insurer in INSURERS]


class ManualClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class ScriptedInsurer:
    """A deterministic ``InsurerGateway``: scripted delays, failures, polls and decision.

    ``decision=None`` prices with the real OSAGO formula from the request.
    """

    decision: InsurerDecision | None = None
    delay_s: float = 0.0
    ready_after_polls: int = 0
    create_failures: int = 0
    poll_failures: int = 0
    calls: list[str] = field(default_factory=list)
    requests: list[InsurerQuoteRequest] = field(default_factory=list)

    async def create_application(self, request: InsurerQuoteRequest) -> str:
        self.calls.append("create_application")
        self.requests.append(request)
        await asyncio.sleep(self.delay_s)
        if self.create_failures > 0:
            self.create_failures -= 1
            raise TransientInsurerError("scripted failure of create_application")
        return f"ref-{len(self.requests)}"

    async def get_offer(self, reference: str) -> InsurerDecision | None:
        self.calls.append("get_offer")
        if self.poll_failures > 0:
            self.poll_failures -= 1
            raise TransientInsurerError("scripted failure of get_offer")
        if self.ready_after_polls > 0:
            self.ready_after_polls -= 1
            return None
        if self.decision is not None:
            return self.decision
        request = self.requests[-1]
        return Offered(
            osago_premium(
                request.base_premium_kopecks,
                engine_power_hp=request.engine_power_hp,
                region=request.region,
                driver_age=request.driver_age,
                driver_experience_years=request.driver_experience_years,
            )
        )


class StatementCounter:
    """The SQL statements an engine executed while counting."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    @property
    def selects(self) -> list[str]:
        """Only the SELECT statements."""
        return [s for s in self.statements if s.lstrip().upper().startswith("SELECT")]


@contextmanager
def count_statements(database: Database) -> Iterator[StatementCounter]:
    """Record every statement the database runs inside the block."""
    counter = StatementCounter()
    event.listen(database.engine.sync_engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", counter)


@asynccontextmanager
async def grpc_stub(spec: ServiceSpec) -> AsyncIterator[core_app_pb2_grpc.CoreAppServiceAsyncStub]:
    """Serve ``spec`` in-process on a free port and yield a client stub; stops everything after."""
    server, port = await build_server(spec, "127.0.0.1:0")
    await server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield core_app_pb2_grpc.CoreAppServiceStub(channel)  # type: ignore[misc]
    finally:
        await channel.close()
        await server.stop(grace=None)
        if spec.on_stop is not None:
            await spec.on_stop()


def field_violations(error: grpc.aio.AioRpcError) -> dict[str, str]:
    """The ``google.rpc.BadRequest`` field violations of a failed call, field → description."""
    status = rpc_status.from_call(error)
    assert status is not None, "the error carries no rich status"
    violations: dict[str, str] = {}
    for detail in status.details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            violations.update({v.field: v.description for v in bad_request.field_violations})
    return violations


def later(hours: float) -> datetime:
    """Now plus ``hours`` (UTC)."""
    return datetime.now(UTC) + timedelta(hours=hours)


async def insert_offers(
    database: Database,
    statuses: list[str],
    *,
    client_id: str = CLIENT_ID,
    application_id: str = APPLICATION_ID,
    premium_kopecks: int = 9_876_00,
    valid_for: timedelta = timedelta(days=3),
    owner: str = FIRST_PARTY_OWNER,
) -> tuple[QuoteSession, list[Offer]]:
    """A quote session (in a seeded catalog) with one offer per status, insurers in seed order."""
    now = datetime.now(UTC)
    session_row = QuoteSession(
        id=new_id(),
        application_id=application_id,
        owner=owner,
        client_id=client_id,
        product_id=product_seed_id("OSAGO-STD"),
        engine_power_hp=150,
        region="77",
        driver_age=30,
        driver_experience_years=10,
        created_at=now,
    )
    offers = []
    for index, status in enumerate(statuses):
        settled = status != "PENDING"
        offers.append(
            Offer(
                id=new_id(),
                session_id=session_row.id,
                application_id=application_id,
                insurer_id=insurer_seed_id(INSURERS[index % len(INSURERS)].code),
                product_id=session_row.product_id,
                status=status,
                premium_kopecks=premium_kopecks if status in {"OFFERED", "ACCEPTED"} else None,
                requested_at=now,
                settled_at=now + timedelta(milliseconds=index) if settled else None,
                valid_until=now + valid_for if status in {"OFFERED", "ACCEPTED"} else None,
                failure_reason=""
                if status in {"OFFERED", "PENDING", "ACCEPTED"}
                else f"{status.lower()} for a test",
            )
        )
    async with database.transaction() as session:
        session.add(session_row)
        await session.flush()
        session.add_all(offers)
    return session_row, offers
