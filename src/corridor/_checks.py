"""Checks of argument values at the boundary, shared by every public function.

Each check raises :class:`~corridor.errors.InputError` naming the argument, the value and
what is allowed, so that no raw ``TypeError`` or a misleading message from deep inside a
computation reaches a caller.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from corridor.errors import InputError

__all__ = ["as_bool", "as_names", "as_number", "as_whole"]


def as_names(value: object, argument: str, *, allow_none: bool = False) -> tuple[str, ...] | None:
    """Return a tuple of names: one text is one name (never split into letters).

    Examples
    --------
    >>> as_names("TKM", "avoid_countries"), as_names(["TKM", "AFG"], "avoid_countries")
    (('TKM',), ('TKM', 'AFG'))

    """
    if value is None:
        return None if allow_none else ()
    if isinstance(value, str):
        items: tuple[object, ...] = (value,)
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        items = tuple(value)
    else:
        raise InputError(
            f"{argument} must be a name or a list of names, got {value!r}",
            argument=argument,
            value=value,
            allowed="text or a sequence of texts",
        )
    bad = [v for v in items if not isinstance(v, str) or not v.strip()]
    if bad:
        raise InputError(
            f"{argument} must hold non-empty names, got {bad[0]!r}",
            argument=argument,
            value=bad[0],
            allowed="non-empty text",
        )
    return tuple(dict.fromkeys(str(v).strip() for v in items))


def as_number(
    value: object,
    argument: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float within bounds.

    Examples
    --------
    >>> as_number(2, "units", low=0, low_open=True)
    2.0
    >>> as_number("2", "units")
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: units must be a number, got '2'

    """
    allowed = _bounds(low, high, low_open, high_open)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(
            f"{argument} must be a number, got {value!r}",
            argument=argument,
            value=value,
            allowed=allowed,
        )
    x = float(value)
    ok = math.isfinite(x)
    if ok and low is not None:
        ok = x > low if low_open else x >= low
    if ok and high is not None:
        ok = x < high if high_open else x <= high
    if not ok:
        raise InputError(
            f"{argument} must be {allowed}, got {value!r}",
            argument=argument,
            value=value,
            allowed=allowed,
        )
    return x


def as_whole(value: object, argument: str, *, low: int, high: int) -> int:
    """Return ``value`` as an int within ``[low, high]`` (no floats, no booleans).

    Examples
    --------
    >>> as_whole(3, "k", low=1, high=100)
    3

    """
    allowed = f"a whole number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(
            f"{argument} must be {allowed}, got {value!r}",
            argument=argument,
            value=value,
            allowed=allowed,
        )
    if not low <= int(value) <= high:
        raise InputError(
            f"{argument} must be {allowed}, got {value!r}",
            argument=argument,
            value=value,
            allowed=allowed,
        )
    return int(value)


def as_bool(value: object, argument: str) -> bool:
    """Return ``value`` if it is a bool."""
    if not isinstance(value, bool):
        raise InputError(
            f"{argument} must be True or False, got {value!r}",
            argument=argument,
            value=value,
            allowed=("True", "False"),
        )
    return value


def _bounds(low: float | None, high: float | None, low_open: bool, high_open: bool = False) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    return "a finite number " + " and ".join(parts) if parts else "a finite number"
