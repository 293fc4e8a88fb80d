"""Result formats and input parsing shared by every interface (CLI, REST API, web page).

Nothing here computes a model figure: :mod:`.routes` turns routes into JSON and GeoJSON,
:mod:`.pareto` a Pareto front into JSON, :mod:`.flows`
the loaded links of a flow case into GeoJSON, :mod:`.inputs` parses the text forms of
departures and deadlines, :mod:`.values` makes values JSON-safe (unknown figures as
``null``).
"""

from corridor.formats.flows import flows_to_geojson
from corridor.formats.inputs import parse_deadline, parse_depart
from corridor.formats.pareto import front_to_json
from corridor.formats.routes import routes_to_geojson, routes_to_json
from corridor.formats.values import dumps_json, json_safe

__all__ = [
    "dumps_json",
    "flows_to_geojson",
    "front_to_json",
    "json_safe",
    "parse_deadline",
    "parse_depart",
    "routes_to_geojson",
    "routes_to_json",
]
