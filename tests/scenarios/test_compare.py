"""compare: link changes of floating-point noise are no change; a real change is kept."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from corridor.scenarios.compare import link_changes
from corridor.scenarios.run import run_scenario
from corridor.scenarios.spec import load_scenario

from .conftest import write_scenario


def test_noise_is_no_change_and_a_real_change_is_kept(border_dir: Path) -> None:
    base = run_scenario(load_scenario(write_scenario(border_dir, "noise")))
    links = base.tables["links"].copy()
    used = links["volume_t"].to_numpy(dtype=float) > 0
    assert used.any()
    # the volumes of a run on a network with one more (unused) link differ by ~1 ulp
    volume = links["volume_t"].to_numpy(dtype=float)
    noisy = links.assign(volume_t=np.where(volume > 0, np.nextafter(volume, np.inf), 1e-9))
    other = dataclasses.replace(base, tables={**base.tables, "links": noisy})
    changes = link_changes(base, other)
    assert (changes["change_t"] == 0.0).all()
    first = int(np.flatnonzero(used)[0])
    moved = links.copy()
    moved.loc[first, "volume_t"] = float(moved.loc[first, "volume_t"]) + 10.0
    other = dataclasses.replace(base, tables={**base.tables, "links": moved})
    changes = link_changes(base, other)
    assert changes["change_t"].abs().max() == 10.0
    assert int((changes["change_t"] != 0.0).sum()) == 1


def test_route_answers_of_other_cargo_or_departure_are_shown_apart(border_dir: Path) -> None:
    from corridor.scenarios.compare import compare_results

    a = run_scenario(load_scenario(write_scenario(border_dir, "box")))
    routes = a.tables["routes"]
    assert set(routes["cargo"]) == {"container_40ft"}
    assert set(routes["depart"]) == {"2026-12-01T08:00"}
    other_cargo = dataclasses.replace(
        a, tables={**a.tables, "routes": routes.assign(cargo="roro_truck")}
    )
    later = dataclasses.replace(
        a, tables={**a.tables, "routes": routes.assign(depart="2027-01-15T08:00")}
    )
    for b in (other_cargo, later):
        table = compare_results([("a", a), ("b", b)])["routes"]
        keys = ["origin", "destination", "cargo", "depart", "state"]
        assert (table.groupby(keys)["run"].nunique() == 1).all()  # never lined up as a change
        assert len(table) == 2
    same = compare_results([("a", a), ("b", a)])["routes"]
    assert (
        same.groupby(["origin", "destination", "cargo", "depart", "state"])["run"]
        .nunique()
        .eq(2)
        .all()
    )
    assert "generalized_cost_usd" in same
