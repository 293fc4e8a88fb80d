"""``corridor.route``: search the routes, then simulate them when asked or needed.

For an **additive** objective (``time``, ``cost``, ``co2e``, ``length``, ``generalized``)
the routes are those of :func:`corridor.routing.search_routes`; with ``reliability=True``
each is then simulated from ``depart`` and its figures attached (``route.reliability``).
For a **simulated** objective (``p90_time`` ...) twice ``k`` candidates are searched under
the objective's ``candidates`` objective, each is simulated once with the same seed
(common random numbers), and the best ``k`` by the statistic are returned, their
``objective_value`` being that statistic.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from corridor._checks import as_bool, as_number
from corridor.errors import InputError
from corridor.graph.build import GraphCache
from corridor.network.model import Network
from corridor.objectives import DEFAULT_OBJECTIVE, get_objective
from corridor.reliability.model import FerryWaits
from corridor.reliability.montecarlo import ReliabilityResult, simulate_route
from corridor.routing.request import MAX_K, SearchRequest
from corridor.routing.search import search
from corridor.routing.types import Route

__all__ = ["Plan", "RouteOptions", "plan", "rank_by_simulation", "route"]


@dataclass(frozen=True)
class RouteOptions:
    """The simulation options of :func:`route` (the search options are a SearchRequest).

    Attributes
    ----------
    depart : datetime or None
        Departure; needed to simulate.
    reliability : bool
        Simulate every returned route.
    samples : int
        Draws per route.
    seed : int or None
        Seed of the draws.
    deadline_h : float or None
        Deadline for the on-time probability, hours after departure.
    ferry_volume : float or None
        When given, the waits for the Caspian lines that have a queue model
        (:mod:`corridor.ferries`, the ``ferry_lines`` table) are drawn from that model's
        simulated waits by month, with arrivals at this share of each line's capacity
        (0.1 to 1.2), instead of the departure rule with independent cancellations. The
        route's P50/P90 then depend on the month of arrival at the port and on the volume.

    """

    depart: datetime | None = None
    reliability: bool = False
    samples: int = 10_000
    seed: int | None = None
    deadline_h: float | None = None
    ferry_volume: float | None = None

    def __post_init__(self) -> None:
        if self.depart is not None and not isinstance(self.depart, datetime):
            raise InputError(
                f"depart must be a datetime, got {self.depart!r}",
                argument="depart",
                value=self.depart,
                allowed="datetime",
            )
        as_bool(self.reliability, "reliability")
        if self.ferry_volume is not None:
            object.__setattr__(
                self,
                "ferry_volume",
                as_number(self.ferry_volume, "ferry_volume", low=0.1, high=1.2),
            )


def _ferry_waits(network: Network, routes: list[Route], options: RouteOptions) -> FerryWaits | None:
    """Queue-model waits for the lines the routes ride, when ``ferry_volume`` is set."""
    if options.ferry_volume is None:
        return None
    from corridor.ferries import ferry_line_infos, ferry_waits

    modelled = {i.service_id for i in ferry_line_infos(network) if i.line is not None}
    ridden = sorted({leg.service_id for r in routes for leg in r.legs if leg.service_id})
    wanted = [s for s in ridden if s in modelled]
    if not wanted:
        return None
    return ferry_waits(
        network,
        wanted,
        volume_share=options.ferry_volume,
        seed=0 if options.seed is None else options.seed,
    )


def rank_by_simulation(
    network: Network,
    routes: list[Route],
    *,
    statistic: str,
    objective: str,
    options: RouteOptions,
    cache: GraphCache | None = None,
) -> list[tuple[Route, ReliabilityResult]]:
    """Simulate each route (same seed for all) and sort by ``statistic`` of the result.

    Returns the routes re-ranked, each with ``objective``, ``objective_value`` (the
    statistic) and ``reliability`` set, beside its :class:`ReliabilityResult`.
    """
    if options.depart is None:
        raise InputError(
            f"objective {objective!r} ranks by simulated transit time: it needs a departure "
            "time (depart=...)",
            argument="depart",
        )
    scored = []
    waits = _ferry_waits(network, routes, options)
    for i, r in enumerate(routes):
        res = simulate_route(
            network,
            r,
            depart=options.depart,
            samples=options.samples,
            seed=options.seed,
            deadline_h=options.deadline_h,
            cache=cache,
            ferry_waits=waits,
        )
        figures = res.to_dict()
        scored.append((float(figures[statistic]), i, r, res, figures))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [
        (
            replace(r, rank=k + 1, objective=objective, objective_value=v, reliability=fig),
            res,
        )
        for k, (v, _, r, res, fig) in enumerate(scored)
    ]


@dataclass(frozen=True, eq=False)
class Plan:
    """Routes with, when simulated, each route's full simulation result.

    Attributes
    ----------
    routes : list of Route
        Best first.
    results : tuple of ReliabilityResult or None
        The simulation of each route (same order), or None when not simulated.

    """

    routes: list[Route]
    results: tuple[ReliabilityResult, ...] | None = None


def plan(
    network: Network,
    origin: str,
    destination: str,
    *,
    cache: GraphCache | None = None,
    **options: Any,
) -> Plan:
    """Like :func:`route`, and keep every simulation result (for plots and tables).

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.testing import gauge_network
    >>> p = plan(gauge_network(), "A", "B", reliability=True, depart=datetime(2026, 12, 1),
    ...          samples=200, seed=3)
    >>> len(p.routes) == len(p.results)
    True

    """
    sim_names = {f.name for f in fields(RouteOptions)}
    sim = RouteOptions(**{k: v for k, v in options.items() if k in sim_names})
    search_opts = {k: v for k, v in options.items() if k not in sim_names}
    name = search_opts.get("objective", DEFAULT_OBJECTIVE)
    objective = get_objective(name)
    if objective.additive:
        request = SearchRequest.from_options(origin, destination, **search_opts)
        if sim.reliability and sim.depart is None:
            raise InputError(
                "reliability=True needs a departure time (depart=...)", argument="depart"
            )
        routes = search(network, request, cache=cache)
        if not sim.reliability:
            return Plan(routes)
        assert sim.depart is not None
        waits = _ferry_waits(network, routes, sim)
        results = tuple(
            simulate_route(
                network,
                r,
                depart=sim.depart,
                samples=sim.samples,
                seed=sim.seed,
                deadline_h=sim.deadline_h,
                cache=cache,
                ferry_waits=waits,
            )
            for r in routes
        )
        return Plan(
            [replace(r, reliability=res.to_dict()) for r, res in zip(routes, results, strict=True)],
            results,
        )
    if sim.depart is None:
        raise InputError(
            f"objective {name!r} ranks by simulated transit time: it needs a departure time "
            "(depart=...)",
            argument="depart",
        )
    request = SearchRequest.from_options(
        origin, destination, **{**search_opts, "objective": objective.candidates}
    )
    candidates = search(network, replace(request, k=min(2 * request.k, MAX_K)), cache=cache)
    ranked = rank_by_simulation(
        network,
        candidates,
        statistic=objective.statistic,
        objective=objective.name,
        options=sim,
        cache=cache,
    )[: request.k]
    return Plan([r for r, _ in ranked], tuple(res for _, res in ranked))


def route(
    network: Network,
    origin: str,
    destination: str,
    *,
    cache: GraphCache | None = None,
    **options: Any,
) -> list[Route]:
    """Find the best routes from ``origin`` to ``destination``, simulated when asked.

    Parameters
    ----------
    network : Network
        The network with its parameter tables (``docs/data-model.md``).
    origin, destination : str
        Place ids, names or aliases.
    cache : GraphCache, optional
        Reuse expanded graphs across calls (a server holds one).
    **options
        Search options (:class:`~corridor.routing.request.SearchRequest`): ``objective``
        (any of :data:`corridor.objectives.OBJECTIVES`), ``cargo``, ``units``, ``k``,
        ``avoid_countries``, ``avoid_places``, ``modes``, ``via``, ``include_planned``,
        ``value_of_time_usd_per_h``, ``carbon_price_usd_per_t``; and simulation options
        (:class:`RouteOptions`): ``depart``, ``reliability``, ``samples``, ``seed``,
        ``deadline_h``, ``ferry_volume``.

    Returns
    -------
    list of Route
        Best first; with ``reliability`` figures when simulated.

    Raises
    ------
    InputError, PlaceNotFoundError, NoRouteError
        As :func:`corridor.routing.search_routes`; a simulated objective or
        ``reliability=True`` without ``depart``.

    Examples
    --------
    >>> from datetime import datetime
    >>> from corridor.testing import gauge_network
    >>> best = route(gauge_network(), "A", "B", objective="p90_time", k=1,
    ...              depart=datetime(2026, 12, 1), samples=500, seed=1)[0]
    >>> best.objective, best.objective_value == best.reliability["p90_h"]
    ('p90_time', True)

    """
    return plan(network, origin, destination, cache=cache, **options).routes
