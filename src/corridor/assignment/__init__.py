"""Static traffic assignment: the problem on arrays, volume-delay functions and solvers."""

from corridor.assignment.problem import AssignmentProblem, build_problem

__all__ = ["AssignmentProblem", "build_problem"]
