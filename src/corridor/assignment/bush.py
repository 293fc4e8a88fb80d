"""Origin-based (bush) user-equilibrium assignment: Dial's Algorithm B.

Each origin with demand keeps a *bush*, an acyclic subnetwork rooted at the origin, and the
part of its flow on every bush link. An iteration first updates every bush at the costs of
the iteration's start: it drops bush links that carry none of the origin's flow (keeping a
shortest-path tree) and adds links that shorten the longest path to their head. Then it
visits every origin and moves flow, node by node in reverse topological order, from the
longest used path segment to the shortest one with a Newton step, each shift updating the
costs the next ones see. Several cheaper sweeps that only move flow follow before the
relative gap is measured.

Because flows are kept per origin and moved between paths of nearly equal cost, the method
reaches relative gaps of 1e-8 and below, where Frank–Wolfe variants stall.

Implementation
--------------
The bushes live on the contracted graph of :mod:`corridor.assignment.contract` (dead ends
removed, chains merged into links whose cost is the sum of their members'), and each is
stored sparsely: its links grouped by head in topological order, with the origin's flow on
each (:mod:`corridor.assignment._bush_kernels`), so memory grows with the bushes, not with
origins x links. Link costs are the one set of volume-delay functions of
:mod:`corridor.assignment.vdf`. The relative gap is measured with the all-or-nothing
kernel of :class:`~corridor.assignment.loading.Loader` (shared heap, early exit once every
destination is settled), and the initial trees and the bush updates, which each read the
costs and write one origin's bush, are shared out over the loader's threads; the flow
shifts, which move the shared link flows, run on one thread.

What was taken from published solvers: Algorithm B as Dial (2006) and Nie (2010) describe
it (bush update against longest-path labels, Newton shifts between the longest used and the
shortest segment); from Boyles' ``tap-b`` (github.com/spartalab/tap-b, ``include/bush.h``),
keeping only per-bush data (order, topology, flows) and recreating the labels in scratch
arrays shared by all bushes, and the two phases (update every bush, then shift flows) of
its main loop, whose first phase runs on threads here as there. Not taken (yet):
``tap-b``'s storage of flows at merge nodes only (about half the memory again), and the
paired-alternative-segment methods of Bar-Gera's TAPAS, which would speed up the tightest
gaps further.

References
----------
R. B. Dial (2006). A path-based user-equilibrium traffic assignment algorithm that obviates
path storage and enumeration. *Transportation Research Part B* 40(10), 917–936.

Y. Nie (2010). A class of bush-based algorithms for the traffic assignment problem.
*Transportation Research Part B* 44(1), 73–89.

H. Bar-Gera (2010). Traffic assignment by paired alternative segments. *Transportation
Research Part B* 44(8–9), 1022–1046.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import types
from numba.typed import List
from numpy.typing import NDArray

from corridor.assignment import _bush_kernels as _k
from corridor.assignment.loading import Loader
from corridor.assignment.problem import AssignmentProblem
from corridor.assignment.vdf import vdf_code
from corridor.errors import ConvergenceError, InputError, NoRouteError
from corridor.graph.csr import build_csr

__all__ = ["solve_bush"]

#: Flow-only sweeps after each bush update; the later ones skip origins already in balance.
_INNER_SWEEPS = 8
_TOL_FACTOR = 0.1
_TOL_REL = 0.01
_SHIFT_FACTOR = 1.0


class _Scratch:
    """One thread's arrays for the bush updates (see ``_bush_kernels.update_bushes``)."""

    def __init__(self, n: int, m: int) -> None:
        self.lmin = np.empty(n)
        self.lmax = np.empty(n)
        self.pmin = np.empty(n, dtype=np.int64)
        self.pmax = np.empty(n, dtype=np.int64)
        self.gstart = np.empty(n + 1, dtype=np.int64)
        self.tpos = np.full(n, -1, dtype=np.int64)
        self.in_bush = np.zeros(m, dtype=np.bool_)
        self.iwork = np.empty(max(n, m), dtype=np.int64)
        self.jwork = np.empty(n, dtype=np.int64)
        self.lflow = np.empty(m)


def _check(problem: AssignmentProblem, vdf: str, gap: float, max_iter: int) -> int:
    """Validate the inputs; return the numeric code of ``vdf``."""
    code = vdf_code(vdf, problem.beta)
    if not gap > 0.0:
        raise InputError(f"gap: got {gap!r}; must be a positive relative gap")
    if max_iter < 1:
        raise InputError(f"max_iter: got {max_iter!r}; must be at least 1")
    n, m = problem.n_nodes, problem.n_links
    if m and (problem.tail.min() < 0 or problem.head.min() < 0):
        raise InputError("problem: link ends must be node numbers >= 0")
    if m and max(int(problem.tail.max()), int(problem.head.max())) >= n:
        raise InputError(f"problem: link ends must be node numbers < n_nodes={n}")
    if problem.demand.shape != (problem.n_zones, problem.n_zones):
        raise InputError(
            f"problem: demand has shape {problem.demand.shape}; expected "
            f"({problem.n_zones}, {problem.n_zones})"
        )
    if not np.all(np.isfinite(problem.demand)) or np.any(problem.demand < 0):
        raise InputError("problem: demand must be finite and >= 0")
    fft = problem.free_flow_time
    if not np.all(np.isfinite(fft)) or np.any(fft < 0):
        raise InputError("problem: free_flow_time must be finite and >= 0")
    if not np.all(np.isfinite(problem.fixed_cost)) or np.any(problem.fixed_cost < 0):
        raise InputError("problem: fixed_cost must be finite and >= 0")
    if not np.all(problem.capacity > 0) or not np.all(np.isfinite(problem.capacity)):
        raise InputError("problem: capacity must be finite and > 0")
    if np.any(problem.alpha < 0) or np.any(problem.beta < 0):
        raise InputError("problem: alpha and beta must be >= 0")
    return code


@dataclass(frozen=True, eq=False)
class _BushSolution:
    """Everything :func:`_solve` ends with; tests read the per-origin flows."""

    flows: NDArray[np.float64]  # (n_links,) of the problem
    log: list[tuple[int, float]]
    origins: NDArray[np.int64]  # zones with demand, one bush each
    cost: NDArray[np.float64]  # link costs at ``flows``
    bushes: tuple[Any, Any, Loader] | None  # (blink, bflow, loader) when there are origins
    bush_links: int  # links over all bushes (contracted graph)

    @property
    def origin_flows(self) -> NDArray[np.float64]:
        """``(n_origins, n_links)`` flow from each origin (dense; for tests)."""
        m = self.flows.shape[0]
        if self.bushes is None:
            return np.zeros((0, m))
        blink, bflow, loader = self.bushes
        c = loader.contraction
        dense = _k.origin_link_flows(blink, bflow, c.n_links)
        return np.stack([c.expand(row) for row in dense]) if len(dense) else np.zeros((0, m))


def solve_bush(
    problem: AssignmentProblem,
    *,
    gap: float = 1e-8,
    max_iter: int = 200,
    vdf: str = "bpr",
    progress: Callable[[int, float], None] | None = None,
    loader: Loader | None = None,
) -> tuple[NDArray[np.float64], list[tuple[int, float]]]:
    """Solve for user equilibrium with Dial's Algorithm B (origin-based bushes).

    Link cost is ``c = t(v) + fixed_cost`` with ``t`` the BPR function
    ``free_flow_time * (1 + alpha * (v / capacity) ** beta)`` or the conical one. The
    relative gap is ``(TSTT - SPTT) / TSTT`` with ``TSTT = sum(v * c)`` and ``SPTT`` the
    demand times the shortest-path cost, both on the current costs.

    Parameters
    ----------
    problem : AssignmentProblem
        The network and demand as arrays.
    gap : float, default 1e-8
        Stop when the relative gap is at most this.
    max_iter : int, default 200
        Stop after this many iterations (bush updates) even if the gap is larger; the
        caller reads the last gap from the log.
    vdf : {"bpr", "conical"}, default "bpr"
        Volume-delay function. For ``"conical"`` (Spiess 1990) ``beta`` is Spiess's ``a``
        (it must exceed 1), ``b = (2a - 1) / (2a - 2)`` and ``alpha`` is not used.
    progress : callable, optional
        Called as ``progress(iteration, relative_gap)`` after every iteration.
    loader : Loader, optional
        The all-or-nothing loader of ``problem`` (its contracted graph and threads), shared
        with a caller that has one; made here (one thread) when not given.

    Returns
    -------
    flows : numpy.ndarray of float64
        ``(n_links,)`` equilibrium link flows.
    log : list of tuple of (int, float)
        ``(iteration, relative_gap)`` per iteration; iteration 0 is the all-or-nothing start.

    Raises
    ------
    InputError
        If ``vdf``, ``gap`` or ``max_iter`` is not allowed or the problem arrays are
        inconsistent (negative times, non-positive capacities ...).
    NoRouteError
        If a positive demand cannot reach its destination.
    ConvergenceError
        If a bush lost its acyclicity (an internal error; please report it).

    Examples
    --------
    Two routes from zone 0 to zone 1, one through node 2 (cost ``1 + v``) and one through
    node 3 (cost ``2 + v``, both with ``alpha = 1``, ``beta = 1``): 3 trips split 2 : 1 so
    that both cost 3.

    >>> import numpy as np
    >>> from corridor.assignment.problem import AssignmentProblem
    >>> p = AssignmentProblem(
    ...     n_nodes=4, n_zones=2, first_thru_node=0,
    ...     tail=np.array([0, 2, 0, 3]), head=np.array([2, 1, 3, 1]),
    ...     free_flow_time=np.array([1.0, 0.0, 2.0, 0.0]),
    ...     capacity=np.array([1.0, 1.0, 2.0, 1.0]),
    ...     alpha=np.array([1.0, 0.0, 1.0, 0.0]), beta=np.array([1.0, 1.0, 1.0, 1.0]),
    ...     fixed_cost=np.zeros(4), demand=np.array([[0.0, 3.0], [0.0, 0.0]]))
    >>> flows, log = solve_bush(p, gap=1e-12)
    >>> np.round(flows, 9).tolist()
    [2.0, 2.0, 1.0, 1.0]
    >>> log[-1][1] <= 1e-12
    True

    """
    sol = _solve(problem, gap=gap, max_iter=max_iter, vdf=vdf, progress=progress, loader=loader)
    return sol.flows, sol.log


def _solve(
    problem: AssignmentProblem,
    *,
    gap: float,
    max_iter: int,
    vdf: str,
    progress: Callable[[int, float], None] | None,
    loader: Loader | None = None,
) -> _BushSolution:
    """Run Algorithm B; see :func:`solve_bush` for the arguments."""
    code = _check(problem, vdf, gap, max_iter)
    own = loader is None
    ld = Loader(problem, 1) if loader is None else loader
    try:
        return _run(problem, gap, max_iter, code, progress, ld)
    finally:
        if own:
            ld.close()


def _run(
    problem: AssignmentProblem,
    gap: float,
    max_iter: int,
    code: int,
    progress: Callable[[int, float], None] | None,
    loader: Loader,
) -> _BushSolution:
    c = loader.contraction
    n, m = c.n_nodes, c.n_links
    tail, head = c.tail, c.head
    mptr, mlink = c.member_ptr, c.member_link
    fft = np.ascontiguousarray(problem.free_flow_time, dtype=np.float64)
    cap = np.ascontiguousarray(problem.capacity, dtype=np.float64)
    alpha = np.ascontiguousarray(problem.alpha, dtype=np.float64)
    beta = np.ascontiguousarray(problem.beta, dtype=np.float64)
    fixed = np.ascontiguousarray(problem.fixed_cost, dtype=np.float64)
    out_ptr, _, out_link = build_csr(n, tail, head)
    ftn = int(problem.first_thru_node)
    vdf_args = (mptr, mlink, code, fft, alpha, beta, cap, fixed)

    demand = np.asarray(problem.demand, dtype=np.float64).copy()
    np.fill_diagonal(demand, 0.0)
    origins = np.flatnonzero(demand.sum(axis=1) > 0.0).astype(np.int64)
    od = np.ascontiguousarray(demand[origins])
    n_orig = origins.shape[0]

    v = np.zeros(m)
    cost = np.empty(m)
    deriv = np.empty(m)
    _k.update_costs(v, *vdf_args, cost, deriv)
    if n_orig == 0:
        return _BushSolution(
            np.zeros(problem.n_links), [(0, 0.0)], origins, _full_cost(problem, code), None, 0
        )

    blink = List.empty_list(types.int32[::1])
    bflow = List.empty_list(types.float64[::1])
    for _ in range(n_orig):  # placeholders, replaced by each origin's tree
        blink.append(np.empty(0, dtype=np.int32))
        bflow.append(np.empty(0))
    bad = [
        r for r in loader.map_blocks(
            n_orig,
            lambda w, lo, hi: _k.init_bushes(
                lo, hi, origins, od, ftn, tail, head, out_ptr, out_link, cost, blink, bflow
            ),
        )
        if r[0] >= 0
    ]  # fmt: skip
    if bad:
        o_bad, z_bad = bad[0]
        raise NoRouteError(
            f"demand: {demand[o_bad, z_bad]:g} trip(s) from zone {o_bad + 1} to zone "
            f"{z_bad + 1} (1-based) have no path in the network; remove them or connect the zones"
        )
    _k.total_flows(blink, bflow, v)
    _k.update_costs(v, *vdf_args, cost, deriv)
    bush_gap = np.full(n_orig, np.inf)
    adj = loader.adj_link
    scratch = [_Scratch(n, m) for _ in range(loader.threads)]

    def relative_gap() -> float:
        sptt, _ = loader.shortest_total_contracted(np.ascontiguousarray(cost[adj]))
        tstt = float(v @ cost)
        return 0.0 if tstt <= 0.0 else max((tstt - sptt) / tstt, 0.0)

    def update(w: int, lo: int, hi: int) -> int:
        sc = scratch[w]
        return int(
            _k.update_bushes(
                lo, hi, origins, ftn, tail, head, out_ptr, out_link, cost, blink, bflow,
                sc.lmin, sc.lmax, sc.pmin, sc.pmax, sc.gstart, sc.tpos, sc.in_bush, sc.iwork,
                sc.jwork, sc.lflow,
            )
        )  # fmt: skip

    current = relative_gap()
    mean_cost = float(v @ cost) / float(od.sum())
    log: list[tuple[int, float]] = [(0, current)]
    if progress is not None:
        progress(0, current)
    shift_args = (n, origins, tail, head, *vdf_args, v, cost, deriv, blink, bflow, bush_gap)
    for it in range(1, max_iter + 1):
        if current <= gap:
            break
        # the per-origin gap (cost units) above which another flow-only sweep pays
        tol = _TOL_FACTOR * max(gap, _TOL_REL * current) * mean_cost
        shift_tol = _SHIFT_FACTOR * tol
        # every bush is updated at the costs of the sweep's start (in parallel), then flows
        # move origin by origin (each shift sees the costs the earlier ones left)
        if any(r != _k.SWEEP_OK for r in loader.map_blocks(n_orig, update)):
            raise ConvergenceError(f"bush assignment: a bush became cyclic at iteration {it}")
        _k.shift_sweep(False, tol, shift_tol, *shift_args)
        for _ in range(_INNER_SWEEPS):
            if bush_gap.max() <= tol:
                break
            _k.shift_sweep(True, tol, shift_tol, *shift_args)
        # wipe the rounding drift of the incremental link-flow updates
        _k.total_flows(blink, bflow, v)
        _k.update_costs(v, *vdf_args, cost, deriv)
        current = relative_gap()
        mean_cost = float(v @ cost) / float(od.sum())
        log.append((it, current))
        if progress is not None:
            progress(it, current)
    flows = c.expand(v)
    size = sum(int(b.shape[0]) for b in blink)
    return _BushSolution(
        flows, log, origins, _full_cost(problem, code, flows), (blink, bflow, loader), size
    )


def _full_cost(
    problem: AssignmentProblem, code: int, flows: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Costs of the problem's links at ``flows`` (zero when not given)."""
    from corridor.assignment.vdf import link_costs

    v = np.zeros(problem.n_links) if flows is None else flows
    out = np.empty(problem.n_links)
    link_costs(
        code,
        np.ascontiguousarray(problem.free_flow_time, dtype=np.float64),
        np.ascontiguousarray(problem.alpha, dtype=np.float64),
        np.ascontiguousarray(problem.beta, dtype=np.float64),
        np.ascontiguousarray(problem.capacity, dtype=np.float64),
        np.ascontiguousarray(problem.fixed_cost, dtype=np.float64),
        v,
        out,
    )
    return out
