"""The stochastic elements behind each edge's time: what the simulation draws.

An edge's expected time (``ExpandedGraph.time_h``) is the sum of its elements' means: a run
has its running time, a scheduled run a wait for its service then the voyage, a border its
exit and entry dwell (or the crossing's own dwell), a transfer its handling time. Each
element is a duration of a distribution family with a mean and a coefficient of variation,
or (``service >= 0``) a wait for a departure of service record ``service``. Elements are
held CSR-style: those of edge ``e`` are ``ptr[e]:ptr[e + 1]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["FAMILIES", "Elements"]

#: Distribution families of elements, by code. ``lognormal`` is given by mean and cv.
FAMILIES: tuple[str, ...] = ("degenerate", "lognormal")


@dataclass(frozen=True, eq=False)
class Elements:
    """Elements of every edge of an expanded graph.

    Attributes
    ----------
    ptr : ndarray of int64, shape (n_edges + 1,)
        Elements of edge ``e`` are ``ptr[e]:ptr[e + 1]``.
    family : ndarray of int8
        Code into :data:`FAMILIES` (a wait element is ``degenerate`` here; its law comes
        from its service).
    mean_h : ndarray of float64
        Mean of the element; for a wait, the service's expected wait over the year.
    cv : ndarray of float64
        Coefficient of variation (0 for a constant).
    service : ndarray of int64
        Index into ``ExpandedGraph.services`` for a wait element, ``-1`` for a duration.

    Examples
    --------
    >>> import numpy as np
    >>> el = Elements(np.array([0, 1, 3]), np.zeros(3, np.int8), np.array([2.0, 1.0, 4.0]),
    ...               np.zeros(3), np.full(3, -1))
    >>> el.of(1).tolist(), el.edge_sum().tolist()
    ([1, 2], [2.0, 5.0])

    """

    ptr: NDArray[np.int64]
    family: NDArray[np.int8]
    mean_h: NDArray[np.float64]
    cv: NDArray[np.float64]
    service: NDArray[np.int64]

    def of(self, edge: int) -> NDArray[np.int64]:
        """Return the element indices of one edge."""
        return np.arange(self.ptr[edge], self.ptr[edge + 1], dtype=np.int64)

    def edge_sum(self) -> NDArray[np.float64]:
        """Return the sum of element means per edge (NaN stays NaN)."""
        n = self.ptr.shape[0] - 1
        counts = np.diff(self.ptr)
        edge_of = np.repeat(np.arange(n), counts)
        out = np.zeros(n)
        np.add.at(out, edge_of, self.mean_h)
        return out

    @classmethod
    def assemble(
        cls,
        counts: NDArray[np.int64],
        family: NDArray[np.int8],
        mean_h: NDArray[np.float64],
        cv: NDArray[np.float64],
        service: NDArray[np.int64],
        order: NDArray[np.int64],
    ) -> Elements:
        """Build the table from elements listed in input-edge order, then reorder edges.

        Parameters
        ----------
        counts : ndarray of int64
            Elements per input edge; the element arrays list them edge after edge.
        family, mean_h, cv, service : ndarray
            The elements.
        order : ndarray of int64
            Input edge of each output edge (the CSR order of the graph).

        Returns
        -------
        Elements

        """
        old_ptr = np.zeros(counts.shape[0] + 1, dtype=np.int64)
        np.cumsum(counts, out=old_ptr[1:])
        new_counts = counts[order]
        ptr = np.zeros(order.shape[0] + 1, dtype=np.int64)
        np.cumsum(new_counts, out=ptr[1:])
        # element index of each output element: old start of its edge + rank within edge
        starts = np.repeat(old_ptr[order], new_counts)
        rank = np.arange(int(ptr[-1]), dtype=np.int64) - np.repeat(ptr[:-1], new_counts)
        take = starts + rank
        return cls(
            ptr=ptr,
            family=np.ascontiguousarray(family[take], dtype=np.int8),
            mean_h=np.ascontiguousarray(mean_h[take], dtype=np.float64),
            cv=np.ascontiguousarray(cv[take], dtype=np.float64),
            service=np.ascontiguousarray(service[take], dtype=np.int64),
        )
