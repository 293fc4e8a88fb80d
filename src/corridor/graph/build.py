"""The expanded multimodal graph of a network for one cargo class, as CSR arrays.

Nodes are **place x mode layers**: a place gets one node per mode of the links that touch
it. A link whose end places lie in different countries also gets a node of its own between
a ``border`` edge (the crossing's dwell and fees) and the ``run`` along the link. Edges:

* ``run``: along a network link, in its mode's layer (parallel links stay distinct);
* ``border``: at a crossing link, before its run;
* ``gauge_break``, ``port``, ``transhipment``, ``mode_change``: between two layers of the
  same place, where the ``transfers`` table allows the change (see :mod:`.costs`).

Edges are sorted by tail into CSR form with a stable ``numpy.argsort`` (never through
``scipy.sparse``, whose COO to CSR conversion adds parallel edges together). Each
attribute is one float array indexed by edge; ``edge_kind`` and ``edge_ref`` map an edge
back to its network link (runs and borders) or place (transfers).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from corridor.errors import InputError, Problem
from corridor.graph.costs import (
    CARGO_ALIASES,
    CargoClass,
    ParameterTables,
    border_costs,
    resolve_cargo,
    run_costs,
    transfer_costs,
)
from corridor.graph.csr import build_csr
from corridor.network.model import MODES, Network

__all__ = ["EDGE_KINDS", "ExpandedGraph", "GraphCache", "build_graph"]

#: Edge kinds, by their code in :attr:`ExpandedGraph.edge_kind` (the leg kinds of a route).
EDGE_KINDS: tuple[str, ...] = (
    "run",
    "border",
    "gauge_break",
    "port",
    "transhipment",
    "mode_change",
)

_LAND = ("rail_1520", "rail_1435", "road")
_WATER = ("ferry", "sea")


@dataclass(frozen=True, eq=False)
class ExpandedGraph:
    """Expanded graph of a network for one cargo class (figures per unit of cargo).

    Attributes
    ----------
    network : Network
        The network searched (planned elements dropped unless ``include_planned``).
    cargo : CargoClass
        The cargo class the figures are for.
    include_planned : bool
        Whether planned places and links are in.
    indptr, head, tail : numpy.ndarray
        CSR adjacency: the edges leaving node ``u`` are ``indptr[u]:indptr[u + 1]``;
        ``head[e]``/``tail[e]`` are the nodes an edge leads to and from.
    time_h, cost_usd, co2e_kg, length_km, wait_h, capacity_t_per_yr : numpy.ndarray
        Per-edge figures (per unit of cargo for money and CO2e).
    edge_kind : numpy.ndarray
        Code into :data:`EDGE_KINDS`.
    edge_ref : numpy.ndarray
        Row of ``network.links`` for runs and borders, row of ``network.places`` for
        transfers.
    edge_from_place, edge_to_place : numpy.ndarray
        Place rows at the two ends of each edge (equal for transfers).
    edge_from_mode, edge_to_mode : numpy.ndarray
        Codes into :data:`~corridor.network.model.MODES` on either side of each edge.
    node_place, node_mode : numpy.ndarray
        Place row and mode code of each node (mode ``-1`` for a border node).
    place_ids : tuple of str
        Place ids by row; ``place_row`` maps them back; ``place_country`` codes into
        ``countries``.
    unknown : tuple of Problem
        Figures the parameter tables do not give (no value and no fallback). The edges that
        need them carry NaN in that attribute: a search that ranks by it skips them, and a
        route that uses them reports the figure as unknown. Never taken as zero.

    """

    network: Network
    cargo: CargoClass
    include_planned: bool
    indptr: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    time_h: np.ndarray
    cost_usd: np.ndarray
    co2e_kg: np.ndarray
    length_km: np.ndarray
    wait_h: np.ndarray
    capacity_t_per_yr: np.ndarray
    edge_kind: np.ndarray
    edge_ref: np.ndarray
    edge_from_place: np.ndarray
    edge_to_place: np.ndarray
    edge_from_mode: np.ndarray
    edge_to_mode: np.ndarray
    node_place: np.ndarray
    node_mode: np.ndarray
    place_ids: tuple[str, ...]
    place_row: dict[str, int]
    place_country: np.ndarray
    countries: tuple[str, ...]
    link_ids: tuple[str, ...]
    service_ids: tuple[str, ...]
    unknown: tuple[Problem, ...] = ()

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.indptr.shape[0] - 1)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return int(self.head.shape[0])

    def layers(self, place_row: int) -> np.ndarray:
        """Return the nodes (mode layers) of one place, ordered by mode code."""
        return np.flatnonzero((self.node_place == place_row) & (self.node_mode >= 0))


def build_graph(network: Network, *, cargo: str, include_planned: bool = False) -> ExpandedGraph:
    """Build the expanded graph of ``network`` for ``cargo``.

    Parameters
    ----------
    network : Network
        The network, with its parameter tables (``docs/data-model.md``).
    cargo : str
        Cargo class id or alias (``container`` = ``container_40ft``).
    include_planned : bool, default False
        Keep planned places and links.

    Returns
    -------
    ExpandedGraph

    Raises
    ------
    InputError
        Unknown cargo, or a link of a mode not in :data:`MODES`.
    NetworkValidationError
        Parameter figures without a fallback are missing; every one is listed.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> g = build_graph(gauge_network(), cargo="container")
    >>> [EDGE_KINDS[k] for k in sorted(set(g.edge_kind.tolist()))]
    ['run', 'gauge_break']

    """
    cargo_class = resolve_cargo(network, cargo)
    net = network.with_status(include_planned=include_planned)
    places = net.places
    links = net.links
    if "cargo_classes" in links.columns:
        accepted = links["cargo_classes"].fillna("").astype(str).str.strip()
        ok = (accepted == "") | accepted.map(
            lambda s: cargo_class.cargo in {c.strip() for c in s.split("|")}
        )
        links = links[ok.to_numpy(dtype=bool)].reset_index(drop=True)
    bad_modes = sorted(set(links["mode"]) - set(MODES))
    if bad_modes:
        raise InputError(
            f"links have unknown mode(s) {', '.join(bad_modes)}: allowed are {', '.join(MODES)}"
        )
    place_pos = pd.Series(np.arange(len(places)), index=places["place_id"].to_numpy())
    fp = place_pos.reindex(links["from_id"].to_numpy()).to_numpy()
    tp = place_pos.reindex(links["to_id"].to_numpy()).to_numpy()
    known = ~(np.isnan(fp) | np.isnan(tp))
    links = links[known].reset_index(drop=True)
    fp = fp[known].astype(np.int64)
    tp = tp[known].astype(np.int64)
    countries_arr = places["country"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(countries_arr, dtype=object))
    countries = tuple(str(c) for c in uniques)
    place_country = codes.astype(np.int64)
    mode_code = pd.Series(np.arange(len(MODES)), index=list(MODES))
    lmode = mode_code.reindex(links["mode"].to_numpy()).to_numpy(dtype=np.int64)
    links = links.assign(
        from_country=countries_arr[fp] if len(links) else [],
        to_country=countries_arr[tp] if len(links) else [],
    )

    tables = ParameterTables(network)
    runs = run_costs(network, links, cargo_class, tables)

    # ---- layer nodes: one per (place, mode) touched by a link
    n_modes = len(MODES)
    layer_key = np.unique(np.concatenate([fp * n_modes + lmode, tp * n_modes + lmode]))
    n_layer = len(layer_key)
    node_place_l = layer_key // n_modes
    node_mode_l = layer_key % n_modes
    u_node = np.searchsorted(layer_key, fp * n_modes + lmode)
    v_node = np.searchsorted(layer_key, tp * n_modes + lmode)

    # ---- border crossings: a node between the border edge and the run
    cross = (
        (countries_arr[fp] != countries_arr[tp])
        & (countries_arr[fp] != "")
        & (countries_arr[tp] != "")
    )
    cross_idx = np.flatnonzero(cross)
    n_cross = len(cross_idx)
    border_node = n_layer + np.arange(n_cross)
    borders = border_costs(
        network,
        links.loc[cross_idx, ["from_id", "to_id", "mode", "from_country", "to_country"]],
        cargo_class,
        tables,
    )

    # ---- transfers between the layers of a place
    layer_df = pd.DataFrame(
        {"node": np.arange(n_layer), "place": node_place_l, "mode": node_mode_l}
    )
    pairs = layer_df.merge(layer_df, on="place", suffixes=("_a", "_b"))
    pairs = pairs[pairs["mode_a"] != pairs["mode_b"]].reset_index(drop=True)
    modes_arr = np.array(MODES, dtype=object)
    ma = modes_arr[pairs["mode_a"].to_numpy(dtype=np.int64)]
    mb = modes_arr[pairs["mode_b"].to_numpy(dtype=np.int64)]
    rail = np.char.startswith(ma.astype(str), "rail") & np.char.startswith(mb.astype(str), "rail")
    water_a = np.isin(ma, _WATER)
    water_b = np.isin(mb, _WATER)
    kind = np.where(rail, "gauge_break", np.where(water_a != water_b, "port", "transhipment"))
    cand = pd.DataFrame(
        {
            "place_id": places["place_id"].to_numpy(dtype=object)[
                pairs["place"].to_numpy(dtype=np.int64)
            ],
            "kind": kind,
            "from_mode": ma,
            "to_mode": mb,
        }
    )
    trans = transfer_costs(network, cand, cargo_class, tables)
    tables.raise_if_structural()
    # Missing figures stay NaN on their edges and are reported, not raised: one unknown
    # sea tariff must not stop every rail route of the network.
    unknown = tuple(replace(p, severity="warning") for p in tables.problems)
    keep = trans["allowed"].to_numpy()
    pairs = pairs[keep].reset_index(drop=True)
    trans = trans[keep].reset_index(drop=True)

    # ---- assemble edges (runs, borders, transfers), then sort by tail into CSR
    kind_code = {k: i for i, k in enumerate(EDGE_KINDS)}
    run_tail = u_node.copy()
    run_tail[cross_idx] = border_node
    t_place = pairs["place"].to_numpy(dtype=np.int64)
    nan_cross = np.full(n_cross, np.nan)
    parts = {
        "tail": (run_tail, u_node[cross_idx], pairs["node_a"].to_numpy(dtype=np.int64)),
        "head": (v_node, border_node, pairs["node_b"].to_numpy(dtype=np.int64)),
        "time_h": (runs["time_h"], borders["time_h"], trans["time_h"]),
        "cost_usd": (runs["cost_usd"], borders["cost_usd"], trans["cost_usd"]),
        "co2e_kg": (runs["co2e_kg"], borders["co2e_kg"], trans["co2e_kg"]),
        "length_km": (runs["length_km"], np.zeros(n_cross), np.zeros(len(trans))),
        "wait_h": (runs["wait_h"], np.zeros(n_cross), np.zeros(len(trans))),
        "capacity_t_per_yr": (
            runs["capacity_t_per_yr"],
            borders["capacity_t_per_yr"] if n_cross else nan_cross,
            trans["capacity_t_per_yr"],
        ),
        "edge_kind": (
            np.zeros(len(links), np.int64),
            np.full(n_cross, kind_code["border"], np.int64),
            trans["kind"].map(kind_code).to_numpy(dtype=np.int64),
        ),
        "edge_ref": (np.arange(len(links)), cross_idx, t_place),
        "edge_from_place": (fp, fp[cross_idx], t_place),
        "edge_to_place": (tp, tp[cross_idx], t_place),
        "edge_from_mode": (lmode, lmode[cross_idx], pairs["mode_a"].to_numpy(dtype=np.int64)),
        "edge_to_mode": (lmode, lmode[cross_idx], pairs["mode_b"].to_numpy(dtype=np.int64)),
    }
    cols = {k: np.concatenate([np.asarray(p) for p in v]) for k, v in parts.items()}
    n_nodes = n_layer + n_cross
    indptr, _, order = build_csr(n_nodes, cols["tail"], cols["head"])
    arr = {k: np.ascontiguousarray(v[order]) for k, v in cols.items()}
    floats = ("time_h", "cost_usd", "co2e_kg", "length_km", "wait_h", "capacity_t_per_yr")
    ints = ("tail", "head", "edge_kind", "edge_ref", "edge_from_place", "edge_to_place")
    for k in floats:
        arr[k] = arr[k].astype(np.float64)
    for k in ints:
        arr[k] = arr[k].astype(np.int64)
    services = (
        links["service_id"].fillna("").astype(str).tolist()
        if "service_id" in links.columns
        else [""] * len(links)
    )
    return ExpandedGraph(
        network=net.replace(links=links.drop(columns=["from_country", "to_country"])),
        cargo=cargo_class,
        include_planned=include_planned,
        indptr=indptr,
        head=arr["head"],
        tail=arr["tail"],
        time_h=arr["time_h"],
        cost_usd=arr["cost_usd"],
        co2e_kg=arr["co2e_kg"],
        length_km=arr["length_km"],
        wait_h=arr["wait_h"],
        capacity_t_per_yr=arr["capacity_t_per_yr"],
        edge_kind=arr["edge_kind"].astype(np.int8),
        edge_ref=arr["edge_ref"],
        edge_from_place=arr["edge_from_place"],
        edge_to_place=arr["edge_to_place"],
        edge_from_mode=arr["edge_from_mode"].astype(np.int8),
        edge_to_mode=arr["edge_to_mode"].astype(np.int8),
        node_place=np.concatenate([node_place_l, fp[cross_idx]]).astype(np.int64),
        node_mode=np.concatenate([node_mode_l, np.full(n_cross, -1)]).astype(np.int8),
        place_ids=tuple(str(p) for p in places["place_id"]),
        place_row={str(p): i for i, p in enumerate(places["place_id"])},
        place_country=place_country,
        countries=countries,
        link_ids=tuple(str(x) for x in links["link_id"]),
        service_ids=tuple(services),
        unknown=unknown,
    )


class GraphCache:
    """Expanded graphs built so far, by network (held weakly), cargo and planned status.

    Hold one in the caller (a server, a loop over queries) and pass it to
    :func:`corridor.routing.route` so that the graph is built once.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> cache, net = GraphCache(), gauge_network()
    >>> cache.get(net, cargo="container") is cache.get(net, cargo="container_40ft")
    True

    """

    def __init__(self) -> None:
        self._graphs: weakref.WeakKeyDictionary[Network, dict[tuple[str, bool], ExpandedGraph]]
        self._graphs = weakref.WeakKeyDictionary()

    def get(self, network: Network, *, cargo: str, include_planned: bool = False) -> ExpandedGraph:
        """Return the expanded graph of ``network`` for ``cargo``, building it once."""
        name = CARGO_ALIASES.get(cargo.strip().lower(), cargo.strip())
        per_net = self._graphs.setdefault(network, {})
        key = (name, include_planned)
        if key not in per_net:
            per_net[key] = build_graph(network, cargo=name, include_planned=include_planned)
        return per_net[key]
