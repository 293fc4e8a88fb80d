"""Errors are RFC 9457 problems with the error's fields; bad input is never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.api import create_app
from corridor.testing import gauge_network

PROBLEM = "application/problem+json"


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    for key in ("type", "title", "status", "detail", "instance"):
        assert key in body, key
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    return body


def test_unknown_origin_is_404_with_suggestions(client: TestClient) -> None:
    body = _problem(
        client.get("/v1/routes", params={"origin": "Almati", "destination": "Tehran"}), 404
    )
    assert body["type"] == "/problems/unknown-place"
    assert body["error"] == "PlaceNotFoundError"
    assert body["argument"] == "origin"
    assert body["value"] == "Almati"
    assert {"name": "Almaty", "place_id": "KZ_ALMATY"} in body["suggestions"]
    assert body["instance"] == "/v1/routes?origin=Almati&destination=Tehran"
    assert "did you mean 'Almaty'" in body["detail"]


@pytest.mark.parametrize("argument", ["destination", "avoid_places", "via"])
def test_unknown_place_names_its_argument(client: TestClient, argument: str) -> None:
    params = {"origin": "Almaty", "destination": "Tehran", argument: "Tehrn"}
    body = _problem(client.get("/v1/routes", params=params), 404)
    assert body["argument"] == argument
    assert body["suggestions"][0]["place_id"] == "IR_TEHRAN"


@pytest.mark.parametrize(
    ("extra", "argument"),
    [
        ({"depart": "tomorrow", "reliability": "true"}, "depart"),
        ({"deadline": "soon", "depart": "2026-12-01"}, "deadline"),
        ({"seed": -1}, "seed"),
        ({"samples": 0}, "samples"),
        ({"reliability": "true"}, "depart"),
    ],
)
def test_bad_value_is_400_naming_the_argument(
    client: TestClient, extra: dict[str, Any], argument: str
) -> None:
    params = {"origin": "Almaty", "destination": "Tehran", **extra}
    body = _problem(client.get("/v1/routes", params=params), 400)
    assert body["type"] == "/problems/bad-parameter"
    assert body["argument"] == argument
    assert isinstance(body["allowed"], list)


@pytest.mark.parametrize(
    "extra",
    [
        {"units": -1},
        {"units": "nan"},
        {"cargo": "unicorns"},
        {"objective": "fastest"},
        {"modes": "hovercraft"},
        {"avoid": "XXX"},
        {"k": 0},
        {"objective": "p90_time"},
        {"destination": "Almaty"},
    ],
)
def test_bad_value_is_400(client: TestClient, extra: dict[str, Any]) -> None:
    params = {"origin": "Almaty", "destination": "Tehran", **extra}
    body = _problem(client.get("/v1/routes", params=params), 400)
    assert body["error"] == "InputError"


def test_via_places_are_passed_in_order(client: TestClient) -> None:
    params = {"origin": "Almaty", "destination": "Tehran", "via": "Aktau", "k": 2}
    r = client.get("/v1/routes", params=params)
    assert r.status_code == 200, r.text
    for route in r.json()["routes"]:
        places = [leg["from"] for leg in route["legs"]] + [route["legs"][-1]["to"]]
        assert "KZ_AKTAU" in places


def test_no_route_is_400_naming_the_constraint(tiny_client: TestClient) -> None:
    params = {
        "origin": "A",
        "destination": "B",
        "k": 1,
        "modes": ["rail_1520", "rail_1435"],
        "avoid_places": "G",
    }
    body = _problem(tiny_client.get("/v1/routes", params=params), 400)
    assert body["type"] == "/problems/no-route"
    assert body["error"] == "NoRouteError"
    assert "avoid_places" in body["constraint"]


@pytest.mark.parametrize(
    "params",
    [
        {"destination": "Tehran"},
        {"origin": "Almaty", "destination": "Tehran", "k": "three"},
        {"origin": "Almaty", "destination": "Tehran", "include_planned": "perhaps"},
        {"origin": "Almaty", "destination": "Tehran", "avoid_country": "IRN"},
        {"origin": "", "destination": "Tehran"},
    ],
)
def test_schema_violation_is_422(client: TestClient, params: dict[str, Any]) -> None:
    body = _problem(client.get("/v1/routes", params=params), 422)
    assert body["type"] == "/problems/schema-violation"
    assert body["errors"]
    assert {"loc", "msg", "type"} <= set(body["errors"][0])


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"origin": "Almaty"}', b'{"origin": 1, "destination": 2}', b"[]"],
)
def test_bad_body_is_422(client: TestClient, content: bytes) -> None:
    r = client.post("/v1/routes", content=content, headers={"content-type": "application/json"})
    _problem(r, 422)


def test_body_over_one_megabyte_is_413(client: TestClient) -> None:
    big = b'{"origin": "' + b"x" * 1_100_000 + b'", "destination": "Tehran"}'
    r = client.post("/v1/routes", content=big, headers={"content-type": "application/json"})
    body = _problem(r, 413)
    assert body["limit"] == "max_body_bytes"


def test_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b" " * 100_000

    r = client.post("/v1/routes", content=chunks(), headers={"content-type": "application/json"})
    _problem(r, 413)


def test_unknown_path_and_method(client: TestClient) -> None:
    _problem(client.get("/v1/nothing"), 404)
    body = _problem(client.delete("/v1/routes"), 405)
    assert body["type"] == "/problems/method-not-allowed"


def test_places_bad_filter_is_400(client: TestClient) -> None:
    _problem(client.get("/v1/places", params={"country": "Atlantis"}), 400)
    _problem(client.get("/v1/places", params={"kind": "castle"}), 400)
    _problem(client.get("/v1/places", params={"limit": 0}), 400)


def test_a_bug_is_a_500_problem_without_internals(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(gauge_network(), warm=False)

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app.state.service, "route_answer", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/v1/routes", params={"origin": "A", "destination": "B", "k": 1})
    body = _problem(r, 500)
    assert body["type"] == "/problems/internal-error"
    assert "secret" not in r.text
