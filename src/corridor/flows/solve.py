"""Multi-class freight equilibrium on the expanded graphs: Frank–Wolfe family and logit.

Methods (``method=``):

``aon``
    One all-or-nothing loading at the costs of the empty network.
``msa``, ``fw``, ``cfw``, ``bfw``
    User equilibrium by successive averages, Frank–Wolfe, conjugate and biconjugate
    Frank–Wolfe (Mitradjieva and Patriksson 2013), the same algorithms as
    :func:`corridor.assignment.solve`, here on the multi-class objective of
    :mod:`.problem`: each class loads its own graph with its own costs, the classes share
    the capacity elements, and the exact line search and the conjugate directions work in
    the space of element loads (the only part of the cost that depends on flow).
``logit``
    Stochastic route and mode choice: each OD pair's tonnes split over its routes in
    proportion to ``exp(-(route cost - best cost) / scale)``, ``scale`` in USD per tonne
    (``logit_scale_usd_per_t``), route costs at the current (congested) costs, inside the
    method of successive averages (Sheffi 1985, *Urban Transportation Networks*, ch. 12).
    The route set of a pair: up to :data:`LOGIT_ROUTES` routes found by the link-penalty
    method (each found route's edges made :data:`LOGIT_PENALTY` times dearer for the next
    search; de la Barra, Perez and Anez 1993, "Multidimensional path search and
    assignment", PTRC), plus the cheapest route of every iteration. Converged when a
    loading changes the flows by less than ``gap`` (relative, L1).

Convergence of the equilibrium methods is the relative gap in money: ``(TC - SC) / TC``
with ``TC`` the generalized cost of every tonne at the current costs (USD) and ``SC`` the
same tonnes on their cheapest routes. Flows are kept per OD pair (one row of a dense
``pairs x edges`` array each), so every figure per OD is exact.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.assignment.conjugate import biconjugate_weights, conjugate_weight
from corridor.errors import InputError, NoRouteError
from corridor.flows import _kernels as kern
from corridor.flows.problem import FreightProblem

__all__ = ["METHODS", "MIN_LOGIT_SCALE", "FlowState", "solve_flows"]

#: Methods of :func:`solve_flows`.
METHODS: tuple[str, ...] = ("aon", "msa", "fw", "cfw", "bfw", "logit")

Progress = Callable[[int, float], None]


@dataclass(frozen=True, eq=False)
class FlowState:
    """Flows of a solved freight problem.

    Attributes
    ----------
    od_flow : numpy.ndarray
        ``(n_od, n_edges)`` tonnes per year of each OD pair on each global edge.
    edge_flow : numpy.ndarray
        ``(n_edges,)`` tonnes per year on each global edge.
    load : numpy.ndarray
        Tonnes per year at each capacity element.
    delay_h : numpy.ndarray
        Queue delay (hours) at each element.
    edge_delay_h : numpy.ndarray
        Queue delay (hours) on each global edge (its elements' delays summed).
    cost_h : numpy.ndarray
        Cost of each global edge at the final flows, in hours of its class's value of time.
    od_best_h : numpy.ndarray
        Cheapest route cost of each OD pair at the final costs (hours of value of time).
    relative_gap : float
        Relative gap (equilibrium methods) or relative change of the last loading (logit).
    iterations : int
        Iterations done.
    converged : bool
        Whether ``gap`` was reached.
    seconds : float
        Wall-clock time of the solve.
    log : pandas.DataFrame
        ``iteration``, ``relative_gap``, ``objective``, ``seconds``.
    method : str
        The method.

    """

    od_flow: NDArray[np.float64]
    edge_flow: NDArray[np.float64]
    load: NDArray[np.float64]
    delay_h: NDArray[np.float64]
    edge_delay_h: NDArray[np.float64]
    cost_h: NDArray[np.float64]
    od_best_h: NDArray[np.float64]
    relative_gap: float
    iterations: int
    converged: bool
    seconds: float
    log: pd.DataFrame
    method: str


class _Solver:
    """Arrays prepared once per solve."""

    def __init__(self, problem: FreightProblem) -> None:
        self.p = problem
        self.n_od = problem.n_od
        self.m = problem.n_edges
        self.base = np.ascontiguousarray(problem.base_cost_h, dtype=np.float64)
        self.ptr = problem.elem_ptr
        self.member = problem.elem_member
        d = problem.delay
        self.cap, self.kappa, self.period = d.capacity_t_per_yr, d.kappa, d.period_h
        self.n_el = self.cap.shape[0]
        od = problem.od
        self.demand = od["tonnes_per_yr"].to_numpy(dtype=np.float64)
        cls = od["cls"].to_numpy(dtype=np.int64)
        self.vot_edge = problem.vot
        vots = np.array([c.vot_usd_per_t_h for c in problem.classes])
        self.vot_od = vots[cls] if len(cls) else np.zeros(0)
        self.per_class: list[
            tuple[int, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
        ] = []
        for ci in range(len(problem.classes)):
            rows = np.flatnonzero(cls == ci)
            rows = rows[np.argsort(od["o"].to_numpy()[rows], kind="stable")]
            self.per_class.append(
                (
                    ci,
                    rows.astype(np.int64),
                    od["o"].to_numpy(dtype=np.int64)[rows],
                    od["d"].to_numpy(dtype=np.int64)[rows],
                )
            )
        self.od_cost = np.zeros(self.n_od)
        self.tail = np.ascontiguousarray(problem.tail, dtype=np.int64)
        self._one = np.zeros((1, self.m))

    # ---- costs
    def loads(self, edge_flow: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty(self.n_el)
        kern.element_loads(self.ptr, self.member, edge_flow, out)
        return out

    def delays(self, load: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty(self.n_el)
        kern.delay(load, self.cap, self.kappa, self.period, out)
        return out

    def cost(
        self, edge_flow: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Edge costs (hours-equivalent) and the element delays at ``edge_flow``."""
        d = self.delays(self.loads(edge_flow))
        dedge = np.empty(self.m)
        kern.edge_delays(self.ptr, self.member, d, dedge)
        return self.base + dedge, d

    def objective(self, edge_flow: NDArray[np.float64]) -> float:
        load = self.loads(edge_flow)
        return float(self.base @ edge_flow) + float(
            kern.beckmann_elements(load, self.cap, self.kappa, self.period)
        )

    # ---- loading
    def load_aon(self, cost: NDArray[np.float64], out: NDArray[np.float64]) -> float:
        """All-or-nothing per OD into ``out``; return the shortest-path total in USD."""
        for ci, rows, o, d in self.per_class:
            if rows.size == 0:
                continue
            b = self.p.classes[ci]
            costs = np.empty(rows.size)
            bad = kern.aon_od(
                b.indptr, b.adj_head, b.adj_edge, self.tail, cost, len(b.zones),
                o, d, self.demand[rows], rows, out, costs,
            )  # fmt: skip
            if bad >= 0:
                self._no_route(rows[bad])
            self.od_cost[rows] = costs
        return float(np.sum(self.vot_od * self.demand * self.od_cost))

    def shortest_path(self, row: int, cost: NDArray[np.float64]) -> tuple[int, ...]:
        """Edges of the cheapest route of one OD pair at ``cost``."""
        od = self.p.od
        ci = int(od["cls"].iloc[row])
        b = self.p.classes[ci]
        out = self._one
        costs = np.empty(1)
        bad = kern.aon_od(
            b.indptr, b.adj_head, b.adj_edge, self.tail, cost, len(b.zones),
            np.array([od["o"].iloc[row]], dtype=np.int64),
            np.array([od["d"].iloc[row]], dtype=np.int64),
            np.ones(1), np.zeros(1, dtype=np.int64), out, costs,
        )  # fmt: skip
        if bad >= 0:
            self._no_route(row)
        return tuple(np.flatnonzero(out[0]).tolist())

    def route_set(
        self, cost: NDArray[np.float64], k: int, penalty: float
    ) -> list[list[tuple[int, ...]]]:
        """Up to ``k`` distinct routes per OD pair by the link-penalty method.

        After each cheapest route, the costs of its edges are multiplied by ``penalty``
        for that pair's next search (de la Barra, Perez and Anez 1993).
        """
        sets: list[list[tuple[int, ...]]] = []
        for row in range(self.n_od):
            c = cost.copy()
            routes: list[tuple[int, ...]] = []
            for _ in range(k):
                r = self.shortest_path(row, c)
                if r not in routes:
                    routes.append(r)
                c[list(r)] *= penalty
            sets.append(routes)
        return sets

    def _no_route(self, row: int) -> None:
        r = self.p.od.iloc[int(row)]
        raise NoRouteError(
            f"demand: {r['tonnes_per_yr']:,.0f} t/yr of {r['cargo_class']} from "
            f"{r['origin']} to {r['destination']} have no route in the network",
            constraint="",
        )

    def gap(
        self, edge_flow: NDArray[np.float64], cost: NDArray[np.float64], sptt_usd: float
    ) -> float:
        tstt = float(np.sum(self.vot_edge * cost * edge_flow))
        return 0.0 if tstt <= 0.0 else max(0.0, (tstt - sptt_usd) / tstt)

    def hess(self, x_load: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty(self.n_el)
        kern.delay_derivative(x_load, self.cap, self.kappa, self.period, out)
        return out


#: The least logit scale, USD per tonne: a route a cent dearer already gets e**10000
#: times less freight, so below it the logit choice is all-or-nothing.
MIN_LOGIT_SCALE = 1e-6


def _check(method: str, gap: float, max_iter: int, scale: float | None) -> None:
    if method not in METHODS:
        raise InputError(
            f"method: unknown {method!r}; allowed: {', '.join(METHODS)}",
            argument="method",
            value=method,
            allowed=METHODS,
        )
    if not (math.isfinite(gap) and gap >= 0):
        raise InputError(f"gap: {gap!r} must be >= 0", argument="gap", value=gap)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise InputError(f"max_iter: {max_iter!r} must be >= 1", argument="max_iter")
    if method == "logit":
        if scale is None:
            raise InputError(
                "logit_scale_usd_per_t: the logit method needs the scale of the route choice "
                "(USD per tonne; routes that cost this much more get e times less freight)",
                argument="logit_scale_usd_per_t",
            )
        if not (math.isfinite(scale) and scale >= MIN_LOGIT_SCALE):
            # below the floor the choice is all-or-nothing, and value of time / scale
            # overflows (a NaN share); use method aon or bfw for that
            raise InputError(
                f"logit_scale_usd_per_t: {scale!r} must be >= {MIN_LOGIT_SCALE:g} USD/t",
                argument="logit_scale_usd_per_t",
                value=scale,
                allowed=f">= {MIN_LOGIT_SCALE:g}",
            )


def solve_flows(
    problem: FreightProblem,
    *,
    method: str = "bfw",
    gap: float = 1e-6,
    max_iter: int = 5000,
    logit_scale_usd_per_t: float | None = None,
    progress: Progress | None = None,
) -> FlowState:
    """Assign a freight problem (see the module docstring for the methods).

    Parameters
    ----------
    problem : FreightProblem
        From :func:`~corridor.flows.problem.build_freight_problem`.
    method : {"aon", "msa", "fw", "cfw", "bfw", "logit"}, default "bfw"
        Algorithm.
    gap : float, default 1e-6
        Target relative gap (logit: relative change of a loading).
    max_iter : int, default 5000
        Iteration limit; reaching it returns ``converged=False``.
    logit_scale_usd_per_t : float, optional
        The logit method's scale (required there).
    progress : callable, optional
        Called as ``progress(iteration, gap)``.

    Returns
    -------
    FlowState

    Raises
    ------
    InputError
        Bad options.
    NoRouteError
        An OD pair without a route.

    """
    _check(method, gap, max_iter, logit_scale_usd_per_t)
    s = _Solver(problem)
    t0 = time.perf_counter()
    rows: list[tuple[int, float, float, float]] = []
    n_od, m = s.n_od, s.m
    x = np.zeros((n_od, m))
    if n_od == 0:
        return _state(s, x, 0.0, 0, True, 0.0, rows, method)
    cost0, _ = s.cost(np.zeros(m))
    if method == "logit":
        assert logit_scale_usd_per_t is not None
        return _solve_logit(s, cost0, logit_scale_usd_per_t, gap, max_iter, progress, t0)
    s.load_aon(cost0, x)
    xe = x.sum(axis=0)
    y = np.zeros_like(x)
    if method == "aon":
        cost, _ = s.cost(xe)
        sptt = s.load_aon(cost, y)
        g = s.gap(xe, cost, sptt)
        rows.append((1, g, s.objective(xe), time.perf_counter() - t0))
        return _state(s, x, g, 1, g <= gap, time.perf_counter() - t0, rows, method)
    s1: NDArray[np.float64] | None = None
    s2: NDArray[np.float64] | None = None
    tau = 0.0
    k = 0
    g = math.inf
    converged = False
    while True:
        cost, _ = s.cost(xe)
        sptt = s.load_aon(cost, y)
        g = s.gap(xe, cost, sptt)
        k += 1
        rows.append((k, g, math.nan, time.perf_counter() - t0))
        if progress is not None:
            progress(k, g)
        if g <= gap:
            converged = True
            break
        if k >= max_iter:
            break
        if method == "msa":
            x += (y - x) / (k + 1)
            xe = x.sum(axis=0)
            continue
        ye = y.sum(axis=0)
        target, te = y, ye
        use_y = True
        if method in ("cfw", "bfw") and s1 is not None and tau < 1.0 - 1e-12:
            lx = s.loads(xe)
            h = s.hess(lx)
            ly = s.loads(ye)
            l1 = s.loads(s1.sum(axis=0))
            # the weights in load space (where the Hessian is diagonal), applied to the
            # per-OD edge flows
            if method == "bfw" and s2 is not None:
                l2 = s.loads(s2.sum(axis=0))
                b0, b1, b2 = biconjugate_weights(h, lx, ly, l1, l2, tau)
                if b1 > 0.0 or b2 > 0.0:
                    target = b0 * y + b1 * s1 + b2 * s2
                    use_y = False
            else:
                a = conjugate_weight(h, lx, ly, l1)
                if a is not None:
                    target = a * s1 + (1.0 - a) * y
                    use_y = False
            if not use_y:
                te = target.sum(axis=0)
                if float(cost @ (te - xe)) >= 0.0:  # not a descent direction
                    target, te, use_y = y, ye, True
        tau = _step(s, xe, te)
        if not use_y and tau <= 1e-12:
            target, te, use_y = y, ye, True
            tau = _step(s, xe, te)
        x += tau * (target - x)
        xe = x.sum(axis=0)
        if method == "bfw" and not use_y and s1 is not None:
            s2, s1 = s1, target.copy()
        elif method in ("cfw", "bfw"):
            s2, s1 = None, (y.copy() if use_y else target.copy())
    return _state(s, x, g, k, converged, time.perf_counter() - t0, rows, method)


#: Routes per OD pair in the logit's route set, and the link-penalty factor between them.
LOGIT_ROUTES = 8
LOGIT_PENALTY = 1.5


def _solve_logit(
    s: _Solver,
    cost0: NDArray[np.float64],
    scale: float,
    gap: float,
    max_iter: int,
    progress: Progress | None,
    t0: float,
) -> FlowState:
    """Logit over each OD pair's route set, in the method of successive averages."""
    sets = s.route_set(cost0, LOGIT_ROUTES, LOGIT_PENALTY)
    theta = (
        np.array([b.vot_usd_per_t_h for b in s.p.classes])[s.p.od["cls"].to_numpy(dtype=np.int64)]
        / scale
    )
    rows: list[tuple[int, float, float, float]] = []

    def load(cost: NDArray[np.float64]) -> NDArray[np.float64]:
        y = np.zeros((s.n_od, s.m))
        for row, routes in enumerate(sets):
            best = s.shortest_path(row, cost)  # column generation: the current cheapest
            if best not in routes:
                routes.append(best)
            c = np.array([cost[list(r)].sum() for r in routes])
            w = np.exp(-theta[row] * (c - c.min()))
            share = w / w.sum()
            for r, sh in zip(routes, share, strict=True):
                y[row, list(r)] += sh * s.demand[row]
        return y

    x = load(cost0)
    k, change, converged = 0, math.inf, False
    while k < max_iter:
        cost, _ = s.cost(x.sum(axis=0))
        y = load(cost)
        k += 1
        total = float(np.abs(x).sum())
        change = float(np.abs(y - x).sum()) / total if total > 0 else 0.0
        rows.append((k, change, math.nan, time.perf_counter() - t0))
        if progress is not None:
            progress(k, change)
        if change <= gap:
            converged = True
            break
        x += (y - x) / (k + 1)
    return _state(s, x, change, k, converged, time.perf_counter() - t0, rows, "logit")


def _step(s: _Solver, xe: NDArray[np.float64], te: NDArray[np.float64]) -> float:
    de = te - xe
    lx = s.loads(xe)
    dl = s.loads(de)
    return float(kern.line_search(float(s.base @ de), lx, dl, s.cap, s.kappa, s.period))


def _state(
    s: _Solver,
    x: NDArray[np.float64],
    g: float,
    k: int,
    converged: bool,
    seconds: float,
    rows: list[tuple[int, float, float, float]],
    method: str,
) -> FlowState:
    xe = x.sum(axis=0) if x.size else np.zeros(s.m)
    cost, d = s.cost(xe)
    dedge = cost - s.base
    if s.n_od:
        s.load_aon(cost, np.zeros_like(x))  # cheapest costs at the final flows
    return FlowState(
        od_flow=x,
        edge_flow=xe,
        load=s.loads(xe),
        delay_h=d,
        edge_delay_h=dedge,
        cost_h=cost,
        od_best_h=s.od_cost.copy(),
        relative_gap=float(g),
        iterations=int(k),
        converged=bool(converged),
        seconds=float(seconds),
        log=pd.DataFrame(rows, columns=["iteration", "relative_gap", "objective", "seconds"]),
        method=method,
    )
