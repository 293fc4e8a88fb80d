"""Checks on the curated parameter tables in ``data/curated/parameters``.

Every figure has a source, keys point at real places, values are plausible, and the
transfers needed by routing (gauge breaks, ports) exist.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
PARAMS = REPO / "data" / "curated" / "parameters"
PLACES = REPO / "data" / "curated" / "places.csv"
SEGMENTS = REPO / "data" / "curated" / "segments.csv"

Tables = dict[str, pd.DataFrame]

TABLES = (
    "cargo_classes",
    "mode_speeds",
    "tariffs",
    "emission_factors",
    "borders",
    "border_sides",
    "transfers",
    "ferry_services",
    "value_of_time",
    "capacities",
    "cancellation",
    "driving_rules",
    "customs_unions",
    "terminals",
    "ferry_lines",
)

# Columns named in docs/data-model.md (the contract); more columns are allowed.
REQUIRED = {
    "cargo_classes": {"cargo", "unit", "tonnes_per_unit", "teu_per_unit"},
    "mode_speeds": {"mode", "country", "speed_kmh"},
    "tariffs": {"mode", "country", "cargo", "rate_usd_per_unit_km", "fixed_usd_per_unit"},
    "emission_factors": {"mode", "co2e_g_per_tkm", "co2e_kg_per_t"},
    "borders": {
        "from_id",
        "to_id",
        "mode_group",
        "side",
        "dwell_time_h",
        "fee_usd_per_unit",
        "capacity_t_per_yr",
    },
    "border_sides": {"country", "mode_group", "side", "dwell_time_h", "fee_usd_per_unit"},
    "cancellation": {"place_id", "month", "p_cancel"},
    "transfers": {
        "place_id",
        "kind",
        "from_mode",
        "to_mode",
        "cargo",
        "time_h",
        "cost_usd_per_unit",
        "capacity_t_per_yr",
    },
    "ferry_services": {
        "service_id",
        "from_id",
        "to_id",
        "operator",
        "departure_rule",
        "departures_per_week",
        "weekdays",
        "wait_time_h",
        "voyage_time_h",
        "rate_usd_per_teu",
        "rate_usd_per_truck",
        "capacity_t_per_yr",
    },
    "value_of_time": {"cargo", "value_of_time_usd_per_h"},
    "capacities": {"kind", "id", "capacity_t_per_yr"},
    "driving_rules": {
        "mode",
        "country",
        "crew",
        "daily_driving_h",
        "break_after_h",
        "break_h",
        "daily_rest_h",
        "periods_per_week",
        "weekly_rest_h",
        "weekly_driving_h",
        "fortnight_driving_h",
    },
    "customs_unions": {"union_id", "country"},
    "terminals": {"place_id", "kind", "from_mode", "to_mode", "existence_source"},
    "ferry_lines": {"service_id", "unit", "units_per_sailing", "departure_rule", "storm_episode_h"},
}

# Text columns that are not figures (no ``_source`` needed).
TEXT = {
    "cargo",
    "unit",
    "tonnes_basis",
    "notes",
    "mode",
    "country",
    "kind",
    "scope",
    "from_id",
    "to_id",
    "mode_group",
    "place_id",
    "from_mode",
    "to_mode",
    "service_id",
    "operator",
    "weekdays",
    "weather_notes",
    "id",
    "serves",
    "side",
    "dwell_distribution",
    "running_distribution",
    "time_distribution",
    "departure_rule",
    "departure_times",
    "calibration",
    "month",
    "service",
    "crew",
    "union_id",
    "border_controls_removed",
    "terminal",
    "includes_gauge_change",
    # capacities: where the element is and what its figure is (text)
    "place_ids",
    "segment_ids",
    "service_ids",
    "modes",
    "direction",
    "cargo_classes",
    "published",
    "status",
    "year",
    "grade",
}
SERVICES = {"", "container_block_train", "wagonload", "bulk_train"}

CARGOES = {"container_20ft", "container_40ft", "bulk", "roro_truck"}
MODES = {"rail_1520", "rail_1435", "road", "ferry", "sea"}
COUNTRIES = {"KAZ", "IRN", "TKM", "UZB", "RUS", "AZE", "IND", "CHN", "*"}

# (column suffix or name, low, high) plausible ranges, inclusive.
RANGES = {
    "speed_kmh": (5.0, 120.0),
    "swod_kmh": (5.0, 120.0),
    "swd_kmh": (1.0, 120.0),
    "rate_usd_per_unit_km": (0.0, 10.0),  # 0 where the rate is per voyage (sea)
    "fixed_usd_per_unit": (0.0, 5000.0),
    "co2e_g_per_tkm": (1.0, 600.0),
    "co2e_g_per_teu_km": (10.0, 1000.0),
    "co2e_kg_per_t": (0.0, 50.0),
    "dwell_time_h": (0.0, 200.0),
    "dwell_time_out_h": (0.0, 200.0),
    "dwell_time_in_h": (0.0, 200.0),
    "fee_usd_per_unit": (0.0, 5000.0),
    "capacity_t_per_yr": (1e4, 5e8),
    "time_h": (0.0, 240.0),
    "cost_usd_per_unit": (0.0, 5000.0),
    "departures_per_week": (0.05, 50.0),
    "wait_time_h": (0.0, 400.0),
    "voyage_time_h": (1.0, 400.0),
    "value_of_time_usd_per_h": (0.001, 1000.0),
    "tonnes_per_unit": (0.5, 40.0),
    "units_per_consignment": (1.0, 100.0),
    "teu_per_unit": (1.0, 2.0),
    "cancellation_probability": (0.0, 1.0),
    "time_cost_share_per_day": (0.0, 0.1),
    "cargo_value_usd_per_unit": (1.0, 1e6),
    "dwell_cv": (0.0, 3.0),
    "running_cv": (0.0, 3.0),
    "wait_cv": (0.0, 3.0),
    "time_cv": (0.0, 3.0),
    "headway_h": (1.0, 1000.0),
    "p_cancel": (0.0, 0.99),
    "daily_driving_h": (1.0, 24.0),
    "break_after_h": (1.0, 24.0),
    "break_h": (0.0, 2.0),
    "daily_rest_h": (1.0, 24.0),
    "periods_per_week": (1.0, 7.0),
    "weekly_rest_h": (0.0, 100.0),
    "weekly_driving_h": (1.0, 200.0),
    "fortnight_driving_h": (1.0, 400.0),
    "batch_t": (1.0, 20000.0),
    "units_per_sailing": (1.0, 1000.0),
    "sailings_per_week": (0.05, 50.0),
    "vessels": (1.0, 50.0),
    "max_hold_h": (0.0, 400.0),
    "port_time_h": (0.0, 100.0),
    "berths": (1.0, 20.0),
    "storm_episode_h": (1.0, 400.0),
}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PARAMS / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: _read(name) for name in TABLES}


def _figure_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in TEXT and not c.endswith("_source")]


def _place_ids() -> set[str]:
    places = pd.read_csv(PLACES, dtype=str, keep_default_na=False)
    for col in ("node_id", "place_id", "id"):
        if col in places.columns:
            return set(places[col])
    raise AssertionError(f"places.csv has no id column: {list(places.columns)}")


def _require_places() -> set[str]:
    if not PLACES.exists():
        pytest.skip("data/curated/places.csv is not written yet (owned by the places/links helper)")
    return _place_ids()


@pytest.mark.parametrize("name", TABLES)
def test_contract_columns_present(tables: Tables, name: str) -> None:
    missing = REQUIRED[name] - set(tables[name].columns)
    assert not missing, f"{name}.csv lacks contract columns {sorted(missing)}"


@pytest.mark.parametrize("name", TABLES)
def test_every_figure_column_has_a_source_column(tables: Tables, name: str) -> None:
    df = tables[name]
    lacking = [c for c in _figure_columns(df) if f"{c}_source" not in df.columns]
    assert not lacking, f"{name}.csv: figure columns without _source: {lacking}"


@pytest.mark.parametrize("name", TABLES)
def test_every_value_has_a_source_and_is_numeric(tables: Tables, name: str) -> None:
    df = tables[name]
    problems = []
    for col in _figure_columns(df):
        for i, (value, source) in enumerate(zip(df[col], df[f"{col}_source"], strict=True)):
            if value.strip() == "":
                continue
            try:
                number = float(value)
            except ValueError:
                problems.append(f"row {i + 2} {col}={value!r} is not a number")
                continue
            if not math.isfinite(number):
                problems.append(f"row {i + 2} {col}={value!r} is not finite")
            if source.strip() == "":
                problems.append(f"row {i + 2} {col}={value} has no {col}_source")
            elif len(source.strip()) < 12:
                problems.append(f"row {i + 2} {col}_source too short to be a reference: {source!r}")
    assert not problems, f"{name}.csv:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", TABLES)
def test_values_in_plausible_ranges(tables: Tables, name: str) -> None:
    df = tables[name]
    problems = []
    for col in _figure_columns(df):
        key = (
            col
            if col in RANGES
            else next((k for k in RANGES if col.startswith("rate_usd_per")), None)
        )
        if col.startswith("rate_usd_per") and col != "rate_usd_per_unit_km":
            low, high = 0.5, 20000.0  # per-voyage rates
        elif key is None:
            pytest.fail(f"{name}.csv: no plausible range declared for figure column {col!r}")
        else:
            low, high = RANGES[key]
        for i, value in enumerate(df[col]):
            if value.strip() and not low <= float(value) <= high:
                problems.append(f"row {i + 2} {col}={value} outside [{low}, {high}]")
    assert not problems, f"{name}.csv:\n" + "\n".join(problems)


def test_keys_use_known_vocabularies(tables: Tables) -> None:
    assert set(tables["cargo_classes"]["cargo"]) == CARGOES
    for name in ("tariffs", "value_of_time"):
        assert set(tables[name]["cargo"]) <= CARGOES, name
    assert set(tables["transfers"]["cargo"]) <= CARGOES | {"*"}
    for name in ("mode_speeds", "tariffs"):
        assert set(tables[name]["mode"]) <= MODES, name
        assert set(tables[name]["country"]) <= COUNTRIES, name
    assert set(tables["border_sides"]["country"]) <= COUNTRIES
    assert set(tables["border_sides"]["side"]) <= {"exit", "entry"}
    assert set(tables["borders"]["side"]) <= {"", "exit", "entry"}
    assert set(tables["ferry_services"]["departure_rule"]) <= {
        "headway",
        "timetable",
        "observed_wait",
        "",
    }
    months = {int(m) for m in tables["cancellation"]["month"]}
    assert months <= set(range(1, 13))
    assert set(tables["mode_speeds"]["service"]) <= SERVICES
    assert set(tables["cargo_classes"]["service"]) <= SERVICES
    assert set(tables["driving_rules"]["crew"]) <= {"1", "2"}
    assert set(tables["driving_rules"]["mode"]) <= MODES
    assert set(tables["driving_rules"]["country"]) <= COUNTRIES
    assert set(tables["customs_unions"]["country"]) <= COUNTRIES
    assert set(tables["terminals"]["kind"]) <= {
        "gauge_break",
        "port",
        "mode_change",
        "transhipment",
    }
    assert set(tables["terminals"]["from_mode"]) | set(tables["terminals"]["to_mode"]) <= MODES | {
        "*"
    }
    assert all(len(src) >= 12 for src in tables["terminals"]["existence_source"])
    assert set(tables["transfers"]["kind"]) <= {
        "gauge_break",
        "port",
        "transhipment",
        "mode_change",
    }
    modes = set(tables["transfers"]["from_mode"]) | set(tables["transfers"]["to_mode"])
    assert modes <= MODES | {"*"}
    for name in ("borders", "border_sides"):
        assert set(tables[name]["mode_group"]) <= {"rail", "road", "sea"}, name
    assert set(tables["ferry_services"]["mode"]) <= {"ferry", "sea"}


def test_lookup_keys_are_unique(tables: Tables) -> None:
    keys = {
        "cargo_classes": ["cargo"],
        "mode_speeds": ["mode", "country", "service"],
        "tariffs": ["mode", "country", "cargo"],
        "driving_rules": ["mode", "country", "crew"],
        "customs_unions": ["union_id", "country"],
        "terminals": ["place_id", "kind", "from_mode", "to_mode"],
        "emission_factors": ["mode"],
        "border_sides": ["country", "mode_group", "side"],
        "cancellation": ["place_id", "month"],
        "transfers": ["place_id", "kind", "from_mode", "to_mode", "cargo"],
        "ferry_services": ["service_id"],
        "value_of_time": ["cargo"],
        "capacities": ["kind", "id"],
    }
    for name, cols in keys.items():
        dup = tables[name][tables[name].duplicated(cols, keep=False)]
        assert dup.empty, f"{name}.csv duplicate keys {cols}:\n{dup[cols]}"
    b = tables["borders"]
    whole = b[b["side"] == ""]
    pairs = [
        (frozenset((f, t)), g)
        for f, t, g in zip(whole["from_id"], whole["to_id"], whole["mode_group"], strict=True)
    ]
    assert len(pairs) == len(set(pairs)), "borders.csv repeats a pair (either order) and mode group"
    sides = b[b["side"] != ""]
    assert not sides.duplicated(["from_id", "to_id", "mode_group", "side"]).any()


def test_every_mode_and_cargo_has_a_default(tables: Tables) -> None:
    speeds = tables["mode_speeds"]
    for mode in MODES:
        assert ((speeds["mode"] == mode) & (speeds["country"] == "*")).any(), (
            f"no '*' speed for {mode}"
        )
    bd = tables["border_sides"]
    for group in ("rail", "road", "sea"):
        for side in ("exit", "entry"):
            assert (
                (bd["country"] == "*") & (bd["mode_group"] == group) & (bd["side"] == side)
            ).any(), f"no '*' border side for {group} {side}"
    ef = tables["emission_factors"]
    for mode in MODES:
        row = ef[ef["mode"] == mode]
        assert len(row) == 1, f"expected one intensity row for {mode}"
        assert row["co2e_g_per_tkm"].iloc[0] != "", f"no intensity for {mode}"


def test_each_service_has_what_its_departure_rule_needs(tables: Tables) -> None:
    # the expected wait is computed from the rule (corridor.graph.services): a wait figure
    # belongs only to a line whose published figure is the wait itself
    fs = tables["ferry_services"]
    for _, row in fs.iterrows():
        rule = row["departure_rule"]
        sid = row["service_id"]
        if rule == "observed_wait":
            assert row["wait_time_h"] != "", sid
        else:
            assert row["wait_time_h"] == "", f"{sid}: a wait figure under rule {rule!r}"
        if rule == "headway":
            assert row["departures_per_week"] != "" or row.get("headway_h", "") != "", sid
        if rule == "timetable":
            assert row["weekdays"] != "", sid


def test_keys_reference_existing_places(tables: Tables) -> None:
    ids = _require_places()
    used: dict[str, set[str]] = {
        "borders": set(tables["borders"]["from_id"]) | set(tables["borders"]["to_id"]),
        "transfers": set(tables["transfers"]["place_id"]),
        "ferry_services": set(tables["ferry_services"]["from_id"])
        | set(tables["ferry_services"]["to_id"]),
        "cancellation": set(tables["cancellation"]["place_id"]) - {"*"},
        "terminals": set(tables["terminals"]["place_id"]),
    }
    used["ferry_services.serves"] = {
        p for serves in tables["ferry_services"]["serves"] for p in serves.split("|") if p
    }
    cap = tables["capacities"]
    used["capacities"] = {
        p
        for places, a, b in zip(cap["place_ids"], cap["from_id"], cap["to_id"], strict=True)
        for p in [*places.split("|"), a, b]
        if p
    }
    problems = {name: sorted(v - ids) for name, v in used.items() if v - ids}
    assert not problems, f"unknown place ids: {problems}"


def _gauge_break_places() -> set[str]:
    if not SEGMENTS.exists():
        pytest.skip(
            "data/curated/segments.csv is not written yet (owned by the places/links helper)"
        )
    seg = pd.read_csv(SEGMENTS, dtype=str, keep_default_na=False)
    a_col = next(c for c in ("from_id", "from_node_id", "a", "from") if c in seg.columns)
    b_col = next(c for c in ("to_id", "to_node_id", "b", "to") if c in seg.columns)
    gauges: dict[str, set[str]] = {}
    for a, b, mode in zip(seg[a_col], seg[b_col], seg["mode"], strict=True):
        if mode in ("rail_1520", "rail_1435"):
            gauges.setdefault(a, set()).add(mode)
            gauges.setdefault(b, set()).add(mode)
    return {p for p, g in gauges.items() if len(g) == 2}


def test_every_gauge_break_place_has_a_gauge_break_transfer(
    tables: Tables,
) -> None:
    places = _gauge_break_places()
    assert places, "segments.csv has no place where both gauges meet"
    tr = tables["transfers"]
    have = set(tr.loc[tr["kind"] == "gauge_break", "place_id"])
    assert places <= have, (
        f"gauge-break places without a gauge_break transfer: {sorted(places - have)}"
    )


def test_every_port_place_has_a_port_transfer(tables: Tables) -> None:
    _require_places()
    places = pd.read_csv(PLACES, dtype=str, keep_default_na=False)
    id_col = next(c for c in ("node_id", "place_id", "id") if c in places.columns)
    ports = set(places.loc[places["kind"].str.contains("port"), id_col])
    assert ports, "places.csv lists no port"
    tr = tables["transfers"]
    have = set(tr.loc[tr["kind"] == "port", "place_id"])
    assert ports <= have, f"ports without a port transfer: {sorted(ports - have)}"


def test_every_service_of_the_links_is_described(tables: Tables) -> None:
    if not SEGMENTS.exists():
        pytest.skip(
            "data/curated/segments.csv is not written yet (owned by the places/links helper)"
        )
    seg = pd.read_csv(SEGMENTS, dtype=str, keep_default_na=False)
    fs = tables["ferry_services"].set_index("service_id")
    problems = []
    for _, row in seg[seg["service_id"] != ""].iterrows():
        sid = row["service_id"]
        if sid not in fs.index:
            problems.append(f"{row['segment_id']}: service {sid} missing from ferry_services.csv")
            continue
        served = set(fs.loc[sid, "serves"].split("|"))
        if not {row["from_id"], row["to_id"]} <= served:
            problems.append(
                f"{row['segment_id']}: {row['from_id']}-{row['to_id']} not in {sid}.serves"
            )
    assert not problems, "\n".join(problems)


def test_every_port_place_has_a_terminal(tables: Tables) -> None:
    """A port without a terminal row would be cut off from the water (transfers need one)."""
    _require_places()
    places = pd.read_csv(PLACES, dtype=str, keep_default_na=False)
    id_col = next(c for c in ("node_id", "place_id", "id") if c in places.columns)
    ports = set(places.loc[places["kind"].str.contains("port"), id_col])
    term = tables["terminals"]
    have = set(term.loc[term["kind"] == "port", "place_id"])
    assert ports <= have, f"ports without a terminal row: {sorted(ports - have)}"
