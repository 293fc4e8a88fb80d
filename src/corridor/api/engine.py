"""The one place where the REST API calls the model for routes.

:func:`find_routes` is all the API knows of routing: it calls
``corridor.journeys.plan(network, origin, destination, **options)`` (the public
``corridor.route`` with each route's simulation kept) and adds, per simulated route, the
transit-time CDF the web map draws. The options keep the names of ``corridor.route``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from corridor.objectives import DEFAULT_OBJECTIVE
from corridor.routing.request import DEFAULT_MAX_RATIO

if TYPE_CHECKING:
    from corridor.graph.build import GraphCache
    from corridor.network.model import Network
    from corridor.routing.types import Route

__all__ = ["CDF_PROBABILITIES", "RouteArguments", "find_routes"]

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
