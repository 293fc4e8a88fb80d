"""Median route() time in process, and `corridor route` cold start in a subprocess.

Run: PYTHONPATH=src python bench/route_query.py
Until the default network is wired, a synthetic corridor-sized network is used
(random_multimodal_network(7, 300, 1200)); the cold start times a subprocess that imports
the CLI module, builds the graph of a test network and routes (second run, numba cache warm).
Goals: median route() <= 2 ms with a GraphCache; cold start <= 1.5 s. Not a test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import numpy as np

from corridor.errors import NoRouteError
from corridor.routing import GraphCache, route
from corridor.testing import random_multimodal_network


def main() -> None:
    net = random_multimodal_network(7, 300, 1200)
    cache = GraphCache()
    t0 = time.perf_counter()
    cache.get(net, cargo="container_40ft")
    print(
        f"graph build: {time.perf_counter() - t0:.3f} s ({net.n_places} places, "
        f"{net.n_links} links)"
    )
    ids = net.places["place_id"].tolist()
    rng = np.random.default_rng(0)
    pairs = [tuple(rng.choice(ids, 2, replace=False)) for _ in range(60)]
    for k in (1, 3):
        times = []
        for o, d in pairs:
            t0 = time.perf_counter()
            try:
                route(net, o, d, k=k, cache=cache)
            except NoRouteError:
                continue
            times.append(time.perf_counter() - t0)
        print(
            f"route() k={k}: median {statistics.median(times) * 1e3:.2f} ms over "
            f"{len(times)} queries (goal <= 2 ms)"
        )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    code = (
        "from corridor.cli.route import run_route; from corridor.testing import "
        "ferry_network; run_route(ferry_network(), 'A', 'B', as_json=True)"
    )
    for label, cmd in (
        ("corridor route --help", [sys.executable, "-m", "corridor.cli.main", "route", "--help"]),
        ("run_route on a test network", [sys.executable, "-c", code]),
    ):
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            runs.append(time.perf_counter() - t0)
        print(
            f"cold start, {label}: first {runs[0]:.2f} s, then median "
            f"{statistics.median(runs[1:]):.2f} s (goal <= 1.5 s)"
        )


if __name__ == "__main__":
    main()
