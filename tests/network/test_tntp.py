from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridor.errors import FormatError
from corridor.network.tntp import read_tntp_flows, read_tntp_network, read_tntp_trips

# (folder, net file, zones, nodes, first thru node, links, first link values checked by hand:
#  (from, to, capacity, length, free_flow_time, b, power))
NETWORKS = [
    ("SiouxFalls", "SiouxFalls_net.tntp", 24, 24, 1, 76,
     ("1", "2", 25900.20064, 6, 6, 0.15, 4)),
    ("Anaheim", "Anaheim_net.tntp", 38, 416, 39, 914,
     ("1", "117", 9000, 5280, 1.090458488, 0.15, 4)),
    ("Chicago-Sketch", "ChicagoSketch_net.tntp", 387, 933, 1, 2950,
     ("1", "547", 49500, 0.86267, 0, 0.15, 4)),
    ("Berlin-Center", "berlin-center_net.tntp", 865, 12981, 866, 28376,
     ("1", "11000", 999999, 0, 0, 0, 4)),
    ("chicago-regional", "ChicagoRegional_net.tntp", 1790, 12982, 1791, 39018,
     ("1", "10293", 100000, 0.45, 0, 0.15, 4)),
    ("Sydney", "Sydney_net.tntp", 3264, 33113, 3265, 75379,
     ("1", "6706", 2880, 0.904, 2.26, 0.25, 4)),
]  # fmt: skip


@pytest.mark.parametrize(("folder", "name", "zones", "nodes", "ftn", "links", "first"), NETWORKS)
def test_reads_every_shared_network_with_stated_counts(
    tntp_dir: Path,
    folder: str,
    name: str,
    zones: int,
    nodes: int,
    ftn: int,
    links: int,
    first: tuple[object, ...],
) -> None:
    net = read_tntp_network(tntp_dir / folder / name)
    assert net.metadata["zones"] == zones
    assert net.metadata["nodes"] == nodes
    assert net.metadata["first_thru_node"] == ftn
    assert net.metadata["links"] == links
    assert net.n_links == links
    assert net.n_places == nodes
    assert (net.places["kind"] == "zone").sum() == zones
    row = net.links.iloc[0]
    assert row["link_id"] == "1"
    assert (row["from_id"], row["to_id"]) == first[:2]
    got = [row["capacity"], row["length"], row["free_flow_time"], row["b"], row["power"]]
    assert got == pytest.approx(list(first[2:]))
    assert set(net.links["mode"]) == {"road"}
    assert net.links["link_id"].iloc[-1] == str(links)


def test_sioux_falls_values_and_trips(tntp_dir: Path) -> None:
    net = read_tntp_network(tntp_dir / "SiouxFalls" / "SiouxFalls_net.tntp")
    last = net.links.iloc[-1]
    # last line of the file: 24 23 5078.508436 2 2 0.15 4 0 0 1
    assert (last["from_id"], last["to_id"]) == ("24", "23")
    assert last["capacity"] == pytest.approx(5078.508436)
    assert last["free_flow_time"] == pytest.approx(2.0)
    assert int(last["link_type"]) == 1
    assert "<ORIGINAL HEADER>".strip("<>") in net.metadata["tntp"]
    trips = read_tntp_trips(tntp_dir / "SiouxFalls" / "SiouxFalls_trips.tntp")
    assert trips.zones[:3] == ("1", "2", "3")
    assert trips.total == pytest.approx(360600.0)
    assert trips.trips("1", "10") == pytest.approx(1300.0)
    assert trips.trips("2", "18") == 0.0


@pytest.mark.parametrize(
    ("folder", "name", "zones", "total"),
    [
        ("SiouxFalls", "SiouxFalls_trips.tntp", 24, 360600.0),
        ("Anaheim", "Anaheim_trips.tntp", 38, 104694.40),
        ("Chicago-Sketch", "ChicagoSketch_trips.tntp", 387, 1260907.44),
        ("Berlin-Center", "berlin-center_trips.tntp", 865, 168222.302),
    ],
)
def test_trip_totals(tntp_dir: Path, folder: str, name: str, zones: int, total: float) -> None:
    d = read_tntp_trips(tntp_dir / folder / name)
    assert len(d.zones) == zones
    assert d.total == pytest.approx(total, rel=1e-9)


def test_flows(tntp_dir: Path) -> None:
    f = read_tntp_flows(tntp_dir / "SiouxFalls" / "SiouxFalls_flow.tntp")
    assert len(f) == 76
    assert f.iloc[0].to_dict() == pytest.approx(
        {"from_id": "1", "to_id": "2", "volume": 4494.6576464564205, "cost": 6.0008162373543197}
    )


GOOD = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 3
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 2
<END OF METADATA>
~ init_node term_node capacity length free_flow_time b power speed toll link_type ;
\t1\t3\t100\t1\t2.5\t0.15\t4\t0\t0\t1\t;
\t3\t2\t100\t1\t2.5\t0.15\t4\t0\t0\t1\t;
"""


def _write(tmp_path: Path, text: str, name: str = "x_net.tntp") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_good_tiny_file(tmp_path: Path) -> None:
    net = read_tntp_network(_write(tmp_path, GOOD))
    assert net.links["to_id"].tolist() == ["3", "2"]
    assert net.places["kind"].tolist() == ["zone", "zone", "junction"]
    assert np.isnan(net.places["lon"]).all()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        (GOOD.replace("<NUMBER OF LINKS> 2", "<NUMBER OF LINKS> 3"), "NUMBER OF LINKS> says 3"),
        (GOOD.replace("<END OF METADATA>\n", ""), "line 6: expected a metadata tag"),
        (GOOD.replace("<NUMBER OF NODES> 3\n", ""), "NUMBER OF NODES"),
        (
            GOOD.replace("\t2.5\t0.15\t4\t0\t0\t1\t;\n\t3", "\tabc\t0.15\t4\t0\t0\t1\t;\n\t3"),
            "line 7",
        ),
        (GOOD.replace("\t3\t2\t100", "\t3\t9\t100"), "not a node in 1..3"),
        (GOOD.replace("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> two"), "not a number"),
        (GOOD.replace("\t1\t3\t100\t1\t2.5", "\t1\t3\t100\t2.5"), "fields"),
        (GOOD.replace("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 5"), "exceeds"),
        (GOOD.replace("\t2.5\t0.15", "\tnan\t0.15", 1), "not finite"),
    ],
)
def test_malformed_network_files(tmp_path: Path, text: str, needle: str) -> None:
    p = _write(tmp_path, text)
    with pytest.raises(FormatError, match=needle) as info:
        read_tntp_network(p)
    assert info.value.path == str(p)


def test_missing_end_of_metadata_is_named(tmp_path: Path) -> None:
    text = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n"
    with pytest.raises(FormatError, match="missing <END OF METADATA>"):
        read_tntp_network(_write(tmp_path, text))


def test_missing_file() -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_tntp_network("/nonexistent/x_net.tntp")


TRIPS = (
    "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 7.5\n<END OF METADATA>\n\n"
    "Origin 1\n 2 : 5.0;\nOrigin 2\n 1 : 2.5;\n"
)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (TRIPS.replace("7.5", "9.5"), "TOTAL OD FLOW> says 9.5"),
        (TRIPS.replace("Origin 2", "Origin 3"), "origin 3 is not a zone"),
        (TRIPS.replace(" 1 : 2.5;", " 4 : 2.5;"), "destination 4"),
        (TRIPS.replace(" 1 : 2.5;", " 1 : x;"), "not numeric"),
        (TRIPS.replace(" 1 : 2.5;", " 1 : -2.5;").replace("7.5", "2.5"), "finite and >= 0"),
        (TRIPS.replace("Origin 1\n", ""), "before any 'Origin'"),
        (TRIPS.replace(" 2 : 5.0;", " 2 5.0"), "pairs"),
    ],
)
def test_malformed_trip_files(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(FormatError, match=needle):
        read_tntp_trips(_write(tmp_path, text, "x_trips.tntp"))


def test_malformed_flow_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="header"):
        read_tntp_flows(_write(tmp_path, "1 2 3 4\n", "x_flow.tntp"))
    with pytest.raises(FormatError, match="line 2"):
        read_tntp_flows(_write(tmp_path, "From To Volume Cost\n1 2 x 4\n", "x_flow.tntp"))
