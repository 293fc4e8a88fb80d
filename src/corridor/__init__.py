"""corridor: freight routes, reliability and assignment on the Kazakhstan-Iran corridors.

Examples
--------
>>> import corridor
>>> isinstance(corridor.__version__, str)
True

"""

from corridor.errors import (
    ConvergenceError,
    CorridorError,
    FormatError,
    InputError,
    NetworkValidationError,
    NoRouteError,
    PlaceNotFoundError,
    ScenarioError,
)
from corridor.graph.check import validate
from corridor.journeys import pareto_routes, route
from corridor.network import (
    Network,
    read_gmns,
    read_network,
    read_tntp_network,
    read_tntp_trips,
    to_geojson,
    write_geojson,
    write_gmns,
)
from corridor.network.default import load_default
from corridor.network.lookup import find_place, search_places
from corridor.routing import Leg, Route, search_routes

__version__ = "0.1.0"

# The solvers pull in numba; they are imported on first use so that ``import corridor``
# (and every CLI start) stays light.
_LAZY = {
    "assign": "corridor.assignment",
    "Demand": "corridor.demand",
    "simulate_route": "corridor.reliability",
}


def __getattr__(name: str) -> object:
    """Import the heavy public callables on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "ConvergenceError",
    "CorridorError",
    "Demand",
    "FormatError",
    "InputError",
    "Leg",
    "Network",
    "NetworkValidationError",
    "NoRouteError",
    "PlaceNotFoundError",
    "Route",
    "ScenarioError",
    "__version__",
    "assign",
    "find_place",
    "load_default",
    "pareto_routes",
    "read_gmns",
    "read_network",
    "read_tntp_network",
    "read_tntp_trips",
    "route",
    "search_places",
    "search_routes",
    "simulate_route",
    "to_geojson",
    "validate",
    "write_geojson",
    "write_gmns",
]
