"""The two modelling steps a scenario run calls: freight assignment and route answers.

:func:`run_flows` is the one place the scenario framework calls the freight model: the
flows model of issue 11 (:func:`corridor.flows.assign_flows`: multi-class equilibrium on
the expanded graphs with the capacity elements of the ``capacities`` table and Akçelik's
queue delay), summarised as the tables a scenario run stores. Demand between places the
network does not join is not refused: it is left out of the assignment and reported as
unserved (``unserved_t``), so that closures can be scored. :func:`baseline_demand` is the
2024 baseline of :func:`corridor.flows.load_baseline`.

:func:`run_routes` answers the report's pairs with :func:`corridor.journeys.route`,
simulated (reliability) from the report's departure with each seed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import CorridorError, InputError
from corridor.graph.build import GraphCache
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


def baseline_demand() -> pd.DataFrame:
    """Return the demand used when a scenario names none (tonnes a year by place pair).

    The 2024 baseline of :func:`corridor.flows.load_baseline`, rows with a figure only (the
    flows known to exist whose size was not found are never assigned).

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination``, ``cargo``, ``tonnes_per_yr``, then ``row_id``,
        ``commodity_group`` and ``tonnes_per_yr_source``.

    Examples
    --------
    >>> d = baseline_demand()
    >>> list(d.columns[:4]), bool((d["tonnes_per_yr"] > 0).all())
    (['origin', 'destination', 'cargo', 'tonnes_per_yr'], True)

    """
    from corridor.flows import load_baseline

    known = load_baseline().known
    table = known.rename(columns={"cargo_class": "cargo"})
    rest = [c for c in ("row_id", "commodity_group", "tonnes_per_yr_source") if c in table]
    return table[[*DEMAND_COLUMNS, *rest]].reset_index(drop=True)


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
        grown: see :func:`grow`); optional ``commodity_group`` and ``row_id``.
    carbon_price_usd_per_t : float
        Price of a tonne of CO2e in the generalized cost.
    method, gap, max_iter
        Solver options (:func:`corridor.flows.assign_flows`).
    """

    demand: pd.DataFrame
    carbon_price_usd_per_t: float = 0.0
    method: str = "bfw"
    gap: float = 1e-6
    max_iter: int = 5000


@dataclass(frozen=True, eq=False)
class FlowsSummary:
    """The freight assignment's results as tables (all in tonnes and per year).

    Attributes
    ----------
    totals : dict of str to float
        ``demand_t``, ``assigned_t``, ``unserved_t``, ``total_cost_usd`` (generalized cost
        of the served demand at equilibrium, queue delay included), ``money_usd``,
        ``time_t_h`` (tonne-hours, with the queue delay), ``delay_t_h``, ``co2e_t``,
        ``t_km``, ``relative_gap``.
    t_km_by_mode : pandas.DataFrame
        ``mode``, ``t_km``.
    links : pandas.DataFrame
        Per network link: ``link_id``, ``from_id``, ``to_id``, ``mode``, ``segment_id``,
        ``volume_t``, ``capacity_t_per_yr``, ``use_ratio`` and the ends' coordinates.
    elements : pandas.DataFrame
        Every capacity element (the bottleneck table, most used first): ``element``,
        ``kind``, ``label``, ``volume_t``, ``capacity_t_per_yr``, ``use_ratio``,
        ``delay_h``, ``shadow_price_usd_per_t``, ``capacity_source``.
    corridors : pandas.DataFrame
        Volume through each border crossing and on each service: ``corridor``, ``kind``,
        ``volume_t``.
    od : pandas.DataFrame
        Per place pair and cargo class: ``origin``, ``destination``, ``cargo``,
        ``demand_t``, ``assigned_t``, ``unserved_t``, ``cost_usd_per_t`` (generalized),
        ``cost_usd``.
    converged : bool
        The assignment reached its gap.
    """

    totals: dict[str, float]
    t_km_by_mode: pd.DataFrame
    links: pd.DataFrame
    elements: pd.DataFrame
    corridors: pd.DataFrame
    od: pd.DataFrame
    converged: bool = True


_OD_KEYS = ["origin", "destination", "cargo"]


def _reachable(network: Network, demand: pd.DataFrame, cache: GraphCache) -> NDArray[np.bool_]:
    """Whether each demand row's destination can be reached from its origin (its class)."""
    from corridor.graph._kernels import dijkstra

    ok = np.zeros(len(demand), dtype=bool)
    for cargo, rows in demand.groupby("cargo", sort=True):
        graph = cache.get(network, cargo=str(cargo))
        weight = np.where(
            np.isfinite(graph.time_h) & np.isfinite(graph.cost_usd), graph.time_h, np.nan
        )
        weight = np.where(weight < 0, np.nan, weight)
        for origin, part in rows.groupby("origin", sort=True):
            row = graph.place_row.get(str(origin))
            if row is None:
                continue
            sources = graph.layers(row)
            if sources.size == 0:
                continue
            dist, _ = dijkstra(graph.indptr, graph.head, weight, sources)
            for idx, dest in zip(part.index, part["destination"], strict=True):
                drow = graph.place_row.get(str(dest))
                if drow is None:
                    continue
                layers = graph.layers(drow)
                ok[demand.index.get_loc(idx)] = bool(
                    dest == origin or (layers.size and np.isfinite(dist[layers]).any())
                )
    return ok


def run_flows(
    network: Network, options: DemandOptions, *, cache: GraphCache | None = None
) -> FlowsSummary:
    """Assign the freight demand to the network and summarise it as tables.

    Parameters
    ----------
    network : Network
        A freight network (with parameter tables; capacity elements from its
        ``capacities`` table).
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
    >>> d = pd.DataFrame({"origin": ["A"], "destination": ["B"], "cargo": ["container_40ft"],
    ...                   "tonnes_per_yr": [2000.0]})
    >>> s = run_flows(gauge_network(), DemandOptions(d))
    >>> s.totals["assigned_t"], s.totals["unserved_t"]
    (2000.0, 0.0)

    """
    from corridor.demand.freight import FreightDemand
    from corridor.flows import assign_flows

    demand = options.demand
    missing = [c for c in DEMAND_COLUMNS if c not in demand]
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
    demand = demand[demand["origin"] != demand["destination"]].reset_index(drop=True)
    ok = _reachable(network, demand, cache)
    served, lost = demand[ok], demand[~ok]
    table = pd.DataFrame(
        {
            "row_id": served["row_id"]
            if "row_id" in served
            else [f"row {i + 1}" for i in range(len(served))],
            "origin": served["origin"],
            "destination": served["destination"],
            "commodity_group": served.get("commodity_group", "all"),
            "cargo_class": served["cargo"],
            "tonnes_per_yr": served["tonnes_per_yr"].astype(float),
        }
    )
    links_vol: dict[str, float] = {}
    if len(table):
        res = assign_flows(
            network,
            FreightDemand.from_frame(table, source="scenario demand"),
            method=options.method,
            gap=options.gap,
            max_iter=options.max_iter,
            carbon_price_usd_per_t=options.carbon_price_usd_per_t,
            cache=cache,
        )
        tot = res.totals
        rl = res.links
        runs = rl[rl["kind"] == "run"]
        links_vol = dict(zip(runs["ref"].astype(str), runs["t_per_yr"].astype(float), strict=True))
        el = res.elements.rename(columns={"element_id": "element", "t_per_yr": "volume_t"})
        el = el[
            ["element", "kind", "label", "volume_t", "capacity_t_per_yr", "use_ratio", "delay_h",
             "shadow_price_usd_per_t", "capacity_source"]
        ]  # fmt: skip
        od = res.od
        od = pd.DataFrame(
            {
                "origin": od["origin"].astype(str),
                "destination": od["destination"].astype(str),
                "cargo": od["cargo_class"].astype(str),
                "demand_t": od["tonnes_per_yr"].astype(float),
                "assigned_t": od["tonnes_per_yr"].astype(float),
                "unserved_t": 0.0,
                "cost_usd": (od["generalized_usd_per_t"] * od["tonnes_per_yr"]).astype(float),
            }
        )
        by_mode = tot["t_km_by_mode"]
        assert isinstance(by_mode, dict)
        t_km = pd.DataFrame({"mode": list(by_mode), "t_km": [float(v) for v in by_mode.values()]})
        totals = {
            "money_usd": float(tot["cost_usd"]),  # type: ignore[arg-type]
            "time_t_h": float(tot["tonne_hours"]),  # type: ignore[arg-type]
            "delay_t_h": float(tot["delay_tonne_hours"]),  # type: ignore[arg-type]
            "co2e_t": float(tot["co2e_t"]),  # type: ignore[arg-type]
            "relative_gap": float(tot["relative_gap"]),  # type: ignore[arg-type]
        }
        converged = bool(tot["converged"])
    else:
        el, od, t_km = _empty_elements(), _empty_od(), pd.DataFrame({"mode": [], "t_km": []})
        totals = dict.fromkeys(
            ("money_usd", "time_t_h", "delay_t_h", "co2e_t", "relative_gap"), 0.0
        )
        converged = True
    if len(lost):
        gone = pd.DataFrame(
            {
                "origin": lost["origin"].astype(str),
                "destination": lost["destination"].astype(str),
                "cargo": lost["cargo"].astype(str),
                "demand_t": lost["tonnes_per_yr"].astype(float),
                "assigned_t": 0.0,
                "unserved_t": lost["tonnes_per_yr"].astype(float),
                "cost_usd": 0.0,
            }
        )
        od = pd.concat([od, gone], ignore_index=True) if len(od) else gone
    od = od.groupby(_OD_KEYS, as_index=False, sort=True).agg(
        demand_t=("demand_t", "sum"),
        assigned_t=("assigned_t", "sum"),
        unserved_t=("unserved_t", "sum"),
        cost_usd=("cost_usd", "sum"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        od.insert(
            6,
            "cost_usd_per_t",
            np.where(od["assigned_t"] > 0, od["cost_usd"] / od["assigned_t"], np.nan),
        )
    el = el.sort_values(["use_ratio", "element"], ascending=[False, True], kind="stable")
    links = _link_table(network, links_vol)
    totals = {
        "demand_t": float(od["demand_t"].sum()),
        "assigned_t": float(od["assigned_t"].sum()),
        "unserved_t": float(od["unserved_t"].sum()),
        "total_cost_usd": float(od["cost_usd"].sum()),
        **totals,
        "t_km": float(t_km["t_km"].sum()),
    }
    t_km = t_km[t_km["t_km"] > 0].sort_values("mode").reset_index(drop=True)
    return FlowsSummary(
        totals=totals,
        t_km_by_mode=t_km,
        links=links.drop(columns=["length_km"]),
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
            "label": pd.Series(dtype=object),
            "volume_t": pd.Series(dtype=float),
            "capacity_t_per_yr": pd.Series(dtype=float),
            "use_ratio": pd.Series(dtype=float),
            "delay_h": pd.Series(dtype=float),
            "shadow_price_usd_per_t": pd.Series(dtype=float),
            "capacity_source": pd.Series(dtype=object),
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
    >>> d = pd.DataFrame({"origin": ["A"], "destination": ["B"], "cargo": ["container_40ft"],
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
    elements = mix(
        "elements", ["element", "kind"], ["volume_t", "delay_h", "shadow_price_usd_per_t"]
    )
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
