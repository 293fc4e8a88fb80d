"""Transit-time reliability: Monte Carlo P50/P90 of a route from the network's own figures.

The simulation reads the expanded graph (:mod:`corridor.graph`): every leg's elements
(durations with their distributions, waits for sailings) come from the network's parameter
tables, the same figures routing uses. Public: :func:`simulate_route`,
:func:`deterministic_time`, :func:`plot_cdf`, :func:`build_route_model`; records
:class:`ReliabilityResult`, :class:`RouteModel` and the distributions.
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
from corridor.reliability.model import FerryWaits, RouteModel, build_route_model
from corridor.reliability.montecarlo import (
    MAX_SAMPLES,
    ReliabilityResult,
    deterministic_time,
    plot_cdf,
    simulate_route,
    simulation_graph,
)

__all__ = [
    "MAX_SAMPLES",
    "Degenerate",
    "Distribution",
    "Empirical",
    "FerryWaits",
    "LogNormal",
    "ReliabilityResult",
    "RouteModel",
    "Triangular",
    "build_route_model",
    "deterministic_time",
    "make_distribution",
    "plot_cdf",
    "simulate_route",
    "simulation_graph",
]
