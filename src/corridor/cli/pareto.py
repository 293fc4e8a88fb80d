"""``corridor route ORIGIN DESTINATION --pareto``: the Pareto front as a table, JSON or plot.

:func:`pareto_command` checks the options (before reading a file or searching), loads the
network and calls :func:`run_pareto`, which does the work on a
:class:`~corridor.network.Network` (tests call it directly): the front of
:func:`corridor.pareto_routes`, simulated for the P90 when ``--depart`` is given, printed
as a rich table sorted by time (or as ``--json``), with ``--plot`` a scatter of days
against USD coloured by CO2e (:func:`corridor.journeys.pareto.plot_front`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.errors import InputError
from corridor.objectives import DEFAULT_OBJECTIVE

if TYPE_CHECKING:
    from rich.console import Console

    from corridor.network.model import Network
    from corridor.routing.pareto import ParetoFront

__all__ = ["pareto_command", "run_pareto"]


def _default_k() -> int:
    from corridor.routing.request import SearchRequest

    return SearchRequest.k


def _default_max_ratio() -> float | None:
    from corridor.routing.request import SearchRequest

    return SearchRequest.max_ratio


def pareto_command(
    origin: str,
    destination: str,
    *,
    pareto: bool,
    epsilon: float | None,
    objective: str,
    k: int,
    max_ratio: float | None,
    search_options: dict[str, Any],
    network: str | None,
    as_json: bool,
    geojson: Path | None,
    plot: Path | None,
    depart: str | None,
    reliability: bool,
    samples: int,
    seed: int | None,
    deadline: str | None,
) -> None:
    """Check the options of ``route --pareto``, load the network and run it.

    Raises
    ------
    InputError
        For ``--epsilon`` without ``--pareto``, an option that does not apply to a front
        (``--objective``, ``--k``, ``--max-ratio``, ``--deadline``), ``--reliability``
        without ``--depart``, or any bad value (as ``corridor route``).

    """
    from corridor.cli._common import check_output_path
    from corridor.formats.inputs import parse_depart
    from corridor.reliability.montecarlo import check_samples, check_seed
    from corridor.routing.pareto import check_epsilon, pareto_request

    if not pareto:
        raise InputError("--epsilon thins a Pareto front: it needs --pareto", argument="epsilon")
    if objective != DEFAULT_OBJECTIVE:
        raise InputError(
            "--objective does not apply with --pareto: the front holds every trade-off "
            "between time, cost and CO2e (and the P90 with --depart)",
            argument="objective",
            value=objective,
        )
    if k != _default_k():
        raise InputError(
            "--k does not apply with --pareto: the front has as many routes as trade-offs",
            argument="k",
            value=k,
        )
    if max_ratio != _default_max_ratio():
        raise InputError(
            "--max-ratio does not apply with --pareto: the front keeps every trade-off",
            argument="max_ratio",
            value=max_ratio,
        )
    if deadline is not None:
        raise InputError(
            "--deadline does not apply with --pareto (the front reports each route's P90)",
            argument="deadline_h",
            value=deadline,
        )
    depart_at = None if depart is None else parse_depart(depart)
    if reliability and depart_at is None:
        raise InputError(
            "--reliability needs --depart (e.g. --depart 2026-12-01T08:00)", argument="depart"
        )
    check_epsilon(epsilon)
    pareto_request(origin, destination, **search_options)
    check_samples(samples)
    check_seed(seed)
    for path in (geojson, plot):
        if path is not None:
            check_output_path(path)
    from corridor.cli.route import _load

    net = _load(network)
    run_pareto(
        net,
        origin,
        destination,
        as_json=as_json,
        geojson_path=geojson,
        plot_path=plot,
        depart=depart_at,
        samples=samples,
        seed=seed,
        epsilon=epsilon,
        **search_options,
    )


def run_pareto(
    network: Network,
    origin: str,
    destination: str,
    *,
    as_json: bool = False,
    geojson_path: Path | str | None = None,
    plot_path: Path | str | None = None,
    console: Console | None = None,
    **options: Any,
) -> ParetoFront:
    """Find the front, then print a table (or JSON) and optionally write GeoJSON and a plot.

    Parameters
    ----------
    network : Network
        The network.
    origin, destination : str
        Places.
    as_json : bool, default False
        Print :func:`corridor.formats.front_to_json` instead of the table.
    geojson_path : path, optional
        Write the members' legs as GeoJSON there (atomically).
    plot_path : path, optional
        Save :func:`corridor.journeys.pareto.plot_front` there.
    console : rich.console.Console, optional
        Where the table goes (stdout by default).
    **options
        As for :func:`corridor.pareto_routes` (``depart``, ``samples``, ``seed``,
        ``epsilon``, ``max_labels`` and the search options).

    Returns
    -------
    ParetoFront

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> from corridor.testing import border_network
    >>> out = Console(file=io.StringIO(), width=120)
    >>> front = run_pareto(border_network(), "A", "D", include_planned=True, console=out)
    >>> [m.label for m in front]
    ['Alpha/Delta road', 'Charlie/Delta rail']

    """
    from corridor.journeys.pareto import pareto_routes, plot_front

    front = pareto_routes(network, origin, destination, **options)
    names = dict(zip(network.places["place_id"], network.places["name"], strict=True))
    title = (
        f"{names.get(front.origin, front.origin)} -> "
        f"{names.get(front.destination, front.destination)}"
        + (" via " + ", ".join(names.get(v, v) for v in front.via) if front.via else "")
        + f": Pareto front of time, cost and CO2e, {front.units:g} x {front.cargo}"
    )
    if plot_path is not None:
        plot_front(front, plot_path, title=f"{title} ({len(front)} routes)")
    if geojson_path is not None:
        from corridor._atomic import atomic_text
        from corridor.formats import dumps_json, routes_to_geojson

        atomic_text(
            Path(geojson_path),
            dumps_json(routes_to_geojson(network, front.routes), indent=1) + "\n",
        )
    if as_json:
        from corridor.cli._common import print_json
        from corridor.formats import front_to_json

        print_json(front_to_json(network, front))
    else:
        print_front(front, title, console)
    return front


def _fmt(value: float | None, spec: str) -> str:
    if value is None:
        return "-"
    return format(value, spec) if math.isfinite(value) else "unknown"


def print_front(front: ParetoFront, title: str, console: Console | None = None) -> None:
    """Print the front as a rich table sorted by time (rank), with P90 when simulated."""
    from rich.console import Console
    from rich.table import Table

    con = console or Console()
    table = Table(title=f"{title}: {len(front)} routes")
    # two-line headers and a corridor column that wraps at words: 80 columns, nothing cut
    cols = ["rank", "days"]
    if front.p90:
        cols += ["P90\ndays"]
    cols += ["cost\nUSD", "CO2e\nt", "km", "corridor", "best\nfor"]
    if front.p90:
        cols += ["on P90\nfront"]
    for col in cols:
        text = col in ("corridor", "best\nfor")
        table.add_column(
            col,
            justify="left" if text else "right",
            no_wrap=not text and col != "on P90\nfront",
            min_width=14 if col == "corridor" else None,
        )
    for m in front:
        row = [str(m.rank), _fmt(m.time_h / 24, ".1f")]
        if front.p90:
            row.append(_fmt(None if m.p90_h is None else m.p90_h / 24, ".1f"))
        row += [
            _fmt(m.cost_usd, ",.0f"),
            _fmt(m.co2e_kg / 1000, ".2f"),
            f"{m.route.length_km:,.0f}",
            m.label,
            "\n".join(m.best_for) or "-",  # one per line: a narrow column
        ]
        if front.p90:
            row.append(
                "yes"
                if m.p90_on_front
                else "no (by " + ", ".join(str(r) for r in m.p90_dominated_by) + ")"
            )
        table.add_row(*row)
    con.print(table)
    if front.epsilon is not None:
        con.print(
            f"thinned with epsilon {', '.join(f'{e:g}' for e in front.epsilon)} (time, cost, "
            "CO2e): every trade-off left out is within that factor of a route shown",
            markup=False,
        )
    if front.budget_hit:
        con.print(
            f"[yellow]the label budget ({front.max_labels:,}) bound: the front is complete "
            f"only for routes faster than {front.complete_below_time_h / 24:.1f} days[/]",
            markup=True,
        )
