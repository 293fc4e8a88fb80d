"""The options of an assignment, checked before any work (every interface calls this).

:func:`check_options` refuses, with an :class:`~corridor.errors.InputError` naming the
argument, the value and what is allowed, everything the solvers cannot honour: an unknown
method or volume-delay function, a gap outside ``[0, 1)`` (a relative gap is never above
1, so ``gap=2`` would "converge" before any work), an iteration limit that is not a whole
number (``nan`` once ran MSA for 5.4 million iterations), negative or infinite toll and
distance factors (the Frank-Wolfe family would take negative costs; the bush refuses
them), a thread count that is not a whole number. :func:`check_problem` refuses the
link figures of a built problem that no solver can work with (negative or non-finite
``b``, ``power``, capacities or times, and capacities so small that the volume-delay
function overflows at the total demand: the solvers would see infinite costs).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from corridor._checks import as_number, as_whole
from corridor.errors import InputError

if TYPE_CHECKING:
    from corridor.assignment.problem import AssignmentProblem

__all__ = ["MAX_ITER", "METHOD_NAMES", "VDF_NAMES", "check_options", "check_problem"]

#: Assignment methods (the same as :data:`corridor.assignment.assign.METHODS`; a test
#: checks that they agree, so this module stays light to import).
METHOD_NAMES: tuple[str, ...] = ("aon", "msa", "fw", "cfw", "bfw", "bush")
#: Volume-delay functions (the names of :data:`corridor.assignment.vdf.VDF_CODES`, in its
#: order; the same test checks them).
VDF_NAMES: tuple[str, ...] = ("bpr", "conical")
#: Most iterations one assignment may run.
MAX_ITER = 10_000_000
#: Largest toll or distance factor accepted (cost per unit of toll or length).
_MAX_FACTOR = 1e9
#: Most threads one assignment may ask for (the solver checks against the machine).
_MAX_THREADS = 1024


def _choice(value: object, argument: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InputError(
            f"{argument}: unknown {value!r}; allowed: {', '.join(allowed)}",
            argument=argument,
            value=value,
            allowed=allowed,
        )
    return value


def check_options(
    *,
    method: object = "bfw",
    vdf: object = "bpr",
    gap: object = 1e-5,
    max_iter: object = 1000,
    threads: object = None,
    toll_factor: object = 0.0,
    distance_factor: object = 0.0,
    progress: object = None,
) -> None:
    """Check the options of :func:`corridor.assign` (and ``corridor assign``).

    Raises
    ------
    InputError
        On the first option that is not allowed, naming it.

    Examples
    --------
    >>> check_options(method="fw", gap=1e-4)
    >>> check_options(gap=2)
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: gap must be a finite number >= 0 and < 1, got 2
    >>> check_options(max_iter=float("nan"))
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: max_iter must be a whole number from 1 to 10000000, got nan

    """
    _choice(method, "method", METHOD_NAMES)
    _choice(vdf, "vdf", VDF_NAMES)
    as_number(gap, "gap", low=0.0, high=1.0, high_open=True)
    as_whole(max_iter, "max_iter", low=1, high=MAX_ITER)
    if threads is not None:
        as_whole(threads, "threads", low=1, high=_MAX_THREADS)
    as_number(toll_factor, "toll_factor", low=0.0, high=_MAX_FACTOR)
    as_number(distance_factor, "distance_factor", low=0.0, high=_MAX_FACTOR)
    if progress is not None and not isinstance(progress, Callable):  # type: ignore[arg-type]
        raise InputError(
            f"progress must be a callable or None, got {type(progress).__name__}",
            argument="progress",
            value=type(progress).__name__,
            allowed="a function of (iteration, relative_gap)",
        )


#: Largest link cost (log10) at the total demand before the problem is refused: float64
#: overflows at 1e308, and the solvers add and multiply costs.
_MAX_LOG10_COST = 300.0


def check_problem(problem: AssignmentProblem, *, vdf: str = "bpr", source: str = "") -> None:
    """Refuse link figures the solvers cannot work with, naming the first bad link.

    Raises
    ------
    InputError
        When ``b`` (alpha) or ``power`` (beta) is negative or not finite, a capacity is
        not a positive number, a free-flow time or fixed cost is negative or not finite,
        or a link's volume-delay cost at the total demand would overflow
        (``argument="network"``).

    Examples
    --------
    >>> from corridor.assignment.testing import two_route_problem
    >>> check_problem(two_route_problem())

    """
    import numpy as np

    where = f"{source}: " if source else ""

    def ok(values: object, low_open: bool) -> Any:
        arr = np.asarray(values, dtype=np.float64)
        return np.isfinite(arr) & ((arr > 0) if low_open else (arr >= 0))

    checks = (
        ("b", problem.alpha, False),
        ("power", problem.beta, False),
        ("capacity", problem.capacity, True),
        ("free_flow_time", problem.free_flow_time, False),
        ("fixed cost (toll and distance terms)", problem.fixed_cost, False),
    )
    for name, values, low_open in checks:
        allowed = "a finite number > 0" if low_open else "a finite number >= 0"
        arr = np.asarray(values, dtype=np.float64)
        bad = np.flatnonzero(~ok(arr, low_open))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"{where}link {i + 1} (in link order) has {name} {float(arr[i])!r}; "
                f"it must be {allowed} ({bad.size} link(s) are not)",
                argument="network",
                value=float(arr[i]),
                allowed=allowed,
            )
    if vdf == "conical":
        beta = np.asarray(problem.beta, dtype=np.float64)
        low = np.flatnonzero(~(beta > 1.0))
        if low.size:
            i = int(low[0])
            raise InputError(
                f"vdf: 'conical' needs power > 1 on every link; {where}link {i + 1} (in link "
                f"order) has {float(beta[i])!r} ({low.size} link(s) like it)",
                argument="vdf",
                value=vdf,
                allowed="bpr, or conical on a network whose power is > 1 everywhere",
            )
    total = float(np.sum(problem.demand))
    if total > 0 and problem.n_links:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            alpha = np.asarray(problem.alpha, dtype=np.float64)
            beta = np.asarray(problem.beta, dtype=np.float64)
            cap = np.asarray(problem.capacity, dtype=np.float64)
            fft = np.asarray(problem.free_flow_time, dtype=np.float64)
            ratio = np.log10(total) - np.log10(cap)
            congested = (alpha > 0) & (fft > 0)
            log_cost = np.log10(fft) + np.log10(alpha) + beta * ratio
            over = np.flatnonzero(congested & (log_cost > _MAX_LOG10_COST))
        if over.size:
            i = int(over[0])
            raise InputError(
                f"{where}link {i + 1} (in link order) has capacity {float(cap[i]):g}: at the "
                f"total demand {total:g} its cost would be about 1e{math.floor(log_cost[i])}, "
                f"beyond what a float holds ({over.size} link(s) like it); check the "
                "capacities and their units",
                argument="network",
                value=float(cap[i]),
                allowed="capacities that keep link costs below 1e300",
            )
