"""``corridor network ...``: check, summarise and export network files.

``corridor network check PATH``
    Read and validate; print every problem and exit 2 if there is an error, else print
    the warnings and a summary (places and links by mode and by country) and exit 0.
    ``--json`` prints ``{"valid": bool, "problems": [...], "summary": {...} | null}``.
``corridor network summary [PATH]``
    Print the summary of a valid network (the shipped default network without PATH).
``corridor network export PATH --geojson OUT [--gmns FOLDER]``
    Read, validate, and write GeoJSON and/or a GMNS folder; nothing is written when the
    network is invalid.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from corridor.errors import FormatError, InputError, NetworkValidationError, Problem
from corridor.network.model import Network

__all__ = ["print_problems", "print_summary", "register"]

_STYLE = {"error": "bold red", "warning": "yellow"}


def print_problems(console: Console, problems: tuple[Problem, ...] | list[Problem]) -> None:
    """Print one line per problem, errors in red and warnings in yellow.

    Examples
    --------
    >>> from rich.console import Console
    >>> print_problems(Console(width=120, color_system=None),
    ...                [Problem("error", "links", "AB", "mode", "unknown mode 'x'")])
    error: links 'AB' [mode]: unknown mode 'x'

    """
    for p in problems:
        rest = str(p)[len(p.severity) :]
        console.print(Text.assemble((p.severity, _STYLE.get(p.severity, "")), rest))


def print_summary(console: Console, network: Network) -> None:
    """Print tables of places by country and kind, and links by mode and status.

    Examples
    --------
    >>> from rich.console import Console
    >>> from corridor.testing import tiny_network
    >>> print_summary(Console(width=100, color_system=None), tiny_network())
    ... # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    tiny: 4 places, 4 links
    ...

    """
    summary = network.summary()
    name = str(network.metadata.get("name", "")) or "network"
    console.print(
        Text(f"{name}: {summary['places']} places, {summary['links']} links"), highlight=False
    )
    for title, key in (
        ("places by country", "places_by_country"),
        ("places by kind", "places_by_kind"),
        ("links by mode", "links_by_mode"),
        ("links by status", "links_by_status"),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column(title.split(" by ")[1])
        table.add_column("count", justify="right")
        for value, count in summary[key].items():
            table.add_row(value or "(none)", str(count))
        console.print(table)


def _check_payload(path: str) -> tuple[dict[str, Any], Network | None]:
    from corridor.graph.check import validate
    from corridor.network.io import read_network

    network: Network | None = None
    try:
        network = read_network(path, check=False)
        problems = validate(network, source=path)
        valid = True
    except FormatError as err:
        problems = (Problem("error", "file", "", "", str(err)),)
        valid = False
    except NetworkValidationError as err:
        problems = err.problems
        valid = False
    payload = {
        "valid": valid,
        "problems": [asdict(p) for p in problems],
        "summary": network.summary() if valid and network is not None else None,
    }
    return payload, network


def register(app: typer.Typer) -> None:
    """Add the ``network`` command group to ``app``."""
    group = typer.Typer(help="Check, summarise and export networks.", no_args_is_help=True)

    @group.command("check")
    def check(
        path: Annotated[str, typer.Argument(help="GMNS folder or TNTP network file.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Validate a network: list every problem (exit 2 on errors) or print a summary."""
        from corridor.cli._common import print_json

        payload, network = _check_payload(path)
        if as_json:
            print_json(payload)
        else:
            console = Console(highlight=False, soft_wrap=True)
            problems = [Problem(**p) for p in payload["problems"]]
            n_err = sum(p.severity == "error" for p in problems)
            if problems and problems[0].table == "file":
                first, *rest = problems[0].message.splitlines()
                console.print(Text(f"error: {first}", style="bold red"))
                for line in rest:
                    console.print(Text(line))
            else:
                if n_err:
                    console.print(
                        Text(
                            f"error: {path}: invalid network: {n_err} error(s), "
                            f"{len(problems) - n_err} warning(s)",
                            style="bold red",
                        )
                    )
                print_problems(console, problems)
            if network is not None and payload["valid"]:
                print_summary(console, network)
        if not payload["valid"]:
            raise typer.Exit(2)

    @group.command("summary")
    def summary(
        path: Annotated[
            str | None, typer.Argument(help="GMNS folder or TNTP file; default network if omitted.")
        ] = None,
    ) -> None:
        """Print places and links by country, kind, mode and status."""
        from corridor.cli._common import load_network

        console = Console(highlight=False, soft_wrap=True)
        network = load_network(path)
        print_summary(console, network)

    @group.command("export")
    def export(
        path: Annotated[str, typer.Argument(help="GMNS folder or TNTP network file.")],
        geojson: Annotated[
            str | None, typer.Option("--geojson", help="Write GeoJSON (RFC 7946) here.")
        ] = None,
        gmns: Annotated[
            str | None, typer.Option("--gmns", help="Write a GMNS folder here.")
        ] = None,
    ) -> None:
        """Read and validate a network, then write it as GeoJSON and/or GMNS."""
        from corridor.network.geojson import write_geojson
        from corridor.network.gmns import write_gmns
        from corridor.network.io import read_network

        if geojson is None and gmns is None:
            raise InputError("export: give --geojson OUT and/or --gmns FOLDER")
        network = read_network(path)
        if geojson is not None:
            write_geojson(network, geojson)
        if gmns is not None:
            write_gmns(network, gmns)
        Console(highlight=False, soft_wrap=True).print(
            Text(f"wrote {', '.join(p for p in (geojson, gmns) if p)}")
        )

    app.add_typer(group, name="network")
