"""Read the TNTP formats (Transportation Networks for Research): network, trips and flows.

The TNTP network file starts with metadata tags (``<NUMBER OF ZONES> 24``) closed by
``<END OF METADATA>``, then one link per line: tab- or space-separated columns, ``~``
starting a comment (the comment line just above the links usually names the columns),
``;`` ending the line. Nodes are numbered ``1..n``; nodes ``1..zones`` are zones; a path may
not pass through a zone numbered below ``<FIRST THRU NODE>``.

The trips file has the same metadata block and ``Origin o`` blocks of ``d : trips;``
pairs. The flow file (best-known solutions) is a table ``From To Volume Cost``.

Reference: https://github.com/bstabler/TransportationNetworks (format described in its
README).
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from corridor.demand.matrix import MAX_ZONES, Demand, check_max_zones
from corridor.errors import FormatError, InputError
from corridor.network.model import LINK_COLUMNS, Network

__all__ = ["read_tntp_flows", "read_tntp_network", "read_tntp_trips"]

#: Link columns of a TNTP network file when the file does not name them.
TNTP_LINK_COLUMNS: tuple[str, ...] = (
    "init_node",
    "term_node",
    "capacity",
    "length",
    "free_flow_time",
    "b",
    "power",
    "speed",
    "toll",
    "link_type",
)

#: How many problems a message lists before saying "and N more".
MAX_LISTED = 20

_INT_COLUMNS = ("link_type", "lanes")
# Linear: anchored, one bounded class then the rest of the line; no nested repetition.
_TAG = re.compile(r"\s*<([^<>]{1,200})>(.*)")
#: A count in a header tag: plain digits (commas allowed), at most 15 of them.
_COUNT = re.compile(r"[0-9]{1,15}(?:\.0*)?")


def _read_lines(path: str | os.PathLike[str]) -> list[str]:
    """Return the lines of a text file (bad UTF-8 bytes replaced); FormatError if unreadable."""
    if not isinstance(path, str | os.PathLike):
        raise InputError(
            f"path: expected a file path (str or os.PathLike), got {type(path).__name__}",
            argument="path",
        )
    src = str(path)
    p = Path(path)
    if p.is_dir():
        raise FormatError(src, "is a folder; give a TNTP file (*.tntp)")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise FormatError(src, f"cannot read file: {err.strerror or err}") from err
    if b"\x00" in data[:4096]:
        raise FormatError(src, "not a text file (it holds NUL bytes)")
    return data.decode("utf-8-sig", errors="replace").splitlines()


def _metadata(lines: list[str], src: str) -> tuple[dict[str, str], int]:
    """Parse the metadata block; return tags (upper case) and the index after it."""
    tags: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _TAG.match(line)
        if m is None:
            if line.strip() and not line.lstrip().startswith("~"):
                raise FormatError(
                    src, f"line {i + 1}: expected a metadata tag or <END OF METADATA>"
                )
            continue
        name = m.group(1).strip().upper()
        if name == "END OF METADATA":
            return tags, i + 1
        tags[name] = m.group(2).strip()
    if not lines or not any(line.strip() for line in lines):
        raise FormatError(src, "empty file")
    raise FormatError(src, "missing <END OF METADATA>")


def _int_tag(tags: dict[str, str], name: str, src: str) -> int:
    raw = tags.get(name)
    if raw is None:
        raise FormatError(src, f"missing metadata tag <{name}>")
    text = raw.replace(",", "").strip()
    if _COUNT.fullmatch(text):
        return int(text.partition(".")[0])
    try:
        value = float(text) if len(text) <= 40 else math.nan
    except ValueError:
        value = math.nan
    if math.isnan(value):
        raise FormatError(src, f"<{name}> {raw[:40]!r} is not a number")
    if value.is_integer() and 0 <= value < 1e15:
        return int(value)
    raise FormatError(src, f"<{name}> {raw[:40]!r} is not a non-negative integer below 10**15")


def _strip(line: str) -> str:
    """Drop a ``~`` comment and a trailing ``;``."""
    cut = line.find("~")
    if cut >= 0:
        line = line[:cut]
    return line.replace(";", " ").strip()


def _field(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def read_tntp_network(path: str | os.PathLike[str]) -> Network:
    r"""Read a TNTP network file (``*_net.tntp``).

    Parameters
    ----------
    path : path-like
        The network file.

    Returns
    -------
    Network
        Places ``"1".."n"`` (kind ``"zone"`` up to the number of zones, else
        ``"junction"``; lon/lat NaN); links with ``link_id`` ``"1".."m"`` in file order,
        ``from_id``/``to_id`` node numbers as text, mode ``"road"``, and the TNTP columns
        (``capacity``, ``length``, ``free_flow_time``, ``b``, ``power``, ``speed``,
        ``toll``, ``link_type`` ...; named by the file's ``~`` header line when it has one).
        ``metadata`` holds ``zones``, ``nodes``, ``first_thru_node``, ``links``,
        ``source`` and every tag under ``"tntp"``.

    Raises
    ------
    FormatError
        On a missing file or metadata, a count in the header that the file contradicts,
        a non-numeric field or a link to a node outside ``1..nodes`` (naming the line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n"
    ...         "<NUMBER OF LINKS> 2\n<END OF METADATA>\n"
    ...         "~ init_node term_node capacity length free_flow_time b power speed toll "
    ...         "link_type ;\n"
    ...         "1 3 100 1 2.5 0.15 4 0 0 1 ;\n3 2 100 1 2.5 0.15 4 0 0 1 ;\n")
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny_net.tntp"
    >>> _ = p.write_text(text)
    >>> net = read_tntp_network(p)
    >>> net.n_places, net.n_links, net.metadata["first_thru_node"]
    (3, 2, 1)
    >>> net.links.loc[1, "to_id"], float(net.links.loc[1, "free_flow_time"])
    ('2', 2.5)

    """
    lines = _read_lines(path)
    src = str(path)
    tags, start = _metadata(lines, src)
    n_zones = _int_tag(tags, "NUMBER OF ZONES", src)
    n_nodes = _int_tag(tags, "NUMBER OF NODES", src)
    ftn = _int_tag(tags, "FIRST THRU NODE", src)
    n_links = _int_tag(tags, "NUMBER OF LINKS", src)
    if n_zones > n_nodes:
        raise FormatError(src, f"<NUMBER OF ZONES> {n_zones} exceeds <NUMBER OF NODES> {n_nodes}")
    if ftn > n_nodes + 1:
        raise FormatError(
            src, f"<FIRST THRU NODE> {ftn} is beyond the last node {n_nodes} (+1 for none)"
        )

    columns: list[str] = list(TNTP_LINK_COLUMNS)
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for i in range(start, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("~"):
            names = stripped[1:].replace(";", " ").split()
            if not rows and len(names) >= 2 and names[0].lower() == "init_node":
                columns = [n.lower() for n in names]
                _check_header(columns, src, i + 1)
            continue
        body = _strip(line)
        if not body:
            continue
        rows.append(body.split())
        row_lines.append(i + 1)

    problems: list[str] = []
    if len(rows) != n_links:
        problems.append(f"<NUMBER OF LINKS> says {n_links} but the file has {len(rows)} link lines")
    width = len(columns)
    for fields, lineno in zip(rows, row_lines, strict=True):
        if len(fields) != width:
            problems.append(f"line {lineno}: {len(fields)} fields, expected {width} ({columns})")
    if problems:
        _raise_listed(src, problems, len(problems))
    try:
        values = np.array(rows, dtype=np.float64).reshape(len(rows), width)
    except (ValueError, OverflowError):
        values = _parse_floats(rows, row_lines, columns, src)
    bad = ~np.isfinite(values)
    for r, c in np.argwhere(bad)[: MAX_LISTED + 1]:
        problems.append(f"line {row_lines[r]}: {columns[c]} is not finite")
    ends = values[:, :2]
    bad_end = np.isfinite(ends) & ((ends < 1) | (ends > n_nodes) | (ends != np.round(ends)))
    for r, c in np.argwhere(bad_end)[: MAX_LISTED + 1]:
        problems.append(
            f"line {row_lines[r]}: {columns[c]} {values[r, c]:g} is not a node in 1..{n_nodes}"
        )
    if problems:
        n_bad = len(problems) + max(0, int(bad.sum()) - MAX_LISTED - 1)
        n_bad += max(0, int(bad_end.sum()) - MAX_LISTED - 1)
        problems.sort(key=_line_of)
        _raise_listed(src, problems, n_bad)
    touched = int(np.unique(ends).size)
    if n_nodes - touched > len(lines):
        raise FormatError(
            src,
            f"<NUMBER OF NODES> says {n_nodes} but the links touch {touched} nodes: the other "
            f"{n_nodes - touched} would touch no link, more than the file has lines "
            f"({len(lines)}); is the tag right?",
        )

    links = pd.DataFrame(
        {
            "link_id": [str(k + 1) for k in range(n_links)],
            "from_id": ends[:, 0].astype(np.int64).astype(str),
            "to_id": ends[:, 1].astype(np.int64).astype(str),
            "mode": "road",
        }
    )
    for j, name in enumerate(columns[2:], start=2):
        col = values[:, j]
        if name in _INT_COLUMNS and np.all(np.abs(col) < 2**62) and np.all(col == np.round(col)):
            links[name] = col.astype(np.int64)
        else:
            links[name] = col
    ids = [str(k + 1) for k in range(n_nodes)]
    places = pd.DataFrame(
        {
            "place_id": ids,
            "name": ids,
            "kind": ["zone" if k < n_zones else "junction" for k in range(n_nodes)],
            "lon": np.nan,
            "lat": np.nan,
        }
    )
    metadata: dict[str, Any] = {
        "source": src,
        "format": "tntp",
        "zones": n_zones,
        "nodes": n_nodes,
        "first_thru_node": ftn,
        "links": n_links,
        "tntp": dict(tags),
    }
    return Network.from_frames(places, links, metadata=metadata)


def _raise_listed(src: str, problems: list[str], total: int) -> NoReturn:
    """Raise a FormatError listing the first problems and counting all ``total``."""
    shown = problems[:MAX_LISTED]
    if total == 1:
        raise FormatError(src, shown[0])
    lines = [f"{total} problems", *(f"  {p}" for p in shown)]
    if total > len(shown):
        lines.append(f"  ... and {total - len(shown)} more")
    raise FormatError(src, "\n".join(lines))


def _check_header(columns: list[str], src: str, lineno: int) -> None:
    """Refuse a ``~`` column header whose names repeat or clash with corridor's columns."""
    problems = []
    if columns[1] != "term_node":
        problems.append(f"the second column is {columns[1]!r}, expected 'term_node'")
    repeated = sorted(c for c, n in Counter(columns).items() if n > 1)
    if repeated:
        problems.append(f"repeated column name(s) {', '.join(map(repr, repeated))}")
    reserved = sorted(set(columns[2:]) & set(LINK_COLUMNS))
    if reserved:
        problems.append(
            f"column name(s) {', '.join(map(repr, reserved))} are corridor's own link columns "
            f"({', '.join(LINK_COLUMNS)}); rename them"
        )
    if problems:
        raise FormatError(src, f"line {lineno}: bad column header: " + "; ".join(problems))


def _parse_floats(
    rows: list[list[str]], row_lines: list[int], columns: list[str], src: str
) -> np.ndarray:
    """Parse the fields one by one; raise a FormatError listing every non-number."""
    out = np.empty((len(rows), len(columns)))
    bad: list[str] = []
    for r, (fields, lineno) in enumerate(zip(rows, row_lines, strict=True)):
        for c, (name, field) in enumerate(zip(columns, fields, strict=True)):
            try:
                out[r, c] = float(field)
            except (ValueError, OverflowError):
                bad.append(f"line {lineno}: {name} {_field(field)} is not a number")
    if bad:
        _raise_listed(src, bad, len(bad))
    return out


def _node_numbers(texts: list[str]) -> np.ndarray | None:
    """Parse plain ASCII decimal numbers (<= 15 digits) fast; None if one is not."""
    if not all(t.isascii() and t.isdigit() and len(t) <= 15 for t in texts):
        return None
    return np.array(texts, dtype=np.str_).astype(np.int64) if texts else np.zeros(0, np.int64)


def read_tntp_trips(
    path: str | os.PathLike[str],
    *,
    rel_tol: float = 1e-6,
    abs_tol: float = 0.01,
    max_zones: int = MAX_ZONES,
) -> Demand:
    r"""Read a TNTP trips file (``*_trips.tntp``) as a :class:`Demand` over zones ``"1".."z"``.

    Parameters
    ----------
    path : path-like
        The trips file.
    rel_tol, abs_tol : float
        Tolerance of the check of ``<TOTAL OD FLOW>`` against the sum of the trips: the
        file is rejected when they differ by more than ``max(abs_tol, rel_tol * total)``.
    max_zones : int, default :data:`corridor.demand.matrix.MAX_ZONES`
        Most zones accepted: the demand is a dense ``zones x zones`` matrix of float64
        (10,000 zones take 800 MB).

    Returns
    -------
    Demand

    Raises
    ------
    FormatError
        On missing metadata, more zones than ``max_zones`` (or far more than the file
        mentions), a zone outside ``1..zones``, a pair before any ``Origin``, a
        non-numeric or negative value, or a total that does not match. Every bad line
        is listed (the first 20 and a count).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = ("<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 7.5\n<END OF METADATA>\n\n"
    ...         "Origin 1\n  1 : 0.0;  2 : 5.0;\nOrigin 2\n  1 : 2.5;\n")
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny_trips.tntp"
    >>> _ = p.write_text(text)
    >>> read_tntp_trips(p).matrix.tolist()
    [[0.0, 5.0], [2.5, 0.0]]

    """
    lines = _read_lines(path)
    src = str(path)
    tags, start = _metadata(lines, src)
    n_zones = _int_tag(tags, "NUMBER OF ZONES", src)
    check_max_zones(n_zones, max_zones, src)
    origins: list[int] = []
    dests: list[str] = []
    values: list[str] = []
    pair_lines: list[int] = []
    problems: list[str] = []
    origin = -1
    top = 0
    for i in range(start, len(lines)):
        body = _strip(lines[i])
        if not body:
            continue
        if body[:6].lower() == "origin":
            parts = body.split()
            if len(parts) != 2 or not (
                parts[1].isascii() and parts[1].isdigit() and len(parts[1]) <= 15
            ):
                problems.append(f"line {i + 1}: expected 'Origin <zone>'")
                origin = 0
                continue
            origin = int(parts[1])
            top = max(top, origin)
            if not 1 <= origin <= n_zones:
                problems.append(f"line {i + 1}: origin {origin} is not a zone 1..{n_zones}")
                origin = 0
            continue
        # Linear tokenising (no regular expression): "d : v" triples, ';' already dropped.
        tokens = body.replace(":", " : ").split()
        if len(tokens) % 3 or any(t != ":" for t in tokens[1::3]):
            problems.append(f"line {i + 1}: expected 'destination : trips;' pairs")
            continue
        if origin < 0:
            problems.append(f"line {i + 1}: trips before any 'Origin' line")
            origin = 0
            continue
        if origin == 0:
            continue  # the Origin line was bad: reported once
        k = len(tokens) // 3
        origins.extend([origin] * k)
        dests.extend(tokens[0::3])
        values.extend(tokens[2::3])
        pair_lines.extend([i + 1] * k)
    dest = _node_numbers(dests)
    if dest is None:
        dest = np.zeros(len(dests), dtype=np.int64)
        for j, text in enumerate(dests):
            if text.isascii() and text.isdigit() and len(text) <= 15:
                dest[j] = int(text)
            else:
                problems.append(f"line {pair_lines[j]}: destination {_field(text)} is not a zone")
    numeric = np.ones(len(values), dtype=bool)
    try:
        trips = np.array(values, dtype=np.float64) if values else np.zeros(0)
    except (ValueError, OverflowError):
        trips = np.zeros(len(values))
        for j, text in enumerate(values):
            try:
                trips[j] = float(text)
            except (ValueError, OverflowError):
                trips[j], numeric[j] = np.nan, False
    bad_dest = np.flatnonzero((dest < 1) | (dest > n_zones))
    for j in bad_dest[: MAX_LISTED + 1]:
        problems.append(f"line {pair_lines[j]}: destination {dest[j]} is not a zone 1..{n_zones}")
    bad_trips = np.flatnonzero(~(np.isfinite(trips) & (trips >= 0)))
    for j in bad_trips[: MAX_LISTED + 1]:
        what = "must be finite and >= 0" if numeric[j] else "is not numeric"
        problems.append(f"line {pair_lines[j]}: trips {_field(values[j])} {what}")
    n_bad = len(problems) + max(0, len(bad_dest) - MAX_LISTED - 1)
    n_bad += max(0, len(bad_trips) - MAX_LISTED - 1)
    if problems:
        problems.sort(key=_line_of)
        _raise_listed(src, problems, n_bad)
    if dest.size:
        top = max(top, int(dest.max()))
    if n_zones - top > len(lines):
        raise FormatError(
            src,
            f"<NUMBER OF ZONES> says {n_zones} but the file mentions zones up to {top}: the "
            f"other {n_zones - top} would have no trips, more than the file has lines "
            f"({len(lines)}); is the tag right?",
        )
    flat = (np.asarray(origins, dtype=np.int64) - 1) * n_zones + (dest - 1)
    cells = np.bincount(flat, weights=trips, minlength=n_zones * n_zones)
    mat = cells.astype(np.float64, copy=False).reshape(n_zones, n_zones)
    total_raw = tags.get("TOTAL OD FLOW")
    if total_raw is not None:
        try:
            stated = float(total_raw.replace(",", "")) if len(total_raw) <= 40 else math.nan
        except ValueError:
            stated = math.nan
        if not math.isfinite(stated):
            raise FormatError(src, f"<TOTAL OD FLOW> {total_raw[:40]!r} is not a finite number")
        got = float(mat.sum())
        if abs(got - stated) > max(abs_tol, rel_tol * abs(stated)):
            raise FormatError(src, f"<TOTAL OD FLOW> says {stated} but the trips sum to {got}")
    return Demand.from_matrix([str(k + 1) for k in range(n_zones)], mat)


def _line_of(problem: str) -> int:
    head = problem[5:].partition(":")[0] if problem.startswith("line ") else ""
    return int(head) if head.isdigit() else 0


def read_tntp_flows(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read a TNTP flow file (``*_flow.tntp``, best-known link flows).

    Parameters
    ----------
    path : path-like
        The flow file, a table ``From To Volume Cost``.

    Returns
    -------
    pandas.DataFrame
        Columns ``from_id``, ``to_id`` (text node numbers), ``volume``, ``cost`` in file
        order.

    Raises
    ------
    FormatError
        On a missing file or header, or rows that are not four numbers (node numbers,
        then finite volume and cost); every bad row is listed (the first 20 and a count).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny_flow.tntp"
    >>> _ = p.write_text("From \tTo \tVolume \tCost \n1 \t2 \t10.5 \t3.0 \n")
    >>> read_tntp_flows(p).to_dict("records")
    [{'from_id': '1', 'to_id': '2', 'volume': 10.5, 'cost': 3.0}]

    """
    lines = _read_lines(path)
    src = str(path)
    if not lines or not lines[0].strip().lower().startswith("from"):
        raise FormatError(src, "line 1: expected the header 'From To Volume Cost'")
    rows: list[tuple[str, str, float, float]] = []
    problems: list[str] = []
    for i, line in enumerate(lines[1:], start=2):
        body = _strip(line)
        if not body:
            continue
        parts = body.split()
        if len(parts) != 4:
            problems.append(f"line {i}: {len(parts)} fields, expected 4 (from to volume cost)")
            continue
        a, b = parts[0], parts[1]
        if not all(t.isascii() and t.isdigit() and len(t) <= 15 for t in (a, b)):
            problems.append(f"line {i}: from/to {_field(a)} {_field(b)} are not node numbers")
            continue
        try:
            volume, cost = float(parts[2]), float(parts[3])
        except (ValueError, OverflowError):
            problems.append(f"line {i}: volume/cost {_field(body, 60)} are not numbers")
            continue
        if not (math.isfinite(volume) and math.isfinite(cost)):
            problems.append(f"line {i}: volume and cost must be finite")
            continue
        rows.append((str(int(a)), str(int(b)), volume, cost))
    if problems:
        _raise_listed(src, problems, len(problems))
    return pd.DataFrame(rows, columns=["from_id", "to_id", "volume", "cost"])
