"""Networks: the model, reading and writing (GMNS, TNTP, GeoJSON) and validation."""

from corridor.network.model import MODES, PLACE_KINDS, STATUSES, Network

__all__ = ["MODES", "PLACE_KINDS", "STATUSES", "Network"]
