"""Helpers shared by the CLI commands: loading the network, printing JSON."""

from __future__ import annotations

import sys
from typing import Any

from corridor.formats.values import dumps_json
from corridor.network.model import Network

__all__ = ["load_network", "print_json"]


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
