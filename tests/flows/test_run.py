"""``run_flows_case``: one flow case from options to report, shared by the CLI and the API."""

from __future__ import annotations

import pytest

from corridor.cli.flows import run_flows
from corridor.demand import parse_growth
from corridor.errors import InputError
from corridor.flows import run_flows_case
from corridor.testing import two_route_case


def test_the_cli_report_is_the_case_report(monkeypatch: pytest.MonkeyPatch) -> None:
    net, demand = two_route_case()
    want = run_flows_case(net, demand, growth=parse_growth("1.2"), gap=1e-9).report
    monkeypatch.setattr("corridor.flows.load_baseline", lambda: demand)  # what the CLI reads
    got = run_flows(net, growth=["1.2"], gap=1e-9)
    for r in (want, got):
        r["totals"].pop("seconds")
    assert got == want


def test_no_demand_reports_zeros() -> None:
    net, demand = two_route_case()
    report = run_flows_case(net, demand, growth=parse_growth("0")).report
    assert report["totals"]["assigned_t"] == 0.0
    assert report["totals"]["t_km"] == 0.0
    assert report["totals"]["cost_usd"] == 0.0


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"method": "fast"}, "method"),
        ({"top": 0}, "top"),
        ({"path": parse_growth("1.1"), "steps": 0}, "steps"),
    ],
)
def test_bad_options_name_the_argument(options: dict[str, object], argument: str) -> None:
    net, demand = two_route_case()
    with pytest.raises(InputError) as err:
        run_flows_case(net, demand, **options)  # type: ignore[arg-type]
    assert err.value.argument == argument
