"""Pictures of a ferry line: the wait distribution by month and the volume curve."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from corridor._atomic import atomic_path
from corridor.errors import InputError
from corridor.ferries.curve import VolumeCurve
from corridor.ferries.sim import LineRun

__all__ = ["plot_line"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plot_line(
    runs: LineRun | Sequence[LineRun],
    path: str | os.PathLike[str],
    *,
    curve: VolumeCurve | None = None,
    months: Sequence[int] = (),
) -> Path:
    """Save the wait CDF of chosen months and, if given, the volume curve as an image.

    Uses matplotlib's Agg canvas (no display, no pyplot state) and writes atomically.

    Parameters
    ----------
    runs : LineRun or sequence of LineRun
        The simulated year(s) of one line (waits pooled).
    path : path-like
        ``.png``, ``.svg`` or ``.pdf``.
    curve : VolumeCurve, optional
        Drawn as a second panel: mean and P90 wait against the volume share.
    months : sequence of int
        Months (1-12) to draw; every month when empty.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        For an unsupported suffix.

    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(
            f"plot path {str(out)!r} must end in .png, .svg or .pdf", argument="plot", value=out
        )
    panels = 2 if curve is not None else 1
    fig = Figure(figsize=(6.5 * panels, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, panels, 1)
    rs = [runs] if isinstance(runs, LineRun) else list(runs)
    run = rs[0]
    waits = [np.concatenate(ws) for ws in zip(*(r.waits_by_month() for r in rs), strict=True)]
    for m in months or range(1, 13):
        w = np.sort(waits[m - 1]) / 24.0
        if w.size:
            ax.step(w, np.arange(1, w.size + 1) / w.size, where="post", label=_MONTHS[m - 1])
    ax.set_xlabel("wait at the port (days)")
    ax.set_ylabel("share of units boarded")
    ax.set_ylim(0.0, 1.0)
    ax.set_title(f"{run.line.service_id}: wait of a {run.line.unit}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize="small", ncol=2)
    if curve is not None:
        ax2 = fig.add_subplot(1, 2, 2)
        x = [p.share * 100.0 for p in curve.points]
        ax2.plot(x, [p.year.wait_mean_h / 24.0 for p in curve.points], "o-", label="mean")
        ax2.plot(x, [p.year.wait_p90_h / 24.0 for p in curve.points], "s--", label="P90")
        ax2.set_yscale("log")
        ax2.set_xlabel("arrivals (% of capacity)")
        ax2.set_ylabel("wait at the port (days, log scale)")
        ax2.set_title("wait against volume (year)")
        ax2.grid(True, alpha=0.3, which="both")
        ax2.legend(loc="upper left", fontsize="small")
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        fig.savefig(fh, format=fmt, dpi=110, bbox_inches="tight")
    return out
