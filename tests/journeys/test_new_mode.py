"""A new mode is one registry row plus data rows: route, simulate and assign on it.

No code names ``inland_waterway``; it exists only in the network's ``modes`` table and in
the parameter rows a water mode needs (speed, tariff, emission factor, port transfers, a
service with a departure rule).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.assignment import assign
from corridor.demand import Demand
from corridor.network.modes import DEFAULT_MODES, ModeRegistry
from corridor.reliability import simulate_route
from corridor.testing import fixture_parameters


def _river_network() -> corridor.Network:
    places = pd.DataFrame(
        {
            "place_id": ["A", "PA", "PB", "B"],
            "name": ["A", "river port A", "river port B", "B"],
            "country": ["KAZ"] * 4,
            "kind": ["city", "port", "port", "city"],
            "lon": [50.0, 50.5, 52.0, 52.5],
            "lat": [45.0] * 4,
        }
    )
    rows = [
        ("A", "PA", "rail_1520", 50.0, ""),
        ("PA", "PB", "inland_waterway", 300.0, "RIVER"),
        ("PB", "B", "rail_1520", 50.0, ""),
        ("A", "B", "rail_1520", 2000.0, ""),
    ]
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
            ("PA", "port", "rail_1520", "inland_waterway", "*", 4.0, 30.0, np.nan),
            ("PB", "port", "rail_1520", "inland_waterway", "*", 4.0, 30.0, np.nan),
        ]
    )
    reg = ModeRegistry(DEFAULT_MODES).to_table()
    river = {
        "name": "inland_waterway",
        "gauge_mm": 0,
        "water": True,
        "scheduled": True,
        "border_group": "sea",
        "gmns_use": "barge",
        "description": "river barge",
    }
    params["modes"] = pd.concat([reg, pd.DataFrame([river])], ignore_index=True)
    params["mode_speeds"] = pd.concat(
        [
            params["mode_speeds"],
            pd.DataFrame([{"mode": "inland_waterway", "country": "*", "speed_kmh": 12.0}]),
        ],
        ignore_index=True,
    )
    params["tariffs"] = pd.concat(
        [
            params["tariffs"],
            pd.DataFrame(
                [
                    {
                        "mode": "inland_waterway",
                        "country": "*",
                        "cargo": "*",
                        "rate_usd_per_unit_km": 0.2,
                        "fixed_usd_per_unit": 0.0,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    params["emission_factors"] = pd.concat(
        [
            params["emission_factors"],
            pd.DataFrame([{"mode": "inland_waterway", "co2e_g_per_tkm": 30.0}]),
        ],
        ignore_index=True,
    )
    params["ferry_services"] = pd.DataFrame(
        [
            {
                "service_id": "RIVER",
                "from_id": "PA",
                "to_id": "PB",
                "departure_rule": "headway",
                "headway_h": 24.0,
                "voyage_time_h": 25.0,
            }
        ]
    )
    return corridor.Network.from_frames(places, links, parameters=params)  # fmt: skip


def test_route_simulate_and_assign_on_a_new_mode() -> None:
    net = _river_network()
    assert net.modes["inland_waterway"].water
    best = corridor.route(net, "A", "B", objective="cost", k=1, cargo="container")[0]
    modes = [leg.mode for leg in best.legs]
    assert "inland_waterway" in modes
    kinds = [leg.kind for leg in best.legs]
    assert kinds == ["run", "port", "run", "port", "run"]
    # 1 h rail + 4 h port + (expected wait 12 h + 25 h voyage) + 4 h port + 1 h rail
    assert best.time_h == pytest.approx(1 + 4 + 12 + 25 + 4 + 1)
    assert best.legs[2].wait_h == pytest.approx(12.0)
    res = simulate_route(net, best, depart=datetime(2026, 12, 1), samples=2000, seed=1)
    assert res.deterministic_h == pytest.approx(best.time_h)
    assert res.wait_h.min() >= 0.0
    assert res.wait_h.max() <= 24.0
    demand = Demand.from_matrix(["A", "B"], np.array([[0.0, 2.0], [0.0, 0.0]]))
    out = assign(net, demand, method="aon")
    by_generalized = corridor.route(net, "A", "B", objective="generalized", k=1)[0]
    assert float(out.flows @ out.costs) == pytest.approx(2 * by_generalized.objective_value)
    only = corridor.route(net, "A", "B", modes=["inland_waterway", "rail_1520"], k=1,
                          cargo="container")  # fmt: skip
    assert only[0].legs


def test_a_mode_missing_from_the_registry_is_named() -> None:
    net = _river_network()
    params = dict(net.parameters)
    params["modes"] = ModeRegistry(DEFAULT_MODES).to_table()
    broken = net.replace(parameters=params)
    with pytest.raises(corridor.InputError, match="inland_waterway"):
        corridor.route(broken, "A", "B", k=1)
