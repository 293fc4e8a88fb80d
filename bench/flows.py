"""Benchmark: the 2024 freight baseline on the default network to a relative gap of 1e-6.

Two parts, in the same run:

1. **The model as shipped**: every cargo class of the baseline, the capacity elements of the
   ``capacities`` table (ports and groups span several edges), Akçelik's delay; corridor's
   biconjugate Frank–Wolfe (:func:`corridor.flows.solve_flows`). Reports the build time, the
   median solve time over ``--repeats`` and the ratio to one all-or-nothing loading of the
   same problem (corridor's own step).
2. **Peer on the same expanded graph**: AequilibraE 1.7.2 cannot share one capacity over
   several edges or classes, so both solvers get a reduced problem that it can hold: the
   baseline's dominant class (bulk) on its expanded graph exported as an AequilibraE
   network (zones first, centroid flows blocked), one capacity per edge (the smallest of
   the edge's elements) and the additive Akçelik VDF in both (AequilibraE's ``akcelik``:
   ``t0 + length alpha (z + sqrt(z^2 + tau x / c))``, length 1, ``alpha = T / 4``,
   ``tau = kappa c``).
   Runs alternate corridor / AequilibraE; medians and the ratio are printed, and the gap of
   both solutions is recomputed by corridor's routine.

Usage::

    .venv/bin/python bench/flows.py --repeats 5 [--no-aeq]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from corridor.flows import build_freight_problem, load_baseline, solve_flows
from corridor.flows.delay import DelayModel
from corridor.flows.problem import FreightProblem
from corridor.flows.solve import _Solver
from corridor.network.default import load_default


def _load() -> float:
    return os.getloadavg()[0]


def one_class_per_edge(problem: FreightProblem) -> FreightProblem:
    """The first class alone, each capacity on its own edges (the smallest per edge)."""
    b = problem.classes[0]
    m = b.n_edges
    assert b.offset == 0
    cap = np.full(m, np.inf)
    kappa = np.zeros(m)
    d = problem.delay
    for j in range(len(problem.elements)):
        mem = problem.elem_member[problem.elem_ptr[j] : problem.elem_ptr[j + 1]]
        mem = mem[mem < m]
        better = d.capacity_t_per_yr[j] < cap[mem]
        cap[mem[better]] = d.capacity_t_per_yr[j]
        kappa[mem[better]] = d.kappa[j]
    edges = np.flatnonzero(np.isfinite(cap))
    od = problem.od[problem.od["cls"] == 0].reset_index(drop=True)
    return replace(
        problem,
        classes=(b,),
        n_edges=m,
        tail=problem.tail[:m],
        head=problem.head[:m],
        base_cost_h=problem.base_cost_h[:m],
        time_h=problem.time_h[:m],
        cost_usd_per_t=problem.cost_usd_per_t[:m],
        co2e_kg_per_t=problem.co2e_kg_per_t[:m],
        length_km=problem.length_km[:m],
        edge_class=problem.edge_class[:m],
        elements=tuple(problem.elements[:0]),
        elem_ptr=np.arange(edges.size + 1, dtype=np.int64),
        elem_member=edges.astype(np.int64),
        delay=DelayModel(cap[edges], kappa[edges], np.full(edges.size, d.period_h[0])),
        od=od,
        od_rows=np.zeros(0, dtype=np.int64),
    )


def aequilibrae_run(
    problem: FreightProblem, gap: float, max_iter: int = 5000
) -> tuple[float, int, float, np.ndarray]:
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    b = problem.classes[0]
    m = problem.n_edges
    cap = np.full(m, 1e15)
    tau = np.zeros(m)
    alpha = np.zeros(m)
    mem = problem.elem_member
    cap[mem] = problem.delay.capacity_t_per_yr
    tau[mem] = problem.delay.kappa * problem.delay.capacity_t_per_yr
    alpha[mem] = problem.delay.period_h / 4.0
    df = pd.DataFrame(
        {
            "link_id": np.arange(1, m + 1),
            "a_node": problem.tail + 1,
            "b_node": problem.head + 1,
            "direction": 1,
            # AequilibraE refuses zero free-flow times (zone connectors cost 0 here)
            "fftime": np.maximum(problem.base_cost_h, 1e-6),
            "capacity": cap,
            "alpha": alpha,
            "tau": tau,
            "length": 1.0,  # AequilibraE 1.7.2 scales the delay by a length field
        }
    )
    nz = len(b.zones)
    centroids = np.arange(1, nz + 1, dtype=np.int64)
    g = Graph()
    g.network = df
    g.mode = "c"
    g.network_ok = True
    g.status = "OK"
    g.prepare_graph(centroids)
    g.set_graph("fftime")
    g.set_skimming(["fftime"])
    g.set_blocked_centroid_flows(True)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=nz, matrix_names=["matrix"], memory_only=True)
    mat.index[:] = centroids
    dense = np.zeros((nz, nz))
    od = problem.od
    dense[od["o"].to_numpy(), od["d"].to_numpy()] = od["tonnes_per_yr"].to_numpy()
    mat.matrix["matrix"][:, :] = dense
    mat.computational_view(["matrix"])
    t0 = time.perf_counter()
    tc = TrafficClass("bulk", g, mat)
    ta = TrafficAssignment()
    ta.set_classes([tc])
    ta.set_vdf("akcelik")
    ta.set_vdf_parameters({"alpha": "alpha", "tau": "tau", "length": "length"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("fftime")
    ta.set_algorithm("bfw")
    ta.set_cores(1)
    ta.max_iter = max_iter
    ta.rgap_target = gap
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        ta.execute()
    seconds = time.perf_counter() - t0
    res = ta.results().sort_index()
    col = [c for c in res.columns if c.lower().endswith("_ab") and "matrix" in c.lower()]
    report = ta.report()
    return (
        seconds,
        int(report["iteration"].max()),
        float(report["rgap"].iloc[-1]),
        res[col[0]].to_numpy(float),
    )


def recomputed_gap(problem: FreightProblem, edge_flow: np.ndarray) -> float:
    """The relative gap of edge flows by corridor's routine (single class)."""
    s = _Solver(problem)
    cost, _ = s.cost(edge_flow)
    sptt = s.load_aon(cost, np.zeros((problem.n_od, problem.n_edges)))
    return s.gap(edge_flow, cost, sptt)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--gap", type=float, default=1e-6)
    ap.add_argument("--no-aeq", action="store_true")
    ap.add_argument("--peer-gaps", type=float, nargs="+", default=[1e-4, 1e-5])
    ap.add_argument("--peer-repeats", type=int, default=1)
    ap.add_argument("--max-iter", type=int, default=5000)
    args = ap.parse_args()
    print(f"load average at start: {_load():.2f} (2 cores shared)", file=sys.stderr)
    net = load_default()
    demand = load_baseline()
    t0 = time.perf_counter()
    problem = build_freight_problem(net, demand)
    build_s = time.perf_counter() - t0
    solve_flows(problem, gap=1e-2)  # warm up: numba loads or compiles its kernels
    secs, its, gaps, aon = [], [], [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        st = solve_flows(problem, method="bfw", gap=args.gap)
        secs.append(time.perf_counter() - t0)
        its.append(st.iterations)
        gaps.append(st.relative_gap)
        t0 = time.perf_counter()
        solve_flows(problem, method="aon")
        aon.append(time.perf_counter() - t0)
    med, med_aon = statistics.median(secs), statistics.median(aon)
    print(
        f"1. baseline 2024, {len(problem.classes)} classes, {problem.n_od} OD pairs, "
        f"{problem.n_edges} edges, {len(problem.elements)} capacity elements"
    )
    print(f"   build {build_s:.2f} s (graphs, connectors, elements; once per network and demand)")
    print(
        f"   bfw to gap {args.gap:g}: median {med:.3f} s over {args.repeats} runs "
        f"({its[-1]} iterations, gap {gaps[-1]:.2e}); target <= 2 s: "
        f"{'met' if med <= 2.0 else 'NOT met'}"
    )
    print(
        f"   one all-or-nothing step (aon method): median {med_aon:.4f} s; "
        f"ratio {med / med_aon:.0f}"
    )
    if args.no_aeq:
        return 0
    try:
        import aequilibrae  # noqa: F401
    except ImportError:
        print("2. AequilibraE not installed (pip install aequilibrae==1.7.2): peer skipped")
        return 0
    reduced = one_class_per_edge(problem)
    solve_flows(reduced, gap=1e-2)
    print(
        f"2. peer on the same expanded graph (bulk alone, {reduced.n_od} OD pairs, "
        f"{reduced.n_edges} edges, capacity per edge, Akcelik VDF in both)"
    )
    for target in args.peer_gaps:
        ours, theirs, rows = [], [], []
        for _ in range(args.peer_repeats):  # alternate the peers run by run
            t0 = time.perf_counter()
            st = solve_flows(reduced, method="bfw", gap=target, max_iter=args.max_iter)
            ours.append(time.perf_counter() - t0)
            s, ait, agap, aflows = aequilibrae_run(reduced, target, args.max_iter)
            theirs.append(s)
            rows.append((st.iterations, st.relative_gap, ait, agap, aflows, st.edge_flow))
        it_c, g_c, it_a, g_a, flows_a, flows_c = rows[-1]
        mo, mt = statistics.median(ours), statistics.median(theirs)
        print(f"   target gap {target:g}, median of {args.peer_repeats} run(s):")
        print(
            f"     corridor bfw        {mo:8.3f} s, {it_c:5d} it., gap {g_c:.2e} "
            f"(recomputed {recomputed_gap(reduced, flows_c):.2e})"
        )
        print(
            f"     AequilibraE 1.7.2   {mt:8.3f} s, {it_a:5d} it., gap {g_a:.2e} "
            f"(recomputed {recomputed_gap(reduced, flows_a):.2e})"
        )
        rel = np.abs(flows_a - flows_c).sum() / max(np.abs(flows_c).sum(), 1e-300)
        print(
            f"     ratio corridor / AequilibraE {mo / mt:.4f}; per iteration "
            f"{(mo / max(it_c, 1)) / (mt / max(it_a, 1)):.4f}; flows differ by {rel:.1e} (L1)"
        )
    print(f"   load average at the end: {_load():.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
