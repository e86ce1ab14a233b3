"""The gateway benchmark's command line."""

from __future__ import annotations

import pytest

from bench.gateway import _parse_args


def test_unknown_targets_are_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parse_args(["--only", "python,envoy"])
    assert "unknown target(s) ['envoy']" in capsys.readouterr().err


def test_defaults_follow_the_guild_benchmark_shape() -> None:
    args = _parse_args(["--only", "python", "--dedupe"])
    assert args.dedupe
    assert (args.connections, args.duration, args.gateway_cpus, args.load_cpus) == (50, 20.0, "0", "1")
