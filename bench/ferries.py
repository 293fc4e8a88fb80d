"""Benchmark: one ferry service, one simulated year, against the plain unit-by-unit simpy model.

Both run on simpy's default ``Environment``. The model (``simulate_line``) keeps the units
in a numpy array and a queue pointer; the peer (``simulate_line_reference``) makes every
unit a simpy process on a ``simpy.Store``, the way a simpy model is usually written. They
get the same random inputs (drawn once per repeat, not timed) and must give the same
boarding time to every unit; the two are alternated run by run. Prints medians and the
ratio, and the load average (the machine is shared).

    python bench/ferries.py [--service FERRY_KURYK_ALAT] [--volume 0.8] [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from corridor.ferries import draw_inputs, ferry_line, simulate_line
from corridor.ferries.reference import simulate_line_reference
from corridor.network.default import load_default


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--service", default="FERRY_KURYK_ALAT")
    ap.add_argument("--volume", type=float, default=0.8)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    line = ferry_line(load_default(), args.service)
    rate = args.volume * line.capacity_units_per_day
    fast, slow, whole = [], [], []
    units = sailings = 0
    for r in range(args.repeats):
        t = time.perf_counter()
        run = simulate_line(line, rate, seed=r)  # inputs drawn inside: the user's figure
        whole.append(time.perf_counter() - t)
        inp = draw_inputs(line, rate, seed=r)
        t = time.perf_counter()
        a = simulate_line(line, 0.0, inputs=inp)
        fast.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = simulate_line_reference(line, inp)
        slow.append(time.perf_counter() - t)
        assert np.allclose(a.board_h, b.board_h, equal_nan=True), f"seed {r}: models differ"
        units, sailings = int(run.recorded.sum()), int(run.sailing_h.size)
    print(
        f"{args.service}: {line.rule}, {line.units_per_sailing} {line.unit}s/sailing, "
        f"{line.vessels} ships; arrivals {rate:.1f}/day ({100 * args.volume:.0f} % of capacity); "
        f"one year (+ warm-up and run-out): {units} units, {sailings} sailings; "
        f"{args.repeats} repeats; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"simulate_line, inputs drawn (median): {statistics.median(whole) * 1e3:.1f} ms")
    fm, sm = statistics.median(fast), statistics.median(slow)
    print(f"simulate_line on given inputs (median): {fm * 1e3:.1f} ms")
    print(f"unit-by-unit simpy model on the same inputs (median): {sm * 1e3:.1f} ms")
    print(f"ratio unit-by-unit / model: {sm / fm:.1f}x")


if __name__ == "__main__":
    main()
