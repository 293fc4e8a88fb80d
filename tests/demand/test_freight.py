"""Freight demand: files, every problem of a file at once, growth, trade statistics."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.demand import (
    FreightDemand,
    demand_from_trade,
    parse_growth,
    read_freight_csv,
    read_freight_omx,
    write_freight_csv,
    write_freight_omx,
)
from corridor.errors import DataFileError, InputError

HEADER = "row_id,origin,destination,commodity_group,cargo_class,tonnes_per_yr,basis\n"


def _demand() -> FreightDemand:
    return FreightDemand.from_records(
        [
            {"origin": "A", "destination": "B", "commodity_group": "grain",
             "cargo_class": "bulk", "tonnes_per_yr": 1000.0},
            {"origin": "B", "destination": "A", "commodity_group": "boxes",
             "cargo_class": "container_40ft", "tonnes_per_yr": 250.5},
            {"origin": "A", "destination": "C", "commodity_group": "grain",
             "cargo_class": "bulk", "tonnes_per_yr": 40.0},
        ]
    )  # fmt: skip


def test_every_bad_row_of_a_file_is_named_at_once(tmp_path: Path) -> None:
    p = tmp_path / "od.csv"
    p.write_text(
        HEADER
        + "r1,A,B,grain,bulk,100,\n"  # fine
        + "r2,A,ZZ,grain,bulk,100,\n"  # unknown place
        + "r3,A,B,grain,bulk,-5,\n"  # negative
        + "r4,A,B,grain,bulk,nan,\n"  # NaN
        + "r5,A,B,fruit,,10,\n"  # no cargo class
        + "r6,A,B,grain,bulk,lots,\n"  # not a number
        + "r7,A,B,grain,hopper,10,\n"  # unknown cargo class
        + "r8,A,B,grain,bulk,,unknown\n"  # fine: a labelled unknown
    )
    with pytest.raises(DataFileError) as err:
        read_freight_csv(p, places={"A", "B"}, cargo_classes={"bulk", "container_40ft"})
    got = [(pr.row_id, pr.column) for pr in err.value.problems]
    assert got == [
        ("r2", "destination"),
        ("r3", "tonnes_per_yr"),
        ("r4", "tonnes_per_yr"),
        ("r5", "cargo_class"),
        ("r6", "tonnes_per_yr"),
        ("r7", "cargo_class"),
    ]
    text = str(err.value)
    assert "unknown place 'ZZ'" in text
    assert "commodity 'fruit' has no cargo class" in text
    assert err.value.to_dict()["problems"][0]["row_id"] == "r2"


def test_rows_without_ids_are_named_by_line(tmp_path: Path) -> None:
    p = tmp_path / "od.csv"
    p.write_text("origin,destination,commodity_group,cargo_class,tonnes_per_yr\nA,B,g,bulk,-1\n")
    with pytest.raises(DataFileError, match="line 2"):
        read_freight_csv(p)


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    p = tmp_path / "od.csv"
    p.write_text("origin,destination,tonnes_per_yr\nA,B,1\n")
    with pytest.raises(DataFileError) as err:
        read_freight_csv(p)
    assert {pr.column for pr in err.value.problems} == {"commodity_group", "cargo_class"}


def test_csv_round_trip(tmp_path: Path) -> None:
    d = _demand()
    p = tmp_path / "od.csv"
    write_freight_csv(d, p)
    back = read_freight_csv(p)
    pd.testing.assert_frame_equal(back.table, d.table)


def test_omx_round_trip(tmp_path: Path) -> None:
    d = _demand()
    p = tmp_path / "od.omx"
    write_freight_omx(d, p)
    back = read_freight_omx(p)
    got = back.table.groupby(["origin", "destination", "commodity_group", "cargo_class"])[
        "tonnes_per_yr"
    ].sum()
    want = d.table.groupby(["origin", "destination", "commodity_group", "cargo_class"])[
        "tonnes_per_yr"
    ].sum()
    pd.testing.assert_series_equal(got, want)


def test_omx_refuses_names_that_cannot_name_a_matrix(tmp_path: Path) -> None:
    d = FreightDemand.from_records(
        [{"origin": "A", "destination": "B", "commodity_group": "grain (wheat)",
          "cargo_class": "bulk", "tonnes_per_yr": 1.0}]
    )  # fmt: skip
    with pytest.raises(InputError, match="identifiers"):
        write_freight_omx(d, tmp_path / "x.omx")
    assert not (tmp_path / "x.omx").exists()


def test_matrices_by_cargo_class() -> None:
    m = _demand().matrices()
    assert set(m) == {"bulk", "container_40ft"}
    assert m["bulk"].trips("A", "C") == 40.0
    assert m["container_40ft"].total == 250.5


def test_growth_specs_parse_and_apply() -> None:
    g = parse_growth(["1.1", "KAZ-IRN=1.5", "TKM>IRN=2", "grain=+20%"])
    assert g.overall == 1.1
    assert g.pairs == (("KAZ", "IRN", 1.5),)
    assert g.directions == (("TKM", "IRN", 2.0),)
    assert g.commodities == (("grain", pytest.approx(1.2)),)
    d = FreightDemand.from_records(
        [
            {"origin": "k", "destination": "i", "commodity_group": "grain",
             "cargo_class": "bulk", "tonnes_per_yr": 100.0},
            {"origin": "i", "destination": "k", "commodity_group": "goods",
             "cargo_class": "bulk", "tonnes_per_yr": 100.0},
            {"origin": "t", "destination": "i", "commodity_group": "goods",
             "cargo_class": "bulk", "tonnes_per_yr": 100.0},
            {"origin": "i", "destination": "t", "commodity_group": "goods",
             "cargo_class": "bulk", "tonnes_per_yr": 100.0},
        ]
    )  # fmt: skip
    grown = d.grown(g, {"k": "KAZ", "i": "IRN", "t": "TKM"})
    np.testing.assert_allclose(
        grown.table["tonnes_per_yr"], [100 * 1.1 * 1.5 * 1.2, 100 * 1.1 * 1.5, 220.0, 110.0]
    )


@pytest.mark.parametrize("spec", ["KAZ-IRN", "=2", "KAZ>ir=2", "1.5x", "KAZ-IRN=-1", "inf"])
def test_bad_growth_specs_are_refused(spec: str) -> None:
    with pytest.raises(InputError) as err:
        parse_growth([spec])
    assert err.value.argument == "growth"


def test_growth_naming_a_country_without_flows_is_refused() -> None:
    with pytest.raises(InputError, match="no flow from or to country 'CHN'"):
        _demand().grown(parse_growth(["CHN-IRN=2"]), {"A": "KAZ", "B": "IRN", "C": "IRN"})
    with pytest.raises(InputError, match="no commodity group 'oil'"):
        _demand().grown(parse_growth(["oil=2"]), {})


MAPPING = pd.DataFrame(
    {
        "country_or_region": ["KAZ", "KAZ", "KAZ", "IRN", "IRN"],
        "place_id": ["KZ_1", "KZ_2", "KZ_P", "IR_T", "IR_P"],
        "role": ["production", "production", "gateway", "consumption", "gateway"],
        "commodity_group": ["grain", "grain", "all", "all", "all"],
    }
)


def test_trade_rows_in_tonnes_and_in_usd_become_place_flows() -> None:
    trade = pd.DataFrame(
        {
            "row_id": ["T1", "T2", "T3"],
            "origin": ["KAZ", "IRN", "KAZ"],
            "destination": ["IRN", "KAZ", "IRN"],
            "commodity_group": ["grain", "fruit", "metals"],
            "tonnes_per_yr": [1000.0, math.nan, math.nan],
            "tonnes_per_yr_source": ["stat A", "", ""],
            "value_usd": [math.nan, 7.0e6, math.nan],
            "value_usd_source": ["", "stat B", ""],
            "unit_value_usd_per_t": [math.nan, 350.0, math.nan],
            "factor": [math.nan, 0.5, math.nan],
            "factor_source": ["", "half of it", ""],
        }
    )
    d = demand_from_trade(
        trade, MAPPING, commodity_classes={"grain": "bulk", "fruit": "roro_truck"}
    )
    t = d.table
    grain = t[t["commodity_group"] == "grain"]
    assert sorted(grain["origin"]) == ["KZ_1", "KZ_2"]  # production places, equal split
    np.testing.assert_allclose(grain["tonnes_per_yr"], [500.0, 500.0])
    assert grain["tonnes_per_yr_source"].str.contains("equal split").all()
    fruit = t[t["commodity_group"] == "fruit"]
    # consumption places of KAZ: none, so its gateway; IRN has no production: its gateway
    assert fruit[["origin", "destination"]].values.tolist() == [["IR_P", "KZ_P"]]
    assert float(fruit["tonnes_per_yr"].iloc[0]) == pytest.approx(7.0e6 * 0.5 / 350.0)
    assert "stat B" in fruit["tonnes_per_yr_source"].iloc[0]
    metals = t[t["commodity_group"] == "metals"]
    assert (metals["basis"] == "unknown").all()
    assert metals["tonnes_per_yr"].isna().all()
    assert d.total_t == pytest.approx(1000.0 + 1e4)


def test_trade_problems_are_listed_at_once() -> None:
    trade = pd.DataFrame(
        {
            "row_id": ["T1", "T2", "T3", "T4"],
            "origin": ["KAZ", "XXX", "KAZ", "KAZ"],
            "destination": ["IRN", "IRN", "IRN", "IRN"],
            "commodity_group": ["grain", "grain", "cotton", "grain"],
            "tonnes_per_yr": [-1.0, 10.0, 10.0, math.nan],
            "value_usd": [math.nan, math.nan, math.nan, 100.0],
        }
    )
    with pytest.raises(DataFileError) as err:
        demand_from_trade(trade, MAPPING, commodity_classes={"grain": "bulk"})
    assert [(p.row_id, p.column) for p in err.value.problems] == [
        ("T1", "tonnes_per_yr"),
        ("T2", "origin"),
        ("T3", "cargo_class"),
        ("T4", "unit_value_usd_per_t"),
    ]
