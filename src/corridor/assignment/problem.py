"""The static traffic-assignment problem as flat arrays, built from a network and demand.

:class:`AssignmentProblem` is what every solver (Frank–Wolfe family, bush-based) works on:
nodes numbered ``0..n_nodes-1`` with the zones first, links as ``tail``/``head`` arrays in
the order of ``network.links``, BPR parameters per link and a dense demand matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor.demand.matrix import Demand
from corridor.errors import InputError
from corridor.network.model import Network

__all__ = ["AssignmentProblem", "build_problem"]


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """A static user-equilibrium assignment problem on arrays.

    Attributes
    ----------
    n_nodes : int
        Number of nodes; nodes are ``0..n_nodes-1``.
    n_zones : int
        Number of zones; zones are nodes ``0..n_zones-1`` (TNTP: node id - 1).
    first_thru_node : int
        0-based; a path may not pass through a node ``< first_thru_node`` other than at
        its two ends (TNTP ``<FIRST THRU NODE>`` - 1; 0 means no restriction).
    tail, head : numpy.ndarray of int64
        ``(n_links,)`` link ends, in the order of ``network.links``.
    free_flow_time, capacity : numpy.ndarray of float64
        ``(n_links,)`` free-flow time and capacity (positive).
    alpha, beta : numpy.ndarray of float64
        ``(n_links,)`` BPR ``b`` and ``power``: ``t = t0 (1 + alpha (v/cap)^beta)``.
    fixed_cost : numpy.ndarray of float64
        ``(n_links,)`` flow-independent cost added to the time
        (``toll * toll_factor + length * distance_factor``).
    demand : numpy.ndarray of float64
        ``(n_zones, n_zones)`` trips between zones.

    Examples
    --------
    >>> import numpy as np
    >>> p = AssignmentProblem(
    ...     n_nodes=2, n_zones=2, first_thru_node=0,
    ...     tail=np.array([0]), head=np.array([1]),
    ...     free_flow_time=np.array([1.0]), capacity=np.array([10.0]),
    ...     alpha=np.array([0.15]), beta=np.array([4.0]), fixed_cost=np.array([0.0]),
    ...     demand=np.array([[0.0, 5.0], [0.0, 0.0]]))
    >>> p.n_links
    1

    """

    n_nodes: int
    n_zones: int
    first_thru_node: int
    tail: NDArray[np.int64]
    head: NDArray[np.int64]
    free_flow_time: NDArray[np.float64]
    capacity: NDArray[np.float64]
    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    fixed_cost: NDArray[np.float64]
    demand: NDArray[np.float64]

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.tail.shape[0])

    @property
    def total_demand(self) -> float:
        """Total trips."""
        return float(self.demand.sum())


def _column(links: pd.DataFrame, names: tuple[str, ...], default: float) -> NDArray[np.float64]:
    for name in names:
        if name in links.columns:
            values = pd.to_numeric(links[name], errors="coerce").to_numpy(dtype=np.float64)
            return np.where(np.isnan(values), default, values)
    return np.full(len(links), default, dtype=np.float64)


def build_problem(
    network: Network,
    demand: Demand,
    *,
    toll_factor: float = 0.0,
    distance_factor: float = 0.0,
) -> AssignmentProblem:
    """Build the array form of the assignment problem.

    Nodes are numbered with the demand's zones first (in demand order, except that zones
    which may not be passed through, by the network's ``first_thru_node`` metadata, come
    first), then the other places in network order. Links keep the order of
    ``network.links``, so solver outputs align with the links table.

    Link columns used: ``free_flow_time`` (else ``time_h``), ``capacity`` (else
    ``capacity_t_per_yr``), ``b`` (default 0.15), ``power`` (default 4), ``toll`` and
    ``length`` (default 0). A link with no positive capacity gets a flow-independent cost
    (``alpha = 0``).

    Parameters
    ----------
    network : Network
        The network; ``network.metadata["first_thru_node"]`` (TNTP numbering) is honoured
        when the place ids are integers.
    demand : Demand
        Trips; every zone must be a place of the network.
    toll_factor : float, default 0.0
        Cost per unit of toll (TNTP Chicago-Sketch: 0.02 minutes per cent).
    distance_factor : float, default 0.0
        Cost per unit of length (TNTP Chicago-Sketch: 0.04 minutes per mile).

    Returns
    -------
    AssignmentProblem

    Raises
    ------
    InputError
        If a zone is not a place, a link end is unknown, or a time is negative or not finite.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from corridor.demand import Demand
    >>> places = pd.DataFrame({"place_id": ["1", "2", "3"]})
    >>> links = pd.DataFrame({"link_id": ["1", "2", "3"], "from_id": ["1", "1", "3"],
    ...                       "to_id": ["2", "3", "2"], "free_flow_time": [10.0, 4.0, 4.0],
    ...                       "capacity": [100.0, 50.0, 50.0]})
    >>> net = Network.from_frames(places, links)
    >>> p = build_problem(net, Demand.from_matrix(["1", "2"], np.array([[0, 10.], [0, 0]])))
    >>> p.n_nodes, p.n_zones, p.n_links
    (3, 2, 3)

    """
    place_ids = [str(p) for p in network.places["place_id"]]
    known = set(place_ids)
    unknown = [z for z in demand.zones if z not in known]
    if unknown:
        raise InputError(f"demand: zone(s) {unknown[:5]} are not places of the network")
    ftn_meta = network.metadata.get("first_thru_node")
    blocked: set[str] = set()
    if ftn_meta is not None:
        for pid in place_ids:
            if pid.isdigit() and int(pid) < int(ftn_meta):
                blocked.add(pid)
    zones = [z for z in demand.zones if z in blocked]
    zones += [p for p in place_ids if p in blocked and p not in set(demand.zones)]
    zones += [z for z in demand.zones if z not in blocked]
    n_zones = len(zones)
    order = zones + [p for p in place_ids if p not in set(zones)]
    index = {pid: i for i, pid in enumerate(order)}
    dz = {z: i for i, z in enumerate(demand.zones)}
    perm = np.array([dz.get(z, -1) for z in zones], dtype=np.int64)
    mat = np.zeros((n_zones, n_zones))
    have = perm >= 0
    mat[np.ix_(have, have)] = demand.matrix[np.ix_(perm[have], perm[have])]

    links = network.links
    try:
        tail = np.array([index[str(x)] for x in links["from_id"]], dtype=np.int64)
        head = np.array([index[str(x)] for x in links["to_id"]], dtype=np.int64)
    except KeyError as err:
        raise InputError(f"network: link end {err.args[0]!r} is not a place") from err
    fft = _column(links, ("free_flow_time", "time_h"), np.nan)
    if not np.all(np.isfinite(fft)) or np.any(fft < 0):
        raise InputError(
            "network: free_flow_time must be finite and >= 0 on every link "
            f"({int(np.sum(~(np.isfinite(fft) & (fft >= 0))))} link(s) are not)"
        )
    cap = _column(links, ("capacity", "capacity_t_per_yr"), np.inf)
    alpha = _column(links, ("b",), 0.15)
    beta = _column(links, ("power",), 4.0)
    no_cap = ~(np.isfinite(cap) & (cap > 0))
    alpha = np.where(no_cap, 0.0, alpha)
    cap = np.where(no_cap, 1.0, cap)
    fixed = toll_factor * _column(links, ("toll",), 0.0) + distance_factor * _column(
        links, ("length", "length_km"), 0.0
    )
    return AssignmentProblem(
        n_nodes=len(order),
        n_zones=n_zones,
        first_thru_node=len(blocked),
        tail=tail,
        head=head,
        free_flow_time=fft,
        capacity=cap,
        alpha=alpha,
        beta=beta,
        fixed_cost=fixed,
        demand=mat,
    )
