from __future__ import annotations

import pytest

import gateway
from gateway.__main__ import build_parser


def test_cli_flags() -> None:
    args = build_parser().parse_args(
        ["--supergraph", "sg.graphql", "--port", "4001", "--workers", "4", "--dev"]
    )
    assert (args.supergraph, args.port, args.workers, args.dev, args.host) == (
        "sg.graphql",
        4001,
        4,
        True,
        None,
    )


def test_supergraph_flag_is_required() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


def test_package_exports_are_lazy_and_complete() -> None:
    assert gateway.__all__ == sorted(gateway.__all__, key=lambda n: (not n[0].isupper(), n))
    for name in gateway.__all__:
        assert getattr(gateway, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = gateway.nope


def test_partner_api_flags() -> None:
    args = build_parser().parse_args(
        ["--supergraph", "sg.graphql", "--partners", "deploy/partners.yaml", "--rest", "deploy/rest.yaml"]
    )
    assert (args.partners, args.rest) == ("deploy/partners.yaml", "deploy/rest.yaml")
    assert build_parser().parse_args(["--supergraph", "sg.graphql"]).partners is None
