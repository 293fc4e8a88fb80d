"""Benchmark: corridor vs AequilibraE 1.7.2 on Chicago-Sketch (TNTP), in the same run.

Prints, for each solver, the wall time to reach a relative gap of 1e-4 and 1e-5 (median over
``--repeats``), the ratios corridor / AequilibraE, and the relative gap of every solution
recomputed by corridor's own routine (same definition for both: (TSTT - SPTT) / TSTT with
generalized cost time + 0.02 * toll + 0.04 * length).

Usage::

    PYTHONPATH=src .venv/bin/python bench/assignment.py --repeats 3 [--threads 1] [--no-bush]

Needs the ``bench`` extra (``pip install aequilibrae==1.7.2``) and ``../shared/tntp``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.assignment.assign import assign, relative_gap
from corridor.assignment.problem import build_problem
from corridor.network.tntp import read_tntp_network, read_tntp_trips

TOLL_FACTOR = 0.02  # minutes per cent (Chicago-Sketch README)
DISTANCE_FACTOR = 0.04  # minutes per mile (Chicago-Sketch README)


def tntp_root() -> Path:
    env = os.environ.get("CORRIDOR_TNTP")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[1]
    for cand in (here.parent / "shared" / "tntp", here.parent.parent / "shared" / "tntp"):
        if cand.is_dir():
            return cand
    raise SystemExit("TNTP networks not found; set CORRIDOR_TNTP")


def aequilibrae_setup(network, demand):  # type: ignore[no-untyped-def]
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph

    links = network.links
    df = pd.DataFrame(
        {
            "link_id": np.arange(1, len(links) + 1),
            "a_node": links["from_id"].astype(int).to_numpy(),
            "b_node": links["to_id"].astype(int).to_numpy(),
            "direction": 1,
            # AequilibraE refuses zero free-flow times (Chicago-Sketch connectors have 0):
            # give those links 1e-6 min, a change far below the gaps measured here
            "free_flow_time": np.maximum(links["free_flow_time"].to_numpy(float), 1e-6),
            "capacity": links["capacity"].to_numpy(float),
            "b": links["b"].to_numpy(float),
            "power": links["power"].to_numpy(float),
            "gen_fixed": TOLL_FACTOR * links["toll"].to_numpy(float)
            + DISTANCE_FACTOR * links["length"].to_numpy(float),
        }
    )
    centroids = np.array([int(z) for z in demand.zones], dtype=np.int64)
    g = Graph()
    g.network = df
    g.mode = "c"
    g.network_ok = True
    g.status = "OK"
    g.prepare_graph(centroids)
    g.set_graph("free_flow_time")
    g.set_skimming(["free_flow_time"])
    g.set_blocked_centroid_flows(int(network.metadata["first_thru_node"]) > 1)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=len(centroids), matrix_names=["matrix"], memory_only=True)
    mat.index[:] = centroids
    mat.matrix["matrix"][:, :] = demand.matrix
    mat.computational_view(["matrix"])
    return g, mat


def aequilibrae_run(g, mat, algorithm: str, gap: float, cores: int):  # type: ignore[no-untyped-def]
    from aequilibrae.paths import TrafficAssignment, TrafficClass

    t0 = time.perf_counter()
    tc = TrafficClass("car", g, mat)
    tc.set_fixed_cost("gen_fixed", 1.0)
    tc.set_vot(1.0)
    ta = TrafficAssignment()
    ta.set_classes([tc])
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm(algorithm)
    ta.set_cores(cores)
    ta.max_iter = 2000
    ta.rgap_target = gap
    with contextlib.redirect_stderr(io.StringIO()):  # AequilibraE's progress bars
        ta.execute()
    seconds = time.perf_counter() - t0
    res = ta.results()
    col = [c for c in res.columns if c.lower().endswith("_ab") and "matrix" in c.lower()]
    flows = res.sort_index()[col[0]].to_numpy(float)
    report = ta.report()
    return seconds, int(report["iteration"].max()), float(report["rgap"].iloc[-1]), flows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="corridor threads (default auto)")
    ap.add_argument("--aeq-cores", type=int, default=1)
    ap.add_argument("--no-bush", action="store_true")
    ap.add_argument("--no-aeq", action="store_true")
    ap.add_argument("--gaps", type=float, nargs="+", default=[1e-4, 1e-5])
    ap.add_argument("--methods", nargs="+", default=["bfw", "cfw"], choices=["bfw", "cfw"])
    args = ap.parse_args()

    base = tntp_root() / "Chicago-Sketch" / "ChicagoSketch"
    network = read_tntp_network(f"{base}_net.tntp")
    demand = read_tntp_trips(f"{base}_trips.tntp")
    problem = build_problem(
        network, demand, toll_factor=TOLL_FACTOR, distance_factor=DISTANCE_FACTOR
    )
    kw = {"toll_factor": TOLL_FACTOR, "distance_factor": DISTANCE_FACTOR, "threads": args.threads}
    # warm up: numba compiles (or loads its cache) outside the timed runs
    for m in args.methods:
        assign(network, demand, method=m, gap=1e-2, **kw)
    rows: list[dict[str, object]] = []
    times: dict[tuple[str, float], float] = {}
    for gap in args.gaps:
        for method in args.methods:
            secs, its, own, objs = [], [], [], []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                r = assign(network, demand, method=method, gap=gap, max_iter=2000, **kw)
                secs.append(time.perf_counter() - t0)
                its.append(r.iterations)
                own.append(r.relative_gap)
                objs.append(r.objective)
            check = relative_gap(problem, r.flows)
            times[("corridor " + method, gap)] = statistics.median(secs)
            rows.append(
                {"solver": "corridor", "method": method, "target": gap,
                 "seconds": statistics.median(secs), "iterations": its[-1],
                 "own_gap": own[-1], "gap_recomputed": check}
            )  # fmt: skip
            print(rows[-1], file=sys.stderr)
            if not args.no_aeq:
                g, mat = aequilibrae_setup(network, demand)
                asecs = []
                for _ in range(args.repeats):
                    s, ait, agap, aflows = aequilibrae_run(g, mat, method, gap, args.aeq_cores)
                    asecs.append(s)
                times[("aequilibrae " + method, gap)] = statistics.median(asecs)
                rows.append(
                    {"solver": "aequilibrae 1.7.2", "method": method, "target": gap,
                     "seconds": statistics.median(asecs), "iterations": ait,
                     "own_gap": agap, "gap_recomputed": relative_gap(problem, aflows)}
                )  # fmt: skip
                print(rows[-1], file=sys.stderr)
    if not args.no_bush:
        try:
            secs = []
            for _ in range(max(1, args.repeats)):
                t0 = time.perf_counter()
                r = assign(network, demand, method="bush", gap=1e-6, max_iter=2000, **kw)
                secs.append(time.perf_counter() - t0)
            rows.append(
                {"solver": "corridor", "method": "bush", "target": 1e-6,
                 "seconds": statistics.median(secs), "iterations": r.iterations,
                 "own_gap": r.relative_gap, "gap_recomputed": relative_gap(problem, r.flows)}
            )  # fmt: skip
        except ImportError as err:
            print(f"bush method not available: {err}", file=sys.stderr)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.float_format", "{:.4g}".format):
        print(f"Chicago-Sketch, median of {args.repeats} run(s); corridor threads={args.threads}")
        print(table.to_string(index=False))
    if not args.no_aeq:
        for gap in args.gaps:
            best = min(times[("aequilibrae " + m, gap)] for m in args.methods)
            ours = min(times[("corridor " + m, gap)] for m in args.methods)
            print(
                f"gap {gap:g}: corridor best {ours:.3f} s, AequilibraE best {best:.3f} s, "
                f"ratio {ours / best:.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
