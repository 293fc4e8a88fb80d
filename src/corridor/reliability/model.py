"""A route as the simulation sees it: the elements of its edges in the expanded graph.

Every leg of a :class:`~corridor.routing.types.Route` is one edge of the expanded graph
(:mod:`corridor.graph`), found by its link (runs and borders) or by its place and modes
(transfers). The edge's elements (:class:`~corridor.graph.elements.Elements`) are what is
drawn: a lognormal or constant duration for a run, a border side or a transfer, and for a
scheduled run a wait for its service followed by the voyage. A road run also carries the
drivers' breaks and rests of the route's road stretch as a constant element, from the same
schedule routing uses (:meth:`~corridor.graph.ExpandedGraph.path_rests` for the route's
``crew``). Nothing here reads a table:
the figures are those routing used, so the simulation's deterministic time (every
duration at its mean, every wait at the service's expected wait) equals the route's
``time_h`` leg by leg.

**Simulated ferry waits.** With ``ferry_waits`` (service id -> 12 monthly lists of waits
in hours, e.g. from :func:`corridor.ferries.ferry_waits`), the wait element of each
scheduled run of a listed service becomes a plain duration drawn from the waits of the
month the route reaches that port (departure plus the deterministic time of the elements
before it); its timetable and cancellations are not used. The element's deterministic
value stays the service's expected wait, so the deterministic time is still routing's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError
from corridor.graph.build import ExpandedGraph
from corridor.graph.elements import FAMILIES
from corridor.graph.services import Timetable
from corridor.reliability.distributions import Degenerate, Distribution, Empirical, LogNormal
from corridor.routing.types import Route

__all__ = ["FerryWaits", "RouteModel", "build_route_model", "check_ferry_waits"]

#: Simulated waits of services: service id -> 12 sequences (January first) of waits, hours.
FerryWaits = Mapping[str, Sequence[Sequence[float]]]

_LOGNORMAL = FAMILIES.index("lognormal")


@dataclass(frozen=True, eq=False)
class RouteModel:
    """A route flattened into elements for the kernel.

    Attributes
    ----------
    kind : ndarray of int8
        0 for a duration, 1 for a wait for a scheduled departure (timetable or headway;
        its duration draw is 0, the voyage follows as a duration element).
    timetable_index : ndarray of int32
        Index into ``timetables`` of a scheduled element, else -1.
    distributions : tuple of Distribution
        Duration of each element.
    timetables : tuple of Timetable
        One per scheduled element.
    p_cancel : ndarray of float64, shape (T, 12)
        Monthly cancellation probability of each timetable.
    expected_h : ndarray of float64
        The deterministic value of each element: its mean, or the service's expected wait.
    is_wait : ndarray of bool
        Elements that are waits for a sailing (counted in the waiting time).
    leg_index : ndarray of int32
        The route leg each element comes from.

    """

    kind: NDArray[np.int8]
    timetable_index: NDArray[np.int32]
    distributions: tuple[Distribution, ...]
    timetables: tuple[Timetable, ...]
    p_cancel: NDArray[np.float64]
    expected_h: NDArray[np.float64]
    is_wait: NDArray[np.bool_]
    leg_index: NDArray[np.int32]

    @property
    def minimum_h(self) -> float:
        """Sum of the smallest possible durations (waits for departures excluded)."""
        return float(sum(d.minimum_h for d in self.distributions))

    @property
    def deterministic_h(self) -> float:
        """Sum of the elements' deterministic values: routing's time of the route."""
        return float(self.expected_h.sum())


def _distribution(family: int, mean_h: float, cv: float) -> Distribution:
    if family == _LOGNORMAL and cv > 0.0 and mean_h > 0.0:
        return LogNormal(mean_h, cv)
    return Degenerate(mean_h)


def check_ferry_waits(ferry_waits: FerryWaits) -> dict[str, tuple[Empirical, ...]]:
    """Return ``ferry_waits`` as 12 empirical laws per service, checking its shape.

    Raises
    ------
    InputError
        Unless every service has 12 non-empty sequences of waits >= 0
        (``argument="ferry_waits"``).

    Examples
    --------
    >>> laws = check_ferry_waits({"S": [[1.0, 3.0]] * 12})
    >>> laws["S"][0].mean_h
    2.0

    """
    out: dict[str, tuple[Empirical, ...]] = {}
    for sid, months in ferry_waits.items():
        if len(months) != 12:
            raise InputError(
                f"ferry_waits[{sid!r}] needs 12 monthly sequences of waits, got {len(months)}",
                argument="ferry_waits",
                value=sid,
            )
        try:
            out[str(sid)] = tuple(Empirical(tuple(float(v) for v in m)) for m in months)
        except (InputError, TypeError, ValueError) as err:
            raise InputError(
                f"ferry_waits[{sid!r}]: each month needs at least one wait >= 0 ({err})",
                argument="ferry_waits",
                value=sid,
            ) from err
    return out


def build_route_model(
    graph: ExpandedGraph,
    route: Route,
    *,
    ferry_waits: FerryWaits | None = None,
    depart: datetime | None = None,
) -> RouteModel:
    """Turn a route into kernel elements from the expanded graph it was found on.

    Parameters
    ----------
    graph : ExpandedGraph
        The graph of the route's network and cargo (with planned elements, so that any
        route of the network is found).
    route : Route
        The route to model.
    ferry_waits : mapping, optional
        Simulated waits by month of some services (see the module docstring): the wait
        for each of them is drawn from these instead of its timetable and cancellations.
    depart : datetime, optional
        Departure from the origin; needed with ``ferry_waits`` (it sets the month).

    Returns
    -------
    RouteModel

    Raises
    ------
    InputError
        For a route without legs, a leg the graph does not have, or a leg whose time is
        unknown in the parameter tables (it cannot be simulated); for ``ferry_waits``
        without ``depart`` or of the wrong shape.

    Examples
    --------
    >>> from corridor.graph import build_graph
    >>> from corridor.routing import search_routes as route
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> best = route(net, "A", "B", k=1)[0]
    >>> model = build_route_model(build_graph(net, cargo="container", include_planned=True),
    ...                           best)
    >>> abs(model.deterministic_h - best.time_h) < 1e-9
    True

    """
    if not route.legs:
        raise InputError("route has no legs: nothing to simulate", argument="route")
    laws = {} if ferry_waits is None else check_ferry_waits(ferry_waits)
    if laws and not isinstance(depart, datetime):
        raise InputError(
            "ferry_waits needs the departure date (depart) to know the month",
            argument="depart",
            value=depart,
        )
    el = graph.elements
    kinds: list[int] = []
    tt_idx: list[int] = []
    dists: list[Distribution] = []
    expected: list[float] = []
    waits: list[bool] = []
    tts: list[Timetable] = []
    pcs: list[tuple[float, ...]] = []
    legs: list[int] = []
    unknown: list[str] = []
    edges = [
        graph.find_edge(
            leg.kind,
            link_id=leg.link_id,
            place_id=leg.place_id or leg.from_id,
            from_mode=leg.from_mode,
            to_mode=leg.to_mode,
        )
        for leg in route.legs
    ]
    rests = graph.path_rests(edges, route.crew)
    for li, (leg, edge) in enumerate(zip(route.legs, edges, strict=True)):
        if rests[li] > 0.0:  # drivers' breaks and rests: a constant element of the run
            legs.append(li)
            expected.append(float(rests[li]))
            kinds.append(0)
            tt_idx.append(-1)
            dists.append(Degenerate(float(rests[li])))
            waits.append(False)
        for x in range(int(el.ptr[edge]), int(el.ptr[edge + 1])):
            mean = float(el.mean_h[x])
            if not math.isfinite(mean):
                unknown.append(f"{leg.kind} {leg.from_id}>{leg.to_id}")
                continue
            s = int(el.service[x])
            legs.append(li)
            expected.append(mean)
            if s < 0:
                kinds.append(0)
                tt_idx.append(-1)
                dists.append(_distribution(int(el.family[x]), mean, float(el.cv[x])))
                waits.append(False)
                continue
            rec = graph.services[s]
            waits.append(True)
            if rec.service_id in laws:  # a simulated wait, by the month of arrival
                assert depart is not None
                month = (depart + timedelta(hours=sum(expected[:-1]))).month - 1
                kinds.append(0)
                tt_idx.append(-1)
                dists.append(laws[rec.service_id][month])
            elif rec.timetable is None:  # an observed wait: a duration of its own
                kinds.append(0)
                tt_idx.append(-1)
                dists.append(_distribution(_LOGNORMAL, rec.wait_mean_h, rec.wait_cv))
            else:
                kinds.append(1)
                tt_idx.append(len(tts))
                dists.append(Degenerate(0.0))
                tts.append(rec.timetable)
                pcs.append(rec.p_cancel)
    if unknown:
        raise InputError(
            "cannot simulate a route whose time is unknown in the parameter tables: "
            + ", ".join(sorted(set(unknown))[:4]),
            argument="route",
            value=unknown[0],
        )
    return RouteModel(
        kind=np.asarray(kinds, dtype=np.int8),
        timetable_index=np.asarray(tt_idx, dtype=np.int32),
        distributions=tuple(dists),
        timetables=tuple(tts),
        p_cancel=np.asarray(pcs, dtype=np.float64).reshape(len(tts), 12),
        expected_h=np.asarray(expected, dtype=np.float64),
        is_wait=np.asarray(waits, dtype=bool),
        leg_index=np.asarray(legs, dtype=np.int32),
    )
