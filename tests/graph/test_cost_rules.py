"""Customs unions, terminals, service fares with a distance term and speeds by service class.

Known answers on the test networks of :mod:`corridor.testing`, each table changed by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from corridor.graph import build_graph
from corridor.routing import search_routes as route
from corridor.testing import border_network, ferry_network, gauge_network, road_network

_SRC = "test fixture: made-up figure"


def _with(net, **tables):  # type: ignore[no-untyped-def]
    params = dict(net.parameters)
    params.update(tables)
    return net.replace(parameters=params)


def test_customs_union_crossing_has_no_border_process() -> None:
    # border_network C(TKM)/D(IRN) takes TKM exit 5 h + IRN entry 7 h; in one union: 0 h.
    unions = pd.DataFrame(
        {"union_id": ["U", "U"], "country": ["TKM", "IRN"], "country_source": [_SRC] * 2}
    )
    r = route(_with(border_network(), customs_unions=unions), "A", "D", k=1)[0]
    assert [b.time_h for b in r.borders] == [8.0, 0.0]  # the B/C borders row still applies
    assert [b.cost_usd for b in r.borders] == [100.0, 0.0]
    assert r.border_countries == ("KAZ>TKM", "TKM>IRN")  # still a border, just no wait
    assert r.time_h == pytest.approx(34.2 - 12.0)


def test_a_row_for_the_crossing_beats_the_union() -> None:
    unions = pd.DataFrame({"union_id": ["U", "U"], "country": ["KAZ", "TKM"]})
    r = route(_with(border_network(), customs_unions=unions), "A", "D", k=1)[0]
    assert [b.time_h for b in r.borders] == [8.0, 12.0]


def test_transfers_only_where_a_terminal_exists() -> None:
    net = road_network()  # rail-road terminals priced at B and C
    only_c = pd.DataFrame(
        {
            "place_id": ["C"],
            "kind": ["mode_change"],
            "from_mode": ["rail_1520"],
            "to_mode": ["road"],
            "existence_source": [_SRC],
        }
    )
    g = build_graph(_with(net, terminals=only_c), cargo="container")
    changes = {
        (g.place_ids[p], g.mode_name(a), g.mode_name(b))
        for k, p, a, b in zip(
            g.edge_kind.tolist(),
            g.edge_ref.tolist(),
            g.edge_from_mode.tolist(),
            g.edge_to_mode.tolist(),
            strict=True,
        )
        if k == 5  # mode_change
    }
    # one row serves both directions; B has no terminal
    assert changes == {("C", "rail_1520", "road"), ("C", "road", "rail_1520")}
    # by time the box goes rail to C, then by truck (31.15 h); with no terminal, all by road
    assert [leg.kind for leg in route(net, "A", "D", k=1, objective="time")[0].legs][2] == (
        "mode_change"
    )
    none = only_c.iloc[0:0]
    r = route(_with(net, terminals=none), "A", "D", k=1, objective="time")[0]
    assert {leg.mode for leg in r.legs} == {"road"}


def test_missing_terminal_at_a_gauge_break_is_no_error_but_no_change() -> None:
    terminals = pd.DataFrame(columns=["place_id", "kind", "from_mode", "to_mode"])
    net = _with(gauge_network(), terminals=terminals)
    r = route(net, "A", "B", k=1)[0]
    assert [leg.mode for leg in r.legs] == ["road"]


def test_service_fare_with_a_distance_term() -> None:
    net = ferry_network()
    svc = net.parameters["ferry_services"].copy()
    svc["rate_usd_per_teu"] = 100.0
    svc["rate_usd_per_teu_km"] = 2.0
    r = route(_with(net, ferry_services=svc), "A", "B", k=1)[0]
    ferry = next(leg for leg in r.legs if leg.service_id)
    # per FEU (2 TEU): 2 x (100 + 2 x 430 km) = 1920 USD
    assert ferry.cost_usd == pytest.approx(1920.0)
    svc["rate_usd_per_teu"] = float("nan")  # the distance part alone
    r = route(_with(net, ferry_services=svc), "A", "B", k=1)[0]
    assert next(leg for leg in r.legs if leg.service_id).cost_usd == pytest.approx(1720.0)


def test_speeds_by_class_of_service() -> None:
    net = gauge_network()
    speeds = net.parameters["mode_speeds"].assign(service="")
    slow = pd.DataFrame(
        {"mode": ["rail_1520"], "country": ["*"], "service": ["wagonload"], "speed_kmh": [10.0]}
    )
    cargo = net.parameters["cargo_classes"].assign(
        service=["container_block_train", "container_block_train", "wagonload", ""]
    )
    net = _with(net, mode_speeds=pd.concat([speeds, slow]), cargo_classes=cargo)
    box = route(net, "A", "B", k=1, cargo="container", objective="time")[0]
    bulk = route(net, "A", "B", k=1, cargo="bulk", objective="time", modes=["rail_1520",
                 "rail_1435"])[0]  # fmt: skip
    assert box.legs[0].time_h == pytest.approx(200 / 50)
    assert bulk.legs[0].time_h == pytest.approx(200 / 10)  # wagonload row
    assert bulk.legs[-1].time_h == pytest.approx(120 / 40)  # no wagonload row: the * row
