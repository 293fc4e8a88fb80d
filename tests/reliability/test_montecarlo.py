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
from corridor.network.model import Network
from corridor.reliability import (
    ReliabilityParameters,
    build_route_model,
    deterministic_time,
    plot_cdf,
    rank_routes,
    simulate_route,
)
from corridor.reliability._kernels import walk_reference, walk_routes
from corridor.routing.types import Leg, Route

from .conftest import ferry, ferry_params, rail

TUE_0800 = datetime(2026, 12, 1, 8, 0)  # a Tuesday: 32 h after Monday 00:00
MON_0800 = datetime(2026, 11, 30, 8, 0)  # a Monday: 8 h after Monday 00:00
FRI_1200 = datetime(2026, 12, 4, 12, 0)  # a Friday: 108 h after Monday 00:00
MON_THU = {"from_id": "P", "to_id": "Q", "weekdays": "Mon|Thu", "departure_times": "10:00"}


def test_calendar_of_the_fixtures() -> None:
    assert (TUE_0800.weekday(), MON_0800.weekday(), FRI_1200.weekday()) == (1, 0, 4)


def test_tuesday_arrival_sails_thursday(shipped: ReliabilityParameters, port_net: Network) -> None:
    # Depart Tue 08:00 (t = 32 h), at port P at once; Mon/Thu 10:00 sailings: the next one
    # is Thu 10:00 (t = 82 h): wait 50 h, then a 20 h voyage -> 70 h door to door.
    params = ferry_params(shipped, [MON_THU])
    route = Route(1, (ferry("P", "Q", 20.0),))
    assert deterministic_time(port_net, route, depart=TUE_0800, params=params) == 70.0
    res = simulate_route(port_net, route, depart=TUE_0800, samples=50, seed=1, params=params)
    assert np.all(res.transit_time_h == 70.0)
    assert np.all(res.wait_h == 50.0)


def test_missed_sailing_moves_to_the_next(
    shipped: ReliabilityParameters, port_net: Network
) -> None:
    params = ferry_params(shipped, [MON_THU])
    # Depart Mon 08:00 (t = 8). A 1 h rail run reaches P at t = 9 and catches Mon 10:00
    # (t = 10): 1 + 1 wait + 20 voyage = 22 h.
    fast = Route(1, (rail("L", "P", 1.0), ferry("P", "Q", 20.0)))
    assert deterministic_time(port_net, fast, depart=MON_0800, params=params) == 22.0
    # A 30 h run reaches P at t = 38 (Tue 14:00), misses Monday's sailing and takes
    # Thu 10:00 (t = 82): 82 - 8 + 20 = 94 h.
    slow = Route(1, (rail("L", "P", 30.0), ferry("P", "Q", 20.0)))
    assert deterministic_time(port_net, slow, depart=MON_0800, params=params) == 94.0


def test_chain_across_a_week_boundary(shipped: ReliabilityParameters, port_net: Network) -> None:
    # Depart Fri 12:00 (t = 108). P->Q sails Mon/Thu 10:00: next is Mon 10:00 of the
    # following week, t = 168 + 10 = 178. Voyage 20 h -> at Q t = 198 (Tue 06:00).
    # Q->R sails Wed 12:00: t = 168 + 48 + 12 = 228. Voyage 10 h -> t = 238.
    # Door to door: 238 - 108 = 130 h, of which waits 70 + 30 = 100 h.
    params = ferry_params(
        shipped,
        [MON_THU, {"from_id": "Q", "to_id": "R", "weekdays": "Wed", "departure_times": "12:00"}],
    )
    route = Route(1, (ferry("P", "Q", 20.0), ferry("Q", "R", 10.0)))
    res = simulate_route(port_net, route, depart=FRI_1200, samples=10, seed=0, params=params)
    assert np.all(res.transit_time_h == 130.0)
    assert np.all(res.wait_h == 100.0)


def test_degenerate_distributions_give_the_deterministic_time(
    shipped: ReliabilityParameters, port_net: Network
) -> None:
    params = ferry_params(shipped, [MON_THU])
    legs = (
        rail("L", "P", 7.5),
        Leg("port", "rail_1520>ferry", "P", "P", 0.0, 3.25, 0.0, 0.0, place_id="P"),
        ferry("P", "Q", 20.0),
    )
    tdz = params.table("transfer_delays").assign(distribution="degenerate")
    params = params.with_tables(transfer_delays=tdz)
    route = Route(1, legs)
    det = deterministic_time(port_net, route, depart=TUE_0800, params=params)
    res = simulate_route(port_net, route, depart=TUE_0800, samples=100, seed=5, params=params)
    assert np.all(res.transit_time_h == det)
    # t = 32 + 7.5 + 3.25 = 42.75 -> Thu 10:00 (82) -> + 20 = 102 -> 70 h
    assert det == 70.0


def test_same_seed_same_numbers(shipped: ReliabilityParameters, port_net: Network) -> None:
    params = ferry_params(
        shipped,
        [{"from_id": "P", "to_id": "Q", "headway_h": 96.0}],
        cancel=[("*", 12, 0.3)],
        rail_cv=0.4,
    )
    route = Route(1, (rail("L", "P", 30.0), ferry("P", "Q", 20.0)))
    a = simulate_route(port_net, route, depart=TUE_0800, samples=500, seed=11, params=params)
    b = simulate_route(port_net, route, depart=TUE_0800, samples=500, seed=11, params=params)
    c = simulate_route(port_net, route, depart=TUE_0800, samples=500, seed=12, params=params)
    assert np.array_equal(a.transit_time_h, b.transit_time_h)
    assert not np.array_equal(a.transit_time_h, c.transit_time_h)


def test_cancellations_skip_sailings_geometrically(
    shipped: ReliabilityParameters, port_net: Network
) -> None:
    # A daily sailing at 10:00, each cancelled with p = 0.4 in December. The number of
    # sailings skipped is geometric: mean p / (1 - p) = 2/3, so the mean wait is
    # 2 h (Tue 08:00 -> 10:00) + 24 h * 2/3 = 18 h. With 40,000 draws the standard error
    # of the mean wait is 24 * sqrt(p) / (1 - p) / sqrt(40000) = 0.13 h; tolerance 0.6 h.
    daily = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
    params = ferry_params(
        shipped,
        [{"from_id": "P", "to_id": "Q", "weekdays": daily, "departure_times": "10:00"}],
        cancel=[("Q", 12, 0.4)],
    )
    route = Route(1, (ferry("P", "Q", 20.0),))
    res = simulate_route(port_net, route, depart=TUE_0800, samples=40_000, seed=3, params=params)
    skipped = (res.wait_h - 2.0) / 24.0
    assert np.allclose(skipped, np.round(skipped))
    assert abs(res.wait_h.mean() - 18.0) < 0.6
    assert abs(np.mean(skipped == 0) - 0.6) < 0.015
    # November has no cancellations in these parameters
    nov = simulate_route(
        port_net, route, depart=TUE_0800 - timedelta(days=14), samples=200, seed=3, params=params
    )
    assert np.all(nov.wait_h == 2.0)


def _sum_lognormal_quantile(q: float, d1: tuple[float, float], d2: tuple[float, float]) -> float:
    """Quantile of X1 + X2 for independent lognormals by numerical convolution."""
    f1 = stats.lognorm(s=d1[1], scale=math.exp(d1[0]))
    f2 = stats.lognorm(s=d2[1], scale=math.exp(d2[0]))

    def cdf(s: float) -> float:
        val, _ = integrate.quad(lambda x: f1.pdf(x) * f2.cdf(s - x), 0.0, s, limit=200,
                                epsabs=1e-11, epsrel=1e-10)  # fmt: skip
        return float(val)

    return float(optimize.brentq(lambda s: cdf(s) - q, 1e-6, 1e4, xtol=1e-10))


def test_percentiles_converge_to_the_convolution(
    shipped: ReliabilityParameters, port_net: Network
) -> None:
    # Two rail runs of mean 10 h and 20 h with cv 0.5 (lognormal). With N = 200,000 the
    # standard error of a quantile is sqrt(q (1 - q) / N) / f(x_q): below 0.06 h here for
    # q <= 0.95 (density at the P95 of the sum is about 0.01/h). Tolerance: 1 % of the
    # quantile (0.3-0.5 h), more than 5 standard errors.
    params = ferry_params(shipped, [], rail_cv=0.5)
    route = Route(1, (rail("L", "P", 10.0), rail("P", "Q", 20.0)))
    res = simulate_route(port_net, route, depart=TUE_0800, samples=200_000, seed=2, params=params)
    model = build_route_model(port_net, route, params=params)
    d1, d2 = model.distributions
    p1 = (d1.mu, d1.sigma)  # type: ignore[attr-defined]
    p2 = (d2.mu, d2.sigma)  # type: ignore[attr-defined]
    for q, got in ((0.5, res.p50_h), (0.9, res.p90_h), (0.95, res.p95_h)):
        want = _sum_lognormal_quantile(q, p1, p2)
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


route_shapes = st.lists(
    st.tuples(st.sampled_from(["rail", "ferry"]), st.floats(0.0, 60.0)), min_size=1, max_size=6
)


@settings(max_examples=40, deadline=None)
@given(shape=route_shapes, shift_h=st.floats(0.0, 400.0), seed=st.integers(0, 2**32 - 1))
def test_invariants(shape: list[tuple[str, float]], shift_h: float, seed: int) -> None:
    from corridor.reliability import load_reliability_parameters

    base = load_reliability_parameters()
    params = ferry_params(
        base, [MON_THU, {"from_id": "Q", "to_id": "P", "headway_h": 30.0}],
        cancel=[("*", m, 0.2) for m in range(1, 13)], rail_cv=0.6,
    )  # fmt: skip
    places = ["P", "Q"]
    legs = []
    for i, (kind, hours) in enumerate(shape):
        a, b = places[i % 2], places[(i + 1) % 2]
        legs.append(ferry(a, b, hours) if kind == "ferry" else rail(a, b, hours))
    import pandas as pd

    net = Network.from_frames(
        pd.DataFrame({"place_id": ["P", "Q"], "country": ["XXX", "XXX"]}),
        pd.DataFrame({"link_id": [], "from_id": [], "to_id": [], "mode": []}),
    )
    route = Route(1, tuple(legs))
    res = simulate_route(net, route, depart=TUE_0800, samples=64, seed=seed, params=params)
    minimum = build_route_model(net, route, params=params).minimum_h
    # transit time is never below the sum of the smallest durations
    assert np.all(res.transit_time_h >= minimum - 1e-9)
    assert np.all(res.wait_h >= 0.0)
    assert res.p50_h <= res.p90_h <= res.p95_h
    # deterministic walk is FIFO: leaving later never arrives earlier
    d0 = deterministic_time(net, route, depart=TUE_0800, params=params)
    d1 = deterministic_time(net, route, depart=TUE_0800 + timedelta(hours=shift_h), params=params)
    assert shift_h + d1 >= d0 - 1e-9


def test_rank_routes_by_p90(shipped: ReliabilityParameters, port_net: Network) -> None:
    params = ferry_params(shipped, [MON_THU], rail_cv=0.8)
    steady = Route(1, (rail("L", "P", 60.0),), extra={"name": "steady"})
    risky = Route(2, (rail("L", "P", 40.0), rail("P", "Q", 10.0)), extra={"name": "risky"})
    params = params.with_tables(
        run_spread=params.table("run_spread").assign(cv=[0.0, 0.0, 0.0], distribution="degenerate")
    )
    ranked = rank_routes(port_net, [risky, steady], depart=TUE_0800, samples=200, seed=1,
                         params=params)  # fmt: skip
    assert [r.extra["name"] for r in ranked] == ["risky", "steady"]
    assert [r.rank for r in ranked] == [1, 2]
    assert ranked[0].objective == "p90_time"
    assert ranked[0].extra["reliability"]["p90_h"] == 50.0
    with pytest.raises(InputError, match="objective"):
        rank_routes(port_net, [steady], depart=TUE_0800, objective="fastest")


def test_to_dict_deadline_and_plot(
    shipped: ReliabilityParameters, port_net: Network, tmp_path: Path
) -> None:
    params = ferry_params(shipped, [{"from_id": "P", "to_id": "Q", "headway_h": 96.0}])
    route = Route(1, (ferry("P", "Q", 20.0),))
    res = simulate_route(port_net, route, depart=TUE_0800, samples=4000, seed=9,
                         deadline_h=68.0, params=params)  # fmt: skip
    d = res.to_dict()
    for key in ("p50_h", "p90_h", "p95_h", "mean_h", "on_time_probability"):
        assert key in d
    # wait uniform on [0, 96): P(wait + 20 <= 68) = 48 / 96
    assert d["on_time_probability"] == pytest.approx(0.5, abs=0.03)
    assert d["deterministic_h"] == 68.0
    out = plot_cdf({"1": res}, tmp_path / "cdf.png", deadline_h=68.0)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cdf.png"]
    with pytest.raises(InputError):
        plot_cdf({"1": res}, tmp_path / "cdf.gif")


def test_bad_arguments(port_net: Network) -> None:
    route = Route(1, (rail("L", "P", 1.0),))
    with pytest.raises(InputError, match="samples"):
        simulate_route(port_net, route, depart=TUE_0800, samples=0)
    with pytest.raises(InputError, match="deadline"):
        simulate_route(port_net, route, depart=TUE_0800, deadline_h=-1.0)
    with pytest.raises(InputError, match="no legs"):
        simulate_route(port_net, Route(1, ()), depart=TUE_0800)
