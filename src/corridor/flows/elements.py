"""Capacity elements: where freight queues, as sets of expanded-graph edges with a capacity.

An element is one resource with a capacity in tonnes per year that every tonne passing
it uses: a rail section, a border crossing, a gauge-change yard or transhipment terminal,
a port, a ferry service. Its edges are found in the expanded graph of each cargo class
(:mod:`corridor.graph`), so one element can span several edges (both directions of a
crossing, every mode pair of a port's transfers) and several cargo classes (which share
its capacity in tonnes).

Elements come from the network's ``capacities`` parameter table (``docs/flows.md``):

=================  ===========================================================  ==========
kind               edges                                                        one element
=================  ===========================================================  ==========
rail_section       runs of the links of each ``segment_ids`` segment            per segment
border_crossing    borders (else runs) of the crossing links: ``segment_ids``,   per row
                   else links between ``from_id`` and ``to_id`` of ``mode_group``
gauge_change       ``gauge_break`` transfers at ``place_ids``                    per row
terminal           every transfer at ``place_ids``                               per row
port               ``port`` transfers at ``place_ids``                           per row
ferry_service      runs of the links of the ``service_ids`` services            per row
=================  ===========================================================  ==========

``direction`` ``both`` makes the two directions share the capacity; ``each`` gives each
direction (each link) its own element. ``modes`` keeps the edges touching those modes,
``cargo_classes`` the classes that use (and are delayed by) the element.

A capacity on a single edge of the graph (``capacity_t_per_yr`` of links, ``borders``,
``transfers``, ``ferry_services``) becomes an element of its own only where no table row
covers the same link, service or place: the table is the better-described source.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import NetworkValidationError, Problem
from corridor.graph.build import EDGE_KINDS, ExpandedGraph

__all__ = ["ELEMENT_KINDS", "CapacityElement", "check_capacity_table", "resolve_elements"]

#: Kinds of capacity element the ``capacities`` table may name.
ELEMENT_KINDS: tuple[str, ...] = (
    "rail_section",
    "border_crossing",
    "gauge_change",
    "terminal",
    "port",
    "ferry_service",
)

_RUN = EDGE_KINDS.index("run")
_BORDER = EDGE_KINDS.index("border")
_TRANSFER_KINDS = {
    EDGE_KINDS.index(k) for k in ("gauge_break", "port", "transhipment", "mode_change")
}
_GAUGE = EDGE_KINDS.index("gauge_break")
_PORT = EDGE_KINDS.index("port")


@dataclass(frozen=True)
class CapacityElement:
    """One capacity element and the edges of each cargo class that use it.

    Attributes
    ----------
    element_id : str
        Unique id (the table row's id, ``@segment`` or ``@from>to`` when a row gives
        several elements; ``edge:...`` for a capacity of one graph edge).
    kind : str
        One of :data:`ELEMENT_KINDS`.
    label : str
        Where it is, in words (place or link names).
    capacity_t_per_yr : float
        Capacity in tonnes per year (positive).
    capacity_source : str
        Where the figure comes from.
    batch_t : float
        Tonnes served together (a train, a truck, a sailing); NaN when unknown (the delay
        function then keeps only its deterministic queue).
    status, grade, published : str
        Status of the figure (``current``, ``design`` ...), its grade, the published
        figure in its own unit.
    edges : mapping of str to tuple of int
        Per cargo class, the edges of that class's expanded graph.
    places : tuple of str
        Places of the element (for maps and labels).

    """

    element_id: str
    kind: str
    label: str
    capacity_t_per_yr: float
    capacity_source: str
    batch_t: float = math.nan
    status: str = ""
    grade: str = ""
    published: str = ""
    edges: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    places: tuple[str, ...] = ()


def _cell(row: Mapping[Any, Any], col: str) -> str:
    v = row.get(col, "")
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split("|") if t.strip()]


def check_capacity_table(table: pd.DataFrame) -> list[Problem]:
    """Return the problems of a ``capacities`` table (every row at once).

    A capacity must be a positive, finite number of tonnes per year with a source; the
    kind must be known; the keys each kind needs must be there.

    Examples
    --------
    >>> t = pd.DataFrame({"kind": ["port", "port"], "id": ["P1", "P2"],
    ...                   "place_ids": ["A", "B"], "capacity_t_per_yr": [0.0, 5e6],
    ...                   "capacity_t_per_yr_source": ["x", ""]})
    >>> for p in check_capacity_table(t):
    ...     print(p)
    error: capacities 'P1' [capacity_t_per_yr]: 0: a capacity must be > 0 (drop the edges to close)
    error: capacities 'P2' [capacity_t_per_yr_source]: a capacity needs its source

    """
    problems: list[Problem] = []
    for i, row in enumerate(table.to_dict("records")):
        rid = _cell(row, "id") or f"row {i + 2}"

        def add(col: str, msg: str, rid: str = rid) -> None:
            problems.append(Problem("error", "capacities", rid, col, msg))

        kind = _cell(row, "kind")
        if kind not in ELEMENT_KINDS:
            add("kind", f"unknown kind {kind!r}; allowed: {', '.join(ELEMENT_KINDS)}")
            continue
        text = _cell(row, "capacity_t_per_yr")
        try:
            cap = float(text) if text else math.nan
        except ValueError:
            add("capacity_t_per_yr", f"{text!r} is not a number")
            continue
        if math.isnan(cap):
            add("capacity_t_per_yr", "missing")
        elif not math.isfinite(cap) or cap < 0:
            add("capacity_t_per_yr", f"{cap:g} must be finite and > 0")
        elif cap == 0:
            add(
                "capacity_t_per_yr",
                "0: a capacity must be > 0 (drop the edges to close)",
            )
        elif not _cell(row, "capacity_t_per_yr_source"):
            add("capacity_t_per_yr_source", "a capacity needs its source")
        need = {
            "rail_section": ("segment_ids",),
            "gauge_change": ("place_ids",),
            "terminal": ("place_ids",),
            "port": ("place_ids",),
            "ferry_service": ("service_ids",),
        }.get(kind, ())
        for col in need:
            if not _cell(row, col):
                add(col, f"a {kind} needs {col}")
        if kind == "border_crossing" and not (
            _cell(row, "segment_ids") or (_cell(row, "from_id") and _cell(row, "to_id"))
        ):
            add("segment_ids", "a border_crossing needs segment_ids or from_id and to_id")
        direction = _cell(row, "direction") or "both"
        if direction not in ("both", "each"):
            add("direction", f"{direction!r}: allowed both, each")
        batch = _cell(row, "batch_t")
        if batch:
            try:
                b = float(batch)
            except ValueError:
                b = math.nan
            if not (math.isfinite(b) and b > 0):
                add("batch_t", f"{batch!r} must be a number > 0")
    return problems


def _link_frame(graph: ExpandedGraph) -> pd.DataFrame:
    links = graph.network.links
    seg = links["segment_id"].fillna("").astype(str) if "segment_id" in links else ""
    svc = links["service_id"].fillna("").astype(str) if "service_id" in links else ""
    return pd.DataFrame(
        {
            "link_id": links["link_id"].astype(str).to_numpy(),
            "from_id": links["from_id"].astype(str).to_numpy(),
            "to_id": links["to_id"].astype(str).to_numpy(),
            "mode": links["mode"].astype(str).to_numpy(),
            "segment_id": seg,
            "service_id": svc,
        }
    )


class _Index:
    """Edges of one class graph by link row, kind and place, for element lookups."""

    def __init__(self, graph: ExpandedGraph) -> None:
        self.graph = graph
        self.links = _link_frame(graph)
        kind = graph.edge_kind.astype(np.int64)
        self.run_of_link: dict[int, list[int]] = {}
        self.border_of_link: dict[int, list[int]] = {}
        self.transfers_at: dict[int, list[int]] = {}
        for e, (k, ref) in enumerate(zip(kind.tolist(), graph.edge_ref.tolist(), strict=True)):
            if k == _RUN:
                self.run_of_link.setdefault(ref, []).append(e)
            elif k == _BORDER:
                self.border_of_link.setdefault(ref, []).append(e)
            else:
                self.transfers_at.setdefault(ref, []).append(e)
        self.mode_group = {m: graph.modes[m].border_group for m in graph.modes.names}

    def link_rows(self, mask: NDArray[np.bool_]) -> list[int]:
        return np.flatnonzero(mask).tolist()

    def mode_ok(self, e: int, modes: set[str]) -> bool:
        if not modes:
            return True
        g = self.graph
        return bool(
            {g.mode_name(int(g.edge_from_mode[e])), g.mode_name(int(g.edge_to_mode[e]))} & modes
        )


def _groups(
    row: Mapping[Any, Any], ix: _Index
) -> dict[str, tuple[list[int], str, tuple[str, ...]]]:
    """Sub-element key -> (edges of this class graph, label, places) for one table row."""
    g = ix.graph
    lk = ix.links
    kind = _cell(row, "kind")
    each = (_cell(row, "direction") or "both") == "each"
    modes = set(_split(_cell(row, "modes")))
    out: dict[str, tuple[list[int], str, tuple[str, ...]]] = {}

    def add(key: str, edges: list[int], label: str, places: tuple[str, ...]) -> None:
        edges = [e for e in edges if ix.mode_ok(e, modes)]
        if not edges:
            return
        old = out.get(key)
        out[key] = ((old[0] if old else []) + edges, label, places)

    if kind in ("rail_section", "border_crossing", "ferry_service"):
        segments = _split(_cell(row, "segment_ids"))
        services = _split(_cell(row, "service_ids"))
        group = _cell(row, "mode_group")
        if kind == "ferry_service":
            mask = lk["service_id"].isin(services).to_numpy(copy=True)
        elif segments:
            mask = lk["segment_id"].isin(segments).to_numpy(copy=True)
        else:
            a, b = _cell(row, "from_id"), _cell(row, "to_id")
            mask = (
                ((lk["from_id"] == a) & (lk["to_id"] == b))
                | ((lk["from_id"] == b) & (lk["to_id"] == a))
            ).to_numpy(copy=True)
        if group:
            mask = mask & lk["mode"].map(lambda m: ix.mode_group.get(m, "")).eq(group).to_numpy()
        for r in ix.link_rows(mask):
            rec = lk.iloc[r]
            if kind == "border_crossing":
                edges = ix.border_of_link.get(r) or ix.run_of_link.get(r, [])
            else:
                edges = ix.run_of_link.get(r, [])
            where = f"{rec['from_id']}>{rec['to_id']}"
            if kind == "rail_section":
                key = f"@{rec['segment_id']}" + (f"@{where}" if each else "")
                label = rec["segment_id"]
            else:
                key = f"@{where}" if each else ""
                label = where if each else ""
            add(key, list(edges), label, (str(rec["from_id"]), str(rec["to_id"])))
    else:
        places = _split(_cell(row, "place_ids"))
        for pid in places:
            prow = g.place_row.get(pid)
            if prow is None:
                continue
            edges = ix.transfers_at.get(prow, [])
            if kind == "gauge_change":
                edges = [e for e in edges if int(g.edge_kind[e]) == _GAUGE]
            elif kind == "port":
                edges = [e for e in edges if int(g.edge_kind[e]) == _PORT]
            add("", list(edges), "|".join(places), tuple(places))
    return out


def _edge_capacity_elements(
    graphs: Mapping[str, ExpandedGraph],
    covered_links: set[str],
    covered_services: set[str],
    covered_places: set[str],
) -> list[CapacityElement]:
    """Elements for capacities on single graph edges that no table row covers."""
    found: dict[str, tuple[float, str, str, dict[str, list[int]], tuple[str, ...]]] = {}
    for cargo, g in graphs.items():
        links = _link_frame(g)
        src_col = (
            g.network.links["capacity_t_per_yr_source"].fillna("").astype(str).tolist()
            if "capacity_t_per_yr_source" in g.network.links.columns
            else [""] * len(links)
        )
        capped = np.isfinite(g.capacity_t_per_yr) & (g.capacity_t_per_yr > 0)
        for e in np.flatnonzero(capped).tolist():
            k = int(g.edge_kind[e])
            ref = int(g.edge_ref[e])
            cap = float(g.capacity_t_per_yr[e])
            if k in (_RUN, _BORDER):
                rec = links.iloc[ref]
                lid, svc = str(rec["link_id"]), str(rec["service_id"])
                if lid in covered_links or (svc and svc in covered_services):
                    continue
                if k == _BORDER:
                    eid, label = f"edge:border:{lid}", f"border {rec['from_id']}>{rec['to_id']}"
                    src = "capacity_t_per_yr of the borders table (crossing row)"
                elif svc:
                    eid, label = (
                        f"edge:service:{svc}:{lid}",
                        f"{svc} {rec['from_id']}>{rec['to_id']}",
                    )
                    src = f"capacity_t_per_yr of ferry_services {svc}"
                else:
                    eid, label = f"edge:run:{lid}", f"{rec['from_id']}>{rec['to_id']}"
                    src = src_col[ref] or "capacity_t_per_yr of the links table"
                places: tuple[str, ...] = (str(rec["from_id"]), str(rec["to_id"]))
            else:
                pid = g.place_ids[ref]
                if pid in covered_places:
                    continue
                fm, tm = g.mode_name(int(g.edge_from_mode[e])), g.mode_name(int(g.edge_to_mode[e]))
                eid = f"edge:{EDGE_KINDS[k]}:{pid}:{fm}>{tm}"
                label = f"{EDGE_KINDS[k]} {pid} {fm}>{tm}"
                src = f"capacity_t_per_yr of the transfers table ({pid} {EDGE_KINDS[k]})"
                places = (pid,)
            have = found.get(eid)
            edges = have[3] if have else {}
            edges.setdefault(cargo, []).append(e)
            found[eid] = (cap, src, label, edges, places)
    kinds = {"run": "rail_section", "border": "border_crossing", "service": "ferry_service"}
    out = []
    for eid, (cap, src, label, edges, places) in sorted(found.items()):
        part = eid.split(":")[1]
        kind = kinds.get(part, "terminal" if part != "port" else "port")
        if part == "gauge_break":
            kind = "gauge_change"
        out.append(
            CapacityElement(
                element_id=eid,
                kind=kind,
                label=label,
                capacity_t_per_yr=cap,
                capacity_source=src,
                edges={c: tuple(v) for c, v in edges.items()},
                places=places,
            )
        )
    return out


def resolve_elements(
    table: pd.DataFrame | None,
    graphs: Mapping[str, ExpandedGraph],
    *,
    source: str = "capacities",
) -> tuple[list[CapacityElement], list[dict[str, str]]]:
    """Find each capacity element's edges in the expanded graph of every cargo class.

    Parameters
    ----------
    table : pandas.DataFrame or None
        The ``capacities`` parameter table (None: only single-edge capacities).
    graphs : mapping of str to ExpandedGraph
        The expanded graph of each cargo class assigned.
    source : str
        Name of the table, for errors.

    Returns
    -------
    elements : list of CapacityElement
        Elements with at least one edge.
    inactive : list of dict
        Table rows that matched no edge (``id``, ``kind``, ``reason``), e.g. a planned link.

    Raises
    ------
    NetworkValidationError
        The table has problems (:func:`check_capacity_table`); all are listed.

    """
    elements: list[CapacityElement] = []
    inactive: list[dict[str, str]] = []
    covered_links: set[str] = set()
    covered_services: set[str] = set()
    covered_places: set[str] = set()
    if table is not None and len(table):
        problems = check_capacity_table(table)
        if problems:
            raise NetworkValidationError(problems, source=source)
        indexes = {cargo: _Index(g) for cargo, g in graphs.items()}
        for row in table.to_dict("records"):
            rid = _cell(row, "id")
            wanted = set(_split(_cell(row, "cargo_classes")))
            per_key: dict[str, dict[str, list[int]]] = {}
            labels: dict[str, tuple[str, tuple[str, ...]]] = {}
            for cargo, ix in indexes.items():
                if wanted and cargo not in wanted:
                    continue
                for key, (edges, label, places) in _groups(row, ix).items():
                    per_key.setdefault(key, {}).setdefault(cargo, []).extend(edges)
                    labels.setdefault(key, (label, places))
            covered_links.update(
                lid
                for ix in indexes.values()
                for lid in ix.links["link_id"][
                    ix.links["segment_id"].isin(_split(_cell(row, "segment_ids"))).to_numpy()
                ]
            )
            for ix in indexes.values():
                kind = _cell(row, "kind")
                if kind == "border_crossing" and not _cell(row, "segment_ids"):
                    a, b = _cell(row, "from_id"), _cell(row, "to_id")
                    lk = ix.links
                    covered_links.update(
                        lk.loc[
                            ((lk["from_id"] == a) & (lk["to_id"] == b))
                            | ((lk["from_id"] == b) & (lk["to_id"] == a)),
                            "link_id",
                        ]
                    )
            covered_services.update(_split(_cell(row, "service_ids")))
            covered_places.update(
                _split(_cell(row, "place_ids"))
                + [p for p in (_cell(row, "from_id"), _cell(row, "to_id")) if p]
            )
            if not per_key:
                inactive.append(
                    {
                        "id": rid,
                        "kind": _cell(row, "kind"),
                        "reason": "no edge of the network matches (planned, absent, or not "
                        "used by the cargo classes assigned)",
                    }
                )
                continue
            batch = _cell(row, "batch_t")
            for key, per_cargo in per_key.items():
                label, places = labels[key]
                elements.append(
                    CapacityElement(
                        element_id=f"{rid}{key}",
                        kind=_cell(row, "kind"),
                        label=label or "|".join(dict.fromkeys(places)),
                        capacity_t_per_yr=float(_cell(row, "capacity_t_per_yr")),
                        capacity_source=_cell(row, "capacity_t_per_yr_source"),
                        batch_t=float(batch) if batch else math.nan,
                        status=_cell(row, "status"),
                        grade=_cell(row, "grade"),
                        published=_cell(row, "published"),
                        edges={c: tuple(sorted(set(v))) for c, v in per_cargo.items()},
                        places=places,
                    )
                )
    elements += _edge_capacity_elements(graphs, covered_links, covered_services, covered_places)
    return elements, inactive


def element_labels(elements: Sequence[CapacityElement]) -> list[str]:
    """Return ``"<id> (<label>)"`` for each element."""
    return [f"{e.element_id} ({e.label})" if e.label else e.element_id for e in elements]
