"""Sweeps and criticality: the same numbers serially and on a LocalCluster; a dead worker
is replaced and the run completes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.scenarios.criticality import criticality, elements_of
from corridor.scenarios.parallel import execute, sweep_task
from corridor.testing import ferry_network

from .conftest import write_scenario


def _equal(a: Any, b: Any) -> None:
    assert a.content_hash == b.content_hash
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)


def slow_square(x: int) -> int:
    time.sleep(0.3)
    return x * x


def test_local_cluster_matches_serial_and_survives_a_dead_worker(border_dir: Path) -> None:
    path = str(write_scenario(border_dir, "sweep"))
    tasks = [(path, g, s) for g in (1.0, 1.5) for s in (1, 2)]
    serial = execute(sweep_task, tasks, workers=0)
    killed: list[int] = []

    def kill_one(client: Any) -> None:
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    # the sweep points on an existing cluster given by its address (--scheduler), then tasks
    # on the default LocalCluster while one of its workers is killed
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=50,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        on_cluster = execute(sweep_task, tasks, scheduler=address)
    for a, b in zip(serial, on_cluster, strict=True):
        _equal(a, b)
    squares = execute(slow_square, [(x,) for x in range(8)], workers=2, on_client=kill_one)
    assert killed
    assert squares == [x * x for x in range(8)]
    assert serial[0].tables["routes"]["seed"].tolist() == [1]
    assert serial[1].tables["routes"]["seed"].tolist() == [2]


def test_criticality_ranks_the_only_crossing_first(ferry_dir: Path) -> None:
    path = ferry_dir / "c.toml"
    path.write_text(
        '[base]\nnetwork = "net"\n[demand]\npairs = [{ origin = "A", destination = "B", '
        'tonnes_per_yr = 1000.0, cargo = "container_40ft" }]\n'
    )
    table = criticality(str(path), workers=0, chunk=2)
    assert len(table) == len(elements_of(ferry_network()))
    assert set(table["kind"]) == {"link", "border", "port", "service"}
    # on a chain every element on the way A -> B leaves the 1000 t unserved; the links of
    # the way back (no segment ids here, so each direction is an element) change nothing
    back = table["element"].str.endswith("_ba")
    assert (table.loc[~back, "unserved_t"] == 1000.0).all()
    assert (table.loc[back, ["unserved_t", "added_cost_usd"]] == 0.0).all().all()
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert not back.iloc[: int((~back).sum())].any()  # the unserved ones rank first
    again = criticality(str(path), workers=0, chunk=5)
    pd.testing.assert_frame_equal(table, again)


def test_an_element_without_freight_scores_as_if_reassigned(border_dir: Path) -> None:
    # the border network's planned road is opened: flows split between it and the railway,
    # the other way back carries nothing
    path = write_scenario(border_dir, "skip", '[[edits]]\nop = "open"\nlink = "AD_ab"\n')
    skipped = criticality(str(path), workers=0)
    solved = criticality(str(path), workers=0, skip_unused=False)
    assert (~skipped["reassigned"]).sum() >= 2, "some elements carry no freight"
    assert solved["reassigned"].all()
    a = skipped.set_index("element").sort_index()
    b = solved.set_index("element").sort_index()
    assert a.index.tolist() == b.index.tolist()
    pd.testing.assert_series_equal(a["unserved_t"], b["unserved_t"])
    pd.testing.assert_series_equal(a["links_closed"], b["links_closed"])
    scale = float(b["total_cost_usd"].abs().max())
    assert (a["added_cost_usd"] - b["added_cost_usd"]).abs().max() <= 1e-6 * scale
    assert (a.loc[~a["reassigned"], ["unserved_t", "added_cost_usd"]] == 0.0).all().all()
    assert a["reassigned"].any(), "and some do"


def test_the_local_cluster_listens_on_127_0_0_1_only_and_has_no_dashboard() -> None:
    import urllib.error
    import urllib.request

    seen: dict[str, Any] = {}

    def look(client: Any) -> None:
        info = client.scheduler_info()
        seen["address"] = info["address"]
        seen["workers"] = list(info["workers"])
        port = info["services"]["dashboard"]  # the scheduler's HTTP routes, always served
        seen["port"] = port
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=10)
            seen["status"] = 200
        except urllib.error.HTTPError as err:
            seen["status"] = err.code

    assert execute(pow, [(2, 3)], workers=1, on_client=look) == [8]
    assert seen["address"].startswith("tcp://127.0.0.1:")
    assert all(w.startswith("tcp://127.0.0.1:") for w in seen["workers"])
    assert seen["port"] != 8787  # a free port, never the dashboard's
    assert seen["status"] == 404  # no dashboard page
