"""The run registry: SQLite (stdlib :mod:`sqlite3`) beside a folder of Parquet tables per run.

Everything lives under :func:`corridor_home` (``$CORRIDOR_HOME``, else the user's data
folder from :mod:`platformdirs`, e.g. ``~/.local/share/corridor``)::

    registry.sqlite          one row per run: id, name, content hash, code version,
                             times, status (running | done | failed), pid, host
    runs/<run id>/           totals.parquet, links.parquet, ... (RESULT_TABLES),
                             meta.json, scenario.json

A run is recorded as ``running`` before it starts. Its folder is written whole
(:func:`corridor._atomic.atomic_folder`: filled beside its place and swapped in), and only
then is its row marked ``done``, in one transaction. A run killed at any point therefore
leaves no row marked done and no half-written file; its row stays ``running`` and is
shown as ``killed`` once its process is gone.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from corridor._atomic import atomic_folder, atomic_text
from corridor.errors import InputError
from corridor.scenarios.run import RESULT_TABLES, ScenarioResult

__all__ = ["STATUSES", "Registry", "RunRecord", "code_version", "corridor_home"]

#: Status of a run row; ``killed`` is shown (not stored) for a ``running`` row whose
#: process is gone.
STATUSES: tuple[str, ...] = ("running", "done", "failed", "killed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    code_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    created_utc TEXT NOT NULL,
    finished_utc TEXT,
    seconds REAL,
    growth REAL NOT NULL DEFAULT 1.0,
    seeds TEXT NOT NULL DEFAULT '[]',
    error TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL,
    host TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_hash ON runs (content_hash, code_version, status);
CREATE INDEX IF NOT EXISTS runs_by_name ON runs (name, created_utc);
"""


def corridor_home() -> Path:
    """Return the folder of corridor's data: ``$CORRIDOR_HOME`` or the user's data folder.

    Examples
    --------
    >>> import os
    >>> os.environ["CORRIDOR_HOME"] = "/tmp/corridor-doctest"
    >>> str(corridor_home())
    '/tmp/corridor-doctest'
    >>> del os.environ["CORRIDOR_HOME"]

    """
    env = os.environ.get("CORRIDOR_HOME", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("corridor", appauthor=False))


def code_version() -> str:
    """Return the installed corridor version, with the git commit when run from a checkout.

    ``0.1.0+g1a2b3c4`` (``.dirty`` when the checkout has uncommitted changes) or ``0.1.0``.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = version("corridor")
    except PackageNotFoundError:  # pragma: no cover - not installed
        base = "0+unknown"
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "--short=10", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return base
    return f"{base}+g{commit}{'.dirty' if dirty else ''}" if commit else base


@dataclass(frozen=True)
class RunRecord:
    """One row of the registry."""

    run_id: str
    name: str
    title: str
    path: str
    content_hash: str
    code_version: str
    status: str
    created_utc: str
    finished_utc: str | None
    seconds: float | None
    growth: float
    seeds: tuple[int, ...]
    error: str
    pid: int
    host: str

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict."""
        out = dict(self.__dict__)
        out["seeds"] = list(self.seeds)
        return out


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Registry:
    """The run registry under ``home`` (default :func:`corridor_home`).

    Examples
    --------
    >>> import tempfile
    >>> reg = Registry(tempfile.mkdtemp())
    >>> reg.list()
    []

    """

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.home = Path(home) if home is not None else corridor_home()
        self.path = self.home / "registry.sqlite"
        self.runs_dir = self.home / "runs"

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=30.0)
        except (OSError, sqlite3.Error) as err:
            raise InputError(
                f"cannot open the run registry at {str(self.path)!r}: {err}",
                argument="home",
                value=str(self.home),
            ) from err
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            with con:
                yield con
        finally:
            con.close()

    # ------------------------------------------------------------------ writing
    def start(
        self,
        *,
        name: str,
        title: str = "",
        path: str = "",
        content_hash: str,
        growth: float = 1.0,
        seeds: Sequence[int] = (),
        version: str | None = None,
    ) -> str:
        """Record a run as ``running`` and return its id."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        run_id = f"{stamp}-{name[:40]}-{secrets.token_hex(3)}"
        with self._connect() as con:
            con.execute(
                "INSERT INTO runs (run_id, name, title, path, content_hash, code_version, status,"
                " created_utc, growth, seeds, pid, host) VALUES (?,?,?,?,?,?,'running',?,?,?,?,?)",
                (
                    run_id,
                    name,
                    title,
                    path,
                    content_hash,
                    version or code_version(),
                    _now(),
                    float(growth),
                    json.dumps([int(s) for s in seeds]),
                    os.getpid(),
                    socket.gethostname(),
                ),
            )
        return run_id

    def finish(
        self, run_id: str, result: ScenarioResult, *, seconds: float, scenario_json: str = ""
    ) -> None:
        """Write a run's tables (whole, atomically), then mark its row ``done``."""
        meta = json.dumps(
            {
                "run_id": run_id,
                "name": result.name,
                "content_hash": result.content_hash,
                **result.meta,
            },
            indent=2,
            default=str,
        )

        def fill(folder: Path) -> None:
            for name in RESULT_TABLES:
                table = result.tables[name]
                table.to_parquet(folder / f"{name}.parquet", index=False)
            (folder / "meta.json").write_text(meta, encoding="utf-8")
            if scenario_json:
                (folder / "scenario.json").write_text(scenario_json, encoding="utf-8")

        names = {f"{n}.parquet" for n in RESULT_TABLES} | {"meta.json", "scenario.json"}
        atomic_folder(self.runs_dir / run_id, fill, replaceable=lambda rel: rel.name in names)
        with self._connect() as con:
            con.execute(
                "UPDATE runs SET status='done', finished_utc=?, seconds=? WHERE run_id=?",
                (_now(), float(seconds), run_id),
            )

    def fail(self, run_id: str, error: str) -> None:
        """Mark a run ``failed`` with its error."""
        with self._connect() as con:
            con.execute(
                "UPDATE runs SET status='failed', finished_utc=?, error=? WHERE run_id=?",
                (_now(), error[:2000], run_id),
            )

    def record(
        self,
        result: ScenarioResult,
        *,
        path: str = "",
        seconds: float = 0.0,
        scenario_json: str = "",
        version: str | None = None,
    ) -> str:
        """Record a result computed elsewhere (a sweep's worker) as a done run; return its id."""
        run_id = self.start(
            name=result.name,
            title=str(result.meta.get("title", "")),
            path=path,
            content_hash=result.content_hash,
            growth=float(result.meta.get("growth", 1.0)),
            seeds=tuple(result.meta.get("seeds", ())),
            version=version,
        )
        self.finish(run_id, result, seconds=seconds, scenario_json=scenario_json)
        return run_id

    # ------------------------------------------------------------------ reading
    def _records(self, where: str = "", args: Sequence[Any] = ()) -> list[RunRecord]:
        with self._connect() as con:
            rows = con.execute(
                f"SELECT * FROM runs {where} ORDER BY created_utc, run_id", tuple(args)
            ).fetchall()
        host = socket.gethostname()
        out = []
        for r in rows:
            status = r["status"]
            if status == "running" and r["host"] == host and not _alive(int(r["pid"])):
                status = "killed"
            out.append(
                RunRecord(
                    run_id=r["run_id"],
                    name=r["name"],
                    title=r["title"],
                    path=r["path"],
                    content_hash=r["content_hash"],
                    code_version=r["code_version"],
                    status=status,
                    created_utc=r["created_utc"],
                    finished_utc=r["finished_utc"],
                    seconds=r["seconds"],
                    growth=float(r["growth"]),
                    seeds=tuple(json.loads(r["seeds"])),
                    error=r["error"],
                    pid=int(r["pid"]),
                    host=r["host"],
                )
            )
        return out

    def list(self) -> list[RunRecord]:
        """Return every run, oldest first."""
        return self._records()

    def get(self, ref: str) -> RunRecord:
        """Return the run that ``ref`` names: an id, a unique id prefix or a scenario name.

        A scenario name gives the latest done run of that name.

        Raises
        ------
        InputError
            When nothing, or more than one run, matches.

        """
        exact = self._records("WHERE run_id = ?", (ref,))
        if exact:
            return exact[0]
        by_prefix = self._records("WHERE run_id LIKE ? ESCAPE '\\'", (_like(ref) + "%",))
        if len(by_prefix) == 1:
            return by_prefix[0]
        by_name = [r for r in self._records("WHERE name = ?", (ref,)) if r.status == "done"]
        if by_name:
            return by_name[-1]
        if len(by_prefix) > 1:
            raise InputError(
                f"run {ref!r} is ambiguous: {', '.join(r.run_id for r in by_prefix[:5])}",
                argument="run",
                value=ref,
            )
        raise InputError(
            f"no run {ref!r} in {self.path} (see `corridor scenario list`)",
            argument="run",
            value=ref,
        )

    def find_done(self, content_hash: str, version: str) -> RunRecord | None:
        """Return the latest done run with these inputs and code version, if any."""
        found = [
            r
            for r in self._records(
                "WHERE content_hash = ? AND code_version = ? AND status = 'done'",
                (content_hash, version),
            )
            if (self.runs_dir / r.run_id / "meta.json").is_file()
        ]
        return found[-1] if found else None

    def load(self, ref: str) -> tuple[RunRecord, ScenarioResult]:
        """Return a done run's record and its result tables (read from Parquet).

        Raises
        ------
        InputError
            When the run is not done or its files are missing.

        """
        rec = self.get(ref)
        if rec.status != "done":
            raise InputError(
                f"run {rec.run_id} is {rec.status}, not done: it has no results",
                argument="run",
                value=ref,
            )
        folder = self.runs_dir / rec.run_id
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            tables = {n: pd.read_parquet(folder / f"{n}.parquet") for n in RESULT_TABLES}
        except (OSError, ValueError) as err:
            raise InputError(
                f"run {rec.run_id}: its result files cannot be read ({err})",
                argument="run",
                value=ref,
            ) from err
        result = ScenarioResult(
            name=rec.name,
            content_hash=rec.content_hash,
            tables=tables,
            meta={k: v for k, v in meta.items() if k not in ("run_id", "name", "content_hash")},
        )
        return rec, result


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def write_json(path: str | os.PathLike[str], payload: Any) -> None:
    """Write JSON atomically (a helper for exports)."""
    atomic_text(path, json.dumps(payload, indent=2, default=str))


def elapsed(start: float) -> float:
    """Seconds since ``start`` (a :func:`time.perf_counter` reading)."""
    return time.perf_counter() - start


def run_and_record(
    scenario: Any,
    registry: Registry,
    *,
    growth: float = 1.0,
    seeds: tuple[int, ...] | None = None,
    reuse: bool = False,
    progress: Any = None,
) -> tuple[str, bool]:
    """Check, run and record a scenario; return ``(run id, reused)``.

    The scenario is checked before any row is written (a scenario with problems leaves
    nothing in the registry). With ``reuse``, a done run with the same inputs and code
    version is returned instead of running again.

    Parameters
    ----------
    scenario : Scenario
        From :func:`corridor.scenarios.spec.load_scenario`.
    registry : Registry
        Where to record it.
    growth : float, default 1.0
        Extra growth factor on every flow.
    seeds : tuple of int, optional
        Simulation seeds (default: the report's).
    reuse : bool, default False
        Return an equal done run when there is one.
    progress : callable, optional
        Called with a short text before each step.

    Returns
    -------
    tuple of (str, bool)

    """
    from corridor.scenarios.run import check_scenario, run_hash, run_scenario

    use_seeds = tuple(scenario.spec.report.seeds) if seeds is None else tuple(seeds)
    version = code_version()
    digest = run_hash(scenario, growth, use_seeds)
    if reuse:
        found = registry.find_done(digest, version)
        if found is not None:
            return found.run_id, True
    checked = check_scenario(scenario)
    run_id = registry.start(
        name=scenario.name,
        title=scenario.spec.scenario.title,
        path=scenario.path,
        content_hash=digest,
        growth=growth,
        seeds=use_seeds,
        version=version,
    )
    t0 = time.perf_counter()
    try:
        result = run_scenario(checked, growth=growth, seeds=use_seeds, progress=progress)
        registry.finish(
            run_id,
            result,
            seconds=time.perf_counter() - t0,
            scenario_json=scenario.spec.model_dump_json(indent=2),
        )
    except BaseException as err:
        registry.fail(run_id, f"{type(err).__name__}: {err}")
        raise
    return run_id, False
