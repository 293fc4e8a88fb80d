"""``/v1/routes?pareto=true``: the front of ``corridor route --pareto --json`` over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.api import ServiceLimits, create_app
from corridor.formats import dumps_json, front_to_json
from corridor.journeys.pareto import pareto_routes
from corridor.testing import border_network

BASE = {"origin": "A", "destination": "D", "include_planned": True, "pareto": True}


@pytest.fixture(scope="module")
def pareto_client() -> Iterator[TestClient]:
    limits = ServiceLimits(max_samples=3_000, max_labels=10_000)
    with TestClient(create_app(border_network(), limits=limits, warm=False)) as c:
        yield c


def test_the_front_is_the_python_front(pareto_client: TestClient) -> None:
    r = pareto_client.get("/v1/routes", params=BASE)
    assert r.status_code == 200, r.text
    body = r.json()
    net = border_network()
    want = front_to_json(net, pareto_routes(net, "A", "D", include_planned=True, max_labels=10_000))
    assert r.content == dumps_json(want, indent=None).encode()
    # known answer: the road is fastest, the rail cheapest and cleanest
    assert [m["pareto"]["label"] for m in body["routes"]] == [
        "Alpha/Delta road",
        "Charlie/Delta rail",
    ]
    assert [m["pareto"]["best_for"] for m in body["routes"]] == [["time"], ["cost", "co2e"]]
    assert body["routes"][1]["totals"]["cost_usd"] == 830.0
    assert body["front"]["size"] == 2
    assert body["front"]["complete"]
    assert body["front"]["max_labels"] == 10_000  # the service limit is the default budget
    assert body["front"]["p90"] is False


def test_post_and_geojson(pareto_client: TestClient) -> None:
    get = pareto_client.get("/v1/routes", params=BASE)
    post = pareto_client.post("/v1/routes", json=BASE)
    assert post.status_code == 200
    assert post.content == get.content
    geo = pareto_client.get("/v1/routes", params=BASE, headers={"Accept": "application/geo+json"})
    assert geo.headers["content-type"] == "application/geo+json"
    fc = geo.json()
    assert fc["type"] == "FeatureCollection"
    assert fc["front"]["size"] == 2
    ranks = {f["properties"]["rank"] for f in fc["features"]}
    assert ranks == {1, 2}


def test_p90_when_reliability_is_asked(pareto_client: TestClient) -> None:
    params = {**BASE, "depart": "2026-12-01T08:00", "reliability": True, "samples": 500,
              "seed": 2}  # fmt: skip
    body = pareto_client.get("/v1/routes", params=params).json()
    assert body["front"]["p90"] is True
    net = border_network()
    front = pareto_routes(net, "A", "D", include_planned=True, depart=datetime(2026, 12, 1, 8),
                          samples=500, seed=2, max_labels=10_000)  # fmt: skip
    for got, member in zip(body["routes"], front, strict=True):
        assert got["pareto"]["p90_h"] == member.p90_h
        assert got["pareto"]["p90_on_front"] is True
        assert got["reliability"]["p90_h"] == member.p90_h


def test_a_small_label_budget_is_flagged_not_hidden(pareto_client: TestClient) -> None:
    body = pareto_client.get("/v1/routes", params={**BASE, "max_labels": 1}).json()
    assert body["front"]["complete"] is False
    assert body["front"]["max_labels"] == 1


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({"k": 2}, {"argument": "k"}),
        ({"objective": "cost"}, {"argument": "objective"}),
        ({"max_ratio": 3}, {"argument": "max_ratio"}),
        ({"deadline": "12d"}, {"argument": "deadline"}),
        ({"reliability": True}, {"argument": "depart"}),
        ({"epsilon": -1}, {"argument": "epsilon"}),
        ({"max_labels": 0}, {"argument": "max_labels"}),
        ({"max_labels": 10_001}, {"limit": "max_labels", "maximum": 10_000}),
        ({"depart": "2026-12-01T08:00", "samples": 3_001}, {"limit": "max_samples"}),
        ({"pareto": False, "epsilon": 0.1}, {"argument": "epsilon"}),
        ({"pareto": False, "max_labels": 5}, {"argument": "max_labels"}),
    ],
)
def test_bad_pareto_input_is_a_400_problem(
    pareto_client: TestClient, extra: dict[str, Any], fields: dict[str, Any]
) -> None:
    r = pareto_client.get("/v1/routes", params={**BASE, **extra})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    for key, value in fields.items():
        assert body[key] == value, (key, body)


def test_unknown_place_with_pareto_is_a_404(pareto_client: TestClient) -> None:
    r = pareto_client.get("/v1/routes", params={**BASE, "origin": "Alfa"})
    assert r.status_code == 404
    assert r.json()["argument"] == "origin"
    assert r.json()["suggestions"]
