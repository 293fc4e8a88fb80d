"""Name the corridor a route takes, in a few words ("KTI rail", "Aktau–Amirabad sea + rail").

:func:`corridor_label` reads a route's legs and the network's places and modes; it never
looks at a route's totals. The rule, in order:

1. **Sea and ferry legs** (the scheduled modes of the network's mode registry) name the
   route: ``"<from>–<to> <mode>"`` for each, joined by ``" + "`` (``"Aktau–Amirabad sea"``).
2. Otherwise a **named corridor** whose border crossings the route all crosses by rail
   (:data:`NAMED_CORRIDORS`; the KTI railway), else the **last land border crossing** (the
   one into the destination's country), by the short names of its two sides, one name
   when they are the same town in two spellings (``"Sarakhs"``, ``"Astara"``,
   ``"Akyayla/Incheh Borun"``).
3. Then the **land modes** of the runs, grouped: ``rail`` for every rail gauge, other
   modes by name, in a fixed order (``"rail"``, ``"road"``, ``"rail+road"``).

A place's short name is its name without a bracketed part and without the words *port*,
*seaport*, *Port of*, *International* or *station* (``"Sarakhs (Iran)"`` is ``"Sarakhs"``,
``"Amirabad port"`` is ``"Amirabad"``).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from types import MappingProxyType

from rapidfuzz import fuzz

from corridor.network.lookup import normalize_name
from corridor.network.model import Network
from corridor.routing.types import Route

__all__ = ["NAMED_CORRIDORS", "corridor_label", "short_name"]

#: Corridors with a name of their own, by the border crossings (pairs of place ids, either
#: direction) that define them. The Kazakhstan-Turkmenistan-Iran railway crosses at
#: Bolashak-Serhetyaka (opened 11 May 2013, https://trend.az/business/transport/3298182.html)
#: and Akyayla-Incheh Borun (opened 3 Dec 2014, https://tass.com/world/764933).
NAMED_CORRIDORS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("KTI", (("KZ_BOLASHAK", "TM_SERHETYAKA"), ("TM_AKYAYLA", "IR_INCHE_BURUN"))),
)

_BRACKET = re.compile(r"\s*\([^)]*\)")
_WORDS = re.compile(r"\b(?:port of|international|seaport|port|station)\b", re.IGNORECASE)
_SAME_TOWN = 80.0  # rapidfuzz ratio above which two side names are one town's spellings

# short names by place id and the kind of each mode ("water", "rail" or the mode's name),
# built once per network (a network never changes in place)
_FACTS: weakref.WeakKeyDictionary[Network, tuple[Mapping[str, str], Mapping[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def _facts(network: Network) -> tuple[Mapping[str, str], Mapping[str, str]]:
    got = _FACTS.get(network)
    if got is None:
        places = network.places
        names = {
            str(p): short_name(str(n))
            for p, n in zip(places["place_id"], places["name"], strict=True)
        }
        kinds = {
            name: "water" if m.water else ("rail" if m.rail else name)
            for name, m in network.modes.items()
        }
        got = (MappingProxyType(names), MappingProxyType(kinds))
        _FACTS[network] = got
    return got


def short_name(name: str) -> str:
    """Return a place name without brackets and port or station words.

    Examples
    --------
    >>> short_name("Sarakhs (Iran)"), short_name("Port of Baku (Alat)")
    ('Sarakhs', 'Baku')
    >>> short_name("Turkmenbashi International Seaport"), short_name("Aktau seaport")
    ('Turkmenbashi', 'Aktau')

    """
    plain = _WORDS.sub(" ", _BRACKET.sub("", name))
    out = " ".join(plain.split())
    return out or name.strip()


def _crossing(a: str, b: str) -> str:
    if a == b or fuzz.ratio(normalize_name(a), normalize_name(b)) >= _SAME_TOWN:
        return b
    return f"{a}/{b}"


def corridor_label(network: Network, route: Route) -> str:
    """Return the corridor a route takes, in a few words (see the module docstring).

    Parameters
    ----------
    network : Network
        The network the route was found on (place names, mode registry).
    route : Route
        The route.

    Returns
    -------
    str

    Examples
    --------
    >>> from corridor.routing import search_routes
    >>> from corridor.testing import border_network
    >>> net = border_network()
    >>> corridor_label(net, search_routes(net, "A", "D", k=1)[0])
    'Charlie/Delta rail'

    """
    names, kinds = _facts(network)
    runs = [(leg, kinds.get(leg.mode, leg.mode)) for leg in route.legs if leg.kind == "run"]
    land = list(dict.fromkeys(k for _, k in runs if k != "water"))
    land.sort(key=lambda m: (m != "rail", m != "road", m))
    ground = "+".join(land)
    water = [leg for leg, k in runs if k == "water"]
    if water:
        sea = " + ".join(
            f"{names.get(leg.from_id, leg.from_id)}–{names.get(leg.to_id, leg.to_id)} {leg.mode}"
            for leg in water
        )
        return f"{sea} + {ground}" if ground else sea
    by_rail = {(b.from_id, b.to_id) for b in route.borders if kinds.get(b.mode) == "rail"}
    by_rail |= {(y, x) for x, y in by_rail}
    for name, crossings in NAMED_CORRIDORS:
        if all(c in by_rail for c in crossings):
            return f"{name} {ground}"
    if route.borders:
        last = route.borders[-1]
        a, b = names.get(last.from_id, last.from_id), names.get(last.to_id, last.to_id)
        return f"{_crossing(a, b)} {ground}"
    return ground or "transfer"
