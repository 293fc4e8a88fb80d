"""Graph contraction for assignment: dead ends removed, chains of degree-2 nodes merged.

Most of the nodes of a road network have nothing to decide: a node on a curve has one way in
and one way out (or, on a two-way road, two neighbours it joins), and a cul-de-sac leads
nowhere. Shortest-path trees and bushes never branch there, so the solvers search a smaller
graph with the same paths between zones, and every result maps back exactly:

- **Self-loops** are dropped: no shortest path or acyclic bush uses one.
- **Dead ends** are removed, repeatedly, at nodes that are not zones (nor below
  ``first_thru_node``): a node that no link enters or none leaves, and a node all of whose
  links join one single neighbour (``u -> x -> u`` is a cycle, never part of a shortest
  path or an acyclic bush). Their links carry no flow.
- **Chains** are merged: a node ``x`` that is not a zone with exactly one link in (from
  ``u``) and one out (to ``w != u``), or two in and two out joining the same two
  neighbours ``u != w``, is passed straight through (the U-turn ``u -> x -> u`` is a
  cycle). Each chain ``s -> x1 -> ... -> t`` between kept nodes becomes one link whose
  cost is the sum of its members' costs at the chain's flow; every member carries the
  chain's flow.

AequilibraE contracts its graphs the same two ways (its ``Graph.prepare_graph``). The
contraction depends on the topology only, so it is computed once per problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from corridor.graph.csr import build_csr

__all__ = ["Contraction", "contract", "no_contraction"]


@dataclass(frozen=True, eq=False)
class Contraction:
    """A contracted graph and its map back to the original links.

    Attributes
    ----------
    n_nodes : int
        Nodes of the contracted graph; the protected nodes (zones) keep their numbers.
    tail, head : numpy.ndarray of int64
        Contracted links, sorted by tail.
    member_ptr, member_link : numpy.ndarray of int64
        Original links making up contracted link ``k``:
        ``member_link[member_ptr[k]:member_ptr[k + 1]]``, in path order.
    link_map : numpy.ndarray of int64
        Contracted link carrying each original link's flow, ``-1`` for links removed
        (self-loops, dead ends), which carry none.
    node_map : numpy.ndarray of int64
        Contracted number of each original node, ``-1`` when contracted away.
    identity : bool
        Nothing was removed: the contracted graph is the original (links in their order).

    """

    n_nodes: int
    tail: NDArray[np.int64]
    head: NDArray[np.int64]
    member_ptr: NDArray[np.int64]
    member_link: NDArray[np.int64]
    link_map: NDArray[np.int64]
    node_map: NDArray[np.int64]
    identity: bool

    @property
    def n_links(self) -> int:
        """Number of contracted links."""
        return int(self.tail.shape[0])

    def link_values(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Sum per-link values (costs, derivatives) of the original links over each chain.

        Parameters
        ----------
        values : numpy.ndarray of float64
            One value per original link.

        Returns
        -------
        numpy.ndarray of float64
            One value per contracted link.

        """
        if self.identity:
            return values
        return _segment_sum(values, self.member_ptr, self.member_link)

    def expand(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Map per-contracted-link flows back to the original links (0 on removed ones).

        Parameters
        ----------
        values : numpy.ndarray of float64
            One value per contracted link.

        Returns
        -------
        numpy.ndarray of float64
            One value per original link.

        """
        if self.identity:
            return values
        return _expand(values, self.link_map)


@njit(cache=True, nogil=True)
def _segment_sum(
    values: NDArray[np.float64], ptr: NDArray[np.int64], members: NDArray[np.int64]
) -> NDArray[np.float64]:  # pragma: no cover - compiled
    k = ptr.shape[0] - 1
    out = np.empty(k)
    for c in range(k):
        s = 0.0
        for p in range(ptr[c], ptr[c + 1]):
            s += values[members[p]]
        out[c] = s
    return out


@njit(cache=True, nogil=True)
def _expand(
    values: NDArray[np.float64], link_map: NDArray[np.int64]
) -> NDArray[np.float64]:  # pragma: no cover - compiled
    out = np.empty(link_map.shape[0])
    for a in range(link_map.shape[0]):
        c = link_map[a]
        out[a] = values[c] if c >= 0 else 0.0
    return out


@njit(cache=True)
def _remove_dead_ends(
    n_keep: int,
    tail: NDArray[np.int64],
    head: NDArray[np.int64],
    out_ptr: NDArray[np.int64],
    out_link: NDArray[np.int64],
    in_ptr: NDArray[np.int64],
    in_link: NDArray[np.int64],
    alive: NDArray[np.bool_],
) -> None:  # pragma: no cover - compiled
    """Kill (``alive[a] = False``) the links of dead ends, repeatedly (see the module)."""
    n = out_ptr.shape[0] - 1
    queue = np.empty(n + 2 * tail.shape[0] + 1, dtype=np.int64)
    queued = np.zeros(n, dtype=np.bool_)
    back = 0
    for x in range(n_keep, n):
        queue[back] = x
        back += 1
        queued[x] = True
    front = 0
    while front < back:
        x = queue[front]
        front += 1
        queued[x] = False
        n_in = 0
        n_out = 0
        nb = -1
        single = True
        for e in range(in_ptr[x], in_ptr[x + 1]):
            a = in_link[e]
            if alive[a]:
                n_in += 1
                if nb == -1:
                    nb = tail[a]
                elif tail[a] != nb:
                    single = False
        for e in range(out_ptr[x], out_ptr[x + 1]):
            a = out_link[e]
            if alive[a]:
                n_out += 1
                if nb == -1:
                    nb = head[a]
                elif head[a] != nb:
                    single = False
        if n_in + n_out == 0:
            continue
        if not (n_in == 0 or n_out == 0 or single):
            continue
        for e in range(in_ptr[x], in_ptr[x + 1]):
            a = in_link[e]
            if alive[a]:
                alive[a] = False
                u = tail[a]
                if u >= n_keep and not queued[u]:
                    queue[back] = u
                    back += 1
                    queued[u] = True
        for e in range(out_ptr[x], out_ptr[x + 1]):
            a = out_link[e]
            if alive[a]:
                alive[a] = False
                w = head[a]
                if w >= n_keep and not queued[w]:
                    queue[back] = w
                    back += 1
                    queued[w] = True


@njit(cache=True)
def _chains(
    n_keep: int,
    tail: NDArray[np.int64],
    head: NDArray[np.int64],
    out_ptr: NDArray[np.int64],
    out_link: NDArray[np.int64],
    in_ptr: NDArray[np.int64],
    in_link: NDArray[np.int64],
    alive: NDArray[np.bool_],
) -> tuple[
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
]:  # pragma: no cover - compiled
    """Merge chains of pass-through nodes; return the contracted graph and its maps."""
    n = out_ptr.shape[0] - 1
    m = tail.shape[0]
    # which nodes are passed straight through, and which nodes remain
    through = np.zeros(n, dtype=np.bool_)
    has_link = np.zeros(n, dtype=np.bool_)
    for a in range(m):
        if alive[a]:
            has_link[tail[a]] = True
            has_link[head[a]] = True
    for x in range(n_keep, n):
        ins = np.empty(2, dtype=np.int64)
        outs = np.empty(2, dtype=np.int64)
        n_in = 0
        n_out = 0
        for e in range(in_ptr[x], in_ptr[x + 1]):
            a = in_link[e]
            if alive[a]:
                if n_in < 2:
                    ins[n_in] = tail[a]
                n_in += 1
        for e in range(out_ptr[x], out_ptr[x + 1]):
            a = out_link[e]
            if alive[a]:
                if n_out < 2:
                    outs[n_out] = head[a]
                n_out += 1
        if n_in == 1 and n_out == 1:
            through[x] = ins[0] != outs[0]
        elif n_in == 2 and n_out == 2:
            through[x] = ins[0] != ins[1] and (
                (ins[0] == outs[0] and ins[1] == outs[1])
                or (ins[0] == outs[1] and ins[1] == outs[0])
            )
    node_map = np.full(n, -1, dtype=np.int64)
    n_new = 0
    for x in range(n):
        if x < n_keep or (has_link[x] and not through[x]):
            node_map[x] = n_new
            n_new += 1
    c_tail = np.empty(m, dtype=np.int64)
    c_head = np.empty(m, dtype=np.int64)
    ptr = np.zeros(m + 1, dtype=np.int64)
    members = np.empty(m, dtype=np.int64)
    link_map = np.full(m, -1, dtype=np.int64)
    k = 0
    p = 0
    for s in range(n):
        if node_map[s] < 0:
            continue
        for e in range(out_ptr[s], out_ptr[s + 1]):
            a = out_link[e]
            if not alive[a]:
                continue
            start = p
            members[p] = a
            p += 1
            prev = s
            x = head[a]
            steps = 0
            while through[x] and steps <= m:
                steps += 1
                nxt = -1
                for f in range(out_ptr[x], out_ptr[x + 1]):
                    b = out_link[f]
                    if alive[b] and (head[b] != prev or nxt == -1):
                        nxt = b
                        if head[b] != prev:
                            break
                members[p] = nxt
                p += 1
                prev = x
                x = head[nxt]
            if x == s or not (node_map[x] >= 0):
                p = start  # a loop back to its start (a cycle) or a broken chain: no flow
                continue
            c_tail[k] = node_map[s]
            c_head[k] = node_map[x]
            for q in range(start, p):
                link_map[members[q]] = k
            k += 1
            ptr[k] = p
    return (
        node_map,
        c_tail[:k].copy(),
        c_head[:k].copy(),
        ptr[: k + 1].copy(),
        members[:p].copy(),
        link_map,
        np.array([n_new], dtype=np.int64),
    )


def contract(
    n_nodes: int, n_keep: int, tail: NDArray[np.int64], head: NDArray[np.int64]
) -> Contraction:
    """Contract a graph for assignment (see the module for what is removed and merged).

    Parameters
    ----------
    n_nodes : int
        Number of nodes.
    n_keep : int
        Nodes ``0..n_keep-1`` (zones, and nodes below ``first_thru_node``) are kept as they
        are.
    tail, head : numpy.ndarray of int64
        Link ends.

    Returns
    -------
    Contraction

    Examples
    --------
    Zones 0 and 1 joined through a chain 0 -> 2 -> 3 -> 1 and a dead end 3 -> 4 -> 3:

    >>> import numpy as np
    >>> c = contract(5, 2, np.array([0, 2, 3, 3, 4]), np.array([2, 3, 1, 4, 3]))
    >>> c.n_nodes, c.tail.tolist(), c.head.tolist(), c.link_map.tolist()
    (2, [0], [1], [0, 0, 0, -1, -1])
    >>> c.expand(np.array([7.0])).tolist()
    [7.0, 7.0, 7.0, 0.0, 0.0]

    """
    tail = np.ascontiguousarray(tail, dtype=np.int64)
    head = np.ascontiguousarray(head, dtype=np.int64)
    m = tail.shape[0]
    n_keep = min(int(n_keep), int(n_nodes))
    out_ptr, _, out_link = build_csr(n_nodes, tail, head)
    in_ptr, _, in_link = build_csr(n_nodes, head, tail)
    alive = tail != head
    _remove_dead_ends(n_keep, tail, head, out_ptr, out_link, in_ptr, in_link, alive)
    node_map, c_tail, c_head, ptr, members, link_map, n_new = _chains(
        n_keep, tail, head, out_ptr, out_link, in_ptr, in_link, alive
    )
    k = int(c_tail.shape[0])
    identity = k == m and int(n_new[0]) == n_nodes and bool(np.all(link_map == np.arange(m)))
    if identity:
        return no_contraction(n_nodes, tail, head)
    return Contraction(int(n_new[0]), c_tail, c_head, ptr, members, link_map, node_map, False)


def no_contraction(n_nodes: int, tail: NDArray[np.int64], head: NDArray[np.int64]) -> Contraction:
    """Return the identity "contraction" (the full graph), for checking the contracted one.

    Parameters
    ----------
    n_nodes : int
        Number of nodes.
    tail, head : numpy.ndarray of int64
        Link ends.

    Returns
    -------
    Contraction

    Examples
    --------
    >>> import numpy as np
    >>> no_contraction(3, np.array([0, 1]), np.array([1, 2])).identity
    True

    """
    tail = np.ascontiguousarray(tail, dtype=np.int64)
    head = np.ascontiguousarray(head, dtype=np.int64)
    m = tail.shape[0]
    idx = np.arange(m, dtype=np.int64)
    return Contraction(
        int(n_nodes), tail, head, np.arange(m + 1, dtype=np.int64), idx, idx,
        np.arange(n_nodes, dtype=np.int64), True,
    )  # fmt: skip
