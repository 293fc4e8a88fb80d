"""What a route search is asked: one frozen, checked record shared by every interface.

:class:`SearchRequest` holds the options of :func:`corridor.routing.search_routes` (and
the search part of :func:`corridor.route`), checked when it is made: a text where a list is
expected is one item (``avoid_countries="TKM"``), never split into letters; numbers are
checked for type and range; every refusal is an :class:`~corridor.errors.InputError` naming
the argument. Checks that need the network (unknown places, countries, modes) happen in
the search.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from corridor._checks import as_bool, as_names, as_number, as_whole
from corridor.errors import InputError
from corridor.graph.driving import CREWS
from corridor.objectives import DEFAULT_OBJECTIVE, get_objective

__all__ = ["CREWS", "DEFAULT_MAX_RATIO", "MAX_K", "MAX_UNITS", "MAX_VIA", "SearchRequest"]

#: Most alternatives one search returns.
MAX_K = 100
#: Most units of cargo in one request (a billion tonnes is far beyond any consignment).
MAX_UNITS = 1e9
#: Most via places.
MAX_VIA = 20
#: Largest carbon price or value of time accepted, USD (per tonne, per hour).
_MAX_PRICE = 1e9
#: Alternatives worse than the best by more than this factor on the objective are dropped.
DEFAULT_MAX_RATIO = 1.5


@dataclass(frozen=True)
class SearchRequest:
    """The options of a route search, checked.

    Attributes
    ----------
    origin, destination : str
        Place ids, names or aliases.
    objective : str
        An additive objective of :data:`corridor.objectives.OBJECTIVES`.
    cargo : str
        Cargo class or alias.
    units : float
        Units of cargo (> 0).
    k : int
        Alternatives wanted (1 to :data:`MAX_K`).
    avoid_countries, avoid_places : tuple of str
        Countries (ISO alpha-3) and places no route may touch.
    modes : tuple of str or None
        Allowed modes; all when None.
    via : tuple of str
        Places the route must pass, in order.
    include_planned : bool
        Use planned places and links too.
    value_of_time_usd_per_h : float or None
        For the whole consignment; None for the network's table.
    carbon_price_usd_per_t : float
        Price of a tonne of CO2e in the generalized cost.
    crew : int
        Drivers per truck (1 or 2): the drivers' hours rules of road legs
        (:mod:`corridor.graph.driving`).
    max_ratio : float or None
        Alternatives whose objective value is more than ``max_ratio`` times the best's are
        dropped (and the route's ``method`` says how many); ``None`` keeps them all.

    Examples
    --------
    >>> SearchRequest("Almaty", "Tehran", avoid_countries="TKM").avoid_countries
    ('TKM',)
    >>> SearchRequest("Almaty", "Tehran", units=0)
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: units must be a finite number > 0 and <= 1e+09, got 0

    """

    origin: str
    destination: str
    objective: str = DEFAULT_OBJECTIVE
    cargo: str = "container_40ft"
    units: float = 1.0
    k: int = 3
    avoid_countries: tuple[str, ...] = ()
    avoid_places: tuple[str, ...] = ()
    modes: tuple[str, ...] | None = None
    via: tuple[str, ...] = ()
    include_planned: bool = False
    value_of_time_usd_per_h: float | None = None
    carbon_price_usd_per_t: float = 0.0
    crew: int = 1
    max_ratio: float | None = DEFAULT_MAX_RATIO

    def __post_init__(self) -> None:
        for name in ("origin", "destination"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(
                    f"{name} must be a place name or id, got {value!r}",
                    argument=name,
                    value=value,
                    allowed="a place id, name or alias",
                )
        get_objective(self.objective, additive_only=True)
        if not isinstance(self.cargo, str) or not self.cargo.strip():
            raise InputError(
                f"cargo must be a cargo class name, got {self.cargo!r}",
                argument="cargo",
                value=self.cargo,
            )
        set_ = object.__setattr__
        set_(self, "units", as_number(self.units, "units", low=0, high=MAX_UNITS, low_open=True))
        set_(self, "k", as_whole(self.k, "k", low=1, high=MAX_K))
        set_(self, "avoid_countries", as_names(self.avoid_countries, "avoid_countries"))
        set_(self, "avoid_places", as_names(self.avoid_places, "avoid_places"))
        modes = as_names(self.modes, "modes", allow_none=True)
        if modes is not None and not modes:
            raise InputError(
                "modes must name at least one mode (or be None for all)",
                argument="modes",
                value=[],
            )
        set_(self, "modes", modes)
        via = as_names(self.via, "via")
        assert via is not None
        if len(via) > MAX_VIA:
            raise InputError(
                f"via may name at most {MAX_VIA} places, got {len(via)}",
                argument="via",
                value=len(via),
                allowed=f"at most {MAX_VIA}",
            )
        set_(self, "via", via)
        set_(self, "include_planned", as_bool(self.include_planned, "include_planned"))
        if self.value_of_time_usd_per_h is not None:
            set_(
                self,
                "value_of_time_usd_per_h",
                as_number(
                    self.value_of_time_usd_per_h,
                    "value_of_time_usd_per_h",
                    low=0,
                    high=_MAX_PRICE,
                ),
            )
        set_(
            self,
            "carbon_price_usd_per_t",
            as_number(
                self.carbon_price_usd_per_t, "carbon_price_usd_per_t", low=0, high=_MAX_PRICE
            ),
        )
        crew = as_whole(self.crew, "crew", low=min(CREWS), high=max(CREWS))
        set_(self, "crew", crew)
        if self.max_ratio is not None:
            set_(self, "max_ratio", as_number(self.max_ratio, "max_ratio", low=1, high=1e9))

    @classmethod
    def from_options(cls, origin: str, destination: str, **options: Any) -> SearchRequest:
        """Build a request, refusing unknown option names.

        Raises
        ------
        InputError
            For an option that is not a field (the allowed names are listed).

        """
        names = [f.name for f in fields(cls) if f.name not in ("origin", "destination")]
        unknown = sorted(set(options) - set(names))
        if unknown:
            raise InputError(
                f"unknown option(s) {', '.join(unknown)}: allowed are {', '.join(names)}",
                argument=unknown[0],
                allowed=names,
            )
        return cls(origin, destination, **options)
