"""The one builder of compressed sparse row (forward-star) adjacency, used by every graph.

Edges are sorted by tail with a stable :func:`numpy.argsort`, never through
:mod:`scipy.sparse`, whose COO to CSR conversion adds parallel edges together (a road and
a rail link between the same two places would become one).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["build_csr"]


def build_csr(
    n_nodes: int, tail: NDArray[np.int64], head: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Build the forward star of a directed graph, keeping parallel edges apart.

    Parameters
    ----------
    n_nodes : int
        Number of nodes; every ``tail`` and ``head`` is in ``0..n_nodes-1``.
    tail, head : numpy.ndarray of int64
        Edge ends, in any order.

    Returns
    -------
    indptr : numpy.ndarray of int64
        ``(n_nodes + 1,)``; the edges leaving node ``u`` are ``indptr[u]:indptr[u + 1]``.
    csr_head : numpy.ndarray of int64
        Head node of each CSR entry.
    order : numpy.ndarray of int64
        Input edge of each CSR entry (``tail[order]`` is sorted; ties keep input order).

    Examples
    --------
    >>> import numpy as np
    >>> ip, hd, order = build_csr(3, np.array([1, 0, 0]), np.array([2, 1, 1]))
    >>> ip.tolist(), hd.tolist(), order.tolist()
    ([0, 2, 3, 3], [1, 1, 2], [1, 2, 0])

    """
    tail = np.asarray(tail, dtype=np.int64)
    order = np.argsort(tail, kind="stable").astype(np.int64)
    counts = np.bincount(tail, minlength=n_nodes)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, np.asarray(head, dtype=np.int64)[order], order
