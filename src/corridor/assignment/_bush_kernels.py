"""Compiled kernels of the origin-based (bush) assignment, Dial's Algorithm B.

Everything here works on preallocated numpy arrays and is compiled lazily by numba
(``cache=True``); nothing is compiled at import. The driver is
:func:`corridor.assignment.bush.solve_bush`.

Data layout
-----------
Links are numbered ``0..n_links-1`` with ``tail``/``head`` node arrays. ``out_ptr``/``out_link``
is the forward star (links leaving node ``i`` are ``out_link[out_ptr[i]:out_ptr[i+1]]``) and
``in_ptr``/``in_link`` the reverse star. One bush per origin with demand, row ``k`` of:

``bush[k, a]``
    link ``a`` belongs to the bush (an acyclic subgraph rooted at the origin);
``xo[k, a]``
    the flow on link ``a`` that comes from this origin;
``order[k, :n_order[k]]``
    the nodes the bush reaches, in topological order (the origin first).

A node ``i < first_thru`` other than the origin is a zone that may not be passed through:
links leaving it never enter the bush and Dijkstra never expands it.

Volume-delay functions (``vdf``): ``0`` BPR ``t0 (1 + alpha (v/c)^beta)``; ``1`` conical
(Spiess 1990) ``t0 (2 + sqrt(a^2 (1-v/c)^2 + b^2) - a (1-v/c) - b)`` with Spiess's ``a`` taken
from the link's ``beta`` (power) and ``b = (2a - 1) / (2a - 2)``, as in
:mod:`corridor.assignment._kernels` (``alpha`` is not used). The link's fixed cost is added
to both.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

VDF_BPR = 0
VDF_CONICAL = 1

# Results of a sweep (see ``bush_sweep``).
SWEEP_OK = 0
SWEEP_CYCLE = 1


@njit(cache=True)
def link_cost(
    v: float,
    fft: float,
    cap: float,
    alpha: float,
    beta: float,
    fixed: float,
    vdf: int,
) -> float:  # pragma: no cover - compiled
    """Return the cost of one link carrying ``v``."""
    x = v / cap
    if vdf == VDF_BPR:
        if alpha == 0.0 or fft == 0.0:
            return fft + fixed
        return fft * (1.0 + alpha * math.pow(x, beta)) + fixed
    b = (2.0 * beta - 1.0) / (2.0 * beta - 2.0)
    u = beta * (1.0 - x)
    return fft * (2.0 + math.sqrt(u * u + b * b) - u - b) + fixed


@njit(cache=True)
def link_derivative(
    v: float,
    fft: float,
    cap: float,
    alpha: float,
    beta: float,
    vdf: int,
) -> float:  # pragma: no cover - compiled
    """Return d cost / d flow of one link carrying ``v``."""
    if fft == 0.0:
        return 0.0
    x = v / cap
    if vdf == VDF_BPR:
        if beta == 0.0 or alpha == 0.0:
            return 0.0
        if beta == 1.0:
            return fft * alpha / cap
        if x <= 0.0:
            return 0.0 if beta > 1.0 else 1e300
        return fft * alpha * beta * math.pow(x, beta - 1.0) / cap
    b = (2.0 * beta - 1.0) / (2.0 * beta - 2.0)
    u = beta * (1.0 - x)
    return fft / cap * beta * (1.0 - u / math.sqrt(u * u + b * b))


@njit(cache=True)
def update_costs(
    v: np.ndarray,
    fft: np.ndarray,
    cap: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    fixed: np.ndarray,
    vdf: int,
    cost: np.ndarray,
    deriv: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Fill ``cost`` and ``deriv`` for the link flows ``v``."""
    for a in range(v.shape[0]):
        cost[a] = link_cost(v[a], fft[a], cap[a], alpha[a], beta[a], fixed[a], vdf)
        deriv[a] = link_derivative(v[a], fft[a], cap[a], alpha[a], beta[a], vdf)


@njit(cache=True)
def dijkstra(
    origin: int,
    first_thru: int,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    head: np.ndarray,
    cost: np.ndarray,
    dist: np.ndarray,
    pred: np.ndarray,
    settled: np.ndarray,
    heap_d: np.ndarray,
    heap_n: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Shortest paths from ``origin``; return how many nodes were settled.

    ``dist`` gets the distances (``inf`` where unreachable), ``pred`` the last link of a
    shortest path (``-1`` at the origin and unreachable nodes) and ``settled[:n]`` the nodes in
    the order they were settled, which is a topological order of the shortest-path tree.
    ``heap_d``/``heap_n`` are scratch arrays of length ``n_links + 1`` (lazy deletion).
    """
    n = dist.shape[0]
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
    done = np.zeros(n, dtype=np.bool_)
    dist[origin] = 0.0
    size = 0
    heap_d[0] = 0.0
    heap_n[0] = origin
    size = 1
    n_settled = 0
    while size > 0:
        d = heap_d[0]
        i = heap_n[0]
        size -= 1
        if size > 0:  # move the last item to the root and sift it down
            ld = heap_d[size]
            ln = heap_n[size]
            pos = 0
            while True:
                c = 2 * pos + 1
                if c >= size:
                    break
                if c + 1 < size and heap_d[c + 1] < heap_d[c]:
                    c += 1
                if heap_d[c] < ld:
                    heap_d[pos] = heap_d[c]
                    heap_n[pos] = heap_n[c]
                    pos = c
                else:
                    break
            heap_d[pos] = ld
            heap_n[pos] = ln
        if done[i] or d > dist[i]:
            continue
        done[i] = True
        settled[n_settled] = i
        n_settled += 1
        if i < first_thru and i != origin:
            continue  # a zone: may end a path here but not pass through
        for e in range(out_ptr[i], out_ptr[i + 1]):
            a = out_link[e]
            j = head[a]
            nd = d + cost[a]
            if nd < dist[j]:
                dist[j] = nd
                pred[j] = a
                pos = size  # push, sift up
                size += 1
                while pos > 0:
                    p = (pos - 1) // 2
                    if heap_d[p] <= nd:
                        break
                    heap_d[pos] = heap_d[p]
                    heap_n[pos] = heap_n[p]
                    pos = p
                heap_d[pos] = nd
                heap_n[pos] = j
    return n_settled


@njit(cache=True)
def shortest_path_total(
    orig_nodes: np.ndarray,
    demand: np.ndarray,
    first_thru: int,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    head: np.ndarray,
    cost: np.ndarray,
) -> tuple[float, int, int]:  # pragma: no cover - compiled
    """Return ``(SPTT, -1, -1)``: sum of demand times shortest-path cost from every origin.

    ``demand`` has one row per entry of ``orig_nodes`` and one column per zone. If some
    positive demand cannot reach its destination, return ``(nan, origin, destination)``.
    """
    n = out_ptr.shape[0] - 1
    m = out_link.shape[0]
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    settled = np.empty(n, dtype=np.int64)
    heap_d = np.empty(m + 1)
    heap_n = np.empty(m + 1, dtype=np.int64)
    total = 0.0
    for k in range(orig_nodes.shape[0]):
        o = orig_nodes[k]
        dijkstra(o, first_thru, out_ptr, out_link, head, cost, dist, pred, settled, heap_d, heap_n)
        for z in range(demand.shape[1]):
            q = demand[k, z]
            if q > 0.0:
                if dist[z] == np.inf:
                    return np.nan, o, z
                total += q * dist[z]
    return total, -1, -1


@njit(cache=True)
def init_bushes(
    orig_nodes: np.ndarray,
    demand: np.ndarray,
    first_thru: int,
    tail: np.ndarray,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    head: np.ndarray,
    cost: np.ndarray,
    bush: np.ndarray,
    xo: np.ndarray,
    order: np.ndarray,
    n_order: np.ndarray,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Start every bush as the shortest-path tree and load its demand on it (all or nothing).

    Return ``(-1, -1)``, or ``(origin, destination)`` of a positive demand that cannot be
    reached.
    """
    n = out_ptr.shape[0] - 1
    m = out_link.shape[0]
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    heap_d = np.empty(m + 1)
    heap_n = np.empty(m + 1, dtype=np.int64)
    node_flow = np.zeros(n)
    for k in range(orig_nodes.shape[0]):
        o = orig_nodes[k]
        cnt = dijkstra(
            o, first_thru, out_ptr, out_link, head, cost, dist, pred, order[k], heap_d, heap_n
        )
        n_order[k] = cnt
        for i in range(n):
            node_flow[i] = 0.0
        for z in range(demand.shape[1]):
            q = demand[k, z]
            if q > 0.0:
                if dist[z] == np.inf:
                    return o, z
                node_flow[z] = q
        for p in range(cnt - 1, 0, -1):
            j = order[k, p]
            a = pred[j]
            bush[k, a] = True
            f = node_flow[j]
            if f > 0.0:
                xo[k, a] = f
                node_flow[tail[a]] += f
    return -1, -1


@njit(cache=True)
def _labels(
    k: int,
    origin: int,
    in_ptr: np.ndarray,
    in_link: np.ndarray,
    tail: np.ndarray,
    cost: np.ndarray,
    bush: np.ndarray,
    xo: np.ndarray,
    order: np.ndarray,
    n_order: int,
    used_only: bool,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Shortest and longest path labels in topological order over the bush of origin ``k``.

    The longest path uses only links with flow if ``used_only`` (``pmax = -1`` at nodes
    without inflow), otherwise every bush link.
    """
    lmin[origin] = 0.0
    lmax[origin] = 0.0
    pmin[origin] = -1
    pmax[origin] = -1
    for p in range(1, n_order):
        j = order[k, p]
        best = np.inf
        worst = -np.inf
        bl = -1
        wl = -1
        for e in range(in_ptr[j], in_ptr[j + 1]):
            a = in_link[e]
            if not bush[k, a]:
                continue
            i = tail[a]
            c = cost[a]
            d = lmin[i] + c
            if d < best:
                best = d
                bl = a
            if used_only and xo[k, a] <= 0.0:
                continue
            if pmax[i] < 0 and i != origin:
                continue
            d = lmax[i] + c
            if d > worst:
                worst = d
                wl = a
        lmin[j] = best
        pmin[j] = bl
        lmax[j] = worst
        pmax[j] = wl


@njit(cache=True)
def _topological_order(
    k: int,
    origin: int,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    in_ptr: np.ndarray,
    in_link: np.ndarray,
    head: np.ndarray,
    bush: np.ndarray,
    order: np.ndarray,
    indeg: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Kahn's algorithm over the bush of origin ``k``; return the count, ``-1`` on a cycle."""
    n = indeg.shape[0]
    n_in = 0
    for j in range(n):
        c = 0
        for e in range(in_ptr[j], in_ptr[j + 1]):
            if bush[k, in_link[e]]:
                c += 1
        indeg[j] = c
        if c > 0:
            n_in += 1
    order[k, 0] = origin
    front = 0
    back = 1
    while front < back:
        i = order[k, front]
        front += 1
        for e in range(out_ptr[i], out_ptr[i + 1]):
            a = out_link[e]
            if bush[k, a]:
                j = head[a]
                indeg[j] -= 1
                if indeg[j] == 0:
                    order[k, back] = j
                    back += 1
    if back - 1 < n_in:
        return -1
    return back


@njit(cache=True)
def _update_bush(
    k: int,
    origin: int,
    first_thru: int,
    tail: np.ndarray,
    head: np.ndarray,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    in_ptr: np.ndarray,
    in_link: np.ndarray,
    cost: np.ndarray,
    bush: np.ndarray,
    xo: np.ndarray,
    order: np.ndarray,
    n_order: np.ndarray,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
    indeg: np.ndarray,
) -> bool:  # pragma: no cover - compiled
    """Drop unused links (keeping a shortest-path tree) and add improving ones.

    A link ``(i, j)`` is added when ``U_i + c_ij < U_j`` with ``U`` the longest-path label over
    the pruned bush: every bush link has ``U_j >= U_i + c_ij``, so the new bush is acyclic.
    Return ``False`` if a cycle was found anyway (a bug).
    """
    cnt = n_order[k]
    _labels(k, origin, in_ptr, in_link, tail, cost, bush, xo, order, cnt, False,
            lmin, lmax, pmin, pmax)  # fmt: skip
    for p in range(1, cnt):
        j = order[k, p]
        for e in range(in_ptr[j], in_ptr[j + 1]):
            a = in_link[e]
            if bush[k, a] and xo[k, a] <= 0.0 and a != pmin[j]:
                bush[k, a] = False
                xo[k, a] = 0.0
    _labels(k, origin, in_ptr, in_link, tail, cost, bush, xo, order, cnt, False,
            lmin, lmax, pmin, pmax)  # fmt: skip
    n = indeg.shape[0]
    reached = indeg  # reuse as a flag array before the topological sort
    for i in range(n):
        reached[i] = 0
    for p in range(cnt):
        reached[order[k, p]] = 1
    added = 0
    for p in range(cnt):
        i = order[k, p]
        if i < first_thru and i != origin:
            continue
        ui = lmax[i]
        for e in range(out_ptr[i], out_ptr[i + 1]):
            a = out_link[e]
            if bush[k, a]:
                continue
            j = head[a]
            if reached[j] == 0:
                continue
            uj = lmax[j]
            if ui + cost[a] < uj - 1e-14 * abs(uj):
                bush[k, a] = True
                added += 1
    if added == 0:
        return True  # the old order is still topological for the pruned bush
    got = _topological_order(k, origin, out_ptr, out_link, in_ptr, in_link, head, bush,
                             order, indeg)  # fmt: skip
    if got < 0:
        return False
    n_order[k] = got
    return True


@njit(cache=True)
def _shift_flows(
    k: int,
    origin: int,
    tail: np.ndarray,
    in_ptr: np.ndarray,
    in_link: np.ndarray,
    fft: np.ndarray,
    cap: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    fixed: np.ndarray,
    vdf: int,
    v: np.ndarray,
    cost: np.ndarray,
    deriv: np.ndarray,
    bush: np.ndarray,
    xo: np.ndarray,
    order: np.ndarray,
    n_order: int,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
    pos: np.ndarray,
    min_gap: float,
) -> float:  # pragma: no cover - compiled
    """One pass of Newton flow shifts over the bush of origin ``k``; return the largest gap.

    Nodes are visited in reverse topological order; at each one flow moves from the longest
    used path segment to the shortest one, back to where the two diverge. The returned figure
    is the largest ``U_j - L_j`` over nodes with inflow, measured before the shifts; nodes
    where it is at most ``min_gap`` are left as they are.
    """
    _labels(k, origin, in_ptr, in_link, tail, cost, bush, xo, order, n_order, True,
            lmin, lmax, pmin, pmax)  # fmt: skip
    for p in range(n_order):
        pos[order[k, p]] = p
    worst = 0.0
    for p in range(n_order - 1, 0, -1):
        j = order[k, p]
        wl = pmax[j]
        if wl < 0:
            continue
        g = lmax[j] - lmin[j]
        if g > worst:
            worst = g
        if g <= min_gap or g <= 1e-15 * lmax[j] or wl == pmin[j]:
            continue
        # divergence node: walk both trees back, the later node (in topological order) first
        m = tail[pmin[j]]
        big = tail[wl]
        while m != big:
            if pos[m] > pos[big]:
                m = tail[pmin[m]]
            else:
                big = tail[pmax[big]]
        div = m
        c_min = 0.0
        d_sum = 0.0
        i = j
        while i != div:
            a = pmin[i]
            c_min += cost[a]
            d_sum += deriv[a]
            i = tail[a]
        c_max = 0.0
        bound = np.inf
        i = j
        while i != div:
            a = pmax[i]
            c_max += cost[a]
            d_sum += deriv[a]
            if xo[k, a] < bound:
                bound = xo[k, a]
            i = tail[a]
        diff = c_max - c_min
        if diff <= 0.0 or bound <= 0.0:
            continue
        if d_sum > 0.0:
            step = diff / d_sum
            if step > bound:
                step = bound
        else:
            step = bound
        i = j
        while i != div:
            a = pmax[i]
            # Snap rounding residue to zero: a link left with a few ulps of flow would keep a
            # long "used" path alive and block the bush update.
            x_old = xo[k, a]
            moved = step
            if x_old - step <= 1e-12 * x_old:
                moved = x_old
                xo[k, a] = 0.0
            else:
                xo[k, a] = x_old - step
            nv = v[a] - moved
            v[a] = nv if nv > 0.0 else 0.0
            cost[a] = link_cost(v[a], fft[a], cap[a], alpha[a], beta[a], fixed[a], vdf)
            deriv[a] = link_derivative(v[a], fft[a], cap[a], alpha[a], beta[a], vdf)
            i = tail[a]
        i = j
        while i != div:
            a = pmin[i]
            xo[k, a] += step
            v[a] += step
            cost[a] = link_cost(v[a], fft[a], cap[a], alpha[a], beta[a], fixed[a], vdf)
            deriv[a] = link_derivative(v[a], fft[a], cap[a], alpha[a], beta[a], vdf)
            i = tail[a]
    return worst


@njit(cache=True)
def bush_sweep(
    update: bool,
    tol: float,
    shift_tol: float,
    orig_nodes: np.ndarray,
    first_thru: int,
    tail: np.ndarray,
    head: np.ndarray,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    in_ptr: np.ndarray,
    in_link: np.ndarray,
    fft: np.ndarray,
    cap: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    fixed: np.ndarray,
    vdf: int,
    v: np.ndarray,
    cost: np.ndarray,
    deriv: np.ndarray,
    bush: np.ndarray,
    xo: np.ndarray,
    order: np.ndarray,
    n_order: np.ndarray,
    bush_gap: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Visit every origin once: update its bush if ``update``, then shift flows.

    Without ``update``, origins whose last measured bush gap (``bush_gap``) is at most ``tol``
    are skipped. Flow moves only at nodes whose gap exceeds ``shift_tol``. Return
    :data:`SWEEP_OK` or :data:`SWEEP_CYCLE`.
    """
    n = in_ptr.shape[0] - 1
    lmin = np.empty(n)
    lmax = np.empty(n)
    pmin = np.empty(n, dtype=np.int64)
    pmax = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    indeg = np.empty(n, dtype=np.int64)
    for k in range(orig_nodes.shape[0]):
        o = orig_nodes[k]
        if update:
            ok = _update_bush(k, o, first_thru, tail, head, out_ptr, out_link, in_ptr, in_link,
                              cost, bush, xo, order, n_order, lmin, lmax, pmin, pmax,
                              indeg)  # fmt: skip
            if not ok:
                return SWEEP_CYCLE
        elif bush_gap[k] <= tol:
            continue
        bush_gap[k] = _shift_flows(k, o, tail, in_ptr, in_link, fft, cap, alpha, beta, fixed,
                                   vdf, v, cost, deriv, bush, xo, order, n_order[k], lmin, lmax,
                                   pmin, pmax, pos, shift_tol)  # fmt: skip
    return SWEEP_OK
