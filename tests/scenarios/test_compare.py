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
