from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from rich.console import Console

from corridor.cli.tables import reliability_table
from corridor.errors import InputError
from corridor.formats.inputs import parse_deadline, parse_depart
from corridor.reliability import ReliabilityParameters, ReliabilityResult
from corridor.reliability.parameters import TABLES

CALIBRATIONS = {"cpmm", "published-count", "anecdote", "proxy", "assumption"}


def test_parse_depart_and_deadline() -> None:
    assert parse_depart("2026-12-01T08:00") == datetime(2026, 12, 1, 8, 0)
    assert parse_deadline("12d") == 288.0
    assert parse_deadline("36h") == 36.0
    assert parse_deadline(" 2.5 D ") == 60.0
    for bad in ("", "12w", "-3d", "0h", "d"):
        with pytest.raises(InputError, match="deadline"):
            parse_deadline(bad)
    with pytest.raises(InputError, match="depart"):
        parse_depart("tomorrow")


def test_table_and_json() -> None:
    res = ReliabilityResult(np.array([10.0, 20.0, 30.0]), np.zeros(3), 20.0, deadline_h=25.0)
    d = res.to_dict()
    assert d["p50_h"] == 20.0
    assert d["on_time_probability"] == pytest.approx(2 / 3)
    console = Console(width=160, record=True, color_system=None)
    console.print(reliability_table({"1: via Kuryk": res}))
    text = console.export_text()
    assert "1: via Kuryk" in text
    assert "66.7 %" in text
    assert "20.0 h (0.8 d)" in text


def test_every_shipped_figure_has_a_source(shipped: ReliabilityParameters) -> None:
    for name in TABLES:
        tab = shipped.table(name)
        assert len(tab), name
        figures = [c for c in tab.columns if f"{c}_source" in tab.columns]
        assert figures, name
        for col in figures:
            given = tab[col].notna()
            sources = tab.loc[given, f"{col}_source"]
            assert (sources.str.len() > 0).all(), (name, col)
        if "calibration" in tab.columns:
            assert set(tab["calibration"]) <= CALIBRATIONS, name
        # an assumption is labelled as such in its source
        if "calibration" in tab.columns:
            assumed = tab[tab["calibration"] == "assumption"]
            for col in figures:
                src = assumed.loc[assumed[col].notna(), f"{col}_source"]
                assert src.str.contains("assumption|computed|leg:").all(), (name, col)


def test_key_crossings_have_both_directions(shipped: ReliabilityParameters) -> None:
    tab = shipped.table("border_dwell")
    pairs = set(zip(tab["from_id"], tab["to_id"], strict=True))
    for a, b in [("KZ_BOLASHAK", "TM_SERHETYAKA"), ("TM_SARAHS", "IR_SARAKHS"),
                 ("TM_AKYAYLA", "IR_INCHE_BURUN"), ("AZ_ASTARA", "IR_ASTARA")]:  # fmt: skip
        assert (a, b) in pairs
        assert (b, a) in pairs
