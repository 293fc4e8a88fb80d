"""`corridor route` with --depart/--reliability/--deadline/--plot and the p90_time objective."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.cli import _common
from corridor.cli.main import main
from corridor.network.default import load_default

DEPART = "2026-12-01T08:00"


@pytest.fixture(scope="module")
def default_net():  # type: ignore[no-untyped-def]
    return load_default()


@pytest.fixture
def with_default(monkeypatch: pytest.MonkeyPatch, default_net) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_common, "load_network", lambda path: default_net)


def test_reliability_json_has_percentiles(with_default, capsys):
    args = ["route", "Almaty", "Tehran", "--k", "2", "--depart", DEPART, "--reliability"]
    assert main([*args, "--samples", "500", "--seed", "7", "--deadline", "12d", "--json"]) == 0
    routes = json.loads(capsys.readouterr().out)["routes"]
    assert len(routes) == 2
    for r in routes:
        rel = r["reliability"]
        assert rel["p50_h"] <= rel["p90_h"] <= rel["p95_h"]
        assert 0.0 <= rel["on_time_probability"] <= 1.0
        assert rel["samples"] == 500


def test_same_seed_same_figures(with_default, capsys):
    args = ["route", "Aktau", "Tehran", "--k", "1", "--depart", DEPART, "--reliability"]
    args += ["--samples", "300", "--seed", "11", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)["routes"][0]["reliability"]
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)["routes"][0]["reliability"]
    assert first == second


def test_p90_objective_ranks_by_p90(with_default, capsys):
    args = ["route", "Almaty", "Tehran", "--objective", "p90_time", "--depart", DEPART]
    assert main([*args, "--samples", "400", "--seed", "3", "--json"]) == 0
    routes = json.loads(capsys.readouterr().out)["routes"]
    p90 = [r["reliability"]["p90_h"] for r in routes]
    assert p90 == sorted(p90)
    assert [r["rank"] for r in routes] == list(range(1, len(routes) + 1))


def test_plot_written(with_default, tmp_path: Path, capsys):
    out = tmp_path / "cdf.png"
    args = ["route", "Almaty", "Tehran", "--k", "2", "--depart", DEPART, "--plot", str(out)]
    assert main([*args, "--samples", "200", "--seed", "1"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "P90" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra",
    [
        ["--reliability"],  # no --depart
        ["--objective", "p90_time"],  # no --depart
        ["--depart", "yesterday", "--reliability"],
        ["--depart", DEPART, "--deadline", "twelve days"],
        ["--depart", DEPART, "--reliability", "--samples", "0"],
    ],
)
def test_bad_reliability_options_exit_2(with_default, capsys, extra):
    assert main(["route", "Almaty", "Tehran", *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err
    assert err[0].startswith("error: ")
