"""The catalogue of malformed inputs: each one gives a clear CorridorError through the API
and exit 2 with an ``error:`` first line through the CLI, never a traceback, and the export
writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from corridor.cli.main import main
from corridor.errors import CorridorError, FormatError, NetworkValidationError
from corridor.network import read_network, validate

NODES = (
    "node_id,name,country,kind,x_coord,y_coord,status\n"
    "A,Alpha,KAZ,city,50,40,open\nB,Bravo,KAZ,city,51,40,open\nC,Charlie,IRN,city,52,40,open\n"
)
LINK_HEADER = "link_id,from_node_id,to_node_id,mode,length\n"
LINKS = LINK_HEADER + "1,A,B,road,100\n2,B,C,road,50\n"


def folder(
    nodes: str | bytes = NODES, links: str | bytes = LINKS, **extra: str
) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        out = tmp / "net"
        out.mkdir()
        for name, text in {"node.csv": nodes, "link.csv": links, **extra}.items():
            if isinstance(text, bytes):
                (out / name).write_bytes(text)
            else:
                (out / name).write_text(text, encoding="utf-8")
        return out

    return make


def single_file(name: str, text: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        (tmp / name).write_text(text)
        return tmp / name

    return make


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    error: type[CorridorError]
    says: str


CASES = {
    "empty node file": Case(folder(nodes=""), FormatError, "file is empty"),
    "blank link file": Case(folder(links="\n \n"), FormatError, "file is empty"),
    "truncated last row": Case(
        folder(links=LINK_HEADER + "1,A,B,road,100\n2,B,C"), FormatError, "looks truncated"
    ),
    "unterminated quote": Case(
        folder(links=LINK_HEADER + '1,A,B,"road,100\n'), FormatError, "broken CSV quoting"
    ),
    "too many fields": Case(
        folder(links=LINK_HEADER + "1,A,B,road,100,extra\n"), FormatError, "has 6 fields"
    ),
    "renamed node column": Case(
        folder(nodes="node_id,xcoord,y_coord\nA,1,2\n"),
        FormatError,
        "missing required column(s) 'x_coord' (did you mean 'xcoord'?)",
    ),
    "missing link columns": Case(
        folder(links="link_id,from,to\n1,A,B\n"),
        FormatError,
        "'from_node_id' (did you mean 'from'?), 'to_node_id'",
    ),
    "non-numeric length": Case(
        folder(links=LINK_HEADER + "1,A,B,road,abc\n2,B,C,road,5O\n"),
        FormatError,
        "row 2 (line 3, link_id '2') column 'length': '5O' is not a number",
    ),
    "non-numeric coordinate": Case(
        folder(nodes=NODES.replace("51,40", "51,n/a")), FormatError, "column 'y_coord': 'n/a'"
    ),
    "huge number": Case(
        folder(links=LINK_HEADER + "1,A,B,road,1e400\n2,B,C,road,50\n"),
        NetworkValidationError,
        "inf is infinite",
    ),
    "link to unknown place": Case(
        folder(links=LINK_HEADER + "1,A,B,road,100\n2,B,Z,road,50\n"),
        NetworkValidationError,
        "unknown place 'Z' (dangling link)",
    ),
    "duplicate place ids": Case(
        folder(nodes=NODES + "A,Again,KAZ,city,53,40,open\n"),
        NetworkValidationError,
        "ids must be unique",
    ),
    "duplicate link ids": Case(
        folder(links=LINKS + "1,C,A,road,10\n"), NetworkValidationError, "ids must be unique"
    ),
    "semicolon delimiter": Case(
        folder(nodes=NODES.replace(",", ";")), FormatError, "expected comma-separated"
    ),
    "tab delimiter": Case(
        folder(links=LINKS.replace(",", "\t")), FormatError, "header is tab-separated"
    ),
    "latin-1 bytes": Case(
        folder(nodes=NODES.replace("Alpha", "Alpha\xe9").encode("latin-1")),
        FormatError,
        "not valid UTF-8",
    ),
    "missing link file": Case(
        lambda tmp: folder()(tmp).joinpath("link.csv").unlink() or tmp / "net",
        FormatError,
        "link.csv: no such file",
    ),
    "missing path": Case(lambda tmp: tmp / "nowhere", FormatError, "no such file or folder"),
    "geojson input": Case(
        single_file("net.geojson", '{"type": "FeatureCollection", "features": []}'),
        FormatError,
        "GeoJSON is an export format",
    ),
    "unknown file type": Case(single_file("net.xlsx", "PK"), FormatError, "unknown network format"),
    "repeated column": Case(
        folder(links="link_id,from_node_id,to_node_id,mode,mode\n1,A,B,road,road\n"),
        FormatError,
        "repeated column name(s): 'mode'",
    ),
    "bad directed value": Case(
        folder(links="link_id,from_node_id,to_node_id,mode,directed\n1,A,B,road,maybe\n"),
        FormatError,
        "'maybe' is not true or false",
    ),
    "unknown length unit": Case(
        folder(**{"config.csv": "long_length\nfurlong\n"}), FormatError, "unknown length unit"
    ),
    "projected crs": Case(
        folder(**{"config.csv": "crs\nEPSG:32640\n"}), FormatError, "must be lon/lat"
    ),
    "broken datapackage": Case(
        folder(**{"datapackage.json": "{not json"}), FormatError, "not valid JSON"
    ),
    "latitude out of range": Case(
        folder(nodes=NODES.replace("51,40", "51,95")),
        NetworkValidationError,
        "95.0 is outside [-90, 90]",
    ),
    "unknown mode": Case(
        folder(links=LINKS.replace("1,A,B,road", "1,A,B,rail")),
        NetworkValidationError,
        "unknown mode 'rail'",
    ),
    "negative length": Case(
        folder(links=LINKS.replace("road,100", "road,-100")),
        NetworkValidationError,
        "-100.0 is negative",
    ),
    "missing length": Case(
        folder(links=LINKS.replace("road,100", "road,")), NetworkValidationError, "missing (NaN)"
    ),
    "self-loop": Case(folder(links=LINKS + "3,C,C,road,1\n"), NetworkValidationError, "self-loop"),
    "header only": Case(
        folder(nodes="node_id,x_coord,y_coord\n", links=LINK_HEADER),
        NetworkValidationError,
        "network has no places",
    ),
}


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Case, Path]:
    c = CASES[request.param]
    return c, c.make(tmp_path)


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 15


def test_api_raises_clear_error(case: tuple[Case, Path]) -> None:
    c, path = case
    with pytest.raises(CorridorError) as info:
        validate(read_network(path, check=False), source=str(path))
    assert type(info.value) is c.error
    assert c.says in str(info.value)


def test_check_exits_2_without_traceback(
    case: tuple[Case, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    c, path = case
    assert main(["network", "check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # problems are diagnostics: stderr
    assert err.splitlines()[0].startswith("error: ")
    assert c.says in err
    assert "Traceback" not in out + err


def test_check_json_lists_problem(
    case: tuple[Case, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    c, path = case
    assert main(["network", "check", str(path), "--json"]) == 2
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] is False
    assert payload["summary"] is None
    assert any(c.says in p["message"] for p in payload["problems"])


def test_export_writes_nothing(
    case: tuple[Case, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = case
    out = tmp_path / "out" / "net.geojson"
    out.parent.mkdir()
    gmns_out = tmp_path / "out" / "gmns"
    assert (
        main(["network", "export", str(path), "--geojson", str(out), "--gmns", str(gmns_out)]) == 2
    )
    _, err = capsys.readouterr()
    assert err.splitlines()[0].startswith("error: ")
    assert "Traceback" not in err
    assert list(out.parent.iterdir()) == []


def test_every_problem_listed_at_once(tmp_path: Path) -> None:
    links = LINK_HEADER + "1,A,B,road,abc\n2,B,C,road,x\n"
    path = folder(nodes="node_id,xcoord,y_coord\nA,1,2\n", links=links)(tmp_path)
    with pytest.raises(FormatError) as info:
        read_network(path)
    message = str(info.value)
    assert message.splitlines()[0].count("problems") == 1
    assert "'x_coord'" in message
    assert "'abc' is not a number" in message
    assert "'x' is not a number" in message


def test_every_validation_problem_listed_at_once(tmp_path: Path) -> None:
    links = LINK_HEADER + "1,A,B,rail,-1\n2,B,Z,road,50\n2,C,C,road,1e400\n"
    path = folder(links=links)(tmp_path)
    with pytest.raises(NetworkValidationError) as info:
        read_network(path)
    found = {(p.row_id, p.column) for p in info.value.problems if p.severity == "error"}
    assert found == {
        ("1", "mode"),
        ("1", "length_km"),
        ("2", "to_id"),
        ("2", "link_id"),
        ("2", "length_km"),
    } | {("2", "to_id")}
    messages = " ".join(p.message for p in info.value.problems)
    assert "self-loop" in messages
