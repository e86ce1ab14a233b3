"""Publishers: selection from the environment, in-memory behaviour, RabbitMQ with confirms."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest
from aio_pika.abc import AbstractChannel

from services.common import broker
from services.common.broker import (
    EVENTS_EXCHANGE,
    BrokerUnavailable,
    InMemoryPublisher,
    OutgoingMessage,
    RabbitPublisher,
    publisher_from_env,
)
from tests.conftest import RABBITMQ_URL, require_service


def message(number: int = 1) -> OutgoingMessage:
    return OutgoingMessage(str(number), "application.created", b'{"n":%d}' % number, {"sequence": number})


def test_all_is_sorted_and_complete() -> None:
    exported = list(broker.__all__)
    assert exported == sorted(exported, key=lambda name: (not name.isupper(), not name[0].isupper(), name))
    assert all(hasattr(broker, name) for name in broker.__all__)


def test_publisher_from_env_picks_rabbitmq_only_when_configured() -> None:
    assert isinstance(publisher_from_env({}), InMemoryPublisher)
    assert isinstance(publisher_from_env({"RABBITMQ_URL": "  "}), InMemoryPublisher)
    rabbit = publisher_from_env({"RABBITMQ_URL": RABBITMQ_URL})
    assert isinstance(rabbit, RabbitPublisher)
    assert rabbit.exchange_name == EVENTS_EXCHANGE
    custom = publisher_from_env({"RABBITMQ_URL": RABBITMQ_URL, "EVENTS_EXCHANGE": "other"})
    assert isinstance(custom, RabbitPublisher)
    assert custom.exchange_name == "other"


async def test_in_memory_publisher_keeps_recent_messages_and_can_be_switched_off() -> None:
    publisher = InMemoryPublisher(capacity=2)
    for number in range(3):
        await publisher.publish(message(number))
    assert [m.message_id for m in publisher.messages] == ["1", "2"]
    assert publisher.published_count == 3
    publisher.available = False
    with pytest.raises(BrokerUnavailable, match="available=False"):
        await publisher.publish(message(9))
    assert publisher.published_count == 3
    await publisher.close()


async def test_unreachable_rabbitmq_raises_broker_unavailable_with_the_cause() -> None:
    publisher = RabbitPublisher("amqp://guest:guest@127.0.0.1:1/", timeout=2)
    with pytest.raises(BrokerUnavailable) as caught:
        await publisher.publish(message())
    assert caught.value.code == "BROKER_UNAVAILABLE"
    assert "'1'" in caught.value.message
    assert caught.value.message.endswith("retried.")
    assert caught.value.__cause__ is not None
    await publisher.close()
    await publisher.close()


@pytest.fixture
async def channel() -> AsyncIterator[AbstractChannel]:
    """A channel on the real RabbitMQ for declaring and inspecting test objects."""
    require_service("RabbitMQ", "127.0.0.1", 5672)
    connection = await aio_pika.connect(RABBITMQ_URL)
    try:
        yield await connection.channel()
    finally:
        await connection.close()


async def test_rabbit_publisher_confirms_and_reconnects_after_a_channel_error(
    channel: AbstractChannel,
) -> None:
    name = f"test.broker.{uuid.uuid4().hex[:12]}"
    publisher = RabbitPublisher(RABBITMQ_URL, name)
    queue = await channel.declare_queue(name, durable=True)
    try:
        await publisher.publish(message(1))  # declares the exchange
        await queue.bind(name, routing_key="application.*")
        await publisher.publish(message(2))
        # Deleting the exchange under the publisher makes the broker close its channel (404).
        await (await channel.get_exchange(name)).delete()
        with pytest.raises(BrokerUnavailable):
            await publisher.publish(message(3))
        await publisher.publish(message(4))  # reconnects and declares the exchange again
        await queue.bind(name, routing_key="#")
        await publisher.publish(message(5))
        received = []
        while (incoming := await queue.get(no_ack=True, fail=False, timeout=5)) is not None:
            received.append(incoming)
        assert [m.message_id for m in received] == ["2", "5"]
        assert received[0].headers == {"sequence": 2}
        assert received[0].delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    finally:
        await publisher.close()
        await queue.delete(if_unused=False, if_empty=False)
        await (await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)).delete()
