"""``corridor places``: list the places of a network."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``places`` command to ``app``."""

    @app.command("places")
    def places(
        country: Annotated[
            str | None, typer.Option(help="ISO country code, alpha-2 or alpha-3 (KZ, IRN).")
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option(help="city, rail_station, port, border_crossing, junction, terminal."),
        ] = None,
        network: Annotated[
            str | None, typer.Option(help="Network file or folder; the default network if omitted.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List places, optionally of one country and/or kind."""
        from rich.console import Console
        from rich.table import Table

        from corridor.cli._common import load_network, print_json
        from corridor.network.lookup import search_places

        table = search_places(load_network(network), country=country, kind=kind)
        if as_json:
            print_json(table.to_dict(orient="records"))
            return
        out = Table(title=f"{len(table)} places")
        for col in ("place_id", "name", "country", "kind", "lon", "lat", "aliases"):
            out.add_column(col, overflow="fold")
        for row in table.itertuples(index=False):
            aliases = str(getattr(row, "aliases", "")).replace("|", ", ")
            out.add_row(
                str(row.place_id),
                str(row.name),
                str(row.country),
                str(row.kind),
                f"{row.lon:.3f}",
                f"{row.lat:.3f}",
                aliases,
            )
        Console().print(out)
