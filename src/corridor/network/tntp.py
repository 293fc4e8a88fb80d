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

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.demand.matrix import Demand
from corridor.errors import FormatError
from corridor.network.model import Network

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

_INT_COLUMNS = ("link_type", "lanes")
_TAG = re.compile(r"^\s*<([^>]+)>(.*)$")


def _read_lines(path: str | os.PathLike[str]) -> list[str]:
    src = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError as err:
        raise FormatError(src, f"cannot read file: {err}") from err


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
    if not lines:
        raise FormatError(src, "empty file")
    raise FormatError(src, "missing <END OF METADATA>")


def _int_tag(tags: dict[str, str], name: str, src: str, *, required: bool = True) -> int | None:
    raw = tags.get(name)
    if raw is None:
        if required:
            raise FormatError(src, f"missing metadata tag <{name}>")
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError as err:
        raise FormatError(src, f"<{name}> {raw!r} is not a number") from err
    if value != int(value) or value < 0:
        raise FormatError(src, f"<{name}> {raw!r} is not a non-negative integer")
    return int(value)


def _strip(line: str) -> str:
    """Drop a ``~`` comment and a trailing ``;``."""
    cut = line.find("~")
    if cut >= 0:
        line = line[:cut]
    return line.replace(";", " ").strip()


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
    src = str(path)
    lines = _read_lines(path)
    tags, start = _metadata(lines, src)
    n_zones = _int_tag(tags, "NUMBER OF ZONES", src)
    n_nodes = _int_tag(tags, "NUMBER OF NODES", src)
    ftn = _int_tag(tags, "FIRST THRU NODE", src)
    n_links = _int_tag(tags, "NUMBER OF LINKS", src)
    assert n_zones is not None
    assert n_nodes is not None
    assert ftn is not None
    assert n_links is not None
    if n_zones > n_nodes:
        raise FormatError(src, f"<NUMBER OF ZONES> {n_zones} exceeds <NUMBER OF NODES> {n_nodes}")

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
            continue
        body = _strip(line)
        if not body:
            continue
        rows.append(body.split())
        row_lines.append(i + 1)

    if len(rows) != n_links:
        raise FormatError(
            src, f"<NUMBER OF LINKS> says {n_links} but the file has {len(rows)} link lines"
        )
    width = len(columns)
    for fields, lineno in zip(rows, row_lines, strict=True):
        if len(fields) != width:
            raise FormatError(
                src, f"line {lineno}: {len(fields)} fields, expected {width} ({columns})"
            )
    try:
        values = np.array(rows, dtype=np.float64).reshape(len(rows), width)
    except ValueError:
        for fields, lineno in zip(rows, row_lines, strict=True):
            for name, field in zip(columns, fields, strict=True):
                try:
                    float(field)
                except ValueError as err:
                    raise FormatError(
                        src, f"line {lineno}: {name} {field!r} is not a number"
                    ) from err
        raise  # pragma: no cover - every bad row is caught above
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise FormatError(src, f"line {row_lines[r]}: {columns[c]} is not finite")
    ends = values[:, :2]
    bad_end = (ends < 1) | (ends > n_nodes) | (ends != np.round(ends))
    if bad_end.any():
        r, c = np.argwhere(bad_end)[0]
        raise FormatError(
            src,
            f"line {row_lines[r]}: {columns[c]} {values[r, c]:g} is not a node in 1..{n_nodes}",
        )
    used = np.unique(ends.astype(np.int64))
    if used.size and used[-1] > n_nodes:  # pragma: no cover - caught above
        raise FormatError(src, "link end beyond <NUMBER OF NODES>")

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
        if name in _INT_COLUMNS and np.all(col == np.round(col)):
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


_PAIR = re.compile(r"([^\s:;]+)\s*:\s*([^\s:;]+)")


def read_tntp_trips(
    path: str | os.PathLike[str], *, rel_tol: float = 1e-6, abs_tol: float = 0.01
) -> Demand:
    r"""Read a TNTP trips file (``*_trips.tntp``) as a :class:`Demand` over zones ``"1".."z"``.

    Parameters
    ----------
    path : path-like
        The trips file.
    rel_tol, abs_tol : float
        Tolerance of the check of ``<TOTAL OD FLOW>`` against the sum of the trips: the
        file is rejected when they differ by more than ``max(abs_tol, rel_tol * total)``.

    Returns
    -------
    Demand

    Raises
    ------
    FormatError
        On missing metadata, a zone outside ``1..zones``, a pair before any ``Origin``,
        a non-numeric or negative value, or a total that does not match.

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
    src = str(path)
    lines = _read_lines(path)
    tags, start = _metadata(lines, src)
    n_zones = _int_tag(tags, "NUMBER OF ZONES", src)
    assert n_zones is not None
    mat = np.zeros((n_zones, n_zones))
    origin = -1
    for i in range(start, len(lines)):
        body = _strip(lines[i])
        if not body:
            continue
        if body.lower().startswith("origin"):
            parts = body.split()
            if len(parts) != 2 or not parts[1].isdigit():
                raise FormatError(src, f"line {i + 1}: expected 'Origin <zone>'")
            origin = int(parts[1])
            if not 1 <= origin <= n_zones:
                raise FormatError(src, f"line {i + 1}: origin {origin} is not a zone 1..{n_zones}")
            continue
        pairs = _PAIR.findall(body)
        rest = _PAIR.sub(" ", body).strip()
        if rest or not pairs:
            raise FormatError(src, f"line {i + 1}: expected 'destination : trips;' pairs")
        if origin < 0:
            raise FormatError(src, f"line {i + 1}: trips before any 'Origin' line")
        for d_raw, v_raw in pairs:
            try:
                dest = int(d_raw)
                value = float(v_raw)
            except ValueError as err:
                raise FormatError(
                    src, f"line {i + 1}: pair {d_raw} : {v_raw} is not numeric"
                ) from err
            if not 1 <= dest <= n_zones:
                raise FormatError(
                    src, f"line {i + 1}: destination {dest} is not a zone 1..{n_zones}"
                )
            if not np.isfinite(value) or value < 0:
                raise FormatError(src, f"line {i + 1}: trips {v_raw} must be finite and >= 0")
            mat[origin - 1, dest - 1] += value
    total_raw = tags.get("TOTAL OD FLOW")
    if total_raw is not None:
        try:
            stated = float(total_raw.replace(",", ""))
        except ValueError as err:
            raise FormatError(src, f"<TOTAL OD FLOW> {total_raw!r} is not a number") from err
        got = float(mat.sum())
        if abs(got - stated) > max(abs_tol, rel_tol * abs(stated)):
            raise FormatError(src, f"<TOTAL OD FLOW> says {stated} but the trips sum to {got}")
    return Demand.from_matrix([str(k + 1) for k in range(n_zones)], mat)


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
        On a missing file or header, or a row that is not four numbers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "tiny_flow.tntp"
    >>> _ = p.write_text("From \tTo \tVolume \tCost \n1 \t2 \t10.5 \t3.0 \n")
    >>> read_tntp_flows(p).to_dict("records")
    [{'from_id': '1', 'to_id': '2', 'volume': 10.5, 'cost': 3.0}]

    """
    src = str(path)
    lines = _read_lines(path)
    if not lines or not lines[0].strip().lower().startswith("from"):
        raise FormatError(src, "line 1: expected the header 'From To Volume Cost'")
    rows: list[tuple[str, str, float, float]] = []
    for i, line in enumerate(lines[1:], start=2):
        body = _strip(line)
        if not body:
            continue
        parts = body.split()
        if len(parts) != 4:
            raise FormatError(
                src, f"line {i}: {len(parts)} fields, expected 4 (from to volume cost)"
            )
        try:
            a, b = int(parts[0]), int(parts[1])
            rows.append((str(a), str(b), float(parts[2]), float(parts[3])))
        except ValueError as err:
            raise FormatError(src, f"line {i}: {body!r} is not four numbers") from err
    return pd.DataFrame(rows, columns=["from_id", "to_id", "volume", "cost"])
