"""``/v1/scenarios``: the registry's runs over HTTP, as ``corridor scenario ... --json``."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from corridor.api import create_app
from corridor.network import write_gmns
from corridor.scenarios.registry import Registry, run_and_record
from corridor.scenarios.spec import load_scenario
from corridor.testing import border_network

#: A scenario on the border network (as tests/scenarios/conftest.py): one flow A -> D.
SCENARIO = """
[scenario]
name = "{name}"

[base]
network = "net"

[demand]
pairs = [{{ origin = "A", destination = "D", tonnes_per_yr = {t}, cargo = "container_40ft" }}]

[report]
pairs = [["A", "D"]]
cargo = "container_40ft"
samples = 200
seeds = [3]
"""


def write_scenario(folder: Path, name: str, tonnes: float) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(SCENARIO.format(name=name, t=tonnes), encoding="utf-8")
    return path


def test_list_show_compare(tmp_path: Path) -> None:
    border_dir = tmp_path
    write_gmns(border_network(), tmp_path / "net")
    home = tmp_path / "home"
    reg = Registry(home)
    a, _ = run_and_record(load_scenario(write_scenario(border_dir, "base", 50000.0)), reg)
    b, _ = run_and_record(load_scenario(write_scenario(border_dir, "more", 75000.0)), reg)
    with TestClient(
        create_app(border_network(), registry_home=str(home), warm=False),
        raise_server_exceptions=False,
    ) as c:
        runs = c.get("/v1/scenarios").json()
        assert [r["run_id"] for r in runs["runs"]] == [a, b]
        one = c.get(f"/v1/scenarios/{a}").json()
        assert one["run"]["run_id"] == a
        assert "totals" in one["tables"]
        only = c.get(f"/v1/scenarios/{a}", params={"table": "totals"}).json()
        assert list(only["tables"]) == ["totals"]
        cmp = c.get("/v1/scenarios/compare", params={"runs": f"{a},{b}"})
        assert cmp.status_code == 200, cmp.text
        assert [r["run_id"] for r in cmp.json()["runs"]] == [a, b]
        assert "totals" in cmp.json()["tables"]
        bad = c.get("/v1/scenarios/compare", params={"runs": a})
        assert bad.status_code == 400
        assert bad.json()["argument"] == "runs"
        assert c.get(f"/v1/scenarios/{a}", params={"table": "nope"}).status_code == 400
        unknown = c.get("/v1/scenarios/no-such-run")
        assert 400 <= unknown.status_code < 500
        assert unknown.headers["content-type"] == "application/problem+json"
