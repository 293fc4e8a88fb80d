"""Drivers' hours: known answers worked by hand, on the schedule and on a tiny road network."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import InputError
from corridor.graph import build_graph
from corridor.graph.driving import DrivingRules, read_driving_rules
from corridor.reliability import build_route_model, simulate_route
from corridor.routing import search_routes
from corridor.testing import driving_rules_table, gauge_network, road_network

AETR = DrivingRules(9, 4.5, 0.75, 11, 6, 45, 56, 90)
TWO = DrivingRules(18, 4.5, 0.0, 9, 6, 45, 112, 180)


@pytest.mark.parametrize(
    ("driving", "elapsed"),
    [
        (0.0, 0.0),
        (4.5, 4.5),  # a break is needed only when more driving follows
        (6.0, 6.75),  # 4.5 + break + 1.5
        (9.0, 9.75),  # one break, no rest at the end
        (12.0, 23.75),  # 4.5 + 0.75 + 4.5 + 11 + 3
        (18.0, 30.5),  # two days: 2 x 0.75 + 11 between them
        # six full days: 6 x 0.75 breaks + 5 daily rests; the seventh day starts after a
        # weekly rest of 45 h instead of the sixth daily rest
        (55.0, 55.0 + 6 * 0.75 + 5 * 11 + 45),
    ],
)
def test_one_driver_schedule(driving: float, elapsed: float) -> None:
    assert AETR.elapsed_h(driving) == pytest.approx(elapsed)


def test_fortnight_limit_shortens_the_second_week() -> None:
    # week 1: 6 x 9 = 54 h; week 2 may drive only 90 - 54 = 36 h: four 9 h days, then a
    # weekly rest before day 11 (not 6 more periods).
    rests = AETR.rests([54.0 + 36.0 + 1.0])
    week1 = 6 * 0.75 + 5 * 11 + 45
    week2 = 4 * 0.75 + 3 * 11 + 45
    assert rests.sum() == pytest.approx(week1 + week2)


def test_two_drivers_rest_nine_hours_after_eighteen() -> None:
    assert TWO.elapsed_h(18.0) == 18.0
    assert TWO.elapsed_h(20.0) == 29.0
    assert TWO.rest_per_driving_h == 0.5
    assert AETR.rest_per_driving_h == pytest.approx(11.75 / 9)


def test_rests_accumulate_over_consecutive_legs() -> None:
    # 3 legs of 4 h: the break falls in the second leg (after 4.5 h), the rest in the third
    # (after 9 h): per-run rules would find no rest at all.
    assert AETR.rests([4.0, 4.0, 4.0]).tolist() == [0.0, 0.75, 11.0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 30.0), min_size=1, max_size=8))
def test_split_stretch_equals_one_run(parts: list[float]) -> None:
    """Cutting a stretch into legs moves rests between legs but never changes their sum."""
    assert AETR.rests(parts).sum() == pytest.approx(AETR.elapsed_h(sum(parts)) - sum(parts))
    assert TWO.rests(parts).sum() <= AETR.rests(parts).sum() + 1e-9


def test_bad_rules_are_refused() -> None:
    with pytest.raises(InputError, match="daily_driving_h"):
        DrivingRules(0, 4.5, 0.75, 11, 6, 45, 56, 90)


def test_table_falls_back_to_star_row_and_reports_bad_rows() -> None:
    tab = driving_rules_table()
    extra = tab.iloc[[0]].assign(country="IRN", daily_rest_h=np.nan, daily_driving_h=8.0)
    rules, problems = read_driving_rules(
        pd_concat(tab, extra), ["road", "rail_1520"], ["KAZ", "IRN"]
    )
    assert not problems
    assert rules[1][("road", "IRN")].daily_driving_h == 8.0
    assert rules[1][("road", "IRN")].daily_rest_h == 11.0  # from the * row
    assert rules[1][("road", "KAZ")] == AETR
    assert ("rail_1520", "KAZ") not in rules[1]
    bad = tab.assign(daily_rest_h=-1.0)
    _, problems = read_driving_rules(bad, ["road"], ["KAZ"])
    assert problems
    assert "daily_rest_h" in problems[0].message


def pd_concat(a, b):  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.concat([a, b], ignore_index=True)


def test_road_route_by_hand() -> None:
    # A-B 6 h, B-C 6 h, border 3 + 3 h, C-D 8 h of driving (60 km/h), one driver:
    # A-B: 4.5, break, 1.5 -> 0.75 h; B-C: 3, daily rest (9 h reached), 3 -> 11 h;
    # C-D: 1.5, break, 4.5, daily rest, 2 -> 11.75 h. Total 20 + 6 + 23.5 = 49.5 h.
    r = search_routes(road_network(), "A", "D", modes=["road"], k=1, objective="time")[0]
    assert [leg.rest_h for leg in r.legs] == [0.75, 11.0, 0.0, 11.75]
    assert r.time_h == pytest.approx(49.5)
    assert r.breakdown()["time_h"]["rest"] == pytest.approx(23.5)
    assert r.breakdown()["time_h"]["running"] == pytest.approx(20.0)
    two = search_routes(road_network(), "A", "D", modes=["road"], k=1, crew=2)[0]
    assert two.time_h == pytest.approx(20 + 6 + 9)
    assert two.crew == 2


def test_rail_legs_rest_nothing_and_a_transfer_ends_the_stretch() -> None:
    # rail A-C 720 km at 50 km/h = 14.4 h, terminal C 2 h, border 6 h, road C-D 8 h: the
    # truck's stretch starts at C, so only one break (after 4.5 h of its 8 h).
    r = search_routes(road_network(), "A", "D", k=1, objective="time")[0]
    assert [leg.mode for leg in r.legs if leg.kind == "run"] == ["rail_1520", "rail_1520", "road"]
    assert r.time_h == pytest.approx(14.4 + 2 + 6 + 8 + 0.75)


def test_search_weighs_the_daily_cycle_average() -> None:
    g = build_graph(road_network(), cargo="container")
    est = g.rest_estimate_h(1)
    road = (g.edge_kind == 0) & (g.driving_h > 0)
    assert np.allclose(est[road], g.driving_h[road] * 11.75 / 9)
    assert np.all(est[~road] == 0)
    assert np.allclose(g.rest_estimate_h(2)[road], g.driving_h[road] * 0.5)


def test_no_table_means_no_rests_and_crew_needs_a_row() -> None:
    g = build_graph(gauge_network(), cargo="container")
    assert g.crews == (1, 2)
    assert g.driving_h.max() == 0
    net = road_network()
    params = dict(net.parameters)
    params["driving_rules"] = params["driving_rules"][params["driving_rules"]["crew"] == 1]
    with pytest.raises(InputError, match="crew") as info:
        search_routes(net.replace(parameters=params), "A", "D", crew=2)
    assert info.value.argument == "crew"
    with pytest.raises(InputError, match="crew"):
        search_routes(road_network(), "A", "D", crew=3)


def test_simulation_draws_the_rests_as_constants() -> None:
    net = road_network()
    r = search_routes(net, "A", "D", modes=["road"], k=1, objective="time")[0]
    g = build_graph(net, cargo="container", include_planned=True)
    model = build_route_model(g, r)
    assert model.deterministic_h == pytest.approx(r.time_h)
    for i, leg in enumerate(r.legs):
        assert model.expected_h[model.leg_index == i].sum() == pytest.approx(leg.time_h)
    res = simulate_route(net, r, depart=datetime(2026, 3, 2), samples=300, seed=7)
    # every draw includes the 23.5 h of rests: the minimum exceeds driving + borders
    assert float(np.min(res.transit_time_h)) > 23.5 + 20
