"""Careful reading and atomic writing of the comma-separated tables of network folders.

The readers here never let a raw parser exception out: every problem becomes a
:class:`~corridor.errors.FormatError` that names the file, the row (and line) and the
column, and lists every problem of the file at once where that is possible (all short
rows, all non-numeric cells, all missing columns).

Values are read as text, exactly as written (ids such as ``"001"`` stay text); numbers are
parsed afterwards, column by column, with :func:`parse_numbers`.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd

from corridor._atomic import atomic_folder
from corridor.errors import FormatError

__all__ = [
    "Table",
    "atomic_folder",
    "missing_columns_message",
    "parse_booleans",
    "parse_numbers",
    "read_table",
    "read_text",
]

#: How many offending cells or rows a message lists before saying "and N more".
MAX_LISTED = 20
#: Most columns a table may have (GMNS tables have a few dozen); more is refused unread.
MAX_COLUMNS = 1000

_TRUE = frozenset({"true", "t", "1", "yes", "y"})
_FALSE = frozenset({"false", "f", "0", "no", "n"})


class Table:
    """A table read as text, with the line number where each data row ends.

    Attributes
    ----------
    path : str
        The file.
    frame : pandas.DataFrame
        Every column as text (``str`` dtype); empty cells are ``""``.
    lines : numpy.ndarray
        For each row, the 1-based line of the file where the row ends.

    """

    def __init__(self, path: str, frame: pd.DataFrame, lines: np.ndarray) -> None:
        self.path = path
        self.frame = frame
        self.lines = lines

    def where(self, row: int, id_column: str = "") -> str:
        """Describe row ``row`` (0-based) for a message: data row, line and id."""
        text = f"row {row + 1} (line {int(self.lines[row])}"
        if id_column and id_column in self.frame.columns:
            text += f", {id_column} {_cell(self.frame[id_column].iloc[row])}"
        return text + ")"


def _listed(items: Sequence[str]) -> list[str]:
    shown = [f"  {item}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        shown.append(f"  ... and {len(items) - MAX_LISTED} more")
    return shown


def _cell(value: object, limit: int = 40) -> str:
    """Quote a cell for a message, cut to ``limit`` characters."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def read_text(path: str | os.PathLike[str]) -> str:
    r"""Read a whole text file as UTF-8 (a byte order mark is dropped).

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    str

    Raises
    ------
    FormatError
        If the file is missing, is a folder, cannot be read, is empty, or is not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n")
    >>> read_text(p)
    'a,b\n1,2\n'

    """
    p = Path(path)
    if not p.exists():
        raise FormatError(str(p), "no such file")
    if p.is_dir():
        raise FormatError(str(p), "is a folder, expected a file")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise FormatError(str(p), f"cannot be read: {err.strerror or err}") from err
    if not data.strip():
        raise FormatError(str(p), "file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        bad = data[err.start : err.start + 1].hex().upper()
        raise FormatError(
            str(p),
            f"not valid UTF-8 text: byte 0x{bad} on line {line} "
            "(is it Latin-1 or Windows-1252? save it as UTF-8)",
        ) from err


def read_table(path: str | os.PathLike[str]) -> Table:
    r"""Read a comma-separated file with a header row into a text table.

    Blank lines are skipped. Every row must have as many fields as the header.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    Table

    Raises
    ------
    FormatError
        For any problem of :func:`read_text`, a header that is not comma-separated,
        unnamed or repeated column names, broken quoting, and rows with too few or too
        many fields (all such rows are listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "node.csv"
    >>> _ = p.write_text("node_id,x_coord\n001,2.5\n")
    >>> t = read_table(p)
    >>> t.frame["node_id"].tolist(), t.lines.tolist()
    (['001'], [2])

    """
    name = str(path)
    text = read_text(path)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if "," not in first:
        for sep, label in ((";", "semicolon"), ("\t", "tab")):
            if sep in first:
                raise FormatError(
                    name,
                    f"expected comma-separated values, but the header is {label}-separated: "
                    f"{first[:80]!r}",
                )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as err:
        what = "a field too long" if "field limit" in str(err) else "broken CSV quoting"
        raise FormatError(
            name, f"{what} near line {reader.line_num}: {err} (file truncated?)"
        ) from err
    if not rows:
        raise FormatError(name, "no header row")
    header = [h.strip() for h in rows[0]]
    data, data_lines = rows[1:], lines[1:]
    width = len(header)
    if width > MAX_COLUMNS:
        raise FormatError(
            name, f"the header has {width:,} columns; at most {MAX_COLUMNS:,} are accepted"
        )
    bad_rows = []
    for i, row in enumerate(data):
        if len(row) != width:
            hint = ""
            if i == len(data) - 1 and len(row) < width and not text.endswith(("\n", "\r")):
                hint = "; the file looks truncated"
            bad_rows.append(
                f"row {i + 1} (line {data_lines[i]}) has {len(row)} fields, "
                f"the header has {width}{hint}"
            )
    if bad_rows:
        raise FormatError(
            name,
            "\n".join(
                [f"{len(bad_rows)} row(s) with the wrong number of fields", *_listed(bad_rows)]
            ),
        )
    frame = pd.DataFrame(data, columns=range(width), dtype=str)
    unnamed = [i for i, h in enumerate(header) if not h]
    drop = {i for i in unnamed if not frame[i].str.strip().any()}
    if len(drop) < len(unnamed):
        named = [str(i + 1) for i in unnamed if i not in drop]
        cols = ", ".join(named[:MAX_LISTED]) + (" ..." if len(named) > MAX_LISTED else "")
        raise FormatError(name, f"column(s) {cols} of the header have no name")
    keep = [i for i in range(width) if i not in drop]
    names = [header[i] for i in keep]
    repeated = sorted(h for h, n in Counter(names).items() if n > 1)
    if repeated:
        raise FormatError(name, f"repeated column name(s): {', '.join(map(repr, repeated))}")
    frame = frame[keep]
    frame.columns = pd.Index(names)
    return Table(name, frame.reset_index(drop=True), np.asarray(data_lines, dtype=np.int64))


def missing_columns_message(found: Sequence[str], required: Sequence[str]) -> str:
    """Say which required columns are missing, which were found, and close matches.

    Returns ``""`` when none is missing.

    Examples
    --------
    >>> missing_columns_message(["node_id", "xcoord"], ["node_id", "x_coord"])
    "missing required column(s) 'x_coord' (did you mean 'xcoord'?); found: 'node_id', 'xcoord'"

    """
    missing = [c for c in required if c not in found]
    if not missing:
        return ""
    spare = [f for f in found if f and f not in required][:200]  # bounded work and text
    parts = []
    for col in missing:
        close = get_close_matches(col, spare, n=1, cutoff=0.6) or [
            f for f in spare if f.lower() in col or col in f.lower()
        ]
        parts.append(f"{col!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    shown = ", ".join(map(repr, found[:MAX_LISTED]))
    more = f" ... ({len(found)} columns)" if len(found) > MAX_LISTED else ""
    return f"missing required column(s) {', '.join(parts)}; found: {shown}{more}"


def parse_numbers(table: Table, columns: Sequence[str], *, id_column: str = "") -> list[str]:
    """Convert text columns of ``table.frame`` to float in place; return the bad cells.

    Empty cells and ``NaN`` become NaN; ``inf`` and numbers too large for a double
    (``1e400``) become infinity (validation reports them).

    Parameters
    ----------
    table : Table
        The table; its frame is modified.
    columns : sequence of str
        Columns to convert (absent ones are skipped).
    id_column : str, optional
        Column naming each row in messages.

    Returns
    -------
    list of str
        One line per cell that is not a number, in file order.

    Examples
    --------
    >>> t = Table("f.csv", pd.DataFrame({"a": ["1", "", "x"]}, dtype=str), np.array([2, 3, 4]))
    >>> parse_numbers(t, ["a"])
    ["row 3 (line 4) column 'a': 'x' is not a number"]

    """
    bad: list[tuple[int, str]] = []
    for col in columns:
        if col not in table.frame.columns:
            continue
        text = table.frame[col].astype(str)
        values = pd.to_numeric(text, errors="coerce").astype(float)
        stripped = text.str.strip().str.lower()
        failed = values.isna() & (stripped != "") & (stripped != "nan")
        for row in np.flatnonzero(failed.to_numpy()):
            bad.append(
                (
                    int(row),
                    f"{table.where(int(row), id_column)} column {col!r}: "
                    f"{_cell(text.iloc[int(row)])} is not a number",
                )
            )
        table.frame[col] = values
    bad.sort(key=lambda item: item[0])
    return [msg for _, msg in bad]


def parse_booleans(
    table: Table, column: str, *, default: bool, id_column: str = ""
) -> tuple[np.ndarray, list[str]]:
    """Parse a true/false text column; empty cells take ``default``.

    Returns
    -------
    tuple of (numpy.ndarray of bool, list of str)
        The values and one line per cell that is not a boolean.

    Examples
    --------
    >>> t = Table("f.csv", pd.DataFrame({"d": ["true", "0", "", "maybe"]}, dtype=str),
    ...           np.array([2, 3, 4, 5]))
    >>> values, bad = parse_booleans(t, "d", default=True)
    >>> values.tolist(), len(bad)
    ([True, False, True, False], 1)

    """
    text = table.frame[column].astype(str).str.strip().str.lower()
    is_true = text.isin(_TRUE).to_numpy()
    is_false = text.isin(_FALSE).to_numpy()
    empty = (text == "").to_numpy()
    values = np.where(empty, default, is_true)
    bad = [
        f"{table.where(int(row), id_column)} column {column!r}: "
        f"{_cell(table.frame[column].iloc[int(row)])} is not true or false"
        for row in np.flatnonzero(~(is_true | is_false | empty))
    ]
    return values, bad
