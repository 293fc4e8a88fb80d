from __future__ import annotations

import pandas as pd
import pytest

from corridor.network.model import Network
from corridor.reliability import ReliabilityParameters, load_reliability_parameters
from corridor.routing.types import Leg


@pytest.fixture(scope="session")
def shipped() -> ReliabilityParameters:
    return load_reliability_parameters()


@pytest.fixture(scope="session")
def port_net() -> Network:
    """Two ports P, Q and a land place L, all in the made-up country XXX."""
    places = pd.DataFrame(
        {
            "place_id": ["L", "P", "Q", "R"],
            "name": ["land", "port P", "port Q", "port R"],
            "country": ["XXX", "XXX", "YYY", "ZZZ"],
            "kind": ["city", "port", "port", "port"],
        }
    )
    links = pd.DataFrame(
        {"link_id": ["LP"], "from_id": ["L"], "to_id": ["P"], "mode": ["rail_1520"]}
    )
    return Network.from_frames(places, links)


def ferry_params(
    base: ReliabilityParameters,
    services: list[dict[str, object]],
    *,
    cancel: list[tuple[str, int, float]] = (),  # type: ignore[assignment]
    rail_cv: float = 0.0,
) -> ReliabilityParameters:
    """Parameters with only the given services, cancellations and a rail spread."""
    fs = pd.DataFrame(
        [
            {
                "service_id": "",
                "weekdays": "",
                "departure_times": "",
                "headway_h": float("nan"),
                **s,
            }
            for s in services
        ],
        columns=["service_id", "from_id", "to_id", "weekdays", "departure_times", "headway_h"],
    )
    cx = pd.DataFrame(cancel, columns=["place_id", "month", "p_cancel"])
    family = "degenerate" if rail_cv == 0.0 else "lognormal"
    rs = pd.DataFrame(
        {
            "mode": ["rail_1520", "ferry", "road"],
            "country": ["*", "*", "*"],
            "distribution": [family, "degenerate", "degenerate"],
            "mean_factor": [1.0, 1.0, 1.0],
            "cv": [rail_cv, 0.0, 0.0],
        }
    )
    return base.with_tables(ferry_services=fs, cancellation=cx, run_spread=rs)


def rail(a: str, b: str, time_h: float) -> Leg:
    return Leg("run", "rail_1520", a, b, 100.0, time_h, 0.0, 0.0)


def ferry(a: str, b: str, voyage_h: float, service_id: str = "") -> Leg:
    return Leg("run", "ferry", a, b, 300.0, voyage_h, 0.0, 0.0, service_id=service_id)
