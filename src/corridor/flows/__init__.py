"""Freight flows on the corridors: demand on the network with capacities, queues and counts.

:func:`assign_flows` assigns freight demand (:class:`corridor.demand.FreightDemand`, e.g.
:func:`load_baseline`) to the expanded graphs of its cargo classes at equilibrium, with
the capacity elements of the network's ``capacities`` table and Akçelik's queue delay
(:mod:`corridor.flows.delay`); :func:`bottlenecks` ranks the elements, :func:`growth_path`
finds the first to pass capacity as demand grows, :func:`calibrate` fits the OD table to
counts (Spiess), :func:`run_flows_case` runs one case from options to report (what
``corridor flows`` and ``/v1/flows`` share), :func:`flows_report` gives the planner's
report, :func:`write_flow_map` a map. See ``docs/flows.md``.
"""

from corridor.flows.api import (
    assign_flows,
    country_of_places,
    growth_path,
    load_baseline,
    read_flow_demand,
    solve_problem,
)
from corridor.flows.counts import CountSet, count_set, read_counts
from corridor.flows.delay import DelayModel, akcelik_delay_h, akcelik_use_for_delay
from corridor.flows.elements import ELEMENT_KINDS, CapacityElement, check_capacity_table
from corridor.flows.odme import CalibrationResult, calibrate, leave_one_out
from corridor.flows.problem import FreightProblem, build_freight_problem
from corridor.flows.report import bottlenecks, count_table, flows_report, render_text
from corridor.flows.results import FlowResult
from corridor.flows.run import FlowRun, run_flows_case
from corridor.flows.solve import METHODS, FlowState, solve_flows

__all__ = [
    "ELEMENT_KINDS",
    "METHODS",
    "CalibrationResult",
    "CapacityElement",
    "CountSet",
    "DelayModel",
    "FlowResult",
    "FlowRun",
    "FlowState",
    "FreightProblem",
    "akcelik_delay_h",
    "akcelik_use_for_delay",
    "assign_flows",
    "bottlenecks",
    "build_freight_problem",
    "calibrate",
    "check_capacity_table",
    "count_set",
    "count_table",
    "country_of_places",
    "flows_report",
    "growth_path",
    "leave_one_out",
    "load_baseline",
    "read_counts",
    "read_flow_demand",
    "render_text",
    "run_flows_case",
    "solve_flows",
    "solve_problem",
]
