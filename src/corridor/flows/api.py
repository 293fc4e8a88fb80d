"""The flow model's entry points: the baseline, reading demand, assigning, growth paths."""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.demand.freight import (
    FreightDemand,
    Growth,
    read_freight_csv,
    read_freight_omx,
)
from corridor.errors import InputError
from corridor.flows.problem import FreightProblem, build_freight_problem
from corridor.flows.results import FlowResult
from corridor.flows.solve import FlowState, solve_flows
from corridor.graph.build import GraphCache
from corridor.network.model import Network

__all__ = [
    "assign_flows",
    "country_of_places",
    "growth_path",
    "load_baseline",
    "read_flow_demand",
    "solve_problem",
]


def load_baseline() -> FreightDemand:
    """Return the shipped 2024 freight baseline (``corridor/data/flows/baseline_2024.csv``).

    Every row's ``tonnes_per_yr_source`` says where its figure comes from; rows whose size
    was not found have ``basis`` ``unknown`` and no figure (never assigned).

    Examples
    --------
    >>> d = load_baseline()
    >>> d.total_t > 5e6, len(d.unknown) > 0
    (True, True)

    """
    ref = resources.files("corridor").joinpath("data", "flows", "baseline_2024.csv")
    with resources.as_file(ref) as path:
        demand = read_freight_csv(path)
    return FreightDemand(demand.table, "baseline 2024 (corridor/data/flows/baseline_2024.csv)")


def read_flow_demand(network: Network, path: str | os.PathLike[str]) -> FreightDemand:
    """Read a demand file (``.csv`` or ``.omx``) and check it against the network.

    Raises
    ------
    FormatError
        The file cannot be read.
    DataFileError
        Every bad row at once: unknown places, unknown or missing cargo classes, negative
        or NaN tonnes.

    """
    p = Path(path)
    places = [str(x) for x in network.places["place_id"]]
    cargo = (
        [str(c) for c in network.parameters["cargo_classes"]["cargo"]]
        if "cargo_classes" in network.parameters
        else None
    )
    if p.suffix.lower() == ".omx":
        return read_freight_omx(p, places=places, cargo_classes=cargo)
    return read_freight_csv(p, places=places, cargo_classes=cargo)


def country_of_places(network: Network) -> dict[str, str]:
    """Return the country of each place of the network."""
    pl = network.places
    return dict(zip(pl["place_id"].astype(str), pl["country"].astype(str), strict=True))


def solve_problem(
    problem: FreightProblem,
    *,
    method: str = "bfw",
    gap: float = 1e-6,
    max_iter: int = 5000,
    logit_scale_usd_per_t: float | None = None,
) -> FlowResult:
    """Solve a built problem and wrap the flows as a :class:`FlowResult`."""
    state = solve_flows(
        problem,
        method=method,
        gap=gap,
        max_iter=max_iter,
        logit_scale_usd_per_t=logit_scale_usd_per_t,
    )
    return FlowResult(problem, state)


def assign_flows(
    network: Network,
    demand: FreightDemand,
    *,
    growth: Growth | None = None,
    capacities: pd.DataFrame | None = None,
    method: str = "bfw",
    gap: float = 1e-6,
    max_iter: int = 5000,
    logit_scale_usd_per_t: float | None = None,
    period_h: float = 8760.0,
    delay_j: float = 1.0,
    carbon_price_usd_per_t: float = 0.0,
    include_planned: bool = False,
    cache: GraphCache | None = None,
) -> FlowResult:
    """Assign freight demand to the network at equilibrium, with capacities and queues.

    Parameters
    ----------
    network : Network
        A freight network (with parameter tables; its ``capacities`` table gives the
        capacity elements unless ``capacities`` is passed).
    demand : FreightDemand
        Tonnes per year by place pair, commodity group and cargo class.
    growth : Growth, optional
        Factors applied to the demand first (:func:`corridor.demand.parse_growth`).
    capacities : pandas.DataFrame, optional
        A capacities table to use instead of the network's.
    method : {"bfw", "cfw", "fw", "msa", "aon", "logit"}, default "bfw"
        Algorithm (:func:`~corridor.flows.solve.solve_flows`).
    gap : float, default 1e-6
        Target relative gap.
    max_iter : int, default 5000
        Iteration limit.
    logit_scale_usd_per_t : float, optional
        Scale of the logit route choice (``method="logit"``).
    period_h, delay_j : float
        Flow period and delay parameter of the queue delay (:mod:`corridor.flows.delay`).
    carbon_price_usd_per_t : float, default 0
        Price of CO2e in the generalized cost.
    include_planned : bool, default False
        Use planned links.
    cache : GraphCache, optional
        Reuse expanded graphs.

    Returns
    -------
    FlowResult

    Raises
    ------
    DataFileError
        Demand rows the network cannot take (all listed).
    NetworkValidationError
        A capacities table with problems (all listed).
    InputError, NoRouteError
        Bad options; a pair with no route.

    Examples
    --------
    >>> from corridor.testing import two_route_case
    >>> net, demand = two_route_case()
    >>> res = assign_flows(net, demand, gap=1e-9)
    >>> res.state.converged, round(res.totals["assigned_t"])
    (True, 1000)

    """
    if growth is not None and not growth.is_identity:
        demand = demand.grown(growth, country_of_places(network))
    problem = build_freight_problem(
        network,
        demand,
        capacities=capacities,
        period_h=period_h,
        delay_j=delay_j,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
        include_planned=include_planned,
        cache=cache,
    )
    return solve_problem(
        problem,
        method=method,
        gap=gap,
        max_iter=max_iter,
        logit_scale_usd_per_t=logit_scale_usd_per_t,
    )


def _od_tonnes(problem: FreightProblem, factors: np.ndarray) -> np.ndarray:
    known = problem.demand.known
    known = known[known["tonnes_per_yr"] > 0].reset_index(drop=True)
    rows = problem.od_rows
    ok = rows >= 0
    t = known["tonnes_per_yr"].to_numpy(dtype=float) * factors
    return np.bincount(rows[ok], weights=t[ok], minlength=problem.n_od)


def growth_path(
    result: FlowResult,
    growth: Growth,
    *,
    steps: int = 10,
    method: str = "bfw",
    gap: float = 1e-6,
    max_iter: int = 5000,
    logit_scale_usd_per_t: float | None = None,
    progress: Callable[[int, FlowResult], None] | None = None,
) -> pd.DataFrame:
    """Grow a solved case step by step; report when each element first passes capacity.

    Step ``s`` applies the factors ``s`` times (compounded: ``1.1`` per step is +10 % a
    year) to the demand of ``result`` and re-assigns it (routes move as queues grow).

    Parameters
    ----------
    result : FlowResult
        The starting case (step 0).
    growth : Growth
        The factors of one step.
    steps : int, default 10
        Number of steps.
    method, gap, max_iter, logit_scale_usd_per_t
        As :func:`assign_flows`.
    progress : callable, optional
        Called as ``progress(step, result)`` after each step.

    Returns
    -------
    pandas.DataFrame
        One row per element that reaches use 1 within the steps, in order of the step it
        does: ``element_id``, ``kind``, ``label``, ``step``, ``use_ratio`` at that step,
        ``capacity_t_per_yr``, ``capacity_source``; ``step`` 0 means already at or over
        capacity in the starting case.

    Raises
    ------
    InputError
        ``steps`` below 1.

    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise InputError(f"steps: {steps!r} must be an integer >= 1", argument="steps")
    problem = result.problem
    country = country_of_places(problem.network)
    first: dict[int, tuple[int, float]] = {}
    cap = problem.delay.capacity_t_per_yr
    use0 = (result.state.load / cap).tolist() if problem.elements else []
    for j, u in enumerate(use0):
        if u >= 1.0:
            first[j] = (0, float(u))
    for step in range(1, steps + 1):
        factors = growth.power(step).factors(problem.demand, country)
        known = problem.demand.table["tonnes_per_yr"].notna() & (
            problem.demand.table["tonnes_per_yr"] > 0
        )
        tonnes = _od_tonnes(problem, factors[known.to_numpy()])
        state: FlowState = solve_flows(
            problem.with_demand(tonnes),
            method=method,
            gap=gap,
            max_iter=max_iter,
            logit_scale_usd_per_t=logit_scale_usd_per_t,
        )
        use = (state.load / cap).tolist() if problem.elements else []
        for j, u in enumerate(use):
            if u >= 1.0 and j not in first:
                first[j] = (step, float(u))
        if progress is not None:
            progress(step, FlowResult(problem.with_demand(tonnes), state))
    rows = []
    for j, (step, u) in sorted(first.items(), key=lambda kv: (kv[1][0], -kv[1][1])):
        el = problem.elements[j]
        rows.append(
            {
                "element_id": el.element_id,
                "kind": el.kind,
                "label": el.label,
                "step": step,
                "use_ratio": u,
                "capacity_t_per_yr": el.capacity_t_per_yr,
                "capacity_source": el.capacity_source,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["element_id", "kind", "label", "step", "use_ratio", "capacity_t_per_yr",
                 "capacity_source"],
    )  # fmt: skip
