from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from corridor.errors import InputError
from corridor.network import to_geojson, write_geojson
from corridor.testing import tiny_network


def test_known_features() -> None:
    fc = to_geojson(tiny_network())
    assert fc["type"] == "FeatureCollection"
    places = [f for f in fc["features"] if f["properties"]["layer"] == "places"]
    links = [f for f in fc["features"] if f["properties"]["layer"] == "links"]
    assert [f["id"] for f in places] == ["A", "B", "C", "D"]
    assert places[2]["geometry"] == {"type": "Point", "coordinates": [52.0, 40.0]}
    assert places[2]["properties"]["country"] == "IRN"
    ad = links[3]
    assert ad["id"] == "AD"
    assert ad["geometry"] == {"type": "LineString", "coordinates": [[50.0, 40.0], [53.0, 40.0]]}
    assert ad["properties"]["mode"] == "road"
    assert ad["properties"]["length_km"] == 300.0


def test_nan_and_inf_become_null_and_missing_coordinates_null_geometry() -> None:
    net = tiny_network()
    places = net.places.copy()
    places.loc[0, "lon"] = math.nan
    links = net.links.copy()
    links["capacity_t_per_yr"] = [math.nan, math.inf, 1.0, 2.0]
    fc = to_geojson(net.replace(places=places, links=links))
    assert fc["features"][0]["geometry"] is None
    assert fc["features"][0]["properties"]["lon"] is None
    ab, bc = fc["features"][4], fc["features"][5]
    assert ab["geometry"] is None  # starts at A, which has no coordinates
    assert ab["properties"]["capacity_t_per_yr"] is None
    assert bc["properties"]["capacity_t_per_yr"] is None
    json.dumps(fc, allow_nan=False)


def test_write_is_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "net.geojson"
    write_geojson(tiny_network(), out)
    assert json.loads(out.read_text(encoding="utf-8")) == to_geojson(tiny_network())
    assert [p.name for p in tmp_path.iterdir()] == ["net.geojson"]


def test_write_into_missing_folder_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_geojson(tiny_network(), tmp_path / "no" / "such" / "net.geojson")
