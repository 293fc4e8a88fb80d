"""Route queries on the default network: in process, against networkx, and CLI cold start.

Run: ``PYTHONPATH=src python bench/route_query.py [--repeats 3]``

* ``route()`` median over origin-destination pairs of the shipped default network, with a
  :class:`~corridor.routing.GraphCache` (the graph is built once), for k = 1 and k = 3.
  Goal: median <= 2 ms for k = 1.
* The same single best path found by networkx (``shortest_path_length`` with Dijkstra) on
  the same expanded graph, to give the ratio against a named peer in the same run.
* ``corridor route Almaty Tehran --json`` in a subprocess, first run and then the median of
  the following runs (numba cache warm). Goal: <= 1.5 s after the first run.

Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time

import networkx as nx
import numpy as np

from corridor.errors import NoRouteError
from corridor.graph import GraphCache
from corridor.network.default import load_default
from corridor.routing import search_routes as route


def _pairs(net_places: list[str], n: int) -> list[tuple[str, str]]:
    rng = np.random.default_rng(0)
    every = list(itertools.permutations(net_places, 2))
    picks = rng.choice(len(every), size=min(n, len(every)), replace=False)
    return [every[int(i)] for i in picks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=80)
    args = parser.parse_args()

    net = load_default()
    cache = GraphCache()
    t0 = time.perf_counter()
    graph = cache.get(net, cargo="container_40ft")
    print(
        f"default network: {net.n_places} places, {net.n_links} links -> expanded graph "
        f"{graph.n_nodes} nodes, {graph.n_edges} edges, built in {time.perf_counter() - t0:.3f} s"
    )
    kinds = net.places["kind"].isin(["city", "port"])
    cities = [
        p
        for p in net.places.loc[kinds, "place_id"]
        if p in graph.place_row and graph.layers(graph.place_row[p]).size
    ]
    pairs = _pairs(cities, args.pairs)
    route(net, pairs[0][0], pairs[0][1], k=1, cache=cache)  # compile / load the kernel
    medians: dict[int, float] = {}
    for k in (1, 3):
        per_repeat = []
        for _ in range(args.repeats):
            times = []
            for o, d in pairs:
                t0 = time.perf_counter()
                try:
                    route(net, o, d, k=k, cache=cache)
                except NoRouteError:
                    continue
                times.append(time.perf_counter() - t0)
            per_repeat.append(statistics.median(times))
        medians[k] = statistics.median(per_repeat)
        print(f"corridor route() k={k}: median {medians[k] * 1e3:.2f} ms per query (goal <= 2 ms)")

    # networkx on the same expanded graph: one best path, weight = time_h
    g = nx.MultiDiGraph()
    g.add_weighted_edges_from(
        zip(graph.tail.tolist(), graph.head.tolist(), graph.time_h.tolist(), strict=True),
        weight="w",
    )
    sources = {p: graph.layers(graph.place_row[p]).tolist() for p in cities}
    times = []
    for o, d in pairs:
        t0 = time.perf_counter()
        lengths = nx.multi_source_dijkstra_path_length(g, sources[o], weight="w")
        min((lengths.get(n, np.inf) for n in sources[d]), default=np.inf)
        times.append(time.perf_counter() - t0)
    nx_median = statistics.median(times)
    print(
        f"networkx multi_source_dijkstra (best path only): median {nx_median * 1e3:.2f} ms; "
        f"ratio networkx / corridor k=1 = {nx_median / medians[1]:.1f}x"
    )

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "corridor.cli.main", "route", "Almaty", "Tehran", "--json"]
    for label, c in (
        ("corridor route --help", [sys.executable, "-m", "corridor.cli.main", "route", "--help"]),
        ("corridor route Almaty Tehran --json", cmd),
    ):
        runs = []
        for _ in range(args.repeats + 1):
            t0 = time.perf_counter()
            subprocess.run(c, check=True, capture_output=True, env=env)
            runs.append(time.perf_counter() - t0)
        print(
            f"cold start, {label}: first {runs[0]:.2f} s, then median "
            f"{statistics.median(runs[1:]):.2f} s (goal <= 1.5 s)"
        )


if __name__ == "__main__":
    main()
