"""``corridor route ORIGIN DESTINATION``: the best multimodal routes, as a table, JSON or GeoJSON.

The command is a thin wrapper: :func:`run_route` does the work on a
:class:`~corridor.network.Network` (tests call it directly), the command only loads the
network. Heavy modules (pandas, numba, the routing engine) are imported inside the
functions so that ``corridor route --help`` stays fast.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from corridor.network.model import Network
    from corridor.routing.types import Route

__all__ = ["register", "run_route"]


def register(app: typer.Typer) -> None:
    """Add the ``route`` command to ``app``."""

    @app.command("route")
    def route_command(
        origin: Annotated[str, typer.Argument(help="Origin place: id, name or alias.")],
        destination: Annotated[str, typer.Argument(help="Destination place.")],
        objective: Annotated[str, typer.Option(help="time, cost, co2e or generalized.")] = "time",
        cargo: Annotated[
            str, typer.Option(help="Cargo class: container (= 40 ft), teu, feu, bulk, ...")
        ] = "container_40ft",
        units: Annotated[float, typer.Option(help="Units of cargo (boxes, t, trucks).")] = 1.0,
        avoid_country: Annotated[
            list[str] | None, typer.Option(help="ISO alpha-3 country to avoid (repeatable).")
        ] = None,
        avoid_place: Annotated[
            list[str] | None, typer.Option(help="Place to avoid (repeatable).")
        ] = None,
        mode: Annotated[
            list[str] | None, typer.Option(help="Allowed mode (repeatable); all by default.")
        ] = None,
        k: Annotated[int, typer.Option("--k", help="Number of alternatives.")] = 3,
        include_planned: Annotated[
            bool, typer.Option(help="Use planned links and places too.")
        ] = False,
        network: Annotated[
            str | None, typer.Option(help="Network file or folder; the default network if omitted.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        geojson: Annotated[
            Path | None, typer.Option(help="Write the legs as a GeoJSON FeatureCollection.")
        ] = None,
        depart: Annotated[
            str | None, typer.Option(help="Departure, ISO 8601 (2026-12-01T08:00).")
        ] = None,
        reliability: Annotated[
            bool, typer.Option("--reliability", help="Simulate transit times (P50/P90/P95).")
        ] = False,
        samples: Annotated[int, typer.Option(help="Monte Carlo draws per route.")] = 10_000,
        seed: Annotated[int | None, typer.Option(help="Seed of the draws.")] = None,
        deadline: Annotated[
            str | None, typer.Option(help="Deadline for the on-time probability: 12d or 36h.")
        ] = None,
        plot: Annotated[
            Path | None, typer.Option(help="Save a CDF plot of the alternatives (PNG).")
        ] = None,
    ) -> None:
        """Find the best routes from ORIGIN to DESTINATION with their legs."""
        from corridor.formats.inputs import parse_deadline, parse_depart

        if k < 1:
            raise typer.BadParameter(f"--k must be >= 1, got {k}", param_hint="--k")
        if samples < 1:
            raise typer.BadParameter(f"--samples must be >= 1, got {samples}")
        depart_at = None if depart is None else parse_depart(depart)
        deadline_h = None if deadline is None else parse_deadline(deadline)
        wants = reliability or deadline is not None or plot is not None
        from corridor.routing.search import RELIABILITY_OBJECTIVES

        if (wants or objective in RELIABILITY_OBJECTIVES) and depart_at is None:
            raise typer.BadParameter(
                "--reliability, --deadline, --plot and the percentile objectives need --depart "
                "(e.g. --depart 2026-12-01T08:00)"
            )
        net = _load(network)
        run_route(
            net,
            origin,
            destination,
            objective=objective,
            cargo=cargo,
            units=units,
            k=k,
            avoid_countries=tuple(avoid_country or ()),
            avoid_places=tuple(avoid_place or ()),
            modes=tuple(mode) if mode else None,
            include_planned=include_planned,
            as_json=as_json,
            geojson_path=geojson,
            depart=depart_at,
            reliability=wants,
            samples=samples,
            seed=seed,
            deadline_h=deadline_h,
            plot_path=plot,
        )


def _load(path: str | None) -> Network:
    from corridor.cli import _common
    from corridor.errors import InputError

    try:
        return _common.load_network(path)
    except ModuleNotFoundError as err:
        what = "the default network" if path is None else f"network {path!r}"
        raise InputError(f"cannot load {what}: {err.name} is not available") from err


def run_route(
    network: Network,
    origin: str,
    destination: str,
    *,
    objective: str = "time",
    cargo: str = "container_40ft",
    units: float = 1.0,
    k: int = 3,
    avoid_countries: tuple[str, ...] = (),
    avoid_places: tuple[str, ...] = (),
    modes: tuple[str, ...] | None = None,
    include_planned: bool = False,
    as_json: bool = False,
    geojson_path: Path | str | None = None,
    console: Console | None = None,
    depart: datetime | None = None,
    reliability: bool = False,
    samples: int = 10_000,
    seed: int | None = None,
    deadline_h: float | None = None,
    plot_path: Path | str | None = None,
) -> list[Route]:
    """Route, then print a table (or JSON) and optionally write GeoJSON.

    Parameters
    ----------
    network : Network
        The network.
    origin, destination : str
        Places.
    objective, cargo, units, k, avoid_countries, avoid_places, modes, include_planned
        As for :func:`corridor.routing.route`.
    as_json : bool, default False
        Print :func:`routes_to_json` instead of tables.
    geojson_path : path, optional
        Write :func:`routes_to_geojson` there (atomically).
    console : rich.console.Console, optional
        Where tables go (stdout by default).
    depart : datetime, optional
        Departure time (for ``reliability`` and the percentile objectives).
    reliability : bool, default False
        Simulate each alternative (:func:`corridor.reliability.simulate_route`) and show
        P50/P90/P95, mean and the on-time probability for ``deadline_h``.
    samples, seed : int
        Monte Carlo draws and seed.
    deadline_h : float, optional
        Deadline in hours after departure.
    plot_path : path, optional
        Save a CDF plot of the alternatives there.

    Returns
    -------
    list of Route

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> from corridor.testing import gauge_network
    >>> out = Console(file=io.StringIO(), width=120)
    >>> [r.rank for r in run_route(gauge_network(), "A", "B", console=out)]
    [1, 2]

    """
    from corridor.routing.search import route

    routes = route(
        network,
        origin,
        destination,
        objective=objective,
        cargo=cargo,
        units=units,
        k=k,
        avoid_countries=avoid_countries,
        avoid_places=avoid_places,
        modes=modes,
        include_planned=include_planned,
        depart=depart,
        samples=samples,
        seed=seed,
    )
    results = {}
    if reliability:
        results = _simulate(network, routes, depart, samples, seed, deadline_h)
        routes = [
            replace(r, extra={**r.extra, "reliability": _reliability_dict(res)})
            for r, res in zip(routes, results.values(), strict=True)
        ]
    if plot_path is not None and results:
        from corridor.reliability import plot_cdf

        plot_cdf(results, plot_path, deadline_h=deadline_h)
    if geojson_path is not None:
        from corridor._atomic import atomic_text
        from corridor.formats import dumps_json, routes_to_geojson

        atomic_text(
            Path(geojson_path), dumps_json(routes_to_geojson(network, routes), indent=1) + "\n"
        )
    if as_json:
        from corridor.cli._common import print_json
        from corridor.formats import routes_to_json

        print_json(routes_to_json(network, routes))
    else:
        _print_tables(network, routes, console)
        if results:
            from rich.console import Console

            from corridor.cli.tables import reliability_table

            (console or Console()).print(reliability_table(results))
    return routes


def _simulate(
    network: Network,
    routes: list[Route],
    depart: datetime | None,
    samples: int,
    seed: int | None,
    deadline_h: float | None,
) -> dict[str, Any]:
    """Simulate each route from ``depart``; results keyed by rank (``"1"``, ``"2"`` ...)."""
    from corridor.errors import InputError
    from corridor.reliability import simulate_route

    if depart is None:
        raise InputError("reliability needs a departure time (--depart 2026-12-01T08:00)")
    return {
        str(r.rank): simulate_route(
            network, r, depart=depart, samples=samples, seed=seed, deadline_h=deadline_h
        )
        for r in routes
    }


def _reliability_dict(result: Any) -> dict[str, Any]:
    return dict(result.to_dict())


def _names(network: Network) -> dict[str, str]:
    return dict(zip(network.places["place_id"], network.places["name"], strict=True))


def _fmt(value: float, spec: str) -> str:
    """Format a figure, or ``unknown`` where the parameter tables do not give it."""
    return format(value, spec) if math.isfinite(value) else "unknown"


def _print_tables(network: Network, routes: list[Route], console: Console | None) -> None:
    from rich.console import Console
    from rich.table import Table

    con = console or Console()
    names = _names(network)
    first = routes[0]
    title = (
        f"{names.get(first.origin, first.origin)} -> "
        f"{names.get(first.destination, first.destination)}: {first.units:g} x {first.cargo}, "
        f"by {first.objective}"
    )
    summary = Table(title=title)
    for col in ("rank", "days", "cost USD", "CO2e t", "km", "borders", "ferries", "gauge changes"):
        summary.add_column(col, justify="left" if col == "borders" else "right")
    for r in routes:
        ferries = sum(leg.kind == "run" and leg.mode in ("ferry", "sea") for leg in r.legs)
        borders = ", ".join(r.extra.get("border_countries", [])) or "-"
        summary.add_row(
            str(r.rank),
            _fmt(r.time_h / 24, ".1f"),
            _fmt(r.cost_usd, ",.0f"),
            _fmt(r.co2e_kg / 1000, ".2f"),
            f"{r.length_km:,.0f}",
            borders,
            str(ferries),
            str(len(r.gauge_changes)),
        )
    con.print(summary)
    for r in routes:
        legs = Table(title=f"alternative {r.rank}", title_justify="left")
        for col in ("kind", "mode", "from", "to", "km", "hours", "USD", "kg CO2e"):
            legs.add_column(
                col, justify="right" if col in ("km", "hours", "USD", "kg CO2e") else "left"
            )
        for leg in r.legs:
            legs.add_row(
                leg.kind,
                leg.mode,
                names.get(leg.from_id, leg.from_id),
                names.get(leg.to_id, leg.to_id),
                f"{leg.length_km:,.0f}",
                _fmt(leg.time_h, ".1f"),
                _fmt(leg.cost_usd, ",.0f"),
                _fmt(leg.co2e_kg, ",.0f"),
            )
        con.print(legs)
        if r.extra.get("unknown"):
            con.print(
                "[yellow]unknown in the parameter tables (not counted as zero):[/] "
                + "; ".join(r.extra["unknown"]),
                markup=True,
            )
