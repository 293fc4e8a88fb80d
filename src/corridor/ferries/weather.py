"""Weather closures as a multi-day process by month: storms that come in runs.

A port (or a crossing) is closed while at least one **storm** is active. Storms start as a
Poisson process whose rate depends on the calendar month of the start, and each lasts an
exponentially distributed time with a given mean (the only law the evidence supports: the
sources give typical durations, never a spread). Overlapping storms merge into one
closure, so closures come in runs of days, not as independent coin flips per sailing.

With storms starting at rate ``lam`` per hour and lasting ``D`` hours on average, the
share of time covered by at least one storm is ``1 - exp(-lam * D)`` (the chance that an
M/G/inf system is busy). :meth:`StormProcess.from_closure_share` inverts it: from a
published share of time closed (the ``cancellation`` table: the Kuryk port director's
"closed about 50 % of the time in November and December") and an episode duration it
starts from ``lam = -ln(1 - share) / D`` and then corrects each stormy month's rate so
that its *expected* closed share is the one given although the storms of a calm month
before it do not run into it (and its own storms run into the month after: a closure that
begins on 30 December ends in January).

Time is hours from 1 January 00:00 of a common year (365 days); negative times (a warm-up)
and times past the year wrap round the calendar (:func:`month_of_hour`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError

__all__ = [
    "DAYS_PER_YEAR",
    "HOURS_PER_YEAR",
    "MONTH_DAYS",
    "StormProcess",
    "month_of_hour",
    "month_pieces",
]

#: Days of each month of a common year, January first.
MONTH_DAYS: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
DAYS_PER_YEAR = 365
HOURS_PER_YEAR = 24.0 * DAYS_PER_YEAR
_MONTH_START_H = np.concatenate(([0.0], np.cumsum(MONTH_DAYS) * 24.0))


def month_of_hour(t_h: NDArray[np.float64] | float) -> NDArray[np.int64]:
    """Return the calendar month (0-11) of hours from 1 January 00:00 (wrapping years).

    Examples
    --------
    >>> month_of_hour(np.array([0.0, 31 * 24.0, -1.0])).tolist()
    [0, 1, 11]

    """
    t = np.mod(np.asarray(t_h, dtype=np.float64), HOURS_PER_YEAR)
    out: NDArray[np.int64] = np.searchsorted(_MONTH_START_H, t, side="right").astype(np.int64) - 1
    return np.clip(out, 0, 11)


def month_pieces(start_h: float, end_h: float) -> list[tuple[float, float, int]]:
    """Split ``[start_h, end_h)`` at month boundaries: ``(start, end, month)`` pieces.

    Examples
    --------
    >>> [(a, b, m) for a, b, m in month_pieces(-24.0, 24.0)]
    [(-24.0, 0.0, 11), (0.0, 24.0, 0)]

    """
    out: list[tuple[float, float, int]] = []
    t = float(start_h)
    while t < end_h:
        year = math.floor(t / HOURS_PER_YEAR)
        base = year * HOURS_PER_YEAR
        m = int(month_of_hour(t))
        nxt = min(base + float(_MONTH_START_H[m + 1]), float(end_h))
        if nxt <= t:  # rounding at a boundary
            nxt = min(t + 1e-9, float(end_h))
        out.append((t, nxt, m))
        t = nxt
    return out


def _twelve(name: str, values: float | Sequence[float]) -> tuple[float, ...]:
    if isinstance(values, (int, float)):
        vals: tuple[float, ...] = (float(values),) * 12
    else:
        vals = tuple(float(v) for v in values)
    if len(vals) != 12:
        raise InputError(
            f"{name} needs one value or 12 monthly values, got {len(vals)}",
            argument=name,
            value=values,
        )
    return vals


@dataclass(frozen=True)
class StormProcess:
    """Storms starting as a Poisson process by month, each closing the port for a while.

    Parameters
    ----------
    starts_per_day : tuple of 12 float
        Rate of storm starts in each calendar month (January first), per day.
    mean_duration_h : float
        Mean duration of one storm, hours (exponential law).
    source : str
        Where the figures come from (shown in reports).

    Examples
    --------
    >>> s = StormProcess.from_closure_share(0.3, 48.0)
    >>> round(s.closed_share(10), 3), round(s.starts_per_day[0] * 31, 2)  # storms a month
    (0.3, 5.53)

    """

    starts_per_day: tuple[float, ...]
    mean_duration_h: float
    source: str = ""

    def __post_init__(self) -> None:
        rates = _twelve("starts_per_day", self.starts_per_day)
        object.__setattr__(self, "starts_per_day", rates)
        if not all(math.isfinite(r) and r >= 0.0 for r in rates):
            raise InputError(f"starts_per_day must be >= 0, got {rates}", argument="starts_per_day")
        d = self.mean_duration_h
        if not (math.isfinite(d) and d > 0.0):
            raise InputError(
                f"mean_duration_h must be > 0, got {d!r}", argument="mean_duration_h", value=d
            )

    @classmethod
    def none(cls) -> StormProcess:
        """Return a process with no storms (open all year)."""
        return cls((0.0,) * 12, 24.0, "no closures")

    @classmethod
    def from_closure_share(
        cls,
        share: float | Sequence[float],
        mean_duration_h: float,
        source: str = "",
        *,
        calibrate: bool = True,
    ) -> StormProcess:
        """Build the process that closes the port ``share`` of the time, by month.

        Parameters
        ----------
        share : float or 12 floats
            Share of time closed in each month, in ``[0, 1)``.
        mean_duration_h : float
            Mean storm duration, hours.
        source : str
            Where the figures come from.
        calibrate : bool
            Correct the rates of months whose neighbours differ so that each month's
            expected closed share is ``share`` (see the module docstring); without it
            ``lam = -ln(1 - share) / D``, the share of a month in a year of equal months.

        Returns
        -------
        StormProcess

        Examples
        --------
        >>> s = StormProcess.from_closure_share([0.0] * 10 + [0.5, 0.5], 108.0)
        >>> [round(x, 3) for x in s.expected_closed_shares()[9:]] + [
        ...     round(s.expected_closed_shares()[0], 3)]
        [0.0, 0.5, 0.5, 0.083]

        """
        shares = _twelve("share", share)
        if not all(0.0 <= s < 1.0 for s in shares):
            raise InputError(
                f"closure share must be in [0, 1), got {shares}", argument="share", value=share
            )
        if not (math.isfinite(mean_duration_h) and mean_duration_h > 0.0):
            raise InputError(
                f"mean_duration_h must be > 0, got {mean_duration_h!r}",
                argument="mean_duration_h",
                value=mean_duration_h,
            )
        target = np.asarray(shares)
        hazard = -np.log1p(-target)
        lam = hazard / mean_duration_h
        stormy = target > 0.0
        if calibrate and stormy.any() and not np.all(target == target[0]):
            for _ in range(60):
                got = _expected_shares(lam, mean_duration_h)
                ratio = hazard[stormy] / np.maximum(-np.log1p(-got[stormy]), 1e-12)
                lam[stormy] *= ratio
                if np.max(np.abs(ratio - 1.0)) < 1e-6:
                    break
        return cls(tuple((lam * 24.0).tolist()), float(mean_duration_h), source)

    def expected_closed_shares(self) -> list[float]:
        """Return the expected share of time closed in each month (periodic steady state)."""
        lam = np.asarray(self.starts_per_day) / 24.0
        return [float(x) for x in _expected_shares(lam, self.mean_duration_h)]

    def closed_share(self, month: int) -> float:
        """Return the share of time closed in a year whose months all had this month's rate."""
        return 1.0 - math.exp(-self.starts_per_day[month] / 24.0 * self.mean_duration_h)

    @property
    def any_storms(self) -> bool:
        """Whether any month has storms."""
        return any(r > 0.0 for r in self.starts_per_day)

    def sample_storms(
        self, start_h: float, end_h: float, rng: np.random.Generator
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Draw the storms starting in ``[start_h, end_h)``: their start and end times.

        Returns
        -------
        starts, ends : ndarray of float64
            Sorted by start; storms may overlap (see :meth:`closures`).

        """
        starts: list[NDArray[np.float64]] = []
        for a, b, m in month_pieces(start_h, end_h):
            lam = self.starts_per_day[m] / 24.0
            if lam <= 0.0:
                continue
            k = int(rng.poisson(lam * (b - a)))
            starts.append(rng.uniform(a, b, k))
        s = np.sort(np.concatenate(starts)) if starts else np.empty(0)
        d = rng.exponential(self.mean_duration_h, s.size)
        return s, s + d

    def closures(
        self, start_h: float, end_h: float, rng: np.random.Generator
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Draw the closures of ``[start_h, end_h)``: overlapping storms merged.

        Returns
        -------
        starts, ends : ndarray of float64
            Disjoint closed intervals, sorted.

        Examples
        --------
        >>> s = StormProcess.from_closure_share(0.3, 48.0)
        >>> a, b = s.closures(0.0, 24.0 * 3650, np.random.default_rng(2))
        >>> bool(np.all(a[1:] > b[:-1]))
        True

        """
        return merge_intervals(*self.sample_storms(start_h, end_h, rng))


def _expected_shares(lam_per_h: NDArray[np.float64], mean_h: float) -> NDArray[np.float64]:
    """Return the expected closed share of each month for storm rates ``lam_per_h`` (per hour).

    The number of storms under way at time ``t`` is Poisson with mean
    ``m(t) = int lam(s) exp(-(t - s) / D) ds`` (exponential durations); on an hourly grid
    ``m`` follows ``m[n] = a m[n-1] + (1 - a) D lam[n]`` with ``a = exp(-1 / D)``, run over
    three years to reach the periodic state. The port is closed with chance
    ``1 - exp(-m)``; the result is its mean over each month of the last year.
    """
    from scipy.signal import lfilter

    hours = np.arange(int(HOURS_PER_YEAR), dtype=np.float64) + 0.5
    month = month_of_hour(hours)
    rate = np.tile(lam_per_h[month], 3)
    a = math.exp(-1.0 / mean_h)
    m = lfilter([(1.0 - a) * mean_h], [1.0, -a], rate)[-hours.size :]
    closed = 1.0 - np.exp(-m)
    out: NDArray[np.float64] = np.bincount(month, weights=closed, minlength=12) / np.bincount(
        month, minlength=12
    )
    return out


def merge_intervals(
    starts: NDArray[np.float64], ends: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Merge intervals sorted by start into disjoint ones.

    Examples
    --------
    >>> a, b = merge_intervals(np.array([0.0, 1.0, 5.0]), np.array([2.0, 3.0, 6.0]))
    >>> a.tolist(), b.tolist()
    ([0.0, 5.0], [3.0, 6.0])

    """
    if starts.size == 0:
        return starts.copy(), ends.copy()
    run_end = np.maximum.accumulate(ends)
    new = np.empty(starts.size, dtype=bool)
    new[0] = True
    new[1:] = starts[1:] > run_end[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, starts.size - 1)
    return starts[first], run_end[last]
