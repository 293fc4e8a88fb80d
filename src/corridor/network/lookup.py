"""Find places by id, name or alias, forgiving case, diacritics, hyphens and typos.

Matching keys are normalised with :func:`normalize_name`: Unicode NFKD, combining marks
dropped, ``casefold``, and hyphens, apostrophes, dots and runs of spaces removed, so that
``Türkmenbaşy``, ``turkmenbasy`` and ``TURKMENBAŞY`` are the same key and
``Bandar-e Anzali`` equals ``bandar e anzali``. Unknown queries raise
:class:`~corridor.errors.PlaceNotFoundError` with up to three close matches (rapidfuzz).

The keys of a network are built once and kept while the network lives (a
:class:`weakref.WeakKeyDictionary`: a network never changes in place, so they cannot go
stale), so a look-up by name costs a dictionary access, not a pass over the places.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from corridor.errors import InputError, PlaceNotFoundError
from corridor.network.model import PLACE_KINDS, Network

__all__ = ["check_country", "check_kind", "find_place", "normalize_name", "search_places"]

_DROP = str.maketrans("", "", "-‐–—'’`ʼ‘.,()_/")
_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ß": "ss", "ə": "e"})


def normalize_name(text: str) -> str:
    """Return the matching key of a place name: no case, accents, hyphens or spaces.

    Parameters
    ----------
    text : str
        A name, alias or id.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_name("Türkmenbaşy")
    'turkmenbasy'
    >>> normalize_name("Bandar-e Anzali") == normalize_name("bandar e anzali")
    True
    >>> normalize_name("Ашхабад")
    'ашхабад'

    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(plain.translate(_DROP).split())


@dataclass(frozen=True)
class _Keys:
    """The matching keys of one network's places."""

    ids: frozenset[str]  # the place ids as they are
    by_id: Mapping[str, str]  # id key -> id
    by_name: Mapping[str, frozenset[str]]  # name or alias key -> ids
    display: Mapping[str, str]  # id -> display name


_CACHE: weakref.WeakKeyDictionary[Network, _Keys] = weakref.WeakKeyDictionary()


def _keys(network: Network) -> _Keys:
    """Return the matching keys of the network's places (built once per network)."""
    got = _CACHE.get(network)
    if got is None:
        got = _build_keys(network)
        _CACHE[network] = got
    return got


def _build_keys(network: Network) -> _Keys:
    by_id: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    display: dict[str, str] = {}
    places = network.places
    aliases = places["aliases"] if "aliases" in places.columns else pd.Series([""] * len(places))
    for pid, name, alias in zip(places["place_id"], places["name"], aliases, strict=True):
        pid, name = str(pid), str(name)
        display[pid] = name
        by_id[normalize_name(pid)] = pid
        for text in [name, *str(alias).split("|")]:
            key = normalize_name(text)
            if key:
                by_name.setdefault(key, set()).add(pid)
    return _Keys(
        ids=frozenset(display),
        by_id=MappingProxyType(by_id),
        by_name=MappingProxyType({k: frozenset(v) for k, v in by_name.items()}),
        display=MappingProxyType(display),
    )


def find_place(network: Network, query: str) -> str:
    """Return the id of the place that ``query`` names.

    ``query`` may be a place id (any case), a name or an alias, in any case and with or
    without diacritics, hyphens or apostrophes.

    Parameters
    ----------
    network : Network
        The network to search.
    query : str
        Id, name or alias.

    Returns
    -------
    str
        The place id.

    Raises
    ------
    PlaceNotFoundError
        If nothing matches (with up to three close matches as suggestions), or if the name
        is shared by several places (the candidates are the suggestions).

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> net = load_default()
    >>> find_place(net, "AQTAU")
    'KZ_AKTAU'
    >>> find_place(net, "Türkmenbaşy")
    'TM_TURKMENBASHI'
    >>> find_place(net, "kz_almaty")
    'KZ_ALMATY'
    >>> find_place(net, "Almati")
    Traceback (most recent call last):
    ...
    corridor.errors.PlaceNotFoundError: unknown place 'Almati': did you mean 'Almaty' (KZ_ALMATY)?

    """
    _check_network(network)
    if not isinstance(query, str) or not query.strip():
        raise InputError(
            f"query must be a place id, name or alias, got {query!r}",
            argument="query",
            value=query,
            allowed="non-empty text",
        )
    keys = _keys(network)
    if query in keys.ids:
        return query
    key = normalize_name(query)
    if key in keys.by_id:
        return keys.by_id[key]
    ids = keys.by_name.get(key, frozenset())
    if len(ids) == 1:
        return next(iter(ids))
    if len(ids) > 1:
        ranked = sorted(ids)
        raise PlaceNotFoundError(str(query), [(keys.display[p], p) for p in ranked[:3]])
    raise PlaceNotFoundError(str(query), _suggest(key, keys.by_name, keys.display))


def _suggest(
    key: str, by_name: Mapping[str, frozenset[str]], display: Mapping[str, str]
) -> list[tuple[str, str]]:
    if not key:
        return []
    from rapidfuzz import fuzz, process  # only for a miss: keeps `corridor route` light

    choices = list(by_name)
    hits = process.extract(key, choices, scorer=fuzz.ratio, limit=12, score_cutoff=60)
    out: list[tuple[str, str]] = []
    best = hits[0][1] if hits else 0.0
    for choice, score, _ in hits:
        if score < best - 3:
            break
        for pid in sorted(by_name[choice]):
            if all(pid != seen for _, seen in out):
                out.append((display[pid], pid))
        if len(out) >= 3:
            break
    return out[:3]


def _check_network(network: object) -> None:
    if not isinstance(network, Network):
        raise InputError(
            f"network must be a corridor Network, got {type(network).__name__}",
            argument="network",
            value=type(network).__name__,
            allowed="a corridor.Network",
        )


def check_country(country: object) -> str:
    """Return the ISO 3166-1 alpha-3 code of a country code or English name.

    Raises
    ------
    InputError
        For anything else (``argument="country"``).

    Examples
    --------
    >>> check_country("kz"), check_country("IRN")
    ('KAZ', 'IRN')

    """
    text = country.strip() if isinstance(country, str) else ""
    found = None
    if text:
        import pycountry  # reads its database on first use

        try:
            found = pycountry.countries.lookup(text)
        except LookupError:
            found = None
    if found is None:
        raise InputError(
            f"country {country!r} is not an ISO 3166 alpha-2 or alpha-3 code or name; "
            "allowed e.g. KZ, KAZ, IR, IRN, TM, TKM",
            argument="country",
            value=country,
            allowed="an ISO 3166-1 alpha-2 or alpha-3 code or English name",
        )
    return str(found.alpha_3)


def check_kind(kind: object) -> str:
    """Return ``kind`` if it is one of :data:`~corridor.network.model.PLACE_KINDS`.

    Raises
    ------
    InputError
        For anything else (``argument="kind"``), listing the kinds.

    """
    if not isinstance(kind, str) or kind not in PLACE_KINDS:
        raise InputError(
            f"kind {kind!r} is not allowed; allowed: {', '.join(PLACE_KINDS)}",
            argument="kind",
            value=kind,
            allowed=PLACE_KINDS,
        )
    return kind


def search_places(
    network: Network, *, country: str | None = None, kind: str | None = None
) -> pd.DataFrame:
    """Return the places of a country and/or kind, sorted by id.

    Parameters
    ----------
    network : Network
        The network to search.
    country : str, optional
        ISO 3166-1 alpha-2 or alpha-3 code (``KZ`` or ``KAZ``) or English name.
    kind : str, optional
        One of :data:`corridor.network.PLACE_KINDS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``place_id``, ``name``, ``country``, ``kind``, ``lon``, ``lat``,
        ``status`` and ``aliases`` (when present).

    Raises
    ------
    InputError
        On an unknown country or kind, naming the allowed values.

    Examples
    --------
    >>> from corridor.network.default import load_default
    >>> ports = search_places(load_default(), country="KZ", kind="port")
    >>> list(ports["place_id"])
    ['KZ_AKTAU_PORT', 'KZ_KURYK']

    """
    _check_network(network)
    code = None if country is None else check_country(country)
    if kind is not None:
        check_kind(kind)
    places = network.places
    mask = pd.Series(True, index=places.index)
    if code is not None:
        mask &= places["country"] == code
    if kind is not None:
        mask &= places["kind"] == kind
    cols = [
        c
        for c in ("place_id", "name", "country", "kind", "lon", "lat", "status", "aliases")
        if c in places.columns
    ]
    return places.loc[mask, cols].sort_values("place_id").reset_index(drop=True)
