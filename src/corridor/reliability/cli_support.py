"""Helpers for the ``corridor route --reliability`` command: parsing and output.

The command itself lives with routing (``corridor.cli.route``); it calls these to parse
``--depart`` and ``--deadline`` and to print the figures as a rich table or JSON.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rich.table import Table

from corridor.errors import InputError
from corridor.reliability.montecarlo import ReliabilityResult

__all__ = ["parse_deadline", "parse_depart", "reliability_json", "reliability_table"]

_DEADLINE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([dh]?)\s*$", re.IGNORECASE)


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
        If the text is not an ISO date-time.

    Examples
    --------
    >>> parse_depart("2026-12-01T08:00")
    datetime.datetime(2026, 12, 1, 8, 0)

    """
    try:
        return datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError) as err:
        raise InputError(
            f"--depart {text!r} is not a date-time: use ISO form like 2026-12-01T08:00"
        ) from err


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
        For anything else, or a deadline that is not positive.

    Examples
    --------
    >>> parse_deadline("12d"), parse_deadline("36h"), parse_deadline("1.5d")
    (288.0, 36.0, 36.0)

    """
    m = _DEADLINE.match(text) if isinstance(text, str) else None
    if m is None:
        raise InputError(f"--deadline {text!r} is not a duration: use e.g. 12d or 36h")
    value = float(m.group(1))
    hours = value * 24.0 if m.group(2).lower() == "d" else value
    if not (math.isfinite(hours) and hours > 0.0):
        raise InputError(f"--deadline {text!r} must be longer than zero")
    return hours


def reliability_json(result: ReliabilityResult) -> dict[str, Any]:
    """Return the figures for ``--json`` output (under ``"reliability"``).

    Parameters
    ----------
    result : ReliabilityResult

    Returns
    -------
    dict
        :meth:`ReliabilityResult.to_dict`, with ``p50_h``, ``p90_h``, ``p95_h``,
        ``mean_h`` and ``on_time_probability`` first.

    """
    return result.to_dict()


def _fmt_h(hours: float) -> str:
    return f"{hours:,.1f} h ({hours / 24.0:.1f} d)"


def reliability_table(results: Mapping[str, ReliabilityResult]) -> Table:
    """Return a rich table of the transit-time figures, one row per alternative.

    Parameters
    ----------
    results : mapping of str to ReliabilityResult
        Results by alternative label (e.g. ``"1"`` or ``"1: via Kuryk"``).

    Returns
    -------
    rich.table.Table

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from rich.console import Console
    >>> res = ReliabilityResult(np.array([10.0, 20.0]), np.zeros(2), 15.0, deadline_h=12.0)
    >>> buf = io.StringIO()
    >>> Console(file=buf, width=120, color_system=None).print(reliability_table({"1": res}))
    >>> "on time" in buf.getvalue()
    True

    """
    table = Table(title="Transit-time reliability (Monte Carlo)")
    table.add_column("route", justify="right")
    for name in ("mean", "P50", "P90", "P95", "buffer idx", "planning idx", "on time"):
        table.add_column(name, justify="right")
    for label, res in results.items():
        p = res.on_time_probability
        table.add_row(
            str(label),
            _fmt_h(res.mean_h),
            _fmt_h(res.p50_h),
            _fmt_h(res.p90_h),
            _fmt_h(res.p95_h),
            f"{res.buffer_index:.2f}",
            f"{res.planning_time_index:.2f}",
            "-" if p is None else f"{100.0 * p:.1f} %",
        )
    return table
