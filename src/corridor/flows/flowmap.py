"""A flow map: link width by tonnes, colour by use of capacity, over country outlines.

Drawn with matplotlib's Agg backend (no display, no download): the outlines are the
shipped Natural Earth countries (``corridor/data/outlines/countries.geojson``), each link a
straight line between its places, transfers and borders drawn at their place. The top
bottlenecks (by use) are labelled.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from corridor.flows.report import bottlenecks
from corridor.flows.results import FlowResult

__all__ = ["write_flow_map"]


def _outlines() -> list[list[tuple[float, float]]]:
    ref = resources.files("corridor").joinpath("data", "outlines", "countries.geojson")
    data = json.loads(ref.read_text(encoding="utf-8"))
    rings: list[list[tuple[float, float]]] = []
    for feat in data.get("features", []):
        geom = feat.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        elif geom.get("type") != "MultiPolygon":
            continue
        for poly in polys:
            for ring in poly:
                rings.append([(float(x), float(y)) for x, y in ring])
    return rings


def write_flow_map(
    result: FlowResult,
    path: str | os.PathLike[str],
    *,
    top: int = 8,
    title: str | None = None,
    dpi: int = 120,
) -> Path:
    """Draw the flows of ``result`` on a map and save it as PNG (atomically).

    Parameters
    ----------
    result : FlowResult
        A solved case.
    path : path-like
        Target ``.png`` file.
    top : int, default 8
        Bottlenecks to label.
    title : str, optional
        Figure title.
    dpi : int, default 120
        Resolution.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from corridor.flows import assign_flows
    >>> from corridor.testing import two_route_case
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.png"
    >>> write_flow_map(assign_flows(*two_route_case()), p).stat().st_size > 1000
    True

    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    from corridor._atomic import atomic_path

    net = result.problem.network
    pl = net.places.set_index("place_id")
    xy = {str(p): (float(r["lon"]), float(r["lat"])) for p, r in pl.iterrows()}
    links = result.links
    runs = links[links["kind"] == "run"]
    frm = runs["from_place"].astype(str).tolist()
    to = runs["to_place"].astype(str).tolist()
    t_all = runs["t_per_yr"].to_numpy(dtype=float)
    u_all = runs["use_ratio"].to_numpy(dtype=float)
    segs: list[Any] = []
    width: list[float] = []
    use: list[float] = []
    for a_id, b_id, t_yr, u in zip(frm, to, t_all, u_all, strict=True):
        a, b = xy.get(a_id), xy.get(b_id)
        if a is None or b is None:
            continue
        segs.append([a, b])
        width.append(float(t_yr))
        use.append(float(u))
    fig = Figure(figsize=(12, 8))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.06, 0.08, 0.6, 0.84))
    pts = np.array([p for s in segs for p in s]) if segs else np.array([[60.0, 40.0]])
    pad = 2.0
    x0, y0 = pts.min(axis=0) - pad
    x1, y1 = pts.max(axis=0) + pad
    ax.add_collection(LineCollection(_outlines(), colors="0.6", linewidths=0.5, zorder=1))
    norm = Normalize(vmin=0.0, vmax=1.2)
    cmap = matplotlib.colormaps["RdYlGn_r"]
    if segs:
        w = np.asarray(width)
        lw = 0.5 + 7.5 * np.sqrt(w / max(float(w.max()), 1e-9))
        colours = [cmap(norm(u)) if u > 0 else (0.35, 0.45, 0.8, 0.9) for u in use]
        ax.add_collection(LineCollection(segs, linewidths=lw, colors=colours, zorder=3))
        ax.text(
            0.01,
            0.01,
            f"width: t/yr (widest {float(w.max()) / 1e6:,.2f} Mt/yr); blue: no capacity figure",
            transform=ax.transAxes,
            fontsize=8,
        )
    sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    cax = fig.add_axes((0.67, 0.08, 0.015, 0.4))
    fig.colorbar(sm, cax=cax).set_label("use of capacity (load / capacity)", fontsize=8)
    top_el = bottlenecks(result, top=top)
    by_id = {e.element_id: e for e in result.problem.elements}
    legend = ["Top bottlenecks (use of capacity):"]
    ids = [str(v) for v in top_el["element_id"]]
    uses = top_el["use_ratio"].to_numpy(dtype=float)
    caps = top_el["capacity_t_per_yr"].to_numpy(dtype=float)
    for rank, (eid, u, cap) in enumerate(zip(ids, uses, caps, strict=True), start=1):
        el = by_id[eid]
        where = [xy[p] for p in el.places if p in xy]
        legend.append(f"{rank:>2}. {eid[:46]}")
        legend.append(f"    use {u:.2f} of {cap / 1e6:,.2f} Mt/yr")
        if not where:
            continue
        cx, cy = np.mean(np.array(where), axis=0)
        ax.plot([cx], [cy], marker="o", color="black", markersize=9, zorder=5)
        ax.text(cx, cy, str(rank), color="white", fontsize=6, ha="center", va="center", zorder=6)
    fig.text(0.72, 0.92, "\n".join(legend), fontsize=7, va="top", family="monospace")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    assigned = float(result.problem.od["tonnes_per_yr"].sum())
    ax.set_title(
        title or f"Freight flows {assigned / 1e6:,.2f} Mt/yr; numbers: top bottlenecks",
        fontsize=10,
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        fig.savefig(str(tmp), dpi=dpi, format="png")
    return target
