"""Every promise of the README holds: each command of its "Command line" block runs and its
output has the promised shape, every command takes ``--json``, and the Python API lines
give what their comments say.

The commands are read from README.md itself; the test fails when a command is added or
changed there without a check here (``CHECKS`` is keyed by the README line).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corridor.cli.main import main
from corridor.network.gmns import read_gmns, write_gmns
from corridor.testing import tiny_network

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _block(heading: str, lang: str) -> list[str]:
    section = README.split(heading, 1)[1]
    body = section.split(f"```{lang}\n", 1)[1].split("```", 1)[0]
    return [line for line in body.splitlines() if line.strip()]


def readme_commands() -> list[str]:
    """The README's command lines, without their comments."""
    return [re.sub(r"\s+#.*$", "", line).strip() for line in _block("## Command line", "sh")]


SIOUX = "../shared/tntp/SiouxFalls/SiouxFalls_net.tntp"
TRIPS = (
    "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 10\n<END OF METADATA>\n\n"
    "Origin 1\n2 : 10.0;\nOrigin 2\n1 : 0.0;\n"
)
NET = (
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n"
    "<NUMBER OF LINKS> 3\n<END OF METADATA>\n"
    "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
    "1\t3\t8\t1\t4\t1\t1\t0\t0\t1\t;\n3\t2\t8\t1\t4\t1\t1\t0\t0\t1\t;\n"
    "1\t2\t10\t1\t10\t1\t1\t0\t0\t1\t;\n"
)


def _sioux(tmp: Path) -> str:
    """SiouxFalls where the TNTP files are (the README's path), else a small TNTP network."""
    import os

    roots = [Path(os.environ["CORRIDOR_TNTP"])] if os.environ.get("CORRIDOR_TNTP") else []
    roots += [REPO.parent / "shared" / "tntp", REPO.parent.parent / "shared" / "tntp"]
    for root in roots:
        real = root / "SiouxFalls" / "SiouxFalls_net.tntp"
        if real.is_file():
            return str(real)
    (tmp / "x_net.tntp").write_text(NET)
    (tmp / "x_trips.tntp").write_text(TRIPS)
    return str(tmp / "x_net.tntp")


Run = Callable[[list[str]], tuple[int, str, str]]


def check_places(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    assert re.match(r"^\d+ places$", out.splitlines()[0])
    assert "KZ_AKTAU_PORT" in out
    code, out, _ = run([*args, "--json"])
    rows = json.loads(out)
    assert {r["country"] for r in rows} == {"KAZ"}
    assert {r["kind"] for r in rows} == {"port"}


def check_route_units(run: Run, tmp: Path, args: list[str]) -> None:
    # routes, days, cost, CO2e, borders, ferries, gauge changes (the forwarder's question)
    code, out, _ = run(args)
    assert code == 0
    for word in ("days", "cost", "CO2e", "borders", "ferries", "gauge", "alternative 1"):
        assert word in out, word
    code, out, _ = run([*args, "--json"])
    routes = json.loads(out)["routes"]
    assert routes
    assert all(r["units"] == 2 for r in routes)


def check_route_cost_json(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    routes = json.loads(out)["routes"]
    costs = [r["totals"]["cost_usd"] for r in routes]
    assert routes[0]["objective"] == "cost"
    assert costs[0] == min(costs)


def check_route_geojson(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    fc = json.loads((tmp / "routes.geojson").read_text())
    assert fc["type"] == "FeatureCollection"
    assert fc["features"]
    code, out, _ = run([*args, "--json"])
    routes = json.loads(out)["routes"]
    assert 1 <= len(routes) <= 3
    assert all("TKM" not in r["countries"] for r in routes)


def check_route_reliability(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run([*args, "--samples", "500", "--seed", "1"])
    assert code == 0
    assert "reliability" in out
    assert "on time" in out
    assert "P90" in out
    assert (tmp / "cdf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, _ = run([*args, "--samples", "500", "--seed", "1", "--json"])
    rel = json.loads(out)["routes"][0]["reliability"]
    assert rel["p50_h"] <= rel["p90_h"]
    assert 0 <= rel["on_time_probability"] <= 1


def _folders(tmp: Path) -> tuple[str, str]:
    good = tmp / "tiny"
    write_gmns(tiny_network(), good)
    bad = tmp / "bad"
    write_gmns(tiny_network(), bad)
    (bad / "link.csv").write_text(
        (bad / "link.csv").read_text().replace("AB,A,B,rail_1520", "AB,A,Z,rail_1520")
    )
    return str(good), str(bad)


def check_network_check(run: Run, tmp: Path, args: list[str]) -> None:
    good, bad = _folders(tmp)
    code, out, err = run([a.replace("PATH", good) for a in args])
    assert code == 0
    assert out.splitlines()[0] == "tiny: 4 places, 4 links"
    assert err == ""
    code, out, err = run([a.replace("PATH", bad) for a in args])
    assert code == 2
    assert out == ""  # every problem listed, on stderr
    assert err.splitlines()[0].startswith(f"error: {bad}: invalid network: 1 error(s)")
    assert "unknown place 'Z'" in err
    code, out, _ = run([*[a.replace("PATH", bad) for a in args], "--json"])
    assert code == 2
    assert json.loads(out)["valid"] is False


def check_network_summary(run: Run, tmp: Path, args: list[str]) -> None:
    good, _ = _folders(tmp)
    code, out, _ = run([a for a in args if a != "[PATH]"])
    assert code == 0
    assert re.match(r"^default: \d+ places, \d+ links$", out.splitlines()[0])
    code, out, _ = run([a.replace("[PATH]", good) for a in args])
    assert code == 0
    assert out.startswith("tiny: 4 places, 4 links")
    assert "places by country" in out
    assert "links by mode" in out
    code, out, _ = run([a.replace("[PATH]", good) for a in args] + ["--json"])
    payload = json.loads(out)
    assert payload["name"] == "tiny"
    assert payload["links_by_mode"]["rail_1520"] == 2


def check_network_export(run: Run, tmp: Path, args: list[str]) -> None:
    good, bad = _folders(tmp)
    base = [a.replace("PATH", good) for a in args if a not in ("[--gmns", "out_folder]")]
    code, out, _ = run(base)
    assert code == 0
    assert len(json.loads((tmp / "out.geojson").read_text())["features"]) == 8
    code, out, _ = run([*base, "--gmns", "out_folder", "--json"])
    assert code == 0
    assert [w["format"] for w in json.loads(out)["wrote"]] == ["geojson", "gmns"]
    assert read_gmns(tmp / "out_folder").n_links == 4
    # an invalid network writes nothing
    code, _, _ = run(["network", "export", bad, "--geojson", "b.geojson", "--gmns", "b"])
    assert code == 2
    assert not (tmp / "b.geojson").exists()
    assert not (tmp / "b").exists()


def check_assign(run: Run, tmp: Path, args: list[str]) -> None:
    net = _sioux(tmp)
    code, out, _ = run([net if a == SIOUX else a for a in args])
    assert code == 0
    summary = json.loads(out)
    assert summary["method"] == "bfw"
    assert summary["converged"] is True
    assert summary["relative_gap"] <= 1e-5
    assert summary["iterations"] >= 1
    code, out, _ = run(["assign", "--tntp", net, "--method", "aon"])
    assert code == 0
    assert "not an equilibrium" in out
    assert "NOT converged" not in out


def check_route_pareto(run: Run, tmp: Path, args: list[str]) -> None:
    fast = [*args, "--samples", "300", "--seed", "1"]
    code, out, _ = run(fast)
    assert code == 0
    assert (tmp / "front.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "P90" in out
    code, out, _ = run([*fast, "--json"])
    assert code == 0
    routes = json.loads(out)["routes"]
    assert len(routes) >= 2  # a front, not one route
    days = [r["totals"]["time_h"] for r in routes]
    assert days == sorted(days)


def _examples(args: list[str]) -> list[str]:
    """The README's example paths made absolute (the checks run in a temporary folder)."""
    return [str(REPO / a) if a.startswith("examples/") else a for a in args]


@contextlib.contextmanager
def _home(tmp: Path) -> Iterator[None]:
    """A fresh ``$CORRIDOR_HOME`` (the run registry) in the temporary folder."""
    old = os.environ.get("CORRIDOR_HOME")
    os.environ["CORRIDOR_HOME"] = str(tmp / "home")
    try:
        yield
    finally:
        if old is None:
            del os.environ["CORRIDOR_HOME"]
        else:
            os.environ["CORRIDOR_HOME"] = old


def check_scenario_run(run: Run, tmp: Path, args: list[str]) -> None:
    with _home(tmp):
        code, out, _ = run(_examples(args))
        assert code == 0
        for word in ("totals", "t-km by mode", "bottlenecks", "route answers"):
            assert word in out, word
        code, out, _ = run([*_examples(args), "--json"])
        assert code == 0
        run_id = json.loads(out)["run_id"]
        assert (tmp / "home" / "runs" / run_id / "totals.parquet").is_file()


def check_scenario_compare(run: Run, tmp: Path, args: list[str]) -> None:
    with _home(tmp):
        code, out, _ = run(_examples(args))
        assert code == 0
        for word in ("totals", "volume per corridor", "bottlenecks", "route answers", "map:"):
            assert word in out, word
        png = tmp / "compare_trade_plus_50_rasht_astara_vs_trade_plus_50.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        code, out, _ = run([*_examples(args), "--json", "--no-map"])
        tables = json.loads(out)["tables"]
        assert {"totals", "t_km_by_mode", "corridors", "bottlenecks", "routes"} <= set(tables)


def check_scenario_criticality(run: Run, tmp: Path, args: list[str]) -> None:
    # every element of the default network takes minutes: the check closes the first few,
    # serially (the LocalCluster path is tested in tests/scenarios/test_parallel.py)
    fast = [*args, "--limit", "3", "--workers", "0"]
    code, out, _ = run(fast)
    assert code == 0
    assert "criticality (3 elements closed in turn)" in out
    code, out, _ = run([*fast, "--json"])
    rows = json.loads(out)["elements"]
    assert [r["rank"] for r in rows] == [1, 2, 3]


def check_scenario_sweep(run: Run, tmp: Path, args: list[str]) -> None:
    with _home(tmp):
        code, out, _ = run([*_examples(args), "--workers", "0", "--json"])
        assert code == 0
        points = json.loads(out)["points"]
        assert len(points) == 2 * 2 * 2  # scenarios x growth x seeds
        assert {p["growth"] for p in points} == {1.0, 1.5}


def check_route_crew(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    assert "trucks with 2 drivers" in out
    code, out, _ = run([*args, "--json"])
    two = json.loads(out)["routes"][0]
    assert two["crew"] == 2
    assert {leg["mode"] for leg in two["legs"]} == {"road"}
    # one driver must rest more on the same roads: never faster than two
    code, out, _ = run([a if a != "2" else "1" for a in args] + ["--json"])
    one = json.loads(out)["routes"][0]
    assert one["crew"] == 1
    assert one["totals"]["time_h"] >= two["totals"]["time_h"]


def check_route_via(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run([*args, "--json"])
    assert code == 0
    routes = json.loads(out)["routes"]
    assert routes
    for r in routes:
        ends = [leg["from"] for leg in r["legs"]] + [leg["to"] for leg in r["legs"]]
        assert "IR_ASTARA" in ends, r["rank"]


def check_validate_model(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    assert re.search(r"\d+ of \d+ modelled cases within tolerance", out)
    code, out, _ = run([*args, "--json"])
    payload = json.loads(out)
    s = payload["summary"]
    status = [c["status"] for c in payload["cases"]]
    assert s["cases"] == len(status)
    assert s["modelled"] == status.count("within") + status.count("outside")
    assert s["within"] == status.count("within") <= s["modelled"]
    for c in payload["cases"]:
        if c["status"] != "not modelled":
            assert c["model"] is not None, c["case_id"]
            assert c["model"] > 0, c["case_id"]


def check_flows_map(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    assert "Bottlenecks by use of capacity" in out
    assert (tmp / "flows.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def check_flows_json(run: Run, tmp: Path, args: list[str]) -> None:
    code, out, _ = run(args)
    assert code == 0
    payload = json.loads(out)
    for key in ("demand_t", "assigned_t", "t_km_by_mode"):
        assert key in payload["totals"]
    first = payload["bottlenecks"][0]
    for key in ("id", "kind", "use_ratio", "capacity", "capacity_source", "shadow_price_usd_per_t"):
        assert key in first
    assert all({"id", "observed_t", "model_t", "source"} <= set(c) for c in payload["counts"])
    assert payload["growth_path"] is not None


CHECKS: dict[str, Callable[[Run, Path, list[str]], None]] = {
    "corridor places --country KZ --kind port": check_places,
    "corridor route Almaty Tehran --cargo container --units 2": check_route_units,
    'corridor route Aqtau "Bandar-e Anzali" --objective cost --json': check_route_cost_json,
    "corridor route Almaty Tehran --avoid-country TKM --k 3 --geojson routes.geojson": (
        check_route_geojson
    ),
    "corridor route Almaty Tehran --depart 2026-12-01T08:00 --reliability --deadline 12d "
    "--plot cdf.png": check_route_reliability,
    "corridor route Almaty Tehran --pareto --depart 2026-12-01T08:00 --plot front.png": (
        check_route_pareto
    ),
    "corridor route Almaty Tehran --mode road --crew 2": check_route_crew,
    'corridor route Moscow "Bandar Abbas" --via IR_ASTARA': check_route_via,
    "corridor validate-model": check_validate_model,
    "corridor network check PATH": check_network_check,
    "corridor network summary [PATH]": check_network_summary,
    "corridor network export PATH --geojson out.geojson [--gmns out_folder]": (
        check_network_export
    ),
    f"corridor assign --tntp {SIOUX} --method bfw --gap 1e-5 --json": check_assign,
    "corridor flows --growth KAZ-IRN=1.5 --map flows.png": check_flows_map,
    "corridor flows --path 1.1 --steps 15 --calibrate --json": check_flows_json,
    "corridor scenario run examples/scenarios/trade_plus_50.toml": check_scenario_run,
    "corridor scenario compare examples/scenarios/trade_plus_50.toml "
    "examples/scenarios/trade_plus_50_rasht_astara.toml": check_scenario_compare,
    "corridor scenario criticality --workers 2": check_scenario_criticality,
    "corridor scenario sweep examples/scenarios/trade_plus_50.toml "
    "examples/scenarios/bolashak_dwell_halved.toml --growth 1.0 --growth 1.5 --seed 1 --seed 2": (
        check_scenario_sweep
    ),
}


def test_every_readme_command_has_a_check() -> None:
    assert readme_commands() == list(CHECKS)


@pytest.mark.parametrize("line", list(CHECKS))
def test_readme_command(
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)

    def run(args: list[str]) -> tuple[int, str, str]:
        code = main(args)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    CHECKS[line](run, tmp_path, shlex.split(line)[1:])


def test_every_command_takes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    good, _ = _folders(tmp_path)
    net = _sioux(tmp_path)
    commands = [
        ["places", "--kind", "port"],
        ["route", "Aktau", "Tehran", "--k", "1"],
        ["network", "check", good],
        ["network", "summary"],
        ["network", "export", good, "--geojson", "x.geojson"],
        ["assign", "--tntp", net, "--method", "aon"],
        ["ferries", "list"],
        ["flows"],
        ["scenario", "list"],
        ["validate-model"],
    ]
    monkeypatch.setenv("CORRIDOR_HOME", str(tmp_path / "home"))
    from corridor.cli.main import build_app

    names = {c.name for c in build_app().registered_commands}
    names |= {g.name for g in build_app().registered_groups}
    # `serve` runs a server until stopped: it prints no result to give as JSON
    assert names - {"serve"} == {c[0] for c in commands}  # a new command must be added here
    for args in commands:
        assert main([*args, "--json"]) == 0, args
        json.loads(capsys.readouterr().out)


def test_make_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    makefile = (REPO / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if "$(BIN)/corridor route" in x)
    args = shlex.split(line.split("$(BIN)/corridor", 1)[1])
    assert main([*args, "--samples", "500"]) == 0
    out = capsys.readouterr().out
    assert "Almaty -> Tehran: 2 x container_40ft" in out
    assert "P90" in out


def test_python_api_block() -> None:
    lines = _block("## Python API", "python")
    scope: dict[str, object] = {}
    for line in lines:
        code, _, comment = line.partition("#")
        exec(code, scope)
        expected = comment.strip().split()[0] if comment.strip() else ""
        if expected.startswith("'"):
            value = eval(code.strip(), scope)
            assert repr(value) == expected, (line, value)
