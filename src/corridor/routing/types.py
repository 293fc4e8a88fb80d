"""Result types of routing: a :class:`Route` made of :class:`Leg` objects.

These are plain frozen records shared by routing, reliability and the interfaces (CLI, JSON,
GeoJSON). They hold no network and no arrays, so they are cheap to copy and compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from corridor.graph.build import EDGE_KINDS

__all__ = ["COMPONENTS", "LEG_KINDS", "Leg", "Route"]

#: ``run`` moves along a network link; the others are transfers at one place (the edge
#: kinds of the expanded graph, but ``stay``, which carries on in one mode and is no leg).
LEG_KINDS: tuple[str, ...] = tuple(k for k in EDGE_KINDS if k != "stay")

#: Components of a route's time and money (:meth:`Route.breakdown`): ``running`` (moving
#: along links: driving, train and vessel running, and the freight charged for it),
#: ``rest`` (drivers' breaks and rests), ``waiting`` (for a sailing), ``border`` (dwell and
#: fees at crossings), ``transfer`` (gauge breaks, transhipments, mode changes) and ``port``
#: (handling between land and water).
COMPONENTS: tuple[str, ...] = ("running", "rest", "waiting", "border", "transfer", "port")


@dataclass(frozen=True)
class Leg:
    """One leg of a route: a run along a link, or a transfer at a place.

    Attributes
    ----------
    kind : str
        One of :data:`LEG_KINDS`.
    mode : str
        The link's mode for a run (``rail_1520`` ...); for a transfer, the modes joined by
        ``">"`` (``"rail_1520>rail_1435"``), or the mode on both sides for a border.
    from_id, to_id : str
        Place ids; equal for a transfer at one place. A ``border`` leg is the exception: its
        ``from_id`` and ``to_id`` are the two sides of the crossing (the ends of the crossing
        link, whose id is in ``link_id``); the run along that link is a leg of its own.
    length_km : float
        Distance moved (0 for a transfer).
    time_h : float
        Expected time: running + drivers' rests + dwell + expected wait for a service.
    cost_usd : float
        Money for all units of cargo.
    co2e_kg : float
        Well-to-wheel CO2e for all units of cargo.
    link_id : str
        Network link id of a run (or of the crossing link of a border leg), else ``""``.
    place_id : str
        Place of a transfer, else ``""``.
    wait_h : float
        Expected wait for a scheduled service, included in ``time_h``.
    service_id : str
        Ferry or sea service ridden on this leg, else ``""``.
    from_mode, to_mode : str
        The modes on either side (equal for a run or border; the two layers of a
        transfer).
    rest_h : float
        Drivers' breaks and rests counted on this run (:mod:`corridor.graph.driving`),
        included in ``time_h``.

    """

    kind: str
    mode: str
    from_id: str
    to_id: str
    length_km: float
    time_h: float
    cost_usd: float
    co2e_kg: float
    link_id: str = ""
    place_id: str = ""
    wait_h: float = 0.0
    service_id: str = ""
    from_mode: str = ""
    to_mode: str = ""
    rest_h: float = 0.0

    @property
    def component(self) -> str:
        """The component of :data:`COMPONENTS` this leg's dwell or handling belongs to."""
        if self.kind == "run":
            return "running"
        if self.kind == "border":
            return "border"
        if self.kind == "port":
            return "port"
        return "transfer"

    def breakdown(self) -> dict[str, dict[str, float]]:
        """Return the leg's ``time_h`` and ``cost_usd`` by component (:data:`COMPONENTS`).

        Examples
        --------
        >>> leg = Leg("run", "ferry", "A", "B", 300.0, 72.0, 900.0, 50.0, wait_h=60.0)
        >>> leg.breakdown()["time_h"]["waiting"], leg.breakdown()["time_h"]["running"]
        (60.0, 12.0)

        """
        time = dict.fromkeys(COMPONENTS, 0.0)
        cost = dict.fromkeys(COMPONENTS, 0.0)
        own = self.component
        if own == "running":
            time["running"] = self.time_h - self.wait_h - self.rest_h
            time["waiting"] = self.wait_h
            time["rest"] = self.rest_h
        else:
            time[own] = self.time_h
        cost[own] = self.cost_usd
        return {"time_h": time, "cost_usd": cost}

    def to_dict(self) -> dict[str, Any]:
        """Return the leg as a JSON-ready dict (``from``/``to`` keys for the place ids)."""
        d = asdict(self)
        d["from"] = d.pop("from_id")
        d["to"] = d.pop("to_id")
        return d


@dataclass(frozen=True)
class Route:
    """A route from an origin to a destination for some cargo.

    Attributes
    ----------
    rank : int
        1 for the best alternative under the objective.
    legs : tuple of Leg
        Runs and transfers in order.
    objective : str
        What the route was ranked by.
    cargo : str
        Cargo class id.
    units : float
        Units of cargo (TEU, FEU, tonnes or trucks, by cargo class).
    objective_value : float
        The value the routes were ranked by (for a simulated objective, its statistic).
    generalized_cost_usd : float
        ``cost_usd + value_of_time_usd_per_h * time_h + carbon_price_usd_per_t * co2e_t``.
    value_of_time_usd_per_h, carbon_price_usd_per_t : float
        The prices used for the generalized cost (for the whole consignment).
    countries : tuple of str
        Countries passed, in order.
    border_countries : tuple of str
        ``"KAZ>TKM"`` per border leg.
    unknown : tuple of str
        Figures the parameter tables do not give (``time_h of border A>B``); the totals
        are then NaN for that figure.
    method : str
        How the route was found (and what the search left out).
    crew : int
        Drivers per truck the road legs were timed for (:mod:`corridor.graph.driving`).
    reliability : mapping, optional
        The simulated transit-time figures
        (:meth:`corridor.reliability.ReliabilityResult.to_dict`), when simulated.

    """

    rank: int
    legs: tuple[Leg, ...]
    objective: str = "time"
    cargo: str = ""
    units: float = 1.0
    objective_value: float = float("nan")
    generalized_cost_usd: float = float("nan")
    value_of_time_usd_per_h: float = 0.0
    carbon_price_usd_per_t: float = 0.0
    countries: tuple[str, ...] = ()
    border_countries: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    method: str = ""
    crew: int = 1
    reliability: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def origin(self) -> str:
        """Place id of the first leg's start."""
        return self.legs[0].from_id if self.legs else ""

    @property
    def destination(self) -> str:
        """Place id of the last leg's end."""
        return self.legs[-1].to_id if self.legs else ""

    @property
    def length_km(self) -> float:
        """Sum of the legs' lengths."""
        return float(sum(leg.length_km for leg in self.legs))

    @property
    def time_h(self) -> float:
        """Sum of the legs' expected times."""
        return float(sum(leg.time_h for leg in self.legs))

    @property
    def cost_usd(self) -> float:
        """Sum of the legs' costs."""
        return float(sum(leg.cost_usd for leg in self.legs))

    @property
    def co2e_kg(self) -> float:
        """Sum of the legs' CO2e."""
        return float(sum(leg.co2e_kg for leg in self.legs))

    @property
    def borders(self) -> list[Leg]:
        """Border-crossing legs, in order."""
        return [leg for leg in self.legs if leg.kind == "border"]

    @property
    def transfers(self) -> list[Leg]:
        """All transfer legs (every kind but ``run``), in order."""
        return [leg for leg in self.legs if leg.kind != "run"]

    @property
    def gauge_changes(self) -> list[Leg]:
        """Gauge-break legs, in order."""
        return [leg for leg in self.legs if leg.kind == "gauge_break"]

    def breakdown(self) -> dict[str, dict[str, float]]:
        """Return the route's ``time_h`` and ``cost_usd`` by component (:data:`COMPONENTS`).

        Each figure is the sum over the legs (:meth:`Leg.breakdown`), so the components add
        up to :attr:`time_h` and :attr:`cost_usd`.

        Examples
        --------
        >>> from corridor.routing import search_routes
        >>> from corridor.testing import gauge_network
        >>> r = search_routes(gauge_network(), "A", "B", k=1)[0]
        >>> b = r.breakdown()
        >>> b["time_h"]["transfer"], sum(b["time_h"].values()) == r.time_h
        (6.0, True)

        """
        out: dict[str, dict[str, float]] = {
            "time_h": dict.fromkeys(COMPONENTS, 0.0),
            "cost_usd": dict.fromkeys(COMPONENTS, 0.0),
        }
        for leg in self.legs:
            for figure, parts in leg.breakdown().items():
                for name, value in parts.items():
                    out[figure][name] += value
        return out

    def totals(self) -> dict[str, float]:
        """Return ``{"length_km", "time_h", "cost_usd", "co2e_kg"}`` summed over legs."""
        return {
            "length_km": self.length_km,
            "time_h": self.time_h,
            "cost_usd": self.cost_usd,
            "co2e_kg": self.co2e_kg,
        }
