"""Compare scenario runs side by side, and map the change in freight volume by link.

:func:`compare_results` lines up the runs' tables: totals (cost, time, CO2e, t-km ...),
t-km by mode, volume per corridor (border crossing or service), the bottlenecks, and the
route answers per pair with their P50/P90. Each figure of the first run is the reference:
a ``Δ <label>`` column gives every other run's difference from it.
:func:`difference_map` draws the volume change by link over the shipped country outlines
(matplotlib's Agg backend; no window, no download).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor._atomic import atomic_path
from corridor.scenarios.run import ScenarioResult

__all__ = ["COMPARE_TABLES", "compare_results", "difference_map", "link_changes", "run_labels"]

#: The tables :func:`compare_results` returns.
COMPARE_TABLES: tuple[str, ...] = (
    "totals",
    "t_km_by_mode",
    "corridors",
    "bottlenecks",
    "routes",
)

#: A link volume change smaller than this (t/yr: a gram a year) is no change.
_GRAM_T = 1e-6

_TOTAL_ROWS = (
    ("demand_t", "demand", "t/yr"),
    ("assigned_t", "assigned", "t/yr"),
    ("unserved_t", "unserved", "t/yr"),
    ("total_cost_usd", "generalized cost", "USD/yr"),
    ("money_usd", "money cost", "USD/yr"),
    ("time_t_h", "time", "t·h/yr"),
    ("co2e_t", "CO2e", "t/yr"),
    ("t_km", "t-km", "t·km/yr"),
    ("days_disrupted", "days disrupted", "days"),
)


def run_labels(names: Sequence[str], run_ids: Sequence[str]) -> list[str]:
    """Column labels for runs compared side by side: the name, made unique.

    A name that comes again gets the tail of its run id, then a count.

    Examples
    --------
    >>> run_labels(["a", "b", "a", "a"], ["r1aaaaaa", "r2", "r3bbbbbb", "r3bbbbbb"])
    ['a', 'b', 'a#bbbbbb', 'a#bbbbbb-2']

    """
    labels: list[str] = []
    for name, run_id in zip(names, run_ids, strict=True):
        label, n = name, 1
        while label in labels:
            n += 1
            label = f"{name}#{run_id[-6:]}" + (f"-{n - 1}" if n > 2 else "")
        labels.append(label)
    return labels


def _side_by_side(
    frames: Sequence[pd.DataFrame], labels: Sequence[str], keys: list[str], value: str
) -> pd.DataFrame:
    out: pd.DataFrame | None = None
    for frame, label in zip(frames, labels, strict=True):
        part = frame[[*keys, value]].rename(columns={value: label})
        out = part if out is None else out.merge(part, on=keys, how="outer")
    assert out is not None
    for label in labels:
        out[label] = out[label].astype(float)
    for label in labels[1:]:
        out[f"Δ {label}"] = _delta(out[label].fillna(0.0), out[labels[0]].fillna(0.0))
    return out


def _delta(other: pd.Series, base: pd.Series) -> pd.Series:
    """Return ``other - base``, with differences of floating-point noise (1e-12) as 0."""
    diff = other - base
    scale = np.maximum(np.abs(other), np.abs(base))
    return diff.where(np.abs(diff) > 1e-12 * scale, 0.0)


def compare_results(
    results: Sequence[tuple[str, ScenarioResult]], *, top: int = 10
) -> dict[str, pd.DataFrame]:
    """Return the side-by-side tables of several runs (the first is the reference).

    Parameters
    ----------
    results : sequence of (label, ScenarioResult)
        At least two runs, each with a distinct label.
    top : int, default 10
        Bottlenecks kept per run (the union is shown).

    Returns
    -------
    dict of str to pandas.DataFrame
        :data:`COMPARE_TABLES`.

    """
    labels = [label for label, _ in results]
    res = [r for _, r in results]
    totals = []
    for metric, name, unit in _TOTAL_ROWS:
        row: dict[str, Any] = {"metric": name, "unit": unit}
        for label, r in zip(labels, res, strict=True):
            t = r.tables["totals"]
            hit = t.loc[t["metric"] == metric, "value"]
            row[label] = float(hit.iloc[0]) if len(hit) else np.nan
        totals.append(row)
    for label, r in zip(labels, res, strict=True):
        t = r.tables["totals"]
        assigned = float(t.loc[t["metric"] == "assigned_t", "value"].iloc[0])
        cost = float(t.loc[t["metric"] == "total_cost_usd", "value"].iloc[0])
        hours = float(t.loc[t["metric"] == "time_t_h", "value"].iloc[0])
        for metric, value in (("cost per tonne", cost), ("hours per tonne", hours)):
            match = next((x for x in totals if x["metric"] == metric), None)
            if match is None:
                match = {"metric": metric, "unit": "USD/t" if "cost" in metric else "h"}
                totals.append(match)
            match[label] = value / assigned if assigned > 0 else np.nan
    tot = pd.DataFrame(totals)
    for label in labels[1:]:
        tot[f"Δ {label}"] = _delta(tot[label], tot[labels[0]])
    tkm = _side_by_side([r.tables["t_km_by_mode"] for r in res], labels, ["mode"], "t_km")
    corr = _side_by_side(
        [r.tables["corridors"] for r in res], labels, ["corridor", "kind"], "volume_t"
    )
    corr = corr[corr[labels].fillna(0.0).abs().sum(axis=1) > 0].reset_index(drop=True)
    keep: list[str] = []
    for r in res:
        for e in r.tables["elements"]["element"].head(top):
            if e not in keep:
                keep.append(e)
    bott = _side_by_side(
        [r.tables["elements"][r.tables["elements"]["element"].isin(keep)] for r in res],
        labels,
        ["element", "kind", "capacity_t_per_yr"],
        "use_ratio",
    )
    bott = bott.sort_values(labels[0], ascending=False, na_position="last").reset_index(drop=True)
    routes = _routes(res, labels)
    return {
        "totals": tot,
        "t_km_by_mode": tkm,
        "corridors": corr,
        "bottlenecks": bott,
        "routes": routes,
    }


#: The columns of the compared route answers: a pair's answer is to a question of a cargo
#: class and a departure, so runs that differ in those are shown apart, never as a change.
_ROUTE_KEYS = ["origin", "destination", "cargo", "depart", "state"]
_ROUTE_OUT = [*_ROUTE_KEYS, "run", "found", "time_h", "cost_usd", "generalized_cost_usd",
              "co2e_kg", "p50_h", "p90_h", "via"]  # fmt: skip


def _routes(res: Sequence[ScenarioResult], labels: Sequence[str]) -> pd.DataFrame:
    frames = []
    for label, r in zip(labels, res, strict=True):
        t = r.tables["routes"]
        t = t[(t["rank"] <= 1)]
        if t.empty:
            continue
        t = t.assign(
            **{c: "" for c in ("cargo", "depart") if c not in t},  # runs recorded before them
            **({"generalized_cost_usd": np.nan} if "generalized_cost_usd" not in t else {}),
        )
        g = (
            t.groupby(_ROUTE_KEYS, sort=False, as_index=False)
            .agg(
                found=("found", "all"),
                time_h=("time_h", "mean"),
                cost_usd=("cost_usd", "mean"),
                generalized_cost_usd=("generalized_cost_usd", "mean"),
                co2e_kg=("co2e_kg", "mean"),
                p50_h=("p50_h", "mean"),
                p90_h=("p90_h", "mean"),
                via=("via", "first"),
            )
            .assign(run=label)
        )
        frames.append(g)
    if not frames:
        return pd.DataFrame(columns=_ROUTE_OUT)
    out = pd.concat(frames, ignore_index=True)
    order = {label: i for i, label in enumerate(labels)}
    out["_o"] = out["run"].map(order)
    out = out.sort_values([*_ROUTE_KEYS, "_o"], kind="stable").drop(columns="_o")
    return out[_ROUTE_OUT].reset_index(drop=True)


def _outlines() -> list[np.ndarray]:
    path = resources.files("corridor").joinpath("data", "outlines", "countries.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    rings: list[np.ndarray] = []
    for feature in data["features"]:
        geom = feature.get("geometry") or {}
        polys = (
            [geom["coordinates"]]
            if geom.get("type") == "Polygon"
            else geom.get("coordinates", [])
            if geom.get("type") == "MultiPolygon"
            else []
        )
        for poly in polys:
            for ring in poly:
                rings.append(np.asarray(ring, dtype=float))
    return rings


def link_changes(base: ScenarioResult, other: ScenarioResult) -> pd.DataFrame:
    """Return the volume change per place pair (both directions summed), largest first.

    Columns: ``from_id``, ``to_id`` (ordered pair), ``mode``, ``base_t``, ``other_t``,
    ``change_t`` (0 where the two differ by floating-point noise only: 1e-12 of the
    volume, or less than a gram a year) and the ends' coordinates.
    """
    frames = []
    for label, r in (("base_t", base), ("other_t", other)):
        t = r.tables["links"].copy()
        swap = t["from_id"] > t["to_id"]
        for a, b in (("from_id", "to_id"), ("from_lon", "to_lon"), ("from_lat", "to_lat")):
            t.loc[swap, [a, b]] = t.loc[swap, [b, a]].to_numpy()
        g = t.groupby(["from_id", "to_id", "mode"], as_index=False, sort=True).agg(
            volume_t=("volume_t", "sum"),
            from_lon=("from_lon", "first"),
            from_lat=("from_lat", "first"),
            to_lon=("to_lon", "first"),
            to_lat=("to_lat", "first"),
        )
        frames.append(g.rename(columns={"volume_t": label}))
    keys = ["from_id", "to_id", "mode"]
    out = frames[0].merge(frames[1], on=keys, how="outer", suffixes=("", "_o"))
    for c in ("from_lon", "from_lat", "to_lon", "to_lat"):
        out[c] = out[c].fillna(out[f"{c}_o"])
        out = out.drop(columns=f"{c}_o")
    out["base_t"] = out["base_t"].fillna(0.0)
    out["other_t"] = out["other_t"].fillna(0.0)
    change = _delta(out["other_t"], out["base_t"])
    out["change_t"] = change.where(change.abs() >= _GRAM_T, 0.0)
    return out.sort_values("change_t", key=np.abs, ascending=False, kind="stable").reset_index(
        drop=True
    )


def difference_map(
    base: ScenarioResult,
    other: ScenarioResult,
    path: str | os.PathLike[str],
    *,
    title: str = "",
) -> Path:
    """Draw the change in volume by link (``other`` minus ``base``) as a PNG.

    Links that gain freight are red, links that lose it blue, the width grows with the
    change; links without change are thin grey. Country outlines: Natural Earth (public
    domain), shipped in ``corridor/data/outlines``.

    Returns
    -------
    pathlib.Path
        The file written (atomically).

    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.collections import LineCollection
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.figure import Figure

    changes = link_changes(base, other)
    fig = Figure(figsize=(10, 8), dpi=120)
    ax = fig.add_subplot(1, 1, 1)
    rings = _outlines()
    ax.add_collection(LineCollection(rings, colors="#9a9a9a", linewidths=0.5, zorder=1))
    ok = changes[["from_lon", "from_lat", "to_lon", "to_lat"]].notna().all(axis=1).to_numpy()
    ch = changes[ok]
    seg = np.stack(
        [ch[["from_lon", "from_lat"]].to_numpy(), ch[["to_lon", "to_lat"]].to_numpy()], axis=1
    )
    delta = ch["change_t"].to_numpy(dtype=float)
    big = float(np.max(np.abs(delta))) if delta.size else 0.0
    still = (delta == 0.0) | (np.abs(delta) <= big * 1e-6)
    ax.add_collection(LineCollection(seg[still], colors="#c8c8c8", linewidths=0.6, zorder=2))
    if big > 0 and (~still).any():
        norm = TwoSlopeNorm(vmin=-big, vcenter=0.0, vmax=big)
        lc = LineCollection(
            seg[~still],
            array=delta[~still],
            cmap="RdBu_r",
            norm=norm,
            linewidths=0.8 + 6.0 * np.abs(delta[~still]) / big,
            zorder=3,
        )
        ax.add_collection(lc)
        bar = fig.colorbar(lc, ax=ax, shrink=0.7)
        bar.set_label("volume change (t/yr)")
    else:
        ax.text(
            0.5,
            0.97,
            "no link changes volume",
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=10,
            color="#333333",
        )
    if seg.size:
        lon = seg[:, :, 0]
        lat = seg[:, :, 1]
        ax.set_xlim(float(np.nanmin(lon)) - 2, float(np.nanmax(lon)) + 2)
        ax.set_ylim(float(np.nanmin(lat)) - 2, float(np.nanmax(lat)) + 2)
    ax.set_aspect(1.3)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(title or f"Freight volume change: {other.name} minus {base.name}")
    ax.text(
        0.01,
        0.01,
        "Country outlines: Natural Earth (public domain)",
        transform=ax.transAxes,
        fontsize=7,
        color="#555555",
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format="png")
    return target
