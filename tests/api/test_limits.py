"""Service limits: configurable, and a request over one is a 400 naming it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.api import ServiceLimits, create_app
from corridor.errors import InputError
from corridor.testing import gauge_network


def _limit(r: Any, limit: str, argument: str | None) -> None:
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"] == "/problems/service-limit"
    assert body["limit"] == limit
    assert body["argument"] == argument
    assert limit in body["detail"]


@pytest.mark.parametrize(
    ("extra", "limit", "argument"),
    [
        ({"k": 11}, "max_k", "k"),
        (
            {"samples": 100_001, "reliability": "true", "depart": "2026-12-01"},
            "max_samples",
            "samples",
        ),
        ({"via": ["A", "B", "C", "D", "E", "F"]}, "max_via", "via"),
        ({"avoid": ["IRN"] * 51}, "max_avoid", "avoid"),
    ],
)
def test_default_limits(
    client: TestClient, extra: dict[str, Any], limit: str, argument: str
) -> None:
    params = {"origin": "Almaty", "destination": "Tehran", **extra}
    _limit(client.get("/v1/routes", params=params), limit, argument)


def test_limits_at_the_maximum_pass_the_check(client: TestClient) -> None:
    r = client.get("/v1/routes", params={"origin": "Almaty", "destination": "Tehran", "k": 10})
    assert r.status_code == 200
    assert 1 <= len(r.json()["routes"]) <= 10


def test_configured_limits(tiny_client: TestClient) -> None:
    _limit(
        tiny_client.get("/v1/routes", params={"origin": "A", "destination": "B", "k": 3}),
        "max_k",
        "k",
    )
    _limit(
        tiny_client.get(
            "/v1/routes", params={"origin": "A", "destination": "B", "k": 1, "via": ["G", "G"]}
        ),
        "max_via",
        "via",
    )
    _limit(tiny_client.get("/v1/places", params={"limit": 4}), "max_places", "limit")
    assert tiny_client.get("/v1/health").json()["limits"]["max_k"] == 2


def test_samples_limit_only_when_simulating(tiny_client: TestClient) -> None:
    r = tiny_client.get(
        "/v1/routes", params={"origin": "A", "destination": "B", "k": 1, "samples": 10**6}
    )
    assert r.status_code == 200


def test_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(gauge_network(), limits=ServiceLimits(time_budget_s=0.2), warm=False)
    service = app.state.service
    real = service.route_answer
    release = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> bytes:
        release.wait(timeout=10.0)  # held until the client has its answer
        return real(*args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(service, "route_answer", slow)
    with TestClient(app) as c:
        r = c.get("/v1/routes", params={"origin": "A", "destination": "B", "k": 1})
        release.set()
        _limit(r, "time_budget_s", None)
        assert c.get("/v1/health").is_success  # the worker still serves


@pytest.mark.parametrize("field", ["max_k", "max_samples", "time_budget_s", "max_body_bytes"])
@pytest.mark.parametrize("value", [0, -1, float("nan")])
def test_limits_must_be_positive(field: str, value: float) -> None:
    with pytest.raises(InputError, match=field):
        ServiceLimits(**{field: value})  # type: ignore[arg-type]
