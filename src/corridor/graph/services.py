"""Scheduled services (ferries, sea lines): departure rules, timetables and expected waits.

A service runs by one of three **departure rules**, as the data for that service says
(the ``departure_rule`` column of the ``ferry_services`` table):

``timetable``
    Published weekly departures (``weekdays`` and ``departure_times``).
``headway``
    A departure every ``headway_h`` hours (or ``168 / departures_per_week``) at an unknown
    phase: what a published frequency without a timetable supports.
``observed_wait``
    A published typical wait before sailing (``wait_time_h``, with ``wait_cv`` for its
    spread): for lines that sail when full, where the frequency says little. The observed
    wait already includes weather, so no cancellations are added to it.

Under the first two rules each departure is cancelled by weather with the monthly chance
of the ``cancellation`` table (the larger of the two ports' values), and a unit waits for
the next one. :func:`expected_wait_h` is the mean wait for an arrival at a uniformly random
time of the year: routing adds it to the voyage time, and the simulation's deterministic
time uses the same figure, so both see the same service.

Time is counted in hours from **Monday 00:00** of the week the shipment departs (the
*epoch*); local clock times of the ports are used as they are (time zones are ignored, a
difference of at most one or two hours on the Caspian).

A :class:`Timetable` repeats with a period: 168 h for a weekly timetable, the headway for a
headway service. Its departures are ``shift + k * period + offset`` for every integer ``k``
and every offset. A service without a published timetable has an unknown phase: it is
drawn uniformly in ``[0, period)`` for every Monte Carlo sample (``random_phase``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridor.errors import InputError

__all__ = [
    "DEPARTURE_RULES",
    "HOURS_PER_WEEK",
    "WEEKDAYS",
    "Timetable",
    "expected_wait_h",
    "parse_weekdays",
]

HOURS_PER_WEEK = 168.0

#: Departure rules of a service, by their code in the expanded graph.
DEPARTURE_RULES: tuple[str, ...] = ("headway", "timetable", "observed_wait")

#: Weekday abbreviations, Monday first (``datetime.weekday()`` order).
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse ``"Mon|Thu"`` into weekday numbers (Monday = 0).

    Parameters
    ----------
    text : str
        Weekday abbreviations joined by ``|`` (case-insensitive; full names accepted).

    Returns
    -------
    tuple of int

    Raises
    ------
    InputError
        For an unknown day name.

    Examples
    --------
    >>> parse_weekdays("Mon|thursday")
    (0, 3)

    """
    days = []
    for part in text.split("|"):
        name = part.strip()[:3].title()
        if name not in WEEKDAYS:
            raise InputError(f"unknown weekday {part!r}: use {'|'.join(WEEKDAYS)}")
        days.append(WEEKDAYS.index(name))
    return tuple(sorted(set(days)))


def _parse_clock(text: str) -> float:
    try:
        hh, mm = text.strip().split(":")
        h, m = int(hh), int(mm)
    except ValueError as err:
        raise InputError(f"departure time {text!r} is not HH:MM") from err
    if not (0 <= h < 24 and 0 <= m < 60):
        raise InputError(f"departure time {text!r} is out of range 00:00-23:59")
    return h + m / 60.0


@dataclass(frozen=True)
class Timetable:
    """Departures repeating with a period.

    Parameters
    ----------
    period_h : float
        Length of the repeating pattern in hours (168 for a weekly timetable).
    offsets_h : tuple of float
        Departure times within one period, sorted, each in ``[0, period_h)``.
    random_phase : bool
        True when the phase is unknown and drawn per sample (headway services without a
        timetable); deterministic evaluation then waits half a period.

    Examples
    --------
    >>> tt = Timetable.weekly("Mon|Thu", "10:00")
    >>> tt.offsets_h
    (10.0, 82.0)
    >>> # Tuesday 08:00 is hour 32 -> Thursday 10:00 is hour 82
    >>> float(tt.next_departure(32.0))
    82.0

    """

    period_h: float
    offsets_h: tuple[float, ...]
    random_phase: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.period_h) and self.period_h > 0.0):
            raise InputError(f"period_h must be > 0, got {self.period_h!r}")
        if not self.offsets_h:
            raise InputError("a timetable needs at least one departure, got none")
        if list(self.offsets_h) != sorted(self.offsets_h) or not all(
            0.0 <= o < self.period_h for o in self.offsets_h
        ):
            raise InputError(
                f"offsets_h must be sorted and within [0, {self.period_h}), got {self.offsets_h}"
            )

    @classmethod
    def weekly(
        cls, weekdays: str | Sequence[int], times: str | Sequence[str] = "12:00"
    ) -> Timetable:
        """Build a weekly timetable from weekdays and clock times.

        Parameters
        ----------
        weekdays : str or sequence of int
            ``"Mon|Thu"`` or weekday numbers (Monday = 0).
        times : str or sequence of str
            ``"HH:MM"`` departure times, each used on every listed weekday; several as
            ``"08:00|20:00"`` or a list.

        Returns
        -------
        Timetable

        """
        days = parse_weekdays(weekdays) if isinstance(weekdays, str) else tuple(weekdays)
        for d in days:
            if d not in range(7):
                raise InputError(f"weekday number must be 0-6, got {d!r}")
        clock = times.split("|") if isinstance(times, str) else list(times)
        hours = sorted({24.0 * d + _parse_clock(c) for d in days for c in clock})
        return cls(HOURS_PER_WEEK, tuple(hours))

    @classmethod
    def headway(cls, headway_h: float, *, phase_h: float | None = None) -> Timetable:
        """Build a headway service: one departure every ``headway_h`` hours.

        Parameters
        ----------
        headway_h : float
            Hours between departures (> 0).
        phase_h : float, optional
            Hour of a departure (modulo the headway); ``None`` for an unknown phase, drawn
            per sample.

        Returns
        -------
        Timetable

        Examples
        --------
        >>> Timetable.headway(96.0).random_phase
        True

        """
        if not (math.isfinite(headway_h) and headway_h > 0.0):
            raise InputError(f"headway_h must be > 0, got {headway_h!r}")
        if phase_h is None:
            return cls(headway_h, (0.0,), random_phase=True)
        return cls(headway_h, (float(phase_h) % headway_h,))

    @property
    def mean_wait_h(self) -> float:
        """Expected wait for a departure when arriving at a uniformly random time."""
        gaps = np.diff(np.append(self.offsets_h, self.offsets_h[0] + self.period_h))
        return float(np.sum(gaps**2) / (2.0 * self.period_h))

    def next_departure(
        self, t_h: ArrayLike, shift_h: ArrayLike = 0.0
    ) -> NDArray[np.float64] | np.float64:
        """Return the first departure at or after ``t_h`` (vectorised).

        Parameters
        ----------
        t_h : array_like
            Arrival times, hours from the epoch.
        shift_h : array_like
            Phase shift of the timetable (per sample for a random phase), hours.

        Returns
        -------
        ndarray or float
            Departure times, hours from the epoch.

        Examples
        --------
        >>> tt = Timetable.headway(10.0, phase_h=3.0)
        >>> tt.next_departure([0.0, 3.0, 3.5]).tolist()
        [3.0, 3.0, 13.0]

        """
        t = np.asarray(t_h, dtype=np.float64)
        u = t - np.asarray(shift_h, dtype=np.float64)
        k = np.floor(u / self.period_h)
        r = u - k * self.period_h
        offs = np.asarray(self.offsets_h, dtype=np.float64)
        idx = np.searchsorted(offs, r, side="left")
        wrap = idx >= offs.size
        off = np.where(wrap, offs[0] + self.period_h, offs[np.minimum(idx, offs.size - 1)])
        out: NDArray[np.float64] = t + (off - r)
        return out


def expected_wait_h(timetable: Timetable, p_cancel: ArrayLike = 0.0) -> float:
    """Return the expected wait for a departure, arriving at a random time, with cancellations.

    A unit arriving in the gap before departure ``i`` waits the rest of that gap; if the
    departure is cancelled (chance ``p``, independently per departure) it waits the next
    gap as well, and so on. With gaps ``g_i`` over a period ``P`` the expected wait is
    ``sum_i (g_i / P) * (g_i / 2 + sum_{m >= 1} p**m * g_{i+m})``, the inner sum closed
    over the cycle of ``k`` gaps as a geometric series. With monthly chances it is the mean
    over the twelve months (each month weighted by its days in a common year).

    Parameters
    ----------
    timetable : Timetable
        The departures (a random phase does not change the mean).
    p_cancel : float or array_like of 12 floats
        Chance that a departure is cancelled: one value, or one per month (January first).

    Returns
    -------
    float
        Hours.

    Raises
    ------
    InputError
        For a chance outside ``[0, 1)``.

    Examples
    --------
    >>> tt = Timetable.headway(96.0)
    >>> expected_wait_h(tt), expected_wait_h(tt, 0.5)
    (48.0, 144.0)
    >>> round(expected_wait_h(Timetable.weekly("Mon|Tue", "00:00")), 2)
    63.43

    """
    p = np.atleast_1d(np.asarray(p_cancel, dtype=np.float64))
    if p.size not in (1, 12):
        raise InputError(f"p_cancel must be one value or 12 monthly values, got {p.size}")
    if not np.all((p >= 0.0) & (p < 1.0)):
        raise InputError(f"p_cancel must be in [0, 1), got {p.tolist()}")
    offs = np.asarray(timetable.offsets_h, dtype=np.float64)
    gaps = np.diff(np.append(offs, offs[0] + timetable.period_h))
    k = gaps.size
    period = timetable.period_h
    out = []
    for pm in p.tolist():
        base = float(np.sum(gaps**2) / (2.0 * period))
        if pm == 0.0:
            out.append(base)
            continue
        powers = pm ** np.arange(1, k + 1)
        extra = 0.0
        for i in range(k):
            nxt = np.roll(gaps, -(i + 1))  # g_{i+1}, ..., g_{i+k}
            extra += (gaps[i] / period) * float(np.dot(powers, nxt)) / (1.0 - pm**k)
        out.append(float(base + extra))
    if len(out) == 1:
        return out[0]
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.float64)
    return float(np.dot(out, days) / days.sum())
