"""Weights of the conjugate (CFW) and biconjugate (BFW) Frank-Wolfe target points.

Pure numpy on vectors in the space where the Hessian of the objective is diagonal (link
flows for road assignment, loads of capacity elements for freight flows): both solvers,
``corridor.assignment.assign`` and ``corridor.flows.solve``, call these, then build the
target point in their own space from the weights.

References: Mitradjieva and Patriksson (2013), "A Frank-Wolfe type theorem for ...
conjugate directions", Transportation Science 47(2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["biconjugate_weights", "conjugate_weight"]


def conjugate_weight(
    h: NDArray[np.float64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    s1: NDArray[np.float64],
) -> float | None:
    """Weight ``a`` of the CFW target ``a s1 + (1 - a) y``, or None for plain Frank-Wolfe.

    ``s1 - x`` and the new direction are H-conjugate (``h`` the Hessian's diagonal at
    ``x``). None when ``a <= 0`` (y alone) or ``a`` is near or above 1 (the direction
    degenerates to the previous one: a step of length ~0).

    Examples
    --------
    >>> h, x = np.ones(2), np.zeros(2)
    >>> conjugate_weight(h, x, np.array([1.0, 0.0]), np.array([0.0, 1.0])) is None
    True
    >>> conjugate_weight(h, x, np.array([1.0, 0.0]), np.array([-1.0, 1.0]))
    0.3333333333333333

    """
    dbar = s1 - x
    num = float(np.sum(h * dbar * (y - x)))
    den = float(np.sum(h * dbar * (y - s1)))
    a = num / den if den != 0.0 else 0.0
    if not 0.0 < a < 1.0 - 1e-6:
        return None
    return a


def biconjugate_weights(
    h: NDArray[np.float64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    s1: NDArray[np.float64],
    s2: NDArray[np.float64],
    tau: float,
) -> tuple[float, float, float]:
    """Weights ``(b0, b1, b2)`` of the BFW target ``b0 y + b1 s1 + b2 s2``.

    ``s1``, ``s2`` are the last two target points, ``tau`` the last step (< 1), ``h`` the
    Hessian's diagonal at ``x``. The weights sum to 1; ``b1 = b2 = 0`` is plain
    Frank-Wolfe.

    Examples
    --------
    >>> h, x = np.ones(2), np.zeros(2)
    >>> biconjugate_weights(h, x, np.array([1.0, 0.0]), np.array([1.0, 0.0]),
    ...                     np.array([1.0, 0.0]), 0.5)
    (1.0, 0.0, 0.0)

    """
    d1 = s1 - x
    d2 = tau * s1 - x + (1.0 - tau) * s2
    den_mu = float(np.sum(h * d2 * (s2 - s1)))
    mu = -float(np.sum(h * d2 * (y - x))) / den_mu if den_mu != 0.0 else 0.0
    mu = max(0.0, mu)
    den_nu = float(np.sum(h * d1 * d1))
    nu = -float(np.sum(h * d1 * (y - x))) / den_nu if den_nu != 0.0 else 0.0
    nu = max(0.0, nu + mu * tau / (1.0 - tau))
    b0 = 1.0 / (1.0 + mu + nu)
    return b0, nu * b0, mu * b0
