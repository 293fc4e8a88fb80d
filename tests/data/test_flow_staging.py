"""Staging data for flows, ferries and scenarios: every figure has a source, every id exists.

The files under ``data/curated/{flows,ferries,scenarios}`` are hand-curated staging tables (not
yet read by the package). These checks keep them honest while they wait to be wired in: a figure
is a cell that is neither blank nor a word such as ``unknown``; each figure column names the column
that must carry its source.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CURATED = REPO / "data" / "curated"
DEFAULT = REPO / "src" / "corridor" / "data" / "default"

# file -> {figure column: source column}
FIGURES: dict[str, dict[str, str]] = {
    "flows/trade_2024.csv": {
        "tonnes": "tonnes_source",
        "tonnes_per_yr": "tonnes_per_yr_source",
        "value_usd": "value_usd_source",
        "unit_value_usd_per_t": "unit_value_usd_per_t_source",
        "units": "units_source",
    },
    "flows/country_places.csv": {"share": "share_source"},
    "flows/capacities.csv": {
        "capacity": "capacity_source",
        "capacity_high": "capacity_source",
        "capacity_t_per_yr": "capacity_t_per_yr_source",
    },
    "flows/counts.csv": {
        "quantity": "quantity_source",
        "quantity_per_yr": "quantity_per_yr_source",
    },
    "ferries/services.csv": {
        "vessel_count": "vessel_count_source",
        "units_per_sailing": "units_per_sailing_source",
        "sailings_per_week": "sailings_per_week_source",
        "voyage_time_h": "voyage_time_h_source",
    },
    "ferries/vessels.csv": dict.fromkeys(
        ("length_m", "dwt_t", "wagons", "trucks", "passengers", "speed_kn"), "source"
    ),
    "ferries/weather.csv": {"value": "value_source", "duration_days": "duration_days_source"},
    "ferries/waiting_times.csv": {
        "wait_days_low": "wait_days_source",
        "wait_days_high": "wait_days_source",
        "queue_units": "queue_units_source",
    },
    "scenarios/sources.csv": {"value": "value_source"},
}
NOT_A_FIGURE = re.compile(r"^(|unknown|not found)$", re.IGNORECASE)
ID_COLUMNS = ("place_id", "from_id", "to_id")
GRADES = {"", "A", "B", "C"}


def _rows(rel: str) -> list[dict[str, str]]:
    with (CURATED / rel).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ids(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("rel", sorted(FIGURES))
def test_every_figure_has_a_source_and_a_grade(rel: str) -> None:
    rows = _rows(rel)
    assert rows, rel
    checked = 0
    for number, row in enumerate(rows, start=2):
        for figure, source in FIGURES[rel].items():
            if NOT_A_FIGURE.match(row[figure].strip()):
                continue
            checked += 1
            where = f"{rel} line {number}: {figure}={row[figure]!r}"
            assert row[source].strip(), f"{where} has no {source}"
        if "grade" in row:
            assert row["grade"] in GRADES, f"{rel} line {number}: grade {row['grade']!r}"
    assert checked >= 1 or rel == "flows/country_places.csv"


@pytest.mark.parametrize("rel", sorted(FIGURES))
def test_places_segments_and_services_exist(rel: str) -> None:
    nodes = _ids(DEFAULT / "node.csv", "node_id")
    segments = _ids(DEFAULT / "link.csv", "segment_id")
    services = _ids(DEFAULT / "parameters" / "ferry_services.csv", "service_id")
    services |= {row["service_id"] for row in _rows("ferries/services.csv")}
    for number, row in enumerate(_rows(rel), start=2):
        for column in ID_COLUMNS:
            for place in filter(None, row.get(column, "").split("|")):
                assert place in nodes, f"{rel} line {number}: unknown place {place!r} in {column}"
        for segment in filter(None, row.get("segment_ids", "").split("|")):
            assert segment in segments, f"{rel} line {number}: unknown segment {segment!r}"
        for service in filter(None, row.get("service_id", "").split("|")):
            assert service in services, f"{rel} line {number}: unknown service {service!r}"


def test_staging_folders_have_a_readme() -> None:
    for folder in ("flows", "ferries", "scenarios"):
        assert (CURATED / folder / "README.md").is_file(), folder
