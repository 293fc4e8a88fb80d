"""``corridor flows``: freight flows with capacities, the bottlenecks, counts, growth paths.

:func:`run_flows` does the work on a network (tests call it); the command loads the
network and the demand and prints. Every input is checked before anything is written:
on bad input nothing is written and the exit code is 2.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from corridor.errors import InputError

if TYPE_CHECKING:
    from corridor.network.model import Network

__all__ = ["register", "run_flows"]


def run_flows(
    network: Network,
    *,
    demand_path: Path | None = None,
    growth: list[str] | None = None,
    path: list[str] | None = None,
    steps: int = 10,
    method: str = "bfw",
    gap: float = 1e-6,
    max_iter: int = 5000,
    logit_scale_usd_per_t: float | None = None,
    carbon_price_usd_per_t: float = 0.0,
    period_h: float = 8760.0,
    counts_path: Path | None = None,
    calibrate: bool = False,
    top: int = 10,
    map_path: Path | None = None,
    links_out: Path | None = None,
    od_out: Path | None = None,
    include_planned: bool = False,
) -> dict[str, Any]:
    """Run the flow model and write the requested files; return the report dict.

    Raises
    ------
    InputError, DataFileError, FormatError, NetworkValidationError, NoRouteError
        Bad input; nothing has been written.

    """
    from corridor.cli._common import check_output_path
    from corridor.demand.freight import parse_growth
    from corridor.flows import load_baseline, read_counts, read_flow_demand
    from corridor.flows.run import DEFAULT_COUNTS_LABEL, check_flow_options, run_flows_case

    check_flow_options(method=method, top=top)
    outputs = [p for p in (map_path, links_out, od_out) if p is not None]
    for out in outputs:
        check_output_path(out)
    if map_path is not None and map_path.suffix.lower() != ".png":
        raise InputError(
            f"map: {str(map_path)!r} must end in .png", argument="map", value=str(map_path)
        )
    growth_spec = parse_growth(growth or [])
    path_spec = parse_growth(path) if path else None
    demand = load_baseline() if demand_path is None else read_flow_demand(network, demand_path)
    run = run_flows_case(
        network,
        demand,
        growth=growth_spec,
        path=path_spec,
        steps=steps,
        method=method,
        gap=gap,
        max_iter=max_iter,
        logit_scale_usd_per_t=logit_scale_usd_per_t,
        carbon_price_usd_per_t=carbon_price_usd_per_t,
        period_h=period_h,
        counts=read_counts(counts_path),
        counts_label=str(counts_path) if counts_path else DEFAULT_COUNTS_LABEL,
        calibrate=calibrate,
        top=top,
        include_planned=include_planned,
    )
    result, report = run.result, run.report
    # ---- outputs, only once everything has worked
    if links_out is not None:
        _write_csv(result.links, links_out)
    if od_out is not None:
        _write_csv(result.od, od_out)
    if map_path is not None:
        from corridor.flows.flowmap import write_flow_map

        write_flow_map(result, map_path, top=min(top, 8))
        report["map"] = str(map_path)
    return report


def _write_csv(frame: Any, path: Path) -> None:
    from corridor._atomic import atomic_path

    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(list(frame.columns))
        for row in frame.itertuples(index=False):
            w.writerow([f"{v:.6g}" if isinstance(v, float) else v for v in row])


def register(app: typer.Typer) -> None:
    """Add the ``flows`` command to ``app``."""

    @app.command("flows")
    def flows_cmd(
        demand: Annotated[
            Path | None,
            typer.Option(
                "--demand",
                help="Freight demand (CSV or OMX, t/yr by place pair, commodity and cargo "
                "class); default: the shipped 2024 baseline.",
            ),
        ] = None,
        growth: Annotated[
            list[str] | None,
            typer.Option(
                "--growth",
                help="Growth factor (repeatable): 1.5 for all, KAZ-IRN=1.5 for a country pair "
                "(both ways), KAZ>IRN=1.5 for one direction, grain=1.2 for a commodity; "
                "+50% reads as 1.5.",
            ),
        ] = None,
        path: Annotated[
            list[str] | None,
            typer.Option(
                "--path",
                help="Growth of one step of a growth path (as --growth, repeatable): report "
                "the first element to pass capacity and at which step.",
            ),
        ] = None,
        steps: Annotated[int, typer.Option("--steps", help="Steps of the growth path.")] = 10,
        method: Annotated[
            str, typer.Option("--method", help="bfw, cfw, fw, msa, aon or logit.")
        ] = "bfw",
        logit_scale: Annotated[
            float | None,
            typer.Option(
                "--logit-scale",
                help="Logit route and mode choice with this scale in USD per tonne (routes "
                "this much dearer get e times less freight); implies --method logit.",
            ),
        ] = None,
        gap: Annotated[float, typer.Option("--gap", help="Target relative gap.")] = 1e-6,
        max_iter: Annotated[int, typer.Option("--max-iter", help="Iteration limit.")] = 5000,
        carbon_price: Annotated[
            float, typer.Option("--carbon-price", help="USD per tonne of CO2e.")
        ] = 0.0,
        period_h: Annotated[
            float,
            typer.Option(
                "--period-h", help="Flow period of the queue delay in hours (8760: a year)."
            ),
        ] = 8760.0,
        counts: Annotated[
            Path | None,
            typer.Option("--counts", help="Counts CSV; default: the shipped 2023-24 counts."),
        ] = None,
        calibrate: Annotated[
            bool,
            typer.Option(
                "--calibrate",
                help="Fit the OD table to the calibration counts (Spiess) and report the "
                "fit with leave-one-out predictions.",
            ),
        ] = False,
        top: Annotated[int, typer.Option("--top", help="Bottlenecks to list.")] = 10,
        map_path: Annotated[
            Path | None, typer.Option("--map", help="Write a flow map PNG here.")
        ] = None,
        links_out: Annotated[
            Path | None, typer.Option("--links-out", help="Write the flows per link as CSV.")
        ] = None,
        od_out: Annotated[
            Path | None, typer.Option("--od-out", help="Write the totals per OD pair as CSV.")
        ] = None,
        include_planned: Annotated[
            bool, typer.Option("--include-planned", help="Use planned links and places.")
        ] = False,
        network: Annotated[
            str | None, typer.Option("--network", help="Network folder; default: shipped.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Assign freight demand with capacities and queues; rank where it chokes first."""
        from corridor.cli._common import load_network, print_json
        from corridor.flows.report import render_text

        chosen = "logit" if logit_scale is not None and method == "bfw" else method
        net = load_network(network)
        report = run_flows(
            net,
            demand_path=demand,
            growth=growth,
            path=path,
            steps=steps,
            method=chosen,
            gap=gap,
            max_iter=max_iter,
            logit_scale_usd_per_t=logit_scale,
            carbon_price_usd_per_t=carbon_price,
            period_h=period_h,
            counts_path=counts,
            calibrate=calibrate,
            top=top,
            map_path=map_path,
            links_out=links_out,
            od_out=od_out,
            include_planned=include_planned,
        )
        if as_json:
            print_json(report)
        else:
            _print(render_text(report), sys.stdout)


def _print(text: str, stream: TextIO) -> None:
    stream.write(text)
