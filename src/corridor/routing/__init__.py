"""Routing on the expanded multimodal graph: the best routes and k diverse alternatives.

:func:`route` is the entry point; the graph itself comes from :mod:`corridor.graph`.
"""

from corridor.routing.search import OBJECTIVES, route
from corridor.routing.types import Leg, Route

__all__ = ["OBJECTIVES", "Leg", "Route", "route"]
