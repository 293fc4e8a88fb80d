"""Known answers for the length rules of ``tools/build_default_network.py`` on a tiny network.

Three places on the equator 100 km apart (one degree of longitude is 111.32 km on WGS84),
published samples for each mode group, and one computed link per case.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
PLACE_COLS = (
    "place_id,name,country,kind,lon,lat,coord_source,status,aliases,unlocode,unlocode_source,notes"
)
SEG_COLS = (
    "segment_id,from_id,to_id,mode,length_km,length_source,status,service_id,"
    "capacity_t_per_yr,capacity_t_per_yr_source,chain_id,notes"
)


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_default_network_rules", REPO / "tools" / "build_default_network.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_default_network_rules"] = mod
    spec.loader.exec_module(mod)
    return mod


def _write(curated: Path, places: list[str], segments: list[str], chains: list[str]) -> None:
    (curated / "parameters").mkdir(parents=True)
    (curated / "places.csv").write_text("\n".join([PLACE_COLS, *places]) + "\n", encoding="utf-8")
    (curated / "segments.csv").write_text("\n".join([SEG_COLS, *segments]) + "\n", encoding="utf-8")
    (curated / "length_chains.csv").write_text(
        "\n".join(["chain_id,total_km,total_km_source,covers,notes", *chains]) + "\n",
        encoding="utf-8",
    )
    (curated / "reference_distances.csv").write_text(
        "from_id,to_id,mode,length_km,length_source,use_for_detour_factor,notes\n", encoding="utf-8"
    )


def _place(pid: str, country: str, lon: float) -> str:
    return f"{pid},{pid},{country},city,{lon},0.0,test,open,,,,"


def _seg(sid: str, a: str, b: str, mode: str, km: str = "", chain: str = "") -> str:
    service = "S1" if mode in ("ferry", "sea") else ""
    src = "test source" if km else ""
    return f"{sid},{a},{b},{mode},{km},{src},open,{service},,,{chain},"


PLACES = [
    _place("A", "KAZ", 0.0),
    _place("B", "KAZ", 1.0),
    _place("C", "KAZ", 2.0),
    _place("D", "IRN", 3.0),
    _place("E", "IRN", 4.0),
    _place("F", "IRN", 5.0),
]
SAMPLES = [
    _seg("S_AB", "A", "B", "sea", "122.5"),  # 1.100 x 111.32
    _seg("R_AB", "A", "B", "rail_1520", "122.5"),
    # central_asia road samples 1.1, 1.3, 1.2 (median 1.2); iran 1.5, 1.6 (two: fewer than 3)
    _seg("D_AB", "A", "B", "road", "122.5"),
    _seg("D_BC", "B", "C", "road", "144.7"),
    _seg("D_AC", "A", "C", "road", "267.2"),
    _seg("D_DE", "D", "E", "road", "167.0"),
    _seg("D_EF", "E", "F", "road", "178.1"),
]


def test_computed_length_uses_the_regional_factor_and_falls_back_to_the_pooled_one(
    tmp_path: Path,
) -> None:
    build = _build()
    _write(
        tmp_path,
        PLACES,
        [*SAMPLES, _seg("D_CD", "C", "D", "road"), _seg("D_FD", "F", "D", "road")],
        [],
    )
    files = build.build_tables(curated=tmp_path)
    links = pd.read_csv(pd.io.common.StringIO(files["link.csv"])).set_index("link_id")
    geo = 111.32
    # C is in central_asia (KAZ): F = median(1.1, 1.3, 1.2) = 1.2
    assert links.loc["D_CD_ab", "length"] == pytest.approx(geo * 1.2, abs=0.15)
    # F is in iran with two samples (< 3): pooled median of all five road samples = 1.3,
    # not the regional 1.55
    assert links.loc["D_FD_ab", "length"] == pytest.approx(2 * geo * 1.3, abs=0.15)
    factors = pd.read_csv(pd.io.common.StringIO(files["@detour_factors.csv"]))
    row = factors[(factors["item"] == "F_road_iran")].iloc[0]
    assert "pooled" in row["source"]


def test_chain_shares_the_total_after_its_covered_segments(tmp_path: Path) -> None:
    build = _build()
    _write(
        tmp_path,
        PLACES,
        [
            *SAMPLES,
            _seg("R_BC", "B", "C", "rail_1520"),
            _seg("R_CD", "C", "D", "rail_1520", chain="X"),
        ],
        ["X,400,test chain,R_BC|R_AB,"],
    )
    files = build.build_tables(curated=tmp_path)
    links = pd.read_csv(pd.io.common.StringIO(files["link.csv"])).set_index("link_id")
    covered = links.loc["R_BC_ab", "length"] + links.loc["R_AB_ab", "length"]
    assert links.loc["R_CD_ab", "length"] == pytest.approx(400 - covered, abs=0.05)


def test_the_build_refuses_a_link_shorter_than_its_geodesic(tmp_path: Path) -> None:
    build = _build()
    _write(tmp_path, PLACES, [*SAMPLES, _seg("R_BC", "B", "C", "rail_1520", "80")], [])
    with pytest.raises(build.BuildError, match=re.escape("R_BC: 80.0 km < geodesic 111.3 km")):
        build.build_tables(curated=tmp_path)


def test_the_build_refuses_a_chain_that_covers_an_unknown_segment(tmp_path: Path) -> None:
    build = _build()
    _write(
        tmp_path,
        PLACES,
        [*SAMPLES, _seg("R_CD", "C", "D", "rail_1520", chain="X")],
        ["X,300,test chain,R_NOPE,"],
    )
    with pytest.raises(build.BuildError, match="covers unknown segment 'R_NOPE'"):
        build.build_tables(curated=tmp_path)
