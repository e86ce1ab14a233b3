"""The OSAGO quote aggregator: one session, every active insurer asked in parallel.

``start_session`` validates nothing itself (``parse_quote_input`` did, and the servicer checked
the application with its owner), writes the session with one PENDING offer per active insurer
that has a current OSAGO tariff, starts one background task per insurer and returns at once.
Each task runs ``InsurerClient.quote`` and writes its settlement the moment it arrives — with,
for an offer, the ``OFFER_MADE`` outbox event that moves the application to OFFERED, in the same
transaction — then wakes the session's watchers through the ``SessionHub``. Tasks are tracked;
``close`` cancels them and settles what is left as FAILED, so nothing stays PENDING because the
process stopped.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from grpc_clients.caller import FIRST_PARTY_OWNER
from services.common.db import Database
from services.common.errors import FailedPrecondition
from services.common.validation import new_id, utcnow
from services.core_app import repository
from services.core_app.models import Insurer, Offer, QuoteSession
from services.core_app.osago.breaker import CircuitBreaker
from services.core_app.osago.cache import NullQuoteCache, QuoteCache
from services.core_app.osago.client import InsurerClient, Settlement
from services.core_app.osago.config import OsagoConfig
from services.core_app.osago.gateway import InsurerGateway, InsurerQuoteRequest
from services.core_app.osago.hub import SessionHub
from services.core_app.osago.inputs import QuoteInput
from services.core_app.osago.simulated import SimulatedInsurer

__all__ = ["OFFER_MADE", "GatewayFactory", "QuoteAggregator", "QuoteSessionView"]

_log = logging.getLogger(__name__)

GatewayFactory = Callable[[Insurer], InsurerGateway]
"""Builds the gateway of an insurer (called once per insurer and cached)."""

SHUTDOWN_REASON = "The service stopped before the insurer answered; request quotes again."

OFFER_MADE = "OFFER_MADE"
"""The outbox event of an offer made (``CoreEventType`` of the applications proto)."""


@dataclass(frozen=True, slots=True)
class QuoteSessionView:
    """A session with its offers (settled ones in arrival order, then pending ones)."""

    session: QuoteSession
    offers: Sequence[Offer]

    @property
    def complete(self) -> bool:
        """Whether every insurer has settled."""
        return all(offer.status != "PENDING" for offer in self.offers)


class QuoteAggregator:
    """Ask every insurer for an OSAGO offer in parallel and record the answers as they come.

    Args:
        database: the core_app database.
        config: timing, resilience and simulation settings.
        gateway_factory: builds an insurer's gateway; simulated insurers by default.
        cache: the quote cache; none by default.
        clock: the current instant (UTC).
        monotonic: monotonic seconds for the circuit breakers.
    """

    def __init__(
        self,
        database: Database,
        config: OsagoConfig,
        *,
        gateway_factory: GatewayFactory | None = None,
        cache: QuoteCache | None = None,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.config = config
        self.cache: QuoteCache = cache or NullQuoteCache()
        self.hub = SessionHub()
        self._gateway_factory = gateway_factory or self._simulated_gateway
        self._clock = clock
        self._monotonic = monotonic
        self._clients: dict[str, InsurerClient] = {}
        self._tasks: dict[asyncio.Task[None], str] = {}
        self._rng = random.Random(config.seed)
        self._closing = False

    def _simulated_gateway(self, insurer: Insurer) -> InsurerGateway:
        return SimulatedInsurer(insurer.code, self.config.profile_for(insurer.code), seed=self.config.seed)

    def client_for(self, insurer: Insurer) -> InsurerClient:
        """The resilient client of ``insurer`` (one per insurer, with its own circuit breaker)."""
        client = self._clients.get(insurer.id)
        if client is None:
            breaker = CircuitBreaker(
                self.config.breaker_failure_threshold, self.config.breaker_cooldown_s, self._monotonic
            )
            client = InsurerClient(
                insurer.id,
                self._gateway_factory(insurer),
                self.config,
                breaker,
                cache=self.cache,
                rng=self._rng,
            )
            self._clients[insurer.id] = client
        return client

    async def start_session(self, quote: QuoteInput, *, owner: str = FIRST_PARTY_OWNER) -> QuoteSessionView:
        """Create a session with one PENDING offer per insurer and start asking them.

        ``owner`` is the owner of the application; only it (and the first party) may see the session.

        Raises:
            FailedPrecondition: no active OSAGO product, or no insurer with a current OSAGO tariff.
        """
        if self._closing:
            raise FailedPrecondition("The service is shutting down; request quotes again in a moment.")
        now = self._clock()
        async with self.database.transaction() as session:
            product = await repository.find_osago_product(session)
            if product is None:
                raise FailedPrecondition("No active OSAGO product is configured; quotes are unavailable.")
            participants = await repository.list_tariffs_with_insurers(
                session, product_id=product.id, valid_on=now.date()
            )
            if not participants:
                raise FailedPrecondition(
                    f"No active insurer has an OSAGO tariff valid on {now.date().isoformat()}."
                )
            quote_session = QuoteSession(
                id=new_id(),
                application_id=quote.application_id,
                owner=owner,
                client_id=quote.client_id,
                product_id=product.id,
                engine_power_hp=quote.engine_power_hp,
                region=quote.region,
                driver_age=quote.driver_age,
                driver_experience_years=quote.driver_experience_years,
                created_at=now,
            )
            offers = [
                Offer(
                    id=new_id(),
                    session_id=quote_session.id,
                    application_id=quote.application_id,
                    insurer_id=insurer.id,
                    product_id=product.id,
                    status="PENDING",
                    requested_at=now,
                    failure_reason="",
                )
                for _, insurer in participants
            ]
            await repository.add_quote_session(session, quote_session, offers)
        for offer, (tariff, insurer) in zip(offers, participants, strict=True):
            request = InsurerQuoteRequest(
                base_premium_kopecks=tariff.base_premium_kopecks,
                engine_power_hp=quote.engine_power_hp,
                region=quote.region,
                driver_age=quote.driver_age,
                driver_experience_years=quote.driver_experience_years,
            )
            task = asyncio.create_task(
                self._ask(offer, insurer.name, self.client_for(insurer), request),
                name=f"osago-quote-{offer.id}",
            )
            self._tasks[task] = offer.id
            task.add_done_callback(self._forget)
        return QuoteSessionView(quote_session, offers)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._tasks.pop(task, None)

    async def _ask(
        self, offer: Offer, insurer_name: str, client: InsurerClient, request: InsurerQuoteRequest
    ) -> None:
        try:
            settlement = await client.quote(request)
        except Exception:
            _log.exception("quoting offer %s failed unexpectedly", offer.id)
            settlement = Settlement("FAILED", failure_reason="Internal error while asking the insurer.")
        await self._settle(offer, insurer_name, settlement)

    async def _settle(self, offer: Offer, insurer_name: str, settlement: Settlement) -> None:
        now = self._clock()
        offered = settlement.status == "OFFERED"
        valid_until = now + self.config.offer_ttl if offered else None
        try:
            async with self.database.transaction() as session:
                settled = await repository.settle_offer(
                    session,
                    offer.id,
                    status=settlement.status,
                    settled_at=now,
                    premium_kopecks=settlement.premium_kopecks,
                    valid_until=valid_until,
                    failure_reason=settlement.failure_reason,
                )
                if settled and offered:
                    reason = f"{insurer_name} made an OSAGO offer."
                    repository.add_outbox_event(
                        session, OFFER_MADE, offer.application_id, offer.id, reason, now
                    )
        except Exception:
            _log.exception("could not record the settlement of offer %s", offer.id)
        finally:
            self.hub.notify(offer.session_id)

    @property
    def running(self) -> int:
        """Insurer calls still in flight."""
        return len(self._tasks)

    async def wait_idle(self) -> None:
        """Wait until every started insurer call has settled (tests and graceful drains)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Cancel the insurer calls in flight, settle their offers as FAILED, close the cache."""
        self._closing = True
        tasks = dict(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if tasks:
            try:
                async with self.database.transaction() as session:
                    await repository.fail_pending_offers(
                        session, list(tasks.values()), now=self._clock(), reason=SHUTDOWN_REASON
                    )
            except Exception:
                _log.exception("could not settle %d interrupted offers", len(tasks))
        await self.cache.close()
