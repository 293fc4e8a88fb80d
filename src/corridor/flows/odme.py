"""OD matrix estimation from counts: the gradient method of Spiess (1990).

The trade statistics give the prior OD table ``g0``; counts ``v^`` at ports, borders and
terminals measure what passes there. Spiess minimises

    Z(g) = 1/2 sum_c (v_c(g) - v^_c)^2,   v_c(g) = sum_od P_c,od g_od

by multiplicative steps ``g <- g (1 - lambda dZ/dg)``, ``dZ/dg_od = sum_c P_c,od (v_c - v^_c)``,
with the step ``lambda`` that minimises ``Z`` along the direction (bounded so that no cell
turns negative), ``P`` the share of each OD pair's tonnes passing each count at the current
equilibrium. The multiplicative form keeps the prior's structure: a cell the statistics
leave empty stays empty, and cells no count sees keep their prior value. The outer loop
re-assigns the new table (the routes, hence ``P``, move with congestion) and repeats, as
AequilibraE's ODME (``algorithm="spiess"``) does. The table returned is the one
whose re-assigned fit is best over the outer iterations (the prior included), not the last:
when the routes jump (a bulk flow switching corridor), the proportions of the steps no
longer hold and the fit oscillates from one iteration to the next.

Reference: H. Spiess (1990), "A gradient approach for the O-D matrix adjustment problem",
Publication 693, Centre de Recherche sur les Transports, Université de Montréal.

:func:`leave_one_out` re-estimates the table without each count in turn and reports the
model at the left-out count, so the fit is judged on counts it did not see.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import InputError
from corridor.flows.counts import CountSet
from corridor.flows.problem import FreightProblem
from corridor.flows.solve import FlowState, solve_flows

__all__ = ["CalibrationResult", "calibrate", "leave_one_out", "spiess_steps"]

Solver = Callable[[FreightProblem], FlowState]


def spiess_steps(
    prop: NDArray[np.float64],
    observed: NDArray[np.float64],
    g: NDArray[np.float64],
    *,
    steps: int = 50,
    tol: float = 1e-10,
) -> NDArray[np.float64]:
    """Spiess's gradient steps at fixed proportions; return the new OD tonnes.

    Parameters
    ----------
    prop : numpy.ndarray
        ``(n_counts, n_od)`` count value per tonne of each OD pair.
    observed : numpy.ndarray
        ``(n_counts,)`` observed values.
    g : numpy.ndarray
        ``(n_od,)`` starting tonnes (the prior, or the last estimate).
    steps : int, default 50
        Most steps.
    tol : float, default 1e-10
        Stop when ``Z`` falls by less than this share of its first value.

    Examples
    --------
    Two OD pairs seen by one count (the first with twice the weight): the count of 40
    is matched in one step; each cell grows in proportion to its share of the count.

    >>> import numpy as np
    >>> g = spiess_steps(np.array([[2.0, 1.0]]), np.array([40.0]), np.array([10.0, 5.0]))
    >>> [round(float(v), 4) for v in g]
    [16.6667, 6.6667]

    """
    g = np.asarray(g, dtype=float).copy()
    z0 = None
    for _ in range(steps):
        v = prop @ g
        r = v - observed
        z = 0.5 * float(r @ r)
        if z0 is None:
            z0 = z
        if z <= tol * max(z0, 1e-300) or z == 0.0:
            break
        grad = prop.T @ r
        dv = -prop @ (g * grad)  # dv / dlambda
        den = float(dv @ dv)
        if den <= 0.0:
            break
        lam = float(dv @ (observed - v)) / den
        pos = grad[(grad > 0) & (g > 0)]
        if pos.size:
            lam = min(lam, 1.0 / float(pos.max()))
        if not lam > 0.0:
            break
        g_new = g * (1.0 - lam * grad)
        g = np.maximum(g_new, 0.0)
    return g


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """OD estimation outcome.

    Attributes
    ----------
    tonnes : numpy.ndarray
        Estimated tonnes of each OD pair.
    prior : numpy.ndarray
        The prior tonnes.
    state : FlowState
        The equilibrium of the estimated table.
    table : pandas.DataFrame
        Per count used: ``count_id``, ``observed``, ``prior_model``, ``model``.
    history : list of float
        ``Z`` after each outer iteration.

    """

    tonnes: NDArray[np.float64]
    prior: NDArray[np.float64]
    state: FlowState
    table: pd.DataFrame
    history: tuple[float, ...]


def _default_solver(gap: float) -> Solver:
    def solve(p: FreightProblem) -> FlowState:
        return solve_flows(p, method="bfw", gap=gap)

    return solve


def calibrate(
    problem: FreightProblem,
    counts: CountSet,
    *,
    use: NDArray[np.bool_] | None = None,
    outer: int = 8,
    inner: int = 50,
    gap: float = 1e-6,
    solver: Solver | None = None,
) -> CalibrationResult:
    """Estimate the OD tonnes from counts by Spiess's method, starting from the prior.

    Parameters
    ----------
    problem : FreightProblem
        The problem; its OD tonnes are the prior.
    counts : CountSet
        Counts resolved on the problem (:func:`~corridor.flows.counts.count_set`).
    use : numpy.ndarray of bool, optional
        Which counts to fit (default: those whose ``use`` is ``calibrate``).
    outer, inner : int
        Re-assignments, and gradient steps between them.
    gap : float, default 1e-6
        Relative gap of each assignment.
    solver : callable, optional
        ``solver(problem) -> FlowState`` (default: BFW to ``gap``).

    Returns
    -------
    CalibrationResult

    Raises
    ------
    InputError
        No count to fit, or bad options.

    """
    if outer < 1 or inner < 1:
        raise InputError("outer and inner must be >= 1", argument="outer")
    solve = solver or _default_solver(gap)
    if use is None:
        use = counts.table["use"].to_numpy() == "calibrate"
    use = np.asarray(use, dtype=bool)
    if not use.any():
        raise InputError("counts: no count to calibrate on", argument="counts")
    obs = counts.observed[use]
    prior = problem.od["tonnes_per_yr"].to_numpy(dtype=float)
    g = prior.copy()
    state = solve(problem)
    prior_model = counts.model(problem, state)
    history: list[float] = []
    current = problem
    r0 = prior_model[use] - obs
    best = (0.5 * float(r0 @ r0), g, current, state)
    for _ in range(outer):
        prop = counts.proportions(current, state)[use]
        g_new = spiess_steps(prop, obs, g, steps=inner)
        trial = problem.with_demand(g_new)
        trial_state = solve(trial)
        v = counts.proportions(trial, trial_state)[use] @ g_new
        z = 0.5 * float((v - obs) @ (v - obs))
        history.append(z)
        if z < best[0]:
            best = (z, g_new, trial, trial_state)
        converged = np.allclose(g_new, g, rtol=1e-6, atol=1e-9 * max(1.0, float(g.sum())))
        g, current, state = g_new, trial, trial_state
        if converged:
            break
    _, g, current, state = best
    model = counts.model(current, state)
    table = pd.DataFrame(
        {
            "count_id": counts.table["count_id"].to_numpy(),
            "observed": counts.observed,
            "prior_model": prior_model,
            "model": model,
            "fitted": use,
        }
    )
    return CalibrationResult(g, prior, state, table, tuple(history))


def leave_one_out(
    problem: FreightProblem,
    counts: CountSet,
    *,
    outer: int = 8,
    inner: int = 50,
    gap: float = 1e-6,
    solver: Solver | None = None,
) -> pd.DataFrame:
    """For each calibration count, estimate without it and predict it.

    Returns
    -------
    pandas.DataFrame
        ``count_id``, ``observed``, ``loo_model`` (the prediction without the count) and
        ``loo_ratio`` (model / observed); counts whose left-out fit has no other count to
        use get NaN.

    """
    base = counts.table["use"].to_numpy() == "calibrate"
    rows = []
    for c in np.flatnonzero(base):
        use = base.copy()
        use[c] = False
        if not use.any():
            value = math.nan
        else:
            res = calibrate(
                problem, counts, use=use, outer=outer, inner=inner, gap=gap, solver=solver
            )
            value = float(res.table["model"].iloc[c])
        obs = float(counts.observed[c])
        rows.append(
            {
                "count_id": str(counts.table["count_id"].iloc[c]),
                "observed": obs,
                "loo_model": value,
                "loo_ratio": value / obs if obs > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)
