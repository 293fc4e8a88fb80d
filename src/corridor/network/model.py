"""The multimodal freight network: places and links as columnar tables.

A :class:`Network` holds two :class:`pandas.DataFrame` tables, ``places`` (nodes) and
``links``, plus named parameter tables (tariffs, border dwell times, ...) and free-form
metadata. It is immutable by convention: every edit returns a new network and leaves the
old one as it was.

Table columns
-------------
``places`` (one row per place)
    ``place_id`` (str, stable, e.g. ``KZ_AKTAU``), ``name`` (str), ``country`` (ISO 3166-1
    alpha-3, ``""`` where unknown), ``kind`` (one of :data:`PLACE_KINDS`), ``lon``, ``lat``
    (WGS 84 degrees), ``status`` (one of :data:`STATUSES`); optional: ``aliases``
    (``|``-separated), ``unlocode``, and a ``<column>_source`` beside any figure.
``links`` (one row per directed link)
    ``link_id`` (str), ``from_id``, ``to_id`` (place ids), ``mode`` (one of :data:`MODES`),
    ``status``; usual figures: ``length_km``, ``time_h``, ``speed_kmh``,
    ``capacity_t_per_yr``, each with its ``<column>_source``. Other columns are kept as
    they are (TNTP's ``capacity``, ``free_flow_time``, ``b``, ``power`` ...).

Provenance: a figure column ``x`` is documented by a text column ``x_source`` holding a
reference (URL or publication and year) or ``computed: <method>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from corridor.network.modes import DEFAULT_MODES, Mode, ModeRegistry

__all__ = [
    "LINK_COLUMNS",
    "MODES",
    "PLACE_COLUMNS",
    "PLACE_KINDS",
    "STATUSES",
    "Mode",
    "ModeRegistry",
    "Network",
    "figure_columns",
]

#: Names of the default transport modes (:data:`~corridor.network.modes.DEFAULT_MODES`).
#: ``rail_1520`` is the broad (Russian) gauge, ``rail_1435`` standard gauge. A network
#: may define others in its ``modes`` parameter table: ask :attr:`Network.modes`.
MODES: tuple[str, ...] = tuple(m.name for m in DEFAULT_MODES)

#: Kinds of places.
PLACE_KINDS: tuple[str, ...] = (
    "city",
    "rail_station",
    "port",
    "border_crossing",
    "junction",
    "terminal",
    "zone",
)

#: Status of a place or link; planned ones are left out of searches unless asked for.
STATUSES: tuple[str, ...] = ("open", "planned")

#: Columns every places table has, in order.
PLACE_COLUMNS: tuple[str, ...] = ("place_id", "name", "country", "kind", "lon", "lat", "status")

#: Columns every links table has, in order.
LINK_COLUMNS: tuple[str, ...] = ("link_id", "from_id", "to_id", "mode", "status")

_TEXT_PLACE = ("place_id", "name", "country", "kind", "status")
_TEXT_LINK = ("link_id", "from_id", "to_id", "mode", "status")


def figure_columns(table: pd.DataFrame) -> list[str]:
    """Return the numeric columns of a table that are figures (not ids, not coordinates).

    Parameters
    ----------
    table : pandas.DataFrame
        A places or links table.

    Returns
    -------
    list of str
        Numeric columns other than ``lon`` and ``lat``.

    Examples
    --------
    >>> import pandas as pd
    >>> figure_columns(pd.DataFrame({"link_id": ["a"], "length_km": [1.0], "lon": [2.0]}))
    ['length_km']

    """
    return [
        str(c)
        for c in table.columns
        if c not in ("lon", "lat")
        and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]


def _normalise(
    table: pd.DataFrame, required: tuple[str, ...], text: tuple[str, ...]
) -> pd.DataFrame:
    out = table.copy()
    for col in required:
        if col not in out.columns:
            out[col] = "" if col in text else np.nan
    for col in text:
        out[col] = out[col].fillna("").astype(str)
    rest = [c for c in out.columns if c not in required]
    return out[list(required) + rest].reset_index(drop=True)


class _FrozenTables(Mapping[str, pd.DataFrame]):
    """A read-only mapping of tables that hands out copies (so no caller edits the network)."""

    __slots__ = ("_tables",)

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        self._tables = {str(k): v.copy(deep=False) for k, v in tables.items()}

    def __getitem__(self, name: str) -> pd.DataFrame:
        # a shallow copy: with pandas copy-on-write, editing it never reaches the network
        return self._tables[name].copy(deep=False)

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __repr__(self) -> str:
        return f"<parameter tables: {', '.join(self._tables)}>"


class Network:
    """A multimodal freight network: places, links and the parameter tables they need.

    Build one with :meth:`Network.from_frames`; read one with the ``read_*`` functions of
    :mod:`corridor.network`. A network cannot be changed in place: each table attribute
    returns a copy (cheap, copy-on-write), and every edit (:meth:`replace`,
    :meth:`with_links_added` ...) returns a new network. Caches keyed on a network (the
    expanded graph) can therefore never go stale.

    Attributes
    ----------
    places : pandas.DataFrame
        One row per place; see the module docstring for columns.
    links : pandas.DataFrame
        One row per directed link.
    parameters : mapping of str to pandas.DataFrame
        Named parameter tables (tariffs, dwell times, emission factors ...), including the
        distributions behind every stochastic figure (``docs/data-model.md``).
    metadata : mapping of str to object
        Free-form facts about the network (name, source, TNTP tags ...).
    modes : ModeRegistry
        The modes (from the ``modes`` parameter table, else the default registry).

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"place_id": ["A", "B"], "name": ["A", "B"],
    ...                        "lon": [0.0, 1.0], "lat": [0.0, 0.0]})
    >>> links = pd.DataFrame({"link_id": ["1"], "from_id": ["A"], "to_id": ["B"],
    ...                       "mode": ["road"], "length_km": [111.2]})
    >>> net = Network.from_frames(places, links)
    >>> net.n_places, net.n_links
    (2, 1)
    >>> net.links.loc[0, "status"]
    'open'
    >>> edited = net.links
    >>> edited.loc[0, "length_km"] = 5.0
    >>> float(net.links.loc[0, "length_km"])
    111.2

    """

    __slots__ = ("__weakref__", "_links", "_metadata", "_modes", "_parameters", "_places")
    _places: pd.DataFrame
    _links: pd.DataFrame
    _parameters: _FrozenTables
    _metadata: Mapping[str, Any]
    _modes: ModeRegistry | None

    def __init__(
        self,
        places: pd.DataFrame,
        links: pd.DataFrame,
        parameters: Mapping[str, pd.DataFrame] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "_places", places.copy(deep=False))
        object.__setattr__(self, "_links", links.copy(deep=False))
        object.__setattr__(self, "_parameters", _FrozenTables(parameters or {}))
        object.__setattr__(self, "_metadata", MappingProxyType(dict(metadata or {})))
        object.__setattr__(self, "_modes", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Network cannot be changed in place (tried to set {name!r})")

    def __repr__(self) -> str:
        name = self._metadata.get("name", "")
        return f"<Network {name!r}: {self.n_places} places, {self.n_links} links>"

    @property
    def places(self) -> pd.DataFrame:
        """The places table (a copy)."""
        return self._places.copy(deep=False)

    @property
    def links(self) -> pd.DataFrame:
        """The links table (a copy)."""
        return self._links.copy(deep=False)

    @property
    def parameters(self) -> Mapping[str, pd.DataFrame]:
        """The parameter tables by name (each a copy)."""
        return self._parameters

    @property
    def metadata(self) -> Mapping[str, Any]:
        """Facts about the network (read-only)."""
        return self._metadata

    @property
    def modes(self) -> ModeRegistry:
        """The mode registry: the ``modes`` parameter table, else :data:`DEFAULT_MODES`.

        Raises
        ------
        NetworkValidationError
            If the ``modes`` table is malformed.

        """
        if self._modes is None:
            table = self._parameters.get("modes")
            reg = ModeRegistry(DEFAULT_MODES) if table is None else ModeRegistry.from_table(table)
            object.__setattr__(self, "_modes", reg)
            return reg
        return self._modes

    @classmethod
    def from_frames(
        cls,
        places: pd.DataFrame,
        links: pd.DataFrame,
        *,
        parameters: Mapping[str, pd.DataFrame] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Network:
        """Build a network from tables, adding missing standard columns.

        Missing text columns become ``""``; a missing ``status`` becomes ``"open"``; a
        missing ``kind`` becomes ``"junction"``; missing ``lon``/``lat`` become NaN.
        Nothing is validated here: call :func:`corridor.network.validate`.

        Parameters
        ----------
        places, links : pandas.DataFrame
            The tables.
        parameters : mapping of str to pandas.DataFrame, optional
            Parameter tables.
        metadata : mapping, optional
            Facts about the network.

        Returns
        -------
        Network

        """
        p = _normalise(places, PLACE_COLUMNS, _TEXT_PLACE)
        lk = _normalise(links, LINK_COLUMNS, _TEXT_LINK)
        p.loc[p["status"] == "", "status"] = "open"
        p.loc[p["kind"] == "", "kind"] = "junction"
        lk.loc[lk["status"] == "", "status"] = "open"
        for col in ("lon", "lat"):
            p[col] = pd.to_numeric(p[col], errors="coerce").astype(float)
        return cls(places=p, links=lk, parameters=parameters, metadata=metadata)

    # ------------------------------------------------------------------ facts
    @property
    def n_places(self) -> int:
        """Number of places."""
        return len(self.places)

    @property
    def n_links(self) -> int:
        """Number of links."""
        return len(self.links)

    def place_index(self) -> dict[str, int]:
        """Map each place id to its row position.

        Returns
        -------
        dict of str to int

        """
        return {pid: i for i, pid in enumerate(self.places["place_id"])}

    def summary(self) -> dict[str, Any]:
        """Count places and links by mode, kind, country and status.

        Returns
        -------
        dict
            ``{"places": n, "links": n, "places_by_country": {...}, "places_by_kind": {...},
            "links_by_mode": {...}, "links_by_status": {...}}``

        Examples
        --------
        >>> from corridor.testing import tiny_network
        >>> tiny_network().summary()["links_by_mode"]["rail_1520"]
        2

        """

        def counts(series: pd.Series) -> dict[str, int]:
            vc = series.value_counts()
            return {str(k): int(v) for k, v in sorted(vc.items(), key=lambda kv: str(kv[0]))}

        return {
            "places": self.n_places,
            "links": self.n_links,
            "places_by_country": counts(self.places["country"]),
            "places_by_kind": counts(self.places["kind"]),
            "links_by_mode": counts(self.links["mode"]),
            "links_by_status": counts(self.links["status"]),
        }

    # ------------------------------------------------------------------ edits
    def replace(
        self,
        *,
        places: pd.DataFrame | None = None,
        links: pd.DataFrame | None = None,
        parameters: Mapping[str, pd.DataFrame] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Network:
        """Return a new network with some tables replaced.

        Parameters
        ----------
        places, links : pandas.DataFrame, optional
            New tables; the others are shared with this network.
        parameters, metadata : mapping, optional
            New parameter tables or metadata.

        Returns
        -------
        Network

        """
        return Network.from_frames(
            self.places if places is None else places,
            self.links if links is None else links,
            parameters=self.parameters if parameters is None else parameters,
            metadata=self.metadata if metadata is None else metadata,
        )

    def with_links_added(self, links: pd.DataFrame) -> Network:
        """Return a new network with extra links appended.

        Parameters
        ----------
        links : pandas.DataFrame
            Rows in the links schema.

        Returns
        -------
        Network

        """
        return self.replace(links=pd.concat([self.links, links], ignore_index=True))

    def without_links(self, link_ids: Iterable[str]) -> Network:
        """Return a new network without the given links.

        Parameters
        ----------
        link_ids : iterable of str
            Ids of links to drop; unknown ids are ignored.

        Returns
        -------
        Network

        """
        drop = set(link_ids)
        return self.replace(links=self.links[~self.links["link_id"].isin(drop)])

    def with_status(self, *, include_planned: bool) -> Network:
        """Return the network with or without its planned places and links.

        Parameters
        ----------
        include_planned : bool
            Keep planned elements when true; drop them when false.

        Returns
        -------
        Network

        """
        if include_planned:
            return self
        places = self.places[self.places["status"] != "planned"]
        keep = set(places["place_id"])
        links = self.links[
            (self.links["status"] != "planned")
            & self.links["from_id"].isin(keep)
            & self.links["to_id"].isin(keep)
        ]
        return self.replace(places=places, links=links)
