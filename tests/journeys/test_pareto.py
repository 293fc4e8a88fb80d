"""The bad-case stage of Pareto fronts (corridor.pareto_routes with depart) and the plot."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

import corridor
from corridor.errors import InputError
from corridor.graph import GraphCache
from corridor.journeys.pareto import p90_interval, pareto_routes, plot_front, with_p90
from corridor.network.default import load_default
from corridor.reliability import deterministic_time
from corridor.routing import pareto_routes as routing_pareto_routes
from corridor.testing import border_network, ferry_network

DEPART = datetime(2026, 12, 1, 8)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def default_net():  # type: ignore[no-untyped-def]
    return load_default()


@pytest.fixture(scope="module")
def default_cache():  # type: ignore[no-untyped-def]
    return GraphCache()


def test_corridor_pareto_routes_is_the_journeys_one():
    assert corridor.pareto_routes is pareto_routes
    net = border_network()
    plain = pareto_routes(net, "A", "D", include_planned=True)
    assert not plain.p90
    assert (
        plain.values().tolist()
        == routing_pareto_routes(net, "A", "D", include_planned=True).values().tolist()
    )


def test_with_p90_marks_exactly_the_dominated_members(default_net, default_cache):
    front = routing_pareto_routes(default_net, "Astana", "Bandar Abbas", cache=default_cache)
    a = with_p90(front, default_net, depart=DEPART, samples=400, seed=3, cache=default_cache)
    b = pareto_routes(
        default_net,
        "Astana",
        "Bandar Abbas",
        depart=DEPART,
        samples=400,
        seed=3,
        cache=default_cache,
    )
    assert a.p90
    assert not front.p90
    assert [m.p90_h for m in a] == [m.p90_h for m in b]  # same seed, same figures
    crit = {m.rank: (m.p90_h, m.cost_usd, m.co2e_kg) for m in a}  # P90 replaces the mean
    for m in a:
        assert m.p90_h is not None
        assert m.p90_interval_h is not None
        lo, hi = m.p90_interval_h
        assert lo <= m.p90_h <= hi
        assert m.route.reliability is not None
        assert m.p90_h == m.route.reliability["p90_h"]
        assert m.route.reliability["samples"] == 400
        want = tuple(
            k
            for k, c in crit.items()
            if k != m.rank
            and all(x <= y for x, y in zip(c, crit[m.rank], strict=True))
            and c != crit[m.rank]
        )
        assert m.p90_dominated_by == want
        assert m.p90_on_front == (not want)
        assert m.route.legs == front[m.rank - 1].route.legs
        assert m.label == front[m.rank - 1].label
    assert any(m.p90_on_front for m in a)  # a member minimal on (P90, cost, CO2e) exists


def test_members_time_is_the_simulation_deterministic_time(default_net, default_cache):
    # routing's time is by construction the simulation's central value, member by member
    checked = 0
    for o, d in [("Almaty", "Tehran"), ("Aktau", "Baku"), ("Moscow", "Bandar Abbas")]:
        front = routing_pareto_routes(default_net, o, d, cache=default_cache)
        for m in front:
            det = deterministic_time(default_net, m.route, cache=default_cache)
            assert det == pytest.approx(m.time_h, rel=1e-9), f"{o}->{d} member {m.rank}"
            checked += 1
    assert checked >= 20


def test_ferry_member_p90_above_its_mean():
    # the ferry network's sailings make the bad case longer than the expected time
    front = pareto_routes(ferry_network(), "A", "B", depart=DEPART, samples=2000, seed=5)
    assert len(front) >= 1
    for m in front:
        assert m.p90_h is not None
        assert m.p90_h >= m.route.reliability["p50_h"]


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"depart": "2026-12-01"}, "depart"),
        ({"depart": DEPART, "samples": 0}, "samples"),
        ({"depart": DEPART, "seed": -1}, "seed"),
        ({"epsilon": -1}, "epsilon"),
    ],
)
def test_bad_options_name_their_argument(options, argument):
    with pytest.raises(InputError) as err:
        pareto_routes(border_network(), "A", "D", **options)
    assert err.value.argument == argument


def test_p90_interval_holds_the_true_percentile():
    rng = np.random.default_rng(11)
    covered = 0
    for _ in range(200):
        draws = rng.exponential(1.0, 400)
        lo, hi = p90_interval(draws)
        covered += lo <= np.log(10.0) <= hi  # the true P90 of Exp(1)
    assert covered >= 180  # a 95 % interval: about 190 of 200


def test_plot_front_writes_an_image(default_net, default_cache, tmp_path):
    front = routing_pareto_routes(default_net, "Almaty", "Tehran", cache=default_cache)
    out = plot_front(front, tmp_path / "front.png")
    assert out.read_bytes()[:8] == PNG
    simulated = with_p90(
        front, default_net, depart=DEPART, samples=200, seed=1, cache=default_cache
    )
    svg = plot_front(simulated, tmp_path / "front.svg", title="Almaty -> Tehran")
    text = svg.read_text()
    assert "Almaty -&gt; Tehran" in text or "Almaty -> Tehran" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["front.png", "front.svg"]
    with pytest.raises(InputError):
        plot_front(front, tmp_path / "front.txt")
