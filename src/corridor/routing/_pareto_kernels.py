"""Compiled multi-criteria label-setting search (Martins' algorithm) on CSR arrays (numba).

A *label* is one path from a source to a node, held as its three sums (time, cost, CO2e),
the node, the label it extends and the edge it adds. :func:`pareto_labels` keeps labels in
preallocated arrays that double in size inside the kernel up to a budget, and a 4-ary heap
of labels ordered **lexicographically** by (time, cost, CO2e), ties broken by label age
(the older first, so the order of work is fully defined):

1. pop the lexicographically smallest queued label; no queued or future label can
   dominate it (sums only grow), so it is final ("permanent");
2. at a target node, add it to the front (unless a front member covers it) and do not
   extend it: continuing through a target and coming back only adds non-negative
   figures, so it can never beat the label itself;
3. elsewhere, extend it along every allowed edge; a new label is dropped when a label
   already at its node weakly dominates it (``<=`` on every criterion) or a front member
   covers it; otherwise it removes the queued labels of its node that it dominates
   (lazily: they are marked dead and skipped when popped).

*Covered* is weak dominance relaxed by ``eps`` (relative, per criterion): ``a`` covers
``b`` when ``a[i] <= (1 + eps[i]) * b[i]`` for every criterion. With ``eps = 0`` the front
is exact: one path for each non-dominated vector of sums. With ``eps > 0`` the relaxation
is applied **only against front members** (never between labels at the same node), so
every member is still Pareto-optimal and every Pareto-optimal vector ``f`` has a member
``g`` with ``g <= (1 + eps) * f`` (one factor, not compounded along the path: whatever is
dropped is covered by a final member, and a member is never removed).

Budget: when the label arrays would exceed ``max_labels`` the search stops at once and
says so (``budget_hit``); the front found so far then holds exactly the Pareto-optimal
vectors lexicographically below the label being extended (``stop``), so every member is
Pareto-optimal and every Pareto-optimal route faster than ``stop[0]`` is in it. Nothing is
ever dropped silently.

**Via places** (stops to pass in order) are searched exactly with a stage counter: a
label also carries the number of stops it has passed, and the search runs on the product
of the graph with the stages (node ``v`` at stage ``s`` is its own node for dominance). A
label reaching a node of stop ``s + 1``'s node set moves to stage ``s + 1`` at once (the
same path either way, so nothing is lost by not carrying on at stage ``s`` too); the
targets count only at the last stage. The front is then that of every walk through the
stops in order: the concatenation of a path to the first stop, from there to the next,
and so on, which may pass a node twice (out to a port and back).

**Drivers' hours** (optional, :mod:`corridor.graph.driving`): the time of a label then
includes the exact breaks and rests of its road stretches. A label also carries the state
of its current stretch: the rule set ``r`` of the stretch (``-1`` before its first run
with rules), the driving ``D`` and the rests ``R`` counted on it so far, and the state of
the schedule (hours driven today, since the last break, this week and last week, driving
periods since the weekly rest). Extending along an edge of the stretch runs the schedule
on that edge's driving, step for step as :meth:`DrivingRules.rests
<corridor.graph.driving.DrivingRules.rests>` does (so the rest of each edge, and the
sums, are the same floats as the route's legs); any other edge ends the stretch and
resets the state. The rests of a stretch are a non-decreasing function ``F`` of its
driving alone (the schedule lays the driving end to end), so a label ``a`` at a node
dominates ``b`` when its cost and CO2e are no higher, both stretches follow the same rule
set, ``D_a <= D_b`` and ``T_a - R_a <= T_b - R_b``: for any continuation adding ``x`` hours
of driving to the stretch, ``T_a - R_a + F(D_a + x) <= T_b - R_b + F(D_b + x)``, and after
the stretch the two continue alike. This is exact (no route is lost) but weaker than plain
dominance, so a road node keeps more labels. A label that has not driven yet in its
stretch will take the rules of the first run it drives (``node_rule``, the same for every
way on from a node of one place and mode); where no run with rules can follow, the rest of
the stretch adds nothing and labels compare by their times. Label setting stays exact:
rests are never negative, so the lexicographic order of the heap is still an order of
final labels, and a front member covers a label whose sums it beats now.

A NaN figure never passes ``<=``/``<`` tests, so an edge with a NaN figure is skipped here
too; the caller should mask such edges anyway (:func:`pareto_labels` requires finite
figures on the edges ``mask`` allows).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit

from corridor.errors import InputError
from corridor.graph.driving import TOLERANCE_H, DrivingArrays

__all__ = ["pareto_labels"]

_EPS = TOLERANCE_H


@njit(inline="always", cache=True)
def _lex_less(
    a0: float, a1: float, a2: float, ai: int, b0: float, b1: float, b2: float, bi: int
) -> bool:  # pragma: no cover - compiled
    """``(a0, a1, a2, ai) < (b0, b1, b2, bi)`` lexicographically (ties: older label first)."""
    if a0 != b0:
        return a0 < b0
    if a1 != b1:
        return a1 < b1
    if a2 != b2:
        return a2 < b2
    return ai < bi


@njit(inline="always", cache=True)
def _lheap_push(
    k0: np.ndarray,
    k1: np.ndarray,
    k2: np.ndarray,
    hid: np.ndarray,
    size: int,
    label: int,
    a0: float,
    a1: float,
    a2: float,
) -> int:  # pragma: no cover - compiled
    """Queue ``label`` with key ``(a0, a1, a2)`` in the 4-ary label heap; return the size."""
    i = size
    while i > 0:
        q = (i - 1) >> 2
        if _lex_less(a0, a1, a2, label, k0[q], k1[q], k2[q], hid[q]):
            k0[i] = k0[q]
            k1[i] = k1[q]
            k2[i] = k2[q]
            hid[i] = hid[q]
            i = q
        else:
            break
    k0[i] = a0
    k1[i] = a1
    k2[i] = a2
    hid[i] = label
    return size + 1


@njit(inline="always", cache=True)
def _lheap_pop(
    k0: np.ndarray, k1: np.ndarray, k2: np.ndarray, hid: np.ndarray, size: int
) -> tuple[int, int]:  # pragma: no cover - compiled
    """Remove the lexicographically smallest label; return ``(label, new size)``."""
    top = hid[0]
    size -= 1
    if size > 0:
        l0 = k0[size]
        l1 = k1[size]
        l2 = k2[size]
        lid = hid[size]
        i = 0
        while True:
            c = 4 * i + 1
            if c >= size:
                break
            best = c
            for j in range(c + 1, min(c + 4, size)):
                if _lex_less(k0[j], k1[j], k2[j], hid[j], k0[best], k1[best], k2[best], hid[best]):
                    best = j
            if _lex_less(k0[best], k1[best], k2[best], hid[best], l0, l1, l2, lid):
                k0[i] = k0[best]
                k1[i] = k1[best]
                k2[i] = k2[best]
                hid[i] = hid[best]
                i = best
            else:
                break
        k0[i] = l0
        k1[i] = l1
        k2[i] = l2
        hid[i] = lid
    return top, size


@njit(cache=True)
def _grow_f(a: np.ndarray, n: int) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty(n, dtype=np.float64)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def _grow_i(a: np.ndarray, n: int) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty(n, dtype=np.int64)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def _grow_b(a: np.ndarray, n: int) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty(n, dtype=np.bool_)
    out[: a.shape[0]] = a
    return out


@njit(inline="always", cache=True)
def _covered(
    fv: np.ndarray,
    n_front: int,
    f0: float,
    f1: float,
    f2: float,
    a0: float,
    a1: float,
    a2: float,
) -> bool:  # pragma: no cover - compiled
    """Whether a front member ``m`` (row of ``fv``) has ``m <= (f0, f1, f2) * a`` everywhere."""
    c0 = f0 * a0
    c1 = f1 * a1
    c2 = f2 * a2
    for i in range(n_front):  # noqa: SIM110 - a plain loop compiles best in numba
        if fv[i, 0] <= c0 and fv[i, 1] <= c1 and fv[i, 2] <= c2:
            return True
    return False


@njit(inline="always", cache=True)
def _drive(
    rules: np.ndarray,
    r: int,
    leg: float,
    day: float,
    since_break: float,
    week: float,
    last_week: float,
    periods: float,
) -> tuple[float, float, float, float, float, float]:  # pragma: no cover - compiled
    """Drive ``leg`` hours under rule set ``r`` from a schedule state; return the rests.

    The loop of :meth:`corridor.graph.driving.DrivingRules.rests` for one leg, operation
    for operation (the same floats). Returns ``(rests, day, since_break, week, last_week,
    periods)``.
    """
    daily = rules[r, 0]
    break_after = rules[r, 1]
    break_h = rules[r, 2]
    daily_rest = rules[r, 3]
    per_week = rules[r, 4]
    weekly_rest = rules[r, 5]
    weekly = rules[r, 6]
    fortnight = rules[r, 7]
    out = 0.0
    left = max(leg, 0.0)
    while left > _EPS:
        today = min(daily - day, weekly - week, fortnight - last_week - week)
        if today <= _EPS:  # a rest before more driving
            periods += 1.0
            if periods >= per_week or weekly - week <= _EPS or fortnight - last_week - week <= _EPS:
                out += weekly_rest
                last_week = week
                week = 0.0
                periods = 0.0
            else:
                out += daily_rest
            day = 0.0
            since_break = 0.0
            continue
        to_break = break_after - since_break
        if to_break <= _EPS:  # a break before more driving
            out += break_h
            since_break = 0.0
            continue
        step = min(left, today, to_break)
        left -= step
        day += step
        since_break += step
        week += step
    return out, day, since_break, week, last_week, periods


@njit(cache=True)
def _grow_s(a: np.ndarray, n: int) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty((n, a.shape[1]), dtype=np.float64)
    out[: a.shape[0]] = a
    return out


@njit(inline="always", cache=True)
def _advance(via: np.ndarray, stage: int, v: int) -> int:  # pragma: no cover - compiled
    """Return the stage of a label at ``v``: past every next stop whose nodes hold ``v``."""
    while stage < via.shape[0] and via[stage, v]:
        stage += 1
    return stage


@njit(inline="always", cache=True)
def _dominates(
    k0: float,
    k1: float,
    k2: float,
    ks: np.ndarray,
    kr: int,
    a0: float,
    a1: float,
    a2: float,
    as_: np.ndarray,
    ar: int,
    nr: int,
) -> bool:  # pragma: no cover - compiled
    """Whether label ``k`` dominates label ``a`` at a node whose next rules are ``nr``.

    ``ks``/``as_`` are the labels' stretch states (``D``, ``R``, schedule); ``kr``/``ar``
    their rule sets (``-1``: not driven yet in the stretch, then ``nr`` applies).
    """
    if not (k1 <= a1 and k2 <= a2):
        return False
    if nr == -1:  # no driving under rules can follow in this stretch
        return k0 <= a0
    if (kr if kr >= 0 else nr) != (ar if ar >= 0 else nr):
        return False
    return bool(ks[0] <= as_[0] and k0 - ks[1] <= a0 - as_[1])


@njit(cache=True, nogil=True)
def _martins(
    indptr: np.ndarray,
    head: np.ndarray,
    w0: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    mask: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    via: np.ndarray,
    eps: np.ndarray,
    max_labels: int,
    init_cap: int,
    drive: np.ndarray,
    stretch: np.ndarray,
    erule: np.ndarray,
    rules: np.ndarray,
    node_rule: np.ndarray,
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray
]:  # pragma: no cover - compiled
    """Martins' label setting; see the module docstring and :func:`pareto_labels`."""
    n = indptr.shape[0] - 1
    last = via.shape[0]  # the final stage; via[s, v]: v is a node of stop s + 1
    cap = min(max(init_cap, sources.shape[0], 1), max_labels)
    v0 = np.empty(cap)
    v1 = np.empty(cap)
    v2 = np.empty(cap)
    lnode = np.empty(cap, dtype=np.int64)
    lpred = np.empty(cap, dtype=np.int64)
    ledge = np.empty(cap, dtype=np.int64)
    lnext = np.empty(cap, dtype=np.int64)
    lstage = np.empty(cap, dtype=np.int64)
    alive = np.empty(cap, dtype=np.bool_)
    # the stretch of each label: rule set, then D, R, day, since break, week, last week,
    # periods (all 0 off a stretch)
    lrule = np.empty(cap, dtype=np.int64)
    lstate = np.empty((cap, 7))
    k0 = np.empty(cap)
    k1 = np.empty(cap)
    k2 = np.empty(cap)
    hid = np.empty(cap, dtype=np.int64)
    first = np.full(n * (last + 1), -1, dtype=np.int64)  # by stage * n + node
    is_target = np.zeros(n, dtype=np.bool_)
    for t in targets:
        is_target[t] = True
    f0 = 1.0 + eps[0]
    f1 = 1.0 + eps[1]
    f2 = 1.0 + eps[2]
    front = np.empty(16, dtype=np.int64)
    fv = np.empty((16, 3))  # the front members' sums, side by side
    n_front = 0
    n_lab = 0
    n_pop = 0
    size = 0
    budget_hit = False
    stop = np.full(3, np.inf)
    new = np.zeros(7)  # the stretch state of the label being made
    for s in sources:
        st = _advance(via, 0, s)
        if first[st * n + s] != -1:  # a repeated source is queued once
            continue
        if n_lab == cap:  # only when max_labels < the number of sources
            budget_hit = True
            stop[:] = 0.0
            break
        v0[n_lab] = 0.0
        v1[n_lab] = 0.0
        v2[n_lab] = 0.0
        lnode[n_lab] = s
        lpred[n_lab] = -1
        ledge[n_lab] = -1
        lnext[n_lab] = -1
        lstage[n_lab] = st
        alive[n_lab] = True
        lrule[n_lab] = -1
        lstate[n_lab] = 0.0
        first[st * n + s] = n_lab
        size = _lheap_push(k0, k1, k2, hid, size, n_lab, 0.0, 0.0, 0.0)
        n_lab += 1
    while size > 0 and not budget_hit:
        lab, size = _lheap_pop(k0, k1, k2, hid, size)
        if not alive[lab]:
            continue
        n_pop += 1
        b0 = v0[lab]
        b1 = v1[lab]
        b2 = v2[lab]
        if _covered(fv, n_front, f0, f1, f2, b0, b1, b2):
            alive[lab] = False  # covered by a member found since it was queued
            continue
        u = lnode[lab]
        su = lstage[lab]
        if su == last and is_target[u]:
            if n_front == front.shape[0]:
                front = _grow_i(front, 2 * n_front)
                grown = np.empty((2 * n_front, 3))
                grown[:n_front] = fv
                fv = grown
            front[n_front] = lab
            fv[n_front, 0] = b0
            fv[n_front, 1] = b1
            fv[n_front, 2] = b2
            n_front += 1
            continue
        for e in range(indptr[u], indptr[u + 1]):
            if not mask[e]:
                continue
            # the stretch after e, and the breaks and rests e adds
            rest = 0.0
            r = -1
            if stretch[e]:
                r = lrule[lab]
                new[:] = lstate[lab]
                if r < 0:
                    r = erule[e]
                d = drive[e]
                if r >= 0 and d > 0.0:
                    rest, new[2], new[3], new[4], new[5], new[6] = _drive(
                        rules, r, d, new[2], new[3], new[4], new[5], new[6]
                    )
                    new[0] += d
                    new[1] += rest
            else:
                new[:] = 0.0
            a0 = b0 + (w0[e] + rest)
            a1 = b1 + w1[e]
            a2 = b2 + w2[e]
            if not (a0 >= 0.0 and a1 >= 0.0 and a2 >= 0.0):  # NaN (or negative) figure
                continue
            if _covered(fv, n_front, f0, f1, f2, a0, a1, a2):
                continue
            v = head[e]
            nr = node_rule[v]
            sv = _advance(via, su, v)
            slot = sv * n + v
            # dominance at v: the live labels of a node never dominate one another, so a
            # label the new one dominates cannot be dominated by another live label
            dominated = False
            prev = -1
            k = first[slot]
            while k != -1:
                nk = lnext[k]
                if alive[k]:
                    if _dominates(v0[k], v1[k], v2[k], lstate[k], lrule[k], a0, a1, a2, new, r, nr):
                        dominated = True
                        break
                    if _dominates(a0, a1, a2, new, r, v0[k], v1[k], v2[k], lstate[k], lrule[k], nr):
                        # queued, or final with sums equal to the new label's (a tie)
                        alive[k] = False
                if alive[k]:
                    prev = k
                elif prev == -1:  # unlink the dead label
                    first[slot] = nk
                else:
                    lnext[prev] = nk
                k = nk
            if dominated:
                continue
            if n_lab == cap:
                if cap >= max_labels:
                    budget_hit = True
                    stop[0] = b0
                    stop[1] = b1
                    stop[2] = b2
                    break
                cap = min(2 * cap, max_labels)
                v0 = _grow_f(v0, cap)
                v1 = _grow_f(v1, cap)
                v2 = _grow_f(v2, cap)
                lnode = _grow_i(lnode, cap)
                lpred = _grow_i(lpred, cap)
                ledge = _grow_i(ledge, cap)
                lnext = _grow_i(lnext, cap)
                lstage = _grow_i(lstage, cap)
                alive = _grow_b(alive, cap)
                lrule = _grow_i(lrule, cap)
                lstate = _grow_s(lstate, cap)
                k0 = _grow_f(k0, cap)
                k1 = _grow_f(k1, cap)
                k2 = _grow_f(k2, cap)
                hid = _grow_i(hid, cap)
            v0[n_lab] = a0
            v1[n_lab] = a1
            v2[n_lab] = a2
            lnode[n_lab] = v
            lpred[n_lab] = lab
            ledge[n_lab] = e
            lnext[n_lab] = first[slot]
            lstage[n_lab] = sv
            alive[n_lab] = True
            lrule[n_lab] = r
            lstate[n_lab] = new
            first[slot] = n_lab
            size = _lheap_push(k0, k1, k2, hid, size, n_lab, a0, a1, a2)
            n_lab += 1
    vals = np.empty((n_lab, 3))
    vals[:, 0] = v0[:n_lab]
    vals[:, 1] = v1[:n_lab]
    vals[:, 2] = v2[:n_lab]
    counts = np.array([n_lab, n_pop], dtype=np.int64)
    return (
        front[:n_front].copy(),
        vals,
        lpred[:n_lab].copy(),
        ledge[:n_lab].copy(),
        counts,
        budget_hit,
        stop,
    )


def pareto_labels(
    indptr: np.ndarray,
    head: np.ndarray,
    weights: np.ndarray,
    mask: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    via: Sequence[np.ndarray] = (),
    eps: np.ndarray | None = None,
    max_labels: int = 1_000_000,
    init_cap: int = 4096,
    driving: DrivingArrays | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray, int, int]:
    """Pareto front of three criteria between node sets (Martins' label setting).

    The criteria are additive, but for the drivers' breaks and rests added to the time
    when ``driving`` is given (see the module docstring).

    Parameters
    ----------
    indptr, head : numpy.ndarray
        CSR adjacency: edges ``indptr[u]:indptr[u + 1]`` leave ``u`` for ``head[e]``.
    weights : numpy.ndarray
        ``(m, 3)`` non-negative figures of each edge (time, cost, CO2e); an edge whose
        figure is NaN is never used.
    mask : numpy.ndarray
        Edges that may be used.
    sources, targets : numpy.ndarray
        Node sets; every source starts at ``(0, 0, 0)``, the front is over all targets.
    via : sequence of numpy.ndarray, optional
        Node sets of the stops to pass in order between the sources and the targets
        (a path passes a stop when it reaches one of its nodes).
    eps : numpy.ndarray, optional
        Relative ε per criterion (``(3,)``, each >= 0); exact front when omitted.
    max_labels : int, default 1000000
        Label budget.
    init_cap : int, default 4096
        Initial size of the label arrays (doubled as needed up to ``max_labels``).
    driving : DrivingArrays, optional
        The drivers' hours of the edges (:meth:`corridor.graph.ExpandedGraph.
        driving_arrays`): each label's time then includes the exact breaks and rests of
        its road stretches. None: no rests.

    Returns
    -------
    front : numpy.ndarray
        Label ids of the front members, lexicographically sorted by (time, cost, CO2e).
    values : numpy.ndarray
        ``(n_labels, 3)`` sums of every label.
    pred, edge : numpy.ndarray
        Label each label extends (``-1`` at a source) and the edge it adds.
    budget_hit : bool
        Whether the search stopped on the budget.
    stop : numpy.ndarray
        When the budget binds, the sums of the label being extended (the front holds
        every Pareto-optimal vector lexicographically below it); ``inf`` otherwise.
    n_labels, n_popped : int
        Labels created and labels taken from the heap (work done).

    Examples
    --------
    >>> import numpy as np
    >>> indptr, head = np.array([0, 2, 3, 4, 4]), np.array([1, 2, 3, 3])
    >>> w = np.array([[1.0, 5, 1], [2, 1, 1], [1, 5, 1], [2, 1, 1]])
    >>> front, values, *_ = pareto_labels(indptr, head, w, np.ones(4, bool),
    ...                                   np.array([0]), np.array([3]))
    >>> values[front].tolist()
    [[2.0, 10.0, 2.0], [4.0, 2.0, 2.0]]

    Through node 2 only the second is left:

    >>> front, values, *_ = pareto_labels(indptr, head, w, np.ones(4, bool),
    ...                                   np.array([0]), np.array([3]), via=[np.array([2])])
    >>> values[front].tolist()
    [[4.0, 2.0, 2.0]]

    """
    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    head = np.ascontiguousarray(head, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape != (head.shape[0], 3):
        raise InputError(
            f"weights must have shape ({head.shape[0]}, 3), got {w.shape}",
            argument="weights",
            value=w.shape,
        )
    mask = np.ascontiguousarray(mask, dtype=np.bool_)
    if mask.shape != head.shape:
        raise InputError(f"mask has {mask.shape[0]} values for {head.shape[0]} edges")
    used = w[mask]
    if used.size and np.nanmin(used) < 0:
        raise InputError("weights have negative values: label setting needs figures >= 0")
    e = np.zeros(3) if eps is None else np.asarray(eps, dtype=np.float64).reshape(3)
    if not (np.all(np.isfinite(e)) and np.all(e >= 0)):
        raise InputError(f"eps must be three numbers >= 0, got {e.tolist()}", argument="epsilon")
    if not (isinstance(max_labels, int | np.integer) and max_labels >= 1):
        raise InputError(
            f"max_labels must be a whole number >= 1, got {max_labels!r}",
            argument="max_labels",
            value=max_labels,
            allowed=">= 1",
        )
    src = np.ascontiguousarray(sources, dtype=np.int64)
    tgt = np.ascontiguousarray(targets, dtype=np.int64)
    n = indptr.shape[0] - 1
    stages = np.zeros((len(via), n), dtype=np.bool_)
    for i, nodes in enumerate(via):
        stages[i, np.asarray(nodes, dtype=np.int64)] = True
    m = head.shape[0]
    if driving is None:
        driving = DrivingArrays(
            np.zeros(m), np.zeros(m, dtype=np.bool_), np.full(m, -1), np.zeros((0, 8))
        )
    for name, arr in zip(("driving_h", "in_stretch", "edge_rule"), driving[:3], strict=True):
        if np.shape(arr) != (m,):
            raise InputError(
                f"driving.{name} has shape {np.shape(arr)} for {m} edges",
                argument="driving",
                value=np.shape(arr),
            )
    rules = np.ascontiguousarray(driving.rules, dtype=np.float64).reshape(-1, 8)
    erule = np.ascontiguousarray(driving.edge_rule, dtype=np.int64)
    if erule.size and erule.max() >= rules.shape[0]:
        raise InputError("driving.edge_rule points past driving.rules", argument="driving")
    stretch = np.ascontiguousarray(driving.in_stretch, dtype=np.bool_)
    front, values, pred, edge, counts, hit, stop = _martins(
        indptr,
        head,
        np.ascontiguousarray(w[:, 0]),
        np.ascontiguousarray(w[:, 1]),
        np.ascontiguousarray(w[:, 2]),
        mask,
        src,
        tgt,
        stages,
        e,
        int(max_labels),
        int(init_cap),
        np.ascontiguousarray(driving.driving_h, dtype=np.float64),
        stretch,
        erule,
        rules,
        _node_rules(indptr, head, stretch, erule),
    )
    return front, values, pred, edge, bool(hit), stop, int(counts[0]), int(counts[1])


def _node_rules(
    indptr: np.ndarray, head: np.ndarray, stretch: np.ndarray, erule: np.ndarray
) -> np.ndarray:
    """Return the rule set a label that has not driven yet at each node will drive under.

    That of the first edges with rules reachable along the stretch's edges (``-1``: none
    can follow; ``-2``: more than one, so such a label is compared only with labels that
    have not driven either).
    """
    n = indptr.shape[0] - 1
    tail = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    ruled = stretch & (erule >= 0)
    links = np.flatnonzero(stretch & (erule < 0))  # borders and stays: no driving
    out = np.full(n, -1, dtype=np.int64)
    for _ in range(n + 1):  # -1 < one rule set < -2: a monotone fixed point
        nodes = np.concatenate([tail[ruled], tail[links]])
        values = np.concatenate([erule[ruled], out[head[links]]])
        keep = values != -1
        lo = np.full(n, np.iinfo(np.int64).max)
        hi = np.full(n, np.iinfo(np.int64).min)
        np.minimum.at(lo, nodes[keep], values[keep])
        np.maximum.at(hi, nodes[keep], values[keep])
        new = np.where(lo <= hi, np.where(lo == hi, lo, -2), -1)
        if np.array_equal(new, out):
            break
        out = new
    return out
