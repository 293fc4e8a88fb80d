"""Observed volumes (counts) and the model's value at each: ports, borders, terminals, lines.

A counts table has one row per observation: ``count_id``, ``kind`` (``port``,
``border_crossing``, ``terminal``, ``ferry_service``, ``rail_section``), where
(``place_ids``, ``segment_ids``, ``service_ids``, ``|``-joined), optional filters
(``commodity_group``; ``from_country`` and ``to_country`` of the flows counted), ``unit``
(``t`` or ``TEU``), ``observed_per_yr`` with its ``observed_per_yr_source``, and ``use``:
``calibrate`` (the count measures flows of the demand's scope and enters the OD
estimation) or ``compare`` (reported only: its traffic is wider than the demand, e.g. oil
or China-Europe transit at a Caspian port). The count's edges are found as for capacity
elements (:mod:`.elements`), both directions together; a port count is the tonnes passing
the port's transfers, a crossing count the tonnes crossing.

The shipped ``counts_2024.csv`` is built by ``tools/build_flows_data.py`` from the staging
table ``data/curated/flows/counts.csv``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import DataFileError, FormatError, Problem
from corridor.flows.elements import _groups, _Index
from corridor.flows.problem import FreightProblem
from corridor.flows.solve import FlowState

__all__ = ["COUNT_KINDS", "CountSet", "count_set", "read_counts"]

COUNT_KINDS = ("port", "border_crossing", "terminal", "ferry_service", "rail_section")
_REQUIRED = ("count_id", "kind", "unit", "observed_per_yr")


def read_counts(path: str | Path | None = None) -> pd.DataFrame:
    """Read a counts table (default: the shipped ``counts_2024.csv``), every problem at once.

    Raises
    ------
    FormatError
        The file cannot be read.
    DataFileError
        Missing columns, unknown kinds or units, observed values that are not positive
        numbers, a figure without its source, duplicate ids.

    Examples
    --------
    >>> c = read_counts()
    >>> sorted(c.loc[c["use"] == "calibrate", "count_id"])[:2]
    ['CNT-AKTAU-GRAIN-IR-2024-25', 'CNT-ASTARA-TERMINAL-2024']

    """
    if path is None:
        ref = resources.files("corridor").joinpath("data", "flows", "counts_2024.csv")
        with resources.as_file(ref) as p:
            return read_counts(p)
    src = str(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise FormatError(src, f"cannot read counts: {err}") from err
    problems: list[Problem] = []
    missing = [c for c in _REQUIRED if c not in table.columns]
    if missing:
        raise DataFileError(
            src,
            [Problem("error", "counts", "header", c, "required column missing") for c in missing],
        )
    optional = (
        "place_ids", "segment_ids", "service_ids", "commodity_group", "from_country",
        "to_country", "observed_per_yr_source", "use", "scope", "grade", "year",
    )  # fmt: skip
    for col in optional:
        if col not in table.columns:
            table[col] = ""
    seen: set[str] = set()
    values = []
    for i, row in enumerate(table.to_dict("records")):
        rid = row["count_id"] or f"line {i + 2}"

        def add(col: str, msg: str, rid: str = rid) -> None:
            problems.append(Problem("error", "counts", rid, col, msg))

        if rid in seen:
            add("count_id", "duplicate id")
        seen.add(rid)
        if row["kind"] not in COUNT_KINDS:
            add("kind", f"unknown kind {row['kind']!r}; allowed: {', '.join(COUNT_KINDS)}")
        if row["unit"] not in ("t", "TEU"):
            add("unit", f"unknown unit {row['unit']!r}; allowed: t, TEU")
        try:
            value = float(row["observed_per_yr"])
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            add("observed_per_yr", f"{row['observed_per_yr']!r} must be a number > 0")
        elif not row["observed_per_yr_source"].strip():
            add("observed_per_yr_source", "an observed figure needs its source")
        if not (row["place_ids"] or row["segment_ids"] or row["service_ids"]):
            add("place_ids", "a count needs place_ids, segment_ids or service_ids")
        if (row["use"] or "compare") not in ("calibrate", "compare"):
            add("use", f"{row['use']!r}: allowed calibrate, compare")
        values.append(value)
    if problems:
        raise DataFileError(src, problems)
    table["observed_per_yr"] = values
    table.loc[table["use"] == "", "use"] = "compare"
    return table


@dataclass(frozen=True, eq=False)
class CountSet:
    """Counts resolved on a problem: which global edges each counts, with what weight.

    Attributes
    ----------
    table : pandas.DataFrame
        The counts (rows kept: those whose edges the network has).
    edges : tuple of numpy.ndarray
        Global edges of each count.
    od_weight : numpy.ndarray
        ``(n_counts, n_od)`` weight of each OD pair's tonnes at each count: TEU per tonne
        for TEU counts, the commodity share under a commodity filter, 0 for pairs the
        country filter leaves out.
    missing : list of dict
        Counts with no edge in the network (``count_id``, ``reason``).

    """

    table: pd.DataFrame
    edges: tuple[NDArray[np.int64], ...]
    od_weight: NDArray[np.float64]
    missing: tuple[dict[str, str], ...] = ()

    @property
    def observed(self) -> NDArray[np.float64]:
        """Observed value of each count (per year, in its unit)."""
        return self.table["observed_per_yr"].to_numpy(dtype=float)

    def proportions(self, problem: FreightProblem, state: FlowState) -> NDArray[np.float64]:
        """``(n_counts, n_od)``: model value at each count per tonne of each OD pair."""
        q = problem.od["tonnes_per_yr"].to_numpy(dtype=float)
        out = np.zeros((len(self.edges), problem.n_od))
        with np.errstate(divide="ignore", invalid="ignore"):
            for c, e in enumerate(self.edges):
                frac = np.where(q > 0, state.od_flow[:, e].sum(axis=1) / q, 0.0)
                out[c] = frac * self.od_weight[c]
        return out

    def model(self, problem: FreightProblem, state: FlowState) -> NDArray[np.float64]:
        """Model value at each count."""
        q = problem.od["tonnes_per_yr"].to_numpy(dtype=float)
        return np.asarray(self.proportions(problem, state) @ q, dtype=np.float64)


def count_set(problem: FreightProblem, table: pd.DataFrame) -> CountSet:
    """Resolve counts on a problem's graphs (see the module docstring)."""
    indexes = {b.cargo: (_Index(b.graph), b) for b in problem.classes}
    od = problem.od
    country = problem.network.places.set_index("place_id")["country"].astype(str).to_dict()
    oc = od["origin"].map(country).to_numpy(dtype=object)
    dc = od["destination"].map(country).to_numpy(dtype=object)
    teu = (
        np.array([b.teu_per_t for b in problem.classes])[od["cls"].to_numpy(dtype=np.int64)]
        if len(od)
        else np.zeros(0)
    )
    # commodity shares of each OD pair
    known = problem.demand.known
    known = known[known["tonnes_per_yr"] > 0].reset_index(drop=True)
    keep_rows: list[int] = []
    edges: list[NDArray[np.int64]] = []
    weights: list[NDArray[np.float64]] = []
    missing: list[dict[str, str]] = []
    for i, row in enumerate(table.to_dict("records")):
        rec = {
            "kind": row["kind"],
            "place_ids": row.get("place_ids", ""),
            "segment_ids": row.get("segment_ids", ""),
            "service_ids": row.get("service_ids", ""),
            "direction": "both",
        }
        found: list[int] = []
        n_groups = 1
        for ix, b in indexes.values():
            groups = _groups(rec, ix)
            if not groups:
                continue
            n_groups = max(n_groups, len(groups))
            pos = np.full(b.graph.n_edges, -1, dtype=np.int64)
            local = np.flatnonzero(b.edge >= 0)
            pos[b.edge[local]] = local
            for g_edges, _, _ in groups.values():
                hit = pos[np.asarray(g_edges, dtype=np.int64)]
                found += (hit[hit >= 0] + b.offset).tolist()
        if not found:
            missing.append({"count_id": str(row["count_id"]), "reason": "no edge of the network"})
            continue
        w = np.ones(len(od))
        if row.get("unit") == "TEU":
            w = w * teu
        if row.get("from_country"):
            w = w * (oc == row["from_country"])
        if row.get("to_country"):
            w = w * (dc == row["to_country"])
        if row.get("commodity_group"):
            share = np.zeros(len(od))
            rows = problem.od_rows
            tot = np.bincount(
                rows[rows >= 0],
                weights=known["tonnes_per_yr"].to_numpy()[rows >= 0],
                minlength=len(od),
            )
            hit = (known["commodity_group"].to_numpy() == row["commodity_group"]) & (rows >= 0)
            part = np.bincount(
                rows[hit], weights=known["tonnes_per_yr"].to_numpy()[hit], minlength=len(od)
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(tot > 0, part / tot, 0.0)
            w = w * share
        if row["kind"] == "rail_section" and n_groups > 1:
            w = w / n_groups  # a section listed by several segments: their mean
        keep_rows.append(i)
        edges.append(np.asarray(sorted(set(found)), dtype=np.int64))
        weights.append(w)
    kept = table.iloc[keep_rows].reset_index(drop=True)
    return CountSet(
        kept,
        tuple(edges),
        np.vstack(weights) if weights else np.zeros((0, len(od))),
        tuple(missing),
    )
