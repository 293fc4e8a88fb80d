"""Networks: the model, reading and writing (GMNS, TNTP, GeoJSON) and validation.

The names below are imported on first use: every module that needs the model imports
this package first, and the readers and writers (TNTP, demand, GeoJSON) are not needed
to route on the default network (``corridor route`` starts faster without them).
"""

from corridor.network.model import MODES, PLACE_KINDS, STATUSES, Network

_LAZY = {
    "read_gmns": "corridor.network.gmns",
    "read_network": "corridor.network.io",
    "read_tntp_flows": "corridor.network.tntp",
    "read_tntp_network": "corridor.network.tntp",
    "read_tntp_trips": "corridor.network.tntp",
    "to_geojson": "corridor.network.geojson",
    "validate": "corridor.network.validation",
    "write_geojson": "corridor.network.geojson",
    "write_gmns": "corridor.network.gmns",
}


def __getattr__(name: str) -> object:
    """Import the readers, writers and validation on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor.network' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the package's names, the lazy ones included."""
    return sorted(set(globals()) | set(_LAZY))


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
