"""Small scenario files on the test networks, written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.network import write_gmns
from corridor.testing import border_network, ferry_network

#: A scenario on the border network: one flow A -> D, one pair reported.
BORDER_SCENARIO = """
[scenario]
name = "{name}"

[base]
network = "net"

{edits}

[demand]
pairs = [{{ origin = "A", destination = "D", tonnes_per_yr = 50000.0, cargo = "container_40ft" }}]

[report]
pairs = [["A", "D"]]
cargo = "container_40ft"
samples = 200
seeds = [3]
"""


@pytest.fixture
def border_dir(tmp_path: Path) -> Path:
    write_gmns(border_network(), tmp_path / "net")
    return tmp_path


@pytest.fixture
def ferry_dir(tmp_path: Path) -> Path:
    write_gmns(ferry_network(), tmp_path / "net")
    return tmp_path


def write_scenario(folder: Path, name: str, edits: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(BORDER_SCENARIO.format(name=name, edits=edits), encoding="utf-8")
    return path
