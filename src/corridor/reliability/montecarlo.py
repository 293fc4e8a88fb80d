"""Monte Carlo transit-time reliability of routes: percentiles, buffer index, on-time chance.

A route (a tuple of :class:`~corridor.routing.types.Leg`) is turned into *elements*: a
random duration for each run, port, gauge change and border side, and a scheduled
departure for each ferry or sea run (see :mod:`corridor.reliability.parameters` for where
each figure comes from). For ``samples`` draws, durations are sampled with numpy and the
compiled kernel walks the route in time from the departure date: it waits for the next
sailing at or after the arrival, skips cancelled sailings (monthly probabilities), and so
chains over days and weeks. A missed connection simply means the next sailing.

Reported: mean, P50, P90, P95, the buffer index ``(P95 - mean) / mean``, the planning-time
index ``P95 / deterministic time`` (every distribution at its mean, a wait of half a
headway for services without a timetable, timetabled sailings as scheduled, no
cancellations), the chance of arriving within a
deadline, and, when a value of time is known for the cargo, the spread of the time cost.
Demurrage and storage charges are **not** modelled: no per-day port storage tariff was
found for the Caspian or Iranian ports (see ``docs/reliability.md``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._atomic import atomic_path
from corridor.errors import InputError
from corridor.network.model import Network
from corridor.reliability._kernels import walk_routes
from corridor.reliability.distributions import Degenerate, Distribution
from corridor.reliability.parameters import (
    ReliabilityParameters,
    border_distributions,
    cancellation_by_month,
    load_reliability_parameters,
    run_distribution,
    service_timetable,
    transfer_distribution,
)
from corridor.reliability.timetable import Timetable
from corridor.routing.types import Route

__all__ = [
    "OBJECTIVES",
    "ReliabilityResult",
    "RouteModel",
    "build_route_model",
    "deterministic_time",
    "plot_cdf",
    "rank_routes",
    "simulate_route",
]

#: Objectives of :func:`rank_routes` and the statistic each one sorts by.
OBJECTIVES: Mapping[str, str] = {
    "p50_time": "p50_h",
    "p90_time": "p90_h",
    "p95_time": "p95_h",
    "mean_time": "mean_h",
}
_MAX_SAMPLES = 10_000_000
_CALENDAR_DAYS = 4 * 366
_TRANSFER_KINDS = ("port", "gauge_break", "transhipment", "mode_change")


@dataclass(frozen=True, eq=False)
class RouteModel:
    """A route flattened into elements for the kernel.

    Attributes
    ----------
    kind : ndarray of int8
        0 for a duration, 1 for a scheduled departure followed by its voyage.
    timetable_index : ndarray of int32
        Index into ``timetables`` of a scheduled element, else -1.
    distributions : tuple of Distribution
        Duration (or voyage time) of each element.
    timetables : tuple of Timetable
        One per scheduled element.
    p_cancel : ndarray of float64, shape (T, 12)
        Monthly cancellation probability of each timetable.
    leg_index : ndarray of int32
        The route leg each element comes from.

    """

    kind: NDArray[np.int8]
    timetable_index: NDArray[np.int32]
    distributions: tuple[Distribution, ...]
    timetables: tuple[Timetable, ...]
    p_cancel: NDArray[np.float64]
    leg_index: NDArray[np.int32]

    @property
    def minimum_h(self) -> float:
        """Sum of the smallest possible durations (waits excluded)."""
        return float(sum(d.minimum_h for d in self.distributions))


def build_route_model(
    network: Network, route: Route, *, params: ReliabilityParameters | None = None
) -> RouteModel:
    """Turn a route into kernel elements using the reliability tables.

    Parameters
    ----------
    network : Network
        For countries of places and the network's ``ferry_services`` table.
    route : Route
        The route to model.
    params : ReliabilityParameters, optional
        Defaults to :func:`load_reliability_parameters`.

    Returns
    -------
    RouteModel

    Raises
    ------
    InputError
        For a route without legs or a leg of unknown kind.

    """
    if not route.legs:
        raise InputError("route has no legs: nothing to simulate")
    prm = load_reliability_parameters() if params is None else params
    kinds: list[int] = []
    tt_idx: list[int] = []
    dists: list[Distribution] = []
    tts: list[Timetable] = []
    pcs: list[NDArray[np.float64]] = []
    legs: list[int] = []

    def add(dist: Distribution, li: int, timetable: Timetable | None = None) -> None:
        kinds.append(0 if timetable is None else 1)
        tt_idx.append(-1 if timetable is None else len(tts))
        dists.append(dist)
        legs.append(li)

    for li, leg in enumerate(route.legs):
        if leg.kind == "run":
            dist = run_distribution(network, leg, prm)
            timetable = (
                service_timetable(network, leg, prm) if leg.mode in ("ferry", "sea") else None
            )
            if timetable is not None:
                add(dist, li, timetable)
                tts.append(timetable)
                pcs.append(cancellation_by_month(leg, prm))
            else:
                add(dist, li)
                if leg.wait_h > 0.0:
                    add(Degenerate(leg.wait_h), li)
        elif leg.kind == "border":
            exit_d, entry_d = border_distributions(network, leg, prm)
            add(exit_d, li)
            add(entry_d, li)
        elif leg.kind in _TRANSFER_KINDS:
            add(transfer_distribution(leg, prm), li)
        else:
            raise InputError(
                f"leg {li} has kind {leg.kind!r}: use one of run, border, "
                + ", ".join(_TRANSFER_KINDS)
            )
    return RouteModel(
        kind=np.asarray(kinds, dtype=np.int8),
        timetable_index=np.asarray(tt_idx, dtype=np.int32),
        distributions=tuple(dists),
        timetables=tuple(tts),
        p_cancel=np.asarray(pcs, dtype=np.float64).reshape(len(tts), 12),
        leg_index=np.asarray(legs, dtype=np.int32),
    )


def _epoch(depart: datetime) -> tuple[datetime, float]:
    if not isinstance(depart, datetime):
        raise InputError(f"depart must be a datetime, got {depart!r}")
    monday = datetime.combine(
        depart.date() - timedelta(days=depart.weekday()), time(), tzinfo=depart.tzinfo
    )
    return monday, (depart - monday).total_seconds() / 3600.0


def _month_of_day(epoch: datetime) -> NDArray[np.int8]:
    days = np.datetime64(epoch.date(), "D") + np.arange(_CALENDAR_DAYS)
    months = days.astype("datetime64[M]").astype(np.int64) % 12
    return months.astype(np.int8)


def _run(
    model: RouteModel,
    depart: datetime,
    *,
    samples: int,
    seed: int | np.random.SeedSequence | None,
    deterministic: bool,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    epoch, t0 = _epoch(depart)
    n_el = len(model.distributions)
    n_tt = len(model.timetables)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    draw_ss, key_ss = ss.spawn(2)
    rng = np.random.Generator(np.random.PCG64(draw_ss))
    key = int(key_ss.generate_state(1, dtype=np.uint64)[0])
    draws = np.empty((samples, n_el), dtype=np.float64)
    for e, dist in enumerate(model.distributions):
        draws[:, e] = dist.deterministic_h if deterministic else dist.sample(rng, samples)
    shifts = np.zeros((samples, n_tt), dtype=np.float64)
    for j, tt in enumerate(model.timetables):
        if tt.random_phase and not deterministic:
            shifts[:, j] = rng.uniform(0.0, tt.period_h, samples)
    ptr = np.zeros(n_tt + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(tt.offsets_h) for tt in model.timetables])
    offsets = np.asarray([o for tt in model.timetables for o in tt.offsets_h], dtype=np.float64)
    period = np.asarray([tt.period_h for tt in model.timetables], dtype=np.float64)
    p_cancel = np.zeros_like(model.p_cancel) if deterministic else model.p_cancel
    kind = model.kind
    if deterministic:
        # a service with an unknown phase waits its expected half headway
        kind = kind.copy()
        for el in np.flatnonzero(kind == 1).tolist():
            tt_e = model.timetables[int(model.timetable_index[el])]
            if tt_e.random_phase:
                kind[el] = 0
                draws[:, el] += 0.5 * tt_e.period_h
    return walk_routes(
        t0,
        kind,
        model.timetable_index,
        draws,
        ptr,
        offsets,
        period,
        shifts,
        np.ascontiguousarray(p_cancel),
        _month_of_day(epoch),
        key,
    )


@dataclass(frozen=True, eq=False)
class ReliabilityResult:
    """The simulated transit-time distribution of one route.

    Attributes
    ----------
    transit_time_h : ndarray of float64
        Door-to-door time of each draw, hours.
    wait_h : ndarray of float64
        Time spent waiting for sailings in each draw, hours.
    deterministic_h : float
        Transit time with every distribution at its deterministic value.
    deadline_h : float or None
        The deadline for :attr:`on_time_probability`.
    time_cost_usd : ndarray of float64 or None
        Value of time of the cargo times the transit time, per draw (None when no value
        of time is known).
    seed : int or None
        The seed used.

    """

    transit_time_h: NDArray[np.float64]
    wait_h: NDArray[np.float64]
    deterministic_h: float
    deadline_h: float | None = None
    time_cost_usd: NDArray[np.float64] | None = None
    seed: int | None = None
    _stats: dict[str, float] = field(default_factory=dict, repr=False)

    def percentile_h(self, q: float) -> float:
        """Return the ``q``-th percentile (0-100) of the transit time, hours."""
        key = f"q{q}"
        if key not in self._stats:
            self._stats[key] = float(np.percentile(self.transit_time_h, q))
        return self._stats[key]

    @property
    def samples(self) -> int:
        """Number of draws."""
        return int(self.transit_time_h.size)

    @property
    def mean_h(self) -> float:
        """Mean transit time, hours."""
        return float(self.transit_time_h.mean())

    @property
    def p50_h(self) -> float:
        """Median transit time, hours."""
        return self.percentile_h(50.0)

    @property
    def p90_h(self) -> float:
        """90th percentile of the transit time, hours."""
        return self.percentile_h(90.0)

    @property
    def p95_h(self) -> float:
        """95th percentile of the transit time, hours."""
        return self.percentile_h(95.0)

    @property
    def buffer_index(self) -> float:
        """``(P95 - mean) / mean``: extra time to plan beyond the average, as a share."""
        m = self.mean_h
        return (self.p95_h - m) / m if m > 0 else 0.0

    @property
    def planning_time_index(self) -> float:
        """``P95 / deterministic time``."""
        d = self.deterministic_h
        return self.p95_h / d if d > 0 else math.nan

    @property
    def on_time_probability(self) -> float | None:
        """Share of draws arriving within the deadline (None without a deadline)."""
        if self.deadline_h is None:
            return None
        return float(np.mean(self.transit_time_h <= self.deadline_h))

    def to_dict(self) -> dict[str, Any]:
        """Return the summary figures as a JSON-ready dict.

        Returns
        -------
        dict
            ``p50_h``, ``p90_h``, ``p95_h``, ``mean_h``, ``on_time_probability`` (None
            without a deadline), ``deadline_h``, ``std_h``, ``min_h``, ``max_h``,
            ``buffer_index``, ``planning_time_index``, ``deterministic_h``,
            ``mean_wait_h``, ``samples``, ``seed``; and ``time_cost_usd`` (mean, p50, p95)
            when a value of time is known.

        """
        x = self.transit_time_h
        out: dict[str, Any] = {
            "p50_h": self.p50_h,
            "p90_h": self.p90_h,
            "p95_h": self.p95_h,
            "mean_h": self.mean_h,
            "on_time_probability": self.on_time_probability,
            "deadline_h": self.deadline_h,
            "std_h": float(x.std()),
            "min_h": float(x.min()),
            "max_h": float(x.max()),
            "buffer_index": self.buffer_index,
            "planning_time_index": self.planning_time_index,
            "deterministic_h": self.deterministic_h,
            "mean_wait_h": float(self.wait_h.mean()),
            "samples": self.samples,
            "seed": self.seed,
        }
        if self.time_cost_usd is not None:
            c = self.time_cost_usd
            out["time_cost_usd"] = {
                "mean": float(c.mean()),
                "p50": float(np.percentile(c, 50.0)),
                "p95": float(np.percentile(c, 95.0)),
            }
        return out


def _check_samples(samples: int) -> int:
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)):
        raise InputError(f"samples must be an integer, got {samples!r}")
    if not 1 <= int(samples) <= _MAX_SAMPLES:
        raise InputError(f"samples must be between 1 and {_MAX_SAMPLES}, got {samples}")
    return int(samples)


def _value_of_time(network: Network, route: Route) -> float | None:
    tab = network.parameters.get("value_of_time")
    if tab is None or not route.cargo or "cargo" not in tab.columns:
        return None
    if "value_of_time_usd_per_h" not in tab.columns:
        return None
    hit = tab.loc[tab["cargo"].astype(str) == route.cargo, "value_of_time_usd_per_h"]
    vals = pd.to_numeric(hit, errors="coerce").dropna()
    return float(vals.iloc[0]) * route.units if len(vals) else None


def deterministic_time(
    network: Network,
    route: Route,
    *,
    depart: datetime,
    params: ReliabilityParameters | None = None,
) -> float:
    """Walk the route's schedules with every distribution at its deterministic value.

    Durations take their means, a service without a timetable (unknown phase) costs a
    wait of half its headway, timetabled services are waited for as scheduled, and no
    sailing is cancelled.

    Parameters
    ----------
    network : Network
    route : Route
    depart : datetime
        Departure from the origin.
    params : ReliabilityParameters, optional

    Returns
    -------
    float
        Transit time, hours.

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.routing.types import Leg, Route
    >>> from corridor.testing import tiny_network
    >>> route = Route(1, (Leg("run", "road", "A", "D", 300.0, 5.0, 0.0, 0.0),))
    >>> deterministic_time(tiny_network(), route, depart=datetime(2026, 12, 1, 8))
    5.0

    """
    model = build_route_model(network, route, params=params)
    out, _ = _run(model, depart, samples=1, seed=0, deterministic=True)
    return float(out[0])


def simulate_route(
    network: Network,
    route: Route,
    *,
    depart: datetime,
    samples: int = 10_000,
    seed: int | None = None,
    deadline_h: float | None = None,
    params: ReliabilityParameters | None = None,
    value_of_time_usd_per_h: float | None = None,
) -> ReliabilityResult:
    """Simulate the transit time of a route by Monte Carlo.

    Parameters
    ----------
    network : Network
        For countries of places and the network's parameter tables.
    route : Route
        The route (legs in order).
    depart : datetime
        Departure from the origin (local time; the week starts Monday 00:00).
    samples : int
        Number of draws (1 to 10,000,000).
    seed : int, optional
        Seed of the :class:`numpy.random.SeedSequence`; the same seed gives the same
        numbers.
    deadline_h : float, optional
        Deadline in hours after departure for :attr:`ReliabilityResult.on_time_probability`.
    params : ReliabilityParameters, optional
        Defaults to the shipped tables.
    value_of_time_usd_per_h : float, optional
        Value of time for all the cargo; defaults to the network's ``value_of_time`` table
        for ``route.cargo`` times ``route.units``; the cost spread is left out when neither
        is known.

    Returns
    -------
    ReliabilityResult

    Raises
    ------
    InputError
        For bad samples, deadline or route.

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.routing.types import Leg, Route
    >>> from corridor.testing import tiny_network
    >>> leg = Leg("run", "rail_1520", "A", "B", 100.0, 10.0, 0.0, 0.0)
    >>> res = simulate_route(tiny_network(), Route(1, (leg,)), depart=datetime(2026, 12, 1),
    ...                      samples=2000, seed=7, deadline_h=12.0)
    >>> 9.0 < res.p50_h < 11.0, 0.0 < res.on_time_probability <= 1.0
    (True, True)

    """
    n = _check_samples(samples)
    if deadline_h is not None and not (math.isfinite(deadline_h) and deadline_h > 0):
        raise InputError(f"deadline_h must be a positive number of hours, got {deadline_h!r}")
    model = build_route_model(network, route, params=params)
    transit, wait = _run(model, depart, samples=n, seed=seed, deterministic=False)
    det, _ = _run(model, depart, samples=1, seed=0, deterministic=True)
    vot = value_of_time_usd_per_h
    if vot is None:
        vot = _value_of_time(network, route)
    return ReliabilityResult(
        transit_time_h=transit,
        wait_h=wait,
        deterministic_h=float(det[0]),
        deadline_h=None if deadline_h is None else float(deadline_h),
        time_cost_usd=None if vot is None else transit * float(vot),
        seed=seed,
    )


def rank_routes(
    network: Network,
    routes: Sequence[Route],
    *,
    depart: datetime,
    objective: str = "p90_time",
    samples: int = 10_000,
    seed: int | None = None,
    deadline_h: float | None = None,
    params: ReliabilityParameters | None = None,
) -> list[Route]:
    """Re-rank alternative routes by a percentile of their simulated transit time.

    Every route is simulated with the same seed (common random numbers), so differences
    between routes are not blurred by sampling noise.

    Parameters
    ----------
    network : Network
    routes : sequence of Route
    depart : datetime
    objective : str
        ``p90_time`` (default), ``p95_time``, ``p50_time`` or ``mean_time``.
    samples : int
    seed : int, optional
    deadline_h : float, optional
    params : ReliabilityParameters, optional

    Returns
    -------
    list of Route
        New routes, best first, with ``rank`` and ``objective`` set and the figures of
        :meth:`ReliabilityResult.to_dict` in ``extra["reliability"]``.

    Raises
    ------
    InputError
        For an unknown objective.

    """
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective {objective!r}: use one of {', '.join(OBJECTIVES)}")
    prm = load_reliability_parameters() if params is None else params
    scored: list[tuple[float, int, Route, dict[str, Any]]] = []
    for i, route in enumerate(routes):
        res = simulate_route(
            network, route, depart=depart, samples=samples, seed=seed,
            deadline_h=deadline_h, params=prm,
        )  # fmt: skip
        figures = res.to_dict()
        scored.append((float(figures[OBJECTIVES[objective]]), i, route, figures))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [
        replace(r, rank=k + 1, objective=objective, extra={**r.extra, "reliability": fig})
        for k, (_, _, r, fig) in enumerate(scored)
    ]


def plot_cdf(
    results: Mapping[str, ReliabilityResult],
    path: str | os.PathLike[str],
    *,
    deadline_h: float | None = None,
) -> Path:
    """Save the empirical CDFs of several routes' transit times as an image.

    Uses matplotlib's Agg canvas (no display, no global pyplot state) and writes
    atomically: a temporary file in the same folder, then :func:`os.replace`.

    Parameters
    ----------
    results : mapping of str to ReliabilityResult
        Curves by label (e.g. ``"1: via Kuryk"``).
    path : path-like
        Output file; the format follows the suffix (``.png``, ``.svg``, ``.pdf``).
    deadline_h : float, optional
        Draw a vertical line at the deadline.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        With no results, or an unsupported suffix.

    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not results:
        raise InputError("plot_cdf needs at least one result, got none")
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(f"plot path {str(out)!r} must end in .png, .svg or .pdf")
    fig = Figure(figsize=(7.0, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for label, res in results.items():
        x = np.sort(res.transit_time_h) / 24.0
        y = np.arange(1, x.size + 1) / x.size
        ax.step(x, y, where="post", label=f"{label} (P90 {res.p90_h / 24.0:.1f} d)")
    if deadline_h is not None:
        ax.axvline(deadline_h / 24.0, color="0.3", linestyle="--", label="deadline")
    ax.set_xlabel("transit time (days)")
    ax.set_ylabel("share of shipments arrived")
    ax.set_ylim(0.0, 1.0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        fig.savefig(fh, format=fmt, dpi=120, bbox_inches="tight")
    return out
