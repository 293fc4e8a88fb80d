"""What one worker process of the REST API holds: the network, its graphs, caches.

A :class:`Service` is made once per worker by :func:`corridor.api.create_app`; requests
share it. It holds the network, the expanded graphs (:class:`~corridor.graph.GraphCache`,
one per cargo class, built on first use or at start-up by :meth:`Service.warm`), the
reliability tables, a memo of place lookups, a bounded cache of answers to
deterministic route queries (same options, same bytes), the demand of its flow cases (the
shipped 2024 baseline unless given) and a small cache of flow answers (per parameter set,
both formats made from one assignment; the default case is the common request). Nothing
here computes a model figure: places are found by
:func:`corridor.network.lookup.find_place`, routes by :func:`corridor.api.engine.find_routes`,
Pareto fronts by :func:`~corridor.api.engine.find_front`, flows by
:func:`~corridor.api.engine.find_flows`, answers are written by :mod:`corridor.formats`.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from corridor.api.engine import (
    FlowArguments,
    ParetoArguments,
    RouteArguments,
    find_flows,
    find_front,
    find_routes,
)
from corridor.api.limits import ServiceLimitError, ServiceLimits
from corridor.api.problems import FlowsUnavailableError
from corridor.api.schemas import FlowQuery, RouteQuery
from corridor.errors import (
    CorridorError,
    DataFileError,
    InputError,
    NetworkValidationError,
    PlaceNotFoundError,
)
from corridor.formats import dumps_json, json_safe, parse_deadline, parse_depart
from corridor.network.lookup import find_place, normalize_name

if TYPE_CHECKING:
    from corridor.demand.freight import FreightDemand, Growth
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
    demand : FreightDemand, optional
        The demand of flow cases; the shipped 2024 baseline (read on first use).
    flow_cache_entries : int, default 32
        Flow answers kept (each format of a parameter set is one entry; 0: none).

    """

    def __init__(
        self,
        network: Network,
        limits: ServiceLimits,
        cache_entries: int = 1024,
        *,
        demand: FreightDemand | None = None,
        flow_cache_entries: int = 32,
    ) -> None:
        from corridor.graph.build import GraphCache

        self.network = network
        self.limits = limits
        self.graphs = GraphCache()
        self.answers = BytesCache(cache_entries)
        self.flow_answers = BytesCache(flow_cache_entries)
        self._demand = demand
        self._flow_locks: dict[FlowArguments, threading.Lock] = {}
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
        # the default flow case, the common request (and the flow kernels compiled); on a
        # network the demand does not fit, /v1/flows answers with the error
        with contextlib.suppress(CorridorError):
            self.flow_answer(FlowArguments(), geojson=False)

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
        for name in ("epsilon", "max_labels"):
            if getattr(query, name) is not None:
                raise InputError(
                    f"{name} applies to a Pareto front: it needs pareto=true",
                    argument=name,
                    value=getattr(query, name),
                )
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

    # ------------------------------------------------------------------ Pareto fronts
    def pareto_options(self, query: RouteQuery) -> ParetoArguments:
        """Check a ``pareto=true`` route query, resolve its places, parse its texts.

        Raises
        ------
        InputError
            An option a front has no use for (``objective``, ``k``, ``max_ratio``,
            ``deadline``, as ``corridor route --pareto``), ``reliability`` without
            ``depart``, a bad value.
        ServiceLimitError
            ``max_labels`` over max_labels, ``samples`` over max_samples (when simulated),
            too many ``via`` or avoided places.

        """
        from corridor.reliability.montecarlo import check_samples, check_seed
        from corridor.routing.pareto import check_epsilon, check_max_labels

        lim = self.limits
        defaults = RouteQuery.model_fields
        for name, why in (
            ("objective", "the front holds every trade-off between time, cost and CO2e"),
            ("k", "the front has as many routes as trade-offs"),
            ("max_ratio", "the front keeps every trade-off"),
        ):
            if getattr(query, name) != defaults[name].default:
                raise InputError(
                    f"{name} does not apply with pareto=true: {why}",
                    argument=name,
                    value=getattr(query, name),
                )
        if query.deadline is not None:
            raise InputError(
                "deadline does not apply with pareto=true (the front reports each route's P90)",
                argument="deadline",
                value=query.deadline,
            )
        lim.check("max_via", "via", len(query.via))
        lim.check("max_avoid", "avoid", len(query.avoid) + len(query.avoid_places))
        max_labels = lim.max_labels if query.max_labels is None else query.max_labels
        lim.check("max_labels", "max_labels", max_labels)
        check_max_labels(max_labels)
        check_epsilon(query.epsilon)
        depart = None if query.depart is None else parse_depart(query.depart)
        if query.reliability and depart is None:
            raise InputError(
                "reliability needs depart (e.g. depart=2026-12-01T08:00)",
                argument="depart",
                allowed="ISO 8601 date and time",
            )
        if depart is not None:  # the members are simulated: the draws are limited
            lim.check("max_samples", "samples", query.samples)
            check_samples(query.samples)
            check_seed(query.seed)
        return ParetoArguments(
            origin=self.resolve(query.origin, "origin"),
            destination=self.resolve(query.destination, "destination"),
            cargo=query.cargo,
            units=float(query.units),
            avoid_countries=tuple(query.avoid),
            avoid_places=_ids(self, query.avoid_places, "avoid_places"),
            via=tuple(self.resolve(n, "via") for n in query.via),
            modes=None if query.modes is None else tuple(query.modes),
            include_planned=query.include_planned,
            crew=int(query.crew),
            depart=depart,
            samples=int(query.samples),
            seed=query.seed,
            epsilon=None if query.epsilon is None else float(query.epsilon),
            max_labels=int(max_labels),
        )

    def front_answer(self, options: ParetoArguments, *, geojson: bool) -> bytes:
        """Return the encoded front (cached unless it depends on unseeded draws)."""

        def make() -> bytes:
            from corridor.formats import front_to_json, routes_to_geojson

            front = find_front(self.network, options, graphs=self.graphs)
            payload = (
                {**routes_to_geojson(self.network, front.routes), "front": front.to_dict()}
                if geojson
                else front_to_json(self.network, front)
            )
            return dumps_json(payload, indent=None).encode()

        if options.depart is not None and options.seed is None:
            return make()
        return self.answers.get_or_make((options, geojson), make)

    def cached_front(self, options: ParetoArguments, *, geojson: bool) -> bytes | None:
        """Return the cached answer of a front query, or None (no work)."""
        return self.answers.get((options, geojson))

    # ------------------------------------------------------------------ flows
    def demand(self) -> FreightDemand:
        """Return the demand of flow cases (the shipped 2024 baseline unless one was given)."""
        if self._demand is None:
            from corridor.flows import load_baseline

            demand = load_baseline()
            with self._lock:
                if self._demand is None:
                    self._demand = demand
        assert self._demand is not None
        return self._demand

    def flow_options(self, query: FlowQuery) -> FlowArguments:
        """Check a flow query against the limits and parse its growth factors.

        Raises
        ------
        InputError
            A bad growth spec, method, number.
        ServiceLimitError
            Too many growth specs (max_growth_terms), a compounded growth factor over
            max_growth_factor, ``steps`` over max_steps, ``top`` over max_top,
            ``max_iter`` over max_flow_iterations, ``gap`` under min_flow_gap.

        """
        import math

        from corridor.flows.run import check_flow_options

        lim = self.limits
        lim.check("max_growth_terms", "growth", len(query.growth) + len(query.path))
        for name in ("gap", "carbon_price", "period_h", "logit_scale"):
            value = getattr(query, name)
            if value is not None and not math.isfinite(value):
                raise InputError(
                    f"{name} must be a finite number, got {value!r}",
                    argument=name,
                    value=value,
                    allowed="a finite number",
                )
        if query.carbon_price < 0:
            raise InputError(
                f"carbon_price must be >= 0, got {query.carbon_price!r}",
                argument="carbon_price",
                value=query.carbon_price,
                allowed=">= 0",
            )
        method = query.method
        if query.logit_scale is not None and method == "bfw":
            method = "logit"  # as corridor flows --logit-scale
        check_flow_options(method=method, top=query.top, steps=query.steps if query.path else 1)
        lim.check("max_top", "top", query.top)
        if query.path:
            lim.check("max_steps", "steps", query.steps)
        max_iter = (
            min(FlowArguments.max_iter, lim.max_flow_iterations)
            if query.max_iter is None
            else query.max_iter
        )
        lim.check("max_flow_iterations", "max_iter", max_iter)
        lim.check_floor("min_flow_gap", "gap", query.gap)
        growth = _growth(query.growth, "growth")
        path = _growth(query.path, "path") if query.path else None
        most = _most(growth) * (1.0 if path is None else _most(path) ** query.steps)
        if most > lim.max_growth_factor:
            raise ServiceLimitError(
                "max_growth_factor", "growth", f"{most:.4g} (compounded)", lim.max_growth_factor
            )
        return FlowArguments(
            growth=growth,
            path=path,
            steps=int(query.steps),
            method=method,
            gap=float(query.gap),
            max_iter=int(max_iter),
            logit_scale_usd_per_t=None if query.logit_scale is None else float(query.logit_scale),
            carbon_price_usd_per_t=float(query.carbon_price),
            period_h=float(query.period_h),
            top=int(query.top),
            include_planned=query.include_planned,
        )

    def cached_flows(self, options: FlowArguments, *, geojson: bool) -> bytes | None:
        """Return the cached answer of a flow case, or None (no work)."""
        return self.flow_answers.get((options, geojson))

    def flow_answer(self, options: FlowArguments, *, geojson: bool) -> bytes:
        """Return the encoded answer of a flow case, computing (and caching) both formats.

        One assignment per parameter set at a time: a second request for a case being
        computed waits for it rather than computing it again.
        """
        hit = self.cached_flows(options, geojson=geojson)
        if hit is not None:
            return hit
        with self._lock:
            lock = self._flow_locks.setdefault(options, threading.Lock())
            if len(self._flow_locks) > 4 * max(self.flow_answers.entries, 1):
                self._flow_locks = {options: lock}
        with lock:
            hit = self.cached_flows(options, geojson=geojson)
            if hit is not None:
                return hit
            from corridor.formats import flows_to_geojson

            try:
                run = find_flows(self.network, self.demand(), options, graphs=self.graphs)
            except (DataFileError, NetworkValidationError) as err:
                lines = str(err).splitlines()
                raise FlowsUnavailableError(
                    "this service cannot assign flows: its demand or capacities do not fit "
                    f"its network ({lines[0] if lines else type(err).__name__})",
                    [ln.strip() for ln in lines[1:101]],
                ) from err
            report = dumps_json(run.report, indent=None).encode()
            geo = dumps_json(
                flows_to_geojson(self.network, run.result, run.report), indent=None
            ).encode()
            if self.flow_answers.entries > 0:
                self.flow_answers.get_or_make((options, False), lambda: report)
                self.flow_answers.get_or_make((options, True), lambda: geo)
            return geo if geojson else report


def _growth(specs: Sequence[str], argument: str) -> Growth:
    """Parse growth specs; errors name ``argument`` (``growth`` or ``path``)."""
    from corridor.demand.freight import parse_growth

    try:
        return parse_growth(list(specs))
    except InputError as err:
        if argument == "growth":
            raise
        raise InputError(
            str(err).replace("growth:", f"{argument}:", 1),
            argument=argument,
            value=err.value,
            allowed=err.allowed,
        ) from err


def _most(growth: Growth) -> float:
    """Return the largest factor any flow can get from ``growth`` (every factor > 1 together)."""
    most = max(growth.overall, 1.0)
    for *_, f in growth.pairs + growth.directions:
        most *= max(f, 1.0)
    for _, f in growth.commodities:
        most *= max(f, 1.0)
    return most


def _ids(service: Service, names: Sequence[str], argument: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(service.resolve(n, argument) for n in names))


def _random(options: RouteArguments) -> bool:
    """Whether the answer depends on unseeded draws (and so is not cached)."""
    from corridor.objectives import OBJECTIVES

    obj = OBJECTIVES.get(options.objective)
    simulated = options.reliability or (obj is not None and obj.kind == "simulated")
    return simulated and options.seed is None
