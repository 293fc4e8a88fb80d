"""``corridor scenario``: run --json prints the id; list, show, compare with a map; errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.cli.main import main

from .conftest import write_scenario


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_list_show_compare(
    border_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CORRIDOR_HOME", str(tmp_path / "home"))
    a = write_scenario(border_dir, "base_case")
    b = write_scenario(border_dir, "road_open", '[[edits]]\nop = "open"\nlink = "AD_ab"\n')
    code, out, _ = _run(capsys, "scenario", "run", str(a), "--json")
    assert code == 0
    run_a = json.loads(out)["run_id"]
    code, out, _ = _run(capsys, "scenario", "list", "--json")
    assert [r["run_id"] for r in json.loads(out)["runs"]] == [run_a]
    code, out, _ = _run(capsys, "scenario", "show", run_a, "--json", "--table", "totals")
    assert code == 0
    assert {r["metric"] for r in json.loads(out)["tables"]["totals"]} >= {
        "total_cost_usd",
        "co2e_t",
    }
    png = tmp_path / "diff.png"
    code, out, _ = _run(capsys, "scenario", "compare", run_a, str(b), "--map", str(png), "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert payload["maps"] == [str(png)]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    totals = {r["metric"]: r for r in payload["tables"]["totals"]}
    assert totals["demand"]["Δ road_open"] == 0.0
    code, out, _ = _run(capsys, "scenario", "compare", "base_case", "road_open", "--no-map")
    assert code == 0
    assert "volume per corridor" in out
    # the same run three times: three distinct labels (this looped for ever once)
    code, out, _ = _run(capsys, "scenario", "compare", run_a, run_a, run_a, "--no-map", "--json")
    assert code == 0
    labels = [r["label"] for r in json.loads(out)["runs"]]
    assert labels == ["base_case", f"base_case#{run_a[-6:]}", f"base_case#{run_a[-6:]}-2"]


def test_malformed_file_exits_2_with_every_problem(
    border_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CORRIDOR_HOME", str(tmp_path / "home"))
    path = write_scenario(
        border_dir,
        "bad",
        '[[edits]]\nop = "close"\nplace = "Nowhere"\n[[edits]]\nop = "close"\nlink = "ZZ"\n',
    )
    code, _, err = _run(capsys, "scenario", "run", str(path))
    assert code == 2
    assert "Nowhere" in err
    assert "unknown link 'ZZ'" in err
    assert f"{path}:" in err
    code, out, _ = _run(capsys, "scenario", "check", str(path), "--json")
    assert code == 2
    assert len(json.loads(out)["problems"]) == 2
    assert not (tmp_path / "home" / "registry.sqlite").exists() or "bad" not in (
        tmp_path / "home" / "registry.sqlite"
    ).read_bytes().decode("latin-1")


def test_compare_of_a_run_with_itself_has_no_difference(border_dir: Path) -> None:
    from corridor.scenarios.compare import compare_results
    from corridor.scenarios.run import run_scenario
    from corridor.scenarios.spec import load_scenario

    result = run_scenario(load_scenario(write_scenario(border_dir, "same")))
    tables = compare_results([("a", result), ("b", result)])
    for name in ("totals", "t_km_by_mode", "corridors", "bottlenecks"):
        delta = tables[name]["Δ b"].fillna(0.0)
        assert (delta == 0.0).all(), name
    assert set(tables["routes"]["run"]) == {"a", "b"}


def test_sweep_and_criticality_commands(
    border_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CORRIDOR_HOME", str(tmp_path / "home"))
    a = write_scenario(border_dir, "grid")
    code, out, _ = _run(
        capsys, "scenario", "sweep", str(a), "--growth", "1.0", "--growth", "2.0",
        "--workers", "0", "--json",
    )  # fmt: skip
    assert code == 0
    points = json.loads(out)["points"]
    assert [p["growth"] for p in points] == [1.0, 2.0]
    assert points[1]["assigned_t"] == pytest.approx(2 * points[0]["assigned_t"])
    code, out, _ = _run(capsys, "scenario", "list", "--json")
    assert len(json.loads(out)["runs"]) == 2
    csv_path = tmp_path / "crit.csv"
    code, out, _ = _run(
        capsys, "scenario", "criticality", str(a), "--workers", "0", "--kind", "border",
        "--output", str(csv_path), "--json",
    )  # fmt: skip
    assert code == 0
    rows = json.loads(out)["elements"]
    assert [r["element"] for r in rows] == ["B|C", "C|D"]  # the rail line's two crossings
    assert all(r["unserved_t"] == 50000.0 for r in rows)  # the road A-D is planned
    assert csv_path.read_text().startswith("rank,element,kind")


def test_piped_output_fits_80_columns_and_prints_file_text_as_given(
    border_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("CORRIDOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "80")
    a = write_scenario(border_dir, "narrow")
    text = a.read_text().replace(
        'name = "narrow"', 'name = "narrow"\ntitle = "Alpha[/x] [bold]B[/bold] :warning:"'
    )
    a.write_text(text)
    b = write_scenario(border_dir, "narrow_open", '[[edits]]\nop = "open"\nlink = "AD_ab"\n')
    outputs = []
    for args in (
        ("scenario", "run", str(a)),
        ("scenario", "show", "narrow"),
        ("scenario", "list"),
        ("scenario", "compare", "narrow", str(b), "--no-map"),
        ("scenario", "criticality", str(a), "--workers", "0"),
    ):
        code, out, err = _run(capsys, *args)
        assert code == 0, err
        outputs.append(out)
        assert "…" not in out
        for line in out.splitlines():
            assert cell_len(line.rstrip()) <= 80, (args, line)
    assert "Alpha[/x] [bold]B[/bold] :warning:" in outputs[0]
    # the compare's route answers do not fit a table at 80 columns: one block per row
    assert "run: narrow_open" in outputs[3]


def test_bad_input_exits_2_with_one_line_before_any_work(
    border_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CORRIDOR_HOME", str(tmp_path / "home"))
    a = str(write_scenario(border_dir, "bad_input"))
    cases = [
        (("scenario", "run", a, "--growth", "-1"), "--growth"),
        (("scenario", "run", a, "--growth", "nan"), "--growth"),
        (("scenario", "run", str(tmp_path / "missing.toml")), "cannot read"),
        (("scenario", "show", "nothing"), "no run 'nothing'"),
        (("scenario", "compare", a), "at least two runs"),
        (("scenario", "compare", a, a, "--map", str(tmp_path / "no" / "x.png")), "does not exist"),
        (("scenario", "criticality", a, "--limit", "0", "--workers", "0"), "--limit"),
        (("scenario", "criticality", a, "--growth", "inf", "--workers", "0"), "--growth"),
        (("scenario", "criticality", a, "--kind", "bogus"), "unknown element kind"),
        (("scenario", "criticality", a, "--workers", "-1"), "--workers"),
        (("scenario", "criticality", a, "--scheduler", "foo:1"), "--scheduler"),
        (("scenario", "sweep", a, "--growth", "inf", "--workers", "0"), "--growth"),
    ]
    for args, fragment in cases:
        code, out, err = _run(capsys, *args)
        assert code == 2, (args, err)
        assert out == "", args
        assert len(err.splitlines()) == 1, (args, err)
        assert err.startswith("error: "), (args, err)
        assert fragment in err, (args, err)
    # nothing ran: the compare refused its map before running the file
    code, out, _ = _run(capsys, "scenario", "list", "--json")
    assert json.loads(out)["runs"] == []
