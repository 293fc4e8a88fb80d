"""The REST API application: :func:`create_app` builds it around one network.

Endpoints (all JSON; errors are RFC 9457 problems, :mod:`corridor.api.problems`):

``GET /v1/health``
    The service is up: version, network, service limits.
``GET /v1/places?q=``
    Places whose id, name or alias starts with (then contains) ``q``; close matches when
    none does.
``GET /v1/routes``, ``POST /v1/routes``
    The best routes with the parameters of ``corridor route`` (query string or JSON body);
    ``Accept: application/geo+json`` gives GeoJSON. ``pareto=true``: the Pareto front of
    time, cost and CO2e (``corridor route --pareto --json``), P90 per member with
    ``depart``.
``GET /v1/flows``, ``POST /v1/flows``
    The freight assignment of the 2024 baseline on the served network, with growth
    factors and solver options (``corridor flows --json``); ``Accept:
    application/geo+json`` gives the loaded links. Cached per parameter set.
``GET /v1/network``
    What the network holds and what a query may ask for; ``?format=geojson`` the network
    as GeoJSON (for the map).
``GET /v1/outlines``
    The shipped country outlines (GeoJSON), the base layer of the map.
``GET /openapi.json``, ``GET /docs``
    The OpenAPI 3.1 schema and its Swagger UI page, served from vendored files (offline).
``GET /``
    The web map (:mod:`corridor.web`).

The network, its expanded graphs and the reliability tables are built once per worker
process (:class:`~corridor.api.service.Service`), never per request. Route queries run in
a worker thread under the time budget of the :class:`ServiceLimits`.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corridor.api import problems
from corridor.api.limits import ServiceLimitError, ServiceLimits
from corridor.api.schemas import (
    FlowQuery,
    FlowsResponse,
    HealthResponse,
    NetworkResponse,
    PlacesResponse,
    Problem,
    RouteQuery,
    RoutesResponse,
)
from corridor.api.service import Service
from corridor.errors import CorridorError
from corridor.formats import dumps_json

if TYPE_CHECKING:
    from corridor.demand.freight import FreightDemand
    from corridor.network.model import Network

__all__ = ["GEOJSON_MEDIA_TYPE", "app_from_environment", "create_app"]

GEOJSON_MEDIA_TYPE = "application/geo+json"
_T = TypeVar("_T")

#: Environment variables read by :func:`app_from_environment` (set by ``corridor serve``).
ENV_NETWORK = "CORRIDOR_SERVE_NETWORK"
ENV_LIMITS = "CORRIDOR_SERVE_LIMITS"
ENV_CACHE = "CORRIDOR_SERVE_CACHE_ENTRIES"


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with a 413 problem, before the app reads them.

    The body is read here (up to the limit) and handed on, so a body sent without a
    ``Content-Length`` is bounded too.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        too_big = declared is not None and declared.isdigit() and int(declared) > self.max_bytes
        chunks: list[bytes] = []
        size = 0
        more = not too_big
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
            if size > self.max_bytes:
                too_big = True
                break
        if too_big:
            await self._refuse(scope, receive, send)
            return
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        from starlette.requests import Request as StarletteRequest

        request = StarletteRequest(scope, receive)
        response = problems.problem_response(
            request,
            problems.PROBLEMS["body-too-large"],
            f"the request body is over the service limit max_body_bytes = {self.max_bytes}",
            fields={"limit": "max_body_bytes", "maximum": self.max_bytes},
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Bad parameter, over a service limit, or no route",
        404: "Unknown place (with suggestions)",
        413: "Request body too large",
        422: "The request does not match the schema",
    }
    return {c: {"model": Problem, "description": text[c]} for c in codes}


def _json(payload: Any, media_type: str = "application/json") -> Response:
    return Response(dumps_json(payload, indent=None), media_type=media_type)


def create_app(
    network: Network | None = None,
    *,
    limits: ServiceLimits = ServiceLimits(),  # noqa: B008 - frozen, so one default is safe
    cache_entries: int = 1024,
    warm: bool = True,
    demand: FreightDemand | None = None,
    flow_cache_entries: int = 32,
    registry_home: str | None = None,
) -> FastAPI:
    """Return the REST API and web map serving ``network``.

    Parameters
    ----------
    network : Network, optional
        The network to serve; the shipped default network when omitted.
    limits : ServiceLimits, optional
        What one request may ask.
    cache_entries : int, default 1024
        Answers of deterministic route queries kept per worker (0: none).
    warm : bool, default True
        At start-up, build the default cargo's graph, compile the kernels and assign the
        default flow case so that the first requests are not slow.
    demand : FreightDemand, optional
        The demand of ``/v1/flows``; the shipped 2024 baseline when omitted.
    flow_cache_entries : int, default 32
        Flow answers kept per worker (one per parameter set and format; 0: none).
    registry_home : str, optional
        The scenario registry's folder (default ``$CORRIDOR_HOME``, see
        :func:`corridor.scenarios.registry.corridor_home`), read by ``/v1/scenarios``.

    Returns
    -------
    fastapi.FastAPI

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> from corridor.testing import gauge_network
    >>> client = TestClient(create_app(gauge_network(), warm=False))
    >>> client.get("/v1/health").json()["status"]
    'ok'
    >>> r = client.get("/v1/routes", params={"origin": "A", "destination": "B", "k": 1})
    >>> r.json()["routes"][0]["totals"]["time_h"]
    13.0

    """
    from importlib.metadata import version

    from corridor.web import static_dir

    release = version("corridor")

    if network is None:
        from corridor.network.default import load_default

        network = load_default()
    service = Service(
        network, limits, cache_entries, demand=demand, flow_cache_entries=flow_cache_entries
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            service.warm()
        yield

    app = FastAPI(
        title="corridor",
        version=release,
        summary="Freight routes and reliability on the Kazakhstan-Iran corridors.",
        description=(
            "Routes, places and the network of corridor. Errors are RFC 9457 problem "
            "details (`application/problem+json`) carrying the error's fields "
            "(`argument`, `value`, `allowed`, `suggestions`, `limit`). Service limits are "
            "listed by `/v1/health`."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(BodyLimitMiddleware, max_bytes=limits.max_body_bytes)

    # ------------------------------------------------------------------ errors
    @app.exception_handler(CorridorError)
    async def _corridor_error(request: Request, exc: CorridorError) -> Response:
        return problems.corridor_error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        return problems.validation_error_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return problems.http_error_response(request, exc)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return problems.unexpected_error_response(request, exc)

    # ------------------------------------------------------------------ helpers
    state: dict[str, Any] = {}

    async def in_thread(fn: Callable[[], _T]) -> _T:
        """Run ``fn`` in a worker thread, at most ``max_concurrent`` at once, in budget."""
        import anyio
        import anyio.to_thread

        limiter = state.get("limiter")
        if limiter is None:
            limiter = state["limiter"] = anyio.CapacityLimiter(limits.max_concurrent)
        budget = limits.time_budget_s
        try:
            with anyio.fail_after(budget):
                return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True, limiter=limiter)
        except TimeoutError:
            raise ServiceLimitError(
                "time_budget_s", "", f"took over {budget:g} s", budget
            ) from None

    async def answer_routes(request: Request, query: RouteQuery) -> Response:
        geojson = GEOJSON_MEDIA_TYPE in request.headers.get("accept", "")
        media_type = GEOJSON_MEDIA_TYPE if geojson else "application/json"
        if query.pareto:
            front = service.pareto_options(query)
            body = service.cached_front(front, geojson=geojson)
            if body is None:
                body = await in_thread(lambda: service.front_answer(front, geojson=geojson))
            return Response(body, media_type=media_type)
        options = service.options(query)
        body = service.cached_answer(options, geojson=geojson)
        if body is None:
            body = await in_thread(lambda: service.route_answer(options, geojson=geojson))
        return Response(body, media_type=media_type)

    async def answer_flows(request: Request, query: FlowQuery) -> Response:
        options = service.flow_options(query)
        geojson = GEOJSON_MEDIA_TYPE in request.headers.get("accept", "")
        body = service.cached_flows(options, geojson=geojson)
        if body is None:
            body = await in_thread(lambda: service.flow_answer(options, geojson=geojson))
        return Response(body, media_type=GEOJSON_MEDIA_TYPE if geojson else "application/json")

    route_responses: dict[int | str, dict[str, Any]] = {
        200: {
            "model": RoutesResponse,
            "description": "The alternatives, best first (GeoJSON with "
            "`Accept: application/geo+json`).",
            "content": {
                GEOJSON_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}
            },
        },
        **_problem_responses(400, 404, 422),
    }

    # ------------------------------------------------------------------ endpoints
    @app.get(
        "/v1/health",
        response_model=HealthResponse,
        tags=["service"],
        summary="Service status, network and limits",
    )
    def health() -> Response:
        net = service.network
        return _json(
            {
                "status": "ok",
                "version": release,
                "network": str(net.metadata.get("name", "")) or "network",
                "places": net.n_places,
                "links": net.n_links,
                "limits": limits.to_dict(),
            }
        )

    @app.get(
        "/v1/places",
        response_model=PlacesResponse,
        responses=_problem_responses(400, 422),
        tags=["places"],
        summary="Find places by id, name or alias",
    )
    def places(
        q: Annotated[
            str | None,
            Query(max_length=200, description="Start (or part) of an id, name or alias."),
        ] = None,
        country: Annotated[
            str | None, Query(max_length=64, description="ISO country code (KZ or KAZ).")
        ] = None,
        kind: Annotated[
            str | None, Query(max_length=64, description="Place kind (port, city, ...).")
        ] = None,
        limit: Annotated[
            int, Query(description="At most this many places (service limit max_places).")
        ] = 20,
    ) -> Response:
        if limit < 1:
            from corridor.errors import InputError

            raise InputError(
                f"limit must be >= 1, got {limit}", argument="limit", value=limit, allowed=">= 1"
            )
        return _json(service.search_places(q, country=country, kind=kind, limit=limit))

    @app.get(
        "/v1/routes",
        responses=route_responses,
        response_model=None,
        tags=["routes"],
        summary="The best routes between two places (query string)",
    )
    async def get_routes(request: Request, query: Annotated[RouteQuery, Query()]) -> Response:
        return await answer_routes(request, query)

    @app.post(
        "/v1/routes",
        responses={**route_responses, **_problem_responses(413)},
        response_model=None,
        tags=["routes"],
        summary="The best routes between two places (JSON body)",
    )
    async def post_routes(request: Request, query: Annotated[RouteQuery, Body()]) -> Response:
        return await answer_routes(request, query)

    flow_responses: dict[int | str, dict[str, Any]] = {
        200: {
            "model": FlowsResponse,
            "description": "The flow report (GeoJSON of the loaded links with "
            "`Accept: application/geo+json`).",
            "content": {
                GEOJSON_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}
            },
        },
        **_problem_responses(400, 422),
        404: {"model": Problem, "description": "No flow model on this service"},
    }

    @app.get(
        "/v1/flows",
        responses=flow_responses,
        response_model=None,
        tags=["flows"],
        summary="Freight flows, capacities and bottlenecks (query string)",
    )
    async def get_flows(request: Request, query: Annotated[FlowQuery, Query()]) -> Response:
        return await answer_flows(request, query)

    @app.post(
        "/v1/flows",
        responses={**flow_responses, **_problem_responses(413)},
        response_model=None,
        tags=["flows"],
        summary="Freight flows, capacities and bottlenecks (JSON body)",
    )
    async def post_flows(
        request: Request, query: Annotated[FlowQuery | None, Body()] = None
    ) -> Response:
        return await answer_flows(request, query or FlowQuery.model_validate({}))

    @app.get(
        "/v1/scenarios",
        responses=_problem_responses(400, 422),
        tags=["scenarios"],
        summary="The recorded scenario runs (corridor scenario list --json)",
    )
    async def scenarios_list() -> Response:
        from corridor.api.scenarios import list_payload

        return _json(await in_thread(lambda: list_payload(registry_home)))

    @app.get(
        "/v1/scenarios/compare",
        responses=_problem_responses(400, 422),
        tags=["scenarios"],
        summary="Compare runs side by side (corridor scenario compare --json, no map)",
    )
    async def scenarios_compare(
        runs: Annotated[
            str, Query(max_length=2000, description="Run ids or names, comma-separated: A,B")
        ],
        top: Annotated[int, Query(description="Bottlenecks per run (<= max_top).")] = 10,
    ) -> Response:
        from corridor.api.scenarios import compare_payload

        limits.check("max_top", "top", top)
        names = [r.strip() for r in runs.split(",") if r.strip()]
        limits.check("max_k", "runs", len(names))
        return _json(await in_thread(lambda: compare_payload(registry_home, names, top=top)))

    @app.get(
        "/v1/scenarios/{run}",
        responses=_problem_responses(400, 422),
        tags=["scenarios"],
        summary="One run's record and result tables (corridor scenario show --json)",
    )
    async def scenarios_show(
        run: str,
        table: Annotated[
            str | None, Query(max_length=64, description="Only this table (totals, links ...).")
        ] = None,
    ) -> Response:
        from corridor.api.scenarios import show_payload

        return _json(await in_thread(lambda: show_payload(registry_home, run, table)))

    @app.get(
        "/v1/network",
        response_model=NetworkResponse,
        responses={
            200: {
                "content": {
                    GEOJSON_MEDIA_TYPE: {
                        "schema": {"$ref": "#/components/schemas/FeatureCollection"}
                    }
                }
            },
            **_problem_responses(422),
        },
        tags=["network"],
        summary="The network: summary and options, or GeoJSON",
    )
    def network_info(
        request: Request,
        format: Annotated[
            Literal["json", "geojson"], Query(description="`geojson`: the network for a map.")
        ] = "json",
    ) -> Response:
        if format == "geojson" or GEOJSON_MEDIA_TYPE in request.headers.get("accept", ""):
            from corridor.network.geojson import to_geojson

            body = service.static(
                "network.geojson",
                lambda: dumps_json(to_geojson(service.network), indent=None).encode(),
            )
            return Response(body, media_type=GEOJSON_MEDIA_TYPE)
        return Response(
            service.static(
                "network.json", lambda: dumps_json(_network_info(service), indent=None).encode()
            ),
            media_type="application/json",
        )

    @app.get(
        "/v1/outlines",
        responses={
            200: {
                "description": "Country outlines (Natural Earth), the map's base layer.",
                "content": {
                    GEOJSON_MEDIA_TYPE: {
                        "schema": {"$ref": "#/components/schemas/FeatureCollection"}
                    }
                },
            },
            404: {"model": Problem, "description": "No outlines are shipped."},
        },
        response_model=None,
        tags=["network"],
        summary="Country outlines for the map",
    )
    def outlines() -> Response:
        body = service.static("outlines", _outlines)
        if not body:
            raise StarletteHTTPException(
                404, "no country outlines are shipped with this installation"
            )
        return Response(body, media_type=GEOJSON_MEDIA_TYPE)

    @app.get("/problems/{slug}", include_in_schema=False)
    def problem_type(slug: str) -> Response:
        page = problems.problem_page(slug)
        if page is None:
            raise StarletteHTTPException(404, f"no problem type {slug!r}")
        return page

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="corridor API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static_dir() / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    _problem_media_types(app)
    return app


def _network_info(service: Service) -> dict[str, Any]:
    """Return what the network holds and what a route query may ask for (for forms)."""
    from corridor.graph.costs import CARGO_ALIASES
    from corridor.objectives import DEFAULT_OBJECTIVE, OBJECTIVES
    from corridor.routing.request import CREWS, DEFAULT_MAX_RATIO

    net = service.network
    countries = sorted({str(c) for c in net.places["country"] if str(c)})
    cargo: list[dict[str, Any]] = []
    if "cargo_classes" in net.parameters:
        table = net.parameters["cargo_classes"]
        for row in table.to_dict(orient="records"):
            name = str(row.get("cargo", ""))
            aliases = sorted(a for a, c in CARGO_ALIASES.items() if c == name)
            cargo.append({"cargo": name, "unit": str(row.get("unit", "")), "aliases": aliases})
    return {
        "name": str(net.metadata.get("name", "")) or "network",
        "summary": net.summary(),
        "countries": countries,
        "modes": [
            {
                "name": m.name,
                "rail": m.rail,
                "gauge_mm": m.gauge_mm,
                "water": m.water,
                "scheduled": m.scheduled,
                "description": m.description,
            }
            for m in net.modes.values()
        ],
        "objectives": [
            {"name": o.name, "description": o.description, "unit": o.unit, "kind": o.kind}
            for o in OBJECTIVES.values()
        ],
        "default_objective": DEFAULT_OBJECTIVE,
        "crews": list(CREWS),
        "default_max_ratio": DEFAULT_MAX_RATIO,
        "cargo_classes": cargo,
    }


def _outlines() -> bytes:
    """Return the shipped outlines (``data/outlines/countries.geojson``), b"" if none."""
    from importlib.resources import files

    path = files("corridor").joinpath("data/outlines/countries.geojson")
    return path.read_bytes() if path.is_file() else b""


def _problem_media_types(app: FastAPI) -> None:
    """Make the schema say ``application/problem+json`` for every error response."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        comps = schema.setdefault("components", {}).setdefault("schemas", {})
        comps.pop("HTTPValidationError", None)
        comps.pop("ValidationError", None)
        comps["FeatureCollection"] = {
            "type": "object",
            "title": "FeatureCollection",
            "description": "A GeoJSON FeatureCollection (RFC 7946).",
            "required": ["type", "features"],
            "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array", "items": {"type": "object"}},
            },
        }
        problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for item in schema.get("paths", {}).values():
            for op in item.values():
                for code, resp in op.get("responses", {}).items():
                    if str(code).startswith(("4", "5")):
                        resp["content"] = {problems.PROBLEM_MEDIA_TYPE: problem}
                        if str(code) == "422":
                            resp["description"] = "The request does not match the schema"
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_environment() -> FastAPI:
    """Build the app from ``corridor serve``'s environment (the factory of each worker).

    ``CORRIDOR_SERVE_NETWORK`` (a network path; the default network when unset),
    ``CORRIDOR_SERVE_LIMITS`` (JSON of :class:`ServiceLimits` fields) and
    ``CORRIDOR_SERVE_CACHE_ENTRIES``.
    """
    path = os.environ.get(ENV_NETWORK) or None
    network = None
    if path is not None:
        from corridor.network.io import read_network

        network = read_network(path)
    limits = ServiceLimits(**json.loads(os.environ.get(ENV_LIMITS) or "{}"))
    cache = int(os.environ.get(ENV_CACHE) or 1024)
    return create_app(network, limits=limits, cache_entries=cache)
