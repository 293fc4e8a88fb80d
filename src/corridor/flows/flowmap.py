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
    >>> from corridor.flows.testing import two_route_case
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
    segs: list[Any] = []
    width: list[float] = []
    use: list[float] = []
    for r in runs.itertuples():
        a, b = xy.get(str(r.from_place)), xy.get(str(r.to_place))
        if a is None or b is None:
            continue
        segs.append([a, b])
        width.append(float(r.t_per_yr))
        use.append(float(r.use_ratio))
    fig = Figure(figsize=(11, 8))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    pts = np.array([p for s in segs for p in s]) if segs else np.array([[60.0, 40.0]])
    pad = 3.0
    x0, y0 = pts.min(axis=0) - pad
    x1, y1 = pts.max(axis=0) + pad
    outline = [ring for ring in _outlines()]
    ax.add_collection(LineCollection(outline, colors="0.6", linewidths=0.5, zorder=1))
    if segs:
        w = np.asarray(width)
        lw = 0.5 + 7.5 * np.sqrt(w / max(w.max(), 1e-9))
        norm = Normalize(vmin=0.0, vmax=1.2)
        cmap = matplotlib.colormaps["RdYlGn_r"]
        colours = [cmap(norm(u)) if u > 0 else (0.35, 0.45, 0.8, 0.9) for u in use]
        ax.add_collection(LineCollection(segs, linewidths=lw, colors=colours, zorder=3))
        sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
        cb = fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01)
        cb.set_label("use of capacity (load / capacity); blue: no capacity figure")
        ax.text(
            0.01,
            0.01,
            f"width: t/yr (widest {w.max() / 1e6:,.2f} Mt/yr)",
            transform=ax.transAxes,
            fontsize=8,
        )
    top_el = bottlenecks(result, top=top)
    for rank, r in enumerate(top_el.itertuples(), start=1):
        el = next(e for e in result.problem.elements if e.element_id == r.element_id)
        where = [xy[p] for p in el.places if p in xy]
        if not where:
            continue
        cx, cy = np.mean(np.array(where), axis=0)
        ax.plot([cx], [cy], marker="o", color="black", markersize=4, zorder=5)
        ax.annotate(
            f"{rank}. {r.element_id.split('@')[0]} {r.use_ratio:.2f}",
            (cx, cy),
            xytext=(6, 6 + 9 * (rank % 3)),
            textcoords="offset points",
            fontsize=7,
            zorder=6,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.8, "lw": 0.3},
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    t = result.totals
    ax.set_title(
        title
        or f"Freight flows {t['assigned_t'] / 1e6:,.2f} Mt/yr; labels: top bottlenecks (use)",
        fontsize=10,
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        fig.savefig(str(tmp), dpi=dpi, format="png")
    return target
