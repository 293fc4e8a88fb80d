"""Helpers shared by the CLI commands: loading the network, printing JSON."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from corridor.errors import InputError
from corridor.formats.values import dumps_json
from corridor.network.model import Network

__all__ = ["check_output_path", "load_network", "print_json"]


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
    sys.stdout.write(dumps_json(payload) + "\n")


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """Check, before any work, that a file can be written at ``path``.

    Raises
    ------
    InputError
        When the path is a folder, its folder is missing or not a folder, or the folder
        cannot be written.

    """
    out = Path(path)
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise InputError(
            f"output {str(out)!r} is a folder: give a file name",
            argument="output",
            value=str(out),
        )
    if not parent.is_dir():
        raise InputError(
            f"output {str(out)!r}: folder {str(parent)!r} does not exist",
            argument="output",
            value=str(out),
        )
    if not os.access(parent, os.W_OK):
        raise InputError(
            f"output {str(out)!r}: folder {str(parent)!r} is not writable",
            argument="output",
            value=str(out),
        )
    return out
