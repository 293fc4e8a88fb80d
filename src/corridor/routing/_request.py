"""What every search on the expanded graph shares: checked options, edge masks, routes.

:func:`resolve_request` checks the options of a search the way :func:`corridor.routing.route`
does (places, cargo, units, countries, places to avoid, modes, planned elements) and
returns a :class:`Request`: the expanded graph, the end places' rows and the constraint
masks. :func:`path_route` turns a path of edges into a :class:`~corridor.routing.types.Route`
(legs, countries in order, border countries, unknown figures), as ``route()`` builds them.

Private to :mod:`corridor.routing`; written for the Pareto search
(:mod:`corridor.routing.pareto`) so that it need not reach into ``search.py``'s private
helpers. ``search.py`` can use it too (the code is the same as its ``_Query``, ``_legs`` and
``_make_route``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError, NoRouteError
from corridor.graph.build import EDGE_KINDS, ExpandedGraph, GraphCache, build_graph
from corridor.network.model import MODES, Network
from corridor.routing.types import Leg, Route

__all__ = ["Request", "path_legs", "path_route", "resolve_request"]


@dataclass(frozen=True, eq=False)
class Request:
    """A checked search request on one expanded graph.

    Attributes
    ----------
    network : Network
        The network asked about.
    graph : ExpandedGraph
        Its expanded graph for the cargo (planned elements in or not).
    origin_id, destination_id : str
        Place ids of the ends.
    origin, destination : int
        Their rows in ``graph.place_ids``.
    countries : tuple of str
        ISO 3166-1 alpha-3 codes to avoid.
    avoid_ids : tuple of str
        Place ids to avoid.
    modes : tuple of str or None
        Allowed modes (all when None).
    units : float
        Units of cargo.

    """

    network: Network
    graph: ExpandedGraph
    origin_id: str
    destination_id: str
    origin: int
    destination: int
    countries: tuple[str, ...]
    avoid_ids: tuple[str, ...]
    modes: tuple[str, ...] | None
    units: float

    @property
    def mode_codes(self) -> NDArray[np.int8] | None:
        """Codes of the allowed modes in the graph's mode numbering (None: all)."""
        if self.modes is None:
            return None
        return np.array([MODES.index(m) for m in self.modes], dtype=np.int8)

    def mask(self) -> NDArray[np.bool_]:
        """Edges the constraints allow (countries and places avoided, modes)."""
        g = self.graph
        out = np.ones(g.n_edges, dtype=bool)
        for c in self.countries:
            if c in g.countries:
                code = g.countries.index(c)
                out &= g.place_country[g.edge_from_place] != code
                out &= g.place_country[g.edge_to_place] != code
        rows = np.asarray(
            [g.place_row[p] for p in self.avoid_ids if p in g.place_row], dtype=np.int64
        )
        if rows.size:
            out &= ~(np.isin(g.edge_from_place, rows) | np.isin(g.edge_to_place, rows))
        codes = self.mode_codes
        if codes is not None:
            out &= np.isin(g.edge_from_mode, codes) & np.isin(g.edge_to_mode, codes)
        return out

    def ends(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Source and target nodes: the mode layers of the end places (allowed modes)."""
        g = self.graph
        src, dst = g.layers(self.origin), g.layers(self.destination)
        codes = self.mode_codes
        if codes is not None:
            src = src[np.isin(g.node_mode[src], codes)]
            dst = dst[np.isin(g.node_mode[dst], codes)]
        return src.astype(np.int64), dst.astype(np.int64)


def _country_name(code: str) -> str:
    try:
        import pycountry

        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError):  # pragma: no cover - pycountry is a dependency
        found = None
    return str(found.name) if found is not None else code


def _place(network: Network, graph: ExpandedGraph, query: str, argument: str) -> str:
    """Place id of ``query``: an id of the graph at once, else :func:`find_place`."""
    if query in graph.place_row:
        return query
    from corridor.errors import PlaceNotFoundError
    from corridor.network.lookup import find_place

    try:
        return find_place(network, query)
    except PlaceNotFoundError as err:
        raise PlaceNotFoundError(err.query, err.suggestions, argument=argument) from err


def _countries(network: Network, countries: Iterable[str]) -> tuple[str, ...]:
    out = []
    known: set[str] | None = None
    for c in countries:
        code = str(c).strip().upper()
        if _country_name(code) == code:  # not an ISO 3166-1 alpha-3 code
            known = set(network.places["country"]) - {""} if known is None else known
            if code not in known:
                raise InputError(
                    f"avoid_countries: unknown country {c!r}: use ISO 3166-1 alpha-3 codes, "
                    f"e.g. {', '.join(sorted(known))}",
                    argument="avoid_countries",
                    value=c,
                    allowed=sorted(known),
                )
        out.append(code)
    return tuple(dict.fromkeys(out))


def resolve_request(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    units: float,
    avoid_countries: Iterable[str],
    avoid_places: Iterable[str],
    modes: Iterable[str] | None,
    include_planned: bool,
    cache: GraphCache | None,
) -> Request:
    """Check the options of a search and build (or fetch) its expanded graph.

    Raises
    ------
    InputError
        Bad ``units``, unknown cargo, mode or country; origin equal to destination; an end
        place avoided, or without any link of the allowed modes.
    PlaceNotFoundError
        An end or an avoided place is unknown.
    NoRouteError
        An end place is planned and ``include_planned`` is false.

    """
    if isinstance(units, bool) or not (
        isinstance(units, int | float | np.number) and np.isfinite(units) and units > 0
    ):
        raise InputError(
            f"units must be a positive number, got {units!r}",
            argument="units",
            value=units,
            allowed="> 0",
        )
    mode_list = None if modes is None else tuple(dict.fromkeys(modes))
    if mode_list is not None:
        bad = [m for m in mode_list if m not in MODES]
        if bad or not mode_list:
            raise InputError(
                f"unknown mode(s) {bad!r}: allowed are {', '.join(MODES)}",
                argument="modes",
                value=bad,
                allowed=MODES,
            )
    graph = (
        cache.get(network, cargo=cargo, include_planned=include_planned)
        if cache is not None
        else build_graph(network, cargo=cargo, include_planned=include_planned)
    )
    o_id = _place(network, graph, origin, "origin")
    d_id = _place(network, graph, destination, "destination")
    if o_id == d_id:
        raise InputError(
            f"origin and destination are the same place ({o_id}): nothing to route",
            argument="destination",
            value=destination,
        )
    countries = _countries(network, avoid_countries)
    avoid_ids = tuple(
        dict.fromkeys(_place(network, graph, p, "avoid_places") for p in avoid_places)
    )
    for role, pid in (("origin", o_id), ("destination", d_id)):
        if pid in avoid_ids:
            raise InputError(
                f"{role} {pid} is in avoid_places: contradictory options",
                argument="avoid_places",
                value=pid,
            )
        if pid not in graph.place_row:
            raise NoRouteError(
                f"{role} {pid} is planned: pass include_planned=True to route from planned places",
                "include_planned",
            )
        country = graph.countries[int(graph.place_country[graph.place_row[pid]])]
        if country in countries:
            raise InputError(
                f"{role} {pid} is in {country}, which avoid_countries excludes: "
                "contradictory options",
                argument="avoid_countries",
                value=country,
            )
    o, d = graph.place_row[o_id], graph.place_row[d_id]
    if mode_list is not None:
        for role, row in (("origin", o), ("destination", d)):
            have = sorted({MODES[int(m)] for m in graph.node_mode[graph.layers(row)]})
            if have and not set(have) & set(mode_list):
                raise InputError(
                    f"modes={mode_list!r} but {role} {graph.place_ids[row]} has only "
                    f"{', '.join(have)} links: contradictory options",
                    argument="modes",
                    value=mode_list,
                    allowed=have,
                )
    return Request(
        network=network,
        graph=graph,
        origin_id=o_id,
        destination_id=d_id,
        origin=o,
        destination=d,
        countries=countries,
        avoid_ids=avoid_ids,
        modes=mode_list,
        units=float(units),
    )


def path_legs(graph: ExpandedGraph, path: Sequence[int], units: float) -> tuple[Leg, ...]:
    """Legs of a path of edges (money and CO2e for ``units`` of cargo)."""
    e = np.asarray(path, dtype=np.int64)
    kinds = graph.edge_kind[e].tolist()
    fp = graph.edge_from_place[e].tolist()
    tp = graph.edge_to_place[e].tolist()
    fm = graph.edge_from_mode[e].tolist()
    tm = graph.edge_to_mode[e].tolist()
    refs = graph.edge_ref[e].tolist()
    cols = zip(
        graph.length_km[e].tolist(),
        graph.time_h[e].tolist(),
        (graph.cost_usd[e] * units).tolist(),
        (graph.co2e_kg[e] * units).tolist(),
        graph.wait_h[e].tolist(),
        strict=True,
    )
    legs = []
    for i, (km, time_h, cost, co2e, wait) in enumerate(cols):
        kind = EDGE_KINDS[kinds[i]]
        a, b = graph.place_ids[fp[i]], graph.place_ids[tp[i]]
        ma, mb = MODES[fm[i]], MODES[tm[i]]
        on_link = kind in ("run", "border")
        legs.append(
            Leg(
                kind=kind,
                mode=ma if on_link else f"{ma}>{mb}",
                from_id=a,
                to_id=b,
                length_km=km,
                time_h=time_h,
                cost_usd=cost,
                co2e_kg=co2e,
                link_id=graph.link_ids[refs[i]] if on_link else "",
                place_id="" if on_link else a,
                wait_h=wait,
                service_id=graph.service_ids[refs[i]] if kind == "run" else "",
            )
        )
    return tuple(legs)


def path_route(
    graph: ExpandedGraph,
    path: Sequence[int],
    *,
    rank: int,
    objective: str,
    units: float,
    extra: dict[str, Any] | None = None,
) -> Route:
    """Build the :class:`Route` of a path, with ``countries``, ``border_countries`` and ``unknown``.

    ``extra`` is merged into the route's ``extra`` after those three.
    """
    legs = path_legs(graph, path, units)
    r = Route(rank=rank, legs=legs, objective=objective, cargo=graph.cargo.cargo, units=units)
    e = np.asarray(path, dtype=np.int64)
    rows = np.unique(np.concatenate((graph.edge_from_place[e], graph.edge_to_place[e])))
    country = {
        graph.place_ids[p]: graph.countries[c]
        for p, c in zip(rows.tolist(), graph.place_country[rows].tolist(), strict=True)
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
        for name, v in (
            ("time_h", leg.time_h),
            ("cost_usd", leg.cost_usd),
            ("co2e_kg", leg.co2e_kg),
        )
        if not math.isfinite(v)
    ]
    r.extra.update(
        unknown=unknown,
        countries=visited,
        border_countries=[f"{country[leg.from_id]}>{country[leg.to_id]}" for leg in r.borders],
    )
    if extra:
        r.extra.update(extra)
    return r
