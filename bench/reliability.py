"""Benchmark: 10,000 Monte Carlo draws of a 15-leg route with two ferry legs.

Times ``simulate_route`` (sampling + compiled kernel + percentiles) in process, excluding
the first call (numba compile), and the same walk with the pure-numpy reference
(``walk_reference``) on identical inputs; prints medians and the ratio.

    PYTHONPATH=src python bench/reliability.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

import numpy as np
import pandas as pd

from corridor.network.model import Network
from corridor.reliability import build_route_model, load_reliability_parameters, simulate_route
from corridor.reliability import montecarlo as mc
from corridor.reliability._kernels import walk_reference, walk_routes
from corridor.routing.types import Leg, Route


def _route() -> tuple[Network, Route]:
    places = pd.DataFrame(
        {
            "place_id": ["KZ_A", "KZ_B", "KZ_KURYK", "AZ_ALAT_PORT", "AZ_ASTARA", "IR_ASTARA",
                         "IR_R", "TM_TURKMENBASHI_PORT"],
            "country": ["KAZ", "KAZ", "KAZ", "AZE", "AZE", "IRN", "IRN", "TKM"],
        }
    )  # fmt: skip
    net = Network.from_frames(places, pd.DataFrame(columns=["link_id", "from_id", "to_id", "mode"]))

    def run(a: str, b: str, h: float, mode: str = "rail_1520") -> Leg:
        return Leg("run", mode, a, b, 100.0, h, 0.0, 0.0)

    def port(p: str, mode: str) -> Leg:
        return Leg("port", mode, p, p, 0.0, 12.0, 0.0, 0.0, place_id=p)

    legs = (
        run("KZ_A", "KZ_B", 20.0),
        run("KZ_B", "KZ_KURYK", 15.0),
        port("KZ_KURYK", "rail_1520>ferry"),
        run("KZ_KURYK", "AZ_ALAT_PORT", 24.0, "ferry"),
        port("AZ_ALAT_PORT", "ferry>rail_1520"),
        run("AZ_ALAT_PORT", "AZ_ASTARA", 8.0),
        Leg("border", "rail_1520", "AZ_ASTARA", "IR_ASTARA", 0.0, 40.0, 0.0, 0.0),
        run("AZ_ASTARA", "IR_ASTARA", 0.5),
        Leg("gauge_break", "rail_1520>rail_1435", "IR_ASTARA", "IR_ASTARA", 0.0, 6.0, 0.0, 0.0,
            place_id="IR_ASTARA"),
        run("IR_ASTARA", "IR_R", 5.0, "rail_1435"),
        run("IR_R", "IR_ASTARA", 5.0, "rail_1435"),
        port("IR_ASTARA", "rail_1435>ferry"),
        run("AZ_ALAT_PORT", "TM_TURKMENBASHI_PORT", 14.0, "ferry"),
        port("TM_TURKMENBASHI_PORT", "ferry>rail_1520"),
        run("TM_TURKMENBASHI_PORT", "KZ_A", 30.0),
    )  # fmt: skip
    return net, Route(1, legs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--samples", type=int, default=10_000)
    args = ap.parse_args()
    net, route = _route()
    params = load_reliability_parameters()
    depart = datetime(2026, 12, 1, 8)
    n = args.samples
    t0 = time.perf_counter()
    simulate_route(net, route, depart=depart, samples=n, seed=0, params=params)
    first = time.perf_counter() - t0
    full = []
    for r in range(args.repeats):
        t = time.perf_counter()
        res = simulate_route(net, route, depart=depart, samples=n, seed=r, params=params)
        full.append(time.perf_counter() - t)
    # kernel vs numpy reference on identical inputs: capture the arguments once
    captured: dict[str, tuple[object, ...]] = {}

    def spy(*a: object) -> tuple[np.ndarray, np.ndarray]:
        captured["args"] = a
        return walk_routes(*a)  # type: ignore[arg-type]

    mc.walk_routes = spy  # type: ignore[assignment]
    model = build_route_model(net, route, params=params)
    mc._run(model, depart, samples=n, seed=1, deterministic=False)
    mc.walk_routes = walk_routes  # type: ignore[assignment]
    kargs = captured["args"]
    kern, ref = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        a = walk_routes(*kargs)  # type: ignore[arg-type]
        kern.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = walk_reference(*kargs)  # type: ignore[arg-type]
        ref.append(time.perf_counter() - t)
    assert np.allclose(a[0], b[0], atol=1e-9)
    n_el = len(model.distributions)
    print(f"route: {len(route.legs)} legs, {n_el} elements, {len(model.timetables)} ferry legs; "
          f"{n} draws; {args.repeats} repeats")  # fmt: skip
    print(f"first call (includes numba compile or cache load): {first * 1e3:.1f} ms")
    print(f"simulate_route median: {statistics.median(full) * 1e3:.2f} ms "
          f"(P50 {res.p50_h:.1f} h, P90 {res.p90_h:.1f} h)")  # fmt: skip
    km, rm = statistics.median(kern), statistics.median(ref)
    print(f"walk kernel (numba) median: {km * 1e3:.3f} ms")
    print(f"walk reference (numpy) median: {rm * 1e3:.3f} ms")
    print(f"ratio numpy / numba: {rm / km:.1f}x")


if __name__ == "__main__":
    main()
