"""Assignment on the freight network: the same expanded graph and costs as routing."""

from __future__ import annotations

import numpy as np
import pytest

import corridor
from corridor.assignment import assign, build_problem
from corridor.demand import Demand
from corridor.network.default import load_default
from corridor.routing import search_routes
from corridor.testing import ferry_network, gauge_network

PAIRS = [
    ("KZ_ALMATY", "IR_TEHRAN"),
    ("KZ_AKTAU", "IR_ANZALI"),
    ("UZ_TASHKENT", "IR_BANDAR_ABBAS"),
    ("RU_MOSCOW", "IR_BANDAR_ABBAS"),
]


@pytest.fixture(scope="module")
def default_net() -> corridor.Network:
    return load_default()


@pytest.mark.parametrize(("origin", "destination"), PAIRS)
def test_uncongested_assignment_cost_is_routing_cost(
    default_net: corridor.Network, origin: str, destination: str
) -> None:
    # One unit between one pair, far below every capacity: the equilibrium is the
    # cheapest path, so the total cost of the assignment is routing's generalized cost of
    # its best route for one unit (one graph, one cost model).
    demand = Demand.from_matrix([origin, destination], np.array([[0.0, 1.0], [0.0, 0.0]]))
    res = assign(default_net, demand, method="bfw", gap=1e-9)
    best = search_routes(default_net, origin, destination, objective="generalized", k=1)[0]
    assert float(res.flows @ res.costs) == pytest.approx(best.objective_value, rel=1e-9)


def test_flows_are_conserved_on_the_default_network(default_net: corridor.Network) -> None:
    zones = ["KZ_ALMATY", "IR_TEHRAN", "KZ_AKTAU", "UZ_TASHKENT"]
    rng = np.random.default_rng(5)
    mat = rng.uniform(10, 500, (4, 4))
    np.fill_diagonal(mat, 0.0)
    demand = Demand.from_matrix(zones, mat)
    p = build_problem(default_net, demand)
    res = assign(default_net, demand, method="bfw", gap=1e-6)
    net_out = np.zeros(p.n_nodes)
    np.add.at(net_out, p.tail, res.flows)
    np.add.at(net_out, p.head, -res.flows)
    # zones send their row sums and receive their column sums; other nodes balance
    want = np.zeros(p.n_nodes)
    want[: p.n_zones] = p.demand.sum(axis=1) - p.demand.sum(axis=0)
    np.testing.assert_allclose(net_out, want, atol=1e-6 * mat.sum())
    assert set(np.unique(p.edge[p.edge >= 0])) <= set(range(p.n_links))


def test_capacity_diverts_flow_on_a_tiny_freight_network() -> None:
    # gauge network A-B: rail via G (13 h + 50 USD transfer, 200 + 180 USD of rail) or
    # road (15 h, 1800 USD). With the rail edge A-G capacitated at 10 units/yr (200 t/yr
    # at 20 t per FEU) and 1000 units of demand, congestion pushes some flow onto the road.
    net = gauge_network()
    links = net.links.assign(
        capacity_t_per_yr=np.where(net.links["link_id"] == "AG_ab", 200, np.nan)
    )
    net = net.replace(links=links)
    demand = Demand.from_matrix(["A", "B"], np.array([[0.0, 1000.0], [0.0, 0.0]]))
    p = build_problem(net, demand)
    res = assign(net, demand, method="bfw", gap=1e-10, max_iter=5000)
    graph = corridor.graph.build_graph(net, cargo="container")
    road = [i for i, e in enumerate(p.edge) if e >= 0 and graph.edge_kind[e] == 0
            and graph.modes.names[graph.edge_from_mode[e]] == "road"
            and graph.place_ids[graph.edge_from_place[e]] == "A"]  # fmt: skip
    rail = [i for i, e in enumerate(p.edge) if e >= 0 and graph.link_ids[graph.edge_ref[e]]
            == "AG_ab" and graph.edge_kind[e] == 0]  # fmt: skip
    v_road, v_rail = float(res.flows[road].sum()), float(res.flows[rail].sum())
    assert v_road + v_rail == pytest.approx(1000.0)
    assert 0.0 < v_road < 1000.0
    # at equilibrium both used routes cost the same (per unit)
    c_road = float(res.costs[road].sum())
    rail_path = [i for i, e in enumerate(p.edge) if e >= 0 and res.flows[i] > 1e-6
                 and graph.modes.names[graph.edge_from_mode[e]] != "road"]  # fmt: skip
    c_rail = float(res.costs[rail_path].sum())
    assert c_rail == pytest.approx(c_road, rel=1e-6)


def test_ferry_network_assigns_through_its_port_transfers() -> None:
    net = ferry_network()
    demand = Demand.from_matrix(["A", "B"], np.array([[0.0, 3.0], [0.0, 0.0]]))
    res = assign(net, demand, method="aon")
    best = search_routes(net, "A", "B", objective="generalized", k=1)[0]
    assert float(res.flows @ res.costs) == pytest.approx(3 * best.objective_value)
