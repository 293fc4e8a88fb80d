"""Every endpoint answers, and answers what the Python API answers for the same parameters."""

from __future__ import annotations

import json
from datetime import datetime
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

import corridor
from corridor.formats import json_safe, routes_to_geojson, routes_to_json
from corridor.network.geojson import to_geojson
from corridor.network.model import Network
from corridor.objectives import DEFAULT_OBJECTIVE
from corridor.routing.request import DEFAULT_MAX_RATIO


def _same(payload: object) -> object:
    """The payload as it comes back from JSON (tuples as lists, NaN as null)."""
    return json.loads(json.dumps(json_safe(payload)))


def test_health_names_the_network_and_the_limits(client: TestClient) -> None:
    body = client.get("/v1/health").json()
    assert body["status"] == "ok"
    assert body["network"] == "default"
    assert body["limits"]["max_k"] == 10
    assert body["limits"]["max_samples"] == 100_000
    assert body["limits"]["max_via"] == 5


def test_places_prefix_match_comes_first(client: TestClient) -> None:
    r = client.get("/v1/places", params={"q": "alm"})
    assert r.status_code == 200
    body = r.json()
    assert body["places"][0]["place_id"] == "KZ_ALMATY"
    assert body["suggestions"] == []
    assert isinstance(body["places"][0]["aliases"], list)


def test_places_exact_alias_and_accents(client: TestClient) -> None:
    body = client.get("/v1/places", params={"q": "Türkmenbaşy"}).json()
    assert body["places"][0]["place_id"] == "TM_TURKMENBASHI"


def test_places_typo_gives_suggestions(client: TestClient) -> None:
    body = client.get("/v1/places", params={"q": "Almati"}).json()
    assert body["places"] == []
    assert {"name": "Almaty", "place_id": "KZ_ALMATY"} in body["suggestions"]


def test_places_filters_by_country_and_kind(client: TestClient, default_network: Network) -> None:
    body = client.get("/v1/places", params={"country": "KZ", "kind": "port"}).json()
    expected = corridor.search_places(default_network, country="KZ", kind="port")
    assert [p["place_id"] for p in body["places"]] == list(expected["place_id"])


def test_places_without_query_lists_up_to_limit(client: TestClient) -> None:
    body = client.get("/v1/places", params={"limit": 7}).json()
    assert len(body["places"]) == 7
    ids = [p["place_id"] for p in body["places"]]
    assert ids == sorted(ids)


def test_network_summary_and_options(client: TestClient, default_network: Network) -> None:
    body = client.get("/v1/network").json()
    assert body["summary"] == _same(default_network.summary())
    assert "KAZ" in body["countries"]
    assert {m["name"] for m in body["modes"]} == set(default_network.modes.names)
    assert {"time", "cost", "co2e", "p90_time"} <= {o["name"] for o in body["objectives"]}
    assert "container_40ft" in {c["cargo"] for c in body["cargo_classes"]}


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"format": "geojson"}, {}), ({}, {"Accept": "application/geo+json"})],
)
def test_network_geojson_is_the_python_export(
    client: TestClient, default_network: Network, params: dict[str, str], headers: dict[str, str]
) -> None:
    r = client.get("/v1/network", params=params, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geo+json"
    assert r.json() == _same(to_geojson(default_network))


def test_outlines_served_when_shipped(client: TestClient) -> None:
    path = files("corridor").joinpath("data/outlines/countries.geojson")
    r = client.get("/v1/outlines")
    if path.is_file():
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/geo+json"
        assert r.json()["type"] == "FeatureCollection"
    else:
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"


def test_get_routes_equals_python_api(client: TestClient, default_network: Network) -> None:
    params = {"origin": "Almaty", "destination": "Tehran", "cargo": "container", "units": 2}
    r = client.get("/v1/routes", params={**params, "k": 3})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    expected = routes_to_json(
        default_network,
        corridor.route(default_network, "Almaty", "Tehran", cargo="container", units=2, k=3),
    )
    assert r.json() == _same(expected)
    assert len(r.json()["routes"]) == 3


def test_default_objective_crew_and_max_ratio_are_those_of_the_python_api(
    client: TestClient, default_network: Network
) -> None:
    info = client.get("/v1/network").json()
    assert info["default_objective"] == DEFAULT_OBJECTIVE
    assert info["crews"] == [1, 2]
    assert info["default_max_ratio"] == DEFAULT_MAX_RATIO
    body = client.get("/v1/routes", params={"origin": "Almaty", "destination": "Tehran"}).json()
    assert {r["objective"] for r in body["routes"]} == {DEFAULT_OBJECTIVE}
    # two drivers and every alternative kept, by cost: the answer of corridor.route
    params = {"origin": "Almaty", "destination": "Tehran", "objective": "cost", "k": 4}
    got = client.get("/v1/routes", params={**params, "crew": 2, "max_ratio": 1e6}).json()
    posted = client.post("/v1/routes", json={**params, "crew": 2, "max_ratio": None}).json()
    expected = corridor.route(
        default_network, "Almaty", "Tehran", objective="cost", k=4, crew=2, max_ratio=None
    )
    assert got == posted == _same(routes_to_json(default_network, expected))
    assert {r["crew"] for r in got["routes"]} == {2}
    # the 1.5 x limit of the default drops some of them
    limited = client.get("/v1/routes", params={**params, "crew": 2}).json()
    assert 1 <= len(limited["routes"]) < len(got["routes"]) == 4
    bad = client.get("/v1/routes", params={**params, "crew": 3})
    assert bad.status_code == 400
    assert bad.json()["argument"] == "crew"
    assert client.get("/v1/routes", params={**params, "max_ratio": 0.5}).status_code == 400


def test_post_routes_equals_get(client: TestClient) -> None:
    query = {
        "origin": "Almaty",
        "destination": "Bandar Abbas",
        "objective": "cost",
        "k": 2,
        "avoid": ["UZB"],
        "modes": ["rail_1520", "rail_1435", "road"],
    }
    got = client.get("/v1/routes", params=query)
    posted = client.post("/v1/routes", json=query)
    assert got.status_code == posted.status_code == 200
    assert got.json() == posted.json()
    for route in posted.json()["routes"]:
        assert "UZB" not in route["countries"]
        assert {leg["mode"] for leg in route["legs"] if leg["kind"] == "run"} <= set(query["modes"])


def test_routes_geojson_equals_python_api(client: TestClient, default_network: Network) -> None:
    r = client.get(
        "/v1/routes",
        params={"origin": "Almaty", "destination": "Tehran", "k": 2},
        headers={"Accept": "application/geo+json"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geo+json"
    expected = routes_to_geojson(
        default_network, corridor.route(default_network, "Almaty", "Tehran", k=2)
    )
    assert r.json() == _same(expected)


def test_reliability_equals_python_simulation(client: TestClient, default_network: Network) -> None:
    params = {
        "origin": "Almaty",
        "destination": "Tehran",
        "k": 2,
        "reliability": "true",
        "depart": "2026-12-01T08:00",
        "samples": 2000,
        "seed": 7,
        "deadline": "12d",
    }
    body = client.get("/v1/routes", params=params).json()
    routes = corridor.route(default_network, "Almaty", "Tehran", k=2)
    assert [r["rank"] for r in body["routes"]] == [r.rank for r in routes]
    for got, route in zip(body["routes"], routes, strict=True):
        res = corridor.simulate_route(
            default_network,
            route,
            depart=datetime(2026, 12, 1, 8),
            samples=2000,
            seed=7,
            deadline_h=288.0,
        )
        rel = got["reliability"]
        cdf = rel.pop("cdf")
        assert rel == _same(res.to_dict())
        assert cdf["probability"][0] == 0.0
        assert cdf["probability"][-1] == 1.0
        assert cdf["time_h"] == sorted(cdf["time_h"])
        assert cdf["time_h"][20] == pytest.approx(res.p50_h)


def test_simulated_objective_with_seed(client: TestClient, default_network: Network) -> None:
    params = {
        "origin": "Almaty",
        "destination": "Tehran",
        "objective": "p90_time",
        "k": 2,
        "depart": "2026-12-01T08:00",
        "samples": 1000,
        "seed": 3,
    }
    body = client.get("/v1/routes", params=params).json()
    expected = corridor.route(
        default_network,
        "Almaty",
        "Tehran",
        objective="p90_time",
        k=2,
        depart=datetime(2026, 12, 1, 8),
        samples=1000,
        seed=3,
    )
    for r in body["routes"]:  # the API adds the CDF of each simulated route
        assert len(r["reliability"].pop("cdf")["time_h"]) == 41
    assert body == _same(routes_to_json(default_network, expected))


def test_repeated_query_is_served_from_the_cache(tiny_client: TestClient) -> None:
    service = tiny_client.app.state.service  # type: ignore[attr-defined]
    params = {"origin": "A", "destination": "B", "k": 2}
    first = tiny_client.get("/v1/routes", params=params)
    n = len(service.answers)
    second = tiny_client.get("/v1/routes", params={"origin": "Alpha", "destination": "b", "k": 2})
    assert first.content == second.content
    assert len(service.answers) == n >= 1


def test_unseeded_reliability_is_not_cached(tiny_client: TestClient) -> None:
    service = tiny_client.app.state.service  # type: ignore[attr-defined]
    params = {
        "origin": "A",
        "destination": "B",
        "reliability": "true",
        "depart": "2026-12-01T08:00",
        "samples": 100,
        "k": 2,
    }
    assert tiny_client.get("/v1/routes", params=params).status_code == 200
    assert len(service.answers) == 0


def test_tiny_network_known_answer(tiny_client: TestClient) -> None:
    # by time: the road (15 h) is within 1.5 x the railway (13 h); by the generalized
    # cost (the default) its money puts it beyond the limit
    params = {"origin": "A", "destination": "B", "cargo": "container", "units": 2, "k": 2}
    body = tiny_client.get("/v1/routes", params={**params, "objective": "time"}).json()
    best, second = body["routes"]
    assert [leg["kind"] for leg in best["legs"]] == ["run", "gauge_break", "run"]
    assert best["totals"]["time_h"] == 13.0
    assert best["totals"]["cost_usd"] == 860.0
    assert len(best["gauge_changes"]) == 1
    assert [leg["mode"] for leg in second["legs"]] == ["road"]
    only = tiny_client.get("/v1/routes", params=params).json()["routes"]
    assert [r["totals"]["time_h"] for r in only] == [13.0]


def test_docs_page_is_served_from_local_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    text = page.text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in text
    assert "http://" not in text
    assert "https://" not in text
    for asset in (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/favicon.svg",
    ):
        assert client.get(asset).status_code == 200, asset


def test_web_page_and_its_assets_are_local(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text
    assert "https://" not in page.text
    for asset in (
        "/static/app.js",
        "/static/style.css",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/LICENSE",
    ):
        assert client.get(asset).status_code == 200, asset
    script = client.get("/static/app.js").text
    # the only absolute URL in the map's code is the SVG namespace, which is never fetched
    assert script.replace("http://www.w3.org/2000/svg", "").count("http") == 0


def test_problem_type_pages(client: TestClient) -> None:
    r = client.get("/v1/routes", params={"origin": "Almati", "destination": "Tehran"})
    page = client.get(r.json()["type"])
    assert page.status_code == 200
    assert "Unknown place" in page.text
    assert client.get("/problems/nothing").status_code == 404
