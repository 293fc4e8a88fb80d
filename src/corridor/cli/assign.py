"""``corridor assign``: user-equilibrium assignment of a TNTP network and trip table.

Everything is checked before the solve, in this order, so a refusal costs nothing: the
options (:func:`corridor.assignment.options.check_options`), the input paths (files, not
folders) and the output path (``--flows-out``), then the network is read and validated
as ``corridor network check`` validates it (:func:`corridor.validate`, plus the figures a
TNTP assignment needs on every link), then the trips are read. Only then does the
progress bar start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from corridor.network.model import Network

__all__ = ["check_tntp_for_assignment", "default_trips_path", "register", "write_flows_csv"]


def default_trips_path(net_path: Path) -> Path:
    """Return the trips file beside a TNTP network file (``X_net.tntp`` → ``X_trips.tntp``).

    Parameters
    ----------
    net_path : pathlib.Path
        The network file.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        If the name does not end in ``_net.tntp`` (case-insensitive).

    Examples
    --------
    >>> default_trips_path(Path("a/SiouxFalls_net.tntp")).as_posix()
    'a/SiouxFalls_trips.tntp'

    """
    name = net_path.name
    if not name.lower().endswith("_net.tntp"):
        raise InputError(
            f"cannot guess the trips file from {name!r}; pass --trips "
            "(expected a name ending in _net.tntp)",
            argument="trips",
            value=str(net_path),
        )
    return net_path.with_name(name[: -len("_net.tntp")] + "_trips.tntp")


def _input_file(path: Path, argument: str, what: str) -> Path:
    """Refuse a missing path or a folder before anything is read."""
    if path.is_dir():
        found = sorted(p.name for p in path.glob("*_net.tntp")) if argument == "tntp" else []
        hint = f" (it holds {', '.join(found[:3])})" if found else ""
        raise InputError(
            f"{str(path)!r} is a folder; give {what}{hint}",
            argument=argument,
            value=str(path),
            allowed=what,
        )
    if not path.exists():
        raise InputError(
            f"{str(path)!r}: no such file; give {what}",
            argument=argument,
            value=str(path),
            allowed=what,
        )
    return path


#: Link figures a TNTP assignment reads on every link, with the smallest value allowed.
_TNTP_FIGURES = (("capacity", 0.0), ("free_flow_time", 0.0), ("b", 0.0), ("power", 0.0))


def check_tntp_for_assignment(network: Network, source: str = "") -> None:
    """Validate a TNTP network as ``network check`` does, and its assignment figures.

    Beyond :func:`corridor.validate`: ``capacity``, ``free_flow_time``, ``b`` and
    ``power`` must be numbers on every link (a TNTP file gives them all, so a NaN there
    is a damaged cell, not a figure left to a default).

    Raises
    ------
    NetworkValidationError
        Listing every problem.

    Examples
    --------
    >>> from corridor.assignment.testing import two_route_network
    >>> check_tntp_for_assignment(two_route_network())

    """
    import numpy as np

    from corridor.errors import NetworkValidationError, Problem
    from corridor.graph.check import validate

    validate(network, source=source)
    links = network.links
    problems = []
    for column, _low in _TNTP_FIGURES:
        if column not in links.columns:
            continue
        values = links[column].to_numpy(dtype=float, na_value=np.nan)
        for link_id in links.loc[np.isnan(values), "link_id"].astype(str).tolist():
            problems.append(
                Problem(
                    "error",
                    "links",
                    link_id,
                    column,
                    "missing (NaN): a TNTP assignment needs it on every link",
                )
            )
    if problems:
        raise NetworkValidationError(problems, source=source)


def write_flows_csv(
    path: str | os.PathLike[str],
    from_id: list[str],
    to_id: list[str],
    flows: np.ndarray,
    costs: np.ndarray,
) -> None:
    """Write ``from,to,flow,cost`` rows atomically (temp file in the same folder, then replace).

    The folder must exist (``corridor assign`` checks it before the solve).

    Parameters
    ----------
    path : path-like
        Target file.
    from_id, to_id : list of str
        Link ends.
    flows, costs : numpy.ndarray
        Link flows and costs.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
    >>> write_flows_csv(p, ["1"], ["2"], np.array([4.0]), np.array([14.0]))
    >>> p.read_text().splitlines()
    ['from,to,flow,cost', '1,2,4.0,14.0']

    """
    import csv

    from corridor._atomic import atomic_path

    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["from", "to", "flow", "cost"])
        for a, b, v, c in zip(from_id, to_id, flows.tolist(), costs.tolist(), strict=True):
            w.writerow([a, b, repr(float(v)), repr(float(c))])


def _state(method: str, converged: bool, gap: float) -> str:
    if method == "aon":
        return "one all-or-nothing loading at free-flow costs (not an equilibrium)"
    if converged:
        return f"converged (relative gap <= {gap:g})"
    return f"NOT converged: max-iter reached above the target gap {gap:g}"


def _print_summary(summary: dict[str, Any], gap: float, flows_out: Path | None) -> None:
    from rich.table import Table

    from corridor.cli._common import console

    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [
        ("method", str(summary["method"])),
        ("result", _state(str(summary["method"]), bool(summary["converged"]), gap)),
        ("iterations", str(summary["iterations"])),
        ("relative gap", f"{summary['relative_gap']:.3e}"),
        ("objective", f"{summary['objective']:.10g}"),
        ("seconds", f"{summary['seconds']:.2f}"),
    ]
    if flows_out is not None:
        rows.append(("flows", str(flows_out)))
    for key, value in rows:
        grid.add_row(key, value)
    console().print(grid)


def register(app: typer.Typer) -> None:
    """Add the ``assign`` command to ``app``."""

    @app.command("assign")
    def assign_cmd(
        tntp: Annotated[Path, typer.Option("--tntp", help="TNTP network file (*_net.tntp).")],
        trips: Annotated[
            Path | None,
            typer.Option("--trips", help="TNTP trips file; default: the sibling *_trips.tntp."),
        ] = None,
        method: Annotated[
            str, typer.Option("--method", help="aon, msa, fw, cfw, bfw or bush.")
        ] = "bfw",
        gap: Annotated[
            float, typer.Option("--gap", help="Target relative gap, 0 <= gap < 1.")
        ] = 1e-5,
        max_iter: Annotated[int, typer.Option("--max-iter", help="Iteration limit.")] = 1000,
        vdf: Annotated[str, typer.Option("--vdf", help="bpr or conical.")] = "bpr",
        toll_factor: Annotated[
            float, typer.Option("--toll-factor", help="Cost per unit of toll (>= 0).")
        ] = 0.0,
        distance_factor: Annotated[
            float, typer.Option("--distance-factor", help="Cost per unit of length (>= 0).")
        ] = 0.0,
        threads: Annotated[
            int | None, typer.Option("--threads", help="Worker threads (default: by problem size).")
        ] = None,
        flows_out: Annotated[
            Path | None, typer.Option("--flows-out", help="Write from,to,flow,cost CSV here.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
    ) -> None:
        """Assign a TNTP trip table to its network at user equilibrium."""
        from corridor.assignment.options import check_options
        from corridor.cli._common import (
            check_output_path,
            output_options,
            print_json,
            renamed_arguments,
        )

        options: dict[str, Any] = {
            "method": method, "vdf": vdf, "gap": gap, "max_iter": max_iter, "threads": threads,
            "toll_factor": toll_factor, "distance_factor": distance_factor,
        }  # fmt: skip
        # 1. options and paths, before any file is read
        check_options(**options)
        _input_file(tntp, "tntp", "a TNTP network file (*_net.tntp)")
        trips_path = trips if trips is not None else default_trips_path(tntp)
        _input_file(trips_path, "trips", "a TNTP trips file (*_trips.tntp)")
        if flows_out is not None:
            check_output_path(flows_out, "flows_out")

        # 2. the inputs, validated as `corridor network check` does, and the problem
        from corridor.assignment.options import check_problem
        from corridor.assignment.problem import build_problem
        from corridor.network.tntp import read_tntp_network, read_tntp_trips

        with renamed_arguments({"network": "tntp", "path": "tntp"}):
            network = read_tntp_network(tntp)
            check_tntp_for_assignment(network, source=str(tntp))
        with renamed_arguments({"path": "trips"}):
            demand = read_tntp_trips(trips_path)
        with renamed_arguments({"network": "tntp", "demand": "trips"}):
            problem = build_problem(
                network, demand, toll_factor=toll_factor, distance_factor=distance_factor
            )
            check_problem(problem, vdf=vdf, source=str(tntp))

        # 3. the solve
        solve_options = {k: options[k] for k in ("method", "vdf", "gap", "max_iter", "threads")}
        if as_json:
            from corridor.assignment.assign import solve

            result = solve(problem, **solve_options)
        else:
            result = _solve_with_progress(problem, solve_options)
        if flows_out is not None:
            with output_options({"flows_out": flows_out}):
                write_flows_csv(
                    flows_out,
                    network.links["from_id"].tolist(),
                    network.links["to_id"].tolist(),
                    result.flows,
                    result.costs,
                )
        summary = {
            "method": result.method,
            "iterations": result.iterations,
            "relative_gap": result.relative_gap,
            "target_gap": gap,
            "objective": result.objective,
            "seconds": round(result.seconds, 4),
            "converged": result.converged,
            "equilibrium": result.method != "aon",
            "flows_out": None if flows_out is None else str(flows_out),
        }
        if as_json:
            print_json(summary)
        else:
            _print_summary(summary, gap, flows_out)


def _solve_with_progress(problem: Any, options: dict[str, Any]) -> Any:
    import math

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from corridor.assignment.assign import solve
    from corridor.cli._common import console

    target = max(float(options["gap"]), 1e-300)
    start: float | None = None
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("iter {task.fields[iteration]}  gap {task.fields[gap]}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(str(options["method"]), total=1.0, iteration=0, gap="-")

        def report(iteration: int, rel_gap: float) -> None:
            nonlocal start
            # progress on a log scale, from the first gap down to the target
            g = max(rel_gap, target)
            if start is None:
                start = max(g, target * 10.0)
            done = math.log(start / g) / math.log(start / target)
            bar.update(
                task,
                completed=min(max(done, 0.0), 1.0),
                iteration=iteration,
                gap=f"{rel_gap:.3e}",
            )

        return solve(problem, **options, progress=report)
