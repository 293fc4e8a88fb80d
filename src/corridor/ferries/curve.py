"""What the ferry model gives the rest of corridor: volume curves, delay functions, wait laws.

* :func:`volume_curve` simulates a line at arrival volumes from 10 % to 120 % of its
  capacity (:data:`DEFAULT_SHARES`) with common random numbers (the same seed, so the same
  storms and phase, at every volume) and sums each run up by month and over the year.
* :func:`ferry_delay_curve` turns the curve into a function of the use ratio (volume /
  capacity) that returns the mean wait at the port in hours, for the flows model. **How it
  is fitted:** piecewise-linear interpolation through the simulated annual mean waits at
  the curve's volume shares (no parametric form: for lines that sail when full the curve
  is U-shaped, long waits for a load at low volume and a queue near capacity, which no
  BPR-type function has); flat below the first share, extended above the last along the
  last segment's slope. It replaces the service's expected wait on the edge (the edge's
  ``wait_h``), it is not added to it.
* :func:`wait_samplers` and :func:`ferry_waits` give the simulated waits by month as
  observed values (hours), the ``ferry_waits`` argument of
  :func:`corridor.reliability.simulate_route`, which resamples them (an empirical law).
  They are plain numbers: the ferry model and the reliability model sit side by side in
  the layers and import nothing from each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridor.errors import InputError
from corridor.ferries.line import FerryLine, ferry_line
from corridor.ferries.sim import (
    DEFAULT_RUN_OUT_DAYS,
    DEFAULT_WARMUP_DAYS,
    MonthFigures,
    simulate_years,
    summarise,
)
from corridor.network.model import Network

__all__ = [
    "DEFAULT_SHARES",
    "CurvePoint",
    "FerryDelayCurve",
    "MonthlyWaits",
    "VolumeCurve",
    "ferry_delay_curve",
    "ferry_waits",
    "volume_curve",
    "wait_samplers",
]

#: Arrival volumes of a curve, as shares of the line's capacity.
DEFAULT_SHARES: tuple[float, ...] = tuple(round(0.1 * k, 1) for k in range(1, 13))
_QUANTILES = 256

#: Waits by month (January first): observed values in hours, resampled by the reliability
#: model.
MonthlyWaits = tuple[tuple[float, ...], ...]


def _check_share(share: float, name: str = "volume_share") -> float:
    if (
        isinstance(share, bool)
        or not isinstance(share, (int, float))
        or not (math.isfinite(share) and share > 0.0)
    ):
        raise InputError(
            f"{name} must be a number > 0 (a share of the line's capacity), got {share!r}",
            argument=name,
            value=share,
            allowed="> 0",
        )
    return float(share)


def _profile(profile: Sequence[float] | None) -> NDArray[np.float64]:
    if profile is None:
        return np.ones(12)
    p = np.asarray(profile, dtype=np.float64)
    if p.shape != (12,) or not np.all(np.isfinite(p) & (p >= 0.0)) or p.sum() <= 0.0:
        raise InputError(
            "profile needs 12 monthly weights >= 0, not all 0", argument="profile", value=profile
        )
    out: NDArray[np.float64] = p * 12.0 / p.sum()
    return out


@dataclass(frozen=True)
class CurvePoint:
    """One volume of a curve: the rate simulated and its figures."""

    share: float
    units_per_day: float
    year: MonthFigures
    months: tuple[MonthFigures, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the point as a JSON-ready dict."""
        return {
            "share": self.share,
            "units_per_day": self.units_per_day,
            "year": self.year.to_dict(),
            "months": [m.to_dict() for m in self.months],
        }


@dataclass(frozen=True)
class VolumeCurve:
    """A line's figures as a function of arrival volume (share of capacity)."""

    line: FerryLine
    points: tuple[CurvePoint, ...]
    seed: int | None

    def to_dict(self) -> dict[str, Any]:
        """Return the curve as a JSON-ready dict."""
        return {
            "service": self.line.service_id,
            "unit": self.line.unit,
            "capacity_units_per_day": self.line.capacity_units_per_day,
            "seed": self.seed,
            "points": [p.to_dict() for p in self.points],
        }


def volume_curve(
    line: FerryLine,
    *,
    shares: Sequence[float] = DEFAULT_SHARES,
    profile: Sequence[float] | None = None,
    seed: int | None = 0,
    years: int = 1,
    warmup_days: float = DEFAULT_WARMUP_DAYS,
    max_run_out_days: float = DEFAULT_RUN_OUT_DAYS,
) -> VolumeCurve:
    """Simulate a line at several arrival volumes.

    Parameters
    ----------
    line : FerryLine
        The line.
    shares : sequence of float
        Arrival volumes as shares of :attr:`FerryLine.capacity_units_per_day`.
    profile : 12 floats, optional
        Monthly weights of the volume (normalised to a mean of 1); even by default.
    seed : int, optional
        Seed of every run (common random numbers across volumes).
    years : int
        Independent years simulated and pooled at each volume.
    warmup_days, max_run_out_days : float
        As :func:`~corridor.ferries.sim.simulate_line`.

    Returns
    -------
    VolumeCurve

    Examples
    --------
    >>> from corridor.graph.services import Timetable
    >>> line = FerryLine.scheduled("X", Timetable.headway(24.0), 20)
    >>> c = volume_curve(line, shares=(0.5, 1.1), seed=1)
    >>> c.points[0].year.load_factor < 0.6 < 0.99 < c.points[1].year.load_factor
    True

    """
    prof = _profile(profile)
    cap = line.capacity_units_per_day
    points = []
    for s in shares:
        share = _check_share(float(s), "shares")
        rates = share * cap * prof
        runs = simulate_years(
            line,
            rates.tolist(),
            years=years,
            seed=seed,
            warmup_days=warmup_days,
            max_run_out_days=max_run_out_days,
        )
        months, year = summarise(runs)
        points.append(CurvePoint(share, share * cap, year, tuple(months)))
    return VolumeCurve(line, tuple(points), seed)


@dataclass(frozen=True)
class FerryDelayCurve:
    """Mean wait at the port (h) as a function of the use ratio (volume / capacity).

    Piecewise-linear through the simulated points; flat below the first, extended along
    the last segment above the last.

    Examples
    --------
    >>> f = FerryDelayCurve("X", (0.5, 1.0), (10.0, 30.0))
    >>> f(0.1), f(0.75), f(1.5)
    (10.0, 20.0, 50.0)

    """

    service_id: str
    use_ratio: tuple[float, ...]
    mean_wait_h: tuple[float, ...]

    def __call__(self, use_ratio: ArrayLike) -> Any:
        """Return the mean wait at ``use_ratio`` (a number or an array)."""
        x = np.asarray(use_ratio, dtype=np.float64)
        xs = np.asarray(self.use_ratio)
        ys = np.asarray(self.mean_wait_h)
        y = np.interp(x, xs, ys)
        if xs.size >= 2:
            slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
            y = np.where(x > xs[-1], ys[-1] + slope * (x - xs[-1]), y)
        return float(y) if y.ndim == 0 else y


def ferry_delay_curve(
    line: FerryLine,
    *,
    shares: Sequence[float] = DEFAULT_SHARES,
    seed: int | None = 0,
    years: int = 10,
    curve: VolumeCurve | None = None,
) -> FerryDelayCurve:
    """Fit the flows model's delay function of a line to its simulated volume curve.

    Parameters
    ----------
    line : FerryLine
        The line (:func:`~corridor.ferries.line.ferry_line`).
    shares : sequence of float
        Volumes simulated (ignored when ``curve`` is given).
    seed : int, optional
        Seed of the curve.
    years : int
        Years pooled at each volume.
    curve : VolumeCurve, optional
        A curve already simulated.

    Returns
    -------
    FerryDelayCurve
        ``f(use_ratio) -> mean wait h`` (see the module docstring for the fit).

    Examples
    --------
    >>> from corridor.graph.services import Timetable
    >>> f = ferry_delay_curve(FerryLine.scheduled("X", Timetable.headway(24.0), 20))
    >>> 11.0 < f(0.3) < 13.0 < f(1.2)
    True

    """
    c = curve if curve is not None else volume_curve(line, shares=shares, seed=seed, years=years)
    pts = sorted(c.points, key=lambda p: p.share)
    return FerryDelayCurve(
        line.service_id,
        tuple(p.share for p in pts),
        tuple(p.year.wait_mean_h for p in pts),
    )


def _values(w: NDArray[np.float64]) -> tuple[float, ...]:
    if w.size <= _QUANTILES:
        return tuple(float(v) for v in np.maximum(w, 0.0))
    q = (np.arange(_QUANTILES) + 0.5) / _QUANTILES
    return tuple(float(v) for v in np.maximum(np.quantile(w, q), 0.0))


def wait_samplers(
    line: FerryLine,
    *,
    volume_share: float | None = None,
    units_per_day: float | Sequence[float] | None = None,
    seed: int | None = 0,
    years: int = 10,
) -> MonthlyWaits:
    """Return a unit's simulated wait at the port by month (January first), hours.

    Each month holds 256 evenly spaced quantiles of the waits of the units that arrived
    in it (all of them when fewer), to be resampled as an empirical law.

    Parameters
    ----------
    line : FerryLine
        The line.
    volume_share : float, optional
        Arrivals as a share of the line's capacity (0.8 when neither is given).
    units_per_day : float or 12 floats, optional
        Arrivals in units a day (e.g. from a flows assignment); wins over ``volume_share``.
    seed : int, optional
        Seed of the runs.
    years : int
        Independent years pooled (each draws its own weather).

    Returns
    -------
    MonthlyWaits
        12 tuples of hours.

    Raises
    ------
    InputError
        For a volume <= 0, or a month in which no unit arrived.

    """
    if units_per_day is None:
        share = 0.8 if volume_share is None else _check_share(volume_share)
        rate: float | Sequence[float] = share * line.capacity_units_per_day
    else:
        rate = units_per_day
    runs = simulate_years(line, rate, years=years, seed=seed)
    pooled = [np.concatenate(ws) for ws in zip(*(r.waits_by_month() for r in runs), strict=True)]
    out = []
    for m, w in enumerate(pooled):
        if w.size == 0:
            raise InputError(
                f"no unit arrived at {line.service_id} in month {m + 1}: give a volume > 0",
                argument="units_per_day",
                value=rate,
            )
        out.append(_values(w))
    return tuple(out)


def ferry_waits(
    network: Network,
    services: Sequence[str] | None = None,
    *,
    volume_share: float = 0.8,
    units_per_day: Mapping[str, float | Sequence[float]] | None = None,
    seed: int | None = 0,
    years: int = 10,
) -> dict[str, MonthlyWaits]:
    """Return the simulated waits by month of the network's ferry lines, for reliability.

    Parameters
    ----------
    network : Network
        The network (its ``ferry_lines`` table says which services can be simulated).
    services : sequence of str, optional
        Services to simulate; every one that can be by default.
    volume_share : float
        Arrivals as a share of each line's capacity.
    units_per_day : mapping, optional
        Arrivals in units a day by service (a number or 12 monthly numbers), e.g. from a
        flows assignment; wins over ``volume_share`` for the services it names.
    seed : int, optional
        Seed; each service gets its own stream.
    years : int
        Independent years pooled per service.

    Returns
    -------
    dict of str to MonthlyWaits
        The ``ferry_waits`` argument of :func:`corridor.reliability.simulate_route`.

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> w = ferry_waits(load_default(), ["FERRY_KURYK_AMIRABAD"], volume_share=0.5)
    >>> dec = w["FERRY_KURYK_AMIRABAD"][11]
    >>> len(w["FERRY_KURYK_AMIRABAD"]), sum(dec) / len(dec) > 60.0
    (12, True)

    """
    from corridor.ferries.line import ferry_line_infos

    if services is None:
        ids = [i.service_id for i in ferry_line_infos(network) if i.line is not None]
    else:
        ids = list(services)
    ss = np.random.SeedSequence(seed)
    out: dict[str, MonthlyWaits] = {}
    for sid, child in zip(ids, ss.spawn(len(ids)), strict=True):
        line = ferry_line(network, sid)
        rate = None if units_per_day is None else units_per_day.get(sid)
        out[sid] = wait_samplers(
            line,
            volume_share=volume_share,
            units_per_day=rate,
            seed=int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)),
            years=years,
        )
    return out
