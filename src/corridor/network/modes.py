"""The transport modes of a network: one registry that every module asks.

A :class:`Mode` says what a mode *is* (rail of which gauge, road, water; scheduled or not;
which border regime applies; its GMNS ``use``), so that no module tests mode names by
string. A network carries its registry as the ``modes`` parameter table (one row per mode,
the columns of :class:`Mode`); a network without that table uses :data:`DEFAULT_MODES`.
Adding a mode (say ``inland_waterway``) is one row in that table plus the data rows the
mode needs (speeds, tariffs, emission factors, transfers, a service for scheduled modes).

How a transfer between two modes at one place is classified follows from the records:
two rail gauges meet in a ``gauge_break``; land meets water in a ``port``; anything else
is a ``transhipment`` (a ``mode_change`` row in the ``transfers`` table is read as the
same thing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.errors import InputError, NetworkValidationError, Problem

__all__ = ["BORDER_GROUPS", "DEFAULT_MODES", "Mode", "ModeRegistry"]

#: Border regimes: a crossing's dwell and fees are looked up by the group of its mode.
BORDER_GROUPS: tuple[str, ...] = ("rail", "road", "sea")


@dataclass(frozen=True)
class Mode:
    """What one transport mode is.

    Attributes
    ----------
    name : str
        The mode id used in ``links.mode`` (``rail_1520``).
    gauge_mm : int
        Track gauge of a rail mode; 0 for a mode that is not rail.
    water : bool
        A water mode: boarding or leaving it is a ``port`` transfer.
    scheduled : bool
        Runs only as a service (a ``service_id`` with a departure rule): ferries and
        ships. Waiting for a departure is part of the time.
    border_group : str
        One of :data:`BORDER_GROUPS`.
    gmns_use : str
        The GMNS ``allowed_uses`` value written for this mode.
    description : str
        Words for help texts.

    """

    name: str
    gauge_mm: int = 0
    water: bool = False
    scheduled: bool = False
    border_group: str = "road"
    gmns_use: str = "truck"
    description: str = ""

    @property
    def rail(self) -> bool:
        """True for a rail mode (a gauge is set)."""
        return self.gauge_mm > 0


DEFAULT_MODES: tuple[Mode, ...] = (
    Mode("rail_1520", 1520, False, False, "rail", "rail", "broad-gauge (Russian) rail"),
    Mode("rail_1435", 1435, False, False, "rail", "rail", "standard-gauge rail"),
    Mode("road", 0, False, False, "road", "truck", "road haulage"),
    Mode("ferry", 0, True, True, "sea", "ferry", "Caspian rail and ro-ro ferry"),
    Mode("sea", 0, True, True, "sea", "ship", "container and general-cargo shipping"),
)

_BOOL_TRUE = {"true", "1", "yes", "y", "t"}
_BOOL_FALSE = {"false", "0", "no", "n", "f", ""}


class ModeRegistry(Mapping[str, Mode]):
    """The modes of a network, by name, with integer codes in table order.

    Parameters
    ----------
    modes : iterable of Mode
        The records; names must be unique and border groups known.

    Raises
    ------
    NetworkValidationError
        For a repeated name or an unknown border group (every problem listed).

    Examples
    --------
    >>> reg = ModeRegistry(DEFAULT_MODES)
    >>> reg.code("road"), reg["ferry"].water, reg.transfer_kind("rail_1520", "rail_1435")
    (2, True, 'gauge_break')
    >>> reg.transfer_kind("road", "sea"), reg.transfer_kind("road", "rail_1520")
    ('port', 'transhipment')

    """

    def __init__(self, modes: Iterable[Mode]) -> None:
        self._modes = tuple(modes)
        problems = []
        seen: set[str] = set()
        for m in self._modes:
            if m.name in seen:
                problems.append(Problem("error", "modes", m.name, "mode", "mode listed twice"))
            seen.add(m.name)
            if m.border_group not in BORDER_GROUPS:
                problems.append(
                    Problem(
                        "error",
                        "modes",
                        m.name,
                        "border_group",
                        f"unknown border group {m.border_group!r}: allowed are "
                        + ", ".join(BORDER_GROUPS),
                    )
                )
        if problems:
            raise NetworkValidationError(problems, source="modes table")
        self._by_name = {m.name: m for m in self._modes}
        self._code = {m.name: i for i, m in enumerate(self._modes)}

    # Mapping protocol
    def __getitem__(self, name: str) -> Mode:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._modes)

    def __repr__(self) -> str:
        return f"ModeRegistry({', '.join(self._by_name)})"

    @property
    def names(self) -> tuple[str, ...]:
        """Mode names by code."""
        return tuple(self._by_name)

    def code(self, name: str) -> int:
        """Return the integer code of a mode.

        Raises
        ------
        InputError
            For a name not in the registry (the allowed names are listed).

        """
        try:
            return self._code[name]
        except KeyError:
            raise self.unknown(name) from None

    def unknown(self, name: object, argument: str = "mode") -> InputError:
        """Return the error for an unknown mode name."""
        return InputError(
            f"unknown mode {name!r}: allowed are {', '.join(self.names)}",
            argument=argument,
            value=name,
            allowed=self.names,
        )

    def codes_where(self, attribute: str, value: Any = True) -> NDArray[np.int64]:
        """Return the codes of the modes whose ``attribute`` equals ``value``.

        Examples
        --------
        >>> ModeRegistry(DEFAULT_MODES).codes_where("water").tolist()
        [3, 4]

        """
        return np.asarray(
            [i for i, m in enumerate(self._modes) if getattr(m, attribute) == value],
            dtype=np.int64,
        )

    def attribute(self, attribute: str) -> NDArray[Any]:
        """Return one attribute of every mode as an array indexed by mode code."""
        return np.asarray([getattr(m, attribute) for m in self._modes])

    def transfer_kind(self, a: str, b: str) -> str:
        """Classify a change from mode ``a`` to mode ``b`` at one place."""
        ma, mb = self[a], self[b]
        if ma.rail and mb.rail:
            return "gauge_break"
        if ma.water != mb.water:
            return "port"
        return "transhipment"

    def border_group(self, name: str) -> str:
        """Return the border group of a mode (``rail``, ``road`` or ``sea``)."""
        return self[name].border_group

    def to_table(self) -> pd.DataFrame:
        """Return the registry as a ``modes`` parameter table."""
        cols = [f.name for f in fields(Mode)]
        return pd.DataFrame([[getattr(m, c) for c in cols] for m in self._modes], columns=cols)

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> ModeRegistry:
        """Build the registry from a ``modes`` parameter table.

        Columns: ``name`` (or ``mode``), and optionally ``gauge_mm``, ``water``,
        ``scheduled``, ``border_group``, ``gmns_use``, ``description``.

        Raises
        ------
        NetworkValidationError
            Every malformed row, at once.

        Examples
        --------
        >>> import pandas as pd
        >>> t = pd.DataFrame({"name": ["road", "inland_waterway"], "water": [False, True],
        ...                   "scheduled": [False, True], "border_group": ["road", "sea"]})
        >>> ModeRegistry.from_table(t)["inland_waterway"].scheduled
        True

        """
        tab = table.rename(columns={"mode": "name"}) if "name" not in table else table
        problems: list[Problem] = []
        if "name" not in tab.columns:
            raise NetworkValidationError(
                [Problem("error", "modes", "", "name", "the modes table needs a name column")]
            )
        modes = []
        for i, row in enumerate(tab.to_dict("records")):
            name = str(row.get("name", "") or "").strip()
            rid = name or f"row {i + 1}"
            if not name:
                problems.append(Problem("error", "modes", rid, "name", "empty mode name"))
                continue
            rec: dict[str, Any] = {"name": name}
            for f in fields(Mode):
                if f.name == "name" or f.name not in row:
                    continue
                raw = row[f.name]
                if f.name in ("water", "scheduled"):
                    text = str(raw).strip().lower() if raw == raw else ""
                    if text in _BOOL_TRUE:
                        rec[f.name] = True
                    elif text in _BOOL_FALSE:
                        rec[f.name] = False
                    else:
                        problems.append(
                            Problem("error", "modes", rid, f.name, f"not true/false: {raw!r}")
                        )
                elif f.name == "gauge_mm":
                    num = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
                    if num != num:
                        num = 0
                    if num < 0 or num != int(num):
                        problems.append(
                            Problem("error", "modes", rid, f.name, f"not a gauge: {raw!r}")
                        )
                        continue
                    rec[f.name] = int(num)
                else:
                    text = "" if raw != raw else str(raw).strip()
                    if text or f.name == "description":
                        rec[f.name] = text
            modes.append(Mode(**rec))
        if problems:
            raise NetworkValidationError(problems, source="modes table")
        return cls(modes)
