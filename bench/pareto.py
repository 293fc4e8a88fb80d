"""Pareto fronts (time, cost, CO2e) on the default network: numba kernel vs plain Python.

Run: ``PYTHONPATH=src python bench/pareto.py [--repeats 15]``

For the 11 multimodal pairs of the fidelity audit (review/fidelity-audit.md, section 1a),
one 40 ft container, default options:

* the compiled search alone (:func:`corridor.routing._pareto_kernels.pareto_labels` on
  the expanded graph's arrays, masks and ends prepared once);
* the same algorithm written in plain Python (``heapq``, lists; below), on the same
  arrays, in the same run: run by run the two alternate, and both must give the same
  front (checked);
* :func:`corridor.routing.pareto.pareto_routes` end to end in process (options checked,
  masks, search, Route records with legs and corridor labels), with place ids and with
  place names.

Each run's wall-clock and CPU (process) time are both kept: on a shared machine the wall
time also counts the waits for a core, the CPU time is the work done.

Goal: the 3-criteria front in <= 20 ms median in process. Prints medians over repeats,
then the median over pairs, the ratio Python / numba, front sizes and labels. Not a test.
"""

from __future__ import annotations

import argparse
import heapq
import os
import statistics
import time
from typing import Any

import numpy as np

from corridor.graph import GraphCache
from corridor.graph.driving import TOLERANCE_H
from corridor.network.default import load_default
from corridor.network.lookup import find_place
from corridor.routing._pareto_kernels import _node_rules, pareto_labels
from corridor.routing.pareto import pareto_request, pareto_routes
from corridor.routing.search import _Query, _resolve

PAIRS = [
    ("Almaty", "Tehran"),
    ("Astana", "Bandar Abbas"),
    ("Aktau", "Bandar Anzali"),
    ("Almaty", "Mashhad"),
    ("Khorgos", "Tehran"),
    ("Tashkent", "Bandar Abbas"),
    ("Moscow", "Bandar Abbas"),
    ("Nhava Sheva", "Astrakhan"),
    ("Aktau", "Baku"),
    ("Dostyk", "Turkmenbashi"),
    ("Shymkent", "Tehran"),
]


def _drive_python(rule, leg, day, since_break, week, last_week, periods):
    """One leg of the drivers' hours schedule (DrivingRules.rests, from a state)."""
    daily, break_after, break_h, daily_rest, per_week, weekly_rest, weekly, fortnight = rule
    out = 0.0
    left = max(leg, 0.0)
    while left > TOLERANCE_H:
        today = min(daily - day, weekly - week, fortnight - last_week - week)
        if today <= TOLERANCE_H:
            periods += 1.0
            if (
                periods >= per_week
                or weekly - week <= TOLERANCE_H
                or fortnight - last_week - week <= TOLERANCE_H
            ):
                out += weekly_rest
                last_week, week, periods = week, 0.0, 0.0
            else:
                out += daily_rest
            day = since_break = 0.0
            continue
        to_break = break_after - since_break
        if to_break <= TOLERANCE_H:
            out += break_h
            since_break = 0.0
            continue
        step = min(left, today, to_break)
        left -= step
        day += step
        since_break += step
        week += step
    return out, (day, since_break, week, last_week, periods)


def martins_python(indptr, head, weights, mask, sources, targets, driving, eps=(0.0, 0.0, 0.0)):
    """Martins' label setting in plain Python: the kernel's algorithm, step for step.

    Lexicographic heap of labels (``heapq`` on ``(time, cost, co2e, label)``), per-node
    lists of live labels with dominance pruning (on the drivers' hours state of the road
    stretch, as the kernel), lazy deletion of dominated queued labels, targets not
    extended, ε-cover only against front members.
    Returns the front's vectors in lexicographic order and the labels created.
    """
    rules = [tuple(float(x) for x in row) for row in driving.rules]
    node_rule = _node_rules(indptr, head, driving.in_stretch, driving.edge_rule).tolist()
    adj = [
        [
            (
                int(head[e]),
                float(weights[e, 0]),
                float(weights[e, 1]),
                float(weights[e, 2]),
                bool(driving.in_stretch[e]),
                int(driving.edge_rule[e]),
                float(driving.driving_h[e]),
            )
            for e in range(indptr[u], indptr[u + 1])
            if mask[e]
        ]
        for u in range(len(indptr) - 1)
    ]
    f0, f1, f2 = (1.0 + x for x in eps)
    is_target = {int(t) for t in targets}
    fresh = (-1, 0.0, 0.0, (0.0, 0.0, 0.0, 0.0, 0.0))  # rule, D, R, schedule
    vals: list[tuple[float, float, float]] = []
    state: list[tuple[int, float, float, tuple[float, ...]]] = []
    node: list[int] = []
    alive: list[bool] = []
    at: list[list[int]] = [[] for _ in adj]
    heap: list[tuple[float, float, float, int]] = []
    front: list[tuple[float, float, float]] = []

    def covered(a0: float, a1: float, a2: float) -> bool:
        return any(m0 <= f0 * a0 and m1 <= f1 * a1 and m2 <= f2 * a2 for m0, m1, m2 in front)

    def dominates(k, ks, a, as_, nr):
        if not (k[1] <= a[1] and k[2] <= a[2]):
            return False
        if nr == -1:
            return k[0] <= a[0]
        if (ks[0] if ks[0] >= 0 else nr) != (as_[0] if as_[0] >= 0 else nr):
            return False
        return ks[1] <= as_[1] and k[0] - ks[2] <= a[0] - as_[2]

    for s in dict.fromkeys(int(s) for s in sources):
        vals.append((0.0, 0.0, 0.0))
        state.append(fresh)
        node.append(s)
        alive.append(True)
        at[s].append(len(vals) - 1)
        heapq.heappush(heap, (0.0, 0.0, 0.0, len(vals) - 1))
    while heap:
        b0, b1, b2, lab = heapq.heappop(heap)
        if not alive[lab]:
            continue
        if covered(b0, b1, b2):
            alive[lab] = False
            continue
        u = node[lab]
        if u in is_target:
            front.append((b0, b1, b2))
            continue
        for v, w0, w1, w2, stretch, erule, drive in adj[u]:
            rest = 0.0
            if stretch:
                r, big_d, big_r, sched = state[lab]
                if r < 0:
                    r = erule
                if r >= 0 and drive > 0.0:
                    rest, sched = _drive_python(rules[r], drive, *sched)
                    big_d, big_r = big_d + drive, big_r + rest
                new = (r, big_d, big_r, sched)
            else:
                new = fresh
            a = (b0 + (w0 + rest), b1 + w1, b2 + w2)
            if covered(*a):
                continue
            nr = node_rule[v]
            dominated = False
            keep = []
            for k in at[v]:
                if not alive[k]:
                    continue
                if dominates(vals[k], state[k], a, new, nr):
                    dominated = True
                    keep = at[v]
                    break
                if dominates(a, new, vals[k], state[k], nr):
                    alive[k] = False
                    continue
                keep.append(k)
            at[v] = keep
            if dominated:
                continue
            vals.append(a)
            state.append(new)
            node.append(v)
            alive.append(True)
            at[v].append(len(vals) - 1)
            heapq.heappush(heap, (*a, len(vals) - 1))
    return front, len(vals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    net = load_default()
    cache = GraphCache()
    t0 = time.perf_counter()
    graph = cache.get(net, cargo="container_40ft")
    print(
        f"default network: {net.n_places} places, {net.n_links} links -> expanded graph "
        f"{graph.n_nodes} nodes, {graph.n_edges} edges (built in {time.perf_counter() - t0:.2f} s)"
    )
    ids = [(find_place(net, o), find_place(net, d)) for o, d in PAIRS]
    weights = np.column_stack((graph.time_h, graph.cost_usd, graph.co2e_kg))
    prepared = []
    for o, d in ids:
        # the same request, masks and end nodes as pareto_routes
        resolved = _resolve(net, pareto_request(o, d), cache)
        query = _Query(graph, resolved.stops, weights.sum(axis=1), (), (), None)
        src = query._layers(resolved.stops[0], True, start=True)
        dst = query._layers(resolved.stops[-1], True, start=False)
        prepared.append((query.mask(), src, dst))
    driving = graph.driving_arrays(1)  # one driver, as pareto_routes by default
    pareto_routes(net, ids[0][0], ids[0][1], cache=cache)  # compile / load the kernel

    # wall-clock and CPU (process) time of every run: on a shared machine the CPU time is
    # the work done, the wall time adds the waits for a core
    runs: dict[str, dict[int, list[tuple[float, float]]]] = {
        k: {i: [] for i in range(len(PAIRS))} for k in ("numba", "python", "ids", "names")
    }

    def timed(kind: str, i: int, fn: Any) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        runs[kind][i].append((time.perf_counter() - w0, time.process_time() - c0))
        return out

    sizes, labels = {}, {}
    for rep in range(args.repeats):
        for i, ((o, d), (name_o, name_d), (mask, src, dst)) in enumerate(
            zip(ids, PAIRS, prepared, strict=True)
        ):
            order = ("numba", "python") if (rep + i) % 2 == 0 else ("python", "numba")
            for which in order:
                if which == "numba":
                    front, values, *_, n_labels, _ = timed(
                        "numba",
                        i,
                        lambda m=mask, s=src, t=dst: pareto_labels(
                            graph.indptr, graph.head, weights, m, s, t, driving=driving
                        ),
                    )
                    fast = [tuple(v) for v in values[front].tolist()]
                    labels[i] = n_labels
                else:
                    slow, n_slow = timed(
                        "python",
                        i,
                        lambda m=mask, s=src, t=dst: martins_python(
                            graph.indptr, graph.head, weights, m, s, t, driving
                        ),
                    )
            if fast != slow or labels[i] != n_slow:
                raise SystemExit(f"{PAIRS[i]}: numba and Python fronts differ")
            sizes[i] = len(fast)
            timed("ids", i, lambda o=o, d=d: pareto_routes(net, o, d, cache=cache))
            timed("names", i, lambda o=name_o, d=name_d: pareto_routes(net, o, d, cache=cache))

    def med(kind: str, i: int, which: int = 0) -> float:
        return statistics.median(r[which] for r in runs[kind][i]) * 1e3

    def over_pairs(kind: str, which: int = 0) -> float:
        return statistics.median(med(kind, i, which) for i in range(len(PAIRS)))

    print(
        f"\n{'pair':28s} {'size':>4s} {'labels':>6s} {'numba ms':>9s} {'python ms':>10s} "
        f"{'ratio':>6s} {'ids ms':>7s} {'names ms':>9s} {'names cpu':>9s}"
    )
    for i, (o, d) in enumerate(PAIRS):
        print(
            f"{o + '-' + d:28s} {sizes[i]:4d} {labels[i]:6d} {med('numba', i):9.3f} "
            f"{med('python', i):10.2f} {med('python', i) / med('numba', i):6.1f} "
            f"{med('ids', i):7.2f} {med('names', i):9.2f} {med('names', i, 1):9.2f}"
        )
    numba_m, python_m = over_pairs("numba"), over_pairs("python")
    print(
        f"\nmedian over the {len(PAIRS)} pairs ({args.repeats} repeats each, numba and "
        f"Python alternating); wall ms (CPU ms):"
    )
    print(f"  compiled search (kernel only):       {numba_m:8.3f} ({over_pairs('numba', 1):.3f})")
    print(f"  plain-Python search, same algorithm: {python_m:8.2f} ({over_pairs('python', 1):.2f})")
    print(f"  ratio Python / numba (wall):         {python_m / numba_m:8.1f}x")
    print(
        f"  pareto_routes() with place ids:      {over_pairs('ids'):8.2f} "
        f"({over_pairs('ids', 1):.2f})   goal <= 20 ms"
    )
    print(
        f"  pareto_routes() with place names:    {over_pairs('names'):8.2f} "
        f"({over_pairs('names', 1):.2f})"
    )
    print(
        f"  front sizes: {sorted(sizes.values())} (median {statistics.median(sizes.values())}); "
        f"labels: median {statistics.median(labels.values())}, max {max(labels.values())}"
    )
    print(f"  load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
