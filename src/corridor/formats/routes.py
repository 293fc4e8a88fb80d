"""Routes as JSON and GeoJSON: the result format every interface prints or serves.

The JSON payload is ``{"routes": [...]}``, each route with its legs, totals, borders,
transfers, gauge changes, ferries and countries; the GeoJSON is a FeatureCollection with one
LineString per leg, after the route exchange model of OGC API - Routes.
"""

from __future__ import annotations

import math
from typing import Any

from corridor.network.model import Network
from corridor.routing.types import Route

__all__ = ["routes_to_geojson", "routes_to_json"]


def routes_to_json(network: Network, routes: list[Route]) -> dict[str, Any]:
    """Return routes as the ``--json`` payload ``{"routes": [...]}``.

    Each route has ``rank``, ``objective``, ``objective_value``, ``cargo``, ``units``,
    ``legs`` (every :class:`~corridor.routing.types.Leg` field, ``from``/``to`` for the
    place ids), ``totals``, ``borders`` (with ``countries`` such as ``"KAZ>TKM"``),
    ``transfers``, ``gauge_changes``, ``ferries``, ``countries``,
    ``generalized_cost_usd`` (with the ``value_of_time_usd_per_h`` and
    ``carbon_price_usd_per_t`` it uses), ``breakdown`` (time and money by component:
    running, rest, waiting, border, transfer, port; :meth:`~corridor.routing.types.Route.
    breakdown`), ``crew`` and ``method`` (how the route was found, and what was dropped).

    Examples
    --------
    >>> from corridor.routing import search_routes
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> payload = routes_to_json(net, search_routes(net, "A", "B", k=1))
    >>> payload["routes"][0]["totals"]["time_h"], len(payload["routes"][0]["gauge_changes"])
    (13.0, 1)
    >>> payload["routes"][0]["breakdown"]["time_h"]["transfer"]
    6.0

    """
    country = dict(zip(network.places["place_id"], network.places["country"], strict=True))
    out = []
    for r in routes:
        legs = [leg.to_dict() for leg in r.legs]
        borders = [
            {
                "from": b.from_id,
                "to": b.to_id,
                "countries": f"{country.get(b.from_id, '')}>{country.get(b.to_id, '')}",
                "link_id": b.link_id,
                "mode": b.mode,
                "time_h": b.time_h,
                "cost_usd": b.cost_usd,
            }
            for b in r.borders
        ]
        transfers = [
            {
                "kind": t.kind,
                "place": t.place_id or t.from_id,
                "mode": t.mode,
                "time_h": t.time_h,
                "cost_usd": t.cost_usd,
                "co2e_kg": t.co2e_kg,
            }
            for t in r.transfers
        ]
        out.append(
            {
                "rank": r.rank,
                "objective": r.objective,
                "objective_value": r.objective_value,
                "cargo": r.cargo,
                "units": r.units,
                "legs": legs,
                "totals": r.totals(),
                "breakdown": r.breakdown(),
                "borders": borders,
                "transfers": transfers,
                "gauge_changes": [t for t in transfers if t["kind"] == "gauge_break"],
                "ferries": [
                    {
                        "from": leg.from_id,
                        "to": leg.to_id,
                        "link_id": leg.link_id,
                        "service_id": leg.service_id,
                        "wait_h": leg.wait_h,
                    }
                    for leg in r.legs
                    if leg.kind == "run" and leg.service_id
                ],
                "countries": list(r.countries),
                "generalized_cost_usd": r.generalized_cost_usd,
                "value_of_time_usd_per_h": r.value_of_time_usd_per_h,
                "carbon_price_usd_per_t": r.carbon_price_usd_per_t,
                "method": r.method,
                "crew": r.crew,
                "unknown": list(r.unknown),
                **({"reliability": dict(r.reliability)} if r.reliability is not None else {}),
            }
        )
    return {"routes": out}


def routes_to_geojson(network: Network, routes: list[Route]) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection with one LineString feature per leg.

    Modelled on the route exchange model of OGC API - Routes: each feature is a segment
    with ``featureType`` ``"segment"``, the route's ``rank`` and the leg's index and fields.
    A transfer at one place is a line of two equal points; a leg whose places have no
    coordinates has a null geometry. Lines are straight between places.

    Examples
    --------
    >>> from corridor.routing import search_routes
    >>> from corridor.testing import gauge_network
    >>> net = gauge_network()
    >>> fc = routes_to_geojson(net, search_routes(net, "A", "B", k=1))
    >>> fc["type"], len(fc["features"]), fc["features"][0]["geometry"]["coordinates"]
    ('FeatureCollection', 3, [[70.0, 45.0], [72.0, 45.0]])

    """
    xy = {
        str(p): (float(x), float(y))
        for p, x, y in zip(
            network.places["place_id"], network.places["lon"], network.places["lat"], strict=True
        )
    }
    features = []
    for r in routes:
        for i, leg in enumerate(r.legs):
            a, b = xy.get(leg.from_id), xy.get(leg.to_id)
            ok = a is not None and b is not None and not any(map(math.isnan, (*a, *b)))
            geometry = (
                {"type": "LineString", "coordinates": [list(a), list(b)]}
                if ok and a is not None and b is not None
                else None
            )
            props = {"featureType": "segment", "rank": r.rank, "leg": i, **leg.to_dict()}
            features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}
