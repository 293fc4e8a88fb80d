"""The registry round-trips runs; a run killed midway leaves nothing marked done."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from corridor.scenarios.registry import Registry, run_and_record
from corridor.scenarios.run import RESULT_TABLES, run_scenario
from corridor.scenarios.spec import load_scenario

from .conftest import write_scenario


def test_round_trip(border_dir: Path, tmp_path: Path) -> None:
    reg = Registry(tmp_path / "home")
    scenario = load_scenario(write_scenario(border_dir, "rt"))
    run_id, reused = run_and_record(scenario, reg)
    assert not reused
    rec, loaded = reg.load(run_id)
    assert (rec.status, rec.name, rec.seeds) == ("done", "rt", (3,))
    direct = run_scenario(scenario)
    assert set(loaded.tables) == set(RESULT_TABLES)
    for name in RESULT_TABLES:
        pd.testing.assert_frame_equal(loaded.tables[name], direct.tables[name], check_dtype=False)
    assert reg.get("rt").run_id == run_id  # by name
    assert reg.get(run_id[:18]).run_id == run_id  # by prefix
    again, reused = run_and_record(scenario, reg, reuse=True)
    assert (again, reused) == (run_id, True)
    assert [r.run_id for r in reg.list()] == [run_id]


def test_a_scenario_with_problems_leaves_no_row(border_dir: Path, tmp_path: Path) -> None:
    reg = Registry(tmp_path / "home")
    path = write_scenario(border_dir, "bad", '[[edits]]\nop = "close"\nplace = "Nowhere"\n')
    with pytest.raises(Exception, match="Nowhere"):
        run_and_record(load_scenario(path), reg)
    assert reg.list() == []


_KILL = """
import os, signal, sys
import pandas as pd
from corridor.scenarios.registry import Registry, run_and_record
from corridor.scenarios.spec import load_scenario

where = sys.argv[3]
if where == "writing":
    # die after the third table has been written into the (temporary) run folder
    original = pd.DataFrame.to_parquet
    calls = []
    def to_parquet(self, *a, **k):
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, *a, **k)
    pd.DataFrame.to_parquet = to_parquet

def step(text):
    if where == "running" and text.startswith("route answers"):
        os.kill(os.getpid(), signal.SIGKILL)

run_and_record(load_scenario(sys.argv[1]), Registry(sys.argv[2]), progress=step)
"""


@pytest.mark.parametrize("where", ["running", "writing"])
def test_killed_run_leaves_nothing_marked_done(
    border_dir: Path, tmp_path: Path, where: str
) -> None:
    home = tmp_path / "home"
    path = write_scenario(border_dir, "killed")
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KILL), str(path), str(home), where],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
    )
    assert proc.returncode == -9, proc.stderr
    reg = Registry(home)
    records = reg.list()
    assert len(records) == 1
    assert records[0].status == "killed"
    # no run folder under the run's name: at most a temporary folder beside it
    entries = sorted(p.name for p in reg.runs_dir.iterdir())
    assert records[0].run_id not in entries
    assert all(e.startswith(f".{records[0].run_id}.corridor-tmp-") for e in entries)
    with pytest.raises(Exception, match="killed, not done"):
        reg.load(records[0].run_id)
