"""Single-source shortest paths: corridor's numba kernel vs scipy and networkx, same run.

Run: PYTHONPATH=src python bench/shortest_path.py [--grid 500] [--repeats 5]
Prints medians, throughput (sources/s, edges/s) and ratios. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as sp_dijkstra

from corridor.graph._kernels import dijkstra

CHICAGO = Path("/work/shared/tntp/Chicago-Sketch/ChicagoSketch_net.tntp")


def read_tntp(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    tails, heads, times = [], [], []
    body = False
    for line in path.read_text().splitlines():
        if line.startswith("~"):
            body = True
            continue
        parts = line.replace(";", " ").split()
        if body and len(parts) >= 5:
            tails.append(int(parts[0]) - 1)
            heads.append(int(parts[1]) - 1)
            times.append(float(parts[4]))
    t, h = np.array(tails), np.array(heads)
    return t, h, np.array(times) + 1e-6, int(max(t.max(), h.max()) + 1)


def grid(side: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    idx = np.arange(side * side).reshape(side, side)
    pairs = [
        (idx[:, :-1], idx[:, 1:]),
        (idx[:, 1:], idx[:, :-1]),
        (idx[:-1, :], idx[1:, :]),
        (idx[1:, :], idx[:-1, :]),
    ]
    t = np.concatenate([a.ravel() for a, _ in pairs])
    h = np.concatenate([b.ravel() for _, b in pairs])
    w = np.random.default_rng(seed).uniform(1, 10, t.size)
    return t, h, w, side * side


def median_time(fn, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def run(name: str, t, h, w, n, sources, repeats: int, nx_sources: int) -> None:
    order = np.argsort(t, kind="stable")
    head, weight = h[order], w[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(t, minlength=n))])
    mat = csr_matrix((w, (t, h)), shape=(n, n))  # no parallel links in these inputs
    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(t.tolist(), h.tolist(), w.tolist(), strict=True))
    dijkstra(indptr, head, weight, int(sources[0]))  # compile / load cache
    ours = median_time(lambda: [dijkstra(indptr, head, weight, int(s)) for s in sources], repeats)
    scipy_t = median_time(lambda: [sp_dijkstra(mat, indices=int(s)) for s in sources], repeats)
    nx_t = (
        median_time(
            lambda: [
                nx.single_source_dijkstra_path_length(g, int(s)) for s in sources[:nx_sources]
            ],
            1 if nx_sources < len(sources) else repeats,
        )
        * len(sources)
        / nx_sources
    )
    d_ours = dijkstra(indptr, head, weight, int(sources[0]))[0]
    assert np.allclose(d_ours, sp_dijkstra(mat, indices=int(sources[0])))
    m = len(t)
    print(f"\n{name}: {n:,} nodes, {m:,} links, {len(sources)} sources, median of {repeats}")
    for label, secs in (("corridor (numba)", ours), ("scipy csgraph", scipy_t), ("networkx", nx_t)):
        print(
            f"  {label:18s} {secs / len(sources) * 1e3:9.3f} ms/source  "
            f"{len(sources) / secs:9.1f} sources/s  {m * len(sources) / secs / 1e6:8.2f} M edges/s"
        )
    print(
        f"  ratio corridor/scipy throughput: {scipy_t / ours:.2f}x;"
        f" corridor/networkx: {nx_t / ours:.1f}x"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", type=int, default=500, help="grid side (500 -> ~1M links)")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    t, h, w, n = read_tntp(CHICAGO)
    rng = np.random.default_rng(0)
    run("Chicago-Sketch", t, h, w, n, rng.choice(n, 100, replace=False), args.repeats, 100)
    t, h, w, n = grid(args.grid)
    run(
        f"grid {args.grid}x{args.grid}",
        t,
        h,
        w,
        n,
        rng.choice(n, 3, replace=False),
        args.repeats,
        1,
    )


if __name__ == "__main__":
    main()
