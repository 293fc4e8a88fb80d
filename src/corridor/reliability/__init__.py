"""Transit-time reliability: stochastic dwell times, ferry timetables, Monte Carlo P50/P90.

Public functions: :func:`simulate_route`, :func:`deterministic_time`, :func:`rank_routes`,
:func:`plot_cdf`, :func:`load_reliability_parameters`; records :class:`ReliabilityResult`,
:class:`Timetable` and the distributions.
"""

from __future__ import annotations

from corridor.reliability.distributions import (
    Degenerate,
    Distribution,
    Empirical,
    LogNormal,
    Triangular,
    make_distribution,
)
from corridor.reliability.montecarlo import (
    OBJECTIVES,
    ReliabilityResult,
    RouteModel,
    build_route_model,
    deterministic_time,
    plot_cdf,
    rank_routes,
    simulate_route,
)
from corridor.reliability.parameters import ReliabilityParameters, load_reliability_parameters
from corridor.reliability.timetable import Timetable

__all__ = [
    "OBJECTIVES",
    "Degenerate",
    "Distribution",
    "Empirical",
    "LogNormal",
    "ReliabilityParameters",
    "ReliabilityResult",
    "RouteModel",
    "Timetable",
    "Triangular",
    "build_route_model",
    "deterministic_time",
    "load_reliability_parameters",
    "make_distribution",
    "plot_cdf",
    "rank_routes",
    "simulate_route",
]
