"""corridor: freight routes, reliability and assignment on the Kazakhstan-Iran corridors.

Examples
--------
>>> import corridor
>>> isinstance(corridor.__version__, str)
True

"""

from corridor import _cache
from corridor.errors import (
    ConvergenceError,
    CorridorError,
    DataFileError,
    FormatError,
    InputError,
    NetworkValidationError,
    NoRouteError,
    PlaceNotFoundError,
    ScenarioError,
)

_cache.use_user_cache_for_numba()  # before any kernel module imports numba

__version__ = "0.1.0"

# Everything but the errors is imported on first use, so that ``import corridor`` and
# every CLI start (``corridor --help``) load neither pandas nor numba.
_LAZY = {
    "Demand": "corridor.demand",
    "Leg": "corridor.routing",
    "Network": "corridor.network",
    "Route": "corridor.routing",
    "assign": "corridor.assignment",
    "assign_flows": "corridor.flows",
    "find_place": "corridor.network.lookup",
    "load_baseline": "corridor.flows",
    "load_default": "corridor.network.default",
    "pareto_routes": "corridor.journeys",
    "read_gmns": "corridor.network",
    "read_network": "corridor.network",
    "read_tntp_network": "corridor.network",
    "read_tntp_trips": "corridor.network",
    "route": "corridor.journeys",
    "search_places": "corridor.network.lookup",
    "search_routes": "corridor.routing",
    "simulate_route": "corridor.reliability",
    "to_geojson": "corridor.network",
    "validate": "corridor.graph.check",
    "write_geojson": "corridor.network",
    "write_gmns": "corridor.network",
}


def __getattr__(name: str) -> object:
    """Import the public callables and classes on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the module's names, the lazy ones included."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ConvergenceError",
    "CorridorError",
    "DataFileError",
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
    "assign_flows",
    "find_place",
    "load_baseline",
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
