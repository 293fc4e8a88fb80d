"""The OpenAPI 3.1 schema, and schemathesis against it: no 5xx, answers match the schema."""

from __future__ import annotations

import tempfile
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corridor.api import ServiceLimits, create_app
from corridor.network.default import load_default

# The default network, whose places are the schema's examples (Almaty, Tehran), so that
# examples reach the model; small limits keep the simulated examples and the flow cases
# small (a logit case that never converges runs to max_iter: 5000 iterations take ~30 s,
# over the transport's 10 s read timeout; 200 take about one).
_APP = create_app(
    load_default(),
    limits=ServiceLimits(
        max_samples=2_000, time_budget_s=60.0, max_flow_iterations=200, max_steps=3
    ),
    warm=False,
    registry_home=tempfile.mkdtemp(prefix="corridor-schema-registry-"),  # not the user's
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


def test_openapi_is_3_1_with_problem_responses(client: TestClient) -> None:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {
        "/v1/routes", "/v1/places", "/v1/network", "/v1/health", "/v1/outlines", "/v1/flows",
    } <= set(spec["paths"])  # fmt: skip
    routes = spec["paths"]["/v1/routes"]
    assert {"get", "post"} <= set(routes)
    for code in ("400", "404", "422"):
        assert set(routes["get"]["responses"][code]["content"]) == {"application/problem+json"}
    assert "413" in routes["post"]["responses"]
    names = {p["name"] for p in routes["get"]["parameters"]}
    assert names >= {
        "origin", "destination", "objective", "cargo", "units", "k", "avoid", "avoid_places",
        "via", "modes", "include_planned", "crew", "max_ratio", "depart", "reliability",
        "samples", "seed", "deadline",
    }  # fmt: skip
    assert "application/geo+json" in routes["get"]["responses"]["200"]["content"]
    assert {"pareto", "epsilon", "max_labels"} <= names
    flows = spec["paths"]["/v1/flows"]
    assert {"get", "post"} <= set(flows)
    for code in ("400", "404", "422"):
        assert set(flows["get"]["responses"][code]["content"]) == {"application/problem+json"}
    assert "application/geo+json" in flows["get"]["responses"]["200"]["content"]
    assert {p["name"] for p in flows["get"]["parameters"]} >= {
        "growth", "path", "steps", "method", "logit_scale", "gap", "max_iter", "carbon_price",
        "period_h", "top", "include_planned",
    }  # fmt: skip


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        checks=[
            schemathesis.checks.not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
