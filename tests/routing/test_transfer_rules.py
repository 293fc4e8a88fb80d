"""Transfer rules, one wait per voyage, one border per crossing, pruning and via places.

Known answers worked by hand on tiny networks built here from the test fixture tables
(:func:`corridor.testing.fixture_parameters`: road 60 km/h, rail_1520 50 km/h, sea 25 km/h;
border sides KAZ sea exit 2 h, IRN sea entry 3 h ...), and invariants on random networks.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from corridor.errors import NoRouteError, PlaceNotFoundError
from corridor.network.model import Network
from corridor.routing import search_routes as route
from corridor.routing.types import Route
from corridor.testing import fixture_parameters, random_multimodal_network

_SRC = "test fixture: made-up figure"


def _net(places, links, **params) -> Network:  # type: ignore[no-untyped-def]
    p = pd.DataFrame(
        [(pid, pid, c, "city", x, 40.0, "open") for pid, c, x in places],
        columns=["place_id", "name", "country", "kind", "lon", "lat", "status"],
    )
    rows = []
    for a, b, mode, km, *svc in links:
        for lid, f, t in ((f"{a}{b}{mode}_ab", a, b), (f"{a}{b}{mode}_ba", b, a)):
            rows.append(
                {
                    "link_id": lid,
                    "from_id": f,
                    "to_id": t,
                    "mode": mode,
                    "length_km": km,
                    "length_km_source": _SRC,
                    "status": "open",
                    "service_id": svc[0] if svc else "",
                }
            )
    return Network.from_frames(p, pd.DataFrame(rows), parameters=fixture_parameters(**params))


def _port_network(direct_h: float = 50.0) -> Network:
    """X --road 60-- P(port: road, rail, sea) ~~sea 300, S~~ Y(IRN); P --rail 2000-- R."""
    return _net(
        [("X", "KAZ", 50.0), ("P", "KAZ", 51.0), ("R", "KAZ", 52.0), ("Y", "IRN", 52.0)],
        [
            ("X", "P", "road", 60.0),
            ("P", "R", "rail_1520", 2000.0),
            ("P", "Y", "sea", 300.0, "S"),
        ],
        transfers=[
            ("P", "mode_change", "road", "rail_1520", "*", 1.0, 10.0, 1e6),
            ("P", "mode_change", "rail_1520", "road", "*", 1.0, 10.0, 1e6),
            ("P", "port", "rail_1520", "sea", "*", 1.0, 10.0, 1e6),
            ("P", "port", "road", "sea", "*", direct_h, 10.0, 1e6),
        ],
        ferry_services=[("S", "P", "Y", "test", 2, np.nan, 12.0, 100.0, np.nan, 1e6)],
    )


def test_no_two_transfers_in_a_row_at_a_port() -> None:
    # Chaining road>rail>sea at P would take 1 + 1 h; the box must be handled once:
    # road 1 h + road>sea 50 h + border (KAZ sea exit 2 + IRN entry 3) + wait 84/2 = 42 h
    # + voyage 12 h = 110 h.
    r = route(_port_network(), "X", "Y", objective="time", k=1)[0]
    assert [leg.kind for leg in r.legs] == ["run", "port", "border", "run"]
    assert r.legs[1].mode == "road>sea"
    assert r.time_h == pytest.approx(110.0)


def test_one_wait_per_voyage() -> None:
    # A liner A -> B -> C of one service: riding on through B would wait at B again. Each
    # port pair of a service is its own link, so A -> C rides the direct link, once.
    net = _net(
        [("A", "KAZ", 50.0), ("B", "KAZ", 51.0), ("C", "KAZ", 52.0)],
        [
            ("A", "B", "sea", 100.0, "S"),
            ("B", "C", "sea", 100.0, "S"),
            ("A", "C", "sea", 250.0, "S"),
        ],
        ferry_services=[("S", "A", "C", "test", 1, np.nan, 10.0, 100.0, np.nan, 1e6)],
    )
    routes = route(net, "A", "C", objective="time", k=3, max_ratio=None)
    assert [[leg.link_id for leg in r.legs] for r in routes] == [["ACsea_ab"]]
    assert routes[0].legs[0].wait_h == 84.0
    # without the direct link the voyage cannot go on through B without a port
    no_direct = net.replace(links=net.links[~net.links["link_id"].str.startswith("AC")])
    with pytest.raises(NoRouteError):
        route(no_direct, "A", "C", objective="time")


def test_parallel_gauge_links_are_one_border() -> None:
    # A --1520-- B ==(1520 and 1435 tracks)== C(IRN) --1435-- D; gauge breaks at B and C.
    # Changing gauge at B or at C is the same crossing: one alternative, not two.
    net = _net(
        [("A", "TKM", 50.0), ("B", "TKM", 51.0), ("C", "IRN", 51.1), ("D", "IRN", 53.0)],
        [
            ("A", "B", "rail_1520", 200.0),
            ("B", "C", "rail_1520", 7.0),
            ("B", "C", "rail_1435", 7.0),
            ("C", "D", "rail_1435", 200.0),
        ],
        transfers=[
            (p, "gauge_break", "rail_1520", "rail_1435", "*", 4.0, 100.0, 1e6) for p in "BC"
        ],
    )
    routes = route(net, "A", "D", k=3, max_ratio=None)
    assert len(routes) == 1
    assert len(routes[0].gauge_changes) == 1


def test_alternatives_worse_than_the_ratio_are_dropped_and_named() -> None:
    kept = route(_port_network(direct_h=50.0), "X", "Y", objective="time", k=3, max_ratio=None)
    best = kept[0].objective_value
    pruned = route(_port_network(direct_h=50.0), "X", "Y", objective="time", k=3, max_ratio=1.0)
    assert [r.objective_value for r in pruned] == [best]
    if len(kept) > 1:
        assert "dropped" in pruned[0].method


def test_via_forces_the_route_and_an_unreachable_via_is_named() -> None:
    net = _net(
        [
            ("A", "KAZ", 50.0),
            ("B", "KAZ", 51.0),
            ("C", "KAZ", 52.0),
            ("Z", "KAZ", 60.0),
            ("W", "KAZ", 61.0),
        ],
        [
            ("A", "C", "road", 100.0),
            ("A", "B", "road", 100.0),
            ("B", "C", "road", 100.0),
            ("Z", "W", "road", 50.0),
        ],
    )
    assert route(net, "A", "C", k=1)[0].length_km == 100.0
    via = route(net, "A", "C", k=1, via=["B"])[0]
    assert [leg.to_id for leg in via.legs] == ["B", "C"]
    assert via.length_km == 200.0
    assert "via B" in via.method
    with pytest.raises(NoRouteError) as info:
        route(net, "A", "C", via=["B", "Z"])
    assert info.value.constraint == "via"
    assert "Z" in str(info.value)
    assert "B" not in str(info.value).split("passes")[1]
    with pytest.raises(PlaceNotFoundError) as missing:
        route(net, "A", "C", via=["Nowhere"])
    assert missing.value.argument == "via"


def _transfer_runs(r: Route) -> bool:
    """True when two transfers follow each other at one place (no run in between)."""
    kinds = [leg.kind for leg in r.legs]
    return any(
        a not in ("run", "border") and b not in ("run", "border")
        for a, b in itertools.pairwise(kinds)
    )


def _voyages_chained(r: Route) -> bool:
    """True when a sailing follows another without a port transfer."""
    runs = [leg for leg in r.legs if leg.kind != "border"]
    return any(
        a.kind == b.kind == "run" and bool(a.service_id) and bool(b.service_id)
        for a, b in itertools.pairwise(runs)
    )


@pytest.mark.parametrize("seed", range(6))
def test_random_networks_keep_the_rules(seed: int) -> None:
    net = random_multimodal_network(500 + seed, 25, 100)
    ids = net.places["place_id"].tolist()
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(15):
        o, d = rng.choice(ids, 2, replace=False).tolist()
        try:
            routes = route(net, o, d, k=3, objective="generalized")
        except NoRouteError:
            continue
        best = routes[0].objective_value
        for r in routes:
            assert not _transfer_runs(r), (seed, o, d, [leg.kind for leg in r.legs])
            assert not _voyages_chained(r), (seed, o, d)
            assert r.objective_value <= 1.5 * best * (1 + 1e-12)
            assert sum(r.breakdown()["time_h"].values()) == pytest.approx(r.time_h)
        checked += 1
    assert checked >= 3, f"seed={seed}: only {checked} connected pairs"
