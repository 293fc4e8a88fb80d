"""What one worker process of the REST API holds: the network, its graphs, caches.

A :class:`Service` is made once per worker by :func:`corridor.api.create_app`; requests
share it. It holds the network, the expanded graphs (:class:`~corridor.graph.GraphCache`,
one per cargo class, built on first use or at start-up by :meth:`Service.warm`), the
reliability tables, a memo of place lookups and a bounded cache of answers to
deterministic route queries (same options, same bytes). Nothing here computes a model
figure: places are found by :func:`corridor.network.lookup.find_place`, routes by
:func:`corridor.api.engine.find_routes`, answers are written by :mod:`corridor.formats`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from corridor.api.engine import RouteArguments, find_routes
from corridor.api.limits import ServiceLimits
from corridor.api.schemas import RouteQuery
from corridor.errors import CorridorError, InputError, PlaceNotFoundError
from corridor.formats import dumps_json, json_safe, parse_deadline, parse_depart
from corridor.network.lookup import find_place, normalize_name

if TYPE_CHECKING:
    from corridor.network.model import Network

__all__ = ["BytesCache", "Service"]


class BytesCache:
    """A thread-safe least-recently-used cache of encoded answers.

    Examples
    --------
    >>> c = BytesCache(2)
    >>> c.get_or_make("a", lambda: b"1"), c.get_or_make("a", lambda: b"2")
    (b'1', b'1')
    >>> len(BytesCache(0)), BytesCache(0).get_or_make("a", lambda: b"x")
    (0, b'x')

    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._data: OrderedDict[object, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: object) -> bytes | None:
        """Return the cached bytes of ``key`` (None when not cached)."""
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def get_or_make(self, key: object, make: Callable[[], bytes]) -> bytes:
        """Return the cached bytes of ``key``, or make, store and return them."""
        if self.entries <= 0:
            return make()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                return hit
        value = make()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)
        return value


class Service:
    """The state one worker serves requests from.

    Parameters
    ----------
    network : Network
        The network served.
    limits : ServiceLimits
        What a request may ask.
    cache_entries : int, default 1024
        Answers of deterministic route queries kept (0: none).

    """

    def __init__(self, network: Network, limits: ServiceLimits, cache_entries: int = 1024) -> None:
        from corridor.graph.build import GraphCache

        self.network = network
        self.limits = limits
        self.graphs = GraphCache()
        self.answers = BytesCache(cache_entries)
        self._lock = threading.Lock()
        self._places: list[dict[str, Any]] | None = None
        self._place_ids: dict[str, str] = {}
        self._place_keys: dict[str, list[str]] = {}
        self._static: dict[str, bytes] = {}

    # ------------------------------------------------------------------ start-up
    def warm(self) -> None:
        """Build the default cargo's graph and compile the kernels before serving."""
        from datetime import datetime

        ids = [str(p["place_id"]) for p in self.places()]
        self.graphs.get(self.network, cargo="container_40ft", include_planned=False)
        for i in range(min(5, len(ids) // 2)):
            options = RouteArguments(
                ids[i],
                ids[-1 - i],
                k=1,
                reliability=True,
                depart=datetime(2026, 1, 5),
                samples=16,
                seed=0,
            )
            try:
                find_routes(self.network, options, graphs=self.graphs)
            except CorridorError:
                continue  # these two places have no route: try another pair
            break

    def static(self, key: str, make: Callable[[], bytes]) -> bytes:
        """Return bytes made once per worker (the network's GeoJSON, the outlines ...)."""
        if key not in self._static:
            value = make()
            with self._lock:
                self._static.setdefault(key, value)
        return self._static[key]

    # ------------------------------------------------------------------ places
    def places(self) -> list[dict[str, Any]]:
        """Every place as a JSON-ready record (``aliases`` as a list), sorted by id."""
        if self._places is None:
            frame = self.network.places
            cols = ["place_id", "name", "country", "kind", "lon", "lat", "status"]
            records = []
            for row in frame.to_dict(orient="records"):
                rec = {c: row.get(c, "") for c in cols}
                for c in ("place_id", "name", "country", "kind", "status"):
                    rec[c] = "" if rec[c] is None else str(rec[c])
                alias = row.get("aliases", "")
                alias = "" if alias is None or alias != alias else str(alias)
                rec["aliases"] = [a.strip() for a in alias.split("|") if a.strip()]
                records.append(json_safe(rec))
            self._places = sorted(records, key=lambda r: str(r["place_id"]))
        return self._places

    def _keys(self, record: dict[str, Any]) -> list[str]:
        """Return the matching keys of a place: its id, name and aliases, normalised."""
        pid = str(record["place_id"])
        keys = self._place_keys.get(pid)
        if keys is None:
            texts = [pid, str(record["name"]), *record["aliases"]]
            keys = self._place_keys[pid] = [normalize_name(t) for t in texts]
        return keys

    def resolve(self, query: str, argument: str) -> str:
        """Return the id of the place ``query`` names (memoised per worker).

        Raises
        ------
        PlaceNotFoundError
            With ``argument`` set to the API parameter (``origin``, ``via`` ...).

        """
        hit = self._place_ids.get(query)
        if hit is not None:
            return hit
        try:
            pid = find_place(self.network, query)
        except PlaceNotFoundError as err:
            raise PlaceNotFoundError(err.query, err.suggestions, argument=argument) from err
        if len(self._place_ids) < 100_000:
            self._place_ids[query] = pid
        return pid

    def search_places(
        self, q: str | None, *, country: str | None, kind: str | None, limit: int
    ) -> dict[str, Any]:
        """Places whose id, name or alias starts with (then contains) ``q``.

        Matching keys are :func:`~corridor.network.lookup.normalize_name` keys; an exact
        match (as :func:`~corridor.network.lookup.find_place` resolves it) comes first.
        Without a match the payload carries close matches as ``suggestions``.
        """
        self.limits.check("max_places", "limit", limit)
        records = self.places()
        if country is not None or kind is not None:
            from corridor.network.lookup import search_places

            keep = set(search_places(self.network, country=country, kind=kind)["place_id"])
            records = [r for r in records if r["place_id"] in keep]
        if q is None or not q.strip():
            return {"query": q, "places": records[:limit], "suggestions": []}
        key = normalize_name(q)
        exact = None
        try:
            exact = self.resolve(q, "q")
        except PlaceNotFoundError as err:
            suggestions = [{"name": n, "place_id": p} for n, p in err.suggestions]
        else:
            suggestions = []
        scored = []
        for r in records:
            keys = self._keys(r)
            if r["place_id"] == exact:
                rank = 0
            elif key and any(k.startswith(key) for k in keys):
                rank = 1
            elif key and any(key in k for k in keys):
                rank = 2
            else:
                continue
            scored.append((rank, str(r["name"]).casefold(), r))
        scored.sort(key=lambda t: (t[0], t[1]))
        found = [r for _, _, r in scored[:limit]]
        return {"query": q, "places": found, "suggestions": [] if found else suggestions}

    # ------------------------------------------------------------------ routes
    def options(self, query: RouteQuery) -> RouteArguments:
        """Check a route query against the limits, resolve its places, parse its texts."""
        from corridor.objectives import OBJECTIVES

        lim = self.limits
        lim.check("max_k", "k", query.k)
        lim.check("max_via", "via", len(query.via))
        lim.check("max_avoid", "avoid", len(query.avoid) + len(query.avoid_places))
        obj = OBJECTIVES.get(query.objective)
        simulates = (
            query.reliability
            or query.deadline is not None
            or (obj is not None and obj.kind == "simulated")
        )
        if simulates:  # the draws are only made (and limited) when something is simulated
            lim.check("max_samples", "samples", query.samples)
        if query.samples < 1:
            raise InputError(
                f"samples must be >= 1, got {query.samples}",
                argument="samples",
                value=query.samples,
                allowed=">= 1",
            )
        if query.seed is not None and query.seed < 0:
            raise InputError(
                f"seed must be >= 0, got {query.seed}",
                argument="seed",
                value=query.seed,
                allowed=">= 0",
            )
        depart = None if query.depart is None else parse_depart(query.depart)
        deadline_h = None if query.deadline is None else parse_deadline(query.deadline)
        return RouteArguments(
            origin=self.resolve(query.origin, "origin"),
            destination=self.resolve(query.destination, "destination"),
            objective=query.objective,
            cargo=query.cargo,
            units=float(query.units),
            k=int(query.k),
            avoid_countries=tuple(query.avoid),
            avoid_places=_ids(self, query.avoid_places, "avoid_places"),
            via=tuple(self.resolve(n, "via") for n in query.via),
            modes=None if query.modes is None else tuple(query.modes),
            include_planned=query.include_planned,
            crew=int(query.crew),
            max_ratio=None if query.max_ratio is None else float(query.max_ratio),
            depart=depart,
            reliability=query.reliability or deadline_h is not None,
            samples=int(query.samples),
            seed=query.seed,
            deadline_h=deadline_h,
        )

    def cached_answer(self, options: RouteArguments, *, geojson: bool) -> bytes | None:
        """Return the cached answer of a deterministic route query, or None (no work)."""
        if _random(options):
            return None
        return self.answers.get((options, geojson))

    def route_answer(self, options: RouteArguments, *, geojson: bool) -> bytes:
        """Return the encoded answer of a route query (cached when deterministic)."""

        def make() -> bytes:
            from corridor.formats import routes_to_geojson, routes_to_json

            routes = find_routes(self.network, options, graphs=self.graphs)
            payload = (
                routes_to_geojson(self.network, routes)
                if geojson
                else routes_to_json(self.network, routes)
            )
            return dumps_json(payload, indent=None).encode()

        if _random(options):
            return make()
        return self.answers.get_or_make((options, geojson), make)


def _ids(service: Service, names: Sequence[str], argument: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(service.resolve(n, argument) for n in names))


def _random(options: RouteArguments) -> bool:
    """Whether the answer depends on unseeded draws (and so is not cached)."""
    from corridor.objectives import OBJECTIVES

    obj = OBJECTIVES.get(options.objective)
    simulated = options.reliability or (obj is not None and obj.kind == "simulated")
    return simulated and options.seed is None
