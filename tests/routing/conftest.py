"""A slow, obviously-correct expanded graph in networkx, built from the network tables.

Written independently of ``corridor.graph.build``/``costs``: plain loops over rows and
the fallback rules of docs/data-model.md read off literally. Each (place, mode) has an
``in`` node (runs arrive) and an ``out`` node (runs leave); a transfer goes from ``in`` to
another mode's ``out`` and a land mode carries on from ``in`` to ``out``, so no route makes
two transfers in a row at a place, and a voyage ends at its port.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from corridor.network.model import Network

WATER = {"ferry", "sea"}


def _num(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return math.nan
    return v


_RECORDS: dict[int, tuple[pd.DataFrame, list[dict[str, Any]]]] = {}


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, empty text keys read as ``*`` (memoised per table object)."""
    got = _RECORDS.get(id(table))
    if got is None or got[0] is not table:
        rows = []
        for rec in table.to_dict("records"):
            rows.append({k: ("*" if isinstance(v, str) and v == "" else v) for k, v in rec.items()})
        got = (table, rows)
        _RECORDS[id(table)] = got
    return got[1]


def _rows(table: pd.DataFrame, key: dict[str, str]) -> list[dict[str, Any]]:
    return [r for r in _records(table) if all(str(r[k]) == v for k, v in key.items())]


def _first(table: pd.DataFrame, keys: list[dict[str, str]], col: str) -> float:
    """First non-NaN ``col`` over the key dicts in order (first matching row per key)."""
    if col not in table.columns:
        return math.nan
    for key in keys:
        rows = _rows(table, key)
        if rows:
            v = _num(rows[0][col])
            if not math.isnan(v):
                return v
    return math.nan


def _matches(table: pd.DataFrame, keys: list[dict[str, str]]) -> bool:
    return any(_rows(table, key) for key in keys)


def oracle_graph(
    net: Network,
    *,
    cargo: str,
    include_planned: bool,
    value_of_time: float = 0.0,
    carbon_price: float = 0.0,
    avoid_countries: tuple[str, ...] = (),
) -> nx.MultiDiGraph:
    p = {name: net.parameters[name] for name in net.parameters}  # one copy each (memoised rows)
    cc = p["cargo_classes"].set_index("cargo").loc[cargo]
    tonnes, teu, unit = float(cc["tonnes_per_unit"]), float(cc["teu_per_unit"]), cc["unit"]
    country: dict[str, str] = {}
    for row in net.places.itertuples():
        if row.status == "open" or include_planned:
            country[row.place_id] = row.country
    g = nx.MultiDiGraph()

    def w(time_h: float, cost: float, co2e: float) -> dict[str, float]:
        gen = cost + value_of_time * time_h + carbon_price * co2e / 1000
        return {"time": time_h, "cost": cost, "co2e": co2e, "generalized": gen}

    def emission(key: str, col: str) -> float:
        t = p["emission_factors"]
        return float(t[t["mode"] == key].iloc[0][col])

    def ok(a: str, b: str) -> bool:
        return country[a] not in avoid_countries and country[b] not in avoid_countries

    modes_at: dict[str, set[str]] = {}
    for lk in net.links.to_dict("records"):
        a, b, mode = lk["from_id"], lk["to_id"], lk["mode"]
        if lk["status"] == "planned" and not include_planned:
            continue
        if a not in country or b not in country:
            continue
        allowed = str(lk.get("cargo_classes", "") or "")
        if allowed and cargo not in allowed.split("|"):
            continue
        modes_at.setdefault(a, set()).add(mode)
        modes_at.setdefault(b, set()).add(mode)
        if not ok(a, b):
            continue
        km = float(lk["length_km"])
        c = country[a]
        wait, time_h, cost = 0.0, math.nan, math.nan
        if mode in WATER:
            s = p["ferry_services"].set_index("service_id").loc[lk["service_id"]]
            wait = _num(s["wait_time_h"])
            if math.isnan(wait):
                wait = 84 / float(s["departures_per_week"])
            time_h = _num(s["voyage_time_h"])
            for col, scale in (
                (f"rate_usd_per_{cargo}", 1),
                (f"rate_usd_per_{unit}", 1),
                ("rate_usd_per_teu", teu if teu > 0 else math.nan),
                ("rate_usd_per_t", tonnes),
            ):
                if col in s.index and not math.isnan(_num(s[col]) * scale):
                    cost = float(s[col]) * scale
                    break
        if math.isnan(time_h):
            speed = _num(lk.get("speed_kmh"))
            if math.isnan(speed):
                speed = _first(
                    p["mode_speeds"],
                    [{"mode": mode, "country": c}, {"mode": mode, "country": "*"}],
                    "speed_kmh",
                )
            time_h = km / speed
        if math.isnan(cost):
            chain = [
                {"mode": mode, "country": cc_, "cargo": g_}
                for cc_, g_ in ((c, cargo), ("*", cargo), (c, "*"), ("*", "*"))
            ]
            cost = _first(p["tariffs"], chain, "rate_usd_per_unit_km") * km + _first(
                p["tariffs"], chain, "fixed_usd_per_unit"
            )
        co2e = tonnes * km * emission(mode, "co2e_g_per_tkm") / 1000
        run_w = w(time_h + wait, cost, co2e)
        if country[a] != country[b]:
            group = "rail" if mode.startswith("rail") else ("sea" if mode in WATER else "road")
            pair = [
                {"from_id": a, "to_id": b, "mode_group": group},
                {"from_id": b, "to_id": a, "mode_group": group},
            ]
            figs = {}
            for f in ("dwell_time_h", "fee_usd_per_unit"):
                v = _first(p["borders"], pair, f)
                if math.isnan(v):  # the exit side of the country left + the entry side entered
                    v = sum(
                        _first(
                            p["border_sides"],
                            [
                                {"country": country[x], "mode_group": group, "side": side},
                                {"country": "*", "mode_group": group, "side": side},
                            ],
                            f,
                        )
                        for x, side in ((a, "exit"), (b, "entry"))
                    )
                figs[f] = v
            x = ("X", lk["link_id"])
            g.add_edge(
                (a, mode, "out"),
                x,
                **w(
                    figs["dwell_time_h"],
                    figs["fee_usd_per_unit"],
                    tonnes * emission("border", "co2e_kg_per_t"),
                ),
            )
            g.add_edge(x, (b, mode, "in"), **run_w)
        else:
            g.add_edge((a, mode, "out"), (b, mode, "in"), **run_w)
    tr = p["transfers"]
    for place, modes in modes_at.items():
        if country[place] in avoid_countries:
            continue
        for m1 in modes:
            if m1 not in WATER:
                g.add_edge((place, m1, "in"), (place, m1, "out"), **w(0.0, 0.0, 0.0))
            for m2 in modes:
                if m1 == m2:
                    continue
                if m1.startswith("rail") and m2.startswith("rail"):
                    kinds = ["gauge_break"]
                elif (m1 in WATER) != (m2 in WATER):
                    kinds = ["port"]
                else:
                    kinds = ["transhipment", "mode_change"]
                for kind in kinds:
                    chain = [
                        {"place_id": pl, "kind": kind, "from_mode": f, "to_mode": t, "cargo": cg}
                        for pl in (place, "*")
                        for cg in (cargo, "*")
                        for f, t in ((m1, m2), (m2, m1), ("*", "*"))
                    ]
                    if not _matches(tr, chain):
                        continue
                    t_h = _first(tr, chain, "time_h")
                    cost = _first(tr, chain, "cost_usd_per_unit")
                    co2e = tonnes * emission(kind, "co2e_kg_per_t")
                    g.add_edge((place, m1, "in"), (place, m2, "out"), **w(t_h, cost, co2e))
                    break
    return g


def oracle_distance(
    g: nx.MultiDiGraph, origin: str, destination: str, weight: str = "time"
) -> float:
    """Best weight from any layer of origin to any layer of destination (inf if none)."""
    g = g.copy()
    for node in list(g.nodes):
        if node[0] == origin and node[-1] == "out":
            g.add_edge("SOURCE", node, **{weight: 0.0})
        if node[0] == destination and node[-1] == "in":
            g.add_edge(node, "SINK", **{weight: 0.0})
    if "SOURCE" not in g or "SINK" not in g:
        return math.inf
    try:
        return float(nx.dijkstra_path_length(g, "SOURCE", "SINK", weight=weight))
    except nx.NetworkXNoPath:
        return math.inf


class Oracle:
    graph = staticmethod(oracle_graph)
    distance = staticmethod(oracle_distance)


@pytest.fixture
def oracle() -> type[Oracle]:
    return Oracle
