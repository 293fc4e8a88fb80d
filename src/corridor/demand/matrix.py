"""Origin–destination demand as a dense matrix over zones, with CSV and OMX input/output.

A :class:`Demand` pairs a tuple of zone ids (place ids of the network) with a square
matrix of trips: ``matrix[i, j]`` trips from ``zones[i]`` to ``zones[j]``.

CSV files are in long format with a header ``origin,destination,trips``; pairs not listed
have no trips. OMX files (Open Matrix, HDF5) hold one or more named matrices and a zone
mapping; corridor writes a single matrix and a ``zones`` mapping.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from corridor._atomic import atomic_path
from corridor.errors import FormatError, InputError

__all__ = ["Demand", "read_demand_csv", "read_omx", "write_demand_csv", "write_omx"]


@dataclass(frozen=True, eq=False)
class Demand:
    """Trips between zones.

    Attributes
    ----------
    zones : tuple of str
        Zone (place) ids, in matrix order.
    matrix : numpy.ndarray
        ``(n, n)`` float64 trips, ``matrix[i, j]`` from ``zones[i]`` to ``zones[j]``.

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
        n = len(self.zones)
        if self.matrix.shape != (n, n):
            raise InputError(
                f"matrix: shape {self.matrix.shape} does not match {n} zones; expected ({n}, {n})"
            )
        if len(set(self.zones)) != n:
            raise InputError("zones: duplicate zone ids; each zone must appear once")
        if not np.all(np.isfinite(self.matrix)) or np.any(self.matrix < 0):
            raise InputError("matrix: trips must be finite and non-negative")

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
        arr = np.array(matrix, dtype=np.float64, copy=True)
        arr.flags.writeable = False
        return cls(tuple(str(z) for z in zones), arr)

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

        """
        return Demand.from_matrix(self.zones, self.matrix * float(factor))


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
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["origin", "destination", "trips"])
        rows, cols = np.nonzero(demand.matrix)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            w.writerow([demand.zones[i], demand.zones[j], repr(float(demand.matrix[i, j]))])


def read_demand_csv(path: str | os.PathLike[str], *, zones: Sequence[str] | None = None) -> Demand:
    """Read demand from a long-format CSV file ``origin,destination,trips``.

    Parameters
    ----------
    path : path-like
        The file.
    zones : sequence of str, optional
        Zone ids in the wanted order; by default the zones named in the file, in order
        of first appearance. Repeated pairs are summed.

    Returns
    -------
    Demand

    Raises
    ------
    FormatError
        On a missing file, missing columns, non-numeric or negative trips, or a zone not
        in ``zones``.

    """
    src = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or []
            missing = [c for c in ("origin", "destination", "trips") if c not in fields]
            if missing:
                raise FormatError(
                    src, f"missing column(s) {missing}; expected origin,destination,trips"
                )
            records: list[tuple[str, str, float]] = []
            for lineno, row in enumerate(reader, start=2):
                try:
                    value = float(row["trips"])
                except (TypeError, ValueError) as err:
                    raise FormatError(
                        src, f"line {lineno}: trips {row['trips']!r} is not a number"
                    ) from err
                if not np.isfinite(value) or value < 0:
                    raise FormatError(src, f"line {lineno}: trips {value} must be finite and >= 0")
                records.append((str(row["origin"]), str(row["destination"]), value))
    except OSError as err:
        raise FormatError(src, f"cannot read file: {err}") from err
    if zones is None:
        seen: dict[str, None] = {}
        for o, d, _ in records:
            seen.setdefault(o)
            seen.setdefault(d)
        zone_list = list(seen)
    else:
        zone_list = [str(z) for z in zones]
    index = {z: i for i, z in enumerate(zone_list)}
    mat = np.zeros((len(zone_list), len(zone_list)))
    for o, d, v in records:
        if o not in index or d not in index:
            bad = o if o not in index else d
            raise FormatError(src, f"zone {bad!r} is not among the given zones")
        mat[index[o], index[d]] += v
    return Demand.from_matrix(zone_list, mat)


def write_omx(demand: Demand, path: str | os.PathLike[str], *, name: str = "trips") -> None:
    """Write demand to an Open Matrix (OMX) file, atomically.

    Parameters
    ----------
    demand : Demand
        The demand.
    path : path-like
        Target ``.omx`` file.
    name : str, default "trips"
        Name of the matrix in the file.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> d = Demand.from_matrix(["1", "2"], np.array([[0.0, 4.0], [1.0, 0.0]]))
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "od.omx"
    >>> write_omx(d, p)
    >>> read_omx(p).matrix.tolist()
    [[0.0, 4.0], [1.0, 0.0]]

    """
    import openmatrix as omx

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        f = omx.open_file(str(tmp), "w")
        try:
            f[name] = np.ascontiguousarray(demand.matrix)
            f.create_mapping("zones", np.array(demand.zones, dtype="S"))
        finally:
            f.close()


def read_omx(path: str | os.PathLike[str], *, name: str | None = None) -> Demand:
    """Read demand from an Open Matrix (OMX) file.

    Parameters
    ----------
    path : path-like
        The ``.omx`` file.
    name : str, optional
        Which matrix; required when the file holds more than one.

    Returns
    -------
    Demand
        Zones from the file's first mapping (``zones`` preferred), else ``"1".."n"``.

    Raises
    ------
    FormatError
        If the file cannot be read or ``name`` is missing or ambiguous.

    """
    import openmatrix as omx

    src = str(path)
    if not Path(path).is_file():
        raise FormatError(src, "no such file")
    try:
        f = omx.open_file(src, "r")
    except Exception as err:  # tables raises many types for a bad file
        raise FormatError(src, f"not an OMX file: {err}") from err
    try:
        names = [str(n) for n in f.list_matrices()]
        if name is None:
            if len(names) != 1:
                raise FormatError(src, f"holds matrices {names}; pass name= to choose one")
            name = names[0]
        if name not in names:
            raise FormatError(src, f"no matrix {name!r}; the file holds {names}")
        mat = np.array(f[name], dtype=np.float64)
        maps = [str(m) for m in f.list_mappings()]
        if maps:
            key = "zones" if "zones" in maps else maps[0]
            raw = f.mapping(key)
            ordered = sorted(raw.items(), key=lambda kv: int(kv[1]))
            zones = [k.decode() if isinstance(k, bytes) else str(k) for k, _ in ordered]
        else:
            zones = [str(i + 1) for i in range(mat.shape[0])]
    finally:
        f.close()
    try:
        return Demand.from_matrix(zones, mat)
    except InputError as err:
        raise FormatError(src, str(err)) from err
