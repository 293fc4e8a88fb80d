"""The one place where the REST API calls the model: routes, Pareto fronts, flows.

:func:`find_routes` is all the API knows of routing: it calls
``corridor.journeys.plan(network, origin, destination, **options)`` (the public
``corridor.route`` with each route's simulation kept) and adds, per simulated route, the
transit-time CDF the web map draws. The options keep the names of ``corridor.route``.
:func:`find_front` calls ``corridor.pareto_routes`` (as ``corridor route --pareto``) and
:func:`find_flows` :func:`corridor.flows.run_flows_case` (as ``corridor flows``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from corridor.demand.freight import Growth
from corridor.objectives import DEFAULT_OBJECTIVE
from corridor.routing.request import DEFAULT_MAX_RATIO

if TYPE_CHECKING:
    from corridor.demand.freight import FreightDemand
    from corridor.flows.run import FlowRun
    from corridor.graph.build import GraphCache
    from corridor.network.model import Network
    from corridor.routing.pareto import ParetoFront
    from corridor.routing.types import Route

__all__ = [
    "CDF_PROBABILITIES",
    "FlowArguments",
    "ParetoArguments",
    "RouteArguments",
    "find_flows",
    "find_front",
    "find_routes",
]

_NO_GROWTH = Growth()

#: Probabilities (percent) at which the transit-time CDF is given for the web map's chart.
CDF_PROBABILITIES: tuple[float, ...] = tuple(2.5 * i for i in range(41))


@dataclass(frozen=True)
class RouteArguments:
    """A route query with its places resolved to ids and its texts parsed.

    The field names are the keyword arguments of ``corridor.route`` (and of
    ``corridor.journeys.route``); ``reliability`` is set when a simulation is wanted
    (``reliability=true`` or a ``deadline``). Frozen and hashable: it is the key of the
    service's response cache.
    """

    origin: str
    destination: str
    objective: str = DEFAULT_OBJECTIVE
    cargo: str = "container_40ft"
    units: float = 1.0
    k: int = 3
    avoid_countries: tuple[str, ...] = ()
    avoid_places: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    modes: tuple[str, ...] | None = None
    include_planned: bool = False
    crew: int = 1
    max_ratio: float | None = DEFAULT_MAX_RATIO
    depart: datetime | None = None
    reliability: bool = False
    samples: int = 10_000
    seed: int | None = None
    deadline_h: float | None = None


def find_routes(network: Network, arguments: RouteArguments, *, graphs: GraphCache) -> list[Route]:
    """Return the alternatives of a route query, simulated when reliability is asked.

    Parameters
    ----------
    network : Network
        The network the service serves.
    arguments : RouteArguments
        The query.
    graphs : GraphCache
        The worker's expanded graphs (built once per cargo class).

    Returns
    -------
    list of Route
        With ``reliability`` (the figures of
        :meth:`~corridor.reliability.ReliabilityResult.to_dict` plus ``cdf``: the transit
        time ``time_h`` at each ``probability`` of :data:`CDF_PROBABILITIES`) when
        simulated.

    Raises
    ------
    InputError, PlaceNotFoundError, NoRouteError
        As :func:`corridor.route`.

    Examples
    --------
    >>> from corridor.graph.build import GraphCache
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> query = RouteArguments("A", "B", objective="time")
    >>> [r.rank for r in find_routes(net, query, graphs=GraphCache())]
    [1, 2]

    """
    from corridor.journeys import plan

    options = asdict(arguments)
    origin, destination = options.pop("origin"), options.pop("destination")
    result = plan(network, origin, destination, cache=graphs, **options)
    if result.results is None:
        return result.routes
    probability = [p / 100.0 for p in CDF_PROBABILITIES]
    return [
        replace(
            r,
            reliability={
                **(r.reliability or res.to_dict()),
                "cdf": {
                    "probability": probability,
                    "time_h": [res.percentile_h(p) for p in CDF_PROBABILITIES],
                },
            },
        )
        for r, res in zip(result.routes, result.results, strict=True)
    ]


@dataclass(frozen=True)
class ParetoArguments:
    """A Pareto route query with its places resolved and its texts parsed.

    The field names are the keyword arguments of ``corridor.pareto_routes``; ``depart``
    set means every member is simulated (its P90). Frozen and hashable (a cache key).
    """

    origin: str
    destination: str
    cargo: str = "container_40ft"
    units: float = 1.0
    avoid_countries: tuple[str, ...] = ()
    avoid_places: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    modes: tuple[str, ...] | None = None
    include_planned: bool = False
    crew: int = 1
    depart: datetime | None = None
    samples: int = 10_000
    seed: int | None = None
    epsilon: float | None = None
    max_labels: int = 1_000_000


def find_front(network: Network, arguments: ParetoArguments, *, graphs: GraphCache) -> ParetoFront:
    """Return the Pareto front of a query, simulated for the P90 when ``depart`` is set.

    Raises
    ------
    InputError, PlaceNotFoundError, NoRouteError
        As :func:`corridor.pareto_routes`.

    Examples
    --------
    >>> from corridor.graph.build import GraphCache
    >>> from corridor.testing import border_network
    >>> query = ParetoArguments("A", "D", include_planned=True)
    >>> [m.label for m in find_front(border_network(), query, graphs=GraphCache())]
    ['Alpha/Delta road', 'Charlie/Delta rail']

    """
    from corridor.journeys.pareto import pareto_routes

    options = asdict(arguments)
    origin, destination = options.pop("origin"), options.pop("destination")
    return pareto_routes(network, origin, destination, cache=graphs, **options)


@dataclass(frozen=True)
class FlowArguments:
    """A flow case's options, parsed: the keyword arguments of ``run_flows_case``.

    Frozen and hashable (growth factors are :class:`~corridor.demand.Growth` values, so
    ``1.5`` and ``+50%`` are one key): the key of the service's flow cache.
    """

    growth: Growth = _NO_GROWTH
    path: Growth | None = None
    steps: int = 10
    method: str = "bfw"
    gap: float = 1e-6
    max_iter: int = 5000
    logit_scale_usd_per_t: float | None = None
    carbon_price_usd_per_t: float = 0.0
    period_h: float = 8760.0
    top: int = 10
    include_planned: bool = False

    def options(self) -> dict[str, Any]:
        """Return the fields as keyword arguments (the growth factors as they are)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def find_flows(
    network: Network,
    demand: FreightDemand,
    arguments: FlowArguments,
    *,
    graphs: GraphCache,
) -> FlowRun:
    """Return the flow case of ``demand`` on ``network`` with ``arguments``, and its report.

    Raises
    ------
    InputError, DataFileError, NetworkValidationError, NoRouteError
        As :func:`corridor.flows.run_flows_case`.

    Examples
    --------
    >>> from corridor.graph.build import GraphCache
    >>> from corridor.testing import two_route_case
    >>> net, demand = two_route_case()
    >>> run = find_flows(net, demand, FlowArguments(gap=1e-9), graphs=GraphCache())
    >>> run.report["totals"]["assigned_t"]
    1000.0

    """
    from corridor.flows.run import run_flows_case

    return run_flows_case(network, demand, cache=graphs, **arguments.options())
