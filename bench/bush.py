"""Benchmark: the bush method (Algorithm B) on Chicago-Sketch vs AequilibraE BFW, same run.

Times corridor's bush method to relative gaps 1e-4, 1e-6 and 1e-8 and AequilibraE 1.7.2's
bi-conjugate Frank-Wolfe to 1e-4 on one thread, alternating the two run by run (medians of
``--repeats``, wall clock and CPU), and prints the ratios. Every gap is recomputed by the
referee of ``bench/assignment.py`` (numpy BPR costs, scipy Dijkstra), and the Beckmann
objective is compared with the best known one, 17313018.7387477 (the network's README).
The problem is the one ``bench/assignment.py`` builds (free-flow times below 1e-6 min raised
to 1e-6 for both systems, as AequilibraE requires).

Usage::

    .venv/bin/python bench/bush.py --repeats 3 [--no-aeq]

Needs ``../shared/tntp`` (or ``$CORRIDOR_TNTP``) and, for the peer, ``make bench-extra``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assignment import _aeq_setup, _aeq_solve, build, referee_gap
from corridor.assignment.assign import solve

BEST_OBJECTIVE = 17313018.7387477  # Chicago-Sketch README (toll 0.02, distance 0.04)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-aeq", action="store_true", help="skip AequilibraE")
    args = ap.parse_args()
    p, note = build("chicago-sketch")
    print(f"Chicago-Sketch ({note}), median of {args.repeats} run(s), one thread, load "
          f"{os.getloadavg()[0]:.2f}")  # fmt: skip
    solve(p, method="bush", gap=1e-2, max_iter=2, threads=1)  # numba loads its cache, untimed
    peer = None
    if not args.no_aeq:
        try:
            g, mat = _aeq_setup(p)
            _aeq_solve(g, mat, "bfw", 1e-2, 2, 1)
            peer = (g, mat)
        except ImportError as err:
            print(f"AequilibraE not installed ({err}); make bench-extra")
    gaps = (1e-4, 1e-6, 1e-8)
    wall: dict[object, list[float]] = {k: [] for k in (*gaps, "aeq")}
    cpu: dict[object, list[float]] = {k: [] for k in (*gaps, "aeq")}
    last: dict[object, tuple[np.ndarray, int, float]] = {}
    for r in range(args.repeats):
        order: list[object] = [*gaps, "aeq"] if peer else list(gaps)
        for key in order if r % 2 == 0 else order[::-1]:  # alternate run by run
            t0, c0 = time.perf_counter(), time.process_time()
            if key == "aeq":
                assert peer is not None
                with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
                    flows, its, own = _aeq_solve(*peer, "bfw", 1e-4, 2000, 1)
            else:
                res = solve(p, method="bush", gap=float(key), max_iter=500, threads=1)  # type: ignore[arg-type]
                flows, its, own = res.flows, res.iterations, res.relative_gap
            wall[key].append(time.perf_counter() - t0)
            cpu[key].append(time.process_time() - c0)
            last[key] = (flows, its, own)
    x = lambda v: v / p.capacity  # noqa: E731
    for key in last:
        flows, its, own = last[key]
        integral = flows + p.alpha * p.capacity / (p.beta + 1) * x(flows) ** (p.beta + 1)
        obj = float(np.sum(p.free_flow_time * integral + p.fixed_cost * flows))
        name = "AequilibraE bfw to 1e-04" if key == "aeq" else f"bush to {float(key):.0e}"  # type: ignore[arg-type]
        print(
            f"  {name:24s} {statistics.median(wall[key]):6.3f} s (cpu "
            f"{statistics.median(cpu[key]):.3f} s), {its:3d} it, gap {own:.2e} (referee "
            f"{referee_gap(p, flows):.2e}), objective rel. diff "
            f"{abs(obj - BEST_OBJECTIVE) / BEST_OBJECTIVE:.1e}"
        )
    if "aeq" in last:
        aeq = statistics.median(wall["aeq"])
        for gp in gaps:
            print(f"ratio bush {gp:.0e} / AequilibraE bfw 1e-4: "
                  f"{statistics.median(wall[gp]) / aeq:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
