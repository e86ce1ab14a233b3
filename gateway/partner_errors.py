"""The partner API's rate-limit error, which carries the ``RateLimit-*`` headers of its decision.

The partner API's other errors live in ``gateway.errors`` with the rest of the registry:
``Unauthenticated`` (401), ``PersistedQueryNotAllowed`` (403), ``PersistedQueryHashMismatch``
(400). This one stays apart because it depends on ``gateway.ratelimit``.
"""

from __future__ import annotations

from gateway.errors import RateLimited
from gateway.ratelimit import Decision, rate_limit_headers

__all__ = ["PartnerRateLimited"]


class PartnerRateLimited(RateLimited):
    """A partner's window is full; ``headers`` are the ``RateLimit-*`` and ``Retry-After`` headers."""

    def __init__(self, partner_id: str, decision: Decision) -> None:
        super().__init__(
            f"Partner {partner_id!r} exceeded its rate limit of {decision.limit} requests per "
            f"{decision.window_seconds} s; retry after {decision.retry_after} s.",
            retry_after=decision.retry_after,
        )
        self.headers = rate_limit_headers(decision)
