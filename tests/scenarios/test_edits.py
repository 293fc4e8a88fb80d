"""Edits are pure, change only what they name, and an unedited scenario is the base."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.network.model import Network
from corridor.scenarios.edits import apply_edits, close_targets, links_of_target
from corridor.scenarios.run import check_scenario, run_scenario
from corridor.scenarios.spec import load_scenario, parse_scenario, scenario_from_spec
from corridor.scenarios.steps import DemandOptions, run_flows
from corridor.testing import border_network, ferry_network, random_multimodal_network

from .conftest import write_scenario


def _same(a: Network, b: Network) -> None:
    pd.testing.assert_frame_equal(a.places, b.places)
    pd.testing.assert_frame_equal(a.links, b.links)
    assert list(a.parameters) == list(b.parameters)
    for name in a.parameters:
        pd.testing.assert_frame_equal(a.parameters[name], b.parameters[name])


def _edit(net: Network, text: str) -> Network:
    return apply_edits(net, scenario_from_spec(parse_scenario(text)), check=False).normal


def test_unedited_scenario_reproduces_the_base(border_dir: Path) -> None:
    scenario = load_scenario(write_scenario(border_dir, "plain"))
    checked = check_scenario(scenario)
    _same(checked.edited.normal, checked.base)
    assert checked.edited.disrupted is None
    result = run_scenario(checked)
    direct = run_flows(checked.base, DemandOptions(checked.demand))
    pd.testing.assert_frame_equal(result.tables["links"], direct.links)
    pd.testing.assert_frame_equal(result.tables["od"], direct.od)
    for k, v in direct.totals.items():
        assert result.total(k) == v, k


def test_set_changes_only_the_row_and_column_it_names() -> None:
    base = ferry_network()
    before = {k: v.copy() for k, v in base.parameters.items()}
    edited = _edit(
        base,
        '[[edits]]\nop = "set"\ntable = "transfers"\nwhere = { place_id = "P" }\n'
        "values = { time_h = 3.0 }\n",
    )
    for name, table in before.items():  # the base is untouched
        pd.testing.assert_frame_equal(base.parameters[name], table)
    new = edited.parameters["transfers"]
    old = base.parameters["transfers"]
    diff = new.ne(old) & ~(new.isna() & old.isna())
    assert diff.to_numpy().sum() == 1
    assert diff["time_h"].tolist() == [True, False]
    assert float(new.loc[0, "time_h"]) == 3.0
    _same(base.replace(parameters={**base.parameters, "transfers": new}), edited)


def test_scale_and_open_and_reopen() -> None:
    base = border_network()
    edited = _edit(base, '[[edits]]\nop = "open"\nlink = "AD_ab"\n')
    assert edited.links.set_index("link_id").loc["AD_ab", "status"] == "open"
    assert edited.links.set_index("link_id").loc["AD_ba", "status"] == "planned"
    assert base.links.set_index("link_id").loc["AD_ab", "status"] == "planned"
    closed = _edit(
        base,
        '[[edits]]\nop = "close"\ncountry = "TKM"\n[[edits]]\nop = "reopen"\nborder = "C|D"\n',
    )
    gone = set(base.links["link_id"]) - set(closed.links["link_id"])
    assert gone == {"BC_ab", "BC_ba"}


def test_part_year_closure_gives_two_networks() -> None:
    base = ferry_network()
    s = scenario_from_spec(parse_scenario('[[edits]]\nop = "close"\nservice = "S1"\ndays = 30\n'))
    out = apply_edits(base, s, check=False)
    _same(out.normal, base)
    assert out.disrupted is not None
    assert out.days == 30
    assert set(base.links["link_id"]) - set(out.disrupted.links["link_id"]) == {"PQ_ab", "PQ_ba"}


def test_closed_service_leaves_demand_unserved_for_its_share_of_the_year(ferry_dir: Path) -> None:
    path = ferry_dir / "s.toml"
    path.write_text(
        '[base]\nnetwork = "net"\n[[edits]]\nop = "close"\nservice = "S1"\ndays = 73\n'
        '[demand]\npairs = [{ origin = "A", destination = "B", tonnes_per_yr = 1000.0, '
        'cargo = "container_40ft" }]\n'
    )
    result = run_scenario(load_scenario(path))
    assert result.total("unserved_t") == pytest.approx(1000.0 * 73 / 365)
    assert result.total("assigned_t") == pytest.approx(1000.0 * (1 - 73 / 365))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    pick=st.integers(0, 10_000),
    kind=st.sampled_from(["link", "place", "border"]),
)
def test_close_removes_exactly_the_links_of_its_target(seed: int, pick: int, kind: str) -> None:
    net = random_multimodal_network(seed, 8, 14)
    links = net.links
    if kind == "link":
        ident = str(links["link_id"].iloc[pick % len(links)])
    elif kind == "place":
        ident = str(net.places["place_id"].iloc[pick % net.n_places])
    else:
        row = links.iloc[pick % len(links)]
        ident = f"{row['from_id']}|{row['to_id']}"
    named = set(links_of_target(net, kind, ident))
    closed = close_targets(net, [(kind, ident)])
    assert set(links["link_id"]) - set(closed.links["link_id"]) == named
    kept = links[~links["link_id"].isin(named)].reset_index(drop=True)
    pd.testing.assert_frame_equal(closed.links, kept)
    pd.testing.assert_frame_equal(closed.places, net.places)
    if kind == "place":
        ends = np.concatenate([closed.links["from_id"], closed.links["to_id"]])
        assert ident not in set(ends)
