"""Shape of the validation set ``data/validation/published_cases.csv``.

The figures themselves are checked against the model by the validation report (a separate
step); here we check that every case is usable: a metric we know, a value or a range, a source
with a year, a tolerance with its reason, and place ids that exist in the default network.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corridor.network.default import load_default

REPO = Path(__file__).resolve().parents[2]
METRICS = {"transit_days", "rate_usd", "length_km"}


def test_validation_cases_are_complete_and_point_at_the_network() -> None:
    cases = pd.read_csv(
        REPO / "data" / "validation" / "published_cases.csv", dtype=str, keep_default_na=False
    )
    net = load_default()
    ids = set(net.places["place_id"])
    modes = set(net.links["mode"])
    classes = net.parameters.get("cargo_classes")
    cargos = set(classes["cargo"]) if classes is not None and "cargo" in classes else set()
    assert cases["case_id"].is_unique
    assert set(cases["metric"]) <= METRICS
    assert set(cases["modelled"]) <= {"yes", "no"}
    modelled = cases[cases["modelled"] == "yes"]
    assert len(modelled) >= 25
    for row in cases.itertuples():
        assert row.value or row.low, row.case_id
        if row.low and row.high:
            assert float(row.low) <= float(row.high), row.case_id
        assert row.source.strip(), row.case_id
        assert row.year.strip(), row.case_id
        assert 0 < float(row.tolerance) <= 1, row.case_id
        assert row.tolerance_reason.strip(), row.case_id
        assert row.origin_id in ids, row.case_id
        assert row.destination_id in ids, row.case_id
        assert {v for v in row.via.split("|") if v} <= ids, row.case_id
        assert {m for m in row.modes.split("|") if m} <= modes, row.case_id
        if cargos and row.cargo:
            assert row.cargo in cargos, row.case_id
    assert set(modelled["metric"]) == METRICS
