"""Routing on the expanded multimodal graph."""

from corridor.routing.types import Leg, Route

__all__ = ["Leg", "Route"]
