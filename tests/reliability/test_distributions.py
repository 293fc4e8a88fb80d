from __future__ import annotations

import math

import numpy as np
import pytest

from corridor.errors import InputError
from corridor.reliability.distributions import (
    Degenerate,
    Empirical,
    LogNormal,
    Triangular,
    make_distribution,
    make_rng,
)


def test_lognormal_moment_matching() -> None:
    d = LogNormal(20.0, 0.5)
    assert math.isclose(math.exp(d.mu + d.sigma**2 / 2), 20.0)
    x = d.sample(make_rng(3), 400_000)
    # standard error of the mean is 20 * 0.5 / sqrt(4e5) = 0.016 h; 0.1 h is > 6 SE
    assert abs(x.mean() - 20.0) < 0.1
    assert abs(x.std() / x.mean() - 0.5) < 0.01


def test_triangular_and_empirical() -> None:
    t = Triangular(1.0, 2.0, 6.0)
    x = t.sample(make_rng(0), 200_000)
    assert x.min() >= 1.0
    assert x.max() <= 6.0
    assert abs(x.mean() - 3.0) < 0.02
    e = Empirical((1.0, 5.0))
    assert set(np.unique(e.sample(make_rng(0), 100)).tolist()) == {1.0, 5.0}
    assert e.minimum_h == 1.0
    assert e.scaled(2.0).values_h == (2.0, 10.0)


def test_degenerate_and_zero_spread_are_constant() -> None:
    assert Degenerate(4.0).sample(make_rng(1), 3).tolist() == [4.0] * 3
    assert LogNormal(4.0, 0.0).sample(make_rng(1), 3).tolist() == [4.0] * 3
    assert LogNormal(0.0, 0.5).sample(make_rng(1), 2).tolist() == [0.0, 0.0]


def test_same_seed_same_draws_other_seed_other_draws() -> None:
    d = LogNormal(10.0, 0.3)
    a = d.sample(make_rng(42), 10)
    assert np.array_equal(a, d.sample(make_rng(42), 10))
    assert not np.array_equal(a, d.sample(make_rng(43), 10))


@pytest.mark.parametrize(
    ("family", "kwargs"),
    [
        ("weibull", {"mean_h": 1.0}),
        ("lognormal", {"mean_h": -1.0, "cv": 0.2}),
        ("triangular", {"low_h": 3.0, "mode_h": 2.0, "high_h": 4.0}),
        ("empirical", {}),
    ],
)
def test_bad_parameters_raise_input_error(family: str, kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError):
        make_distribution(family, **kwargs)  # type: ignore[arg-type]
