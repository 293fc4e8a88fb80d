"""Route search: the best multimodal routes between two places, with k diverse alternatives.

:func:`search_routes` finds the best route by Dijkstra on the expanded graph
(:mod:`corridor.graph`) under an additive objective of :data:`corridor.objectives.OBJECTIVES`,
then alternatives by the **penalty method**: the edges of each route found are made dearer
(x 1.6 per use) and the search repeats; a new route is kept only if it differs
*meaningfully* from every route kept so far: another set of border crossings or scheduled
(ferry, sea) links, or less than half of its running distance shared. Links are compared by
the places they join, so parallel links (the two gauges' tracks across Sarakhs) are one
crossing and one stretch of line. Routes that differ only by a transfer variant (same
places, another gauge-break or port) are thus never offered as alternatives. Alternatives
are ranked by their true objective, and those worse than ``max_ratio`` (1.5) times the best
are dropped; the routes' ``method`` says how many.

Road runs are timed under the drivers' hours rules of the network (:mod:`corridor.graph.
driving`): the search weighs each run by the rules' daily-cycle average of breaks and rests,
then each route found gets the exact schedule along its road stretches; its figures and its
rank are those of the exact schedule.

**Via places** are visited in order: the best route through them is found exactly, by
chaining searches between the mode layers of consecutive via places (a route may arrive at
a via place in one mode and leave in another, through that place's transfers).

Constraints (``avoid_countries``, ``avoid_places``, ``modes``, ``via``) are never dropped:
when no route satisfies them, :class:`~corridor.errors.NoRouteError` says which one blocks
(found by searching again without each of them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError, NoRouteError
from corridor.graph.build import EDGE_KINDS, ExpandedGraph, GraphCache, build_graph
from corridor.graph.costs import value_of_time
from corridor.network.lookup import find_place
from corridor.network.model import Network
from corridor.objectives import Objective, get_objective
from corridor.routing.request import SearchRequest
from corridor.routing.types import Leg, Route

__all__ = ["edge_weight", "search", "search_routes"]

_PENALTY = 1.6
_MAX_SHARED = 0.5
_RUN, _BORDER, _STAY = (EDGE_KINDS.index(k) for k in ("run", "border", "stay"))


def _country_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return str(found.name) if found is not None else code


def _check_countries(network: Network, countries: Iterable[str]) -> tuple[str, ...]:
    out = []
    known = set(network.places["country"]) - {""}
    for c in countries:
        code = str(c).strip().upper()
        if code not in known and _country_name(code) == code:
            raise InputError(
                f"avoid_countries: unknown country {c!r}: use ISO 3166-1 alpha-3 codes, "
                f"e.g. {', '.join(sorted(known))}",
                argument="avoid_countries",
                value=c,
                allowed=sorted(known),
            )
        out.append(code)
    return tuple(dict.fromkeys(out))


def _place(network: Network, query: str, argument: str) -> str:
    from corridor.errors import PlaceNotFoundError

    try:  # an exact place id first, then names and aliases
        return find_place(network, query)
    except PlaceNotFoundError as err:
        raise PlaceNotFoundError(err.query, err.suggestions, argument=argument) from None


def edge_weight(
    graph: ExpandedGraph,
    objective: Objective,
    *,
    value_of_time_usd_per_h: float = 0.0,
    carbon_price_usd_per_t: float = 0.0,
    crew: int = 1,
) -> NDArray[np.float64]:
    """Return each edge's weight under an additive objective (per unit of cargo).

    ``value_of_time_usd_per_h`` is per unit here. An edge's time includes the drivers'
    breaks and rests as the search estimates them for ``crew``
    (:meth:`~corridor.graph.ExpandedGraph.rest_estimate_h`). NaN marks an edge whose
    figure is unknown: a search skips it.

    Examples
    --------
    >>> from corridor.graph import build_graph
    >>> from corridor.objectives import OBJECTIVES
    >>> from corridor.testing import gauge_network
    >>> g = build_graph(gauge_network(), cargo="container")
    >>> bool(np.array_equal(edge_weight(g, OBJECTIVES["time"]), g.time_h))
    True

    """
    return objective.value(
        time_h=graph.time_h + graph.rest_estimate_h(crew),
        cost_usd=graph.cost_usd,
        co2e_kg=graph.co2e_kg,
        length_km=graph.length_km,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
    )


class _Query:
    """One search problem on an expanded graph: weights, constraint masks, ends."""

    def __init__(
        self,
        graph: ExpandedGraph,
        stops: tuple[int, ...],
        weight: NDArray[np.float64],
        avoid_countries: tuple[str, ...],
        avoid_places: tuple[int, ...],
        modes: tuple[str, ...] | None,
    ) -> None:
        self.graph = graph
        self.stops = stops  # origin, via ..., destination (place rows)
        self.weight = weight
        # An edge whose figure for this objective is unknown (NaN) is not searched.
        self.known = np.isfinite(weight)
        g = graph
        self.country_masks = {}
        for c in avoid_countries:
            if c in g.countries:
                code = g.countries.index(c)
                bad = (g.place_country[g.edge_from_place] == code) | (
                    g.place_country[g.edge_to_place] == code
                )
                self.country_masks[c] = ~bad
        places = np.asarray(avoid_places, dtype=np.int64)
        self.place_mask = ~(np.isin(g.edge_from_place, places) | np.isin(g.edge_to_place, places))
        self.mode_codes: NDArray[np.int8] | None = None
        self.mode_mask = np.ones(g.n_edges, dtype=bool)
        if modes is not None:
            codes = np.array([g.modes.code(m) for m in modes], dtype=np.int8)
            self.mode_codes = codes
            self.mode_mask = np.isin(g.edge_from_mode, codes) & np.isin(g.edge_to_mode, codes)

    def mask(
        self,
        *,
        countries: Iterable[str] | None = None,
        places: bool = True,
        modes: bool = True,
        known: bool = True,
    ) -> NDArray[np.bool_]:
        out = self.place_mask.copy() if places else np.ones(self.graph.n_edges, dtype=bool)
        if known:
            out &= self.known
        if modes:
            out &= self.mode_mask
        for c in self.country_masks if countries is None else countries:
            if c in self.country_masks:
                out &= self.country_masks[c]
        return out

    def _layers(self, place: int, modes: bool, *, start: bool) -> NDArray[np.int64]:
        """Departure nodes (where a route starts) or arrival nodes (where it ends) of a place."""
        g = self.graph
        nodes = g.departures(place) if start else g.arrivals(place)
        if modes and self.mode_codes is not None:
            nodes = nodes[np.isin(g.node_mode[nodes], self.mode_codes)]
        return nodes

    def shortest(
        self,
        weight: NDArray[np.float64],
        mask: NDArray[np.bool_],
        *,
        modes: bool = True,
        stops: Sequence[int] | None = None,
    ) -> list[int]:
        """Edges of the best path through the stops in order (empty when there is none).

        A route starts at a departure node of the first stop and reaches an arrival node of
        each later one; it carries on from that arrival node (in the same mode, or through
        one of the place's transfers). Between consecutive stops every arrival node of the
        later stop is reached from every node reached at the earlier one (a search per
        node), so the chain is exact, not greedy.
        """
        from corridor.graph._kernels import dijkstra_masked

        g = self.graph
        seq = list(self.stops if stops is None else stops)
        layers = [self._layers(p, modes, start=i == 0) for i, p in enumerate(seq)]
        if any(x.size == 0 for x in layers):
            return []
        # best[i][node] = (cost, path) to reach layer node of stop i
        best: dict[int, tuple[float, list[int]]] = {int(n): (0.0, []) for n in layers[0]}
        for i in range(1, len(seq)):
            nxt: dict[int, tuple[float, list[int]]] = {}
            targets = layers[i]
            if i == 1 and len(seq) == 2:
                # plain search: one multi-source run, costs start at 0
                src = np.asarray(list(best), dtype=np.int64)
                dist, pred = dijkstra_masked(g.indptr, g.head, weight, mask, src, targets)
                end = int(targets[np.argmin(dist[targets])])
                if not np.isfinite(dist[end]):
                    return []
                return _trace(g, pred, end)
            for start, (c0, p0) in best.items():
                dist, pred = dijkstra_masked(
                    g.indptr, g.head, weight, mask, np.asarray([start]), None
                )
                for t in targets.tolist():
                    if np.isfinite(dist[t]) and (t not in nxt or c0 + dist[t] < nxt[t][0]):
                        nxt[t] = (c0 + float(dist[t]), p0 + _trace(g, pred, t))
            if not nxt:
                return []
            best = nxt
        return min(best.values(), key=lambda cp: cp[0])[1]


def _trace(graph: ExpandedGraph, pred: NDArray[np.int64], end: int) -> list[int]:
    path = []
    e = int(pred[end])
    while e >= 0:
        path.append(e)
        e = int(pred[int(graph.tail[e])])
    path.reverse()
    return path


def _groups(graph: ExpandedGraph, edges: NDArray[np.int64]) -> list[str]:
    """Border group (rail, road, sea) of each edge's mode: parallel gauges are one group."""
    names = graph.modes.names
    return [graph.modes.border_group(names[m]) for m in graph.edge_from_mode[edges].tolist()]


def _signature(graph: ExpandedGraph, path: Sequence[int]) -> frozenset[tuple[object, ...]]:
    """Return the path's border crossings and scheduled runs, by the places they join.

    Parallel links between the same two places in one mode group (a track of each gauge
    across a border, say) are one crossing here.
    """
    e = np.asarray(path, dtype=np.int64)
    kind = graph.edge_kind[e]
    scheduled = np.isin(graph.edge_from_mode[e], graph.modes.codes_where("scheduled"))
    keep = e[(kind == _BORDER) | ((kind == _RUN) & scheduled)]
    return frozenset(
        zip(
            graph.edge_kind[keep].tolist(),
            graph.edge_from_place[keep].tolist(),
            graph.edge_to_place[keep].tolist(),
            _groups(graph, keep),
            strict=True,
        )
    )


def _run_km(graph: ExpandedGraph, path: Sequence[int]) -> dict[tuple[int, int, str], float]:
    """Return the running km of the path by the places each run joins and its mode group."""
    e = np.asarray(path, dtype=np.int64)
    runs = e[graph.edge_kind[e] == _RUN]
    keys = zip(
        graph.edge_from_place[runs].tolist(),
        graph.edge_to_place[runs].tolist(),
        _groups(graph, runs),
        strict=True,
    )
    out: dict[tuple[int, int, str], float] = {}
    for key, km in zip(keys, graph.length_km[runs].tolist(), strict=True):
        out[key] = max(out.get(key, 0.0), km)
    return out


def _distinct(graph: ExpandedGraph, path: list[int], kept: list[list[int]]) -> bool:
    sig = _signature(graph, path)
    km = _run_km(graph, path)
    for other in kept:
        other_km = _run_km(graph, other)
        if set(km) == set(other_km):
            return False
        if sig != _signature(graph, other):
            continue
        shared = sum(v for k, v in km.items() if k in other_km)
        longest = max(sum(km.values()), sum(other_km.values()), 1e-9)
        if shared / longest > _MAX_SHARED:
            return False
    return True


def legs_of_path(
    graph: ExpandedGraph, path: Sequence[int], units: float, *, crew: int = 1
) -> tuple[Leg, ...]:
    """Return the legs of a path of edges (money and CO2e for ``units`` of cargo).

    A ``stay`` edge (carrying on in one mode through a place) is no leg. Road runs carry
    the drivers' breaks and rests of the exact schedule for ``crew`` in ``rest_h`` (and in
    ``time_h``).
    """
    legs = []
    rests = graph.path_rests(list(path), crew)
    for e, rest in zip(path, rests.tolist(), strict=True):
        if int(graph.edge_kind[e]) == _STAY:
            continue
        kind = EDGE_KINDS[int(graph.edge_kind[e])]
        a = graph.place_ids[int(graph.edge_from_place[e])]
        b = graph.place_ids[int(graph.edge_to_place[e])]
        ma = graph.mode_name(int(graph.edge_from_mode[e]))
        mb = graph.mode_name(int(graph.edge_to_mode[e]))
        ref = int(graph.edge_ref[e])
        on_link = kind in ("run", "border")
        legs.append(
            Leg(
                kind=kind,
                mode=ma if on_link else f"{ma}>{mb}",
                from_id=a,
                to_id=b,
                length_km=float(graph.length_km[e]),
                time_h=float(graph.time_h[e]) + rest,
                cost_usd=float(graph.cost_usd[e]) * units,
                co2e_kg=float(graph.co2e_kg[e]) * units,
                link_id=graph.link_ids[ref] if on_link else "",
                place_id="" if on_link else a,
                wait_h=float(graph.wait_h[e]),
                service_id=graph.service_ids[ref] if kind == "run" else "",
                from_mode=ma,
                to_mode=mb,
                rest_h=rest,
            )
        )
    return tuple(legs)


def make_route(
    graph: ExpandedGraph,
    path: Sequence[int],
    *,
    rank: int,
    objective: Objective,
    units: float,
    value_of_time_usd_per_h: float,
    carbon_price_usd_per_t: float,
    method: str,
    crew: int = 1,
) -> Route:
    """Turn a path of edges into a :class:`Route` with its totals and facts.

    ``value_of_time_usd_per_h`` is for the whole consignment here; the generalized cost is
    reported with it whatever the objective.
    """
    legs = legs_of_path(graph, path, units, crew=crew)
    time_h = float(sum(leg.time_h for leg in legs))
    cost_usd = float(sum(leg.cost_usd for leg in legs))
    co2e_kg = float(sum(leg.co2e_kg for leg in legs))
    length_km = float(sum(leg.length_km for leg in legs))
    generalized = (
        cost_usd + value_of_time_usd_per_h * time_h + (carbon_price_usd_per_t * co2e_kg / 1000.0)
    )
    value = objective.value(
        time_h=time_h,
        cost_usd=cost_usd,
        co2e_kg=co2e_kg,
        length_km=length_km,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
    )
    country = {
        pid: graph.countries[int(graph.place_country[graph.place_row[pid]])]
        for leg in legs
        for pid in (leg.from_id, leg.to_id)
    }
    visited: list[str] = []
    for leg in legs:
        if leg.kind == "border":
            continue
        for pid in (leg.from_id, leg.to_id):
            c = country.get(pid, "")
            if c and (not visited or visited[-1] != c):
                visited.append(c)
    unknown = tuple(
        f"{name} of {leg.kind} {leg.from_id}>{leg.to_id}"
        for leg in legs
        for name in ("time_h", "cost_usd", "co2e_kg")
        if not np.isfinite(getattr(leg, name))
    )
    assert graph.cargo is not None
    return Route(
        rank=rank,
        legs=legs,
        objective=objective.name,
        cargo=graph.cargo.cargo,
        units=units,
        objective_value=float(value),
        generalized_cost_usd=generalized,
        value_of_time_usd_per_h=value_of_time_usd_per_h,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
        countries=tuple(visited),
        border_countries=tuple(
            f"{country[leg.from_id]}>{country[leg.to_id]}" for leg in legs if leg.kind == "border"
        ),
        unknown=unknown,
        method=method,
        crew=crew,
    )


def _diagnose(
    query: _Query,
    names: tuple[str, str],
    request: SearchRequest,
    countries: tuple[str, ...],
    avoid_ids: tuple[str, ...],
    network: Network,
    cache: GraphCache | None,
) -> NoRouteError:
    """Find which constraint blocks every route and say so."""
    w = query.weight
    modes = request.modes
    head = f"no route from {names[0]} to {names[1]}"
    asked = []
    if request.via:
        asked.append("via " + ", ".join(request.via))
    if countries:
        asked.append("avoiding " + ", ".join(countries))
    if avoid_ids:
        asked.append("avoiding place(s) " + ", ".join(avoid_ids))
    if modes is not None:
        asked.append("by " + ", ".join(modes) + " only")
    head += (" " + " and ".join(asked)) if asked else ""
    reasons: list[str] = []
    blocking: list[str] = []
    if countries and query.shortest(w, query.mask(countries=())):
        crossed = [
            c
            for c in countries
            if query.shortest(w, query.mask(countries=[x for x in countries if x != c]))
        ]
        if crossed:
            who = " or ".join(_country_name(c) for c in crossed)
            reasons.append(
                f"every route crosses {who}; without avoid_countries={tuple(countries)!r} "
                "there is a route"
            )
            blocking.append("avoid_countries")
    if avoid_ids and query.shortest(w, query.mask(places=False)):
        reasons.append(
            f"every route passes one of the avoided places; without "
            f"avoid_places={tuple(avoid_ids)!r} there is a route"
        )
        blocking.append("avoid_places")
    if modes is not None and query.shortest(w, query.mask(modes=False), modes=False):
        reasons.append(
            f"every route needs another mode; without modes={tuple(modes)!r} there is a route"
        )
        blocking.append("modes")
    if reasons:
        return NoRouteError(f"{head}: " + "; ".join(reasons), ",".join(blocking))
    free_mask = query.mask(countries=(), places=False, modes=False)
    if request.via:
        ends = (query.stops[0], query.stops[-1])
        if query.shortest(w, free_mask, modes=False, stops=ends):
            unreachable = [
                query.graph.place_ids[p]
                for p in query.stops[1:-1]
                if not query.shortest(w, free_mask, modes=False, stops=(query.stops[0], p))
                or not query.shortest(w, free_mask, modes=False, stops=(p, query.stops[-1]))
            ]
            which = ", ".join(unreachable) if unreachable else ", ".join(request.via)
            return NoRouteError(
                f"{head}: no route passes {which} in that order; without via there is a route",
                "via",
            )
    if not query.known.all():
        reach = np.where(query.known, w, 0.0)
        path = query.shortest(reach, query.mask(known=False))
        if path:
            g = query.graph
            gaps = sorted(
                {
                    f"{EDGE_KINDS[int(g.edge_kind[e])]} "
                    f"{g.place_ids[int(g.edge_from_place[e])]}>{g.place_ids[int(g.edge_to_place[e])]}"
                    for e in path
                    if not query.known[e]
                }
            )
            return NoRouteError(
                f"{head}: every route uses a leg whose figure for this objective is unknown in "
                f"the parameter tables ({', '.join(gaps[:4])}); rank by another objective, or "
                "add the missing figures",
                "objective",
            )
    if query.shortest(w, free_mask, modes=False):
        return NoRouteError(
            f"{head}: the constraints together block every route; each alone does not",
            ",".join(
                n
                for n, v in (
                    ("avoid_countries", countries),
                    ("avoid_places", avoid_ids),
                    ("modes", modes),
                    ("via", request.via),
                )
                if v
            ),
        )
    if not request.include_planned:
        assert query.graph.cargo is not None
        cargo = query.graph.cargo.cargo
        g2 = (
            cache.get(network, cargo=cargo, include_planned=True)
            if cache is not None
            else build_graph(network, cargo=cargo, include_planned=True)
        )
        ends2 = [g2.place_row.get(query.graph.place_ids[p]) for p in query.stops]
        if all(e is not None for e in ends2):
            stops2 = tuple(int(e) for e in ends2 if e is not None)
            q2 = _Query(g2, stops2, g2.time_h, (), (), None)
            if q2.shortest(g2.time_h, np.isfinite(g2.time_h)):
                return NoRouteError(
                    f"{head}: only planned links connect them; with include_planned=True "
                    "there is a route",
                    "include_planned",
                )
    assert query.graph.cargo is not None
    return NoRouteError(
        f"{head}: the places are not connected for cargo {query.graph.cargo.cargo!r}"
    )


def _name(network: Network, pid: str) -> str:
    rows = network.places.loc[network.places["place_id"] == pid, "name"]
    return str(rows.iloc[0]) if len(rows) and rows.iloc[0] else pid


@dataclass(frozen=True, eq=False)
class _Resolved:
    """A request checked against the network: the graph and the rows of its places."""

    graph: ExpandedGraph
    origin_id: str
    destination_id: str
    via_ids: tuple[str, ...]
    countries: tuple[str, ...]
    avoid_ids: tuple[str, ...]

    @property
    def stops(self) -> tuple[int, ...]:
        """Graph rows of the origin, the via places in order and the destination."""
        ids = (self.origin_id, *self.via_ids, self.destination_id)
        return tuple(self.graph.place_row[p] for p in ids)

    @property
    def avoid_rows(self) -> tuple[int, ...]:
        """Graph rows of the avoided places (those in the graph)."""
        return tuple(self.graph.place_row[p] for p in self.avoid_ids if p in self.graph.place_row)


def _resolve(network: Network, request: SearchRequest, cache: GraphCache | None) -> _Resolved:
    """Check a request against the network (places, countries, modes) and get its graph.

    Shared by :func:`search` and the Pareto search (:mod:`corridor.routing.pareto`).
    """
    from corridor.network.model import Network as _Network

    if not isinstance(network, _Network):
        raise InputError(
            f"network must be a corridor Network, got {type(network).__name__}",
            argument="network",
            value=type(network).__name__,
        )
    modes_reg = network.modes
    if request.modes is not None:
        for m in request.modes:
            if m not in modes_reg:
                raise modes_reg.unknown(m, argument="modes")
    o_id = _place(network, request.origin, "origin")
    d_id = _place(network, request.destination, "destination")
    via_ids = tuple(_place(network, v, "via") for v in request.via)
    if o_id == d_id:
        raise InputError(
            f"origin and destination are the same place ({o_id}): nothing to route",
            argument="destination",
            value=request.destination,
        )
    countries = _check_countries(network, request.avoid_countries)
    avoid_ids = tuple(
        dict.fromkeys(_place(network, p, "avoid_places") for p in request.avoid_places)
    )
    places = network.places
    ends = {o_id, d_id, *via_ids}
    near = places[places["place_id"].isin(ends)]
    place_country = dict(zip(near["place_id"].tolist(), near["country"].tolist(), strict=True))
    for role, pid in (("origin", o_id), ("destination", d_id), *(("via", v) for v in via_ids)):
        if pid in avoid_ids:
            raise InputError(
                f"{role} {pid} is in avoid_places: contradictory options",
                argument="avoid_places",
                value=pid,
            )
        if place_country.get(pid, "") in countries:
            raise InputError(
                f"{role} {pid} is in {place_country[pid]}, which avoid_countries excludes: "
                "contradictory options",
                argument="avoid_countries",
                value=place_country[pid],
            )
    graph = (
        cache.get(network, cargo=request.cargo, include_planned=request.include_planned)
        if cache is not None
        else build_graph(network, cargo=request.cargo, include_planned=request.include_planned)
    )
    assert graph.cargo is not None
    for role, pid in (("origin", o_id), ("destination", d_id), *(("via", v) for v in via_ids)):
        if pid not in graph.place_row:
            raise NoRouteError(
                f"{role} {pid} is planned: pass include_planned=True to route through planned "
                "places",
                "include_planned",
            )
    o, d = graph.place_row[o_id], graph.place_row[d_id]
    if request.modes is not None:
        for role, row in (("origin", o), ("destination", d)):
            have = sorted({graph.mode_name(int(m)) for m in graph.node_mode[graph.layers(row)]})
            if have and not set(have) & set(request.modes):
                raise InputError(
                    f"modes={request.modes!r} but {role} {graph.place_ids[row]} has only "
                    f"{', '.join(have)} links: contradictory options",
                    argument="modes",
                    value=list(request.modes),
                    allowed=have,
                )
    return _Resolved(graph, o_id, d_id, via_ids, countries, avoid_ids)


def search(
    network: Network, request: SearchRequest, *, cache: GraphCache | None = None
) -> list[Route]:
    """Find the best routes for a checked :class:`SearchRequest`.

    See :func:`search_routes` for the options and what is returned and raised.
    """
    objective = get_objective(request.objective, additive_only=True)
    r = _resolve(network, request, cache)
    graph, o_id, d_id, via_ids = r.graph, r.origin_id, r.destination_id, r.via_ids
    countries, avoid_ids, (o, d) = r.countries, r.avoid_ids, (r.stops[0], r.stops[-1])
    assert graph.cargo is not None
    units = request.units
    crew = request.crew
    if graph.rule_keys and crew not in graph.crews:
        graph.rest_estimate_h(crew)  # raises the InputError naming the crews allowed
    vot_total = request.value_of_time_usd_per_h
    if vot_total is None:
        per_unit = graph.value_of_time_usd_per_h  # NaN: the table gives none
        if not np.isfinite(per_unit) and objective.uses_value_of_time:
            value_of_time(network, graph.cargo)  # raises the error naming the missing figure
        vot_total = per_unit * units  # NaN is reported as an unknown generalized cost
    weight = edge_weight(
        graph,
        objective,
        value_of_time_usd_per_h=vot_total / units if objective.uses_value_of_time else 0.0,
        carbon_price_usd_per_t=request.carbon_price_usd_per_t,
        crew=crew,
    )
    avoid_rows = tuple(graph.place_row[p] for p in avoid_ids if p in graph.place_row)
    stops = (o, *(graph.place_row[v] for v in via_ids), d)
    query = _Query(graph, stops, weight, countries, avoid_rows, request.modes)
    mask = query.mask()
    best = query.shortest(weight, mask)
    if not best:
        names = (_name(network, o_id), _name(network, d_id))
        raise _diagnose(query, names, request, countries, avoid_ids, network, cache)
    kept = [best]
    penalised = weight.copy()
    for _ in range(3 * request.k):
        if len(kept) >= request.k:
            break
        last = np.asarray(kept[-1], dtype=np.int64)
        penalised[last] *= _PENALTY
        path = query.shortest(penalised, mask)
        if not path:
            break
        if _distinct(graph, path, kept):
            kept.append(path)
        else:
            penalised[np.asarray(path, dtype=np.int64)] *= _PENALTY
    method = "dijkstra + penalty alternatives" + (" via " + ", ".join(via_ids) if via_ids else "")
    routes = [
        make_route(
            graph,
            p,
            rank=0,
            objective=objective,
            units=units,
            value_of_time_usd_per_h=vot_total,
            carbon_price_usd_per_t=request.carbon_price_usd_per_t,
            method=method,
            crew=crew,
        )
        for p in kept
    ]
    order = sorted(range(len(routes)), key=lambda i: (_value(routes[i]), i))
    routes = [routes[i] for i in order]
    best_value = _value(routes[0])
    ratio = request.max_ratio
    if ratio is not None and np.isfinite(best_value) and len(routes) > 1:
        keep = [r for r in routes if _value(r) <= ratio * best_value * (1 + 1e-12)]
        dropped = len(routes) - len(keep)
        if dropped:
            note = (
                f"; {dropped} alternative{'s' if dropped > 1 else ''} worse than "
                f"{ratio:g} x the best {objective.name} dropped"
            )
            routes = [replace(r, method=r.method + note) for r in keep]
    return [replace(r, rank=i + 1) for i, r in enumerate(routes)]


def _value(route: Route) -> float:
    """Return a route's objective value for ranking (unknown values last)."""
    v = route.objective_value
    return v if np.isfinite(v) else float("inf")


def search_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    cache: GraphCache | None = None,
    **options: Any,
) -> list[Route]:
    """Find the best routes for ``units`` of ``cargo`` from ``origin`` to ``destination``.

    Parameters
    ----------
    network : Network
        The network with its parameter tables (``docs/data-model.md``).
    origin, destination : str
        Place ids, names or aliases.
    cache : GraphCache, optional
        Reuse expanded graphs across calls.
    **options
        The fields of :class:`~corridor.routing.request.SearchRequest`: ``objective``
        (an additive objective: ``time``, ``cost``, ``co2e``, ``length``, ``generalized``),
        ``cargo`` (``container`` = 40 ft box, ``teu``, ``bulk`` ...), ``units``, ``k``,
        ``avoid_countries``, ``avoid_places``, ``modes``, ``via``, ``include_planned``,
        ``value_of_time_usd_per_h`` (whole consignment; default the network's table times
        ``units``), ``carbon_price_usd_per_t``, ``crew`` (drivers per truck, 1 or 2),
        ``max_ratio`` (drop alternatives worse than this factor times the best; default
        1.5, ``None`` keeps all).

    Returns
    -------
    list of Route
        Best first, ranked 1, 2 ...; each with ``objective_value``,
        ``generalized_cost_usd``, ``countries`` and ``border_countries``.

    Raises
    ------
    InputError
        An option of the wrong type or range, an unknown objective, cargo, mode or country;
        origin equal to destination; contradictory options.
    PlaceNotFoundError
        Origin, destination, a via or an avoided place is unknown.
    NoRouteError
        No route satisfies the constraints; the message names the one that blocks.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> best = search_routes(gauge_network(), "A", "B", cargo="container", units=2)[0]
    >>> [leg.kind for leg in best.legs], best.time_h, best.cost_usd
    (['run', 'gauge_break', 'run'], 13.0, 860.0)

    """
    request = SearchRequest.from_options(origin, destination, **options)
    return search(network, request, cache=cache)
