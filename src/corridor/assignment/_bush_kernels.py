"""Compiled kernels of the origin-based (bush) assignment, Dial's Algorithm B.

Everything here works on numpy arrays and numba typed lists and is compiled lazily by numba
(``cache=True``); nothing is compiled at import. The driver is
:func:`corridor.assignment.bush.solve_bush`.

Data layout
-----------
The bushes live on the contracted graph (:mod:`corridor.assignment.contract`): links
``0..n_links-1`` with ``tail``/``head``, each the chain of original links
``member_link[member_ptr[c]:member_ptr[c + 1]]`` whose costs add up (the volume-delay
functions of :mod:`corridor.assignment.vdf`). ``out_ptr``/``out_link`` is the forward star.

Each origin's bush (an acyclic subgraph rooted at the origin) is stored sparsely, so memory
grows with the bush, not with origins x links:

``blink[k]`` (int32)
    the bush's links, grouped by head node, the groups in a topological order of their
    heads (the origin, first in that order, has no group); the node at each position is the
    head of its group's links;
``bflow[k]`` (float64)
    the origin's flow on each of those links.

Per-node labels (shortest and longest path, their last links as positions in ``blink[k]``,
topological positions) are scratch arrays reused from one bush to the next, as in Boyles'
``tap-b``. A node ``i < first_thru`` other than the origin is a zone that may not be passed
through: links leaving it never enter the bush and Dijkstra never expands it.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.typed import List

from corridor.assignment.vdf import vdf_cost, vdf_derivative
from corridor.graph._heap import heap_pop, heap_push, heap_reset

# Results of a bush update (see ``update_bushes``).
SWEEP_OK = 0
SWEEP_CYCLE = 1


@njit(cache=True, inline="always")
def _chain_cost(
    c: int,
    v: float,
    member_ptr: np.ndarray,
    member_link: np.ndarray,
    code: int,
    fft: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Cost and derivative of contracted link ``c`` carrying ``v`` (sums over its members)."""
    cost = 0.0
    der = 0.0
    for p in range(member_ptr[c], member_ptr[c + 1]):
        a = member_link[p]
        cost += vdf_cost(code, fft[a], alpha[a], beta[a], cap[a], fixed[a], v)
        der += vdf_derivative(code, fft[a], alpha[a], beta[a], cap[a], v)
    return cost, der


@njit(cache=True)
def update_costs(
    v: np.ndarray,
    member_ptr: np.ndarray,
    member_link: np.ndarray,
    code: int,
    fft: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
    cost: np.ndarray,
    deriv: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Fill ``cost`` and ``deriv`` of every contracted link for the flows ``v``."""
    for c in range(v.shape[0]):
        cost[c], deriv[c] = _chain_cost(
            c, v[c], member_ptr, member_link, code, fft, alpha, beta, cap, fixed
        )


@njit(cache=True)
def total_flows(blink: List, bflow: List, v: np.ndarray) -> None:  # pragma: no cover
    """``v`` = the sum over bushes of the origins' link flows (wipes incremental drift)."""
    for c in range(v.shape[0]):
        v[c] = 0.0
    for k in range(len(blink)):
        bl = blink[k]
        bf = bflow[k]
        for s in range(bl.shape[0]):
            v[bl[s]] += bf[s]


@njit(cache=True)
def origin_link_flows(
    blink: List, bflow: List, n_links: int
) -> np.ndarray:  # pragma: no cover - compiled
    """Return the dense ``(n_origins, n_links)`` flows of every origin (for tests)."""
    out = np.zeros((len(blink), n_links))
    for k in range(len(blink)):
        bl = blink[k]
        bf = bflow[k]
        for s in range(bl.shape[0]):
            out[k, bl[s]] += bf[s]
    return out


@njit(cache=True, nogil=True)
def init_bushes(
    lo: int,
    hi: int,
    orig_nodes: np.ndarray,
    demand: np.ndarray,
    first_thru: int,
    tail: np.ndarray,
    head: np.ndarray,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    cost: np.ndarray,
    blink: List,
    bflow: List,
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Start the bushes of origins ``lo..hi-1`` as shortest-path trees, loaded all or nothing.

    Sets items ``lo..hi-1`` of ``blink``/``bflow`` (one thread per block of origins may
    run this at the same time). Return ``(-1, -1)``, or ``(origin, destination)`` of a
    positive demand that cannot be reached.
    """
    n = out_ptr.shape[0] - 1
    adj_head = head[out_link]
    adj_cost = cost[out_link]
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    hkey = np.empty(n)
    hnode = np.empty(n, dtype=np.int32)
    pos = np.empty(n, dtype=np.int32)
    node_flow = np.zeros(n)
    for k in range(lo, hi):
        o = orig_nodes[k]
        # every reachable node: links may later be added towards any of them
        for i in range(n):
            dist[i] = np.inf
        heap_reset(pos)
        dist[o] = 0.0
        size = heap_push(hkey, hnode, pos, 0, o, 0.0)
        cnt = 0
        while size > 0:
            u, du, size = heap_pop(hkey, hnode, pos, size)
            order[cnt] = u
            cnt += 1
            if u < first_thru and u != o:
                continue
            for e in range(out_ptr[u], out_ptr[u + 1]):
                w = adj_head[e]
                nd = du + adj_cost[e]
                if nd < dist[w]:
                    dist[w] = nd
                    pred[w] = out_link[e]
                    size = heap_push(hkey, hnode, pos, size, w, nd)
        for z in range(demand.shape[1]):
            q = demand[k, z]
            if q > 0.0:
                if dist[z] == np.inf:
                    return o, z
                node_flow[z] = q
        bl = np.empty(cnt - 1, dtype=np.int32)
        bf = np.zeros(cnt - 1)
        for p in range(cnt - 1, 0, -1):
            j = order[p]
            a = pred[j]
            bl[p - 1] = a
            f = node_flow[j]
            if f > 0.0:
                bf[p - 1] = f
                node_flow[tail[a]] += f
            node_flow[j] = 0.0
        node_flow[o] = 0.0
        blink[k] = bl
        bflow[k] = bf
    return -1, -1


@njit(cache=True)
def _labels(
    origin: int,
    tail: np.ndarray,
    head: np.ndarray,
    cost: np.ndarray,
    bl: np.ndarray,
    bf: np.ndarray,
    used_only: bool,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
    gstart: np.ndarray,
    tpos: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Shortest and longest path labels in topological order over one bush.

    ``pmin``/``pmax`` get positions in ``bl`` (``-1`` at the origin); the longest path uses
    only links with flow if ``used_only`` (``pmax = -1`` at nodes without inflow), else every
    bush link. ``gstart[p]`` is where the group of the node at topological position ``p``
    starts (``gstart[p + 1]`` where it ends) and ``tpos`` each node's position. Returns
    the number of positions (nodes reached, the origin included).
    """
    lmin[origin] = 0.0
    lmax[origin] = 0.0
    pmin[origin] = -1
    pmax[origin] = -1
    tpos[origin] = 0
    gstart[0] = 0
    length = bl.shape[0]
    s = 0
    p = 0
    while s < length:
        p += 1
        gstart[p] = s
        j = head[bl[s]]
        tpos[j] = p
        best = np.inf
        worst = -np.inf
        bmin = -1
        bmax = -1
        while s < length and head[bl[s]] == j:
            a = bl[s]
            i = tail[a]
            c = cost[a]
            d = lmin[i] + c
            if d < best:
                best = d
                bmin = s
            if not (used_only and bf[s] <= 0.0) and (pmax[i] >= 0 or i == origin):
                d = lmax[i] + c
                if d > worst:
                    worst = d
                    bmax = s
            s += 1
        lmin[j] = best
        pmin[j] = bmin
        lmax[j] = worst
        pmax[j] = bmax
    gstart[p + 1] = length
    return p + 1


@njit(cache=True)
def _update_bush(
    k: int,
    origin: int,
    first_thru: int,
    tail: np.ndarray,
    head: np.ndarray,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    cost: np.ndarray,
    blink: List,
    bflow: List,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
    gstart: np.ndarray,
    tpos: np.ndarray,
    in_bush: np.ndarray,
    iwork: np.ndarray,
    jwork: np.ndarray,
    lflow: np.ndarray,
) -> bool:  # pragma: no cover - compiled
    """Drop unused links (keeping a shortest-path tree) and add improving ones.

    A link ``(i, j)`` is added when ``U_i + c_ij < U_j`` with ``U`` the longest-path label
    over the pruned bush: every bush link has ``U_j >= U_i + c_ij``, so the new bush is
    acyclic. Return ``False`` if a cycle was found anyway (a bug).
    """
    bl = blink[k]
    bf = bflow[k]
    cnt = _labels(origin, tail, head, cost, bl, bf, False, lmin, lmax, pmin, pmax, gstart, tpos)
    # prune: keep links with flow and each node's shortest-path link
    keep = 0
    for p in range(1, cnt):
        j = head[bl[gstart[p]]]
        for s in range(gstart[p], gstart[p + 1]):
            if bf[s] > 0.0 or s == pmin[j]:
                bl[keep] = bl[s]
                bf[keep] = bf[s]
                keep += 1
    if keep < bl.shape[0]:  # the longest paths may have become shorter
        bl = bl[:keep].copy()
        bf = bf[:keep].copy()
        cnt = _labels(origin, tail, head, cost, bl, bf, False, lmin, lmax, pmin, pmax, gstart, tpos)
    # add improving links between nodes of the bush
    for s in range(keep):
        in_bush[bl[s]] = True
    order = jwork  # the node at each topological position
    order[0] = origin
    for p in range(1, cnt):
        order[p] = head[bl[gstart[p]]]
    added = 0
    extra = iwork  # links to add, reusing a scratch array (at most n_links of them)
    n = tpos.shape[0]
    for i in range(n):  # in node order: the forward star is read front to back
        if tpos[i] < 0 or (i < first_thru and i != origin):
            continue
        ui = lmax[i]
        for e in range(out_ptr[i], out_ptr[i + 1]):
            a = out_link[e]
            if in_bush[a]:
                continue
            j = head[a]
            if j == origin or tpos[j] < 0:
                continue
            uj = lmax[j]
            if ui + cost[a] < uj - 1e-14 * abs(uj):
                in_bush[a] = True
                extra[added] = a
                added += 1
    if added == 0:
        for s in range(keep):
            in_bush[bl[s]] = False
        blink[k] = bl
        bflow[k] = bf
        return True  # the old order is still topological for the pruned bush
    # new topological order (Kahn) over the bush's links, then regroup them by head
    total = keep + added
    links = np.empty(total, dtype=np.int64)
    for s in range(keep):
        links[s] = bl[s]
        lflow[bl[s]] = bf[s]
    for q in range(added):
        links[keep + q] = extra[q]
        lflow[extra[q]] = 0.0
    indeg = iwork  # reuse: the extra links are copied out
    for p in range(cnt):
        indeg[order[p]] = 0
    for s in range(total):
        indeg[head[links[s]]] += 1
    # bush out-adjacency by counting sort on the tails' positions
    optr = np.zeros(cnt + 1, dtype=np.int64)
    for s in range(total):
        optr[tpos[tail[links[s]]] + 1] += 1
    for p in range(cnt):
        optr[p + 1] += optr[p]
    fill = optr[:-1].copy()
    olink = np.empty(total, dtype=np.int64)
    for s in range(total):
        t = tpos[tail[links[s]]]
        olink[fill[t]] = links[s]
        fill[t] += 1
    new_order = np.empty(cnt, dtype=np.int64)
    new_order[0] = origin
    front = 0
    back = 1
    while front < back:
        i = new_order[front]
        front += 1
        t = tpos[i]
        for q in range(optr[t], optr[t + 1]):
            j = head[olink[q]]
            indeg[j] -= 1
            if indeg[j] == 0:
                if back >= cnt:
                    back = cnt + 1
                    break
                new_order[back] = j
                back += 1
        if back > cnt:
            break
    for s in range(total):
        in_bush[links[s]] = False
    if back != cnt:
        return False
    # group the links by their head's new position
    for p in range(cnt):
        tpos[new_order[p]] = p
    gptr = np.zeros(cnt + 1, dtype=np.int64)
    for s in range(total):
        gptr[tpos[head[links[s]]] + 1] += 1
    for p in range(cnt):
        gptr[p + 1] += gptr[p]
    nbl = np.empty(total, dtype=np.int32)
    nbf = np.empty(total)
    for s in range(total):
        a = links[s]
        t = tpos[head[a]]
        nbl[gptr[t]] = a
        nbf[gptr[t]] = lflow[a]
        gptr[t] += 1
    blink[k] = nbl
    bflow[k] = nbf
    return True


@njit(cache=True)
def _shift_flows(
    origin: int,
    tail: np.ndarray,
    head: np.ndarray,
    member_ptr: np.ndarray,
    member_link: np.ndarray,
    code: int,
    fft: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
    v: np.ndarray,
    cost: np.ndarray,
    deriv: np.ndarray,
    bl: np.ndarray,
    bf: np.ndarray,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
    gstart: np.ndarray,
    tpos: np.ndarray,
    min_gap: float,
) -> float:  # pragma: no cover - compiled
    """One pass of Newton flow shifts over one bush; return the largest gap.

    Nodes are visited in reverse topological order; at each one flow moves from the longest
    used path segment to the shortest one, back to where the two diverge. The returned figure
    is the largest ``U_j - L_j`` over nodes with inflow, measured before the shifts; nodes
    where it is at most ``min_gap`` are left as they are.
    """
    cnt = _labels(origin, tail, head, cost, bl, bf, True, lmin, lmax, pmin, pmax, gstart, tpos)
    worst = 0.0
    for p in range(cnt - 1, 0, -1):
        j = head[bl[gstart[p]]]
        wl = pmax[j]
        if wl < 0:
            continue
        g = lmax[j] - lmin[j]
        if g > worst:
            worst = g
        bm = pmin[j]
        if g <= min_gap or g <= 1e-15 * lmax[j] or wl == bm:
            continue
        # divergence node: walk both trees back, the later node (in topological order) first
        m = tail[bl[bm]]
        big = tail[bl[wl]]
        while m != big:
            if tpos[m] > tpos[big]:
                m = tail[bl[pmin[m]]]
            else:
                big = tail[bl[pmax[big]]]
        div = m
        c_min = 0.0
        d_sum = 0.0
        i = j
        while i != div:
            s = pmin[i]
            a = bl[s]
            c_min += cost[a]
            d_sum += deriv[a]
            i = tail[a]
        c_max = 0.0
        bound = np.inf
        i = j
        while i != div:
            s = pmax[i]
            a = bl[s]
            c_max += cost[a]
            d_sum += deriv[a]
            if bf[s] < bound:
                bound = bf[s]
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
            s = pmax[i]
            a = bl[s]
            # Snap rounding residue to zero: a link left with a few ulps of flow would keep a
            # long "used" path alive and block the bush update.
            x_old = bf[s]
            moved = step
            if x_old - step <= 1e-12 * x_old:
                moved = x_old
                bf[s] = 0.0
            else:
                bf[s] = x_old - step
            nv = v[a] - moved
            v[a] = nv if nv > 0.0 else 0.0
            cost[a], deriv[a] = _chain_cost(
                a, v[a], member_ptr, member_link, code, fft, alpha, beta, cap, fixed
            )
            i = tail[a]
        i = j
        while i != div:
            s = pmin[i]
            a = bl[s]
            bf[s] += step
            v[a] += step
            cost[a], deriv[a] = _chain_cost(
                a, v[a], member_ptr, member_link, code, fft, alpha, beta, cap, fixed
            )
            i = tail[a]
    return worst


@njit(cache=True, nogil=True)
def update_bushes(
    lo: int,
    hi: int,
    orig_nodes: np.ndarray,
    first_thru: int,
    tail: np.ndarray,
    head: np.ndarray,
    out_ptr: np.ndarray,
    out_link: np.ndarray,
    cost: np.ndarray,
    blink: List,
    bflow: List,
    lmin: np.ndarray,
    lmax: np.ndarray,
    pmin: np.ndarray,
    pmax: np.ndarray,
    gstart: np.ndarray,
    tpos: np.ndarray,
    in_bush: np.ndarray,
    iwork: np.ndarray,
    jwork: np.ndarray,
    lflow: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Update the bushes of origins ``lo..hi-1`` at ``cost``; return SWEEP_OK or SWEEP_CYCLE.

    Reads the costs and writes only these origins' bushes, so threads may update disjoint
    blocks at once, each with its own scratch arrays (``tpos`` all -1 and ``in_bush`` all
    False on entry, and so on return).
    """
    for k in range(lo, hi):
        o = orig_nodes[k]
        ok = _update_bush(k, o, first_thru, tail, head, out_ptr, out_link, cost, blink, bflow,
                          lmin, lmax, pmin, pmax, gstart, tpos, in_bush, iwork, jwork,
                          lflow)  # fmt: skip
        bl = blink[k]
        tpos[o] = -1
        for s in range(bl.shape[0]):
            tpos[head[bl[s]]] = -1
        if not ok:
            for p in range(tpos.shape[0]):
                tpos[p] = -1
            return SWEEP_CYCLE
    return SWEEP_OK


@njit(cache=True)
def shift_sweep(
    skip_balanced: bool,
    tol: float,
    shift_tol: float,
    n_nodes: int,
    orig_nodes: np.ndarray,
    tail: np.ndarray,
    head: np.ndarray,
    member_ptr: np.ndarray,
    member_link: np.ndarray,
    code: int,
    fft: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    cap: np.ndarray,
    fixed: np.ndarray,
    v: np.ndarray,
    cost: np.ndarray,
    deriv: np.ndarray,
    blink: List,
    bflow: List,
    bush_gap: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Visit every origin once and shift flows on its bush (Gauss–Seidel: costs move as it goes).

    With ``skip_balanced``, origins whose last measured bush gap (``bush_gap``) is at most
    ``tol`` are skipped. Flow moves only at nodes whose gap exceeds ``shift_tol``.
    """
    n = n_nodes
    lmin = np.empty(n)
    lmax = np.empty(n)
    pmin = np.empty(n, dtype=np.int64)
    pmax = np.empty(n, dtype=np.int64)
    gstart = np.empty(n + 1, dtype=np.int64)
    tpos = np.empty(n, dtype=np.int64)
    for k in range(orig_nodes.shape[0]):
        if skip_balanced and bush_gap[k] <= tol:
            continue
        bush_gap[k] = _shift_flows(orig_nodes[k], tail, head, member_ptr, member_link, code,
                                   fft, alpha, beta, cap, fixed, v, cost, deriv, blink[k],
                                   bflow[k], lmin, lmax, pmin, pmax, gstart, tpos,
                                   shift_tol)  # fmt: skip
