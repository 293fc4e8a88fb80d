"""A line network for the simulation tests: L --rail-- P ~~ferry S~~ Q --rail-- R.

Every figure is a test fixture. Rail runs at 50 km/h (so 100 km is 2 h), the ferry S takes
``voyage_h`` and sails by the rule given; port transfers at P and Q take ``port_h``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from corridor.network.model import Network
from corridor.testing import fixture_parameters


def line_network(
    *,
    rail_km: tuple[float, float] = (100.0, 100.0),
    voyage_h: float = 20.0,
    port_h: float = 0.0,
    service: dict[str, Any] | None = None,
    cancellation: list[tuple[str, int, float]] = (),  # type: ignore[assignment]
    rail_cv: float = 0.0,
    ferry_country: str = "KAZ",
    road_km: float | None = None,
) -> Network:
    """Return the line network with one ferry service ``S`` (columns of ``service``).

    With ``road_km`` a direct road ``L--R`` is added (60 km/h, no spread).
    """
    places = pd.DataFrame(
        {
            "place_id": ["L", "P", "Q", "R"],
            "name": ["Land", "Port P", "Port Q", "Rear"],
            "country": ["KAZ", "KAZ", ferry_country, ferry_country],
            "kind": ["city", "port", "port", "city"],
            "lon": [60.0, 61.0, 62.0, 63.0],
            "lat": [40.0, 40.0, 40.0, 40.0],
        }
    )
    rows = [("L", "P", "rail_1520", rail_km[0], ""), ("P", "Q", "ferry", 400.0, "S"),
            ("Q", "R", "rail_1520", rail_km[1], "")]  # fmt: skip
    if road_km is not None:
        rows.append(("L", "R", "road", road_km, ""))
    links = pd.DataFrame(
        [
            {
                "link_id": f"{a}{b}",
                "from_id": a,
                "to_id": b,
                "mode": m,
                "length_km": km,
                "service_id": s,
            }
            for a, b, m, km, s in rows
        ]
    )
    params = fixture_parameters(
        transfers=[
            ("P", "port", "rail_1520", "ferry", "*", port_h, 10.0, np.nan),
            ("Q", "port", "rail_1520", "ferry", "*", port_h, 10.0, np.nan),
        ],
    )
    svc = {
        "service_id": "S",
        "from_id": "P",
        "to_id": "Q",
        "voyage_time_h": voyage_h,
        "rate_usd_per_teu": 100.0,
        **(service or {"departure_rule": "headway", "headway_h": 96.0}),
    }
    params["ferry_services"] = pd.DataFrame([svc])
    params["cancellation"] = pd.DataFrame(cancellation, columns=["place_id", "month", "p_cancel"])
    if rail_cv:
        speeds = params["mode_speeds"].copy()
        speeds["running_cv"] = np.where(speeds["mode"] == "rail_1520", rail_cv, np.nan)
        params["mode_speeds"] = speeds
    return Network.from_frames(places, links, parameters=params, metadata={"name": "line"})
