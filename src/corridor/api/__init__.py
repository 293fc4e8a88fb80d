"""The REST API of corridor (FastAPI): routes, places and the network over HTTP.

A thin interface: places are found by :mod:`corridor.network.lookup`, routes by the model
(:func:`corridor.api.engine.find_routes`), answers written by :mod:`corridor.formats`, errors
are the :class:`~corridor.errors.CorridorError` tree as RFC 9457 problems
(:mod:`corridor.api.problems`). Run it with ``corridor serve``; build it in Python with
:func:`create_app`.

Examples
--------
>>> from corridor.api import ServiceLimits
>>> ServiceLimits().max_k
10

"""

from corridor.api.app import create_app
from corridor.api.limits import ServiceLimitError, ServiceLimits

__all__ = ["ServiceLimitError", "ServiceLimits", "create_app"]
