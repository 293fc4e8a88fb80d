from __future__ import annotations

import pandas as pd

from corridor.network import Network
from corridor.testing import tiny_network


def test_from_frames_fills_standard_columns() -> None:
    net = Network.from_frames(
        pd.DataFrame({"place_id": ["A", "B"]}),
        pd.DataFrame({"link_id": ["1"], "from_id": ["A"], "to_id": ["B"], "mode": ["road"]}),
    )
    assert list(net.places.columns[:7]) == [
        "place_id",
        "name",
        "country",
        "kind",
        "lon",
        "lat",
        "status",
    ]
    assert net.places["status"].tolist() == ["open", "open"]
    assert net.places["kind"].tolist() == ["junction", "junction"]
    assert net.links["status"].tolist() == ["open"]


def test_edits_return_new_network() -> None:
    net = tiny_network()
    fewer = net.without_links(["AD"])
    assert fewer.n_links == 3
    assert net.n_links == 4
    assert "AD" in set(net.links["link_id"])


def test_planned_links_dropped_unless_asked() -> None:
    net = tiny_network()
    links = net.links.copy()
    links.loc[links["link_id"] == "AD", "status"] = "planned"
    net = net.replace(links=links)
    assert net.with_status(include_planned=False).n_links == 3
    assert net.with_status(include_planned=True).n_links == 4


def test_summary_counts_by_mode_and_country() -> None:
    s = tiny_network().summary()
    assert s["places_by_country"] == {"IRN": 2, "KAZ": 2}
    assert s["links_by_mode"] == {"rail_1435": 1, "rail_1520": 2, "road": 1}
