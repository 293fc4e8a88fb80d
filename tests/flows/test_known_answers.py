"""Known answers of the flow model on tiny networks, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from corridor.errors import NetworkValidationError
from corridor.flows import (
    METHODS,
    akcelik_delay_h,
    akcelik_use_for_delay,
    assign_flows,
    bottlenecks,
    build_freight_problem,
    solve_flows,
)
from corridor.testing import capacity_row, two_port_case, two_route_case

# two_route_case: in hours of bulk's value of time (0.1 USD/t-h) the rail route costs
# 2 h + 100 USD / 0.1 = 1002 h, the road 100/60 h + 200 USD / 0.1 = 2001.667 h.
RAIL_H = 2.0 + 100.0 / 0.1
ROAD_H = 100.0 / 60.0 + 200.0 / 0.1
GAP_H = ROAD_H - RAIL_H  # the queue delay at which both routes cost the same


def _rail_t(res) -> float:  # type: ignore[no-untyped-def]
    links = res.links
    return float(links.loc[links["ref"] == "AB_ab", "t_per_yr"].sum())


@pytest.mark.parametrize("batch", [math.nan, 50.0])
def test_two_routes_split_as_worked_by_hand(batch: float) -> None:
    # Both routes used: the rail queue delay equals the cost difference. Akcelik's delay
    # d(x) = T/4 [(x - 1) + sqrt((x - 1)^2 + kappa x)] inverts to
    # x = (D^2 + 2D) / (2D + kappa), D = 4 d / T; kappa = 8 J b / C with J = 1, T = 1 yr.
    cap, demand = 500.0, 1000.0
    kappa = 0.0 if math.isnan(batch) else 8.0 * batch / cap
    d = 4.0 * GAP_H / 8760.0
    x = (d * d + 2.0 * d) / (2.0 * d + kappa)
    net, dem = two_route_case(capacity_t_per_yr=cap, demand_t_per_yr=demand, batch_t=batch)
    res = assign_flows(net, dem, gap=1e-12)
    assert res.state.converged
    assert _rail_t(res) == pytest.approx(x * cap, rel=1e-9)
    assert res.totals["assigned_t"] == pytest.approx(demand)
    el = res.elements.iloc[0]
    assert el["delay_h"] == pytest.approx(GAP_H, rel=1e-9)
    assert el["use_ratio"] == pytest.approx(x, rel=1e-9)
    # at equilibrium every tonne pays the road's cost
    assert res.od["generalized_usd_per_t"].iloc[0] == pytest.approx(ROAD_H * 0.1, rel=1e-9)
    assert x == pytest.approx(akcelik_use_for_delay(GAP_H, kappa=kappa))


def test_below_capacity_demand_stays_on_the_cheaper_route() -> None:
    # 100 t on a 500 t/yr section with trains of 50 t: the delay is the steady queue,
    # far below the 999.7 h that would push freight to the road
    net, dem = two_route_case(capacity_t_per_yr=500.0, demand_t_per_yr=100.0, batch_t=50.0)
    res = assign_flows(net, dem, gap=1e-12)
    assert _rail_t(res) == pytest.approx(100.0)
    want = float(akcelik_delay_h(0.2, kappa=0.8))
    assert res.elements["delay_h"].iloc[0] == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("method", ["fw", "cfw", "bfw", "msa"])
def test_methods_agree(method: str) -> None:
    net, dem = two_route_case(batch_t=50.0)
    ref = _rail_t(assign_flows(net, dem, gap=1e-12))
    res = assign_flows(net, dem, method=method, gap=1e-7, max_iter=20000)
    assert _rail_t(res) == pytest.approx(ref, rel=1e-4)


def test_aon_ignores_the_queue() -> None:
    net, dem = two_route_case()
    res = assign_flows(net, dem, method="aon")
    assert _rail_t(res) == pytest.approx(1000.0)
    assert not res.state.converged


def test_logit_split_without_congestion_is_the_logit_formula() -> None:
    # uncongested (capacity far above demand): share of the road
    # 1 / (1 + exp((road - rail) / scale)), costs in USD per tonne
    net, dem = two_route_case(capacity_t_per_yr=1e12)
    scale = 50.0
    res = assign_flows(net, dem, method="logit", logit_scale_usd_per_t=scale, gap=1e-12)
    diff_usd = GAP_H * 0.1
    road_share = 1.0 / (1.0 + math.exp(diff_usd / scale))
    assert 1000.0 - _rail_t(res) == pytest.approx(1000.0 * road_share, rel=1e-6)


def test_logit_needs_its_scale() -> None:
    net, dem = two_route_case()
    with pytest.raises(Exception, match="logit_scale_usd_per_t"):
        assign_flows(net, dem, method="logit")


def test_unknown_method_is_refused() -> None:
    net, dem = two_route_case()
    p = build_freight_problem(net, dem)
    with pytest.raises(Exception, match="allowed"):
        solve_flows(p, method="bush")
    assert "bfw" in METHODS


def test_port_capacity_diverts_flow_to_the_other_port() -> None:
    # P1 is 200 km of rail shorter; its port (both directions, every mode pair) holds
    # 300 t/yr. Without the capacity all 1000 t would use P1.
    net, dem = two_port_case(port_capacity_t_per_yr=1e12)
    free = assign_flows(net, dem, gap=1e-12)
    assert free.links.query("kind == 'port' and ref == 'P1'")["t_per_yr"].sum() == pytest.approx(
        1000.0
    )
    net, dem = two_port_case(port_capacity_t_per_yr=300.0, back_t_per_yr=100.0)
    res = assign_flows(net, dem, gap=1e-12)
    port = res.links[res.links["kind"] == "port"]
    p1 = float(port.loc[port["ref"] == "P1", "t_per_yr"].sum())
    p2 = float(port.loc[port["ref"] == "P2", "t_per_yr"].sum())
    assert 0.0 < p1 < 1100.0
    assert p2 > 0.0
    assert p1 + p2 == pytest.approx(1100.0)
    el = res.elements.iloc[0]
    # the element's load is both directions of P1's port transfers
    assert el["t_per_yr"] == pytest.approx(p1)
    # both ports used: for each OD pair the average cost equals the cheapest
    od = res.od
    np.testing.assert_allclose(od["generalized_usd_per_t"], od["best_usd_per_t"], rtol=1e-9)
    assert bottlenecks(res, top=1)["element_id"].iloc[0] == "CAP-P1"


def test_capacity_of_zero_and_other_table_problems_are_listed_at_once() -> None:
    net, dem = two_route_case()
    bad = pd.DataFrame(
        [
            capacity_row("Z", "rail_section", 0.0, segment_ids="AB"),
            capacity_row("N", "rail_section", -5.0, segment_ids="AB"),
            capacity_row("K", "harbour", 100.0, place_ids="A"),
            {**capacity_row("S", "port", 100.0, place_ids="A"), "capacity_t_per_yr_source": ""},
        ]
    )
    with pytest.raises(NetworkValidationError) as err:
        build_freight_problem(net, dem, capacities=bad)
    rows = {(p.row_id, p.column) for p in err.value.problems}
    assert rows == {
        ("Z", "capacity_t_per_yr"),
        ("N", "capacity_t_per_yr"),
        ("K", "kind"),
        ("S", "capacity_t_per_yr_source"),
    }
    assert "must be > 0" in str(err.value)


def test_shadow_price_is_the_saving_of_one_more_tonne_of_capacity() -> None:
    # -d(total generalized cost)/dC at fixed flows, by central difference
    net, dem = two_route_case(batch_t=50.0)
    res = assign_flows(net, dem, gap=1e-12)
    p = res.problem
    load = res.state.load
    vot = 0.1

    def delay_cost(cap: float) -> float:
        kappa = 8.0 * 50.0 / cap
        return float(vot * load[0] * akcelik_delay_h(load[0] / cap, kappa=kappa))

    c = float(p.delay.capacity_t_per_yr[0])
    h = 1e-3
    want = -(delay_cost(c + h) - delay_cost(c - h)) / (2 * h)
    assert res.elements["shadow_price_usd_per_t"].iloc[0] == pytest.approx(want, rel=1e-5)
