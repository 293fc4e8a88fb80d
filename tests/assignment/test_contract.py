"""Graph contraction and threaded loading: same flows as the full graph, same as serial."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.assignment.assign import solve
from corridor.assignment.contract import contract
from corridor.assignment.problem import AssignmentProblem


def test_chain_and_dead_end_by_hand() -> None:
    # zones 0, 1; two-way chain 0 <-> 2 <-> 3 <-> 1; dead end 3 <-> 4 -> 5 (one way in)
    tail = np.array([0, 2, 2, 3, 3, 1, 3, 4, 4, 0])
    head = np.array([2, 0, 3, 2, 1, 3, 4, 3, 5, 0])
    c = contract(6, 2, tail, head)
    assert c.n_nodes == 2
    assert sorted(zip(c.tail.tolist(), c.head.tolist(), strict=True)) == [(0, 1), (1, 0)]
    fwd = c.link_map[0]
    assert c.link_map[[0, 2, 4]].tolist() == [fwd] * 3  # 0 -> 2 -> 3 -> 1
    assert c.link_map[[5, 3, 1]].tolist() == [1 - fwd] * 3  # 1 -> 3 -> 2 -> 0
    assert c.link_map[[6, 7, 8, 9]].tolist() == [-1] * 4  # dead end and self-loop
    np.testing.assert_array_equal(
        c.member_link[c.member_ptr[fwd] : c.member_ptr[fwd + 1]], [0, 2, 4]
    )
    assert c.link_values(np.arange(10.0))[fwd] == 0 + 2 + 4


def test_zones_are_never_contracted() -> None:
    # ring 0 -> 1 -> 2 -> 0: zone 1 is on a chain but stays; junction 2 is passed through
    c = contract(3, 2, np.array([0, 1, 2]), np.array([1, 2, 0]))
    assert c.n_nodes == 2
    assert c.node_map.tolist() == [0, 1, -1]
    assert c.link_map.tolist() == [0, 1, 1]


def random_problem(seed: int, n: int, n_zones: int, ftn: int) -> AssignmentProblem:
    """A sparse road-like random graph: zones 0..n_zones-1 joined both ways to one or two
    junctions of a ring (one way round, mostly two-way), chords (some two-way), pendant dead
    ends; continuous random parameters (ties have probability 0)."""
    rng = np.random.default_rng(seed)
    z = n_zones
    ring = [z + i for i in range(n)]
    pairs = [(ring[i], ring[(i + 1) % n]) for i in range(n)]
    pairs += [(ring[(i + 1) % n], ring[i]) for i in range(n) if rng.random() < 0.8]
    for _ in range(n // 3):
        a, b = (int(x) for x in rng.choice(ring, 2))
        pairs.append((a, b))
        if rng.random() < 0.5:
            pairs.append((b, a))
    for zone in range(z):
        for j in rng.choice(ring, int(rng.integers(1, 3)), replace=False):
            pairs += [(zone, int(j)), (int(j), zone)]
    extra = z + n
    for k in range(n // 4):  # dead ends hanging off random junctions
        host = int(rng.choice(ring))
        pairs += [(host, extra + k), (extra + k, host)]
    n_all = extra + n // 4
    tail = np.array([p[0] for p in pairs], dtype=np.int64)
    head = np.array([p[1] for p in pairs], dtype=np.int64)
    m = tail.size
    demand = rng.uniform(0.0, 50.0, (z, z)) * (rng.random((z, z)) < 0.8)
    np.fill_diagonal(demand, 0.0)
    return AssignmentProblem(
        n_nodes=n_all, n_zones=z, first_thru_node=ftn, tail=tail, head=head,
        free_flow_time=rng.uniform(0.5, 5.0, m), capacity=rng.uniform(20.0, 200.0, m),
        alpha=rng.uniform(0.1, 1.0, m), beta=rng.uniform(1.0, 5.0, m),
        fixed_cost=rng.uniform(0.0, 1.0, m) * (rng.random(m) < 0.3), demand=demand,
    )  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(8, 40), blocked=st.booleans())
def test_contracted_graph_gives_the_full_graphs_flows(seed: int, n: int, blocked: bool) -> None:
    print(f"seed={seed} n={n} blocked={blocked}")
    n_zones = 4
    p = random_problem(seed, n, n_zones, n_zones if blocked else 0)
    c = contract(p.n_nodes, n_zones, p.tail, p.head)
    assert c.n_links <= p.n_links
    for method in ("aon", "msa", "bfw"):
        # a fixed number of iterations: the same AoN trees, so the same flows up to rounding
        full = solve(p, method=method, gap=0.0, max_iter=12, contract=False)
        small = solve(p, method=method, gap=0.0, max_iter=12)
        scale = max(1.0, float(np.abs(full.flows).max()))
        np.testing.assert_allclose(small.flows, full.flows, rtol=0, atol=1e-9 * scale)
    full = solve(p, method="bush", gap=1e-12, max_iter=300, contract=False)
    small = solve(p, method="bush", gap=1e-12, max_iter=300)
    # strictly increasing costs: the equilibrium link flows are unique
    np.testing.assert_allclose(small.flows, full.flows, rtol=0, atol=1e-6 * scale)


def test_contraction_removes_most_of_a_chain_heavy_graph() -> None:
    p = random_problem(3, 60, 4, 0)
    c = contract(p.n_nodes, 4, p.tail, p.head)
    assert c.n_nodes < p.n_nodes
    assert c.n_links < p.n_links


# ---------------------------------------------------------------------- threads
def test_threads_change_flows_only_by_rounding() -> None:
    p = random_problem(11, 120, 12, 0)
    one = solve(p, method="bfw", gap=0.0, max_iter=30, threads=1)
    for t in (2, 3):
        many = solve(p, method="bfw", gap=0.0, max_iter=30, threads=t)
        # measured: 4e-12 (2 threads) and 2e-11 (3) relative; room left for other machines
        np.testing.assert_allclose(many.flows, one.flows, rtol=1e-9, atol=1e-9)
        assert many.relative_gap == pytest.approx(one.relative_gap, rel=1e-6)


@pytest.mark.parametrize("threads", [1, 2])
def test_two_assignments_in_two_threads_give_the_serial_results(threads: int) -> None:
    problems = [random_problem(21, 90, 10, 0), random_problem(22, 70, 8, 8)]
    methods = ["bfw", "bush"]
    serial = [
        solve(p, method=m, gap=1e-9, max_iter=400, threads=threads)
        for p, m in zip(problems, methods, strict=True)
    ]
    results: list[object] = [None, None]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(i: int) -> None:
        try:
            start.wait()
            for _ in range(3):  # long enough to overlap
                results[i] = solve(
                    problems[i], method=methods[i], gap=1e-9, max_iter=400, threads=threads
                )
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    for ser, conc in zip(serial, results, strict=True):
        assert conc is not None
        tol = 0.0 if threads == 1 else 1e-9  # one thread: the very same additions
        np.testing.assert_allclose(conc.flows, ser.flows, rtol=tol, atol=tol)  # type: ignore[attr-defined]
