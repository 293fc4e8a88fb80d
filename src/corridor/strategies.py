"""Hypothesis strategies that generate networks, for tests of corridor and of its users.

This module imports :mod:`hypothesis`, which is a test extra (``pip install
corridor[test]``): import it from tests only; nothing in the package imports it.

The networks are meant to stress readers and writers: ids with commas, quotes,
semicolons, spaces, leading zeros and non-Latin letters; unicode names; NaN figures; text
columns whose values look like numbers; extra columns; a parameter table. Links join
existing places, but nothing else is promised: duplicate-free ids and valid modes, kinds
and statuses are drawn, lengths may be NaN (which validation rejects).

Examples
--------
>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(networks())
... def check(network):
...     assert network.n_places >= 1
>>> check()

"""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import strategies as st

from corridor.network.model import MODES, PLACE_KINDS, STATUSES, Network

__all__ = ["ids", "networks"]

_ODD = ",;\"' -_.éЖ中/|:"
_TEXT = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


def ids() -> st.SearchStrategy[str]:
    """Ids: non-empty text with digits (leading zeros), letters and odd characters.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(ids())
    ... def check(i):
    ...     assert i
    >>> check()

    """
    return st.text(
        alphabet=st.sampled_from("0123456789ABCxyz" + _ODD), min_size=1, max_size=6
    ) | st.sampled_from(["001", "1", "01", "1.0", "nan", "KZ_AKTAU", "Ақтау"])


def _figure(*, non_negative: bool) -> st.SearchStrategy[float]:
    base = (
        st.floats(min_value=0.0, max_value=1e7, allow_nan=False)
        if non_negative
        else st.floats(allow_nan=False, allow_infinity=False)
    )
    return base | st.just(math.nan)


@st.composite
def networks(
    draw: st.DrawFn, *, max_places: int = 6, max_links: int = 10, extra_columns: bool = True
) -> Network:
    """Draw a network (see the module docstring).

    Parameters
    ----------
    max_places, max_links : int
        Size limits.
    extra_columns : bool
        Add extra text and numeric columns and a parameter table.

    Returns
    -------
    Network

    """
    place_ids = draw(st.lists(ids(), min_size=1, max_size=max_places, unique=True))
    n = len(place_ids)
    coordinate = st.floats(min_value=-180.0, max_value=180.0) | st.just(math.nan)
    places = pd.DataFrame(
        {
            "place_id": place_ids,
            "name": draw(st.lists(st.text(_TEXT, max_size=8), min_size=n, max_size=n)),
            "country": draw(
                st.lists(st.sampled_from(["KAZ", "IRN", "TKM", ""]), min_size=n, max_size=n)
            ),
            "kind": draw(st.lists(st.sampled_from(PLACE_KINDS), min_size=n, max_size=n)),
            "lon": draw(st.lists(coordinate, min_size=n, max_size=n)),
            "lat": [v / 2.0 for v in draw(st.lists(coordinate, min_size=n, max_size=n))],
            "status": draw(st.lists(st.sampled_from(STATUSES), min_size=n, max_size=n)),
        }
    )
    link_ids = draw(st.lists(ids(), max_size=max_links, unique=True))
    m = len(link_ids)
    ends = st.lists(st.sampled_from(place_ids), min_size=m, max_size=m)
    links = pd.DataFrame(
        {
            "link_id": pd.Series(link_ids, dtype=str),
            "from_id": pd.Series(draw(ends), dtype=str),
            "to_id": pd.Series(draw(ends), dtype=str),
            "mode": pd.Series(
                draw(st.lists(st.sampled_from(MODES), min_size=m, max_size=m)), dtype=str
            ),
            "status": pd.Series(
                draw(st.lists(st.sampled_from(STATUSES), min_size=m, max_size=m)), dtype=str
            ),
            "length_km": pd.Series(
                draw(st.lists(_figure(non_negative=True), min_size=m, max_size=m)), dtype=float
            ),
            "length_km_source": pd.Series(
                draw(st.lists(st.text(_TEXT, max_size=8), min_size=m, max_size=m)), dtype=str
            ),
        }
    )
    parameters: dict[str, pd.DataFrame] = {}
    if extra_columns:
        places["code"] = draw(st.lists(ids(), min_size=n, max_size=n))
        places["capacity_t_per_yr"] = draw(
            st.lists(_figure(non_negative=True), min_size=n, max_size=n)
        )
        places["capacity_t_per_yr_source"] = draw(
            st.lists(st.text(_TEXT, max_size=5), min_size=n, max_size=n)
        )
        links["length"] = pd.Series(
            draw(st.lists(_figure(non_negative=False), min_size=m, max_size=m)), dtype=float
        )
        links["note"] = pd.Series(
            draw(st.lists(st.text(_TEXT, max_size=8), min_size=m, max_size=m)), dtype=str
        )
        links["lanes"] = pd.Series(
            draw(st.lists(st.integers(0, 10**12), min_size=m, max_size=m)), dtype="int64"
        )
        k = draw(st.integers(1, 3))
        parameters["tariffs"] = pd.DataFrame(
            {
                "mode": draw(st.lists(st.sampled_from(MODES), min_size=k, max_size=k)),
                "country": draw(st.lists(st.sampled_from(["*", "KAZ"]), min_size=k, max_size=k)),
                "rate_usd_per_unit_km": draw(
                    st.lists(_figure(non_negative=True), min_size=k, max_size=k)
                ),
                "rate_usd_per_unit_km_source": draw(
                    st.lists(st.text(_TEXT, max_size=5), min_size=k, max_size=k)
                ),
            }
        )
    name = draw(st.text(_TEXT, max_size=10))
    return Network.from_frames(places, links, parameters=parameters, metadata={"name": name})
