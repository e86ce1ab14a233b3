"""The seed figures of the Locust run: sizes of the scenarios, and met / not met."""

from __future__ import annotations

from bench.locust.figures import (
    Endpoint,
    Snapshot,
    Targets,
    evaluate,
    format_results,
    scenario_sizes,
    seed_gateway_rps,
)

GOOD = Endpoint(requests=9000, failures=3, rps=50.2, p50_ms=40, p99_ms=180)


def _snapshot(**changes: object) -> Snapshot:
    values: dict[str, object] = {
        "duration_s": 180.0,
        "endpoints": {
            "search": GOOD,
            "checkout": Endpoint(1800, 0, 10.0, 60, 250),
            "partner steady": Endpoint(1440, 0, 8.0, 30, 120),
        },
        "ws_peak": 2500,
        "quotes_started": 1800,
        "quotes_completed": 1799,
        "quote_slowest_s": 12.0,
        "flood_accepted": 1750,
        "flood_refused": 43000,
        "steady_refused": 0,
    }
    values.update(changes)
    return Snapshot(**values)  # type: ignore[arg-type]


def test_scenario_sizes_send_each_rate_in_total() -> None:
    assert scenario_sizes(50, 10, 2500, 250, 8) == {
        "search": 25,
        "checkout": 5,
        "osago": 2500,
        "flood": 50,
        "steady": 2,
    }
    assert scenario_sizes(51, 0, 0, 0, 0)["search"] == 26


def test_seed_gateway_rate_counts_what_the_gateway_executes() -> None:
    # 50 + 10 + 2 × 2,500/250 quotes + the flood's 600/min contract + 8.
    assert seed_gateway_rps(Targets(), 250.0, 8.0) == 50 + 10 + 20 + 10 + 8


def test_a_run_meeting_every_figure() -> None:
    results = evaluate(_snapshot(), Targets())
    assert [r.met for r in results] == [True] * 5
    text = format_results(results)
    assert "[MET] search: 50 req/s" in text
    assert text.endswith("5 of 5 seed figures met.")


def test_each_figure_fails_on_its_own_shortfall() -> None:
    def met(**changes: object) -> list[bool]:
        return [r.met for r in evaluate(_snapshot(**changes), Targets())]

    slow = Endpoint(9000, 0, 50.0, 40, 350)
    assert met(endpoints={**_snapshot().endpoints, "search": slow}) == [False, True, True, True, True]
    erroring = Endpoint(1800, 40, 10.0, 60, 250)
    assert met(endpoints={**_snapshot().endpoints, "checkout": erroring}) == [True, False, True, True, True]
    assert met(ws_peak=2400) == [True, True, False, True, True]
    assert met(quotes_completed=1700) == [True, True, False, True, True]
    assert met(quote_slowest_s=61.0) == [True, True, False, True, True]
    assert met(flood_accepted=5000) == [True, True, True, False, True], "more than the contract got through"
    assert met(flood_refused=1000) == [True, True, True, False, True], "the flood was not sent at 250 req/s"
    assert met(steady_refused=1) == [True, True, True, True, False]


def test_a_missing_scenario_is_not_met() -> None:
    results = evaluate(_snapshot(endpoints={}), Targets())
    assert not results[0].met
    assert "errors 100.00% of 0" in results[0].measured
