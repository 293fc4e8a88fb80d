"""What a route search can minimise: the one registry of objectives every module asks.

An :class:`Objective` is data, not code in a search: an **additive** objective is a linear
combination of the per-edge figures of the expanded graph (``time_h``, ``cost_usd``,
``co2e_kg``, ``length_km``), so a route's value is the sum over its edges and Dijkstra finds
the best; a **simulated** objective is a statistic of the Monte Carlo transit time
(:mod:`corridor.reliability`), found by searching candidates with an additive objective and
ranking them by the simulation (:mod:`corridor.journeys`). The search
(:mod:`corridor.routing`), the ranking (:mod:`corridor.journeys`) and every interface read
:data:`OBJECTIVES`; adding an objective is one entry here.

The generalized cost is ``cost_usd + value_of_time_usd_per_h * time_h +
carbon_price_usd_per_t * co2e_kg / 1000``: freight plus the money value of the days in
transit and of the emissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from corridor.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["DEFAULT_OBJECTIVE", "FIGURES", "OBJECTIVES", "Objective", "get_objective"]

#: The objective of a search when none is named.
DEFAULT_OBJECTIVE = "generalized"

#: Per-edge (and per-route) figures an additive objective may weigh.
FIGURES: tuple[str, ...] = ("time_h", "cost_usd", "co2e_kg", "length_km")

# numpy only for the type checker: importing this module (the CLI does) stays light
_T = TypeVar("_T", float, "NDArray[np.float64]")


@dataclass(frozen=True)
class Objective:
    """One objective of a route search.

    Attributes
    ----------
    name : str
        Its name (``"time"``, ``"p90_time"`` ...).
    description : str
        One line for help texts.
    unit : str
        Unit of its value (``"h"``, ``"USD"``, ``"kg CO2e"``).
    kind : {"additive", "simulated"}
        Summed over edges, or a statistic of the simulated transit time.
    terms : mapping of str to float
        Additive: coefficient of each figure of :data:`FIGURES`.
    uses_value_of_time, uses_carbon_price : bool
        Additive: add ``value_of_time_usd_per_h * time_h`` / ``carbon_price_usd_per_t *
        co2e_kg / 1000`` to the terms.
    statistic : str
        Simulated: the key of :meth:`corridor.reliability.ReliabilityResult.to_dict` it
        ranks by (``"p90_h"``).
    candidates : str
        Simulated: the additive objective that proposes the candidate routes.

    Examples
    --------
    >>> OBJECTIVES["generalized"].value(time_h=10.0, cost_usd=500.0, co2e_kg=2000.0,
    ...     length_km=900.0, value_of_time_usd_per_h=27.0, carbon_price_usd_per_t=50.0)
    870.0

    """

    name: str
    description: str
    unit: str
    kind: str = "additive"
    terms: Mapping[str, float] = field(default_factory=dict)
    uses_value_of_time: bool = False
    uses_carbon_price: bool = False
    statistic: str = ""
    candidates: str = ""

    @property
    def additive(self) -> bool:
        """True when the value is a sum over edges."""
        return self.kind == "additive"

    def value(
        self,
        *,
        time_h: _T,
        cost_usd: _T,
        co2e_kg: _T,
        length_km: _T,
        value_of_time_usd_per_h: float = 0.0,
        carbon_price_usd_per_t: float = 0.0,
    ) -> _T:
        """Return the additive value from figures (per-edge arrays or route totals).

        Raises
        ------
        InputError
            For a simulated objective (its value comes from the simulation).

        """
        if not self.additive:
            raise InputError(
                f"objective {self.name!r} is simulated: its value is the {self.statistic} of "
                "the simulated transit time, not a sum of figures",
                argument="objective",
                value=self.name,
            )
        figures = {
            "time_h": time_h,
            "cost_usd": cost_usd,
            "co2e_kg": co2e_kg,
            "length_km": length_km,
        }
        total = 0.0 * time_h
        for name, coef in self.terms.items():
            total = total + coef * figures[name]
        # a price of zero adds nothing, not even an unknown (NaN) figure
        if self.uses_value_of_time and value_of_time_usd_per_h:
            total = total + value_of_time_usd_per_h * time_h
        if self.uses_carbon_price and carbon_price_usd_per_t:
            total = total + carbon_price_usd_per_t * co2e_kg / 1000.0
        return total


OBJECTIVES: Mapping[str, Objective] = MappingProxyType(
    {
        o.name: o
        for o in (
            Objective("time", "expected door-to-door time", "h", terms={"time_h": 1.0}),
            Objective("cost", "money: freight, fees and handling", "USD", terms={"cost_usd": 1.0}),
            Objective("co2e", "well-to-wheel emissions", "kg CO2e", terms={"co2e_kg": 1.0}),
            Objective("length", "distance", "km", terms={"length_km": 1.0}),
            Objective(
                "generalized",
                "money + value of time x time + carbon price x CO2e",
                "USD",
                terms={"cost_usd": 1.0},
                uses_value_of_time=True,
                uses_carbon_price=True,
            ),
            Objective(
                "mean_time",
                "mean simulated transit time",
                "h",
                kind="simulated",
                statistic="mean_h",
                candidates="time",
            ),
            Objective(
                "p50_time",
                "median simulated transit time",
                "h",
                kind="simulated",
                statistic="p50_h",
                candidates="time",
            ),
            Objective(
                "p90_time",
                "90th percentile of the simulated transit time (the bad case)",
                "h",
                kind="simulated",
                statistic="p90_h",
                candidates="time",
            ),
            Objective(
                "p95_time",
                "95th percentile of the simulated transit time",
                "h",
                kind="simulated",
                statistic="p95_h",
                candidates="time",
            ),
        )
    }
)


def get_objective(name: str, *, additive_only: bool = False) -> Objective:
    """Return the objective named ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`OBJECTIVES`.
    additive_only : bool, default False
        Refuse simulated objectives (for a plain search).

    Returns
    -------
    Objective

    Raises
    ------
    InputError
        Unknown name (the allowed names are listed and carried in ``allowed``).

    Examples
    --------
    >>> get_objective("p90_time").statistic
    'p90_h'
    >>> get_objective("fastest")
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: unknown objective 'fastest': allowed are time, cost, ...

    """
    allowed = [n for n, o in OBJECTIVES.items() if o.additive or not additive_only]
    found = OBJECTIVES.get(name) if isinstance(name, str) else None
    if found is None or found.name not in allowed:
        raise InputError(
            f"unknown objective {name!r}: allowed are {', '.join(allowed)}",
            argument="objective",
            value=name,
            allowed=allowed,
        )
    return found
