"""The planner's report: bottlenecks, counts, totals, as a JSON-ready dict and as text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from corridor.flows.counts import CountSet
from corridor.flows.results import FlowResult

__all__ = ["bottlenecks", "count_table", "flows_report", "render_text"]


def bottlenecks(result: FlowResult, *, by: str = "use_ratio", top: int | None = 10) -> pd.DataFrame:
    """Rank the capacity elements by use or by shadow price (highest first).

    Parameters
    ----------
    result : FlowResult
        A solved case.
    by : {"use_ratio", "shadow_price_usd_per_t"}, default "use_ratio"
        The ranking.
    top : int, optional
        How many rows (all when None).

    Returns
    -------
    pandas.DataFrame
        The :attr:`FlowResult.elements` rows, ranked, with ``rank``.

    Examples
    --------
    >>> from corridor.testing import two_route_case
    >>> from corridor.flows import assign_flows
    >>> b = bottlenecks(assign_flows(*two_route_case()), top=1)
    >>> b["element_id"].tolist()
    ['CAP-FAST@AB']

    """
    if by not in ("use_ratio", "shadow_price_usd_per_t"):
        from corridor.errors import InputError

        raise InputError(
            f"by: {by!r}; allowed: use_ratio, shadow_price_usd_per_t",
            argument="by",
            allowed=("use_ratio", "shadow_price_usd_per_t"),
        )
    el = result.elements
    ranked = el.sort_values([by, "t_per_yr"], ascending=False, kind="stable").reset_index(drop=True)
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1))
    return ranked if top is None else ranked.head(top)


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _bottleneck_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "rank": int(r["rank"]),
            "id": str(r["element_id"]),
            "kind": str(r["kind"]),
            "label": str(r["label"]),
            "use_ratio": _num(r["use_ratio"]),
            "t_per_yr": _num(r["t_per_yr"]),
            "teu_per_yr": _num(r["teu_per_yr"]),
            "capacity": _num(r["capacity_t_per_yr"]),
            "capacity_unit": "t/yr",
            "capacity_published": str(r["published"]),
            "capacity_source": str(r["capacity_source"]),
            "capacity_status": str(r["status"]),
            "capacity_grade": str(r["grade"]),
            "delay_h": _num(r["delay_h"]),
            "delay_cost_usd_per_yr": _num(r["delay_cost_usd_per_yr"]),
            "shadow_price_usd_per_t": _num(r["shadow_price_usd_per_t"]),
        }
        for r in frame.to_dict("records")
    ]


def _service_rows(result: FlowResult) -> list[dict[str, Any]]:
    sv = result.services
    cols = (
        "service_id",
        "from_place",
        "to_place",
        "t_per_yr",
        "teu_per_yr",
        "use_ratio",
        "delay_h",
    )
    return [
        {
            "service_id": str(r["service_id"]),
            "from": str(r["from_place"]),
            "to": str(r["to_place"]),
            "t_per_yr": _num(r["t_per_yr"]),
            "teu_per_yr": _num(r["teu_per_yr"]),
            "use_ratio": _num(r["use_ratio"]),
            "delay_h": _num(r["delay_h"]),
        }
        for r in sv[list(cols)].to_dict("records")
    ]


def count_table(
    result: FlowResult,
    counts: CountSet,
    *,
    calibrated: Sequence[float] | None = None,
    loo: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Model vs observed at every count (and the calibrated and left-out values if given)."""
    model = counts.model(result.problem, result.state)
    t = counts.table
    out = pd.DataFrame(
        {
            "count_id": t["count_id"].to_numpy(),
            "kind": t["kind"].to_numpy(),
            "where": (
                t["place_ids"] + t["segment_ids"].map(lambda s: f" {s}" if s else "")
            ).to_numpy(),
            "unit": t["unit"].to_numpy(),
            "observed": counts.observed,
            "model": model,
            "ratio": model / counts.observed,
            "use": t["use"].to_numpy(),
            "year": t["year"].to_numpy(),
            "grade": t["grade"].to_numpy(),
            "source": t["observed_per_yr_source"].to_numpy(),
            "scope": t["scope"].to_numpy(),
        }
    )
    if calibrated is not None:
        out["calibrated"] = np.asarray(calibrated, dtype=float)
    if loo is not None and len(loo):
        out = out.merge(loo[["count_id", "loo_model"]], on="count_id", how="left")
    return out


def flows_report(
    result: FlowResult,
    *,
    counts: pd.DataFrame | None = None,
    growth_path: pd.DataFrame | None = None,
    top: int = 10,
    scenario: dict[str, Any] | None = None,
    calibration: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the report as a JSON-ready dict.

    Keys: ``scenario``, ``totals`` (``demand_t``, ``assigned_t``, ``t_km_by_mode`` ...),
    ``bottlenecks`` (by use), ``bottlenecks_by_shadow_price``, ``counts`` (``id``,
    ``observed_t``, ``model_t``, ``source`` ...), ``growth_path``, ``calibration``,
    ``inactive_capacities``, ``unknown_flows``.
    """
    totals = dict(result.totals)
    unknown = result.problem.demand.unknown
    report: dict[str, Any] = {
        "scenario": scenario or {},
        "totals": {k: v for k, v in totals.items() if k != "unknown_flow_ids"},
        "bottlenecks": _bottleneck_rows(bottlenecks(result, by="use_ratio", top=top)),
        "bottlenecks_by_shadow_price": _bottleneck_rows(
            bottlenecks(result, by="shadow_price_usd_per_t", top=top)
        ),
        "counts": [],
        "services": _service_rows(result),
        "growth_path": None,
        "calibration": calibration,
        "inactive_capacities": list(result.problem.inactive),
        "unknown_flows": [
            {
                "id": str(r["row_id"]),
                "origin": str(r["origin"]),
                "destination": str(r["destination"]),
                "commodity_group": str(r["commodity_group"]),
                "notes": str(r["notes"]),
            }
            for r in unknown.to_dict("records")
        ],
    }
    if counts is not None:
        rows = []
        for r in counts.to_dict("records"):
            is_t = r["unit"] == "t"
            row = {
                "id": str(r["count_id"]),
                "kind": str(r["kind"]),
                "where": str(r["where"]),
                "unit": str(r["unit"]),
                "observed_t": _num(r["observed"]) if is_t else None,
                "model_t": _num(r["model"]) if is_t else None,
                "observed": _num(r["observed"]),
                "model": _num(r["model"]),
                "ratio": _num(r["ratio"]),
                "use": str(r["use"]),
                "year": str(r["year"]),
                "grade": str(r["grade"]),
                "source": str(r["source"]),
                "scope": str(r["scope"]),
            }
            if "calibrated" in r:
                row["calibrated"] = _num(r["calibrated"])
            if "loo_model" in r:
                row["leave_one_out"] = _num(r["loo_model"])
            rows.append(row)
        report["counts"] = rows
    if growth_path is not None:
        first = growth_path.iloc[0] if len(growth_path) else None
        report["growth_path"] = {
            "first": None
            if first is None
            else {
                "id": str(first["element_id"]),
                "kind": str(first["kind"]),
                "label": str(first["label"]),
                "step": int(first["step"]),
                "use_ratio": _num(first["use_ratio"]),
                "capacity": _num(first["capacity_t_per_yr"]),
                "capacity_source": str(first["capacity_source"]),
            },
            "elements": [
                {
                    "id": str(r["element_id"]),
                    "kind": str(r["kind"]),
                    "step": int(r["step"]),
                    "use_ratio": _num(r["use_ratio"]),
                    "capacity": _num(r["capacity_t_per_yr"]),
                    "capacity_source": str(r["capacity_source"]),
                }
                for r in growth_path.to_dict("records")
            ],
        }
    return report


def _mt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v / 1e6:,.2f}" if abs(v) >= 1e4 else f"{v:,.0f}"


def render_text(report: dict[str, Any], *, width: int = 100) -> str:
    """Render the report as plain text (the ``corridor flows`` output)."""
    lines: list[str] = []
    t = report["totals"]
    sc = report.get("scenario") or {}
    lines.append(f"Freight flows: {sc.get('demand', 'demand')}; growth {sc.get('growth', 'none')}")
    lines.append(
        f"  demand {_mt(t['demand_t'])} Mt/yr, assigned {_mt(t['assigned_t'])} Mt/yr "
        f"({t['unknown_flows']} flow(s) of unknown size not assigned); "
        f"{t['method']} relative gap {t['relative_gap']:.2g} after {t['iterations']} iteration(s)"
    )
    modes = ", ".join(f"{m} {v / 1e9:,.2f}" for m, v in t["t_km_by_mode"].items())
    lines.append(f"  t-km by mode (billion): {modes}")
    lines.append(
        f"  money USD {t['cost_usd'] / 1e6:,.1f} m, queue delay "
        f"{t['delay_tonne_hours'] / 1e6:,.1f} m t-h (USD {t['delay_cost_usd'] / 1e6:,.1f} m), "
        f"CO2e {t['co2e_t'] / 1e3:,.0f} kt"
    )
    for key, title in (
        ("bottlenecks", "Bottlenecks by use of capacity"),
        (
            "bottlenecks_by_shadow_price",
            "Bottlenecks by shadow price (USD saved per t/yr of capacity)",
        ),
    ):
        lines.append("")
        lines.append(title)
        lines.append(
            f"  {'#':>2} {'element':<44} {'kind':<15} {'use':>6} {'Mt/yr':>7} {'cap Mt':>7} "
            f"{'delay h':>8} {'shadow':>8}"
        )
        for b in report[key]:
            lines.append(
                f"  {b['rank']:>2} {b['id'][:44]:<44} {b['kind'][:15]:<15} "
                f"{(b['use_ratio'] or 0):>6.2f} {_mt(b['t_per_yr']):>7} {_mt(b['capacity']):>7} "
                f"{(b['delay_h'] or 0):>8.1f} {(b['shadow_price_usd_per_t'] or 0):>8.2f}"
            )
            src = b["capacity_source"]
            lines.append(
                f"     capacity {b['capacity_published'] or '-'} "
                f"[{b['capacity_grade'] or '?'}]: {src[: width - 20]}"
            )
    gp = report.get("growth_path")
    if gp is not None:
        lines.append("")
        first = gp["first"]
        if first is None:
            lines.append(f"Growth path {sc.get('path', '')}: no element passes its capacity")
        else:
            lines.append(
                f"Growth path {sc.get('path', '')}: first past capacity {first['id']} "
                f"({first['kind']}) at step {first['step']} (use {first['use_ratio']:.2f})"
            )
            for e in gp["elements"][1:6]:
                lines.append(f"  then {e['id']} at step {e['step']} (use {e['use_ratio']:.2f})")
    if report["counts"]:
        lines.append("")
        lines.append("Counts: model vs observed (per year)")
        lines.append(
            f"  {'count':<30} {'unit':<4} {'observed':>10} {'model':>10} {'ratio':>6}  use"
        )
        for c in report["counts"]:
            extra = ""
            if c.get("calibrated") is not None:
                extra += f"  calibrated {c['calibrated']:,.0f}"
            if c.get("leave_one_out") is not None:
                extra += f"  left-out {c['leave_one_out']:,.0f}"
            lines.append(
                f"  {c['id'][:30]:<30} {c['unit']:<4} {c['observed']:>10,.0f} {c['model']:>10,.0f} "
                f"{(c['ratio'] or 0):>6.2f}  {c['use']}{extra}"
            )
    if report["unknown_flows"]:
        lines.append("")
        lines.append(
            "Flows of unknown size (not assigned): "
            + ", ".join(u["id"] for u in report["unknown_flows"])
        )
    if report["inactive_capacities"]:
        lines.append(
            "Capacity rows not on the network: "
            + ", ".join(r["id"] for r in report["inactive_capacities"])
        )
    return "\n".join(lines) + "\n"
