"""Pareto routes: every trade-off between days, dollars and CO2e, in one search.

:func:`pareto_routes` finds the **Pareto front** of the routes between two places on three
criteria, the expected time, the money and the CO2e of the consignment: every route that
no other route beats on one criterion without losing on another, one route per distinct
vector of totals. The search is Martins' multi-criteria label setting on the expanded graph
(:mod:`corridor.routing._pareto_kernels`, compiled with numba). The request is checked, and
the constraints applied, exactly as for :func:`corridor.routing.search_routes` (one
:class:`~corridor.routing.SearchRequest`, the same masks, the same via semantics: a route
starts at a departure node of the origin and reaches an arrival node of each later stop).
A weighted sum such as the generalized cost finds only the routes on the convex hull of
this front; k-shortest alternatives miss the others.

**What is exact.** Money and CO2e are sums over the edges. The time is the route's own:
the edges' expected times plus the drivers' breaks and rests of the exact schedule of each
road stretch for the request's ``crew`` (:mod:`corridor.graph.driving`), which each label
carries as the state of its current stretch. The front is therefore exact for the times
the routes report (each member's totals are its legs' sums, and the simulation's
deterministic time); it is the front over every walk through the stops, which could in
principle leave a place and come back (a loop can pay when it ends a road stretch and so
saves a rest; the tests' brute force enumerates such walks too). The
ranked search instead weighs road runs by the rules' average rest, so its fastest route
can be slower than the front's.

The bad case (P90 transit time) is not additive: it is a second stage in the journeys
layer (:func:`corridor.journeys.pareto.with_p90`), which simulates each member.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError, NetworkValidationError, NoRouteError
from corridor.graph.build import GraphCache
from corridor.graph.costs import CargoClass, value_of_time
from corridor.network.model import Network
from corridor.objectives import get_objective
from corridor.routing.labels import corridor_label
from corridor.routing.request import SearchRequest
from corridor.routing.search import _Query, _resolve, make_route, search
from corridor.routing.types import Route

__all__ = ["CRITERIA", "PARETO_OPTIONS", "ParetoFront", "ParetoMember", "pareto_routes"]

#: The criteria of the front, in the order of the lexicographic ranking.
CRITERIA: tuple[str, ...] = ("time_h", "cost_usd", "co2e_kg")

#: The :class:`SearchRequest` options a Pareto search takes (it ranks by no one objective
#: and returns the whole front, so ``objective`` and ``k`` do not apply).
PARETO_OPTIONS: tuple[str, ...] = tuple(
    f.name
    for f in fields(SearchRequest)
    if f.name not in ("origin", "destination", "objective", "k", "max_ratio")
)
#: The options of a ranked search that a front has no use for.
_NOT_PARETO = ("objective", "k", "max_ratio")

_BEST = {"time_h": "time", "cost_usd": "cost", "co2e_kg": "co2e"}
_METHOD = "martins label setting (pareto front of time, cost, co2e)"


@dataclass(frozen=True)
class ParetoMember:
    """One route of a Pareto front with what the front says about it.

    Attributes
    ----------
    route : Route
        The route (``objective="pareto"``, ``objective_value`` its expected time, h;
        ``reliability`` set once simulated).
    label : str
        Which corridor it takes, in words (:func:`corridor.routing.labels.corridor_label`).
    time_h, cost_usd, co2e_kg : float
        Its totals (for all units of cargo): the sums of its route's legs, drivers' rests
        included.
    best_for : tuple of str
        The criteria (``"time"``, ``"cost"``, ``"co2e"``) on which no route is better.
    p90_h : float or None
        Simulated 90th percentile of the transit time (None until simulated).
    p90_interval_h : tuple of float or None
        A distribution-free 95 % interval of that P90 (binomial order statistics).
    p90_dominated_by : tuple of int
        Ranks of the members with a P90, cost and CO2e no worse and one better.
    p90_on_front : bool or None
        Not dominated once P90 replaces the expected time (None until simulated).

    """

    route: Route
    label: str
    time_h: float
    cost_usd: float
    co2e_kg: float
    best_for: tuple[str, ...]
    p90_h: float | None = None
    p90_interval_h: tuple[float, float] | None = None
    p90_dominated_by: tuple[int, ...] = ()
    p90_on_front: bool | None = None

    @property
    def rank(self) -> int:
        """The route's rank on the front (1 = fastest)."""
        return self.route.rank

    def values(self) -> tuple[float, float, float]:
        """Return ``(time_h, cost_usd, co2e_kg)``."""
        return (self.time_h, self.cost_usd, self.co2e_kg)

    def to_dict(self) -> dict[str, Any]:
        """Return the member's Pareto facts (not its route) as a JSON-ready dict."""
        d = asdict(self)
        del d["route"]
        d["best_for"] = list(self.best_for)
        d["p90_dominated_by"] = list(self.p90_dominated_by)
        if self.p90_interval_h is not None:
            d["p90_interval_h"] = list(self.p90_interval_h)
        return d


@dataclass(frozen=True, eq=False)
class ParetoFront:
    """The Pareto-optimal routes between two places on time, cost and CO2e.

    Attributes
    ----------
    members : tuple of ParetoMember
        Sorted by time, then cost, then CO2e (``rank`` 1, 2 ...).
    origin, destination : str
        Place ids.
    via : tuple of str
        Place ids passed in order.
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
        Whether the members were simulated (:func:`corridor.journeys.pareto.with_p90`).

    """

    members: tuple[ParetoMember, ...]
    origin: str
    destination: str
    via: tuple[str, ...]
    cargo: str
    units: float
    epsilon: tuple[float, float, float] | None
    budget_hit: bool
    complete_below_time_h: float
    n_labels: int
    max_labels: int
    p90: bool = False

    def __len__(self) -> int:
        return len(self.members)

    def __iter__(self) -> Iterator[ParetoMember]:
        return iter(self.members)

    def __getitem__(self, i: int) -> ParetoMember:
        return self.members[i]

    @property
    def routes(self) -> list[Route]:
        """The members' routes, in rank order."""
        return [m.route for m in self.members]

    @property
    def complete(self) -> bool:
        """Whether the search finished within the label budget."""
        return not self.budget_hit

    def values(self) -> NDArray[np.float64]:
        """Return the ``(n, 3)`` totals (time h, cost USD, CO2e kg) of the members."""
        return np.array([m.values() for m in self.members], dtype=np.float64).reshape(-1, 3)

    def to_dict(self) -> dict[str, Any]:
        """Return the front's facts (not its members) as a JSON-ready dict."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "via": list(self.via),
            "cargo": self.cargo,
            "units": self.units,
            "criteria": list(CRITERIA),
            "size": len(self.members),
            "epsilon": None if self.epsilon is None else list(self.epsilon),
            "complete": self.complete,
            "complete_below_time_h": self.complete_below_time_h,
            "n_labels": self.n_labels,
            "max_labels": self.max_labels,
            "p90": self.p90,
        }


def check_epsilon(epsilon: float | Sequence[float] | None) -> tuple[float, float, float] | None:
    """Return ε per criterion (time, cost, CO2e), or None for an exact front.

    Raises
    ------
    InputError
        Unless ``epsilon`` is None, one number >= 0 or three of them.

    """
    if epsilon is None:
        return None
    try:
        if isinstance(epsilon, bool):
            raise TypeError(epsilon)
        if isinstance(epsilon, int | float | np.number):
            vals = [float(epsilon)] * 3
        elif isinstance(epsilon, str):
            raise TypeError(epsilon)
        else:
            vals = [float(x) for x in epsilon]
    except (TypeError, ValueError):
        vals = []
    if len(vals) != 3 or not all(math.isfinite(x) and 0 <= x <= 10 for x in vals):
        raise InputError(
            f"epsilon must be a number from 0 to 10 or three of them (time, cost, CO2e), "
            f"got {epsilon!r}",
            argument="epsilon",
            value=epsilon,
            allowed="0 <= epsilon <= 10",
        )
    return (vals[0], vals[1], vals[2])


def check_max_labels(max_labels: object) -> int:
    """Return the label budget, checked (a whole number from 1 to 10**9)."""
    if isinstance(max_labels, bool) or not (
        isinstance(max_labels, int | np.integer) and 1 <= max_labels <= 10**9
    ):
        raise InputError(
            f"max_labels must be a whole number from 1 to 10**9, got {max_labels!r}",
            argument="max_labels",
            value=max_labels,
            allowed="1 to 10**9",
        )
    return int(max_labels)


def pareto_request(origin: str, destination: str, **options: Any) -> SearchRequest:
    """Check the search options of a Pareto search and return them as a request.

    Raises
    ------
    InputError
        For ``objective``, ``k`` or ``max_ratio`` (a front has none of them), an unknown
        option, or a bad value (as :class:`SearchRequest`).

    """
    for name in _NOT_PARETO:
        if name in options:
            raise InputError(
                f"{name} does not apply to a Pareto search: the front holds every trade-off "
                "between time, cost and CO2e",
                argument=name,
                value=options[name],
                allowed=list(PARETO_OPTIONS),
            )
    return SearchRequest.from_options(origin, destination, max_ratio=None, **options)


# value of time per unit by cargo class id, read once per network (it never changes in place)
_VOT: weakref.WeakKeyDictionary[Network, dict[str, float]] = weakref.WeakKeyDictionary()


def _value_of_time(network: Network, cargo: CargoClass) -> float:
    """Return the value of time of a unit of ``cargo``, USD/h (NaN when the network has none)."""
    known = _VOT.setdefault(network, {})
    if cargo.cargo not in known:
        try:
            known[cargo.cargo] = value_of_time(network, cargo)
        except NetworkValidationError:
            known[cargo.cargo] = math.nan  # reported as an unknown generalized cost
    return known[cargo.cargo]


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


def _no_front(network: Network, request: SearchRequest, cache: GraphCache) -> NoRouteError:
    """Say why there is no route: a constraint (as search_routes says) or unknown figures."""
    for objective in ("time", "cost", "co2e"):
        # raises the NoRouteError that names the blocking constraint
        search(network, replace(request, objective=objective, k=1), cache=cache)
    return NoRouteError(
        f"no route from {request.origin} to {request.destination} has a known time, cost "
        "and CO2e: every route uses a leg with an unknown figure for one of them (each alone "
        "has a route); add the missing figures to the parameter tables",
        "objective",
    )


def pareto_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    epsilon: float | Sequence[float] | None = None,
    max_labels: int = 1_000_000,
    cache: GraphCache | None = None,
    **options: Any,
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
    **options
        The options of :func:`corridor.routing.search_routes` but ``objective``, ``k`` and
        ``max_ratio`` (:data:`PARETO_OPTIONS`): ``cargo``, ``units``, ``avoid_countries``,
        ``avoid_places``, ``modes``, ``via`` (passed in order, exactly: the front is that
        of the routes through them), ``include_planned``, ``crew`` (drivers per truck, 1
        or 2: the drivers' hours that time the road legs), and the prices of the
        generalized cost reported on each route (``value_of_time_usd_per_h``,
        ``carbon_price_usd_per_t``).

    Returns
    -------
    ParetoFront
        The members sorted by time, then cost, then CO2e.

    Raises
    ------
    InputError
        Bad options (as :func:`corridor.routing.search_routes`), ``objective``, ``k`` or
        ``max_ratio``, a bad ``epsilon`` or ``max_labels``, a ``crew`` the drivers' hours
        rules do not cover.
    PlaceNotFoundError
        An end, via or avoided place is unknown.
    NoRouteError
        No route satisfies the constraints (the message names the one that blocks), or
        every route has a leg whose time, cost or CO2e is unknown.

    Examples
    --------
    The test network's planned road is faster, the railway cheaper and cleaner:

    >>> from corridor.testing import border_network
    >>> front = pareto_routes(border_network(), "A", "D", include_planned=True)
    >>> [(m.rank, m.label, m.best_for) for m in front]
    [(1, 'Alpha/Delta road', ('time',)), (2, 'Charlie/Delta rail', ('cost', 'co2e'))]
    >>> front.values().round(1).tolist()
    [[27.0, 2480.0, 1930.0], [34.2, 830.0, 304.0]]

    """
    eps = check_epsilon(epsilon)
    budget = check_max_labels(max_labels)
    request = pareto_request(origin, destination, **options)
    resolved = _resolve(network, request, cache)
    g = resolved.graph
    assert g.cargo is not None
    crew = request.crew
    driving = g.driving_arrays(crew) if g.rule_keys else None  # raises for a crew not covered
    weights = np.column_stack((g.time_h, g.cost_usd, g.co2e_kg))
    # the query's "known" edges are those whose three figures are all known
    query = _Query(
        g,
        resolved.stops,
        weights.sum(axis=1),
        resolved.countries,
        resolved.avoid_rows,
        request.modes,
    )
    layers = [query._layers(p, True, start=i == 0) for i, p in enumerate(resolved.stops)]
    from corridor.routing._pareto_kernels import pareto_labels

    front, _, pred, edge, hit, stop, n_labels, _ = pareto_labels(
        g.indptr,
        g.head,
        weights,
        query.mask(),
        layers[0],
        layers[-1],
        via=layers[1:-1],
        eps=None if eps is None else np.asarray(eps),
        max_labels=budget,
        driving=driving,
    )
    if front.size == 0 and not hit:
        raise _no_front(network, request, cache or GraphCache())
    units = request.units
    vot_total = request.value_of_time_usd_per_h
    if vot_total is None:
        vot_total = _value_of_time(network, g.cargo) * units
    method = _METHOD + (" via " + ", ".join(resolved.via_ids) if resolved.via_ids else "")
    time_objective = get_objective("time")
    routes = [
        replace(
            make_route(
                g,
                path,
                rank=0,
                objective=time_objective,
                units=units,
                value_of_time_usd_per_h=vot_total,
                carbon_price_usd_per_t=request.carbon_price_usd_per_t,
                method=method,
                crew=crew,
            ),
            objective="pareto",
        )
        for path in _paths(front, pred, edge)
    ]
    # The members' totals are their routes' (the legs' sums). The search summed the same
    # figures (for one unit) in another order, so two members it told apart by a rounding
    # error may tie here: the later one is dropped, and no member dominates another.
    totals = np.array(
        [(r.time_h, r.cost_usd, r.co2e_kg) for r in routes], dtype=np.float64
    ).reshape(-1, 3)
    keep = [
        i
        for i in range(len(routes))
        if not any(
            (totals[j] <= totals[i]).all() and ((totals[j] < totals[i]).any() or j < i)
            for j in range(len(routes))
            if j != i
        )
    ]
    best = totals[keep].min(axis=0) if keep else np.zeros(3)
    members = []
    for rank, i in enumerate(keep, start=1):
        route = replace(routes[i], rank=rank)
        members.append(
            ParetoMember(
                route=route,
                label=corridor_label(network, route),
                time_h=float(totals[i, 0]),
                cost_usd=float(totals[i, 1]),
                co2e_kg=float(totals[i, 2]),
                best_for=tuple(_BEST[c] for j, c in enumerate(CRITERIA) if totals[i, j] == best[j]),
            )
        )
    return ParetoFront(
        members=tuple(members),
        origin=resolved.origin_id,
        destination=resolved.destination_id,
        via=resolved.via_ids,
        cargo=g.cargo.cargo,
        units=units,
        epsilon=eps,
        budget_hit=hit,
        complete_below_time_h=float(stop[0]) if hit else math.inf,
        n_labels=n_labels,
        max_labels=budget,
    )
