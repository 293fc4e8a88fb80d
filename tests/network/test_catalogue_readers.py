"""The catalogue of bad inputs to the readers (issue 16): each gives one CorridorError of the
expected class whose message holds the expected fragment; nothing else escapes.

Every case is a function of a fresh folder that returns the call to make.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import corridor.demand.matrix as matrix_module
from corridor._atomic import atomic_text
from corridor.demand import Demand, read_demand_csv, read_omx, write_omx
from corridor.errors import CorridorError, FormatError, InputError, NetworkValidationError
from corridor.network import read_gmns, read_network
from corridor.network.tntp import read_tntp_flows, read_tntp_network, read_tntp_trips

Call = Callable[[], object]

NODES = "node_id,name,x_coord,y_coord\nA,Alpha,50,40\nB,Bravo,51,40\n"
LINKS = "link_id,from_node_id,to_node_id,mode,length\n1,A,B,road,100\n"
NET_HEAD = (
    "<NUMBER OF ZONES> {z}\n<NUMBER OF NODES> {n}\n<FIRST THRU NODE> 1\n"
    "<NUMBER OF LINKS> {m}\n<END OF METADATA>\n"
)
NET_COLUMNS = (
    "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
)
NET_ROW = "1\t2\t100\t1\t1\t0.15\t4\t0\t0\t1\t;\n"
TRIPS_HEAD = "<NUMBER OF ZONES> {z}\n<TOTAL OD FLOW> {t}\n<END OF METADATA>\n"


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Call]
    error: type[CorridorError]
    says: str


def gmns(nodes: str = NODES, links: str = LINKS, **extra: str | bytes) -> Callable[[Path], Call]:
    def make(tmp: Path) -> Call:
        out = tmp / "net"
        out.mkdir()
        for name, text in {"node.csv": nodes, "link.csv": links, **extra}.items():
            path = out / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return lambda: read_network(out)

    return make


def text_file(
    name: str, text: str | bytes, reader: Callable[[Path], object]
) -> Callable[[Path], Call]:
    def make(tmp: Path) -> Call:
        path = tmp / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return lambda: reader(path)

    return make


def net(text: str) -> Callable[[Path], Call]:
    return text_file("x_net.tntp", text, read_tntp_network)


def trips(text: str) -> Callable[[Path], Call]:
    return text_file("x_trips.tntp", text, read_tntp_trips)


def flows(text: str) -> Callable[[Path], Call]:
    return text_file("x_flow.tntp", text, read_tntp_flows)


def demand_csv(text: str | bytes) -> Callable[[Path], Call]:
    return text_file("od.csv", text, read_demand_csv)


def deep_json(depth: int) -> str:
    return '{"resources": [], "corridor": {"metadata": ' + "[" * depth + "]" * depth + "}}"


# ----------------------------------------------------------------------------- OMX files
def good_omx(tmp: Path, zones: tuple[str, ...] = ("1", "2", "3")) -> Path:
    path = tmp / "od.omx"
    write_omx(Demand.from_matrix(zones, np.arange(len(zones) ** 2.0).reshape(-1, len(zones))), path)
    return path


def omx_damaged(edit: Callable[[bytearray], bytes]) -> Callable[[Path], Call]:
    def make(tmp: Path) -> Call:
        path = good_omx(tmp)
        path.write_bytes(edit(bytearray(path.read_bytes())))
        return lambda: read_omx(path)

    return make


def omx_built(build: Callable[[object], None], **kwargs: object) -> Callable[[Path], Call]:
    """An HDF5 file made with PyTables directly, to hold what write_omx never writes."""

    def make(tmp: Path) -> Call:
        import tables

        path = tmp / "od.omx"
        with tables.open_file(str(path), "w") as f:
            build(f)
        return lambda: read_omx(path, **kwargs)  # type: ignore[arg-type]

    return make


def _with_data(f: object, name: str, obj: np.ndarray) -> None:
    f.create_group(f.root, "data")  # type: ignore[attr-defined]
    f.create_carray(f.root.data, name, obj=obj)  # type: ignore[attr-defined]


def _two_matrices(f: object) -> None:
    _with_data(f, "a", np.zeros((2, 2)))
    f.create_carray(f.root.data, "b", obj=np.zeros((2, 2)))  # type: ignore[attr-defined]


def _with_lookup(f: object, zones: np.ndarray) -> None:
    _with_data(f, "trips", np.zeros((2, 2)))
    f.create_group(f.root, "lookup")  # type: ignore[attr-defined]
    f.create_array(f.root.lookup, "zones", obj=zones)  # type: ignore[attr-defined]


def omx_child(code: str, **kwargs: object) -> Callable[[Path], Call]:
    """A good file read by a child that crashes or hangs (the library's failure modes)."""

    def make(tmp: Path) -> Call:
        path = good_omx(tmp)

        def call() -> object:
            saved = matrix_module._OMX_CHILD
            matrix_module._OMX_CHILD = code
            try:
                return read_omx(path, **kwargs)  # type: ignore[arg-type]
            finally:
                matrix_module._OMX_CHILD = saved

        return call

    return make


def flip(at: int, value: int) -> Callable[[bytearray], bytes]:
    def edit(data: bytearray) -> bytes:
        data[at] = value
        return bytes(data)

    return edit


def zones_csv(n: int) -> str:
    return "origin,destination,trips\n" + "".join(f"z{i},z{i + 1},1\n" for i in range(n))


CASES: dict[str, Case] = {
    # ------------------------------------------------------------------ GMNS
    "gmns extra column named like a reserved one (lon beside x_coord)": Case(
        gmns(nodes="node_id,x_coord,y_coord,lon\nA,50,40,1\nB,51,40,2\n"),
        FormatError,
        "columns 'x_coord' and 'lon' would both be read as 'lon'",
    ),
    "gmns extra link column named from_id": Case(
        gmns(links="link_id,from_node_id,to_node_id,from_id,length\n1,A,B,A,1\n"),
        FormatError,
        "would both be read as 'from_id'",
    ),
    "gmns extra link column named length_km": Case(
        gmns(links="link_id,from_node_id,to_node_id,length,length_km\n1,A,B,1,2\n"),
        FormatError,
        "would both be read as 'length_km'",
    ),
    "gmns datapackage nested 100,000 deep": Case(
        gmns(**{"datapackage.json": deep_json(100_000)}), FormatError, "nested too deep"
    ),
    "gmns datapackage nested 200 deep": Case(
        gmns(**{"datapackage.json": deep_json(200)}), FormatError, "nested too deep"
    ),
    "gmns datapackage not an object": Case(
        gmns(**{"datapackage.json": "[1, 2]"}), FormatError, "expected a data package object"
    ),
    "gmns datapackage resources not a list": Case(
        gmns(**{"datapackage.json": '{"resources": 5}'}), FormatError, "'resources' list"
    ),
    "gmns datapackage corridor metadata not an object": Case(
        gmns(**{"datapackage.json": '{"corridor": {"metadata": [1]}}'}),
        FormatError,
        "'metadata' is an object",
    ),
    "gmns datapackage renames two columns to one": Case(
        gmns(
            **{
                "datapackage.json": json.dumps(
                    {
                        "resources": [
                            {
                                "path": "node.csv",
                                "schema": {"fields": [{"name": "name", "corridor_name": "lon"}]},
                            }
                        ]
                    }
                )
            }
        ),
        FormatError,
        "would both be read as 'lon'",
    ),
    "gmns datapackage declares x_coord as text": Case(
        gmns(
            nodes="node_id,x_coord,y_coord\nA,east,40\nB,51,40\n",
            **{
                "datapackage.json": json.dumps(
                    {
                        "resources": [
                            {
                                "path": "node.csv",
                                "schema": {"fields": [{"name": "x_coord", "type": "string"}]},
                            }
                        ]
                    }
                )
            },
        ),
        FormatError,
        "'east' is not a number",
    ),
    "gmns latin-1 node file": Case(
        gmns(nodes=NODES.replace("Alpha", "Alpha\xe9").encode("latin-1")),
        FormatError,
        "not valid UTF-8",
    ),
    "gmns NUL bytes in a cell": Case(
        gmns(links=LINKS.replace("road", "ro\x00ad")),
        NetworkValidationError,
        "unknown mode",
    ),
    "gmns path is None": Case(lambda tmp: lambda: read_gmns(None), InputError, "path"),  # type: ignore[arg-type]
    "gmns network path is a number": Case(
        lambda tmp: lambda: read_network(3),
        InputError,
        "expected a network path",  # type: ignore[arg-type]
    ),
    # ------------------------------------------------------------------ TNTP network
    "tntp net zones tag infinite": Case(
        net(NET_HEAD.format(z="1e400", n=2, m=1) + NET_ROW), FormatError, "<NUMBER OF ZONES>"
    ),
    "tntp net nodes tag nan": Case(
        net(NET_HEAD.format(z=1, n="nan", m=1) + NET_ROW), FormatError, "is not a number"
    ),
    "tntp net nodes tag negative": Case(
        net(NET_HEAD.format(z=1, n=-2, m=1) + NET_ROW), FormatError, "non-negative integer"
    ),
    "tntp net nodes tag 1e10 (memory from the header)": Case(
        net(NET_HEAD.format(z=1, n=10**10, m=1) + NET_ROW),
        FormatError,
        "would touch no link",
    ),
    "tntp net zones beyond nodes": Case(
        net(NET_HEAD.format(z=5, n=2, m=1) + NET_ROW), FormatError, "exceeds <NUMBER OF NODES>"
    ),
    "tntp net link count contradicts file": Case(
        net(NET_HEAD.format(z=1, n=2, m=10**12) + NET_ROW), FormatError, "<NUMBER OF LINKS> says"
    ),
    "tntp net header column named mode": Case(
        net(NET_HEAD.format(z=1, n=2, m=1) + NET_COLUMNS.replace("link_type", "mode") + NET_ROW),
        FormatError,
        "corridor's own link columns",
    ),
    "tntp net header column repeated": Case(
        net(NET_HEAD.format(z=1, n=2, m=1) + NET_COLUMNS.replace("toll", "b") + NET_ROW),
        FormatError,
        "repeated column name(s) 'b'",
    ),
    "tntp net huge number in a field": Case(
        net(NET_HEAD.format(z=1, n=2, m=1) + NET_ROW.replace("100", "1e999")),
        FormatError,
        "capacity is not finite",
    ),
    "tntp net node 2.5": Case(
        net(NET_HEAD.format(z=1, n=2, m=1) + NET_ROW.replace("1\t2\t", "1\t2.5\t", 1)),
        FormatError,
        "term_node 2.5 is not a node",
    ),
    "tntp net folder instead of file": Case(
        lambda tmp: lambda: read_tntp_network(tmp), FormatError, "is a folder"
    ),
    "tntp net binary file": Case(
        text_file("x_net.tntp", b"\x00\x01\x02" * 100, read_tntp_network),
        FormatError,
        "not a text file",
    ),
    "tntp net tag 40,000 characters": Case(
        net("<" + "A" * 40_000 + "\n"), FormatError, "expected a metadata tag"
    ),
    # ------------------------------------------------------------------ TNTP trips
    "tntp trips 1e10 zones (memory from the header)": Case(
        trips(TRIPS_HEAD.format(z=10**10, t=1) + "Origin 1\n 1 : 1;\n"),
        FormatError,
        "10,000,000,000 zones",
    ),
    "tntp trips 9,000 zones in a tiny file": Case(
        trips(TRIPS_HEAD.format(z=9000, t=1) + "Origin 1\n 1 : 1;\n"),
        FormatError,
        "would have no trips",
    ),
    "tntp trips origin with a unicode digit": Case(
        trips(TRIPS_HEAD.format(z=2, t=1) + "Origin \u00b2\n 1 : 1;\n"),
        FormatError,
        "expected 'Origin <zone>'",
    ),
    "tntp trips origin with 5,000 digits": Case(
        trips(TRIPS_HEAD.format(z=2, t=1) + "Origin " + "9" * 5000 + "\n 1 : 1;\n"),
        FormatError,
        "expected 'Origin <zone>'",
    ),
    "tntp trips destination with 5,000 digits": Case(
        trips(TRIPS_HEAD.format(z=2, t=1) + "Origin 1\n " + "9" * 5000 + " : 1;\n"),
        FormatError,
        "is not a zone",
    ),
    "tntp trips one 40,000-character line": Case(
        trips(TRIPS_HEAD.format(z=2, t=1) + "Origin 1\n" + "1" * 40_000 + "\n"),
        FormatError,
        "expected 'destination : trips;' pairs",
    ),
    "tntp trips 13,000 colons on a line": Case(
        trips(TRIPS_HEAD.format(z=2, t=1) + "Origin 1\n" + "1 :" * 13_000 + "\n"),
        FormatError,
        "expected 'destination : trips;' pairs",
    ),
    "tntp trips total nan": Case(
        trips(TRIPS_HEAD.format(z=2, t="nan") + "Origin 1\n 2 : 1;\n"),
        FormatError,
        "is not a finite number",
    ),
    "tntp trips value infinite": Case(
        trips(TRIPS_HEAD.format(z=2, t=1) + "Origin 1\n 2 : inf;\n"),
        FormatError,
        "must be finite and >= 0",
    ),
    "tntp trips zones tag overflow": Case(
        trips(TRIPS_HEAD.format(z="9" * 400, t=1)), FormatError, "<NUMBER OF ZONES>"
    ),
    # ------------------------------------------------------------------ TNTP flows
    "tntp flows node with 5,000 digits": Case(
        flows("From To Volume Cost\n" + "9" * 5000 + " 2 1 1\n"),
        FormatError,
        "are not node numbers",
    ),
    "tntp flows volume nan": Case(
        flows("From To Volume Cost\n1 2 nan 1\n"), FormatError, "must be finite"
    ),
    "tntp flows no header": Case(flows("1 2 3 4\n"), FormatError, "expected the header"),
    "tntp flows five fields": Case(
        flows("From To Volume Cost\n1 2 3 4 5\n"), FormatError, "5 fields, expected 4"
    ),
    # ------------------------------------------------------------------ demand CSV
    "demand csv latin-1 bytes": Case(
        demand_csv("origin,destination,trips\nAlmaty\xe9,b,1\n".encode("latin-1")),
        FormatError,
        "not valid UTF-8 text: byte 0xE9 on line 2",
    ),
    "demand csv 30,000 distinct zones": Case(
        demand_csv(zones_csv(29_999)), FormatError, "30,000 zones"
    ),
    "demand csv short row": Case(
        demand_csv("origin,destination,trips\na,b\n"), FormatError, "2 fields, the header has 3"
    ),
    "demand csv empty origin": Case(
        demand_csv("origin,destination,trips\n,b,1\n"), FormatError, "empty origin"
    ),
    "demand csv broken quote": Case(
        demand_csv('origin,destination,trips\n"a,b,1\n'), FormatError, "broken CSV"
    ),
    "demand csv huge field": Case(
        demand_csv("origin,destination,trips\n" + "a" * 200_000 + ",b,1\n"),
        FormatError,
        "field larger than field limit",
    ),
    "demand csv trips nan": Case(
        demand_csv("origin,destination,trips\na,b,nan\n"), FormatError, "must be finite"
    ),
    "demand csv empty file": Case(demand_csv(""), FormatError, "file is empty"),
    "demand csv header only blank": Case(demand_csv("\n\n ,\n"), FormatError, "no header row"),
    "demand csv missing columns": Case(
        demand_csv("from,to,trips\na,b,1\n"), FormatError, "missing column(s) 'origin'"
    ),
    "demand csv path is None": Case(
        lambda tmp: lambda: read_demand_csv(None),
        InputError,
        "path",  # type: ignore[arg-type]
    ),
    "demand csv zones as one string": Case(
        lambda tmp: (
            demand_csv("origin,destination,trips\na,b,1\n")(tmp)
            and (lambda: read_demand_csv(tmp / "od.csv", zones="ab"))
        ),
        InputError,
        "single string",
    ),
    # ------------------------------------------------------------------ OMX
    "omx not HDF5": Case(
        text_file("od.omx", b"not hdf5 at all" * 10, read_omx), FormatError, "no HDF5 signature"
    ),
    "omx truncated to half": Case(
        omx_damaged(lambda d: bytes(d[: len(d) // 2])), FormatError, "truncated"
    ),
    "omx superblock offset size damaged": Case(
        omx_damaged(flip(13, 7)), FormatError, "impossible offset or length sizes"
    ),
    "omx superblock version damaged": Case(
        omx_damaged(flip(8, 9)), FormatError, "unknown HDF5 superblock version 9"
    ),
    "omx header only": Case(omx_damaged(lambda d: bytes(d[:200])), FormatError, "truncated"),
    "omx HDF5 without /data": Case(
        omx_built(lambda f: f.create_group(f.root, "other")),  # type: ignore[attr-defined]
        FormatError,
        "no /data group",
    ),
    "omx matrix not square": Case(
        omx_built(lambda f: _with_data(f, "trips", np.zeros((2, 3)))),
        FormatError,
        "expected a square matrix",
    ),
    "omx matrix of text": Case(
        omx_built(lambda f: _with_data(f, "trips", np.array([[b"a", b"b"], [b"c", b"d"]]))),
        FormatError,
        "not numbers",
    ),
    "omx matrix with nan": Case(
        omx_built(lambda f: _with_data(f, "trips", np.array([[0.0, np.nan], [1.0, 0.0]]))),
        FormatError,
        "finite and non-negative",
    ),
    "omx matrix too many zones": Case(
        omx_built(lambda f: _with_data(f, "trips", np.zeros((12, 12))), max_zones=10),
        FormatError,
        "12 zones",
    ),
    "omx two matrices and no name": Case(
        omx_built(_two_matrices),
        FormatError,
        "pass name= to choose one",
    ),
    "omx lookup of the wrong length": Case(
        omx_built(lambda f: _with_lookup(f, np.arange(3))),
        FormatError,
        "lookup 'zones' has shape (3,)",
    ),
    "omx lookup with repeated zones": Case(
        omx_built(lambda f: _with_lookup(f, np.array([7, 7]))),
        FormatError,
        "duplicate zone ids",
    ),
    "omx lookup not UTF-8": Case(
        omx_built(lambda f: _with_lookup(f, np.array([b"\xff", b"a"]))),
        FormatError,
        "is not UTF-8 text",
    ),
    "omx library crashes (SIGSEGV)": Case(
        omx_child("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"),
        FormatError,
        "the HDF5 library crashed reading it (SIGSEGV)",
    ),
    "omx library hangs": Case(
        omx_child("import time; time.sleep(60)", timeout_s=0.5),
        FormatError,
        "reading took longer than 0.5 s",
    ),
    "omx child prints garbage": Case(omx_child("print('hello')"), FormatError, "cannot be read"),
    "omx folder": Case(lambda tmp: lambda: read_omx(tmp), FormatError, "is a folder"),
    "omx missing": Case(lambda tmp: lambda: read_omx(tmp / "no.omx"), FormatError, "no such file"),
    "omx max_zones not a number": Case(
        lambda tmp: lambda: read_omx(good_omx(tmp), max_zones="9"),  # type: ignore[arg-type]
        InputError,
        "max_zones must be an integer",
    ),
    "write omx zone with NUL": Case(
        lambda tmp: (
            lambda: write_omx(Demand.from_matrix(["a\x00", "b"], np.zeros((2, 2))), tmp / "od.omx")
        ),
        InputError,
        "NUL character",
    ),
    "write omx bad matrix name": Case(
        lambda tmp: (
            lambda: write_omx(
                Demand.from_matrix(["a"], np.zeros((1, 1))), tmp / "od.omx", name="a/b"
            )
        ),
        InputError,
        "is not a matrix name",
    ),
    # ------------------------------------------------------------------ writing
    "write into a file used as a folder": Case(
        lambda tmp: (
            (tmp / "afile.txt").write_text("x")
            and (lambda: atomic_text(tmp / "afile.txt" / "out.csv", "x"))
        ),
        InputError,
        "cannot write",
    ),
    "demand from a string of zones": Case(
        lambda tmp: lambda: Demand.from_matrix("ab", np.zeros((2, 2))),  # type: ignore[arg-type]
        InputError,
        "single string",
    ),
    "demand scaled by nan": Case(
        lambda tmp: lambda: Demand.from_matrix(["a"], np.ones((1, 1))).scaled(float("nan")),
        InputError,
        "factor must be a finite number",
    ),
}


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Case, Call]:
    c = CASES[request.param]
    return c, c.make(tmp_path)


def test_catalogue_covers_the_issue() -> None:
    assert len(CASES) >= 60


@pytest.mark.timeout(60)
def test_reader_raises_the_expected_error(case: tuple[Case, Call]) -> None:
    c, call = case
    with pytest.raises(CorridorError) as info:
        call()
    assert isinstance(info.value, c.error), f"{type(info.value).__name__}: {info.value}"
    assert c.says in str(info.value)


# ----------------------------------------------------------------------------- successes
def test_write_omx_with_non_ascii_zone_ids(tmp_path: Path) -> None:
    zones = ("KZ_AKTAU", "Алматы", "تهران", "")
    path = good_omx(tmp_path, zones)
    back = read_omx(path)
    assert back.zones == zones
    np.testing.assert_array_equal(back.matrix, np.arange(16.0).reshape(4, 4))


def test_numeric_zone_ids_stay_an_integer_lookup(tmp_path: Path) -> None:
    import tables

    path = good_omx(tmp_path, ("10", "20", "30"))
    with tables.open_file(str(path)) as f:
        assert f.root.lookup.zones.dtype.kind == "u"
    assert read_omx(path).zones == ("10", "20", "30")


def test_odd_but_harmless_datapackage_fields_are_ignored(tmp_path: Path) -> None:
    package = {"resources": [{"path": "node.csv", "schema": {"fields": 5}}, 3, {"path": 7}]}
    call = gmns(**{"datapackage.json": json.dumps(package)})(tmp_path)
    assert read_network(tmp_path / "net").n_places == 2
    assert call is not None


def test_demand_copies_and_freezes_its_matrix() -> None:
    array = np.ones((2, 2))
    d = Demand(("a", "b"), array)
    array[0, 0] = np.nan
    assert d.matrix[0, 0] == 1.0
    assert not d.matrix.flags.writeable


def test_demand_csv_lists_every_bad_row(tmp_path: Path) -> None:
    rows = "".join(f"a,b,x{i}\n" for i in range(30))
    path = tmp_path / "od.csv"
    path.write_text("origin,destination,trips\n" + rows + "a,,1\n")
    with pytest.raises(FormatError) as info:
        read_demand_csv(path)
    message = str(info.value)
    assert "31 bad row(s)" in message
    assert "line 2: trips 'x0' is not a number" in message
    assert "... and 11 more" in message


def test_tntp_network_lists_every_bad_line(tmp_path: Path) -> None:
    rows = NET_ROW.replace("100", "lots") * 3 + NET_ROW.replace("\t1\t;", "\t;")
    path = tmp_path / "x_net.tntp"
    path.write_text(NET_HEAD.format(z=1, n=2, m=4) + NET_COLUMNS + rows)
    with pytest.raises(FormatError) as info:
        read_tntp_network(path)
    assert "line 10: 9 fields, expected 10" in str(info.value)
    path.write_text(NET_HEAD.format(z=1, n=2, m=3) + NET_COLUMNS + NET_ROW.replace("100", "x") * 3)
    with pytest.raises(FormatError) as info:
        read_tntp_network(path)
    message = str(info.value)
    assert message.count("capacity 'x' is not a number") == 3
    assert "3 problems" in message


def test_tntp_trips_lists_every_bad_pair(tmp_path: Path) -> None:
    path = tmp_path / "x_trips.tntp"
    body = "Origin 1\n 2 : x; 3 : 1;\nOrigin 9\n 1 : 1;\n"
    path.write_text(TRIPS_HEAD.format(z=2, t=1) + body)
    with pytest.raises(FormatError) as info:
        read_tntp_trips(path)
    message = str(info.value)
    assert "3 problems" in message
    for part in ("trips 'x' is not numeric", "destination 3 is not a zone", "origin 9"):
        assert part in message


def test_max_zones_can_be_raised(tmp_path: Path) -> None:
    path = tmp_path / "od.csv"
    path.write_text(zones_csv(11))
    with pytest.raises(FormatError, match="12 zones"):
        read_demand_csv(path, max_zones=10)
    assert len(read_demand_csv(path, max_zones=12).zones) == 12


def test_path_like_objects_are_accepted(tmp_path: Path) -> None:
    path = good_omx(tmp_path)
    assert read_omx(os.fspath(path)).zones == ("1", "2", "3")
