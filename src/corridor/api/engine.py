"""The one place where the REST API calls the model for routes.

:func:`find_routes` is all the API knows of routing: it calls :func:`corridor.route`
(:mod:`corridor.routing.search`) and, when reliability is asked, simulates each
alternative with :func:`corridor.reliability.simulate_route` exactly as ``corridor route
--reliability`` does (:func:`corridor.cli.route.run_route`). When
``corridor.journeys.route(network, origin, destination, **options)`` lands it replaces the
body of this function; the options keep their names.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from corridor.errors import InputError

if TYPE_CHECKING:
    from corridor.graph.build import GraphCache
    from corridor.network.model import Network
    from corridor.reliability.parameters import ReliabilityParameters
    from corridor.routing.types import Route

__all__ = ["CDF_PROBABILITIES", "RouteOptions", "find_routes", "supports_via"]

#: Probabilities (percent) at which the transit-time CDF is given for the web map's chart.
CDF_PROBABILITIES: tuple[float, ...] = tuple(2.5 * i for i in range(41))


@dataclass(frozen=True)
class RouteOptions:
    """A route query with its places resolved to ids and its texts parsed.

    The field names are the keyword arguments of ``corridor.route`` (and of
    ``corridor.journeys.route``); ``reliability`` is set when a simulation is wanted
    (``reliability=true`` or a ``deadline``). Frozen and hashable: it is the key of the
    service's response cache.
    """

    origin: str
    destination: str
    objective: str = "time"
    cargo: str = "container_40ft"
    units: float = 1.0
    k: int = 3
    avoid_countries: tuple[str, ...] = ()
    avoid_places: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    modes: tuple[str, ...] | None = None
    include_planned: bool = False
    depart: datetime | None = None
    reliability: bool = False
    samples: int = 10_000
    seed: int | None = None
    deadline_h: float | None = None


def supports_via() -> bool:
    """Whether the model's route search takes ``via`` places yet."""
    from corridor.routing.search import route

    return "via" in inspect.signature(route).parameters


def find_routes(
    network: Network,
    options: RouteOptions,
    *,
    graphs: GraphCache,
    reliability_parameters: ReliabilityParameters | None = None,
) -> list[Route]:
    """Return the alternatives of a route query, simulated when reliability is asked.

    Parameters
    ----------
    network : Network
        The network the service serves.
    options : RouteOptions
        The query.
    graphs : GraphCache
        The worker's expanded graphs (built once per cargo class).
    reliability_parameters : ReliabilityParameters, optional
        The worker's reliability tables (loaded once); the shipped ones when omitted.

    Returns
    -------
    list of Route
        With ``extra["reliability"]`` (the figures of
        :meth:`~corridor.reliability.ReliabilityResult.to_dict` plus ``cdf``) when
        simulated.

    Raises
    ------
    InputError, PlaceNotFoundError, NoRouteError
        As :func:`corridor.route`; ``via`` is refused until the search supports it.

    Examples
    --------
    >>> from corridor.graph.build import GraphCache
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> [r.rank for r in find_routes(net, RouteOptions("A", "B"), graphs=GraphCache())]
    [1, 2]

    """
    from corridor.routing.search import route

    extra: dict[str, Any] = {}
    if options.via:
        if not supports_via():
            raise InputError(
                "via is not supported yet: the route search cannot pass intermediate places",
                argument="via",
                value=",".join(options.via),
                allowed="no via places (not supported yet)",
            )
        extra["via"] = options.via
    routes = route(
        network,
        options.origin,
        options.destination,
        objective=options.objective,
        cargo=options.cargo,
        units=options.units,
        k=options.k,
        avoid_countries=options.avoid_countries,
        avoid_places=options.avoid_places,
        modes=options.modes,
        include_planned=options.include_planned,
        cache=graphs,
        depart=options.depart,
        samples=options.samples,
        seed=options.seed,
        **extra,
    )
    if not options.reliability:
        return routes
    from corridor.reliability import simulate_route

    if options.depart is None:
        raise InputError(
            "reliability and deadline need a departure time (depart=2026-12-01T08:00)",
            argument="depart",
            value=None,
            allowed="ISO 8601 date-time, e.g. 2026-12-01T08:00",
        )
    out = []
    for r in routes:
        res = simulate_route(
            network,
            r,
            depart=options.depart,
            samples=options.samples,
            seed=options.seed,
            deadline_h=options.deadline_h,
            params=reliability_parameters,
        )
        figures = dict(res.to_dict())
        figures["cdf"] = {
            "probability": [p / 100.0 for p in CDF_PROBABILITIES],
            "time_h": [res.percentile_h(p) for p in CDF_PROBABILITIES],
        }
        out.append(replace(r, extra={**r.extra, "reliability": figures}))
    return out
