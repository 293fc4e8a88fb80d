"""``ferry_waits``: simulated waits by month replace a service's timetable and cancellations."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from corridor.errors import InputError
from corridor.graph import build_graph
from corridor.reliability import build_route_model, simulate_route
from corridor.routing import search_routes
from corridor.routing.types import Route

from .conftest import line_network

DEC_1 = datetime(2026, 12, 1, 8, 0)
MONTHLY = [[10.0 * (m + 1)] for m in range(12)]  # January 10 h ... December 120 h


def _route(net) -> Route:  # type: ignore[no-untyped-def]
    return search_routes(net, "L", "R", k=1, cargo="container")[0]


def test_listed_service_draws_its_month_and_keeps_the_deterministic_time() -> None:
    net = line_network(cancellation=[("P", 12, 0.5)])
    best = _route(net)
    res = simulate_route(net, best, depart=DEC_1, samples=500, seed=1, ferry_waits={"S": MONTHLY})
    # rail 2 h + ferry 20 h + rail 2 h, and exactly December's wait of 120 h
    assert np.allclose(res.transit_time_h, 24.0 + 120.0)
    assert np.allclose(res.wait_h, 120.0)
    assert res.deterministic_h == pytest.approx(best.time_h)


def test_month_is_the_month_the_route_reaches_the_port() -> None:
    net = line_network()
    best = _route(net)
    # leaves 30 November 23:00; 2 h of rail: at the port on 1 December
    late_nov = datetime(2026, 11, 30, 23, 0)
    res = simulate_route(net, best, depart=late_nov, samples=50, seed=1, ferry_waits={"S": MONTHLY})
    assert np.allclose(res.wait_h, 120.0)
    early = datetime(2026, 11, 30, 21, 0)  # at the port at 23:00 on 30 November
    res = simulate_route(net, best, depart=early, samples=50, seed=1, ferry_waits={"S": MONTHLY})
    assert np.allclose(res.wait_h, 110.0)


def test_empirical_draws_resample_the_values() -> None:
    net = line_network()
    best = _route(net)
    waits = [[0.0, 100.0]] * 12
    res = simulate_route(net, best, depart=DEC_1, samples=20_000, seed=4, ferry_waits={"S": waits})
    assert set(np.unique(res.wait_h).tolist()) == {0.0, 100.0}
    assert res.wait_h.mean() == pytest.approx(50.0, abs=2.0)


def test_unlisted_services_are_unchanged() -> None:
    net = line_network(cancellation=[("P", 12, 0.5)])
    best = _route(net)
    a = simulate_route(net, best, depart=DEC_1, samples=3000, seed=9)
    b = simulate_route(
        net, best, depart=DEC_1, samples=3000, seed=9, ferry_waits={"OTHER": MONTHLY}
    )
    assert np.array_equal(a.transit_time_h, b.transit_time_h)


def test_model_elements_swapped() -> None:
    net = line_network()
    best = _route(net)
    graph = build_graph(net, cargo="container", include_planned=True)
    plain = build_route_model(graph, best)
    swapped = build_route_model(graph, best, ferry_waits={"S": MONTHLY}, depart=DEC_1)
    assert len(plain.timetables) == 1
    assert len(swapped.timetables) == 0
    assert swapped.kind.tolist().count(1) == 0
    assert swapped.is_wait.tolist() == plain.is_wait.tolist()
    assert swapped.deterministic_h == pytest.approx(plain.deterministic_h)


@pytest.mark.parametrize(
    ("waits", "match"),
    [
        ({"S": [[1.0]] * 11}, "12 monthly"),
        ({"S": [[1.0]] * 11 + [[]]}, "at least one"),
        ({"S": [[1.0]] * 11 + [[-1.0]]}, "at least one"),
    ],
)
def test_bad_ferry_waits(waits: dict[str, list[list[float]]], match: str) -> None:
    net = line_network()
    best = _route(net)
    with pytest.raises(InputError, match=match) as err:
        simulate_route(net, best, depart=DEC_1, samples=10, ferry_waits=waits)
    assert err.value.argument == "ferry_waits"


def test_ferry_waits_need_a_departure() -> None:
    net = line_network()
    graph = build_graph(net, cargo="container", include_planned=True)
    with pytest.raises(InputError, match="depart"):
        build_route_model(graph, _route(net), ferry_waits={"S": MONTHLY})
