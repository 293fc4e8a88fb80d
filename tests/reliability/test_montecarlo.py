from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from corridor.errors import InputError
from corridor.graph import build_graph
from corridor.journeys import route
from corridor.reliability import (
    LogNormal,
    build_route_model,
    deterministic_time,
    plot_cdf,
    simulate_route,
)
from corridor.reliability._kernels import walk_reference, walk_routes
from corridor.routing import search_routes
from corridor.routing.types import Route

from .conftest import line_network

TUE_0800 = datetime(2026, 12, 1, 8, 0)  # a Tuesday: 32 h after Monday 00:00
MON_0800 = datetime(2026, 11, 30, 8, 0)  # a Monday: 8 h after Monday 00:00
FRI_1200 = datetime(2026, 12, 4, 12, 0)  # a Friday: 108 h after Monday 00:00
MON_THU = {"departure_rule": "timetable", "weekdays": "Mon|Thu", "departure_times": "10:00"}


def _only(net, a="L", b="R") -> Route:  # type: ignore[no-untyped-def]
    return search_routes(net, a, b, k=1, cargo="container")[0]


def test_calendar_of_the_fixtures() -> None:
    assert (TUE_0800.weekday(), MON_0800.weekday(), FRI_1200.weekday()) == (1, 0, 4)


def test_tuesday_arrival_sails_thursday() -> None:
    # L->P by rail 2 h (Tue 10:00), Monday's 10:00 sailing has gone, Thursday 10:00 is 48 h
    # later, 20 h voyage, Q->R 2 h: 2 + 48 + 20 + 2 = 72 h, the same for every draw.
    net = line_network(service=MON_THU)
    r = _only(net)
    res = simulate_route(net, r, depart=TUE_0800, samples=50, seed=1)
    assert np.all(res.transit_time_h == 72.0)
    assert np.all(res.wait_h == 48.0)
    # routing's figure is the expected wait for an arrival at a random time of the week:
    # gaps 72 h and 96 h, so (72^2 + 96^2) / (2 x 168) = 42.857 h; plus 24 h of running.
    assert r.time_h == pytest.approx(24.0 + (72**2 + 96**2) / 336)
    assert res.deterministic_h == pytest.approx(r.time_h)


def test_missed_sailing_moves_to_the_next() -> None:
    # Monday 08:00 + 1 h of rail catches the 10:00 sailing; + 4 h of rail misses it (12:00)
    # and waits until Thursday 10:00 (70 h).
    fast = line_network(service=MON_THU, rail_km=(50.0, 50.0))
    slow = line_network(service=MON_THU, rail_km=(200.0, 50.0))
    assert simulate_route(fast, _only(fast), depart=MON_0800, samples=5).p50_h == 1 + 1 + 20 + 1
    assert simulate_route(slow, _only(slow), depart=MON_0800, samples=5).p50_h == 4 + 70 + 20 + 1


def test_chain_across_a_week_boundary() -> None:
    # Friday 12:00 + 2 h: the next Mon|Thu 10:00 sailing is Monday 10:00, 68 h later.
    net = line_network(service=MON_THU)
    res = simulate_route(net, _only(net), depart=FRI_1200, samples=10, seed=0)
    assert np.all(res.transit_time_h == 2 + 68 + 20 + 2)


def test_same_seed_same_numbers() -> None:
    net = line_network(rail_cv=0.4, cancellation=[("P", 12, 0.3)])
    r = _only(net)
    a = simulate_route(net, r, depart=TUE_0800, samples=500, seed=11)
    b = simulate_route(net, r, depart=TUE_0800, samples=500, seed=11)
    c = simulate_route(net, r, depart=TUE_0800, samples=500, seed=12)
    assert np.array_equal(a.transit_time_h, b.transit_time_h)
    assert not np.array_equal(a.transit_time_h, c.transit_time_h)


def test_cancellations_skip_sailings_geometrically() -> None:
    # A daily sailing at 10:00, each cancelled with p = 0.4 in December at Q. The number
    # skipped is geometric: mean p / (1 - p) = 2/3, so the mean wait is 0 h (arrival
    # Tue 10:00 exactly) + 24 h x 2/3 = 16 h. With 40,000 draws the standard error of the
    # mean wait is 24 x sqrt(p) / (1 - p) / sqrt(40000) = 0.13 h; tolerance 0.6 h.
    daily = {"departure_rule": "timetable", "weekdays": "Mon|Tue|Wed|Thu|Fri|Sat|Sun",
             "departure_times": "10:00"}  # fmt: skip
    net = line_network(service=daily, cancellation=[("Q", 12, 0.4)])
    r = _only(net)
    res = simulate_route(net, r, depart=TUE_0800, samples=40_000, seed=3)
    skipped = res.wait_h / 24.0
    assert np.allclose(skipped, np.round(skipped))
    assert abs(res.wait_h.mean() - 16.0) < 0.6
    assert abs(np.mean(skipped == 0) - 0.6) < 0.015
    # November has no cancellations in these parameters
    nov = simulate_route(net, r, depart=TUE_0800 - timedelta(days=14), samples=200, seed=3)
    assert np.all(nov.wait_h == 0.0)
    # routing's expected wait counts December's cancellations for 31 days of the year:
    # a daily departure, mean wait 12 h, plus 24 h x 2/3 in December
    want = 12.0 + 24.0 * (2 / 3) * 31 / 365
    assert r.legs[2].wait_h == pytest.approx(want)


def test_observed_wait_is_drawn_from_its_lognormal() -> None:
    # a line that sails when full: a published typical wait of 60 h with cv 1.0
    svc = {"departure_rule": "observed_wait", "wait_time_h": 60.0, "wait_cv": 1.0}
    net = line_network(service=svc)
    r = _only(net)
    assert r.legs[2].wait_h == 60.0
    res = simulate_route(net, r, depart=TUE_0800, samples=100_000, seed=4)
    # standard error of the mean: 60 x 1.0 / sqrt(1e5) = 0.19 h; tolerance 1 h
    assert abs(res.wait_h.mean() - 60.0) < 1.0
    assert np.percentile(res.wait_h, 50) == pytest.approx(LogNormal(60.0, 1.0).median_h, rel=0.03)
    assert res.deterministic_h == pytest.approx(r.time_h)


def _sum_lognormal_quantile(q: float, d1: tuple[float, float], d2: tuple[float, float]) -> float:
    """Quantile of X1 + X2 for independent lognormals by numerical convolution."""
    f1 = stats.lognorm(s=d1[1], scale=math.exp(d1[0]))
    f2 = stats.lognorm(s=d2[1], scale=math.exp(d2[0]))

    def cdf(s: float) -> float:
        val, _ = integrate.quad(lambda x: f1.pdf(x) * f2.cdf(s - x), 0.0, s, limit=200,
                                epsabs=1e-11, epsrel=1e-10)  # fmt: skip
        return float(val)

    return float(optimize.brentq(lambda s: cdf(s) - q, 1e-6, 1e4, xtol=1e-10))


def test_percentiles_converge_to_the_convolution() -> None:
    # Two rail runs of mean 10 h and 20 h (500 and 1000 km at 50 km/h) with cv 0.5, and an
    # observed ferry wait of 0 h with no voyage. With N = 200,000 the standard error of a
    # quantile is below 0.06 h for q <= 0.95; tolerance 1 % (0.3-0.5 h).
    svc = {"departure_rule": "observed_wait", "wait_time_h": 0.0}
    net = line_network(rail_km=(500.0, 1000.0), voyage_h=0.0, service=svc, rail_cv=0.5)
    r = _only(net)
    res = simulate_route(net, r, depart=TUE_0800, samples=200_000, seed=2)
    d1, d2 = LogNormal(10.0, 0.5), LogNormal(20.0, 0.5)
    for q, got in ((0.5, res.p50_h), (0.9, res.p90_h), (0.95, res.p95_h)):
        want = _sum_lognormal_quantile(q, (d1.mu, d1.sigma), (d2.mu, d2.sigma))
        assert got == pytest.approx(want, rel=0.01), (q, got, want)
    assert res.mean_h == pytest.approx(30.0, rel=0.01)


def _random_kernel_inputs(seed: int) -> tuple[object, ...]:
    rng = np.random.default_rng(seed)
    n_el = int(rng.integers(1, 8))
    n_tt = int(rng.integers(1, 4))
    kind = (rng.random(n_el) < 0.5).astype(np.int8)
    tt = rng.integers(0, n_tt, n_el).astype(np.int32)
    n = 300
    draws = rng.exponential(20.0, (n, n_el))
    counts = rng.integers(1, 4, n_tt)
    period = rng.choice([24.0, 96.0, 168.0], n_tt)
    offsets = np.concatenate(
        [np.sort(rng.uniform(0, p, c)) for p, c in zip(period, counts, strict=False)]
    )
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    shifts = rng.uniform(0, 100, (n, n_tt))
    p_cancel = rng.uniform(0, 0.7, (n_tt, 12))
    months = (np.arange(1500) // 30 % 12).astype(np.int8)
    return (float(rng.uniform(0, 168)), kind, tt, draws, ptr, offsets, period, shifts,
            p_cancel, months, int(rng.integers(0, 2**63)))  # fmt: skip


@pytest.mark.parametrize("seed", range(12))
def test_kernel_matches_numpy_reference(seed: int) -> None:
    args = _random_kernel_inputs(seed)
    got_t, got_w = walk_routes(*args)  # type: ignore[arg-type]
    want_t, want_w = walk_reference(*args)  # type: ignore[arg-type]
    np.testing.assert_allclose(got_t, want_t, rtol=0, atol=1e-9, err_msg=f"seed={seed}")
    np.testing.assert_allclose(got_w, want_w, rtol=0, atol=1e-9, err_msg=f"seed={seed}")


@settings(max_examples=30, deadline=None)
@given(
    km=st.tuples(st.floats(1.0, 3000.0), st.floats(1.0, 3000.0)),
    headway=st.floats(1.0, 200.0),
    p=st.floats(0.0, 0.6),
    shift_h=st.floats(0.0, 400.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_invariants(
    km: tuple[float, float], headway: float, p: float, shift_h: float, seed: int
) -> None:
    net = line_network(
        rail_km=km,
        service={"departure_rule": "headway", "headway_h": headway},
        cancellation=[("*", m, p) for m in range(1, 13)],
        rail_cv=0.6,
    )
    r = _only(net)
    res = simulate_route(net, r, depart=TUE_0800, samples=64, seed=seed)
    graph = build_graph(net, cargo="container", include_planned=True)
    model = build_route_model(graph, r)
    # transit time is never below the sum of the smallest durations
    assert np.all(res.transit_time_h >= model.minimum_h - 1e-9)
    assert np.all(res.wait_h >= 0.0)
    assert res.p50_h <= res.p90_h <= res.p95_h
    # routing and the simulation's central value are one figure, leg by leg
    for li, leg in enumerate(r.legs):
        assert model.expected_h[model.leg_index == li].sum() == pytest.approx(leg.time_h)
    # without cancellations and spread, a later start never arrives earlier (FIFO)
    calm = line_network(rail_km=km, service={"departure_rule": "headway", "headway_h": headway})
    rc = _only(calm)
    a = simulate_route(calm, rc, depart=TUE_0800, samples=1, seed=seed).transit_time_h[0]
    b = simulate_route(
        calm, rc, depart=TUE_0800 + timedelta(hours=shift_h), samples=1, seed=seed
    ).transit_time_h[0]
    assert shift_h + b >= a - 1e-6


def test_route_ranks_by_p90() -> None:
    # via the ferry: 2 h rail + a wait uniform on [0, 60) h + 1 h voyage + 2 h rail: mean
    # 35 h, P90 2 + 54 + 1 + 2 = 59 h. The direct road: 2,400 km at 60 km/h = 40 h, no
    # spread. By expected time the ferry wins; by the bad case (P90) the road does.
    net = line_network(
        service={"departure_rule": "headway", "headway_h": 60.0}, voyage_h=1.0, road_km=2400.0
    )
    by_time = route(net, "L", "R", k=2, cargo="container")
    assert [leg.mode for leg in by_time[0].legs][2] == "ferry"
    assert by_time[0].time_h == pytest.approx(35.0)
    ranked = route(net, "L", "R", objective="p90_time", k=2, depart=TUE_0800, samples=4000,
                   seed=1, cargo="container")  # fmt: skip
    assert [r.rank for r in ranked] == [1, 2]
    assert [leg.mode for leg in ranked[0].legs] == ["road"]
    assert ranked[0].objective == "p90_time"
    assert ranked[0].objective_value == ranked[0].reliability["p90_h"] == 40.0  # type: ignore[index]
    assert ranked[1].objective_value == pytest.approx(59.0, abs=1.0)
    with pytest.raises(InputError, match="depart"):
        route(net, "L", "R", objective="p90_time")
    with pytest.raises(InputError, match="objective"):
        route(net, "L", "R", objective="fastest")


def test_to_dict_deadline_and_plot(tmp_path: Path) -> None:
    net = line_network(rail_km=(0.001, 0.001))
    r = _only(net)
    res = simulate_route(net, r, depart=TUE_0800, samples=4000, seed=9, deadline_h=68.0)
    d = res.to_dict()
    for key in ("p50_h", "p90_h", "p95_h", "mean_h", "on_time_probability"):
        assert key in d
    # wait uniform on [0, 96): P(wait + 20 <= 68) = 48 / 96
    assert d["on_time_probability"] == pytest.approx(0.5, abs=0.03)
    assert d["deterministic_h"] == pytest.approx(68.0, abs=1e-3)
    out = plot_cdf({"1": res}, tmp_path / "cdf.png", deadline_h=68.0)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cdf.png"]
    with pytest.raises(InputError):
        plot_cdf({"1": res}, tmp_path / "cdf.gif")


def test_bad_arguments() -> None:
    net = line_network()
    r = _only(net)
    with pytest.raises(InputError, match="samples"):
        simulate_route(net, r, depart=TUE_0800, samples=0)
    with pytest.raises(InputError, match="seed"):
        simulate_route(net, r, depart=TUE_0800, seed=-1)
    with pytest.raises(InputError, match="deadline"):
        simulate_route(net, r, depart=TUE_0800, deadline_h=-1.0)
    with pytest.raises(InputError, match="no legs"):
        simulate_route(net, Route(1, (), cargo="container_40ft"), depart=TUE_0800)
    with pytest.raises(InputError, match="depart"):
        simulate_route(net, r, depart="tomorrow")  # type: ignore[arg-type]
    other = line_network(rail_km=(10.0, 10.0))
    foreign = _only(other)
    from dataclasses import replace

    bad = replace(foreign, legs=(replace(foreign.legs[0], link_id="NOPE"),))
    with pytest.raises(InputError, match="no run edge"):
        simulate_route(net, bad, depart=TUE_0800)


def test_deterministic_time_is_routing_time() -> None:
    net = line_network(service=MON_THU, cancellation=[("P", 1, 0.5)], rail_cv=0.3)
    r = _only(net)
    assert deterministic_time(net, r) == pytest.approx(r.time_h)
