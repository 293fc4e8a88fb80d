from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from corridor.cli.tables import reliability_table
from corridor.reliability import ReliabilityResult


def test_table_and_json() -> None:
    res = ReliabilityResult(np.array([10.0, 20.0, 30.0]), np.zeros(3), 20.0, deadline_h=25.0)
    d = res.to_dict()
    assert d["p50_h"] == 20.0
    assert d["on_time_probability"] == pytest.approx(2 / 3)
    console = Console(width=160, record=True, color_system=None)
    console.print(reliability_table({"1: via Kuryk": res}))
    text = console.export_text()
    assert "1: via Kuryk" in text
    assert "66.7 %" in text
