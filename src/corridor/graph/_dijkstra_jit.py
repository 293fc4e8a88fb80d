"""The compiled Dijkstra kernel on CSR arrays (numba, compiled lazily and cached on disk).

Nothing is compiled at import: numba compiles the kernel on its first call (and with
``cache=True`` stores the machine code in numba's cache folder, so later processes load
it). Call it through :func:`corridor.graph._kernels.dijkstra`, which checks the arrays
and, on small graphs in a process that has not loaded it yet, runs its pure-Python twin
instead (loading compiled code costs more than a small search).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor.graph._heap import heap_pop, heap_push, heap_reset

__all__ = ["dijkstra_kernel"]


@njit(cache=True, nogil=True)
def dijkstra_kernel(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    use_mask: bool,
    sources: np.ndarray,
    targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Multi-source Dijkstra on the shared indexed 4-ary heap (:mod:`._heap`).

    A NaN weight never relaxes (``nd < dist[v]`` is false) and a settled node is never
    improved (weights are >= 0). With targets, stops once the nearest target is settled.
    """
    n = indptr.shape[0] - 1
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int32)
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
    heap_reset(pos)
    hkey = np.empty(n)
    hnode = np.empty(n, dtype=np.int32)
    stop_early = targets.shape[0] > 0
    is_target = np.zeros(n if stop_early else 0, dtype=np.bool_)
    for t in targets:
        is_target[t] = True
    size = 0
    for s in sources:
        if pos[s] == -1:  # a repeated source is queued once
            dist[s] = 0.0
            size = heap_push(hkey, hnode, pos, size, s, 0.0)
    while size > 0:
        u, du, size = heap_pop(hkey, hnode, pos, size)
        if stop_early and is_target[u]:
            break
        for e in range(indptr[u], indptr[u + 1]):
            if use_mask and not mask[e]:
                continue
            v = head[e]
            nd = du + weight[e]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = e
                size = heap_push(hkey, hnode, pos, size, v, nd)
    return dist, pred
