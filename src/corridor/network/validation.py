"""Validation of a network: every problem, found in one vectorised pass.

:func:`validate` checks, with whole-column operations:

Errors
    - a network without places;
    - empty or repeated place ids and link ids;
    - link ends (``from_id``, ``to_id``) that name no place (dangling links);
    - self-loops (``from_id == to_id``);
    - modes not in the network's mode registry (:attr:`Network.modes`), place kinds not in
      :data:`~corridor.network.model.PLACE_KINDS`, statuses not in
      :data:`~corridor.network.model.STATUSES`;
    - coordinates out of range (``lon`` outside [-180, 180], ``lat`` outside [-90, 90],
      infinite);
    - in every numeric figure column of places, links and parameter tables: infinite
      values, and negative values (except in signed columns such as ``grade``);
    - NaN in the figures a link cannot do without: ``length_km`` and TNTP's
      ``free_flow_time``, when the column is present.

Warnings
--------
    - NaN coordinates (the place cannot be drawn or used for distances);
    - a country that is not an ISO 3166-1 alpha-3 code shape (three capitals);
    - a network in more than one weakly connected part (isolated places included).

NaN in any other figure is allowed: it means "not found", and the code falls back to a
default as ``docs/data-model.md`` describes.

These are the checks of the network's own structure. :func:`corridor.validate` (in
:mod:`corridor.graph.check`) adds the checks of the parameter tables that routing, the
simulation and the assignment need.

A table with repeated column names or without a standard column (possible only for a
network built by hand, not through :meth:`Network.from_frames`) is reported as such, and
the other checks are not run on it.

:func:`validate` reports one :class:`~corridor.errors.Problem` per cell, for programs;
:func:`group_problems` folds repeated ones into one line each for people ("24 places
without coordinates: 1, 2, 3, ... and 14 more").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from corridor.errors import InputError, NetworkValidationError, Problem
from corridor.network.model import (
    LINK_COLUMNS,
    MODES,
    PLACE_COLUMNS,
    PLACE_KINDS,
    STATUSES,
    Network,
    figure_columns,
)

__all__ = ["group_problems", "validate"]

#: Figure columns that may be negative.
SIGNED_COLUMNS = frozenset({"grade", "z_coord", "dir_flag", "elevation", "elevation_m"})

#: Link figures that may not be NaN when the column is present.
REQUIRED_LINK_FIGURES = ("length_km", "free_flow_time")

#: How many places of the smaller parts a disconnection warning names.
_NAMED_PLACES = 10


def _q(value: object, limit: int = 40) -> str:
    """Quote a value for a message, cut to ``limit`` characters."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _problems(
    severity: str, table: str, ids: Iterable[object], column: str, messages: Iterable[str]
) -> list[Problem]:
    return [Problem(severity, table, str(i), column, m) for i, m in zip(ids, messages, strict=True)]


def _same(
    severity: str, table: str, ids: Sequence[object], column: str, message: str
) -> list[Problem]:
    return [Problem(severity, table, str(i), column, message) for i in ids]


def _check_ids(frame: pd.DataFrame, table: str, id_column: str) -> list[Problem]:
    ids = frame[id_column].astype(str)
    out = _same("error", table, ids[ids.str.strip() == ""].tolist(), id_column, "empty id")
    dup = ids[ids.duplicated(keep="first") & (ids.str.strip() != "")]
    counts = ids.value_counts()
    out += _problems(
        "error",
        table,
        dup.tolist(),
        id_column,
        (f"id used by {counts[i]} rows; ids must be unique" for i in dup),
    )
    return out


def _check_allowed(
    frame: pd.DataFrame, table: str, id_column: str, column: str, allowed: Sequence[str]
) -> list[Problem]:
    values = frame[column].astype(str)
    bad = ~values.isin(allowed)
    listing = ", ".join(allowed)
    return _problems(
        "error",
        table,
        frame.loc[bad, id_column].tolist(),
        column,
        (f"unknown {column} {_q(v)}; allowed: {listing}" for v in values[bad]),
    )


def _check_figures(
    frame: pd.DataFrame, table: str, id_column: str, required: Sequence[str] = ()
) -> list[Problem]:
    out: list[Problem] = []
    ids = (
        frame[id_column].astype(str)
        if id_column in frame.columns
        else pd.Series([f"row {i + 1}" for i in range(len(frame))], dtype=str)
    ).to_numpy()
    for col in figure_columns(frame):
        values = frame[col].to_numpy(dtype=float, na_value=np.nan)
        inf = np.isinf(values)
        out += _problems(
            "error", table, ids[inf], col, (f"{v} is infinite (or too large)" for v in values[inf])
        )
        if col not in SIGNED_COLUMNS:
            neg = (values < 0) & ~inf
            out += _problems(
                "error", table, ids[neg], col, (f"{v} is negative" for v in values[neg])
            )
        if col in required:
            out += _same("error", table, ids[np.isnan(values)].tolist(), col, "missing (NaN)")
    for col in required:
        if col in frame.columns and col not in figure_columns(frame):
            out.append(Problem("error", table, "", col, "column is not numeric"))
    return out


def _check_coordinates(places: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    ids = places["place_id"].astype(str).to_numpy()
    for col, limit in (("lon", 180.0), ("lat", 90.0)):
        values = places[col].to_numpy(dtype=float, na_value=np.nan)
        bad = np.abs(values) > limit
        out += _problems(
            "error",
            table="places",
            ids=ids[bad],
            column=col,
            messages=(f"{v} is outside [-{limit:g}, {limit:g}]" for v in values[bad]),
        )
        out += _same("warning", "places", ids[np.isnan(values)].tolist(), col, "missing (NaN)")
    return out


def _link_ends(network: Network) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """Return the unique place ids and each link's end positions in them (-1: unknown)."""
    index = pd.Index(network.places["place_id"].astype(str)).drop_duplicates()
    src = index.get_indexer(pd.Index(network.links["from_id"].astype(str)))
    dst = index.get_indexer(pd.Index(network.links["to_id"].astype(str)))
    return index, np.asarray(src), np.asarray(dst)


def _check_links(network: Network, src: np.ndarray, dst: np.ndarray) -> list[Problem]:
    links = network.links
    ids = links["link_id"].astype(str).to_numpy()
    out: list[Problem] = []
    for col, pos in (("from_id", src), ("to_id", dst)):
        bad = pos < 0
        out += _problems(
            "error",
            "links",
            ids[bad],
            col,
            (f"unknown place {_q(v)} (dangling link)" for v in links[col].to_numpy()[bad]),
        )
    loop = (links["from_id"].astype(str) == links["to_id"].astype(str)).to_numpy()
    out += _problems(
        "error",
        "links",
        ids[loop],
        "to_id",
        (f"self-loop: starts and ends at {_q(v)}" for v in links["from_id"].to_numpy()[loop]),
    )
    return out


def _check_parts(index: pd.Index, src: np.ndarray, dst: np.ndarray) -> list[Problem]:
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    n = len(index)
    if n < 2:
        return []
    ok = (src >= 0) & (dst >= 0)
    # duplicate (parallel) entries are summed by COO->CSR; harmless for connectivity
    graph = coo_array(
        (np.ones(int(ok.sum()), dtype=np.int32), (src[ok], dst[ok])), shape=(n, n)
    ).tocsr()
    n_parts, labels = connected_components(graph, directed=True, connection="weak")
    if n_parts <= 1:
        return []
    sizes = np.bincount(labels)
    main = int(np.argmax(sizes))
    others = np.flatnonzero(labels != main)
    named = ", ".join(repr(index[i]) for i in others[:_NAMED_PLACES])
    more = f" and {len(others) - _NAMED_PLACES} more" if len(others) > _NAMED_PLACES else ""
    return [
        Problem(
            "warning",
            "links",
            "",
            "",
            f"network has {n_parts} disconnected parts (largest {sizes[main]} places); "
            f"not in the largest: {named}{more}",
        )
    ]


def _check_shape(network: Network) -> list[Problem]:
    """Problems that stop validation: not tables, repeated or missing standard columns."""
    out: list[Problem] = []
    tables = [("places", network.places, PLACE_COLUMNS), ("links", network.links, LINK_COLUMNS)]
    tables += [(str(k), v, ()) for k, v in network.parameters.items()]
    for name, frame, required in tables:
        if not isinstance(frame, pd.DataFrame):
            out.append(Problem("error", name, "", "", f"not a table ({type(frame).__name__})"))
            continue
        columns = [str(c) for c in frame.columns]
        for col in sorted(c for c, n in Counter(columns).items() if n > 1):
            out.append(Problem("error", name, "", col, "column appears more than once"))
        for col in required:
            if col not in columns:
                out.append(Problem("error", name, "", col, "required column is missing"))
    return out


def validate(network: Network, *, source: str = "") -> tuple[Problem, ...]:
    """Check a network and report every problem at once.

    Parameters
    ----------
    network : Network
        The network to check.
    source : str, optional
        Where it came from (a path), used in the error message.

    Returns
    -------
    tuple of Problem
        The warnings (an empty tuple for a clean network).

    Raises
    ------
    NetworkValidationError
        If there is at least one error; its ``problems`` lists every error, then every
        warning.

    Examples
    --------
    >>> from corridor.testing import tiny_network
    >>> validate(tiny_network())
    ()
    >>> net = tiny_network()
    >>> links = net.links.copy()
    >>> links.loc[0, "to_id"] = "Z"
    >>> links.loc[1, "length_km"] = -5.0
    >>> try:
    ...     validate(net.replace(links=links))
    ... except NetworkValidationError as err:
    ...     for p in err.problems:
    ...         print(p)
    error: links 'AB' [to_id]: unknown place 'Z' (dangling link)
    error: links 'BC' [length_km]: -5.0 is negative

    """
    if not isinstance(network, Network):
        raise InputError(
            f"network: expected a Network, got {type(network).__name__}", argument="network"
        )
    shape = _check_shape(network)
    if shape:
        raise NetworkValidationError(shape, source=source)
    places, links = network.places, network.links
    problems: list[Problem] = []
    if network.n_places == 0:
        problems.append(Problem("error", "places", "", "", "network has no places"))
    problems += _check_ids(places, "places", "place_id")
    problems += _check_allowed(places, "places", "place_id", "kind", PLACE_KINDS)
    problems += _check_allowed(places, "places", "place_id", "status", STATUSES)
    problems += _check_coordinates(places)
    country = places["country"].astype(str)
    odd = (country != "") & ~country.str.fullmatch(r"[A-Z]{3}")
    problems += _problems(
        "warning",
        "places",
        places.loc[odd, "place_id"].tolist(),
        "country",
        (f"{_q(c)} is not an ISO 3166-1 alpha-3 code" for c in country[odd]),
    )
    problems += _check_figures(places, "places", "place_id")
    index, src, dst = _link_ends(network)
    problems += _check_ids(links, "links", "link_id")
    problems += _check_links(network, src, dst)
    try:
        mode_names: tuple[str, ...] = network.modes.names
    except NetworkValidationError as err:
        problems += list(err.problems)
        mode_names = MODES
    problems += _check_allowed(links, "links", "link_id", "mode", mode_names)
    problems += _check_allowed(links, "links", "link_id", "status", STATUSES)
    problems += _check_figures(links, "links", "link_id", REQUIRED_LINK_FIGURES)
    for name, table in network.parameters.items():
        problems += _check_figures(table, name, "")
    problems += _check_parts(index, src, dst)
    errors = [p for p in problems if p.severity == "error"]
    warnings = tuple(p for p in problems if p.severity != "error")
    if errors:
        raise NetworkValidationError([*errors, *warnings], source=source)
    return warnings


# --------------------------------------------------------------------------- grouping
#: How many ids a grouped problem names before "and N more".
GROUP_IDS = 10


def _phrase(p: Problem) -> tuple[tuple[str, ...], str, str]:
    """Return (group key, column, what the rows have in common) for a problem."""
    msg, col = p.message, p.column
    base = (p.severity, p.table)
    if p.table == "places" and col in ("lon", "lat") and msg == "missing (NaN)":
        return (*base, "coordinates"), "lon, lat", "without coordinates"
    simple = {
        "missing (NaN)": f"with no {col} (NaN)",
        "empty id": "with an empty id",
    }
    if msg in simple:
        return (*base, col, msg), col, simple[msg]
    endings = (
        (" is negative", f"with a negative {col}"),
        (" is infinite (or too large)", f"with an infinite {col}"),
        (" is not an ISO 3166-1 alpha-3 code", "whose country is not an ISO 3166-1 alpha-3 code"),
        (" (dangling link)", f"whose {col} is an unknown place (dangling links)"),
        ("; ids must be unique", "with repeated ids"),
    )
    for ending, phrase in endings:
        if msg.endswith(ending):
            return (*base, col, ending), col, phrase
    if msg.startswith("self-loop"):
        return (*base, col, "self-loop"), col, "that are self-loops"
    if " is outside [" in msg:
        rest = msg[msg.index(" is outside [") + 4 :]
        return (*base, col, rest), col, f"with {col} {rest}"
    return (*base, col, msg), col, ""


def _show_id(row_id: str) -> str:
    plain = row_id and all(c.isalnum() or c in "_-.:" for c in row_id)
    return row_id if plain else repr(row_id)


def group_problems(
    problems: Sequence[Problem], *, min_group: int = 3, max_ids: int = GROUP_IDS
) -> tuple[Problem, ...]:
    """Fold repeated problems into one line each, for people to read.

    Problems of the same kind (same severity, table, column and message apart from the
    offending value) about ``min_group`` rows or more become one :class:`Problem` with an
    empty ``row_id`` and a message counting the rows and naming the first ``max_ids``;
    a place without either coordinate is counted once. Other problems are kept as they
    are. Order is kept: each group stands where its first member stood.

    Parameters
    ----------
    problems : sequence of Problem
        As :func:`validate` returns them or :class:`NetworkValidationError` holds them.
    min_group : int, default 3
        Fewest rows that make a group.
    max_ids : int, default GROUP_IDS
        How many row ids a group names.

    Returns
    -------
    tuple of Problem

    Examples
    --------
    >>> ps = [Problem("warning", "places", str(i), c, "missing (NaN)")
    ...       for i in range(1, 25) for c in ("lon", "lat")]
    >>> [str(p) for p in group_problems(ps, max_ids=3)]
    ['warning: places [lon, lat]: 24 places without coordinates: 1, 2, 3, ... and 21 more']

    """
    cache: dict[tuple[str, str, str, str], tuple[tuple[str, ...], str, str]] = {}
    keyed = []
    for p in problems:
        kind = (p.severity, p.table, p.column, p.message)
        if kind not in cache:
            cache[kind] = _phrase(p)
        keyed.append((cache[kind], p))
    members: dict[tuple[str, ...], list[str]] = {}
    for (key, _, _), p in keyed:
        if p.row_id:
            ids = members.setdefault(key, [])
            if not ids or ids[-1] != p.row_id:
                ids.append(p.row_id)
    unique = {key: list(dict.fromkeys(ids)) for key, ids in members.items()}
    out: list[Problem] = []
    done: set[tuple[str, ...]] = set()
    for (key, column, phrase), p in keyed:
        ids = unique.get(key, [])
        if not p.row_id or len(ids) < min_group:
            out.append(p)
            continue
        if key in done:
            continue
        done.add(key)
        named = ", ".join(_show_id(i) for i in ids[:max_ids])
        more = f", ... and {len(ids) - max_ids} more" if len(ids) > max_ids else ""
        if phrase:
            message = f"{len(ids)} {p.table} {phrase}: {named}{more}"
        else:
            message = f"{p.message} ({len(ids)} {p.table}: {named}{more})"
        out.append(Problem(p.severity, p.table, "", column, message))
    return tuple(out)
