"""Journeys: search, then (for the bad-case objectives) simulate and rank.

This layer sits above routing and reliability so that imports run one way: routing knows
nothing of the simulation, the simulation nothing of the search. :func:`route` is the
public ``corridor.route``.
"""

from corridor.journeys.routes import Plan, RouteOptions, plan, rank_by_simulation, route

__all__ = ["Plan", "RouteOptions", "plan", "rank_by_simulation", "route"]
