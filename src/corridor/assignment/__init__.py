"""Static traffic assignment: the problem on arrays, volume-delay functions and solvers."""

from corridor.assignment.assign import (
    METHODS,
    AssignmentResult,
    assign,
    check_converged,
    relative_gap,
    solve,
)
from corridor.assignment.problem import AssignmentProblem, build_problem

__all__ = [
    "METHODS",
    "AssignmentProblem",
    "AssignmentResult",
    "assign",
    "build_problem",
    "check_converged",
    "relative_gap",
    "solve",
]
