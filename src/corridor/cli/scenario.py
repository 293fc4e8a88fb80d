"""``corridor scenario ...``: run, list, show and compare scenarios; criticality; sweeps.

``corridor scenario check FILE``
    Check a scenario file against its network; list every problem with its line.
``corridor scenario run FILE [--growth G] [--seed N]... [--reuse]``
    Run it and record it in the registry (``$CORRIDOR_HOME``); ``--json`` prints the id.
``corridor scenario list`` / ``show RUN``
    The runs recorded; one run's tables.
``corridor scenario compare A B [C ...] [--map PNG | --no-map]``
    Side-by-side tables of runs (ids, scenario names, or scenario files, run when no
    equal run is recorded) and a map of the volume change of B (and C ...) against A.
``corridor scenario criticality [FILE]``
    Close each link, border crossing, port and service in turn; rank by unserved demand
    and added generalized cost.
``corridor scenario sweep FILE... --growth G... --seed N...``
    The grid of scenarios x growth x seeds on dask; each point recorded as a run.

Every command takes ``--json``. The dask commands run on a LocalCluster on 127.0.0.1 with
``--workers`` processes (no dashboard), on ``--scheduler tcp://HOST:PORT``, or serially
with ``--workers 0``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from corridor.cli._common import check_output_path, print_json

if TYPE_CHECKING:  # the heavy modules load when a command runs, not at start-up
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

__all__ = ["FrameView", "frame_table", "register"]


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if value != 0 and abs(value) < 10:
            return f"{value:.3g}"
        return f"{value:,.0f}"
    return str(value)


class FrameView:
    """A DataFrame for the terminal: a table where it fits, else one block per row.

    Rich renders it (``console.print(view)``): when the table's natural width exceeds the
    console's (a pipe is 80 columns), each row prints as its first cell on a line, then
    ``column: value`` pairs wrapped below it, so that no cell is cut or folded mid-word.
    """

    def __init__(self, frame: pd.DataFrame, title: str = "", *, limit: int | None = None):
        self.frame = frame if limit is None else frame.head(limit)
        self.title = title

    def _cells(self) -> list[list[str]]:
        return [
            [_fmt(v.item() if hasattr(v, "item") else v) for v in row]
            for row in self.frame.itertuples(index=False)
        ]

    def table(self) -> Table:
        """Return the rich table (numbers right-aligned)."""
        import pandas as pd
        from rich.table import Table

        table = Table(title=self.title or None, title_justify="left")
        for col in self.frame.columns:
            numeric = pd.api.types.is_numeric_dtype(self.frame[col])
            table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
        for cells in self._cells():
            table.add_row(*cells)
        return table

    def compact(self, width: int) -> list[str]:
        """Return the lines of the compact layout, none wider than ``width``."""
        from functools import partial
        from textwrap import wrap as _wrap

        # ids stay whole (a line is wider only for a word wider than the console)
        wrap = partial(_wrap, break_long_words=False, break_on_hyphens=False)
        cols = [str(c) for c in self.frame.columns]
        lines = [self.title] if self.title else []
        for cells in self._cells():
            lines += wrap(cells[0], width) or [""]
            pairs = [f"{c}: {v}" for c, v in zip(cols[1:], cells[1:], strict=True)]
            line = ""
            for pair in pairs:
                if line and len(line) + 2 + len(pair) <= width - 2:
                    line = f"{line}  {pair}"
                    continue
                if line:
                    lines.append(f"  {line}")
                line = pair
                if len(line) > width - 2:  # one long value: wrap it on its own
                    *head, line = wrap(line, width - 4) or [""]
                    lines += [f"  {h}" for h in head]
            if line:
                lines.append(f"  {line}")
        return lines

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement
        from rich.text import Text

        table = self.table()
        natural = Measurement.get(console, options.update(max_width=10_000), table).maximum
        if natural <= options.max_width:
            yield table
            return
        for line in self.compact(options.max_width):
            yield Text(line)


def frame_table(frame: pd.DataFrame, title: str = "", *, limit: int | None = None) -> FrameView:
    """Return a DataFrame ready to print: numbers rounded for reading, fitted to the width.

    Examples
    --------
    >>> import io
    >>> import pandas as pd
    >>> from rich.console import Console
    >>> buf = io.StringIO()
    >>> frame = pd.DataFrame({"metric": ["t-km"], "value": [1234567.8]})
    >>> Console(file=buf, width=80, color_system=None).print(frame_table(frame, "totals"))
    >>> "1,234,568" in buf.getvalue()
    True
    >>> buf = io.StringIO()
    >>> Console(file=buf, width=14, color_system=None).print(frame_table(frame, "totals"))
    >>> print(buf.getvalue(), end="")
    totals
    t-km
      value:
      1,234,568

    """
    return FrameView(frame, title, limit=limit)


def _registry() -> Any:
    from corridor.scenarios.registry import Registry

    return Registry()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _print_result(console: Any, result: Any, run_id: str) -> None:
    meta = result.meta
    console.print(f"run {run_id}: {meta.get('title', result.name)}", highlight=False)
    if meta.get("assumption"):
        console.print(f"assumption: {meta['assumption']}", highlight=False)
    for change in meta.get("changes", []):
        console.print(f"  edit: {change}", highlight=False)
    console.print(frame_table(result.tables["totals"], "totals"))
    console.print(frame_table(result.tables["t_km_by_mode"], "t-km by mode"))
    el = result.tables["elements"][
        ["element", "kind", "volume_t", "capacity_t_per_yr", "use_ratio"]
    ]
    console.print(frame_table(el, "bottlenecks (use / capacity)", limit=10))
    routes = result.tables["routes"]
    if len(routes):
        cols = [
            "origin",
            "destination",
            "state",
            "seed",
            "found",
            "time_h",
            "cost_usd",
            "generalized_cost_usd",
            "p50_h",
            "p90_h",
            "via",
        ]
        cols = [c for c in cols if c in routes]  # runs recorded before a column was added
        title = "route answers"
        if "cargo" in routes and "depart" in routes:
            title += f" ({routes['cargo'].iloc[0]}, departing {routes['depart'].iloc[0]})"
        console.print(frame_table(routes[cols], title))


def _resolve(ref: str, registry: Any, console: Any) -> str:
    """Return the run id ``ref`` names: a recorded run, or a scenario file run now or reused."""
    if ref.endswith(".toml") or Path(ref).is_file():
        from corridor.scenarios.registry import run_and_record
        from corridor.scenarios.spec import load_scenario

        scenario = load_scenario(ref)
        run_id, reused = run_and_record(scenario, registry, reuse=True)
        if console is not None:
            console.print(f"{ref}: {'reused' if reused else 'ran'} run {run_id}", highlight=False)
        return str(run_id)
    return str(registry.get(ref).run_id)


class _Lazy:
    """A rich console made on first use (so that ``corridor --help`` loads no rich)."""

    def __init__(self, *, stderr: bool) -> None:
        self.stderr = stderr
        self.console: Console | None = None

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if self.console is None:
            from corridor.cli._common import console

            # text from a scenario file (title, assumption) prints as given: no markup
            self.console = console(stderr=self.stderr)
        self.console.print(*objects, **kwargs)


def register(app: typer.Typer) -> None:
    """Add the ``scenario`` command group to ``app``."""
    group = typer.Typer(
        name="scenario",
        help="Run, record and compare what-if scenarios; criticality; sweeps on dask.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="scenario")
    out = _Lazy(stderr=False)
    err = _Lazy(stderr=True)

    @group.command("check")
    def check_cmd(
        file: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Check a scenario file against its network (every problem, with its line)."""
        from corridor.errors import ScenarioError
        from corridor.scenarios.run import check_scenario
        from corridor.scenarios.spec import load_scenario

        try:
            checked = check_scenario(load_scenario(file))
        except ScenarioError as exc:
            if json_out:
                print_json({"valid": False, **exc.to_dict()})
                raise typer.Exit(2) from None
            raise
        payload = {
            "valid": True,
            "name": checked.scenario.name,
            "changes": list(checked.edited.changes),
            "days_disrupted": checked.edited.days,
            "demand_t": float(checked.demand["tonnes_per_yr"].sum()),
            "pairs": [list(p) for p in checked.pairs],
        }
        if json_out:
            print_json(payload)
            return
        out.print(f"{file}: valid ({checked.scenario.name})")
        for change in checked.edited.changes:
            out.print(f"  edit: {change}")

    @group.command("run")
    def run_cmd(
        file: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
        growth: Annotated[float, typer.Option(help="Extra growth factor on every flow.")] = 1.0,
        seed: Annotated[
            list[int] | None, typer.Option(help="Simulation seed (repeatable; default the file's).")
        ] = None,
        reuse: Annotated[
            bool, typer.Option(help="Reuse an equal done run (same inputs and code version).")
        ] = False,
        json_out: Annotated[bool, typer.Option("--json", help="Print the run id as JSON.")] = False,
    ) -> None:
        """Run a scenario and record it in the registry."""
        from corridor.scenarios.registry import run_and_record
        from corridor.scenarios.spec import load_scenario

        if not (growth >= 0 and math.isfinite(growth)):
            from corridor.errors import InputError

            raise InputError(
                f"growth must be a finite number >= 0, got {growth}", argument="growth"
            )
        registry = _registry()
        scenario = load_scenario(file)

        def step(text: str) -> None:
            if not json_out:
                err.print(f"{scenario.name}: {text}")

        run_id, reused = run_and_record(
            scenario,
            registry,
            growth=growth,
            seeds=tuple(seed) if seed else None,
            reuse=reuse,
            progress=step,
        )
        if json_out:
            print_json({"run_id": run_id, "reused": reused, "status": "done"})
            return
        _, result = registry.load(run_id)
        _print_result(out, result, run_id)

    @group.command("list")
    def list_cmd(
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List the recorded runs, oldest first."""
        import pandas as pd

        registry = _registry()
        records = registry.list()
        if json_out:
            print_json({"registry": str(registry.path), "runs": [r.to_dict() for r in records]})
            return
        frame = pd.DataFrame(
            [
                {
                    "run_id": r.run_id,
                    "name": r.name,
                    "status": r.status,
                    "created_utc": r.created_utc[:19],
                    "seconds": r.seconds if r.seconds is not None else float("nan"),
                    "growth": r.growth,
                    "code": r.code_version,
                }
                for r in records
            ],
            columns=["run_id", "name", "status", "created_utc", "seconds", "growth", "code"],
        )
        out.print(frame_table(frame, f"runs in {registry.path}"))

    @group.command("show")
    def show_cmd(
        run: Annotated[str, typer.Argument(help="Run id, id prefix, or scenario name.")],
        table: Annotated[
            str | None, typer.Option(help="Print only this table (totals, links, routes ...).")
        ] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Show a run: its record and result tables."""
        from corridor.errors import InputError
        from corridor.scenarios.run import RESULT_TABLES

        registry = _registry()
        rec = registry.get(run)
        if rec.status != "done":
            if json_out:
                print_json({"run": rec.to_dict(), "tables": {}})
                return
            out.print(f"run {rec.run_id}: {rec.status} {rec.error}")
            return
        rec, result = registry.load(rec.run_id)
        if table is not None and table not in RESULT_TABLES:
            raise InputError(
                f"unknown table {table!r}; allowed: {', '.join(RESULT_TABLES)}",
                argument="table",
                value=table,
                allowed=RESULT_TABLES,
            )
        names = [table] if table else list(RESULT_TABLES)
        if json_out:
            print_json(
                {
                    "run": rec.to_dict(),
                    "meta": result.meta,
                    "tables": {n: _records(result.tables[n]) for n in names},
                }
            )
            return
        if table:
            out.print(frame_table(result.tables[table], table))
            return
        _print_result(out, result, rec.run_id)

    @group.command("compare")
    def compare_cmd(
        runs: Annotated[
            list[str], typer.Argument(help="Runs to compare (ids, names or scenario files).")
        ],
        map_path: Annotated[
            Path | None, typer.Option("--map", help="Difference map PNG (B minus A).")
        ] = None,
        no_map: Annotated[bool, typer.Option("--no-map", help="Write no map.")] = False,
        top: Annotated[int, typer.Option(help="Bottlenecks per run.")] = 10,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Compare runs side by side and map the volume change against the first."""
        from corridor.errors import InputError
        from corridor.scenarios.compare import (
            compare_results,
            difference_map,
            link_changes,
            run_labels,
        )

        if len(runs) < 2:
            raise InputError("compare needs at least two runs", argument="runs")
        if map_path is not None and not no_map:
            check_output_path(map_path, "map")  # before any run is looked up or run
        registry = _registry()
        ids = [_resolve(r, registry, None if json_out else err) for r in runs]
        loaded = [registry.load(i) for i in ids]
        labels = run_labels([rec.name for rec, _ in loaded], [rec.run_id for rec, _ in loaded])
        results = [(label, res) for label, (_, res) in zip(labels, loaded, strict=True)]
        tables = compare_results(results, top=top)
        maps: list[str] = []
        if not no_map:
            for i in range(1, len(results)):
                if map_path is None:
                    target = Path(f"compare_{labels[i]}_vs_{labels[0]}.png")
                elif len(results) > 2:
                    target = map_path.with_name(f"{map_path.stem}_{i}{map_path.suffix}")
                else:
                    target = map_path
                check_output_path(target)
                difference_map(
                    results[0][1],
                    results[i][1],
                    target,
                    title=f"Freight volume change: {labels[i]} minus {labels[0]} (t/yr)",
                )
                maps.append(str(target))
        if json_out:
            payload: dict[str, Any] = {
                "runs": [
                    {"label": lab, "run_id": rec.run_id}
                    for lab, (rec, _) in zip(labels, loaded, strict=True)
                ],
                "tables": {k: _records(v) for k, v in tables.items()},
                "link_changes": _records(
                    link_changes(results[0][1], results[-1][1])[
                        ["from_id", "to_id", "mode", "base_t", "other_t", "change_t"]
                    ].head(50)
                ),
                "maps": maps,
            }
            print_json(payload)
            return
        out.print(frame_table(tables["totals"], "totals"))
        out.print(frame_table(tables["t_km_by_mode"], "t-km by mode"))
        out.print(frame_table(tables["corridors"], "volume per corridor (t/yr)"))
        out.print(frame_table(tables["bottlenecks"], "bottlenecks (use / capacity)"))
        if len(tables["routes"]):
            out.print(
                frame_table(tables["routes"], "route answers (best route; P50/P90 mean over seeds)")
            )
        for m in maps:
            out.print(f"map: {m}")

    @group.command("criticality")
    def criticality_cmd(
        file: Annotated[
            Path | None, typer.Argument(help="Scenario file (default: the default network).")
        ] = None,
        kind: Annotated[
            list[str] | None, typer.Option(help="Element kind: link, border, port, service.")
        ] = None,
        limit: Annotated[int | None, typer.Option(help="Close only the first N elements.")] = None,
        top: Annotated[int, typer.Option(help="Rows to print.")] = 20,
        growth: Annotated[float, typer.Option(help="Extra growth factor on every flow.")] = 1.0,
        workers: Annotated[int, typer.Option(help="Local dask workers (0: serial).")] = 2,
        scheduler: Annotated[
            str | None, typer.Option(help="Existing dask scheduler, tcp://HOST:PORT.")
        ] = None,
        output: Annotated[Path | None, typer.Option(help="Also write the table as CSV.")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Close each element in turn; rank by unserved demand and added generalized cost."""
        from corridor._atomic import atomic_path
        from corridor.scenarios.criticality import ELEMENT_KINDS, criticality

        if output is not None:
            check_output_path(output)
        table = criticality(
            None if file is None else str(file),
            kinds=tuple(kind) if kind else ELEMENT_KINDS,
            growth=growth,
            limit=limit,
            scheduler=scheduler,
            workers=workers,
            progress=not json_out,
        )
        if output is not None:
            with atomic_path(output) as tmp:
                table.to_csv(tmp, index=False)
        if json_out:
            print_json({"elements": _records(table)})
            return
        out.print(
            frame_table(table, f"criticality ({len(table)} elements closed in turn)", limit=top)
        )

    @group.command("sweep")
    def sweep_cmd(
        files: Annotated[list[Path], typer.Argument(help="Scenario files.")],
        growth: Annotated[
            list[float] | None, typer.Option(help="Growth factor (repeatable; default 1.0).")
        ] = None,
        seed: Annotated[
            list[int] | None, typer.Option(help="Seed (repeatable; default each file's).")
        ] = None,
        workers: Annotated[int, typer.Option(help="Local dask workers (0: serial).")] = 2,
        scheduler: Annotated[
            str | None, typer.Option(help="Existing dask scheduler, tcp://HOST:PORT.")
        ] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Run the grid of scenarios x growth factors x seeds; record each point."""
        import pandas as pd

        from corridor.scenarios.parallel import sweep
        from corridor.scenarios.registry import code_version

        points = sweep(
            [str(f) for f in files],
            growths=tuple(growth) if growth else (1.0,),
            seeds=tuple(seed) if seed else None,
            scheduler=scheduler,
            workers=workers,
            progress=not json_out,
        )
        registry = _registry()
        version = code_version()
        rows = []
        for point, result in points:
            run_id = registry.record(result, path=point.path, version=version)
            rows.append(
                {
                    "run_id": run_id,
                    "scenario": result.name,
                    "growth": point.growth,
                    "seed": point.seed,
                    "assigned_t": result.total("assigned_t"),
                    "unserved_t": result.total("unserved_t"),
                    "total_cost_usd": result.total("total_cost_usd"),
                    "co2e_t": result.total("co2e_t"),
                }
            )
        frame = pd.DataFrame(rows)
        if json_out:
            print_json({"points": _records(frame)})
            return
        out.print(frame_table(frame, f"sweep: {len(frame)} point(s)"))
