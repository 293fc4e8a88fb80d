"""``corridor.pareto_routes``: the Pareto front, and the bad case as a second stage.

:func:`pareto_routes` is :func:`corridor.routing.pareto.pareto_routes` (every trade-off
between expected time, cost and CO2e) and, given a departure, :func:`with_p90`: each
member simulated and marked when it is dominated once the P90 transit time counts.
:func:`plot_front` draws a front: days against dollars, coloured by CO2e, each point named
by its corridor.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor._atomic import atomic_path
from corridor.errors import InputError
from corridor.graph.build import GraphCache
from corridor.network.model import Network
from corridor.reliability.montecarlo import check_samples, check_seed, simulate_route
from corridor.routing.pareto import ParetoFront
from corridor.routing.pareto import pareto_routes as _pareto_routes

__all__ = ["p90_interval", "pareto_routes", "plot_front", "with_p90"]


def p90_interval(draws: NDArray[np.float64]) -> tuple[float, float]:
    """Return a distribution-free 95 % interval of the 90th percentile of ``draws``.

    The interval runs between the order statistics ``0.9 n -+ 1.96 sqrt(0.09 n)`` (the
    binomial count of draws below the true P90), so it holds whatever the distribution.

    Examples
    --------
    >>> lo, hi = p90_interval(np.arange(1000.0))
    >>> bool(lo < 899.5 < hi), (lo, hi)
    (True, (880.0, 918.0))

    """
    n = draws.size
    half = 1.96 * math.sqrt(n * 0.9 * 0.1)
    lo = max(math.floor(0.9 * n - half) - 1, 0)
    hi = min(math.ceil(0.9 * n + half) - 1, n - 1)
    s = np.sort(draws)
    return float(s[lo]), float(s[hi])


def with_p90(
    front: ParetoFront,
    network: Network,
    *,
    depart: datetime,
    samples: int = 10_000,
    seed: int | None = None,
    cache: GraphCache | None = None,
) -> ParetoFront:
    """Simulate every member and mark those dominated once the bad case (P90) counts.

    How: each member is simulated with :func:`corridor.reliability.simulate_route` from
    ``depart`` with the same ``seed`` for all (common random numbers, so that differences
    between members are not sampling noise). A member is **dominated on the bad case** when
    another member has a P90 transit time, a cost and a CO2e no worse and one of them
    better: a shipper who plans by the 90th percentile never picks it.

    Why P90 replaces the expected time rather than joining it: among members of a
    three-criteria front no member can dominate another on four criteria (time, cost,
    CO2e and P90), since that would need it to be no worse on the first three.

    Exact or not:

    * for the members, the marks are exact up to Monte Carlo error: the P90 are sample
      estimates (``p90_interval_h`` gives a distribution-free 95 % interval from order
      statistics); two members whose P90 differ by less than their intervals may swap;
    * over **all** routes they are not exact: a route off the three-criteria front (slower
      on average, dearer or dirtier) can still have a better P90, e.g. a railway with no
      sailing to miss against a faster ferry route with weekly departures and
      cancellations. P90 is not a sum over legs, and not even monotone along a path
      (waiting for a scheduled departure makes the best way to a port depend on the hour
      one reaches it), so Bellman's principle fails and no label-setting search finds
      that front; only enumerating routes would. This stage ranks the candidates the
      additive search offers.

    Parameters
    ----------
    front : ParetoFront
        From :func:`corridor.routing.pareto.pareto_routes`.
    network : Network
        The network the front was found on.
    depart : datetime
        Departure from the origin.
    samples : int, default 10000
        Monte Carlo draws per member.
    seed : int, optional
        Seed of the draws (the same for every member).
    cache : GraphCache, optional
        Reuse expanded graphs.

    Returns
    -------
    ParetoFront
        A copy with ``p90=True``; each member's route has ``reliability`` (the figures of
        :meth:`~corridor.reliability.ReliabilityResult.to_dict`), and the member its
        ``p90_h``, ``p90_interval_h``, ``p90_dominated_by`` and ``p90_on_front``.

    Raises
    ------
    InputError
        For a bad ``depart``, ``samples`` or ``seed``.

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.routing.pareto import pareto_routes
    >>> from corridor.testing import border_network
    >>> net = border_network()
    >>> front = pareto_routes(net, "A", "D", include_planned=True)
    >>> front = with_p90(front, net, depart=datetime(2026, 12, 1, 8), samples=2000, seed=1)
    >>> [(round(m.p90_h, 1), m.p90_on_front) for m in front]  # no spread in this network
    [(27.0, True), (34.2, True)]

    """
    if not isinstance(depart, datetime):
        raise InputError(
            f"depart must be a datetime, got {depart!r}",
            argument="depart",
            value=depart,
            allowed="datetime",
        )
    check_samples(samples)
    check_seed(seed)
    p90 = np.empty(len(front))
    results = []
    for i, m in enumerate(front):
        res = simulate_route(
            network, m.route, depart=depart, samples=samples, seed=seed, cache=cache
        )
        p90[i] = res.p90_h
        results.append(res)
    vals = front.values()
    crit = np.column_stack((p90, vals[:, 1], vals[:, 2])) if len(p90) else np.empty((0, 3))
    members = []
    for i, (m, res) in enumerate(zip(front, results, strict=True)):
        le = (crit <= crit[i]).all(axis=1)
        lt = (crit < crit[i]).any(axis=1)
        by = tuple(front[int(j)].rank for j in np.flatnonzero(le & lt))
        members.append(
            replace(
                m,
                route=replace(m.route, reliability=res.to_dict()),
                p90_h=float(p90[i]),
                p90_interval_h=p90_interval(np.asarray(res.transit_time_h, dtype=np.float64)),
                p90_dominated_by=by,
                p90_on_front=not by,
            )
        )
    return replace(front, members=tuple(members), p90=True)


def pareto_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    depart: datetime | None = None,
    samples: int = 10_000,
    seed: int | None = None,
    cache: GraphCache | None = None,
    **options: Any,
) -> ParetoFront:
    """Find every trade-off between days, dollars and CO2e; with ``depart``, the bad case too.

    Parameters
    ----------
    network : Network
        The network with its parameter tables.
    origin, destination : str
        Place ids, names or aliases.
    depart : datetime, optional
        Simulate every member from this departure (:func:`with_p90`).
    samples : int, default 10000
        Draws per member when simulated.
    seed : int, optional
        Seed of the draws (the same for every member).
    cache : GraphCache, optional
        Reuse expanded graphs across calls.
    **options
        As :func:`corridor.routing.pareto.pareto_routes`: ``epsilon``, ``max_labels`` and
        the search options but ``objective``, ``k`` and ``max_ratio`` (``cargo``,
        ``units``, ``avoid_countries``, ``avoid_places``, ``modes``, ``via``,
        ``include_planned``, ``crew``, ``value_of_time_usd_per_h``,
        ``carbon_price_usd_per_t``).

    Returns
    -------
    ParetoFront
        Sorted by time; simulated (``p90=True``) when ``depart`` is given.

    Raises
    ------
    InputError, PlaceNotFoundError, NoRouteError
        As :func:`corridor.routing.pareto.pareto_routes` and :func:`with_p90`.

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.testing import border_network
    >>> front = pareto_routes(border_network(), "A", "D", include_planned=True,
    ...                       depart=datetime(2026, 12, 1, 8), samples=500, seed=2)
    >>> len(front), front.p90, front[0].label
    (2, True, 'Alpha/Delta road')

    """
    if depart is not None:
        if not isinstance(depart, datetime):
            raise InputError(
                f"depart must be a datetime, got {depart!r}",
                argument="depart",
                value=depart,
                allowed="datetime",
            )
        check_samples(samples)
        check_seed(seed)
    front = _pareto_routes(network, origin, destination, cache=cache, **options)
    if depart is None:
        return front
    return with_p90(front, network, depart=depart, samples=samples, seed=seed, cache=cache)


def plot_front(
    front: ParetoFront, path: str | os.PathLike[str], *, title: str | None = None
) -> Path:
    """Save a scatter of the front: days against USD, coloured by CO2e, named by corridor.

    Each member is a point at (expected days, cost) coloured by its tonnes of CO2e, with
    its rank and :attr:`~corridor.routing.pareto.ParetoMember.label` beside it; a
    simulated front also draws each member's P90 as a grey bar from the expected time to
    the P90, and rings the members dominated on the bad case. Uses matplotlib's Agg canvas
    (no display, no global pyplot state) and writes atomically.

    Parameters
    ----------
    front : ParetoFront
        The front.
    path : path-like
        Output file; the format follows the suffix (``.png``, ``.svg``, ``.pdf``).
    title : str, optional
        Title (default: the place ids and the number of routes).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        For an empty front or an unsupported suffix.

    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(
            f"plot path {str(out)!r} must end in .png, .svg or .pdf",
            argument="plot",
            value=str(out),
            allowed=[".png", ".svg", ".pdf"],
        )
    if not len(front):
        raise InputError("plot_front needs a front with at least one member", argument="front")
    vals = front.values()
    days, usd, co2e_t = vals[:, 0] / 24.0, vals[:, 1], vals[:, 2] / 1000.0
    fig = Figure(figsize=(9.0, 6.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if front.p90:
        p90_days = np.array([m.p90_h if m.p90_h is not None else np.nan for m in front]) / 24.0
        ax.hlines(usd, days, p90_days, colors="0.75", linewidth=1.5, zorder=1, label="to P90")
        ax.scatter(p90_days, usd, marker="|", color="0.5", s=60, zorder=1)
        off = [m for m in front if m.p90_on_front is False]
        if off:
            ax.scatter(
                [m.time_h / 24.0 for m in off],
                [m.cost_usd for m in off],
                s=170,
                facecolors="none",
                edgecolors="crimson",
                linewidths=1.2,
                zorder=3,
                label="dominated on P90",
            )
    points = ax.scatter(days, usd, c=co2e_t, cmap="viridis", s=60, edgecolors="k", zorder=2)
    fig.colorbar(points, ax=ax, label=f"t CO2e ({front.units:g} x {front.cargo})")
    if usd.min() > 0 and usd.max() / usd.min() > 4:
        from matplotlib.ticker import FuncFormatter

        ax.set_yscale("log")  # spreads the cheap routes, where most trade-offs lie
        usd_ticks = FuncFormatter(lambda v, _: f"{v:,.0f}")
        ax.yaxis.set_major_formatter(usd_ticks)
        ax.yaxis.set_minor_formatter(usd_ticks)
        ax.tick_params(axis="y", which="minor", labelsize="x-small")
    ax.set_xlabel("expected transit time (days)")
    ax.set_ylabel(
        f"cost (USD, {front.units:g} x {front.cargo}"
        + (", log scale)" if ax.get_yscale() == "log" else ")")
    )
    _place_labels(fig, ax, [f"{m.rank} {m.label}" for m in front], days, usd)
    if title is None:
        title = f"{front.origin} -> {front.destination}"
        if front.via:
            title += " via " + ", ".join(front.via)
        title = f"Pareto front {title}: {len(front)} routes"
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if front.p90:
        ax.legend(loc="upper right", fontsize="small")
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        fig.savefig(fh, format=fmt, dpi=120, bbox_inches="tight")
    return out


#: Offsets (points) tried in turn for a point's label, and the alignment of each.
_LABEL_SPOTS = (
    (6, 4, "left"),
    (6, -11, "left"),
    (-6, 4, "right"),
    (-6, -11, "right"),
    (6, 13, "left"),
    (6, -20, "left"),
    (-6, 13, "right"),
    (-6, -20, "right"),
    (6, 22, "left"),
    (-6, -29, "right"),
)


def _place_labels(
    fig: Any, ax: Any, labels: list[str], x: NDArray[np.float64], y: NDArray[np.float64]
) -> None:
    """Annotate each point at the first offset whose text overlaps no label placed so far.

    When every offset overlaps, the one overlapping least is kept. The figure is drawn once
    per label to measure the text (a few tens of labels: cheap).
    """
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = []
    for text, px, py in zip(labels, x.tolist(), y.tolist(), strict=True):
        best, best_overlap = None, math.inf
        for dx, dy, ha in _LABEL_SPOTS:
            ann = ax.annotate(
                text,
                (px, py),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize="x-small",
                ha=ha,
                zorder=4,
            )
            box = ann.get_window_extent(renderer)
            overlap = sum(
                max(0.0, min(box.x1, o.x1) - max(box.x0, o.x0))
                * max(0.0, min(box.y1, o.y1) - max(box.y0, o.y0))
                for o in placed
            )
            if overlap < best_overlap:
                if best is not None:
                    best[0].remove()
                best, best_overlap = (ann, box), overlap
            else:
                ann.remove()
            if overlap == 0.0:
                break
        assert best is not None
        placed.append(best[1])
