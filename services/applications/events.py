"""Outbox event types and payloads of the applications service.

Payloads are plain JSON (ids, status names, ISO instants) so consumers need no protobuf. Each
event also carries ``sequence`` (the application's version) to order and deduplicate per
application.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.applications.models import Application

__all__ = ["APPLICATION_CREATED", "APPLICATION_STATUS_CHANGED", "created_payload", "status_changed_payload"]

APPLICATION_CREATED = "application.created"
APPLICATION_STATUS_CHANGED = "application.status_changed"


def created_payload(application: Application) -> dict[str, Any]:
    """The body of ``application.created``."""
    return {
        "id": application.id,
        "number": application.number,
        "sequence": application.version,
        "client_id": application.client_id,
        "product_id": application.product_id,
        "status": application.status,
        "applied_at": application.applied_at.isoformat(),
        "insured_object": {"kind": application.insured_kind, "description": application.insured_description},
        "sum_insured_kopecks": application.sum_insured_kopecks,
        "term_months": application.term_months,
    }


def status_changed_payload(
    application: Application, from_status: str, reason: str, at: datetime
) -> dict[str, Any]:
    """The body of ``application.status_changed`` (also used for cancellations)."""
    return {
        "id": application.id,
        "number": application.number,
        "sequence": application.version,
        "client_id": application.client_id,
        "product_id": application.product_id,
        "from_status": from_status,
        "to_status": application.status,
        "reason": reason,
        "changed_at": at.isoformat(),
    }
