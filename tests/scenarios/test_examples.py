"""The shipped example scenarios check against the default network and say what they rest on."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.network.default import load_default
from corridor.scenarios.run import check_scenario
from corridor.scenarios.spec import AddEdit, CloseEdit, ScaleEdit, SetEdit, load_scenario

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "scenarios").glob("*.toml"))


def test_there_are_the_issue_examples() -> None:
    names = {p.stem for p in EXAMPLES}
    assert names >= {
        "trade_plus_50",
        "rasht_astara_built",
        "trade_plus_50_rasht_astara",
        "second_kuryk_iran_roro",
        "bolashak_dwell_halved",
        "turkmenistan_closed_30d",
        "stormy_caspian_winter",
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_checks_and_is_sourced(path: Path) -> None:
    scenario = load_scenario(path)
    checked = check_scenario(scenario, network=load_default(), check=False)
    info = scenario.spec.scenario
    assert info.sources, "every example names its sources"
    assert checked.pairs, "every example reports route answers"
    for edit in scenario.spec.edits:
        if isinstance(edit, SetEdit | ScaleEdit | AddEdit | CloseEdit):
            assert edit.source or edit.assumption, (
                f"{path.name}: {edit.op} without source or assumption"
            )
    if "roro" in path.stem or "stormy" in path.stem or "closed" in path.stem:
        assert "assum" in info.assumption or info.assumption  # labelled as an assumption


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_edited_network_is_valid(path: Path) -> None:
    check_scenario(load_scenario(path), check=True)


def test_bolashak_halves_the_dwell_the_network_uses() -> None:
    # the figures rest on the default network's border_sides: when those change, this fails
    path = next(p for p in EXAMPLES if p.stem == "bolashak_dwell_halved")
    scenario = load_scenario(path)
    net = load_default()
    sides = net.parameters["border_sides"].set_index(["country", "mode_group", "side"])
    country = net.places.set_index("place_id")["country"]
    rows = [r for e in scenario.spec.edits if isinstance(e, AddEdit) for r in e.rows]
    assert len(rows) == 4  # each side, both ways
    for row in rows:
        end = row["from_id"] if row["side"] == "exit" else row["to_id"]
        base = sides.loc[(country[end], row["mode_group"], row["side"])]
        assert row["dwell_time_h"] == pytest.approx(0.5 * float(base["dwell_time_h"])), row
        assert row["dwell_cv"] == pytest.approx(float(base["dwell_cv"])), row
