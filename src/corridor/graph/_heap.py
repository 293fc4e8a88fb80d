"""Indexed 4-ary min-heap primitives shared by every shortest-path kernel (numba).

Written by hand: no library offers a numba-compiled indexed heap with decrease-key. The
heap holds each queued node once (so it never exceeds ``n`` entries): ``hkey`` and
``hnode`` are the key and node in each slot (keys beside the nodes, so sifting reads one
contiguous array), ``pos`` is the slot of each node, ``-1`` when never queued and ``-2``
once settled. A 4-ary heap is shallower than a binary one, which pays off on the many
decrease-key (sift-up) steps of road-like graphs. Slots and nodes are ``int32``: a graph
must have fewer than ``2**31`` nodes (:data:`MAX_NODES`).

The functions are ``inline="always"``: numba pastes them into each kernel, so the
routing, assignment and bush kernels share one heap without a call per operation.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["MAX_NODES", "heap_pop", "heap_push", "heap_reset"]

#: Largest node count the int32 slots allow.
MAX_NODES = 2**31 - 1

NEVER = -1
SETTLED = -2

_U = np.uint64  # slot and node indices inside the heap (never negative there)


@njit(inline="always", cache=True)
def heap_reset(pos: np.ndarray) -> None:  # pragma: no cover - compiled
    """Mark every node as never queued."""
    for i in range(pos.shape[0]):
        pos[i] = -1


@njit(inline="always", cache=True)
def heap_pop(
    hkey: np.ndarray, hnode: np.ndarray, pos: np.ndarray, size: int
) -> tuple[int, float, int]:  # pragma: no cover - compiled
    """Remove the root; return ``(node, key, new size)`` and mark the node settled.

    Written without a branch around the sift (when the heap empties, the last entry is the
    root itself and is put back in place, then marked settled): with such a branch numba
    keeps three atomic reference-count updates of the heap arrays around every inlined
    pop, which cost about a quarter of a Dijkstra's time. Slots are unsigned (``_U``), which
    spares numba's negative-index fix-up on every array access (about a tenth).
    """
    u = hnode[0]
    du = hkey[0]
    size -= 1
    s = _U(size)
    lk = hkey[s]  # the last entry, sifted down from the root
    ln = hnode[s]
    i = _U(0)
    c = _U(1)
    while c < s:
        kc = hkey[c]
        best = c
        end = c + _U(4)
        if end > s:
            end = s
        j = c + _U(1)
        while j < end:
            kj = hkey[j]
            if kj < kc:
                kc = kj
                best = j
            j += _U(1)
        if not kc < lk:
            break
        w = hnode[best]
        hkey[i] = kc
        hnode[i] = w
        pos[_U(w)] = i
        i = best
        c = _U(4) * i + _U(1)
    hkey[i] = lk
    hnode[i] = ln
    pos[_U(ln)] = i
    pos[_U(u)] = -2
    return u, du, size


@njit(inline="always", cache=True)
def heap_push(
    hkey: np.ndarray, hnode: np.ndarray, pos: np.ndarray, size: int, v: int, key: float
) -> int:  # pragma: no cover - compiled
    """Queue ``v`` with ``key``, or lower its key if queued; return the new size.

    The caller checks that ``key`` is lower than the node's current key and that the
    node is not settled (a settled node's ``-2`` would be taken for a slot).
    """
    vv = _U(v)
    pv = pos[vv]
    if pv == -1:  # push: start at a new last slot
        i = _U(size)
        size += 1
    else:  # decrease-key: start at the node's slot
        i = _U(pv)
    while i > _U(0):  # sift up
        q = (i - _U(1)) >> _U(2)
        kq = hkey[q]
        if kq > key:
            hq = hnode[q]
            hkey[i] = kq
            hnode[i] = hq
            pos[_U(hq)] = i
            i = q
        else:
            break
    hkey[i] = key
    hnode[i] = v
    pos[vv] = i
    return size
