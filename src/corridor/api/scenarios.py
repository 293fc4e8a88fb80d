"""Scenario runs over HTTP, read-only: the payloads of ``corridor scenario list/show/compare``.

The registry (:class:`corridor.scenarios.registry.Registry`, SQLite and Parquet under
``$CORRIDOR_HOME``) is opened per request; nothing is run or written here (compare draws no
difference map).
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from corridor.errors import InputError

__all__ = ["compare_payload", "list_payload", "show_payload"]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _registry(home: str | os.PathLike[str] | None) -> Any:
    from corridor.scenarios.registry import Registry

    return Registry(home)


def list_payload(home: str | os.PathLike[str] | None) -> dict[str, Any]:
    """Return ``{"registry", "runs"}`` as ``corridor scenario list --json``."""
    registry = _registry(home)
    return {"registry": str(registry.path), "runs": [r.to_dict() for r in registry.list()]}


def show_payload(
    home: str | os.PathLike[str] | None, run: str, table: str | None = None
) -> dict[str, Any]:
    """Return ``{"run", "meta", "tables"}`` as ``corridor scenario show RUN --json``.

    Raises
    ------
    InputError
        An unknown run or table.

    """
    from corridor.scenarios.run import RESULT_TABLES

    if table is not None and table not in RESULT_TABLES:
        raise InputError(
            f"unknown table {table!r}; allowed: {', '.join(RESULT_TABLES)}",
            argument="table",
            value=table,
            allowed=RESULT_TABLES,
        )
    registry = _registry(home)
    rec = registry.get(run)
    if rec.status != "done":
        return {"run": rec.to_dict(), "meta": {}, "tables": {}}
    rec, result = registry.load(rec.run_id)
    names = [table] if table else list(RESULT_TABLES)
    return {
        "run": rec.to_dict(),
        "meta": result.meta,
        "tables": {n: _records(result.tables[n]) for n in names},
    }


def compare_payload(
    home: str | os.PathLike[str] | None, runs: list[str], *, top: int = 10
) -> dict[str, Any]:
    """Return the tables of ``corridor scenario compare A B --json`` (no map).

    Raises
    ------
    InputError
        Fewer than two runs, an unknown run, a run not done.

    """
    from corridor.scenarios.compare import compare_results, link_changes, run_labels

    if len(runs) < 2:
        raise InputError(
            f"compare needs at least two runs, got {len(runs)}",
            argument="runs",
            value=",".join(runs),
            allowed="two or more run ids or names, comma-separated",
        )
    if top < 1:
        raise InputError(f"top must be >= 1, got {top}", argument="top", value=top)
    registry = _registry(home)
    loaded = [registry.load(str(registry.get(r).run_id)) for r in runs]
    labels = run_labels([rec.name for rec, _ in loaded], [rec.run_id for rec, _ in loaded])
    results = [(label, res) for label, (_, res) in zip(labels, loaded, strict=True)]
    tables = compare_results(results, top=top)
    return {
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
        "maps": [],
    }
