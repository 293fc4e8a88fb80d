"""The model against published end-to-end figures: ``corridor validate-model``.

The validation set (``data/validation/published_cases.csv``, shipped as
``corridor/data/validation/published_cases.csv``) lists figures published for journeys on
these corridors: transit days, door-to-door or port-to-port rates and route lengths, each
with its source, year, route (origin, destination, the via places and modes it names) and
the **tolerance** it deserves (a first demonstration train is a weaker check than a
timetable). :func:`validate_model` routes every case the network can model (``modelled``
is ``yes``) the way a user would, with the default objective, through the case's via places
and modes, and compares:

* ``transit_days``: the route's expected door-to-door time / 24;
* ``rate_usd``: its money per unit of the case's cargo;
* ``length_km``: its length.

A published point ``p`` is met when ``|model / p - 1| <= tolerance``; a published range
``[low, high]`` when ``low (1 - tolerance) <= model <= high (1 + tolerance)`` (a range with
no ``high`` is a lower bound). A case that fails says why: the ratio, and which component of
time or money (:meth:`~corridor.routing.types.Route.breakdown`) weighs most.

This is a report, not a fit: no parameter is tuned to a case (``docs/validation.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.errors import CorridorError, InputError
from corridor.graph.build import GraphCache
from corridor.network.model import Network
from corridor.objectives import DEFAULT_OBJECTIVE
from corridor.routing.types import Route

__all__ = ["METRICS", "Case", "CaseResult", "ValidationReport", "load_cases", "validate_model"]

#: What a case may measure.
METRICS: tuple[str, ...] = ("transit_days", "rate_usd", "length_km")

_DEFAULT_CARGO = "container_40ft"


@dataclass(frozen=True)
class Case:
    """One published figure of the validation set.

    Attributes
    ----------
    case_id, origin_id, destination_id, metric, unit : str
        As in the table; ``metric`` is one of :data:`METRICS`.
    value, low, high : float
        The published point, or its range (NaN where not given).
    tolerance : float
        Relative tolerance (0.3 = +-30 %).
    cargo : str
        Cargo class of the figure (empty: a 40 ft container).
    via, modes : tuple of str
        Places the published route passes and the modes it uses.
    modelled : bool
        Whether the network can model it (both ends in the network).
    source, year, route_description, tolerance_reason, notes, origin, destination : str
        As in the table.

    """

    case_id: str
    origin_id: str
    destination_id: str
    metric: str
    value: float
    low: float
    high: float
    unit: str
    tolerance: float
    cargo: str = ""
    via: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    modelled: bool = True
    source: str = ""
    year: str = ""
    route_description: str = ""
    tolerance_reason: str = ""
    notes: str = ""
    origin: str = ""
    destination: str = ""

    @property
    def published(self) -> str:
        """The published figure as text: ``12`` or ``25-30`` or ``>= 4000``."""
        if math.isfinite(self.value):
            return f"{self.value:g}"
        if math.isfinite(self.high):
            return f"{self.low:g}-{self.high:g}"
        return f">= {self.low:g}"

    def within(self, model: float) -> bool:
        """Whether a model figure meets the published one within the tolerance."""
        if not math.isfinite(model):
            return False
        t = self.tolerance
        if math.isfinite(self.value):
            return abs(model / self.value - 1.0) <= t + 1e-12
        ok = model >= self.low * (1.0 - t) - 1e-9
        if math.isfinite(self.high):
            ok = ok and model <= self.high * (1.0 + t) + 1e-9
        return ok

    def ratio(self, model: float) -> float:
        """Model over the published point (the middle of a range, or its lower bound)."""
        if math.isfinite(self.value):
            ref = self.value
        elif math.isfinite(self.high):
            ref = (self.low + self.high) / 2.0
        else:
            ref = self.low
        return model / ref if ref else math.nan


@dataclass(frozen=True)
class CaseResult:
    """A case, what the model answers and whether it meets the figure.

    Attributes
    ----------
    case : Case
    status : {"within", "outside", "no route", "not modelled"}
    model : float
        The model's figure in the case's unit (NaN without a route).
    ratio : float
        ``model`` over the published figure (:meth:`Case.ratio`).
    why : str
        For a case outside its tolerance or without a route: the reason.
    route : str
        The model's route, mode by mode (``rail_1520 ALMATY-INCHE_BURUN | ...``).
    breakdown : mapping
        The route's time and money by component.

    """

    case: Case
    status: str
    model: float = math.nan
    ratio: float = math.nan
    why: str = ""
    route: str = ""
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the result and its case."""
        c = self.case
        return {
            "case_id": c.case_id,
            "origin": c.origin_id,
            "destination": c.destination_id,
            "metric": c.metric,
            "unit": c.unit,
            "published": c.published,
            "value": c.value,
            "low": c.low,
            "high": c.high,
            "tolerance": c.tolerance,
            "model": self.model,
            "ratio": self.ratio,
            "status": self.status,
            "why": self.why,
            "route": self.route,
            "breakdown": self.breakdown,
            "source": c.source,
            "year": c.year,
        }


@dataclass(frozen=True)
class ValidationReport:
    """Every case's result, with the share of modelled cases within tolerance.

    Attributes
    ----------
    results : tuple of CaseResult
    objective : str
        The objective the routes were found with.

    """

    results: tuple[CaseResult, ...]
    objective: str = DEFAULT_OBJECTIVE

    @property
    def modelled(self) -> list[CaseResult]:
        """Results of the cases the network models (a route found or not)."""
        return [r for r in self.results if r.status != "not modelled"]

    @property
    def n_within(self) -> int:
        """Modelled cases within their tolerance."""
        return sum(r.status == "within" for r in self.results)

    @property
    def share_within(self) -> float:
        """Share of the modelled cases within their tolerance (0 when none is modelled)."""
        n = len(self.modelled)
        return self.n_within / n if n else 0.0

    def share_by_metric(self) -> dict[str, tuple[int, int]]:
        """``{metric: (within, modelled)}``."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.modelled:
            w, n = out.get(r.case.metric, (0, 0))
            out[r.case.metric] = (w + (r.status == "within"), n + 1)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data: ``summary`` and ``cases``."""
        return {
            "summary": {
                "objective": self.objective,
                "cases": len(self.results),
                "modelled": len(self.modelled),
                "within": self.n_within,
                "share_within": self.share_within,
                "by_metric": {
                    m: {"within": w, "modelled": n} for m, (w, n) in self.share_by_metric().items()
                },
            },
            "cases": [r.to_dict() for r in self.results],
        }


def _num(text: str) -> float:
    try:
        return float(text) if str(text).strip() else math.nan
    except ValueError:
        return math.nan


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text).split("|") if p.strip())


def load_cases(path: str | Path | None = None) -> list[Case]:
    """Read the validation set.

    Parameters
    ----------
    path : str or Path, optional
        A ``published_cases.csv``; the shipped copy when omitted.

    Returns
    -------
    list of Case

    Raises
    ------
    InputError
        The file is missing, or a row has an unknown metric, no figure or a bad tolerance
        (the row is named).

    Examples
    --------
    >>> cases = load_cases()
    >>> sum(c.modelled for c in cases) >= 25
    True

    """
    if path is None:
        ref = resources.files("corridor") / "data" / "validation" / "published_cases.csv"
        with resources.as_file(ref) as p:
            return load_cases(p)
    p = Path(path)
    if not p.is_file():
        raise InputError(f"validation cases {str(p)!r} not found", argument="cases", value=str(p))
    tab = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = {"case_id", "origin_id", "destination_id", "metric", "value", "low", "tolerance"}
    missing = sorted(need - set(tab.columns))
    if missing:
        raise InputError(
            f"validation cases {str(p)!r} lack columns {', '.join(missing)}",
            argument="cases",
            value=str(p),
        )
    out = []
    for row in tab.to_dict("records"):
        cid = str(row["case_id"])
        metric = str(row["metric"]).strip()
        if metric not in METRICS:
            raise InputError(
                f"case {cid}: unknown metric {metric!r}: allowed are {', '.join(METRICS)}",
                argument="cases",
                value=metric,
                allowed=METRICS,
            )
        value, low, high = _num(row["value"]), _num(row["low"]), _num(row.get("high", ""))
        tol = _num(row["tolerance"])
        if not (math.isfinite(value) or math.isfinite(low)):
            raise InputError(f"case {cid}: neither value nor low is given", argument="cases")
        if not (math.isfinite(tol) and 0 < tol <= 1):
            raise InputError(f"case {cid}: tolerance must be in (0, 1]", argument="cases")
        out.append(
            Case(
                case_id=cid,
                origin_id=str(row["origin_id"]),
                destination_id=str(row["destination_id"]),
                metric=metric,
                value=value,
                low=low,
                high=high,
                unit=str(row.get("unit", "")),
                tolerance=tol,
                cargo=str(row.get("cargo", "")).strip(),
                via=_split(row.get("via", "")),
                modes=_split(row.get("modes", "")),
                modelled=str(row.get("modelled", "yes")).strip().lower() != "no",
                source=str(row.get("source", "")),
                year=str(row.get("year", "")),
                route_description=str(row.get("route_description", "")),
                tolerance_reason=str(row.get("tolerance_reason", "")),
                notes=str(row.get("notes", "")),
                origin=str(row.get("origin", "")),
                destination=str(row.get("destination", "")),
            )
        )
    return out


def _summary(route: Route) -> str:
    """Return the route's runs, mode by mode: ``rail_1520 ALMATY-INCHE_BURUN | rail_1435 ...``."""
    parts: list[list[str]] = []
    for leg in route.legs:
        if leg.kind != "run":
            continue
        if parts and parts[-1][0] == leg.mode:
            parts[-1][2] = leg.to_id
        else:
            parts.append([leg.mode, leg.from_id, leg.to_id])
    return " | ".join(f"{m} {a}-{b}" for m, a, b in parts)


def _figure(case: Case, route: Route) -> float:
    if case.metric == "transit_days":
        return route.time_h / 24.0
    if case.metric == "rate_usd":
        return route.cost_usd / route.units
    return route.length_km


def _why(case: Case, route: Route, model: float) -> str:
    """Say how far off the model is and which component of time or money weighs most."""
    ratio = case.ratio(model)
    side = "above" if ratio > 1 else "below"
    head = f"{ratio:.2f} x the published figure ({side} it by more than {case.tolerance:.0%})"
    b = route.breakdown()
    if case.metric == "length_km":
        return head + f"; route {_summary(route)}"
    figure = "time_h" if case.metric == "transit_days" else "cost_usd"
    parts = b[figure]
    total = sum(parts.values()) or 1.0
    top = sorted(parts.items(), key=lambda kv: -kv[1])[:3]
    share = ", ".join(f"{k} {v / total:.0%}" for k, v in top if v > 0)
    return head + f"; {'time' if figure == 'time_h' else 'money'}: {share}"


def validate_model(
    network: Network,
    cases: Sequence[Case] | None = None,
    *,
    objective: str = DEFAULT_OBJECTIVE,
    cache: GraphCache | None = None,
) -> ValidationReport:
    """Route every modelled case and compare the model with the published figure.

    Parameters
    ----------
    network : Network
        The network (the default network for the shipped cases).
    cases : sequence of Case, optional
        The cases; :func:`load_cases` when omitted.
    objective : str, default the default objective
        What the routes are found by.
    cache : GraphCache, optional
        Reuse expanded graphs.

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> report = validate_model(load_default(), load_cases()[:2])
    >>> [r.status in ("within", "outside", "no route") for r in report.results]
    [True, True]

    """
    from corridor.journeys.routes import route as find_route

    cases = load_cases() if cases is None else list(cases)
    cache = cache or GraphCache()
    results: list[CaseResult] = []
    for case in cases:
        if not case.modelled:
            results.append(
                CaseResult(case, "not modelled", why=case.notes or "outside the network")
            )
            continue
        try:
            best = find_route(
                network,
                case.origin_id,
                case.destination_id,
                objective=objective,
                cargo=case.cargo or _DEFAULT_CARGO,
                k=1,
                via=case.via,
                modes=case.modes or None,
                cache=cache,
            )[0]
        except CorridorError as err:
            results.append(CaseResult(case, "no route", why=str(err).splitlines()[0]))
            continue
        model = _figure(case, best)
        ok = case.within(model)
        results.append(
            CaseResult(
                case,
                "within" if ok else "outside",
                model=model,
                ratio=case.ratio(model),
                why="" if ok else _why(case, best, model),
                route=_summary(best),
                breakdown=best.breakdown(),
            )
        )
    return ValidationReport(tuple(results), objective)
