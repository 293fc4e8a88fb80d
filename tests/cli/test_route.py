from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from corridor.cli import _common
from corridor.cli.main import main
from corridor.cli.route import run_route
from corridor.testing import border_network, ferry_network


@pytest.fixture
def with_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "load_network", lambda path: ferry_network())


def test_table_lists_alternatives_and_legs():
    out = io.StringIO()
    run_route(
        border_network(),
        "A",
        "D",
        include_planned=True,
        max_ratio=None,
        console=Console(file=out, width=150),
    )
    text = out.getvalue()
    assert "alternative 1" in text
    assert "alternative 2" in text
    assert "KAZ>TKM, TKM>IRN" in text
    assert "gen." in text
    assert "gen. = generalized cost = cost + " in text
    assert "alternative 1 by component" in text


def test_table_says_which_alternatives_were_dropped():
    out = io.StringIO()
    run_route(
        border_network(), "A", "D", include_planned=True, console=Console(file=out, width=200)
    )
    text = out.getvalue()
    assert "alternative 2" not in text
    assert "1 alternative worse than 1.5 x the best generalized dropped" in text


def test_json_output(with_network, capsys):
    assert main(["route", "A", "B", "--json", "--units", "2", "--k", "1"]) == 0
    payload = json.loads(capsys.readouterr().out)
    r = payload["routes"][0]
    assert r["rank"] == 1
    assert r["totals"]["cost_usd"] == 4840.0  # 2 x 2420, see tests/routing/test_search.py
    assert r["totals"]["time_h"] == sum(leg["time_h"] for leg in r["legs"])
    assert r["borders"][0]["countries"] == "KAZ>AZE"
    assert [f["service_id"] for f in r["ferries"]] == ["S1"]
    assert {"kind", "mode", "from", "to", "length_km", "time_h", "cost_usd", "co2e_kg"} <= set(
        r["legs"][0]
    )
    # time and money by component add up to the totals
    parts = r["breakdown"]
    assert set(parts["time_h"]) == {"running", "rest", "waiting", "border", "transfer", "port"}
    assert sum(parts["time_h"].values()) == pytest.approx(r["totals"]["time_h"])
    assert sum(parts["cost_usd"].values()) == pytest.approx(r["totals"]["cost_usd"])
    assert parts["time_h"]["waiting"] == 42.0
    assert r["generalized_cost_usd"] > r["totals"]["cost_usd"]


def test_geojson_written(with_network, tmp_path, capsys):
    path = tmp_path / "route.geojson"
    assert main(["route", "A", "B", "--geojson", str(path), "--k", "1"]) == 0
    fc = json.loads(path.read_text())
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == 6
    assert all(f["geometry"]["type"] == "LineString" for f in fc["features"])
    assert [p.name for p in tmp_path.iterdir()] == ["route.geojson"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A", "Bravoo"], "unknown place 'Bravoo': did you mean 'Bravo'"),
        (["A", "alpha"], "same place"),
        (["A", "B", "--cargo", "pianos"], "unknown cargo"),
        (["A", "B", "--mode", "hovercraft"], "unknown mode"),
        (["A", "B", "--mode", "ferry"], "contradictory"),
        (["A", "B", "--k", "0"], "--k"),
        (["A", "B", "--via", "Nowhere"], "unknown place 'Nowhere'"),
        (["A", "B", "--crew", "3"], "--crew"),
        (["A", "B", "--max-ratio", "0.5"], "--max-ratio"),
    ],
)
def test_bad_input_exits_2_with_one_line(with_network, capsys, args, message):
    assert main(["route", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert message in err[0]
