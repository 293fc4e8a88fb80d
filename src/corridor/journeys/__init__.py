"""Journeys: search, then (for the bad-case objectives) simulate and rank.

This layer sits above routing and reliability so that imports run one way: routing knows
nothing of the simulation, the simulation nothing of the search. :func:`route` is the
public ``corridor.route``, :func:`pareto_routes` the public ``corridor.pareto_routes`` (the
front of time, cost and CO2e, simulated for the P90 when given a departure).
"""

from corridor.journeys.pareto import pareto_routes, plot_front, with_p90
from corridor.journeys.routes import Plan, RouteOptions, plan, rank_by_simulation, route

__all__ = [
    "Plan",
    "RouteOptions",
    "pareto_routes",
    "plan",
    "plot_front",
    "rank_by_simulation",
    "route",
    "with_p90",
]
