"""OD estimation (Spiess): a known OD table is recovered from its own counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corridor.demand.freight import FreightDemand
from corridor.flows import assign_flows, calibrate, count_set, leave_one_out
from corridor.flows.problem import FreightProblem
from corridor.flows.solve import FlowState, solve_flows
from corridor.network.model import Network
from corridor.testing import capacity_row, fixture_parameters

TRUTH = {("A", "B"): 300.0, ("A", "C"): 500.0, ("B", "C"): 200.0}


def _network(bc_capacity: float = 5000.0) -> Network:
    places = pd.DataFrame(
        [
            ("A", "Alpha", "KAZ", "city", 60.0, 40.0, "open"),
            ("B", "Bravo", "TKM", "city", 61.0, 40.0, "open"),
            ("C", "Charlie", "IRN", "city", 62.0, 40.0, "open"),
        ],
        columns=["place_id", "name", "country", "kind", "lon", "lat", "status"],
    )
    rows = []
    for a, b, mode, km in (("A", "B", "rail_1520", 200.0), ("B", "C", "rail_1520", 300.0),
                           ("A", "C", "road", 450.0)):  # fmt: skip
        for lid, f, t in ((f"{a}{b}_ab", a, b), (f"{a}{b}_ba", b, a)):
            rows.append({"link_id": lid, "from_id": f, "to_id": t, "mode": mode,
                         "length_km": km, "length_km_source": "test", "status": "open",
                         "segment_id": f"{a}{b}"})  # fmt: skip
    params = fixture_parameters()
    # a queue on B-C; at 400 t/yr it pushes A-C freight onto the road
    params["capacities"] = pd.DataFrame(
        [capacity_row("CAP-BC", "rail_section", bc_capacity, batch_t=20.0, segment_ids="BC")]
    )
    return Network.from_frames(places, pd.DataFrame(rows), parameters=params)


def _demand(tonnes: dict[tuple[str, str], float]) -> FreightDemand:
    return FreightDemand.from_records(
        [
            {"row_id": f"{o}{d}", "origin": o, "destination": d, "commodity_group": "goods",
             "cargo_class": "bulk", "tonnes_per_yr": t}
            for (o, d), t in tonnes.items()
        ]
    )  # fmt: skip


# the two rail sections and the KAZ share of B-C identify the table
COUNTS = pd.DataFrame(
    {
        "count_id": ["AB", "BC", "BC-KAZ"],
        "kind": ["rail_section"] * 3,
        "place_ids": [""] * 3,
        "segment_ids": ["AB", "BC", "BC"],
        "service_ids": [""] * 3,
        "commodity_group": [""] * 3,
        "from_country": ["", "", "KAZ"],
        "to_country": [""] * 3,
        "unit": ["t"] * 3,
        "observed_per_yr": [1.0] * 3,
        "observed_per_yr_source": ["test: the model's own value"] * 3,
        "use": ["calibrate"] * 3,
        "scope": [""] * 3,
    }
)


def test_spiess_recovers_a_known_od_table_from_its_own_counts() -> None:
    net = _network()
    truth = assign_flows(net, _demand(TRUTH), gap=1e-10)
    counts = count_set(truth.problem, COUNTS)
    observed = counts.model(truth.problem, truth.state)
    np.testing.assert_allclose(observed, [800.0, 700.0, 500.0])
    table = COUNTS.assign(observed_per_yr=observed)
    prior = {("A", "B"): 150.0, ("A", "C"): 900.0, ("B", "C"): 120.0}
    start = assign_flows(net, _demand(prior), gap=1e-10)
    counts = count_set(start.problem, table)
    res = calibrate(start.problem, counts, outer=30, inner=300, gap=1e-10)
    np.testing.assert_allclose(res.table["model"], observed, rtol=1e-4)
    od = start.problem.od
    got = {(o, d): t for o, d, t in zip(od["origin"], od["destination"], res.tonnes, strict=True)}
    for key, want in TRUTH.items():
        assert got[key] == pytest.approx(want, rel=1e-3), key
    assert res.history[-1] < 1e-3


def test_spiess_improves_the_fit_when_routes_move_with_congestion() -> None:
    # at 400 t/yr the B-C queue sends part of A-C by road, so the counts' shares of each
    # pair change with the table; the estimate need not be unique, but the fit improves
    net = _network(bc_capacity=400.0)
    truth = assign_flows(net, _demand(TRUTH), gap=1e-10)
    counts = count_set(truth.problem, COUNTS)
    observed = counts.model(truth.problem, truth.state)
    assert observed[2] < TRUTH[("A", "C")]
    table = COUNTS.assign(observed_per_yr=observed)
    start = assign_flows(net, _demand({("A", "B"): 150.0, ("A", "C"): 900.0, ("B", "C"): 120.0}))
    counts = count_set(start.problem, table)
    res = calibrate(start.problem, counts, outer=10, inner=100, gap=1e-8)
    before = np.abs(res.table["prior_model"] - observed).sum()
    after = np.abs(res.table["model"] - observed).sum()
    assert after < 0.5 * before


def test_leave_one_out_predicts_each_count_without_it() -> None:
    net = _network()
    truth = assign_flows(net, _demand(TRUTH), gap=1e-10)
    observed = count_set(truth.problem, COUNTS).model(truth.problem, truth.state)
    table = COUNTS.assign(observed_per_yr=observed)
    start = assign_flows(net, _demand({k: v * 0.8 for k, v in TRUTH.items()}), gap=1e-10)
    loo = leave_one_out(start.problem, count_set(start.problem, table), outer=5, inner=100)
    assert loo["count_id"].tolist() == ["AB", "BC", "BC-KAZ"]
    assert np.all(np.isfinite(loo["loo_model"]))
    # without a count the fit is not forced onto it: at least one prediction differs
    assert not np.allclose(loo["loo_model"], observed, rtol=1e-6)


def test_the_table_returned_has_the_best_fit_of_all_outer_iterations() -> None:
    # the congested case: the fit after each re-assignment need not fall monotonically;
    # the table returned is the best one seen (the prior included), never a worse last one
    net = _network(bc_capacity=400.0)
    truth = assign_flows(net, _demand(TRUTH), gap=1e-10)
    observed = count_set(truth.problem, COUNTS).model(truth.problem, truth.state)
    table = COUNTS.assign(observed_per_yr=observed)
    start = assign_flows(net, _demand({("A", "B"): 150.0, ("A", "C"): 900.0, ("B", "C"): 120.0}))
    counts = count_set(start.problem, table)
    calls = []

    def jumpy(p: FreightProblem) -> FlowState:
        # honest solves but the last, which lands on a state that fits the counts worse
        # (the flows of a tenth of the table), as a re-assignment whose routes jumped does
        calls.append(1)
        q = p.od["tonnes_per_yr"].to_numpy(dtype=float)
        return solve_flows(p if len(calls) < 7 else p.with_demand(0.1 * q), gap=1e-8)

    res = calibrate(start.problem, counts, outer=6, inner=3, solver=jumpy)
    assert len(calls) == 7  # the prior and six outer iterations, the last one jumped
    assert res.history[-1] > min(res.history)
    fit = 0.5 * float(((res.table["model"] - observed) ** 2).sum())
    prior_fit = 0.5 * float(((res.table["prior_model"] - observed) ** 2).sum())
    assert fit <= prior_fit * (1 + 1e-9)
    assert fit <= min(res.history) * (1 + 1e-6) + 1e-9
