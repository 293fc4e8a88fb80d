"""A Pareto front as JSON: the ``routes`` payload of ``route --json``, with the front's facts.

The payload is ``{"front": {...}, "routes": [...]}``: each route exactly as
:func:`corridor.formats.routes_to_json` writes it (legs, totals, borders ...), plus a
``pareto`` object (its corridor label, the criteria it is best on and, once simulated, its
P90 and whether the bad case dominates it); ``front`` says how the front was found
(:meth:`corridor.routing.ParetoFront.to_dict`: size, ε, whether the label budget bound).
"""

from __future__ import annotations

from typing import Any

from corridor.formats.routes import routes_to_json
from corridor.network.model import Network
from corridor.routing.pareto import ParetoFront

__all__ = ["front_to_json"]


def front_to_json(network: Network, front: ParetoFront) -> dict[str, Any]:
    """Return a front as ``{"front": ..., "routes": [...]}`` (the routes are the members).

    Examples
    --------
    >>> from corridor.routing import pareto_routes
    >>> from corridor.testing import border_network
    >>> net = border_network()
    >>> payload = front_to_json(net, pareto_routes(net, "A", "D", include_planned=True))
    >>> payload["front"]["size"], [r["pareto"]["label"] for r in payload["routes"]]
    (2, ['Alpha/Delta road', 'Charlie/Delta rail'])
    >>> payload["routes"][1]["totals"]["cost_usd"], payload["routes"][1]["pareto"]["best_for"]
    (830.0, ['cost', 'co2e'])

    """
    payload = routes_to_json(network, front.routes)
    for item, member in zip(payload["routes"], front, strict=True):
        item["pareto"] = member.to_dict()
    return {"front": front.to_dict(), **payload}
