"""Small assignment problems with known answers, for tests and examples.

``two_route_*``: zones ``"1"`` and ``"2"`` joined by a direct link (``t = 10 + v``) and by a
two-link route through junction ``"3"`` (each link ``t = 4 (1 + v / 8)``); 10 trips from 1
to 2. Worked by hand: at equilibrium both used routes cost the same,
``10 + vA = 2 * 4 (1 + vB / 8) = 8 + vB`` with ``vA + vB = 10``, so
``vA = 4``, ``vB = 6``; both routes cost 14.
The Beckmann objective is ``(10*4 + 4**2/2) + 2 * (4*6 + 6**2/4) = 48 + 66 = 114``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridor.assignment.problem import AssignmentProblem, build_problem
from corridor.demand.matrix import Demand
from corridor.network.model import Network

__all__ = ["two_route_demand", "two_route_network", "two_route_problem"]


def two_route_network() -> Network:
    """Return the two-route network (3 places, 3 links, linear BPR costs).

    Returns
    -------
    Network

    Examples
    --------
    >>> two_route_network().n_links
    3

    """
    places = pd.DataFrame({"place_id": ["1", "2", "3"], "kind": ["zone", "zone", "junction"]})
    links = pd.DataFrame(
        {
            "link_id": ["1", "2", "3"],
            "from_id": ["1", "1", "3"],
            "to_id": ["2", "3", "2"],
            "mode": "road",
            "free_flow_time": [10.0, 4.0, 4.0],
            "capacity": [10.0, 8.0, 8.0],
            "b": [1.0, 1.0, 1.0],
            "power": [1.0, 1.0, 1.0],
        }
    )
    return Network.from_frames(places, links)


def two_route_demand() -> Demand:
    """Return 10 trips from zone 1 to zone 2.

    Returns
    -------
    Demand

    Examples
    --------
    >>> two_route_demand().total
    10.0

    """
    return Demand.from_matrix(["1", "2"], np.array([[0.0, 10.0], [0.0, 0.0]]))


def two_route_problem() -> AssignmentProblem:
    """Return the two-route problem in array form.

    Returns
    -------
    AssignmentProblem

    Examples
    --------
    >>> two_route_problem().n_nodes
    3

    """
    return build_problem(two_route_network(), two_route_demand())
