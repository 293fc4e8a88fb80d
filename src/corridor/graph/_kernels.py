"""Shortest paths on CSR arrays: the compiled kernel, or its pure-Python twin on small graphs.

:func:`dijkstra` and :func:`dijkstra_masked` check and convert the arrays, then run
:func:`corridor.graph._dijkstra_jit.dijkstra_kernel` (numba). Loading that compiled
kernel, even from numba's cache, costs a process about 0.4-0.5 s of CPU (numba's import
and its first-call set-up), far more than one search on a small graph: the default
network's expanded graph has 730 edges, and ``corridor route`` runs a handful of
searches on it. So on graphs of at most :data:`SMALL_GRAPH_EDGES` edges, while this
process has not loaded the kernel, the same algorithm runs in plain Python: the same
4-ary heap with the same sift order (a port of :mod:`corridor.graph._heap`), the same
relaxations in the same order, so it returns the same distances and predecessors bit
for bit (a test checks this on random graphs with ties, NaN weights and masks).

A process that keeps searching (a server, a benchmark) should not pay Python's speed
for ever: the time spent in the Python twin is added up, and once it passes
:data:`PYTHON_BUDGET_S` (about what loading the kernel costs) the compiled kernel is
loaded and used from then on. Like renting skis until the rent reaches the price, this
costs at most about twice the better choice made in hindsight.
"""

from __future__ import annotations

import sys
import time

import numpy as np

__all__ = ["PYTHON_BUDGET_S", "SMALL_GRAPH_EDGES", "dijkstra", "dijkstra_masked"]

#: Largest graph (edges) searched in plain Python while the compiled kernel is not loaded.
SMALL_GRAPH_EDGES = 20_000
#: Python search time (s) a process spends before it loads the compiled kernel instead.
PYTHON_BUDGET_S = 0.3
#: Largest node count the heap's int32 slots allow (= ``corridor.graph._heap.MAX_NODES``,
#: kept here so that checking arrays does not import numba).
MAX_NODES = 2**31 - 1


class _Spent:
    """Seconds this process has spent in the Python twin (a plain counter)."""

    __slots__ = ("seconds",)

    def __init__(self) -> None:
        self.seconds = 0.0


_SPENT = _Spent()


def _compiled_loaded() -> bool:
    module = sys.modules.get("corridor.graph._dijkstra_jit")
    return module is not None and bool(module.dijkstra_kernel.signatures)


def _use_python(n_edges: int) -> bool:
    return (
        n_edges <= SMALL_GRAPH_EDGES and _SPENT.seconds < PYTHON_BUDGET_S and not _compiled_loaded()
    )


def _dijkstra_python(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    use_mask: bool,
    sources: np.ndarray,
    targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the compiled kernel's algorithm in plain Python, step for step (see the module)."""
    n = indptr.shape[0] - 1
    ptr = indptr.tolist()
    hd = head.tolist()
    wt = weight.tolist()
    ok = mask.tolist() if use_mask else None
    dist = [float("inf")] * n
    pred = [-1] * n
    pos = [-1] * n
    hkey = [0.0] * n
    hnode = [0] * n
    is_target = [False] * n
    stop_early = targets.shape[0] > 0
    for t in targets.tolist():
        is_target[t] = True

    def push(size: int, v: int, key: float) -> int:
        pv = pos[v]
        if pv == -1:
            i = size
            size += 1
        else:
            i = pv
        while i > 0:
            q = (i - 1) >> 2
            kq = hkey[q]
            if kq > key:
                hq = hnode[q]
                hkey[i] = kq
                hnode[i] = hq
                pos[hq] = i
                i = q
            else:
                break
        hkey[i] = key
        hnode[i] = v
        pos[v] = i
        return size

    size = 0
    for s in sources.tolist():
        if pos[s] == -1:  # a repeated source is queued once
            dist[s] = 0.0
            size = push(size, s, 0.0)
    while size > 0:
        # pop the root (heap_pop)
        u = hnode[0]
        du = hkey[0]
        pos[u] = -2
        size -= 1
        if size > 0:
            lk = hkey[size]
            ln = hnode[size]
            i = 0
            while True:
                c = 4 * i + 1
                if c >= size:
                    break
                kc = hkey[c]
                for j in range(c + 1, min(c + 4, size)):
                    kj = hkey[j]
                    if kj < kc:
                        kc = kj
                        c = j
                if kc < lk:
                    w = hnode[c]
                    hkey[i] = kc
                    hnode[i] = w
                    pos[w] = i
                    i = c
                else:
                    break
            hkey[i] = lk
            hnode[i] = ln
            pos[ln] = i
        if stop_early and is_target[u]:
            break
        for e in range(ptr[u], ptr[u + 1]):
            if ok is not None and not ok[e]:
                continue
            v = hd[e]
            nd = du + wt[e]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = e
                size = push(size, v, nd)
    return np.array(dist, dtype=np.float64), np.array(pred, dtype=np.int64)


def _run(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    use_mask: bool,
    sources: np.ndarray,
    targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    if _use_python(head.shape[0]):
        t0 = time.perf_counter()
        try:
            return _dijkstra_python(indptr, head, weight, mask, use_mask, sources, targets)
        finally:
            _SPENT.seconds += time.perf_counter() - t0
    from corridor.graph._dijkstra_jit import dijkstra_kernel

    out: tuple[np.ndarray, np.ndarray] = dijkstra_kernel(
        indptr, head, weight, mask, use_mask, sources, targets
    )
    return out


def _check(
    indptr: np.ndarray, head: np.ndarray, weight: np.ndarray, sources: np.ndarray | int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from corridor.errors import InputError

    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    head = np.ascontiguousarray(head, dtype=np.int64)
    weight = np.ascontiguousarray(weight, dtype=np.float64)
    src = np.ascontiguousarray(np.atleast_1d(sources), dtype=np.int64)
    if weight.shape != head.shape:
        raise InputError(f"weight has {weight.shape[0]} values for {head.shape[0]} edges")
    if weight.size and weight.min() < 0:
        raise InputError("weight has negative values: Dijkstra needs weights >= 0")
    if indptr.shape[0] - 1 > MAX_NODES:
        raise InputError(f"indptr describes {indptr.shape[0] - 1} nodes; at most {MAX_NODES}")
    return indptr, head, weight, src


def dijkstra(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    sources: np.ndarray | int,
    targets: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Shortest paths from one or several sources on a CSR graph (4-ary heap Dijkstra).

    Parameters
    ----------
    indptr, head : numpy.ndarray
        CSR adjacency: edges ``indptr[u]:indptr[u + 1]`` leave node ``u`` for ``head[e]``.
    weight : numpy.ndarray
        Non-negative weight of each edge.
    sources : int or numpy.ndarray
        Source node(s), all at distance 0.
    targets : numpy.ndarray, optional
        Stop as soon as the nearest of these nodes is settled; all nodes when omitted.

    Returns
    -------
    dist : numpy.ndarray
        Distance to each node (``inf`` where not reached; final only for settled nodes
        when ``targets`` is given).
    pred : numpy.ndarray
        The edge by which each node was reached (``-1`` for sources and unreached).

    Examples
    --------
    >>> import numpy as np
    >>> indptr, head = np.array([0, 2, 3, 3]), np.array([1, 2, 2])
    >>> dist, pred = dijkstra(indptr, head, np.array([1.0, 5.0, 1.0]), 0)
    >>> dist.tolist(), pred.tolist()
    ([0.0, 1.0, 2.0], [-1, 0, 2])

    """
    indptr, head, weight, src = _check(indptr, head, weight, sources)
    tgt = np.zeros(0, np.int64) if targets is None else np.asarray(targets, dtype=np.int64)
    mask = np.ones(1, dtype=np.bool_)
    return _run(indptr, head, weight, mask, False, src, tgt)


def dijkstra_masked(
    indptr: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    sources: np.ndarray | int,
    targets: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`dijkstra`, using only the edges where ``mask`` is true.

    Examples
    --------
    >>> import numpy as np
    >>> indptr, head = np.array([0, 2, 3, 3]), np.array([1, 2, 2])
    >>> mask = np.array([False, True, True])
    >>> dijkstra_masked(indptr, head, np.array([1.0, 5.0, 1.0]), mask, 0)[0].tolist()
    [0.0, inf, 5.0]

    """
    indptr, head, weight, src = _check(indptr, head, weight, sources)
    tgt = np.zeros(0, np.int64) if targets is None else np.asarray(targets, dtype=np.int64)
    mask = np.ascontiguousarray(mask, dtype=np.bool_)
    return _run(indptr, head, weight, mask, True, src, tgt)
