"""Border fees are per shipment: the units of one consignment share them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corridor.errors import NetworkValidationError
from corridor.graph.build import BORDER, build_graph
from corridor.testing import border_network


def _with_units_per_consignment(per: dict[str, object]) -> object:
    net = border_network()
    params = dict(net.parameters)
    cc = params["cargo_classes"].copy()
    cc["units_per_consignment"] = cc["cargo"].map(per)
    params["cargo_classes"] = cc
    return net.replace(parameters=params)


def test_fee_is_shared_by_the_units_of_a_consignment() -> None:
    base = border_network()
    cargo = base.parameters["cargo_classes"]["cargo"].iloc[0]
    one = build_graph(base, cargo=cargo)
    shared = build_graph(_with_units_per_consignment({cargo: 20}), cargo=cargo)
    b1 = one.edge_kind == BORDER
    b20 = shared.edge_kind == BORDER
    assert b1.any()
    assert np.array_equal(b1, b20)
    fee1 = one.cost_usd[b1]
    assert (fee1 > 0).any()  # the check below means something only with a fee
    assert np.allclose(shared.cost_usd[b20], fee1 / 20)
    # nothing else changes: dwell and the other edges' costs
    assert np.allclose(shared.time_h, one.time_h, equal_nan=True)
    assert np.allclose(shared.cost_usd[~b20], one.cost_usd[~b1], equal_nan=True)


@pytest.mark.parametrize("bad", [0, 0.5, -1, "x", np.nan])
def test_units_per_consignment_below_one_is_an_error(bad: object) -> None:
    base = border_network()
    cargo = base.parameters["cargo_classes"]["cargo"].iloc[0]
    net = _with_units_per_consignment({cargo: bad})
    with pytest.raises(NetworkValidationError, match="units_per_consignment"):
        build_graph(net, cargo=cargo)


def test_default_bulk_pays_a_twentieth_of_a_box_fee_per_unit() -> None:
    from corridor import load_default

    net = load_default()
    cc = net.parameters["cargo_classes"].set_index("cargo")
    assert cc.loc["bulk", "units_per_consignment"] == 20
    assert (pd.to_numeric(cc.drop(index="bulk")["units_per_consignment"]) == 1).all()
    assert cc["units_per_consignment_source"].str.startswith("computed").all()
