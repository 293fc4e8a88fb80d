"""The one exception tree of corridor.

Every error corridor raises on purpose derives from :class:`CorridorError`, so a caller
can catch them all with one ``except`` and the CLI can map them to exit code 2::

    CorridorError
    ├── InputError                  bad arguments or options (unknown cargo, mode, objective ...)
    │   └── PlaceNotFoundError      unknown place, with close-match suggestions
    ├── FormatError                 a file that cannot be read (GMNS, TNTP, OMX, CSV ...)
    ├── NetworkValidationError      a network with problems; lists every problem at once
    ├── NoRouteError                no route satisfies the request; says which constraint blocks
    ├── ConvergenceError            an iterative method did not reach its target
    └── ScenarioError               a scenario that cannot be built or run

Exceptions carry their data as attributes so that programs need not parse messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ConvergenceError",
    "CorridorError",
    "FormatError",
    "InputError",
    "NetworkValidationError",
    "NoRouteError",
    "PlaceNotFoundError",
    "Problem",
    "ScenarioError",
]


class CorridorError(Exception):
    """Base class of every error corridor raises on purpose."""


class InputError(CorridorError, ValueError):
    """An argument or option has a value that is not allowed."""


class PlaceNotFoundError(InputError, LookupError):
    """A place name or id matches no place of the network.

    Parameters
    ----------
    query : str
        What the caller asked for.
    suggestions : sequence of tuple of (str, str)
        Close matches as ``(name, place_id)`` pairs, best first.

    """

    def __init__(self, query: str, suggestions: Sequence[tuple[str, str]] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        msg = f"unknown place {query!r}"
        if self.suggestions:
            options = ", ".join(f"{name!r} ({pid})" for name, pid in self.suggestions)
            msg += f": did you mean {options}?"
        super().__init__(msg)


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


class ConvergenceError(CorridorError):
    """An iterative method stopped before reaching its target."""


class ScenarioError(CorridorError):
    """A scenario cannot be built or run."""
