"""Reliability parameter tables and how a route leg is turned into random durations.

The tables ship in ``corridor/data/reliability/`` as hand-curated CSV files, each figure
with a ``<column>_source`` beside it (a reference and year, ``computed: <method>``,
``proxy: ...`` or ``assumption: ...``) and a ``calibration`` column saying which of those
it is (``cpmm``, ``published-count``, ``anecdote``, ``proxy``, ``assumption``):

``border_dwell``
    Dwell at a border, one row per *side* (``exit`` from the country of the leg's
    ``from_id``, ``entry`` into the country of its ``to_id``) and mode group (``rail``,
    ``road``, ``sea``). Rows for a crossing (``from_id``, ``to_id``) win over rows for a
    country (``*``, ``*``, ``country``), which win over the catch-all (``*``, ``*``, ``*``).
    An empty ``mean_h`` means half of the route leg's ``time_h``.
``transfer_delays``
    Port handling, gauge change, transhipment and mode change by ``place_id`` (or ``*``),
    ``kind`` and ``direction`` (``load`` onto a ship, ``unload`` from one, or ``*``). An
    empty ``mean_h`` means the route leg's ``time_h``.
``run_spread``
    Multiplier on a run's running time by ``mode`` and ``country`` (of the run's start,
    or ``*``).
``ferry_services``
    Timetable of a scheduled service by ``service_id`` or by the port pair: ``weekdays``
    (``Mon|Thu``) with ``departure_times`` (``HH:MM|...``), else ``headway_h`` with an
    unknown phase.
``cancellation``
    Chance that a departure is cancelled by weather, by port (or ``*``) and calendar month.
    A sailing between two ports takes the larger of their two values (one storm closes
    both ends; adding them would double count).

Where no row matches, a leg keeps its expected duration from routing as a constant, and
a ferry leg falls back to the network's ``ferry_services`` table, then to a headway of
twice the leg's ``wait_h`` (routing's expected wait is half a headway).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import FormatError, InputError
from corridor.network.model import Network
from corridor.reliability.distributions import Degenerate, Distribution, make_distribution
from corridor.reliability.timetable import HOURS_PER_WEEK, Timetable
from corridor.routing.types import Leg

__all__ = [
    "TABLES",
    "ReliabilityParameters",
    "border_distributions",
    "cancellation_by_month",
    "load_reliability_parameters",
    "mode_group",
    "run_distribution",
    "service_timetable",
    "transfer_distribution",
]

#: Table names, one CSV file each in ``corridor/data/reliability``.
TABLES: tuple[str, ...] = (
    "border_dwell",
    "transfer_delays",
    "run_spread",
    "ferry_services",
    "cancellation",
)

_REQUIRED: dict[str, tuple[str, ...]] = {
    "border_dwell": (
        "from_id",
        "to_id",
        "country",
        "side",
        "mode_group",
        "distribution",
        "mean_h",
        "cv",
    ),
    "transfer_delays": ("place_id", "kind", "direction", "distribution", "mean_h", "cv"),
    "run_spread": ("mode", "country", "distribution", "mean_factor", "cv"),
    "ferry_services": (
        "service_id",
        "from_id",
        "to_id",
        "weekdays",
        "departure_times",
        "headway_h",
    ),
    "cancellation": ("place_id", "month", "p_cancel"),
}
_TEXT = {
    "from_id", "to_id", "country", "side", "mode_group", "distribution", "place_id", "kind",
    "direction", "mode", "service_id", "weekdays", "departure_times",
}  # fmt: skip
_SEA_MODES = ("ferry", "sea")
_MAX_P_CANCEL = 0.99


def _tidy(name: str, table: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _REQUIRED[name] if c not in table.columns]
    if missing:
        raise InputError(
            f"reliability table {name!r} lacks column(s) {', '.join(missing)}; "
            f"required: {', '.join(_REQUIRED[name])}"
        )
    out = table.copy()
    for col in out.columns:
        if col in _TEXT or str(col).endswith("_source") or col in ("calibration", "notes"):
            out[col] = out[col].fillna("").astype(str).str.strip()
        elif col in _REQUIRED[name]:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    if name == "cancellation":
        p = out["p_cancel"]
        bad = out[~p.between(0.0, _MAX_P_CANCEL) | ~out["month"].between(1, 12)]
        if len(bad):
            row = bad.iloc[0]
            raise InputError(
                f"cancellation row {row['place_id']!r} month {row['month']!r}: p_cancel must "
                f"be in [0, {_MAX_P_CANCEL}] and month in 1-12, got {row['p_cancel']!r}"
            )
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ReliabilityParameters:
    """The reliability tables, by name (see the module docstring).

    Attributes
    ----------
    tables : mapping of str to pandas.DataFrame
        One table per name in :data:`TABLES`.

    """

    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    _records: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def records(self, name: str) -> list[dict[str, Any]]:
        """Return table ``name`` as a list of row dicts (cached; lookups are hot)."""
        if name not in self._records:
            self._records[name] = self.table(name).to_dict("records")  # type: ignore[assignment]
        return self._records[name]

    def table(self, name: str) -> pd.DataFrame:
        """Return table ``name``.

        Raises
        ------
        InputError
            For a name not in :data:`TABLES`.

        """
        if name not in self.tables:
            raise InputError(f"unknown reliability table {name!r}: use one of {', '.join(TABLES)}")
        return self.tables[name]

    def with_tables(self, **tables: pd.DataFrame) -> ReliabilityParameters:
        """Return new parameters with some tables replaced (checked like loaded ones).

        Examples
        --------
        >>> params = load_reliability_parameters()
        >>> empty = params.table("cancellation").iloc[:0]
        >>> len(params.with_tables(cancellation=empty).table("cancellation"))
        0

        """
        for name in tables:
            if name not in TABLES:
                raise InputError(
                    f"unknown reliability table {name!r}: use one of {', '.join(TABLES)}"
                )
        merged = dict(self.tables)
        merged.update({k: _tidy(k, v) for k, v in tables.items()})
        return replace(self, tables=MappingProxyType(merged), _records={})


def load_reliability_parameters(
    overrides: Mapping[str, pd.DataFrame] | None = None,
) -> ReliabilityParameters:
    """Load the shipped reliability tables, optionally replacing some of them.

    Parameters
    ----------
    overrides : mapping of str to pandas.DataFrame, optional
        Tables to use instead of the shipped ones, by name.

    Returns
    -------
    ReliabilityParameters

    Raises
    ------
    FormatError
        If a shipped file cannot be read.
    InputError
        If a table lacks a required column or holds an impossible value.

    Examples
    --------
    >>> params = load_reliability_parameters()
    >>> sorted(params.tables) == sorted(TABLES)
    True

    """
    root = resources.files("corridor").joinpath("data", "reliability")
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        res = root.joinpath(f"{name}.csv")
        try:
            with res.open("r", encoding="utf-8") as fh:
                raw = pd.read_csv(fh, dtype=dict.fromkeys(_TEXT, str), keep_default_na=False,
                                  na_values=[""])  # fmt: skip
        except (OSError, ValueError, pd.errors.ParserError) as err:
            raise FormatError(str(res), f"cannot read reliability table: {err}") from err
        tables[name] = _tidy(name, raw)
    params = ReliabilityParameters(MappingProxyType(tables))
    return params.with_tables(**overrides) if overrides else params


# ---------------------------------------------------------------------- lookups
def mode_group(mode: str) -> str:
    """Return the border mode group of a mode: ``rail``, ``road`` or ``sea``.

    Examples
    --------
    >>> mode_group("rail_1435"), mode_group("road"), mode_group("ferry")
    ('rail', 'road', 'sea')

    """
    first = mode.split(">")[0]
    if first.startswith("rail"):
        return "rail"
    if first in _SEA_MODES:
        return "sea"
    return "road"


def _country(network: Network, place_id: str) -> str:
    places = network.places
    hit = places.loc[places["place_id"] == place_id, "country"]
    return str(hit.iloc[0]) if len(hit) else ""


def _row_distribution(row: Mapping[str, Any], leg_mean_h: float) -> Distribution:
    mean = float(row["mean_h"])
    if math.isnan(mean):
        mean = leg_mean_h
    cv = float(row["cv"])
    family = str(row["distribution"]) or "lognormal"
    if family == "triangular":
        return make_distribution(
            family,
            low_h=float(row.get("low_h", math.nan)),
            mode_h=float(row.get("mode_h", math.nan)),
            high_h=float(row.get("high_h", math.nan)),
        )
    return make_distribution(family, mean_h=mean, cv=cv)


def border_distributions(
    network: Network, leg: Leg, params: ReliabilityParameters
) -> tuple[Distribution, Distribution]:
    """Return the exit-side and entry-side dwell distributions of a border leg.

    Parameters
    ----------
    network : Network
        For the countries of the two sides.
    leg : Leg
        A ``border`` leg (``from_id``/``to_id`` are the two sides, in travel order).
    params : ReliabilityParameters

    Returns
    -------
    tuple of Distribution
        ``(exit, entry)``.

    """
    rows = params.records("border_dwell")
    group = mode_group(leg.mode)
    half = 0.5 * leg.time_h
    out: list[Distribution] = []
    for side, place in (("exit", leg.from_id), ("entry", leg.to_id)):
        country = _country(network, place)
        base = [r for r in rows if r["side"] == side and r["mode_group"] == group]
        keys = ((leg.from_id, leg.to_id, None), ("*", "*", country), ("*", "*", "*"))
        found: Distribution = Degenerate(half)
        for f, t, c in keys:
            hit = [
                r for r in base
                if r["from_id"] == f and r["to_id"] == t and (c is None or r["country"] == c)
            ]  # fmt: skip
            if hit:
                found = _row_distribution(hit[0], half)
                break
        out.append(found)
    return out[0], out[1]


def _direction(leg: Leg) -> str:
    parts = leg.mode.split(">")
    if len(parts) == 2:
        if parts[1] in _SEA_MODES and parts[0] not in _SEA_MODES:
            return "load"
        if parts[0] in _SEA_MODES and parts[1] not in _SEA_MODES:
            return "unload"
    return "*"


def transfer_distribution(leg: Leg, params: ReliabilityParameters) -> Distribution:
    """Return the duration distribution of a transfer leg (port, gauge break ...).

    Parameters
    ----------
    leg : Leg
        A transfer leg (``port``, ``gauge_break``, ``transhipment``, ``mode_change``).
    params : ReliabilityParameters

    Returns
    -------
    Distribution
        From the most specific row of ``transfer_delays``; the leg's ``time_h`` as a
        constant when no row matches.

    """
    rows = [r for r in params.records("transfer_delays") if r["kind"] == leg.kind]
    place = leg.place_id or leg.from_id
    direction = _direction(leg)
    for pid, dirn in ((place, direction), (place, "*"), ("*", direction), ("*", "*")):
        hit = [r for r in rows if r["place_id"] == pid and r["direction"] == dirn]
        if hit:
            return _row_distribution(hit[0], leg.time_h)
    return Degenerate(leg.time_h)


def run_distribution(network: Network, leg: Leg, params: ReliabilityParameters) -> Distribution:
    """Return the running-time distribution of a run leg (excluding any service wait).

    Parameters
    ----------
    network : Network
        For the country of the run's start.
    leg : Leg
        A ``run`` leg.
    params : ReliabilityParameters

    Returns
    -------
    Distribution
        The ``run_spread`` multiplier for (mode, country), else (mode, ``*``), scaled by
        ``leg.time_h - leg.wait_h``; a constant when no row matches.

    """
    running_h = max(leg.time_h - leg.wait_h, 0.0)
    rows = [r for r in params.records("run_spread") if r["mode"] == leg.mode]
    country = _country(network, leg.from_id)
    for c in (country, "*"):
        hit = [r for r in rows if r["country"] == c]
        if hit:
            row = hit[0]
            factor = make_distribution(
                str(row["distribution"]) or "lognormal",
                mean_h=float(row["mean_factor"]),
                cv=float(row["cv"]),
            )
            return factor.scaled(running_h)
    return Degenerate(running_h)


def service_timetable(
    network: Network, leg: Leg, params: ReliabilityParameters
) -> Timetable | None:
    """Return the timetable of the service ridden on a ferry or sea run, if any.

    Parameters
    ----------
    network : Network
        Its ``ferry_services`` parameter table is the second choice.
    leg : Leg
        A ``run`` leg on a ``ferry`` or ``sea`` link.
    params : ReliabilityParameters

    Returns
    -------
    Timetable or None
        ``None`` when nothing is known (the leg is then a plain duration).

    """
    rows = params.records("ferry_services")
    hit = [r for r in rows if r["service_id"] != "" and r["service_id"] == leg.service_id]
    if not hit:
        hit = [r for r in rows if r["from_id"] == leg.from_id and r["to_id"] == leg.to_id]
    if hit:
        row = hit[0]
        if row["weekdays"]:
            return Timetable.weekly(str(row["weekdays"]), str(row["departure_times"]) or "12:00")
        if not math.isnan(float(row["headway_h"])):
            return Timetable.headway(float(row["headway_h"]))
    net_tab = network.parameters.get("ferry_services")
    if net_tab is not None and leg.service_id and "service_id" in net_tab.columns:
        net_rows = net_tab[net_tab["service_id"].astype(str) == leg.service_id]
        if len(net_rows):
            net_row = net_rows.iloc[0]
            days = str(net_row.get("weekdays", "") or "").strip()
            if days and days.lower() != "nan":
                return Timetable.weekly(days, "12:00")
            dpw = pd.to_numeric(
                pd.Series([net_row.get("departures_per_week")]), errors="coerce"
            ).iloc[0]
            if not math.isnan(dpw) and dpw > 0:
                return Timetable.headway(HOURS_PER_WEEK / float(dpw))
    if leg.wait_h > 0.0:
        return Timetable.headway(2.0 * leg.wait_h)
    return None


def cancellation_by_month(leg: Leg, params: ReliabilityParameters) -> NDArray[np.float64]:
    """Return the chance that a departure of the leg's service is cancelled, by month.

    Parameters
    ----------
    leg : Leg
        A scheduled run.
    params : ReliabilityParameters

    Returns
    -------
    ndarray of float64, shape (12,)
        January first; the larger of the two ports' values, each port falling back to
        the ``*`` rows.

    Examples
    --------
    >>> from corridor.routing.types import Leg
    >>> leg = Leg("run", "ferry", "AZ_ALAT_PORT", "KZ_KURYK", 400.0, 20.0, 0.0, 0.0)
    >>> cancellation_by_month(leg, load_reliability_parameters())[[0, 6, 11]].tolist()
    [0.15, 0.05, 0.5]

    """
    rows = params.records("cancellation")
    out = np.zeros(12)
    default = np.zeros(12)
    for row in rows:
        if row["place_id"] == "*":
            default[int(row["month"]) - 1] = float(row["p_cancel"])
    for place in (leg.from_id, leg.to_id):
        p = default.copy()
        for row in rows:
            if row["place_id"] == place:
                p[int(row["month"]) - 1] = float(row["p_cancel"])
        out = np.maximum(out, p)
    return out
