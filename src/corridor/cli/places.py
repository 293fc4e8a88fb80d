"""``corridor places``: list the places of a network.

A table when the terminal is wide enough for every id, kind and coordinate on one line;
else (a pipe is 80 columns) a compact layout of one line per place with its aliases
wrapped below. No cell is cut either way; ``--json`` gives every column.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

__all__ = ["print_places", "register"]

_COLUMNS = ("place_id", "name", "country", "kind", "lon", "lat")
#: Narrowest aliases column the table layout accepts before it switches to compact.
_MIN_ALIASES = 24


def _cells(row: Mapping[Hashable, object]) -> tuple[list[str], str]:
    def coord(value: object) -> str:
        x = float(value) if isinstance(value, int | float) else float("nan")
        return "-" if x != x else f"{x:.3f}"  # NaN: no coordinates

    cells = [str(row[c]) for c in ("place_id", "name", "country", "kind")]
    cells += [coord(row["lon"]), coord(row["lat"])]
    aliases = row.get("aliases")
    text = aliases if isinstance(aliases, str) else ""
    return cells, ", ".join(a for a in text.split("|") if a.strip())


def print_places(console: Console, table: pd.DataFrame) -> None:
    """Print places as a table, or compactly when the console is narrow.

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> from corridor.cli._common import console
    >>> table = pd.DataFrame({
    ...     "place_id": ["KZ_AKTAU_PORT", "KZ_KURYK"], "name": ["Aktau seaport", "Kuryk"],
    ...     "country": ["KAZ", "KAZ"], "kind": ["port", "port"], "lon": [51.174, 51.681],
    ...     "lat": [43.661, 43.18], "aliases": ["Aqtau port|Port Aktau", "Kurik|Курык"]})
    >>> c = console()
    >>> c.file, c.width = io.StringIO(), 60
    >>> print_places(c, table)
    >>> for line in c.file.getvalue().splitlines():
    ...     print(line.rstrip())
    2 places
    KZ_AKTAU_PORT  Aktau seaport  KAZ  port  51.174  43.661
                   aka Aqtau port, Port Aktau
    KZ_KURYK       Kuryk          KAZ  port  51.681  43.180
                   aka Kurik, Курык

    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    rows = [_cells(r) for r in table.to_dict(orient="records")]
    console.print(Text(f"{len(rows)} places"))
    if not rows:
        return
    widths = [
        max([cell_len(h)] + [cell_len(r[0][i]) for r in rows]) for i, h in enumerate(_COLUMNS)
    ]
    has_aliases = any(a for _, a in rows)
    # a boxed table takes 3 columns per cell (border and padding) and one more
    frame = 3 * (len(_COLUMNS) + has_aliases) + 1
    if sum(widths) + frame + (_MIN_ALIASES if has_aliases else 0) <= console.width:
        out = Table()
        for col in _COLUMNS:
            out.add_column(col, no_wrap=True, justify="right" if col in ("lon", "lat") else "left")
        if has_aliases:
            out.add_column("aliases", overflow="fold", ratio=1)
        for cells, aliases in rows:
            out.add_row(*cells, *([aliases] if has_aliases else []))
        console.print(out)
        return
    # compact: the id, then name (wrapped in its column), country, kind and coordinates,
    # with the aliases wrapped beneath; every row's inner grid has the same widths
    from rich.console import Group

    id_w, _, country_w, kind_w, lon_w, lat_w = (
        max(cell_len(c[i]) for c, _ in rows) for i in range(len(_COLUMNS))
    )
    body_w = max(console.width - id_w - 2, 20)
    longest = max(cell_len(c[1]) for c, _ in rows)
    name_w = max(min(body_w - (country_w + kind_w + lon_w + lat_w + 4 * 2), longest), 8)
    outer = Table.grid(padding=(0, 2))
    outer.add_column(no_wrap=True, width=id_w)
    outer.add_column(width=body_w)
    for cells, aliases in rows:
        inner = Table.grid(padding=(0, 2))
        inner.add_column(width=name_w, overflow="fold")
        for w, right in ((country_w, False), (kind_w, False), (lon_w, True), (lat_w, True)):
            inner.add_column(width=w, no_wrap=True, justify="right" if right else "left")
        inner.add_row(*cells[1:])
        body = Group(inner, Text(f"aka {aliases}", overflow="fold")) if aliases else inner
        outer.add_row(cells[0], body)
    console.print(outer)


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
        from corridor.cli._common import console, load_network, print_json
        from corridor.network.lookup import check_country, check_kind, search_places

        # the options are checked before the network is read
        if country is not None:
            check_country(country)
        if kind is not None:
            check_kind(kind)
        table = search_places(load_network(network), country=country, kind=kind)
        if as_json:
            print_json(table.to_dict(orient="records"))
            return
        print_places(console(), table)
