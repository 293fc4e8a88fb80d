from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.cli.main import main
from corridor.network import read_gmns, write_gmns
from corridor.testing import tiny_network


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    write_gmns(tiny_network(), tmp_path / "tiny")
    return tmp_path / "tiny"


def test_check_valid_prints_summary(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "check", str(tiny_folder)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "tiny: 4 places, 4 links"
    assert "places by country" in out
    assert "links by mode" in out
    assert "rail_1520" in out


def test_check_json_valid(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "check", str(tiny_folder), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] is True
    assert payload["problems"] == []
    assert payload["summary"]["links_by_mode"] == {"rail_1435": 1, "rail_1520": 2, "road": 1}
    assert payload["summary"]["places_by_country"] == {"IRN": 2, "KAZ": 2}


def test_check_prints_every_problem(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tiny_folder / "link.csv"
    text = link.read_text().replace("AB,A,B,rail_1520", "AB,A,Z,rail_1520")
    link.write_text(text.replace("AD,A,D,road", "AD,A,D,roads"))
    assert main(["network", "check", str(tiny_folder)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # problems are diagnostics: stderr
    lines = err.splitlines()
    assert lines[0] == f"error: {tiny_folder}: invalid network: 2 error(s), 0 warning(s)"
    assert lines[1:] == [
        "error: links 'AB' [to_id]: unknown place 'Z' (dangling link)",
        "error: links 'AD' [mode]: unknown mode 'roads'; allowed: rail_1520, rail_1435, road, "
        "ferry, sea",
    ]


def test_check_warnings_exit_0(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    node = tiny_folder / "node.csv"
    node.write_text(node.read_text() + "E,Echo,IRN,city,54.0,40.0,open\n")
    assert main(["network", "check", str(tiny_folder), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] is True
    assert [p["severity"] for p in payload["problems"]] == ["warning"]


def test_export_geojson_and_gmns(tiny_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.geojson"
    again = tmp_path / "again"
    assert (
        main(["network", "export", str(tiny_folder), "--geojson", str(out), "--gmns", str(again)])
        == 0
    )
    assert len(json.loads(out.read_text())["features"]) == 8
    assert read_gmns(again).n_links == 4


def test_export_needs_an_output(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "export", str(tiny_folder)]) == 2
    assert capsys.readouterr().err.startswith("error: --geojson: export: give --geojson")


def test_summary_without_path_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "summary"]) == 0
    assert "links by mode" in capsys.readouterr().out


def test_summary_of_folder(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "summary", str(tiny_folder)]) == 0
    assert capsys.readouterr().out.startswith("tiny: 4 places, 4 links")


def test_summary_json(tiny_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "summary", str(tiny_folder), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["name"] == "tiny"
    assert payload["places"] == 4
    assert payload["links_by_mode"] == {"rail_1435": 1, "rail_1520": 2, "road": 1}


def test_export_json_and_nothing_written_on_a_refused_output(
    tiny_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a.geojson"
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    args = ["network", "export", str(tiny_folder), "--geojson", str(out)]
    assert main([*args, "--gmns", str(a_file)]) == 2
    assert capsys.readouterr().err.startswith("error: --gmns: ")
    assert not out.exists()  # the --gmns path was checked before anything was written
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload == {"places": 4, "links": 4, "wrote": [{"format": "geojson", "path": str(out)}]}


def test_check_warnings_go_to_stderr_grouped(
    tiny_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    node = tiny_folder / "node.csv"
    node.write_text(node.read_text() + "".join(f"E{i},Echo{i},IRN,city,,,open\n" for i in range(5)))
    assert main(["network", "check", str(tiny_folder)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("tiny: 9 places")
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert any("5 places without coordinates: E0, E1, E2, E3, E4" in w for w in warnings), err
