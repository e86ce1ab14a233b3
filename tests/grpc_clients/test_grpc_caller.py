"""The caller of a request: read from the gateway's header, carried as gRPC metadata."""

from __future__ import annotations

import pytest

from grpc_clients.caller import (
    FIRST_PARTY,
    Caller,
    InvalidCallerError,
    caller_from_headers,
    caller_from_metadata,
)


def test_the_first_party_is_the_absence_of_a_partner_id() -> None:
    assert caller_from_headers({}) == FIRST_PARTY
    assert caller_from_headers({"x-partner-id": ""}) == FIRST_PARTY
    assert caller_from_metadata(None) == FIRST_PARTY
    assert caller_from_metadata([("x-request-id", "r1")]) == FIRST_PARTY
    assert FIRST_PARTY.first_party
    assert (FIRST_PARTY.owner, FIRST_PARTY.scope, FIRST_PARTY.metadata()) == ("first-party", None, ())
    assert FIRST_PARTY.may_see("partner:acme-bank")


def test_a_partner_sees_only_what_it_owns() -> None:
    acme = caller_from_headers({"x-partner-id": "acme-bank"})
    assert acme == Caller("acme-bank") == caller_from_metadata([("x-partner-id", b"acme-bank")])
    assert (acme.owner, acme.scope) == ("partner:acme-bank", "partner:acme-bank")
    assert acme.metadata() == (("x-partner-id", "acme-bank"),)
    assert acme.may_see("partner:acme-bank")
    assert not acme.may_see("partner:travelshop")
    assert not acme.may_see("first-party")


@pytest.mark.parametrize(
    "value", ["ACME", "a", "acme bank", "partner:acme", "x" * 65, "../../etc", "acme\\x00"]
)
def test_anything_but_a_partner_id_is_refused(value: str) -> None:
    with pytest.raises(InvalidCallerError, match="is not a partner id"):
        caller_from_headers({"x-partner-id": value})


def test_a_partner_id_sent_twice_is_refused() -> None:
    with pytest.raises(InvalidCallerError, match="appears 2 times"):
        caller_from_metadata([("x-partner-id", "acme-bank"), ("x-partner-id", "travelshop")])
