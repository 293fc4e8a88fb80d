"""``corridor assign``: user-equilibrium assignment of a TNTP network and trip table."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from corridor._atomic import atomic_path
from corridor.errors import InputError

__all__ = ["default_trips_path", "register", "write_flows_csv"]


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
            f"--tntp: cannot guess the trips file from {name!r}; pass --trips "
            "(expected a name ending in _net.tntp)"
        )
    return net_path.with_name(name[: -len("_net.tntp")] + "_trips.tntp")


def write_flows_csv(
    path: str | os.PathLike[str],
    from_id: list[str],
    to_id: list[str],
    flows: np.ndarray,
    costs: np.ndarray,
) -> None:
    """Write ``from,to,flow,cost`` rows atomically (temp file in the same folder, then replace).

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
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["from", "to", "flow", "cost"])
        for a, b, v, c in zip(from_id, to_id, flows.tolist(), costs.tolist(), strict=True):
            w.writerow([a, b, repr(float(v)), repr(float(c))])


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
        gap: Annotated[float, typer.Option("--gap", help="Target relative gap.")] = 1e-5,
        max_iter: Annotated[int, typer.Option("--max-iter", help="Iteration limit.")] = 1000,
        vdf: Annotated[str, typer.Option("--vdf", help="bpr or conical.")] = "bpr",
        toll_factor: Annotated[
            float, typer.Option("--toll-factor", help="Cost per unit of toll.")
        ] = 0.0,
        distance_factor: Annotated[
            float, typer.Option("--distance-factor", help="Cost per unit of length.")
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
        from rich.console import Console

        from corridor.assignment.assign import METHODS, assign
        from corridor.cli._common import print_json
        from corridor.network.tntp import read_tntp_network, read_tntp_trips

        if method not in METHODS:
            raise InputError(f"--method: unknown {method!r}; allowed: {', '.join(METHODS)}")
        trips_path = trips if trips is not None else default_trips_path(tntp)
        network = read_tntp_network(tntp)
        demand = read_tntp_trips(trips_path)

        if as_json:
            result = assign(
                network, demand, method=method, vdf=vdf, gap=gap, max_iter=max_iter,
                threads=threads, toll_factor=toll_factor, distance_factor=distance_factor,
            )  # fmt: skip
        else:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            console = Console(stderr=True)
            target = max(gap, 1e-300)
            start = None
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TextColumn("iter {task.fields[iteration]}  gap {task.fields[gap]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as bar:
                task = bar.add_task(method, total=1.0, iteration=0, gap="-")

                def report(iteration: int, rel_gap: float) -> None:
                    nonlocal start
                    # progress on a log scale, from the first gap down to the target
                    g = max(rel_gap, target)
                    if start is None:
                        start = max(g, target * 10.0)
                    done = float(np.log(start / g) / np.log(start / target))
                    bar.update(
                        task,
                        completed=min(max(done, 0.0), 1.0),
                        iteration=iteration,
                        gap=f"{rel_gap:.3e}",
                    )

                result = assign(
                    network, demand, method=method, vdf=vdf, gap=gap, max_iter=max_iter,
                    threads=threads, toll_factor=toll_factor, distance_factor=distance_factor,
                    progress=report,
                )  # fmt: skip
        if flows_out is not None:
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
            "objective": result.objective,
            "seconds": round(result.seconds, 4),
            "converged": result.converged,
        }
        if as_json:
            print_json(summary)
        else:
            out = Console()
            state = "converged" if result.converged else "NOT converged (max-iter reached)"
            out.print(
                f"{method}: {state} in {result.iterations} iterations, relative gap "
                f"{result.relative_gap:.3e}, objective {result.objective:.10g}, "
                f"{result.seconds:.2f} s",
                markup=False,
            )
