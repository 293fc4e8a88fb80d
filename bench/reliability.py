"""Benchmark: 10,000 Monte Carlo draws of a real route of the default network.

Times ``simulate_route`` (sampling + compiled kernel + percentiles) in process, excluding
the first call (numba compile or cache load), and then the compiled walk against its
pure-numpy twin (``walk_reference``, the named peer) on identical inputs, alternated run
by run; one routine checks that both give the same transit times. Prints medians and the
ratio.

    python bench/reliability.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime
from typing import Any

import numpy as np

from corridor.graph import GraphCache
from corridor.network.default import load_default
from corridor.reliability import build_route_model, simulate_route, simulation_graph
from corridor.reliability import montecarlo as mc
from corridor.reliability._kernels import walk_reference, walk_routes
from corridor.routing import search_routes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--samples", type=int, default=10_000)
    args = ap.parse_args()
    net = load_default()
    cache = GraphCache()
    # Moscow -> Bandar Abbas by cost: rail to Astrakhan, the Caspian, rail through Iran
    route = search_routes(net, "Moscow", "Bandar Abbas", objective="cost", k=1, cache=cache)[0]
    depart = datetime(2026, 12, 1, 8)
    n = args.samples
    t0 = time.perf_counter()
    simulate_route(net, route, depart=depart, samples=n, seed=0, cache=cache)
    first = time.perf_counter() - t0
    full = []
    for r in range(args.repeats):
        t = time.perf_counter()
        res = simulate_route(net, route, depart=depart, samples=n, seed=r, cache=cache)
        full.append(time.perf_counter() - t)
    # kernel vs numpy reference on identical inputs: capture the arguments once
    captured: dict[str, tuple[Any, ...]] = {}

    def spy(*a: Any) -> tuple[np.ndarray, np.ndarray]:
        captured["args"] = a
        return walk_routes(*a)

    model = build_route_model(simulation_graph(net, route.cargo, cache=cache), route)
    import corridor.reliability._kernels as kernels

    original = kernels.walk_routes
    kernels.walk_routes = spy  # type: ignore[assignment]
    try:
        mc._run(model, depart, samples=n, seed=1)
    finally:
        kernels.walk_routes = original  # type: ignore[assignment]
    kargs = captured["args"]
    kern, ref = [], []
    for _ in range(args.repeats):  # alternated run by run
        t = time.perf_counter()
        a = walk_routes(*kargs)
        kern.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = walk_reference(*kargs)
        ref.append(time.perf_counter() - t)
        np.testing.assert_allclose(a[0], b[0], atol=1e-9)
    n_el = len(model.distributions)
    print(
        f"route: {len(route.legs)} legs, {n_el} elements, {len(model.timetables)} timetabled "
        f"sailings; {n} draws; {args.repeats} repeats"
    )
    print(f"first call (includes numba compile or cache load): {first * 1e3:.1f} ms")
    print(
        f"simulate_route median: {statistics.median(full) * 1e3:.2f} ms "
        f"(P50 {res.p50_h:.1f} h, P90 {res.p90_h:.1f} h)"
    )
    km, rm = statistics.median(kern), statistics.median(ref)
    print(f"walk kernel (numba) median: {km * 1e3:.3f} ms")
    print(f"walk reference (numpy) median: {rm * 1e3:.3f} ms")
    print(f"ratio numpy / numba: {rm / km:.1f}x")


if __name__ == "__main__":
    main()
