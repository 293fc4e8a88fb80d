"""Rich tables shared by the CLI commands (no model logic: figures come formatted)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table

from corridor.reliability.montecarlo import ReliabilityResult

__all__ = ["reliability_table"]


def _fmt_h(hours: float) -> str:
    # hours over days on two lines: the table fits a pipe's 80 columns
    return f"{hours:,.1f} h\n{hours / 24.0:.1f} d"


def reliability_table(results: Mapping[str, ReliabilityResult]) -> Table:
    """Return a rich table of the transit-time figures, one row per alternative.

    Parameters
    ----------
    results : mapping of str to ReliabilityResult
        Results by alternative label (e.g. ``"1"`` or ``"1: via Kuryk"``).

    Returns
    -------
    rich.table.Table

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from rich.console import Console
    >>> from corridor.reliability import ReliabilityResult
    >>> res = ReliabilityResult(np.array([10.0, 20.0]), np.zeros(2), 15.0, deadline_h=12.0)
    >>> buf = io.StringIO()
    >>> Console(file=buf, width=120, color_system=None).print(reliability_table({"1": res}))
    >>> "on time" in buf.getvalue()
    True

    """
    table = Table(title="Transit-time reliability (Monte Carlo)")
    table.add_column("route", justify="right")
    for name in ("mean", "P50", "P90", "P95", "buffer\nindex", "planning\nindex", "on time"):
        table.add_column(name, justify="right", no_wrap=True)
    for label, res in results.items():
        p = res.on_time_probability
        table.add_row(
            str(label),
            _fmt_h(res.mean_h),
            _fmt_h(res.p50_h),
            _fmt_h(res.p90_h),
            _fmt_h(res.p95_h),
            f"{res.buffer_index:.2f}",
            f"{res.planning_time_index:.2f}",
            "-" if p is None else f"{100.0 * p:.1f} %",
        )
    return table
