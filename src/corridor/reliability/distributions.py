"""Probability distributions of durations (hours), sampled in bulk with numpy.

Four families cover what the evidence on the corridors supports:

* :class:`Degenerate` -- a constant (no spread known, or spread switched off);
* :class:`LogNormal` -- positive, right-skewed dwell and delay times, given by their mean and
  coefficient of variation (the figures CAREC CPMM publishes are means);
* :class:`Triangular` -- a minimum, most likely and maximum value, when that is what a
  source gives;
* :class:`Empirical` -- observed values, resampled with replacement.

Every distribution is a small frozen record with ``mean_h``, ``minimum_h``,
``deterministic_h`` (the value used by deterministic evaluation: the mean), a vectorised
``sample(rng, size)`` and ``scaled(factor)``. Random generators come from
:func:`make_rng` (a :class:`numpy.random.SeedSequence`), so a seed gives the same numbers on
every machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError

__all__ = [
    "Degenerate",
    "Distribution",
    "Empirical",
    "LogNormal",
    "Triangular",
    "make_distribution",
    "make_rng",
]


def make_rng(seed: int | np.random.SeedSequence | None) -> np.random.Generator:
    """Return a PCG64 generator seeded through a :class:`numpy.random.SeedSequence`.

    Parameters
    ----------
    seed : int, SeedSequence or None
        ``None`` draws fresh entropy from the operating system.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> float(make_rng(1).random()) == float(make_rng(1).random())
    True

    """
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.Generator(np.random.PCG64(ss))


@runtime_checkable
class Distribution(Protocol):
    """What every duration distribution offers."""

    @property
    def mean_h(self) -> float:
        """Expected value in hours."""
        ...

    @property
    def minimum_h(self) -> float:
        """Smallest possible value in hours."""
        ...

    @property
    def deterministic_h(self) -> float:
        """Value used by deterministic evaluation (the mean)."""
        ...

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """Draw ``size`` independent values."""
        ...

    def scaled(self, factor: float) -> Distribution:
        """Return the distribution of ``factor`` times a draw."""
        ...


def _check_nonneg(name: str, value: float) -> None:
    if not (math.isfinite(value) and value >= 0.0):
        raise InputError(f"{name} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class Degenerate:
    """A constant duration.

    Parameters
    ----------
    value_h : float
        The duration in hours (>= 0).

    Examples
    --------
    >>> Degenerate(3.0).sample(make_rng(0), 2).tolist()
    [3.0, 3.0]

    """

    value_h: float

    def __post_init__(self) -> None:
        _check_nonneg("value_h", self.value_h)

    @property
    def mean_h(self) -> float:
        """Expected value in hours."""
        return self.value_h

    @property
    def minimum_h(self) -> float:
        """Smallest possible value in hours."""
        return self.value_h

    @property
    def deterministic_h(self) -> float:
        """Value used by deterministic evaluation."""
        return self.value_h

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """Return ``size`` copies of the value."""
        return np.full(size, self.value_h, dtype=np.float64)

    def scaled(self, factor: float) -> Degenerate:
        """Return the constant times ``factor``."""
        return Degenerate(self.value_h * factor)


@dataclass(frozen=True)
class LogNormal:
    """A lognormal duration given by its mean and coefficient of variation.

    With ``cv = sd / mean``: ``sigma**2 = log(1 + cv**2)`` and
    ``mu = log(mean) - sigma**2 / 2`` (moment matching).

    Parameters
    ----------
    mean_h : float
        Expected value in hours (> 0, or 0 for an always-zero duration).
    cv : float
        Coefficient of variation (>= 0; 0 gives a constant).

    Examples
    --------
    >>> d = LogNormal(10.0, 0.5)
    >>> round(d.median_h, 4)
    8.9443
    >>> x = d.sample(make_rng(1), 200_000)
    >>> bool(abs(x.mean() - 10.0) < 0.1)
    True

    """

    mean_h: float
    cv: float

    def __post_init__(self) -> None:
        _check_nonneg("mean_h", self.mean_h)
        _check_nonneg("cv", self.cv)

    @property
    def sigma(self) -> float:
        """Standard deviation of ``log(X)``."""
        return math.sqrt(math.log1p(self.cv * self.cv))

    @property
    def mu(self) -> float:
        """Mean of ``log(X)`` (``-inf`` for a zero mean)."""
        if self.mean_h == 0.0:
            return -math.inf
        return math.log(self.mean_h) - 0.5 * self.sigma**2

    @property
    def median_h(self) -> float:
        """Median in hours: ``exp(mu)``."""
        return 0.0 if self.mean_h == 0.0 else math.exp(self.mu)

    @property
    def minimum_h(self) -> float:
        """Smallest possible value in hours (0, or the mean when ``cv == 0``)."""
        return self.mean_h if self.cv == 0.0 else 0.0

    @property
    def deterministic_h(self) -> float:
        """Value used by deterministic evaluation (the mean)."""
        return self.mean_h

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """Draw ``size`` values."""
        if self.mean_h == 0.0 or self.cv == 0.0:
            return np.full(size, self.mean_h, dtype=np.float64)
        return rng.lognormal(self.mu, self.sigma, size)

    def scaled(self, factor: float) -> LogNormal:
        """Return the lognormal of ``factor`` times a draw (same cv)."""
        return LogNormal(self.mean_h * factor, self.cv)


@dataclass(frozen=True)
class Triangular:
    """A triangular duration: minimum, most likely and maximum value.

    Parameters
    ----------
    low_h, mode_h, high_h : float
        ``0 <= low_h <= mode_h <= high_h``.

    Examples
    --------
    >>> Triangular(1.0, 2.0, 6.0).mean_h
    3.0

    """

    low_h: float
    mode_h: float
    high_h: float

    def __post_init__(self) -> None:
        for name in ("low_h", "mode_h", "high_h"):
            _check_nonneg(name, getattr(self, name))
        if not self.low_h <= self.mode_h <= self.high_h:
            raise InputError(
                "triangular needs low_h <= mode_h <= high_h, got "
                f"({self.low_h}, {self.mode_h}, {self.high_h})"
            )

    @property
    def mean_h(self) -> float:
        """Expected value in hours."""
        return (self.low_h + self.mode_h + self.high_h) / 3.0

    @property
    def minimum_h(self) -> float:
        """Smallest possible value in hours."""
        return self.low_h

    @property
    def deterministic_h(self) -> float:
        """Value used by deterministic evaluation (the mean)."""
        return self.mean_h

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """Draw ``size`` values."""
        if self.low_h == self.high_h:
            return np.full(size, self.low_h, dtype=np.float64)
        return rng.triangular(self.low_h, self.mode_h, self.high_h, size)

    def scaled(self, factor: float) -> Triangular:
        """Return the triangular of ``factor`` times a draw."""
        return Triangular(self.low_h * factor, self.mode_h * factor, self.high_h * factor)


@dataclass(frozen=True)
class Empirical:
    """Observed durations, resampled uniformly with replacement.

    Parameters
    ----------
    values_h : tuple of float
        At least one observation, each >= 0.

    Examples
    --------
    >>> Empirical((2.0, 4.0)).mean_h
    3.0

    """

    values_h: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.values_h:
            raise InputError("empirical distribution needs at least one value, got none")
        for v in self.values_h:
            _check_nonneg("values_h", v)

    @property
    def mean_h(self) -> float:
        """Expected value in hours."""
        return float(np.mean(self.values_h))

    @property
    def minimum_h(self) -> float:
        """Smallest possible value in hours."""
        return float(min(self.values_h))

    @property
    def deterministic_h(self) -> float:
        """Value used by deterministic evaluation (the mean)."""
        return self.mean_h

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """Draw ``size`` values."""
        return rng.choice(np.asarray(self.values_h, dtype=np.float64), size=size, replace=True)

    def scaled(self, factor: float) -> Empirical:
        """Return the observations times ``factor``."""
        return Empirical(tuple(v * factor for v in self.values_h))


_FAMILIES = ("degenerate", "lognormal", "triangular", "empirical")


def make_distribution(
    family: str,
    *,
    mean_h: float = math.nan,
    cv: float = math.nan,
    low_h: float = math.nan,
    mode_h: float = math.nan,
    high_h: float = math.nan,
    values_h: tuple[float, ...] = (),
) -> Distribution:
    """Build a distribution from a family name and its parameters (as in the data tables).

    Parameters
    ----------
    family : str
        One of ``degenerate`` (uses ``mean_h``), ``lognormal`` (``mean_h``, ``cv``),
        ``triangular`` (``low_h``, ``mode_h``, ``high_h``), ``empirical`` (``values_h``).
    mean_h, cv, low_h, mode_h, high_h : float
        Parameters, by family.
    values_h : tuple of float
        Observations of an empirical distribution.

    Returns
    -------
    Distribution

    Raises
    ------
    InputError
        For an unknown family or missing parameters.

    Examples
    --------
    >>> make_distribution("lognormal", mean_h=5.0, cv=0.2)
    LogNormal(mean_h=5.0, cv=0.2)

    """
    if family == "degenerate":
        return Degenerate(mean_h)
    if family == "lognormal":
        return LogNormal(mean_h, 0.0 if math.isnan(cv) else cv)
    if family == "triangular":
        return Triangular(low_h, mode_h, high_h)
    if family == "empirical":
        return Empirical(values_h)
    raise InputError(f"unknown distribution family {family!r}: use one of {', '.join(_FAMILIES)}")
