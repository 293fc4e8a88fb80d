"""The static traffic-assignment problem as flat arrays, built from the expanded graph.

:class:`AssignmentProblem` is what every solver (Frank–Wolfe family, bush-based) works on:
nodes numbered ``0..n_nodes-1`` with the zones first, links as ``tail``/``head`` arrays, BPR
parameters per link and a dense demand matrix. :func:`build_problem` makes it from the one
expanded graph (:mod:`corridor.graph`) that routing and the simulation read, in two ways:

* a **freight network** (one with parameter tables): the graph for a cargo class; each zone
  (a demand place) is a node of its own joined to every mode layer of its place by free
  connectors, so no route passes through a zone; a link's flow-independent cost is its
  money (plus the carbon price), its time cost is ``value_of_time x time_h`` and is what the
  volume-delay function raises as use nears the edge's capacity (t/yr turned into units of
  the cargo class per year); edges without a capacity keep a constant cost; edges whose
  figure for the objective is unknown are left out;
* a **link network** (TNTP: no parameter tables): the plain graph of the links, one node
  per place, links in the order of ``network.links``, TNTP's columns read per link
  (``free_flow_time``, ``capacity``, ``b``, ``power``, ``toll``, ``length``) and its
  conventions kept (zones first, no passing through zones below ``<FIRST THRU NODE>``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.demand.matrix import Demand
from corridor.errors import InputError
from corridor.graph.build import ExpandedGraph, GraphCache, build_graph
from corridor.graph.costs import value_of_time
from corridor.network.model import Network
from corridor.objectives import get_objective

__all__ = ["FREIGHT_BPR_ALPHA", "FREIGHT_BPR_BETA", "AssignmentProblem", "build_problem"]


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """A static user-equilibrium assignment problem on arrays.

    Attributes
    ----------
    n_nodes : int
        Number of nodes; nodes are ``0..n_nodes-1``.
    n_zones : int
        Number of zones; zones are nodes ``0..n_zones-1`` (TNTP: node id - 1).
    first_thru_node : int
        0-based; a path may not pass through a node ``< first_thru_node`` other than at
        its two ends (TNTP ``<FIRST THRU NODE>`` - 1; 0 means no restriction).
    tail, head : numpy.ndarray of int64
        ``(n_links,)`` link ends, in the order of ``network.links``.
    free_flow_time, capacity : numpy.ndarray of float64
        ``(n_links,)`` free-flow time and capacity (positive).
    alpha, beta : numpy.ndarray of float64
        ``(n_links,)`` BPR ``b`` and ``power``: ``t = t0 (1 + alpha (v/cap)^beta)``.
    fixed_cost : numpy.ndarray of float64
        ``(n_links,)`` flow-independent cost added to the time
        (``toll * toll_factor + length * distance_factor``).
    demand : numpy.ndarray of float64
        ``(n_zones, n_zones)`` trips between zones.
    edge : numpy.ndarray of int64, optional
        For each link, the expanded-graph edge it is (``-1`` for a zone connector); None
        when the links are a network's links in table order.
    zones : tuple of str
        The place id of each zone, in zone order.

    Examples
    --------
    >>> import numpy as np
    >>> p = AssignmentProblem(
    ...     n_nodes=2, n_zones=2, first_thru_node=0,
    ...     tail=np.array([0]), head=np.array([1]),
    ...     free_flow_time=np.array([1.0]), capacity=np.array([10.0]),
    ...     alpha=np.array([0.15]), beta=np.array([4.0]), fixed_cost=np.array([0.0]),
    ...     demand=np.array([[0.0, 5.0], [0.0, 0.0]]))
    >>> p.n_links
    1

    """

    n_nodes: int
    n_zones: int
    first_thru_node: int
    tail: NDArray[np.int64]
    head: NDArray[np.int64]
    free_flow_time: NDArray[np.float64]
    capacity: NDArray[np.float64]
    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    fixed_cost: NDArray[np.float64]
    demand: NDArray[np.float64]
    edge: NDArray[np.int64] | None = None
    zones: tuple[str, ...] = ()

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.tail.shape[0])

    @property
    def total_demand(self) -> float:
        """Total trips."""
        return float(self.demand.sum())


#: BPR parameters used on capacitated freight edges until the flows model gives each
#: element its own delay function (the Bureau of Public Roads 1964 values).
FREIGHT_BPR_ALPHA = 0.15
FREIGHT_BPR_BETA = 4.0


def _zone_order(
    demand: Demand, place_ids: list[str], blocked: set[str]
) -> tuple[list[str], NDArray[np.float64]]:
    """Zones (blocked ones first, as TNTP numbers them) and the demand in that order."""
    zones = [z for z in demand.zones if z in blocked]
    zones += [p for p in place_ids if p in blocked and p not in set(demand.zones)]
    zones += [z for z in demand.zones if z not in blocked]
    dz = {z: i for i, z in enumerate(demand.zones)}
    perm = np.array([dz.get(z, -1) for z in zones], dtype=np.int64)
    mat = np.zeros((len(zones), len(zones)))
    have = perm >= 0
    mat[np.ix_(have, have)] = demand.matrix[np.ix_(perm[have], perm[have])]
    return zones, mat


def _check_zones(demand: Demand, place_ids: list[str]) -> None:
    if not isinstance(demand, Demand):
        raise InputError(
            f"demand must be a corridor Demand, got {type(demand).__name__}",
            argument="demand",
            value=type(demand).__name__,
        )
    known = set(place_ids)
    unknown = [z for z in demand.zones if z not in known]
    if unknown:
        raise InputError(
            f"demand: zone(s) {unknown[:5]} are not places of the network",
            argument="demand",
            value=unknown[0],
        )


def build_problem(
    network: Network,
    demand: Demand,
    *,
    toll_factor: float = 0.0,
    distance_factor: float = 0.0,
    cargo: str = "container_40ft",
    objective: str = "generalized",
    value_of_time_usd_per_h: float | None = None,
    carbon_price_usd_per_t: float = 0.0,
    cache: GraphCache | None = None,
) -> AssignmentProblem:
    """Build the array form of the assignment problem from the network's expanded graph.

    Parameters
    ----------
    network : Network
        A freight network (with parameter tables) or a link network (TNTP).
    demand : Demand
        Flows between places: units of ``cargo`` per year on a freight network, trips on a
        link network; every zone must be a place.
    toll_factor, distance_factor : float, default 0.0
        Link network: cost per unit of ``toll`` and of ``length`` (TNTP Chicago-Sketch:
        0.02 min/cent and 0.04 min/mile).
    cargo : str, default "container_40ft"
        Freight network: the cargo class of the demand.
    objective : {"generalized", "time", "cost", "co2e", "length"}, default "generalized"
        Freight network: the cost a unit minimises.
    value_of_time_usd_per_h : float, optional
        Freight network, per unit of cargo; default the ``value_of_time`` table.
    carbon_price_usd_per_t : float, default 0
        Freight network: price of a tonne of CO2e.
    cache : GraphCache, optional
        Reuse the expanded graph.

    Returns
    -------
    AssignmentProblem

    Raises
    ------
    InputError
        If a zone is not a place, a link end is unknown, or a link network's time is
        negative or not finite.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from corridor.demand import Demand
    >>> places = pd.DataFrame({"place_id": ["1", "2", "3"]})
    >>> links = pd.DataFrame({"link_id": ["1", "2", "3"], "from_id": ["1", "1", "3"],
    ...                       "to_id": ["2", "3", "2"], "free_flow_time": [10.0, 4.0, 4.0],
    ...                       "capacity": [100.0, 50.0, 50.0]})
    >>> net = Network.from_frames(places, links)
    >>> p = build_problem(net, Demand.from_matrix(["1", "2"], np.array([[0, 10.], [0, 0]])))
    >>> p.n_nodes, p.n_zones, p.n_links
    (3, 2, 3)

    Freight: a zone node per demand place, joined to its mode layers.

    >>> from corridor.testing import gauge_network
    >>> fp = build_problem(gauge_network(), Demand.from_matrix(["A", "B"], [[0, 5.], [0, 0]]))
    >>> fp.n_zones, int((fp.edge < 0).sum())
    (2, 8)

    """
    from corridor.network.model import Network as _Network

    if not isinstance(network, _Network):
        raise InputError(
            f"network must be a corridor Network, got {type(network).__name__}",
            argument="network",
            value=type(network).__name__,
        )
    place_ids = [str(p) for p in network.places["place_id"]]
    _check_zones(demand, place_ids)
    if "cargo_classes" in network.parameters:
        graph = (
            cache.get(network, cargo=cargo)
            if cache is not None
            else build_graph(network, cargo=cargo)
        )
        return _freight_problem(
            graph, demand, objective, value_of_time_usd_per_h, carbon_price_usd_per_t
        )
    return _link_problem(network, demand, place_ids, toll_factor, distance_factor)


def _link_problem(
    network: Network,
    demand: Demand,
    place_ids: list[str],
    toll_factor: float,
    distance_factor: float,
) -> AssignmentProblem:
    graph = build_graph(network, cargo=None, include_planned=True)
    ftn_meta = network.metadata.get("first_thru_node")
    blocked: set[str] = set()
    if ftn_meta is not None:
        for pid in place_ids:
            if pid.isdigit() and int(pid) < int(ftn_meta):
                blocked.add(pid)
    zones, mat = _zone_order(demand, place_ids, blocked)
    order = zones + [p for p in place_ids if p not in set(zones)]
    index = {pid: i for i, pid in enumerate(order)}
    # graph node i is place i (a plain graph); links back in table order
    node_new = np.array([index[pid] for pid in graph.place_ids], dtype=np.int64)
    by_link = np.argsort(graph.edge_ref, kind="stable")
    tail = node_new[graph.tail[by_link]]
    head = node_new[graph.head[by_link]]

    def column(names: tuple[str, ...], default: float) -> NDArray[np.float64]:
        for name in names:
            if name in network.links.columns:
                values = graph.link_column(name)[by_link]
                return np.where(np.isnan(values), default, values)
        return np.full(graph.n_edges, default)

    fft = column(("free_flow_time", "time_h"), np.nan)
    if not np.all(np.isfinite(fft)) or np.any(fft < 0):
        raise InputError(
            "network: free_flow_time must be finite and >= 0 on every link "
            f"({int(np.sum(~(np.isfinite(fft) & (fft >= 0))))} link(s) are not)",
            argument="network",
        )
    cap = column(("capacity", "capacity_t_per_yr"), np.inf)
    alpha = column(("b",), 0.15)
    beta = column(("power",), 4.0)
    no_cap = ~(np.isfinite(cap) & (cap > 0))
    alpha = np.where(no_cap, 0.0, alpha)
    cap = np.where(no_cap, 1.0, cap)
    fixed = toll_factor * column(("toll",), 0.0) + distance_factor * column(
        ("length", "length_km"), 0.0
    )
    return AssignmentProblem(
        n_nodes=len(order),
        n_zones=len(zones),
        first_thru_node=len(blocked),
        tail=tail,
        head=head,
        free_flow_time=fft,
        capacity=cap,
        alpha=alpha,
        beta=beta,
        fixed_cost=fixed,
        demand=mat,
        edge=None,
        zones=tuple(zones),
    )


def _freight_problem(
    graph: ExpandedGraph,
    demand: Demand,
    objective_name: str,
    value_of_time_usd_per_h: float | None,
    carbon_price_usd_per_t: float,
) -> AssignmentProblem:
    objective = get_objective(objective_name, additive_only=True)
    assert graph.cargo is not None
    vot = value_of_time_usd_per_h
    if vot is None:
        vot = value_of_time(graph.network, graph.cargo) if objective.uses_value_of_time else 0.0
    zero = np.zeros(graph.n_edges)
    # time-dependent part (raised by congestion) and flow-independent part of the cost
    time_cost = objective.value(
        time_h=graph.time_h,
        cost_usd=zero,
        co2e_kg=zero,
        length_km=zero,
        value_of_time_usd_per_h=vot,
        carbon_price_usd_per_t=0.0,
    )
    fixed = objective.value(
        time_h=zero,
        cost_usd=graph.cost_usd,
        co2e_kg=graph.co2e_kg,
        length_km=graph.length_km,
        value_of_time_usd_per_h=0.0,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
    )
    keep = np.flatnonzero(np.isfinite(time_cost) & np.isfinite(fixed))
    zones, mat = _zone_order(demand, list(graph.place_ids), set())
    nz = len(zones)
    tail = graph.tail[keep] + nz
    head = graph.head[keep] + nz
    # connectors: zone -> each layer of its place, and back
    c_tail, c_head = [], []
    for z, pid in enumerate(zones):
        row = graph.place_row.get(pid)
        layers = graph.layers(row) + nz if row is not None else np.zeros(0, np.int64)
        c_tail += [z] * len(layers) + layers.tolist()
        c_head += layers.tolist() + [z] * len(layers)
    n_conn = len(c_tail)
    cap_units = graph.capacity_t_per_yr[keep] / graph.cargo.tonnes_per_unit
    has_cap = np.isfinite(cap_units) & (cap_units > 0)
    return AssignmentProblem(
        n_nodes=graph.n_nodes + nz,
        n_zones=nz,
        first_thru_node=nz,
        tail=np.concatenate([tail, np.asarray(c_tail, dtype=np.int64)]),
        head=np.concatenate([head, np.asarray(c_head, dtype=np.int64)]),
        free_flow_time=np.concatenate([time_cost[keep], np.zeros(n_conn)]),
        capacity=np.concatenate([np.where(has_cap, cap_units, 1.0), np.ones(n_conn)]),
        alpha=np.concatenate([np.where(has_cap, FREIGHT_BPR_ALPHA, 0.0), np.zeros(n_conn)]),
        beta=np.concatenate([np.full(keep.size, FREIGHT_BPR_BETA), np.full(n_conn, 4.0)]),
        fixed_cost=np.concatenate([fixed[keep], np.zeros(n_conn)]),
        demand=mat,
        edge=np.concatenate([keep.astype(np.int64), np.full(n_conn, -1, np.int64)]),
        zones=tuple(zones),
    )
