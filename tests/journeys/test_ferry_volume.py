"""corridor.route with the ferry queue model: the bad case moves with month and volume."""

from __future__ import annotations

from datetime import datetime

import pytest

import corridor


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.load_default()


def _p90(net: corridor.Network, month: int, volume: float | None) -> tuple[float, list[str]]:
    r = corridor.route(
        net, "Almaty", "Tehran", objective="cost", k=1, reliability=True,
        depart=datetime(2026, month, 1, 8), samples=800, seed=1, ferry_volume=volume,
    )[0]  # fmt: skip
    assert r.reliability is not None
    return float(r.reliability["p90_h"]), [leg.service_id for leg in r.legs if leg.service_id]


def test_p90_moves_with_volume_and_month(net: corridor.Network) -> None:
    base, services = _p90(net, 6, None)
    assert services, "the cheapest Almaty-Tehran route should sail the Caspian"
    over_june, _ = _p90(net, 6, 1.1)
    over_dec, _ = _p90(net, 12, 1.1)
    # past the line's capacity a queue builds: the bad case is far worse than the
    # departure rule alone, and worse still in December, when the queue has built all year
    assert over_june > base + 48.0
    assert over_dec > over_june
    # the deterministic time is routing's in every case (one model)
    r = corridor.route(
        net, "Almaty", "Tehran", objective="cost", k=1, reliability=True,
        depart=datetime(2026, 6, 1), samples=200, seed=1, ferry_volume=1.1,
    )[0]  # fmt: skip
    assert r.reliability is not None
    assert r.reliability["deterministic_h"] == pytest.approx(r.time_h)


def test_ferry_volume_is_checked(net: corridor.Network) -> None:
    with pytest.raises(corridor.InputError, match="ferry_volume"):
        corridor.route(net, "Almaty", "Tehran", reliability=True, depart=datetime(2026, 6, 1),
                       ferry_volume=5.0)  # fmt: skip
