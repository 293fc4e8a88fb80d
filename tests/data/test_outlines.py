"""The shipped country outlines: present as package data, valid, inside the box, small."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from shapely.geometry import box, shape

BBOX = (25.0, 5.0, 90.0, 60.0)
NETWORK_COUNTRIES = {"KAZ", "IRN", "TKM", "UZB", "RUS", "AZE", "IND", "CHN"}


def _collection() -> dict[str, Any]:
    text = files("corridor").joinpath("data/outlines/countries.geojson").read_text("utf-8")
    collection: dict[str, Any] = json.loads(text)
    return collection


def test_outlines_cover_every_network_country_and_stay_in_the_box() -> None:
    collection = _collection()
    region = box(*BBOX).buffer(1e-9)
    codes = set()
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid, feature["properties"]["name"]
        assert not geometry.is_empty
        assert region.contains(geometry), feature["properties"]["name"]
        codes.add(feature["properties"]["iso_a3"])
    assert codes >= NETWORK_COUNTRIES
    assert "Natural Earth" in collection["source"]


def test_outlines_file_is_small() -> None:
    size = len(files("corridor").joinpath("data/outlines/countries.geojson").read_bytes())
    assert size < 1_500_000
