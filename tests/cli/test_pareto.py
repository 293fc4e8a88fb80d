"""`corridor route ORIGIN DESTINATION --pareto`: table, --json, --plot, --depart (P90)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from corridor.cli import _common
from corridor.cli.main import main
from corridor.cli.pareto import run_pareto
from corridor.network.default import load_default
from corridor.testing import border_network

DEPART = "2026-12-01T08:00"


@pytest.fixture(scope="module")
def default_net():  # type: ignore[no-untyped-def]
    return load_default()


@pytest.fixture
def with_default(monkeypatch: pytest.MonkeyPatch, default_net) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_common, "load_network", lambda path: default_net)
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no table cell wraps


def test_table_sorted_by_time_names_the_corridors(with_default, capsys):
    assert main(["route", "Almaty", "Tehran", "--pareto"]) == 0
    text = capsys.readouterr().out
    assert "Pareto front of time, cost and CO2e" in text
    # one driver: every road route rests too long to be on the front, three railways are
    assert "KTI rail" in text
    assert "Akyayla/Incheh Borun rail" in text
    assert "Sarakhs rail" in text
    assert "sea" not in text
    assert "P90" not in text
    rows = [line for line in text.splitlines() if line.startswith("│")]
    ranks = [int(r.split("│")[1]) for r in rows if r.split("│")[1].strip().isdigit()]
    assert ranks == list(range(1, len(ranks) + 1))
    days = [float(r.split("│")[2]) for r in rows if r.split("│")[1].strip().isdigit()]
    assert days == sorted(days)


def test_crew_two_puts_the_caspian_on_the_front(with_default, capsys):
    # two drivers rest less: routes that drive in Azerbaijan and Iran become the fastest
    assert main(["route", "Almaty", "Tehran", "--pareto", "--crew", "2"]) == 0
    text = capsys.readouterr().out
    assert "ferry + rail+road" in text
    assert "Sarakhs rail" in text


def test_json_routes_are_the_front_with_totals(with_default, capsys):
    args = ["route", "Almaty", "Tehran", "--pareto", "--json", "--units", "2", "--crew", "2"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    front, routes = payload["front"], payload["routes"]
    assert front["size"] == len(routes) >= 5
    assert {r["crew"] for r in routes} == {2}
    assert front["complete"] is True
    assert front["criteria"] == ["time_h", "cost_usd", "co2e_kg"]
    assert [r["rank"] for r in routes] == list(range(1, len(routes) + 1))
    for r in routes:
        # the shape of `route --json`, plus the member's Pareto facts
        assert {"legs", "totals", "borders", "transfers", "ferries", "countries"} <= set(r)
        assert r["objective"] == "pareto"
        assert r["units"] == 2
        assert r["totals"]["time_h"] == pytest.approx(sum(leg["time_h"] for leg in r["legs"]))
        assert r["totals"]["cost_usd"] == pytest.approx(r["pareto"]["cost_usd"])
        assert r["pareto"]["label"]
        assert r["pareto"]["p90_h"] is None
    times = [r["totals"]["time_h"] for r in routes]
    assert times == sorted(times)
    assert {b for r in routes for b in r["pareto"]["best_for"]} == {"time", "cost", "co2e"}


def test_depart_adds_p90_and_plot_is_written(with_default, tmp_path: Path, capsys):
    plot = tmp_path / "front.png"
    args = ["route", "Almaty", "Tehran", "--pareto", "--depart", DEPART, "--samples", "300"]
    assert main([*args, "--seed", "4", "--plot", str(plot)]) == 0
    text = capsys.readouterr().out
    # two-line headers: "P90" over "days", "on P90" over "front"
    assert re.search(r"P90 .*\n.* days ", text)
    assert re.search(r"on P90 .*\n.* front ", text)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main([*args, "--seed", "4", "--json"]) == 0
    routes = json.loads(capsys.readouterr().out)["routes"]
    for r in routes:
        assert r["pareto"]["p90_h"] == r["reliability"]["p90_h"]
        assert isinstance(r["pareto"]["p90_on_front"], bool)
        assert len(r["pareto"]["p90_interval_h"]) == 2


def test_plot_without_depart_and_geojson(with_default, tmp_path: Path, capsys):
    plot, geo = tmp_path / "front.png", tmp_path / "front.geojson"
    assert (
        main(["route", "Aktau", "Baku", "--pareto", "--plot", str(plot), "--geojson", str(geo)])
        == 0
    )
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fc = json.loads(geo.read_text())
    assert fc["type"] == "FeatureCollection"
    assert {f["properties"]["rank"] for f in fc["features"]} >= {1}


def test_via_and_epsilon(with_default, capsys):
    assert main(["route", "Almaty", "Tehran", "--pareto", "--via", "Aktau", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["front"]["via"] == ["KZ_AKTAU"]
    assert all(
        "KZ_AKTAU" in {leg["from"] for leg in r["legs"]} | {leg["to"] for leg in r["legs"]}
        for r in payload["routes"]
    )
    assert main(["route", "Almaty", "Tehran", "--pareto", "--epsilon", "0.1"]) == 0
    assert "thinned with epsilon 0.1, 0.1, 0.1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--epsilon", "0.1"], "error: --epsilon thins a Pareto front: it needs --pareto"),
        (["--pareto", "--objective", "cost"], "error: --objective does not apply with --pareto"),
        (["--pareto", "--k", "5"], "error: --k does not apply with --pareto"),
        (["--pareto", "--max-ratio", "2"], "error: --max-ratio does not apply with --pareto"),
        (["--pareto", "--crew", "3"], "error: --crew:"),
        (["--pareto", "--deadline", "12d"], "error: --deadline does not apply with --pareto"),
        (["--pareto", "--reliability"], "--reliability needs --depart"),
        (["--pareto", "--epsilon", "-1"], "error: --epsilon: epsilon must be"),
        (["--pareto", "--samples", "0", "--depart", DEPART], "error: --samples:"),
        (["--pareto", "--via", "Atlantis"], "unknown place 'Atlantis'"),
        (["--pareto", "--plot", "/nonexistent/x.png"], "does not exist"),
    ],
)
def test_bad_options_exit_2(with_default, capsys, extra, message):
    assert main(["route", "Almaty", "Tehran", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err, err


def test_run_pareto_prints_the_budget_note():
    out = io.StringIO()
    front = run_pareto(
        load_default(), "Almaty", "Tehran", max_labels=100, console=Console(file=out, width=160)
    )
    assert front.budget_hit
    assert "the label budget (100) bound" in out.getvalue()
    small = io.StringIO()
    run_pareto(
        border_network(), "A", "D", include_planned=True, console=Console(file=small, width=200)
    )
    text = small.getvalue()
    assert "Alpha -> Delta" in text
    assert "Charlie/Delta rail" in text
