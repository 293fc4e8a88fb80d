"""Run a scenario: check it whole, edit the base, assign the freight, answer the pairs.

:func:`check_scenario` applies the edits and checks the demand and the report against the
network, listing every problem of the file at once. :func:`run_scenario` then computes,
for the network as edited (and, when some closures last part of the year, for the network
during them):

* the freight assignment (:func:`corridor.scenarios.steps.run_flows`), weighed by the
  share of the year each state lasts;
* the route answers for the report's pairs and seeds
  (:func:`corridor.scenarios.steps.run_routes`), per state.

The result is a set of tables (:data:`RESULT_TABLES`) that the registry stores as Parquet.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.errors import CorridorError, PlaceNotFoundError, ScenarioError, ScenarioProblem
from corridor.graph.build import GraphCache
from corridor.network.lookup import find_place
from corridor.network.model import Network
from corridor.scenarios.edits import EditedNetworks, apply_edits
from corridor.scenarios.spec import Scenario
from corridor.scenarios.steps import (
    DemandOptions,
    FlowsSummary,
    RouteOptionsSpec,
    baseline_demand,
    blend,
    grow,
    run_flows,
    run_routes,
)

__all__ = [
    "DAYS_PER_YEAR",
    "RESULT_TABLES",
    "CheckedScenario",
    "ScenarioResult",
    "check_scenario",
    "load_base",
    "run_scenario",
]

#: Days in the year a part-year closure is a share of.
DAYS_PER_YEAR = 365
#: The tables of a result, in the order they are written.
RESULT_TABLES: tuple[str, ...] = (
    "totals",
    "t_km_by_mode",
    "links",
    "elements",
    "corridors",
    "od",
    "routes",
    "edits",
)


@dataclass(frozen=True, eq=False)
class CheckedScenario:
    """A scenario whose edits, demand and report were checked against its base network."""

    scenario: Scenario
    base: Network
    edited: EditedNetworks
    demand: pd.DataFrame
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """What a run computed: tables by name, and facts about the run.

    Attributes
    ----------
    name : str
        The scenario's name.
    content_hash : str
        :meth:`Scenario.content_hash` (with the run's growth and seeds).
    tables : dict of str to pandas.DataFrame
        :data:`RESULT_TABLES`.
    meta : dict
        ``title``, ``assumption``, ``sources``, ``changes``, ``days``, ``growth``,
        ``seeds``, ``converged``.
    """

    name: str
    content_hash: str
    tables: dict[str, pd.DataFrame]
    meta: dict[str, Any] = field(default_factory=dict)

    def total(self, metric: str) -> float:
        """Return one figure of the ``totals`` table."""
        t = self.tables["totals"]
        return float(t.loc[t["metric"] == metric, "value"].iloc[0])


def load_base(scenario: Scenario) -> Network:
    """Load the scenario's base network (the default one, or its path).

    Raises
    ------
    ScenarioError
        When the path cannot be read as a network (the reader's message, placed at
        ``base.network``).

    """
    if scenario.network_path is None:
        from corridor.network.default import load_default

        return load_default()
    from corridor.network.io import read_network

    try:
        return read_network(scenario.network_path)
    except CorridorError as err:
        raise ScenarioError(
            f"{scenario.path}: the base network cannot be read",
            problems=[scenario.problem(("base", "network"), str(err).splitlines()[0])],
        ) from err


def _place(
    network: Network,
    query: str,
    loc: tuple[str | int, ...],
    scenario: Scenario,
    problems: list[ScenarioProblem],
) -> str:
    try:
        return find_place(network, query)
    except PlaceNotFoundError as err:
        problems.append(scenario.problem(loc, str(err)))
        return ""


def _cargo_names(network: Network) -> set[str]:
    table = network.parameters.get("cargo_classes")
    if table is None:
        return set()
    return set(table["cargo"].astype(str))


def _demand_file(
    scenario: Scenario, network: Network, problems: list[ScenarioProblem]
) -> pd.DataFrame:
    path = Path(str(scenario.demand_path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problems.append(scenario.problem(("demand", "file"), f"cannot read {path}: {err}"))
        return pd.DataFrame(columns=["origin", "destination", "cargo", "tonnes_per_yr"])
    reader = csv.DictReader(io.StringIO(text))
    need = ("origin", "destination", "tonnes_per_yr")
    header = reader.fieldnames or []
    lacking = [c for c in need if c not in header]
    if lacking:
        problems.append(
            ScenarioProblem(str(path), 1, "", f"missing column(s) {lacking}; need {list(need)}")
        )
        return pd.DataFrame(columns=["origin", "destination", "cargo", "tonnes_per_yr"])
    rows = []
    cargos = _cargo_names(network)
    for no, row in enumerate(reader, start=2):
        ends = []
        for end in ("origin", "destination"):
            try:
                ends.append(find_place(network, row[end] or ""))
            except PlaceNotFoundError as err:
                problems.append(ScenarioProblem(str(path), no, end, str(err)))
                ends.append("")
        try:
            tonnes = float(row["tonnes_per_yr"])
        except (TypeError, ValueError):
            tonnes = math.nan
        if not (math.isfinite(tonnes) and tonnes >= 0):
            problems.append(
                ScenarioProblem(
                    str(path),
                    no,
                    "tonnes_per_yr",
                    f"must be a number >= 0, got {row['tonnes_per_yr']!r}",
                )
            )
        cargo = (row.get("cargo") or "").strip() or scenario.spec.demand.cargo
        if cargos and cargo not in cargos:
            problems.append(
                ScenarioProblem(
                    str(path), no, "cargo", f"unknown cargo {cargo!r}; allowed: {sorted(cargos)}"
                )
            )
        rows.append(
            {"origin": ends[0], "destination": ends[1], "cargo": cargo, "tonnes_per_yr": tonnes}
        )
    return pd.DataFrame(rows, columns=["origin", "destination", "cargo", "tonnes_per_yr"])


def _demand(scenario: Scenario, network: Network, problems: list[ScenarioProblem]) -> pd.DataFrame:
    spec = scenario.spec.demand
    cargos = _cargo_names(network)
    if spec.file is None and not spec.pairs:
        table = baseline_demand()[["origin", "destination", "cargo", "tonnes_per_yr"]]
    elif spec.file is not None:
        table = _demand_file(scenario, network, problems)
    else:
        table = pd.DataFrame(columns=["origin", "destination", "cargo", "tonnes_per_yr"])
    if spec.pairs:
        rows = []
        for i, row in enumerate(spec.pairs):
            loc: tuple[str | int, ...] = ("demand", "pairs", i)
            cargo = row.cargo or spec.cargo
            if cargos and cargo not in cargos:
                problems.append(
                    scenario.problem(
                        (*loc, "cargo"), f"unknown cargo {cargo!r}; allowed: {sorted(cargos)}"
                    )
                )
            rows.append(
                {
                    "origin": _place(network, row.origin, (*loc, "origin"), scenario, problems),
                    "destination": _place(
                        network, row.destination, (*loc, "destination"), scenario, problems
                    ),
                    "cargo": cargo,
                    "tonnes_per_yr": row.tonnes_per_yr,
                }
            )
        table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
    if cargos and spec.cargo not in cargos and "cargo" in spec.model_fields_set:
        problems.append(
            scenario.problem(
                ("demand", "cargo"), f"unknown cargo {spec.cargo!r}; allowed: {sorted(cargos)}"
            )
        )
    countries = set(network.places["country"].astype(str))
    for key in spec.growth_by_pair:
        for code in key.replace("<>", "-").split("-"):
            if code not in countries:
                problems.append(
                    scenario.problem(
                        ("demand", "growth_by_pair", key),
                        f"no place of the network is in {code!r}",
                    )
                )
    table["tonnes_per_yr"] = table["tonnes_per_yr"].astype(float)
    return table.reset_index(drop=True)


def check_scenario(
    scenario: Scenario, *, network: Network | None = None, check: bool = True
) -> CheckedScenario:
    """Check a scenario against its base network; list every problem at once.

    Parameters
    ----------
    scenario : Scenario
        From :func:`corridor.scenarios.spec.load_scenario`.
    network : Network, optional
        The base (loaded from the scenario when omitted).
    check : bool, default True
        Also validate the edited network.

    Returns
    -------
    CheckedScenario

    Raises
    ------
    ScenarioError
        Every problem of the edits, the demand and the report, with lines.

    """
    base = network if network is not None else load_base(scenario)
    problems: list[ScenarioProblem] = []
    edited: EditedNetworks | None = None
    try:
        edited = apply_edits(base, scenario, check=False)
    except ScenarioError as err:
        problems.extend(err.problems)
    demand = _demand(scenario, base, problems)
    report = scenario.spec.report
    pairs = []
    for i, (o, d) in enumerate(report.pairs):
        pairs.append(
            (
                _place(base, o, ("report", "pairs", i, 0), scenario, problems),
                _place(base, d, ("report", "pairs", i, 1), scenario, problems),
            )
        )
    cargos = _cargo_names(base)
    if report.pairs and cargos and report.cargo not in cargos:
        from corridor.graph.costs import CARGO_ALIASES

        if CARGO_ALIASES.get(report.cargo, report.cargo) not in cargos:
            problems.append(
                scenario.problem(
                    ("report", "cargo"),
                    f"unknown cargo {report.cargo!r}; allowed: {sorted(cargos)}",
                )
            )
    from corridor.objectives import OBJECTIVES

    if report.objective not in OBJECTIVES:
        problems.append(
            scenario.problem(
                ("report", "objective"),
                f"unknown objective {report.objective!r}; allowed: {sorted(OBJECTIVES)}",
            )
        )
    if problems:
        problems.sort(key=lambda p: (p.path != scenario.path, p.path, p.line))
        raise ScenarioError(
            f"{scenario.path or scenario.name}: {len(problems)} problem(s)", problems=problems
        )
    assert edited is not None
    if check:
        from corridor.scenarios.edits import _check

        _check(edited.normal, "edited network", scenario)
        if edited.disrupted is not None:
            _check(edited.disrupted, "network during the closure", scenario)
    return CheckedScenario(scenario, base, edited, demand, tuple(pairs))


Progress = Callable[[str], None]


def run_scenario(
    scenario: Scenario | CheckedScenario,
    *,
    growth: float = 1.0,
    seeds: tuple[int, ...] | None = None,
    network: Network | None = None,
    check: bool = True,
    progress: Progress | None = None,
) -> ScenarioResult:
    """Run a scenario and return its result tables.

    Parameters
    ----------
    scenario : Scenario or CheckedScenario
        The scenario (checked here when not yet).
    growth : float, default 1.0
        An extra factor on every flow, on top of the scenario's own growth (sweeps).
    seeds : tuple of int, optional
        The simulation seeds (default: the report's).
    network : Network, optional
        The base network, when the caller has it loaded.
    check : bool, default True
        Validate the edited network first.
    progress : callable, optional
        Called with a short text before each step.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    ScenarioError
        Every problem of the scenario.

    """
    checked = (
        scenario
        if isinstance(scenario, CheckedScenario)
        else check_scenario(scenario, network=network, check=check)
    )
    sc = checked.scenario
    spec = sc.spec
    seeds = tuple(spec.report.seeds) if seeds is None else tuple(seeds)
    step = progress or (lambda _text: None)
    demand = grow(
        checked.demand,
        checked.base,
        growth=spec.demand.growth * growth,
        growth_by_pair=spec.demand.growth_by_pair,
    )
    p = spec.parameters
    options = DemandOptions(
        demand=demand,
        carbon_price_usd_per_t=p.carbon_price_usd_per_t,
        method=p.method,
        gap=p.gap,
        max_iter=p.max_iter,
    )
    edited = checked.edited
    states: list[tuple[str, Network, float]] = [("normal", edited.normal, 1.0)]
    if edited.disrupted is not None:
        share = edited.days / DAYS_PER_YEAR
        states = [("normal", edited.normal, 1.0 - share), ("disrupted", edited.disrupted, share)]
    cache = GraphCache()
    parts: list[tuple[FlowsSummary, float]] = []
    for label, net, weight in states:
        step(f"freight assignment ({label})")
        parts.append((run_flows(net, options, cache=cache), weight))
    flows = blend(parts)
    report = spec.report
    route_opts = RouteOptionsSpec(
        cargo=report.cargo,
        objective=report.objective,
        k=report.k,
        depart=report.depart_at,
        samples=report.samples,
        value_of_time_usd_per_h=p.value_of_time_usd_per_h,
        carbon_price_usd_per_t=p.carbon_price_usd_per_t,
    )
    route_tables = []
    for label, net, _ in states:
        if checked.pairs:
            step(f"route answers ({label})")
        t = run_routes(net, checked.pairs, route_opts, seeds, cache=cache)
        t.insert(0, "state", label)
        # what the answers are to: runs of other cargo or departure are other questions
        t.insert(3, "cargo", route_opts.cargo)
        t.insert(4, "depart", route_opts.depart.isoformat(timespec="minutes"))
        route_tables.append(t)
    routes = pd.concat(route_tables, ignore_index=True)
    totals = pd.DataFrame(
        [
            (k, float(v), _UNITS.get(k, ""))
            for k, v in {
                **flows.totals,
                "days_disrupted": float(edited.days),
                "growth": growth,
            }.items()
        ],
        columns=["metric", "value", "unit"],
    )
    edits = pd.DataFrame({"change": list(edited.changes)}, dtype=object)
    tables = {
        "totals": totals,
        "t_km_by_mode": flows.t_km_by_mode,
        "links": flows.links,
        "elements": flows.elements,
        "corridors": flows.corridors,
        "od": flows.od,
        "routes": routes,
        "edits": edits,
    }
    meta = {
        "title": spec.scenario.title or sc.name,
        "assumption": spec.scenario.assumption,
        "sources": list(spec.scenario.sources),
        "changes": list(edited.changes),
        "days": edited.days,
        "growth": growth,
        "seeds": list(seeds),
        "converged": flows.converged,
    }
    return ScenarioResult(
        name=sc.name, content_hash=run_hash(sc, growth, seeds), tables=tables, meta=meta
    )


def run_hash(scenario: Scenario, growth: float, seeds: tuple[int, ...]) -> str:
    """Return the hash of a run's inputs: the scenario's content, the growth and seeds."""
    import hashlib

    text = f"{scenario.content_hash()}|growth={growth!r}|seeds={list(seeds)!r}"
    return hashlib.sha256(text.encode()).hexdigest()


_UNITS = {
    "demand_t": "t/yr",
    "assigned_t": "t/yr",
    "unserved_t": "t/yr",
    "total_cost_usd": "USD/yr",
    "money_usd": "USD/yr",
    "time_t_h": "t·h/yr",
    "delay_t_h": "t·h/yr",
    "co2e_t": "t/yr",
    "t_km": "t·km/yr",
    "relative_gap": "",
    "days_disrupted": "days",
    "growth": "x",
}
