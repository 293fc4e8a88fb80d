"""Atomic file writing: nothing half-written is ever left behind.

Every writer of corridor (GMNS, GeoJSON, OMX, CSV, plots) writes into a temporary file in
the target's folder and renames it over the target only when the write succeeded; on any
error the target is left as it was and the temporary file is removed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corridor.errors import InputError

__all__ = ["atomic_path", "atomic_text"]


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` if the block succeeds.

    Parameters
    ----------
    path : path-like
        The target file. Its folder must exist.

    Yields
    ------
    pathlib.Path
        An empty temporary file in the same folder, to be written by the caller.

    Raises
    ------
    InputError
        If ``path`` is a folder or its folder cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hi")
    >>> target.read_text()
    'hi'
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(f"path {str(target)!r} is a folder; give a file name")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise InputError(f"cannot write {str(target)!r}: {err.strerror or err}") from err
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, atomically (see :func:`atomic_path`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_text(p, "hi")
    >>> p.read_text()
    'hi'
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
