"""The one exception tree of corridor.

Every error corridor raises on purpose derives from :class:`CorridorError`, so a caller
can catch them all with one ``except`` and the CLI can map them to exit code 2::

    CorridorError
    ├── InputError                  bad arguments or options (unknown cargo, mode, objective ...)
    │   └── PlaceNotFoundError      unknown place, with close-match suggestions
    ├── FormatError                 a file that cannot be read (GMNS, TNTP, OMX, CSV ...)
    │   └── DataFileError           a readable file whose rows have problems; lists every one
    ├── NetworkValidationError      a network with problems; lists every problem at once
    ├── NoRouteError                no route satisfies the request; says which constraint blocks
    ├── ConvergenceError            an iterative method did not reach its target
    └── ScenarioError               a scenario that cannot be built or run; lists every problem

Exceptions carry their data as attributes so that programs need not parse messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ConvergenceError",
    "CorridorError",
    "DataFileError",
    "FormatError",
    "InputError",
    "NetworkValidationError",
    "NoRouteError",
    "PlaceNotFoundError",
    "Problem",
    "ScenarioError",
    "ScenarioProblem",
]


class CorridorError(Exception):
    """Base class of every error corridor raises on purpose."""

    def to_dict(self) -> dict[str, object]:
        """Return the error as a JSON-ready dict: ``type``, ``message`` and its fields."""
        return {"type": type(self).__name__, "message": str(self)}


class InputError(CorridorError, ValueError):
    """An argument or option has a value that is not allowed.

    Parameters
    ----------
    message : str
        What is wrong, naming the argument, the value and what is allowed.
    argument : str, optional
        The argument's name in the Python API (``"units"``, ``"depart"`` ...); interfaces
        map it to their own spelling (``--units``, a query parameter).
    value : object, optional
        The value that was refused (as given).
    allowed : str or sequence of str, optional
        What would be accepted: a range (``"> 0"``) or the allowed values.

    Attributes
    ----------
    argument, value, allowed
        As given; ``allowed`` is a tuple of str (empty when not given).

    Examples
    --------
    >>> err = InputError("units must be > 0, got -1", argument="units", value=-1,
    ...                  allowed="> 0")
    >>> err.argument, err.value, err.allowed
    ('units', -1, ('> 0',))

    """

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        value: object = None,
        allowed: str | Sequence[str] = (),
    ) -> None:
        self.argument = argument
        self.value = value
        self.allowed: tuple[str, ...] = (
            (allowed,) if isinstance(allowed, str) else tuple(str(a) for a in allowed)
        )
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        """Return the error's fields as a JSON-ready dict (for an API's error body)."""
        return {
            "type": type(self).__name__,
            "message": str(self),
            "argument": self.argument,
            "value": None if self.value is None else str(self.value),
            "allowed": list(self.allowed),
        }


class PlaceNotFoundError(InputError, LookupError):
    """A place name or id matches no place of the network.

    Parameters
    ----------
    query : str
        What the caller asked for.
    suggestions : sequence of tuple of (str, str)
        Close matches as ``(name, place_id)`` pairs, best first.

    """

    def __init__(
        self,
        query: str,
        suggestions: Sequence[tuple[str, str]] = (),
        *,
        argument: str | None = None,
    ) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        msg = f"unknown place {query!r}"
        if argument:
            msg = f"{argument}: {msg}"
        if self.suggestions:
            options = ", ".join(f"{name!r} ({pid})" for name, pid in self.suggestions)
            msg += f": did you mean {options}?"
        super().__init__(msg, argument=argument, value=query, allowed=())

    def to_dict(self) -> dict[str, object]:
        """Return the error's fields, with ``suggestions`` as ``{"name", "place_id"}``."""
        out = super().to_dict()
        out["suggestions"] = [{"name": n, "place_id": p} for n, p in self.suggestions]
        return out


class FormatError(CorridorError):
    """A file cannot be read: missing, empty, truncated or not in the expected format.

    Parameters
    ----------
    path : str
        The file.
    message : str
        What is wrong, naming the line or column where known.

    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")

    def to_dict(self) -> dict[str, object]:
        """Return the error's fields (``path`` and ``detail``) as a JSON-ready dict."""
        return {**super().to_dict(), "path": self.path, "detail": self.message}


@dataclass(frozen=True)
class Problem:
    """One problem found by validation.

    Attributes
    ----------
    severity : str
        ``"error"`` or ``"warning"``.
    table : str
        ``"places"``, ``"links"`` or a parameter table name.
    row_id : str
        The id of the offending row, or ``""`` for a whole-table problem.
    column : str
        The offending column, or ``""``.
    message : str
        What is wrong.

    """

    severity: str
    table: str
    row_id: str
    column: str
    message: str

    def __str__(self) -> str:
        where = self.table
        if self.row_id:
            where += f" {self.row_id!r}"
        if self.column:
            where += f" [{self.column}]"
        return f"{self.severity}: {where}: {self.message}"


class DataFileError(FormatError):
    """A data file (demand, trade statistics, counts) whose rows have problems.

    Every problem of the file is listed at once, each naming its row (the row's id where
    the file has one, else ``line N``) and column.

    Parameters
    ----------
    path : str
        The file (or a name for an in-memory table).
    problems : sequence of Problem
        Every problem found (``table`` is the file's kind, ``row_id`` the row).

    Examples
    --------
    >>> err = DataFileError("od.csv", [Problem("error", "demand", "line 3", "tonnes_per_yr",
    ...                                        "-5 must be >= 0")])
    >>> print(err)
    od.csv: 1 problem(s)
      error: demand 'line 3' [tonnes_per_yr]: -5 must be >= 0
    >>> err.problems[0].row_id
    'line 3'

    """

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [f"{len(self.problems)} problem(s)"] + [f"  {p}" for p in self.problems]
        super().__init__(path, "\n".join(lines))

    def to_dict(self) -> dict[str, object]:
        """Return the error with every problem as a dict."""
        return {
            **super().to_dict(),
            "problems": [
                {
                    "severity": p.severity,
                    "table": p.table,
                    "row_id": p.row_id,
                    "column": p.column,
                    "message": p.message,
                }
                for p in self.problems
            ],
        }


class NetworkValidationError(CorridorError):
    """A network has problems; ``problems`` lists every one of them.

    Parameters
    ----------
    problems : sequence of Problem
        All the problems found, errors first.
    source : str, optional
        Where the network came from (a path), for the message.

    """

    def __init__(self, problems: Sequence[Problem], source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        n_err = sum(p.severity == "error" for p in self.problems)
        head = f"{source}: " if source else ""
        lines = [f"{head}invalid network: {n_err} error(s)"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict[str, object]:
        """Return the error with every problem as a dict."""
        return {
            **super().to_dict(),
            "source": self.source,
            "problems": [
                {
                    "severity": p.severity,
                    "table": p.table,
                    "row_id": p.row_id,
                    "column": p.column,
                    "message": p.message,
                }
                for p in self.problems
            ],
        }


class NoRouteError(CorridorError):
    """No route satisfies the request.

    Parameters
    ----------
    message : str
        Which constraint blocks, in words.
    constraint : str, optional
        The name of the blocking option (``"avoid_countries"``, ``"modes"`` ...), or ``""``
        when the places are not connected at all.

    """

    def __init__(self, message: str, constraint: str = "") -> None:
        self.constraint = constraint
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        """Return the error with the blocking ``constraint``."""
        return {**super().to_dict(), "constraint": self.constraint}


class ConvergenceError(CorridorError):
    """An iterative method stopped before reaching its target.

    Parameters
    ----------
    message : str
        What happened.
    gap : float, optional
        The relative gap reached.
    iterations : int, optional
        Iterations done.

    """

    def __init__(
        self, message: str, *, gap: float | None = None, iterations: int | None = None
    ) -> None:
        self.gap = gap
        self.iterations = iterations
        super().__init__(message)

    def to_dict(self) -> dict[str, object]:
        """Return the error with ``gap`` and ``iterations``."""
        return {**super().to_dict(), "gap": self.gap, "iterations": self.iterations}


@dataclass(frozen=True)
class ScenarioProblem:
    """One problem of a scenario file.

    Attributes
    ----------
    path : str
        The file.
    line : int
        1-based line of the offending value (0 when the file as a whole is at fault).
    where : str
        The value's place in the file, dotted (``edits[2].link``).
    message : str
        What is wrong.

    """

    path: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        at = f"{self.path}:{self.line}" if self.line else self.path
        return f"{at}: {self.where}: {self.message}" if self.where else f"{at}: {self.message}"


class ScenarioError(CorridorError):
    """A scenario cannot be built or run; ``problems`` lists every problem of its file.

    Parameters
    ----------
    message : str
        What is wrong (a headline when there are ``problems``).
    problems : sequence of ScenarioProblem, optional
        Every problem found, in file order.

    Examples
    --------
    >>> err = ScenarioError("bad", problems=[ScenarioProblem("s.toml", 3, "edits[0].link",
    ...                                                      "unknown link 'X'")])
    >>> print(err)
    bad
      s.toml:3: edits[0].link: unknown link 'X'

    """

    def __init__(self, message: str, *, problems: Sequence[ScenarioProblem] = ()) -> None:
        self.problems = tuple(problems)
        lines = [message] + [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict[str, object]:
        """Return the error with every problem as a dict (``path``, ``line``, ``where``, ...)."""
        return {
            **super().to_dict(),
            "problems": [
                {"path": p.path, "line": p.line, "where": p.where, "message": p.message}
                for p in self.problems
            ],
        }
