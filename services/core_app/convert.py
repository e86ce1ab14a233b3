"""ORM rows → protobuf messages of ``insuretech.core_app.v1`` (one function per message)."""

from __future__ import annotations

from datetime import date

from schema.protos import core_app_pb2 as pb
from services.common.errors import FieldViolation, InvalidArgument
from services.common.validation import to_timestamp
from services.core_app.domain import effective_policy_status
from services.core_app.models import Insurer, Offer, Policy, Product, Tariff
from services.core_app.osago.aggregator import QuoteSessionView

__all__ = [
    "insurer_to_proto",
    "offer_to_proto",
    "policy_to_proto",
    "product_kind_name",
    "product_to_proto",
    "session_to_proto",
    "tariff_to_proto",
]


def product_kind_name(kind: int) -> str | None:
    """The stored kind name of a ``ProductKind`` value; ``None`` for UNSPECIFIED (all kinds).

    Raises:
        InvalidArgument: ``kind`` is not a known ``ProductKind`` number.
    """
    if kind == pb.PRODUCT_KIND_UNSPECIFIED:
        return None
    if kind not in pb.ProductKind.values():
        known = ", ".join(f"{name} ({number})" for name, number in pb.ProductKind.items() if number)
        raise InvalidArgument.for_fields(
            [FieldViolation("kind", f"{kind} is not a product kind; use one of {known}.")]
        )
    return pb.ProductKind.Name(pb.ProductKind.ValueType(kind))


def product_to_proto(product: Product) -> pb.Product:
    """A ``Product`` message."""
    return pb.Product(
        id=product.id,
        code=product.code,
        name=product.name,
        kind=pb.ProductKind.Value(product.kind),
        description=product.description,
        active=product.active,
    )


def insurer_to_proto(insurer: Insurer) -> pb.Insurer:
    """An ``Insurer`` message."""
    return pb.Insurer(
        id=insurer.id,
        name=insurer.name,
        license_number=insurer.license_number,
        rating=insurer.rating,
        active=insurer.active,
    )


def tariff_to_proto(tariff: Tariff) -> pb.Tariff:
    """A ``Tariff`` message."""
    return pb.Tariff(
        id=tariff.id,
        product_id=tariff.product_id,
        insurer_id=tariff.insurer_id,
        base_premium_kopecks=tariff.base_premium_kopecks,
        rate_percent=tariff.rate_percent,
        valid_from=tariff.valid_from.isoformat(),
        valid_to=tariff.valid_to.isoformat(),
        refreshed_at=to_timestamp(tariff.refreshed_at),
    )


def policy_to_proto(policy: Policy, *, today: date) -> pb.Policy:
    """A ``Policy`` message (``application_id`` is empty for policies bought outside the platform).

    The status is the effective one on ``today``: an ACTIVE policy past its term reads EXPIRED.
    """
    return pb.Policy(
        id=policy.id,
        number=policy.number,
        client_id=policy.client_id,
        product_id=policy.product_id,
        insurer_id=policy.insurer_id,
        application_id=policy.application_id or "",
        premium_kopecks=policy.premium_kopecks,
        valid_from=policy.valid_from.isoformat(),
        valid_to=policy.valid_to.isoformat(),
        status=pb.PolicyStatus.Value(effective_policy_status(policy, today)),
        issued_at=to_timestamp(policy.issued_at),
    )


def offer_to_proto(offer: Offer) -> pb.Offer:
    """An ``Offer`` message (unset timestamps stay unset)."""
    return pb.Offer(
        id=offer.id,
        session_id=offer.session_id,
        application_id=offer.application_id,
        insurer_id=offer.insurer_id,
        product_id=offer.product_id,
        status=pb.OfferStatus.Value(offer.status),
        premium_kopecks=offer.premium_kopecks or 0,
        requested_at=to_timestamp(offer.requested_at),
        settled_at=to_timestamp(offer.settled_at),
        valid_until=to_timestamp(offer.valid_until),
        failure_reason=offer.failure_reason,
    )


def session_to_proto(view: QuoteSessionView) -> pb.QuoteSession:
    """A ``QuoteSession`` message."""
    return pb.QuoteSession(
        id=view.session.id,
        application_id=view.session.application_id,
        offers=[offer_to_proto(offer) for offer in view.offers],
        complete=view.complete,
    )
