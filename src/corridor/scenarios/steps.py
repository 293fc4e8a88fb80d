"""The two modelling steps a scenario run calls: freight assignment and route answers.

:func:`run_flows` is the one place the scenario framework calls the freight model. It is
implemented here on :func:`corridor.assignment.build_problem` and
:func:`corridor.assignment.solve` (user equilibrium on the expanded freight graph, one
assignment per cargo class) until the flows model of issue 11 (``corridor.flows``) lands,
when it will call that instead and keep this signature. Demand between places that the
network does not join is not refused: it is reported as unserved (``unserved_t``).

:func:`run_routes` answers the report's pairs with :func:`corridor.journeys.route`,
simulated (reliability) from the report's departure with each seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import CorridorError, InputError
from corridor.graph.build import EDGE_KINDS, ExpandedGraph, GraphCache
from corridor.network.model import Network

__all__ = [
    "DemandOptions",
    "FlowsSummary",
    "RouteOptionsSpec",
    "baseline_demand",
    "blend",
    "grow",
    "run_flows",
    "run_routes",
]

#: Columns of a demand table.
DEMAND_COLUMNS = ("origin", "destination", "cargo", "tonnes_per_yr")
_RUN = EDGE_KINDS.index("run")
_BORDER = EDGE_KINDS.index("border")


def baseline_demand() -> pd.DataFrame:
    """Return the demand used when a scenario names none (tonnes a year by place pair).

    Until the 2024 baseline of ``corridor.flows`` lands this is the interim table shipped in
    ``corridor/data/scenarios/interim_demand_2024.csv``: five flows from
    ``data/curated/flows/trade_2024.csv``, each with its source (see the README there).

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination``, ``cargo``, ``tonnes_per_yr`` and the source columns.

    Examples
    --------
    >>> d = baseline_demand()
    >>> list(d.columns[:4]), bool((d["tonnes_per_yr"] > 0).all())
    (['origin', 'destination', 'cargo', 'tonnes_per_yr'], True)

    """
    path = resources.files("corridor").joinpath("data", "scenarios", "interim_demand_2024.csv")
    with resources.as_file(path) as p:
        table = pd.read_csv(p, dtype=str, keep_default_na=False)
    table["tonnes_per_yr"] = table["tonnes_per_yr"].astype(float)
    cols = [*DEMAND_COLUMNS, *[c for c in table.columns if c not in DEMAND_COLUMNS]]
    return table[cols]


def grow(
    demand: pd.DataFrame,
    network: Network,
    *,
    growth: float = 1.0,
    growth_by_pair: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Return ``demand`` with its tonnes grown: ``growth`` on all, then per country pair.

    Parameters
    ----------
    demand : pandas.DataFrame
        ``origin``, ``destination`` (place ids) and ``tonnes_per_yr``.
    network : Network
        Gives each place's country.
    growth : float, default 1.0
        Factor on every flow.
    growth_by_pair : mapping of str to float, optional
        ``"KAZ-IRN"``: factor on flows from Kazakhstan to Iran; ``"KAZ<>IRN"``: both ways.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from corridor.testing import tiny_network
    >>> d = pd.DataFrame({"origin": ["A", "D"], "destination": ["D", "A"],
    ...                   "cargo": ["bulk", "bulk"], "tonnes_per_yr": [100.0, 10.0]})
    >>> grow(d, tiny_network(), growth=2.0, growth_by_pair={"KAZ-IRN": 1.5})[
    ...     "tonnes_per_yr"].tolist()
    [300.0, 20.0]

    """
    country = network.places.set_index("place_id")["country"]
    oc = demand["origin"].map(country).fillna("").to_numpy(dtype=object)
    dc = demand["destination"].map(country).fillna("").to_numpy(dtype=object)
    factor = np.full(len(demand), float(growth))
    for key, f in (growth_by_pair or {}).items():
        both = "<>" in key
        a, b = key.split("<>") if both else key.split("-")
        hit = (oc == a) & (dc == b)
        if both:
            hit |= (oc == b) & (dc == a)
        factor = np.where(hit, factor * float(f), factor)
    out = demand.copy()
    out["tonnes_per_yr"] = demand["tonnes_per_yr"].to_numpy(dtype=float) * factor
    return out


@dataclass(frozen=True)
class DemandOptions:
    """What :func:`run_flows` assigns and how.

    Attributes
    ----------
    demand : pandas.DataFrame
        ``origin``, ``destination`` (place ids), ``cargo``, ``tonnes_per_yr`` (already
        grown: see :func:`grow`).
    objective : str
        The cost a unit minimises (``generalized`` by default).
    value_of_time_usd_per_h : float or None
        Per unit of cargo; None for the network's ``value_of_time`` table.
    carbon_price_usd_per_t : float
        Price of a tonne of CO2e.
    method, gap, max_iter
        Solver options (:func:`corridor.assignment.solve`).
    """

    demand: pd.DataFrame
    objective: str = "generalized"
    value_of_time_usd_per_h: float | None = None
    carbon_price_usd_per_t: float = 0.0
    method: str = "bfw"
    gap: float = 1e-5
    max_iter: int = 1000


@dataclass(frozen=True, eq=False)
class FlowsSummary:
    """The freight assignment's results as tables (all in tonnes and per year).

    Attributes
    ----------
    totals : dict of str to float
        ``demand_t``, ``assigned_t``, ``unserved_t``, ``total_cost_usd`` (generalized cost
        of the served demand at equilibrium), ``money_usd``, ``time_t_h`` (tonne-hours, with
        the delay at capacity), ``co2e_t``, ``t_km``, ``relative_gap`` (worst over classes).
    t_km_by_mode : pandas.DataFrame
        ``mode``, ``t_km``.
    links : pandas.DataFrame
        Per network link: ``link_id``, ``from_id``, ``to_id``, ``mode``, ``segment_id``,
        ``volume_t``, ``capacity_t_per_yr``, ``use_ratio``.
    elements : pandas.DataFrame
        Every graph edge with a capacity: ``element``, ``kind``, ``volume_t``,
        ``capacity_t_per_yr``, ``use_ratio`` (the bottleneck table, most used first).
    corridors : pandas.DataFrame
        Volume through each border crossing and on each service: ``corridor``, ``kind``,
        ``volume_t``.
    od : pandas.DataFrame
        Per flow: ``origin``, ``destination``, ``cargo``, ``demand_t``, ``assigned_t``,
        ``unserved_t``, ``cost_usd_per_t``, ``cost_usd``.
    converged : bool
        Every class reached its gap.
    """

    totals: dict[str, float]
    t_km_by_mode: pd.DataFrame
    links: pd.DataFrame
    elements: pd.DataFrame
    corridors: pd.DataFrame
    od: pd.DataFrame
    converged: bool = True


_TOTALS = (
    "demand_t",
    "assigned_t",
    "unserved_t",
    "total_cost_usd",
    "money_usd",
    "time_t_h",
    "co2e_t",
    "t_km",
)


def _element_names(graph: ExpandedGraph) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Return a readable id and a kind for every edge of the graph."""
    kind = np.array(EDGE_KINDS, dtype=object)[graph.edge_kind.astype(np.int64)]
    link_ids = np.array(graph.link_ids, dtype=object)
    place_ids = np.array(graph.place_ids, dtype=object)
    modes = np.array([*graph.modes.names, ""], dtype=object)
    ref = graph.edge_ref.astype(np.int64)
    on_link = (graph.edge_kind == _RUN) | (graph.edge_kind == _BORDER)
    name = np.empty(graph.n_edges, dtype=object)
    if on_link.any():
        name[on_link] = link_ids[ref[on_link]]
    tr = ~on_link
    if tr.any():
        fm = modes[graph.edge_from_mode[tr].astype(np.int64)]
        tm = modes[graph.edge_to_mode[tr].astype(np.int64)]
        name[tr] = place_ids[ref[tr]] + " " + fm + ">" + tm
    services = np.array(graph.service_ids, dtype=object)
    service = np.full(graph.n_edges, "", dtype=object)
    runs = graph.edge_kind == _RUN
    if runs.any():
        service[runs] = services[ref[runs]]
    name = np.where(kind == "run", name, np.asarray(kind, dtype=object) + ":" + name)
    kind = np.where((kind == "run") & (service != ""), "service", kind)
    return name, kind


def _od_costs(
    indptr: NDArray[np.int64],
    head: NDArray[np.int64],
    csr_tail: NDArray[np.int64],
    weight: NDArray[np.float64],
    n_zones: int,
    origins: Sequence[int],
) -> NDArray[np.float64]:
    """Least cost from each origin zone to every zone, passing through no other zone."""
    from corridor.graph._kernels import dijkstra_masked

    out = np.full((n_zones, n_zones), np.inf)
    for o in origins:
        mask = (csr_tail >= n_zones) | (csr_tail == o)
        dist, _ = dijkstra_masked(indptr, head, weight, mask, int(o))
        out[o] = dist[:n_zones]
    return out


def _assign_class(
    network: Network,
    rows: pd.DataFrame,
    cargo: str,
    options: DemandOptions,
    cache: GraphCache,
) -> dict[str, object]:
    from corridor.assignment import build_problem, solve
    from corridor.demand.matrix import Demand
    from corridor.graph.csr import build_csr

    graph = cache.get(network, cargo=cargo)
    assert graph.cargo is not None
    tpu = float(graph.cargo.tonnes_per_unit)
    zones = sorted(set(rows["origin"]) | set(rows["destination"]))
    zi = {z: i for i, z in enumerate(zones)}
    mat = np.zeros((len(zones), len(zones)))
    np.add.at(
        mat,
        (rows["origin"].map(zi).to_numpy(), rows["destination"].map(zi).to_numpy()),
        rows["tonnes_per_yr"].to_numpy(dtype=float) / tpu,
    )
    np.fill_diagonal(mat, 0.0)
    demand = Demand.from_matrix(zones, mat)
    problem = build_problem(
        network,
        demand,
        cargo=cargo,
        objective=options.objective,
        value_of_time_usd_per_h=options.value_of_time_usd_per_h,
        carbon_price_usd_per_t=options.carbon_price_usd_per_t,
        cache=cache,
    )
    nz = problem.n_zones
    pz = {z: i for i, z in enumerate(problem.zones)}
    indptr, csr_head, order = build_csr(problem.n_nodes, problem.tail, problem.head)
    csr_tail = problem.tail[order]
    free = problem.free_flow_time + problem.fixed_cost
    origins = sorted({pz[z] for z in rows["origin"]})
    reach = _od_costs(indptr, csr_head, csr_tail, free[order], nz, origins)
    served = np.isfinite(reach)
    q = problem.demand.copy()
    unserved_units = np.where(served, 0.0, q)
    q = np.where(served, q, 0.0)
    if q.sum() > 0:
        from dataclasses import replace

        result = solve(
            replace(problem, demand=q),
            method=options.method,
            gap=options.gap,
            max_iter=options.max_iter,
            threads=1,
        )
        flows, costs = result.flows, result.costs
        gap, converged = float(result.relative_gap), bool(result.converged)
    else:
        flows = np.zeros(problem.n_links)
        costs = free
        gap, converged = 0.0, True
    od_cost = _od_costs(indptr, csr_head, csr_tail, costs[order], nz, origins)
    # per graph edge: volume (units) and the congested time
    edge = problem.edge if problem.edge is not None else np.arange(problem.n_links)
    on_graph = edge >= 0
    vol = np.zeros(graph.n_edges)
    np.add.at(vol, edge[on_graph], flows[on_graph])
    ratio = np.where(problem.capacity > 0, flows / problem.capacity, 0.0)
    delay = 1.0 + problem.alpha * ratio**problem.beta
    time_units_h = float(np.sum(flows[on_graph] * graph.time_h[edge[on_graph]] * delay[on_graph]))
    money = float(np.nansum(vol * graph.cost_usd))
    co2e_kg = float(np.nansum(vol * graph.co2e_kg))
    tonnes = vol * tpu
    runs = graph.edge_kind == _RUN
    run_mode = np.array(graph.modes.names, dtype=object)[
        graph.edge_from_mode[runs].astype(np.int64)
    ]
    t_km = tonnes[runs] * graph.length_km[runs]
    # per OD row
    o_idx = rows["origin"].map(pz).to_numpy()
    d_idx = rows["destination"].map(pz).to_numpy()
    ok = served[o_idx, d_idx]
    cost_per_unit = np.where(ok, od_cost[o_idx, d_idx], np.nan)
    od = pd.DataFrame(
        {
            "origin": rows["origin"].to_numpy(),
            "destination": rows["destination"].to_numpy(),
            "cargo": cargo,
            "demand_t": rows["tonnes_per_yr"].to_numpy(dtype=float),
            "assigned_t": np.where(ok, rows["tonnes_per_yr"].to_numpy(dtype=float), 0.0),
            "unserved_t": np.where(ok, 0.0, rows["tonnes_per_yr"].to_numpy(dtype=float)),
            "cost_usd_per_t": cost_per_unit / tpu,
        }
    )
    same = od["origin"] == od["destination"]
    od.loc[same, ["assigned_t", "unserved_t", "cost_usd_per_t"]] = [0.0, 0.0, 0.0]
    od["cost_usd"] = np.where(od["assigned_t"] > 0, od["assigned_t"] * od["cost_usd_per_t"], 0.0)
    names, kinds = _element_names(graph)
    return {
        "graph": graph,
        "tonnes": tonnes,
        "names": names,
        "kinds": kinds,
        "t_km": pd.DataFrame({"mode": run_mode, "t_km": t_km}),
        "od": od,
        "money_usd": money,
        "co2e_t": co2e_kg / 1000.0,
        "time_t_h": time_units_h * tpu,
        "unserved_t": float(unserved_units.sum() * tpu),
        "relative_gap": gap,
        "converged": converged,
    }


def run_flows(
    network: Network, options: DemandOptions, *, cache: GraphCache | None = None
) -> FlowsSummary:
    """Assign the freight demand to the network and summarise it as tables.

    Parameters
    ----------
    network : Network
        A freight network (with parameter tables).
    options : DemandOptions
        The demand (grown) and the assignment's options.
    cache : GraphCache, optional
        Reuse expanded graphs.

    Returns
    -------
    FlowsSummary

    Raises
    ------
    InputError
        On a demand place that is not in the network or an unknown cargo class.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> d = pd.DataFrame({"origin": ["A"], "destination": ["B"], "cargo": ["container"],
    ...                   "tonnes_per_yr": [2000.0]})
    >>> s = run_flows(gauge_network(), DemandOptions(d))
    >>> s.totals["assigned_t"], s.totals["unserved_t"]
    (2000.0, 0.0)

    """
    demand = options.demand
    missing = [c for c in ("origin", "destination", "cargo", "tonnes_per_yr") if c not in demand]
    if missing:
        raise InputError(f"demand: missing column(s) {missing}", argument="demand")
    places = set(network.places["place_id"].astype(str))
    unknown = sorted((set(demand["origin"]) | set(demand["destination"])) - places)
    if unknown:
        raise InputError(
            f"demand: place(s) {unknown[:5]} are not in the network", argument="demand"
        )
    cache = cache if cache is not None else GraphCache()
    demand = demand[demand["tonnes_per_yr"].to_numpy(dtype=float) > 0]
    link_vol: dict[str, float] = {}
    elements: list[pd.DataFrame] = []
    t_km: list[pd.DataFrame] = []
    ods: list[pd.DataFrame] = []
    totals = dict.fromkeys(_TOTALS, 0.0)
    totals["relative_gap"] = 0.0
    converged = True
    graphs = []
    for cargo, rows in demand.groupby("cargo", sort=True):
        part = _assign_class(network, rows.reset_index(drop=True), str(cargo), options, cache)
        graph = part["graph"]
        assert isinstance(graph, ExpandedGraph)
        graphs.append(graph)
        tonnes = part["tonnes"]
        assert isinstance(tonnes, np.ndarray)
        runs = graph.edge_kind == _RUN
        ids = np.array(graph.link_ids, dtype=object)[graph.edge_ref[runs]]
        for lid, v in zip(ids.tolist(), tonnes[runs].tolist(), strict=True):
            link_vol[lid] = link_vol.get(lid, 0.0) + v
        cap = graph.capacity_t_per_yr
        has = np.isfinite(cap) & (cap > 0)
        elements.append(
            pd.DataFrame(
                {
                    "element": part["names"][has],  # type: ignore[index]
                    "kind": part["kinds"][has],  # type: ignore[index]
                    "volume_t": tonnes[has],
                    "capacity_t_per_yr": cap[has],
                }
            )
        )
        t_km.append(part["t_km"])  # type: ignore[arg-type]
        ods.append(part["od"])  # type: ignore[arg-type]
        for key in ("money_usd", "co2e_t", "time_t_h", "unserved_t"):
            totals[key] += float(part[key])  # type: ignore[arg-type]
        totals["relative_gap"] = max(totals["relative_gap"], float(part["relative_gap"]))  # type: ignore[arg-type]
        converged &= bool(part["converged"])
    od = pd.concat(ods, ignore_index=True) if ods else _empty_od()
    totals["demand_t"] = float(od["demand_t"].sum())
    totals["assigned_t"] = float(od["assigned_t"].sum())
    totals["total_cost_usd"] = float(od["cost_usd"].sum())
    links = _link_table(network, link_vol)
    totals["t_km"] = float((links["volume_t"] * links["length_km"]).sum())
    links = links.drop(columns=["length_km"])
    tk = pd.concat(t_km, ignore_index=True) if t_km else pd.DataFrame({"mode": [], "t_km": []})
    tk = tk.groupby("mode", as_index=False, sort=True).agg(t_km=("t_km", "sum"))
    tk = tk[tk["t_km"] > 0].reset_index(drop=True)
    el = pd.concat(elements, ignore_index=True) if elements else _empty_elements()
    el = el.groupby(["element", "kind"], as_index=False, sort=True).agg(
        volume_t=("volume_t", "sum"), capacity_t_per_yr=("capacity_t_per_yr", "first")
    )
    el["use_ratio"] = el["volume_t"] / el["capacity_t_per_yr"]
    el = el.sort_values(["use_ratio", "element"], ascending=[False, True], kind="stable")
    return FlowsSummary(
        totals=totals,
        t_km_by_mode=tk,
        links=links,
        elements=el.reset_index(drop=True),
        corridors=_corridors(network, links),
        od=od,
        converged=converged,
    )


def _empty_od() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(dtype=float if c not in ("origin", "destination", "cargo") else object)
            for c in (
                "origin",
                "destination",
                "cargo",
                "demand_t",
                "assigned_t",
                "unserved_t",
                "cost_usd_per_t",
                "cost_usd",
            )
        }
    )


def _empty_elements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "element": pd.Series(dtype=object),
            "kind": pd.Series(dtype=object),
            "volume_t": pd.Series(dtype=float),
            "capacity_t_per_yr": pd.Series(dtype=float),
        }
    )


def _link_table(network: Network, link_vol: Mapping[str, float]) -> pd.DataFrame:
    links = network.links
    out = pd.DataFrame(
        {
            "link_id": links["link_id"].astype(str),
            "from_id": links["from_id"].astype(str),
            "to_id": links["to_id"].astype(str),
            "mode": links["mode"].astype(str),
            "segment_id": (
                links["segment_id"].fillna("").astype(str) if "segment_id" in links.columns else ""
            ),
            "volume_t": links["link_id"].map(link_vol).fillna(0.0).astype(float),
            "capacity_t_per_yr": (
                pd.to_numeric(links["capacity_t_per_yr"], errors="coerce").astype(float)
                if "capacity_t_per_yr" in links.columns
                else np.nan
            ),
            "length_km": (
                pd.to_numeric(links["length_km"], errors="coerce").fillna(0.0).astype(float)
                if "length_km" in links.columns
                else 0.0
            ),
        }
    )
    out["use_ratio"] = out["volume_t"] / out["capacity_t_per_yr"]
    xy = network.places.set_index("place_id")[["lon", "lat"]]
    for end, col in (("from", "from_id"), ("to", "to_id")):
        out[f"{end}_lon"] = out[col].map(xy["lon"]).astype(float)
        out[f"{end}_lat"] = out[col].map(xy["lat"]).astype(float)
    return out.reset_index(drop=True)


def _corridors(network: Network, links: pd.DataFrame) -> pd.DataFrame:
    """Volume through each border crossing (a place pair, both ways) and each service."""
    country = network.places.set_index("place_id")["country"]
    fc = links["from_id"].map(country).fillna("")
    tc = links["to_id"].map(country).fillna("")
    cross = (fc != tc) & (fc != "") & (tc != "")
    f = links["from_id"].astype(str)
    t = links["to_id"].astype(str)
    a = f.where(f <= t, t).to_numpy(dtype=object)
    b = t.where(f <= t, f).to_numpy(dtype=object)
    service = (
        network.links["service_id"].fillna("").astype(str).to_numpy()
        if "service_id" in network.links.columns
        else np.full(len(links), "")
    )
    border = pd.DataFrame(
        {"corridor": pd.Series(a, dtype=object) + "|" + b, "volume_t": links["volume_t"]}
    )[cross.to_numpy() & (service == "")]
    border = border.groupby("corridor", as_index=False, sort=True)["volume_t"].sum()
    border.insert(1, "kind", "border")
    svc = pd.DataFrame({"corridor": service, "volume_t": links["volume_t"]})[service != ""]
    svc = svc.groupby("corridor", as_index=False, sort=True)["volume_t"].sum()
    svc.insert(1, "kind", "service")
    out: pd.DataFrame = pd.concat([border, svc], ignore_index=True)
    return out


def blend(parts: Sequence[tuple[FlowsSummary, float]]) -> FlowsSummary:
    """Weigh several states of a year into one summary (weights are shares of the year).

    Volumes, tonnes, costs and totals are weighted sums; use ratios are recomputed; the
    relative gap is the worst.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> d = pd.DataFrame({"origin": ["A"], "destination": ["B"], "cargo": ["container"],
    ...                   "tonnes_per_yr": [2000.0]})
    >>> s = run_flows(gauge_network(), DemandOptions(d))
    >>> blend([(s, 0.25), (s, 0.75)]).totals["assigned_t"]
    2000.0

    """
    if len(parts) == 1 and parts[0][1] == 1.0:
        return parts[0][0]
    totals = dict.fromkeys(parts[0][0].totals, 0.0)
    for s, w in parts:
        for k, v in s.totals.items():
            totals[k] = max(totals[k], v) if k == "relative_gap" else totals[k] + w * v

    def mix(name: str, keys: list[str], values: list[str]) -> pd.DataFrame:
        frames = []
        for s, w in parts:
            t = getattr(s, name).copy()
            for v in values:
                t[v] = t[v] * w
            frames.append(t)
        cat = pd.concat(frames, ignore_index=True)
        first = [c for c in cat.columns if c not in keys and c not in values]
        agg = {v: (v, "sum") for v in values} | {c: (c, "first") for c in first}
        mixed: pd.DataFrame = cat.groupby(keys, as_index=False, sort=False, dropna=False).agg(
            **agg
        )[list(getattr(parts[0][0], name).columns)]
        return mixed

    links = mix("links", ["link_id"], ["volume_t"])
    links["use_ratio"] = links["volume_t"] / links["capacity_t_per_yr"]
    elements = mix("elements", ["element", "kind"], ["volume_t"])
    elements["use_ratio"] = elements["volume_t"] / elements["capacity_t_per_yr"]
    elements = elements.sort_values(
        ["use_ratio", "element"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    od = mix(
        "od",
        ["origin", "destination", "cargo"],
        ["demand_t", "assigned_t", "unserved_t", "cost_usd"],
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        od["cost_usd_per_t"] = np.where(
            od["assigned_t"] > 0, od["cost_usd"] / od["assigned_t"], np.nan
        )
    return FlowsSummary(
        totals=totals,
        t_km_by_mode=mix("t_km_by_mode", ["mode"], ["t_km"]),
        links=links,
        elements=elements,
        corridors=mix("corridors", ["corridor", "kind"], ["volume_t"]),
        od=od,
        converged=all(s.converged for s, _ in parts),
    )


# ----------------------------------------------------------------------------- routes
@dataclass(frozen=True)
class RouteOptionsSpec:
    """How :func:`run_routes` answers a pair (see :func:`corridor.journeys.route`)."""

    cargo: str = "container_40ft"
    objective: str = "generalized"
    k: int = 1
    depart: datetime = datetime(2026, 12, 1, 8, 0)
    samples: int = 2000
    value_of_time_usd_per_h: float | None = None
    carbon_price_usd_per_t: float = 0.0


ROUTE_COLUMNS = (
    "origin",
    "destination",
    "seed",
    "rank",
    "found",
    "time_h",
    "cost_usd",
    "co2e_kg",
    "generalized_cost_usd",
    "p50_h",
    "p90_h",
    "length_km",
    "countries",
    "modes",
    "via",
    "reason",
)


def run_routes(
    network: Network,
    pairs: Sequence[tuple[str, str]],
    options: RouteOptionsSpec,
    seeds: Sequence[int],
    *,
    cache: GraphCache | None = None,
) -> pd.DataFrame:
    """Answer each pair with its best route(s), simulated with each seed.

    A pair with no route gives a row with ``found`` false and the ``reason``.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> t = run_routes(gauge_network(), [("A", "B")], RouteOptionsSpec(cargo="container",
    ...                samples=200), [1])
    >>> bool(t.loc[0, "found"]), bool(t.loc[0, "p90_h"] >= t.loc[0, "p50_h"])
    (True, True)

    """
    from corridor.journeys import route

    cache = cache if cache is not None else GraphCache()
    rows: list[dict[str, object]] = []
    extra: dict[str, object] = {}
    if options.value_of_time_usd_per_h is not None:
        extra["value_of_time_usd_per_h"] = options.value_of_time_usd_per_h
    if options.carbon_price_usd_per_t:
        extra["carbon_price_usd_per_t"] = options.carbon_price_usd_per_t
    for origin, destination in pairs:
        for seed in seeds:
            base: dict[str, object] = {"origin": origin, "destination": destination, "seed": seed}
            try:
                found = route(
                    network,
                    origin,
                    destination,
                    cargo=options.cargo,
                    objective=options.objective,
                    k=options.k,
                    reliability=True,
                    depart=options.depart,
                    samples=options.samples,
                    seed=int(seed),
                    cache=cache,
                    **extra,
                )
            except CorridorError as err:
                rows.append({**base, "rank": 0, "found": False, "reason": str(err)})
                continue
            for r in found:
                rel = r.reliability or {}
                rows.append(
                    {
                        **base,
                        "rank": r.rank,
                        "found": True,
                        "time_h": r.time_h,
                        "cost_usd": r.cost_usd,
                        "co2e_kg": r.co2e_kg,
                        "generalized_cost_usd": r.generalized_cost_usd,
                        "p50_h": float(rel.get("p50_h", math.nan)),
                        "p90_h": float(rel.get("p90_h", math.nan)),
                        "length_km": r.length_km,
                        "countries": "-".join(r.countries),
                        "modes": "+".join(
                            dict.fromkeys(leg.mode for leg in r.legs if leg.kind == "run")
                        ),
                        "via": _via(r),
                        "reason": "",
                    }
                )
    table = pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))
    for c in (
        "time_h",
        "cost_usd",
        "co2e_kg",
        "generalized_cost_usd",
        "p50_h",
        "p90_h",
        "length_km",
    ):
        table[c] = table[c].astype(float)
    for c in ("countries", "modes", "via", "reason"):
        table[c] = table[c].fillna("").astype(str)
    table["found"] = table["found"].astype(bool)
    table["seed"] = table["seed"].astype(np.int64)
    table["rank"] = table["rank"].astype(np.int64)
    return table


def _via(route: object) -> str:
    """Return the border crossings and services a route uses, in order (a short summary)."""
    out: list[str] = []
    for leg in route.legs:  # type: ignore[attr-defined]
        if leg.kind == "border":
            out.append(f"{leg.from_id}>{leg.to_id}")
        elif leg.service_id and (not out or out[-1] != leg.service_id):
            out.append(leg.service_id)
    return " ".join(out)
