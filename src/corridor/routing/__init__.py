"""Route search on the expanded multimodal graph: the best routes, k diverse alternatives, fronts.

:func:`search_routes` searches under an additive objective (:mod:`corridor.objectives`);
:func:`pareto_routes` finds every trade-off between time, cost and CO2e; the graph comes
from :mod:`corridor.graph`. The public :func:`corridor.route` and
:func:`corridor.pareto_routes` add the simulated objectives on top (:mod:`corridor.journeys`).
"""

from corridor.routing.pareto import ParetoFront, ParetoMember, pareto_routes
from corridor.routing.request import SearchRequest
from corridor.routing.search import edge_weight, search, search_routes
from corridor.routing.types import Leg, Route

__all__ = [
    "Leg",
    "ParetoFront",
    "ParetoMember",
    "Route",
    "SearchRequest",
    "edge_weight",
    "pareto_routes",
    "search",
    "search_routes",
]
