"""Compiled shortest-path kernels on CSR arrays (numba, compiled lazily and cached on disk).

Nothing is compiled at import: numba compiles a kernel on its first call (and with
``cache=True`` stores the machine code beside this file, so later processes load it).
The heavy work runs inside the compiled functions; the Python wrappers only check and
convert arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor.graph._heap import MAX_NODES, heap_pop, heap_push, heap_reset

__all__ = ["dijkstra", "dijkstra_masked"]


@njit(cache=True, nogil=True)
def _dijkstra(
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
    return _dijkstra(indptr, head, weight, mask, False, src, tgt)


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
    return _dijkstra(indptr, head, weight, mask, True, src, tgt)
