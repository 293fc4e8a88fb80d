"""GeoJSON export of a network (RFC 7946: WGS 84, ``[lon, lat]`` order).

Places become ``Point`` features and links ``LineString`` features drawn straight from
their start place to their end place. Each feature's ``properties`` hold every column of
its table row, made JSON-safe (NaN and infinities become ``null``, numpy scalars become
Python numbers), plus ``"layer": "places"`` or ``"links"``; its ``id`` is the place or link
id. A place without coordinates, or a link with an end without coordinates, gets a
``null`` geometry, which RFC 7946 allows. GeoJSON is an output format only: it cannot hold
the parameter tables, so it is not read back.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np
import pandas as pd

from corridor._atomic import atomic_text
from corridor.errors import InputError
from corridor.network.model import Network

__all__ = ["to_geojson", "write_geojson"]


def _json_safe(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(c) for c in frame.columns]
    values = frame.to_numpy(dtype=object)
    return [{col: _json_safe(v) for col, v in zip(columns, row, strict=True)} for row in values]


def _point(lon: float, lat: float) -> list[float] | None:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return [lon, lat]


def to_geojson(network: Network) -> dict[str, Any]:
    """Return the network as a GeoJSON FeatureCollection.

    Parameters
    ----------
    network : Network
        The network.

    Returns
    -------
    dict
        A ``FeatureCollection`` whose features are the places (``Point``) then the links
        (``LineString``).

    Examples
    --------
    >>> from corridor.testing import tiny_network
    >>> fc = to_geojson(tiny_network())
    >>> fc["type"], len(fc["features"])
    ('FeatureCollection', 8)
    >>> fc["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [50.0, 40.0]}
    >>> link = fc["features"][4]
    >>> link["id"], link["geometry"]["coordinates"], link["properties"]["length_km"]
    ('AB', [[50.0, 40.0], [51.0, 40.0]], 100.0)

    """
    if not isinstance(network, Network):
        raise InputError(
            f"network: expected a Network, got {type(network).__name__}", argument="network"
        )
    places = network.places
    lon = places["lon"].to_numpy(dtype=float, na_value=np.nan)
    lat = places["lat"].to_numpy(dtype=float, na_value=np.nan)
    coords = [_point(float(x), float(y)) for x, y in zip(lon, lat, strict=True)]
    features: list[dict[str, Any]] = []
    for pid, point, props in zip(
        places["place_id"].astype(str), coords, _records(places), strict=True
    ):
        geometry = None if point is None else {"type": "Point", "coordinates": point}
        features.append(
            {
                "type": "Feature",
                "id": pid,
                "geometry": geometry,
                "properties": {**props, "layer": "places"},
            }
        )
    index = {pid: i for i, pid in enumerate(places["place_id"].astype(str))}
    links = network.links
    src = [index.get(v, -1) for v in links["from_id"].astype(str)]
    dst = [index.get(v, -1) for v in links["to_id"].astype(str)]
    for lid, a, b, props in zip(
        links["link_id"].astype(str), src, dst, _records(links), strict=True
    ):
        start = coords[a] if a >= 0 else None
        end = coords[b] if b >= 0 else None
        geometry = (
            None
            if start is None or end is None
            else {"type": "LineString", "coordinates": [start, end]}
        )
        features.append(
            {
                "type": "Feature",
                "id": lid,
                "geometry": geometry,
                "properties": {**props, "layer": "links"},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(network: Network, path: str | os.PathLike[str]) -> None:
    """Write the network as a GeoJSON file, all at once or not at all.

    Parameters
    ----------
    network : Network
        The network.
    path : str or path-like
        The file to write (``.geojson`` by convention); written through a temporary file
        in the same folder and a rename (see :func:`corridor._atomic.atomic_path`: a new
        file gets the mode the umask gives, an existing one keeps its mode, a symlink is
        followed).

    Raises
    ------
    InputError
        If ``network`` is not a Network or the file cannot be written.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from corridor.testing import tiny_network
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tiny.geojson"
    >>> write_geojson(tiny_network(), out)
    >>> json.loads(out.read_text(encoding="utf-8"))["type"]
    'FeatureCollection'

    """
    if not isinstance(network, Network):
        raise InputError(
            f"network: expected a Network, got {type(network).__name__}", argument="network"
        )
    text = json.dumps(to_geojson(network), ensure_ascii=False, allow_nan=False)
    atomic_text(path, text + "\n")
