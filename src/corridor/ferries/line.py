"""A ferry line as the queue model sees it, and how it is read from a network's tables.

A :class:`FerryLine` holds what the simulation needs for one service at one port of
departure: the capacity of a sailing, the departure rule, the fleet and berth (for lines
that sail when full), and the weather (:class:`~corridor.ferries.weather.StormProcess`).
Its ``sources`` say where each figure comes from.

Departure rules (:data:`LINE_RULES`):

``timetable`` / ``headway``
    Departures at fixed times (a weekly timetable, or one every ``headway`` hours at a
    phase drawn per run): the departures of the ``ferry_services`` table, the same
    :class:`~corridor.graph.services.Timetable` routing uses. A departure that falls in a
    closure leaves when the port reopens.
``full``
    "Sails when loaded": a fleet of ``vessels`` ships; a ship berths (one of ``berths``),
    takes at least ``port_time_h`` there, and leaves when it is full or, if
    ``max_hold_h`` is set, when it has waited that long; then it is away until it berths
    again ``cycle_h`` after its previous berthing (voyage, far port, voyage back). Ships
    load in berthing order. No departure while the port is closed.

:func:`ferry_line` reads a line from the network: the ``ferry_lines`` table (capacity per
sailing, rule, sailings per week, fleet, berth), ``ferry_services`` (departures, voyage
time) and ``cancellation`` (the share of time a port is closed, by month, turned into a
storm process with the line's ``storm_episode_h``). Where the fleet is not published it is
the smallest fleet that makes the published sailings per week at the published voyage time
(computed, and said so in ``sources``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corridor.errors import CorridorError, InputError
from corridor.ferries.weather import StormProcess
from corridor.graph.costs import service_record
from corridor.graph.services import HOURS_PER_WEEK, Timetable
from corridor.network.model import Network

__all__ = ["LINE_RULES", "FerryLine", "LineInfo", "ferry_line", "ferry_line_infos"]

#: Departure rules of the queue model.
LINE_RULES: tuple[str, ...] = ("timetable", "headway", "full")

_TABLE = "ferry_lines"


@dataclass(frozen=True)
class FerryLine:
    """One ferry line at its port of departure.

    Parameters
    ----------
    service_id : str
        The service (a ``ferry_services`` row).
    units_per_sailing : int
        Units one sailing takes (wagons, trucks, TEU: ``unit``).
    rule : str
        One of :data:`LINE_RULES`.
    timetable : Timetable, optional
        Departures of a ``timetable`` or ``headway`` line.
    vessels : int
        Ships of a ``full`` line.
    cycle_h : float
        Hours from one berthing of a ship to its next (``full`` lines).
    port_time_h : float
        Least time a ship stays at the berth (``full`` lines).
    berths : int
        Ships that can be at the berth at once (``full`` lines).
    max_hold_h : float, optional
        A ``full`` line's ship leaves after this long at the berth even if not full;
        ``None``: it waits until full.
    storms : StormProcess
        Weather closures.
    unit : str
        What a unit is.
    sources : mapping of str to str
        Source or ``computed: ...`` label of each figure, by field name.

    Examples
    --------
    >>> line = FerryLine.scheduled("X", Timetable.headway(24.0), 10)
    >>> line.capacity_units_per_day
    10.0
    >>> FerryLine.sails_when_full("Y", 50, vessels=2, cycle_h=48.0).capacity_units_per_day
    50.0

    """

    service_id: str
    units_per_sailing: int
    rule: str
    timetable: Timetable | None = None
    vessels: int = 1
    cycle_h: float = 0.0
    port_time_h: float = 0.0
    berths: int = 1
    max_hold_h: float | None = None
    storms: StormProcess = field(default_factory=StormProcess.none)
    unit: str = "unit"
    sources: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rule not in LINE_RULES:
            raise InputError(
                f"unknown departure rule {self.rule!r}",
                argument="rule",
                value=self.rule,
                allowed=LINE_RULES,
            )
        if isinstance(self.units_per_sailing, bool) or int(self.units_per_sailing) < 1:
            raise InputError(
                f"units_per_sailing must be a whole number >= 1, got {self.units_per_sailing!r}",
                argument="units_per_sailing",
                value=self.units_per_sailing,
            )
        object.__setattr__(self, "units_per_sailing", int(self.units_per_sailing))
        if self.rule in ("timetable", "headway"):
            if self.timetable is None:
                raise InputError(f"a {self.rule} line needs a timetable", argument="timetable")
            return
        if int(self.vessels) < 1 or int(self.berths) < 1:
            raise InputError(
                f"vessels and berths must be >= 1, got {self.vessels}, {self.berths}",
                argument="vessels",
            )
        if not (math.isfinite(self.port_time_h) and self.port_time_h >= 0.0):
            raise InputError(
                f"port_time_h must be >= 0, got {self.port_time_h!r}", argument="port_time_h"
            )
        if not (math.isfinite(self.cycle_h) and self.cycle_h > 0.0):
            raise InputError(f"cycle_h must be > 0, got {self.cycle_h!r}", argument="cycle_h")
        if self.cycle_h < self.port_time_h:
            raise InputError(
                f"cycle_h ({self.cycle_h}) must be at least port_time_h ({self.port_time_h})",
                argument="cycle_h",
            )
        if self.max_hold_h is not None and not (
            math.isfinite(self.max_hold_h) and self.max_hold_h >= 0.0
        ):
            raise InputError(
                f"max_hold_h must be >= 0 or None, got {self.max_hold_h!r}",
                argument="max_hold_h",
            )

    @classmethod
    def scheduled(
        cls,
        service_id: str,
        timetable: Timetable,
        units_per_sailing: int,
        *,
        storms: StormProcess | None = None,
        unit: str = "unit",
        sources: Mapping[str, str] | None = None,
    ) -> FerryLine:
        """Build a line with fixed departures (a weekly timetable or a headway)."""
        rule = "headway" if timetable.random_phase else "timetable"
        return cls(
            service_id,
            units_per_sailing,
            rule,
            timetable=timetable,
            storms=storms or StormProcess.none(),
            unit=unit,
            sources=dict(sources or {}),
        )

    @classmethod
    def sails_when_full(
        cls,
        service_id: str,
        units_per_sailing: int,
        *,
        vessels: int,
        cycle_h: float,
        port_time_h: float = 0.0,
        berths: int = 1,
        max_hold_h: float | None = None,
        storms: StormProcess | None = None,
        unit: str = "unit",
        sources: Mapping[str, str] | None = None,
    ) -> FerryLine:
        """Build a line whose ships sail when full (or after ``max_hold_h`` at the berth)."""
        return cls(
            service_id,
            units_per_sailing,
            "full",
            vessels=int(vessels),
            cycle_h=float(cycle_h),
            port_time_h=float(port_time_h),
            berths=int(berths),
            max_hold_h=max_hold_h,
            storms=storms or StormProcess.none(),
            unit=unit,
            sources=dict(sources or {}),
        )

    @property
    def sailings_per_day(self) -> float:
        """Most sailings a day in open weather (fleet, berth or timetable bound)."""
        if self.timetable is not None and self.rule != "full":
            return len(self.timetable.offsets_h) / self.timetable.period_h * 24.0
        by_fleet = self.vessels / self.cycle_h
        by_berth = self.berths / self.port_time_h if self.port_time_h > 0.0 else math.inf
        return min(by_fleet, by_berth) * 24.0

    @property
    def capacity_units_per_day(self) -> float:
        """Units a day the line can carry in open weather (sailings a day x capacity)."""
        return self.sailings_per_day * self.units_per_sailing

    def with_storms(self, storms: StormProcess) -> FerryLine:
        """Return the line with another weather process (e.g. a stated assumption)."""
        return FerryLine(
            self.service_id,
            self.units_per_sailing,
            self.rule,
            timetable=self.timetable,
            vessels=self.vessels,
            cycle_h=self.cycle_h,
            port_time_h=self.port_time_h,
            berths=self.berths,
            max_hold_h=self.max_hold_h,
            storms=storms,
            unit=self.unit,
            sources={**self.sources, "storms": storms.source},
        )


@dataclass(frozen=True)
class LineInfo:
    """A service of the network as the ferry model lists it.

    Attributes
    ----------
    service_id, from_id, to_id, mode : str
        The ``ferry_services`` row.
    rule : str
        The queue model's departure rule (``""`` without a ``ferry_lines`` row).
    line : FerryLine or None
        The line, when it can be simulated.
    missing : str
        Why it cannot be simulated (``""`` when it can).

    """

    service_id: str
    from_id: str
    to_id: str
    mode: str
    rule: str
    line: FerryLine | None
    missing: str


def _rows(network: Network, name: str) -> pd.DataFrame:
    tab = network.parameters.get(name)
    if tab is None:
        return pd.DataFrame()
    return tab.astype(object).where(pd.notna(tab), None)


def _num(row: Mapping[str, object], name: str) -> float:
    v = row.get(name)
    try:
        return float(v) if v is not None and str(v).strip() != "" else math.nan  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _text(row: Mapping[str, object], name: str) -> str:
    v = row.get(name)
    return "" if v is None else str(v).strip()


def ferry_line(network: Network, service_id: str) -> FerryLine:
    """Read one ferry line from the network's parameter tables.

    Parameters
    ----------
    network : Network
        Its ``ferry_lines``, ``ferry_services`` and ``cancellation`` tables are read.
    service_id : str
        The service.

    Returns
    -------
    FerryLine

    Raises
    ------
    InputError
        For a service without a ``ferry_lines`` row or without a figure the model needs
        (``argument="service"``; the message names the figure).

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> line = ferry_line(load_default(), "FERRY_KURYK_ALAT")
    >>> line.rule, line.units_per_sailing, line.vessels, round(line.capacity_units_per_day, 1)
    ('full', 56, 5, 110.3)

    """
    lines = _rows(network, _TABLE)
    known = [] if lines.empty else [str(s) for s in lines["service_id"].tolist()]
    if service_id not in known:
        raise InputError(
            f"service {service_id!r} has no {_TABLE} row: the ferry model cannot simulate it",
            argument="service",
            value=service_id,
            allowed=known,
        )
    row = {str(k): v for k, v in lines[lines["service_id"] == service_id].iloc[0].items()}
    rec = service_record(network, service_id)
    services = _rows(network, "ferry_services")
    svc = {str(k): v for k, v in services[services["service_id"] == service_id].iloc[0].items()}
    sources: dict[str, str] = {}

    def need(value: float, name: str, why: str = "") -> float:
        if not math.isfinite(value):
            raise InputError(
                f"service {service_id!r}: no {name} in {_TABLE} or ferry_services"
                + (f" ({why})" if why else "")
                + ": the ferry model cannot simulate it",
                argument="service",
                value=service_id,
            )
        return value

    units = need(_num(row, "units_per_sailing"), "units_per_sailing")
    sources["units_per_sailing"] = _text(row, "units_per_sailing_source")
    rule = _text(row, "departure_rule")
    sources["rule"] = _text(row, "departure_rule_source")
    episode = _num(row, "storm_episode_h")
    share = np.asarray(rec.p_cancel, dtype=np.float64)
    if share.any():
        need(episode, "storm_episode_h", "the ports close in some months")
        storms = StormProcess.from_closure_share(
            share.tolist(),
            episode,
            "closure share by month from the cancellation table (share of time closed); "
            f"storm duration: {_text(row, 'storm_episode_h_source')}",
        )
    else:
        storms = StormProcess.none()
    sources["storms"] = storms.source or "no closure share in the cancellation table"
    unit = _text(row, "unit") or "unit"
    if rule in ("timetable", "headway"):
        if rec.timetable is None:
            raise InputError(
                f"service {service_id!r}: {_TABLE} says {rule} but ferry_services gives no "
                f"departures (rule {rec.rule})",
                argument="service",
                value=service_id,
            )
        sources["timetable"] = str(svc.get("departures_per_week_source") or "ferry_services")
        return FerryLine(
            service_id,
            int(units),
            rule,
            timetable=rec.timetable,
            storms=storms,
            unit=unit,
            sources=sources,
        )
    if rule != "full":
        raise InputError(
            f"service {service_id!r}: unknown departure_rule {rule!r} in {_TABLE}",
            argument="service",
            value=rule,
            allowed=LINE_RULES,
        )
    voyage = need(_num(svc, "voyage_time_h"), "voyage_time_h", "a line that sails when full")
    port_time = _num(row, "port_time_h")
    if math.isfinite(port_time):
        sources["port_time_h"] = _text(row, "port_time_h_source")
    else:
        port_time = 0.0
        sources["port_time_h"] = "not found: berth and loading time not modelled (0 h)"
    berths = _num(row, "berths")
    if math.isfinite(berths):
        sources["berths"] = _text(row, "berths_source")
    else:
        berths = 1.0
        sources["berths"] = "not found: one ship loads at a time"
    hold = _num(row, "max_hold_h")
    sources["max_hold_h"] = (
        _text(row, "max_hold_h_source")
        if math.isfinite(hold)
        else "not found: no operator rule published, ships wait until full"
    )
    least_cycle = 2.0 * voyage + port_time
    vessels = _num(row, "vessels")
    spw = _num(row, "sailings_per_week")
    if math.isfinite(vessels):
        sources["vessels"] = _text(row, "vessels_source")
        cycle = least_cycle
        sources["cycle_h"] = f"computed: 2 x voyage_time_h {voyage:g} + port_time_h {port_time:g}"
    else:
        need(spw, "sailings_per_week", "nor vessels")
        vessels = float(max(1, math.ceil(spw * least_cycle / HOURS_PER_WEEK - 1e-9)))
        cycle = vessels * HOURS_PER_WEEK / spw
        sources["vessels"] = (
            f"computed: fewest ships that make {spw:g} sailings/week "
            f"({_text(row, 'sailings_per_week_source')}) with a round trip of at least "
            f"{least_cycle:g} h (2 x voyage {voyage:g} h + port time {port_time:g} h)"
        )
        sources["cycle_h"] = (
            f"computed: {vessels:g} ships x 168 h / {spw:g} sailings/week (the time beyond "
            "the voyages and the berth is the far port's turnaround the sailings imply)"
        )
    return FerryLine.sails_when_full(
        service_id,
        int(units),
        vessels=int(vessels),
        cycle_h=cycle,
        port_time_h=port_time,
        berths=int(berths),
        max_hold_h=hold if math.isfinite(hold) else None,
        storms=storms,
        unit=unit,
        sources=sources,
    )


def ferry_line_infos(network: Network) -> list[LineInfo]:
    """List the network's water services and whether the ferry model can simulate each.

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> infos = {i.service_id: i for i in ferry_line_infos(load_default())}
    >>> infos["FERRY_AKTAU_ALAT"].line is not None, infos["SEA_CASPIAN_TRAMP"].missing[:11]
    (True, 'no ferry_li')

    """
    services = _rows(network, "ferry_services")
    if services.empty:
        return []
    lines = _rows(network, _TABLE)
    with_rows = set() if lines.empty else {str(s) for s in lines["service_id"].tolist()}
    out: list[LineInfo] = []
    for rec in services.to_dict("records"):
        row = {str(k): v for k, v in rec.items()}
        sid = str(row.get("service_id") or "")
        if not sid:
            continue
        rule = ""
        line: FerryLine | None = None
        missing = ""
        if sid not in with_rows:
            missing = f"no {_TABLE} row (capacity per sailing not staged)"
        else:
            try:
                line = ferry_line(network, sid)
                rule = line.rule
            except InputError as err:
                missing = str(err)
            except CorridorError as err:  # a row the graph cannot resolve
                missing = f"{type(err).__name__}: {err}".splitlines()[0]
        out.append(
            LineInfo(
                sid,
                _text(row, "from_id"),
                _text(row, "to_id"),
                _text(row, "mode"),
                rule,
                line,
                missing,
            )
        )
    return out
