"""Compiled kernels of the freight flow model (numba, compiled lazily, cached on disk).

Everything works on flat numpy arrays prepared by :mod:`corridor.flows.problem`:

* **queue delay** of capacity elements (Akçelik 1991, see :mod:`corridor.flows.delay`):
  ``d(x) = T/4 [(x - 1) + sqrt((x - 1)^2 + kappa x)]`` hours at use ``x = load / capacity``,
  its derivative and its integral (for the Beckmann objective);
* **element loads** from edge flows and **edge delays** from element delays, through the
  element membership (CSR: element ``j`` holds the global edges
  ``member[ptr[j]:ptr[j + 1]]``);
* an exact **line search** on the Beckmann objective along a direction in element space;
* **all-or-nothing loading per OD pair** (one Dijkstra per origin on the shared 4-ary heap of
  :mod:`corridor.graph._heap`; each OD's path written into its own row of flows).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from corridor.graph._heap import heap_pop, heap_push, heap_reset

__all__ = [
    "aon_od",
    "beckmann_elements",
    "delay",
    "delay_derivative",
    "edge_delays",
    "element_loads",
    "line_search",
]


# ---------------------------------------------------------------------------- delay
@njit(cache=True, inline="always")
def _delay1(x: float, kappa: float, period_h: float) -> float:  # pragma: no cover - compiled
    u = x - 1.0
    return float(0.25 * period_h * (u + np.sqrt(u * u + kappa * x)))


@njit(cache=True, inline="always")
def _ddelay1(x: float, kappa: float, period_h: float) -> float:  # pragma: no cover - compiled
    """D delay / d x."""
    u = x - 1.0
    r = np.sqrt(u * u + kappa * x)
    if r <= 0.0:  # kappa = 0 at x = 1: the kink of the deterministic queue
        return 0.25 * period_h
    return float(0.25 * period_h * (1.0 + (u + 0.5 * kappa) / r))


@njit(cache=True, inline="always")
def _idelay1(x: float, kappa: float, period_h: float) -> float:  # pragma: no cover - compiled
    """Integral of the delay over use from 0 to ``x`` (hours x capacity units)."""
    if x <= 0.0:
        return 0.0
    # sqrt(x^2 + (kappa - 2) x + 1) = sqrt((x + c)^2 + a2) with c = (kappa - 2) / 2
    c = 0.5 * (kappa - 2.0)
    a2 = 1.0 - c * c
    lin = 0.5 * x * x - x

    def prim(z: float) -> float:
        w = z + c
        s = np.sqrt(w * w + a2) if w * w + a2 > 0.0 else 0.0
        if a2 > 1e-300:
            return float(0.5 * (w * s + a2 * np.log(w + s)))
        return float(0.5 * w * abs(w))  # kappa = 0: the integrand is |z - 1|

    return float(0.25 * period_h * (lin + prim(x) - prim(0.0)))


@njit(cache=True)
def delay(
    load: np.ndarray, cap: np.ndarray, kappa: np.ndarray, period_h: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Fill ``out`` with the queue delay (hours) of each element at ``load``."""
    for j in range(load.shape[0]):
        out[j] = _delay1(load[j] / cap[j], kappa[j], period_h[j])


@njit(cache=True)
def delay_derivative(
    load: np.ndarray, cap: np.ndarray, kappa: np.ndarray, period_h: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Fill ``out`` with d delay / d load (hours per unit of load) of each element."""
    for j in range(load.shape[0]):
        out[j] = _ddelay1(load[j] / cap[j], kappa[j], period_h[j]) / cap[j]


@njit(cache=True)
def beckmann_elements(
    load: np.ndarray, cap: np.ndarray, kappa: np.ndarray, period_h: np.ndarray
) -> float:  # pragma: no cover - compiled
    """Return ``sum_j int_0^{load_j} d_j(s) ds`` (hours x load)."""
    total = 0.0
    for j in range(load.shape[0]):
        total += cap[j] * _idelay1(load[j] / cap[j], kappa[j], period_h[j])
    return total


# ---------------------------------------------------------------------------- membership
@njit(cache=True)
def element_loads(
    ptr: np.ndarray, member: np.ndarray, edge_flow: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Fill ``out[j]`` with the sum of the flows of element ``j``'s edges."""
    for j in range(ptr.shape[0] - 1):
        s = 0.0
        for i in range(ptr[j], ptr[j + 1]):
            s += edge_flow[member[i]]
        out[j] = s


@njit(cache=True)
def edge_delays(
    ptr: np.ndarray, member: np.ndarray, elem_delay: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Fill ``out`` (zeroed here) with the sum of the delays of the elements of each edge."""
    out[:] = 0.0
    for j in range(ptr.shape[0] - 1):
        dj = elem_delay[j]
        for i in range(ptr[j], ptr[j + 1]):
            out[member[i]] += dj


# ---------------------------------------------------------------------------- line search
@njit(cache=True)
def line_search(
    base_slope: float,
    load: np.ndarray,
    dload: np.ndarray,
    cap: np.ndarray,
    kappa: np.ndarray,
    period_h: np.ndarray,
) -> float:  # pragma: no cover - compiled
    """Step ``s`` in ``[0, 1]`` minimising the objective along ``load + s dload``.

    The objective's slope is ``g(s) = base_slope + sum_j d_j(load_j + s dload_j) dload_j``
    (``base_slope`` the flow-independent cost of the direction), non-decreasing in ``s``;
    safeguarded Newton on ``g`` with bisection fallback.
    """
    n = load.shape[0]

    def slope(s: float) -> tuple[float, float]:
        g = base_slope
        h = 0.0
        for j in range(n):
            dl = dload[j]
            if dl != 0.0:
                x = (load[j] + s * dl) / cap[j]
                g += _delay1(x, kappa[j], period_h[j]) * dl
                h += _ddelay1(x, kappa[j], period_h[j]) / cap[j] * dl * dl
        return g, h

    g1, _ = slope(1.0)
    if g1 <= 0.0:
        return 1.0
    g0, _ = slope(0.0)
    if g0 >= 0.0:
        return 0.0
    lo, hi = 0.0, 1.0
    s = -g0 / (g1 - g0)
    for _ in range(200):
        g, h = slope(s)
        if g > 0.0:
            hi = s
        else:
            lo = s
        if g == 0.0 or hi - lo < 1e-15:
            break
        nxt = s - g / h if h > 0.0 else -1.0
        if not (lo < nxt < hi):
            nxt = 0.5 * (lo + hi)
        if abs(nxt - s) < 1e-16:
            s = nxt
            break
        s = nxt
    return s


# ---------------------------------------------------------------------------- loading
@njit(cache=True)
def _dijkstra(
    origin: int,
    indptr: np.ndarray,
    adj_head: np.ndarray,
    adj_edge: np.ndarray,
    cost: np.ndarray,
    blocked: int,
    dist: np.ndarray,
    pred: np.ndarray,
    order: np.ndarray,
    hkey: np.ndarray,
    hnode: np.ndarray,
    pos: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Dijkstra from ``origin``; nodes below ``blocked`` (zones) are not passed through.

    ``cost`` is per edge (global ids in ``adj_edge``); returns the number of settled nodes,
    in settlement order in ``order``.
    """
    n = indptr.shape[0] - 1
    for i in range(n):
        dist[i] = np.inf
        pred[i] = -1
    heap_reset(pos)
    dist[origin] = 0.0
    size = heap_push(hkey, hnode, pos, 0, origin, 0.0)
    settled = 0
    while size > 0:
        u, du, size = heap_pop(hkey, hnode, pos, size)
        order[settled] = u
        settled += 1
        if u < blocked and u != origin:
            continue
        for a in range(indptr[u], indptr[u + 1]):
            v = adj_head[a]
            if pos[v] == -2:
                continue
            nd = du + cost[adj_edge[a]]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = adj_edge[a]
                size = heap_push(hkey, hnode, pos, size, v, nd)
    return settled


@njit(cache=True)
def aon_od(
    indptr: np.ndarray,
    adj_head: np.ndarray,
    adj_edge: np.ndarray,
    tail: np.ndarray,
    cost: np.ndarray,
    blocked: int,
    od_origin: np.ndarray,
    od_dest: np.ndarray,
    od_demand: np.ndarray,
    od_row: np.ndarray,
    out: np.ndarray,
    od_cost: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """All-or-nothing loading of each OD pair onto its shortest path, row by row.

    ``od_*`` list the pairs of one class sorted by origin; pair ``i`` writes
    ``od_demand[i]`` onto the edges of its path in row ``od_row[i]`` of ``out`` (rows are
    zeroed first) and its path cost into ``od_cost[i]``. Returns the index of the first
    pair without a path, or -1.
    """
    n = indptr.shape[0] - 1
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    hkey = np.empty(n)
    hnode = np.empty(n, dtype=np.int32)
    pos = np.empty(n, dtype=np.int32)
    bad = -1
    i = 0
    n_od = od_origin.shape[0]
    while i < n_od:
        o = od_origin[i]
        _dijkstra(o, indptr, adj_head, adj_edge, cost, blocked, dist, pred, order, hkey, hnode, pos)
        while i < n_od and od_origin[i] == o:
            d = od_dest[i]
            row = od_row[i]
            out[row, :] = 0.0
            od_cost[i] = dist[d]
            if dist[d] == np.inf:
                if bad < 0:
                    bad = i
            else:
                q = od_demand[i]
                v = d
                while v != o:
                    e = pred[v]
                    out[row, e] += q
                    v = tail[e]
            i += 1
    return bad
