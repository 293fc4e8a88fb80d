"""Route search on the expanded multimodal graph: the best routes and k diverse alternatives.

:func:`search_routes` searches under an additive objective (:mod:`corridor.objectives`);
the graph comes from :mod:`corridor.graph`. The public :func:`corridor.route` adds the
simulated objectives on top (:mod:`corridor.journeys`).
"""

from corridor.routing.request import SearchRequest
from corridor.routing.search import edge_weight, search, search_routes
from corridor.routing.types import Leg, Route

__all__ = ["Leg", "Route", "SearchRequest", "edge_weight", "search", "search_routes"]
