"""Route search: the best multimodal routes between two places, with k diverse alternatives.

:func:`route` finds the best route by Dijkstra on the expanded graph
(:mod:`corridor.graph.build`) and then alternatives by the **penalty method**: the
edges of each route found are made dearer (x 1.6 per use) and the search repeats; a new
route is kept only if it differs *meaningfully* from every route kept so far: another set of
border crossings or ferry/sea links, or less than half of its running distance shared.
Routes that differ only by a transfer variant (same links, another gauge-break or port)
are thus never offered as alternatives. Alternatives are ranked by their true objective.

Constraints (``avoid_countries``, ``avoid_places``, ``modes``) are never dropped: when no
route satisfies them, :class:`~corridor.errors.NoRouteError` says which one blocks (found
by searching again without each of them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from corridor.errors import InputError, NoRouteError, PlaceNotFoundError
from corridor.graph.build import EDGE_KINDS, ExpandedGraph, GraphCache, build_graph
from corridor.network.model import MODES, Network
from corridor.routing.types import Leg, Route

__all__ = ["OBJECTIVES", "RELIABILITY_OBJECTIVES", "route"]

#: What a search can minimise.
OBJECTIVES: tuple[str, ...] = ("time", "cost", "co2e", "generalized")

#: Objectives ranked by simulated transit time (:mod:`corridor.reliability`); they need a
#: departure time.
RELIABILITY_OBJECTIVES: tuple[str, ...] = ("p50_time", "p90_time", "p95_time", "mean_time")

_PENALTY = 1.6
_MAX_SHARED = 0.5
_RUN, _BORDER = EDGE_KINDS.index("run"), EDGE_KINDS.index("border")
_WATER_CODES = (MODES.index("ferry"), MODES.index("sea"))


def _place_id(found: Any) -> str:
    """Turn what a place lookup returns (an id, a record, a row) into a place id."""
    if isinstance(found, str):
        return found
    if hasattr(found, "place_id"):
        return str(found.place_id)
    return str(found["place_id"])


def _resolve_place(network: Network, query: str) -> str:
    """Return the id of the place ``query`` names: exact id, else name or alias, any case.

    Raises
    ------
    PlaceNotFoundError
        Nothing matches; close matches are suggested.

    """
    places = network.places
    ids = places["place_id"].tolist()
    if query in ids:
        return query
    q = query.strip().casefold()
    for pid, name in zip(ids, places["name"].tolist(), strict=True):
        if q in (str(pid).casefold(), str(name).casefold()):
            return str(pid)
    if "aliases" in places.columns:
        for pid, aliases in zip(ids, places["aliases"].fillna("").tolist(), strict=True):
            if q in {a.strip().casefold() for a in str(aliases).split("|") if a.strip()}:
                return str(pid)
    from rapidfuzz import process

    names = [str(n) for n in places["name"]]
    hits = process.extract(query, names, limit=3, score_cutoff=60)
    raise PlaceNotFoundError(query, [(names[i], str(ids[i])) for _, _, i in hits])


def _find_place(network: Network, query: str) -> str:
    """Resolve a place with :func:`corridor.network.lookup.find_place` when it exists."""
    if (network.places["place_id"] == query).any():
        return query
    try:
        from corridor.network.lookup import find_place  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return _resolve_place(network, query)
    return _place_id(find_place(network, query))


def _country_name(code: str) -> str:
    try:
        import pycountry

        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError):  # pragma: no cover - pycountry is a dependency
        found = None
    return str(found.name) if found is not None else code


def _check_countries(network: Network, countries: Iterable[str]) -> tuple[str, ...]:
    out = []
    known = set(network.places["country"]) - {""}
    for c in countries:
        code = str(c).strip().upper()
        if code not in known and _country_name(code) == code:
            raise InputError(
                f"avoid_countries: unknown country {c!r}: use ISO 3166-1 alpha-3 codes, "
                f"e.g. {', '.join(sorted(known))}"
            )
        out.append(code)
    return tuple(dict.fromkeys(out))


class _Query:
    """One search problem on an expanded graph: weights, constraint masks, ends."""

    def __init__(
        self,
        graph: ExpandedGraph,
        origin: int,
        destination: int,
        weight: np.ndarray,
        avoid_countries: tuple[str, ...],
        avoid_places: tuple[int, ...],
        modes: tuple[str, ...] | None,
    ) -> None:
        self.graph = graph
        self.origin = origin
        self.destination = destination
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
        self.mode_codes: np.ndarray | None = None
        self.mode_mask = np.ones(g.n_edges, dtype=bool)
        if modes is not None:
            codes = np.array([MODES.index(m) for m in modes], dtype=np.int8)
            self.mode_codes = codes
            self.mode_mask = np.isin(g.edge_from_mode, codes) & np.isin(g.edge_to_mode, codes)

    def mask(
        self,
        *,
        countries: Iterable[str] | None = None,
        places: bool = True,
        modes: bool = True,
        known: bool = True,
    ) -> np.ndarray:
        out = self.place_mask.copy() if places else np.ones(self.graph.n_edges, dtype=bool)
        if known:
            out &= self.known
        if modes:
            out &= self.mode_mask
        for c in self.country_masks if countries is None else countries:
            if c in self.country_masks:
                out &= self.country_masks[c]
        return out

    def ends(self, *, modes: bool = True) -> tuple[np.ndarray, np.ndarray]:
        src = self.graph.layers(self.origin)
        dst = self.graph.layers(self.destination)
        if modes and self.mode_codes is not None:
            src = src[np.isin(self.graph.node_mode[src], self.mode_codes)]
            dst = dst[np.isin(self.graph.node_mode[dst], self.mode_codes)]
        return src, dst

    def shortest(self, weight: np.ndarray, mask: np.ndarray, *, modes: bool = True) -> list[int]:
        """Edges of the best path (empty list when there is none)."""
        from corridor.graph._kernels import dijkstra_masked

        src, dst = self.ends(modes=modes)
        if src.size == 0 or dst.size == 0:
            return []
        dist, pred = dijkstra_masked(self.graph.indptr, self.graph.head, weight, mask, src, dst)
        best = int(dst[np.argmin(dist[dst])])
        if not np.isfinite(dist[best]):
            return []
        path = []
        e = int(pred[best])
        while e >= 0:
            path.append(e)
            e = int(pred[int(self.graph.tail[e])])
        path.reverse()
        return path


def _signature(graph: ExpandedGraph, path: Sequence[int]) -> frozenset[int]:
    """Network links of the path's border crossings and ferry/sea runs."""
    e = np.asarray(path, dtype=np.int64)
    kind = graph.edge_kind[e]
    water = np.isin(graph.edge_from_mode[e], _WATER_CODES)
    keep = (kind == _BORDER) | ((kind == _RUN) & water)
    return frozenset(graph.edge_ref[e[keep]].tolist())


def _run_km(graph: ExpandedGraph, path: Sequence[int]) -> dict[int, float]:
    e = np.asarray(path, dtype=np.int64)
    runs = e[graph.edge_kind[e] == _RUN]
    return dict(zip(graph.edge_ref[runs].tolist(), graph.length_km[runs].tolist(), strict=True))


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


def _legs(graph: ExpandedGraph, path: Sequence[int], units: float) -> tuple[Leg, ...]:
    legs = []
    for e in path:
        kind = EDGE_KINDS[int(graph.edge_kind[e])]
        a = graph.place_ids[int(graph.edge_from_place[e])]
        b = graph.place_ids[int(graph.edge_to_place[e])]
        ma, mb = MODES[int(graph.edge_from_mode[e])], MODES[int(graph.edge_to_mode[e])]
        ref = int(graph.edge_ref[e])
        on_link = kind in ("run", "border")
        legs.append(
            Leg(
                kind=kind,
                mode=ma if on_link else f"{ma}>{mb}",
                from_id=a,
                to_id=b,
                length_km=float(graph.length_km[e]),
                time_h=float(graph.time_h[e]),
                cost_usd=float(graph.cost_usd[e]) * units,
                co2e_kg=float(graph.co2e_kg[e]) * units,
                link_id=graph.link_ids[ref] if on_link else "",
                place_id="" if on_link else a,
                wait_h=float(graph.wait_h[e]),
                service_id=graph.service_ids[ref] if kind == "run" else "",
            )
        )
    return tuple(legs)


def _diagnose(
    query: _Query,
    names: tuple[str, str],
    avoid_countries: tuple[str, ...],
    avoid_places: tuple[str, ...],
    modes: tuple[str, ...] | None,
    include_planned: bool,
    network: Network,
    cargo: str,
) -> NoRouteError:
    """Find which constraint blocks every route and say so."""
    w = query.weight
    head = f"no route from {names[0]} to {names[1]}"
    asked = []
    if avoid_countries:
        asked.append("avoiding " + ", ".join(avoid_countries))
    if avoid_places:
        asked.append("avoiding place(s) " + ", ".join(avoid_places))
    if modes is not None:
        asked.append("by " + ", ".join(modes) + " only")
    head += (" " + " and ".join(asked)) if asked else ""
    reasons: list[str] = []
    blocking: list[str] = []
    if avoid_countries and query.shortest(w, query.mask(countries=())):
        crossed = [
            c
            for c in avoid_countries
            if query.shortest(w, query.mask(countries=[x for x in avoid_countries if x != c]))
        ]
        if crossed:
            who = " or ".join(_country_name(c) for c in crossed)
            reasons.append(
                f"every route crosses {who}; without "
                f"avoid_countries={tuple(avoid_countries)!r} there is a route"
            )
            blocking.append("avoid_countries")
    if avoid_places and query.shortest(w, query.mask(places=False)):
        reasons.append(
            f"every route passes one of the avoided places; without "
            f"avoid_places={tuple(avoid_places)!r} there is a route"
        )
        blocking.append("avoid_places")
    if modes is not None and query.shortest(w, query.mask(modes=False), modes=False):
        reasons.append(
            f"every route needs another mode; without modes={tuple(modes)!r} there is a route"
        )
        blocking.append("modes")
    if reasons:
        return NoRouteError(f"{head}: " + "; ".join(reasons), ",".join(blocking))
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
    free = query.shortest(w, query.mask(countries=(), places=False, modes=False), modes=False)
    if free:
        return NoRouteError(
            f"{head}: the constraints together block every route; each alone does not",
            ",".join(
                n
                for n, v in (
                    ("avoid_countries", avoid_countries),
                    ("avoid_places", avoid_places),
                    ("modes", modes),
                )
                if v
            ),
        )
    if not include_planned:
        g2 = build_graph(network, cargo=cargo, include_planned=True)
        o = g2.place_row.get(query.graph.place_ids[query.origin])
        d = g2.place_row.get(query.graph.place_ids[query.destination])
        if o is not None and d is not None:
            q2 = _Query(g2, o, d, g2.time_h, (), (), None)
            if q2.shortest(g2.time_h, np.ones(g2.n_edges, dtype=bool)):
                return NoRouteError(
                    f"{head}: only planned links connect them; with include_planned=True "
                    "there is a route",
                    "include_planned",
                )
    return NoRouteError(f"{head}: the places are not connected for cargo {cargo!r}")


def route(
    network: Network,
    origin: str,
    destination: str,
    *,
    objective: str = "time",
    cargo: str = "container_40ft",
    units: float = 1,
    k: int = 3,
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    include_planned: bool = False,
    value_of_time_usd_per_h: float | None = None,
    carbon_price_usd_per_t: float = 0.0,
    cache: GraphCache | None = None,
    depart: datetime | None = None,
    samples: int = 10_000,
    seed: int | None = None,
) -> list[Route]:
    """Find the best routes for ``units`` of ``cargo`` from ``origin`` to ``destination``.

    Parameters
    ----------
    network : Network
        The network with its parameter tables (``docs/data-model.md``).
    origin, destination : str
        Place ids, names or aliases.
    objective : {"time", "cost", "co2e", "generalized", "p50_time", "p90_time", "p95_time", \
"mean_time"}, default "time"
        What to minimise; ``generalized`` is ``cost_usd + value_of_time_usd_per_h * time_h
        + carbon_price_usd_per_t * co2e_t``. The percentile objectives take candidate routes
        by expected time (twice ``k`` of them), simulate each from ``depart`` with
        :func:`corridor.reliability.simulate_route` (same seed for all) and rank by that
        percentile of the transit time; the figures are in ``route.extra["reliability"]``.
    cargo : str, default "container_40ft"
        Cargo class, or an alias: ``container`` and ``feu`` (40 ft box), ``teu`` (20 ft).
    units : float, default 1
        Units of the cargo class (boxes, tonnes, trucks); money and CO2e scale with it.
    k : int, default 3
        At most this many alternatives (penalty method, see the module docstring).
    avoid_countries : iterable of str
        ISO 3166-1 alpha-3 codes no route may touch.
    avoid_places : iterable of str
        Places (ids or names) no route may touch.
    modes : iterable of str, optional
        Allowed modes (of :data:`~corridor.network.model.MODES`); all when omitted.
    include_planned : bool, default False
        Use planned places and links too.
    value_of_time_usd_per_h : float, optional
        For the whole consignment; default: the ``value_of_time`` table's figure per unit
        times ``units``.
    carbon_price_usd_per_t : float, default 0
        Price of a tonne of CO2e in the generalized cost.
    cache : GraphCache, optional
        Reuse expanded graphs across calls.
    depart : datetime, optional
        Departure time; needed by the percentile objectives.
    samples : int, default 10000
        Monte Carlo draws per route for the percentile objectives.
    seed : int, optional
        Seed of the draws (same seed, same ranking).

    Returns
    -------
    list of Route
        Best first, ranked 1, 2 ...; ``extra`` holds ``objective_value``,
        ``generalized_cost_usd``, ``value_of_time_usd_per_h``, ``carbon_price_usd_per_t``,
        ``countries`` (in order) and ``border_countries`` (``"KAZ>TKM"`` per border leg).

    Raises
    ------
    InputError
        Unknown objective, cargo, mode or country; origin equal to destination; ``k < 1``;
        contradictory options (an end place avoided, or without any link of the modes).
    PlaceNotFoundError
        Origin, destination or an avoided place is unknown.
    NoRouteError
        No route satisfies the constraints; the message names the one that blocks.

    Examples
    --------
    >>> from corridor.testing import gauge_network
    >>> best = route(gauge_network(), "A", "B", cargo="container", units=2)[0]
    >>> [leg.kind for leg in best.legs], best.time_h, best.cost_usd
    (['run', 'gauge_break', 'run'], 13.0, 860.0)

    """
    if objective in RELIABILITY_OBJECTIVES:
        if depart is None:
            raise InputError(f"objective {objective!r} needs a departure time (depart=...)")
        from corridor.reliability import rank_routes

        candidates = route(
            network,
            origin,
            destination,
            objective="time",
            cargo=cargo,
            units=units,
            k=2 * k,
            avoid_countries=avoid_countries,
            avoid_places=avoid_places,
            modes=modes,
            include_planned=include_planned,
            value_of_time_usd_per_h=value_of_time_usd_per_h,
            carbon_price_usd_per_t=carbon_price_usd_per_t,
            cache=cache,
        )
        ranked = rank_routes(
            network, candidates, depart=depart, objective=objective, samples=samples, seed=seed
        )
        return ranked[:k]
    if objective not in OBJECTIVES:
        allowed = ", ".join(OBJECTIVES + RELIABILITY_OBJECTIVES)
        raise InputError(f"unknown objective {objective!r}: allowed are {allowed}")
    if not (isinstance(k, int | np.integer) and k >= 1):
        raise InputError(f"k must be a whole number >= 1, got {k!r}")
    if not (np.isfinite(units) and units > 0):
        raise InputError(f"units must be a positive number, got {units!r}")
    if not (np.isfinite(carbon_price_usd_per_t) and carbon_price_usd_per_t >= 0):
        raise InputError(f"carbon_price_usd_per_t must be >= 0, got {carbon_price_usd_per_t!r}")
    mode_list = None if modes is None else tuple(dict.fromkeys(modes))
    if mode_list is not None:
        bad = [m for m in mode_list if m not in MODES]
        if bad or not mode_list:
            raise InputError(f"unknown mode(s) {bad!r}: allowed are {', '.join(MODES)}")
    o_id = _find_place(network, origin)
    d_id = _find_place(network, destination)
    if o_id == d_id:
        raise InputError(f"origin and destination are the same place ({o_id}): nothing to route")
    countries = _check_countries(network, avoid_countries)
    avoid_ids = tuple(dict.fromkeys(_find_place(network, p) for p in avoid_places))
    place_country = dict(zip(network.places["place_id"], network.places["country"], strict=True))
    for role, pid in (("origin", o_id), ("destination", d_id)):
        if pid in avoid_ids:
            raise InputError(f"{role} {pid} is in avoid_places: contradictory options")
        if place_country.get(pid, "") in countries:
            raise InputError(
                f"{role} {pid} is in {place_country[pid]}, which avoid_countries excludes: "
                "contradictory options"
            )
    graph = (
        cache.get(network, cargo=cargo, include_planned=include_planned)
        if cache is not None
        else build_graph(network, cargo=cargo, include_planned=include_planned)
    )
    for role, pid in (("origin", o_id), ("destination", d_id)):
        if pid not in graph.place_row:
            raise NoRouteError(
                f"{role} {pid} is planned: pass include_planned=True to route from planned places",
                "include_planned",
            )
    o, d = graph.place_row[o_id], graph.place_row[d_id]
    if mode_list is not None:
        for role, row in (("origin", o), ("destination", d)):
            have = sorted({MODES[int(m)] for m in graph.node_mode[graph.layers(row)]})
            if have and not set(have) & set(mode_list):
                raise InputError(
                    f"modes={mode_list!r} but {role} {graph.place_ids[row]} has only "
                    f"{', '.join(have)} links: contradictory options"
                )
    vot = value_of_time_usd_per_h
    if vot is None:
        from corridor.graph.costs import value_of_time

        vot = value_of_time(network, graph.cargo) * units if objective == "generalized" else 0.0
    weight = {
        "time": graph.time_h,
        "cost": graph.cost_usd,
        "co2e": graph.co2e_kg,
        "generalized": graph.cost_usd
        + (vot / units) * graph.time_h
        + carbon_price_usd_per_t * graph.co2e_kg / 1000.0,
    }[objective]
    avoid_rows = tuple(graph.place_row[p] for p in avoid_ids if p in graph.place_row)
    query = _Query(graph, o, d, weight, countries, avoid_rows, mode_list)
    mask = query.mask()
    best = query.shortest(weight, mask)
    if not best:
        names = (_name(network, o_id), _name(network, d_id))
        raise _diagnose(
            query,
            names,
            countries,
            avoid_ids,
            mode_list,
            include_planned,
            network,
            graph.cargo.cargo,
        )
    kept = [best]
    penalised = weight.copy()
    for _ in range(3 * k):
        if len(kept) >= k:
            break
        last = np.asarray(kept[-1] if kept else best, dtype=np.int64)
        penalised[last] *= _PENALTY
        path = query.shortest(penalised, mask)
        if not path:
            break
        if _distinct(graph, path, kept):
            kept.append(path)
        else:
            penalised[np.asarray(path, dtype=np.int64)] *= _PENALTY
    scored = sorted(kept, key=lambda p: float(weight[np.asarray(p, dtype=np.int64)].sum()))
    return [
        _make_route(graph, p, i + 1, objective, units, vot, carbon_price_usd_per_t)
        for i, p in enumerate(scored)
    ]


def _name(network: Network, pid: str) -> str:
    rows = network.places.loc[network.places["place_id"] == pid, "name"]
    return str(rows.iloc[0]) if len(rows) and rows.iloc[0] else pid


def _make_route(
    graph: ExpandedGraph,
    path: list[int],
    rank: int,
    objective: str,
    units: float,
    vot: float,
    carbon_price: float,
) -> Route:
    legs = _legs(graph, path, units)
    r = Route(rank=rank, legs=legs, objective=objective, cargo=graph.cargo.cargo, units=units)
    generalized = r.cost_usd + vot * r.time_h + carbon_price * r.co2e_kg / 1000.0
    value = {"time": r.time_h, "cost": r.cost_usd, "co2e": r.co2e_kg, "generalized": generalized}[
        objective
    ]
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
    unknown = [
        f"{name} of {leg.kind} {leg.from_id}>{leg.to_id}"
        for leg in legs
        for name in ("time_h", "cost_usd", "co2e_kg")
        if not np.isfinite(getattr(leg, name))
    ]
    r.extra.update(
        objective_value=value,
        unknown=unknown,
        generalized_cost_usd=generalized,
        value_of_time_usd_per_h=vot,
        carbon_price_usd_per_t=carbon_price,
        countries=visited,
        border_countries=[f"{country[leg.from_id]}>{country[leg.to_id]}" for leg in r.borders],
        method="dijkstra + penalty alternatives",
    )
    return r
