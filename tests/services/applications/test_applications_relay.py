"""The outbox relay: in-memory unit tests and end-to-end tests against the real RabbitMQ."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue
from sqlalchemy import select

from grpc_clients.caller import FIRST_PARTY
from insuretech_cli.probe import check_file
from services.applications.app import build_spec
from services.applications.models import OutboxEvent
from services.applications.operations import Applications
from services.applications.relay import OutboxRelay, RelaySettings, to_message
from services.common.broker import BrokerUnavailable, InMemoryPublisher, OutgoingMessage, RabbitPublisher
from services.common.db import Database
from tests.conftest import RABBITMQ_URL, require_service
from tests.services.applications.applications_harness import KnownReferences, make_input

UNREACHABLE_URL = "amqp://guest:guest@127.0.0.1:1/"
FAST = RelaySettings(batch_size=100, poll_interval=0.01, initial_backoff=0.01, max_backoff=0.05)


# -- helpers ----------------------------------------------------------------------------------


async def make_history(applications: Applications, count: int = 3) -> list[str]:
    """Create ``count`` applications; submit every one and cancel every other: 2–3 events each."""
    ids = []
    for index in range(count):
        application = (await applications.create(make_input(), caller=FIRST_PARTY)).application
        await applications.transition(application.id, "SUBMITTED", "", caller=FIRST_PARTY)
        if index % 2 == 0:
            await applications.cancel(application.id, "changed my mind", caller=FIRST_PARTY)
        ids.append(application.id)
    return ids


async def outbox_rows(database: Database) -> list[OutboxEvent]:
    """Every outbox row, in id order."""
    async with database.reader() as session:
        return list((await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars())


async def unpublished_count(database: Database) -> int:
    return sum(row.published_at is None for row in await outbox_rows(database))


async def wait_until(condition: Callable[[], bool], polls: int = 1000) -> None:
    """Poll ``condition`` every 10 ms; fail after ``polls`` polls (10 s)."""
    for _ in range(polls):
        if condition():
            return
        await asyncio.sleep(0.01)
    pytest.fail("The relay did not reach the expected state within 10 s.")


def assert_ordered_once(messages: list[OutgoingMessage], rows: list[OutboxEvent]) -> None:
    """Each row arrived exactly once, and each application's events arrived in sequence order."""
    assert sorted(int(m.message_id) for m in messages) == [row.id for row in rows]
    by_aggregate: dict[str, list[int]] = {}
    for message in messages:
        by_aggregate.setdefault(str(message.headers["aggregate_id"]), []).append(
            int(message.headers["sequence"])
        )
    for sequences in by_aggregate.values():
        assert sequences == list(range(1, len(sequences) + 1))


class FailingAfter:
    """A publisher that confirms ``limit`` messages, then fails like a dropped connection."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.messages: list[OutgoingMessage] = []

    async def publish(self, message: OutgoingMessage) -> None:
        if len(self.messages) >= self.limit:
            raise BrokerUnavailable("Connection lost.")
        self.messages.append(message)

    async def close(self) -> None:
        pass


# -- unit tests with the in-memory publisher --------------------------------------------------


async def test_to_message_carries_ids_headers_and_json_body(applications: Applications) -> None:
    application = (await applications.create(make_input(), caller=FIRST_PARTY)).application
    (row,) = await outbox_rows(applications.database)
    message = to_message(row)
    assert message.message_id == str(row.id)
    assert message.routing_key == "application.created"
    assert message.content_type == "application/json"
    assert json.loads(message.body) == row.payload
    assert message.headers == {
        "event_type": "application.created",
        "event_id": row.event_id,
        "aggregate_type": "application",
        "aggregate_id": application.id,
        "sequence": 1,
        "created_at": row.created_at.isoformat(),
    }


async def test_relay_publishes_every_event_once_in_order_and_marks_them(applications: Applications) -> None:
    await make_history(applications, count=5)
    publisher = InMemoryPublisher()
    relay = OutboxRelay(applications.database, publisher, RelaySettings(batch_size=3))
    rows = await outbox_rows(applications.database)

    assert await relay.run_until_idle() == len(rows) == 13
    assert_ordered_once(list(publisher.messages), rows)
    assert [int(m.message_id) for m in publisher.messages] == [row.id for row in rows]
    assert await unpublished_count(applications.database) == 0
    assert await relay.run_until_idle() == 0
    assert len(publisher.messages) == 13


async def test_unavailable_broker_marks_nothing(applications: Applications) -> None:
    await make_history(applications)
    publisher = InMemoryPublisher()
    publisher.available = False
    relay = OutboxRelay(applications.database, publisher)
    with pytest.raises(BrokerUnavailable):
        await relay.relay_batch()
    assert await unpublished_count(applications.database) == len(await outbox_rows(applications.database))


async def test_failure_mid_batch_marks_only_the_confirmed_prefix(applications: Applications) -> None:
    await make_history(applications)
    rows = await outbox_rows(applications.database)
    failing = FailingAfter(limit=3)
    with pytest.raises(BrokerUnavailable):
        await OutboxRelay(applications.database, failing).relay_batch()
    published = [row.id for row in await outbox_rows(applications.database) if row.published_at is not None]
    assert published == [row.id for row in rows[:3]]

    restarted = InMemoryPublisher()
    assert await OutboxRelay(applications.database, restarted).run_until_idle() == len(rows) - 3
    assert_ordered_once([*failing.messages, *restarted.messages], rows)


async def test_run_backs_off_while_the_broker_is_down_then_catches_up(applications: Applications) -> None:
    await make_history(applications)
    publisher = InMemoryPublisher()
    publisher.available = False
    relay = OutboxRelay(applications.database, publisher, FAST)
    relay.start()
    try:
        await wait_until(lambda: relay.failures >= 3)
        assert await unpublished_count(applications.database) == 8
        publisher.available = True
        await wait_until(lambda: relay.published == 8)
        # A change made while the relay runs is picked up by polling.
        await applications.create(make_input(), caller=FIRST_PARTY)
        await wait_until(lambda: relay.published == 9)
    finally:
        await relay.stop()
    assert await unpublished_count(applications.database) == 0
    assert_ordered_once(list(publisher.messages), await outbox_rows(applications.database))


async def test_run_renews_the_heartbeat_file_while_the_broker_is_down(
    applications: Applications, tmp_path: Path
) -> None:
    heartbeat = tmp_path / "relay-heartbeat"
    publisher = InMemoryPublisher()
    publisher.available = False
    await make_history(applications)
    relay = OutboxRelay(applications.database, publisher, replace(FAST, heartbeat_path=str(heartbeat)))
    relay.start()
    try:
        await wait_until(heartbeat.exists)
        first = heartbeat.stat().st_mtime_ns
        await wait_until(lambda: relay.failures >= 3 and heartbeat.stat().st_mtime_ns > first)
    finally:
        await relay.stop()
    assert check_file(str(heartbeat), max_age=60) is None
    assert "last renewed" in (check_file(str(heartbeat), max_age=-1) or "")


async def test_build_spec_on_stop_stops_the_relay(applications_database: Database) -> None:
    relay = OutboxRelay(applications_database, InMemoryPublisher(), FAST)
    task = relay.start()
    spec = build_spec(applications_database, relay, references=KnownReferences())
    assert spec.on_stop is not None
    await spec.on_stop()
    assert task.done()
    assert not task.cancelled()


# -- the real RabbitMQ ------------------------------------------------------------------------


@dataclass
class Binding:
    """A unique exchange and a queue bound to it with ``#``."""

    exchange: str
    queue: AbstractQueue


@pytest.fixture
async def rabbit() -> AsyncIterator[Binding]:
    """A fresh durable topic exchange and bound queue on the real broker, deleted afterwards."""
    require_service("RabbitMQ", "127.0.0.1", 5672)
    suffix = uuid.uuid4().hex[:12]
    connection = await aio_pika.connect(RABBITMQ_URL)
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            f"test.relay.{suffix}", aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(f"test.relay.{suffix}", durable=True)
        await queue.bind(exchange, routing_key="#")
        yield Binding(exchange.name, queue)
        await queue.delete(if_unused=False, if_empty=False)
        await exchange.delete()
    finally:
        await connection.close()


async def drain(queue: AbstractQueue) -> list[AbstractIncomingMessage]:
    """Every message in ``queue`` right now (acknowledged)."""
    received = []
    while (message := await queue.get(no_ack=True, fail=False, timeout=5)) is not None:
        received.append(message)
    return received


def as_outgoing(message: AbstractIncomingMessage) -> OutgoingMessage:
    headers: dict[str, Any] = dict(message.headers)
    assert message.message_id is not None
    assert message.routing_key is not None
    return OutgoingMessage(message.message_id, message.routing_key, message.body, headers)


async def test_rabbitmq_receives_every_event_once_in_order(
    applications: Applications, rabbit: Binding
) -> None:
    await make_history(applications, count=4)
    relay = OutboxRelay(applications.database, RabbitPublisher(RABBITMQ_URL, rabbit.exchange))
    try:
        assert await relay.run_until_idle() == 10
    finally:
        await relay.stop()
    rows = await outbox_rows(applications.database)
    received = await drain(rabbit.queue)
    assert_ordered_once([as_outgoing(m) for m in received], rows)
    assert all(row.published_at is not None for row in rows)
    by_id = {str(row.id): row for row in rows}
    for message in received:
        row = by_id[str(message.message_id)]
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert message.content_type == "application/json"
        assert message.routing_key == row.event_type
        assert json.loads(message.body) == row.payload
        assert message.headers["event_type"] == row.event_type
        assert message.headers["aggregate_id"] == row.aggregate_id
        assert message.headers["sequence"] == row.sequence


async def test_unreachable_rabbitmq_marks_nothing_and_keeps_retrying(applications: Applications) -> None:
    await make_history(applications)
    relay = OutboxRelay(applications.database, RabbitPublisher(UNREACHABLE_URL, timeout=2), FAST)
    with pytest.raises(BrokerUnavailable) as caught:
        await relay.relay_batch()
    assert caught.value.code == "BROKER_UNAVAILABLE"
    relay.start()
    try:
        await wait_until(lambda: relay.failures >= 4)
    finally:
        await relay.stop()
    assert relay.published == 0
    assert await unpublished_count(applications.database) == 8


async def test_restart_after_failure_republishes_only_unpublished_rows(
    applications: Applications, rabbit: Binding
) -> None:
    ids = await make_history(applications)
    first = OutboxRelay(
        applications.database, RabbitPublisher(RABBITMQ_URL, rabbit.exchange), RelaySettings(3)
    )
    try:
        assert await first.relay_batch() == 3
    finally:
        await first.stop()
    broken = OutboxRelay(applications.database, RabbitPublisher(UNREACHABLE_URL, timeout=2))
    with pytest.raises(BrokerUnavailable):
        await broken.run_until_idle()
    await broken.stop()
    await applications.transition(ids[1], "PROCESSING", "", caller=FIRST_PARTY)
    assert await unpublished_count(applications.database) == 6

    restarted = OutboxRelay(applications.database, RabbitPublisher(RABBITMQ_URL, rabbit.exchange))
    try:
        assert await restarted.run_until_idle() == 6
    finally:
        await restarted.stop()
    received = [as_outgoing(m) for m in await drain(rabbit.queue)]
    assert_ordered_once(received, await outbox_rows(applications.database))
    assert await unpublished_count(applications.database) == 0
