"""Ferry lines read from the network's tables; curves, delay functions and wait laws."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.cli.main import main
from corridor.errors import InputError
from corridor.ferries import (
    DEFAULT_SHARES,
    FerryLine,
    ferry_delay_curve,
    ferry_line,
    ferry_line_infos,
    ferry_waits,
    volume_curve,
    wait_samplers,
)
from corridor.graph.services import Timetable
from corridor.network.default import load_default
from corridor.network.model import Network

SIMULABLE = {
    "FERRY_KURYK_ALAT",
    "FERRY_AKTAU_ALAT",
    "FERRY_TURKMENBASHI_ALAT",
    "FERRY_KURYK_AMIRABAD",
    "FERRY_KURYK_ANZALI",
    "SEA_IRISL_CASPIAN",
}


@pytest.fixture(scope="module")
def net() -> Network:
    return load_default()


def test_shipped_lines_and_their_sources(net: Network) -> None:
    infos = {i.service_id: i for i in ferry_line_infos(net)}
    assert {s for s, i in infos.items() if i.line is not None} == SIMULABLE
    for sid in SIMULABLE:
        line = ferry_line(net, sid)
        assert all(src.strip() for src in line.sources.values()), sid
        assert {"units_per_sailing", "rule", "storms"} <= set(line.sources), sid
    for sid, info in infos.items():
        if info.line is None:
            assert info.missing, sid


def test_kuryk_alat_by_hand(net: Network) -> None:
    line = ferry_line(net, "FERRY_KURYK_ALAT")
    # 13.79 sailings/week, voyage 25 h, berth 4.8 h: round trip >= 54.8 h needs
    # ceil(13.79 * 54.8 / 168) = 5 ships; cycle = 5 * 168 / 13.79 h
    assert (line.rule, line.units_per_sailing, line.vessels, line.berths) == ("full", 56, 5, 1)
    assert line.cycle_h == pytest.approx(5 * 168 / 13.79)
    assert line.capacity_units_per_day == pytest.approx(13.79 * 56 / 7)
    # Kuryk closes half the time in November and December (cancellation table), else never
    shares = line.storms.expected_closed_shares()
    assert shares[10:] == pytest.approx([0.5, 0.5], abs=1e-4)
    assert max(shares[2:10]) < 1e-6  # only the tail of December's storms reaches February
    assert line.storms.mean_duration_h == 108.0


def test_headway_lines_use_the_services_timetable(net: Network) -> None:
    from corridor.graph.costs import service_record

    line = ferry_line(net, "FERRY_KURYK_AMIRABAD")
    assert line.rule == "headway"
    assert line.timetable == service_record(net, "FERRY_KURYK_AMIRABAD").timetable
    assert line.capacity_units_per_day == pytest.approx(32 * 1.385 / 7)
    assert not ferry_line(net, "SEA_IRISL_CASPIAN").storms.any_storms  # no figure found


def test_unknown_or_unstaged_service(net: Network) -> None:
    with pytest.raises(InputError, match="no ferry_lines row") as err:
        ferry_line(net, "SEA_CASPIAN_TRAMP")
    assert err.value.argument == "service"
    with pytest.raises(InputError, match="no ferry_lines row"):
        ferry_line(net, "NOPE")


def test_a_missing_figure_is_named(net: Network) -> None:
    params = dict(net.parameters)
    lines = params["ferry_lines"].copy()
    lines.loc[lines["service_id"] == "FERRY_AKTAU_ALAT", "sailings_per_week"] = np.nan
    params["ferry_lines"] = lines
    with pytest.raises(InputError, match="sailings_per_week"):
        ferry_line(net.replace(parameters=params), "FERRY_AKTAU_ALAT")


def test_volume_curve_and_delay_function() -> None:
    line = FerryLine.scheduled("X", Timetable.headway(24.0), 40)
    curve = volume_curve(line, seed=2)
    assert [p.share for p in curve.points] == list(DEFAULT_SHARES)
    waits = [p.year.wait_mean_h for p in curve.points]
    assert waits[0] == pytest.approx(12.0, abs=1.0)  # half the headway at low volume
    assert waits[-1] > 10 * waits[0]  # a queue past capacity
    loads = [p.year.load_factor for p in curve.points]
    assert loads[:9] == pytest.approx(list(DEFAULT_SHARES[:9]), abs=0.03)
    f = ferry_delay_curve(line, curve=curve)
    assert f(0.55) == pytest.approx((waits[4] + waits[5]) / 2)
    assert f(0.01) == waits[0]
    assert f(1.5) > waits[-1]
    assert np.asarray(f(np.array([0.1, 1.2]))).tolist() == [waits[0], waits[-1]]


def test_wait_samplers_and_route_waits(net: Network) -> None:
    line = FerryLine.scheduled("X", Timetable.headway(24.0), 10**4)
    laws = wait_samplers(line, volume_share=0.5, seed=1, years=2)
    assert len(laws) == 12
    assert all(0 < len(m) <= 256 for m in laws)
    assert np.mean(laws[5]) == pytest.approx(12.0, abs=0.8)
    with pytest.raises(InputError, match="volume_share"):
        wait_samplers(line, volume_share=0.0)
    w = ferry_waits(net, ["FERRY_KURYK_ALAT"], volume_share=0.5, seed=3, years=3)
    dec, jun = np.mean(w["FERRY_KURYK_ALAT"][11]), np.mean(w["FERRY_KURYK_ALAT"][5])
    assert dec > 3 * jun  # storms in December


# ---------------------------------------------------------------- CLI


def test_cli_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ferries", "list", "--json"]) == 0
    rows = {r["service"]: r for r in json.loads(capsys.readouterr().out)}
    assert {s for s, r in rows.items() if r["rule"]} == SIMULABLE
    assert rows["FERRY_KURYK_ALAT"]["storm_months"] == [11, 12]
    assert rows["SEA_CASPIAN_TRAMP"]["missing"]


def test_cli_simulate_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["ferries", "simulate", "FERRY_KURYK_AMIRABAD", "--months", "jun,nov-dec"]
    assert main([*args, "--volume", "0.5", "--years", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["service"] == "FERRY_KURYK_AMIRABAD"
    assert [m["month"] for m in out["months"]] == [6, 11, 12]
    for m in out["months"]:
        assert {"month", "wait_p50_h", "wait_p90_h", "load_factor", "left_behind"} <= set(m)
        assert m["load_factor"] == pytest.approx(0.5, abs=0.1)
    assert out["months"][2]["wait_p90_h"] > out["months"][0]["wait_p90_h"]
    assert out["volume_share"] == 0.5
    assert out["years"] == 2


def test_cli_simulate_table_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "w.png"
    args = ["ferries", "simulate", "FERRY_AKTAU_ALAT", "--units-per-day", "8", "--years", "1"]
    assert main([*args, "--plot", str(png)]) == 0
    text = capsys.readouterr().out
    assert "FERRY_AKTAU_ALAT" in text
    assert "against volume" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE"], "no ferry_lines row"),
        (["FERRY_AKTAU_ALAT", "--volume", "0"], "--volume"),
        (["FERRY_AKTAU_ALAT", "--months", "13"], "--months"),
        (["FERRY_AKTAU_ALAT", "--volume", "0.5", "--units-per-day", "3"], "not both"),
    ],
)
def test_cli_simulate_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ferries", "simulate", *args]) == 2
    assert message in capsys.readouterr().err


def test_ferry_lines_table_values_have_sources() -> None:
    tab = pd.read_csv(
        Path(__file__).resolve().parents[2] / "data" / "curated" / "parameters" / "ferry_lines.csv",
        dtype=str,
        keep_default_na=False,
    )
    for col in [c for c in tab.columns if f"{c}_source" in tab.columns]:
        for sid, v, s in zip(tab["service_id"], tab[col], tab[f"{col}_source"], strict=True):
            if v.strip():
                assert s.strip(), (sid, col)
                assert col == "departure_rule" or math.isfinite(float(v)), (sid, col)
