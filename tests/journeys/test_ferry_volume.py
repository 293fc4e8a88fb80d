"""corridor.route with the ferry queue model: the bad case moves with month and volume."""

from __future__ import annotations

from datetime import datetime

import pytest

import corridor


@pytest.fixture(scope="module")
def net() -> corridor.Network:
    return corridor.load_default()


#: No land route is left once these are avoided: the cheapest Almaty-Tehran route sails
#: the Caspian (Kuryk-Amirabad, a line the queue model covers).
_BY_SEA = ("TKM", "UZB", "AZE", "RUS")


def _p90(net: corridor.Network, month: int, volume: float | None) -> tuple[float, list[str]]:
    r = corridor.route(
        net, "Almaty", "Tehran", objective="cost", k=1, reliability=True,
        depart=datetime(2026, month, 1, 8), samples=800, seed=1, ferry_volume=volume,
        avoid_countries=_BY_SEA,
    )[0]  # fmt: skip
    assert r.reliability is not None
    return float(r.reliability["p90_h"]), [leg.service_id for leg in r.legs if leg.service_id]


def test_p90_moves_with_volume_and_month(net: corridor.Network) -> None:
    from corridor.ferries import ferry_line_infos

    base, services = _p90(net, 6, None)
    modelled = {i.service_id for i in ferry_line_infos(net) if i.line is not None}
    assert set(services) & modelled, f"the route should sail a modelled line, got {services}"
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
        avoid_countries=_BY_SEA,
    )[0]  # fmt: skip
    assert r.reliability is not None
    assert r.reliability["deterministic_h"] == pytest.approx(r.time_h)


def test_ferry_volume_is_checked(net: corridor.Network) -> None:
    with pytest.raises(corridor.InputError, match="ferry_volume"):
        corridor.route(net, "Almaty", "Tehran", reliability=True, depart=datetime(2026, 6, 1),
                       ferry_volume=5.0)  # fmt: skip
