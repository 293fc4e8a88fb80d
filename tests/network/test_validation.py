from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import NetworkValidationError
from corridor.network import Network, validate
from corridor.testing import tiny_network


def with_links(net: Network, **changes: list[object]) -> Network:
    links = net.links.copy()
    for col, values in changes.items():
        links[col] = values
    return net.replace(links=links)


def errors_of(net: Network) -> set[tuple[str, str, str]]:
    with pytest.raises(NetworkValidationError) as info:
        validate(net)
    return {(p.table, p.row_id, p.column) for p in info.value.problems if p.severity == "error"}


def test_tiny_network_is_clean() -> None:
    assert validate(tiny_network()) == ()


def test_known_errors_on_tiny_network() -> None:
    net = with_links(
        tiny_network(),
        to_id=["B", "B", "Q", "D"],
        mode=["rail_1520", "rail_1520", "rail_1435", "hovercraft"],
        length_km=[100.0, math.nan, math.inf, -1.0],
        status=["open", "open", "open", "closed"],
    )
    assert errors_of(net) == {
        ("links", "BC", "to_id"),  # self-loop B -> B
        ("links", "CD", "to_id"),  # dangling
        ("links", "AD", "mode"),
        ("links", "BC", "length_km"),  # NaN
        ("links", "CD", "length_km"),  # inf
        ("links", "AD", "length_km"),  # negative
        ("links", "AD", "status"),
    }


def test_error_message_lists_all_and_counts() -> None:
    net = with_links(tiny_network(), mode=["x", "y", "road", "road"])
    with pytest.raises(NetworkValidationError) as info:
        validate(net, source="some/path")
    lines = str(info.value).splitlines()
    assert lines[0] == "some/path: invalid network: 2 error(s)"
    assert lines[1] == (
        "  error: links 'AB' [mode]: unknown mode 'x'; "
        "allowed: rail_1520, rail_1435, road, ferry, sea"
    )


def test_place_problems() -> None:
    net = tiny_network()
    places = net.places.copy()
    places.loc[0, "lon"] = 181.0
    places.loc[1, "lat"] = math.nan
    places.loc[2, "kind"] = "castle"
    places.loc[3, "place_id"] = "A"
    net = net.replace(places=places)
    with pytest.raises(NetworkValidationError) as info:
        validate(net)
    found = {(p.severity, p.row_id, p.column) for p in info.value.problems}
    assert ("error", "A", "lon") in found
    assert ("warning", "B", "lat") in found
    assert ("error", "C", "kind") in found
    assert ("error", "A", "place_id") in found


def test_nan_allowed_in_optional_figures_and_signed_columns() -> None:
    net = with_links(
        tiny_network(),
        capacity_t_per_yr=[math.nan, 1.0, 2.0, 3.0],
        time_h=[math.nan] * 4,
        grade=[-3.0, 0.0, 1.0, 2.0],
    )
    assert validate(net) == ()


def test_free_flow_time_nan_is_error() -> None:
    net = with_links(tiny_network(), free_flow_time=[1.0, math.nan, 1.0, 1.0])
    assert errors_of(net) == {("links", "BC", "free_flow_time")}


def test_parameter_tables_checked() -> None:
    table = pd.DataFrame({"mode": ["road"], "speed_kmh": [-60.0]})
    net = tiny_network().replace(parameters={"mode_speeds": table})
    assert errors_of(net) == {("mode_speeds", "row 1", "speed_kmh")}


def test_warnings_returned_not_raised() -> None:
    net = tiny_network()
    places = pd.concat(
        [
            net.places,
            pd.DataFrame({"place_id": ["E"], "country": ["Iran"], "lon": [1.0], "lat": [2.0]}),
        ]
    )
    warnings = validate(net.replace(places=places))
    assert {(p.column, p.row_id) for p in warnings} == {("country", "E"), ("", "")}
    part = next(p for p in warnings if p.column == "")
    assert "2 disconnected parts (largest 4 places); not in the largest: 'E'" in part.message


@settings(max_examples=60, deadline=None, database=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), m=st.integers(0, 15))
def test_parts_match_networkx(seed: int, n: int, m: int) -> None:
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(n)]
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n  # no self-loops
    places = pd.DataFrame({"place_id": ids, "lon": 0.0, "lat": 0.0, "kind": "city"})
    links = pd.DataFrame(
        {
            "link_id": [str(i) for i in range(m)],
            "from_id": [ids[i] for i in src],
            "to_id": [ids[i] for i in dst],
            "mode": "road",
            "length_km": 1.0,
        }
    )
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(zip(links["from_id"], links["to_id"], strict=True))
    expected = nx.number_weakly_connected_components(graph)
    warnings = validate(Network.from_frames(places, links))
    parts = [p for p in warnings if "disconnected" in p.message]
    if expected == 1:
        assert parts == [], f"seed={seed}"
    else:
        assert f"has {expected} disconnected parts" in parts[0].message, f"seed={seed}"
