"""Drivers' hours: how many hours a truck's driving takes once breaks and rests are added.

A truck does not run 24 hours a day. Under the AETR (the European agreement on the work
of crews in international road transport, a treaty that Kazakhstan, Uzbekistan,
Turkmenistan, Russia and Azerbaijan have signed) one driver drives at most
``daily_driving_h`` (9 h) between two daily rests, stops for ``break_h`` (45 min) after
every ``break_after_h`` (4.5 h) of driving, rests ``daily_rest_h`` (11 h) between driving
periods, and takes a weekly rest (``weekly_rest_h``, 45 h) after ``periods_per_week`` (6)
driving periods, within ``weekly_driving_h`` (56 h) a week and ``fortnight_driving_h``
(90 h) in two weeks. With two drivers (multi-manning) the truck drives up to 18 h, breaks
are taken in the moving cab, and the crew rests 9 h. The figures come from the
``driving_rules`` parameter table (keyed by mode, country and crew); a network without it
has no rules and its trucks run without rests.

**Accumulated along consecutive road legs.** The rests are found by one deterministic
schedule over each *road stretch* of a route: the consecutive runs (and the border
crossings between them) of a mode with rules, from the first one to the next leg of
another kind (a transfer to rail or to a ship, a ferry voyage, on which the driver rests,
or the end of the route). The driving of the stretch is laid end to end: a break falls
after every ``break_after_h`` of driving, a daily rest after every ``daily_driving_h``, a
weekly rest in place of every ``periods_per_week``-th daily rest (or earlier, when a
weekly or fortnightly limit is reached). A stop is needed only when more driving follows,
so a stretch never ends on a rest, and each stop is counted on the leg whose driving it
precedes. This is better than a rule applied to each run alone: a chain of short runs
would otherwise never rest, and a long run would not carry on the rest clock of the runs
before it. Waiting at a border is not counted as a break or a rest (a driver queueing at a
border is not off duty); the rules of a stretch are those of the country where it starts
(the truck keeps its crew and its rules across borders). The schedule uses the regular
limits; the extensions a driver may use (10 h of driving twice a week, a 9 h reduced
rest three times a week, a 24 h reduced weekly rest) are not planned on.

The ranked route search (Dijkstra) cannot carry the schedule's state on a fixed graph, so
it weighs each road run by the rules' daily-cycle average
(:attr:`DrivingRules.rest_per_driving_h`: the rest and break hours per hour of driving of a
full driving period). The routes found are then given the exact schedule, and the
alternatives are ranked by it. The Pareto search carries the schedule's state in its labels
(:meth:`ExpandedGraph.driving_arrays <corridor.graph.ExpandedGraph.driving_arrays>`,
:mod:`corridor.routing._pareto_kernels`), so its times are exact. The simulation adds each
leg's rest as a constant element, so routing and the simulation still read one model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import InputError, Problem

__all__ = [
    "CREWS",
    "TOLERANCE_H",
    "DrivingArrays",
    "DrivingRules",
    "driving_arrays",
    "read_driving_rules",
    "stretch_rests",
]

#: Crew sizes a truck may have (drivers on board).
CREWS: tuple[int, ...] = (1, 2)

#: Hours below which the schedule counts no driving left (float noise).
TOLERANCE_H = 1e-9
_EPS = TOLERANCE_H
_FIGURES = (
    "daily_driving_h",
    "break_after_h",
    "break_h",
    "daily_rest_h",
    "periods_per_week",
    "weekly_rest_h",
    "weekly_driving_h",
    "fortnight_driving_h",
)


@dataclass(frozen=True)
class DrivingRules:
    """The driving-time limits of one crew.

    Attributes
    ----------
    daily_driving_h : float
        Most driving between two daily (or weekly) rests.
    break_after_h : float
        Most continuous driving before a break (``inf``: breaks need no stop).
    break_h : float
        Length of a break.
    daily_rest_h : float
        Length of a daily rest.
    periods_per_week : int
        Driving periods between two weekly rests.
    weekly_rest_h : float
        Length of a weekly rest.
    weekly_driving_h, fortnight_driving_h : float
        Most driving in a week (between weekly rests) and in two consecutive weeks.

    Examples
    --------
    >>> aetr = DrivingRules(9, 4.5, 0.75, 11, 6, 45, 56, 90)
    >>> aetr.elapsed_h(12.0)  # 4.5 + break + 4.5 + rest + 3
    23.75
    >>> aetr.rests([6.0, 6.0]).tolist()  # a break in the first run, the rest in the second
    [0.75, 11.0]
    >>> round(aetr.rest_per_driving_h, 4)
    1.3056

    """

    daily_driving_h: float
    break_after_h: float
    break_h: float
    daily_rest_h: float
    periods_per_week: int
    weekly_rest_h: float
    weekly_driving_h: float
    fortnight_driving_h: float

    def __post_init__(self) -> None:
        for name in _FIGURES:
            value = float(getattr(self, name))
            positive = name not in ("break_h",)
            if not (value > 0 if positive else value >= 0) or math.isnan(value):
                raise InputError(
                    f"driving rule {name} must be {'> 0' if positive else '>= 0'}, got {value}",
                    argument=name,
                    value=value,
                )
        if self.periods_per_week != int(self.periods_per_week):
            raise InputError(
                f"periods_per_week must be a whole number, got {self.periods_per_week}",
                argument="periods_per_week",
                value=self.periods_per_week,
            )

    @property
    def rest_per_driving_h(self) -> float:
        """Break and rest hours per driving hour over one full driving period (no weekly rest).

        The additive estimate the route search weighs road runs by.
        """
        breaks = max(math.ceil(self.daily_driving_h / self.break_after_h - _EPS) - 1, 0)
        return (breaks * self.break_h + self.daily_rest_h) / self.daily_driving_h

    def rests(self, driving_h: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the break and rest hours each leg of one road stretch needs.

        Parameters
        ----------
        driving_h : sequence of float
            Driving hours of the stretch's legs, in order (0 for a border crossing).

        Returns
        -------
        numpy.ndarray
            Hours of breaks and rests counted on each leg (before or during its driving).

        """
        hours = np.asarray(driving_h, dtype=np.float64)
        out = np.zeros(hours.shape[0])
        day = since_break = week = last_week = 0.0
        periods = 0
        for i, leg in enumerate(hours.tolist()):
            left = max(leg, 0.0)
            while left > _EPS:
                today = min(
                    self.daily_driving_h - day,
                    self.weekly_driving_h - week,
                    self.fortnight_driving_h - last_week - week,
                )
                if today <= _EPS:  # a rest before more driving
                    periods += 1
                    weekly = (
                        periods >= self.periods_per_week
                        or self.weekly_driving_h - week <= _EPS
                        or self.fortnight_driving_h - last_week - week <= _EPS
                    )
                    if weekly:
                        out[i] += self.weekly_rest_h
                        last_week, week, periods = week, 0.0, 0
                    else:
                        out[i] += self.daily_rest_h
                    day = since_break = 0.0
                    continue
                to_break = self.break_after_h - since_break
                if to_break <= _EPS:  # a break before more driving
                    out[i] += self.break_h
                    since_break = 0.0
                    continue
                step = min(left, today, to_break)
                left -= step
                day += step
                since_break += step
                week += step
        return out

    def elapsed_h(self, driving_h: float) -> float:
        """Hours from the start to the end of ``driving_h`` of driving in one stretch."""
        return float(driving_h + self.rests([driving_h]).sum())


class DrivingArrays(NamedTuple):
    """The drivers' hours of a graph's edges as arrays, for a compiled search.

    Attributes
    ----------
    driving_h : numpy.ndarray
        Hours of driving under rules of each edge.
    in_stretch : numpy.ndarray of bool
        Edges that carry a road stretch on (any other edge ends it).
    edge_rule : numpy.ndarray of int64
        Row of ``rules`` of each edge's run (``-1``: none); equal rule sets share a row.
    rules : numpy.ndarray
        ``(k, 8)``: the figures of each rule set, in the order of the fields of
        :class:`DrivingRules`.

    """

    driving_h: NDArray[np.float64]
    in_stretch: NDArray[np.bool_]
    edge_rule: NDArray[np.int64]
    rules: NDArray[np.float64]


def driving_arrays(
    driving_h: NDArray[np.float64],
    in_stretch: NDArray[np.bool_],
    edge_rules: NDArray[np.int64],
    rules: Sequence[DrivingRules | None],
) -> DrivingArrays:
    """Return the arrays of :class:`DrivingArrays`, equal rule sets merged into one row.

    Parameters
    ----------
    driving_h, in_stretch : numpy.ndarray
        Per edge, as :func:`stretch_rests` takes them.
    edge_rules : numpy.ndarray of int
        Index into ``rules`` of each edge's rules (``-1``: none).
    rules : sequence of DrivingRules or None
        The rule sets (``None``: no rules).

    Examples
    --------
    >>> aetr = DrivingRules(9, 4.5, 0.75, 11, 6, 45, 56, 90)
    >>> same = DrivingRules(9.0, 4.5, 0.75, 11.0, 6, 45.0, 56.0, 90.0)
    >>> arr = driving_arrays(np.array([5.0, 0.0, 5.0]), np.array([True, True, True]),
    ...                      np.array([0, -1, 1]), [aetr, same])
    >>> arr.edge_rule.tolist(), arr.rules.shape
    ([0, -1, 0], (1, 8))

    """
    rows: dict[tuple[float, ...], int] = {}
    index = []
    for r in rules:
        if r is None:
            index.append(-1)
            continue
        key = tuple(float(x) for x in astuple(r))
        index.append(rows.setdefault(key, len(rows)))
    lookup = np.asarray([*index, -1], dtype=np.int64)  # -1 maps to the last: none
    matrix = np.asarray(list(rows), dtype=np.float64).reshape(-1, len(_FIGURES))
    return DrivingArrays(
        np.asarray(driving_h, dtype=np.float64),
        np.asarray(in_stretch, dtype=np.bool_),
        lookup[np.asarray(edge_rules, dtype=np.int64)],
        matrix,
    )


def read_driving_rules(
    table: pd.DataFrame | None, modes: Sequence[str], countries: Sequence[str]
) -> tuple[dict[int, dict[tuple[str, str], DrivingRules]], list[Problem]]:
    """Resolve the ``driving_rules`` table into rules per crew, mode and country.

    Parameters
    ----------
    table : pandas.DataFrame or None
        Columns ``mode``, ``country`` (``*`` = default), ``crew`` (1 or 2) and the figures
        of :class:`DrivingRules`. ``None``: no rules.
    modes, countries : sequence of str
        The modes and countries of the network's links.

    Returns
    -------
    rules : dict
        ``rules[crew][(mode, country)]`` for every mode of the table and every country
        (a country row before the ``*`` row; an empty figure falls back to the ``*`` row).
    problems : list of Problem
        Rows whose figures are missing or out of range.

    """
    out: dict[int, dict[tuple[str, str], DrivingRules]] = {c: {} for c in CREWS}
    problems: list[Problem] = []
    if table is None or table.empty:
        return out, problems
    tab = table.copy()
    for key in ("mode", "country", "crew"):
        if key not in tab.columns:
            problems.append(Problem("error", "driving_rules", "", key, "key column is missing"))
            return out, problems
    for key in ("mode", "country"):
        tab[key] = tab[key].fillna("").astype(str).str.strip()
    tab["crew"] = pd.to_numeric(tab["crew"], errors="coerce").fillna(1)
    for col in _FIGURES:
        tab[col] = pd.to_numeric(tab[col], errors="coerce") if col in tab.columns else np.nan
    for crew in CREWS:
        rows = tab[tab["crew"] == crew]
        for mode in sorted(set(rows["mode"]) & set(modes)):
            of_mode = rows[rows["mode"] == mode]
            star = of_mode[of_mode["country"] == "*"]
            for country in [*countries, "*"]:
                own = of_mode[of_mode["country"] == country]
                if own.empty and star.empty:
                    continue
                first = own.iloc[0] if len(own) else star.iloc[0]
                fallback = star.iloc[0] if len(star) else first
                f: dict[str, float] = {}
                for col in _FIGURES:
                    v = first[col]
                    f[col] = float(v if np.isfinite(v) else fallback[col])
                row_id = f"{mode}/{country if len(own) else '*'}/{crew}"
                try:
                    if not np.isfinite(f["periods_per_week"]):
                        raise InputError("periods_per_week has no value")
                    rules = DrivingRules(
                        daily_driving_h=f["daily_driving_h"],
                        break_after_h=f["break_after_h"],
                        break_h=f["break_h"],
                        daily_rest_h=f["daily_rest_h"],
                        periods_per_week=int(f["periods_per_week"]),
                        weekly_rest_h=f["weekly_rest_h"],
                        weekly_driving_h=f["weekly_driving_h"],
                        fortnight_driving_h=f["fortnight_driving_h"],
                    )
                except (InputError, ValueError, OverflowError) as err:
                    problems.append(Problem("error", "driving_rules", row_id, "", str(err)))
                    continue
                out[crew][(mode, country)] = rules
    return out, problems


def stretch_rests(
    driving_h: NDArray[np.float64],
    in_stretch: NDArray[np.bool_],
    rules: Sequence[DrivingRules | None],
) -> NDArray[np.float64]:
    """Return the break and rest hours of every edge of a path, stretch by stretch.

    Parameters
    ----------
    driving_h : numpy.ndarray
        Driving hours of each edge of the path (0 where no rules apply).
    in_stretch : numpy.ndarray of bool
        Edges that keep a road stretch going (runs of a mode with rules, borders and
        pass-throughs of that mode); any other edge ends the stretch.
    rules : sequence of DrivingRules or None
        The rules of each edge's run (``None`` where no rules apply). A stretch takes the
        rules of its first edge with rules.

    Returns
    -------
    numpy.ndarray
        Hours of breaks and rests per edge.

    Examples
    --------
    >>> aetr = DrivingRules(9, 4.5, 0.75, 11, 6, 45, 56, 90)
    >>> d = np.array([6.0, 0.0, 6.0, 0.0, 8.0])
    >>> keep = np.array([True, True, True, False, True])
    >>> stretch_rests(d, keep, [aetr, None, aetr, None, aetr]).tolist()
    [0.75, 0.0, 11.0, 0.0, 0.75]

    """
    out = np.zeros(driving_h.shape[0])
    start = 0
    n = driving_h.shape[0]
    while start < n:
        if not in_stretch[start]:
            start += 1
            continue
        end = start
        while end < n and in_stretch[end]:
            end += 1
        first = next((r for r in rules[start:end] if r is not None), None)
        if first is not None:
            out[start:end] = first.rests(driving_h[start:end])
        start = end
    return out
