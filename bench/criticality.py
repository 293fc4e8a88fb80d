"""Criticality over every element of the default network: serial vs a LocalCluster.

Runs ``corridor.scenarios.criticality`` on the default network with the baseline demand,
alternating serial (in this process) and a LocalCluster of ``--workers`` processes on
127.0.0.1 (cluster start-up included), ``--repeats`` times each; prints each time, the
medians and the ratio serial / cluster, and checks the tables are identical.

    python bench/criticality.py --repeats 2 --workers 2 [--limit N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import pandas as pd

from corridor.scenarios.criticality import criticality


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"serial": [], "cluster": []}
    tables: dict[str, pd.DataFrame] = {}
    criticality(limit=2, workers=0)  # compile the kernels once in this process
    for i in range(args.repeats):
        order = ("serial", "cluster") if i % 2 == 0 else ("cluster", "serial")
        for peer in order:
            t0 = time.perf_counter()
            table = criticality(limit=args.limit, workers=0 if peer == "serial" else args.workers)
            times[peer].append(time.perf_counter() - t0)
            print(
                f"run {i + 1} {peer:8s} {times[peer][-1]:8.1f} s ({len(table)} elements)",
                flush=True,
            )
            if peer in tables:
                pd.testing.assert_frame_equal(tables[peer], table, check_exact=True)
            tables[peer] = table
    pd.testing.assert_frame_equal(tables["serial"], tables["cluster"], check_exact=True)
    s = statistics.median(times["serial"])
    c = statistics.median(times["cluster"])
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"median serial {s:.1f} s, LocalCluster({args.workers} workers) {c:.1f} s,"
        f" ratio {s / c:.2f}x"
    )
    print("tables identical: yes")
    print(tables["serial"].head(10).to_string(index=False))


if __name__ == "__main__":
    main()
