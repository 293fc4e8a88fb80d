"""Service limits of the REST API (after Valhalla's ``service_limits``).

A request over a limit is refused before any work with a 400 whose problem body names the
limit (``limit``), the value asked (``value``) and what is allowed (``allowed``). The time
budget is checked while the request runs: one that takes longer is answered with the same
kind of 400 (the computation is abandoned, not retried).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

from corridor.errors import InputError

__all__ = ["ServiceLimitError", "ServiceLimits"]


class ServiceLimitError(InputError):
    """A request asks for more than a service limit allows.

    Parameters
    ----------
    limit : str
        The field of :class:`ServiceLimits` (``"max_k"``, ``"time_budget_s"`` ...).
    argument : str
        The request parameter that is over the limit (``"k"``), or ``""`` for the whole
        request (time budget, body size).
    value : object
        What was asked.
    maximum : float
        The limit's value.
    floor : bool, default False
        The limit is a least value (``min_flow_gap``): ``value`` is under it.

    Examples
    --------
    >>> err = ServiceLimitError("max_k", "k", 50, 10)
    >>> str(err)
    'k = 50 is over the service limit max_k = 10'
    >>> err.to_dict()["limit"], err.to_dict()["allowed"]
    ('max_k', ['<= 10'])

    """

    def __init__(
        self, limit: str, argument: str, value: object, maximum: float, *, floor: bool = False
    ) -> None:
        self.limit = limit
        self.maximum = maximum
        self.floor = floor
        what = f"{argument} = {value}" if argument else f"the request ({value})"
        side, allowed = ("under", ">=") if floor else ("over", "<=")
        super().__init__(
            f"{what} is {side} the service limit {limit} = {maximum:g}",
            argument=argument or None,
            value=value,
            allowed=f"{allowed} {maximum:g}",
        )

    def to_dict(self) -> dict[str, object]:
        """Return the error's fields, with ``limit`` and ``maximum`` (or ``minimum``)."""
        bound = "minimum" if self.floor else "maximum"
        return {**super().to_dict(), "limit": self.limit, bound: self.maximum}


@dataclass(frozen=True)
class ServiceLimits:
    """What one request may ask of the service.

    Attributes
    ----------
    max_k : int, default 10
        Alternatives per route query.
    max_samples : int, default 100000
        Monte Carlo draws per route.
    max_via : int, default 5
        Intermediate places of a route query.
    max_avoid : int, default 50
        Avoided countries plus avoided places.
    max_places : int, default 100
        Places returned by one ``/v1/places`` query.
    max_body_bytes : int, default 1000000
        Size of a request body (a larger one is a 413).
    time_budget_s : float, default 20
        Wall time one request may take, waiting for a worker thread included.
    max_concurrent : int, default 4
        Requests computed at once in one worker process; the others wait their turn
        (within the time budget).
    max_labels : int, default 1000000
        Label budget of a Pareto search (``/v1/routes?pareto=true``; the CLI's default).
        A request may ask less (``max_labels``); a front whose search hit the budget is
        answered with ``front.complete`` false, never cut silently.
    max_flow_iterations : int, default 5000
        Iterations of a flow assignment (``/v1/flows``, ``max_iter``).
    min_flow_gap : float, default 1e-10
        The smallest relative gap a flow assignment may target (``gap``).
    max_growth_terms : int, default 20
        Growth specs of a flow case (``growth`` plus ``path``).
    max_growth_factor : float, default 100
        The largest factor a flow may be grown by: the product of the factors above 1
        (a growth path's compounded over its steps).
    max_steps : int, default 20
        Steps of a growth path (``steps``; each is one more assignment).
    max_top : int, default 100
        Bottlenecks listed by a flow case (``top``).

    Examples
    --------
    >>> ServiceLimits(max_k=5).max_k
    5
    >>> ServiceLimits(max_k=0)
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: ServiceLimits.max_k must be a positive number, got 0

    """

    max_k: int = 10
    max_samples: int = 100_000
    max_via: int = 5
    max_avoid: int = 50
    max_places: int = 100
    max_body_bytes: int = 1_000_000
    time_budget_s: float = 20.0
    max_concurrent: int = 4
    max_labels: int = 1_000_000
    max_flow_iterations: int = 5000
    min_flow_gap: float = 1e-10
    max_growth_terms: int = 20
    max_growth_factor: float = 100.0
    max_steps: int = 20
    max_top: int = 100

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not (
                isinstance(value, int | float) and math.isfinite(value) and value > 0
            ):
                raise InputError(
                    f"ServiceLimits.{f.name} must be a positive number, got {value!r}",
                    argument=f.name,
                    value=value,
                    allowed="> 0",
                )

    def to_dict(self) -> dict[str, float]:
        """Return the limits as a JSON-ready dict (served by ``/v1/health``)."""
        return dict(asdict(self))

    def check(self, limit: str, argument: str, value: float) -> None:
        """Raise :class:`ServiceLimitError` if ``value`` is over the limit ``limit``.

        Examples
        --------
        >>> ServiceLimits().check("max_k", "k", 3)
        >>> ServiceLimits().check("max_samples", "samples", 10**6)
        Traceback (most recent call last):
        ...
        corridor.api.limits.ServiceLimitError: samples = 1000000 is over the service limit \
max_samples = 100000

        """
        maximum = getattr(self, limit)
        if value > maximum:
            raise ServiceLimitError(limit, argument, value, maximum)

    def check_floor(self, limit: str, argument: str, value: float) -> None:
        """Raise :class:`ServiceLimitError` if ``value`` is under the least value ``limit``.

        Examples
        --------
        >>> ServiceLimits().check_floor("min_flow_gap", "gap", 0.0)
        Traceback (most recent call last):
        ...
        corridor.api.limits.ServiceLimitError: gap = 0.0 is under the service limit \
min_flow_gap = 1e-10

        """
        minimum = getattr(self, limit)
        if value < minimum:
            raise ServiceLimitError(limit, argument, value, minimum, floor=True)
