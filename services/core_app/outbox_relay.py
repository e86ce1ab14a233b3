"""Delivers core_app's outbox to the applications service: offers made, policies issued.

The change and its event commit together (``OFFER_MADE`` with the offer's settlement,
``POLICY_ISSUED`` with the policy), so a crash between the two services loses nothing: the row
waits in the outbox. The relay reads undelivered rows in write order and calls
``ApplyCoreEvent`` for each, one at a time; it marks a row delivered only after applications
answered, and stops the batch at the first transient failure, so order per application holds
and the row is retried later (backoff 0.5 s → 30 s). A redelivery — the relay crashed after
applications committed but before the row was marked — is recognised by the applications inbox
(keyed by ``event_id``) and changes nothing: every event takes effect exactly once.

An event applications refuses for good (the application is unknown, or was cancelled before the
policy issued for it was recorded) is marked ``refused``; for ``POLICY_ISSUED`` the policy is
terminated in the same transaction, so no active policy is left on a cancelled application.
See ``docs/decisions/0016-application-state-across-services.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from grpc_clients.errors import BackendError
from services.common.db import Database
from services.common.relay_loop import RelayLoop, RelaySettings
from services.common.validation import utcnow
from services.core_app import repository
from services.core_app.applications_peer import EventRefused, EventSink
from services.core_app.domain import POLICY_ISSUED

__all__ = ["ApplicationsRelay"]

_log = logging.getLogger(__name__)


class ApplicationsRelay(RelayLoop):
    """Moves core_app outbox rows to an ``EventSink`` (the applications service).

    Args:
        database: the core_app database.
        sink: where events go.
        settings: batch size, polling and backoff.
        clock: the instant written to ``delivered_at``.

    ``delivered`` counts rows marked delivered since start (refused ones included).
    """

    name = "core-app-outbox-relay"
    expected_failures = (BackendError,)

    def __init__(
        self,
        database: Database,
        sink: EventSink,
        settings: RelaySettings | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(settings)
        self.database = database
        self.sink = sink
        self.clock = clock
        self.delivered = 0

    async def relay_batch(self) -> int:
        """Deliver undelivered rows in order until one fails; returns how many were marked.

        Raises:
            BackendError: applications could not be reached; the rows from this one on stay.
        """
        async with self.database.reader() as session:
            events = await repository.fetch_undelivered(session, self.settings.batch_size)
        done = 0
        for event in events:
            try:
                outcome = "applied" if await self.sink.apply(event) else "unchanged"
            except EventRefused as refusal:
                _log.warning(
                    "applications refused %s %s of application %s: %s",
                    event.event_type,
                    event.event_id,
                    event.application_id,
                    refusal.message,
                )
                outcome = "refused"
            async with self.database.transaction() as session:
                if outcome == "refused" and event.event_type == POLICY_ISSUED:
                    await repository.terminate_policy(session, event.subject_id)
                await repository.mark_delivered(session, event.id, outcome, self.clock())
            done += 1
            self.delivered += 1
        return done
