"""Publishing events to the message broker: a ``Publisher`` seam, RabbitMQ and in-memory.

The outbox relay publishes through the ``Publisher`` protocol, so it never sees aio-pika.
``RabbitPublisher`` sends persistent messages to a durable topic exchange and returns only
after the broker confirmed each one (publisher confirms); ``InMemoryPublisher`` is the embedded
default, so a developer stack runs without a broker. ``publisher_from_env`` picks one.

See https://www.rabbitmq.com/docs/confirms for publisher confirms.
"""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange

__all__ = [
    "BROKER_UNAVAILABLE",
    "EVENTS_EXCHANGE",
    "BrokerUnavailable",
    "InMemoryPublisher",
    "OutgoingMessage",
    "Publisher",
    "RabbitPublisher",
    "publisher_from_env",
]

EVENTS_EXCHANGE: Final = "insuretech.events"
"""The durable topic exchange domain events go to; the routing key is the event type."""

BROKER_UNAVAILABLE: Final = "BROKER_UNAVAILABLE"
"""Error code: the broker could not be reached or did not confirm a message."""


class BrokerUnavailable(Exception):
    """The broker did not take a message (unreachable, connection lost, nack, timeout).

    Transient by nature: the caller keeps the message and retries later.
    """

    code: Final = BROKER_UNAVAILABLE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message to publish."""

    message_id: str
    """Stable id of the message; consumers deduplicate on it."""
    routing_key: str
    """Topic routing key (the event type, ``application.created``)."""
    body: bytes
    """The JSON body."""
    headers: Mapping[str, str | int] = field(default_factory=dict)
    """AMQP headers (event type, aggregate id, sequence …)."""
    content_type: str = "application/json"


class Publisher(Protocol):
    """Where the relay sends messages.

    ``publish`` returns only once the broker has taken responsibility for the message and raises
    ``BrokerUnavailable`` otherwise; ``close`` releases connections and is safe to call twice.
    """

    async def publish(self, message: OutgoingMessage) -> None: ...

    async def close(self) -> None: ...


class InMemoryPublisher:
    """Keeps published messages in memory (the embedded default and the unit-test seam).

    Args:
        capacity: how many recent messages to keep; older ones are dropped so a long-running
            embedded stack does not grow without bound (``published_count`` still counts them).

    Set ``available = False`` to make ``publish`` fail as an unreachable broker would.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.messages: collections.deque[OutgoingMessage] = collections.deque(maxlen=capacity)
        self.published_count = 0
        self.available = True

    async def publish(self, message: OutgoingMessage) -> None:
        """Record ``message``, or raise ``BrokerUnavailable`` when ``available`` is False."""
        if not self.available:
            raise BrokerUnavailable("The in-memory broker is switched off (available=False); retry later.")
        self.messages.append(message)
        self.published_count += 1

    async def close(self) -> None:
        """Nothing to release."""


class RabbitPublisher:
    """Publishes persistent messages to a durable topic exchange with publisher confirms.

    Connects lazily on the first ``publish`` and again after any failure, so a broker outage
    only delays messages. Every aio-pika/aiormq/OS failure is translated once, here, into
    ``BrokerUnavailable``.

    Args:
        url: ``amqp://user:password@host:port/vhost``.
        exchange: the topic exchange to declare (durable) and publish to.
        timeout: seconds to wait for a connection or for one confirm.
    """

    def __init__(self, url: str, exchange: str = EVENTS_EXCHANGE, *, timeout: float = 10.0) -> None:
        self.url = url
        self.exchange_name = exchange
        self.timeout = timeout
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None

    async def publish(self, message: OutgoingMessage) -> None:
        """Send ``message`` and wait for the broker's confirm.

        Raises:
            BrokerUnavailable: no connection, the channel closed, the broker nacked or the
                confirm did not arrive within ``timeout``; the connection is reset.
        """
        import aio_pika  # only RabbitMQ deployments need aio-pika

        try:
            exchange = await self._ensure_exchange()
            amqp_message = aio_pika.Message(
                message.body,
                message_id=message.message_id,
                headers=dict(message.headers),
                content_type=message.content_type,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await exchange.publish(
                amqp_message, routing_key=message.routing_key, mandatory=False, timeout=self.timeout
            )
        except Exception as exc:
            await self.close()
            raise BrokerUnavailable(
                f"RabbitMQ did not confirm message {message.message_id!r} to exchange "
                f"{self.exchange_name!r}: {type(exc).__name__}: {exc}. It stays unpublished and is retried."
            ) from exc

    async def close(self) -> None:
        """Close the connection, if any (errors while closing a dead connection are ignored)."""
        connection, self._connection, self._channel, self._exchange = self._connection, None, None, None
        if connection is not None and not connection.is_closed:
            with contextlib.suppress(Exception):  # the connection is being discarded anyway
                await connection.close()

    async def _ensure_exchange(self) -> AbstractExchange:
        import aio_pika

        if self._exchange is not None and self._channel is not None and not self._channel.is_closed:
            return self._exchange
        await self.close()
        self._connection = await aio_pika.connect(self.url, timeout=self.timeout)
        self._channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await self._channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        return self._exchange


def publisher_from_env(environ: Mapping[str, str] | None = None) -> Publisher:
    """``RabbitPublisher`` when ``RABBITMQ_URL`` is set, else an ``InMemoryPublisher``.

    ``EVENTS_EXCHANGE`` overrides the exchange name (default ``insuretech.events``).
    """
    env = os.environ if environ is None else environ
    url = env.get("RABBITMQ_URL", "").strip()
    if url:
        return RabbitPublisher(url, env.get("EVENTS_EXCHANGE", "").strip() or EVENTS_EXCHANGE)
    return InMemoryPublisher()
