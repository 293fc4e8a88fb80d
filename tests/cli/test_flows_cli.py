"""``corridor flows``: the report's JSON shape, text, and bad input (exit 2, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from corridor.cli import _common
from corridor.cli.main import main
from corridor.testing import capacity_row, two_route_case


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    net, demand = two_route_case()
    monkeypatch.setattr(_common, "load_network", lambda path: net)
    p = tmp_path / "od.csv"
    demand.table.to_csv(p, index=False)
    counts = tmp_path / "counts.csv"
    pd.DataFrame(
        {
            "count_id": ["AB-rail"],
            "kind": ["rail_section"],
            "segment_ids": ["AB"],
            "unit": ["t"],
            "observed_per_yr": [400.0],
            "observed_per_yr_source": ["test fixture: made-up count"],
            "use": ["calibrate"],
        }
    ).to_csv(counts, index=False)
    return tmp_path


def test_json_has_the_issue_shape(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["flows", "--demand", str(tiny / "od.csv"), "--counts", str(tiny / "counts.csv"),
         "--growth", "1.2", "--path", "1.5", "--steps", "3", "--json", "--calibrate"]
    )  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {"demand_t", "assigned_t", "t_km_by_mode"} <= set(out["totals"])
    assert out["totals"]["demand_t"] == pytest.approx(1200.0)
    b = out["bottlenecks"][0]
    assert {
        "id",
        "kind",
        "use_ratio",
        "capacity",
        "capacity_source",
        "shadow_price_usd_per_t",
    } <= set(b)
    assert b["id"] == "CAP-FAST@AB"
    c = out["counts"][0]
    assert {"id", "observed_t", "model_t", "source"} <= set(c)
    assert c["observed_t"] == 400.0
    assert c["calibrated"] == pytest.approx(400.0, rel=1e-3)
    assert out["growth_path"]["first"]["id"] == "CAP-FAST@AB"
    assert out["growth_path"]["first"]["step"] == 0


def test_text_report_lists_bottlenecks_with_sources(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["flows", "--demand", str(tiny / "od.csv"), "--counts", str(tiny / "counts.csv")]) == 0
    )
    text = capsys.readouterr().out
    assert "Bottlenecks by use of capacity" in text
    assert "CAP-FAST@AB" in text
    assert "test fixture" in text  # the capacity's source
    assert "AB-rail" in text


def test_bad_demand_rows_exit_2_and_nothing_is_written(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tiny / "bad.csv"
    bad.write_text(
        "row_id,origin,destination,commodity_group,cargo_class,tonnes_per_yr\n"
        "x1,A,Nowhere,grain,bulk,10\n"
        "x2,A,B,grain,bulk,-3\n"
        "x3,A,B,fruit,,5\n"
    )
    out_map = tiny / "map.png"
    links = tiny / "links.csv"
    code = main(["flows", "--demand", str(bad), "--map", str(out_map), "--links-out", str(links)])
    assert code == 2
    err = capsys.readouterr().err
    assert "3 problem(s)" in err
    for row in ("x1", "x2", "x3"):
        assert f"'{row}'" in err
    assert not out_map.exists()
    assert not links.exists()


def test_zero_capacity_exits_2(
    monkeypatch: pytest.MonkeyPatch, tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    net, _ = two_route_case()
    params = dict(net.parameters)
    params["capacities"] = pd.DataFrame(
        [capacity_row("CAP-ZERO", "rail_section", 0.0, segment_ids="AB")]
    )
    monkeypatch.setattr(_common, "load_network", lambda path: net.replace(parameters=params))
    code = main(["flows", "--demand", str(tiny / "od.csv"), "--counts", str(tiny / "counts.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "CAP-ZERO" in err
    assert "must be > 0" in err


def test_writes_map_and_tables(tiny: Path) -> None:
    out_map = tiny / "flows.png"
    code = main(
        ["flows", "--demand", str(tiny / "od.csv"), "--counts", str(tiny / "counts.csv"),
         "--map", str(out_map), "--links-out", str(tiny / "links.csv"), "--od-out",
         str(tiny / "od_out.csv")]
    )  # fmt: skip
    assert code == 0
    assert out_map.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    links = pd.read_csv(tiny / "links.csv")
    assert links["t_per_yr"].sum() == pytest.approx(1000.0)
    od = pd.read_csv(tiny / "od_out.csv")
    assert od["tonnes_per_yr"].sum() == pytest.approx(1000.0)


def test_bad_options_exit_2(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "--demand", str(tiny / "od.csv"), "--method", "bush"]) == 2
    assert "--method" in capsys.readouterr().err
    assert main(["flows", "--demand", str(tiny / "od.csv"), "--growth", "KAZ-IRN"]) == 2
    assert "--growth" in capsys.readouterr().err
    assert main(["flows", "--demand", str(tiny / "od.csv"), "--map", str(tiny / "m.jpg")]) == 2
