"""Small freight cases for tests and examples of the flow model (every figure made up).

* :func:`two_route_case`: ``A --rail 100 km-- B`` (capacity element ``CAP-FAST``) and
  ``A --road 100 km-- B``, bulk from A to B;
* :func:`two_port_case`: ``A`` reaches ``Q`` over port ``P1`` (short rail) or port ``P2``
  (longer rail), then ``B``; ``P1`` has a port capacity shared by both directions.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from corridor.demand.freight import FreightDemand
from corridor.network.model import Network
from corridor.testing import fixture_parameters

__all__ = ["capacity_row", "two_port_case", "two_route_case"]

_TEST = "test fixture: made-up figure"


def capacity_row(
    element_id: str,
    kind: str,
    capacity_t_per_yr: float,
    *,
    batch_t: float = math.nan,
    **keys: str,
) -> dict[str, object]:
    """One row of a ``capacities`` table (keys such as ``segment_ids`` or ``place_ids``)."""
    row: dict[str, object] = {
        "kind": kind,
        "id": element_id,
        "from_id": "",
        "to_id": "",
        "place_ids": "",
        "segment_ids": "",
        "service_ids": "",
        "mode_group": "",
        "modes": "",
        "direction": "both",
        "cargo_classes": "",
        "capacity_t_per_yr": capacity_t_per_yr,
        "capacity_t_per_yr_source": _TEST,
        "batch_t": batch_t,
        "batch_t_source": _TEST if math.isfinite(batch_t) else "",
    }
    row.update(keys)
    return row


def _places(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(*r, 40.0, "open") for r in rows],
        columns=["place_id", "name", "country", "kind", "lon", "lat", "status"],
    )


def _links(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    out = []
    for a, b, mode, km, extra in rows:
        for lid, f, t in ((f"{a}{b}_ab", a, b), (f"{a}{b}_ba", b, a)):
            out.append(
                {
                    "link_id": lid,
                    "from_id": f,
                    "to_id": t,
                    "mode": mode,
                    "length_km": km,
                    "length_km_source": _TEST,
                    "status": "open",
                    "segment_id": f"{a}{b}",
                    "service_id": extra,
                }
            )
    return pd.DataFrame(out)


def two_route_case(
    *,
    capacity_t_per_yr: float = 500.0,
    demand_t_per_yr: float = 1000.0,
    batch_t: float = math.nan,
) -> tuple[Network, FreightDemand]:
    """Return a two-route network and its bulk demand.

    ``A --rail_1520 100 km-- B`` (2 h, 100 USD/t at the fixture's 1 USD/km and 50 km/h)
    and ``A --road 100 km-- B`` (1.67 h, 200 USD/t). The rail section ``AB`` is the
    capacity element ``CAP-FAST``. Bulk is worth 0.1 USD per tonne-hour, so in hours of
    value of time the rail route costs 1002 h and the road 2001.67 h: the rail route
    carries freight until its queue delay reaches 999.67 h.

    Examples
    --------
    >>> net, demand = two_route_case()
    >>> net.n_places, demand.total_t
    (2, 1000.0)

    """
    places = _places([("A", "Alpha", "KAZ", "city", 70.0), ("B", "Bravo", "KAZ", "city", 71.0)])
    links = pd.concat(
        [_links([("A", "B", "rail_1520", 100.0, "")]), _links([("A", "B", "road", 100.0, "")])],
        ignore_index=True,
    )
    links.loc[links["mode"] == "road", "link_id"] = links["link_id"] + "_road"
    links.loc[links["mode"] == "road", "segment_id"] = "AB_road"
    params = fixture_parameters()
    params["capacities"] = pd.DataFrame(
        [capacity_row("CAP-FAST", "rail_section", capacity_t_per_yr, batch_t=batch_t,
                      segment_ids="AB")]
    )  # fmt: skip
    net = Network.from_frames(places, links, parameters=params, metadata={"name": "two routes"})
    demand = FreightDemand.from_records(
        [
            {
                "row_id": "AB-bulk",
                "origin": "A",
                "destination": "B",
                "commodity_group": "grain",
                "cargo_class": "bulk",
                "tonnes_per_yr": demand_t_per_yr,
                "tonnes_per_yr_source": _TEST,
            }
        ]
    )
    return net, demand


def two_port_case(
    *, port_capacity_t_per_yr: float = 300.0, demand_t_per_yr: float = 1000.0, back_t_per_yr: float = 0.0
) -> tuple[Network, FreightDemand]:
    """Return a two-port network: ``A`` to ``B`` over port ``P1`` or ``P2`` and ``Q``.

    ``A --rail 100-- P1 ~~sea 400~~ Q --rail 100-- B`` and ``A --rail 300-- P2 ~~sea 400~~ Q``;
    port transfers rail<->sea take 10 h and 20 USD per t at each port. ``P1``'s port
    transfers (both directions, every mode pair) are the element ``CAP-P1``. Demand
    ``A -> B`` and optionally ``B -> A`` (which also uses ``P1``'s capacity).

    Examples
    --------
    >>> net, demand = two_port_case(back_t_per_yr=100.0)
    >>> sorted(net.places["place_id"])
    ['A', 'B', 'P1', 'P2', 'Q']

    """
    places = _places(
        [
            ("A", "Alpha", "KAZ", "city", 60.0),
            ("P1", "Port one", "KAZ", "port", 61.0),
            ("P2", "Port two", "KAZ", "port", 61.5),
            ("Q", "Quay", "AZE", "port", 62.0),
            ("B", "Bravo", "AZE", "city", 63.0),
        ]
    )
    links = _links(
        [
            ("A", "P1", "rail_1520", 100.0, ""),
            ("A", "P2", "rail_1520", 300.0, ""),
            ("P1", "Q", "sea", 400.0, ""),
            ("P2", "Q", "sea", 400.0, ""),
            ("Q", "B", "rail_1520", 100.0, ""),
        ]
    )
    transfers = [
        (p, "port", a, b, "*", 10.0, 20.0, np.nan)
        for p in ("P1", "P2", "Q")
        for a, b in (("rail_1520", "sea"), ("sea", "rail_1520"))
    ]
    params = fixture_parameters(transfers=transfers)
    params["capacities"] = pd.DataFrame(
        [capacity_row("CAP-P1", "port", port_capacity_t_per_yr, place_ids="P1")]
    )
    net = Network.from_frames(places, links, parameters=params, metadata={"name": "two ports"})
    rows = [
        {
            "row_id": "AB",
            "origin": "A",
            "destination": "B",
            "commodity_group": "grain",
            "cargo_class": "bulk",
            "tonnes_per_yr": demand_t_per_yr,
        }
    ]
    if back_t_per_yr > 0:
        rows.append(
            {
                "row_id": "BA",
                "origin": "B",
                "destination": "A",
                "commodity_group": "grain",
                "cargo_class": "bulk",
                "tonnes_per_yr": back_t_per_yr,
            }
        )
    return net, FreightDemand.from_records(rows)
