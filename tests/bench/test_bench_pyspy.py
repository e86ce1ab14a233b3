"""The py-spy profile summary: self and total shares per function."""

from __future__ import annotations

from pathlib import Path

from bench.pyspy import summarize


def test_summarize_counts_self_and_total_samples(tmp_path: Path) -> None:
    profile = tmp_path / "profile.txt"
    profile.write_text(
        "main (/work/main/gateway/__main__.py:5);run (gateway/pipeline.py:10);loads (gateway/json.py:3) 30\n"
        "main (/work/main/gateway/__main__.py:5);run (gateway/pipeline.py:12) 10\n"
        "garbage line\n"
    )
    summary = summarize(profile, top=3)
    assert summary.startswith("40 samples")
    assert "  75.0  loads (gateway/json.py)" in summary
    assert " 100.0  run (gateway/pipeline.py)" in summary
    assert "main (" not in summarize(profile, top=3, focus="pipeline").split("total %")[1]


def test_summarize_an_empty_profile(tmp_path: Path) -> None:
    profile = tmp_path / "profile.txt"
    profile.write_text("")
    assert summarize(profile) == "no samples"
