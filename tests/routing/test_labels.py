"""Corridor labels of routes: the rule of corridor.routing.labels on known routes."""

from __future__ import annotations

import pytest

from corridor.network.default import load_default
from corridor.routing import Leg, Route, search_routes
from corridor.routing.labels import corridor_label, short_name
from corridor.testing import border_network, ferry_network


@pytest.fixture(scope="module")
def net():  # type: ignore[no-untyped-def]
    return load_default()


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Sarakhs (Iran)", "Sarakhs"),
        ("Sarahs (Turkmenistan)", "Sarahs"),
        ("Amirabad port", "Amirabad"),
        ("Aktau seaport", "Aktau"),
        ("Port Kuryk", "Kuryk"),
        ("Port of Baku (Alat)", "Baku"),
        ("Turkmenbashi International Seaport", "Turkmenbashi"),
        ("Mangistau (Mangyshlak station)", "Mangistau"),
        ("Port", "Port"),  # nothing left: the name as it is
    ],
)
def test_short_name(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("origin", "destination", "options", "label"),
    [
        # KTI: Bolashak-Serhetyaka and Akyayla-Incheh Borun by rail
        (
            "Almaty",
            "Tehran",
            {"via": ["Bolashak"], "modes": ["rail_1520", "rail_1435"]},
            "KTI rail",
        ),
        # Sarakhs: one town on both sides, spelt two ways
        ("Almaty", "Tehran", {"avoid_places": ["Bolashak"], "objective": "co2e"}, "Sarakhs rail"),
        # across the Caspian: no land route left once TKM, UZB, AZE and RUS are avoided
        (
            "Almaty",
            "Tehran",
            {
                "via": ["Amirabad"],
                "avoid_countries": ["TKM", "UZB", "AZE", "RUS"],
                "objective": "cost",
            },
            "Kuryk–Amirabad ferry + rail",
        ),
        ("Almaty", "Astana", {"modes": ["road"]}, "road"),
        ("Almaty", "Tashkent", {"modes": ["road"]}, "Saryagash/Keles road"),
    ],
)
def test_labels_of_default_routes(net, origin, destination, options, label):
    route = search_routes(net, origin, destination, k=1, **options)[0]
    assert corridor_label(net, route) == label


def test_labels_read_the_mode_registry():
    # the ferry network: rail to the port, the ferry, rail on; the border is on the ferry
    net = ferry_network()
    route = search_routes(net, "A", "B", k=1)[0]
    assert any(leg.mode == "ferry" for leg in route.legs)
    label = corridor_label(net, route)
    assert "ferry" in label
    assert label.endswith("+ rail")
    # a hand-made route of one unknown mode is named by the mode
    leg = Leg(
        kind="run",
        mode="hovercraft",
        from_id="A",
        to_id="B",
        length_km=1.0,
        time_h=1.0,
        cost_usd=1.0,
        co2e_kg=1.0,
    )
    assert corridor_label(border_network(), Route(rank=1, legs=(leg,))) == "hovercraft"
    assert corridor_label(border_network(), Route(rank=1, legs=())) == "transfer"
