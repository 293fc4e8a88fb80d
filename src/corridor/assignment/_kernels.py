"""Compiled kernels of static assignment: volume-delay functions, shortest paths, loading.

Everything here works on flat numpy arrays and is compiled lazily by numba (``cache=True``;
nothing is compiled at import). The Python driver is :mod:`corridor.assignment.assign`.

Volume-delay functions (``vdf`` code ``0`` BPR, ``1`` conical), per link with ``x = v / cap``:

- BPR: ``t(v) = t0 (1 + alpha x^beta) + fixed``.
- Conical (Spiess 1990, "Conical volume-delay functions", Transportation Science 24(2)):
  ``t(v) = t0 (2 + sqrt(a^2 (1 - x)^2 + b^2) - a (1 - x) - b) + fixed`` with
  ``a = beta`` (the steepness, > 1; the BPR power plays that role) and
  ``b = (2a - 1) / (2a - 2)``. ``alpha`` is not used.

The Beckmann objective is ``sum_a int_0^{v_a} t_a(s) ds`` (fixed costs included, as
``fixed * v``).

Shortest paths: Dijkstra with an indexed 4-ary heap (decrease-key) over a forward-star
(CSR) adjacency; a node below ``first_thru_node`` other than the origin is settled but not
expanded, so paths never pass through it. All-or-nothing loading walks the settled nodes in
reverse order of settlement (a reverse topological order of the tree), pushing each node's
accumulated demand onto its predecessor link: no per-path walks.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numpy.typing import NDArray

__all__ = [
    "VDF_CODES",
    "all_or_nothing",
    "beckmann",
    "line_search",
    "link_cost",
    "link_cost_derivative",
    "shortest_path_tree",
]

#: Codes of the volume-delay functions understood by the kernels.
VDF_CODES: dict[str, int] = {"bpr": 0, "conical": 1}


# ---------------------------------------------------------------------------- VDFs
@nb.njit(cache=True, inline="always")
def _conical_b(a: float) -> float:
    return (2.0 * a - 1.0) / (2.0 * a - 2.0)


@nb.njit(cache=True, inline="always")
def _cost1(vdf: int, t0: float, al: float, be: float, cap: float, fx: float, v: float) -> float:
    x = v / cap
    if vdf == 0:
        if al == 0.0 or x <= 0.0:
            return t0 + fx
        return float(t0 * (1.0 + al * x**be) + fx)
    b = _conical_b(be)
    u = be * (1.0 - x)
    return float(t0 * (2.0 + np.sqrt(u * u + b * b) - u - b) + fx)


@nb.njit(cache=True, inline="always")
def _deriv1(vdf: int, t0: float, al: float, be: float, cap: float, v: float) -> float:
    x = v / cap
    if vdf == 0:
        if al == 0.0:
            return 0.0
        if x <= 0.0:
            return t0 * al / cap if be == 1.0 else 0.0
        return float(t0 * al * be * x ** (be - 1.0) / cap)
    b = _conical_b(be)
    u = be * (1.0 - x)
    return float(t0 / cap * be * (1.0 - u / np.sqrt(u * u + b * b)))


@nb.njit(cache=True, inline="always")
def _integral1(vdf: int, t0: float, al: float, be: float, cap: float, fx: float, v: float) -> float:
    x = v / cap
    if vdf == 0:
        if al == 0.0 or x <= 0.0:
            return (t0 + fx) * v
        return float(t0 * (v + al * cap * x ** (be + 1.0) / (be + 1.0)) + fx * v)
    a = be
    b = _conical_b(a)
    u0 = a
    u1 = a * (1.0 - x)
    g0 = 0.5 * u0 * np.sqrt(u0 * u0 + b * b) + 0.5 * b * b * np.log(u0 + np.sqrt(u0 * u0 + b * b))
    g1 = 0.5 * u1 * np.sqrt(u1 * u1 + b * b) + 0.5 * b * b * np.log(u1 + np.sqrt(u1 * u1 + b * b))
    area = (2.0 - b) * x - a * (x - 0.5 * x * x) + (g0 - g1) / a
    return float(t0 * cap * area + fx * v)


@nb.njit(cache=True)
def link_cost(
    vdf: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    fixed: NDArray[np.float64],
    flow: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:
    """Fill ``out`` with the link costs ``t(flow)`` (time plus fixed cost).

    Parameters
    ----------
    vdf : int
        0 for BPR, 1 for conical.
    fft, alpha, beta, cap, fixed, flow : numpy.ndarray of float64
        Per-link parameters and flows.
    out : numpy.ndarray of float64
        Output, overwritten.

    Examples
    --------
    >>> import numpy as np
    >>> out = np.empty(1)
    >>> one = np.ones(1)
    >>> link_cost(0, 10 * one, 0.15 * one, 4 * one, 100 * one, 0 * one, 200 * one, out)
    >>> float(out[0])
    34.0

    """
    for a in range(flow.shape[0]):
        out[a] = _cost1(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], flow[a])


@nb.njit(cache=True)
def link_cost_derivative(
    vdf: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    flow: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:
    """Fill ``out`` with ``dt/dv`` at ``flow``.

    Parameters
    ----------
    vdf : int
        0 for BPR, 1 for conical.
    fft, alpha, beta, cap, flow : numpy.ndarray of float64
        Per-link parameters and flows.
    out : numpy.ndarray of float64
        Output, overwritten.

    Examples
    --------
    >>> import numpy as np
    >>> out = np.empty(1)
    >>> one = np.ones(1)
    >>> link_cost_derivative(0, 10 * one, 0.15 * one, 4 * one, 100 * one, 100 * one, out)
    >>> round(float(out[0]), 12)
    0.06

    """
    for a in range(flow.shape[0]):
        out[a] = _deriv1(vdf, fft[a], alpha[a], beta[a], cap[a], flow[a])


@nb.njit(cache=True)
def beckmann(
    vdf: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    fixed: NDArray[np.float64],
    flow: NDArray[np.float64],
) -> float:
    """Return the Beckmann objective ``sum_a int_0^{v_a} t_a(s) ds``.

    Parameters
    ----------
    vdf : int
        0 for BPR, 1 for conical.
    fft, alpha, beta, cap, fixed, flow : numpy.ndarray of float64
        Per-link parameters and flows.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> one = np.ones(1)
    >>> beckmann(0, 10 * one, 0.15 * one, 4 * one, 100 * one, 0 * one, 100 * one)
    1030.0

    """
    total = 0.0
    for a in range(flow.shape[0]):
        total += _integral1(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], flow[a])
    return total


# ---------------------------------------------------------------------------- line search
@nb.njit(cache=True)
def line_search(
    vdf: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    fixed: NDArray[np.float64],
    flow: NDArray[np.float64],
    direction: NDArray[np.float64],
) -> float:
    """Return the step in ``[0, 1]`` minimising the objective along ``flow + step * direction``.

    Safeguarded Newton on the derivative ``g(s) = sum t(v + s d) d`` (non-decreasing in
    ``s``), falling back to bisection of the bracket whenever a Newton step leaves it.

    Parameters
    ----------
    vdf : int
        0 for BPR, 1 for conical.
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
            g_hi += _cost1(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], v) * direction[a]
    if g_hi <= 0.0:
        return 1.0
    g_lo = 0.0
    for a in range(n):
        if direction[a] != 0.0:
            g_lo += _cost1(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], flow[a]) * direction[a]
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
                g += _cost1(vdf, fft[a], alpha[a], beta[a], cap[a], fixed[a], v) * d
                h += _deriv1(vdf, fft[a], alpha[a], beta[a], cap[a], v) * d * d
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


# ---------------------------------------------------------------------------- shortest paths
@nb.njit(cache=True)
def _sssp(
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
) -> int:
    """One Dijkstra from ``origin``; stop once ``n_targets`` targets are settled (-1: all).

    Indexed 4-ary heap with decrease-key: ``hkey`` and ``hnode`` are the key and node in
    each slot (keys beside the nodes, so sifting reads one contiguous array), ``pos`` each
    node's slot (-1 never reached, -2 settled). ``adj_cost`` is the link cost in
    forward-star order. Returns the number of settled nodes (their order in ``order``).
    Slots and nodes are int32, so the graph must have fewer than ``2**31`` nodes.
    """
    n = indptr.shape[0] - 1
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
        pos[i] = -1
    dist[origin] = 0.0
    hkey[0] = 0.0
    hnode[0] = origin
    pos[origin] = 0
    size = 1
    settled = 0
    remaining = n_targets
    while size > 0:
        u = hnode[0]
        du = hkey[0]
        pos[u] = -2
        size -= 1
        if size > 0:  # move the last entry to the root and sift it down
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
        order[settled] = u
        settled += 1
        if targets[u]:
            remaining -= 1
            if remaining == 0:
                break
        if u < first_thru_node and u != origin:
            continue
        for e in range(indptr[u], indptr[u + 1]):
            v = adj_head[e]
            pv = pos[v]
            if pv == -2:
                continue
            nd = du + adj_cost[e]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = adj_link[e]
                if pv == -1:  # push: start at a new last slot
                    i = size
                    size += 1
                else:  # decrease-key: start at the node's slot
                    i = pv
                while i > 0:  # sift up
                    q = (i - 1) >> 2
                    kq = hkey[q]
                    if kq > nd:
                        hq = hnode[q]
                        hkey[i] = kq
                        hnode[i] = hq
                        pos[hq] = i
                        i = q
                    else:
                        break
                hkey[i] = nd
                hnode[i] = v
                pos[v] = i
    return settled


@nb.njit(cache=True)
def shortest_path_tree(
    origin: int,
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    cost: NDArray[np.float64],
    first_thru_node: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Return the shortest-path distances and predecessor links from one origin.

    Parameters
    ----------
    origin : int
        Origin node.
    indptr, adj_head, adj_link : numpy.ndarray of int64
        Forward star from :func:`build_csr`.
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
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    hkey = np.empty(n)
    hnode = np.empty(n, dtype=np.int32)
    pos = np.empty(n, dtype=np.int32)
    targets = np.zeros(n, dtype=np.bool_)
    adj_cost = cost[adj_link]
    _sssp(
        origin, indptr, adj_head, adj_link, adj_cost, first_thru_node, targets, -1,
        dist, pred, order, hkey, hnode, pos,
    )  # fmt: skip
    return dist, pred


@nb.njit(cache=True)
def _aon_chunk(
    c: int,
    n_chunks: int,
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    tail: NDArray[np.int64],
    adj_cost: NDArray[np.float64],
    demand: NDArray[np.float64],
    first_thru_node: int,
    flow: NDArray[np.float64],
) -> tuple[float, float]:
    """Load origins ``c, c + n_chunks, ...`` into ``flow``; return (SPTT, unrouted trips)."""
    n = indptr.shape[0] - 1
    nz = demand.shape[0]
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    hkey = np.empty(n)
    hnode = np.empty(n, dtype=np.int32)
    pos = np.empty(n, dtype=np.int32)
    targets = np.zeros(n, dtype=np.bool_)
    node_flow = np.zeros(n)
    sptt = 0.0
    lost = 0.0
    for o in range(c, nz, n_chunks):
        n_t = 0
        for d in range(nz):
            if demand[o, d] > 0.0 and d != o:
                targets[d] = True
                n_t += 1
        if n_t == 0:
            continue
        settled = _sssp(
            o, indptr, adj_head, adj_link, adj_cost, first_thru_node, targets, n_t,
            dist, pred, order, hkey, hnode, pos,
        )  # fmt: skip
        for d in range(nz):
            if targets[d]:
                targets[d] = False
                q = demand[o, d]
                if dist[d] < np.inf:
                    node_flow[d] = q
                    sptt += q * dist[d]
                else:
                    lost += q
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


@nb.njit(cache=True, parallel=True)
def _aon_parallel(
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    tail: NDArray[np.int64],
    adj_cost: NDArray[np.float64],
    demand: NDArray[np.float64],
    first_thru_node: int,
    n_chunks: int,
) -> tuple[NDArray[np.float64], float, float]:
    m = tail.shape[0]
    buf = np.zeros((n_chunks, m))
    sptt_c = np.zeros(n_chunks)
    lost_c = np.zeros(n_chunks)
    for c in nb.prange(n_chunks):
        s, lo = _aon_chunk(
            c, n_chunks, indptr, adj_head, adj_link, tail, adj_cost, demand, first_thru_node, buf[c]
        )
        sptt_c[c] = s
        lost_c[c] = lo
    out = np.zeros(m)
    for c in range(n_chunks):
        out += buf[c]
    return out, sptt_c.sum(), lost_c.sum()


def all_or_nothing(
    indptr: NDArray[np.int64],
    adj_head: NDArray[np.int64],
    adj_link: NDArray[np.int64],
    tail: NDArray[np.int64],
    cost: NDArray[np.float64],
    demand: NDArray[np.float64],
    first_thru_node: int,
    n_chunks: int,
) -> tuple[NDArray[np.float64], float, float]:
    """Load every origin's demand onto its shortest-path tree (all-or-nothing).

    With ``n_chunks > 1`` the origins are split into that many interleaved chunks run on
    numba's thread pool, each with its own flow buffer, summed at the end; with
    ``n_chunks == 1`` everything runs serially on the calling thread (no thread
    hand-off, which matters on small networks and busy machines).

    Parameters
    ----------
    indptr, adj_head, adj_link : numpy.ndarray of int64
        Forward star from :func:`build_csr`.
    tail : numpy.ndarray of int64
        Tail node of each link.
    cost : numpy.ndarray of float64
        Non-negative link costs.
    demand : numpy.ndarray of float64
        ``(n_zones, n_zones)`` trips; zones are nodes ``0..n_zones-1``.
    first_thru_node : int
        Nodes below it are not passed through.
    n_chunks : int
        Number of parallel chunks (1 runs serially).

    Returns
    -------
    flow : numpy.ndarray of float64
        Link flows.
    sptt : float
        Sum over OD pairs of trips times shortest-path cost.
    unrouted : float
        Trips with no path (not loaded).

    Examples
    --------
    >>> import numpy as np
    >>> tail, head = np.array([0, 0, 2]), np.array([1, 2, 1])
    >>> from corridor.graph.csr import build_csr
    >>> ip, hd, lk = build_csr(3, tail, head)
    >>> dem = np.array([[0.0, 5.0], [0.0, 0.0]])
    >>> f, sptt, un = all_or_nothing(ip, hd, lk, tail, np.array([10.0, 4.0, 4.0]), dem, 0, 1)
    >>> f.tolist(), sptt, un
    ([0.0, 5.0, 5.0], 40.0, 0.0)

    """
    n_chunks = max(1, min(int(n_chunks), demand.shape[0]))
    adj_cost = np.ascontiguousarray(cost[adj_link])
    if n_chunks == 1:
        flow = np.zeros(tail.shape[0])
        sptt, lost = _aon_chunk(
            0, 1, indptr, adj_head, adj_link, tail, adj_cost, demand, first_thru_node, flow
        )
        return flow, float(sptt), float(lost)
    out, sptt, lost = _aon_parallel(
        indptr, adj_head, adj_link, tail, adj_cost, demand, first_thru_node, n_chunks
    )
    return out, float(sptt), float(lost)
