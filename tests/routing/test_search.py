"""Known answers worked out by hand on the test networks (figures in corridor.testing)."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.errors import InputError, NetworkValidationError, NoRouteError, PlaceNotFoundError
from corridor.graph import GraphCache, build_graph
from corridor.graph._kernels import dijkstra, dijkstra_masked
from corridor.routing import search_routes as route
from corridor.testing import border_network, ferry_network, gauge_network


def test_gauge_break_route_by_hand():
    # 40 ft box = 20 t. rail_1520 200 km at 50 km/h = 4 h, 200 x 1.0 USD = 200,
    #   20 t x 200 km x 20 g / 1000 = 80 kg; gauge break 6 h, 50 USD, 20 t x 2 kg = 40 kg;
    #   rail_1435 120 km at 40 km/h = 3 h, 120 x 1.5 = 180 USD, 20 x 120 x 25 / 1000 = 60 kg.
    # Per box: 13 h, 430 USD, 180 kg. Two boxes: 860 USD, 360 kg. Road: 900/60 = 15 h.
    best, road = route(
        gauge_network(), "A", "B", cargo="container", units=2, objective="time", max_ratio=None
    )
    assert [leg.kind for leg in best.legs] == ["run", "gauge_break", "run"]
    assert best.gauge_changes[0].mode == "rail_1520>rail_1435"
    assert best.totals() == {
        "length_km": 320.0,
        "time_h": 13.0,
        "cost_usd": 860.0,
        "co2e_kg": 360.0,
    }
    # road: 900 x 2.0 x 2 boxes = 3600 USD; 20 t x 900 x 80 / 1000 x 2 = 2880 kg
    assert (road.time_h, road.cost_usd, road.co2e_kg) == (15.0, 3600.0, 2880.0)
    # generalized, value of time 5 USD/h per box x 2 boxes = 10 USD/h: 860 + 130 = 990
    gen = route(gauge_network(), "A", "B", objective="generalized", units=2, k=1)[0]
    assert gen.generalized_cost_usd == pytest.approx(990.0)


def test_border_route_by_hand():
    # A-B 300 km: 6 h, 300 USD (KAZ, 1.0/km). Border B/C: borders row 8 h, 100 USD, 0.5 kg/t.
    # B-C 10 km: 0.2 h, 10 USD. Border C/D: defaults TKM 5 h + IRN 7 h = 12 h, 40 + 60 = 100 USD.
    # C-D 400 km: 8 h, from TKM at 0.8 USD/km = 320 USD. Total 34.2 h, 830 USD;
    # CO2e 20 t x 710 km x 20 g / 1000 = 284 kg + 2 x 10 kg = 304 kg.
    r = route(border_network(), "Alpha", "delta", k=1)[0]
    assert r.time_h == pytest.approx(34.2)
    assert r.cost_usd == pytest.approx(830.0)
    assert r.co2e_kg == pytest.approx(304.0)
    assert [b.time_h for b in r.borders] == [8.0, 12.0]
    assert r.border_countries == ("KAZ>TKM", "TKM>IRN")
    assert r.countries == ("KAZ", "TKM", "IRN")


def test_ferry_route_by_hand():
    # rail 500 km 10 h 500 USD; port P 10 h 120 USD; border KAZ/AZE sea 2 + 3 h, 20 + 30 USD;
    # ferry: wait 84 / 2 = 42 h + voyage 18 h, 500 USD/TEU x 2 = 1000 USD; port Q 12 h 150 USD;
    # rail 600 km 12 h 600 USD. Total 109 h, 2420 USD.
    # CO2e: rail 20 x 1100 x 20 / 1000 = 440; ports 2 x 20 x 3 = 120; border 10;
    # ferry 20 x 430 x 40 / 1000 = 344: 914 kg.
    r = route(ferry_network(), "A", "B", k=1)[0]
    assert [leg.kind for leg in r.legs] == ["run", "port", "border", "run", "port", "run"]
    ferry = r.legs[3]
    assert (ferry.mode, ferry.wait_h, ferry.time_h, ferry.service_id) == ("ferry", 42.0, 60.0, "S1")
    assert (r.time_h, r.cost_usd, r.co2e_kg) == (109.0, 2420.0, 914.0)


def test_alternatives_differ_by_borders_and_are_sorted():
    routes = route(
        border_network(), "A", "D", include_planned=True, objective="cost", max_ratio=None
    )
    assert [r.border_countries for r in routes] == [("KAZ>TKM", "TKM>IRN"), ("KAZ>IRN",)]
    assert routes[0].objective_value < routes[1].objective_value


def test_avoided_country_blocks_and_is_named():
    with pytest.raises(NoRouteError, match="crosses Turkmenistan") as info:
        route(border_network(), "A", "D", avoid_countries=["tkm"])
    assert info.value.constraint == "avoid_countries"
    assert "avoid_countries=('TKM',)" in str(info.value)
    # with the planned road, avoiding TKM is possible
    r = route(border_network(), "A", "D", avoid_countries=["TKM"], include_planned=True)[0]
    assert r.countries == ("KAZ", "IRN")


def test_mode_and_place_constraints_block_with_reason():
    with pytest.raises(NoRouteError) as info:
        route(border_network(), "A", "D", avoid_places=["C"])
    assert info.value.constraint == "avoid_places"
    with pytest.raises(NoRouteError) as info:
        route(gauge_network(), "A", "B", modes=["rail_1520", "rail_1435"], avoid_places=["G"])
    assert "avoid_places" in info.value.constraint
    r = route(gauge_network(), "A", "B", modes=["road"])
    assert [leg.mode for leg in r[0].legs] == ["road"]


def test_only_planned_links_is_reported():
    net = border_network().without_links(["CD_ab", "CD_ba"])
    with pytest.raises(NoRouteError, match="include_planned=True") as info:
        route(net, "A", "D")
    assert info.value.constraint == "include_planned"
    with pytest.raises(InputError, match="contradictory"):
        route(border_network(), "A", "D", modes=["road"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"objective": "fast"}, "allowed are time, cost, co2e, length, generalized"),
        ({"cargo": "pianos"}, "unknown cargo 'pianos'"),
        ({"modes": ["hovercraft"]}, "allowed are rail_1520"),
        ({"k": 0}, "k must be"),
        ({"units": -1}, "units must be"),
        ({"avoid_countries": ["XXX"]}, "unknown country 'XXX'"),
        ({"avoid_countries": ["KAZ"]}, "contradictory"),
        ({"modes": ["ferry"]}, "contradictory"),
    ],
)
def test_bad_input_names_what_is_allowed(kwargs, message):
    with pytest.raises(InputError, match=message):
        route(gauge_network(), "A", "B", **kwargs)


def test_same_place_and_unknown_place():
    with pytest.raises(InputError, match="same place"):
        route(gauge_network(), "A", "alpha")
    with pytest.raises(PlaceNotFoundError, match="did you mean 'Alpha'"):
        route(gauge_network(), "Alpah", "B")


def test_missing_transfer_row_is_an_error_of_the_network():
    net = gauge_network()
    params = dict(net.parameters)
    params["transfers"] = params["transfers"].iloc[0:0]
    with pytest.raises(NetworkValidationError) as info:
        build_graph(net.replace(parameters=params), cargo="container")
    text = str(info.value)
    assert "transfers 'G/gauge_break/rail_1520/rail_1435'" in text
    assert "gauge_break transfer is needed where rail_1520 meets rail_1435" in text


def test_missing_figures_are_unknown_not_zero():
    net = gauge_network()
    params = dict(net.parameters)
    params["emission_factors"] = params["emission_factors"][
        params["emission_factors"]["mode"] != "road"
    ]
    net = net.replace(parameters=params)
    g = build_graph(net, cargo="container")
    assert "emission_factors 'road' [co2e_g_per_tkm]" in "\n".join(str(p) for p in g.unknown)
    road = [leg for r in route(net, "A", "B", k=3, modes=("road",)) for leg in r.legs]
    assert road
    assert all(np.isnan(leg.co2e_kg) for leg in road)
    by_time = route(net, "A", "B", modes=("road",), k=1)[0]
    assert np.isnan(by_time.co2e_kg)
    assert any("co2e_kg of run" in u for u in by_time.unknown)
    # ranking by CO2e skips the legs whose CO2e is unknown (the road) ...
    green = route(net, "A", "B", objective="co2e", k=3)
    assert all(leg.mode != "road" for r in green for leg in r.legs)
    assert all(np.isfinite(r.co2e_kg) for r in green)
    # ... and says so when every route needs one
    params["emission_factors"] = params["emission_factors"].iloc[0:0]
    with pytest.raises(NoRouteError) as info:
        route(net.replace(parameters=params), "A", "B", objective="co2e")
    assert "unknown" in str(info.value)
    assert info.value.constraint == "objective"


def test_parallel_links_stay_distinct_and_csr_is_sorted():
    net = gauge_network()
    extra = net.links.iloc[[0]].assign(link_id="AG_fast", length_km=100.0)
    g = build_graph(net.with_links_added(extra), cargo="container")
    runs = [g.link_ids[r] for r, k in zip(g.edge_ref, g.edge_kind, strict=True) if k == 0]
    assert "AG_fast" in runs
    assert "AG_ab" in runs
    assert np.all(np.diff(g.tail) >= 0)
    assert np.array_equal(g.indptr[1:] - g.indptr[:-1], np.bincount(g.tail, minlength=g.n_nodes))
    r = route(net.with_links_added(extra), "A", "B", k=1)[0]
    assert r.legs[0].link_id == "AG_fast"


def test_cache_builds_once():
    cache, net = GraphCache(), gauge_network()
    assert cache.get(net, cargo="feu") is cache.get(net, cargo="container_40ft")
    assert cache.get(net, cargo="teu") is not cache.get(net, cargo="container")


def test_kernel_matches_scipy_on_random_graphs():
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra as sp_dijkstra

    for seed in range(5):
        rng = np.random.default_rng(seed)
        n, m = 60, 300
        tail = np.sort(rng.integers(0, n, m))
        head = rng.integers(0, n, m)
        w = rng.uniform(0, 10, m)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(tail, minlength=n))])
        dist, pred = dijkstra(indptr, head, w, 0)
        # scipy sums duplicates on conversion: keep the minimum per pair first
        best: dict[tuple[int, int], float] = {}
        for a, b, x in zip(tail, head, w, strict=True):
            best[(a, b)] = min(x, best.get((a, b), np.inf))
        keys = list(best)
        mat = csr_matrix(
            ([best[k] + 1e-300 for k in keys], ([k[0] for k in keys], [k[1] for k in keys])),
            shape=(n, n),
        )
        want = sp_dijkstra(mat, indices=0)
        assert np.allclose(dist, want), f"seed={seed}"
        reached = np.flatnonzero(np.isfinite(dist) & (pred >= 0))
        tails = np.repeat(np.arange(n), np.diff(indptr))
        assert np.allclose(dist[tails[pred[reached]]] + w[pred[reached]], dist[reached])
        mask = rng.random(m) < 0.7
        dm, _ = dijkstra_masked(indptr, head, w, mask, 0)
        dn, _ = dijkstra(indptr[:], head, np.where(mask, w, np.inf), 0)
        assert np.allclose(dm, dn, equal_nan=False) or np.array_equal(dm, dn), f"seed={seed}"


def test_kernel_multi_source_targets_nan_vs_networkx():
    # Several sources, early stop at the nearest target, NaN and zero weights, repeated
    # sources: distances of settled nodes and the nearest target agree with networkx
    # (a super-source joined to every source at 0), and pred chains add up.
    import networkx as nx

    for seed in range(20):
        rng = np.random.default_rng(seed)
        n, m = int(rng.integers(2, 40)), int(rng.integers(0, 160))
        tail = np.sort(rng.integers(0, n, m))
        head = rng.integers(0, n, m)
        w = rng.choice([0.0, 1.0, 2.5, np.nan, 7.0], m)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(tail, minlength=n))])
        sources = rng.integers(0, n, int(rng.integers(1, 4)))
        sources = np.concatenate([sources, sources[:1]])  # a repeated source
        targets = rng.choice(n, int(rng.integers(1, 4)), replace=False)
        g = nx.MultiDiGraph()
        g.add_nodes_from(range(n + 1))
        for e in range(m):
            if not np.isnan(w[e]):
                g.add_edge(int(tail[e]), int(head[e]), w=float(w[e]))
        for s in sources:
            g.add_edge(n, int(s), w=0.0)
        want = nx.single_source_dijkstra_path_length(g, n, weight="w")
        exact = np.array([want.get(v, np.inf) for v in range(n)])
        dist, pred = dijkstra(indptr, head, w, sources)
        assert np.array_equal(dist, exact), f"seed={seed}"
        assert (pred[sources] == -1).all(), f"seed={seed}"
        dist_t, pred_t = dijkstra(indptr, head, w, sources, targets)
        best = int(targets[np.argmin(dist_t[targets])])
        assert dist_t[best] == exact[targets].min(), f"seed={seed}"
        assert (dist_t >= exact).all(), f"seed={seed}"  # unsettled entries: upper bounds
        if np.isfinite(dist_t[best]):  # walk the pred chain back to a source
            v, total = best, 0.0
            while pred_t[v] >= 0:
                e = int(pred_t[v])
                total += w[e]
                v = int(tail[e])
            assert v in set(sources.tolist()), f"seed={seed}"
            assert total == dist_t[best], f"seed={seed}"
