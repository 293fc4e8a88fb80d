"""Helpers shared by the CLI commands: consoles, loading the network, output paths, JSON.

Everything here is light to import (no pandas, no numba): the commands import what they
need inside their functions, so that ``corridor --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from corridor.network.model import Network

__all__ = [
    "check_output_folder",
    "check_output_path",
    "console",
    "load_network",
    "output_options",
    "print_json",
    "renamed_arguments",
]


def console(*, stderr: bool = False) -> Console:
    r"""Return a console that prints text as given: no markup, emoji codes or highlighting.

    Names in a network are data: ``Alpha[/x]`` or ``:warning:`` must print as they are
    (rich would read them as markup, fail on a closing tag, or let a file style the
    terminal). Styles are given as :class:`rich.text.Text` spans instead.

    Examples
    --------
    >>> import io
    >>> c = console()
    >>> c.file = io.StringIO()
    >>> c.print("Alpha[/x] :warning:")
    >>> print(c.file.getvalue(), end="")
    Alpha[/x] :warning:

    """
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def load_network(path: str | None) -> Network:
    """Load the network a command works on.

    Parameters
    ----------
    path : str or None
        A network file or folder (GMNS folder or TNTP ``*_net.tntp``); ``None`` for the
        shipped default network.

    Returns
    -------
    Network
    """
    if path is None:
        from corridor.network.default import load_default

        return load_default()
    from corridor.network.io import read_network

    return read_network(path)


def print_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON on stdout (unknown figures as ``null``)."""
    from corridor.formats.values import dumps_json

    sys.stdout.write(dumps_json(payload) + "\n")


def _refuse(argument: str, path: Path, why: str) -> InputError:
    return InputError(
        f"cannot write {str(path)!r}: {why}",
        argument=argument,
        value=str(path),
        allowed="a file in a folder that exists and can be written",
    )


def check_output_path(path: str | os.PathLike[str], argument: str = "output") -> Path:
    """Check, before any work, that a file can be written at ``path``.

    Parameters
    ----------
    path : path-like
        The output file.
    argument : str, default "output"
        The option's name in errors (``"geojson"`` is shown as ``--geojson``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        When the path is a folder or a read-only file, its folder is missing or not a
        folder, or the folder cannot be written.

    Examples
    --------
    >>> check_output_path("/no/such/folder/out.json", "geojson")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: cannot write '/no/such/folder/out.json': folder ... does not exist

    """
    out = Path(path).expanduser()
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise _refuse(argument, out, "it is a folder; give a file name")
    if out.exists() and out.is_file() and not os.access(out, os.W_OK):
        raise _refuse(argument, out, "the file is read-only")
    if not parent.exists():
        raise _refuse(argument, out, f"folder {str(parent)!r} does not exist")
    if not parent.is_dir():
        raise _refuse(argument, out, f"{str(parent)!r} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(argument, out, f"folder {str(parent)!r} is not writable")
    return out


def check_output_folder(path: str | os.PathLike[str], argument: str) -> Path:
    """Check, before any work, that a GMNS folder can be written at ``path``.

    The folder may exist if it holds only files a GMNS export writes; missing parent
    folders are created by the writer, so the nearest existing one must be writable.

    Raises
    ------
    InputError
        When ``path`` is a file or a folder holding other files, or no folder on the way
        can be written.

    Examples
    --------
    >>> import tempfile
    >>> check_output_folder(tempfile.mkdtemp() + "/new/net", "gmns").name
    'net'

    """
    from corridor.network.gmns import _replaceable

    out = Path(path).expanduser()
    if out.is_symlink():
        out = Path(os.path.realpath(out))
    if out.exists():
        if not out.is_dir():
            raise _refuse(argument, out, "it is a file, not a folder")
        foreign = [
            str(p.relative_to(out))
            for p in sorted(out.rglob("*"))
            if not p.is_dir() and not _replaceable(p.relative_to(out))
        ]
        if foreign:
            raise _refuse(
                argument,
                out,
                f"the folder holds other files ({', '.join(foreign[:3])}); "
                "give a new or empty folder",
            )
    ancestor = out.parent if str(out.parent) else Path(".")
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise _refuse(argument, out, f"{str(ancestor)!r} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise _refuse(argument, out, f"folder {str(ancestor)!r} is not writable")
    return out


@contextmanager
def output_options(paths: Mapping[str, str | os.PathLike[str] | None]) -> Iterator[None]:
    """Name the option behind a write error (the writers call their target ``path``).

    Parameters
    ----------
    paths : mapping of str to path or None
        Option name (``"geojson"``) to the path it gave.

    Examples
    --------
    >>> try:
    ...     with output_options({"plot": "a.png"}):
    ...         raise InputError("cannot write 'a.png': disk full", argument="path")
    ... except InputError as err:
    ...     print(err.argument)
    plot

    """
    try:
        yield
    except InputError as err:
        if err.argument != "path":
            raise
        given = {k: str(v) for k, v in paths.items() if v is not None}
        text = f"{err} {err.value}"
        matches = [k for k, v in given.items() if v in text or str(Path(v).resolve()) in text]
        if len(matches) == 1 or len(given) == 1:
            err.argument = matches[0] if matches else next(iter(given))
        raise


@contextmanager
def renamed_arguments(names: Mapping[str, str]) -> Iterator[None]:
    """Show an error's API argument as the option that gave it (``network`` -> ``tntp``).

    Examples
    --------
    >>> try:
    ...     with renamed_arguments({"network": "tntp"}):
    ...         raise InputError("bad capacity", argument="network")
    ... except InputError as err:
    ...     print(err.argument)
    tntp

    """
    try:
        yield
    except InputError as err:
        if err.argument is not None and err.argument in names:
            err.argument = names[err.argument]
        raise
