from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import InputError
from corridor.graph.services import Timetable, expected_wait_h, parse_weekdays


def test_tuesday_arrival_waits_for_thursday() -> None:
    # Mon and Thu sailings at 10:00 -> offsets 10 h and 3*24+10 = 82 h from Monday 00:00.
    # Arriving Tuesday 08:00 = 24+8 = 32 h: Monday's sailing has gone, the next is
    # Thursday 10:00 = 82 h, a wait of 50 h.
    tt = Timetable.weekly("Mon|Thu", "10:00")
    assert float(tt.next_departure(32.0)) == 82.0


def test_week_wraps_and_exact_departure_is_caught() -> None:
    tt = Timetable.weekly("Mon|Thu", "10:00")
    # Friday 12:00 = 108 h -> next Monday 10:00 = 168 + 10 = 178 h
    got = tt.next_departure([108.0, 82.0, 178.0 + 168.0 + 1.0])
    assert got.tolist() == [178.0, 82.0, 168.0 * 2 + 82.0]


def test_mean_wait_of_weekly_timetable() -> None:
    # gaps of 72 h and 96 h: (72^2 + 96^2) / (2 * 168) = 42.857...
    assert Timetable.weekly("Mon|Thu", "10:00").mean_wait_h == pytest.approx(14400 / 336)


@settings(max_examples=30, deadline=None)
@given(
    offsets=st.lists(st.floats(0.0, 167.9), min_size=1, max_size=5, unique=True),
    p=st.floats(0.0, 0.8),
)
def test_expected_wait_matches_a_direct_simulation(offsets: list[float], p: float) -> None:
    # Arrivals uniform over the week; each departure is cancelled independently with
    # chance p, so the number skipped is geometric. The mean of 40,000 simulated waits must
    # match the closed form within 4 standard errors of the simulated mean.
    tt = Timetable(168.0, tuple(sorted(offsets)))
    rng = np.random.default_rng(7)
    n = 40_000
    t = rng.uniform(0.0, 168.0, n)
    weeks = np.arange(200)[:, None] * 168.0
    deps = (weeks + np.asarray(tt.offsets_h)[None, :]).ravel()
    first = np.searchsorted(deps, t, side="left")
    skipped = rng.geometric(1.0 - p, n) - 1 if p > 0 else np.zeros(n, dtype=np.int64)
    waits = deps[first + skipped] - t
    se = waits.std() / np.sqrt(n)
    assert abs(waits.mean() - expected_wait_h(tt, p)) < 4 * se + 1e-9


def test_expected_wait_known_answers() -> None:
    # a headway of 96 h: half of it, plus a full headway per expected cancellation p/(1-p)
    assert expected_wait_h(Timetable.headway(96.0)) == 48.0
    assert expected_wait_h(Timetable.headway(96.0), 0.25) == pytest.approx(48.0 + 96.0 / 3)
    # monthly values: the mean over the months, weighted by their days
    p = np.zeros(12)
    p[0] = 0.5  # January only
    want = (31 * 144.0 + 334 * 48.0) / 365
    assert expected_wait_h(Timetable.headway(96.0), p) == pytest.approx(want)
    with pytest.raises(InputError, match="p_cancel"):
        expected_wait_h(Timetable.headway(96.0), 1.0)
    with pytest.raises(InputError, match="12 monthly"):
        expected_wait_h(Timetable.headway(96.0), [0.1, 0.2])


@given(
    offsets=st.lists(st.floats(0.0, 167.9), min_size=1, max_size=5, unique=True),
    t=st.floats(-500.0, 2000.0),
    shift=st.floats(0.0, 167.0),
)
def test_next_departure_matches_brute_force(offsets: list[float], t: float, shift: float) -> None:
    tt = Timetable(168.0, tuple(sorted(offsets)))
    got = float(tt.next_departure(t, shift))
    deps = np.array([shift + k * 168.0 + o for k in range(-6, 16) for o in tt.offsets_h])
    want = deps[deps >= t].min()
    assert got >= t - 1e-9
    assert got == pytest.approx(want, abs=1e-6)


def test_bad_input() -> None:
    with pytest.raises(InputError, match="weekday"):
        parse_weekdays("Mon|Funday")
    with pytest.raises(InputError, match="HH:MM"):
        Timetable.weekly("Mon", "ten")
    with pytest.raises(InputError, match="headway_h"):
        Timetable.headway(0.0)
