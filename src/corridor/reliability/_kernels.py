"""Compiled kernel that walks a route for many Monte Carlo draws, and its numpy twin.

A route is flattened into *elements*, in order. Element ``e`` is either a plain duration
(``kind[e] == 0``: add ``draws[i, e]`` hours) or a scheduled departure (``kind[e] == 1``:
wait for the first departure of timetable ``tt[e]`` at or after the current time, skip
each departure that is cancelled, then add the voyage time ``draws[i, e]``).

Cancellations are decided by a counter-based hash (splitmix64) of ``(key, sample, element,
attempt)``: no random state is carried, the kernel and the numpy reference give the same
answers bit for bit, and a key derived from the caller's :class:`numpy.random.SeedSequence`
makes runs reproducible. The month of a departure (for the monthly cancellation
probability) comes from ``month_of_day``: the calendar month (0-11) of each day after the
epoch; days past its end use its last entry.

Nothing is compiled at import: numba compiles :func:`walk_routes` on its first call
(``cache=True`` keeps the machine code on disk). As for every ``_kernels`` module, the
driver (:mod:`.montecarlo`) imports this module on first use, so that ``import corridor``
does not load numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["walk_reference", "walk_routes"]

_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_MAX_ATTEMPTS = 100_000

_U_GOLDEN = np.uint64(_GOLDEN)
_U_M1 = np.uint64(_M1)
_U_M2 = np.uint64(_M2)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)


@njit(cache=True, inline="always")
def _mix(x: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    z = x + _U_GOLDEN
    z = (z ^ (z >> _S30)) * _U_M1
    z = (z ^ (z >> _S27)) * _U_M2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def _walk(
    t0_h: float,
    kind: NDArray[np.int8],
    tt: NDArray[np.int32],
    draws: NDArray[np.float64],
    tt_ptr: NDArray[np.int64],
    tt_offsets: NDArray[np.float64],
    tt_period: NDArray[np.float64],
    shifts: NDArray[np.float64],
    p_cancel: NDArray[np.float64],
    month_of_day: NDArray[np.int8],
    key: np.uint64,
    out_h: NDArray[np.float64],
    wait_h: NDArray[np.float64],
) -> None:  # pragma: no cover - compiled
    n, n_el = draws.shape
    last_day = month_of_day.shape[0] - 1
    for i in range(n):
        t = t0_h
        waited = 0.0
        hi = _mix(key + np.uint64(i))
        for e in range(n_el):
            if kind[e] == 1:
                j = tt[e]
                period = tt_period[j]
                a = tt_ptr[j]
                b = tt_ptr[j + 1]
                u = t - shifts[i, j]
                k = np.floor(u / period)
                r = u - k * period
                # first offset >= r (offsets sorted; short lists, linear scan)
                pos = a
                while pos < b and tt_offsets[pos] < r:
                    pos += 1
                if pos == b:
                    k += 1.0
                    pos = a
                he = _mix(hi + np.uint64(e))
                dep = t
                for attempt in range(_MAX_ATTEMPTS):
                    dep = shifts[i, j] + k * period + tt_offsets[pos]
                    day = int(np.floor(dep / 24.0))
                    if day < 0:
                        day = 0
                    elif day > last_day:
                        day = last_day
                    p = p_cancel[j, month_of_day[day]]
                    if p <= 0.0:
                        break
                    h = _mix(he + np.uint64(attempt))
                    uu = float(h >> _S11) * (1.0 / 9007199254740992.0)
                    if uu >= p:
                        break
                    pos += 1
                    if pos == b:
                        pos = a
                        k += 1.0
                if dep < t:  # guard against rounding just below the arrival
                    dep = t
                waited += dep - t
                t = dep
            t += draws[i, e]
        out_h[i] = t - t0_h
        wait_h[i] = waited


def walk_routes(
    t0_h: float,
    kind: NDArray[np.int8],
    tt: NDArray[np.int32],
    draws: NDArray[np.float64],
    tt_ptr: NDArray[np.int64],
    tt_offsets: NDArray[np.float64],
    tt_period: NDArray[np.float64],
    shifts: NDArray[np.float64],
    p_cancel: NDArray[np.float64],
    month_of_day: NDArray[np.int8],
    key: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Walk one route for every row of ``draws`` (compiled).

    Parameters
    ----------
    t0_h : float
        Departure time, hours from the epoch (Monday 00:00 of the departure week).
    kind : ndarray of int8, shape (E,)
        0 for a duration element, 1 for a scheduled one.
    tt : ndarray of int32, shape (E,)
        Timetable index of a scheduled element (ignored for durations).
    draws : ndarray of float64, shape (N, E)
        Sampled duration of each element (voyage time for a scheduled one), hours.
    tt_ptr : ndarray of int64, shape (T + 1,)
        CSR pointers into ``tt_offsets``.
    tt_offsets : ndarray of float64
        Sorted departure offsets of each timetable within its period, hours.
    tt_period : ndarray of float64, shape (T,)
        Period of each timetable, hours.
    shifts : ndarray of float64, shape (N, T)
        Phase shift of each timetable for each sample, hours.
    p_cancel : ndarray of float64, shape (T, 12)
        Probability that a departure is cancelled, by calendar month; each < 1.
    month_of_day : ndarray of int8, shape (D,)
        Calendar month (0-11) of each day after the epoch.
    key : int
        64-bit key of the cancellation hash.

    Returns
    -------
    transit_h, wait_h : ndarray of float64, shape (N,)
        Transit time and total time spent waiting for departures, per sample.

    """
    n = draws.shape[0]
    out = np.empty(n, dtype=np.float64)
    wait = np.empty(n, dtype=np.float64)
    _walk(
        float(t0_h),
        kind,
        tt,
        np.ascontiguousarray(draws),
        tt_ptr,
        tt_offsets,
        tt_period,
        np.ascontiguousarray(shifts),
        p_cancel,
        month_of_day,
        np.uint64(key & 0xFFFFFFFFFFFFFFFF),
        out,
        wait,
    )
    return out, wait


def _mix_np(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    z = x + np.uint64(_GOLDEN)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    out: NDArray[np.uint64] = z ^ (z >> np.uint64(31))
    return out


def walk_reference(
    t0_h: float,
    kind: NDArray[np.int8],
    tt: NDArray[np.int32],
    draws: NDArray[np.float64],
    tt_ptr: NDArray[np.int64],
    tt_offsets: NDArray[np.float64],
    tt_period: NDArray[np.float64],
    shifts: NDArray[np.float64],
    p_cancel: NDArray[np.float64],
    month_of_day: NDArray[np.int8],
    key: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Pure-numpy twin of :func:`walk_routes`, vectorised over samples (same arguments).

    Used as the reference in tests and as the named peer in ``bench/reliability.py``.

    Returns
    -------
    transit_h, wait_h : ndarray of float64, shape (N,)

    """
    n, n_el = draws.shape
    t = np.full(n, float(t0_h))
    waited = np.zeros(n)
    hi = _mix_np(np.uint64(key & 0xFFFFFFFFFFFFFFFF) + np.arange(n, dtype=np.uint64))
    last_day = month_of_day.shape[0] - 1
    for e in range(n_el):
        if kind[e] == 1:
            j = int(tt[e])
            period = float(tt_period[j])
            offs = tt_offsets[tt_ptr[j] : tt_ptr[j + 1]]
            m = offs.size
            shift = shifts[:, j]
            u = t - shift
            k = np.floor(u / period)
            r = u - k * period
            pos = np.searchsorted(offs, r, side="left")
            wrap = pos == m
            k = np.where(wrap, k + 1.0, k)
            pos = np.where(wrap, 0, pos)
            he = _mix_np(hi + np.uint64(e))
            dep = shift + k * period + offs[pos]
            pending = np.ones(n, dtype=bool)
            for attempt in range(_MAX_ATTEMPTS):
                dep = np.where(pending, shift + k * period + offs[pos], dep)
                day = np.clip(np.floor(dep / 24.0).astype(np.int64), 0, last_day)
                p = p_cancel[j, month_of_day[day]]
                h = _mix_np(he + np.uint64(attempt))
                uu = (h >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
                cancelled = pending & (p > 0.0) & (uu < p)
                if not cancelled.any():
                    break
                pending = cancelled
                pos = np.where(cancelled, pos + 1, pos)
                roll = cancelled & (pos == m)
                pos = np.where(roll, 0, pos)
                k = np.where(roll, k + 1.0, k)
            dep = np.maximum(dep, t)
            waited += dep - t
            t = dep
        t = t + draws[:, e]
    return t - float(t0_h), waited
