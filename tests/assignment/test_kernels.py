"""Kernels against slow references: networkx shortest paths, numeric derivatives/integrals."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.assignment import _kernels as kern
from corridor.assignment import vdf as vdfs
from corridor.assignment.contract import contract
from corridor.assignment.loading import Loader
from corridor.assignment.problem import AssignmentProblem
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
    expected = nx_aon(n, tail, head, cost, demand, ftn)
    p = _problem(n, tail, head, demand, ftn)
    for threads in (1, 2, 3):
        for full in (True, False):  # the full graph and the contracted one
            c = contract(n, max(nz, ftn), tail, head) if not full else _identity(n, tail, head)
            with Loader(p, threads, contraction=c) as loader:
                flow, sptt, lost = loader.load(cost)
                sptt_only, lost_only = loader.shortest_total(cost)
            np.testing.assert_allclose(flow, expected, atol=1e-9)
            assert lost == lost_only == 0.0
            assert sptt == pytest.approx(float(flow @ cost))
            assert sptt_only == pytest.approx(sptt)


def _problem(
    n: int, tail: np.ndarray, head: np.ndarray, demand: np.ndarray, ftn: int
) -> AssignmentProblem:
    m = len(tail)
    return AssignmentProblem(
        n_nodes=n, n_zones=demand.shape[0], first_thru_node=ftn, tail=tail, head=head,
        free_flow_time=np.ones(m), capacity=np.ones(m), alpha=np.zeros(m),
        beta=np.ones(m), fixed_cost=np.zeros(m), demand=demand,
    )  # fmt: skip


def _identity(n: int, tail: np.ndarray, head: np.ndarray):  # type: ignore[no-untyped-def]
    from corridor.assignment.contract import no_contraction

    return no_contraction(n, tail, head)


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
    demand = np.array([[0.0, 1.0], [2.0, 0.0]])
    for threads in (1, 2):
        with Loader(_problem(2, tail, head, demand, 0), threads) as loader:
            flow, _, lost = loader.load(np.ones(1))
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
        vdfs.link_costs(vdf, *a, fixed, np.array([x]), out)
        return float(out[0])

    h = 1e-3 * max(1.0, v)
    lo = max(v - h, 0.0)
    deriv = np.empty(1)
    vdfs.link_derivatives(vdf, *a, np.array([v]), deriv)
    numeric = (cost(v + h) - cost(lo)) / (v + h - lo)
    assert deriv[0] == pytest.approx(numeric, rel=1e-3, abs=1e-5)
    # integral by Simpson's rule on a fine grid
    xs = np.linspace(0.0, v, 2001)
    ys = np.array([cost(x) for x in xs])
    simpson = (xs[1] - xs[0]) / 3 * (ys[0] + ys[-1] + 4 * ys[1:-1:2].sum() + 2 * ys[2:-1:2].sum())
    got = vdfs.beckmann(vdf, *a, fixed, np.array([v]))
    assert got == pytest.approx(simpson, rel=1e-6, abs=1e-9)


def test_conical_free_flow_and_capacity_values() -> None:
    # Spiess (1990): f(0) = 1 and f(1) = 2 for every alpha > 1
    one = np.ones(1)
    out = np.empty(1)
    for alpha in (1.5, 4.0, 9.0):
        for x, expected in ((0.0, 1.0), (1.0, 2.0)):
            vdfs.link_costs(1, one, one, alpha * one, one, 0 * one, x * one, out)
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


@pytest.mark.parametrize(
    ("beta", "expected"),
    [(0.5, 0.0), (1.0, 10 * 0.15 / 100), (2.0, 0.0), (4.0, 0.0), (0.0, 0.0)],
)
def test_bpr_at_zero_flow_follows_the_one_convention(beta: float, expected: float) -> None:
    # cost t0 + fixed; derivative the finite right derivative, 0.0 where it is infinite
    one = np.ones(1)
    args = (10 * one, 0.15 * one, beta * one, 100 * one)
    cost, der = np.empty(1), np.empty(1)
    vdfs.link_costs(vdfs.BPR, *args, 2 * one, np.zeros(1), cost)
    vdfs.link_derivatives(vdfs.BPR, *args, np.zeros(1), der)
    assert cost[0] == 12.0
    assert der[0] == pytest.approx(expected, abs=0.0)
    # the bush evaluates the same functions (contracted links add their members up)
    from corridor.assignment._bush_kernels import update_costs

    c2, d2 = np.empty(1), np.empty(1)
    ptr, mem = np.array([0, 1]), np.array([0])
    update_costs(np.zeros(1), ptr, mem, vdfs.BPR, *args, 2 * one, c2, d2)
    assert (c2[0], d2[0]) == (cost[0], der[0])


def test_vdf_names_have_one_table() -> None:
    assert vdfs.VDF_CODES == {"bpr": vdfs.BPR, "conical": vdfs.CONICAL}
    with pytest.raises(vdfs.InputError, match="allowed: bpr, conical") as err:
        vdfs.vdf_code("davidson")
    assert err.value.argument == "vdf"
    assert err.value.allowed == ("bpr", "conical")
    with pytest.raises(vdfs.InputError, match="beta"):
        vdfs.vdf_code("conical", np.array([2.0, 1.0]))


@pytest.mark.parametrize("beta", [1.0, 2.5, 4.0])
def test_power_four_shortcut_matches_pow(beta: float) -> None:
    one = np.ones(1)
    x = np.linspace(0.01, 3.0, 50)
    out = np.empty(50)
    vdfs.link_costs(vdfs.BPR, 10 * np.ones(50), 0.15 * np.ones(50), beta * np.ones(50),
                    np.ones(50), np.zeros(50), x, out)  # fmt: skip
    np.testing.assert_allclose(out, 10 * (1 + 0.15 * x**beta), rtol=1e-14)
    del one
