"""Lengths of the default network against published figures and the geodesic.

Three checks:

- every row of ``data/validation/published_lengths.csv`` marked ``checked`` (independent published
  lengths, not build inputs) is within 10 % of the network length of its segments;
- every published segment length and chain total of ``data/curated`` is kept by the build (within
  10 %, in fact to rounding);
- no link is shorter than the geodesic between its end places.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod

from corridor.network.default import load_default
from corridor.network.model import Network

REPO = Path(__file__).resolve().parents[2]
TOLERANCE = 0.10


@pytest.fixture(scope="module")
def net() -> Network:
    return load_default()


@pytest.fixture(scope="module")
def seg_km(net: Network) -> pd.Series:
    return net.links.drop_duplicates("segment_id").set_index("segment_id")["length_km"]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_independent_published_lengths_within_tolerance(seg_km: pd.Series) -> None:
    table = _read(REPO / "data" / "validation" / "published_lengths.csv")
    assert table["check_id"].is_unique
    assert (table["source"].str.strip() != "").all()
    checked = table[table["status"] == "checked"]
    skipped = table[table["status"] != "checked"]
    assert skipped["status"].str.startswith("not_checked: ").all(), "a skip must say why"
    assert set(table["bound"]) <= {"point", "range", "lower"}
    assert len(checked) >= 10
    failures = []
    for row in checked.itertuples():
        segments = row.segments.split("|")
        missing = [s for s in segments if s not in seg_km.index]
        assert not missing, (row.check_id, missing)
        km = float(seg_km.loc[segments].sum())
        low = float(row.published_km)
        high = float(row.published_km_high) if row.published_km_high else low
        if row.bound == "lower":  # 'more than N km'
            high = float("inf")
        if not (low * (1 - TOLERANCE) <= km <= high * (1 + TOLERANCE)):
            failures.append(f"{row.check_id} {row.from_id}-{row.to_id}: {km:.1f} vs {low}-{high}")
    assert not failures, failures


def test_curated_published_lengths_are_kept(seg_km: pd.Series) -> None:
    curated = REPO / "data" / "curated"
    segments = _read(curated / "segments.csv")
    published = segments[segments["length_km"].str.strip() != ""]
    assert len(published) >= 20
    for row in published.itertuples():
        assert seg_km.loc[row.segment_id] == pytest.approx(float(row.length_km), rel=TOLERANCE)
    chains = _read(curated / "length_chains.csv")
    assert len(chains) >= 15
    for c in chains.itertuples():
        members = list(segments.loc[segments["chain_id"] == c.chain_id, "segment_id"])
        covered = [x for x in c.covers.split("|") if x]
        km = float(seg_km.loc[members + covered].sum())
        assert km == pytest.approx(float(c.total_km), rel=TOLERANCE), c.chain_id


def test_no_link_shorter_than_its_geodesic(net: Network) -> None:
    geod = Geod(ellps="WGS84")
    places = net.places.set_index("place_id")
    links = net.links
    a = places.loc[links["from_id"]]
    b = places.loc[links["to_id"]]
    _, _, dist_m = geod.inv(
        a["lon"].to_numpy(), a["lat"].to_numpy(), b["lon"].to_numpy(), b["lat"].to_numpy()
    )
    geodesic_km = pd.Series(dist_m / 1000.0, index=links.index)
    short = links[links["length_km"] + 0.05 < geodesic_km]
    assert short.empty, short[["link_id", "length_km"]].to_string()
    assert len(links) > 400
