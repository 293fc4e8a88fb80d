"""Volume-delay functions: the one set of link costs, derivatives and integrals of assignment.

Every solver (the Frank–Wolfe family in :mod:`corridor.assignment.assign`, the bush method in
:mod:`corridor.assignment.bush`) evaluates link costs through the functions here, which numba
pastes into each kernel (``inline="always"``). Per link, with ``x = v / cap``:

- **BPR** (code ``0``): ``t(v) = t0 (1 + alpha x^beta) + fixed``.
- **Conical** (code ``1``; Spiess 1990, "Conical volume-delay functions", *Transportation
  Science* 24(2)): ``t(v) = t0 (2 + sqrt(a^2 (1 - x)^2 + b^2) - a (1 - x) - b) + fixed`` with
  ``a = beta`` (the steepness, > 1; the BPR power plays that role) and
  ``b = (2a - 1) / (2a - 2)``. ``alpha`` is not used.

``fixed`` is the flow-independent part of the cost (toll and distance weights). The Beckmann
objective is ``sum_a int_0^{v_a} t_a(s) ds`` (fixed costs included, as ``fixed * v``).

Convention at zero flow
-----------------------
For ``v <= 0`` the BPR cost is its free-flow value ``t0 + fixed`` (so ``0 ** 0`` counts as 0)
and its derivative is the right derivative where that is finite: ``0`` for ``beta > 1``,
``t0 alpha / cap`` for ``beta == 1``. Where it is infinite (``0 < beta < 1``) the derivative is
reported as ``0.0``: the derivative only ever serves as a Newton curvature (the line search,
the conjugate directions, the bush's flow shifts), each of which is safeguarded, and an
infinite value would freeze all flow off such a link. ``beta == 0`` (a constant multiplier)
has derivative 0 everywhere. A link with ``alpha == 0`` or ``t0 == 0`` costs ``t0 + fixed``
at every flow.

Numba's on-disk cache of a kernel does not notice edits to the functions it inlined: after
changing this module (or :mod:`corridor.graph._heap`), delete the cached kernels
(``find src -name '*.nbi' -o -name '*.nbc' | xargs rm``) or they keep the old code.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

from corridor.errors import InputError

__all__ = [
    "BPR",
    "CONICAL",
    "VDF_CODES",
    "beckmann",
    "link_costs",
    "link_derivatives",
    "vdf_code",
    "vdf_cost",
    "vdf_derivative",
    "vdf_integral",
]

BPR = 0
CONICAL = 1

#: The one table of volume-delay function names and the codes the kernels take.
VDF_CODES: dict[str, int] = {"bpr": BPR, "conical": CONICAL}


def vdf_code(name: str, beta: NDArray[np.float64] | None = None) -> int:
    """Return the kernel code of a volume-delay function, checking its parameters.

    Parameters
    ----------
    name : {"bpr", "conical"}
        The function.
    beta : numpy.ndarray of float64, optional
        The links' powers; ``"conical"`` needs every one above 1.

    Returns
    -------
    int

    Raises
    ------
    InputError
        On an unknown name, or a conical function with some ``beta <= 1``.

    Examples
    --------
    >>> vdf_code("conical")
    1
    >>> vdf_code("akcelik")
    Traceback (most recent call last):
    ...
    corridor.errors.InputError: vdf: unknown 'akcelik'; allowed: bpr, conical

    """
    if name not in VDF_CODES:
        raise InputError(
            f"vdf: unknown {name!r}; allowed: {', '.join(VDF_CODES)}",
            argument="vdf",
            value=name,
            allowed=list(VDF_CODES),
        )
    code = VDF_CODES[name]
    if code == CONICAL and beta is not None and np.any(np.asarray(beta) <= 1.0):
        raise InputError(
            "vdf: 'conical' needs beta (power) > 1 on every link",
            argument="vdf",
            value=name,
        )
    return code


@njit(cache=True, inline="always")
def _power(x: float, beta: float) -> float:  # pragma: no cover - compiled
    """``x ** beta`` for ``x > 0``, multiplying out the common power 4."""
    if beta == 4.0:
        x2 = x * x
        return x2 * x2
    if beta == 1.0:
        return x
    return math.pow(x, beta)


@njit(cache=True, inline="always")
def vdf_cost(
    code: int, t0: float, alpha: float, beta: float, cap: float, fixed: float, v: float
) -> float:  # pragma: no cover - compiled
    """Return the cost of one link carrying ``v`` (time plus fixed cost)."""
    x = v / cap
    if code == BPR:
        if alpha == 0.0 or t0 == 0.0 or x <= 0.0:
            return t0 + fixed
        return t0 * (1.0 + alpha * _power(x, beta)) + fixed
    b = (2.0 * beta - 1.0) / (2.0 * beta - 2.0)
    u = beta * (1.0 - x)
    return t0 * (2.0 + math.sqrt(u * u + b * b) - u - b) + fixed


@njit(cache=True, inline="always")
def vdf_derivative(
    code: int, t0: float, alpha: float, beta: float, cap: float, v: float
) -> float:  # pragma: no cover - compiled
    """Return ``dt/dv`` of one link at ``v`` (see the module's convention at zero flow)."""
    if t0 == 0.0:
        return 0.0
    x = v / cap
    if code == BPR:
        if alpha == 0.0 or beta == 0.0:
            return 0.0
        if beta == 1.0:
            return t0 * alpha / cap
        if x <= 0.0:
            return 0.0
        return t0 * alpha * beta * _power(x, beta - 1.0) / cap
    b = (2.0 * beta - 1.0) / (2.0 * beta - 2.0)
    u = beta * (1.0 - x)
    return t0 / cap * beta * (1.0 - u / math.sqrt(u * u + b * b))


@njit(cache=True, inline="always")
def vdf_integral(
    code: int, t0: float, alpha: float, beta: float, cap: float, fixed: float, v: float
) -> float:  # pragma: no cover - compiled
    """Return ``int_0^v t(s) ds`` of one link (fixed cost included)."""
    x = v / cap
    if code == BPR:
        if alpha == 0.0 or t0 == 0.0 or x <= 0.0:
            return (t0 + fixed) * v
        return t0 * (v + alpha * cap * _power(x, beta) * x / (beta + 1.0)) + fixed * v
    a = beta
    b = (2.0 * a - 1.0) / (2.0 * a - 2.0)
    u0 = a
    u1 = a * (1.0 - x)
    r0 = math.sqrt(u0 * u0 + b * b)
    r1 = math.sqrt(u1 * u1 + b * b)
    g0 = 0.5 * u0 * r0 + 0.5 * b * b * math.log(u0 + r0)
    g1 = 0.5 * u1 * r1 + 0.5 * b * b * math.log(u1 + r1)
    area = (2.0 - b) * x - a * (x - 0.5 * x * x) + (g0 - g1) / a
    return t0 * cap * area + fixed * v


@njit(cache=True, nogil=True)
def link_costs(
    code: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    fixed: NDArray[np.float64],
    flow: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:  # pragma: no cover - compiled
    """Fill ``out`` with the link costs ``t(flow)`` (time plus fixed cost).

    Parameters
    ----------
    code : int
        :data:`BPR` or :data:`CONICAL`.
    fft, alpha, beta, cap, fixed, flow : numpy.ndarray of float64
        Per-link parameters and flows.
    out : numpy.ndarray of float64
        Output, overwritten.

    Examples
    --------
    >>> import numpy as np
    >>> out, one = np.empty(1), np.ones(1)
    >>> link_costs(BPR, 10 * one, 0.15 * one, 4 * one, 100 * one, 0 * one, 200 * one, out)
    >>> float(out[0])
    34.0

    """
    for a in range(flow.shape[0]):
        out[a] = vdf_cost(code, fft[a], alpha[a], beta[a], cap[a], fixed[a], flow[a])


@njit(cache=True, nogil=True)
def link_derivatives(
    code: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    flow: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:  # pragma: no cover - compiled
    """Fill ``out`` with ``dt/dv`` at ``flow``.

    Parameters
    ----------
    code : int
        :data:`BPR` or :data:`CONICAL`.
    fft, alpha, beta, cap, flow : numpy.ndarray of float64
        Per-link parameters and flows.
    out : numpy.ndarray of float64
        Output, overwritten.

    Examples
    --------
    >>> import numpy as np
    >>> out, one = np.empty(1), np.ones(1)
    >>> link_derivatives(BPR, 10 * one, 0.15 * one, 4 * one, 100 * one, 100 * one, out)
    >>> round(float(out[0]), 12)
    0.06

    """
    for a in range(flow.shape[0]):
        out[a] = vdf_derivative(code, fft[a], alpha[a], beta[a], cap[a], flow[a])


@njit(cache=True, nogil=True)
def beckmann(
    code: int,
    fft: NDArray[np.float64],
    alpha: NDArray[np.float64],
    beta: NDArray[np.float64],
    cap: NDArray[np.float64],
    fixed: NDArray[np.float64],
    flow: NDArray[np.float64],
) -> float:  # pragma: no cover - compiled
    """Return the Beckmann objective ``sum_a int_0^{v_a} t_a(s) ds``.

    Parameters
    ----------
    code : int
        :data:`BPR` or :data:`CONICAL`.
    fft, alpha, beta, cap, fixed, flow : numpy.ndarray of float64
        Per-link parameters and flows.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> one = np.ones(1)
    >>> beckmann(BPR, 10 * one, 0.15 * one, 4 * one, 100 * one, 0 * one, 100 * one)
    1030.0

    """
    total = 0.0
    for a in range(flow.shape[0]):
        total += vdf_integral(code, fft[a], alpha[a], beta[a], cap[a], fixed[a], flow[a])
    return total
