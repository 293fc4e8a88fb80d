"""Routing on the expanded multimodal graph.

:func:`route` is the entry point; :func:`build_graph` and :class:`GraphCache` build the
expanded graph (place x mode layers, transfers and borders as links of their own) once.
"""

from corridor.routing.graph import GraphCache, build_graph
from corridor.routing.search import OBJECTIVES, route
from corridor.routing.types import Leg, Route

__all__ = ["OBJECTIVES", "GraphCache", "Leg", "Route", "build_graph", "route"]
