"""Routing and the simulation read one model: the same route has the same time in both.

For every alternative of 50 random origin-destination pairs on the default network, and on
random multimodal networks, routing's leg time equals the simulation's deterministic time
of that leg (every duration at its mean, every wait at the service's expected wait).
"""

from __future__ import annotations

import numpy as np
import pytest

from corridor.errors import NoRouteError
from corridor.graph import GraphCache
from corridor.network.default import load_default
from corridor.reliability import build_route_model, simulation_graph
from corridor.routing import search_routes
from corridor.testing import random_multimodal_network


def _check(net, pairs, cache, objective="time", rested=None):  # type: ignore[no-untyped-def]
    checked_routes = 0
    for o, d in pairs:
        try:
            routes = search_routes(net, o, d, k=3, objective=objective, cache=cache)
        except NoRouteError:
            continue
        graph = simulation_graph(net, routes[0].cargo, cache=cache)
        for r in routes:
            if r.unknown:
                continue
            model = build_route_model(graph, r)
            for li, leg in enumerate(r.legs):
                got = float(model.expected_h[model.leg_index == li].sum())
                assert got == pytest.approx(leg.time_h, rel=1e-12, abs=1e-9), (o, d, li, leg)
            assert model.deterministic_h == pytest.approx(r.time_h, rel=1e-12)
            checked_routes += 1
            if rested is not None and any(leg.rest_h > 0 for leg in r.legs):
                rested.append(r)
    return checked_routes


def test_default_network_50_pairs() -> None:
    net = load_default()
    ids = net.places.loc[net.places["status"] == "open", "place_id"].tolist()
    rng = np.random.default_rng(2026)
    pairs = [tuple(rng.choice(ids, 2, replace=False).tolist()) for _ in range(50)]
    cache = GraphCache()
    rested: list[object] = []
    checked = _check(net, pairs, cache, rested=rested)
    # most random pairs are connected; a floor so that the test cannot pass on nothing
    assert checked >= 60, checked
    # drivers' rests (route-level schedule, drawn as constant elements) are exercised
    assert len(rested) >= 10, len(rested)


@pytest.mark.parametrize("seed", range(6))
def test_random_multimodal_networks(seed: int) -> None:
    net = random_multimodal_network(300 + seed, 25, 100)
    ids = net.places["place_id"].tolist()
    rng = np.random.default_rng(seed)
    pairs = [tuple(rng.choice(ids, 2, replace=False).tolist()) for _ in range(12)]
    cache = GraphCache()
    checked = _check(net, pairs, cache, objective="time")
    assert checked >= 1, f"seed={seed}: no route checked"
