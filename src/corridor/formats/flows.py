"""Freight flows as GeoJSON: the loaded links of a flow case, for a map.

The JSON of a flow case is its report (:func:`corridor.flows.flows_report`, the payload of
``corridor flows --json``); this module writes the other format, a FeatureCollection with
one LineString per network link that carries freight (runs and border crossings), straight
between its places, with the link's tonnes per year, TEU per year, the highest use of the
capacities on it and its queue delay. The report's ``totals``, ``bottlenecks`` and
``scenario`` ride along as foreign members of the collection (RFC 7946 section 6.1), so a
map draws the layer and lists the bottlenecks from one answer.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the flow model loads numba: a route query must not pay for it
    from corridor.flows.results import FlowResult
    from corridor.network.model import Network

__all__ = ["LINK_KINDS", "flows_to_geojson"]

#: The kinds of :attr:`FlowResult.links` rows drawn as lines (they are network links).
LINK_KINDS: tuple[str, ...] = ("run", "border")


def _num(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def flows_to_geojson(
    network: Network, result: FlowResult, report: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the loaded links of a flow case as a GeoJSON FeatureCollection.

    One feature per directed link with freight, heaviest first; properties ``link_id``,
    ``kind`` (``run`` or ``border``), ``mode``, ``from``, ``to``, ``t_per_yr``,
    ``teu_per_yr``, ``use_ratio`` (highest use of the capacity elements on the link, 0
    without one), ``delay_h``, ``length_km`` and ``t_per_yr_<cargo class>``. A link whose
    places lack coordinates has a null geometry.

    Parameters
    ----------
    network : Network
        The network of the case (for the places' coordinates).
    result : FlowResult
        The solved case.
    report : dict, optional
        Its report; ``scenario``, ``totals`` and ``bottlenecks`` are added to the collection.

    Examples
    --------
    >>> from corridor.flows import assign_flows
    >>> from corridor.testing import two_route_case
    >>> net, demand = two_route_case()
    >>> fc = flows_to_geojson(net, assign_flows(net, demand, gap=1e-9))
    >>> [(f["properties"]["link_id"], round(f["properties"]["t_per_yr"])) for f in fc["features"]]
    [('AB_ab', 614), ('AB_ab_road', 386)]

    """
    xy = {
        str(p): (float(x), float(y))
        for p, x, y in zip(
            network.places["place_id"], network.places["lon"], network.places["lat"], strict=True
        )
    }
    links = result.links
    links = links[links["kind"].isin(LINK_KINDS)]
    by_class = [c for c in links.columns if str(c).startswith("t_per_yr_")]
    features: list[dict[str, Any]] = []
    for row in links.to_dict("records"):
        a, b = xy.get(str(row["from_place"])), xy.get(str(row["to_place"]))
        ok = a is not None and b is not None and not any(map(math.isnan, (*a, *b)))
        geometry = (
            {"type": "LineString", "coordinates": [list(a), list(b)]}
            if ok and a is not None and b is not None
            else None
        )
        props: dict[str, Any] = {
            "link_id": str(row["ref"]),
            "kind": str(row["kind"]),
            "mode": str(row["from_mode"]),
            "from": str(row["from_place"]),
            "to": str(row["to_place"]),
            "t_per_yr": _num(row["t_per_yr"]),
            "teu_per_yr": _num(row["teu_per_yr"]),
            "use_ratio": _num(row["use_ratio"]),
            "delay_h": _num(row["delay_h"]),
            "length_km": _num(row["length_km"]),
        }
        for col in by_class:
            props[str(col)] = _num(row[col])
        features.append(
            {"type": "Feature", "id": props["link_id"], "geometry": geometry, "properties": props}
        )
    features.sort(key=lambda f: (-(f["properties"]["t_per_yr"] or 0.0), f["id"]))
    out: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if report is not None:
        for key in ("scenario", "totals", "bottlenecks"):
            if key in report:
                out[key] = report[key]
    return out
