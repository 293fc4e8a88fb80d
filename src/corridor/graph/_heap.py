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


@njit(inline="always", cache=True)
def heap_reset(pos: np.ndarray) -> None:  # pragma: no cover - compiled
    """Mark every node as never queued."""
    for i in range(pos.shape[0]):
        pos[i] = -1


@njit(inline="always", cache=True)
def heap_pop(
    hkey: np.ndarray, hnode: np.ndarray, pos: np.ndarray, size: int
) -> tuple[int, float, int]:  # pragma: no cover - compiled
    """Remove the root; return ``(node, key, new size)`` and mark the node settled."""
    u = hnode[0]
    du = hkey[0]
    pos[u] = -2
    size -= 1
    if size > 0:  # move the last entry to the root and sift it down
        lk = hkey[size]
        ln = hnode[size]
        i = 0
        while True:
            c = 4 * i + 1
            if c >= size:
                break
            kc = hkey[c]
            for j in range(c + 1, min(c + 4, size)):
                kj = hkey[j]
                if kj < kc:
                    kc = kj
                    c = j
            if kc < lk:
                w = hnode[c]
                hkey[i] = kc
                hnode[i] = w
                pos[w] = i
                i = c
            else:
                break
        hkey[i] = lk
        hnode[i] = ln
        pos[ln] = i
    return u, du, size


@njit(inline="always", cache=True)
def heap_push(
    hkey: np.ndarray, hnode: np.ndarray, pos: np.ndarray, size: int, v: int, key: float
) -> int:  # pragma: no cover - compiled
    """Queue ``v`` with ``key``, or lower its key if queued; return the new size.

    The caller checks that ``key`` is lower than the node's current key and that the
    node is not settled.
    """
    pv = pos[v]
    if pv == -1:  # push: start at a new last slot
        i = size
        size += 1
    else:  # decrease-key: start at the node's slot
        i = pv
    while i > 0:  # sift up
        q = (i - 1) >> 2
        kq = hkey[q]
        if kq > key:
            hq = hnode[q]
            hkey[i] = kq
            hnode[i] = hq
            pos[hq] = i
            i = q
        else:
            break
    hkey[i] = key
    hnode[i] = v
    pos[v] = i
    return size
