"""Kernels against slow references: networkx shortest paths, numeric derivatives/integrals."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.assignment import _kernels as kern
from corridor.graph.csr import build_csr


def random_graph(seed: int, n: int = 12, extra: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """A strongly connected digraph: a ring both ways, links between each of the first 5
    nodes (zones) and the hub n - 1, and random extra links (parallel links allowed)."""
    rng = np.random.default_rng(seed)
    ring = np.arange(n)
    zones = np.arange(5)
    hub = np.full(5, n - 1)
    tail = np.concatenate([ring, (ring + 1) % n, zones, hub, rng.integers(0, n, extra)])
    head = np.concatenate([(ring + 1) % n, ring, hub, zones, rng.integers(0, n, extra)])
    keep = tail != head
    return tail[keep].astype(np.int64), head[keep].astype(np.int64)


def nx_aon(
    n: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray, demand: np.ndarray, ftn: int
) -> np.ndarray:
    """Slow reference: load each OD pair along networkx's shortest path."""
    flow = np.zeros(len(tail))
    nz = demand.shape[0]
    for o in range(nz):
        g = nx.MultiDiGraph()
        g.add_nodes_from(range(n))
        for a, (u, v) in enumerate(zip(tail.tolist(), head.tolist(), strict=True)):
            if u < ftn and u != o:
                continue  # cannot leave a blocked zone other than the origin
            g.add_edge(u, v, key=a, w=cost[a])
        _, paths = nx.single_source_dijkstra(g, o, weight="w")
        for d in range(nz):
            if d == o or demand[o, d] == 0:
                continue
            nodes = paths[d]
            for u, v in itertools.pairwise(nodes):
                best = min(g[u][v], key=lambda k, u=u, v=v: g[u][v][k]["w"])
                flow[best] += demand[o, d]
    return flow


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("ftn", [0, 3])
def test_aon_matches_networkx(seed: int, ftn: int) -> None:
    print(f"seed={seed} ftn={ftn}")
    n = 12
    tail, head = random_graph(seed, n)
    rng = np.random.default_rng(1000 + seed)
    cost = rng.uniform(0.1, 10.0, len(tail))  # continuous costs: ties have probability 0
    nz = 5
    demand = rng.uniform(0, 100, (nz, nz)) * (rng.random((nz, nz)) < 0.7)
    np.fill_diagonal(demand, 0.0)
    ip, hd, lk = build_csr(n, tail, head)
    for chunks in (1, 2):
        flow, sptt, lost = kern.all_or_nothing(ip, hd, lk, tail, cost, demand, ftn, chunks)
        np.testing.assert_allclose(flow, nx_aon(n, tail, head, cost, demand, ftn), atol=1e-9)
        assert lost == 0.0
        assert sptt == pytest.approx(float(flow @ cost))


def test_first_thru_node_blocks_passing_through_zones() -> None:
    # 0 -> 1 -> 2 is cheap but passes through zone 1; 0 -> 3 -> 2 is dearer
    tail = np.array([0, 1, 0, 3])
    head = np.array([1, 2, 3, 2])
    cost = np.array([1.0, 1.0, 5.0, 5.0])
    ip, hd, lk = build_csr(4, tail, head)
    d_free, _ = kern.shortest_path_tree(0, ip, hd, lk, cost, 0)
    d_block, pred = kern.shortest_path_tree(0, ip, hd, lk, cost, 2)
    assert d_free.tolist() == [0.0, 1.0, 2.0, 5.0]
    assert d_block.tolist() == [0.0, 1.0, 10.0, 5.0]
    assert pred[2] == 3


def test_unreachable_demand_is_reported() -> None:
    tail = np.array([0])
    head = np.array([1])
    ip, hd, lk = build_csr(2, tail, head)
    demand = np.array([[0.0, 1.0], [2.0, 0.0]])
    flow, _, lost = kern.all_or_nothing(ip, hd, lk, tail, np.ones(1), demand, 0, 1)
    assert flow.tolist() == [1.0]
    assert lost == 2.0


@pytest.mark.parametrize("vdf", [0, 1])
@given(
    v=st.floats(1.0, 3000.0),
    fft=st.floats(0.01, 20.0),
    alpha=st.floats(0.01, 2.0),
    beta=st.floats(1.5, 6.0),
    cap=st.floats(50.0, 2000.0),
)
@settings(max_examples=60, deadline=None)
def test_vdf_derivative_and_integral(
    vdf: int, v: float, fft: float, alpha: float, beta: float, cap: float
) -> None:
    a = [np.array([x]) for x in (fft, alpha, beta, cap)]
    fixed = np.array([0.3])

    def cost(x: float) -> float:
        out = np.empty(1)
        kern.link_cost(vdf, *a, fixed, np.array([x]), out)
        return float(out[0])

    h = 1e-3 * max(1.0, v)
    lo = max(v - h, 0.0)
    deriv = np.empty(1)
    kern.link_cost_derivative(vdf, *a, np.array([v]), deriv)
    numeric = (cost(v + h) - cost(lo)) / (v + h - lo)
    assert deriv[0] == pytest.approx(numeric, rel=1e-3, abs=1e-5)
    # integral by Simpson's rule on a fine grid
    xs = np.linspace(0.0, v, 2001)
    ys = np.array([cost(x) for x in xs])
    simpson = (xs[1] - xs[0]) / 3 * (ys[0] + ys[-1] + 4 * ys[1:-1:2].sum() + 2 * ys[2:-1:2].sum())
    got = kern.beckmann(vdf, *a, fixed, np.array([v]))
    assert got == pytest.approx(simpson, rel=1e-6, abs=1e-9)


def test_conical_free_flow_and_capacity_values() -> None:
    # Spiess (1990): f(0) = 1 and f(1) = 2 for every alpha > 1
    one = np.ones(1)
    out = np.empty(1)
    for alpha in (1.5, 4.0, 9.0):
        for x, expected in ((0.0, 1.0), (1.0, 2.0)):
            kern.link_cost(1, one, one, alpha * one, one, 0 * one, x * one, out)
            assert out[0] == pytest.approx(expected)


def test_line_search_finds_the_known_step() -> None:
    # two-route problem linearised: all on route A (x) towards all on route B (y)
    fft = np.array([10.0, 4.0, 4.0])
    cap = np.array([10.0, 8.0, 8.0])
    alpha = np.ones(3)
    beta = np.ones(3)
    x = np.array([10.0, 0.0, 0.0])
    d = np.array([-10.0, 10.0, 10.0])
    s = kern.line_search(0, fft, alpha, beta, cap, np.zeros(3), x, d)
    assert s == pytest.approx(0.6)  # equilibrium vA = 4
