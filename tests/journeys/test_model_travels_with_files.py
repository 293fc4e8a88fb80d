"""The parameter tables, stochastic ones included, travel with the network's GMNS folder."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

import corridor
from corridor.network import read_gmns, write_gmns
from corridor.reliability import simulate_route


def test_written_and_read_back_network_gives_the_same_answers(tmp_path: Path) -> None:
    net = corridor.load_default()
    write_gmns(net, tmp_path / "net")
    back = read_gmns(tmp_path / "net")
    assert set(back.parameters) == set(net.parameters)
    a = corridor.route(net, "Almaty", "Tehran", k=2)
    b = corridor.route(back, "Almaty", "Tehran", k=2)
    assert [r.time_h for r in a] == pytest.approx([r.time_h for r in b])
    assert [r.cost_usd for r in a] == pytest.approx([r.cost_usd for r in b])
    depart = datetime(2026, 12, 1, 8)
    sa = simulate_route(net, a[0], depart=depart, samples=500, seed=3)
    sb = simulate_route(back, b[0], depart=depart, samples=500, seed=3)
    np.testing.assert_allclose(sa.transit_time_h, sb.transit_time_h)


def test_editing_a_dwell_changes_routing_and_simulation_together() -> None:
    # one place to edit: the Kazakh rail exit side. Routing and simulation move together.
    net = corridor.load_default()
    sides = net.parameters["border_sides"]
    rows = (sides["country"] == "KAZ") & (sides["mode_group"] == "rail") & (sides["side"] == "exit")
    edited = sides.copy()
    edited.loc[rows, "dwell_time_h"] = 100.0
    params = dict(net.parameters)
    params["border_sides"] = edited
    slow = net.replace(parameters=params)
    base = corridor.route(net, "Almaty", "Tehran", k=1, modes=["rail_1520", "rail_1435"])[0]
    after = corridor.route(slow, "Almaty", "Tehran", k=1, modes=["rail_1520", "rail_1435"])[0]
    assert after.time_h > base.time_h
    depart = datetime(2026, 12, 1, 8)
    res = simulate_route(slow, after, depart=depart, samples=200, seed=1)
    assert res.deterministic_h == pytest.approx(after.time_h)
