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
from corridor.network import (
    Network,
    read_gmns,
    read_network,
    to_geojson,
    validate,
    write_geojson,
    write_gmns,
)
from corridor.network.default import load_default
from corridor.network.lookup import find_place, search_places
from corridor.routing import Leg, Route

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "CorridorError",
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
    "find_place",
    "load_default",
    "read_gmns",
    "read_network",
    "search_places",
    "to_geojson",
    "validate",
    "write_geojson",
    "write_gmns",
]
