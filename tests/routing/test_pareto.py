"""Pareto routes: the label-setting front against brute force (with and without via
places), and its invariants. The bad-case stage is tested in tests/journeys/test_pareto.py."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import InputError, NoRouteError, PlaceNotFoundError
from corridor.graph import GraphCache
from corridor.graph.csr import build_csr
from corridor.graph.driving import DrivingRules, driving_arrays, stretch_rests
from corridor.network.default import load_default
from corridor.routing import ParetoFront, pareto_routes, search_routes
from corridor.routing._pareto_kernels import pareto_labels
from corridor.testing import (
    border_network,
    gauge_network,
    random_multimodal_network,
    road_network,
)

#: The 11 multimodal pairs of the fidelity audit (review/fidelity-audit.md, section 1a).
AUDIT_PAIRS = [
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

_PATH_CAP = 2_500  # skip a case whose simple paths are too many to enumerate


# ---------------------------------------------------------------- oracles


def _pareto_filter(vectors):
    """Non-dominated vectors of a set, by pairwise comparison."""
    vs = set(vectors)
    return {
        v
        for v in vs
        if not any(u != v and all(a <= b for a, b in zip(u, v, strict=True)) for u in vs)
    }


def _brute_front(tail, head, weights, mask, sources, targets):
    """Front of every simple path from a source to a target (networkx enumerates them).

    Sums run in path order from 0.0, as the kernel's, so equal paths give equal floats.
    Returns None when there are more than ``_PATH_CAP`` paths.
    """
    g = nx.MultiDiGraph()
    for e in np.flatnonzero(mask):
        g.add_edge(int(tail[e]), int(head[e]), key=int(e))
    for s in sources:
        g.add_edge("S", int(s), key=-1)
    for t in targets:
        g.add_edge(int(t), "T", key=-1)
    if "S" not in g or "T" not in g:
        return set()
    vectors = set()
    paths = nx.all_simple_edge_paths(g, "S", "T")
    for n, path in enumerate(paths):
        if n >= _PATH_CAP:
            return None
        total = [0.0, 0.0, 0.0]
        for _, _, e in path:
            if e >= 0:
                total = [total[i] + float(weights[e, i]) for i in range(3)]
        vectors.add(tuple(total))
    return _pareto_filter(vectors)


def _random_csr(seed):
    """A small random digraph with integer figures 0..3 (ties, zeros, zero cycles)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 9))
    m = int(rng.integers(n, 3 * n + 1))
    tail = rng.integers(0, n, m)
    head = rng.integers(0, n, m)
    keep = tail != head
    tail, head = tail[keep], head[keep]
    indptr, csr_head, order = build_csr(n, tail, head)
    weights = rng.integers(0, 4, (len(order), 3)).astype(float)
    mask = rng.random(len(order)) < 0.9
    sources = rng.choice(n, int(rng.integers(1, 3)), replace=False)
    rest = np.setdiff1d(np.arange(n), sources)
    targets = rng.choice(rest, min(rest.size, int(rng.integers(1, 3))), replace=False)
    return indptr, csr_head, tail[order], weights, mask, sources, targets


def _paths_of(front, pred, edge):
    out = []
    for lab in front.tolist():
        path = []
        while pred[lab] != -1:
            path.append(int(edge[lab]))
            lab = int(pred[lab])
        out.append(path[::-1])
    return out


# ---------------------------------------------------------------- the kernel


def test_kernel_front_equals_brute_force_on_random_digraphs():
    checked = 0
    for seed in range(250):
        indptr, head, tail, w, mask, src, tgt = _random_csr(seed)
        want = _brute_front(tail, head, w, mask, src, tgt)
        if want is None:
            continue
        front, values, pred, edge, hit, _, _, _ = pareto_labels(indptr, head, w, mask, src, tgt)
        got = [tuple(values[f].tolist()) for f in front]
        assert not hit
        assert len(got) == len(set(got)), f"seed={seed}: a vector twice"
        assert set(got) == want, f"seed={seed}: got {sorted(got)}, want {sorted(want)}"
        assert got == sorted(got), f"seed={seed}: not in lexicographic order"
        for f, path in zip(front, _paths_of(front, pred, edge), strict=True):
            assert path, f"seed={seed}: empty path"
            assert tail[path[0]] in src, f"seed={seed}: starts off the sources"
            assert head[path[-1]] in tgt, f"seed={seed}: ends off the targets"
            assert all(head[a] == tail[b] for a, b in itertools.pairwise(path)), f"seed={seed}"
            assert all(mask[e] for e in path), f"seed={seed}: masked edge used"
            nodes = [int(tail[e]) for e in path] + [int(head[path[-1]])]
            assert len(set(nodes)) == len(nodes), f"seed={seed}: path repeats a node"
            assert np.array_equal(w[path].sum(axis=0), values[f]), f"seed={seed}"
        checked += 1
    assert checked >= 200


def _random_uniform(seed, n, m):
    """A random digraph with real figures (fronts of several members)."""
    rng = np.random.default_rng(seed)
    tail, head = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = tail != head
    indptr, csr_head, order = build_csr(n, tail[keep], head[keep])
    w = rng.uniform(0, 10, (len(order), 3)).round(2)
    return indptr, csr_head, w, np.ones(len(order), bool)


def test_kernel_growing_arrays_give_the_same_front():
    checked = 0
    for seed in range(40):
        indptr, head, w, mask = _random_uniform(seed, 15, 60)
        a = pareto_labels(indptr, head, w, mask, [0, 1], [14])
        b = pareto_labels(indptr, head, w, mask, [0, 1], [14], init_cap=1)
        assert np.array_equal(a[1][a[0]], b[1][b[0]]), f"seed={seed}"
        checked += a[0].size > 1
    assert checked >= 10


def test_kernel_skips_nan_figures_and_checks_input():
    indptr, head = np.array([0, 2, 3, 4, 4]), np.array([1, 2, 3, 3])
    w = np.array([[1.0, 5, 1], [2, 1, 1], [1, np.nan, 1], [2, 1, 1]])
    front, values, *_ = pareto_labels(indptr, head, w, np.ones(4, bool), [0], [3])
    assert values[front].tolist() == [[4.0, 2.0, 2.0]]
    with pytest.raises(InputError, match="negative"):
        pareto_labels(indptr, head, -w, np.ones(4, bool), [0], [3])
    with pytest.raises(InputError, match="shape"):
        pareto_labels(indptr, head, w[:, :2], np.ones(4, bool), [0], [3])
    with pytest.raises(InputError) as err:
        pareto_labels(indptr, head, w, np.ones(4, bool), [0], [3], max_labels=0)
    assert err.value.argument == "max_labels"


def test_kernel_one_path_graph_gives_that_path():
    # a chain 0 -> 1 -> 2 -> 3 with a dead end 1 -> 4
    indptr, head, order = build_csr(5, np.array([0, 1, 2, 1]), np.array([1, 2, 3, 4]))
    w = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]])[order]
    front, values, pred, edge, *_ = pareto_labels(indptr, head, w, np.ones(4, bool), [0], [3])
    assert values[front].tolist() == [[12.0, 15.0, 18.0]]
    assert [int(order[e]) for e in _paths_of(front, pred, edge)[0]] == [0, 1, 2]


def _covers(g, f, eps):
    return all(gi <= (1 + e) * fi for gi, fi, e in zip(g, f, eps, strict=True))


def test_epsilon_thins_but_keeps_an_epsilon_cover():
    thinned = checked = 0
    for seed in range(120):
        n = 12
        indptr, csr_head, w, mask = _random_uniform(seed, n, 40)
        exact = pareto_labels(indptr, csr_head, w, mask, [0], [n - 1])
        full = [tuple(v) for v in exact[1][exact[0]].tolist()]
        if len(full) < 2:
            continue
        eps = (0.2, 0.05, 0.1)
        thin = pareto_labels(indptr, csr_head, w, mask, [0], [n - 1], eps=np.array(eps))
        kept = [tuple(v) for v in thin[1][thin[0]].tolist()]
        assert set(kept) <= set(full), f"seed={seed}: a thinned member is not Pareto-optimal"
        for f in full:
            assert any(_covers(g, f, eps) for g in kept), f"seed={seed}: {f} not covered"
        thinned += len(kept) < len(full)
        checked += 1
    assert checked >= 60
    assert thinned >= 10, "epsilon never thinned a front"


def test_budget_flag_and_partial_front_is_exact_below_the_stop():
    checked = 0
    for seed in range(60):
        n = 15
        indptr, csr_head, w, mask = _random_uniform(seed, n, 60)
        full = pareto_labels(indptr, csr_head, w, mask, [0], [n - 1])
        assert not full[4]
        if full[0].size < 3:
            continue
        budget = max(full[6] // 3, 2)
        part = pareto_labels(indptr, csr_head, w, mask, [0], [n - 1], max_labels=budget)
        front, values, _, _, hit, stop, n_labels, _ = part
        assert hit, f"seed={seed}: budget {budget} of {full[6]} labels did not bind"
        assert n_labels <= budget
        got = [tuple(v) for v in values[front].tolist()]
        want = [tuple(v) for v in full[1][full[0]].tolist()]
        assert set(got) <= set(want), f"seed={seed}: a member of a cut front is not optimal"
        below = [v for v in want if v < tuple(stop.tolist())]
        assert set(below) <= set(got), f"seed={seed}: lost a member below the stop {stop}"
        checked += 1
    assert checked >= 20


# ---------------------------------------------------------------- drivers' hours in the kernel

_AETR = DrivingRules(9, 4.5, 0.75, 11, 6, 45, 56, 90)
_STRICT = DrivingRules(8, 4, 0.5, 10, 5, 36, 40, 70)


def test_kernel_rests_are_the_schedule_of_the_legs():
    # a chain of edges, some ending the road stretch, some under another rule set, driving
    # hours often on the limits (4.5, 9 ...): the one path's time is the sum of each edge's
    # time and the rests stretch_rests gives it, to the last bit
    rng = np.random.default_rng(7)
    checked = rested = 0
    for seed in range(300):
        k = int(rng.integers(1, 40))
        rule = rng.integers(-1, 2, k)
        drive = np.where(rule >= 0, rng.uniform(0, 12, k).round(int(rng.integers(0, 3))), 0.0)
        keep = rng.random(k) < 0.85
        t = drive + rng.uniform(0, 2, k).round(2)
        w = np.column_stack((t, np.ones(k), np.ones(k)))
        indptr, head = np.append(np.arange(k + 1), k), np.arange(1, k + 1)
        sets = [_AETR, _STRICT]
        arrays = driving_arrays(drive, keep, rule, sets)
        front, values, *_ = pareto_labels(
            indptr, head, w, np.ones(k, bool), [0], [k], driving=arrays
        )
        rests = stretch_rests(drive, keep, [sets[r] if r >= 0 else None for r in rule])
        want = 0.0
        for i in range(k):
            want = want + (float(t[i]) + float(rests[i]))
        assert values[front[0], 0] == want, f"seed={seed}"
        checked += 1
        rested += rests.sum() > 11
    assert checked == 300
    assert rested >= 100


def test_kernel_keeps_a_slower_label_that_has_driven_less():
    # 0 -road 8 h-> 1 reaches 1 in 8.75 h (a break), 0 -rail-> 2 -transfer-> 1 in 9 h
    # with a fresh driver; 1 -road 2 h-> 3: the first must rest 11 h on the way (20.75 h
    # of which 10 driven), the second arrives after 11 h. Plain dominance at node 1 would
    # keep only the first.
    indptr = np.array([0, 2, 3, 4, 4])
    head = np.array([1, 2, 3, 1])  # edges 0: 0->1 road, 1: 0->2 rail, 2: 1->3 road, 3: 2->1
    w = np.array([[8.0, 1, 1], [5.0, 1, 1], [2.0, 1, 1], [4.0, 0, 0]])
    drive = np.array([8.0, 0.0, 2.0, 0.0])
    keep = np.array([True, False, True, False])
    rule = np.array([0, -1, 0, -1])
    arrays = driving_arrays(drive, keep, rule, [_AETR])
    front, values, pred, edge, *_ = pareto_labels(
        indptr, head, w, np.ones(4, bool), [0], [3], driving=arrays
    )
    assert values[front].tolist() == [[11.0, 2.0, 2.0]]
    assert _paths_of(front, pred, edge) == [[1, 3, 2]]
    # without rules both reach 3 in 10 h and 11 h: the road alone is on the front
    front, values, *_ = pareto_labels(indptr, head, w, np.ones(4, bool), [0], [3])
    assert values[front].tolist() == [[10.0, 2.0, 2.0]]


# ---------------------------------------------------------------- via places in the kernel


def _brute_front_via(tail, head, weights, mask, sources, stops, targets):
    """Front of the walks through the stops' node sets in order, by enumeration.

    Each segment (source -> a node of stop 1 -> a node of stop 2 ... -> a target) is every
    simple path networkx finds between the two nodes (the empty path when they are the
    same node); the vectors reached at each node of a stop are kept when no other reached
    there dominates them (exact: later segments add the same figures to both). The front
    of such concatenations equals the front of all walks through the stops in order,
    since cutting a cycle out of a segment never makes a figure larger. Returns None when
    the enumeration passes ``_PATH_CAP`` segment paths.
    """
    g = nx.MultiDiGraph()
    g.add_nodes_from(int(x) for nodes in (sources, *stops, targets) for x in nodes)
    for e in np.flatnonzero(mask):
        g.add_edge(int(tail[e]), int(head[e]), key=int(e))
    frontier = {int(s): {(0.0, 0.0, 0.0)} for s in sources}
    enumerated = 0
    for nodes in [*stops, targets]:
        reached: dict[int, set] = {}
        for u, vectors in frontier.items():
            for t in (int(x) for x in nodes):
                paths = (
                    [[]]
                    if u == t
                    else [[k for _, _, k in p] for p in nx.all_simple_edge_paths(g, u, t)]
                )
                enumerated += len(paths)
                if enumerated > _PATH_CAP:
                    return None
                for path in paths:
                    for v in vectors:
                        total = list(v)
                        for e in path:
                            total = [total[i] + float(weights[e, i]) for i in range(3)]
                        reached.setdefault(t, set()).add(tuple(total))
        frontier = {t: _pareto_filter(vs) for t, vs in reached.items()}
    return _pareto_filter(set().union(*frontier.values())) if frontier else set()


def _passes_in_order(tail, head, path, sources, stops):
    """Whether the path's nodes meet every stop's node set, in order (a node may serve two)."""
    nodes = [int(tail[path[0]]) if path else None, *(int(head[e]) for e in path)]
    i = 0
    for stop in stops:
        members = {int(x) for x in stop}
        while i < len(nodes) and nodes[i] not in members:
            i += 1
        if i == len(nodes):
            return False
    return True


def test_kernel_via_front_equals_brute_force_on_random_digraphs():
    checked = multi = 0
    for seed in range(300):
        indptr, head, tail, w, mask, src, tgt = _random_csr(seed)
        rng = np.random.default_rng(10_000 + seed)
        n = indptr.size - 1
        stops = [
            rng.choice(n, int(rng.integers(1, 3)), replace=False) for _ in range(rng.integers(1, 3))
        ]
        want = _brute_front_via(tail, head, w, mask, src, stops, tgt)
        if want is None:
            continue
        front, values, pred, edge, hit, _, _, _ = pareto_labels(
            indptr, head, w, mask, src, tgt, via=stops
        )
        got = [tuple(values[f].tolist()) for f in front]
        label = f"seed={seed} stops={[s.tolist() for s in stops]}"
        assert not hit
        assert len(got) == len(set(got)), f"{label}: a vector twice"
        assert set(got) == want, f"{label}: got {sorted(got)}, want {sorted(want)}"
        assert got == sorted(got), f"{label}: not in lexicographic order"
        for f, path in zip(front, _paths_of(front, pred, edge), strict=True):
            start = int(tail[path[0]]) if path else None
            if path:
                assert start in src, label
                assert head[path[-1]] in tgt, label
                assert all(head[a] == tail[b] for a, b in itertools.pairwise(path)), label
                assert all(mask[e] for e in path), f"{label}: masked edge used"
                assert _passes_in_order(tail, head, path, src, stops), f"{label}: skips a stop"
            assert np.array_equal(w[path].sum(axis=0), values[f]) or not path, label
        checked += 1
        multi += len(got) > 1
    assert checked >= 200
    assert multi >= 20


def test_kernel_via_by_hand():
    # 0 -> 1 -> 3 is fast and dear, 0 -> 2 -> 3 slow and cheap; via {2} keeps only the second
    indptr, head = np.array([0, 2, 3, 4, 4]), np.array([1, 2, 3, 3])
    w = np.array([[1.0, 5, 1], [2, 1, 1], [1, 5, 1], [2, 1, 1]])
    mask = np.ones(4, bool)
    front, values, *_ = pareto_labels(indptr, head, w, mask, [0], [3], via=[np.array([2])])
    assert values[front].tolist() == [[4.0, 2.0, 2.0]]
    # a stop that is also the source is passed at once; two stops on one node as well
    front, values, *_ = pareto_labels(
        indptr, head, w, mask, [0], [3], via=[np.array([0]), np.array([1]), np.array([1])]
    )
    assert values[front].tolist() == [[2.0, 10.0, 2.0]]
    # an unreachable stop leaves no front
    front, *_ = pareto_labels(indptr, head, w, mask, [1], [3], via=[np.array([2])])
    assert front.size == 0


# ---------------------------------------------------------------- pareto_routes


_WALK_CAP = 60_000  # skip a case whose walk enumeration takes more extensions


def _walk_front(g, weights, mask, sources, stops, targets, crew=1):
    """Front of every walk through the stops in order, valued as routes are, by enumeration.

    A walk starts at a node of ``sources``, passes a node of each stop's set in order and
    ends at a node of ``targets`` (at the last stop); its time is the sum, edge by edge, of
    the edge's time and the breaks and rests the drivers' hours schedule puts on it
    (:meth:`DrivingRules.rests` over each road stretch, as ``ExpandedGraph.path_rests``
    and the route's legs count them), cost and CO2e their sums. Depth-first, with two
    cuts that lose no vector of the front: a walk weakly dominated by a complete walk found
    is not extended (figures and rests only grow), and a walk is not extended back to a
    node (at the same stop count) it has reached since its road stretch last ended (the
    loop only adds figures and driving to the same stretch, whose rests never fall as its
    driving grows). A loop that ends a stretch (out by rail and back by road, say) can
    save a rest, so such walks are enumerated too. First the walks that never come back
    to a node, to have complete walks to cut with, then all of them. Returns None past
    ``_WALK_CAP`` extensions.
    """
    rules = g.driving_rules.get(crew, ()) if g.rule_keys else ()
    edge_rules = [rules[r] if r >= 0 else None for r in g.edge_rules.tolist()]
    out = [[e for e in range(g.indptr[u], g.indptr[u + 1]) if mask[e]] for u in range(g.n_nodes)]
    stop_sets = [{int(x) for x in nodes} for nodes in stops]
    target_set = {int(x) for x in targets}
    complete: set[tuple[float, float, float]] = set()
    count = 0

    def advance(stage, v):
        while stage < len(stop_sets) and v in stop_sets[stage]:
            stage += 1
        return stage

    def dominated(t, c, x):
        return any(a <= t and b <= c and d <= x for a, b, d in complete)

    def dfs(u, stage, t, c, x, stretch, rule, seen, simple, depth=0):
        nonlocal count
        if stage == len(stop_sets) and u in target_set:
            complete.add((t, c, x))
            return True
        if depth > 200:  # every loop adds time, money and CO2e: cut by a complete walk
            return False
        for e in out[u]:
            count += 1
            if count > _WALK_CAP:
                return False
            v = int(g.head[e])
            sv = advance(stage, v)
            if g.in_stretch[e]:
                drive = [*stretch, float(g.driving_h[e])]
                r = rule if rule is not None else edge_rules[e]
                rest = float(r.rests(drive)[-1]) if r is not None else 0.0
                now = seen
            else:
                drive, r, rest, now = [], None, 0.0, (set() if not simple else seen)
            if (v, sv) in now:
                continue
            te = t + (float(weights[e, 0]) + rest)
            ce, xe = c + float(weights[e, 1]), x + float(weights[e, 2])
            if not (np.isfinite(te) and np.isfinite(ce) and np.isfinite(xe)):
                continue
            if dominated(te, ce, xe):
                continue
            if not dfs(v, sv, te, ce, xe, drive, r, now | {(v, sv)}, simple, depth + 1):
                return False
        return True

    for simple in (True, False):
        if not simple and not complete:
            break  # no walk at all (a walk that comes back has one that does not)
        for s0 in dict.fromkeys(int(s) for s in sources):
            st0 = advance(0, s0)
            if not dfs(s0, st0, 0.0, 0.0, 0.0, [], None, {(s0, st0)}, simple):
                return None
    return _pareto_filter(complete)


def _oracle_case(g, o, d, *, avoid=(), modes=None, via=(), crew=1):
    """Brute-force front of the expanded graph, masks built here from the graph's arrays.

    The ends are those of a route: a departure node of the origin, an arrival node of each
    later stop (via places and the destination).
    """
    w = np.column_stack((g.time_h, g.cost_usd, g.co2e_kg))
    mask = np.isfinite(w).all(axis=1)
    for c in avoid:
        if c in g.countries:
            bad = g.countries.index(c)
            mask &= g.place_country[g.edge_from_place] != bad
            mask &= g.place_country[g.edge_to_place] != bad
    rows = [g.place_row[p] for p in (o, *via, d)]
    sets = [g.departures(rows[0]), *(g.arrivals(r) for r in rows[1:])]
    if modes is not None:
        codes = [g.modes.code(m) for m in modes]
        mask &= np.isin(g.edge_from_mode, codes) & np.isin(g.edge_to_mode, codes)
        sets = [s[np.isin(g.node_mode[s], codes)] for s in sets]
    return _walk_front(g, w, mask, sets[0], sets[1:-1], sets[-1], crew)


def _compare_on_random_networks(seeds, *, with_via=False, size=(7, 14), rules=False):
    """pareto_routes against brute force for every pair of each network; return counts.

    With ``rules`` the networks have drivers' hours rules (the crew alternates by pair), and
    the counts add the fronts whose members rest on the road.
    """
    checked = nonempty = multi = empty = rested = 0
    cargos = ["container_40ft", "roro_truck", "container_20ft"]
    for seed in seeds:
        net = random_multimodal_network(seed, *size, driving_rules=rules)
        cargo, planned = cargos[seed % 3], bool(seed % 2)
        cache = GraphCache()
        g = cache.get(net, cargo=cargo, include_planned=planned)
        ids = [p for p in net.places["place_id"] if p in g.place_row]
        country = dict(zip(net.places["place_id"], net.places["country"], strict=True))
        for case, (o, d) in enumerate(itertools.permutations(ids, 2)):
            avoid: tuple[str, ...] = ()
            modes = None
            via: tuple[str, ...] = ()
            if with_via:
                others = [p for p in ids if p not in (o, d)]
                via = tuple(others[(case + k) % len(others)] for k in range(1 + (case % 4 == 0)))
            if case % 3 == 1:
                ends = {country[p] for p in (o, d, *via)}
                others = sorted({"KAZ", "TKM", "IRN", "UZB"} - ends)
                avoid = (others[case % len(others)],) if others else ()
            if case % 5 == 2:
                modes = ("rail_1520", "road", "ferry")
            crew = 1 + (case % 2) if rules else 1
            want = _oracle_case(g, o, d, avoid=avoid, modes=modes, via=via, crew=crew)
            if want is None or (want == set() and empty >= 6):
                continue  # too many paths; or enough unconnected pairs seen (each is slow)
            empty += want == set()
            label = (
                f"seed={seed} {o}->{d} via={via} cargo={cargo} planned={planned} {avoid} "
                f"{modes} crew={crew}"
            )
            try:
                front = pareto_routes(
                    net,
                    o,
                    d,
                    cargo=cargo,
                    include_planned=planned,
                    avoid_countries=avoid,
                    modes=modes,
                    via=via,
                    crew=crew,
                    cache=cache,
                )
            except NoRouteError:
                assert want == set(), f"{label}: oracle found {want}"
            except InputError:
                assert modes is not None, label  # an end without links of the modes
                continue
            else:
                got = {tuple(v) for v in front.values().tolist()}
                assert len(got) == len(front), label
                assert got == want, f"{label}: got {sorted(got)}, want {sorted(want)}"
                assert front.via == via
                for m in front:
                    assert m.route.crew == crew, label
                    assert m.time_h == m.route.time_h == sum(leg.time_h for leg in m.route.legs)
                nonempty += 1
                multi += len(front) > 1
                rested += any(leg.rest_h > 0 for m in front for leg in m.route.legs)
            checked += 1
    return (checked, nonempty, multi, rested) if rules else (checked, nonempty, multi)


def test_front_equals_brute_force_on_random_networks():
    checked, nonempty, multi = _compare_on_random_networks(range(4))
    assert checked >= 60
    assert nonempty >= 50
    assert multi >= 8, "too few fronts with a trade-off to mean anything"


def test_via_front_equals_brute_force_on_random_networks():
    checked, nonempty, multi = _compare_on_random_networks(range(5), with_via=True, size=(7, 20))
    assert checked >= 70
    assert nonempty >= 65
    assert multi >= 14, "too few fronts with a trade-off to mean anything"


def test_front_with_drivers_hours_equals_brute_force_on_random_networks():
    # the time of a route includes the exact rests of its road stretches (one and two
    # drivers; stretches starting in IRN under stricter rules): so does the front
    checked, nonempty, multi, rested = _compare_on_random_networks(
        range(6), size=(8, 24), rules=True
    )
    assert checked >= 180
    assert nonempty >= 170
    assert multi >= 45, "too few fronts with a trade-off to mean anything"
    assert rested >= 20, "too few fronts whose routes rest on the road"


def test_via_front_with_drivers_hours_equals_brute_force_on_random_networks():
    checked, nonempty, multi, rested = _compare_on_random_networks(
        range(6), with_via=True, size=(8, 24), rules=True
    )
    assert checked >= 80
    assert nonempty >= 75
    assert multi >= 35, "too few fronts with a trade-off to mean anything"
    assert rested >= 10, "too few fronts whose routes rest on the road"


@pytest.mark.slow
def test_front_equals_brute_force_on_more_random_networks():
    checked, nonempty, multi = _compare_on_random_networks(range(4, 24))
    assert checked >= 300
    assert nonempty >= 250
    assert multi >= 40, "too few fronts with a trade-off to mean anything"


@pytest.mark.slow
def test_via_front_equals_brute_force_on_more_random_networks():
    checked, nonempty, multi = _compare_on_random_networks(
        range(3, 21), with_via=True, size=(7, 20)
    )
    assert checked >= 150
    assert nonempty >= 140
    assert multi >= 70, "too few fronts with a trade-off to mean anything"


@pytest.mark.slow
def test_front_with_drivers_hours_equals_brute_force_on_more_random_networks():
    checked, nonempty, multi, rested = _compare_on_random_networks(
        range(24, 40), size=(8, 24), rules=True
    )
    assert checked >= 500
    assert nonempty >= 490
    assert multi >= 140
    assert rested >= 55


@pytest.mark.slow
def test_via_front_with_drivers_hours_equals_brute_force_on_more_random_networks():
    checked, nonempty, multi, rested = _compare_on_random_networks(
        range(24, 40), with_via=True, size=(8, 24), rules=True
    )
    assert checked >= 320
    assert nonempty >= 310
    assert multi >= 140
    assert rested >= 55


@pytest.fixture(scope="module")
def default_net():
    return load_default()


@pytest.fixture(scope="module")
def default_cache():
    return GraphCache()


def _drives(route):
    return any(leg.kind == "run" and leg.mode == "road" for leg in route.legs)


def _check_single_objective_optima(net, pairs, cache, **options):
    """Each single-objective search's best route against the front; return the cases checked.

    Cost and CO2e are sums over edges in both searches: the front's minimum is the search's.
    Time is not: the ranked search weighs road runs by the rules' average rest (an estimate)
    and gives the route found its exact schedule, while the front's labels carry the exact
    schedule. So the fastest member is never slower than the search's best and some member
    is as good as it on all three; the two times are equal when neither route drives on
    the road (there the estimate is exact).
    """
    checked = 0
    for o, d in pairs:
        try:
            front = pareto_routes(net, o, d, cache=cache, **options)
        except NoRouteError:
            continue
        vals = front.values()
        for j, objective in enumerate(("time", "cost", "co2e")):
            best = search_routes(net, o, d, objective=objective, k=1, cache=cache, **options)[0]
            if best.unknown:
                continue  # its optimum uses a figure unknown for another criterion
            got = (best.time_h, best.cost_usd, best.co2e_kg)
            want = got[j]
            label = f"{o}->{d} {options} {objective}: front {vals[:, j].min()}, search {want}"
            fastest = front[int(np.argmin(vals[:, 0]))].route
            if objective == "time" and (_drives(best) or _drives(fastest)):
                assert vals[:, 0].min() <= want * (1 + 1e-12), label
            else:
                assert vals[:, j].min() == pytest.approx(want, rel=1e-9, abs=1e-9), label
            assert any((v <= np.array(got) * (1 + 1e-12)).all() for v in vals), (
                f"{label}: no member is as good as the search's route"
            )
            marked = [m for m in front if objective in m.best_for]
            assert marked, f"{o}->{d}: no member marked best for {objective}"
            checked += 1
    return checked


def test_single_objective_optima_are_on_the_default_front(default_net, default_cache):
    assert _check_single_objective_optima(default_net, AUDIT_PAIRS, default_cache) == 33
    assert _check_single_objective_optima(default_net, AUDIT_PAIRS, default_cache, crew=2) == 33


def test_single_objective_optima_with_via_on_the_default_front(default_net, default_cache):
    cases = [
        (("Almaty", "Tehran"), ("Aktau",)),
        (("Almaty", "Tehran"), ("Mashhad",)),
        (("Astana", "Bandar Abbas"), ("Tashkent", "Mashhad")),
        (("Moscow", "Tehran"), ("Astrakhan",)),
    ]
    checked = 0
    for pair, via in cases:
        checked += _check_single_objective_optima(default_net, [pair], default_cache, via=via)
        front = pareto_routes(default_net, *pair, via=via, cache=default_cache)
        for m in front:
            visited = [p for leg in m.route.legs for p in (leg.from_id, leg.to_id)]
            at = 0
            for v in front.via:
                assert v in visited[at:], f"{pair} via {via}: member {m.rank} skips {v}"
                at = visited.index(v, at)
    assert checked == 12


def test_single_objective_optima_are_on_random_fronts():
    checked = 0
    for seed in range(4):
        net = random_multimodal_network(200 + seed, 25, 90)
        ids = net.places["place_id"].tolist()
        rng = np.random.default_rng(seed)
        pairs = [tuple(ids[i] for i in rng.choice(len(ids), 2, replace=False)) for _ in range(8)]
        checked += _check_single_objective_optima(
            net, pairs, GraphCache(), cargo="container_40ft", include_planned=bool(seed % 2)
        )
    assert checked >= 40


def _assert_front_invariants(front: ParetoFront, label: str) -> None:
    vals = front.values()
    for i, j in itertools.permutations(range(len(vals)), 2):
        assert not ((vals[i] <= vals[j]).all()), f"{label}: member {i + 1} dominates {j + 1}"
    assert [m.rank for m in front] == list(range(1, len(front) + 1))
    assert [tuple(v) for v in vals.tolist()] == sorted(tuple(v) for v in vals.tolist())
    for m in front:
        r = m.route
        assert r.objective == "pareto"
        assert r.objective_value == r.time_h
        assert (r.time_h, r.cost_usd, r.co2e_kg) == pytest.approx(
            (m.time_h, m.cost_usd, m.co2e_kg), rel=1e-12
        ), f"{label}: legs do not add up to the member's totals"
        assert r.origin == front.origin
        assert r.destination == front.destination
        assert m.label
        assert m.p90_h is None
        assert m.p90_on_front is None


def test_no_member_dominates_another_on_the_default_network(default_net, default_cache):
    sizes = []
    for o, d in AUDIT_PAIRS:
        front = pareto_routes(default_net, o, d, units=2.5, cache=default_cache)
        _assert_front_invariants(front, f"{o}->{d}")
        assert front.complete
        assert math.isinf(front.complete_below_time_h)
        sizes.append(len(front))
    assert max(sizes) >= 5, f"fronts of sizes {sizes}: the corridor should offer trade-offs"


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), units=st.floats(0.5, 40))
def test_front_invariants_hold_on_random_networks(seed, units):
    net = random_multimodal_network(seed, 12, 40)
    ids = net.places["place_id"].tolist()
    try:
        front = pareto_routes(net, ids[0], ids[1], units=units, include_planned=True)
    except NoRouteError:
        return
    _assert_front_invariants(front, f"seed={seed}")


def test_one_path_network_gives_that_path():
    # with rail only, A -rail_1520- G -gauge break- -rail_1435- B is the one route
    net = gauge_network()
    front = pareto_routes(net, "A", "B", cargo="container", modes=("rail_1520", "rail_1435"))
    assert len(front) == 1
    only = front[0]
    assert [leg.kind for leg in only.route.legs] == ["run", "gauge_break", "run"]
    assert only.values() == (13.0, 430.0, 180.0)  # test_search
    assert only.best_for == ("time", "cost", "co2e")


def test_border_network_trade_off_by_hand():
    # rail A-B-C-D: 34.2 h, 830 USD, 304 kg (test_search.py works it out); the planned
    # road A-D is faster and dearer: both are on the front, the road first.
    net = border_network()
    front = pareto_routes(net, "A", "D", include_planned=True, units=2)
    road, rail = front[0].route, front[1].route
    assert [leg.mode for leg in road.legs if leg.kind == "run"] == ["road"]
    assert (rail.time_h, rail.cost_usd, rail.co2e_kg) == pytest.approx((34.2, 1660.0, 608.0))
    assert road.time_h < rail.time_h
    assert road.cost_usd > rail.cost_usd
    assert rail.border_countries == ("KAZ>TKM", "TKM>IRN")
    assert pareto_routes(net, "A", "D").values().tolist() == [[34.2, 830.0, 304.0]]
    # via C, the road is no longer a choice
    via = pareto_routes(net, "A", "D", include_planned=True, units=2, via="C")
    assert via.values().tolist() == [pytest.approx([34.2, 1660.0, 608.0])]
    assert via.via == ("C",)
    assert "via C" in via[0].route.method


def test_constraints_are_kept_and_blocking_ones_named(default_net, default_cache):
    front = pareto_routes(
        default_net, "Almaty", "Tehran", avoid_countries=["TKM"], cache=default_cache
    )
    assert len(front) >= 1
    assert all("TKM" not in m.route.countries for m in front)
    rail = pareto_routes(
        default_net,
        "Almaty",
        "Tehran",
        modes=["rail_1520", "rail_1435"],
        cache=default_cache,
    )
    assert all(
        leg.mode.startswith("rail") for m in rail for leg in m.route.legs if leg.kind == "run"
    )
    avoided = pareto_routes(
        default_net, "Almaty", "Tehran", avoid_places=["Sarakhs (Iran)"], cache=default_cache
    )
    assert all("IR_SARAKHS" not in {leg.to_id for leg in m.route.legs} for m in avoided)
    with pytest.raises(NoRouteError) as err:
        pareto_routes(border_network(), "A", "D", avoid_countries=["TKM"])
    assert err.value.constraint == "avoid_countries"
    # the same error as search_routes when a via place blocks (B has no road)
    options = {"via": ["B"], "modes": ["road"], "include_planned": True}
    with pytest.raises(NoRouteError) as err:
        pareto_routes(border_network(), "A", "D", **options)
    with pytest.raises(NoRouteError) as want:
        search_routes(border_network(), "A", "D", **options)
    assert (str(err.value), err.value.constraint) == (str(want.value), want.value.constraint)
    with pytest.raises(PlaceNotFoundError) as perr:
        pareto_routes(border_network(), "A", "D", via=["Charlee"])
    assert perr.value.argument == "via"


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"epsilon": -0.1}, "epsilon"),
        ({"epsilon": (0.1, 0.2)}, "epsilon"),
        ({"epsilon": "0.1"}, "epsilon"),
        ({"epsilon": True}, "epsilon"),
        ({"max_labels": 0}, "max_labels"),
        ({"max_labels": 2.5}, "max_labels"),
        ({"units": 0}, "units"),
        ({"modes": ["hovercraft"]}, "modes"),
        ({"objective": "cost"}, "objective"),
        ({"k": 5}, "k"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_options_name_their_argument(options, argument):
    with pytest.raises(InputError) as err:
        pareto_routes(gauge_network(), "A", "B", **options)
    assert err.value.argument == argument


def test_epsilon_front_on_the_default_network(default_net, default_cache):
    exact = pareto_routes(default_net, "Almaty", "Tehran", cache=default_cache)
    eps = (0.1, 0.1, 0.1)
    thin = pareto_routes(default_net, "Almaty", "Tehran", epsilon=0.1, cache=default_cache)
    full = [tuple(v) for v in exact.values().tolist()]
    kept = [tuple(v) for v in thin.values().tolist()]
    assert thin.epsilon == eps
    assert set(kept) <= set(full)
    assert len(kept) < len(full)
    assert all(any(_covers(g, f, eps) for g in kept) for f in full)


def test_budget_hit_is_flagged_not_hidden(default_net, default_cache):
    full = pareto_routes(default_net, "Almaty", "Tehran", cache=default_cache)
    cut = pareto_routes(default_net, "Almaty", "Tehran", max_labels=200, cache=default_cache)
    assert cut.budget_hit
    assert not cut.complete
    assert cut.n_labels <= 200 < full.n_labels
    want = {tuple(v) for v in full.values().tolist()}
    got = {tuple(v) for v in cut.values().tolist()}
    assert got <= want
    assert {v for v in want if v[0] < cut.complete_below_time_h} <= got
    assert len(got) < len(want)
    assert cut.to_dict()["complete"] is False


def test_almaty_tehran_front_shows_the_corridors(default_net, default_cache):
    # One driver rests 11 h a night (and breaks every 4.5 h): every road route is slower
    # than a railway and dearer, so the front is the railways: the fastest through
    # Uzbekistan and Akyayla/Incheh Borun, the KTI line through Bolashak, and Sarakhs,
    # the cheapest and cleanest.
    front = pareto_routes(default_net, "Almaty", "Tehran", cache=default_cache)
    labels = {m.label: m for m in front}
    cheapest = next(m for m in front if "cost" in m.best_for)
    cleanest = next(m for m in front if "co2e" in m.best_for)
    fastest = front[0]
    assert "time" in fastest.best_for
    assert fastest.label == "Akyayla/Incheh Borun rail"
    assert cheapest.label == cleanest.label == "Sarakhs rail"
    assert "KTI rail" in labels
    assert not any(_drives(m.route) for m in front)
    # Two drivers rest 9 h after 18 h: the Caspian crossings that drive on in Azerbaijan
    # and Iran become the fastest; the railways stay on the front with the same totals.
    two = pareto_routes(default_net, "Almaty", "Tehran", crew=2, cache=default_cache)
    assert two[0].time_h < fastest.time_h
    assert _drives(two[0].route)
    assert any(leg.mode in ("ferry", "sea") for leg in two[0].route.legs)
    assert {m.values() for m in front} <= {m.values() for m in two}
    assert {m.route.crew for m in two} == {2}


def test_crew_changes_the_rests_of_the_members():
    # road A-B-C-D: 6 + 6 + 8 h of driving, one stretch. One driver: a break after 4.5 h,
    # the 11 h rest after 9 h (in the second run), then a break and a rest in the third;
    # two drivers: no stop until 18 h, then a 9 h rest.
    net = road_network()
    one = pareto_routes(net, "A", "D", modes=["road"])
    two = pareto_routes(net, "A", "D", modes=["road"], crew=2)
    assert len(one) == len(two) == 1
    r1, r2 = one[0].route, two[0].route
    assert [leg.rest_h for leg in r1.legs if leg.kind == "run"] == [0.75, 11.0, 11.75]
    assert [leg.rest_h for leg in r2.legs if leg.kind == "run"] == [0.0, 0.0, 9.0]
    assert one[0].time_h == r1.time_h == pytest.approx(two[0].time_h + 23.5 - 9.0)
    # the same totals as the ranked search's route (one road route: no estimate involved)
    for crew, m in ((1, one[0]), (2, two[0])):
        best = search_routes(net, "A", "D", modes=["road"], objective="time", k=1, crew=crew)[0]
        assert best.legs == m.route.legs
    with pytest.raises(InputError) as err:
        pareto_routes(net, "A", "D", crew=3)
    assert err.value.argument == "crew"
