"""Freight demand: tonnes per year between places, by commodity group and cargo class.

A :class:`FreightDemand` is a table of flows, one row per origin place, destination place,
commodity group and cargo class, with ``tonnes_per_yr`` (and ``teu_per_yr`` where the
cargo travels in containers), the figure's source and its basis (``taken`` from
statistics, ``proxy`` of another year or part of the flow, ``assumption``, or
``unknown``: a flow known to exist whose size was not found; such rows keep an empty
figure and are never assigned).

Files:

* **CSV**, one flow per row, header at least
  ``origin,destination,commodity_group,cargo_class,tonnes_per_yr``; optional
  ``row_id``, ``teu_per_yr``, ``tonnes_per_yr_source``, ``basis``, ``grade``, ``notes``.
  :func:`read_freight_csv` lists every problem of a file at once, each naming its row.
* **OMX**, one matrix of tonnes per year per (commodity group, cargo class), named
  ``<commodity_group>__<cargo_class>`` (so both must be identifiers without ``__``),
  over the ``zones`` lookup (:func:`~corridor.demand.matrix.write_omx` and
  :func:`~corridor.demand.matrix.read_omx` do the matrices).

Trade statistics become flows with :func:`demand_from_trade`: rows of reporter, partner,
origin and destination country (or region), commodity group, and tonnes, or a value in
USD with a unit value in USD per tonne, are spread over the places a mapping gives for
each country and role (production at the origin, consumption at the destination).

Growth is a set of factors (:func:`parse_growth`): global (``1.5``), per country pair in
both directions (``KAZ-IRN=1.5``), per direction (``KAZ>IRN=1.5``) or per commodity group
(``grain=1.2``); several multiply.

This module sits below the network layer: place ids, countries and cargo classes to check
against are passed in (``corridor.flows`` passes the network's).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor._atomic import atomic_path
from corridor.demand.matrix import Demand, _decode, _make_parent, _path, read_omx, write_omx
from corridor.errors import DataFileError, FormatError, InputError, Problem

__all__ = [
    "BASES",
    "COLUMNS",
    "FreightDemand",
    "Growth",
    "demand_from_trade",
    "parse_growth",
    "read_freight_csv",
    "read_freight_omx",
    "write_freight_csv",
    "write_freight_omx",
]

#: Columns of a freight demand table, in file order.
COLUMNS: tuple[str, ...] = (
    "row_id",
    "origin",
    "destination",
    "commodity_group",
    "cargo_class",
    "tonnes_per_yr",
    "tonnes_per_yr_source",
    "teu_per_yr",
    "basis",
    "grade",
    "notes",
)
_REQUIRED = ("origin", "destination", "commodity_group", "cargo_class", "tonnes_per_yr")
_TEXT = ("row_id", "origin", "destination", "commodity_group", "cargo_class")

#: What a flow's figure rests on.
BASES: tuple[str, ...] = ("taken", "proxy", "assumption", "computed", "user", "unknown")

_MAX_PROBLEMS = 200


def _empty_table() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame["tonnes_per_yr"] = frame["tonnes_per_yr"].astype(float)
    frame["teu_per_yr"] = frame["teu_per_yr"].astype(float)
    return frame


def _normalise(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in COLUMNS:
        if col not in out.columns:
            out[col] = np.nan if col in ("tonnes_per_yr", "teu_per_yr") else ""
    for col in ("tonnes_per_yr", "teu_per_yr"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in COLUMNS:
        if col not in ("tonnes_per_yr", "teu_per_yr"):
            out[col] = out[col].fillna("").astype(str)
    out.loc[out["basis"] == "", "basis"] = "user"
    return out[list(COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class FreightDemand:
    """Freight flows between places, by commodity group and cargo class.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per flow with the :data:`COLUMNS`; ``tonnes_per_yr`` is NaN on ``unknown``
        rows (never assigned), ``teu_per_yr`` NaN where not given.
    source : str
        Where the flows came from (a path or a name), for messages.

    Examples
    --------
    >>> d = FreightDemand.from_records([
    ...     {"origin": "A", "destination": "B", "commodity_group": "grain",
    ...      "cargo_class": "bulk", "tonnes_per_yr": 1000.0},
    ...     {"origin": "B", "destination": "A", "commodity_group": "boxes",
    ...      "cargo_class": "container_40ft", "tonnes_per_yr": 400.0}])
    >>> d.total_t, sorted(d.cargo_classes)
    (1400.0, ['bulk', 'container_40ft'])
    >>> d.matrices()["bulk"].trips("A", "B")
    1000.0

    """

    table: pd.DataFrame
    source: str = "demand"

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, object]], *, source: str = "demand"
    ) -> FreightDemand:
        """Build demand from dicts with (at least) the required columns; checked."""
        rows = list(records)
        table = pd.DataFrame(rows) if rows else _empty_table()
        return cls.from_frame(table, source=source)

    @classmethod
    def from_frame(cls, table: pd.DataFrame, *, source: str = "demand") -> FreightDemand:
        """Build demand from a table; every problem of it is raised at once.

        Raises
        ------
        DataFileError
            Missing columns, empty ids, a commodity without a cargo class, tonnes that are
            negative, not numbers or NaN (outside an ``unknown`` row).

        """
        missing = [c for c in _REQUIRED if c not in table.columns]
        if missing:
            raise DataFileError(
                source,
                [Problem("error", "demand", "", c, "required column missing") for c in missing],
            )
        norm = _normalise(table)
        problems = check_rows(norm, source=source)
        if problems:
            raise DataFileError(source, problems)
        if (norm["row_id"] == "").any():
            blank = norm["row_id"] == ""
            norm.loc[blank, "row_id"] = [f"row {i + 1}" for i in np.flatnonzero(blank)]
        return cls(norm, source)

    # ------------------------------------------------------------------ views
    @property
    def known(self) -> pd.DataFrame:
        """The rows with a figure (everything but ``unknown`` rows)."""
        return self.table[self.table["tonnes_per_yr"].notna()].reset_index(drop=True)

    @property
    def unknown(self) -> pd.DataFrame:
        """Flows known to exist whose size was not found (no figure, never assigned)."""
        return self.table[self.table["tonnes_per_yr"].isna()].reset_index(drop=True)

    @property
    def total_t(self) -> float:
        """Total tonnes per year of the rows with a figure."""
        return float(self.table["tonnes_per_yr"].sum(skipna=True))

    @property
    def cargo_classes(self) -> tuple[str, ...]:
        """Cargo classes of the rows with a figure, in order of first appearance."""
        return tuple(dict.fromkeys(self.known["cargo_class"]))

    @property
    def places(self) -> tuple[str, ...]:
        """Every place named, in order of first appearance."""
        pairs = zip(self.table["origin"], self.table["destination"], strict=True)
        both = [p for o, d in pairs for p in (o, d)]
        return tuple(dict.fromkeys(both))

    def matrices(self) -> dict[str, Demand]:
        """Return the tonnes per year of each cargo class as a :class:`Demand` matrix.

        Commodity groups of one class are summed; zones are the places of that class in
        order of first appearance.
        """
        out: dict[str, Demand] = {}
        known = self.known
        for cargo in self.cargo_classes:
            rows = known[known["cargo_class"] == cargo]
            zones = list(dict.fromkeys([*rows["origin"], *rows["destination"]]))
            index = {z: i for i, z in enumerate(zones)}
            mat = np.zeros((len(zones), len(zones)))
            np.add.at(
                mat,
                (rows["origin"].map(index).to_numpy(), rows["destination"].map(index).to_numpy()),
                rows["tonnes_per_yr"].to_numpy(dtype=float),
            )
            out[cargo] = Demand.from_matrix(zones, mat)
        return out

    # ------------------------------------------------------------------ checks and edits
    def check(
        self,
        *,
        places: Collection[str] | None = None,
        cargo_classes: Collection[str] | None = None,
    ) -> list[Problem]:
        """Return the problems of the rows against known places and cargo classes."""
        return check_rows(
            self.table, source=self.source, places=places, cargo_classes=cargo_classes
        )

    def scaled(self, factors: Sequence[float] | np.ndarray) -> FreightDemand:
        """Return demand with each row's tonnes (and TEU) times its factor.

        Raises
        ------
        InputError
            If the number of factors differs from the rows, or a factor is negative or
            not finite.

        """
        f = np.asarray(factors, dtype=float)
        if f.shape != (len(self.table),):
            raise InputError(
                f"factors: {f.shape[0] if f.ndim else 1} for {len(self.table)} rows",
                argument="factors",
            )
        if not np.all(np.isfinite(f)) or np.any(f < 0):
            raise InputError("factors must be finite and >= 0", argument="factors")
        out = self.table.copy()
        out["tonnes_per_yr"] = out["tonnes_per_yr"] * f
        out["teu_per_yr"] = out["teu_per_yr"] * f
        return FreightDemand(out, self.source)

    def grown(self, growth: Growth, country_of: Mapping[str, str]) -> FreightDemand:
        """Return demand with the growth factors applied (see :func:`parse_growth`).

        Parameters
        ----------
        growth : Growth
            The factors.
        country_of : mapping of str to str
            Country (ISO 3166 alpha-3) of each place.

        Raises
        ------
        InputError
            If a country or commodity group named by ``growth`` occurs nowhere in the
            demand (a typo would otherwise grow nothing).

        """
        return self.scaled(growth.factors(self, country_of))


def _number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return math.nan
    if len(text) > 64:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def check_rows(
    table: pd.DataFrame,
    *,
    source: str = "demand",
    places: Collection[str] | None = None,
    cargo_classes: Collection[str] | None = None,
    lines: Sequence[int] | None = None,
) -> list[Problem]:
    """Return every problem of a normalised demand table (see :class:`FreightDemand`).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with the :data:`COLUMNS`.
    source : str
        For the problems' ``table`` field.
    places, cargo_classes : collection of str, optional
        Known place ids and cargo classes; unchecked when omitted.
    lines : sequence of int, optional
        File line of each row, for rows without a ``row_id``.

    Returns
    -------
    list of Problem

    Examples
    --------
    >>> t = _normalise(pd.DataFrame({"origin": ["A", "X"], "destination": ["B", "A"],
    ...     "commodity_group": ["grain", "fruit"], "cargo_class": ["bulk", ""],
    ...     "tonnes_per_yr": [-1.0, 5.0]}))
    >>> for p in check_rows(t, places={"A", "B"}):
    ...     print(p)
    error: demand 'row 1' [tonnes_per_yr]: -1 must be finite and >= 0
    error: demand 'row 2' [origin]: unknown place 'X'
    error: demand 'row 2' [cargo_class]: commodity 'fruit' has no cargo class

    """
    problems: list[Problem] = []
    known_places = None if places is None else set(places)
    known_cargo = None if cargo_classes is None else set(cargo_classes)
    records = table.to_dict("records")
    for i, row in enumerate(records):
        rid = str(row.get("row_id") or "") or (
            f"line {lines[i]}" if lines is not None else f"row {i + 1}"
        )

        def add(column: str, message: str, rid: str = rid) -> None:
            problems.append(Problem("error", "demand", rid, column, message))

        for col in ("origin", "destination", "commodity_group"):
            if not str(row.get(col, "")).strip():
                add(col, "empty")
        for col in ("origin", "destination"):
            place = str(row.get(col, ""))
            if place and known_places is not None and place not in known_places:
                add(col, f"unknown place {place!r}")
        if row.get("origin") and row.get("origin") == row.get("destination"):
            add("destination", f"equals the origin {row.get('origin')!r}")
        cargo = str(row.get("cargo_class", "")).strip()
        commodity = str(row.get("commodity_group", ""))
        basis = str(row.get("basis", "")) or "user"
        if basis == "unknown":
            pass  # a flow whose size was not found may lack its cargo class too
        elif not cargo:
            add("cargo_class", f"commodity {commodity!r} has no cargo class")
        elif known_cargo is not None and cargo not in known_cargo:
            add("cargo_class", f"unknown cargo class {cargo!r}; allowed: {sorted(known_cargo)}")
        if basis not in BASES:
            add("basis", f"unknown basis {basis!r}; allowed: {list(BASES)}")
        tonnes: object = row.get("tonnes_per_yr")
        value = float(tonnes) if isinstance(tonnes, int | float) else math.nan
        if math.isnan(value):
            if basis != "unknown":
                add("tonnes_per_yr", "missing or NaN (only an 'unknown' row may lack a figure)")
        elif not (math.isfinite(value) and value >= 0):
            add("tonnes_per_yr", f"{value:g} must be finite and >= 0")
        elif basis == "unknown":
            add("tonnes_per_yr", "an 'unknown' row cannot carry a figure")
        teu: object = row.get("teu_per_yr")
        teu_value = float(teu) if isinstance(teu, int | float) else math.nan
        if not math.isnan(teu_value) and not (math.isfinite(teu_value) and teu_value >= 0):
            add("teu_per_yr", f"{teu_value:g} must be finite and >= 0")
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems


# ---------------------------------------------------------------------- CSV
def read_freight_csv(
    path: str | os.PathLike[str],
    *,
    places: Collection[str] | None = None,
    cargo_classes: Collection[str] | None = None,
) -> FreightDemand:
    r"""Read freight demand from a CSV file (one flow per row).

    Parameters
    ----------
    path : path-like
        The file (UTF-8).
    places, cargo_classes : collection of str, optional
        Known place ids and cargo classes to check the rows against.

    Returns
    -------
    FreightDemand

    Raises
    ------
    FormatError
        The file is missing, not UTF-8 or not CSV.
    DataFileError
        Rows with problems; every one is listed (unknown places, a commodity without a
        cargo class, negative or NaN tonnes ...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.csv"
    >>> _ = p.write_text("origin,destination,commodity_group,cargo_class,tonnes_per_yr\n"
    ...                  "A,B,grain,bulk,100\nA,Q,fruit,,nan\n")
    >>> read_freight_csv(p, places={"A", "B"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridor.errors.DataFileError: .../od.csv: 3 problem(s)
      error: demand 'line 3' [destination]: unknown place 'Q'
      error: demand 'line 3' [cargo_class]: commodity 'fruit' has no cargo class
      error: demand 'line 3' [tonnes_per_yr]: missing or NaN (only an 'unknown' row may ...

    """
    p = _path(path)
    src = str(p)
    if p.is_dir():
        raise FormatError(src, "is a folder, expected a CSV file")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise FormatError(src, f"cannot read file: {err.strerror or err}") from err
    if not data.strip():
        raise FormatError(src, "file is empty")
    reader = csv.reader(io.StringIO(_decode(data, src), newline=""), strict=True)
    problems: list[Problem] = []
    rows: list[dict[str, object]] = []
    lines: list[int] = []
    try:
        header = next(reader, None)
        if header is None:
            raise FormatError(src, "no header row")
        names = [h.strip() for h in header]
        missing = [c for c in _REQUIRED if c not in names]
        if missing:
            raise DataFileError(
                src,
                [
                    Problem("error", "demand", "header", c, "required column missing")
                    for c in missing
                ],
            )
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            line = reader.line_num
            if len(row) != len(names):
                problems.append(
                    Problem(
                        "error",
                        "demand",
                        f"line {line}",
                        "",
                        f"{len(row)} fields, the header has {len(names)}",
                    )
                )
                continue
            rec: dict[str, object] = dict(zip(names, row, strict=True))
            for col in ("tonnes_per_yr", "teu_per_yr"):
                if col in rec:
                    text = str(rec[col])
                    value = _number(text)
                    if value is None:
                        rid = str(rec.get("row_id", "")) or f"line {line}"
                        problems.append(
                            Problem("error", "demand", rid, col, f"{text[:40]!r} is not a number")
                        )
                        value = -math.inf  # reported above; keeps the row out of check_rows
                    rec[col] = value
            rows.append(rec)
            lines.append(line)
    except csv.Error as err:
        raise FormatError(src, f"broken CSV near line {reader.line_num}: {err}") from err
    table = _normalise(pd.DataFrame(rows)) if rows else _empty_table()
    bad_number = {(pr.row_id, pr.column) for pr in problems}
    for pr in check_rows(
        table, source=src, places=places, cargo_classes=cargo_classes, lines=lines
    ):
        if (pr.row_id, pr.column) not in bad_number:
            problems.append(pr)
    if problems:
        order = {f"line {n}": i for i, n in enumerate(lines)}
        order.update({str(r): i for i, r in enumerate(table["row_id"]) if r})
        problems.sort(key=lambda pr: order.get(pr.row_id, -1))
        raise DataFileError(src, problems)
    return FreightDemand.from_frame(table, source=src)


def write_freight_csv(demand: FreightDemand, path: str | os.PathLike[str]) -> None:
    """Write freight demand as CSV (all :data:`COLUMNS`), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = FreightDemand.from_records([{"origin": "A", "destination": "B",
    ...     "commodity_group": "grain", "cargo_class": "bulk", "tonnes_per_yr": 5.0}])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.csv"
    >>> write_freight_csv(d, p)
    >>> read_freight_csv(p).total_t
    5.0

    """
    target = _path(path)
    _make_parent(target)
    table = demand.table
    with atomic_path(target) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for rec in table[list(COLUMNS)].to_dict("records"):
            w.writerow([_cell(rec[c]) for c in COLUMNS])


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


# ---------------------------------------------------------------------- OMX
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _matrix_name(commodity: str, cargo: str) -> str:
    if not (_NAME.match(commodity) and _NAME.match(cargo)) or "__" in commodity + cargo:
        raise InputError(
            f"OMX: commodity group {commodity!r} and cargo class {cargo!r} must be identifiers "
            "(letters, digits, '_') without '__' to name a matrix",
            argument="demand",
            value=f"{commodity}/{cargo}",
        )
    return f"{commodity}__{cargo}"


def write_freight_omx(demand: FreightDemand, path: str | os.PathLike[str]) -> None:
    """Write freight demand to OMX: one matrix of t/yr per commodity group and cargo class.

    Zones are every place of the demand; ``unknown`` rows (no figure) are not written.

    Raises
    ------
    InputError
        A commodity group or cargo class that cannot name an OMX matrix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = FreightDemand.from_records([{"origin": "A", "destination": "B",
    ...     "commodity_group": "grain", "cargo_class": "bulk", "tonnes_per_yr": 7.0}])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.omx"
    >>> write_freight_omx(d, p)
    >>> read_freight_omx(p).table[["origin", "destination", "tonnes_per_yr"]].values.tolist()
    [['A', 'B', 7.0]]

    """
    import openmatrix as omx

    target = _path(path)
    _make_parent(target)
    known = demand.known
    zones = list(demand.places)
    index = {z: i for i, z in enumerate(zones)}
    groups: dict[str, np.ndarray] = {}
    for (commodity, cargo), rows in known.groupby(["commodity_group", "cargo_class"], sort=False):
        mat = np.zeros((len(zones), len(zones)))
        np.add.at(
            mat,
            (rows["origin"].map(index).to_numpy(), rows["destination"].map(index).to_numpy()),
            rows["tonnes_per_yr"].to_numpy(dtype=float),
        )
        groups[_matrix_name(str(commodity), str(cargo))] = mat
    if not groups:
        raise InputError("demand: no flow with a figure to write", argument="demand")
    first, *rest = groups
    write_omx(Demand.from_matrix(zones, groups[first]), target, name=first)
    if rest:
        f = omx.open_file(str(target), "a")
        try:
            for name in rest:
                f[name] = np.ascontiguousarray(groups[name])
        finally:
            f.close()


def read_freight_omx(
    path: str | os.PathLike[str],
    *,
    places: Collection[str] | None = None,
    cargo_classes: Collection[str] | None = None,
) -> FreightDemand:
    """Read freight demand written by :func:`write_freight_omx`.

    Each matrix named ``<commodity_group>__<cargo_class>`` (tonnes per year) becomes one
    row per non-zero cell; each matrix is read with
    :func:`~corridor.demand.matrix.read_omx`.

    Raises
    ------
    FormatError
        Not an OMX file, or a matrix whose name is not ``<commodity>__<cargo>``.
    DataFileError
        Rows with problems (as :func:`read_freight_csv`).

    """
    p = _path(path)
    src = str(p)
    names = _omx_names(p)
    rows: list[dict[str, object]] = []
    for name in names:
        commodity, sep, cargo = name.partition("__")
        if not sep or not commodity or not cargo:
            raise FormatError(src, f"matrix {name!r} is not named <commodity_group>__<cargo_class>")
        dem = read_omx(p, name=name)
        oi, di = np.nonzero(dem.matrix)
        for o, d in zip(oi.tolist(), di.tolist(), strict=True):
            rows.append(
                {
                    "origin": dem.zones[o],
                    "destination": dem.zones[d],
                    "commodity_group": commodity,
                    "cargo_class": cargo,
                    "tonnes_per_yr": float(dem.matrix[o, d]),
                    "tonnes_per_yr_source": f"{p.name} matrix {name}",
                }
            )
    table = _normalise(pd.DataFrame(rows)) if rows else _empty_table()
    problems = check_rows(table, source=src, places=places, cargo_classes=cargo_classes)
    if problems:
        raise DataFileError(src, problems)
    return FreightDemand.from_frame(table, source=src)


def _omx_names(path: Path) -> list[str]:
    """Names of the matrices of an OMX file (checked as HDF5 before it is opened)."""
    from corridor.demand.matrix import _check_hdf5

    src = str(path)
    if not path.is_file():
        raise FormatError(src, "no such file")
    _check_hdf5(path, src)
    import warnings

    import tables

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f = tables.open_file(src, "r")
    except Exception as err:  # tables raises many kinds for a damaged file
        raise FormatError(src, f"not an OMX file: {type(err).__name__}") from err
    try:
        data = f.get_node("/data")
        return sorted(n._v_name for n in f.list_nodes(data) if isinstance(n, tables.Array))
    except Exception as err:
        raise FormatError(src, "not an OMX file: no /data group") from err
    finally:
        f.close()


# ---------------------------------------------------------------------- growth
@dataclass(frozen=True)
class Growth:
    """Growth factors: global, per country pair or direction, per commodity group.

    Attributes
    ----------
    overall : float
        Applied to every row.
    pairs : tuple of (str, str, float)
        ``(country_a, country_b, factor)``: rows from a to b and from b to a.
    directions : tuple of (str, str, float)
        ``(from_country, to_country, factor)``: rows from the first to the second only.
    commodities : tuple of (str, float)
        ``(commodity_group, factor)``.

    """

    overall: float = 1.0
    pairs: tuple[tuple[str, str, float], ...] = ()
    directions: tuple[tuple[str, str, float], ...] = ()
    commodities: tuple[tuple[str, float], ...] = ()

    @property
    def is_identity(self) -> bool:
        """Whether no factor changes anything."""
        return (
            self.overall == 1.0
            and all(f == 1.0 for *_, f in self.pairs + self.directions)
            and all(f == 1.0 for _, f in self.commodities)
        )

    def power(self, step: int) -> Growth:
        """Return the factors compounded ``step`` times (a growth path's step)."""
        return Growth(
            self.overall**step,
            tuple((a, b, f**step) for a, b, f in self.pairs),
            tuple((a, b, f**step) for a, b, f in self.directions),
            tuple((c, f**step) for c, f in self.commodities),
        )

    def describe(self) -> str:
        """Return the factors as the specs that give them."""
        parts = [] if self.overall == 1.0 else [f"{self.overall:g}"]
        parts += [f"{a}-{b}={f:g}" for a, b, f in self.pairs]
        parts += [f"{a}>{b}={f:g}" for a, b, f in self.directions]
        parts += [f"{c}={f:g}" for c, f in self.commodities]
        return " ".join(parts) or "none"

    def factors(self, demand: FreightDemand, country_of: Mapping[str, str]) -> np.ndarray:
        """Return the factor of each row of ``demand``.

        Raises
        ------
        InputError
            If a country or commodity group named here is in no row of the demand.

        """
        t = demand.table
        oc = t["origin"].map(lambda p: country_of.get(p, "")).to_numpy(dtype=object)
        dc = t["destination"].map(lambda p: country_of.get(p, "")).to_numpy(dtype=object)
        seen_countries = set(oc.tolist()) | set(dc.tolist())
        f = np.full(len(t), float(self.overall))
        for a, b, g in self.pairs:
            for code in (a, b):
                if code not in seen_countries:
                    raise InputError(
                        f"growth: no flow from or to country {code!r}; countries of the demand: "
                        f"{', '.join(sorted(c for c in seen_countries if c))}",
                        argument="growth",
                        value=f"{a}-{b}",
                        allowed=sorted(c for c in seen_countries if c),
                    )
            hit = ((oc == a) & (dc == b)) | ((oc == b) & (dc == a))
            f = np.where(hit, f * g, f)
        for a, b, g in self.directions:
            for code in (a, b):
                if code not in seen_countries:
                    raise InputError(
                        f"growth: no flow from or to country {code!r}",
                        argument="growth",
                        value=f"{a}>{b}",
                        allowed=sorted(c for c in seen_countries if c),
                    )
            f = np.where((oc == a) & (dc == b), f * g, f)
        groups = set(t["commodity_group"])
        for c, g in self.commodities:
            if c not in groups:
                raise InputError(
                    f"growth: no commodity group {c!r} in the demand; groups: {sorted(groups)}",
                    argument="growth",
                    value=c,
                    allowed=sorted(groups),
                )
            f = np.where(t["commodity_group"].to_numpy() == c, f * g, f)
        return f


_COUNTRY = re.compile(r"^[A-Z]{3}$")


def parse_growth(specs: Sequence[str] | str) -> Growth:
    """Parse growth specs: ``1.5``, ``KAZ-IRN=1.5``, ``KAZ>IRN=1.5``, ``grain=1.2``.

    A bare number applies to every flow; ``A-B=f`` to flows between countries A and B
    (ISO 3166 alpha-3, both directions); ``A>B=f`` to flows from A to B; any other
    ``name=f`` to the commodity group ``name``. Several specs multiply. A trailing ``%``
    reads a change: ``+50%`` is 1.5.

    Raises
    ------
    InputError
        A spec that is none of these, or a factor that is negative or not finite.

    Examples
    --------
    >>> g = parse_growth(["1.1", "KAZ-IRN=+50%", "grain=1.2"])
    >>> g.overall, g.pairs, g.commodities
    (1.1, (('KAZ', 'IRN', 1.5),), (('grain', 1.2),))
    >>> parse_growth("KAZ-IRN")
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: growth: 'KAZ-IRN' is not a factor; expected 1.5, KAZ-IRN=1.5, \
KAZ>IRN=1.5 or COMMODITY=1.5

    """
    items = [specs] if isinstance(specs, str) else list(specs)
    overall = 1.0
    pairs: list[tuple[str, str, float]] = []
    directions: list[tuple[str, str, float]] = []
    commodities: list[tuple[str, float]] = []
    for raw in items:
        spec = str(raw).strip()
        key, sep, value = spec.rpartition("=") if "=" in spec else ("", "", spec)
        factor = _factor(value, spec)
        if not sep:
            overall *= factor
            continue
        key = key.strip()
        if ">" in key:
            a, _, b = key.partition(">")
            if not (_COUNTRY.match(a.strip()) and _COUNTRY.match(b.strip())):
                raise _bad_spec(spec)
            directions.append((a.strip(), b.strip(), factor))
        elif "-" in key and all(_COUNTRY.match(k.strip()) for k in key.split("-", 1)):
            a, _, b = key.partition("-")
            pairs.append((a.strip(), b.strip(), factor))
        elif key:
            commodities.append((key, factor))
        else:
            raise _bad_spec(spec)
    return Growth(overall, tuple(pairs), tuple(directions), tuple(commodities))


def _bad_spec(spec: str) -> InputError:
    return InputError(
        f"growth: {spec!r} is not a factor; expected 1.5, KAZ-IRN=1.5, KAZ>IRN=1.5 or "
        "COMMODITY=1.5",
        argument="growth",
        value=spec,
    )


def _factor(text: str, spec: str) -> float:
    t = text.strip()
    try:
        value = 1.0 + float(t[:-1]) / 100.0 if t.endswith("%") else float(t)
    except ValueError:
        raise _bad_spec(spec) from None
    if not (math.isfinite(value) and value >= 0):
        raise InputError(
            f"growth: factor in {spec!r} must be finite and >= 0", argument="growth", value=spec
        )
    return value


# ---------------------------------------------------------------------- trade statistics
def _split(cell: object) -> list[str]:
    return [p.strip() for p in str(cell or "").split("|") if p.strip()]


def _places_for(
    mapping: pd.DataFrame, code: str, roles: Sequence[str], commodity: str
) -> list[tuple[str, float, str]]:
    """Places of ``code`` for the first role that has any, with shares and the reason."""
    rows = mapping[mapping["country_or_region"] == code]
    for role in roles:
        cand = rows[rows["role"] == role]
        if cand.empty:
            continue
        exact = cand[
            cand["commodity_group"].map(
                lambda s: commodity in [x.strip() for x in str(s).split(";")]
            )
        ]
        cand = exact if not exact.empty else cand
        cand = cand.drop_duplicates("place_id")
        shares = pd.to_numeric(cand.get("share", pd.Series(dtype=float)), errors="coerce")
        if len(shares) == len(cand) and shares.notna().all() and shares.sum() > 0:
            w = (shares / shares.sum()).to_numpy(dtype=float)
            why = "shares of the country-place mapping"
        else:
            w = np.full(len(cand), 1.0 / len(cand))
            why = (
                f"assumption: equal split over the {len(cand)} {role} place(s) of {code} "
                "(no published share)"
                if len(cand) > 1
                else f"the one {role} place of {code} in the mapping"
            )
        return [(str(p), float(x), why) for p, x in zip(cand["place_id"], w, strict=True)]
    return []


def demand_from_trade(
    trade: pd.DataFrame,
    mapping: pd.DataFrame,
    *,
    commodity_classes: Mapping[str, str] | None = None,
    source: str = "trade statistics",
) -> FreightDemand:
    """Turn trade statistics into freight flows between places.

    Parameters
    ----------
    trade : pandas.DataFrame
        One row per flow: ``row_id``, ``origin`` and ``destination`` (a country or region
        code), ``commodity_group``, and either ``tonnes_per_yr`` or ``value_usd`` with
        ``unit_value_usd_per_t`` (each with a ``*_source``). Optional: ``factor`` (a
        share of the row, e.g. one direction of a turnover; with ``factor_source``),
        ``cargo_class`` (else ``commodity_classes``), ``origin_places`` /
        ``destination_places`` (``|``-joined place ids overriding the mapping, with
        ``places_source``), ``reporter``, ``partner``, ``year``, ``basis``, ``grade``,
        ``notes``. A row without a figure is kept as an ``unknown`` flow.
    mapping : pandas.DataFrame
        ``country_or_region``, ``place_id``, ``role`` (``production``, ``consumption``,
        ``gateway``), ``commodity_group`` (``;``-joined), optional ``share``. Origins take
        the production places (else gateways), destinations the consumption places (else
        gateways); places of the row's commodity first; equal shares where none is given
        (and the row says so).
    commodity_classes : mapping of str to str, optional
        Cargo class of each commodity group, for rows without one.
    source : str
        Name of the statistics, for messages.

    Returns
    -------
    FreightDemand
        One row per trade row and origin/destination place pair; ``tonnes_per_yr_source``
        says how each figure was computed.

    Raises
    ------
    DataFileError
        Every problem at once: no figure and no value with a unit value, negative or NaN
        figures, a country or region without places, a commodity without a cargo class.

    Examples
    --------
    >>> trade = pd.DataFrame({"row_id": ["T1"], "origin": ["KAZ"], "destination": ["IRN"],
    ...     "commodity_group": ["grain"], "value_usd": [1.0e6],
    ...     "unit_value_usd_per_t": [250.0]})
    >>> mapping = pd.DataFrame({"country_or_region": ["KAZ", "KAZ", "IRN"],
    ...     "place_id": ["KZ_A", "KZ_B", "IR_T"], "role": ["production"] * 2 + ["consumption"],
    ...     "commodity_group": ["grain", "grain", "all"]})
    >>> d = demand_from_trade(trade, mapping, commodity_classes={"grain": "bulk"})
    >>> d.table[["origin", "destination", "tonnes_per_yr"]].values.tolist()
    [['KZ_A', 'IR_T', 2000.0], ['KZ_B', 'IR_T', 2000.0]]

    """
    classes = dict(commodity_classes or {})
    problems: list[Problem] = []
    out: list[dict[str, object]] = []

    def cell(row: Mapping[Any, Any], col: str) -> str:
        v = row.get(col, "")
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()

    def num(row: Mapping[Any, Any], col: str) -> float:
        text = cell(row, col)
        value = _number(text) if text.lower() != "unknown" else math.nan
        return math.nan if value is None else value

    for i, row in enumerate(trade.to_dict("records")):
        rid = cell(row, "row_id") or f"row {i + 1}"

        def add(column: str, message: str, rid: str = rid) -> None:
            problems.append(Problem("error", "trade", rid, column, message))

        commodity = cell(row, "commodity_group")
        cargo = cell(row, "cargo_class") or classes.get(commodity, "")
        if cargo.lower() == "unknown":
            cargo = ""
        tonnes = num(row, "tonnes_per_yr")
        value = num(row, "value_usd")
        unit = num(row, "unit_value_usd_per_t")
        factor = num(row, "factor")
        factor = 1.0 if math.isnan(factor) else factor
        basis = cell(row, "basis") or "taken"
        if not math.isnan(tonnes):
            if not (math.isfinite(tonnes) and tonnes >= 0):
                add("tonnes_per_yr", f"{tonnes:g} must be finite and >= 0")
                continue
            total = tonnes * factor
            how = f"{rid}: {tonnes:,.0f} t/yr ({cell(row, 'tonnes_per_yr_source') or 'given'})"
        elif not math.isnan(value) and not math.isnan(unit):
            if not (math.isfinite(value) and value >= 0 and math.isfinite(unit) and unit > 0):
                add("value_usd", "value must be >= 0 and the unit value > 0")
                continue
            total = value * factor / unit
            how = (
                f"{rid}: USD {value:,.0f} ({cell(row, 'value_usd_source') or 'given'}) / "
                f"{unit:,.2f} USD/t ({cell(row, 'unit_value_usd_per_t_source') or 'given'})"
            )
        elif not math.isnan(value):
            add("unit_value_usd_per_t", "a value in USD needs a unit value to become tonnes")
            continue
        else:
            total = math.nan
            how = ""
            basis = "unknown"
        if factor != 1.0 and how:
            how += f" x {factor:.4g} ({cell(row, 'factor_source') or 'factor given'})"
        if not (math.isfinite(factor) and factor >= 0):
            add("factor", f"{factor:g} must be finite and >= 0")
            continue
        if not cargo and basis != "unknown":
            add("cargo_class", f"commodity {commodity!r} has no cargo class")
            continue
        ends: list[list[tuple[str, float, str]]] = []
        for side, roles in (
            ("origin", ("production", "gateway")),
            ("destination", ("consumption", "gateway")),
        ):
            explicit = _split(row.get(f"{side}_places", ""))
            code = cell(row, side)
            if explicit:
                share = 1.0 / len(explicit)
                why = cell(row, "places_source") or "places given"
                if len(explicit) > 1:
                    why += f"; assumption: equal split over {len(explicit)} places"
                ends.append([(p, share, why) for p in explicit])
            else:
                got = _places_for(mapping, code, roles, commodity)
                if not got:
                    add(side, f"no place for {code!r} in the country-place mapping")
                ends.append(got)
        if not ends[0] or not ends[1]:
            continue
        for o, so, wo in ends[0]:
            for d, sd, wd in ends[1]:
                if o == d:
                    continue
                t = total * so * sd
                why = wo if wo == wd else f"origin: {wo}; destination: {wd}"
                split = "" if so * sd == 1.0 else f" x {so * sd:.4g} ({why})"
                out.append(
                    {
                        "row_id": f"{rid}:{o}>{d}",
                        "origin": o,
                        "destination": d,
                        "commodity_group": commodity,
                        "cargo_class": cargo or "unknown",
                        "tonnes_per_yr": t,
                        "tonnes_per_yr_source": f"computed: {how}{split}" if how else "",
                        "teu_per_yr": math.nan,
                        "basis": basis,
                        "grade": cell(row, "grade"),
                        "notes": cell(row, "notes"),
                    }
                )
    if problems:
        raise DataFileError(source, problems)
    return FreightDemand.from_records(out, source=source)
