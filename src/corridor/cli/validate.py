"""``corridor validate-model``: the model against published end-to-end figures.

The logic is :func:`corridor.journeys.validation.validate_model`; this module loads the
network and the cases, then prints a table (or JSON).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.objectives import DEFAULT_OBJECTIVE

if TYPE_CHECKING:
    from rich.console import Console

    from corridor.journeys.validation import Case, ValidationReport
    from corridor.network.model import Network

__all__ = ["print_report", "register", "run_validate"]


def register(app: typer.Typer) -> None:
    """Add the ``validate-model`` command to ``app``."""

    @app.command("validate-model")
    def validate_command(
        cases: Annotated[
            Path | None,
            typer.Option(help="Validation cases CSV; the shipped published_cases.csv if omitted."),
        ] = None,
        network: Annotated[
            str | None, typer.Option(help="Network file or folder; the default network if omitted.")
        ] = None,
        objective: Annotated[
            str, typer.Option(help="Objective the routes are found by.")
        ] = DEFAULT_OBJECTIVE,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Route every published case and print model vs published, with the share within."""
        from corridor.cli._common import load_network
        from corridor.journeys.validation import load_cases
        from corridor.objectives import get_objective

        get_objective(objective, additive_only=True)
        loaded = load_cases(cases)
        run_validate(load_network(network), loaded, objective=objective, as_json=as_json)


def run_validate(
    network: Network,
    cases: Sequence[Case] | None = None,
    *,
    objective: str = DEFAULT_OBJECTIVE,
    as_json: bool = False,
    console: Console | None = None,
) -> ValidationReport:
    """Validate, then print the table (or JSON); return the report.

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> from corridor.journeys.validation import load_cases
    >>> from corridor.network.default import load_default
    >>> out = Console(file=io.StringIO(), width=200)
    >>> report = run_validate(load_default(), load_cases()[:3], console=out)
    >>> "within tolerance" in out.file.getvalue()
    True

    """
    from corridor.journeys.validation import validate_model

    report = validate_model(network, cases, objective=objective)
    if as_json:
        from corridor.cli._common import print_json

        print_json(report.to_dict())
    else:
        print_report(report, console)
    return report


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    return f"{x:,.1f}" if abs(x) < 100 else f"{x:,.0f}"


def print_report(report: ValidationReport, console: Console | None = None) -> None:
    """Print the report as a table with the share within tolerance."""
    from rich.console import Console
    from rich.table import Table

    con = console or Console()
    table = Table(title=f"model vs published figures (routes by {report.objective})")
    for col in ("case", "from", "to", "metric", "published", "model", "ratio", "tol", "status"):
        table.add_column(col, justify="right" if col in ("published", "model", "ratio") else "left")
    for r in report.results:
        c = r.case
        table.add_row(
            c.case_id,
            c.origin_id,
            c.destination_id,
            c.metric,
            c.published,
            _fmt(r.model),
            f"{r.ratio:.2f}" if math.isfinite(r.ratio) else "-",
            f"{c.tolerance:.0%}",
            r.status,
        )
    con.print(table)
    for r in report.results:
        if r.status in ("outside", "no route"):
            con.print(f"{r.case.case_id} {r.status}: {r.why}", markup=False, highlight=False)
    parts = "; ".join(f"{m} {w}/{n}" for m, (w, n) in report.share_by_metric().items())
    con.print(
        f"{report.n_within} of {len(report.modelled)} modelled cases within tolerance "
        f"({report.share_within:.0%}; {parts}); "
        f"{len(report.results) - len(report.modelled)} cases outside the network not modelled",
        markup=False,
        highlight=False,
    )
