"""The outbox relay: publishes the applications outbox to the broker, at least once, in order.

Every state change of an application writes an ``outbox`` row in its own transaction
(``repository.add_outbox_event``). The relay reads unpublished rows in write order, publishes
each as a persistent message and marks rows published only after the broker confirmed them.
A crash or broker failure between confirm and mark republishes those rows later — delivery is
at-least-once, and consumers deduplicate on ``message_id`` (the outbox id) or on
``(aggregate_id, sequence)``.

Per-application order holds because rows of one application get increasing ids (its row lock
serializes the changes), messages are published one at a time in id order, and a failure stops
the batch: only the confirmed prefix is marked, the rest is retried from the first unconfirmed
row. Run one relay per database (see ``repository.fetch_unpublished``).

``python -m services.applications.relay`` runs it standalone; the applications backend also
runs one in-process (``python -m services.applications --no-relay`` turns that off).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
from collections.abc import Callable
from datetime import datetime

from services.applications import repository
from services.applications.models import OutboxEvent
from services.common.broker import BrokerUnavailable, OutgoingMessage, Publisher, publisher_from_env
from services.common.db import Database, database_url_for
from services.common.relay_loop import RelayLoop, RelaySettings
from services.common.validation import utcnow

__all__ = ["OutboxRelay", "RelaySettings", "main", "to_message"]

_log = logging.getLogger(__name__)


def to_message(event: OutboxEvent) -> OutgoingMessage:
    """The broker message of one outbox row (message id = outbox id, routing key = event type)."""
    return OutgoingMessage(
        message_id=str(event.id),
        routing_key=event.event_type,
        body=json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode(),
        headers={
            "event_type": event.event_type,
            "event_id": event.event_id,
            "aggregate_type": event.aggregate_type,
            "aggregate_id": event.aggregate_id,
            "sequence": event.sequence,
            "created_at": event.created_at.isoformat(),
        },
    )


class OutboxRelay(RelayLoop):
    """Moves outbox rows of one database to a ``Publisher``.

    Args:
        database: the applications database.
        publisher: where messages go (RabbitMQ or in-memory).
        settings: batch size, polling and backoff.
        clock: the instant written to ``published_at``.

    ``published`` counts rows marked published and ``failures`` failed batches since start;
    both are for health checks and tests.
    """

    name = "outbox-relay"
    expected_failures = (BrokerUnavailable,)

    def __init__(
        self,
        database: Database,
        publisher: Publisher,
        settings: RelaySettings | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(settings)
        self.database = database
        self.publisher = publisher
        self.clock = clock
        self.published = 0

    async def relay_batch(self) -> int:
        """Publish one batch of unpublished rows; returns how many were published and marked.

        Raises:
            BrokerUnavailable: a message was not confirmed; the confirmed ones before it are
                marked, it and the rest stay unpublished.
        """
        async with self.database.reader() as session:
            events = await repository.fetch_unpublished(session, self.settings.batch_size)
            batch = [(event.id, to_message(event)) for event in events]
        confirmed: list[int] = []
        try:
            for outbox_id, message in batch:
                await self.publisher.publish(message)
                confirmed.append(outbox_id)
        finally:
            # Mark what the broker confirmed even when a later message failed, so a retry
            # resumes at the first unconfirmed row instead of republishing the whole batch.
            if confirmed:
                async with self.database.transaction() as session:
                    await repository.mark_published(session, confirmed, self.clock())
                self.published += len(confirmed)
        return len(confirmed)

    async def stop(self) -> None:
        """Stop the loop (an in-flight batch finishes) and close the publisher."""
        await super().stop()
        await self.publisher.close()


async def _run_standalone(heartbeat_path: str | None) -> None:
    database = Database(database_url_for("applications"), "applications")
    relay = OutboxRelay(database, publisher_from_env(), RelaySettings(heartbeat_path=heartbeat_path))
    loop = asyncio.get_running_loop()
    task = relay.start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, relay.request_stop)
    _log.info("outbox relay running (publisher %s)", type(relay.publisher).__name__)
    try:
        await asyncio.gather(task, return_exceptions=True)
    finally:
        await relay.stop()
        await database.dispose()


def main(argv: list[str] | None = None) -> None:
    """Relay the applications outbox until SIGINT/SIGTERM (``RABBITMQ_URL`` selects RabbitMQ).

    The backend applies the migrations; until it has, the relay logs and retries.
    """
    parser = argparse.ArgumentParser(prog="python -m services.applications.relay", description=main.__doc__)
    parser.add_argument(
        "--heartbeat-file",
        default=None,
        metavar="PATH",
        help="renew this file on every loop turn (liveness: insuretech-probe file PATH --max-age S)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(_run_standalone(args.heartbeat_file))


if __name__ == "__main__":
    main()
