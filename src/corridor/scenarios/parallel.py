"""Run many independent tasks serially or on dask.distributed, with a progress bar.

:func:`execute` maps a module-level function over argument tuples and returns the results
in task order. With ``scheduler=None`` and ``workers`` > 0 it starts a
:class:`distributed.LocalCluster` bound to 127.0.0.1, without a dashboard, one thread per
worker process; with ``scheduler="tcp://HOST:PORT"`` it uses that cluster; with
``workers=0`` it runs in this process. Every task is a pure function of its arguments, so
the results are the same either way. A task whose worker dies is run again on another one
(the scheduler reschedules it; ``retries`` covers errors raised in the task).

:func:`sweep` is the grid of scenarios x growth factors x seeds on top of it.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from corridor.errors import InputError

__all__ = ["SweepPoint", "execute", "sweep", "sweep_task"]

T = TypeVar("T")

#: Times a task that raised is submitted again before its error is final.
RETRIES = 2


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise InputError(
                f"scheduler must be an address like tcp://HOST:PORT, got {scheduler!r}",
                argument="scheduler",
                value=scheduler,
            )
        try:
            client = Client(scheduler, timeout=30)  # type: ignore[no-untyped-call]
        except OSError as err:
            raise InputError(
                f"cannot reach the dask scheduler at {scheduler}: {err}",
                argument="scheduler",
                value=scheduler,
            ) from err
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
        return
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,  # no dashboard ...
        # ... but the scheduler always serves its small HTTP routes (health, metrics): on
        # 127.0.0.1 at a free port, not on the dashboard's 8787
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
        env={"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    )
    try:
        client = Client(cluster)  # type: ignore[no-untyped-call]
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
    finally:
        cluster.close()


def execute(
    fn: Callable[..., T],
    tasks: Sequence[tuple[Any, ...]],
    *,
    scheduler: str | None = None,
    workers: int = 2,
    label: str = "tasks",
    progress: bool = False,
    on_client: Callable[[Any], None] | None = None,
) -> list[T]:
    """Return ``[fn(*args) for args in tasks]``, computed serially or on dask.

    Parameters
    ----------
    fn : callable
        A module-level function (dask sends it by reference).
    tasks : sequence of tuple
        The arguments of each call.
    scheduler : str, optional
        Address of a running dask scheduler (``tcp://HOST:PORT``).
    workers : int, default 2
        Worker processes of the local cluster; 0 runs the tasks in this process.
    label : str
        Shown beside the progress bar.
    progress : bool, default False
        Show a rich progress bar on stderr.
    on_client : callable, optional
        Called with the dask client once the tasks are submitted (tests use it to kill a
        worker).

    Returns
    -------
    list
        The results, in task order.

    Examples
    --------
    >>> execute(pow, [(2, 3), (3, 2)], workers=0)
    [8, 9]

    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise InputError(f"workers must be an integer >= 0, got {workers!r}", argument="workers")
    if workers == 0 and not scheduler:
        out = []
        with _bar(progress, label, len(tasks)) as advance:
            for args in tasks:
                out.append(fn(*args))
                advance()
        return out
    from distributed import as_completed

    # the cluster first: a scheduler that cannot be reached fails before any bar is drawn
    with _client(scheduler, workers) as client, _bar(progress, label, len(tasks)) as advance:
        token = secrets.token_hex(6)  # keys unique on a cluster shared by many callers
        futures = [
            client.submit(fn, *args, pure=False, retries=RETRIES, key=f"{label}-{i}-{token}")
            for i, args in enumerate(tasks)
        ]
        if on_client is not None:
            on_client(client)
        for _ in as_completed(futures):  # type: ignore[no-untyped-call]
            advance()
        return [f.result() for f in futures]


@contextmanager
def _bar(show: bool, label: str, total: int) -> Iterator[Callable[[], None]]:
    if not show:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep: the scenario file, the extra growth factor and the seed."""

    path: str
    growth: float
    seed: int


def sweep_task(path: str, growth: float, seed: int) -> Any:
    """Run one sweep point (in a worker): load, check and run the scenario file."""
    from corridor.scenarios.run import run_scenario
    from corridor.scenarios.spec import load_scenario

    return run_scenario(load_scenario(path), growth=growth, seeds=(seed,))


def sweep(
    paths: Sequence[str],
    growths: Sequence[float] = (1.0,),
    seeds: Sequence[int] | None = None,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    progress: bool = False,
) -> list[tuple[SweepPoint, Any]]:
    """Run every scenario x growth x seed and return each point with its result.

    The scenarios are checked here first, so that a file with problems fails before any
    work is sent out. ``seeds`` defaults to each scenario's report seeds.

    Returns
    -------
    list of (SweepPoint, ScenarioResult)
        In grid order (scenario, then growth, then seed).

    """
    from corridor.scenarios.run import check_scenario
    from corridor.scenarios.spec import load_scenario

    points: list[SweepPoint] = []
    for path in paths:
        scenario = load_scenario(path)
        check_scenario(scenario, check=False)
        use = tuple(scenario.spec.report.seeds) if seeds is None else tuple(seeds)
        for g in growths:
            if not (float(g) >= 0.0 and math.isfinite(float(g))):
                raise InputError(
                    f"growth factors must be finite and >= 0, got {g!r}", argument="growth"
                )
            for s in use:
                points.append(SweepPoint(str(path), float(g), int(s)))
    results = execute(
        sweep_task,
        [(p.path, p.growth, p.seed) for p in points],
        scheduler=scheduler,
        workers=workers,
        label="sweep",
        progress=progress,
    )
    return list(zip(points, results, strict=True))
