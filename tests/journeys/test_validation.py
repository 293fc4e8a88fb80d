"""The validation report: comparison rules by hand, a tiny network, and the regression guard.

The guard asserts that the share of published cases the default model meets within their
tolerance does not fall below what it is when this test was written (21 of 25). It is a
regression guard, not a target: a parameter is never tuned to one case (docs/validation.md).
"""

from __future__ import annotations

import json
import math

import pytest

from corridor.cli.main import main
from corridor.errors import InputError
from corridor.journeys.validation import Case, load_cases, validate_model
from corridor.network.default import load_default
from corridor.testing import ferry_network

#: Modelled cases within tolerance when the guard was set (see the module docstring).
FLOOR_WITHIN = 21
FLOOR_MODELLED = 25


def _case(**kw: object) -> Case:
    base: dict[str, object] = {
        "case_id": "T",
        "origin_id": "A",
        "destination_id": "B",
        "metric": "transit_days",
        "value": math.nan,
        "low": math.nan,
        "high": math.nan,
        "unit": "days",
        "tolerance": 0.2,
    }
    return Case(**{**base, **kw})  # type: ignore[arg-type]


def test_point_range_and_lower_bound_by_hand() -> None:
    point = _case(value=10.0)
    assert point.within(12.0)
    assert not point.within(12.01)
    assert point.within(8.0)
    assert not point.within(7.99)
    assert point.ratio(12.0) == pytest.approx(1.2)
    span = _case(low=10.0, high=20.0)
    assert span.within(8.0)
    assert span.within(24.0)
    assert not span.within(24.1)
    assert span.ratio(15.0) == 1.0
    assert span.published == "10-20"
    floor = _case(low=100.0)
    assert floor.within(1e6)
    assert floor.within(80.0)
    assert not floor.within(79.0)
    assert floor.published == ">= 100"
    assert not point.within(math.nan)


def test_tiny_network_report() -> None:
    # ferry_network A->B: 109 h (4.54 d), 2420 USD per FEU (tests/routing/test_search.py)
    cases = [
        _case(case_id="days", value=4.5, tolerance=0.05),
        _case(case_id="usd", metric="rate_usd", value=2000.0, tolerance=0.1, unit="USD"),
        _case(case_id="km", metric="length_km", low=1500.0, tolerance=0.1),
        _case(case_id="far", origin_id="A", destination_id="Z", value=1.0),
        _case(case_id="out", value=1.0, modelled=False, notes="origin not in the network"),
    ]
    report = validate_model(ferry_network(), cases)
    status = {r.case.case_id: r.status for r in report.results}
    assert status == {
        "days": "within",
        "usd": "outside",
        "km": "within",
        "far": "no route",
        "out": "not modelled",
    }
    usd = next(r for r in report.results if r.case.case_id == "usd")
    assert usd.model == pytest.approx(2420.0)
    assert "1.21 x the published figure" in usd.why
    assert "money:" in usd.why
    assert report.n_within == 2
    assert len(report.modelled) == 4
    assert report.share_within == 0.5
    assert report.to_dict()["summary"]["by_metric"]["rate_usd"] == {"within": 0, "modelled": 1}


def test_bad_case_files_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="not found"):
        load_cases(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "case_id,origin_id,destination_id,metric,value,low,high,tolerance\nX,A,B,speed,1,,,0.1\n"
    )
    with pytest.raises(InputError, match="unknown metric"):
        load_cases(bad)


def test_default_model_meets_the_published_cases_share() -> None:
    report = validate_model(load_default())
    assert len(report.modelled) >= FLOOR_MODELLED
    assert report.n_within >= FLOOR_WITHIN, [
        (r.case.case_id, r.status, r.why) for r in report.results if r.status != "within"
    ]
    # every modelled case found a route and says why it fails when it does
    assert all(r.status != "no route" for r in report.modelled)
    assert all(r.why for r in report.results if r.status == "outside")


def test_cli_json(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate-model", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["modelled"] >= FLOOR_MODELLED
    assert {"case_id", "published", "model", "ratio", "status", "why"} <= set(payload["cases"][0])


def test_cli_refuses_a_missing_file(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate-model", "--cases", str(tmp_path / "nope.csv")]) == 2
    assert "--cases" in capsys.readouterr().err
