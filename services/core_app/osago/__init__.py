"""The OSAGO quote aggregator: simulated insurers asked in parallel, resiliently, with a cache.

Stages: ``parse_quote_input`` (validation) → ``QuoteAggregator.start_session`` (session + one
PENDING offer per insurer) → per insurer ``InsurerClient.quote`` (cache → breaker → deadline →
create application → poll offer, each call with timeout and retries) → offer settled in the
database → ``SessionHub`` wakes ``watch_session`` streams.
"""

from services.core_app.osago.aggregator import GatewayFactory, QuoteAggregator, QuoteSessionView
from services.core_app.osago.breaker import BreakerState, CircuitBreaker, CircuitOpenError
from services.core_app.osago.cache import NullQuoteCache, QuoteCache, RedisQuoteCache, quote_cache_key
from services.core_app.osago.client import InsurerClient, Settlement
from services.core_app.osago.config import InsurerProfile, OsagoConfig
from services.core_app.osago.gateway import (
    Declined,
    InsurerDecision,
    InsurerGateway,
    InsurerQuoteRequest,
    Offered,
    TransientInsurerError,
)
from services.core_app.osago.hub import SessionHub
from services.core_app.osago.inputs import QuoteInput, parse_quote_input
from services.core_app.osago.retry import RetryPolicy, is_transient, retry_call
from services.core_app.osago.sessions import load_session, watch_session
from services.core_app.osago.simulated import SimulatedInsurer
from services.core_app.osago.tariff import osago_premium

__all__ = [
    "BreakerState",
    "CircuitBreaker",
    "CircuitOpenError",
    "Declined",
    "GatewayFactory",
    "InsurerClient",
    "InsurerDecision",
    "InsurerGateway",
    "InsurerProfile",
    "InsurerQuoteRequest",
    "NullQuoteCache",
    "Offered",
    "OsagoConfig",
    "QuoteAggregator",
    "QuoteCache",
    "QuoteInput",
    "QuoteSessionView",
    "RedisQuoteCache",
    "RetryPolicy",
    "SessionHub",
    "Settlement",
    "SimulatedInsurer",
    "TransientInsurerError",
    "is_transient",
    "load_session",
    "osago_premium",
    "parse_quote_input",
    "quote_cache_key",
    "retry_call",
    "watch_session",
]
