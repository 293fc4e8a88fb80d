"""Caspian ferry lines as queues: a discrete-event (simpy) model of sailings, storms and capacity.

Units (wagons, trucks, containers) arrive at a port and wait for a ship with room; ships
leave by the line's departure rule (a timetable, a headway, or "sails when full"); storms
close the port for days in runs. The figures come from the network's ``ferry_lines``,
``ferry_services`` and ``cancellation`` tables (:func:`ferry_line`). Public:

* :func:`ferry_line`, :func:`ferry_line_infos`, :class:`FerryLine`, :class:`StormProcess`;
* :func:`simulate_line` -> :class:`LineRun` (waits, loads, units left behind, queues, by
  month); :func:`simulate_years` and :func:`summarise` pool independent years;
* :func:`volume_curve` (10 %-120 % of capacity), :func:`ferry_delay_curve` (the flows
  model's delay function), :func:`ferry_waits` (monthly wait laws for
  :func:`corridor.reliability.simulate_route`).
"""

from __future__ import annotations

from corridor.ferries.curve import (
    DEFAULT_SHARES,
    CurvePoint,
    FerryDelayCurve,
    MonthlyWaits,
    VolumeCurve,
    ferry_delay_curve,
    ferry_waits,
    volume_curve,
    wait_samplers,
)
from corridor.ferries.line import LINE_RULES, FerryLine, LineInfo, ferry_line, ferry_line_infos
from corridor.ferries.plot import plot_line
from corridor.ferries.sim import (
    LineInputs,
    LineRun,
    MonthFigures,
    draw_inputs,
    simulate_line,
    simulate_years,
    summarise,
)
from corridor.ferries.weather import StormProcess

__all__ = [
    "DEFAULT_SHARES",
    "LINE_RULES",
    "CurvePoint",
    "FerryDelayCurve",
    "FerryLine",
    "LineInfo",
    "LineInputs",
    "LineRun",
    "MonthFigures",
    "MonthlyWaits",
    "StormProcess",
    "VolumeCurve",
    "draw_inputs",
    "ferry_delay_curve",
    "ferry_line",
    "ferry_line_infos",
    "ferry_waits",
    "plot_line",
    "simulate_line",
    "simulate_years",
    "summarise",
    "volume_curve",
    "wait_samplers",
]
