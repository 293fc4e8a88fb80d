"""JSON-safe values: unknown figures (NaN) and infinities become ``null``."""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["dumps_json", "json_safe"]


def json_safe(value: Any) -> Any:
    """Return ``value`` with NaN and infinities replaced by ``None`` (JSON ``null``).

    Numpy scalars become Python numbers; tuples become lists.

    Examples
    --------
    >>> json_safe({"a": [1.0, float("nan")], "b": float("inf")})
    {'a': [1.0, None], 'b': None}

    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return json_safe(item())
    return value


def dumps_json(payload: Any, *, indent: int | None = 2) -> str:
    """Return ``payload`` as JSON text, unknown figures as ``null``.

    Examples
    --------
    >>> dumps_json({"x": float("nan")}, indent=None)
    '{"x": null}'

    """
    return json.dumps(
        json_safe(payload), indent=indent, ensure_ascii=False, default=str, allow_nan=False
    )
