from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import networkx as nx
import pandas as pd
import pytest

from corridor.network.default import load_default
from corridor.network.model import MODES, PLACE_KINDS, Network

REPO = Path(__file__).resolve().parents[2]

PORTS = [
    "KZ_AKTAU_PORT",
    "KZ_KURYK",
    "AZ_ALAT_PORT",
    "TM_TURKMENBASHI_PORT",
    "RU_MAKHACHKALA",
    "RU_ASTRAKHAN",
    "RU_OLYA_PORT",
    "IR_ANZALI",
    "IR_CASPIAN_PORT",
    "IR_ASTARA_PORT",
    "IR_AMIRABAD_PORT",
    "IR_NOWSHAHR",
    "IR_SHAHID_RAJAEE",
    "IR_CHABAHAR",
    "IN_JNPT",
    "IN_MUNDRA",
]
CROSSINGS = [
    ("KZ_BOLASHAK", "TM_SERHETYAKA"),
    ("TM_AKYAYLA", "IR_INCHE_BURUN"),
    ("TM_SARAHS", "IR_SARAKHS"),
    ("TM_ARTYK", "IR_LOTFABAD"),
    ("AZ_ASTARA", "IR_ASTARA"),
    ("KZ_SARYAGASH", "UZ_KELES"),
    ("UZ_ALAT", "TM_FARAP"),
    ("KZ_GANYUSHKINO", "RU_AKSARAISKAYA"),
    ("KZ_AKTOBE", "RU_ILETSK"),
    ("KZ_DOSTYK", "CN_ALASHANKOU"),
    ("KZ_ALTYNKOL", "CN_KHORGOS"),
]
GAUGE_BREAKS = {
    "TM_SARAHS",
    "IR_SARAKHS",
    "IR_INCHE_BURUN",
    "TM_AKYAYLA",
    "TM_ETREK",
    "AZ_ASTARA",
    "IR_ASTARA",
    "KZ_DOSTYK",
    "KZ_ALTYNKOL",
}


@pytest.fixture(scope="module")
def net() -> Network:
    return load_default()


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_default_network", REPO / "tools" / "build_default_network.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_default_network"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_shipped_files_equal_a_fresh_build() -> None:
    build = _build_module()
    assert build.differences(build.build_tables()) == []


def test_size_ids_and_vocabularies(net: Network) -> None:
    assert net.n_places >= 90
    assert net.places["place_id"].is_unique
    assert net.links["link_id"].is_unique
    assert set(net.places["kind"]) <= set(PLACE_KINDS)
    assert set(net.links["mode"]) <= set(MODES)
    assert set(net.links["status"]) <= {"open", "planned"}
    assert net.places["lon"].between(30, 95).all()
    assert net.places["lat"].between(15, 60).all()


def test_every_link_end_exists_and_both_directions_are_there(net: Network) -> None:
    ids = set(net.places["place_id"])
    assert set(net.links["from_id"]) <= ids
    assert set(net.links["to_id"]) <= ids
    pairs = set(zip(net.links["from_id"], net.links["to_id"], net.links["mode"], strict=True))
    for a, b, mode in pairs:
        assert (b, a, mode) in pairs


def test_every_figure_has_a_source(net: Network) -> None:
    for table in (net.places, net.links):
        for col in table.columns:
            if col in ("lon", "lat") or not pd.api.types.is_numeric_dtype(table[col]):
                continue
            if pd.api.types.is_bool_dtype(table[col]):
                continue
            src = table[f"{col}_source"]
            has_value = table[col].notna()
            assert (src[has_value].str.strip() != "").all(), col
    assert (net.places["coord_source"].str.strip() != "").all()
    assert net.links["length_km"].notna().all()
    assert (net.links["length_km"] >= 0).all()


def test_listed_ports_and_crossings_exist(net: Network) -> None:
    places = net.places.set_index("place_id")
    for pid in PORTS:
        assert places.loc[pid, "kind"] == "port", pid
    pairs = {frozenset(p) for p in zip(net.links["from_id"], net.links["to_id"], strict=True)}
    for a, b in CROSSINGS:
        assert frozenset((a, b)) in pairs, (a, b)
        assert places.loc[a, "country"] != places.loc[b, "country"]


def test_gauges_meet_only_at_known_break_points(net: Network) -> None:
    rail = net.links[net.links["mode"].isin(["rail_1520", "rail_1435"])]
    ends = pd.concat(
        [
            rail[["from_id", "mode"]].rename(columns={"from_id": "p"}),
            rail[["to_id", "mode"]].rename(columns={"to_id": "p"}),
        ]
    )
    gauges = ends.groupby("p")["mode"].nunique()
    both = set(gauges[gauges == 2].index)
    assert both <= GAUGE_BREAKS
    assert {"IR_SARAKHS", "IR_INCHE_BURUN", "KZ_DOSTYK", "KZ_ALTYNKOL", "AZ_ASTARA"} <= both


def _reach(net: Network, mode: str, source: str, *, planned: bool) -> set[str]:
    links = net.links[net.links["mode"] == mode]
    if not planned:
        links = links[links["status"] == "open"]
    g = nx.DiGraph()
    g.add_edges_from(zip(links["from_id"], links["to_id"], strict=True))
    return set(nx.descendants(g, source)) if source in g else set()


def test_broad_gauge_is_connected_from_almaty(net: Network) -> None:
    reach = _reach(net, "rail_1520", "KZ_ALMATY", planned=False)
    for pid in [
        "KZ_AKTAU_PORT",
        "KZ_BOLASHAK",
        "TM_SARAHS",
        "AZ_ASTARA",
        "RU_ASTRAKHAN",
        "KZ_KURYK",
        "IR_INCHE_BURUN",
        "UZ_TASHKENT",
        "TM_TURKMENBASHI_PORT",
    ]:
        assert pid in reach, pid


def test_standard_gauge_is_connected_from_tehran(net: Network) -> None:
    reach = _reach(net, "rail_1435", "IR_TEHRAN", planned=False)
    for pid in [
        "IR_INCHE_BURUN",
        "IR_SARAKHS",
        "IR_BANDAR_ABBAS",
        "IR_SHAHID_RAJAEE",
        "IR_AMIRABAD_PORT",
        "IR_RASHT",
    ]:
        assert pid in reach, pid
    # Rasht-Astara is not built: Astara is reachable only with planned links
    assert "IR_ASTARA" not in reach
    assert "IR_ASTARA" in _reach(net, "rail_1435", "IR_TEHRAN", planned=True)
    assert "IR_CHABAHAR" not in reach


def test_published_lengths_are_kept(net: Network) -> None:
    seg = net.links.drop_duplicates("segment_id").set_index("segment_id")
    assert seg.loc["R_ZHA_BOL", "length_km"] == 146
    assert seg.loc["R_QAZ_RAS", "length_km"] == 164
    assert seg.loc["R_RAS_IAS", "status"] == "planned"
    tehran_mashhad = seg.loc[["R_TEH_GAR", "R_GAR_SEM", "R_SEM_SHA", "R_SHA_MHD"], "length_km"]
    assert tehran_mashhad.sum() == pytest.approx(925, abs=0.3)


def test_ferry_and_sea_links_have_services(net: Network) -> None:
    water = net.links[net.links["mode"].isin(["ferry", "sea"])]
    assert (water["service_id"].str.strip() != "").all()
