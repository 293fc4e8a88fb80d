"""Small hand-made networks and Hypothesis strategies for tests of corridor and its users.

The tiny network is drawn below; every figure is made up for tests and says so in its
``_source`` column::

    A --rail_1520 100 km-- B --rail_1520 50 km-- C(KAZ|TKM border) ...
"""

from __future__ import annotations

import pandas as pd

from corridor.network.model import Network

__all__ = ["tiny_network"]

_TEST = "test fixture: made-up figure"


def tiny_network() -> Network:
    """Return a four-place network with rail of both gauges, a road link and a border.

    Places ``A`` and ``B`` are in Kazakhstan (KAZ), ``C`` and ``D`` in Iran (IRN). ``B``–``C``
    crosses the border; ``C`` is where the gauges meet.

    Returns
    -------
    Network

    Examples
    --------
    >>> net = tiny_network()
    >>> net.n_places, net.n_links
    (4, 4)

    """
    places = pd.DataFrame(
        {
            "place_id": ["A", "B", "C", "D"],
            "name": ["Alpha", "Bravo", "Charlie", "Delta"],
            "country": ["KAZ", "KAZ", "IRN", "IRN"],
            "kind": ["city", "junction", "border_crossing", "city"],
            "lon": [50.0, 51.0, 52.0, 53.0],
            "lat": [40.0, 40.0, 40.0, 40.0],
            "status": ["open"] * 4,
        }
    )
    links = pd.DataFrame(
        {
            "link_id": ["AB", "BC", "CD", "AD"],
            "from_id": ["A", "B", "C", "A"],
            "to_id": ["B", "C", "D", "D"],
            "mode": ["rail_1520", "rail_1520", "rail_1435", "road"],
            "length_km": [100.0, 50.0, 80.0, 300.0],
            "length_km_source": [_TEST] * 4,
            "status": ["open"] * 4,
        }
    )
    return Network.from_frames(places, links, metadata={"name": "tiny"})
