"""User-equilibrium assignment: all-or-nothing, MSA, Frank–Wolfe, conjugate and biconjugate FW.

The driver here is plain Python over compiled kernels (:mod:`corridor.assignment._kernels`);
each iteration is one all-or-nothing loading (shortest-path trees for every origin on the
contracted graph of :mod:`corridor.assignment.contract`, shared out over threads by
:class:`corridor.assignment.loading.Loader`), a search direction and an exact line search.
Link costs come from the one set of volume-delay functions, :mod:`corridor.assignment.vdf`.

Methods
-------
``aon``
    One all-or-nothing loading at free-flow costs.
``msa``
    Method of successive averages (step ``1 / (k + 1)``).
``fw``
    Frank–Wolfe with exact line search.
``cfw``, ``bfw``
    Conjugate and biconjugate Frank–Wolfe (Mitradjieva and Patriksson 2013, "The stiff is
    moving — conjugate direction Frank–Wolfe methods with applications to traffic
    assignment", Transportation Science 47(2)), with exact line search.
``bush``
    Origin-based (bush) method from :mod:`corridor.assignment.bush` (its log has the gap
    per iteration only; ``objective`` and ``seconds`` are NaN there).

CFW and BFW fall back to a plain Frank–Wolfe step (and rebuild their conjugate history)
after a full step, when the conjugate weight leaves ``(0, 1 - 1e-6)``, when the
conjugate direction is not a descent direction, or when its exact step is zero; without
these restarts CFW was seen to stall on small random networks.

Convergence is measured by the relative gap ``(TSTT - SPTT) / TSTT`` where
``TSTT = sum_a v_a c_a(v_a)`` and ``SPTT = sum_od q_od * shortest-path cost``, both with the
current costs (time plus fixed cost). Hitting ``max_iter`` does not raise: the result has
``converged=False`` (pass it to :func:`check_converged` to raise
:class:`~corridor.errors.ConvergenceError`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.assignment import _kernels as kern
from corridor.assignment.conjugate import biconjugate_weights, conjugate_weight
from corridor.assignment.contract import no_contraction
from corridor.assignment.loading import Loader
from corridor.assignment.problem import AssignmentProblem, build_problem
from corridor.assignment.vdf import beckmann, link_costs, link_derivatives, vdf_code
from corridor.demand.matrix import Demand
from corridor.errors import ConvergenceError, InputError
from corridor.network.model import Network

__all__ = [
    "METHODS",
    "AssignmentResult",
    "assign",
    "check_converged",
    "default_threads",
    "relative_gap",
    "solve",
]

#: Assignment methods understood by :func:`assign`.
METHODS: tuple[str, ...] = ("aon", "msa", "fw", "cfw", "bfw", "bush")

#: Problems with fewer ``n_zones * n_links`` than this run on one thread by default.
#: Measured on the 2-core test machine shared with other jobs: on Chicago-Sketch
#: (387 x 2950) one loading took 155 ms on one thread and 213 ms on two, since a parallel
#: region waits for its slowest thread whenever another process holds a core.
_PARALLEL_MIN_WORK = 10_000_000

#: Called after each iteration with ``(iteration, relative_gap)``.
Progress = Callable[[int, float], None]


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    """The outcome of an assignment.

    Attributes
    ----------
    flows : numpy.ndarray of float64
        Link flows, aligned with ``network.links`` (or the problem's links).
    costs : numpy.ndarray of float64
        Link costs at those flows (time plus fixed cost).
    objective : float
        Beckmann objective ``sum_a int_0^{v_a} t_a`` (fixed costs included).
    relative_gap : float
        Relative gap at the returned flows.
    iterations : int
        Iterations done.
    converged : bool
        Whether the target gap was reached.
    seconds : float
        Wall-clock time of the solve.
    log : pandas.DataFrame
        One row per iteration: ``iteration``, ``relative_gap``, ``objective``, ``seconds``.
    method : str
        The method used.

    """

    flows: NDArray[np.float64]
    costs: NDArray[np.float64]
    objective: float
    relative_gap: float
    iterations: int
    converged: bool
    seconds: float
    log: pd.DataFrame
    method: str


class _Arrays:
    """Problem arrays, the volume-delay function and the loader, prepared once per solve."""

    def __init__(
        self, problem: AssignmentProblem, vdf: str, threads: int, contract: bool = True
    ) -> None:
        self.vdf = vdf_code(vdf, problem.beta)
        self.p = problem
        self.fft = np.ascontiguousarray(problem.free_flow_time, dtype=np.float64)
        self.alpha = np.ascontiguousarray(problem.alpha, dtype=np.float64)
        self.beta = np.ascontiguousarray(problem.beta, dtype=np.float64)
        self.cap = np.ascontiguousarray(problem.capacity, dtype=np.float64)
        self.fixed = np.ascontiguousarray(problem.fixed_cost, dtype=np.float64)
        full = None if contract else no_contraction(problem.n_nodes, problem.tail, problem.head)
        self.loader = Loader(problem, threads, contraction=full)

    def close(self) -> None:
        self.loader.close()

    def cost(self, flow: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty_like(flow)
        link_costs(self.vdf, self.fft, self.alpha, self.beta, self.cap, self.fixed, flow, out)
        return out

    def deriv(self, flow: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty_like(flow)
        link_derivatives(self.vdf, self.fft, self.alpha, self.beta, self.cap, flow, out)
        return out

    def objective(self, flow: NDArray[np.float64]) -> float:
        return float(
            beckmann(self.vdf, self.fft, self.alpha, self.beta, self.cap, self.fixed, flow)
        )

    def aon(self, cost: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
        flow, sptt, lost = self.loader.load(cost)
        _check_lost(lost)
        return flow, sptt

    def sptt(self, cost: NDArray[np.float64]) -> float:
        sptt, lost = self.loader.shortest_total(cost)
        _check_lost(lost)
        return sptt

    def step(self, flow: NDArray[np.float64], direction: NDArray[np.float64]) -> float:
        return float(
            kern.line_search(
                self.vdf, self.fft, self.alpha, self.beta, self.cap, self.fixed, flow, direction
            )
        )


def _check_lost(lost: float) -> None:
    if lost > 0.0:
        raise InputError(
            f"demand: {lost:g} trips have no path between their zones "
            "(check connectivity and first_thru_node)",
            argument="demand",
        )


def _gap(flow: NDArray[np.float64], cost: NDArray[np.float64], sptt: float) -> float:
    tstt = float(flow @ cost)
    if tstt <= 0.0:
        return 0.0
    return max(0.0, (tstt - sptt) / tstt)


def relative_gap(
    problem: AssignmentProblem, flows: NDArray[np.float64], *, vdf: str = "bpr"
) -> float:
    """Return the relative gap ``(TSTT - SPTT) / TSTT`` of link flows.

    Parameters
    ----------
    problem : AssignmentProblem
        The problem.
    flows : numpy.ndarray of float64
        Link flows.
    vdf : {"bpr", "conical"}, default "bpr"
        Volume-delay function.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from corridor.assignment.testing import two_route_problem
    >>> relative_gap(two_route_problem(), np.array([4.0, 6.0, 6.0]))
    0.0
    >>> round(relative_gap(two_route_problem(), np.array([10.0, 0.0, 0.0])), 4)
    0.6

    """
    arr = _Arrays(problem, vdf, 1)
    try:
        flows = np.ascontiguousarray(flows, dtype=np.float64)
        cost = arr.cost(flows)
        return _gap(flows, cost, arr.sptt(cost))
    finally:
        arr.close()


def _conjugate(
    arr: _Arrays,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    s1: NDArray[np.float64],
) -> NDArray[np.float64]:
    """CFW target point: ``a s1 + (1 - a) y`` with ``s1 - x`` and the new direction H-conjugate."""
    a = conjugate_weight(arr.deriv(x), x, y, s1)
    # None: restart with Frank-Wolfe (see conjugate_weight)
    return y if a is None else a * s1 + (1.0 - a) * y


def _biconjugate(
    arr: _Arrays,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    s1: NDArray[np.float64],
    s2: NDArray[np.float64],
    tau: float,
) -> NDArray[np.float64]:
    """BFW target point ``b0 y + b1 s1 + b2 s2`` (Mitradjieva and Patriksson 2013)."""
    b0, b1, b2 = biconjugate_weights(arr.deriv(x), x, y, s1, s2, tau)
    return b0 * y + b1 * s1 + b2 * s2


def solve(
    problem: AssignmentProblem,
    *,
    method: str = "bfw",
    vdf: str = "bpr",
    gap: float = 1e-5,
    max_iter: int = 1000,
    threads: int | None = None,
    progress: Progress | None = None,
    contract: bool = True,
) -> AssignmentResult:
    """Solve an :class:`AssignmentProblem` to user equilibrium.

    Parameters
    ----------
    problem : AssignmentProblem
        The problem.
    method : {"aon", "msa", "fw", "cfw", "bfw", "bush"}, default "bfw"
        Algorithm.
    vdf : {"bpr", "conical"}, default "bpr"
        Volume-delay function.
    gap : float, default 1e-5
        Target relative gap.
    max_iter : int, default 1000
        Iteration limit; reaching it gives ``converged=False``.
    threads : int, optional
        Threads sharing the all-or-nothing loading (the calling thread and
        ``threads - 1`` workers started for this call); default
        :func:`default_threads`. Nothing process-wide is set, so solves in several
        threads of one process do not interfere. Results do not depend on it beyond the
        order of floating-point additions (measured: BFW flows agree to 2e-11 relative
        after 30 iterations; the bush's flows do not change).
        The bush method uses them for its gap checks only.
    progress : callable, optional
        Called as ``progress(iteration, relative_gap)`` after each iteration.
    contract : bool, default True
        Search the contracted graph (:mod:`corridor.assignment.contract`: dead ends
        removed, chains of degree-2 nodes merged); the link flows are the same as on the
        full graph, which ``False`` searches (to check that).

    Returns
    -------
    AssignmentResult

    Raises
    ------
    InputError
        On an unknown method or vdf, a bad ``gap``/``max_iter``/``threads``, or demand
        with no path.

    Examples
    --------
    >>> from corridor.assignment.testing import two_route_problem
    >>> res = solve(two_route_problem(), method="fw", gap=1e-8)
    >>> [round(float(v), 3) for v in res.flows]
    [4.0, 6.0, 6.0]

    """
    if method not in METHODS:
        raise InputError(
            f"method: unknown {method!r}; allowed: {list(METHODS)}",
            argument="method", value=method, allowed=list(METHODS),
        )  # fmt: skip
    if not (gap >= 0.0):
        raise InputError(f"gap: {gap!r} must be >= 0", argument="gap", value=gap, allowed=">= 0")
    if max_iter < 1:
        raise InputError(
            f"max_iter: {max_iter!r} must be >= 1", argument="max_iter", value=max_iter,
            allowed=">= 1",
        )  # fmt: skip
    n_threads = default_threads(problem) if threads is None else int(threads)
    if n_threads < 1:
        raise InputError(
            f"threads: {threads!r} must be >= 1", argument="threads", value=threads,
            allowed=">= 1",
        )  # fmt: skip
    return _solve(problem, method, vdf, gap, max_iter, n_threads, progress, contract)


def default_threads(problem: AssignmentProblem) -> int:
    """Return the loading threads :func:`solve` uses by default.

    One thread when ``n_zones * n_links`` is below 1e7 (on Chicago-Sketch, 387 x 2950,
    a second thread did not pay on a shared 2-core machine), else every core this process
    may run on.

    Parameters
    ----------
    problem : AssignmentProblem
        The problem.

    Returns
    -------
    int

    Examples
    --------
    >>> from corridor.assignment.testing import two_route_problem
    >>> default_threads(two_route_problem())
    1

    """
    if problem.n_zones * problem.n_links < _PARALLEL_MIN_WORK:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _solve(
    problem: AssignmentProblem,
    method: str,
    vdf: str,
    gap: float,
    max_iter: int,
    threads: int,
    progress: Progress | None,
    contract: bool = True,
) -> AssignmentResult:
    arr = _Arrays(problem, vdf, threads, contract)
    try:
        if method == "bush":
            return _solve_bush(arr, gap, max_iter, vdf, progress)
        return _solve_fw(arr, method, gap, max_iter, progress)
    finally:
        arr.close()


def _solve_bush(
    arr: _Arrays, gap: float, max_iter: int, vdf: str, progress: Progress | None
) -> AssignmentResult:
    from corridor.assignment import bush

    t_start = time.perf_counter()
    flows, blog = bush.solve_bush(
        arr.p, gap=gap, max_iter=max_iter, vdf=vdf, progress=progress, loader=arr.loader
    )
    elapsed = time.perf_counter() - t_start
    rows = [(int(k), float(g), float("nan"), float("nan")) for k, g in blog]
    cost = arr.cost(flows)
    final_gap = _gap(flows, cost, arr.sptt(cost))
    return _result(arr, flows, final_gap, len(rows), final_gap <= gap, elapsed, rows, "bush")


def _solve_fw(
    arr: _Arrays, method: str, gap: float, max_iter: int, progress: Progress | None
) -> AssignmentResult:
    t_start = time.perf_counter()
    rows: list[tuple[int, float, float, float]] = []
    x, _ = arr.aon(arr.cost(np.zeros(arr.p.n_links)))
    if method == "aon":
        cost = arr.cost(x)
        g = _gap(x, cost, arr.sptt(cost))
        elapsed = time.perf_counter() - t_start
        rows.append((1, g, arr.objective(x), elapsed))
        if progress is not None:
            progress(1, g)
        return _result(arr, x, g, 1, g <= gap, elapsed, rows, method)

    s1 = np.empty(0)
    s2 = np.empty(0)
    tau = 0.0
    g = np.inf
    k = 0
    converged = False
    while True:
        cost = arr.cost(x)
        y, sptt = arr.aon(cost)
        g = _gap(x, cost, sptt)
        k += 1
        rows.append((k, g, arr.objective(x), time.perf_counter() - t_start))
        if progress is not None:
            progress(k, g)
        if g <= gap:
            converged = True
            break
        if k >= max_iter:
            break
        if method == "msa":
            x = x + (y - x) / (k + 1)
            continue
        target = y
        if method in ("cfw", "bfw") and s1.size and tau < 1.0 - 1e-12:
            if method == "bfw" and s2.size:
                target = _biconjugate(arr, x, y, s1, s2, tau)
            else:
                target = _conjugate(arr, x, y, s1)
            if float(cost @ (target - x)) >= 0.0:  # not a descent direction: plain FW
                target = y
        direction = target - x
        tau = arr.step(x, direction)
        if target is not y and tau <= 1e-12:
            # a stalled conjugate direction: restart with the Frank-Wolfe direction
            target = y
            direction = target - x
            tau = arr.step(x, direction)
        x = x + tau * direction
        if method == "bfw" and target is not y and s1.size:
            s2, s1 = s1, target
        elif method in ("cfw", "bfw"):
            s2, s1 = np.empty(0), target
    elapsed = time.perf_counter() - t_start
    return _result(arr, x, g, k, converged, elapsed, rows, method)


def _result(
    arr: _Arrays,
    flows: NDArray[np.float64],
    gap: float,
    iterations: int,
    converged: bool,
    elapsed: float,
    rows: list[tuple[int, float, float, float]],
    method: str,
) -> AssignmentResult:
    log = pd.DataFrame(rows, columns=["iteration", "relative_gap", "objective", "seconds"])
    return AssignmentResult(
        flows=flows,
        costs=arr.cost(flows),
        objective=arr.objective(flows),
        relative_gap=gap,
        iterations=iterations,
        converged=converged,
        seconds=elapsed,
        log=log,
        method=method,
    )


def assign(
    network: Network,
    demand: Demand,
    *,
    method: str = "bfw",
    vdf: str = "bpr",
    gap: float = 1e-5,
    max_iter: int = 1000,
    threads: int | None = None,
    toll_factor: float = 0.0,
    distance_factor: float = 0.0,
    progress: Progress | None = None,
) -> AssignmentResult:
    """Assign demand to a network at user equilibrium.

    Parameters
    ----------
    network : Network
        Links need ``free_flow_time`` and ``capacity`` (TNTP columns; see
        :func:`~corridor.assignment.problem.build_problem`).
    demand : Demand
        Trips between zones (place ids).
    method : {"aon", "msa", "fw", "cfw", "bfw", "bush"}, default "bfw"
        Algorithm.
    vdf : {"bpr", "conical"}, default "bpr"
        Volume-delay function.
    gap : float, default 1e-5
        Target relative gap ``(TSTT - SPTT) / TSTT``.
    max_iter : int, default 1000
        Iteration limit; reaching it returns ``converged=False`` (no exception).
    threads : int, optional
        Loading threads (default: chosen by problem size; see :func:`solve`).
    toll_factor, distance_factor : float, default 0.0
        Generalized cost: ``toll * toll_factor + length * distance_factor`` added to each
        link's time.
    progress : callable, optional
        Called as ``progress(iteration, relative_gap)`` after each iteration.

    Returns
    -------
    AssignmentResult
        Flows and costs aligned with ``network.links``.

    Raises
    ------
    InputError
        On bad options, zones that are not places, or demand with no path.

    Examples
    --------
    >>> from corridor.assignment.testing import two_route_network, two_route_demand
    >>> res = assign(two_route_network(), two_route_demand(), method="bfw", gap=1e-8)
    >>> res.converged, [round(float(v), 3) for v in res.flows]
    (True, [4.0, 6.0, 6.0])

    """
    from corridor.assignment.options import check_options, check_problem

    options = {"method": method, "vdf": vdf, "gap": gap, "max_iter": max_iter}
    check_options(**options, threads=threads, toll_factor=toll_factor,
                  distance_factor=distance_factor, progress=progress)  # fmt: skip
    problem = build_problem(
        network, demand, toll_factor=toll_factor, distance_factor=distance_factor
    )
    check_problem(problem, vdf=vdf)
    return solve(
        problem,
        method=method,
        vdf=vdf,
        gap=gap,
        max_iter=max_iter,
        threads=threads,
        progress=progress,
    )


def check_converged(result: AssignmentResult, *, gap: float) -> AssignmentResult:
    """Return ``result`` if it reached ``gap``, else raise :class:`ConvergenceError`.

    Parameters
    ----------
    result : AssignmentResult
        An assignment result.
    gap : float
        The target relative gap.

    Returns
    -------
    AssignmentResult

    Raises
    ------
    ConvergenceError
        If ``result.relative_gap > gap``.

    Examples
    --------
    >>> from corridor.assignment.testing import two_route_network, two_route_demand
    >>> res = assign(two_route_network(), two_route_demand(), method="msa", max_iter=2)
    >>> check_converged(res, gap=1e-9)
    Traceback (most recent call last):
    ...
    corridor.errors.ConvergenceError: relative gap ... is above the target 1e-09

    """
    if result.relative_gap > gap:
        raise ConvergenceError(
            f"relative gap {result.relative_gap:.3g} after {result.iterations} iteration(s) "
            f"is above the target {gap:g}",
            gap=result.relative_gap,
            iterations=result.iterations,
        )
    return result
