"""Helpers shared by the CLI commands: loading the network, printing JSON."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from corridor.network.model import Network

__all__ = ["json_safe", "load_network", "print_json"]


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


def json_safe(value: Any) -> Any:
    """Return ``value`` with NaN and infinities replaced by ``None`` (JSON ``null``).

    Examples
    --------
    >>> json_safe({"a": [1.0, float("nan")], "b": float("inf")})
    {'a': [1.0, None], 'b': None}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def print_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON on stdout (unknown figures as ``null``)."""
    text = json.dumps(
        json_safe(payload), indent=2, ensure_ascii=False, default=str, allow_nan=False
    )
    sys.stdout.write(text + "\n")
