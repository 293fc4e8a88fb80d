"""The expanded multimodal graph of a network for one cargo class, as CSR arrays.

Nodes are **place x mode layers**: a place gets one layer per mode of the links that touch
it, and each layer two nodes, an *arrival* node where runs end and a *departure* node where
runs start. A link whose end places lie in different countries also gets a node of its own
between a ``border`` edge (the crossing's dwell and fees) and the ``run`` along the link.
Edges:

* ``run``: along a network link, from a departure node to an arrival node in its mode's
  layer (parallel links stay distinct);
* ``border``: at a crossing link, before its run;
* ``gauge_break``, ``port``, ``transhipment``, ``mode_change``: from the arrival node of one
  layer of a place to the departure node of another, where the ``transfers`` table allows
  the change (see :mod:`.costs`);
* ``stay``: from the arrival to the departure node of one layer (carrying on in the same
  mode through a place; no time, no money). Scheduled modes (ferry, sea) have none: a
  voyage ends at its port, and each sailing is boarded from land, so each voyage is waited
  for once.

Because a transfer leads to a departure node, from which only runs leave, a route cannot
make two transfers in a row at one place without moving in between (the "port chaining"
of a box handled three times at a quay).

Edges are sorted by tail into CSR form by :func:`corridor.graph.csr.build_csr`. Each
attribute is one float array indexed by edge; ``edge_kind`` and ``edge_ref`` map an edge
back to its network link (runs and borders) or place (transfers); ``elements`` holds what
the simulation draws for each edge, whose means sum to ``time_h``.

A network without parameter tables (a TNTP road network, say) is built with
``cargo=None``: one node per place (in place order, so TNTP's zones-first numbering is
kept), one ``run`` edge per link, ``time_h`` from the link's own ``time_h`` or
``length_km / speed_kmh`` where given (else NaN), no borders and no transfers. Link columns
such as TNTP's ``free_flow_time`` and ``capacity`` are read per edge with
:meth:`ExpandedGraph.link_column`.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import InputError, NetworkValidationError, Problem
from corridor.graph.costs import (
    CARGO_ALIASES,
    CargoClass,
    ParameterTables,
    ServiceRecord,
    border_costs,
    resolve_cargo,
    run_costs,
    transfer_costs,
    value_of_time,
)
from corridor.graph.csr import build_csr
from corridor.graph.driving import (
    CREWS,
    DrivingArrays,
    DrivingRules,
    driving_arrays,
    read_driving_rules,
    stretch_rests,
)
from corridor.graph.elements import FAMILIES, Elements
from corridor.network.model import Network
from corridor.network.modes import ModeRegistry

__all__ = ["EDGE_KINDS", "ExpandedGraph", "GraphCache", "build_graph"]

#: Edge kinds, by their code in :attr:`ExpandedGraph.edge_kind` (the leg kinds of a route).
EDGE_KINDS: tuple[str, ...] = (
    "run",
    "border",
    "gauge_break",
    "port",
    "transhipment",
    "mode_change",
    "stay",
)
RUN, BORDER, STAY = 0, 1, 6
#: Roles of nodes (:attr:`ExpandedGraph.node_role`).
ARRIVAL, DEPARTURE, CROSSING = 0, 1, 2
_DEGENERATE = FAMILIES.index("degenerate")


@dataclass(frozen=True, eq=False)
class ExpandedGraph:
    """Expanded graph of a network for one cargo class (figures per unit of cargo).

    Attributes
    ----------
    network : Network
        The network searched (planned elements dropped unless ``include_planned``; links
        that refuse the cargo dropped).
    cargo : CargoClass or None
        The cargo class the figures are for (None for a plain link graph).
    include_planned : bool
        Whether planned places and links are in.
    modes : ModeRegistry
        The network's modes; ``edge_from_mode`` and ``node_mode`` are its codes.
    indptr, head, tail : numpy.ndarray
        CSR adjacency: the edges leaving node ``u`` are ``indptr[u]:indptr[u + 1]``;
        ``head[e]``/``tail[e]`` are the nodes an edge leads to and from.
    time_h, cost_usd, co2e_kg, length_km, wait_h, capacity_t_per_yr : numpy.ndarray
        Per-edge figures (per unit of cargo for money and CO2e); ``time_h`` is the sum of
        the edge's element means and includes ``wait_h``.
    edge_kind : numpy.ndarray
        Code into :data:`EDGE_KINDS`.
    edge_ref : numpy.ndarray
        Row of ``network.links`` for runs and borders, row of ``network.places`` for
        transfers.
    edge_from_place, edge_to_place : numpy.ndarray
        Place rows at the two ends of each edge (equal for transfers).
    edge_from_mode, edge_to_mode : numpy.ndarray
        Mode codes on either side of each edge (``-1`` in a plain link graph).
    node_place, node_mode : numpy.ndarray
        Place row and mode code of each node (mode ``-1`` for a border node).
    node_role : numpy.ndarray of int8
        ``ARRIVAL`` (0), ``DEPARTURE`` (1) or ``CROSSING`` (2, a border node); a plain link
        graph has one ``DEPARTURE`` node per place.
    place_ids : tuple of str
        Place ids by row; ``place_row`` maps them back; ``place_country`` codes into
        ``countries``.
    link_ids, service_ids : tuple of str
        Per link row of ``network``.
    elements : Elements
        What the simulation draws for each edge.
    services : tuple of ServiceRecord
        The scheduled services ridden on links, indexed by ``elements.service``.
    driving_h : numpy.ndarray
        Hours of driving under drivers' hours rules (:mod:`.driving`) on each edge: the
        running time of runs of a mode with rules, 0 elsewhere.
    edge_rules : numpy.ndarray of int64
        Index into ``rule_keys`` of the rules of each run's mode and country (-1 none).
    rule_keys : tuple of (str, str)
        ``(mode, country)`` of each rule set.
    driving_rules : mapping of int to tuple of DrivingRules or None
        Per crew size (1, 2), the rules of each of ``rule_keys`` (None where the table has
        no row for that crew).
    in_stretch : numpy.ndarray of bool
        Edges that carry a road stretch on (runs, borders and stays of a mode with rules).
    value_of_time_usd_per_h : float
        The ``value_of_time`` table's figure for one unit of the cargo (NaN without one).
    unknown : tuple of Problem
        Figures the parameter tables do not give (no value and no fallback). The edges that
        need them carry NaN in that attribute: a search that ranks by it skips them, and a
        route that uses them reports the figure as unknown. Never taken as zero.

    """

    network: Network
    cargo: CargoClass | None
    include_planned: bool
    modes: ModeRegistry
    indptr: NDArray[np.int64]
    head: NDArray[np.int64]
    tail: NDArray[np.int64]
    time_h: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    co2e_kg: NDArray[np.float64]
    length_km: NDArray[np.float64]
    wait_h: NDArray[np.float64]
    capacity_t_per_yr: NDArray[np.float64]
    edge_kind: NDArray[np.int8]
    edge_ref: NDArray[np.int64]
    edge_from_place: NDArray[np.int64]
    edge_to_place: NDArray[np.int64]
    edge_from_mode: NDArray[np.int8]
    edge_to_mode: NDArray[np.int8]
    node_place: NDArray[np.int64]
    node_mode: NDArray[np.int8]
    place_ids: tuple[str, ...]
    place_row: Mapping[str, int]
    place_country: NDArray[np.int64]
    countries: tuple[str, ...]
    link_ids: tuple[str, ...]
    service_ids: tuple[str, ...]
    elements: Elements
    services: tuple[ServiceRecord, ...]
    edge_index: Mapping[tuple[int, int, int, int], int]
    node_role: NDArray[np.int8]
    driving_h: NDArray[np.float64]
    edge_rules: NDArray[np.int64]
    rule_keys: tuple[tuple[str, str], ...]
    driving_rules: Mapping[int, tuple[DrivingRules | None, ...]]
    in_stretch: NDArray[np.bool_]
    value_of_time_usd_per_h: float = float("nan")
    unknown: tuple[Problem, ...] = ()

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.indptr.shape[0] - 1)

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return int(self.head.shape[0])

    def layers(self, place_row: int) -> NDArray[np.int64]:
        """Return the nodes where a flow may enter or leave a place, by node number.

        The arrival node of every mode layer (routes end there; from it a land mode carries
        on to its departure node, and transfers leave), and the departure node of every
        scheduled layer (which no stay reaches): entering at these reaches every way out
        of the place without a transfer, as a search does from the departure nodes.
        """
        if self.cargo is None:  # a plain link graph: node i is place i
            return np.asarray([place_row], dtype=np.int64)
        scheduled = self.modes.codes_where("scheduled")
        at = self.node_place == place_row
        keep = at & (
            (self.node_role == ARRIVAL)
            | ((self.node_role == DEPARTURE) & np.isin(self.node_mode, scheduled))
        )
        return np.flatnonzero(keep)

    def departures(self, place_row: int) -> NDArray[np.int64]:
        """Return the departure nodes of one place, ordered by mode code (where routes start)."""
        if self.cargo is None:
            return np.asarray([place_row], dtype=np.int64)
        return np.flatnonzero((self.node_place == place_row) & (self.node_role == DEPARTURE))

    def arrivals(self, place_row: int) -> NDArray[np.int64]:
        """Return the arrival nodes of one place, ordered by mode code (where routes end)."""
        if self.cargo is None:
            return np.asarray([place_row], dtype=np.int64)
        return np.flatnonzero((self.node_place == place_row) & (self.node_role == ARRIVAL))

    @property
    def crews(self) -> tuple[int, ...]:
        """Crew sizes the drivers' hours rules cover (every crew when there are no rules)."""
        if not self.rule_keys:
            return CREWS
        return tuple(c for c in CREWS if all(r is not None for r in self.driving_rules.get(c, ())))

    def _rules(self, crew: int) -> tuple[DrivingRules | None, ...]:
        if self.rule_keys and crew not in self.crews:
            raise InputError(
                f"crew={crew!r}: the driving_rules table has no rules for a crew of {crew} "
                f"on every road; allowed are {', '.join(map(str, self.crews))}",
                argument="crew",
                value=crew,
                allowed=[str(c) for c in self.crews],
            )
        return self.driving_rules.get(crew, ())

    def rest_estimate_h(self, crew: int = 1) -> NDArray[np.float64]:
        """Return each edge's breaks and rests as the search weighs them (daily-cycle average).

        Examples
        --------
        >>> from corridor.testing import gauge_network
        >>> g = build_graph(gauge_network(), cargo="container")
        >>> float(g.rest_estimate_h().max())  # no driving_rules table: no rests
        0.0

        """
        rules = self._rules(crew)
        rate = np.array([r.rest_per_driving_h if r is not None else 0.0 for r in rules] + [0.0])
        out: NDArray[np.float64] = self.driving_h * rate[self.edge_rules]
        return out

    def path_rests(self, path: NDArray[np.int64] | list[int], crew: int = 1) -> NDArray[np.float64]:
        """Return the exact breaks and rests of each edge of a path (:func:`.stretch_rests`)."""
        e = np.asarray(path, dtype=np.int64)
        if not self.rule_keys or e.size == 0:
            return np.zeros(e.size)
        rules = self._rules(crew)
        ref = self.edge_rules[e]
        per_edge = [rules[int(r)] if r >= 0 else None for r in ref.tolist()]
        return stretch_rests(self.driving_h[e], self.in_stretch[e], per_edge)

    def driving_arrays(self, crew: int = 1) -> DrivingArrays:
        """Return the drivers' hours of every edge for ``crew`` as arrays (compiled searches).

        The same rules and stretches as :meth:`path_rests`, for
        :func:`corridor.routing._pareto_kernels.pareto_labels`.

        Raises
        ------
        InputError
            When the rules do not cover ``crew``.

        Examples
        --------
        >>> from corridor.testing import road_network
        >>> arr = build_graph(road_network(), cargo="container").driving_arrays(2)
        >>> arr.rules[:, 0].tolist()  # 18 h of driving a day with two drivers
        [18.0]

        """
        return driving_arrays(self.driving_h, self.in_stretch, self.edge_rules, self._rules(crew))

    def mode_name(self, code: int) -> str:
        """Return the mode name of a code (``""`` for ``-1``)."""
        return self.modes.names[code] if code >= 0 else ""

    def find_edge(
        self,
        kind: str,
        *,
        link_id: str = "",
        place_id: str = "",
        from_mode: str = "",
        to_mode: str = "",
    ) -> int:
        """Return the edge of a run or border (by link) or transfer (by place and modes).

        Raises
        ------
        InputError
            When the graph has no such edge (a route of another network, say).

        Examples
        --------
        >>> from corridor.testing import gauge_network
        >>> g = build_graph(gauge_network(), cargo="container")
        >>> e = g.find_edge("gauge_break", place_id="G", from_mode="rail_1520",
        ...                 to_mode="rail_1435")
        >>> float(g.time_h[e])
        6.0

        """
        code = EDGE_KINDS.index(kind) if kind in EDGE_KINDS else -1
        if code in (RUN, BORDER):
            ref = self._link_rows().get(link_id, -1)
            key = (code, ref, -1, -1)
        else:
            ref = self.place_row.get(place_id, -1)
            fm = self.modes.names.index(from_mode) if from_mode in self.modes else -1
            tm = self.modes.names.index(to_mode) if to_mode in self.modes else -1
            key = (code, ref, fm, tm)
        edge = self.edge_index.get(key)
        if edge is None:
            where = link_id or f"{place_id} {from_mode}>{to_mode}"
            raise InputError(
                f"the expanded graph has no {kind} edge at {where}: the route does not belong "
                "to this network (or cargo / include_planned differ)",
                argument="route",
                value=where,
            )
        return edge

    def _link_rows(self) -> dict[str, int]:
        return {lid: i for i, lid in enumerate(self.link_ids)}

    def link_column(self, name: str, default: float = np.nan) -> NDArray[np.float64]:
        """Return a numeric column of the links table per edge (``default`` off runs).

        Examples
        --------
        >>> from corridor.testing import gauge_network
        >>> g = build_graph(gauge_network(), cargo="container")
        >>> sorted(g.link_column("length_km", 0.0)[g.edge_kind == 0].tolist())
        [120.0, 120.0, 200.0, 200.0, 900.0, 900.0]

        """
        links = self.network.links
        if name not in links.columns:
            return np.full(self.n_edges, default)
        values = pd.to_numeric(links[name], errors="coerce").to_numpy(dtype=np.float64)
        out = np.full(self.n_edges, default)
        runs = self.edge_kind == RUN
        out[runs] = values[self.edge_ref[runs]]
        return out


def _accepting(links: pd.DataFrame, cargo: str) -> pd.DataFrame:
    if "cargo_classes" not in links.columns:
        return links
    accepted = links["cargo_classes"].fillna("").astype(str).str.strip()
    ok = (accepted == "") | accepted.map(lambda s: cargo in {c.strip() for c in s.split("|")})
    return links[ok.to_numpy(dtype=bool)].reset_index(drop=True)


def build_graph(
    network: Network, *, cargo: str | None, include_planned: bool = False
) -> ExpandedGraph:
    """Build the expanded graph of ``network`` for ``cargo``.

    Parameters
    ----------
    network : Network
        The network, with its parameter tables (``docs/data-model.md``).
    cargo : str or None
        Cargo class id or alias (``container`` = ``container_40ft``); ``None`` for a plain
        link graph of a network without parameter tables (see the module docstring).
    include_planned : bool, default False
        Keep planned places and links.

    Returns
    -------
    ExpandedGraph

    Raises
    ------
    InputError
        Unknown cargo, or a link of a mode the network's registry does not know.
    NetworkValidationError
        Rows the network needs are missing (a port or gauge-break transfer, a malformed
        distribution or departure rule); every one is listed.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> g = build_graph(gauge_network(), cargo="container")
    >>> [EDGE_KINDS[k] for k in sorted(set(g.edge_kind.tolist()))]
    ['run', 'gauge_break', 'stay']
    >>> bool(np.allclose(g.elements.edge_sum(), g.time_h))
    True

    """
    if cargo is None:
        return _plain_graph(network, include_planned)
    modes = network.modes
    cargo_class = resolve_cargo(network, cargo)
    net = network.with_status(include_planned=include_planned)
    places = net.places
    links = _accepting(net.links, cargo_class.cargo)
    bad_modes = sorted(set(links["mode"]) - set(modes.names))
    if bad_modes:
        raise InputError(
            f"links have unknown mode(s) {', '.join(map(repr, bad_modes))}: allowed are "
            f"{', '.join(modes.names)} (add a row to the modes table for a new mode)",
            argument="links.mode",
            value=bad_modes[0],
            allowed=modes.names,
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
    mode_code = pd.Series(np.arange(len(modes)), index=list(modes.names))
    lmode = mode_code.reindex(links["mode"].to_numpy()).to_numpy(dtype=np.int64)
    links = links.assign(
        from_country=countries_arr[fp] if len(links) else [],
        to_country=countries_arr[tp] if len(links) else [],
    )

    tables = ParameterTables(network)
    runs = run_costs(links, cargo_class, tables, modes)

    # ---- layer nodes: one per (place, mode) touched by a link
    n_modes = len(modes)
    layer_key = np.unique(np.concatenate([fp * n_modes + lmode, tp * n_modes + lmode]))
    n_layer = len(layer_key)
    node_place_l = layer_key // n_modes
    node_mode_l = layer_key % n_modes
    # layer i has its arrival node i and its departure node n_layer + i
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
    border_node = 2 * n_layer + np.arange(n_cross)
    borders = border_costs(
        links.loc[cross_idx, ["from_id", "to_id", "mode", "from_country", "to_country"]],
        cargo_class,
        tables,
        modes,
    )

    # ---- transfers between the layers of a place
    layer_df = pd.DataFrame(
        {"node": np.arange(n_layer), "place": node_place_l, "mode": node_mode_l}
    )
    pairs = layer_df.merge(layer_df, on="place", suffixes=("_a", "_b"))
    pairs = pairs[pairs["mode_a"] != pairs["mode_b"]].reset_index(drop=True)
    names = np.array(modes.names, dtype=object)
    ma = names[pairs["mode_a"].to_numpy(dtype=np.int64)]
    mb = names[pairs["mode_b"].to_numpy(dtype=np.int64)]
    kind = np.array(
        [modes.transfer_kind(str(a), str(b)) for a, b in zip(ma, mb, strict=True)],
        dtype=object,
    )
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
    trans = transfer_costs(cand, cargo_class, tables)
    tables.raise_if_structural()
    # Missing figures stay NaN on their edges and are reported, not raised: one unknown
    # sea tariff must not stop every rail route of the network.
    unknown = tuple(replace(p, severity="warning") for p in tables.problems)
    keep = trans["allowed"].to_numpy()
    pairs = pairs[keep].reset_index(drop=True)
    trans = trans[keep].reset_index(drop=True)
    n_trans = len(trans)

    # ---- elements of each input edge (runs, borders, transfers), in input order
    scheduled = runs.service >= 0
    run_count = np.where(scheduled, 2, 1).astype(np.int64)
    run_el = _interleave(
        run_count,
        first=(
            np.where(scheduled, _DEGENERATE, runs.running_family),
            np.where(scheduled, runs.wait_h, runs.running_h),
            np.where(scheduled, 0.0, runs.running_cv),
            np.where(scheduled, runs.service, -1),
        ),
        second=(
            np.full(len(links), _DEGENERATE, np.int8),
            runs.running_h,
            np.zeros(len(links)),
            np.full(len(links), -1),
        ),
    )
    border_el = _interleave(
        borders.n_elements,
        first=(borders.family[:, 0], borders.mean_h[:, 0], borders.cv[:, 0], np.full(n_cross, -1)),
        second=(
            borders.family[:, 1],
            borders.mean_h[:, 1],
            borders.cv[:, 1],
            np.full(n_cross, -1),
        ),
    )
    trans_el = (
        trans["family"].to_numpy(dtype=np.int8),
        trans["time_h"].to_numpy(dtype=float),
        trans["time_cv"].to_numpy(dtype=float),
        np.full(n_trans, -1, dtype=np.int64),
    )
    # ---- stays: carry on in the same (unscheduled) mode through a place
    scheduled_mode = np.asarray([modes[m].scheduled for m in modes.names], dtype=bool)
    stay_layer = np.flatnonzero(~scheduled_mode[node_mode_l])
    n_stay = len(stay_layer)
    el_counts = np.concatenate(
        [run_count, borders.n_elements, np.ones(n_trans, np.int64), np.zeros(n_stay, np.int64)]
    )
    el_cols = [np.concatenate([run_el[i], border_el[i], trans_el[i]]) for i in range(4)]

    # ---- drivers' hours: which runs drive under rules, and whose rules
    rule_modes, rule_keys, rules_per_crew, rule_problems = _driving_rules(
        network, modes, links, countries_arr, fp
    )
    if rule_problems:
        tables.structural.extend(rule_problems)
        tables.raise_if_structural()
    key_index = {k: i for i, k in enumerate(rule_keys)}
    link_key = list(zip(links["mode"].astype(str), countries_arr[fp].astype(str), strict=True))
    link_rule = np.array(
        [key_index.get(k, key_index.get((k[0], "*"), -1)) for k in link_key], dtype=np.int64
    ).reshape(len(links))
    link_rule = np.where(np.isin(lmode, rule_modes), link_rule, -1)
    driving = np.where(link_rule >= 0, runs.running_h, 0.0)
    stay_mode = node_mode_l[stay_layer]

    # ---- assemble edges (runs, borders, transfers), then sort by tail into CSR
    kind_code = {k: i for i, k in enumerate(EDGE_KINDS)}
    run_tail = n_layer + u_node
    run_tail[cross_idx] = border_node
    t_place = pairs["place"].to_numpy(dtype=np.int64)
    zeros_c, zeros_t, zeros_s = np.zeros(n_cross), np.zeros(n_trans), np.zeros(n_stay)
    s_place = node_place_l[stay_layer]
    parts = {
        "tail": (
            run_tail,
            n_layer + u_node[cross_idx],
            pairs["node_a"].to_numpy(dtype=np.int64),
            stay_layer,
        ),
        "head": (
            v_node,
            border_node,
            n_layer + pairs["node_b"].to_numpy(dtype=np.int64),
            n_layer + stay_layer,
        ),
        "time_h": (runs.time_h, borders.time_h, trans["time_h"], zeros_s),
        "cost_usd": (runs.cost_usd, borders.cost_usd, trans["cost_usd"], zeros_s),
        "co2e_kg": (runs.co2e_kg, borders.co2e_kg, trans["co2e_kg"], zeros_s),
        "length_km": (runs.length_km, zeros_c, zeros_t, zeros_s),
        "wait_h": (runs.wait_h, zeros_c, zeros_t, zeros_s),
        "capacity_t_per_yr": (
            runs.capacity_t_per_yr,
            borders.capacity_t_per_yr,
            trans["capacity_t_per_yr"],
            np.full(n_stay, np.nan),
        ),
        "edge_kind": (
            np.zeros(len(links), np.int64),
            np.full(n_cross, kind_code["border"], np.int64),
            trans["kind"].map(kind_code).to_numpy(dtype=np.int64),
            np.full(n_stay, STAY, np.int64),
        ),
        "edge_ref": (np.arange(len(links)), cross_idx, t_place, s_place),
        "edge_from_place": (fp, fp[cross_idx], t_place, s_place),
        "edge_to_place": (tp, tp[cross_idx], t_place, s_place),
        "edge_from_mode": (
            lmode,
            lmode[cross_idx],
            pairs["mode_a"].to_numpy(dtype=np.int64),
            stay_mode,
        ),
        "edge_to_mode": (
            lmode,
            lmode[cross_idx],
            pairs["mode_b"].to_numpy(dtype=np.int64),
            stay_mode,
        ),
        "driving_h": (driving, zeros_c, zeros_t, zeros_s),
        "edge_rules": (
            link_rule,
            np.full(n_cross, -1, np.int64),
            np.full(n_trans, -1, np.int64),
            np.full(n_stay, -1, np.int64),
        ),
        "in_stretch": (
            link_rule >= 0,
            np.isin(lmode[cross_idx], rule_modes),
            np.zeros(n_trans, dtype=bool),
            np.isin(stay_mode, rule_modes),
        ),
    }
    cols = {k: np.concatenate([np.asarray(p) for p in v]) for k, v in parts.items()}
    n_nodes = 2 * n_layer + n_cross
    indptr, _, order = build_csr(n_nodes, cols["tail"], cols["head"])
    elements = Elements.assemble(
        el_counts, el_cols[0], el_cols[1], el_cols[2], el_cols[3], order=order
    )
    arr = _sorted_columns(cols, order)
    services = (
        links["service_id"].fillna("").astype(str).tolist()
        if "service_id" in links.columns
        else [""] * len(links)
    )
    return ExpandedGraph(
        network=net.replace(links=links.drop(columns=["from_country", "to_country"])),
        cargo=cargo_class,
        include_planned=include_planned,
        modes=modes,
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
        node_place=np.concatenate([node_place_l, node_place_l, fp[cross_idx]]).astype(np.int64),
        node_mode=np.concatenate([node_mode_l, node_mode_l, np.full(n_cross, -1)]).astype(np.int8),
        node_role=np.concatenate(
            [np.full(n_layer, ARRIVAL), np.full(n_layer, DEPARTURE), np.full(n_cross, CROSSING)]
        ).astype(np.int8),
        driving_h=arr["driving_h"],
        edge_rules=arr["edge_rules"],
        rule_keys=rule_keys,
        driving_rules=MappingProxyType(rules_per_crew),
        in_stretch=arr["in_stretch"].astype(bool),
        value_of_time_usd_per_h=_value_of_time(network, cargo_class),
        place_ids=tuple(str(p) for p in places["place_id"]),
        place_row=MappingProxyType({str(p): i for i, p in enumerate(places["place_id"])}),
        place_country=place_country,
        countries=countries,
        link_ids=tuple(str(x) for x in links["link_id"]),
        service_ids=tuple(services),
        elements=elements,
        services=runs.services,
        edge_index=_edge_index(arr),
        unknown=unknown,
    )


def _value_of_time(network: Network, cargo: CargoClass) -> float:
    """Return the cargo's value of time from the network's table (NaN where it has none)."""
    try:
        return value_of_time(network, cargo)
    except NetworkValidationError:
        return float("nan")


def _driving_rules(
    network: Network,
    modes: ModeRegistry,
    links: pd.DataFrame,
    countries_arr: NDArray[np.object_],
    fp: NDArray[np.int64],
) -> tuple[
    NDArray[np.int64],
    tuple[tuple[str, str], ...],
    dict[int, tuple[DrivingRules | None, ...]],
    list[Problem],
]:
    """Return the drivers' hours rules of the links' modes and countries, per crew size."""
    table = network.parameters.get("driving_rules")
    link_modes = sorted(set(links["mode"].astype(str)))
    countries = sorted({str(c) for c in countries_arr[fp]} - {""})
    resolved, problems = read_driving_rules(table, link_modes, countries)
    keys = sorted({k for per in resolved.values() for k in per})
    rule_modes = np.asarray(sorted({modes.code(m) for m, _ in keys}), dtype=np.int64)
    per_crew = {c: tuple(resolved[c].get(k) for k in keys) for c in CREWS}
    return rule_modes, tuple(keys), per_crew, problems


def _interleave(
    counts: NDArray[np.int64],
    first: tuple[NDArray[Any], ...],
    second: tuple[NDArray[Any], ...],
) -> tuple[NDArray[Any], ...]:
    """Element columns for edges with one or two elements, listed edge after edge."""
    out = []
    two = counts == 2
    for a, b in zip(first, second, strict=True):
        a = np.asarray(a)
        b = np.asarray(b)
        stacked = np.stack([a, b.astype(a.dtype)], axis=1)
        keep = np.stack([np.ones_like(two), two], axis=1)
        out.append(stacked[keep])
    return tuple(out)


def _sorted_columns(
    cols: Mapping[str, NDArray[Any]], order: NDArray[np.int64]
) -> dict[str, NDArray[Any]]:
    arr = {k: np.ascontiguousarray(v[order]) for k, v in cols.items()}
    floats = (
        "time_h",
        "cost_usd",
        "co2e_kg",
        "length_km",
        "wait_h",
        "capacity_t_per_yr",
        "driving_h",
    )
    ints = (
        "tail",
        "head",
        "edge_kind",
        "edge_ref",
        "edge_from_place",
        "edge_to_place",
        "edge_rules",
    )
    for k in floats:
        if k in arr:
            arr[k] = arr[k].astype(np.float64)
    for k in ints:
        if k in arr:
            arr[k] = arr[k].astype(np.int64)
    return arr


def _edge_index(arr: Mapping[str, NDArray[Any]]) -> Mapping[tuple[int, int, int, int], int]:
    """Map (kind, ref, from mode, to mode) to an edge; runs and borders by link alone."""
    kind = arr["edge_kind"].astype(np.int64).tolist()
    ref = arr["edge_ref"].astype(np.int64).tolist()
    fm = arr["edge_from_mode"].astype(np.int64).tolist()
    tm = arr["edge_to_mode"].astype(np.int64).tolist()
    out: dict[tuple[int, int, int, int], int] = {}
    for e, (k, r, a, b) in enumerate(zip(kind, ref, fm, tm, strict=True)):
        key = (k, r, -1, -1) if k in (RUN, BORDER) else (k, r, a, b)
        out.setdefault(key, e)
    return MappingProxyType(out)


def _plain_graph(network: Network, include_planned: bool) -> ExpandedGraph:
    """One node per place and one run per link: the graph of a network without parameters."""
    net = network.with_status(include_planned=include_planned)
    places = net.places
    links = net.links
    place_pos = pd.Series(np.arange(len(places)), index=places["place_id"].to_numpy())
    fp = place_pos.reindex(links["from_id"].to_numpy()).to_numpy()
    tp = place_pos.reindex(links["to_id"].to_numpy()).to_numpy()
    if np.isnan(fp).any() or np.isnan(tp).any():
        bad = links.loc[np.isnan(fp) | np.isnan(tp), "link_id"].astype(str).tolist()
        raise InputError(
            f"links {bad[:5]} end at places the network does not have",
            argument="network",
            value=bad[0],
        )
    fp = fp.astype(np.int64)
    tp = tp.astype(np.int64)
    n = len(links)
    length = (
        pd.to_numeric(links["length_km"], errors="coerce").to_numpy(dtype=float)
        if "length_km" in links.columns
        else np.full(n, np.nan)
    )
    own = (
        pd.to_numeric(links["time_h"], errors="coerce").to_numpy(dtype=float)
        if "time_h" in links.columns
        else np.full(n, np.nan)
    )
    speed = (
        pd.to_numeric(links["speed_kmh"], errors="coerce").to_numpy(dtype=float)
        if "speed_kmh" in links.columns
        else np.full(n, np.nan)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        time_h = np.where(np.isfinite(own), own, length / speed)
    cap = (
        pd.to_numeric(links["capacity_t_per_yr"], errors="coerce").to_numpy(dtype=float)
        if "capacity_t_per_yr" in links.columns
        else np.full(n, np.nan)
    )
    cols: dict[str, NDArray[Any]] = {
        "tail": fp,
        "head": tp,
        "time_h": time_h,
        "cost_usd": np.full(n, np.nan),
        "co2e_kg": np.full(n, np.nan),
        "length_km": length,
        "wait_h": np.zeros(n),
        "capacity_t_per_yr": cap,
        "edge_kind": np.zeros(n, np.int64),
        "edge_ref": np.arange(n, dtype=np.int64),
        "edge_from_place": fp,
        "edge_to_place": tp,
        "edge_from_mode": np.full(n, -1, np.int64),
        "edge_to_mode": np.full(n, -1, np.int64),
    }
    indptr, _, order = build_csr(len(places), fp, tp)
    arr = _sorted_columns(cols, order)
    elements = Elements.assemble(
        np.ones(n, np.int64),
        np.zeros(n, np.int8),
        time_h,
        np.zeros(n),
        np.full(n, -1, np.int64),
        order=order,
    )
    countries_arr = places["country"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(countries_arr, dtype=object))
    return ExpandedGraph(
        network=net,
        cargo=None,
        include_planned=include_planned,
        modes=network.modes,
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
        node_place=np.arange(len(places), dtype=np.int64),
        node_mode=np.full(len(places), -1, np.int8),
        node_role=np.full(len(places), DEPARTURE, np.int8),
        driving_h=np.zeros(n),
        edge_rules=np.full(n, -1, np.int64),
        rule_keys=(),
        driving_rules=MappingProxyType({}),
        in_stretch=np.zeros(n, dtype=bool),
        place_ids=tuple(str(p) for p in places["place_id"]),
        place_row=MappingProxyType({str(p): i for i, p in enumerate(places["place_id"])}),
        place_country=codes.astype(np.int64),
        countries=tuple(str(c) for c in uniques),
        link_ids=tuple(str(x) for x in links["link_id"]),
        service_ids=tuple([""] * n),
        elements=elements,
        services=(),
        edge_index=_edge_index(arr),
        unknown=(),
    )


class GraphCache:
    """Expanded graphs built so far, by network (held weakly), cargo and planned status.

    Hold one in the caller (a server, a loop over queries) and pass it to the searches so
    that the graph is built once. A network cannot change in place, so a cached graph is
    never stale.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> cache, net = GraphCache(), gauge_network()
    >>> cache.get(net, cargo="container") is cache.get(net, cargo="container_40ft")
    True

    """

    def __init__(self) -> None:
        self._graphs: weakref.WeakKeyDictionary[
            Network, dict[tuple[str | None, bool], ExpandedGraph]
        ] = weakref.WeakKeyDictionary()

    def get(
        self, network: Network, *, cargo: str | None, include_planned: bool = False
    ) -> ExpandedGraph:
        """Return the expanded graph of ``network`` for ``cargo``, building it once."""
        name = (
            None
            if cargo is None
            else CARGO_ALIASES.get(cargo.strip().lower(), cargo.strip())
            if isinstance(cargo, str)
            else cargo
        )
        per_net = self._graphs.setdefault(network, {})
        key = (name, include_planned)
        if key not in per_net:
            per_net[key] = build_graph(network, cargo=name, include_planned=include_planned)
        return per_net[key]
