"""The expanded multimodal graph every analysis reads: routing, reliability and assignment.

:func:`build_graph` turns a :class:`~corridor.network.Network` and its parameter tables into
an :class:`ExpandedGraph` (place x mode layers, with transfers and borders as edges of
their own) held as CSR arrays; :class:`GraphCache` builds it once per network and cargo.
"""

from corridor.graph.build import EDGE_KINDS, ExpandedGraph, GraphCache, build_graph

__all__ = ["EDGE_KINDS", "ExpandedGraph", "GraphCache", "build_graph"]
