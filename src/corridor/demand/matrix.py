"""Origin–destination demand as a dense matrix over zones, with CSV and OMX input/output.

A :class:`Demand` pairs a tuple of zone ids (place ids of the network) with a square
matrix of trips: ``matrix[i, j]`` trips from ``zones[i]`` to ``zones[j]``.

CSV files are in long format with a header ``origin,destination,trips``; pairs not listed
have no trips. OMX files (Open Matrix, HDF5) hold one or more named matrices and a zone
mapping; corridor writes a single matrix and a ``zones`` mapping (integers when every zone
id is a number, else UTF-8 text).

Limits. The matrix is dense, so every reader refuses more than ``max_zones`` zones
(default :data:`MAX_ZONES`, 10,000 zones: 800 MB of float64) *before* allocating it; pass
a larger ``max_zones`` when the memory is there. An OMX file is checked before the HDF5
library sees it (signature, superblock, sizes) and then read in a separate process, so a
damaged file that makes the C library crash, hang or swell ends in a
:class:`~corridor.errors.FormatError`, never in a crash of the caller.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import signal
import subprocess
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from corridor._atomic import atomic_path
from corridor.errors import FormatError, InputError

__all__ = [
    "MAX_ZONES",
    "OMX_TIMEOUT_S",
    "Demand",
    "check_max_zones",
    "read_demand_csv",
    "read_omx",
    "write_demand_csv",
    "write_omx",
]

#: Default most zones a reader accepts: a dense 10,000 x 10,000 float64 matrix is 800 MB.
MAX_ZONES = 10_000
#: Default seconds an OMX file may take to read before it is given up as damaged.
OMX_TIMEOUT_S = 120.0
#: How many bad rows a message lists before saying "and N more".
MAX_LISTED = 20


def check_max_zones(n_zones: int, max_zones: int, source: str) -> None:
    """Refuse ``n_zones`` zones when the dense matrix would pass ``max_zones``.

    Parameters
    ----------
    n_zones : int
        Zones the file holds or claims.
    max_zones : int
        The limit (at least 1).
    source : str
        The file, for the message.

    Raises
    ------
    InputError
        If ``max_zones`` is not an integer >= 1.
    FormatError
        If ``n_zones > max_zones``.

    Examples
    --------
    >>> check_max_zones(30_000, MAX_ZONES, "od.csv")
    Traceback (most recent call last):
    ...
    corridor.errors.FormatError: od.csv: 30,000 zones: the dense demand matrix would take \
7.2 GB; the limit is max_zones=10,000 (800 MB); pass a larger max_zones to read it

    """
    if isinstance(max_zones, bool) or not isinstance(max_zones, int) or max_zones < 1:
        raise InputError(
            f"max_zones must be an integer >= 1, got {max_zones!r}", argument="max_zones"
        )
    if n_zones > max_zones:
        raise FormatError(
            source,
            f"{n_zones:,} zones: the dense demand matrix would take {_size(n_zones)}; the "
            f"limit is max_zones={max_zones:,} ({_size(max_zones)}); pass a larger max_zones "
            "to read it",
        )


def _size(n_zones: int) -> str:
    gb = n_zones * n_zones * 8 / 1e9
    return f"{gb:,.1f} GB" if gb >= 1 else f"{gb * 1000:.0f} MB"


def _path(path: object, argument: str = "path") -> Path:
    if not isinstance(path, str | os.PathLike):
        raise InputError(
            f"{argument}: expected a file path (str or os.PathLike), got {type(path).__name__}"
        )
    return Path(path)


def _make_parent(target: Path) -> None:
    """Create the target's folder (and its parents), or say why it cannot be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(
            f"cannot write {str(target)!r}: its folder cannot be made ({err.strerror or err})"
        ) from err


def _zone_tuple(zones: object) -> tuple[str, ...]:
    if isinstance(zones, str | bytes):
        raise InputError(
            f"zones: expected a sequence of zone ids, got the single string {zones!r}; "
            "wrap it in a list",
            argument="zones",
        )
    try:
        return tuple(str(z) for z in zones)  # type: ignore[attr-defined]
    except TypeError as err:
        raise InputError(
            f"zones: expected a sequence of zone ids, got {type(zones).__name__}",
            argument="zones",
        ) from err


@dataclass(frozen=True, eq=False)
class Demand:
    """Trips between zones.

    Attributes
    ----------
    zones : tuple of str
        Zone (place) ids, in matrix order.
    matrix : numpy.ndarray
        ``(n, n)`` float64 trips, ``matrix[i, j]`` from ``zones[i]`` to ``zones[j]``; a
        read-only copy of the array given, so a later change to that array changes nothing.

    Raises
    ------
    InputError
        On a shape mismatch, duplicate zones, negative or non-finite trips, zones given as
        one string, or a matrix that is not numbers.

    Examples
    --------
    >>> import numpy as np
    >>> d = Demand.from_matrix(["1", "2"], np.array([[0.0, 5.0], [2.0, 0.0]]))
    >>> d.total
    7.0
    >>> d.trips("2", "1")
    2.0

    """

    zones: tuple[str, ...]
    matrix: NDArray[np.float64]

    def __post_init__(self) -> None:
        zones = _zone_tuple(self.zones)
        try:
            matrix = np.array(self.matrix, dtype=np.float64, copy=True)
        except (TypeError, ValueError) as err:
            raise InputError(
                f"matrix: expected a square array of numbers: {err}", argument="matrix"
            ) from err
        matrix.flags.writeable = False
        object.__setattr__(self, "zones", zones)
        object.__setattr__(self, "matrix", matrix)  # a private, read-only copy
        n = len(self.zones)
        if self.matrix.shape != (n, n):
            raise InputError(
                f"matrix: shape {self.matrix.shape} does not match {n} zones; expected ({n}, {n})",
                argument="matrix",
            )
        if len(set(self.zones)) != n:
            raise InputError(
                "zones: duplicate zone ids; each zone must appear once", argument="zones"
            )
        if not np.all(np.isfinite(self.matrix)) or np.any(self.matrix < 0):
            raise InputError("matrix: trips must be finite and non-negative", argument="matrix")

    @classmethod
    def from_matrix(cls, zones: Sequence[str], matrix: NDArray[np.float64]) -> Demand:
        """Build demand from zone ids and a square array (copied as float64).

        Parameters
        ----------
        zones : sequence of str
            Zone ids.
        matrix : array_like
            Square array of trips.

        Returns
        -------
        Demand

        Raises
        ------
        InputError
            On a shape mismatch, duplicate zones, negative or non-finite trips.

        """
        return cls(_zone_tuple(zones), matrix)

    @property
    def total(self) -> float:
        """Total trips."""
        return float(self.matrix.sum())

    def trips(self, origin: str, destination: str) -> float:
        """Return the trips from ``origin`` to ``destination`` (zone ids).

        Parameters
        ----------
        origin, destination : str
            Zone ids.

        Returns
        -------
        float

        Raises
        ------
        InputError
            If a zone id is unknown.

        """
        index = {z: i for i, z in enumerate(self.zones)}
        for name, z in (("origin", origin), ("destination", destination)):
            if z not in index:
                raise InputError(f"{name}: unknown zone {z!r}")
        return float(self.matrix[index[origin], index[destination]])

    def scaled(self, factor: float) -> Demand:
        """Return demand with every cell multiplied by ``factor``.

        Parameters
        ----------
        factor : float
            Non-negative multiplier.

        Returns
        -------
        Demand

        Raises
        ------
        InputError
            If ``factor`` is not a finite number >= 0.

        """
        try:
            value = float(factor)
        except (TypeError, ValueError):
            value = math.nan
        if not (math.isfinite(value) and value >= 0):
            raise InputError(
                f"factor must be a finite number >= 0, got {factor!r}", argument="factor"
            )
        return Demand.from_matrix(self.zones, self.matrix * value)


def write_demand_csv(demand: Demand, path: str | os.PathLike[str]) -> None:
    """Write demand as ``origin,destination,trips`` rows (non-zero cells only), atomically.

    Parameters
    ----------
    demand : Demand
        The demand.
    path : path-like
        Target file; replaced only once fully written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> d = Demand.from_matrix(["a", "b"], np.array([[0.0, 1.5], [0.0, 0.0]]))
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.csv"
    >>> write_demand_csv(d, p)
    >>> read_demand_csv(p).trips("a", "b")
    1.5

    """
    if not isinstance(demand, Demand):
        raise InputError(
            f"demand: expected a Demand, got {type(demand).__name__}", argument="demand"
        )
    target = _path(path)
    _make_parent(target)
    with atomic_path(target) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["origin", "destination", "trips"])
        rows, cols = np.nonzero(demand.matrix)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            w.writerow([demand.zones[i], demand.zones[j], repr(float(demand.matrix[i, j]))])


def _decode(data: bytes, src: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        bad = data[err.start : err.start + 1].hex().upper()
        raise FormatError(
            src,
            f"not valid UTF-8 text: byte 0x{bad} on line {line} "
            "(is it Latin-1 or Windows-1252? save it as UTF-8)",
        ) from err


def _listed(head: str, items: Sequence[str], total: int) -> str:
    lines = [head, *(f"  {item}" for item in items[:MAX_LISTED])]
    if total > min(len(items), MAX_LISTED):
        lines.append(f"  ... and {total - min(len(items), MAX_LISTED)} more")
    return "\n".join(lines)


def read_demand_csv(
    path: str | os.PathLike[str],
    *,
    zones: Sequence[str] | None = None,
    max_zones: int = MAX_ZONES,
) -> Demand:
    r"""Read demand from a long-format CSV file ``origin,destination,trips``.

    Parameters
    ----------
    path : path-like
        The file (UTF-8; other columns are ignored).
    zones : sequence of str, optional
        Zone ids in the wanted order; by default the zones named in the file, in order
        of first appearance. Repeated pairs are summed.
    max_zones : int, default MAX_ZONES
        Most zones accepted (the matrix is dense: 10,000 zones take 800 MB); checked
        before the matrix is made.

    Returns
    -------
    Demand

    Raises
    ------
    FormatError
        On a missing or unreadable file, text that is not UTF-8, broken quoting, missing
        columns, rows with the wrong number of fields, empty zone ids, non-numeric,
        negative or non-finite trips, zones not in ``zones``, or more zones than
        ``max_zones``. Every bad row is listed at once (the first 20 and a count).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.csv"
    >>> _ = p.write_text("origin,destination,trips\na,b,1\nb,a,x\nb,,2\n")
    >>> read_demand_csv(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridor.errors.FormatError: .../od.csv: 2 bad row(s)
      line 3: trips 'x' is not a number
      line 4: empty destination

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
    wanted = None if zones is None else _zone_tuple(zones)
    if wanted is not None:
        check_max_zones(len(wanted), max_zones, src)
    reader = csv.reader(io.StringIO(_decode(data, src), newline=""), strict=True)
    records: list[tuple[str, str, float]] = []
    bad: list[str] = []
    n_bad = 0
    try:
        header = next(reader, None)
        while header is not None and not any(h.strip() for h in header):
            header = next(reader, None)
        if header is None:
            raise FormatError(src, "no header row")
        names = [h.strip() for h in header]
        missing = [c for c in ("origin", "destination", "trips") if c not in names]
        if missing:
            raise FormatError(
                src,
                f"missing column(s) {', '.join(map(repr, missing))}; expected a header "
                f"origin,destination,trips; found: {', '.join(map(repr, names[:10]))}",
            )
        io_, id_, it_ = names.index("origin"), names.index("destination"), names.index("trips")
        width = len(names)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            where = f"line {reader.line_num}"
            problem = ""
            if len(row) != width:
                problem = f"{where}: {len(row)} fields, the header has {width}"
            else:
                o, d, text = row[io_], row[id_], row[it_]
                try:
                    value, number = (float(text), True) if len(text) <= 64 else (0.0, False)
                except ValueError:
                    value, number = math.nan, False
                if not number:
                    problem = f"{where}: trips {text[:40]!r} is not a number"
                elif not (math.isfinite(value) and value >= 0):
                    problem = f"{where}: trips {text[:40]!r} must be finite and >= 0"
                elif not o:
                    problem = f"{where}: empty origin"
                elif not d:
                    problem = f"{where}: empty destination"
                else:
                    records.append((o, d, value))
            if problem:
                n_bad += 1
                if len(bad) < MAX_LISTED:
                    bad.append(problem)
    except csv.Error as err:
        raise FormatError(
            src, f"broken CSV near line {reader.line_num}: {err} (file truncated?)"
        ) from err
    if n_bad:
        raise FormatError(src, _listed(f"{n_bad} bad row(s)", bad, n_bad))
    if wanted is None:
        seen: dict[str, None] = {}
        for o, d, _ in records:
            seen.setdefault(o)
            seen.setdefault(d)
        check_max_zones(len(seen), max_zones, src)
        zone_list = list(seen)
    else:
        zone_list = list(wanted)
    index = {z: i for i, z in enumerate(zone_list)}
    if len(index) != len(zone_list):
        raise InputError("zones: duplicate zone ids; each zone must appear once", argument="zones")
    unknown = sorted({z for o, d, _ in records for z in (o, d) if z not in index})
    if unknown:
        raise FormatError(
            src,
            f"{len(unknown)} zone(s) are not among the given zones: "
            + ", ".join(map(repr, unknown[:MAX_LISTED]))
            + (" ..." if len(unknown) > MAX_LISTED else ""),
        )
    n = len(zone_list)
    flat = np.fromiter((index[o] * n + index[d] for o, d, _ in records), np.int64, len(records))
    weights = np.fromiter((v for _, _, v in records), np.float64, len(records))
    mat = (
        np.bincount(flat, weights=weights, minlength=n * n)
        .astype(np.float64, copy=False)
        .reshape(n, n)
    )
    return Demand.from_matrix(zone_list, mat)


def _omx_zones(zones: tuple[str, ...]) -> NDArray[np.uint32] | NDArray[np.bytes_]:
    """Zone ids as an OMX lookup: unsigned integers when all are plain numbers, else UTF-8."""
    if all(z.isascii() and z.isdigit() and str(int(z)) == z and int(z) < 2**32 for z in zones):
        return np.array([int(z) for z in zones], dtype=np.uint32)
    if any("\x00" in z for z in zones):
        bad = next(z for z in zones if "\x00" in z)
        raise InputError(
            f"zones: zone id {bad!r} holds a NUL character, which OMX cannot store",
            argument="zones",
        )
    encoded = [z.encode("utf-8", errors="surrogatepass") for z in zones]
    width = max((len(b) for b in encoded), default=1) or 1
    return np.array(encoded, dtype=f"S{width}")


def write_omx(demand: Demand, path: str | os.PathLike[str], *, name: str = "trips") -> None:
    """Write demand to an Open Matrix (OMX) file, atomically.

    The zone ids go to the ``zones`` lookup: as unsigned integers when every id is a
    plain number (``"10"``), else as UTF-8 text (``"KZ_AKTAU"``, ``"Алматы"``).

    Parameters
    ----------
    demand : Demand
        The demand.
    path : path-like
        Target ``.omx`` file.
    name : str, default "trips"
        Name of the matrix in the file: letters, digits and ``_``, not starting with a
        digit.

    Raises
    ------
    InputError
        If ``name`` is not such a name, a zone id holds a NUL character, or the file
        cannot be written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> d = Demand.from_matrix(["1", "Алматы"], np.array([[0.0, 4.0], [1.0, 0.0]]))
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.omx"
    >>> write_omx(d, p)
    >>> back = read_omx(p)
    >>> back.zones, back.matrix.tolist()
    (('1', 'Алматы'), [[0.0, 4.0], [1.0, 0.0]])

    """
    if not isinstance(demand, Demand):
        raise InputError(
            f"demand: expected a Demand, got {type(demand).__name__}", argument="demand"
        )
    if not (isinstance(name, str) and name.isidentifier() and name.isascii()):
        raise InputError(
            f"name: {name!r} is not a matrix name; use letters, digits and '_' "
            "(not starting with a digit)",
            argument="name",
        )
    lookup = _omx_zones(demand.zones)
    target = _path(path)
    _make_parent(target)
    import openmatrix as omx

    with atomic_path(target) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTables warns about names; checked above
        try:
            f = omx.open_file(str(tmp), "w")
            try:
                f[name] = np.ascontiguousarray(demand.matrix)
                if lookup.dtype.kind == "u":
                    f.create_mapping("zones", lookup)
                else:
                    if "lookup" not in f.root:
                        f.create_group(f.root, "lookup")
                    f.create_array(f.root.lookup, "zones", obj=lookup)
            finally:
                f.close()
        except OSError as err:
            raise InputError(f"cannot write {str(target)!r}: {err}") from err


# The OMX reader runs this in a child process: a damaged HDF5 file can crash the C library,
# and a crash there must not take the caller down. It answers one JSON line, then the
# matrix as little-endian float64 bytes.
_OMX_CHILD = r"""
import json, sys
out = sys.stdout.buffer
def reply(obj, payload=b""):
    out.write(json.dumps(obj).encode() + b"\n")
    out.write(payload)
    out.flush()
    sys.exit(0)
path, name, max_zones, limit = sys.argv[1], sys.argv[2] or None, int(sys.argv[3]), int(sys.argv[4])
sys.path[:0] = json.loads(sys.argv[5])
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
except Exception:
    pass
try:
    import warnings
    warnings.simplefilter("ignore")
    import numpy as np
    import tables
    try:
        f = tables.open_file(path, "r")
    except Exception as err:
        reply({"error": f"not an OMX file: HDF5 cannot open it ({type(err).__name__})"})
    try:
        try:
            data = f.get_node("/data")
        except Exception:
            reply({"error": "not an OMX file: no /data group"})
        if not isinstance(data, tables.Group):
            reply({"error": "not an OMX file: /data is not a group"})
        arrays = {n._v_name: n for n in f.list_nodes(data) if isinstance(n, tables.Array)}
        names = sorted(arrays)
        if name is None:
            if len(names) != 1:
                reply({"error": f"holds matrices {names}; pass name= to choose one"})
            name = names[0]
        if name not in arrays:
            reply({"error": f"no matrix {name!r}; the file holds {names}"})
        node = arrays[name]
        shape = tuple(int(x) for x in node.shape)
        if len(shape) != 2 or shape[0] != shape[1]:
            reply({"error": f"matrix {name!r} has shape {shape}; expected a square matrix"})
        n = shape[0]
        if n > max_zones:
            reply({"too_many": n})
        if np.dtype(node.dtype).kind not in "biuf":
            reply({"error": f"matrix {name!r} holds {node.dtype}, not numbers"})
        mat = np.ascontiguousarray(node.read(), dtype="<f8")
        if mat.shape != (n, n):
            reply({"error": f"matrix {name!r} read as shape {mat.shape}, expected {(n, n)}"})
        zones = None
        lookup = None
        try:
            lookup = f.get_node("/lookup")
        except Exception:
            pass
        if isinstance(lookup, tables.Group):
            maps = {m._v_name: m for m in f.list_nodes(lookup) if isinstance(m, tables.Array)}
            if maps:
                key = "zones" if "zones" in maps else sorted(maps)[0]
                m = maps[key]
                if len(m.shape) != 1 or int(m.shape[0]) != n:
                    got = tuple(int(x) for x in m.shape)
                    reply({"error": f"lookup {key!r} has shape {got}; the matrix has {n} zones"})
                raw = m.read()
                kind = raw.dtype.kind
                if kind == "S":
                    try:
                        zones = [b.decode("utf-8") for b in raw.tolist()]
                    except UnicodeDecodeError:
                        reply({"error": f"lookup {key!r} is not UTF-8 text"})
                elif kind == "U":
                    zones = [str(x) for x in raw.tolist()]
                elif kind in "iu":
                    zones = [str(int(x)) for x in raw.tolist()]
                elif kind == "f" and np.all(np.isfinite(raw)) and np.all(raw == np.round(raw)):
                    zones = [str(int(x)) for x in raw.tolist()]
                else:
                    reply({"error": f"lookup {key!r} holds {raw.dtype}, not zone ids"})
    finally:
        f.close()
    reply({"n": n, "name": name, "zones": zones}, mat.tobytes())
except MemoryError:
    reply({"error": "too large to read within the memory limit"})
except SystemExit:
    raise
except BaseException as err:
    reply({"error": f"cannot be read: {type(err).__name__}: {str(err)[:200]}"})
"""

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def _check_hdf5(path: Path, src: str) -> None:
    """Check the HDF5 signature and superblock before any C library sees the file."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        offset = 0
        while True:
            if offset + 64 > size:
                raise FormatError(src, "not an OMX file: no HDF5 signature (OMX files are HDF5)")
            fh.seek(offset)
            block = fh.read(96)
            if block[:8] == _HDF5_SIGNATURE:
                break
            offset = 512 if offset == 0 else offset * 2
    version = block[8]
    if version in (0, 1):
        size_offsets, size_lengths = block[13], block[14]
        fixed = 24 if version == 0 else 28
        eof_at = fixed + 2 * size_offsets
    elif version in (2, 3):
        size_offsets, size_lengths = block[9], block[10]
        eof_at = 12 + 2 * size_offsets
    else:
        raise FormatError(src, f"not an OMX file: unknown HDF5 superblock version {version}")
    if size_offsets not in (2, 4, 8) or size_lengths not in (2, 4, 8):
        raise FormatError(src, "damaged HDF5 superblock: impossible offset or length sizes")
    base_at = eof_at - 2 * size_offsets
    base = int.from_bytes(block[base_at : base_at + size_offsets], "little")
    eof = int.from_bytes(block[eof_at : eof_at + size_offsets], "little")
    undefined = (1 << (8 * size_offsets)) - 1
    if base != undefined and base > size:
        raise FormatError(src, "damaged HDF5 superblock: base address beyond the end of the file")
    if eof != undefined and (base if base != undefined else 0) + eof > size:
        raise FormatError(
            src,
            f"truncated: the HDF5 superblock says the file has {eof:,} bytes, it has {size:,}",
        )


def read_omx(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    max_zones: int = MAX_ZONES,
    timeout_s: float = OMX_TIMEOUT_S,
) -> Demand:
    r"""Read demand from an Open Matrix (OMX) file.

    The file is checked first (HDF5 signature, superblock, sizes), then read by the HDF5
    library in a child process, so a damaged file that would crash, hang or swell the
    library gives a :class:`~corridor.errors.FormatError` instead.

    Parameters
    ----------
    path : path-like
        The ``.omx`` file.
    name : str, optional
        Which matrix; required when the file holds more than one.
    max_zones : int, default MAX_ZONES
        Most zones accepted (checked against the matrix's shape before it is read).
    timeout_s : float, default OMX_TIMEOUT_S
        Seconds allowed for reading before the file is given up as damaged.

    Returns
    -------
    Demand
        Zones from the file's ``zones`` lookup (else its first lookup, by name), else
        ``"1".."n"``.

    Raises
    ------
    FormatError
        If the file is missing, not HDF5, damaged, not OMX, ``name`` is missing or
        ambiguous, the matrix is not square numbers, or has more than ``max_zones`` zones.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "od.omx"
    >>> _ = bad.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(200))
    >>> read_omx(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridor.errors.FormatError: .../od.omx: damaged HDF5 superblock: impossible offset ...

    """
    p = _path(path)
    src = str(p)
    check_max_zones(0, max_zones, src)
    if name is not None and not isinstance(name, str):
        raise InputError(
            f"name: expected a matrix name (str), got {type(name).__name__}", argument="name"
        )
    if not (isinstance(timeout_s, int | float) and timeout_s > 0):
        raise InputError(f"timeout_s must be a number > 0, got {timeout_s!r}", argument="timeout_s")
    if p.is_dir():
        raise FormatError(src, "is a folder, expected an OMX file")
    if not p.is_file():
        raise FormatError(src, "no such file")
    try:
        _check_hdf5(p, src)
    except OSError as err:
        raise FormatError(src, f"cannot read file: {err.strerror or err}") from err
    dirs = []
    for module in ("numpy", "tables"):
        spec = find_spec(module)
        if spec is not None and spec.origin:
            dirs.append(str(Path(spec.origin).parent.parent))
    limit = (1 << 30) + 3 * max_zones * max_zones * 8
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    args = [sys.executable, "-I", "-c", _OMX_CHILD, src, name or "", str(max_zones)]
    try:
        done = subprocess.run(
            [*args, str(limit), json.dumps(dirs)],
            capture_output=True,
            timeout=timeout_s,
            env=env,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as err:
        raise FormatError(
            src, f"reading took longer than {timeout_s:g} s; the file looks damaged"
        ) from err
    if done.returncode < 0:
        try:
            sig = signal.Signals(-done.returncode).name
        except ValueError:
            sig = f"signal {-done.returncode}"
        raise FormatError(src, f"damaged HDF5 file: the HDF5 library crashed reading it ({sig})")
    head, _, payload = done.stdout.partition(b"\n")
    try:
        answer = json.loads(head)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise FormatError(src, f"cannot be read (exit {done.returncode}): {tail[0][:200]}")
    if "too_many" in answer:
        check_max_zones(int(answer["too_many"]), max_zones, src)
    if "error" in answer:
        raise FormatError(src, str(answer["error"]))
    n = int(answer["n"])
    if len(payload) != n * n * 8:
        raise FormatError(src, "cannot be read: the matrix came back incomplete")
    mat = np.frombuffer(payload, dtype="<f8").reshape(n, n)
    zones = answer["zones"] if answer["zones"] is not None else [str(i + 1) for i in range(n)]
    try:
        return Demand.from_matrix(zones, mat)
    except InputError as err:
        raise FormatError(src, str(err)) from err
