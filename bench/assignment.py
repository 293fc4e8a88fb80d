"""Benchmark: corridor's equilibrium assignment vs AequilibraE 1.7.2, alternated run by run.

Networks (TNTP, read from ``$CORRIDOR_TNTP`` or ``../shared/tntp`` beside the clone):

- Chicago-Sketch with its trips and generalized cost ``time + 0.02 toll + 0.04 length``
  (its README);
- Berlin-Center with its trips; of the six duplicated links named in its README the first of
  each pair is kept (the README's rule since 2013);
- chicago-regional, which ships without trips: a gravity demand generated here (see
  :func:`regional_demand`), generalized cost ``time + 0.1 toll + 0.25 length`` (its README).

Every run is a fresh process (its peak memory, ``VmHWM``, is its own): it loads the same problem
arrays, does the same warm-up (a 2-iteration solve, untimed), then times one solve. The two
systems alternate run by run (the order flips every repeat). Both get the same problem:
AequilibraE refuses zero free-flow times, so every free-flow time below 1e-6 min is raised to
1e-6 min for both. AequilibraE runs as its users would for an assignment: no skims, centroid
flows blocked when the network has a first thru node, ``set_cores`` as given. Both children
get ``OMP_WAIT_POLICY=PASSIVE`` (AequilibraE's loops are OpenMP; corridor's loading runs on
Python threads and uses no OpenMP).

Every solution's relative gap is recomputed by one referee routine that belongs to neither
system (:func:`referee_gap`: numpy BPR costs and scipy's Dijkstra).

Usage::

    .venv/bin/python bench/assignment.py [--repeats 5] [--cases chicago-1e-4 berlin-1e-5]

Prints one line per run, then per case the medians, spread (min-max) and ratios, and at the
end the Markdown table for the README (wall time with the CPU time and its ratio beside it:
on a shared machine a one-thread run's wall time also holds other jobs' time on its core) and
the issue-17 goal lines. Per-iteration figures are per all-or-nothing loading
(see :func:`_loadings`). Needs ``make bench-extra`` (AequilibraE 1.7.2).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
FFT_FLOOR = 1e-6  # min; AequilibraE rejects zero free-flow times

#: Trips of the basic chicago-regional demand (its README), the total the generated demand gets.
REGIONAL_TRIPS = 1_360_427.0


def tntp_root() -> Path:
    """Return the TNTP folder: ``$CORRIDOR_TNTP``, else ``../shared/tntp`` beside the clone."""
    env = os.environ.get("CORRIDOR_TNTP")
    if env:
        return Path(env)
    for cand in (REPO.parent / "shared" / "tntp", REPO.parent.parent / "shared" / "tntp"):
        if cand.is_dir():
            return cand
    raise SystemExit("TNTP networks not found beside the clone; set CORRIDOR_TNTP")


# ----------------------------------------------------------------------------- problems
def _keep_first_duplicates(network):  # type: ignore[no-untyped-def]
    links = network.links
    dup = links.duplicated(subset=["from_id", "to_id"], keep="first")
    if not dup.any():
        return network, 0
    return network.replace(links=links[~dup].reset_index(drop=True)), int(dup.sum())


def regional_demand(problem, seed: int = 17):  # type: ignore[no-untyped-def]
    """Gravity demand for chicago-regional, generated deterministically.

    ``T_od = P_o A_d exp(-t_od / 30 min)`` with ``P``, ``A`` lognormal(0, 0.5) from
    ``numpy.random.default_rng(seed)``, ``t_od`` the free-flow generalized cost (scipy
    Dijkstra, no passing through zones), no intrazonal trips, scaled to 1,360,427 trips.
    """
    rng = np.random.default_rng(seed)
    z = problem.n_zones
    prod = rng.lognormal(0.0, 0.5, z)
    attr = rng.lognormal(0.0, 0.5, z)
    cost = np.maximum(problem.free_flow_time, FFT_FLOOR) + problem.fixed_cost
    dist = _zone_distances(problem, cost)
    mat = np.outer(prod, attr) * np.exp(-np.where(np.isfinite(dist), dist, np.inf) / 30.0)
    np.fill_diagonal(mat, 0.0)
    return mat * (REGIONAL_TRIPS / mat.sum())


def build(name: str):  # type: ignore[no-untyped-def]
    """Return ``(AssignmentProblem, description)`` of a benchmark network."""
    from corridor.assignment.problem import AssignmentProblem, build_problem
    from corridor.demand import Demand
    from corridor.network.tntp import read_tntp_network, read_tntp_trips

    root = tntp_root()
    if name == "chicago-sketch":
        net = read_tntp_network(root / "Chicago-Sketch" / "ChicagoSketch_net.tntp")
        dem = read_tntp_trips(root / "Chicago-Sketch" / "ChicagoSketch_trips.tntp")
        p = build_problem(net, dem, toll_factor=0.02, distance_factor=0.04)
        note = "TNTP trips; cost = time + 0.02 toll + 0.04 length"
    elif name == "berlin-center":
        net = read_tntp_network(root / "Berlin-Center" / "berlin-center_net.tntp")
        net, dropped = _keep_first_duplicates(net)
        dem = read_tntp_trips(root / "Berlin-Center" / "berlin-center_trips.tntp")
        p = build_problem(net, dem)
        note = f"TNTP trips; {dropped} duplicate links dropped (first of each pair kept)"
    elif name == "chicago-regional":
        net = read_tntp_network(root / "chicago-regional" / "ChicagoRegional_net.tntp")
        zones = [str(i + 1) for i in range(int(net.metadata["zones"]))]
        empty = Demand.from_matrix(zones, np.zeros((len(zones), len(zones))))
        p = build_problem(net, empty, toll_factor=0.1, distance_factor=0.25)
        p = dataclasses.replace(p, demand=regional_demand(p))
        note = (
            "generated gravity demand (seed 17, 1,360,427 trips, exp(-t/30 min)); "
            "cost = time + 0.1 toll + 0.25 length"
        )
    else:
        raise SystemExit(f"unknown network {name!r}")
    fft = np.maximum(p.free_flow_time, FFT_FLOOR)
    p = AssignmentProblem(**{**p.__dict__, "free_flow_time": fft})
    return p, note


def save_problem(p, path: Path) -> None:  # type: ignore[no-untyped-def]
    arrays = {k: v for k, v in p.__dict__.items() if isinstance(v, np.ndarray)}
    scalars = {k: v for k, v in p.__dict__.items() if not isinstance(v, np.ndarray)}
    np.savez(path, scalars=json.dumps(scalars), **arrays)


def load_problem(path: Path):  # type: ignore[no-untyped-def]
    from corridor.assignment.problem import AssignmentProblem

    with np.load(path) as f:
        scalars = json.loads(str(f["scalars"]))
        arrays = {k: f[k] for k in f.files if k != "scalars"}
    if "zones" in scalars:
        scalars["zones"] = tuple(scalars["zones"])
    return AssignmentProblem(**scalars, **arrays)


# ----------------------------------------------------------------------------- referee
def _graph_for_referee(problem, cost):  # type: ignore[no-untyped-def]
    """Sparse graph (cheapest of parallel links) with each blocked zone split in two.

    A zone ``z < first_thru_node`` keeps its out-links; its in-links go to a copy
    ``n + z`` with no out-links, so no path passes through it.
    """
    from scipy.sparse import csr_matrix

    n, ftn = problem.n_nodes, problem.first_thru_node
    tail = problem.tail
    head = np.where(problem.head < ftn, problem.head + n, problem.head)
    order = np.lexsort((cost, head, tail))
    t, h, c = tail[order], head[order], cost[order]
    first = np.ones(t.size, dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    if np.any(c[first] <= 0.0):
        raise SystemExit("referee: zero link costs are not supported by the scipy graph")
    return csr_matrix((c[first], (t[first], h[first])), shape=(n + ftn, n + ftn))


def _zone_distances(problem, cost):  # type: ignore[no-untyped-def]
    from scipy.sparse.csgraph import dijkstra

    g = _graph_for_referee(problem, cost)
    z, ftn, n = problem.n_zones, problem.first_thru_node, problem.n_nodes
    dist = dijkstra(g, directed=True, indices=np.arange(z))
    cols = np.array([n + d if d < ftn else d for d in range(z)])
    return dist[:, cols]


def referee_gap(problem, flows) -> float:  # type: ignore[no-untyped-def]
    """``(TSTT - SPTT) / TSTT`` with numpy BPR costs and scipy shortest paths."""
    x = flows / problem.capacity
    cost = problem.free_flow_time * (1.0 + problem.alpha * x**problem.beta) + problem.fixed_cost
    dist = _zone_distances(problem, cost)
    dem = problem.demand.copy()
    np.fill_diagonal(dem, 0.0)
    sptt = float(np.sum(dem[dem > 0] * dist[dem > 0]))
    tstt = float(flows @ cost)
    return (tstt - sptt) / tstt


# ----------------------------------------------------------------------------- children
def _aeq_setup(p):  # type: ignore[no-untyped-def]
    import pandas as pd
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph

    df = pd.DataFrame(
        {
            "link_id": np.arange(1, p.n_links + 1),
            "a_node": p.tail + 1,
            "b_node": p.head + 1,
            "direction": 1,
            "free_flow_time": p.free_flow_time,
            "capacity": p.capacity,
            "b": p.alpha,
            "power": p.beta,
            "gen_fixed": p.fixed_cost,
        }
    )
    centroids = np.arange(1, p.n_zones + 1, dtype=np.int64)
    g = Graph()
    g.network = df
    g.mode = "c"
    g.network_ok = True
    g.status = "OK"
    g.prepare_graph(centroids)
    g.set_graph("free_flow_time")
    g.set_skimming([])  # an assignment needs no skims
    g.set_blocked_centroid_flows(p.first_thru_node > 0)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=p.n_zones, matrix_names=["matrix"], memory_only=True)
    mat.index[:] = centroids
    mat.matrix["matrix"][:, :] = p.demand
    mat.computational_view(["matrix"])
    return g, mat


def _aeq_solve(g, mat, method: str, gap: float, max_iter: int, cores: int):  # type: ignore[no-untyped-def]
    from aequilibrae.paths import TrafficAssignment, TrafficClass

    tc = TrafficClass("car", g, mat)
    tc.set_fixed_cost("gen_fixed", 1.0)
    tc.set_vot(1.0)
    ta = TrafficAssignment()
    ta.set_classes([tc])
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm(method)
    ta.set_cores(cores)
    ta.max_iter = max_iter
    ta.rgap_target = gap
    with contextlib.redirect_stderr(io.StringIO()):  # its progress bars
        ta.execute()
    res = ta.results().sort_index()
    flows = res["matrix_ab"].to_numpy(float)
    report = ta.report()
    return flows, int(report["iteration"].max()), float(report["rgap"].iloc[-1])


def child(args: argparse.Namespace) -> int:
    p = load_problem(Path(args.problem))
    gap, max_iter, threads = args.gap, args.max_iter, args.threads
    if args.solver == "corridor":
        from corridor.assignment.assign import solve

        def run(gap: float, max_iter: int):  # type: ignore[no-untyped-def]
            r = solve(p, method=args.method, gap=gap, max_iter=max_iter, threads=threads)
            return r.flows, r.iterations, r.relative_gap

    else:
        g, mat = _aeq_setup(p)

        def run(gap: float, max_iter: int):  # type: ignore[no-untyped-def]
            return _aeq_solve(g, mat, args.method, gap, max_iter, threads)

    run(1e-12, 2)  # warm-up, the same for both: numba loads its cache, thread pools start
    t0, c0 = time.perf_counter(), time.process_time()
    flows, its, own = run(gap, max_iter)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.savez(
        args.out, flows=flows, seconds=secs, cpu=cpu, iterations=its, own_gap=own,
        peak_mib=_peak_mib(),
    )  # fmt: skip
    return 0


def _peak_mib() -> float:
    """This process's peak resident memory, MiB.

    ``VmHWM`` of the process's own address space: the ``ru_maxrss`` that ``wait4`` reports
    for a child also holds the parent's resident size at the fork, which would count the
    parent's problems and referee arrays as the child's.
    """
    with contextlib.suppress(OSError), open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024.0
    import resource  # not Linux: the best available figure

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ----------------------------------------------------------------------------- parent
@dataclasses.dataclass(frozen=True)
class Solver:
    system: str  # "corridor" or "aequilibrae"
    method: str
    threads: int

    @property
    def label(self) -> str:
        name = "AequilibraE 1.7.2" if self.system == "aequilibrae" else "corridor"
        return f"{name} {self.method.upper() if self.method != 'bush' else 'bush'} {self.threads}t"


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    network: str
    gap: float  # target relative gap (0: run max_iter iterations)
    max_iter: int
    solvers: tuple[Solver, ...]
    what: str


def _cases() -> list[Case]:
    c1, c2 = Solver("corridor", "bfw", 1), Solver("corridor", "bfw", 2)
    a1, a2 = Solver("aequilibrae", "bfw", 1), Solver("aequilibrae", "bfw", 2)
    b1, b2 = Solver("corridor", "bush", 1), Solver("corridor", "bush", 2)
    return [
        Case("chicago-1e-4", "chicago-sketch", 1e-4, 2000, (c1, a1), "to 1e-4, 1 thread"),
        Case("chicago-1e-5", "chicago-sketch", 1e-5, 2000, (c1, b1, a1), "to 1e-5, 1 thread"),
        Case("berlin-1e-5", "berlin-center", 1e-5, 2000, (c2, b2, b1, a2), "to 1e-5"),
        Case(
            "berlin-threads",
            "berlin-center",
            0.0,
            20,
            (c1, c2),
            "20 BFW iterations, 1 vs 2 threads",
        ),
        Case("regional-iter", "chicago-regional", 0.0, 12, (c2, a2), "12 BFW iterations"),
        Case(
            "regional-iter-1t", "chicago-regional", 0.0, 6, (c1, a1), "6 BFW iterations, 1 thread"
        ),
    ]


def _run_child(problem: Path, case: Case, s: Solver, out: Path) -> dict[str, float]:
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "PYTHONPATH": str(REPO / "src")}
    cmd = [
        sys.executable, str(HERE), "--child", "--problem", str(problem), "--solver", s.system,
        "--method", s.method, "--threads", str(s.threads), "--gap", repr(case.gap),
        "--max-iter", str(case.max_iter), "--out", str(out),
    ]  # fmt: skip
    load0 = os.getloadavg()[0]
    proc = subprocess.run(cmd, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{s.label} failed on {case.name} (exit {proc.returncode})")
    with np.load(out) as f:
        res = {k: float(f[k]) for k in ("seconds", "cpu", "iterations", "own_gap", "peak_mib")}
        res["flows"] = f["flows"].copy()  # type: ignore[assignment]
    res["load"] = (load0 + os.getloadavg()[0]) / 2.0
    return res


def _loadings(s: Solver, iterations: float) -> float:
    """All-or-nothing loadings of a run: per-iteration figures are per loading.

    corridor's Frank-Wolfe iteration k measures the gap of the flows after k - 1 steps, with
    one loading before the first iteration (k iterations, k + 1 loadings); AequilibraE's
    first iteration is that initial loading (k iterations, k loadings). Per loading, the two
    count the same work.
    """
    if s.system == "corridor" and s.method != "bush":
        return iterations + 1.0
    return iterations


def _fmt_s(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}–{max(xs):.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cases", nargs="+", default=None, help="case names (default: all)")
    ap.add_argument("--no-aeq", action="store_true", help="corridor only")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--problem", help=argparse.SUPPRESS)
    ap.add_argument("--solver", help=argparse.SUPPRESS)
    ap.add_argument("--method", help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--gap", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--max-iter", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)

    cases = [c for c in _cases() if args.cases is None or c.name in args.cases]
    print(f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()}")
    print("both systems: fresh process per run, same warm-up, OMP_WAIT_POLICY=PASSIVE")
    summary: list[tuple[Case, str, dict[Solver, dict[str, list[float]]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        built: dict[str, tuple[Path, str, object]] = {}
        for case in cases:
            if case.network not in built:
                p, note = build(case.network)
                path = Path(tmp) / f"{case.network}.npz"
                save_problem(p, path)
                built[case.network] = (path, note, p)
                print(
                    f"{case.network}: {p.n_zones} zones, {p.n_nodes} nodes, {p.n_links} links, "
                    f"{p.demand.sum():.0f} trips; {note}"
                )
            path, note, p = built[case.network]
            solvers = [s for s in case.solvers if not (args.no_aeq and s.system == "aequilibrae")]
            stats: dict[Solver, dict[str, list[float]]] = {
                s: {
                    k: []
                    for k in ("seconds", "per_it", "peak_mib", "cpu", "cpu_per_it", "load", "gap")
                }
                for s in solvers
            }
            for r in range(args.repeats):
                order = solvers if r % 2 == 0 else solvers[::-1]  # alternate run by run
                for s in order:
                    res = _run_child(path, case, s, Path(tmp) / "out.npz")
                    g = referee_gap(p, res["flows"])
                    st = stats[s]
                    st["seconds"].append(res["seconds"])
                    st["per_it"].append(res["seconds"] / _loadings(s, res["iterations"]))
                    st["peak_mib"].append(res["peak_mib"])
                    st["cpu"].append(res["cpu"])
                    st["cpu_per_it"].append(res["cpu"] / _loadings(s, res["iterations"]))
                    st["load"].append(res["load"])
                    st["gap"].append(g)
                    print(
                        f"  {case.name} run {r + 1}: {s.label:24s} {res['seconds']:7.2f} s, "
                        f"{int(res['iterations']):4d} it, {res['peak_mib']:6.0f} MiB, "
                        f"cpu {res['cpu']:6.2f} s, own gap {res['own_gap']:.2e}, "
                        f"referee gap {g:.2e}, load {res['load']:.2f}",
                        flush=True,
                    )
            summary.append((case, note, stats))
            _print_case(case, stats)
    _print_markdown(summary)
    print(f"load average at end {os.getloadavg()}")
    return 0


def _peer(stats):  # type: ignore[no-untyped-def]
    return next((s for s in stats if s.system == "aequilibrae"), None)


def _med(stats, s, key: str) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(stats[s][key])


def _print_case(case: Case, stats) -> None:  # type: ignore[no-untyped-def]
    peer = _peer(stats)
    runs = len(next(iter(stats.values()))["seconds"])
    print(f"{case.name} ({case.network}, {case.what}), median (min–max) of {runs} runs:")
    for s in stats:
        ratio = ""
        if peer is not None and s is not peer:
            r_all = _med(stats, s, "seconds") / _med(stats, peer, "seconds")
            r_it = _med(stats, s, "per_it") / _med(stats, peer, "per_it")
            ratio = f", ratio {r_all:.2f} (per iteration {r_it:.2f})"
        print(
            f"  {s.label:24s} {_fmt_s(stats[s]['seconds'])}, cpu {_med(stats, s, 'cpu'):.2f} s, "
            f"{_med(stats, s, 'per_it') * 1e3:.0f} ms/it, peak {_med(stats, s, 'peak_mib'):.0f} "
            f"MiB, referee gap {max(stats[s]['gap']):.1e}, load {_med(stats, s, 'load'):.2f}"
            f"{ratio}"
        )


def _row(stats, ours, key: str, unit, cpu: str = "") -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """Cells of one README row; with ``cpu`` (a key), each time also as CPU time and ratio.

    On a shared machine the wall time of a one-thread run also holds the time other jobs
    held its core; its CPU time does not (for two threads it sums both threads' CPU).
    """
    peer = _peer(stats)
    cells, ratios = [], []

    def cell(s: Solver) -> str:
        text = unit(_med(stats, s, key))
        if cpu:
            text += f" (cpu {unit(_med(stats, s, cpu))})"
        return text

    for s in ours:
        med = _med(stats, s, key)
        cells.append(f"{s.label.removeprefix('corridor ')} {cell(s)}")
        if peer is not None:
            ratio = f"{med / _med(stats, peer, key):.2f}"
            if cpu:
                ratio += f" (cpu {_med(stats, s, cpu) / _med(stats, peer, cpu):.2f})"
            ratios.append(ratio)
    theirs = "—"
    if peer is not None:
        theirs = f"{peer.label.removeprefix('AequilibraE 1.7.2 ')} {cell(peer)}"
    return "; ".join(cells), theirs, "; ".join(ratios) or "—"


def _best(stats, ours, peer, key: str, cpu: str) -> str:  # type: ignore[no-untyped-def]
    """The best of ours against the peer: ``"<label> <ratio> (cpu <ratio>)"``."""
    s = min(ours, key=lambda s: _med(stats, s, key))
    wall = _med(stats, s, key) / _med(stats, peer, key)
    return f"{s.label} {wall:.2f} (cpu {_med(stats, s, cpu) / _med(stats, peer, cpu):.2f})"


def _print_markdown(summary) -> None:  # type: ignore[no-untyped-def]
    """The README table: one row per case, plus per-iteration and memory rows."""
    secs = lambda v: f"{v:.2f} s"  # noqa: E731
    msit = lambda v: f"{v * 1e3:.0f} ms/it"  # noqa: E731
    mib = lambda v: f"{v:.0f} MiB"  # noqa: E731
    print()
    print("| network, set-up | corridor | AequilibraE 1.7.2 | ratio |")
    print("|---|---|---|---|")
    goals = []
    for case, _note, stats in summary:
        ours = [s for s in stats if s.system == "corridor"]
        peer = _peer(stats)
        if case.gap == 0.0:
            a, b, r = _row(stats, ours, "per_it", msit, cpu="cpu_per_it")
            if peer is None and len(ours) == 2:  # threads against one thread
                speed = _med(stats, ours[0], "per_it") / _med(stats, ours[1], "per_it")
                r = f"{speed:.2f}x faster on {ours[1].threads} threads"
                goals.append(f"{case.network} BFW, {ours[1].threads} threads: {r}")
            print(f"| {case.network}, {case.what}, per iteration | {a} | {b} | {r} |")
            if peer is not None and case.network == "chicago-regional":
                best = _best(stats, ours, peer, "per_it", "cpu_per_it")
                goals.append(f"chicago-regional {case.what}, per iteration: {best} (goal <= 0.5)")
            continue
        a, b, r = _row(stats, ours, "seconds", secs, cpu="cpu")
        print(f"| {case.network} {case.what} | {a} | {b} | {r} |")
        if case.network == "berlin-center":
            a, b, r = _row(stats, ours, "peak_mib", mib)
            print(f"| {case.network} {case.what}, peak memory | {a} | {b} | {r} |")
            bfw = [s for s in ours if s.method == "bfw"]
            a, b, r = _row(stats, bfw, "per_it", msit)
            print(f"| {case.network}, per BFW iteration | {a} | {b} | {r} |")
            bush = [s for s in ours if s.method == "bush"]
            if bfw and bush:
                ratio = max(_med(stats, s, "peak_mib") for s in bush) / _med(
                    stats, bfw[0], "peak_mib"
                )
                goals.append(f"Berlin-Center bush peak memory / BFW's {ratio:.2f} (goal <= 2)")
        if peer is not None:
            goal = {"chicago-1e-4": 0.25, "berlin-1e-5": 0.33}.get(case.name)
            if goal is not None:
                best = _best(stats, ours, peer, "seconds", "cpu")
                goals.append(f"{case.network} {case.what}: {best} (goal <= {goal})")
    if goals:
        print()
        print("goals (issue 17): " + "; ".join(goals))


if __name__ == "__main__":
    raise SystemExit(main())
