"""Where corridor's BFW time goes: all-or-nothing loadings against the rest of an iteration.

Builds a network as ``bench/assignment.py`` does, then runs corridor's BFW to a gap (or a
fixed number of iterations) with the loading timed from inside the solve: wall and CPU time
of every all-or-nothing call (the loader's shortest paths and loading over its threads,
the map back to the original links) against the whole solve (costs, objective, conjugate
directions, line search). One untimed warm-up first; medians of ``--repeats`` solves in
this one process, the machine's load printed with each.

Usage::

    .venv/bin/python bench/assignment_profile.py berlin-center --gap 1e-5 --threads 1 2

Needs ``../shared/tntp`` (or ``$CORRIDOR_TNTP``). No peer: the ratios against AequilibraE
are ``bench/assignment.py``'s.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assignment import build
from corridor.assignment.assign import solve

# the module, not the function corridor.assignment re-exports under the same name
_assign = importlib.import_module("corridor.assignment.assign")


def _timed_solve(p: Any, gap: float, max_iter: int, threads: int) -> dict[str, float]:
    spent = {"aon_wall": 0.0, "aon_cpu": 0.0, "aon_calls": 0.0}
    original = _assign._Arrays.aon

    def aon(self: Any, cost: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return original(self, cost)
        finally:
            spent["aon_wall"] += time.perf_counter() - t0
            spent["aon_cpu"] += time.process_time() - c0
            spent["aon_calls"] += 1

    _assign._Arrays.aon = aon  # type: ignore[method-assign]
    try:
        load0 = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        r = solve(p, method="bfw", gap=gap, max_iter=max_iter, threads=threads)
        spent["wall"] = time.perf_counter() - t0
        spent["cpu"] = time.process_time() - c0
        spent["iterations"] = float(r.iterations)
        spent["load"] = (load0 + os.getloadavg()[0]) / 2.0
    finally:
        _assign._Arrays.aon = original  # type: ignore[method-assign]
    return spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("network", choices=["chicago-sketch", "berlin-center", "chicago-regional"])
    ap.add_argument("--gap", type=float, default=1e-5)
    ap.add_argument("--max-iter", type=int, default=2000)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    p, note = build(args.network)
    print(f"{args.network}: {p.n_zones} zones, {p.n_links} links; {note}")
    print(f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()}")
    solve(p, method="bfw", gap=1e-12, max_iter=2, threads=max(args.threads))  # warm-up
    runs: dict[int, list[dict[str, float]]] = {t: [] for t in args.threads}
    for r in range(args.repeats):
        order = args.threads if r % 2 == 0 else args.threads[::-1]
        for t in order:
            s = _timed_solve(p, args.gap, args.max_iter, t)
            runs[t].append(s)
            print(
                f"  run {r + 1}, {t} thread(s): {s['wall']:.2f} s wall, {s['cpu']:.2f} s cpu, "
                f"{int(s['iterations'])} it; loadings {int(s['aon_calls'])}: "
                f"{s['aon_wall']:.2f} s wall ({100 * s['aon_wall'] / s['wall']:.0f} %), "
                f"{s['aon_cpu']:.2f} s cpu; load {s['load']:.2f}",
                flush=True,
            )
    print(f"median of {args.repeats}:")
    for t, ss in runs.items():

        def med(key: str, ss: list[dict[str, float]] = ss) -> float:
            return statistics.median(s[key] for s in ss)

        per = [s["aon_wall"] / s["aon_calls"] for s in ss]
        share = [s["aon_wall"] / s["wall"] for s in ss]
        print(
            f"  {t} thread(s): {med('wall'):.2f} s wall, {med('cpu'):.2f} s cpu, "
            f"{med('iterations'):.0f} it; one loading {1e3 * statistics.median(per):.0f} ms "
            f"wall ({1e3 * min(per):.0f}-{1e3 * max(per):.0f}); loadings "
            f"{100 * statistics.median(share):.0f} % of the wall time; load {med('load'):.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
