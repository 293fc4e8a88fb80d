"""One flow case from options to report: what ``corridor flows`` and ``/v1/flows`` both run.

:func:`run_flows_case` assigns the demand (the shipped 2024 baseline unless given) with its
growth, compares the result with the counts, optionally calibrates and runs a growth path,
and returns the :class:`~corridor.flows.results.FlowResult` with the planner's report
(:func:`corridor.flows.report.flows_report`). Interfaces add only their reading of options
and their writing of files, so that the CLI's ``--json`` and the API's JSON are one payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridor.demand.freight import FreightDemand, Growth
from corridor.errors import InputError
from corridor.flows.api import assign_flows, growth_path, load_baseline
from corridor.flows.counts import count_set, read_counts
from corridor.flows.odme import calibrate as run_calibration
from corridor.flows.odme import leave_one_out
from corridor.flows.report import count_table, flows_report
from corridor.flows.results import FlowResult
from corridor.flows.solve import METHODS
from corridor.graph.build import GraphCache
from corridor.network.model import Network

__all__ = ["DEFAULT_COUNTS_LABEL", "FlowRun", "check_flow_options", "run_flows_case"]

#: How the report names the shipped counts.
DEFAULT_COUNTS_LABEL = "corridor/data/flows/counts_2024.csv"


@dataclass(frozen=True, eq=False)
class FlowRun:
    """A solved flow case and its report.

    Attributes
    ----------
    result : FlowResult
        The assignment.
    report : dict
        The JSON-ready report (``corridor flows --json``).

    """

    result: FlowResult
    report: dict[str, Any]


def check_flow_options(*, method: str, top: int, steps: int = 10) -> None:
    """Check the options a flow case takes before any work.

    Raises
    ------
    InputError
        An unknown ``method``, a ``top`` or ``steps`` below 1.

    Examples
    --------
    >>> check_flow_options(method="bfw", top=10)
    >>> check_flow_options(method="fast", top=10)
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: unknown method 'fast'; allowed: aon, msa, fw, cfw, bfw, logit

    """
    if method not in METHODS:
        raise InputError(
            f"unknown method {method!r}; allowed: {', '.join(METHODS)}",
            argument="method",
            value=method,
            allowed=METHODS,
        )
    if isinstance(top, bool) or top < 1:
        raise InputError(f"top: {top!r} must be >= 1", argument="top", value=top, allowed=">= 1")
    if isinstance(steps, bool) or steps < 1:
        raise InputError(
            f"steps: {steps!r} must be an integer >= 1", argument="steps", value=steps,
            allowed=">= 1",
        )  # fmt: skip


def run_flows_case(
    network: Network,
    demand: FreightDemand | None = None,
    *,
    growth: Growth | None = None,
    path: Growth | None = None,
    steps: int = 10,
    method: str = "bfw",
    gap: float = 1e-6,
    max_iter: int = 5000,
    logit_scale_usd_per_t: float | None = None,
    carbon_price_usd_per_t: float = 0.0,
    period_h: float = 8760.0,
    counts: pd.DataFrame | None = None,
    counts_label: str = DEFAULT_COUNTS_LABEL,
    calibrate: bool = False,
    top: int = 10,
    include_planned: bool = False,
    cache: GraphCache | None = None,
) -> FlowRun:
    """Assign a flow case and build its report.

    Parameters
    ----------
    network : Network
        A freight network with its parameter and capacity tables.
    demand : FreightDemand, optional
        The demand; the shipped 2024 baseline (:func:`~corridor.flows.load_baseline`).
    growth : Growth, optional
        Factors applied to the demand (:func:`corridor.demand.parse_growth`).
    path : Growth, optional
        The factors of one step of a growth path (:func:`~corridor.flows.growth_path`).
    steps : int, default 10
        Steps of the growth path.
    method, gap, max_iter, logit_scale_usd_per_t, carbon_price_usd_per_t, period_h
        As :func:`~corridor.flows.assign_flows`.
    counts : pandas.DataFrame, optional
        A counts table (:func:`~corridor.flows.read_counts`); the shipped counts.
    counts_label : str
        How the report's ``scenario`` names the counts.
    calibrate : bool, default False
        Fit the OD table to the counts with ``use`` ``calibrate`` (Spiess) and report the
        fit with leave-one-out predictions.
    top : int, default 10
        Bottlenecks listed.
    include_planned : bool, default False
        Use planned links and places.
    cache : GraphCache, optional
        Reuse expanded graphs.

    Returns
    -------
    FlowRun

    Raises
    ------
    InputError, DataFileError, NetworkValidationError, NoRouteError
        Bad options or data.

    Examples
    --------
    >>> from corridor.demand import parse_growth
    >>> from corridor.testing import two_route_case
    >>> net, demand = two_route_case()
    >>> run = run_flows_case(net, demand, growth=parse_growth("1.2"), gap=1e-9)
    >>> run.report["totals"]["assigned_t"], run.report["bottlenecks"][0]["id"]
    (1200.0, 'CAP-FAST@AB')

    """
    check_flow_options(method=method, top=top, steps=steps if path is not None else 1)
    growth = growth or Growth()
    if demand is None:
        demand = load_baseline()
    counts_table = read_counts(None) if counts is None else counts
    result = assign_flows(
        network,
        demand,
        growth=growth,
        method=method,
        gap=gap,
        max_iter=max_iter,
        logit_scale_usd_per_t=logit_scale_usd_per_t,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
        period_h=period_h,
        include_planned=include_planned,
        cache=cache,
    )
    counted = count_set(result.problem, counts_table)
    calibrated = None
    loo = None
    calibration = None
    if calibrate:
        use = counted.table["use"].to_numpy() == "calibrate"
        if not use.any():
            raise InputError(
                "calibrate: the counts have no row with use=calibrate", argument="calibrate"
            )
        cal = run_calibration(result.problem, counted, gap=gap)
        calibrated = [float(v) for v in cal.table["model"]]
        loo = leave_one_out(result.problem, counted, gap=gap)
        od = result.problem.od
        prior = od["tonnes_per_yr"].to_numpy(dtype=float)
        calibration = {
            "method": "Spiess (1990) gradient, prior = the demand",
            "objective_history": list(cal.history),
            "od": [
                {
                    "cargo_class": str(c),
                    "origin": str(o),
                    "destination": str(d),
                    "prior_t": float(q0),
                    "estimated_t": float(q1),
                    "factor": float(q1 / q0) if q0 > 0 else None,
                }
                for c, o, d, q0, q1 in zip(
                    od["cargo_class"],
                    od["origin"],
                    od["destination"],
                    prior,
                    cal.tonnes,
                    strict=True,
                )
            ],
        }
    gp = None
    if path is not None:
        gp = growth_path(
            result,
            path,
            steps=steps,
            method=method,
            gap=gap,
            max_iter=max_iter,
            logit_scale_usd_per_t=logit_scale_usd_per_t,
        )
    table = count_table(result, counted, calibrated=calibrated, loo=loo)
    report = flows_report(
        result,
        counts=table,
        growth_path=gp,
        top=top,
        scenario={
            "demand": demand.source,
            "growth": growth.describe(),
            "path": None if path is None else f"{path.describe()} x {steps} steps",
            "network": str(network.metadata.get("name", "")),
            "counts": counts_label,
            "delay_function": f"Akcelik (1991), flow period {period_h:g} h",
        },
        calibration=calibration,
    )
    report["counts_missing"] = list(counted.missing)
    return FlowRun(result, report)
