"""``/v1/flows``: known answers on the two-route case, the CLI's payload, GeoJSON, errors.

The two-route case (:func:`corridor.testing.two_route_case`): 1000 t/yr of bulk from A to
B by a rail line (2 h, 100 USD/t) with a 500 t/yr section, or a road (1.67 h, 200 USD/t).
Bulk is worth 0.1 USD per tonne-hour, so in hours of value of time the rail costs 1002 h
and the road 2001.67 h: at equilibrium the rail carries freight until its queue delay is
999.67 h, and every tonne then costs the road's 2001.67 h, 200.17 USD.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.api import ServiceLimits, create_app
from corridor.demand import parse_growth
from corridor.flows import run_flows_case
from corridor.network.model import Network
from corridor.testing import gauge_network, two_route_case

GEO = {"Accept": "application/geo+json"}


@pytest.fixture(scope="module")
def flows_client() -> Iterator[TestClient]:
    net, demand = two_route_case()
    limits = ServiceLimits(max_steps=5)
    with TestClient(create_app(net, demand=demand, limits=limits, warm=False)) as c:
        yield c


def _without_timing(report: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(report))
    out["totals"].pop("seconds")
    return out


def test_the_equilibrium_split_worked_by_hand(flows_client: TestClient) -> None:
    r = flows_client.get("/v1/flows", params={"gap": 1e-9})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    t = body["totals"]
    assert t["demand_t"] == t["assigned_t"] == 1000.0
    assert t["method"] == "bfw"
    assert t["converged"]
    # every tonne costs the road's 2001.67 h x 0.1 USD/t-h, both routes in use
    assert t["generalized_cost_usd"] == pytest.approx(1000 * 2001.6667 * 0.1, rel=1e-5)
    rail = t["t_km_by_mode"]["rail_1520"] / 100.0
    road = t["t_km_by_mode"]["road"] / 100.0
    assert rail + road == pytest.approx(1000.0)
    assert 500.0 < rail < 1000.0
    (first, *_) = body["bottlenecks"]
    assert first["id"] == "CAP-FAST@AB"
    assert first["kind"] == "rail_section"
    assert first["capacity"] == 500.0
    assert first["use_ratio"] == pytest.approx(rail / 500.0)
    assert first["delay_h"] == pytest.approx(2001.6667 - 1002.0, rel=1e-4)
    assert first["capacity_source"]
    assert {"totals", "bottlenecks", "services", "counts", "scenario"} <= set(body)


def test_same_payload_as_the_cli_and_python(flows_client: TestClient) -> None:
    net, demand = two_route_case()
    want = run_flows_case(net, demand, growth=parse_growth(["1.2"]), gap=1e-8, top=3).report
    got = flows_client.get("/v1/flows", params={"growth": "1.2", "gap": 1e-8, "top": 3}).json()
    assert _without_timing(got) == _without_timing(want)
    assert got["totals"]["assigned_t"] == pytest.approx(1200.0)
    assert got["scenario"]["growth"] == "1.2"


def test_post_body_equals_query_string_and_answers_are_cached(flows_client: TestClient) -> None:
    a = flows_client.get("/v1/flows", params={"growth": ["+50%"], "gap": 1e-7})
    b = flows_client.post("/v1/flows", json={"growth": ["1.5"], "gap": 1e-7})
    assert a.status_code == b.status_code == 200
    # one parameter set (+50% is 1.5): the second answer is the cached bytes, timing too
    assert a.content == b.content
    assert a.json()["totals"]["assigned_t"] == pytest.approx(1500.0)
    empty = flows_client.post("/v1/flows")  # no body: the default case
    assert empty.status_code == 200
    assert empty.json()["totals"]["assigned_t"] == 1000.0


def test_geojson_gives_the_loaded_links(flows_client: TestClient) -> None:
    r = flows_client.get("/v1/flows", params={"gap": 1e-9}, headers=GEO)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geo+json"
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    by_link = {f["properties"]["link_id"]: f for f in fc["features"]}
    assert set(by_link) == {"AB_ab", "AB_ab_road"}  # nothing runs B to A
    rail, road = by_link["AB_ab"]["properties"], by_link["AB_ab_road"]["properties"]
    assert rail["mode"] == "rail_1520"
    assert road["mode"] == "road"
    assert rail["t_per_yr"] + road["t_per_yr"] == pytest.approx(1000.0)
    assert rail["use_ratio"] == pytest.approx(rail["t_per_yr"] / 500.0)
    assert road["use_ratio"] == 0.0  # no capacity on the road
    assert by_link["AB_ab"]["geometry"]["coordinates"] == [[70.0, 40.0], [71.0, 40.0]]
    # the report's bottlenecks and totals ride along for the map
    report = flows_client.get("/v1/flows", params={"gap": 1e-9}).json()
    assert fc["bottlenecks"] == report["bottlenecks"]
    assert fc["totals"] == report["totals"]


def test_growth_path_and_logit(flows_client: TestClient) -> None:
    body = flows_client.get("/v1/flows", params={"path": "1.1", "steps": 3}).json()
    first = body["growth_path"]["first"]
    assert first["id"] == "CAP-FAST@AB"
    assert first["step"] == 0
    logit = flows_client.get("/v1/flows", params={"logit_scale": 50}).json()
    assert logit["totals"]["method"] == "logit"
    assert logit["totals"]["assigned_t"] == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("params", "status", "fields"),
    [
        ({"method": "fast"}, 400, {"argument": "method", "error": "InputError"}),
        ({"method": "logit"}, 400, {"argument": "logit_scale"}),
        ({"logit_scale": 5e-324}, 400, {"argument": "logit_scale", "allowed": [">= 1e-06"]}),
        ({"growth": "KAZ-IRN"}, 400, {"argument": "growth"}),
        ({"growth": "KAZ-XXX=2"}, 400, {"argument": "growth", "allowed": ["KAZ"]}),
        ({"growth": "rice=2"}, 400, {"argument": "growth", "allowed": ["grain"]}),
        ({"path": "x", "steps": 2}, 400, {"argument": "path"}),
        ({"growth": "-1"}, 400, {"argument": "growth"}),
        ({"top": 0}, 400, {"argument": "top"}),
        ({"gap": "nan"}, 400, {"argument": "gap"}),
        ({"carbon_price": -1}, 400, {"argument": "carbon_price"}),
        ({"carbon_price": 9e306}, 400, {"argument": "carbon_price"}),
        ({"period_h": 0}, 400, {"argument": "period_h"}),
        ({"max_iter": 0}, 400, {"argument": "max_iter"}),
        ({"max_iter": 5001}, 400, {"limit": "max_flow_iterations", "maximum": 5000}),
        ({"gap": 0}, 400, {"limit": "min_flow_gap", "minimum": 1e-10}),
        ({"top": 101}, 400, {"limit": "max_top", "argument": "top"}),
        ({"path": "1.1", "steps": 6}, 400, {"limit": "max_steps", "argument": "steps"}),
        ({"growth": "1000"}, 400, {"limit": "max_growth_factor", "argument": "growth"}),
        ({"path": "3", "steps": 5}, 400, {"limit": "max_growth_factor"}),  # 3**5
        ({"growth": ["1.1"] * 21}, 400, {"limit": "max_growth_terms"}),
        ({"gap": "small"}, 422, {}),
        ({"max_iter": "1.5"}, 422, {}),
    ],
)
def test_bad_flow_input_is_a_problem(
    flows_client: TestClient, params: dict[str, Any], status: int, fields: dict[str, Any]
) -> None:
    r = flows_client.get("/v1/flows", params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == status
    assert body["instance"].startswith("/v1/flows")
    for key, value in fields.items():
        assert body[key] == value, (key, body)
    if status == 422:
        assert body["errors"]


def test_unknown_body_field_is_a_schema_violation(flows_client: TestClient) -> None:
    r = flows_client.post("/v1/flows", json={"growht": ["1.5"]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"][-1] == "growht"


def test_a_demand_that_does_not_fit_the_network_is_a_404_not_a_500() -> None:
    net: Network = gauge_network()  # the baseline's places are not on it
    with TestClient(create_app(net, warm=False), raise_server_exceptions=False) as c:
        r = c.get("/v1/flows")
    assert r.status_code == 404
    body = r.json()
    assert body["type"] == "/problems/flows-unavailable"
    assert body["error"] == "FlowsUnavailableError"
    assert any("unknown place" in p for p in body["problems"])


def test_flows_on_the_default_network_with_pair_growth(client: TestClient) -> None:
    base = client.get("/v1/flows").json()
    grown = client.get("/v1/flows", params={"growth": "KAZ-IRN=1.5"}).json()
    assert grown["scenario"]["growth"] == "KAZ-IRN=1.5"
    assert grown["totals"]["demand_t"] > base["totals"]["demand_t"]
    assert base["totals"]["assigned_t"] == pytest.approx(base["totals"]["demand_t"])
    assert base["bottlenecks"]
    assert all(b["capacity_source"] for b in base["bottlenecks"])
    assert base["counts"]
    assert {"id", "observed_t", "model_t", "source"} <= set(base["counts"][0])


def test_a_lower_iteration_limit_lowers_the_default() -> None:
    net, demand = two_route_case()
    limits = ServiceLimits(max_flow_iterations=3)
    with TestClient(create_app(net, demand=demand, limits=limits, warm=False)) as c:
        ok = c.get("/v1/flows", params={"method": "msa", "gap": 1e-10})
        over = c.get("/v1/flows", params={"max_iter": 4})
    assert ok.status_code == 200
    assert ok.json()["totals"]["iterations"] <= 3
    assert over.status_code == 400
    assert over.json()["limit"] == "max_flow_iterations"
