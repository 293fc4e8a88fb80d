"""GMNS network folders: :func:`read_gmns` and :func:`write_gmns`.

A GMNS (General Modeling Network Specification, Zephyr Foundation) network is a folder of
CSV files. corridor reads and writes:

``node.csv``
    ``node_id`` → ``place_id``, ``x_coord`` → ``lon``, ``y_coord`` → ``lat``; every other
    column is kept under its own name (``name``, ``country``, ``kind`` ...).
``link.csv``
    ``link_id``, ``from_node_id`` → ``from_id``, ``to_node_id`` → ``to_id``, ``length``
    (in the unit of ``config.csv``) → ``length_km``, ``length_source`` →
    ``length_km_source``. Our ``mode`` column is written as is and also as GMNS
    ``allowed_uses``; reading a third-party file without ``mode`` maps ``allowed_uses``
    to a corridor mode where the use is unambiguous (``auto``, ``truck`` → ``road``; ``ship``
    → ``sea``; ``ferry`` → ``ferry``); other uses (``rail``, ``bike`` ...) are kept as the
    mode text, and validation reports them as unknown modes. A row with ``directed`` false
    becomes two links, ``<link_id>`` and ``<link_id>_r``.
``config.csv``
    One row; the length unit is ``long_length`` (GMNS 0.9x) or ``length_units``: ``km``
    (what corridor writes, and assumed when there is no config), ``m``, ``mi`` or ``ft``.
    ``crs``, when given, must be lon/lat (EPSG:4326).
``use_definition.csv``
    Optional on read (its ``use`` names go to ``metadata["gmns_uses"]``); written with one
    row per corridor mode.
``parameters/<name>.csv``
    Optional parameter tables, read into ``network.parameters[<name>]``.
``datapackage.json``
    Written by corridor (a Frictionless data package, as GMNS uses): the type of every
    column and the corridor column it holds, plus the network metadata. When present, it
    makes the round trip exact: text stays text even where it looks like a number, and
    columns whose names clash with GMNS names (an extra ``length`` column, say) come back
    under their own name. Without it, columns are typed by name (``*_id``, ``*_source``
    and the GMNS text fields are text) and by content (all cells numbers → float).

Ids are always text: ``"001"`` stays ``"001"``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor._atomic import atomic_folder
from corridor.errors import FormatError, InputError
from corridor.network._csv import (
    Table,
    missing_columns_message,
    parse_booleans,
    parse_numbers,
    read_table,
    read_text,
)
from corridor.network.model import MODES, Network

__all__ = ["read_gmns", "write_gmns"]

NODE_FILE = "node.csv"
LINK_FILE = "link.csv"
USE_FILE = "use_definition.csv"
CONFIG_FILE = "config.csv"
PACKAGE_FILE = "datapackage.json"
PARAMETER_DIR = "parameters"

_PLACE_TO_GMNS = {"place_id": "node_id", "lon": "x_coord", "lat": "y_coord"}
_LINK_TO_GMNS = {
    "from_id": "from_node_id",
    "to_id": "to_node_id",
    "length_km": "length",
    "length_km_source": "length_source",
}
_NODE_RESERVED = frozenset(_PLACE_TO_GMNS.values())
_LINK_RESERVED = frozenset(_LINK_TO_GMNS.values()) | {"allowed_uses", "directed"}

#: Kilometres per unit of length, for the units GMNS files use.
_KM_PER_UNIT = {
    **dict.fromkeys(("km", "kilometer", "kilometers", "kilometre", "kilometres"), 1.0),
    **dict.fromkeys(("m", "meter", "meters", "metre", "metres"), 0.001),
    **dict.fromkeys(("mi", "mile", "miles"), 1.609344),
    **dict.fromkeys(("ft", "foot", "feet"), 0.0003048),
}
_LONLAT_CRS = frozenset({"epsg:4326", "4326", "wgs84", "wgs 84", "ogc:crs84", "crs84", "lonlat"})

#: GMNS uses that map to one corridor mode without doubt (rail needs a gauge: unmapped).
_USE_TO_MODE = {
    **{m: m for m in MODES},
    **dict.fromkeys(
        ("auto", "car", "truck", "hgv", "lorry", "hov", "bus", "drive", "vehicle"), "road"
    ),
    **dict.fromkeys(("ship", "vessel", "boat"), "sea"),
    **dict.fromkeys(("ro-ro", "roro"), "ferry"),
}

_TEXT_NAMES = frozenset(
    {
        "name",
        "country",
        "kind",
        "status",
        "mode",
        "allowed_uses",
        "aliases",
        "unlocode",
        "node_type",
        "ctrl_type",
        "geometry",
        "facility_type",
        "bike_facility",
        "ped_facility",
        "parking",
        "jurisdiction",
        "cargo_classes",
        "directed",
        "description",
        "use",
    }
)
_NUMBER_NAMES = frozenset({"x_coord", "y_coord", "length"})
_PARAMETER_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")

Schema = dict[str, dict[str, str]]


# --------------------------------------------------------------------------- reading
def _is_text_name(column: str) -> bool:
    return column in _TEXT_NAMES or column.endswith(("_id", "_source"))


#: Deepest nesting of datapackage.json accepted (corridor writes 6 levels).
MAX_PACKAGE_DEPTH = 64


def _depth_ok(value: Any, limit: int) -> bool:
    """Return True if ``value`` (parsed JSON) nests at most ``limit`` deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return True


def _read_package(folder: Path) -> dict[str, Any] | None:
    path = folder / PACKAGE_FILE
    if not path.exists():
        return None
    try:
        package = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise FormatError(str(path), f"not valid JSON: {err}") from err
    except RecursionError as err:
        raise FormatError(
            str(path), f"nested too deep (more than {MAX_PACKAGE_DEPTH} levels)"
        ) from err
    if not _depth_ok(package, MAX_PACKAGE_DEPTH):
        raise FormatError(str(path), f"nested too deep (more than {MAX_PACKAGE_DEPTH} levels)")
    if not isinstance(package, dict) or not isinstance(package.get("resources", []), list):
        raise FormatError(str(path), "expected a data package object with a 'resources' list")
    corridor = package.get("corridor")
    if corridor is not None and not (
        isinstance(corridor, dict) and isinstance(corridor.get("metadata", {}), dict)
    ):
        raise FormatError(str(path), "'corridor' must be an object whose 'metadata' is an object")
    return package


def _schemas(package: Mapping[str, Any] | None) -> dict[str, Schema]:
    """Return each resource's fields by column name; malformed entries are ignored."""
    out: dict[str, Schema] = {}
    for res in (package or {}).get("resources", []):
        if not isinstance(res, dict) or not isinstance(res.get("path"), str):
            continue
        schema = res.get("schema")
        fields = schema.get("fields", []) if isinstance(schema, dict) else []
        if not isinstance(fields, list):
            continue
        out[res["path"]] = {
            f["name"]: {str(k): str(v) for k, v in f.items() if isinstance(v, str | int | float)}
            for f in fields
            if isinstance(f, dict) and isinstance(f.get("name"), str)
        }
    return out


def _type_columns(table: Table, schema: Schema, id_column: str) -> list[str]:
    """Give each column its type (text, float, int, bool); return bad cells."""
    frame = table.frame
    bad: list[str] = []
    for col in list(frame.columns):
        declared = schema.get(col, {}).get("type")
        if col in _NUMBER_NAMES:
            declared = None  # always numbers, whatever the package says
        elif col.endswith("_id"):
            continue  # ids are always text
        if declared in ("number", "integer"):
            bad += parse_numbers(table, [col], id_column=id_column)
            values = frame[col]
            if (
                declared == "integer"
                and values.notna().all()
                and (values.abs() < 2**53).all()
                and (values % 1 == 0).all()
            ):
                frame[col] = values.astype(np.int64)
        elif declared == "boolean":
            flags, wrong = parse_booleans(table, col, default=False, id_column=id_column)
            bad += wrong
            frame[col] = flags
        elif declared is not None:
            continue
        elif col in _NUMBER_NAMES:
            bad += parse_numbers(table, [col], id_column=id_column)
        elif not _is_text_name(col):
            text = frame[col].str.strip()
            numbers = pd.to_numeric(text, errors="coerce")
            if not (numbers.isna() & (text != "") & (text.str.lower() != "nan")).any():
                frame[col] = numbers.astype(float)
    return bad


def _rename(frame: pd.DataFrame, schema: Schema, default: Mapping[str, str]) -> pd.DataFrame:
    """Rename file columns to model columns; drop those the package marks as derived."""
    inverse = {v: k for k, v in default.items()}
    names: dict[str, str] = {}
    drop = []
    for col in frame.columns:
        if col in schema and "corridor_name" in schema[col]:
            target = schema[col]["corridor_name"]
            if target:
                names[col] = target
            else:
                drop.append(col)
        elif col in inverse:
            names[col] = inverse[col]
    return frame.drop(columns=drop).rename(columns=names)


def _clashes(before: pd.Index, after: pd.Index, filename: str) -> list[str]:
    """Name the file columns that end up under the same model column after renaming."""
    out = []
    for name in sorted({str(c) for c in after[after.duplicated()]}):
        sources = [str(b) for b, a in zip(before, after, strict=True) if a == name]
        out.append(
            f"{filename}: columns {' and '.join(map(repr, sources))} would both be read as "
            f"{name!r}; rename or drop one of them"
        )
    return out


def _renamed(
    frame: pd.DataFrame,
    schema: Schema,
    default: Mapping[str, str],
    filename: str,
    errors: list[str],
) -> pd.DataFrame:
    out = _rename(frame, schema, default)
    if out.columns.has_duplicates:
        dropped = _dropped(frame, schema)
        before = pd.Index([c for c in frame.columns if c not in dropped])
        errors += _clashes(before, out.columns, filename)
    return out


def _dropped(frame: pd.DataFrame, schema: Schema) -> set[str]:
    return {c for c in frame.columns if c in schema and schema[c].get("corridor_name", None) == ""}


def _load(
    folder: Path,
    filename: str,
    required: tuple[str, ...],
    id_column: str,
    schemas: Mapping[str, Schema],
    errors: list[str],
) -> Table | None:
    try:
        table = read_table(folder / filename)
    except FormatError as err:
        errors.append(str(err))
        return None
    message = missing_columns_message(list(table.frame.columns), required)
    if message:
        errors.append(f"{table.path}: {message}")
        return None
    bad = _type_columns(table, schemas.get(filename, {}), id_column)
    if bad:
        errors.append(f"{table.path}: {len(bad)} value(s) are not numbers")
        errors += [f"  {line}" for line in bad[:20]]
        if len(bad) > 20:
            errors.append(f"  ... and {len(bad) - 20} more")
    return table


def _read_config(folder: Path, errors: list[str]) -> tuple[float, str, list[str]]:
    """Return (km per length unit, dataset name, notes)."""
    path = folder / CONFIG_FILE
    if not path.exists():
        return 1.0, "", [f"no {CONFIG_FILE}: link lengths taken as km"]
    try:
        frame = read_table(path).frame
    except FormatError as err:
        errors.append(str(err))
        return 1.0, "", []
    if len(frame) > 1:
        errors.append(f"{path}: expected one row, found {len(frame)}")
        return 1.0, "", []
    row = {c: str(frame[c].iloc[0]).strip() for c in frame.columns} if len(frame) else {}
    units = {row[c].lower() for c in ("long_length", "length_units") if row.get(c)}
    factor, notes = 1.0, []
    if len(units) > 1:
        errors.append(f"{path}: long_length and length_units disagree: {sorted(units)}")
    elif units:
        unit = units.pop()
        if unit not in _KM_PER_UNIT:
            errors.append(
                f"{path}: unknown length unit {unit!r}; allowed: km, m, mi, ft "
                "(or kilometers, meters, miles, feet)"
            )
        else:
            factor = _KM_PER_UNIT[unit]
    else:
        notes.append(f"{CONFIG_FILE} gives no length unit: link lengths taken as km")
    crs = row.get("crs", "")
    if crs and crs.lower() not in _LONLAT_CRS:
        errors.append(
            f"{path}: crs {crs!r} is not supported; coordinates must be lon/lat (EPSG:4326)"
        )
    return factor, row.get("dataset_name", ""), notes


def _modes_from_uses(uses: pd.Series) -> pd.Series:
    mapping: dict[str, str] = {}
    for value in uses.unique():
        parts = {p.strip().lower() for p in str(value).split(",") if p.strip()}
        mapped = {_USE_TO_MODE.get(p, "") for p in parts}
        only = mapped.pop() if len(mapped) == 1 else ""
        mapping[value] = only or str(value)
    return uses.map(mapping).astype(str)


def _expand_undirected(links: pd.DataFrame, undirected: np.ndarray) -> pd.DataFrame:
    if not undirected.any():
        return links
    rev = links[undirected].copy()
    rev["from_id"], rev["to_id"] = links.loc[undirected, "to_id"], links.loc[undirected, "from_id"]
    rev["link_id"] = rev["link_id"] + "_r"
    order = np.concatenate([np.arange(len(links)) * 2, np.flatnonzero(undirected) * 2 + 1])
    both = pd.concat([links, rev], ignore_index=True)
    return both.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def read_gmns(path: str | os.PathLike[str]) -> Network:
    """Read a GMNS network folder.

    Parameters
    ----------
    path : str or path-like
        A folder holding ``node.csv`` and ``link.csv`` (and optionally ``config.csv``,
        ``use_definition.csv``, ``datapackage.json`` and ``parameters/*.csv``).

    Returns
    -------
    Network
        Not validated: call :func:`corridor.network.validate` (or use
        :func:`corridor.network.read_network`, which does).

    Raises
    ------
    FormatError
        If the folder or a file is missing or malformed. All problems found in all files
        are listed in one error.

    Examples
    --------
    >>> import tempfile
    >>> from corridor.testing import tiny_network
    >>> folder = tempfile.mkdtemp() + "/tiny"
    >>> write_gmns(tiny_network(), folder)
    >>> net = read_gmns(folder)
    >>> net.n_places, net.n_links, net.links.loc[0, "length_km"]
    (4, 4, np.float64(100.0))

    """
    if not isinstance(path, str | os.PathLike):
        raise InputError(
            f"path: expected a GMNS folder path (str or os.PathLike), got {type(path).__name__}",
            argument="path",
        )
    folder = Path(path)
    if not folder.exists():
        hint = ""
        if any(folder.parent.glob(f".{glob_escape(folder.name)}.corridor-old-*")):
            hint = (
                "; an interrupted write left the old copy beside it "
                f"(.{folder.name}.corridor-old-*): the next write_gmns to it puts it back"
            )
        raise FormatError(str(folder), "no such file or folder" + hint)
    if not folder.is_dir():
        raise FormatError(
            str(folder), "a GMNS network is a folder holding node.csv and link.csv, not a file"
        )
    package = _read_package(folder)
    schemas = _schemas(package)
    errors: list[str] = []
    km_per_unit, dataset_name, notes = _read_config(folder, errors)
    nodes = _load(folder, NODE_FILE, ("node_id", "x_coord", "y_coord"), "node_id", schemas, errors)
    links = _load(
        folder, LINK_FILE, ("link_id", "from_node_id", "to_node_id"), "link_id", schemas, errors
    )
    undirected = np.zeros(0, dtype=bool)
    if links is not None and "directed" in links.frame.columns:
        directed, bad = parse_booleans(links, "directed", default=True, id_column="link_id")
        if bad:
            errors.append(f"{links.path}: {len(bad)} 'directed' value(s) are not true or false")
            errors += [f"  {line}" for line in bad[:20]]
        undirected = ~directed.astype(bool)
    uses: list[str] = []
    if (folder / USE_FILE).exists():
        try:
            use_table = read_table(folder / USE_FILE)
            message = missing_columns_message(list(use_table.frame.columns), ("use",))
            if message:
                errors.append(f"{use_table.path}: {message}")
            else:
                uses = use_table.frame["use"].tolist()
        except FormatError as err:
            errors.append(str(err))
    parameters: dict[str, pd.DataFrame] = {}
    param_dir = folder / PARAMETER_DIR
    if param_dir.is_dir():
        for file in sorted(param_dir.glob("*.csv")):
            rel = f"{PARAMETER_DIR}/{file.name}"
            table = _load(folder, rel, (), "", schemas, errors)
            if table is not None:
                parameters[file.stem] = _renamed(table.frame, schemas.get(rel, {}), {}, rel, errors)
    if nodes is not None and links is not None:
        places = _renamed(
            nodes.frame, schemas.get(NODE_FILE, {}), _PLACE_TO_GMNS, NODE_FILE, errors
        )
        link_frame = _renamed(
            links.frame, schemas.get(LINK_FILE, {}), _LINK_TO_GMNS, LINK_FILE, errors
        )
    if errors or nodes is None or links is None:
        prefix = f"{folder}{os.sep}"
        lines = "\n".join(errors).replace(prefix, "").splitlines() or ["cannot be read"]
        count = sum(not e.startswith("  ") for e in errors)
        head = lines[0] if count <= 1 else f"{count} problems; first: {lines[0]}"
        raise FormatError(str(folder), "\n".join([head, *lines[1:]]))

    if "length_km" in link_frame.columns and km_per_unit != 1.0:
        link_frame["length_km"] = link_frame["length_km"] * km_per_unit
    if "mode" not in link_frame.columns:
        if "allowed_uses" in link_frame.columns:
            link_frame["mode"] = _modes_from_uses(link_frame["allowed_uses"])
    elif (
        "allowed_uses" in link_frame.columns
        and (link_frame["allowed_uses"] == link_frame["mode"]).all()
    ):
        link_frame = link_frame.drop(columns="allowed_uses")
    link_frame = _expand_undirected(link_frame, undirected)
    if "directed" in link_frame.columns and "directed" not in schemas.get(LINK_FILE, {}):
        link_frame = link_frame.drop(columns="directed")

    if package is not None and isinstance(package.get("corridor"), dict):
        metadata = dict(package["corridor"].get("metadata", {}))
    else:
        metadata = {"name": dataset_name, "source": str(folder)}
        if uses:
            metadata["gmns_uses"] = uses
        if notes:
            metadata["notes"] = notes
    return Network.from_frames(places, link_frame, parameters=parameters, metadata=metadata)


# --------------------------------------------------------------------------- writing
def _field_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "string"


def _to_file(
    frame: pd.DataFrame, mapping: Mapping[str, str], reserved: frozenset[str]
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """Rename model columns to file columns; return the frame and its package fields."""
    used = set(frame.columns) | set(reserved)
    names: dict[str, str] = {}
    for col in map(str, frame.columns):
        if col in mapping:
            names[col] = mapping[col]
        elif col in reserved:
            new, n = f"{col}_orig", 1
            while new in used:
                n += 1
                new = f"{col}_orig{n}"
            used.add(new)
            names[col] = new
        else:
            names[col] = col
    out = pd.DataFrame(index=frame.index)
    fields = []
    for col in map(str, frame.columns):
        kind = _field_type(frame[col])
        values = frame[col]
        if kind == "boolean":
            values = values.map({True: "true", False: "false"})
        elif kind == "string":
            values = values.where(values.notna(), "").astype(str)
        out[names[col]] = values
        fields.append({"name": names[col], "type": kind, "corridor_name": col})
    return out, fields


def _csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _replaceable(rel: Path) -> bool:
    parts = rel.parts
    if len(parts) == 1:
        return parts[0] in (NODE_FILE, LINK_FILE, USE_FILE, CONFIG_FILE, PACKAGE_FILE)
    return len(parts) == 2 and parts[0] == PARAMETER_DIR and rel.suffix == ".csv"


def _write_file(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def write_gmns(network: Network, path: str | os.PathLike[str]) -> None:
    """Write a network as a GMNS folder, all at once or not at all.

    The files are written into a temporary folder beside ``path``, flushed to disk, and
    swapped with ``path`` in one atomic step (see :func:`corridor._atomic.atomic_folder`):
    ``path`` always names a complete folder, the old or the new; on any error nothing is
    left behind and an existing ``path`` is unchanged. New files and folders get the
    modes the umask gives; an existing folder keeps its mode; a symlink is followed.
    Lengths are written in km (``config.csv``: ``long_length=km``).

    Parameters
    ----------
    network : Network
        The network; it is not validated here.
    path : str or path-like
        The folder to create. An existing folder is replaced only if it holds nothing
        but GMNS files corridor writes.

    Raises
    ------
    InputError
        If ``path`` is a file or a folder with other files, or a parameter table name is
        not a plain file stem.

    Examples
    --------
    >>> import os, tempfile
    >>> from corridor.testing import tiny_network
    >>> folder = tempfile.mkdtemp() + "/tiny"
    >>> write_gmns(tiny_network(), folder)
    >>> sorted(os.listdir(folder))
    ['config.csv', 'datapackage.json', 'link.csv', 'node.csv', 'use_definition.csv']

    """
    if not isinstance(network, Network):
        raise InputError(
            f"network: expected a Network, got {type(network).__name__}", argument="network"
        )
    for name in network.parameters:
        if not isinstance(name, str) or not _PARAMETER_NAME.match(name):
            raise InputError(
                f"parameter table name {name!r} cannot be a file name; "
                "use letters, digits, '_', '-' and '.'"
            )
    nodes, node_fields = _to_file(network.places, _PLACE_TO_GMNS, _NODE_RESERVED)
    link_frame = network.links.copy()
    links, link_fields = _to_file(link_frame, _LINK_TO_GMNS, _LINK_RESERVED)
    links["allowed_uses"] = network.links["mode"].astype(str).to_numpy()
    links["directed"] = "true"
    link_fields += [
        {"name": "allowed_uses", "type": "string", "corridor_name": ""},
        {"name": "directed", "type": "boolean", "corridor_name": ""},
    ]
    files: dict[str, str] = {NODE_FILE: _csv_text(nodes), LINK_FILE: _csv_text(links)}
    resources = [
        {"name": "node", "path": NODE_FILE, "schema": {"fields": node_fields}},
        {"name": "link", "path": LINK_FILE, "schema": {"fields": link_fields}},
    ]
    uses = pd.DataFrame({"use": list(MODES), "description": [f"corridor mode {m}" for m in MODES]})
    files[USE_FILE] = _csv_text(uses)
    name = str(network.metadata.get("name", ""))
    config = pd.DataFrame(
        {
            "dataset_name": [name],
            "long_length": ["km"],
            "length_units": ["km"],
            "crs": ["EPSG:4326"],
            "id_type": ["string"],
        }
    )
    files[CONFIG_FILE] = _csv_text(config)
    for stem, table in network.parameters.items():
        rel = f"{PARAMETER_DIR}/{stem}.csv"
        frame, fields = _to_file(table, {}, frozenset())
        files[rel] = _csv_text(frame)
        resources.append({"name": stem.lower(), "path": rel, "schema": {"fields": fields}})
    package = {
        "name": "corridor-network",
        "profile": "tabular-data-package",
        "resources": resources,
        "corridor": {"format_version": 1, "metadata": dict(network.metadata)},
    }
    try:
        files[PACKAGE_FILE] = (
            json.dumps(package, indent=1, ensure_ascii=False, default=str, allow_nan=True) + "\n"
        )
    except (TypeError, ValueError, RecursionError) as err:
        raise InputError(
            f"network.metadata cannot be written as JSON: {err}", argument="network"
        ) from err

    def fill(tmp: Path) -> None:
        if network.parameters:
            (tmp / PARAMETER_DIR).mkdir()
        for rel_path, text in files.items():
            _write_file(tmp / rel_path, text)  # the folder is private until swapped in

    atomic_folder(path, fill, replaceable=_replaceable)
