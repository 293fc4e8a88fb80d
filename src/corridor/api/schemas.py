"""The request and response schemas of the REST API (pydantic models, OpenAPI 3.1).

Request models check types only (a wrong type is a 422); values (an unknown cargo, a
negative ``units``) are checked by the model and refused with a 400 that names the
argument and what is allowed, and service limits with a 400 that names the limit.

Response models document what the endpoints send; the route payload itself is made by
:func:`corridor.formats.routes_to_json` and is not re-validated per request, so the
models leave room for further fields (``additionalProperties``). Unknown figures are
``null``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from corridor.objectives import DEFAULT_OBJECTIVE
from corridor.routing.request import DEFAULT_MAX_RATIO

__all__ = [
    "FlowQuery",
    "FlowsResponse",
    "HealthResponse",
    "NetworkResponse",
    "PlaceRecord",
    "PlacesResponse",
    "Problem",
    "RouteQuery",
    "RoutesResponse",
]

_Number = float | None


class RouteQuery(BaseModel):
    """Parameters of a route query: the query string of ``GET`` or the body of ``POST``."""

    model_config = ConfigDict(extra="forbid")

    origin: str = Field(
        min_length=1,
        max_length=200,
        description="Origin place: id, name or alias, any case, with or without accents.",
        examples=["Almaty"],
    )
    destination: str = Field(
        min_length=1, max_length=200, description="Destination place.", examples=["Tehran"]
    )
    objective: str = Field(
        DEFAULT_OBJECTIVE,
        max_length=64,
        description="What to minimise: time, cost, co2e, generalized, ... or a simulated "
        "objective (p50_time, p90_time, p95_time, mean_time; these need `depart`). "
        "`/v1/network` lists them and names the default.",
    )
    cargo: str = Field(
        "container_40ft",
        max_length=64,
        description="Cargo class or alias (container = 40 ft box, teu, feu, bulk, ...).",
    )
    units: float = Field(1.0, description="Units of cargo (boxes, tonnes, trucks); > 0.")
    k: int = Field(
        3, description="Number of alternatives (1 to the service limit max_k).", examples=[2]
    )
    avoid: list[str] = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-3 countries no route may touch (repeatable).",
    )
    avoid_places: list[str] = Field(
        default_factory=list, description="Places no route may touch (repeatable)."
    )
    via: list[str] = Field(
        default_factory=list, description="Places to pass, in order (repeatable)."
    )
    modes: list[str] | None = Field(
        None, description="Allowed modes (repeatable); all when omitted."
    )
    include_planned: bool = Field(False, description="Use planned links and places too.")
    crew: int = Field(
        1,
        description="Drivers per truck (1 or 2): the drivers' hours rules (breaks, daily and "
        "weekly rests) that time the road legs.",
        examples=[2],
    )
    max_ratio: float | None = Field(
        DEFAULT_MAX_RATIO,
        description="Drop alternatives whose objective value is more than this factor times "
        "the best's (>= 1); a large value, or null in a POST body, keeps them all.",
        examples=[2.0],
    )
    depart: str | None = Field(
        None,
        max_length=64,
        description="Departure, ISO 8601 (2026-12-01T08:00).",
        examples=["2026-12-01T08:00"],
    )
    reliability: bool = Field(
        False,
        description="Simulate transit times (P50/P90/P95, CDF); needs `depart`.",
        examples=[True],
    )
    samples: int = Field(10_000, description="Monte Carlo draws per route.", examples=[1000])
    seed: int | None = Field(None, description="Seed of the draws (>= 0).", examples=[1])
    deadline: str | None = Field(
        None,
        max_length=64,
        description="Deadline for the on-time probability: 12d or 36h; needs `depart`.",
        examples=["12d"],
    )
    pareto: bool = Field(
        False,
        description="Answer the Pareto front of time, cost and CO2e instead of the best `k` "
        "routes (as `corridor route --pareto`); `objective`, `k`, `max_ratio` and "
        "`deadline` do not apply. With `depart` (and `reliability`) every member is "
        "simulated and its P90 reported.",
        examples=[True],
    )
    epsilon: float | None = Field(
        None,
        description="With `pareto`: thin the front so that every trade-off left out is "
        "within a factor 1 + epsilon of a route shown (>= 0).",
    )
    max_labels: int | None = Field(
        None,
        description="With `pareto`: the label budget of the search (1 to the service limit "
        "max_labels, which is the default). A front found at the budget says so "
        "(`front.complete` is false).",
    )


class FlowQuery(BaseModel):
    """Parameters of a flow case: the query string of ``GET`` or the body of ``POST``.

    The demand is the service's: the shipped 2024 baseline on the served network.
    """

    model_config = ConfigDict(extra="forbid")

    growth: list[str] = Field(
        default_factory=list,
        description="Growth factors (repeatable), as `corridor flows --growth`: `1.5` for "
        "every flow, `KAZ-IRN=1.5` for a country pair (both ways), `KAZ>IRN=1.5` one way, "
        "`grain=1.2` a commodity group; `+50%` reads as 1.5. Several multiply.",
        examples=[["KAZ-IRN=1.5"]],
    )
    path: list[str] = Field(
        default_factory=list,
        description="Growth of one step of a growth path (as `growth`, repeatable): report "
        "the first element to pass its capacity and at which step.",
    )
    steps: int = Field(10, description="Steps of the growth path (service limit max_steps).")
    method: str = Field(
        "bfw",
        max_length=16,
        description="Assignment algorithm: bfw, cfw, fw, msa, aon, or logit (needs `logit_scale`).",
    )
    logit_scale: float | None = Field(
        None,
        description="Logit route and mode choice with this scale, USD per tonne; implies "
        "`method=logit` when `method` is bfw.",
    )
    gap: float = Field(
        1e-6, description="Target relative gap (service limit min_flow_gap is the least)."
    )
    max_iter: int | None = Field(
        None,
        description="Iteration limit; default 5000, or the service limit max_flow_iterations "
        "when that is lower.",
    )
    carbon_price: float = Field(0.0, description="USD per tonne of CO2e (>= 0).")
    period_h: float = Field(
        8760.0, description="Flow period of the queue delay, hours (8760: a year)."
    )
    top: int = Field(10, description="Bottlenecks to list (service limit max_top).")
    include_planned: bool = Field(False, description="Use planned links and places.")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class LegOut(_Open):
    """One leg: a run along a link or a transfer at a place."""

    kind: str
    mode: str
    from_: str = Field(alias="from")
    to: str
    length_km: _Number
    time_h: _Number
    cost_usd: _Number
    co2e_kg: _Number
    link_id: str
    place_id: str


class RouteOut(_Open):
    """One alternative with its legs and totals."""

    rank: int
    objective: str
    cargo: str
    units: float
    legs: list[LegOut]
    totals: dict[str, _Number]
    borders: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    gauge_changes: list[dict[str, Any]]
    ferries: list[dict[str, Any]]
    countries: list[str]
    reliability: dict[str, Any] | None = Field(
        None, description="Present when reliability was asked: P50/P90/P95 hours, `cdf`."
    )


class RoutesResponse(_Open):
    """The route payload of :func:`corridor.formats.routes_to_json`.

    With ``pareto=true`` the payload of :func:`corridor.formats.front_to_json`: ``routes``
    is the front (each route with its ``pareto`` facts) and ``front`` says how it was
    found.
    """

    routes: list[RouteOut]
    front: dict[str, Any] | None = Field(
        None,
        description="With `pareto=true`: size, criteria, epsilon, whether the search "
        "finished within the label budget (`complete`; false: the budget bound), "
        "`max_labels`, whether members were simulated (`p90`).",
    )


class FlowsResponse(_Open):
    """The report of a flow case: the payload of ``corridor flows --json``."""

    scenario: dict[str, Any]
    totals: dict[str, Any] = Field(
        description="`demand_t`, `assigned_t`, `t_km_by_mode`, cost, tonne-hours, delay, "
        "CO2e, the solver's gap and iterations."
    )
    bottlenecks: list[dict[str, Any]] = Field(
        description="Capacity elements by use of capacity: `id`, `kind`, `use_ratio`, "
        "`capacity` (t/yr), `capacity_source`, `shadow_price_usd_per_t` ..."
    )
    bottlenecks_by_shadow_price: list[dict[str, Any]]
    services: list[dict[str, Any]]
    counts: list[dict[str, Any]] = Field(
        description="Model against observed at each count: `id`, `observed_t`, `model_t`, "
        "`source` ..."
    )
    growth_path: dict[str, Any] | None


class PlaceRecord(_Open):
    """A place of the network."""

    place_id: str
    name: str
    country: str
    kind: str
    lon: _Number
    lat: _Number
    status: str
    aliases: list[str]


class PlacesResponse(BaseModel):
    """Places matching a query, best first; close matches when none does."""

    query: str | None
    places: list[PlaceRecord]
    suggestions: list[dict[str, str]] = Field(
        description="Close matches (`name`, `place_id`) when nothing matches the query."
    )


class NetworkResponse(_Open):
    """What the network holds and what a query may ask for."""

    name: str
    summary: dict[str, Any]
    countries: list[str]
    modes: list[dict[str, Any]]
    objectives: list[dict[str, Any]]
    default_objective: str = Field(description="The objective a query without one ranks by.")
    crews: list[int] = Field(description="The crew sizes (drivers per truck) a query may ask.")
    default_max_ratio: float | None = Field(
        description="Alternatives worse than this factor times the best are dropped."
    )
    cargo_classes: list[dict[str, Any]]


class HealthResponse(BaseModel):
    """The service is up; the network it serves and its limits."""

    status: str
    version: str
    network: str
    places: int
    links: int
    limits: dict[str, float]


class Problem(_Open):
    """An RFC 9457 problem detail, with the error's structured fields."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    error: str | None = Field(None, description="The error class (InputError, ...).")
    argument: str | None = None
    value: str | None = None
    allowed: list[str] | None = None
    suggestions: list[dict[str, str]] | None = None
    limit: str | None = None
    maximum: float | None = None
    minimum: float | None = None
