"""Text forms of inputs shared by the CLI and the REST API: departures and deadlines.

Messages name the Python argument (``depart``, ``deadline``) and carry it in the error's
``argument`` field, so each interface can show its own spelling (``--depart``, a query
parameter).
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from corridor.errors import InputError

__all__ = ["parse_deadline", "parse_depart"]

# Linear: one anchored number and an optional unit letter, no nested repetition.
_DEADLINE = re.compile(r"(\d{1,9}(?:\.\d{0,9})?|\.\d{1,9})\s{0,8}([dhDH]?)")
_MAX_TEXT = 64


def parse_depart(text: str) -> datetime:
    """Parse a departure date and time in ISO 8601 form.

    Parameters
    ----------
    text : str
        ``YYYY-MM-DDTHH:MM`` (seconds and a UTC offset are accepted); a date alone means
        00:00.

    Returns
    -------
    datetime

    Raises
    ------
    InputError
        If the text is not an ISO date-time (``argument="depart"``).

    Examples
    --------
    >>> parse_depart("2026-12-01T08:00")
    datetime.datetime(2026, 12, 1, 8, 0)

    """
    if isinstance(text, str) and len(text) <= _MAX_TEXT:
        try:
            return datetime.fromisoformat(text.strip())
        except ValueError:
            pass
    raise InputError(
        f"depart {text!r} is not a date-time: use ISO 8601, e.g. 2026-12-01T08:00",
        argument="depart",
        value=text,
        allowed="ISO 8601 date-time, e.g. 2026-12-01T08:00",
    )


def parse_deadline(text: str) -> float:
    """Parse a deadline such as ``12d`` or ``36h`` into hours.

    Parameters
    ----------
    text : str
        A positive number followed by ``d`` (days) or ``h`` (hours); a bare number is
        hours.

    Returns
    -------
    float
        Hours.

    Raises
    ------
    InputError
        For anything else, or a deadline that is not positive (``argument="deadline"``).

    Examples
    --------
    >>> parse_deadline("12d"), parse_deadline("36h"), parse_deadline("1.5d")
    (288.0, 36.0, 36.0)

    """
    allowed = "a positive duration, e.g. 12d or 36h"
    m = (
        _DEADLINE.fullmatch(text.strip())
        if isinstance(text, str) and len(text) <= _MAX_TEXT
        else None
    )
    if m is None:
        raise InputError(
            f"deadline {text!r} is not a duration: use e.g. 12d or 36h",
            argument="deadline",
            value=text,
            allowed=allowed,
        )
    value = float(m.group(1))
    hours = value * 24.0 if m.group(2).lower() == "d" else value
    if not (math.isfinite(hours) and hours > 0.0):
        raise InputError(
            f"deadline {text!r} must be longer than zero",
            argument="deadline",
            value=text,
            allowed=allowed,
        )
    return hours
