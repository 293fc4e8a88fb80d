"""``corridor network ...``: check, summarise and export network files.

``corridor network check PATH``
    Read and validate (as :func:`corridor.validate` does). A valid network prints its
    summary on stdout (places and links by country, kind, mode and status) and its
    warnings on stderr, folded into one line per kind ("24 places without coordinates:
    1, 2, ..."), and exits 0. An invalid one prints a count line and every problem
    (folded the same way) on stderr and exits 2. ``--json`` prints
    ``{"valid": bool, "problems": [...], "summary": {...} | null}`` on stdout with one
    problem per offending cell, for programs.
``corridor network summary [PATH]``
    Print the summary of a valid network (the shipped default network without PATH);
    ``--json`` prints :meth:`Network.summary` with the network's name.
``corridor network export PATH --geojson OUT [--gmns FOLDER]``
    Check the output paths, read, validate, and write GeoJSON and/or a GMNS folder;
    nothing is written when a path or the network is refused. ``--json`` prints what
    was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from corridor.errors import Problem
    from corridor.network.model import Network

__all__ = ["print_problems", "print_summary", "register"]

_STYLE = {"error": "bold red", "warning": "yellow"}


def print_problems(console: Console, problems: Sequence[Problem]) -> None:
    """Print one line per problem, errors in red and warnings in yellow.

    Examples
    --------
    >>> from corridor.cli._common import console
    >>> from corridor.errors import Problem
    >>> print_problems(console(), [Problem("error", "links", "AB", "mode", "unknown mode 'x'")])
    error: links 'AB' [mode]: unknown mode 'x'

    """
    from rich.text import Text

    for p in problems:
        rest = str(p)[len(p.severity) :]
        console.print(Text.assemble((p.severity, _STYLE.get(p.severity, "")), rest), soft_wrap=True)


def _counts_table(title: str, counts: dict[str, int]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(title.split(" by ")[1], no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    for value, count in counts.items():
        table.add_row(value or "(none)", str(count))
    return table


_SUMMARY_TABLES = (
    ("places by country", "places_by_country"),
    ("places by kind", "places_by_kind"),
    ("links by mode", "links_by_mode"),
    ("links by status", "links_by_status"),
)


def summary_payload(network: Network) -> dict[str, Any]:
    """Return :meth:`Network.summary` with the network's ``name`` first."""
    name = str(network.metadata.get("name", "")) or "network"
    return {"name": name, **network.summary()}


def print_summary(console: Console, network: Network) -> None:
    """Print tables of places by country and kind, and links by mode and status.

    The four tables stand side by side when the console is wide enough, else one under
    the other; no cell is ever cut.

    Examples
    --------
    >>> from corridor.cli._common import console
    >>> from corridor.testing import tiny_network
    >>> print_summary(console(), tiny_network())
    ... # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    tiny: 4 places, 4 links
    ...

    """
    from rich.columns import Columns
    from rich.text import Text

    summary = summary_payload(network)
    console.print(Text(f"{summary['name']}: {summary['places']} places, {summary['links']} links"))
    tables = [_counts_table(title, summary[key]) for title, key in _SUMMARY_TABLES]
    widths = [console.measure(t).maximum for t in tables]
    if sum(widths) + 2 * (len(tables) - 1) <= console.width:
        console.print(Columns(tables, padding=(0, 2)))
    else:
        for table in tables:
            console.print(table)


def _check_payload(path: str) -> tuple[dict[str, Any], Network | None]:
    from dataclasses import asdict

    from corridor.errors import FormatError, NetworkValidationError, Problem
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


def _print_check(path: str, payload: dict[str, Any], network: Network | None) -> None:
    from rich.text import Text

    from corridor.cli._common import console
    from corridor.errors import Problem
    from corridor.network.validation import group_problems

    err = console(stderr=True)
    problems = [Problem(**p) for p in payload["problems"]]
    if problems and problems[0].table == "file":
        first, *rest = problems[0].message.splitlines()
        err.print(Text(f"error: {first}", style="bold red"), soft_wrap=True)
        for line in rest:
            err.print(Text(line), soft_wrap=True)
        return
    n_err = sum(p.severity == "error" for p in problems)
    if n_err:
        err.print(
            Text(
                f"error: {path}: invalid network: {n_err} error(s), "
                f"{len(problems) - n_err} warning(s)",
                style="bold red",
            ),
            soft_wrap=True,
        )
    print_problems(err, group_problems(problems))
    if network is not None and payload["valid"]:
        print_summary(console(), network)


def register(app: typer.Typer) -> None:
    """Add the ``network`` command group to ``app``."""
    group = typer.Typer(
        help="Check, summarise and export networks.", no_args_is_help=True, rich_markup_mode=None
    )

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
            _print_check(path, payload, network)
        if not payload["valid"]:
            raise typer.Exit(2)

    @group.command("summary")
    def summary(
        path: Annotated[
            str | None, typer.Argument(help="GMNS folder or TNTP file; default network if omitted.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Print places and links by country, kind, mode and status."""
        from corridor.cli._common import console, load_network, print_json

        network = load_network(path)
        if as_json:
            print_json(summary_payload(network))
        else:
            print_summary(console(), network)

    @group.command("export")
    def export(
        path: Annotated[str, typer.Argument(help="GMNS folder or TNTP network file.")],
        geojson: Annotated[
            str | None, typer.Option("--geojson", help="Write GeoJSON (RFC 7946) here.")
        ] = None,
        gmns: Annotated[
            str | None, typer.Option("--gmns", help="Write a GMNS folder here.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Read and validate a network, then write it as GeoJSON and/or GMNS."""
        from pathlib import Path

        from rich.text import Text

        from corridor.cli._common import (
            check_output_folder,
            check_output_path,
            console,
            output_options,
            print_json,
        )
        from corridor.errors import InputError

        if geojson is None and gmns is None:
            raise InputError(
                "export: give --geojson OUT and/or --gmns FOLDER",
                argument="geojson",
                allowed="--geojson FILE, --gmns FOLDER or both",
            )
        # every output is checked before the network is read, so a refused one writes nothing
        if geojson is not None:
            check_output_path(geojson, "geojson")
        if gmns is not None:
            check_output_folder(gmns, "gmns")
            if geojson is not None and Path(geojson).resolve().is_relative_to(Path(gmns).resolve()):
                raise InputError(
                    f"cannot write {geojson!r}: it is inside the --gmns folder {gmns!r}, "
                    "which is replaced as a whole; write it elsewhere",
                    argument="geojson",
                    value=geojson,
                )
        from corridor.network.geojson import write_geojson
        from corridor.network.gmns import write_gmns
        from corridor.network.io import read_network

        network = read_network(path)
        written = []
        with output_options({"geojson": geojson, "gmns": gmns}):
            if geojson is not None:
                write_geojson(network, geojson)
                written.append({"format": "geojson", "path": geojson})
            if gmns is not None:
                write_gmns(network, gmns)
                written.append({"format": "gmns", "path": gmns})
        if as_json:
            print_json({"places": network.n_places, "links": network.n_links, "wrote": written})
        else:
            console().print(
                Text(
                    f"{network.n_places} places, {network.n_links} links: wrote "
                    + ", ".join(w["path"] for w in written)
                ),
                soft_wrap=True,
            )

    app.add_typer(group, name="network")
