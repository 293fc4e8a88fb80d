"""Read a network from whatever path the user gives: a GMNS folder or a TNTP file."""

from __future__ import annotations

import os
from pathlib import Path

from corridor.errors import FormatError, InputError
from corridor.network.gmns import read_gmns
from corridor.network.model import Network
from corridor.network.validation import validate

__all__ = ["read_network"]


def read_network(path: str | os.PathLike[str], *, check: bool = True) -> Network:
    """Read a network from a GMNS folder or a TNTP network file, and validate it.

    Parameters
    ----------
    path : str or path-like
        A GMNS folder (``node.csv``, ``link.csv`` ...), a GMNS ``node.csv`` or
        ``link.csv`` (its folder is read), or a TNTP network file (``*.tntp``).
    check : bool, default True
        Validate the network (:func:`corridor.network.validate`) before returning it;
        warnings are not raised.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        If ``path`` is not a path.
    FormatError
        If the path is missing, empty, of an unknown or write-only format (GeoJSON), or a
        file in it is malformed.
    NetworkValidationError
        If ``check`` is true and the network has errors.

    Examples
    --------
    >>> import tempfile
    >>> from corridor.network.gmns import write_gmns
    >>> from corridor.testing import tiny_network
    >>> folder = tempfile.mkdtemp() + "/tiny"
    >>> write_gmns(tiny_network(), folder)
    >>> read_network(folder).n_links
    4
    >>> read_network(folder + "/missing")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridor.errors.FormatError: .../missing: no such file or folder

    """
    if not isinstance(path, str | os.PathLike):
        raise InputError(
            f"path: expected a network path (str or os.PathLike), got {type(path).__name__}",
            argument="path",
        )
    p = Path(path)
    network: Network
    if not p.exists():
        raise FormatError(str(p), "no such file or folder")
    suffix = p.suffix.lower()
    if p.is_dir():
        network = read_gmns(p)
    elif p.name.lower() in ("node.csv", "link.csv"):
        network = read_gmns(p.parent)
    elif suffix == ".tntp":
        from corridor.network.tntp import (  # type: ignore[import-not-found, unused-ignore]
            read_tntp_network,
        )

        network = read_tntp_network(p)
    elif suffix in (".geojson", ".json"):
        raise FormatError(
            str(p),
            "GeoJSON is an export format and cannot be read as a network; "
            "give a GMNS folder or a TNTP network file",
        )
    else:
        raise FormatError(
            str(p),
            f"unknown network format {suffix or '(no suffix)'!r}; "
            "give a GMNS folder (node.csv, link.csv) or a TNTP network file (*.tntp)",
        )
    if check:
        validate(network, source=str(p))
    return network
