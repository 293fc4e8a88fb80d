"""The flow model's shipped tables: built from the staging tables, sourced, and usable."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.flows import (
    assign_flows,
    build_freight_problem,
    check_capacity_table,
    count_set,
    load_baseline,
    read_counts,
)
from corridor.network.default import load_default

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return load_default()


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_flows_data", REPO / "tools" / "build_flows_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_flows_data"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_shipped_flow_tables_equal_a_fresh_build() -> None:
    assert _tool().main(["--check"]) == 0


def test_every_baseline_figure_has_a_source_and_unknowns_have_none() -> None:
    t = load_baseline().table
    known = t[t["tonnes_per_yr"].notna()]
    assert (known["tonnes_per_yr"] > 0).all()
    assert (known["tonnes_per_yr_source"].str.len() > 20).all()
    assert set(known["basis"]) <= {"taken", "proxy"}
    unknown = t[t["tonnes_per_yr"].isna()]
    assert (unknown["basis"] == "unknown").all()
    assert len(unknown) >= 1
    assert not known["cargo_class"].eq("unknown").any()


def test_baseline_places_and_classes_exist(net: corridor.Network) -> None:
    d = load_baseline()
    places = set(net.places["place_id"])
    classes = set(net.parameters["cargo_classes"]["cargo"])
    assert d.check(places=places, cargo_classes=classes) == []


def test_capacities_table_is_clean_and_sourced(net: corridor.Network) -> None:
    cap = net.parameters["capacities"]
    assert check_capacity_table(cap) == []
    assert cap["id"].is_unique


def test_baseline_loads_and_converges_on_the_default_network(net: corridor.Network) -> None:
    res = assign_flows(net, load_baseline(), gap=1e-6)
    assert res.state.converged
    assert res.totals["assigned_t"] == pytest.approx(load_baseline().known["tonnes_per_yr"].sum())
    el = res.elements
    assert len(el) >= 20
    assert (el["capacity_source"].str.len() > 10).all()
    assert np.all(np.isfinite(el["delay_h"]))
    assert np.all(el["shadow_price_usd_per_t"] >= 0)
    # the table's rows that found no edge are listed with a reason, never dropped silently
    assert all(r["reason"] for r in res.problem.inactive)


def test_calibration_counts_resolve_on_the_default_network(net: corridor.Network) -> None:
    counts = read_counts()
    problem = build_freight_problem(net, load_baseline())
    cs = count_set(problem, counts)
    calib = set(counts.loc[counts["use"] == "calibrate", "count_id"])
    assert calib <= set(cs.table["count_id"])
    assert (cs.table["observed_per_yr_source"].str.len() > 10).all()
