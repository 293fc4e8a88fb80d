r"""The delay function of freight queues: Akçelik's time-dependent form.

A capacity element (a border crossing, a port, a ferry line ...) serves freight in batches
(trains, trucks, sailings). With demand ``L`` t/yr, capacity ``C`` t/yr and use
``x = L / C``, the mean queue delay per tonne, in hours, is

.. math::

    d(x) = \frac{T}{4}\left[(x - 1) + \sqrt{(x - 1)^2 + \frac{8 J x}{Q T}}\right]

(Akçelik 1991), with

* ``T`` the **flow period**: the time over which the demand holds. Our demand is annual,
  so ``T`` = 8,760 h by default;
* ``Q`` the capacity in batches per hour, ``C / (b x 8760)`` for a batch of ``b`` tonnes
  (the capacities table's ``batch_t``: a train of 45 wagons x 75.4 t, a 20 t truck, a
  sailing's wagons); ``Q T`` is the number of batches the element can serve in the
  period;
* ``J`` the delay parameter; ``J = 1`` is the M/M/1 queue (random arrivals, random
  service), ``J = 1/2`` the M/D/1 queue (fixed service times), from the
  Pollaczek–Khinchine mean wait ``x (1 + c_s^2) / (2 Q (1 - x))`` (Kleinrock 1975).

Why this function, not BPR:

* it is a queue: for ``T -> oo`` it tends to the steady-state wait
  ``J x / (Q (1 - x))`` below capacity (Davidson's function; delay rising steeply as use
  nears capacity), and past capacity to ``T (x - 1) / 2``, the mean wait of a queue that
  grows at rate ``L - C`` over the period (Kimber and Hollis 1979's coordinate
  transformation joins the two);
* it is finite everywhere (Davidson's ``1 / (1 - x)`` is not, so it cannot be assigned
  past capacity), increasing and convex, so the equilibrium is unique and the
  Frank–Wolfe family converges;
* its parameters are physical (the batch size, the period), not fitted to road traffic
  as BPR's ``0.15`` and ``4`` are;
* the delay is **added** to the element's time, the same for every tonne in the queue
  (unlike BPR, which scales the free-flow time), as a border queue delays a grain wagon
  and a container alike. The additive form is AequilibraE's ``akcelik`` VDF
  (``t0 + alpha [z + sqrt(z^2 + tau x / c)]``, ``alpha = T / 4``, ``tau = 8 J / T``).

Without a batch size the steady-state term is dropped (``8 J x / (Q T) = 0``) and the
delay is the deterministic queue ``T max(0, x - 1) / 2`` alone.

Sources: R. Akçelik (1991), "Travel time functions for transport planning purposes:
Davidson's function, its time-dependent form and an alternative travel time function",
*Australian Road Research* 21(3), 49–59; A. Kimber and E. M. Hollis (1979), *Traffic
queues and delays at road junctions*, TRRL Laboratory Report 909; L. Kleinrock (1975),
*Queueing Systems, Vol. 1*, Wiley (M/G/1 mean wait).

A caveat: the element times of the parameter tables (border dwell, port transfers) were
observed at the loads of their year, so they already hold some queueing; the delay here
comes on top (a conservative reading: it overstates the delay at today's use).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.flows import _kernels as kern
from corridor.flows.elements import CapacityElement

__all__ = ["HOURS_PER_YEAR", "DelayModel", "akcelik_delay_h", "akcelik_use_for_delay"]

#: Hours in a (365-day) year.
HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True, eq=False)
class DelayModel:
    """Per-element parameters of the Akçelik delay (see the module docstring).

    Attributes
    ----------
    capacity_t_per_yr : numpy.ndarray
        ``C`` per element.
    kappa : numpy.ndarray
        ``8 J / (Q T)`` per element (0 without a batch size).
    period_h : numpy.ndarray
        ``T`` per element.

    """

    capacity_t_per_yr: NDArray[np.float64]
    kappa: NDArray[np.float64]
    period_h: NDArray[np.float64]

    @classmethod
    def for_elements(
        cls,
        elements: Sequence[CapacityElement],
        *,
        period_h: float = HOURS_PER_YEAR,
        j: float = 1.0,
    ) -> DelayModel:
        """Build the parameters of capacity elements (``capacity_t_per_yr``, ``batch_t``)."""
        cap = np.array([float(e.capacity_t_per_yr) for e in elements])
        batch = np.array([float(e.batch_t) for e in elements])
        q_per_h = cap / (np.where(np.isfinite(batch), batch, np.inf) * HOURS_PER_YEAR)
        with np.errstate(divide="ignore"):
            kappa = np.where(np.isfinite(batch), 8.0 * j / (q_per_h * period_h), 0.0)
        return cls(cap, kappa, np.full(cap.shape, float(period_h)))

    def delay_h(self, load_t_per_yr: NDArray[np.float64]) -> NDArray[np.float64]:
        """Delay (hours) of each element at its load."""
        out = np.empty_like(self.capacity_t_per_yr)
        kern.delay(
            np.ascontiguousarray(load_t_per_yr, dtype=np.float64),
            self.capacity_t_per_yr,
            self.kappa,
            self.period_h,
            out,
        )
        return out

    def derivative(self, load_t_per_yr: NDArray[np.float64]) -> NDArray[np.float64]:
        """D delay / d load (hours per t/yr) of each element."""
        out = np.empty_like(self.capacity_t_per_yr)
        kern.delay_derivative(
            np.ascontiguousarray(load_t_per_yr, dtype=np.float64),
            self.capacity_t_per_yr,
            self.kappa,
            self.period_h,
            out,
        )
        return out

    def capacity_derivative(self, load_t_per_yr: NDArray[np.float64]) -> NDArray[np.float64]:
        """D delay / d capacity (hours per t/yr of capacity) at fixed load; <= 0.

        With ``u = x - 1`` and ``r = sqrt(u^2 + kappa x)`` (``kappa`` proportional to
        ``1 / C``): ``dd/dC = -(T / 4) (x / C) (1 + (u + kappa) / r)``.
        """
        cap = self.capacity_t_per_yr
        x = np.asarray(load_t_per_yr, dtype=float) / cap
        u = x - 1.0
        r = np.sqrt(u * u + self.kappa * x)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(r > 0, (u + self.kappa) / r, np.sign(u))
        return -(self.period_h / 4.0) * (x / cap) * (1.0 + term)


def akcelik_delay_h(
    x: float | NDArray[np.float64], *, kappa: float, period_h: float = HOURS_PER_YEAR
) -> NDArray[np.float64]:
    """Return Akçelik's delay (hours) at use ``x`` (see the module docstring).

    Examples
    --------
    A deterministic queue past capacity: 10 % over for a year waits 438 h on average.

    >>> round(float(akcelik_delay_h(1.1, kappa=0.0)), 6)
    438.0

    With trains of 3,393 t at a 3 Mt/yr crossing (884 trains a year), at 90 % use:

    >>> k = 8 * 1.0 * 3393 / 3e6
    >>> round(float(akcelik_delay_h(0.9, kappa=k)), 1)
    76.0

    """
    xv = np.asarray(x, dtype=float)
    u = xv - 1.0
    return np.asarray(0.25 * period_h * (u + np.sqrt(u * u + kappa * xv)))


def akcelik_use_for_delay(
    delay_h: float, *, kappa: float, period_h: float = HOURS_PER_YEAR
) -> float:
    """Return the use ``x`` at which Akçelik's delay is ``delay_h`` (its inverse).

    With ``D = 4 d / T``: ``D - (x - 1) = sqrt((x - 1)^2 + kappa x)``, so
    ``x = (D^2 + 2 D) / (2 D + kappa)``. Known answers of tests are worked with it.

    Examples
    --------
    >>> x = akcelik_use_for_delay(50.0, kappa=0.01)
    >>> round(float(akcelik_delay_h(x, kappa=0.01)), 9)
    50.0

    """
    d = 4.0 * delay_h / period_h
    return (d * d + 2.0 * d) / (2.0 * d + kappa)
