"""The multi-class freight assignment problem on the expanded graphs, as flat arrays.

Each cargo class has its own expanded graph (:func:`corridor.graph.build_graph`), its own
zone connectors and costs (:func:`corridor.assignment.build_problem`), and its own OD
pairs. The classes' edges are laid end to end in one **global edge space**, so that one
vector holds every class's flows; capacity elements (:mod:`.elements`) list global edges,
and the classes share each element's capacity in tonnes.

Costs. A tonne of class ``k`` on edge ``e`` costs, in hours of that class's value of time,

    c_k(e) = time_h(e) + (money_usd(e) + carbon_usd(e)) / vot_k  +  sum_{j ∋ e} d_j(L_j)

with ``vot_k`` the value of time per unit of cargo (USD/h), money and carbon per unit,
and ``d_j`` the queue delay (hours) of element ``j`` at its load ``L_j`` (t/yr of every
class using it). Dividing class ``k``'s generalized cost by ``vot_k`` does not change its
route choice, and it makes the delay term the same for every class, so the equilibrium
is the minimum of one convex (Beckmann) objective: multi-class Frank–Wolfe methods apply
(the formulation AequilibraE uses for classes with different values of time).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._checks import as_number
from corridor.assignment.problem import build_problem
from corridor.demand.freight import FreightDemand
from corridor.errors import DataFileError, InputError, Problem
from corridor.flows.delay import DelayModel
from corridor.flows.elements import CapacityElement, resolve_elements
from corridor.graph.build import ExpandedGraph, GraphCache
from corridor.graph.costs import resolve_cargo, value_of_time
from corridor.graph.csr import build_csr
from corridor.network.model import Network

__all__ = ["ClassBlock", "FreightProblem", "build_freight_problem"]

#: Most cells of the dense per-OD state (pairs x global edges) accepted (800 MB).
MAX_STATE_CELLS = 100_000_000


@dataclass(frozen=True, eq=False)
class ClassBlock:
    """One cargo class of a :class:`FreightProblem`.

    Attributes
    ----------
    cargo : str
        Cargo class id.
    graph : ExpandedGraph
        Its expanded graph.
    offset, n_edges : int
        Its edges are global edges ``offset .. offset + n_edges - 1``.
    edge : numpy.ndarray of int64
        Graph edge of each of its problem edges (``-1`` for zone connectors).
    zones : tuple of str
        Its zone places (zone ``i`` is its node ``i``).
    n_nodes : int
        Nodes of its problem (zones first).
    indptr, adj_head, adj_edge : numpy.ndarray of int64
        Forward star over its nodes; ``adj_edge`` holds global edge ids.
    tonnes_per_unit, teu_per_t : float
        Unit conversions.
    vot_usd_per_t_h : float
        Value of time per tonne-hour.

    """

    cargo: str
    graph: ExpandedGraph
    offset: int
    n_edges: int
    edge: NDArray[np.int64]
    zones: tuple[str, ...]
    n_nodes: int
    indptr: NDArray[np.int64]
    adj_head: NDArray[np.int64]
    adj_edge: NDArray[np.int64]
    tonnes_per_unit: float
    teu_per_t: float
    vot_usd_per_t_h: float


@dataclass(frozen=True, eq=False)
class FreightProblem:
    """Multi-class freight assignment problem (see the module docstring).

    Attributes
    ----------
    network : Network
        The network.
    demand : FreightDemand
        The demand assigned (rows with a figure whose places the network has).
    classes : tuple of ClassBlock
        One per cargo class with demand.
    n_edges : int
        Global edges.
    tail, head : numpy.ndarray of int64
        Tail and head node of each global edge (in its class's numbering).
    base_cost_h : numpy.ndarray of float64
        Flow-independent cost of each global edge in hours of its class's value of time.
    time_h, cost_usd_per_t, co2e_kg_per_t, length_km : numpy.ndarray of float64
        Per global edge (connectors 0).
    edge_class : numpy.ndarray of int64
        Class index of each global edge.
    elements : tuple of CapacityElement
        The capacity elements.
    elem_ptr, elem_member : numpy.ndarray of int64
        Element membership (CSR over elements, global edge ids).
    delay : DelayModel
        Delay function parameters per element.
    od : pandas.DataFrame
        One row per OD pair and class: ``cls``, ``origin``, ``destination`` (place ids),
        ``o``, ``d`` (nodes of its class), ``tonnes_per_yr``.
    od_rows : numpy.ndarray of int64
        For each demand row, its OD pair.
    inactive : list of dict
        Capacity rows that matched no edge.

    """

    network: Network
    demand: FreightDemand
    classes: tuple[ClassBlock, ...]
    n_edges: int
    tail: NDArray[np.int64]
    head: NDArray[np.int64]
    base_cost_h: NDArray[np.float64]
    time_h: NDArray[np.float64]
    cost_usd_per_t: NDArray[np.float64]
    co2e_kg_per_t: NDArray[np.float64]
    length_km: NDArray[np.float64]
    edge_class: NDArray[np.int64]
    elements: tuple[CapacityElement, ...]
    elem_ptr: NDArray[np.int64]
    elem_member: NDArray[np.int64]
    delay: DelayModel
    od: pd.DataFrame
    od_rows: NDArray[np.int64]
    inactive: tuple[dict[str, str], ...] = ()

    @property
    def n_od(self) -> int:
        """OD pairs (over all classes)."""
        return len(self.od)

    @property
    def vot(self) -> NDArray[np.float64]:
        """Value of time (USD per tonne-hour) of each global edge's class."""
        v = np.array([c.vot_usd_per_t_h for c in self.classes])
        return v[self.edge_class]

    def with_demand(self, tonnes: NDArray[np.float64]) -> FreightProblem:
        """Return the problem with other OD tonnes (same pairs; for ODME and growth)."""
        od = self.od.copy()
        od["tonnes_per_yr"] = np.asarray(tonnes, dtype=float)
        return FreightProblem(**{**self.__dict__, "od": od})


def build_freight_problem(
    network: Network,
    demand: FreightDemand,
    *,
    capacities: pd.DataFrame | None = None,
    period_h: float = 8760.0,
    delay_j: float = 1.0,
    carbon_price_usd_per_t: float = 0.0,
    include_planned: bool = False,
    cache: GraphCache | None = None,
) -> FreightProblem:
    """Build the multi-class freight problem of a demand on a network.

    Parameters
    ----------
    network : Network
        A freight network (with parameter tables).
    demand : FreightDemand
        Flows in tonnes per year; ``unknown`` rows are left out.
    capacities : pandas.DataFrame, optional
        Capacity elements (default: the network's ``capacities`` table, if any).
    period_h : float, default 8760
        The delay function's flow period ``T``: the period over which the demand holds (a
        year of annual flows), see :mod:`.delay`.
    delay_j : float, default 1
        The delay parameter ``J`` (1: random arrivals and service, M/M/1).
    carbon_price_usd_per_t : float, default 0
        Price of a tonne of CO2e in the generalized cost.
    include_planned : bool, default False
        Use planned links and places.
    cache : GraphCache, optional
        Reuse expanded graphs.

    Returns
    -------
    FreightProblem

    Raises
    ------
    DataFileError
        Demand rows whose places or cargo classes the network does not know (every one).
    NetworkValidationError
        A capacities table with problems.
    InputError
        Bad options, or a state too large for the dense per-OD arrays.

    """
    if not (math.isfinite(period_h) and period_h > 0):
        raise InputError(f"period_h: {period_h!r} must be > 0", argument="period_h")
    if not (math.isfinite(delay_j) and delay_j >= 0):
        raise InputError(f"delay_j: {delay_j!r} must be >= 0", argument="delay_j")
    # the bound of a route search's carbon price (a larger one overflows the costs)
    carbon_price_usd_per_t = as_number(
        carbon_price_usd_per_t, "carbon_price_usd_per_t", low=0, high=1e9
    )
    cache = cache or GraphCache()
    net = network.with_status(include_planned=include_planned)
    place_ids = [str(p) for p in net.places["place_id"]]
    cargo_ids = (
        [str(c) for c in network.parameters["cargo_classes"]["cargo"]]
        if "cargo_classes" in network.parameters
        else []
    )
    problems = demand.check(places=place_ids, cargo_classes=cargo_ids)
    if problems:
        raise DataFileError(demand.source, problems)
    known = demand.known
    known = known[known["tonnes_per_yr"] > 0].reset_index(drop=True)
    matrices = FreightDemand(known, demand.source).matrices()
    blocks: list[ClassBlock] = []
    tails: list[NDArray[np.int64]] = []
    heads: list[NDArray[np.int64]] = []
    base: list[NDArray[np.float64]] = []
    times: list[NDArray[np.float64]] = []
    money: list[NDArray[np.float64]] = []
    co2: list[NDArray[np.float64]] = []
    length: list[NDArray[np.float64]] = []
    od_parts: list[pd.DataFrame] = []
    offset = 0
    for ci, (cargo, dem) in enumerate(matrices.items()):
        graph = cache.get(network, cargo=cargo, include_planned=include_planned)
        cls = resolve_cargo(network, cargo)
        vot_unit = value_of_time(network, cls)
        if not vot_unit > 0:
            raise InputError(
                f"value_of_time of {cargo!r} is {vot_unit!r}: the flow model needs a value > 0",
                argument="value_of_time",
            )
        prob = build_problem(
            network,
            dem,
            cargo=cargo,
            objective="generalized",
            carbon_price_usd_per_t=carbon_price_usd_per_t,
            cache=cache,
        )
        assert prob.edge is not None
        m = prob.n_links
        g_edge = prob.edge
        is_edge = g_edge >= 0
        ge = np.where(is_edge, g_edge, 0)
        tpu = cls.tonnes_per_unit
        # hours-equivalent cost: (vot * time + money + carbon) / vot
        base.append((prob.free_flow_time + prob.fixed_cost) / vot_unit)
        times.append(np.where(is_edge, graph.time_h[ge], 0.0))
        money.append(np.where(is_edge, graph.cost_usd[ge] / tpu, 0.0))
        co2.append(np.where(is_edge, graph.co2e_kg[ge] / tpu, 0.0))
        length.append(np.where(is_edge, graph.length_km[ge], 0.0))
        tails.append(prob.tail.astype(np.int64))
        heads.append(prob.head.astype(np.int64))
        edges = np.arange(offset, offset + m, dtype=np.int64)
        indptr, adj_head, order = build_csr(prob.n_nodes, prob.tail, prob.head)
        blocks.append(
            ClassBlock(
                cargo=cargo,
                graph=graph,
                offset=offset,
                n_edges=m,
                edge=g_edge,
                zones=prob.zones,
                n_nodes=prob.n_nodes,
                indptr=indptr,
                adj_head=adj_head,
                adj_edge=edges[order],
                tonnes_per_unit=tpu,
                teu_per_t=cls.teu_per_unit / tpu if tpu > 0 else 0.0,
                vot_usd_per_t_h=vot_unit / tpu,
            )
        )
        zi = {z: i for i, z in enumerate(prob.zones)}
        oi, di = np.nonzero(prob.demand)
        od_parts.append(
            pd.DataFrame(
                {
                    "cls": ci,
                    "cargo_class": cargo,
                    "origin": [prob.zones[i] for i in oi],
                    "destination": [prob.zones[j] for j in di],
                    "o": oi.astype(np.int64),
                    "d": di.astype(np.int64),
                    "tonnes_per_yr": prob.demand[oi, di],
                }
            )
        )
        del zi
        offset += m
    n_edges = offset
    od = (
        pd.concat(od_parts, ignore_index=True)
        if od_parts
        else pd.DataFrame(
            columns=["cls", "cargo_class", "origin", "destination", "o", "d", "tonnes_per_yr"]
        )
    )
    if len(od) * max(n_edges, 1) > MAX_STATE_CELLS:
        raise InputError(
            f"demand: {len(od):,} OD pairs x {n_edges:,} edges is more than the flow model's "
            f"dense state allows ({MAX_STATE_CELLS:,} cells); aggregate the demand's places",
            argument="demand",
        )
    key = {(r.cargo_class, r.origin, r.destination): i for i, r in enumerate(od.itertuples())}
    od_rows = np.array(
        [
            key.get((c, o, d), -1)
            for c, o, d in zip(
                known["cargo_class"], known["origin"], known["destination"], strict=True
            )
        ],
        dtype=np.int64,
    )
    # ---- capacity elements
    table = capacities
    if table is None and "capacities" in network.parameters:
        table = network.parameters["capacities"]
    graphs = {b.cargo: b.graph for b in blocks}
    elements, inactive = resolve_elements(table, graphs)
    # map graph edges to global edges per class
    members: list[NDArray[np.int64]] = []
    for el in elements:
        glob: list[int] = []
        for b in blocks:
            g_edges = el.edges.get(b.cargo, ())
            if not g_edges:
                continue
            pos = np.full(b.graph.n_edges, -1, dtype=np.int64)
            local = np.flatnonzero(b.edge >= 0)
            pos[b.edge[local]] = local
            hit = pos[np.asarray(g_edges, dtype=np.int64)]
            glob += (hit[hit >= 0] + b.offset).tolist()
        members.append(np.asarray(sorted(set(glob)), dtype=np.int64))
    keep = [i for i, m in enumerate(members) if m.size]
    elements = [elements[i] for i in keep]
    members = [members[i] for i in keep]
    ptr = np.zeros(len(members) + 1, dtype=np.int64)
    np.cumsum([m.size for m in members], out=ptr[1:])
    member = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    delay = DelayModel.for_elements(elements, period_h=period_h, j=delay_j)
    edge_class = (
        np.concatenate([np.full(b.n_edges, i, dtype=np.int64) for i, b in enumerate(blocks)])
        if blocks
        else np.zeros(0, dtype=np.int64)
    )

    def cat(parts: Sequence[NDArray[np.float64]]) -> NDArray[np.float64]:
        return np.concatenate(parts) if parts else np.zeros(0)

    return FreightProblem(
        network=network,
        demand=demand,
        classes=tuple(blocks),
        n_edges=n_edges,
        tail=np.concatenate(tails) if tails else np.zeros(0, dtype=np.int64),
        head=np.concatenate(heads) if heads else np.zeros(0, dtype=np.int64),
        base_cost_h=cat(base),
        time_h=cat(times),
        cost_usd_per_t=cat(money),
        co2e_kg_per_t=cat(co2),
        length_km=cat(length),
        edge_class=edge_class,
        elements=tuple(elements),
        elem_ptr=ptr,
        elem_member=member,
        delay=delay,
        od=od,
        od_rows=od_rows,
        inactive=tuple(inactive),
    )


def demand_problems(network: Network, demand: FreightDemand) -> list[Problem]:
    """Return the problems of a demand against a network's places and cargo classes."""
    place_ids = [str(p) for p in network.places["place_id"]]
    cargo_ids = (
        [str(c) for c in network.parameters["cargo_classes"]["cargo"]]
        if "cargo_classes" in network.parameters
        else []
    )
    return demand.check(places=place_ids, cargo_classes=cargo_ids)
