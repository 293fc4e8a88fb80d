"""All-or-nothing loading on the contracted graph, over the calling thread plus worker threads.

:class:`Loader` prepares, once per solve, the contracted graph (:mod:`.contract`), its forward
star and every thread's scratch arrays; each call then finds the shortest-path tree of every
origin and loads the demand on it. The work is partitioned explicitly: origins are cut into
blocks that the threads take one at a time from a shared counter (a thread slowed down by
another process simply takes fewer blocks), each thread adds into its own flow row (rows
padded apart, so no two threads write the same cache line), and the rows are summed in
parallel, each thread summing its own range of links. The compiled kernels release the GIL.
:meth:`Loader.map_blocks` offers the same scheduling to other per-origin work (the bush
method's initial trees and bush updates).

Nothing process-wide is changed: no ``numba.set_num_threads``, no OpenMP. Two assignments
in two threads of one process each have their own loader, pool and arrays. The result does
not depend on the number of threads beyond the order of floating-point additions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from corridor.assignment import _kernels as kern
from corridor.assignment.contract import Contraction, contract
from corridor.assignment.problem import AssignmentProblem
from corridor.graph.csr import build_csr

__all__ = ["Loader"]

T = TypeVar("T")

#: Blocks of origins per thread (more blocks balance a loaded machine better).
_BLOCKS_PER_THREAD = 16
#: Padding between the threads' flow rows, in float64 (64 bytes, one cache line).
_PAD = 8


class _Scratch:
    """One thread's arrays for the shortest-path kernel."""

    def __init__(self, n: int) -> None:
        self.dist = np.empty(n)
        self.pred = np.empty(n, dtype=np.int64)
        self.order = np.empty(n, dtype=np.int64)
        self.hkey = np.empty(n)
        self.hnode = np.empty(n, dtype=np.int32)
        self.pos = np.empty(n, dtype=np.int32)
        self.targets = np.zeros(n, dtype=np.bool_)
        self.node_flow = np.zeros(n)


class Loader:
    """All-or-nothing loading of one problem, optionally on several threads.

    Parameters
    ----------
    problem : AssignmentProblem
        The problem (its demand and topology; costs are given per call).
    threads : int
        Threads that share the loading (the calling thread is one of them).
    contraction : Contraction, optional
        A contraction of the problem's graph; computed here when not given.

    Notes
    -----
    A loader belongs to one solve: its scratch arrays are reused from call to call, so
    one loader must not serve two calls at once (two solves each make their own).

    Examples
    --------
    >>> import numpy as np
    >>> from corridor.assignment.testing import two_route_problem
    >>> with Loader(two_route_problem(), threads=1) as loader:
    ...     flow, sptt, lost = loader.load(np.array([10.0, 4.0, 4.0]))
    >>> flow.tolist(), sptt, lost
    ([0.0, 10.0, 10.0], 80.0, 0.0)

    """

    def __init__(
        self, problem: AssignmentProblem, threads: int, contraction: Contraction | None = None
    ) -> None:
        self.problem = problem
        keep = max(int(problem.n_zones), int(problem.first_thru_node))
        self.contraction = contraction or contract(
            problem.n_nodes, keep, problem.tail, problem.head
        )
        c = self.contraction
        self.indptr, self.adj_head, self.adj_link = build_csr(c.n_nodes, c.tail, c.head)
        self.tail = c.tail
        self.demand = np.ascontiguousarray(problem.demand, dtype=np.float64)
        self.ftn = int(problem.first_thru_node)
        n_zones = int(problem.n_zones)
        self.threads = max(1, min(int(threads), n_zones))
        self._scratch = [_Scratch(c.n_nodes) for _ in range(self.threads)]
        self._pool: ThreadPoolExecutor | None = None
        if self.threads > 1:
            self._pool = ThreadPoolExecutor(self.threads - 1, thread_name_prefix="corridor-aon")
            width = c.n_links + _PAD
            self._rows = np.zeros((self.threads, width))

    def __enter__(self) -> Loader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def contracted_costs(self, cost: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the forward-star costs of the contracted graph for original link costs."""
        return np.ascontiguousarray(self.contraction.link_values(cost)[self.adj_link])

    def load(self, cost: NDArray[np.float64]) -> tuple[NDArray[np.float64], float, float]:
        """Load every origin's demand on its shortest-path tree at ``cost``.

        Parameters
        ----------
        cost : numpy.ndarray of float64
            Cost of every original link (>= 0).

        Returns
        -------
        flow : numpy.ndarray of float64
            Flow on every original link.
        sptt : float
            Trips times shortest-path cost, summed over OD pairs.
        unrouted : float
            Trips with no path (not loaded).

        """
        adj_cost = self.contracted_costs(cost)
        flow_c, sptt, lost = self._run(adj_cost, load=True)
        return self.contraction.expand(flow_c), sptt, lost

    def shortest_total(self, cost: NDArray[np.float64]) -> tuple[float, float]:
        """Return ``(SPTT, unrouted trips)`` at ``cost`` without loading.

        Parameters
        ----------
        cost : numpy.ndarray of float64
            Cost of every original link (>= 0).

        Returns
        -------
        tuple of float

        """
        _, sptt, lost = self._run(self.contracted_costs(cost), load=False)
        return sptt, lost

    def shortest_total_contracted(self, adj_cost: NDArray[np.float64]) -> tuple[float, float]:
        """Return ``(SPTT, unrouted trips)`` for forward-star costs of the contracted graph."""
        _, sptt, lost = self._run(adj_cost, load=False)
        return sptt, lost

    # ------------------------------------------------------------------ internals
    def _block(
        self, s: _Scratch, lo: int, hi: int, adj_cost: NDArray[np.float64],
        flow: NDArray[np.float64], load: bool,
    ) -> tuple[float, float]:  # fmt: skip
        sptt, lost = kern.aon_origins(
            lo, hi, load, self.indptr, self.adj_head, self.adj_link, self.tail, adj_cost,
            self.demand, self.ftn, flow, s.dist, s.pred, s.order, s.hkey, s.hnode, s.pos,
            s.targets, s.node_flow,
        )  # fmt: skip
        return float(sptt), float(lost)

    def map_blocks(
        self,
        n_items: int,
        work: Callable[[int, int, int], T],
        n_blocks: int | None = None,
    ) -> list[T]:
        """Run ``work(thread, lo, hi)`` over blocks of ``0..n_items-1`` on the threads.

        The calling thread is thread 0; the others are this loader's workers. Each thread
        takes the next block from a shared counter until none are left, so ``work`` must
        write only its own block's results and its own thread's scratch.

        Parameters
        ----------
        n_items : int
            Items to cover.
        work : callable
            ``work(thread, lo, hi)`` for items ``lo..hi-1``.
        n_blocks : int, optional
            Number of blocks (default: 16 per thread, at most one per item).

        Returns
        -------
        list
            What ``work`` returned, block by block.

        """
        t = self.threads
        if n_blocks is None:
            n_blocks = _BLOCKS_PER_THREAD * t
        n_blocks = max(1, min(int(n_blocks), int(n_items)))
        if self._pool is None or n_blocks == 1:
            return [work(0, 0, int(n_items))]
        bounds = np.linspace(0, n_items, n_blocks + 1).astype(np.int64)
        results: list[T | None] = [None] * n_blocks
        counter = iter(range(n_blocks))
        lock = threading.Lock()

        def run(w: int) -> None:
            while True:
                with lock:
                    b = next(counter, -1)
                if b < 0:
                    return
                results[b] = work(w, int(bounds[b]), int(bounds[b + 1]))

        futures = [self._pool.submit(run, w) for w in range(1, t)]
        try:
            run(0)
        finally:
            for f in futures:
                f.result()
        return results  # type: ignore[return-value]

    def _run(
        self, adj_cost: NDArray[np.float64], *, load: bool
    ) -> tuple[NDArray[np.float64], float, float]:
        m = self.contraction.n_links
        nz = int(self.demand.shape[0])
        if self._pool is None:
            flow = np.zeros(m)
            sptt, lost = self._block(self._scratch[0], 0, nz, adj_cost, flow, load)
            return flow, sptt, lost
        rows = self._rows
        if load:
            rows[:, :m] = 0.0

        def aon(w: int, lo: int, hi: int) -> tuple[float, float]:
            return self._block(self._scratch[w], lo, hi, adj_cost, rows[w, :m], load)

        parts = self.map_blocks(nz, aon)
        out = np.empty(m) if load else np.zeros(0)
        if load:  # every thread sums its own range of links over the rows

            def reduce(w: int, lo: int, hi: int) -> None:
                kern.sum_rows(rows[:, :m], lo, hi, out)

            self.map_blocks(m, reduce, n_blocks=self.threads)
        return out, sum(p[0] for p in parts), sum(p[1] for p in parts)
