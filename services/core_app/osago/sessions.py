"""Reading quote sessions: what has arrived so far, and a stream of offers as they settle.

Reads first settle offers left PENDING far past the deadline (their worker died with its
instance) as TIMED_OUT, so a session always completes. A session is visible to the owner of its
application and to the first party; to any other partner it does not exist. The watch stream wakes on the in-process
``SessionHub`` and otherwise re-reads the database every ``watch_poll_s``, so it also works for
sessions whose insurers are being asked by another instance.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from grpc_clients.caller import FIRST_PARTY, Caller
from services.common.db import Database
from services.common.errors import NotFound
from services.common.validation import utcnow
from services.core_app import repository
from services.core_app.models import Offer
from services.core_app.osago.aggregator import QuoteSessionView
from services.core_app.osago.config import OsagoConfig
from services.core_app.osago.hub import SessionHub

__all__ = ["STALE_REASON", "load_session", "watch_session"]

STALE_REASON = "The insurer's answer was lost (the worker asking it stopped); request quotes again."


async def load_session(
    database: Database,
    session_id: str,
    config: OsagoConfig,
    *,
    clock: Callable[[], datetime] = utcnow,
    caller: Caller = FIRST_PARTY,
) -> QuoteSessionView:
    """The session with every offer as it stands now.

    Raises:
        NotFound: there is no session ``session_id`` that ``caller`` may see.
    """
    now = clock()
    async with database.transaction() as session:
        quote_session = await repository.get_quote_session(session, session_id)
        if quote_session is None or not caller.may_see(quote_session.owner):
            raise NotFound(f"Quote session {session_id!r} does not exist.")
        stale_before = now - timedelta(seconds=config.deadline_s + config.stale_after_s)
        if quote_session.created_at < stale_before:
            await repository.expire_stale_offers(
                session, session_id, requested_before=stale_before, now=now, reason=STALE_REASON
            )
        offers = await repository.list_session_offers(session, session_id)
    return QuoteSessionView(quote_session, offers)


async def watch_session(
    database: Database,
    hub: SessionHub,
    session_id: str,
    config: OsagoConfig,
    *,
    clock: Callable[[], datetime] = utcnow,
    caller: Caller = FIRST_PARTY,
) -> AsyncIterator[Offer]:
    """Yield each settled offer of the session once, in arrival order, until all have settled.

    Offers settled before the call come first. Raises ``NotFound`` before yielding anything when
    the session does not exist.
    """
    sent: set[str] = set()
    with hub.subscribe(session_id) as settled:
        while True:
            settled.clear()
            view = await load_session(database, session_id, config, clock=clock, caller=caller)
            for offer in view.offers:
                if offer.status != "PENDING" and offer.id not in sent:
                    sent.add(offer.id)
                    yield offer
            if view.complete:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(settled.wait(), config.watch_poll_s)
