"""Monte Carlo transit-time reliability of routes: percentiles, buffer index, on-time chance.

A route is turned into the elements of its edges in the expanded graph
(:mod:`corridor.reliability.model`): a random duration for each run, border side and
transfer, and a wait for each sailing. For ``samples`` draws, durations are sampled with
numpy and the compiled kernel walks the route in time from the departure date: it waits for
the next sailing at or after the arrival, skips cancelled sailings (monthly probabilities),
and so chains over days and weeks. A missed connection simply means the next sailing.

Reported: mean, P50, P90, P95, the buffer index ``(P95 - mean) / mean``, the planning-time
index ``P95 / deterministic time``, the chance of arriving within a deadline, and, when a
value of time is known for the cargo, the spread of the time cost. The **deterministic
time** is every duration at its mean and every wait at the service's expected wait over the
year (:func:`corridor.graph.services.expected_wait_h`): by construction the route's
``time_h`` from routing. Demurrage and storage charges are **not** modelled: no per-day
port storage tariff was found for the Caspian or Iranian ports (see
``docs/reliability.md``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor._atomic import atomic_path
from corridor.errors import CorridorError, InputError
from corridor.graph.build import ExpandedGraph, GraphCache, build_graph
from corridor.graph.costs import resolve_cargo, value_of_time
from corridor.network.model import Network
from corridor.reliability.model import FerryWaits, RouteModel, build_route_model
from corridor.routing.types import Route

__all__ = [
    "MAX_SAMPLES",
    "ReliabilityResult",
    "check_samples",
    "check_seed",
    "deterministic_time",
    "plot_cdf",
    "simulate_route",
    "simulation_graph",
]

#: Most draws one simulation may take.
MAX_SAMPLES = 10_000_000
_CALENDAR_DAYS = 4 * 366


def simulation_graph(
    network: Network, cargo: str, *, cache: GraphCache | None = None
) -> ExpandedGraph:
    """Return the graph a route of ``network`` is simulated on (planned elements included).

    Planned links only add edges: the edges of open links have the same figures with or
    without them, so any route of the network (found with or without planned links) is
    found in this graph.
    """
    if cache is not None:
        return cache.get(network, cargo=cargo, include_planned=True)
    return build_graph(network, cargo=cargo, include_planned=True)


def _epoch(depart: datetime) -> tuple[datetime, float]:
    if not isinstance(depart, datetime):
        raise InputError(
            f"depart must be a datetime, got {depart!r}", argument="depart", value=depart
        )
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
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    from corridor.reliability._kernels import walk_routes

    epoch, t0 = _epoch(depart)
    n_el = len(model.distributions)
    n_tt = len(model.timetables)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    draw_ss, key_ss = ss.spawn(2)
    rng = np.random.Generator(np.random.PCG64(draw_ss))
    key = int(key_ss.generate_state(1, dtype=np.uint64)[0])
    draws = np.empty((samples, n_el), dtype=np.float64)
    for e, dist in enumerate(model.distributions):
        draws[:, e] = dist.sample(rng, samples)
    shifts = np.zeros((samples, n_tt), dtype=np.float64)
    for j, tt in enumerate(model.timetables):
        if tt.random_phase:
            shifts[:, j] = rng.uniform(0.0, tt.period_h, samples)
    ptr = np.zeros(n_tt + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(tt.offsets_h) for tt in model.timetables])
    offsets = np.asarray([o for tt in model.timetables for o in tt.offsets_h], dtype=np.float64)
    period = np.asarray([tt.period_h for tt in model.timetables], dtype=np.float64)
    transit, wait = walk_routes(
        t0,
        model.kind,
        model.timetable_index,
        draws,
        ptr,
        offsets,
        period,
        shifts,
        np.ascontiguousarray(model.p_cancel),
        _month_of_day(epoch),
        key,
    )
    observed = model.is_wait & (model.kind == 0)
    if observed.any():
        wait = wait + draws[:, observed].sum(axis=1)
    return transit, wait


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

    def percentile_h(self, q: float) -> float:
        """Return the ``q``-th percentile (0-100) of the transit time, hours."""
        return float(np.percentile(self.transit_time_h, q))

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


def check_samples(samples: int) -> int:
    """Return ``samples`` if it is a whole number from 1 to :data:`MAX_SAMPLES`.

    Raises
    ------
    InputError
        Otherwise (``argument="samples"``).

    """
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)):
        raise InputError(
            f"samples must be a whole number, got {samples!r}",
            argument="samples",
            value=samples,
            allowed=f"1 to {MAX_SAMPLES}",
        )
    if not 1 <= int(samples) <= MAX_SAMPLES:
        raise InputError(
            f"samples must be between 1 and {MAX_SAMPLES}, got {samples}",
            argument="samples",
            value=samples,
            allowed=f"1 to {MAX_SAMPLES}",
        )
    return int(samples)


def deterministic_time(network: Network, route: Route, *, cache: GraphCache | None = None) -> float:
    """Return the route's time with every duration at its mean and every wait expected.

    This is the central value of what :func:`simulate_route` draws, and equals the
    route's ``time_h`` from routing (one model, one figure).

    Examples
    --------
    >>> from corridor.routing import search_routes as route
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> best = route(net, "A", "B", k=1)[0]
    >>> abs(deterministic_time(net, best) - best.time_h) < 1e-9
    True

    """
    graph = simulation_graph(network, route.cargo, cache=cache)
    return build_route_model(graph, route).deterministic_h


def simulate_route(
    network: Network,
    route: Route,
    *,
    depart: datetime,
    samples: int = 10_000,
    seed: int | None = None,
    deadline_h: float | None = None,
    value_of_time_usd_per_h: float | None = None,
    cache: GraphCache | None = None,
    ferry_waits: FerryWaits | None = None,
) -> ReliabilityResult:
    """Simulate the transit time of a route by Monte Carlo.

    Parameters
    ----------
    network : Network
        The network the route was found on; every figure comes from its tables.
    route : Route
        The route (legs in order).
    depart : datetime
        Departure from the origin (local time; the week starts Monday 00:00).
    samples : int
        Number of draws (1 to :data:`MAX_SAMPLES`).
    seed : int, optional
        Seed of the :class:`numpy.random.SeedSequence` (``0 <= seed < 2**63``); the same
        seed gives the same numbers.
    deadline_h : float, optional
        Deadline in hours after departure for :attr:`ReliabilityResult.on_time_probability`.
    value_of_time_usd_per_h : float, optional
        Value of time for all the cargo; defaults to the network's ``value_of_time`` table
        for ``route.cargo`` times ``route.units``; the cost spread is left out when neither
        is known.
    cache : GraphCache, optional
        Reuse the expanded graph across calls.
    ferry_waits : mapping, optional
        Simulated waits of some services, service id -> 12 monthly sequences of hours
        (:func:`corridor.ferries.ferry_waits` makes them from the ferry queue model): the
        waits for those services are drawn from the month the route reaches their port
        instead of from their timetables and independent cancellations (see
        :func:`~corridor.reliability.build_route_model`).

    Returns
    -------
    ReliabilityResult

    Raises
    ------
    InputError
        For bad samples, seed, deadline, route or ferry_waits.

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.routing import search_routes as route
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> best = route(net, "A", "B", k=1)[0]
    >>> res = simulate_route(net, best, depart=datetime(2026, 12, 1), samples=2000, seed=7,
    ...                      deadline_h=14.0)
    >>> abs(res.deterministic_h - best.time_h) < 1e-9, 0.0 < res.on_time_probability <= 1.0
    (True, True)

    """
    n = check_samples(samples)
    seed = check_seed(seed)
    if deadline_h is not None and not (
        isinstance(deadline_h, (int, float)) and math.isfinite(deadline_h) and deadline_h > 0
    ):
        raise InputError(
            f"deadline_h must be a positive number of hours, got {deadline_h!r}",
            argument="deadline_h",
            value=deadline_h,
            allowed="> 0",
        )
    graph = simulation_graph(network, route.cargo, cache=cache)
    model = build_route_model(graph, route, ferry_waits=ferry_waits, depart=depart)
    transit, wait = _run(model, depart, samples=n, seed=seed)
    vot = value_of_time_usd_per_h
    if vot is None and graph.cargo is not None:
        try:
            vot = value_of_time(network, resolve_cargo(network, route.cargo)) * route.units
        except CorridorError:
            vot = None
    return ReliabilityResult(
        transit_time_h=transit,
        wait_h=wait,
        deterministic_h=model.deterministic_h,
        deadline_h=None if deadline_h is None else float(deadline_h),
        time_cost_usd=None if vot is None else transit * float(vot),
        seed=seed,
    )


def check_seed(seed: int | None) -> int | None:
    """Return ``seed`` if it is None or a whole number from 0 to ``2**63 - 1``.

    Raises
    ------
    InputError
        Otherwise (``argument="seed"``).

    """
    if seed is None:
        return None
    if (
        isinstance(seed, bool)
        or not isinstance(seed, (int, np.integer))
        or not (0 <= int(seed) < 2**63)
    ):
        raise InputError(
            f"seed must be a whole number from 0 to 2**63 - 1, got {seed!r}",
            argument="seed",
            value=seed,
            allowed="0 <= seed < 2**63",
        )
    return int(seed)


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
