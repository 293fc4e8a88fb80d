"""Any values of the route and flow parameters get a 2xx or a 4xx problem, never a 5xx."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.api import ServiceLimits, create_app
from corridor.objectives import OBJECTIVES
from corridor.testing import gauge_network, two_route_case

_CLIENT = TestClient(
    create_app(gauge_network(), limits=ServiceLimits(max_samples=3_000), warm=False),
    raise_server_exceptions=False,
)
_SEEN: Counter[int] = Counter()

_text = st.text(max_size=12)
_number = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "0", "-0"]),
)

#: For each parameter: a strategy of valid values and one of odd values.
_PARAMS: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "origin": (st.sampled_from(["A", "G", "Alpha"]), _text),
    "destination": (st.sampled_from(["B", "bravo"]), _text),
    "objective": (st.sampled_from(list(OBJECTIVES)), st.sampled_from(["bogus", ""])),
    "cargo": (st.sampled_from(["container", "teu", "bulk", "roro_truck"]), _text),
    "units": (st.floats(0.5, 1e4), _number),
    "k": (st.integers(1, 2), st.integers(-3, 4)),
    "avoid": (st.just(["IRN"]), st.lists(st.sampled_from(["KAZ", "XXX", "kz"]), max_size=2)),
    "avoid_places": (st.just(["G"]), st.lists(st.sampled_from(["A", "B", "nowhere"]), max_size=2)),
    "modes": (
        st.just(["road", "rail_1520", "rail_1435"]),
        st.lists(st.sampled_from(["road", "rail_1520", "x"]), max_size=3),
    ),
    "depart": (
        st.sampled_from(["2026-12-01T08:00", "2026-12-01T08:00+04:00", "2026-06-30"]),
        st.sampled_from(["2026-02-30", "9999-12-31T23:59", "0001-01-01", "x"]),
    ),
    "crew": (st.sampled_from([1, 2]), st.integers(-3, 5)),
    "max_ratio": (st.floats(1, 1e6), _number),
    "reliability": (st.just(True), st.just(False)),
    "samples": (st.integers(1, 3_000), st.integers(-2, 10**6)),
    "seed": (st.integers(0, 2**70), st.integers(-(2**70), -1)),
    "deadline": (
        st.sampled_from(["12d", "36h", ".5"]),
        st.sampled_from(["0h", "-1d", "1e308d", "x"]),
    ),
}
_REQUIRED = ("origin", "destination")


@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_route_parameters_never_give_a_server_error(data: st.DataObject) -> None:
    names = list(_PARAMS)
    given_ = data.draw(st.sets(st.sampled_from(names)), label="given") | set(_REQUIRED)
    odd = data.draw(st.sets(st.sampled_from(sorted(given_)), max_size=2), label="odd")
    query = {}
    for name in names:
        if name in given_:
            valid, weird = _PARAMS[name]
            query[name] = data.draw(weird if name in odd else valid, label=name)
    r = _CLIENT.get("/v1/routes", params=query)
    _SEEN[r.status_code] += 1
    assert r.status_code < 500, (query, r.text)
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json"


def test_the_property_reached_the_model() -> None:
    # runs after the property above (file order): it must have produced real answers too
    assert _SEEN[200] >= 10, _SEEN
    assert sum(_SEEN.values()) >= 100, _SEEN


# ---------------------------------------------------------------------- /v1/flows
_NET, _DEMAND = two_route_case()
_FLOWS = TestClient(
    create_app(_NET, demand=_DEMAND, limits=ServiceLimits(max_steps=4), warm=False),
    raise_server_exceptions=False,
)
_FLOWS_SEEN: Counter[int] = Counter()
_growth = st.sampled_from(["1.5", "+50%", "0", "KAZ-KAZ=2", "grain=1.2", "KAZ>KAZ=0.5", "1"])
_odd_growth = st.one_of(
    _text, st.sampled_from(["-1", "nan", "inf", "1e308", "KAZ-IRN=2", "x=2", "=", "%"])
)

#: For each flow parameter: a strategy of valid values and one of odd values.
_FLOW_PARAMS: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "growth": (st.lists(_growth, max_size=3), st.lists(_odd_growth, min_size=1, max_size=3)),
    "path": (st.lists(_growth, max_size=2), st.lists(_odd_growth, min_size=1, max_size=2)),
    "steps": (st.integers(1, 4), st.integers(-2, 10**6)),
    "method": (st.sampled_from(["bfw", "cfw", "fw", "msa", "aon"]), _text),
    "logit_scale": (st.floats(1, 1e4), _number),
    "gap": (st.floats(1e-9, 0.1), _number),
    "max_iter": (st.integers(1, 500), st.integers(-3, 10**9)),
    "carbon_price": (st.floats(0, 500), _number),
    "period_h": (st.floats(1, 1e5), _number),
    "top": (st.integers(1, 20), st.integers(-3, 1000)),
    "include_planned": (st.booleans(), st.just("maybe")),
}


@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_flow_parameters_never_give_a_server_error(data: st.DataObject) -> None:
    names = list(_FLOW_PARAMS)
    given_ = data.draw(st.sets(st.sampled_from(names)), label="given")
    odd = (
        data.draw(st.sets(st.sampled_from(sorted(given_)), max_size=2), label="odd")
        if given_
        else set()
    )
    query = {}
    for name in names:
        if name in given_:
            valid, weird = _FLOW_PARAMS[name]
            query[name] = data.draw(weird if name in odd else valid, label=name)
    post = data.draw(st.booleans(), label="post")
    r = _FLOWS.post("/v1/flows", json=query) if post else _FLOWS.get("/v1/flows", params=query)
    _FLOWS_SEEN[r.status_code] += 1
    assert r.status_code < 500, (query, r.text)
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json"


def test_the_flow_property_reached_the_model() -> None:
    assert _FLOWS_SEEN[200] >= 10, _FLOWS_SEEN
    assert sum(_FLOWS_SEEN.values()) >= 100, _FLOWS_SEEN
