"""validate() catches what routing, the simulation and the assignment would reject."""

from __future__ import annotations

import pandas as pd
import pytest

import corridor
from corridor.errors import NetworkValidationError
from corridor.graph import build_graph
from corridor.testing import ferry_network, gauge_network


def _with(net: corridor.Network, **tables: pd.DataFrame | None) -> corridor.Network:
    params = dict(net.parameters)
    for name, table in tables.items():
        if table is None:
            params.pop(name, None)
        else:
            params[name] = table
    return net.replace(parameters=params)


def _errors(net: corridor.Network) -> list[str]:
    with pytest.raises(NetworkValidationError) as info:
        corridor.validate(net)
    return [str(p) for p in info.value.problems if p.severity == "error"]


def test_clean_fixtures_pass() -> None:
    assert corridor.validate(gauge_network()) == ()
    assert corridor.validate(ferry_network()) == ()


def test_empty_transfers_is_caught_before_routing() -> None:
    net = gauge_network()
    broken = _with(net, transfers=net.parameters["transfers"].iloc[:0])
    errors = _errors(broken)
    assert any("gauge_break" in e and "'G/" in e for e in errors), errors
    with pytest.raises(NetworkValidationError):  # what route() would have said
        build_graph(broken, cargo="container")


def test_missing_tariffs_table_is_caught() -> None:
    errors = _errors(_with(gauge_network(), tariffs=None))
    assert any("tariffs" in e and "missing" in e for e in errors), errors


def test_bad_distribution_and_departure_rule_are_caught() -> None:
    net = ferry_network()
    fs = net.parameters["ferry_services"].assign(departure_rule="whenever")
    assert any("departure_rule" in e for e in _errors(_with(net, ferry_services=fs)))
    sides = net.parameters["border_sides"].assign(dwell_distribution="weibull", dwell_cv=0.3)
    assert any("weibull" in e for e in _errors(_with(net, border_sides=sides)))


def test_bad_cancellation_rows_are_errors() -> None:
    net = ferry_network()
    bad = pd.DataFrame({"place_id": ["P", "P"], "month": [13, 1], "p_cancel": [0.1, 1.0]})
    errors = _errors(_with(net, cancellation=bad))
    assert any("month" in e for e in errors), errors
    assert any("p_cancel" in e for e in errors), errors


def test_rows_that_never_apply_are_warned() -> None:
    net = ferry_network()
    tr = pd.concat(
        [
            net.parameters["transfers"],
            net.parameters["transfers"].iloc[:1].assign(place_id="NOWHERE"),
        ],
        ignore_index=True,
    )
    cx = pd.DataFrame({"place_id": ["KZ_AKTAU"], "month": [1], "p_cancel": [0.2]})
    fs = pd.concat(
        [
            net.parameters["ferry_services"],
            net.parameters["ferry_services"].assign(service_id="S9"),
        ],
        ignore_index=True,
    )
    warnings = [str(p) for p in corridor.validate(_with(net, transfers=tr, cancellation=cx,
                                                          ferry_services=fs))]  # fmt: skip
    assert any("NOWHERE" in w for w in warnings), warnings
    assert any("KZ_AKTAU" in w for w in warnings), warnings
    assert any("S9" in w and "no link rides" in w for w in warnings), warnings


def test_unknown_mode_is_an_error_naming_the_registry() -> None:
    net = gauge_network()
    links = net.links.copy()
    links.loc[0, "mode"] = "hovercraft"
    errors = _errors(net.replace(links=links))
    assert any("hovercraft" in e for e in errors), errors


def test_default_network_has_no_errors() -> None:
    warnings = corridor.validate(corridor.load_default())
    assert all(p.severity == "warning" for p in warnings)
