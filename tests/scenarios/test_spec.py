"""Scenario files: every problem of a malformed file is listed at once, with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import ScenarioError
from corridor.scenarios.run import check_scenario
from corridor.scenarios.spec import load_scenario, parse_scenario

from .conftest import write_scenario


def _problems(path: Path) -> list[tuple[int, str, str]]:
    with pytest.raises(ScenarioError) as info:
        check_scenario(load_scenario(path))
    return [(p.line, p.where, p.message) for p in info.value.problems]


def test_well_formed_file_parses(border_dir: Path) -> None:
    s = load_scenario(write_scenario(border_dir, "ok"))
    assert s.name == "ok"
    assert s.network_path == str((border_dir / "net").resolve())
    assert s.spec.report.seeds == (3,)


def test_malformed_meaning_lists_every_problem(border_dir: Path) -> None:
    edits = """
[[edits]]
op = "close"
place = "Nowhere"

[[edits]]
op = "set"
table = "border_sides"
where = { country = "KAZ" }
values = { dwel_time_h = 1.0 }

[[edits]]
op = "set"
table = "tarifs"
values = { rate_usd_per_unit_km = 1.0 }

[[edits]]
op = "open"
link = "AD_ab"

[[edits]]
op = "open"
link = "AD_ab"

[[edits]]
op = "close"
service = "NO_SUCH_SERVICE"

[[edits]]
op = "scale"
table = "borders"
where = { from_id = "B", to_id = "Z" }
factors = { dwell_time_h = 0.5 }
"""
    path = write_scenario(border_dir, "bad", edits)
    text = path.read_text().splitlines()
    found = _problems(path)
    messages = "\n".join(f"{line}: {where}: {msg}" for line, where, msg in found)
    # unknown place, unknown parameter (column and table), duplicate edit, a closure of
    # something that does not exist, a row that does not exist: all at once
    assert len(found) == 6, messages
    by_where = {where: (line, msg) for line, where, msg in found}
    assert "unknown place 'Nowhere'" in by_where["edits[0].place"][1]
    assert "no column 'dwel_time_h'" in by_where["edits[1].values.dwel_time_h"][1]
    assert "did you mean 'dwell_time_h'" in by_where["edits[1].values.dwel_time_h"][1]
    assert "unknown table 'tarifs'" in by_where["edits[2].table"][1]
    assert "repeats edits[3]" in by_where["edits[4]"][1]
    assert "NO_SUCH_SERVICE" in by_where["edits[5].service"][1]
    assert "no row of 'borders'" in by_where["edits[6].where"][1]
    # each line points at the offending key
    for line, where, _ in found:
        key = where.rsplit(".", 1)[-1].split("[")[0]
        assert key in text[line - 1] or text[line - 1].startswith("[[edits]]"), (line, where)


def test_malformed_form_lists_every_problem(border_dir: Path) -> None:
    text = """[scenario]
name = "x"
[[edits]]
op = "close"
link = "AB_ab"
days = "thirty"
[[edits]]
op = "teleport"
[demand]
growth = "lots"
pairs = [
  { origin = "A", destination = "D", tonnes_per_yr = -1.0 },
]
[report]
pairs = [["A", "D"]]
samples = 5
colour = "red"
"""
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, path="s.toml")
    got = {(p.line, p.where) for p in info.value.problems}
    assert got == {
        (6, "edits[0].days"),
        (8, "edits[1].op"),
        (10, "demand.growth"),
        (12, "demand.pairs[0].tonnes_per_yr"),
        (16, "report.samples"),
        (17, "report.colour"),
    }
    assert "wrong" not in str(info.value)
    assert "valid integer, got text 'thirty'" in str(info.value)


def test_unknown_place_in_demand_and_report(border_dir: Path) -> None:
    path = write_scenario(border_dir, "places")
    path.write_text(
        path.read_text()
        .replace('origin = "A"', 'origin = "Alfa"')
        .replace('["A", "D"]', '["A", "Dlta"]')
    )
    found = _problems(path)
    assert {w for _, w, _ in found} == {"demand.pairs[0].origin", "report.pairs[0][1]"}
    assert any("did you mean 'Alpha'" in m for _, _, m in found)


def test_not_toml_gives_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nname = "x"\nbroken = \n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems[0].line == 3


def test_extends_merges_edits_and_reports_parent_lines(border_dir: Path) -> None:
    parent = write_scenario(border_dir, "parent", '[[edits]]\nop = "close"\nplace = "Nowhere"\n')
    child = border_dir / "child.toml"
    child.write_text(
        f'[scenario]\nname = "child"\n[base]\nextends = "{parent.name}"\n'
        '[[edits]]\nop = "open"\nsegment = "Nope"\n'
    )
    s = load_scenario(child)
    assert len(s.spec.edits) == 2
    assert s.spec.demand.pairs[0].origin == "A"  # inherited
    with pytest.raises(ScenarioError) as info:
        check_scenario(s)
    paths = {(Path(p.path).name, p.line, p.where) for p in info.value.problems}
    assert paths == {("parent.toml", 10, "edits[0].place"), ("child.toml", 7, "edits[1].segment")}


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[base]\nextends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('[base]\nextends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.toml")


def test_content_hash_follows_meaning_not_layout(border_dir: Path) -> None:
    a = load_scenario(write_scenario(border_dir, "h"))
    path = border_dir / "h.toml"
    path.write_text("# a comment\n" + path.read_text())
    b = load_scenario(path)
    assert a.content_hash() == b.content_hash()
    path.write_text(path.read_text().replace("50000.0", "60000.0"))
    assert load_scenario(path).content_hash() != a.content_hash()
