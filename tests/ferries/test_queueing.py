"""Known queueing results, conservation and reproducibility of the ferry model."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.errors import InputError
from corridor.ferries import (
    FerryLine,
    LineInputs,
    StormProcess,
    draw_inputs,
    simulate_line,
    simulate_years,
    summarise,
)
from corridor.ferries.reference import simulate_line_reference
from corridor.graph.services import Timetable

YEAR_H = 365 * 24.0


def _pooled_wait_mean(line: FerryLine, rate: float, years: int, seed: int) -> float:
    return summarise(simulate_years(line, rate, years=years, seed=seed))[1].wait_mean_h


# ---------------------------------------------------------------- known results


def test_poisson_arrivals_fixed_headway_wait_half_the_headway() -> None:
    # capacity never binds: a unit waits for the next departure, on average H / 2
    line = FerryLine.scheduled("H", Timetable.headway(30.0), 10**6)
    mean = _pooled_wait_mean(line, 24.0, years=4, seed=11)
    assert mean == pytest.approx(15.0, abs=0.25)


def test_poisson_arrivals_uneven_timetable_wait_is_sum_of_squared_gaps() -> None:
    tt = Timetable.weekly("Mon|Tue", "00:00")  # gaps 24 h and 144 h
    line = FerryLine.scheduled("T", tt, 10**6)
    mean = _pooled_wait_mean(line, 12.0, years=6, seed=5)
    assert mean == pytest.approx(tt.mean_wait_h, rel=0.02)  # (24^2 + 144^2) / (2 * 168)


def _poisson_departures(rate_per_h: float, seed: int) -> Timetable:
    """Departures at the times of a Poisson process, over a period longer than any run."""
    rng = np.random.default_rng(seed)
    period = 3.0 * YEAR_H
    gaps = rng.exponential(1.0 / rate_per_h, int(period * rate_per_h * 1.2))
    offsets = np.cumsum(gaps)
    offsets = offsets[offsets < period]
    return Timetable(period, tuple(offsets.tolist()))


def test_mm1_equivalent_matches_the_formula() -> None:
    # Poisson arrivals (lambda), departures of capacity 1 at Poisson times (mu), unused
    # departures lost: the queue is a birth-death chain, i.e. M/M/1. Time from arrival to
    # departure W = 1 / (mu - lambda); mean number waiting L = rho / (1 - rho).
    lam, mu = 0.6, 1.0
    waits, queue = [], []
    for seed in range(3):
        line = FerryLine.scheduled("MM1", _poisson_departures(mu, 100 + seed), 1)
        run = simulate_line(line, lam * 24.0, seed=seed, warmup_days=30.0)
        y = run.year()
        waits.append(y.wait_mean_h)
        queue.append(y.queue_mean)
    assert np.mean(waits) == pytest.approx(1.0 / (mu - lam), rel=0.06)
    assert np.mean(queue) == pytest.approx(lam / mu / (1.0 - lam / mu), rel=0.06)


def test_md1_sails_when_full_matches_pollaczek_khinchine() -> None:
    # one ship of capacity 1 that leaves as soon as a unit boards and is back D hours
    # later: departures follow Lindley's recursion of an M/D/1 queue with service D, so the
    # wait is rho * D / (2 * (1 - rho)) (Pollaczek-Khinchine).
    d, lam = 2.0, 0.35
    rho = lam * d
    line = FerryLine.sails_when_full("MD1", 1, vessels=1, cycle_h=d)
    mean = _pooled_wait_mean(line, lam * 24.0, years=3, seed=3)
    assert mean == pytest.approx(rho * d / (2.0 * (1.0 - rho)), rel=0.06)


# ---------------------------------------------------------------- capacity


def _inputs(arrivals: list[float], departures: list[float]) -> LineInputs:
    return LineInputs(
        start_h=0.0,
        record_end_h=YEAR_H,
        horizon_h=YEAR_H,
        arrival_h=np.asarray(arrivals, dtype=np.float64),
        closed_from_h=np.empty(0),
        closed_to_h=np.empty(0),
        departure_h=np.asarray(departures, dtype=np.float64),
        units_per_day=(0.0,) * 12,
    )


def test_binding_capacity_leaves_units_behind_by_hand() -> None:
    # 100 units before the first sailing; ships of 30 every 24 h: 70, 40, 10 left, then 0
    line = FerryLine.scheduled("C", Timetable.headway(24.0, phase_h=2.0), 30)
    inp = _inputs([0.01 * i for i in range(100)], [2.0 + 24.0 * k for k in range(6)])
    run = simulate_line(line, 0.0, inputs=inp)
    assert run.sailing_load.tolist() == [30, 30, 30, 10, 0, 0]
    assert run.sailing_left_behind.tolist() == [70, 40, 10, 0, 0, 0]
    assert run.board_h[:30].tolist() == [2.0] * 30
    assert run.board_h[90:].tolist() == [74.0] * 10


def test_sails_when_full_by_hand() -> None:
    # one ship of 3, back 10 h after it leaves; max hold 5 h at the berth
    line = FerryLine.sails_when_full("F", 3, vessels=1, cycle_h=10.0, max_hold_h=5.0)
    inp = _inputs([1.0, 2.0, 3.0, 4.0, 20.0], [])
    run = simulate_line(line, 0.0, inputs=inp)
    # berths at 0, full at 3 -> leaves at 3; back at 13, holds 5 h -> leaves at 18 with unit 4;
    # back at 28 with unit 5 waiting since 20 -> holds to 33
    assert run.board_h.tolist() == [3.0, 3.0, 3.0, 18.0, 33.0]
    assert run.sailing_load.tolist()[:3] == [3, 1, 1]


def test_closed_port_delays_departures_to_the_reopening() -> None:
    line = FerryLine.scheduled("W", Timetable.headway(24.0, phase_h=0.0), 100)
    inp = LineInputs(
        0.0, YEAR_H, 100.0, np.array([1.0, 30.0, 60.0]), np.array([20.0]), np.array([70.0]),
        np.array([0.0, 24.0, 48.0, 72.0, 96.0]), (0.0,) * 12,
    )  # fmt: skip
    run = simulate_line(line, 0.0, inputs=inp)
    # departures at 24 and 48 fall in the closure: both leave at 70, the first with all three
    assert run.sailing_h.tolist() == [0.0, 70.0, 70.0, 72.0, 96.0]
    assert run.sailing_load.tolist() == [0, 3, 0, 0, 0]
    assert run.board_h.tolist() == [70.0, 70.0, 70.0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=st.sampled_from(["headway", "timetable", "full"]),
    cap=st.integers(1, 60),
    share=st.floats(0.2, 1.3),
    share_closed=st.sampled_from([0.0, 0.3]),
    vessels=st.integers(1, 3),
    berths=st.integers(1, 2),
    hold=st.sampled_from([None, 6.0, 48.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_conservation_and_left_behind(
    rule: str,
    cap: int,
    share: float,
    share_closed: float,
    vessels: int,
    berths: int,
    hold: float | None,
    seed: int,
) -> None:
    storms = StormProcess.from_closure_share(share_closed, 36.0)
    if rule == "full":
        line = FerryLine.sails_when_full(
            "X", cap, vessels=vessels, cycle_h=40.0, port_time_h=3.0, berths=berths,
            max_hold_h=hold, storms=storms,
        )  # fmt: skip
    elif rule == "headway":
        line = FerryLine.scheduled("X", Timetable.headway(30.0), cap, storms=storms)
    else:
        line = FerryLine.scheduled(
            "X", Timetable.weekly("Mon|Wed|Sat", "08:00"), cap, storms=storms
        )
    run = simulate_line(line, share * line.capacity_units_per_day, seed=seed, max_run_out_days=60.0)
    a, b = run.inputs.arrival_h, run.board_h
    boarded = ~np.isnan(b)
    info = f"seed={seed}"
    # no unit lost or duplicated: every unit boards once or is still waiting at the end
    assert int(run.sailing_load.sum()) == int(boarded.sum()), info
    assert np.all(b[boarded] >= a[boarded]), info
    # first come, first served: the boarded units are a prefix, boarding times sorted
    assert np.all(boarded[: boarded.sum()]), info
    assert np.all(np.diff(b[boarded]) >= 0.0), info
    # units left behind = arrived so far - carried so far, and only full ships leave any
    arrived = np.searchsorted(a, run.sailing_h, side="right")
    assert np.array_equal(run.sailing_left_behind, arrived - np.cumsum(run.sailing_load)), info
    assert np.all(run.sailing_load[run.sailing_left_behind > 0] == cap), info
    assert np.all(run.sailing_load <= cap), info
    # no departure inside a closure
    cf, ct = run.inputs.closed_from_h, run.inputs.closed_to_h
    if cf.size:
        i = np.searchsorted(cf, run.sailing_h, side="right") - 1
        inside = (i >= 0) & (run.sailing_h < ct[np.maximum(i, 0)])
        assert not inside.any(), info


def _two_months(inp: LineInputs) -> LineInputs:
    """The same inputs with two months recorded and arrivals to the end of March."""
    return LineInputs(
        inp.start_h,
        60 * 24.0,
        inp.horizon_h,
        inp.arrival_h[inp.arrival_h < 90 * 24.0],
        inp.closed_from_h,
        inp.closed_to_h,
        inp.departure_h,
        inp.units_per_day,
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=st.sampled_from(["headway", "full"]),
    cap=st.integers(1, 40),
    share=st.floats(0.2, 1.2),
    hold=st.sampled_from([None, 8.0]),
    berths=st.integers(1, 2),
    seed=st.integers(0, 2**32 - 1),
)
def test_fast_model_equals_the_unit_by_unit_simpy_twin(
    rule: str, cap: int, share: float, hold: float | None, berths: int, seed: int
) -> None:
    storms = StormProcess.from_closure_share(0.25, 40.0)
    if rule == "full":
        line = FerryLine.sails_when_full(
            "X", cap, vessels=2, cycle_h=30.0, port_time_h=2.0, berths=berths, max_hold_h=hold,
            storms=storms,
        )  # fmt: skip
    else:
        line = FerryLine.scheduled("X", Timetable.headway(20.0), cap, storms=storms)
    inp = draw_inputs(
        line, share * line.capacity_units_per_day, seed=seed, warmup_days=10, max_run_out_days=30
    )
    inp = _two_months(inp)  # to keep the twin quick
    fast = simulate_line(line, 0.0, inputs=inp)
    slow = simulate_line_reference(line, inp)
    assert np.allclose(fast.board_h, slow.board_h, equal_nan=True), f"seed={seed}"
    assert np.array_equal(fast.sailing_load, slow.sailing_load), f"seed={seed}"


# ---------------------------------------------------------------- reproducibility


def test_same_seed_same_output_other_seed_differs() -> None:
    line = FerryLine.sails_when_full(
        "S", 20, vessels=2, cycle_h=30.0, storms=StormProcess.from_closure_share(0.2, 50.0)
    )
    a = simulate_line(line, 20.0, seed=42)
    b = simulate_line(line, 20.0, seed=42)
    c = simulate_line(line, 20.0, seed=43)
    assert np.array_equal(a.board_h, b.board_h, equal_nan=True)
    assert [m.to_dict() for m in a.months()] == [m.to_dict() for m in b.months()]
    assert not np.array_equal(a.inputs.arrival_h[:10], c.inputs.arrival_h[:10])


# ---------------------------------------------------------------- weather


def test_storm_process_reproduces_frequency_and_duration() -> None:
    # 3 storms a month (30 days) of 60 h on average, in March only; 40 years
    rates = [0.0] * 12
    rates[2] = 3.0 / 30.0
    sp = StormProcess(tuple(rates), 60.0)
    rng = np.random.default_rng(9)
    years = 40
    s, e = sp.sample_storms(0.0, years * YEAR_H, rng)
    assert s.size / years == pytest.approx(3.0 * 31 / 30, rel=0.1)
    assert np.mean(e - s) == pytest.approx(60.0, rel=0.1)
    from corridor.ferries.weather import month_of_hour

    assert set(month_of_hour(s).tolist()) == {2}


def test_closure_share_in_the_long_run_and_runs_of_days() -> None:
    share = [0.0] * 10 + [0.5, 0.5]  # as the Kuryk port director's November-December figure
    sp = StormProcess.from_closure_share(share, 108.0)
    rng = np.random.default_rng(4)
    years = 60
    cf, ct = sp.closures(-YEAR_H, years * YEAR_H, rng)
    nov_dec = []
    for y in range(years):
        a, b = y * YEAR_H + 304 * 24.0, (y + 1) * YEAR_H
        nov_dec.append(np.sum(np.clip(np.minimum(ct, b) - np.maximum(cf, a), 0, None)) / (b - a))
    assert np.mean(nov_dec) == pytest.approx(0.5, abs=0.03)
    assert np.all(cf[1:] > ct[:-1])  # disjoint
    assert np.median(ct - cf) > 48.0  # closures last days, not hours
    # the expected shares the calibration solved for
    assert sp.expected_closed_shares()[10:] == pytest.approx([0.5, 0.5], abs=1e-4)


def test_stationary_closure_share_is_one_minus_exp() -> None:
    sp = StormProcess.from_closure_share(0.3, 48.0)
    lam = sp.starts_per_day[0] / 24.0
    assert 1.0 - math.exp(-lam * 48.0) == pytest.approx(0.3)
    cf, ct = sp.closures(0.0, 50 * YEAR_H, np.random.default_rng(8))
    assert np.sum(ct - cf) / (50 * YEAR_H) == pytest.approx(0.3, abs=0.02)


def test_storm_arguments_are_checked() -> None:
    with pytest.raises(InputError, match="closure share"):
        StormProcess.from_closure_share(1.0, 10.0)
    with pytest.raises(InputError, match="mean_duration_h"):
        StormProcess((0.1,) * 12, 0.0)
    with pytest.raises(InputError, match="12 monthly"):
        StormProcess((0.1,) * 11, 10.0)


def test_line_arguments_are_checked() -> None:
    with pytest.raises(InputError, match="units_per_sailing"):
        FerryLine.sails_when_full("X", 0, vessels=1, cycle_h=10.0)
    with pytest.raises(InputError, match="cycle_h"):
        FerryLine.sails_when_full("X", 5, vessels=1, cycle_h=1.0, port_time_h=2.0)
    with pytest.raises(InputError, match="rule"):
        FerryLine("X", 5, "sometimes")
    with pytest.raises(InputError, match="units_per_day"):
        simulate_line(FerryLine.scheduled("X", Timetable.headway(5.0), 1), [1.0] * 11)
    with pytest.raises(InputError, match="years"):
        simulate_years(FerryLine.scheduled("X", Timetable.headway(5.0), 1), 1.0, years=0)
    assert math.isfinite(FerryLine.scheduled("X", Timetable.headway(5.0), 1).sailings_per_day)


def test_departure_after_a_closure_is_not_a_rounding_hair_inside_it() -> None:
    # found by Hypothesis: the reopening time computed as now + (reopen - now) fell
    # 7e-15 h inside the closure; the departure must be at or after the reopening
    storms = StormProcess.from_closure_share(0.3, 36.0)
    line = FerryLine.scheduled("X", Timetable.headway(30.0), 1, storms=storms)
    run = simulate_line(line, 0.2 * line.capacity_units_per_day, seed=269084820,
                        max_run_out_days=60.0)  # fmt: skip
    cf, ct = run.inputs.closed_from_h, run.inputs.closed_to_h
    i = np.searchsorted(cf, run.sailing_h, side="right") - 1
    inside = (i >= 0) & (run.sailing_h < ct[np.maximum(i, 0)])
    assert cf.size > 0
    assert not inside.any()


def test_a_ship_full_at_an_arrival_takes_that_unit_float_hair() -> None:
    """Regression (found by Hypothesis, seed 255): ``now + (t - now)`` landed one ulp before
    the arrival that filled the ship, which then sailed without it."""
    storms = StormProcess.from_closure_share(0.25, 40.0)
    line = FerryLine.sails_when_full(
        "X", 4, vessels=2, cycle_h=30.0, port_time_h=2.0, berths=1, storms=storms
    )
    inp = draw_inputs(line, 0.5 * line.capacity_units_per_day, seed=255, warmup_days=10,
                      max_run_out_days=30)  # fmt: skip
    inp = _two_months(inp)
    fast = simulate_line(line, 0.0, inputs=inp)
    slow = simulate_line_reference(line, inp)
    assert np.array_equal(fast.sailing_load, slow.sailing_load)
    assert np.allclose(fast.board_h, slow.board_h, equal_nan=True)
    # a ship leaves when full: its departure is never before the unit that filled it
    full = fast.sailing_load == 4
    assert np.all(fast.board_h[~np.isnan(fast.board_h)] >= inp.arrival_h[~np.isnan(fast.board_h)])
    assert full.any()
