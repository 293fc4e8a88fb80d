"""Invariants: every OD pair's tonnes leave its origin and reach its destination."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.demand.freight import FreightDemand
from corridor.errors import NoRouteError
from corridor.flows import assign_flows
from corridor.testing import capacity_row, random_multimodal_network

CHECKED: list[int] = []


def _reachable(net, cargo: str) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Place pairs with a path in the cargo's expanded graph (networkx as the oracle)."""
    import networkx as nx

    from corridor.graph import build_graph

    g = build_graph(net, cargo=cargo)
    ok = np.isfinite(g.cost_usd) & np.isfinite(g.time_h)
    dg = nx.DiGraph()
    dg.add_edges_from(zip(g.tail[ok].tolist(), g.head[ok].tolist(), strict=True))
    out = set()
    for pid, row in g.place_row.items():
        for node in g.layers(row).tolist():
            if node not in dg:
                continue
            for other in nx.descendants(dg, node):
                if g.node_mode[other] >= 0:
                    out.add((pid, g.place_ids[int(g.node_place[other])]))
    return out


def _check_conservation(res) -> None:  # type: ignore[no-untyped-def]
    p, s = res.problem, res.state
    for i, row in enumerate(p.od.itertuples()):
        b = p.classes[row.cls]
        lo, hi = b.offset, b.offset + b.n_edges
        x = s.od_flow[i, lo:hi]
        assert np.all(s.od_flow[i, :lo] == 0)
        assert np.all(s.od_flow[i, hi:] == 0)
        tail = p.tail[lo:hi]
        head = np.empty(b.n_edges, dtype=np.int64)
        head[b.adj_edge - lo] = b.adj_head
        net_out = np.zeros(b.n_nodes)
        np.add.at(net_out, tail, x)
        np.add.at(net_out, head, -x)
        want = np.zeros(b.n_nodes)
        want[row.o] += row.tonnes_per_yr
        want[row.d] -= row.tonnes_per_yr
        np.testing.assert_allclose(net_out, want, atol=1e-7 * row.tonnes_per_yr)
    np.testing.assert_allclose(s.edge_flow, s.od_flow.sum(axis=0))
    total = float(p.od["tonnes_per_yr"].sum())
    assert res.totals["assigned_t"] == total


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_pairs=st.integers(1, 4),
    method=st.sampled_from(["bfw", "fw", "logit"]),
)
def test_each_od_pair_is_conserved_on_random_networks(seed: int, n_pairs: int, method: str) -> None:
    net = random_multimodal_network(seed, 7, 24)
    rng = np.random.default_rng(seed)
    open_ = net.places[net.places["status"].astype(str) != "planned"]
    places = open_["place_id"].astype(str).tolist()
    rows = []
    for k in range(n_pairs):
        cargo = str(rng.choice(["bulk", "container_40ft"]))
        reach = _reachable(net, cargo)
        pairs = [(o, d) for o in places for d in places if o != d and (o, d) in reach]
        if not pairs:
            continue
        o, d = pairs[int(rng.integers(len(pairs)))]
        rows.append(
            {
                "row_id": f"r{k}",
                "origin": o,
                "destination": d,
                "commodity_group": "goods",
                "cargo_class": cargo,
                "tonnes_per_yr": float(rng.uniform(100, 5000)),
            }
        )
    if not rows:
        return
    caps = pd.DataFrame(
        [
            capacity_row(f"C{k}", "port", float(rng.uniform(50, 3000)), place_ids=places[k])
            for k in range(3)
        ]
    )
    params = dict(net.parameters)
    params["capacities"] = caps
    net = net.replace(parameters=params)
    demand = FreightDemand.from_records(rows)
    try:
        res = assign_flows(
            net, demand, method=method, gap=1e-6, max_iter=300, logit_scale_usd_per_t=100.0
        )
    except NoRouteError:
        return
    _check_conservation(res)
    CHECKED.append(seed)


def test_enough_random_cases_were_checked() -> None:
    # the property test skips pairs without a route; it must have checked some cases
    if not CHECKED:
        test_each_od_pair_is_conserved_on_random_networks()
    assert len(CHECKED) >= 5, f"only {len(CHECKED)} random cases had routes"
