"""``corridor route ORIGIN DESTINATION``: the best multimodal routes, as a table, JSON or GeoJSON.

The command is a thin wrapper: :func:`run_route` does the work on a
:class:`~corridor.network.Network` (tests call it directly), the command only loads the
network. Heavy modules (pandas, numba, the routing engine) are imported inside the
functions so that ``corridor route --help`` stays fast.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.errors import InputError
from corridor.objectives import DEFAULT_OBJECTIVE

#: The default of ``--max-ratio`` (:data:`corridor.routing.request.DEFAULT_MAX_RATIO`; kept
#: here so that ``--help`` does not import the routing engine).
DEFAULT_MAX_RATIO = 1.5

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
        objective: Annotated[
            str,
            typer.Option(
                help="What to minimise: time, cost, co2e, length, generalized, or a simulated "
                "bad case: p50_time, p90_time, p95_time, mean_time (needs --depart)."
            ),
        ] = DEFAULT_OBJECTIVE,
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
        via: Annotated[
            list[str] | None,
            typer.Option(help="Place the route must pass (repeatable, in order)."),
        ] = None,
        value_of_time: Annotated[
            float | None,
            typer.Option(
                help="USD per hour for the whole consignment (default: the network's table)."
            ),
        ] = None,
        carbon_price: Annotated[
            float, typer.Option(help="USD per tonne of CO2e in the generalized cost.")
        ] = 0.0,
        crew: Annotated[
            int,
            typer.Option(help="Drivers per truck (1 or 2): the drivers' hours rules of road legs."),
        ] = 1,
        max_ratio: Annotated[
            float,
            typer.Option(
                help="Drop alternatives worse than this factor times the best on the objective "
                "(a large value keeps all)."
            ),
        ] = DEFAULT_MAX_RATIO,
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
            Path | None,
            typer.Option(
                help="Save a CDF plot of the alternatives (PNG); with --pareto, a scatter of "
                "the front."
            ),
        ] = None,
        pareto: Annotated[
            bool,
            typer.Option(
                "--pareto",
                help="Every trade-off between days, USD and CO2e (the Pareto front), sorted "
                "by time; with --depart each is simulated for its P90.",
            ),
        ] = False,
        epsilon: Annotated[
            float | None,
            typer.Option(help="With --pareto: thin the front to within a factor 1 + EPSILON."),
        ] = None,
    ) -> None:
        """Find the best routes from ORIGIN to DESTINATION with their legs."""
        if pareto or epsilon is not None:
            from corridor.cli.pareto import pareto_command

            pareto_command(
                origin,
                destination,
                pareto=pareto,
                epsilon=epsilon,
                objective=objective,
                k=k,
                max_ratio=max_ratio,
                search_options={
                    "cargo": cargo,
                    "units": units,
                    "avoid_countries": tuple(avoid_country or ()),
                    "avoid_places": tuple(avoid_place or ()),
                    "modes": tuple(mode) if mode else None,
                    "via": tuple(via or ()),
                    "include_planned": include_planned,
                    "value_of_time_usd_per_h": value_of_time,
                    "carbon_price_usd_per_t": carbon_price,
                    "crew": crew,
                },
                network=network,
                as_json=as_json,
                geojson=geojson,
                plot=plot,
                depart=depart,
                reliability=reliability,
                samples=samples,
                seed=seed,
                deadline=deadline,
            )
            return
        from corridor.cli._common import check_output_path
        from corridor.formats.inputs import parse_deadline, parse_depart
        from corridor.journeys.routes import RouteOptions
        from corridor.objectives import get_objective
        from corridor.routing.request import SearchRequest

        depart_at = None if depart is None else parse_depart(depart)
        deadline_h = None if deadline is None else parse_deadline(deadline)
        wants = reliability or deadline is not None or plot is not None
        simulated = not get_objective(objective).additive
        if (wants or simulated) and depart_at is None:
            raise InputError(
                "--reliability, --deadline, --plot and the percentile objectives need --depart "
                "(e.g. --depart 2026-12-01T08:00)",
                argument="depart",
            )
        search_options: dict[str, Any] = {
            "objective": objective,
            "cargo": cargo,
            "units": units,
            "k": k,
            "avoid_countries": tuple(avoid_country or ()),
            "avoid_places": tuple(avoid_place or ()),
            "modes": tuple(mode) if mode else None,
            "via": tuple(via or ()),
            "include_planned": include_planned,
            "value_of_time_usd_per_h": value_of_time,
            "carbon_price_usd_per_t": carbon_price,
            "crew": crew,
            "max_ratio": max_ratio,
        }
        # check every option before reading a file or searching
        SearchRequest.from_options(
            origin,
            destination,
            **{
                **search_options,
                "objective": get_objective(objective).candidates or objective,
            },
        )
        sim_options: dict[str, Any] = {
            "depart": depart_at,
            "reliability": wants,
            "samples": samples,
            "seed": seed,
            "deadline_h": deadline_h,
        }
        RouteOptions(**sim_options)
        from corridor.reliability.montecarlo import check_samples, check_seed

        check_samples(samples)
        check_seed(seed)
        for option, path in (("geojson", geojson), ("plot", plot)):
            if path is not None:
                check_output_path(path, option)
        from corridor.cli._common import console, output_options

        net = _load(network)
        with output_options({"geojson": geojson, "plot": plot}):
            run_route(
                net,
                origin,
                destination,
                as_json=as_json,
                geojson_path=geojson,
                plot_path=plot,
                console=console(),  # place names are data, never markup
                **search_options,
                **sim_options,
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
    as_json: bool = False,
    geojson_path: Path | str | None = None,
    plot_path: Path | str | None = None,
    console: Console | None = None,
    **options: Any,
) -> list[Route]:
    """Route, then print a table (or JSON) and optionally write GeoJSON and a CDF plot.

    Parameters
    ----------
    network : Network
        The network.
    origin, destination : str
        Places.
    as_json : bool, default False
        Print :func:`corridor.formats.routes_to_json` instead of tables.
    geojson_path : path, optional
        Write :func:`corridor.formats.routes_to_geojson` there (atomically).
    plot_path : path, optional
        Save a CDF plot of the simulated alternatives there.
    console : rich.console.Console, optional
        Where tables go (stdout by default).
    **options
        As for :func:`corridor.route` (search and simulation options).

    Returns
    -------
    list of Route

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> from corridor.testing import gauge_network
    >>> out = Console(file=io.StringIO(), width=120)
    >>> [r.rank for r in run_route(gauge_network(), "A", "B", console=out, max_ratio=None)]
    [1, 2]

    """
    from corridor.journeys.routes import plan

    result = plan(network, origin, destination, **options)
    routes = result.routes
    results = (
        {str(r.rank): res for r, res in zip(routes, result.results, strict=True)}
        if result.results is not None
        else {}
    )
    if plot_path is not None and results:
        from corridor.reliability import plot_cdf

        plot_cdf(results, plot_path, deadline_h=options.get("deadline_h"))
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
    # two-line headers so that the table fits a pipe's 80 columns without cutting a word
    columns = (
        "rank",
        "days",
        "cost\nUSD",
        "gen.\nUSD",
        "CO2e\nt",
        "km",
        "borders",
        "ferries",
        "gauge\nchanges",
    )
    for col in columns:
        summary.add_column(
            col, justify="left" if col == "borders" else "right", no_wrap=col != "borders"
        )
    for r in routes:
        ferries = sum(leg.kind == "run" and bool(leg.service_id) for leg in r.legs)
        borders = ", ".join(r.border_countries) or "-"
        summary.add_row(
            str(r.rank),
            _fmt(r.time_h / 24, ".1f"),
            _fmt(r.cost_usd, ",.0f"),
            _fmt(r.generalized_cost_usd, ",.0f"),
            _fmt(r.co2e_kg / 1000, ".2f"),
            f"{r.length_km:,.0f}",
            borders,
            str(ferries),
            str(len(r.gauge_changes)),
        )
    con.print(summary)
    con.print(
        f"gen. = generalized cost = cost + {_fmt(first.value_of_time_usd_per_h, ',.2f')}"
        " USD/h x time"
        + (
            f" + {first.carbon_price_usd_per_t:g} USD/t x CO2e"
            if first.carbon_price_usd_per_t
            else ""
        )
        + f"; trucks with {first.crew} driver{'s' if first.crew > 1 else ''}; {first.method}",
        markup=False,
        highlight=False,
    )
    for r in routes:
        legs = Table(title=f"alternative {r.rank}", title_justify="left")
        # a run shows its mode, any other leg its kind (border, gauge_break, port, ...):
        # one column, so that the place names keep room in 80 columns
        for col in ("leg", "from", "to", "km", "hours", "wait,\nrest h", "USD", "kg\nCO2e"):
            legs.add_column(
                col,
                justify="left" if col in ("leg", "from", "to") else "right",
                no_wrap=col not in ("from", "to"),
            )
        for leg in r.legs:
            idle = leg.wait_h + leg.rest_h
            legs.add_row(
                leg.mode if leg.kind == "run" else leg.kind,
                names.get(leg.from_id, leg.from_id),
                names.get(leg.to_id, leg.to_id),
                f"{leg.length_km:,.0f}",
                _fmt(leg.time_h, ".1f"),
                _fmt(idle, ".1f") if idle else "",
                _fmt(leg.cost_usd, ",.0f"),
                _fmt(leg.co2e_kg, ",.0f"),
            )
        con.print(legs)
        parts = Table(title=f"alternative {r.rank} by component", title_justify="left")
        for col in ("component", "hours", "days", "USD"):
            parts.add_column(col, justify="left" if col == "component" else "right")
        b = r.breakdown()
        for name in b["time_h"]:
            t, c = b["time_h"][name], b["cost_usd"][name]
            if t or c:
                parts.add_row(name, _fmt(t, ".1f"), _fmt(t / 24, ".2f"), _fmt(c, ",.0f"))
        parts.add_row("total", _fmt(r.time_h, ".1f"), _fmt(r.time_h / 24, ".2f"),
                      _fmt(r.cost_usd, ",.0f"))  # fmt: skip
        con.print(parts)
        if r.unknown:
            con.print(
                "[yellow]unknown in the parameter tables (not counted as zero):[/] "
                + "; ".join(r.unknown),
                markup=True,
            )
