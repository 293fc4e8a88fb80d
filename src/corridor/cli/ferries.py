"""``corridor ferries ...``: the Caspian ferry lines as queues.

``corridor ferries list``
    The network's water services: which the ferry model can simulate (departure rule,
    capacity per sailing, capacity a day, months with storms) and, for the others, the
    figure that is missing.
``corridor ferries simulate SERVICE [--months 1,11,12] [--volume 0.8 | --units-per-day N]``
    One simulated year of a line with arrivals at a share of its capacity (or a rate):
    per month the wait of a unit (P50, P90, mean), the load factor, the units left behind
    per sailing, the queue and the share of time closed. ``--curve`` adds the figures at
    10 %-120 % of capacity; ``--plot FILE`` draws the wait distribution and the curve;
    ``--json`` prints ``{"service", "volume_share", "units_per_day", "months": [{"month",
    "wait_p50_h", "wait_p90_h", "load_factor", "left_behind", ...}], "year": {...}}``.

The volume is a setting, not a figure of the data: 0.8 of capacity unless given (the flows
baseline is not wired to this command yet).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.errors import InputError

if TYPE_CHECKING:
    from corridor.ferries.curve import VolumeCurve
    from corridor.ferries.line import FerryLine
    from corridor.ferries.sim import LineRun
    from corridor.network.model import Network

__all__ = ["parse_months", "register", "simulate_payload"]

_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_months(text: str | None) -> tuple[int, ...]:
    """Parse ``"1,11-12"`` or ``"jan,nov,dec"`` into month numbers (all twelve for None).

    Raises
    ------
    InputError
        For a month that is not 1-12 or a month name (``argument="months"``).

    Examples
    --------
    >>> parse_months("nov-dec,1")
    (1, 11, 12)

    """
    if text is None or not text.strip():
        return tuple(range(1, 13))

    def one(tok: str) -> int:
        t = tok.strip().lower()
        if t[:3] in _NAMES and not t.isdigit():
            return _NAMES.index(t[:3]) + 1
        if t.isdigit() and 1 <= int(t) <= 12:
            return int(t)
        raise InputError(
            f"unknown month {tok!r}", argument="months", value=text, allowed="1-12 or jan-dec"
        )

    out: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            lo, hi = one(a), one(b)
            if lo > hi:
                raise InputError(
                    f"month range {part!r} runs backwards", argument="months", value=text
                )
            out.update(range(lo, hi + 1))
        else:
            out.add(one(part))
    return tuple(sorted(out))


def simulate_payload(
    line: FerryLine,
    runs: Sequence[LineRun],
    *,
    months: tuple[int, ...],
    volume_share: float | None,
    units_per_day: float,
    seed: int | None,
    curve: VolumeCurve | None = None,
) -> dict[str, Any]:
    """Return the JSON payload of ``corridor ferries simulate``."""
    from corridor.ferries.sim import summarise

    month_figs, year = summarise(runs)
    figs = [f.to_dict() for f in month_figs if f.month in months]
    out: dict[str, Any] = {
        "service": line.service_id,
        "rule": line.rule,
        "unit": line.unit,
        "units_per_sailing": line.units_per_sailing,
        "capacity_units_per_day": line.capacity_units_per_day,
        "volume_share": volume_share,
        "units_per_day": units_per_day,
        "seed": seed,
        "years": len(runs),
        "months": figs,
        "year": year.to_dict(),
        "sources": dict(line.sources),
    }
    if curve is not None:
        out["curve"] = [
            {"share": p.share, "units_per_day": p.units_per_day, **p.year.to_dict()}
            for p in curve.points
        ]
    return out


def _h(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:,.1f}"


def register(app: typer.Typer) -> None:
    """Add the ``ferries`` command group to ``app``."""
    group = typer.Typer(help="Caspian ferry lines as queues (simpy).", no_args_is_help=True)

    @group.command("list")
    def list_command(
        network: Annotated[
            str | None, typer.Option(help="Network file or folder; the default network if omitted.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List the water services and whether the ferry model can simulate each."""
        from rich.console import Console
        from rich.table import Table

        from corridor.cli._common import load_network, print_json
        from corridor.ferries.line import ferry_line_infos

        infos = ferry_line_infos(load_network(network))
        rows: list[dict[str, Any]] = []
        for i in infos:
            ln = i.line
            rows.append(
                {
                    "service": i.service_id,
                    "from_id": i.from_id,
                    "to_id": i.to_id,
                    "mode": i.mode,
                    "rule": i.rule or None,
                    "unit": ln.unit if ln else None,
                    "units_per_sailing": ln.units_per_sailing if ln else None,
                    "capacity_units_per_day": ln.capacity_units_per_day if ln else None,
                    "storm_months": [m + 1 for m in range(12) if ln.storms.starts_per_day[m] > 0]
                    if ln
                    else [],
                    "missing": i.missing or None,
                }
            )
        if as_json:
            print_json(rows)
            return
        table = Table(
            title=f"{sum(r['rule'] is not None for r in rows)} of {len(rows)} services "
            "can be simulated"
        )
        for col in (
            "service",
            "from",
            "to",
            "rule",
            "per sailing",
            "capacity/day",
            "storms",
            "missing",
        ):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(
                r["service"],
                r["from_id"],
                r["to_id"],
                r["rule"] or "-",
                "-" if r["units_per_sailing"] is None else f"{r['units_per_sailing']} {r['unit']}",
                "-"
                if r["capacity_units_per_day"] is None
                else f"{r['capacity_units_per_day']:.1f}",
                ",".join(str(m) for m in r["storm_months"]) or "-",
                r["missing"] or "",
            )
        Console(soft_wrap=True).print(table)

    @group.command("simulate")
    def simulate_command(
        service: Annotated[str, typer.Argument(help="Service id (see `corridor ferries list`).")],
        months: Annotated[
            str | None, typer.Option(help="Months to show: 1,11-12 or jan,nov-dec (all).")
        ] = None,
        volume: Annotated[
            float | None,
            typer.Option(help="Arrivals as a share of the line's capacity (0.8 if not given)."),
        ] = None,
        units_per_day: Annotated[
            float | None, typer.Option(help="Arrivals in units a day (instead of --volume).")
        ] = None,
        curve: Annotated[
            bool, typer.Option("--curve", help="Also simulate 10 %-120 % of capacity.")
        ] = False,
        seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
        years: Annotated[
            int, typer.Option(help="Independent years simulated and pooled (weather varies).")
        ] = 10,
        plot: Annotated[
            Path | None, typer.Option(help="Write the wait CDF and the curve (.png/.svg/.pdf).")
        ] = None,
        network: Annotated[
            str | None, typer.Option(help="Network file or folder; the default network if omitted.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Simulate one year of a ferry line: waits, loads and queues by month."""
        from corridor.cli._common import check_output_path, load_network

        chosen = parse_months(months)
        if plot is not None:
            check_output_path(plot)
        run_simulate(
            load_network(network),
            service,
            months=chosen,
            volume=volume,
            units_per_day=units_per_day,
            with_curve=curve or plot is not None,
            seed=seed,
            years=years,
            plot=plot,
            as_json=as_json,
        )

    app.add_typer(group, name="ferries")


def run_simulate(
    network: Network,
    service: str,
    *,
    months: tuple[int, ...],
    volume: float | None,
    units_per_day: float | None,
    with_curve: bool,
    seed: int,
    plot: Path | None,
    as_json: bool,
    years: int = 10,
) -> None:
    """Do the work of ``corridor ferries simulate`` (tests call it directly)."""
    from rich.console import Console
    from rich.table import Table

    from corridor.cli._common import print_json
    from corridor.ferries.curve import volume_curve
    from corridor.ferries.line import ferry_line
    from corridor.ferries.plot import plot_line
    from corridor.ferries.sim import simulate_years

    if volume is not None and units_per_day is not None:
        raise InputError(
            "give --volume or --units-per-day, not both", argument="volume", value=volume
        )
    for name, v in (("volume", volume), ("units_per_day", units_per_day)):
        if v is not None and not (math.isfinite(v) and v > 0):
            raise InputError(f"{name} must be > 0, got {v}", argument=name, value=v)
    line = ferry_line(network, service)
    share: float | None = None
    if units_per_day is not None:
        rate = float(units_per_day)
    else:
        share = 0.8 if volume is None else float(volume)
        rate = share * line.capacity_units_per_day
    if not 0 <= seed < 2**63:
        raise InputError(f"seed must be 0 to 2**63 - 1, got {seed}", argument="seed", value=seed)
    runs = simulate_years(line, rate, years=years, seed=seed)
    crv = volume_curve(line, seed=seed, years=years) if with_curve else None
    if plot is not None:
        plot_line(runs, plot, curve=crv, months=months if len(months) < 12 else ())
    payload = simulate_payload(
        line, runs, months=months, volume_share=share, units_per_day=rate, seed=seed, curve=crv
    )
    if as_json:
        print_json(payload)
        return
    console = Console(highlight=False, soft_wrap=True)
    vol = f"{100 * share:.0f} % of capacity" if share is not None else "given rate"
    vol += f", {years} years pooled"
    table = Table(
        title=(
            f"{service}: {line.rule}, {line.units_per_sailing} {line.unit}s a sailing, "
            f"capacity {line.capacity_units_per_day:.1f}/day; arrivals {rate:.1f}/day ({vol})"
        )
    )
    for col in (
        "month",
        "units",
        "wait P50 h",
        "wait P90 h",
        "mean h",
        "load",
        "left behind",
        "queue mean",
        "queue max",
        "closed",
    ):
        table.add_column(col, justify="right")
    for f in payload["months"]:
        table.add_row(
            str(f["month"]),
            str(f["units"]),
            _h(f["wait_p50_h"]),
            _h(f["wait_p90_h"]),
            _h(f["wait_mean_h"]),
            _h(f["load_factor"]),
            _h(f["left_behind"]),
            _h(f["queue_mean"]),
            str(f["queue_max"]),
            f"{100 * f['closed_share']:.0f} %",
        )
    console.print(table)
    if crv is not None:
        ct = Table(title="against volume (whole year)")
        for col in (
            "volume",
            "units/day",
            "wait P50 h",
            "wait P90 h",
            "mean h",
            "load",
            "left behind",
            "queue mean",
        ):
            ct.add_column(col, justify="right")
        for p in crv.points:
            y = p.year
            ct.add_row(
                f"{100 * p.share:.0f} %",
                f"{p.units_per_day:.1f}",
                _h(y.wait_p50_h),
                _h(y.wait_p90_h),
                _h(y.wait_mean_h),
                _h(y.load_factor),
                _h(y.left_behind),
                _h(y.queue_mean),
            )
        console.print(ct)
    for name, src in line.sources.items():
        console.print(f"{name}: {src}", markup=False)
    if plot is not None:
        console.print(f"wrote {plot}", markup=False)
