"""Networks: the model, reading and writing (GMNS, TNTP, GeoJSON) and validation."""

from corridor.network.geojson import to_geojson, write_geojson
from corridor.network.gmns import read_gmns, write_gmns
from corridor.network.io import read_network
from corridor.network.model import MODES, PLACE_KINDS, STATUSES, Network
from corridor.network.tntp import read_tntp_flows, read_tntp_network, read_tntp_trips
from corridor.network.validation import validate

__all__ = [
    "MODES",
    "PLACE_KINDS",
    "STATUSES",
    "Network",
    "read_gmns",
    "read_network",
    "read_tntp_flows",
    "read_tntp_network",
    "read_tntp_trips",
    "to_geojson",
    "validate",
    "write_geojson",
    "write_gmns",
]
