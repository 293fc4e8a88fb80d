"""Benchmark: the bush method (Algorithm B) on Chicago-Sketch vs AequilibraE BFW, same run.

Times ``solve_bush`` to relative gaps 1e-4, 1e-6 and 1e-8 (median of ``--repeats`` runs,
wall clock and CPU), and AequilibraE 1.7.2's bi-conjugate Frank-Wolfe to 1e-4 on one core;
prints the ratios bush-to-1e-6 / AequilibraE-to-1e-4 and bush-to-1e-4 / AequilibraE-to-1e-4.
Every gap is recomputed by ``corridor.assignment.assign.relative_gap``, and the Beckmann
objective is compared with the best known one, 17313018.7387477 (TNTP README).

Usage::

    PYTHONPATH=src .venv/bin/python bench/bush.py --repeats 3 [--no-aeq]

Needs ``../shared/tntp`` and, for the peer, the ``bench`` extra (aequilibrae==1.7.2).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from corridor.assignment.bush import solve_bush
from corridor.assignment.problem import AssignmentProblem, build_problem
from corridor.network.tntp import read_tntp_network, read_tntp_trips

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/assignment.py: AequilibraE set-up and the TNTP folder
from assignment import (
    DISTANCE_FACTOR,
    TOLL_FACTOR,
    aequilibrae_run,
    aequilibrae_setup,
    tntp_root,
)

BEST_OBJECTIVE = 17313018.7387477  # Chicago-Sketch README (toll 0.02, distance 0.04)


def beckmann(p: AssignmentProblem, v: np.ndarray) -> float:
    integral = v + p.alpha * p.capacity / (p.beta + 1) * (v / p.capacity) ** (p.beta + 1)
    return float(np.sum(p.free_flow_time * integral + p.fixed_cost * v))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-aeq", action="store_true", help="skip AequilibraE")
    args = ap.parse_args()
    from corridor.assignment.assign import relative_gap

    base = tntp_root() / "Chicago-Sketch" / "ChicagoSketch"
    network = read_tntp_network(f"{base}_net.tntp")
    demand = read_tntp_trips(f"{base}_trips.tntp")
    p = build_problem(network, demand, toll_factor=TOLL_FACTOR, distance_factor=DISTANCE_FACTOR)
    solve_bush(p, gap=1e-2, max_iter=2)  # numba compiles or loads its cache here, untimed

    wall: dict[float, float] = {}
    print(f"Chicago-Sketch, median of {args.repeats} run(s), one core")
    for gap in (1e-4, 1e-6, 1e-8):
        secs, cpus = [], []
        for _ in range(args.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            flows, log = solve_bush(p, gap=gap, max_iter=500)
            secs.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        wall[gap] = statistics.median(secs)
        obj = beckmann(p, flows)
        print(
            f"  bush        to {gap:.0e}: {wall[gap]:6.3f} s (cpu {statistics.median(cpus):.3f} s)"
            f", {log[-1][0]:3d} it, gap {log[-1][1]:.2e} (recomputed "
            f"{relative_gap(p, flows):.2e}), objective rel. diff "
            f"{abs(obj - BEST_OBJECTIVE) / BEST_OBJECTIVE:.1e}"
        )
    if args.no_aeq:
        return 0
    try:
        # AequilibraE 1.7.2 fails when tqdm was imported with TQDM_DISABLE set ("'tqdm' object
        # has no attribute 'desc'"), which aequilibrae_setup sets: import them before it does
        import aequilibrae.paths  # noqa: F401

        g, mat = aequilibrae_setup(network, demand)
    except ImportError as err:
        print(f"AequilibraE not installed ({err}); pip install aequilibrae==1.7.2")
        return 0
    # and send the progress bars to /dev/null instead
    secs, cpus = [], []
    for _ in range(args.repeats):
        c0 = time.process_time()
        with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
            s, its, agap, aflows = aequilibrae_run(g, mat, "bfw", 1e-4, 1)
        secs.append(s)
        cpus.append(time.process_time() - c0)
    aeq = statistics.median(secs)
    print(
        f"  AequilibraE bfw to 1e-04: {aeq:6.3f} s (cpu {statistics.median(cpus):.3f} s), "
        f"{its:3d} it, gap {agap:.2e} (recomputed {relative_gap(p, aflows):.2e})"
    )
    print(f"ratio bush 1e-6 / AequilibraE bfw 1e-4: {wall[1e-6] / aeq:.3f}")
    print(f"ratio bush 1e-4 / AequilibraE bfw 1e-4: {wall[1e-4] / aeq:.3f}")
    print(f"ratio bush 1e-8 / AequilibraE bfw 1e-4: {wall[1e-8] / aeq:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
