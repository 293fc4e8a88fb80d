"""Pareto routes: every trade-off between days, dollars and CO2e, in one search.

:func:`pareto_routes` finds the **Pareto front** of the routes between two places on three
additive criteria, the expected time, the money and the CO2e of the consignment: every
route that no other route beats on one criterion without losing on another, one route per
distinct vector of totals. The search is Martins' multi-criteria label setting on the
expanded graph (:mod:`corridor.routing._pareto_kernels`, compiled with numba), with the
constraints of :func:`corridor.routing.route` (countries and places to avoid, modes,
planned elements). A weighted sum such as the generalized cost finds only the routes on
the convex hull of this front; k-shortest alternatives miss the others.

:func:`with_p90` is the second stage for the bad case: each member is simulated
(:func:`corridor.reliability.simulate_route`) and marked when another member has a P90
time, cost and CO2e no worse and one better. Its docstring says why that is not the
exact front of P90 over all routes.

Both return a :class:`ParetoFront`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError, NoRouteError
from corridor.graph.build import GraphCache
from corridor.network.model import Network
from corridor.routing._request import Request, path_route, resolve_request
from corridor.routing.types import Route

__all__ = ["CRITERIA", "ParetoFront", "pareto_routes", "with_p90"]

#: The criteria of the front, in the order of the lexicographic ranking.
CRITERIA: tuple[str, ...] = ("time_h", "cost_usd", "co2e_kg")

#: Words for the single-criterion optimum each criterion names (``extra["pareto"]["best_for"]``).
_BEST = {"time_h": "time", "cost_usd": "cost", "co2e_kg": "co2e"}

_METHOD = "martins label setting (pareto front of time, cost, co2e)"


@dataclass(frozen=True, eq=False)
class ParetoFront:
    """The Pareto-optimal routes between two places on time, cost and CO2e.

    Attributes
    ----------
    routes : tuple of Route
        The members, sorted by time, then cost, then CO2e (``rank`` 1, 2 ...), each with
        ``objective="pareto"``. ``extra["pareto"]`` holds the member's totals as the
        search summed them (``time_h``, ``cost_usd``, ``co2e_kg`` for all units) and
        ``best_for``: the criteria (``"time"``, ``"cost"``, ``"co2e"``) on which no route
        is better. :func:`with_p90` adds the bad-case figures.
    origin, destination : str
        Place ids.
    cargo : str
        Cargo class id.
    units : float
        Units of cargo.
    epsilon : tuple of float or None
        The relative ε per criterion the front was thinned with (None: exact front).
    budget_hit : bool
        The label budget bound and the search stopped early. The members are still
        Pareto-optimal, and every Pareto-optimal route faster than
        ``complete_below_time_h`` is among them, but slower ones may be missing.
    complete_below_time_h : float
        ``inf`` when the search finished; else the time up to which the front is complete.
    n_labels : int
        Labels the search created (its work).
    max_labels : int
        The label budget.
    p90 : bool
        Whether :func:`with_p90` simulated the members.

    """

    routes: tuple[Route, ...]
    origin: str
    destination: str
    cargo: str
    units: float
    epsilon: tuple[float, float, float] | None
    budget_hit: bool
    complete_below_time_h: float
    n_labels: int
    max_labels: int
    p90: bool = False

    def __len__(self) -> int:
        return len(self.routes)

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)

    def __getitem__(self, i: int) -> Route:
        return self.routes[i]

    @property
    def complete(self) -> bool:
        """Whether the search finished within the label budget."""
        return not self.budget_hit

    def values(self) -> NDArray[np.float64]:
        """Return the ``(n, 3)`` totals (time h, cost USD, CO2e kg) of the members."""
        out = np.empty((len(self.routes), 3))
        for i, r in enumerate(self.routes):
            out[i] = [r.extra["pareto"][c] for c in CRITERIA]
        return out


def _epsilon(epsilon: float | Sequence[float] | None) -> tuple[float, float, float] | None:
    if epsilon is None:
        return None
    try:
        if isinstance(epsilon, int | float | np.number):
            vals = [float(epsilon)] * 3
        elif isinstance(epsilon, str):
            raise TypeError(epsilon)
        else:
            vals = [float(x) for x in epsilon]
    except (TypeError, ValueError):
        vals = []
    if len(vals) != 3 or not all(math.isfinite(x) and x >= 0 for x in vals):
        raise InputError(
            f"epsilon must be a number >= 0 or three of them (time, cost, CO2e), got {epsilon!r}",
            argument="epsilon",
            value=epsilon,
            allowed=">= 0",
        )
    return (vals[0], vals[1], vals[2])


def _paths(
    front: NDArray[np.int64], pred: NDArray[np.int64], edge: NDArray[np.int64]
) -> list[list[int]]:
    out = []
    for lab in front.tolist():
        path = []
        while pred[lab] != -1:
            path.append(int(edge[lab]))
            lab = int(pred[lab])
        path.reverse()
        out.append(path)
    return out


def _no_front(req: Request, network: Network, options: dict[str, Any]) -> NoRouteError:
    """Say why there is no route: a constraint (as route() says) or unknown figures."""
    from corridor.routing.search import route

    for objective in ("time", "cost", "co2e"):
        route(
            network, req.origin_id, req.destination_id, objective=objective, k=1, **options
        )  # raises the NoRouteError that names the blocking constraint
    return NoRouteError(
        f"no route from {req.origin_id} to {req.destination_id} has a known time, cost and "
        "CO2e: every route uses a leg with an unknown figure for one of them (each alone has "
        "a route); add the missing figures to the parameter tables",
        "objective",
    )


def pareto_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str = "container_40ft",
    units: float = 1,
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    include_planned: bool = False,
    epsilon: float | Sequence[float] | None = None,
    max_labels: int = 1_000_000,
    cache: GraphCache | None = None,
) -> ParetoFront:
    """Find every Pareto-optimal route on time, cost and CO2e (Martins' label setting).

    A route is on the front when no other route is at least as good on all three of
    expected time, cost and CO2e and better on one. Routes with equal totals count once.

    Parameters
    ----------
    network : Network
        The network with its parameter tables.
    origin, destination : str
        Place ids, names or aliases.
    cargo : str, default "container_40ft"
        Cargo class, or an alias (``container``, ``teu`` ...).
    units : float, default 1
        Units of the cargo class; money and CO2e scale with it (the front does not change).
    avoid_countries : iterable of str
        ISO 3166-1 alpha-3 codes no route may touch.
    avoid_places : iterable of str
        Places (ids or names) no route may touch.
    modes : iterable of str, optional
        Allowed modes; all when omitted.
    include_planned : bool, default False
        Use planned places and links too.
    epsilon : float or sequence of three floats, optional
        Thin the front: a route is left out when a member is within a factor
        ``1 + epsilon`` of it on every criterion (time, cost, CO2e; one number for all).
        Every member is still Pareto-optimal, and every Pareto-optimal route ``f`` has a
        member ``g`` with ``g <= (1 + epsilon) * f`` on each criterion. Exact when omitted.
    max_labels : int, default 1000000
        Budget of labels (partial paths) the search may create. When it binds the front
        is returned with ``budget_hit=True`` (see :class:`ParetoFront`); never truncated
        silently.
    cache : GraphCache, optional
        Reuse expanded graphs across calls.

    Returns
    -------
    ParetoFront
        The members sorted by time, then cost, then CO2e.

    Raises
    ------
    InputError
        Bad options (as :func:`corridor.routing.route`), ``epsilon`` or ``max_labels``.
    PlaceNotFoundError
        An end or avoided place is unknown.
    NoRouteError
        No route satisfies the constraints (the message names the one that blocks), or
        every route has a leg whose time, cost or CO2e is unknown.

    Examples
    --------
    The test network's planned road is faster, the railway cheaper and cleaner:

    >>> from corridor.testing import border_network
    >>> front = pareto_routes(border_network(), "A", "D", include_planned=True)
    >>> [(r.rank, r.legs[0].mode, r.extra["pareto"]["best_for"]) for r in front]
    [(1, 'road', ['time']), (2, 'rail_1520', ['cost', 'co2e'])]
    >>> front.values().round(1).tolist()
    [[27.0, 2480.0, 1930.0], [34.2, 830.0, 304.0]]

    """
    eps = _epsilon(epsilon)
    if isinstance(max_labels, bool) or not (
        isinstance(max_labels, int | np.integer) and max_labels >= 1
    ):
        raise InputError(
            f"max_labels must be a whole number >= 1, got {max_labels!r}",
            argument="max_labels",
            value=max_labels,
            allowed=">= 1",
        )
    options: dict[str, Any] = {
        "cargo": cargo,
        "units": units,
        "avoid_countries": tuple(avoid_countries),
        "avoid_places": tuple(avoid_places),
        "modes": None if modes is None else tuple(modes),
        "include_planned": include_planned,
        "cache": cache,
    }
    req = resolve_request(network, origin, destination, **options)
    g = req.graph
    weights = np.column_stack((g.time_h, g.cost_usd, g.co2e_kg))
    mask = req.mask() & np.isfinite(weights).all(axis=1)
    src, dst = req.ends()
    from corridor.routing._pareto_kernels import pareto_labels

    front, values, pred, edge, hit, stop, n_labels, _ = pareto_labels(
        g.indptr,
        g.head,
        weights,
        mask,
        src,
        dst,
        eps=None if eps is None else np.asarray(eps),
        max_labels=int(max_labels),
    )
    if front.size == 0 and not hit:
        raise _no_front(req, network, {**options, "cache": cache or GraphCache()})
    totals = values[front] * np.array([1.0, req.units, req.units])
    best = totals.min(axis=0) if len(front) else np.zeros(3)
    routes = []
    for i, path in enumerate(_paths(front, pred, edge)):
        figures: dict[str, Any] = {c: float(totals[i, j]) for j, c in enumerate(CRITERIA)}
        figures["best_for"] = [_BEST[c] for j, c in enumerate(CRITERIA) if totals[i, j] == best[j]]
        routes.append(
            path_route(
                g,
                path,
                rank=i + 1,
                objective="pareto",
                units=req.units,
                extra={"pareto": figures, "method": _METHOD},
            )
        )
    return ParetoFront(
        routes=tuple(routes),
        origin=req.origin_id,
        destination=req.destination_id,
        cargo=g.cargo.cargo,
        units=req.units,
        epsilon=eps,
        budget_hit=hit,
        complete_below_time_h=float(stop[0]) if hit else math.inf,
        n_labels=n_labels,
        max_labels=int(max_labels),
    )


def _p90_interval(draws: NDArray[np.float64]) -> tuple[float, float]:
    """Distribution-free 95 % interval of the 90th percentile (binomial order statistics)."""
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
        From :func:`pareto_routes`.
    network : Network
        The network the front was found on.
    depart : datetime
        Departure from the origin.
    samples : int, default 10000
        Monte Carlo draws per member.
    seed : int, optional
        Seed of the draws (the same for every member).

    Returns
    -------
    ParetoFront
        A copy with ``p90=True``; each member's ``extra["reliability"]`` holds the figures
        of :meth:`~corridor.reliability.ReliabilityResult.to_dict` and
        ``extra["pareto"]`` gains ``p90_h``, ``p90_interval_h`` (low, high),
        ``p90_dominated_by`` (ranks of the members that dominate it on P90, cost and CO2e)
        and ``p90_on_front`` (not dominated).

    Raises
    ------
    InputError
        For bad ``samples`` (from the simulation).

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.testing import border_network
    >>> net = border_network()
    >>> front = pareto_routes(net, "A", "D", include_planned=True)
    >>> front = with_p90(front, net, depart=datetime(2026, 12, 1, 8), samples=2000, seed=1)
    >>> [(r.extra["pareto"]["p90_h"] > r.time_h, r.extra["pareto"]["p90_on_front"])
    ...  for r in front]
    [(True, True), (True, True)]

    """
    from corridor.reliability import simulate_route

    p90 = np.empty(len(front.routes))
    figures = []
    intervals = []
    for i, r in enumerate(front.routes):
        res = simulate_route(network, r, depart=depart, samples=samples, seed=seed)
        p90[i] = res.p90_h
        figures.append(res.to_dict())
        intervals.append(_p90_interval(np.asarray(res.transit_time_h, dtype=np.float64)))
    vals = front.values()
    crit = np.column_stack((p90, vals[:, 1], vals[:, 2])) if len(p90) else np.empty((0, 3))
    routes = []
    for i, r in enumerate(front.routes):
        le = (crit <= crit[i]).all(axis=1)
        lt = (crit < crit[i]).any(axis=1)
        by = [int(front.routes[j].rank) for j in np.flatnonzero(le & lt)]
        pareto = {
            **r.extra["pareto"],
            "p90_h": float(p90[i]),
            "p90_interval_h": intervals[i],
            "p90_dominated_by": by,
            "p90_on_front": not by,
        }
        routes.append(replace(r, extra={**r.extra, "pareto": pareto, "reliability": figures[i]}))
    return replace(front, routes=tuple(routes), p90=True)
