"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error answer has ``type``, ``title``, ``status``, ``detail`` and ``instance``, plus
the structured fields of the error (:meth:`corridor.errors.CorridorError.to_dict`):
``error`` (its class), ``argument`` (spelled as the API's parameter), ``value``,
``allowed``, ``suggestions`` (unknown places), ``limit`` (service limits),
``constraint`` (no route). Status codes:

* 400: a parameter's value is not allowed, a service limit is exceeded, no route
  satisfies the constraints;
* 404: an unknown place (with close matches), an unknown path, flows on a service whose
  demand does not fit its network (``flows-unavailable``: the server's data, not the
  request, is at fault; the body lists the data's problems);
* 413: a request body over the limit;
* 422: the request does not match the schema (a wrong type, a missing parameter);
* 500: a bug (never for bad input).

``type`` is a relative URI, ``/problems/<slug>``, that the service answers with a page
describing the problem.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response

from corridor.errors import (
    ConvergenceError,
    CorridorError,
    InputError,
    NoRouteError,
    PlaceNotFoundError,
)
from corridor.formats import dumps_json

__all__ = [
    "PROBLEMS",
    "PROBLEM_MEDIA_TYPE",
    "FlowsUnavailableError",
    "ProblemKind",
    "corridor_error_response",
    "http_error_response",
    "problem_page",
    "problem_response",
    "unexpected_error_response",
    "validation_error_response",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: The argument names of the Python API that the REST API spells otherwise.
_API_NAMES = {
    "avoid_countries": "avoid",
    "deadline_h": "deadline",
    "logit_scale_usd_per_t": "logit_scale",
    "carbon_price_usd_per_t": "carbon_price",
}

_LOG = logging.getLogger("corridor.api")


class FlowsUnavailableError(CorridorError):
    """The service cannot assign flows: its demand or capacities do not fit its network.

    Raised by the service (not the model) around the data errors of a flow case
    (:class:`~corridor.errors.DataFileError`, :class:`~corridor.errors.NetworkValidationError`),
    which describe the server's files rather than the request.

    Attributes
    ----------
    problems : list of str
        The data's problems, one a line.

    """

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems

    def to_dict(self) -> dict[str, object]:
        """Return the error's fields, with ``problems``."""
        return {**super().to_dict(), "problems": list(self.problems)}


@dataclass(frozen=True)
class ProblemKind:
    """One kind of problem: its ``type`` slug, title, status and description."""

    slug: str
    title: str
    status: int
    description: str

    @property
    def type(self) -> str:
        """The problem's ``type`` URI (relative to the service)."""
        return f"/problems/{self.slug}"


#: The problems the API answers with, by slug.
PROBLEMS: dict[str, ProblemKind] = {
    p.slug: p
    for p in (
        ProblemKind(
            "bad-parameter",
            "Bad parameter",
            400,
            "A parameter has a value that is not allowed; `argument` names it, `value` is "
            "what was given and `allowed` what would be accepted.",
        ),
        ProblemKind(
            "service-limit",
            "Over a service limit",
            400,
            "The request asks for more than the service allows; `limit` names the limit "
            "(see `/v1/health`), `maximum` is its value.",
        ),
        ProblemKind(
            "no-route",
            "No route",
            400,
            "No route satisfies the request; `constraint` names the option that blocks.",
        ),
        ProblemKind(
            "unknown-place",
            "Unknown place",
            404,
            "A place name or id matches no place; `suggestions` lists close matches.",
        ),
        ProblemKind("not-found", "Not found", 404, "No such path."),
        ProblemKind(
            "flows-unavailable",
            "No flow model on this service",
            404,
            "The service's demand or capacities do not fit the network it serves, so it "
            "cannot assign flows; `problems` lists what does not fit.",
        ),
        ProblemKind(
            "method-not-allowed", "Method not allowed", 405, "The path does not take this method."
        ),
        ProblemKind(
            "body-too-large",
            "Request body too large",
            413,
            "The request body is over the service limit `max_body_bytes`.",
        ),
        ProblemKind(
            "schema-violation",
            "Request does not match the schema",
            422,
            "A parameter is missing or has the wrong type; `errors` lists each one "
            "(`loc`, `msg`, `type`). See `/openapi.json`.",
        ),
        ProblemKind(
            "not-converged",
            "Computation did not converge",
            500,
            "An iterative method stopped before reaching its target.",
        ),
        ProblemKind("internal-error", "Internal error", 500, "A bug in the service."),
        ProblemKind("http-error", "HTTP error", 400, "An HTTP-level error."),
    )
}


def _kind_of(exc: CorridorError) -> ProblemKind:
    from corridor.api.limits import ServiceLimitError

    if isinstance(exc, PlaceNotFoundError):
        return PROBLEMS["unknown-place"]
    if isinstance(exc, FlowsUnavailableError):
        return PROBLEMS["flows-unavailable"]
    if isinstance(exc, ServiceLimitError):
        return PROBLEMS["service-limit"]
    if isinstance(exc, InputError):
        return PROBLEMS["bad-parameter"]
    if isinstance(exc, NoRouteError):
        return PROBLEMS["no-route"]
    if isinstance(exc, ConvergenceError):
        return PROBLEMS["not-converged"]
    return PROBLEMS["internal-error"]


def _instance(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def problem_response(
    request: Request,
    kind: ProblemKind,
    detail: str,
    *,
    status: int | None = None,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return a problem+json response of ``kind`` for ``request``.

    Examples
    --------
    >>> from starlette.requests import Request
    >>> req = Request({"type": "http", "path": "/v1/x", "query_string": b"", "headers": [],
    ...                "method": "GET", "scheme": "http", "server": ("t", 80)})
    >>> r = problem_response(req, PROBLEMS["not-found"], "no such path")
    >>> r.status_code, r.media_type, r.body[:30]
    (404, 'application/problem+json', b'{"type": "/problems/not-found"')

    """
    body: dict[str, Any] = {
        "type": kind.type,
        "title": kind.title,
        "status": status or kind.status,
        "detail": detail,
        "instance": _instance(request),
    }
    for key, value in (fields or {}).items():
        if key not in body:
            body[key] = value
    return Response(
        dumps_json(body, indent=None),
        status_code=status or kind.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def corridor_error_response(request: Request, exc: CorridorError) -> Response:
    """Answer a :class:`~corridor.errors.CorridorError` with its problem+json."""
    kind = _kind_of(exc)
    fields = exc.to_dict()
    fields["error"] = fields.pop("type", type(exc).__name__)
    fields.pop("message", None)
    arg = fields.get("argument")
    if isinstance(arg, str):
        fields["argument"] = _API_NAMES.get(arg, arg)
    if kind.status >= 500:
        _LOG.error("%s on %s: %s", type(exc).__name__, _instance(request), exc)
    return problem_response(request, kind, str(exc), fields=fields)


def validation_error_response(request: Request, exc: RequestValidationError) -> Response:
    """Answer a schema violation with a 422 listing each error."""
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5]) or "invalid"
    return problem_response(
        request, PROBLEMS["schema-violation"], detail, fields={"errors": errors}
    )


def http_error_response(request: Request, exc: StarletteHTTPException) -> Response:
    """Answer a routing-level HTTP error (404 path, 405 method, 413 ...) as a problem."""
    by_status = {k.status: k for k in PROBLEMS.values() if k.slug in _HTTP_SLUGS}
    kind = by_status.get(exc.status_code, PROBLEMS["http-error"])
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(request, kind, str(exc.detail), status=exc.status_code, headers=headers)


_HTTP_SLUGS = ("not-found", "method-not-allowed", "body-too-large")


def unexpected_error_response(request: Request, exc: Exception) -> Response:
    """Answer a bug with a 500 problem (the traceback goes to the log, not the client)."""
    _LOG.exception("unexpected error on %s", _instance(request), exc_info=exc)
    return problem_response(
        request,
        PROBLEMS["internal-error"],
        f"internal error ({type(exc).__name__}); this is a bug in the service",
    )


def problem_page(slug: str) -> HTMLResponse | None:
    """Return the HTML page that a problem's ``type`` URI points to (None if unknown)."""
    kind = PROBLEMS.get(slug)
    if kind is None:
        return None
    title = html.escape(kind.title)
    return HTMLResponse(
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{title}</title>"
        f"<h1>{title} (HTTP {kind.status})</h1><p>{html.escape(kind.description)}</p>"
        "<p>Every problem body has <code>type</code>, <code>title</code>, <code>status</code>, "
        "<code>detail</code> and <code>instance</code> (RFC 9457).</p></html>"
    )
