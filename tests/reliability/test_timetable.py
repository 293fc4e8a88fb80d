from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.errors import InputError
from corridor.reliability.timetable import Timetable, parse_weekdays


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
