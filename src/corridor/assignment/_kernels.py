"""Compiled kernels of static assignment: shortest paths, all-or-nothing loading, line search.

Everything here works on flat numpy arrays and is compiled lazily by numba (``cache=True``;
nothing is compiled at import). The kernels release the GIL (``nogil=True``): the loading of
:class:`corridor.assignment.loading.Loader` runs them on several Python threads at once, each
on its own origins and its own arrays. Link costs come from :mod:`corridor.assignment.vdf`.

Shortest paths: Dijkstra on the shared indexed 4-ary heap of :mod:`corridor.graph._heap` over
a forward star (CSR); a node below ``first_thru_node`` other than the origin is a leaf (it
gets a distance but is never queued nor expanded), so paths never pass through it. The
search stops once every destination with demand is final. All-or-nothing loading walks the
settled nodes in reverse order of settlement (a reverse topological order of the tree),
pushing each node's accumulated demand onto its predecessor link: no per-path walks.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from corridor.assignment.vdf import vdf_cost, vdf_derivative
from corridor.graph._heap import heap_pop, heap_push, heap_reset

__all__ = ["aon_origins", "line_search", "shortest_path_tree", "sssp", "sum_rows"]


@njit(cache=True, nogil=True)
def sssp(
    origin: int,
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    adj_cost: NDArray[np.float64],
    first_thru_node: int,
    targets: NDArray[np.bool_],
    n_targets: int,
    dist: NDArray[np.float64],
    pred: NDArray[np.int64],
    order: NDArray[np.int64],
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    pos: NDArray[np.int32],
) -> int:  # pragma: no cover - compiled
    """One Dijkstra from ``origin``; stop once the ``n_targets`` targets are final (-1: never).

    ``adj_cost`` is the link cost in forward-star order; ``dist`` gets the distances
    (``inf`` where not reached), ``pred`` the link into each reached node (``-1`` at the
    origin; stale elsewhere) and ``order`` the settled nodes in order. ``hkey``, ``hnode``
    and ``pos`` are the heap's arrays (:mod:`corridor.graph._heap`). Returns the number of
    settled nodes.

    A node below ``first_thru_node`` other than the origin (a zone that may not be passed
    through) is a leaf: it gets its distance and predecessor but never enters the heap nor
    ``order``. The search stops once every target is settled from the heap or, when some
    are leaves, once every target has a distance and the heap's minimum exceeds the largest
    of them (no target can improve after that). A settled node is never relaxed again:
    costs are >= 0, so ``nd`` cannot fall below its distance.
    """
    n = indptr.shape[0] - 1
    for i in range(n):
        dist[i] = np.inf
    heap_reset(pos)
    dist[origin] = 0.0
    pred[origin] = -1
    size = heap_push(hkey, hnode, pos, 0, origin, 0.0)
    settled = 0
    found = 0  # targets with a distance
    popped = 0  # targets settled from the heap
    last = np.inf  # the largest target distance, once all targets have one
    while size > 0:
        if hkey[0] > last:
            break
        u, du, size = heap_pop(hkey, hnode, pos, size)
        # unsigned copies of the indices spare numba's negative-index fix-up on each access
        uu = np.uint64(u)
        order[settled] = u
        settled += 1
        if targets[uu]:
            popped += 1
            if popped == n_targets:
                break
        if u < first_thru_node and u != origin:
            continue
        for e in range(indptr[uu], indptr[uu + np.uint64(1)]):
            ee = np.uint64(e)
            v = adj_head[ee]
            vv = np.uint64(v)
            nd = du + adj_cost[ee]
            dv = dist[vv]
            if nd < dv:
                dist[vv] = nd
                pred[vv] = adj_link[ee]
                if dv == np.inf and targets[vv]:
                    found += 1
                    if found == n_targets:
                        last = 0.0
                        seen = 0
                        for z in range(n):  # targets are zones: the first nodes
                            if targets[z]:
                                seen += 1
                                if dist[z] > last:
                                    last = dist[z]
                                if seen == n_targets:
                                    break
                if v >= first_thru_node:
                    size = heap_push(hkey, hnode, pos, size, v, nd)
    return settled


@njit(cache=True, nogil=True)
def aon_origins(
    lo: int,
    hi: int,
    load: bool,
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    tail: NDArray[np.int64],
    adj_cost: NDArray[np.float64],
    demand: NDArray[np.float64],
    first_thru_node: int,
    flow: NDArray[np.float64],
    dist: NDArray[np.float64],
    pred: NDArray[np.int64],
    order: NDArray[np.int64],
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    pos: NDArray[np.int32],
    targets: NDArray[np.bool_],
    node_flow: NDArray[np.float64],
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Load origins ``lo..hi-1`` onto their shortest-path trees, adding to ``flow``.

    Zones are nodes ``0..n_zones-1`` (``demand`` is ``(n_zones, n_zones)``). Without
    ``load`` only the shortest-path total is computed. ``dist`` ... ``node_flow`` are
    scratch arrays of the calling thread (``targets`` all False and ``node_flow`` all 0 on
    entry, and so on return). Returns ``(SPTT, trips with no path)``.
    """
    nz = demand.shape[0]
    sptt = 0.0
    lost = 0.0
    for o in range(lo, hi):
        n_t = 0
        for d in range(nz):
            if demand[o, d] > 0.0 and d != o:
                targets[d] = True
                n_t += 1
        if n_t == 0:
            continue
        settled = sssp(
            o, indptr, adj_head, adj_link, adj_cost, first_thru_node, targets, n_t,
            dist, pred, order, hkey, hnode, pos,
        )  # fmt: skip
        for d in range(nz):
            if targets[d]:
                targets[d] = False
                q = demand[o, d]
                if dist[d] < np.inf:
                    sptt += q * dist[d]
                    if not load:
                        continue
                    if d < first_thru_node:  # a leaf, not in ``order``: load its link now
                        a = pred[d]
                        flow[a] += q
                        node_flow[tail[a]] += q
                    else:
                        node_flow[d] += q  # a leaf zone may have loaded it already
                else:
                    lost += q
        if not load:
            continue
        for k in range(settled - 1, 0, -1):
            v = order[k]
            q = node_flow[v]
            if q != 0.0:
                a = pred[v]
                flow[a] += q
                node_flow[tail[a]] += q
                node_flow[v] = 0.0
        node_flow[order[0]] = 0.0
    return sptt, lost


@njit(cache=True, nogil=True)
def sum_rows(
    rows: NDArray[np.float64], lo: int, hi: int, out: NDArray[np.float64]
) -> None:  # pragma: no cover - compiled
    """``out[lo:hi] = rows[:, lo:hi].sum(axis=0)`` (one thread's share of a reduction)."""
    for a in range(lo, hi):
        s = 0.0
        for r in range(rows.shape[0]):
            s += rows[r, a]
        out[a] = s


@njit(cache=True)
def shortest_path_tree(
    origin: int,
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    cost: NDArray[np.float64],
    first_thru_node: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:  # pragma: no cover - compiled
    """Return the shortest-path distances and predecessor links from one origin.

    Parameters
    ----------
    origin : int
        Origin node.
    indptr, adj_head, adj_link : numpy.ndarray of int64
        Forward star from :func:`corridor.graph.csr.build_csr`.
    cost : numpy.ndarray of float64
        Non-negative link costs.
    first_thru_node : int
        Nodes below it (other than ``origin``) are not passed through.

    Returns
    -------
    dist : numpy.ndarray of float64
        ``inf`` where unreachable.
    pred : numpy.ndarray of int64
        Link into each node on its shortest path, ``-1`` for the origin and unreachable.

    Examples
    --------
    >>> import numpy as np
    >>> tail, head = np.array([0, 0, 2]), np.array([1, 2, 1])
    >>> from corridor.graph.csr import build_csr
    >>> ip, hd, lk = build_csr(3, tail, head)
    >>> d, p = shortest_path_tree(0, ip, hd, lk, np.array([10.0, 4.0, 4.0]), 0)
    >>> d.tolist(), p.tolist()
    ([0.0, 8.0, 4.0], [-1, 2, 1])

    """
    n = indptr.shape[0] - 1
    dist = np.empty(n)
    pred = np.full(n, -1, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    hkey = np.empty(n)
    hnode = np.empty(n, dtype=np.int32)
    pos = np.empty(n, dtype=np.int32)
    targets = np.zeros(n, dtype=np.bool_)
    adj_cost = cost[adj_link]
    sssp(
        origin, indptr, adj_head, adj_link, adj_cost, first_thru_node, targets, -1,
        dist, pred, order, hkey, hnode, pos,
    )  # fmt: skip
    for i in range(n):
        if dist[i] == np.inf:
            pred[i] = -1
    return dist, pred


@njit(cache=True, nogil=True)
def line_search(
    vdf: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    fixed: NDArray[np.float64],
    flow: NDArray[np.float64],
    direction: NDArray[np.float64],
) -> float:  # pragma: no cover - compiled
    """Return the step in ``[0, 1]`` minimising the objective along ``flow + step * direction``.

    Safeguarded Newton on the derivative ``g(s) = sum t(v + s d) d`` (non-decreasing in
    ``s``), falling back to bisection of the bracket whenever a Newton step leaves it.

    Parameters
    ----------
    vdf : int
        Code of the volume-delay function (:data:`corridor.assignment.vdf.VDF_CODES`).
    fft, alpha, beta, cap, fixed : numpy.ndarray of float64
        Per-link parameters.
    flow, direction : numpy.ndarray of float64
        Current flows and the search direction.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> z, one = np.zeros(2), np.ones(2)
    >>> s = line_search(0, np.array([1.0, 2.0]), z, 4 * one, one, z,
    ...                 np.array([0.0, 1.0]), np.array([1.0, -1.0]))
    >>> float(s)
    1.0

    """
    n = flow.shape[0]
    lo = 0.0
    hi = 1.0
    g_hi = 0.0
    for a in range(n):
        if direction[a] != 0.0:
            v = flow[a] + direction[a]
            g_hi += vdf_cost(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], v) * direction[a]
    if g_hi <= 0.0:
        return 1.0
    g_lo = 0.0
    for a in range(n):
        if direction[a] != 0.0:
            g_lo += (
                vdf_cost(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], flow[a]) * direction[a]
            )
    if g_lo >= 0.0:
        return 0.0
    # start from the secant estimate
    s = lo - g_lo * (hi - lo) / (g_hi - g_lo)
    for _ in range(100):
        g = 0.0
        h = 0.0
        for a in range(n):
            d = direction[a]
            if d != 0.0:
                v = flow[a] + s * d
                g += vdf_cost(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], v) * d
                h += vdf_derivative(vdf, fft[a], alpha[a], beta[a], cap[a], v) * d * d
        if g > 0.0:
            hi = s
        else:
            lo = s
        if g == 0.0 or hi - lo < 1e-15:
            break
        nxt = s - g / h if h > 0.0 else -1.0
        if not (lo < nxt < hi):
            nxt = 0.5 * (lo + hi)
        if abs(nxt - s) < 1e-15:
            s = nxt
            break
        s = nxt
    return s
