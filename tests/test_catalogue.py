"""The catalogue of bad inputs (issue 16): each row is one bad or odd input, through the CLI
or the Python API, with what must come back.

CLI rows: the exit code, and for exit 2 exactly one line on stderr that starts with
``error:``, names the option (where one is at fault) and holds the message fragment; no
traceback, nothing on stdout. API rows: the CorridorError class, the argument it names
(``InputError.argument``) and the message fragment. The reader cases (damaged files of
every format) are in tests/network/test_catalogue_readers.py and are not repeated here.

Paths in CLI rows are templates: ``{tmp}`` a fresh folder, ``{tiny}`` a valid GMNS folder,
``{bad}`` an invalid one (a dangling link), ``{file}`` an existing plain file, ``{net}`` and
``{trips}`` a small valid TNTP network and trip table, ``{net:NAME}`` a TNTP network with
one damaged figure (see NETS).
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor
from corridor.cli.main import main
from corridor.errors import (
    CorridorError,
    FormatError,
    InputError,
    NetworkValidationError,
    NoRouteError,
    PlaceNotFoundError,
)
from corridor.testing import tiny_network

DEPART = "2026-12-01T08:00"
ROUTE = ["route", "Almaty", "Tehran"]
REL = [*ROUTE, "--depart", DEPART, "--reliability", "--samples", "50"]

TRIPS = (
    "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 10\n<END OF METADATA>\n\n"
    "Origin 1\n2 : 10.0;\nOrigin 2\n1 : 0.0;\n"
)
NET_HEAD = (
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n"
    "<NUMBER OF LINKS> 3\n<END OF METADATA>\n"
    "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
)
#: TNTP networks: a good one, and one per damaged figure (row 1 is the one changed).
NETS = {
    "good": ("100", "0.15", "4"),
    "negative_capacity": ("-100", "0.15", "4"),
    "negative_b": ("100", "-0.15", "4"),
    "negative_power": ("100", "0.15", "-4"),
    "tiny_capacity": ("1e-300", "0.15", "4"),
    "nan_capacity": ("nan", "0.15", "4"),
    "power_one": ("100", "0.15", "1"),
}


def _net_text(capacity: str, b: str, power: str) -> str:
    rows = [
        f"1\t3\t{capacity}\t1\t1\t{b}\t{power}\t0\t0\t1\t;\n",
        "3\t2\t100\t1\t1\t0.15\t4\t0\t0\t1\t;\n",
        "1\t2\t100\t1\t10\t0.15\t4\t0\t0\t1\t;\n",
    ]
    return NET_HEAD + "".join(rows)


@dataclass(frozen=True)
class Cli:
    """A command line and what must come back."""

    args: tuple[str, ...]
    says: str
    code: int = 2
    flag: str = ""  # the option the one line must name first ("--units")
    not_written: tuple[str, ...] = ()  # paths (templates) that must not exist afterwards

    def __str__(self) -> str:
        return " ".join(self.args)[:80]


def cli(*args: str, says: str, flag: str = "", code: int = 2, not_written: tuple[str, ...] = ()):
    return Cli(tuple(args), says, code, flag, not_written)


CLI_CASES: list[Cli] = [
    # ------------------------------------------------------------------ route: numbers
    cli(*ROUTE, "--units", "1e308", says="<= 1e+09, got 1e+308", flag="--units"),
    cli(*ROUTE, "--units", "1e29", says="<= 1e+09", flag="--units"),
    cli(*ROUTE, "--units", "0", says="> 0", flag="--units"),
    cli(*ROUTE, "--units", "-1", says="> 0", flag="--units"),
    cli(*ROUTE, "--units", "nan", says="finite number", flag="--units"),
    cli(*ROUTE, "--units", "inf", says="finite number", flag="--units"),
    cli(*ROUTE, "--units", "two", says="'--units'"),
    cli(*ROUTE, "--k", "0", says="from 1 to 100", flag="--k"),
    cli(*ROUTE, "--k", "10000", says="from 1 to 100, got 10000", flag="--k"),
    cli(*ROUTE, "--k", "-3", says="from 1 to 100", flag="--k"),
    cli(*ROUTE, "--k", "2.5", says="'--k'"),
    cli(*ROUTE, "--value-of-time", "-1", says=">= 0", flag="--value-of-time"),
    cli(*ROUTE, "--value-of-time", "nan", says="finite number", flag="--value-of-time"),
    cli(*ROUTE, "--value-of-time", "inf", says="finite number", flag="--value-of-time"),
    cli(*ROUTE, "--carbon-price", "-5", says=">= 0", flag="--carbon-price"),
    cli(*ROUTE, "--carbon-price", "1e12", says="<= 1e+09", flag="--carbon-price"),
    # ------------------------------------------------------------- route: simulation
    cli(*REL, "--samples", "0", says="samples", flag="--samples"),
    cli(*REL, "--samples", "-5", says="samples", flag="--samples"),
    cli(*REL, "--samples", "100000000", says="samples", flag="--samples"),
    cli(*REL, "--samples", "1e3", says="'--samples'"),
    cli(*REL, "--seed", "-1", says="from 0 to 2**63 - 1, got -1", flag="--seed"),
    cli(*REL, "--seed", str(2**64), says="seed", flag="--seed"),
    cli(*ROUTE, "--reliability", says="need --depart", flag="--depart"),
    cli(*ROUTE, "--objective", "p90_time", says="need --depart", flag="--depart"),
    cli(*ROUTE, "--deadline", "12d", says="need --depart", flag="--depart"),
    cli(*ROUTE, "--plot", "{tmp}/cdf.png", says="need --depart", flag="--depart"),
    cli(*ROUTE, "--depart", "yesterday", "--reliability", says="yesterday", flag="--depart"),
    cli(*ROUTE, "--depart", "2026-13-01", "--reliability", says="2026-13-01", flag="--depart"),
    cli(*ROUTE, "--depart", DEPART, "--deadline", "twelve days", says="twelve", flag="--deadline"),
    cli(*ROUTE, "--depart", DEPART, "--deadline", "0d", says="deadline", flag="--deadline"),
    cli(*ROUTE, "--depart", DEPART, "--deadline", "-3h", says="deadline", flag="--deadline"),
    # ---------------------------------------------------------- route: names and modes
    cli(*ROUTE, "--objective", "fastest", says="fastest", flag="--objective"),
    cli(*ROUTE, "--cargo", "pianos", says="unknown cargo", flag="--cargo"),
    cli(*ROUTE, "--cargo", " ", says="cargo class name", flag="--cargo"),
    cli(*ROUTE, "--mode", "hovercraft", says="unknown mode", flag="--mode"),
    cli(*ROUTE, "--mode", "", says="non-empty", flag="--mode"),
    cli(*ROUTE, "--avoid-country", "XYZ", says="XYZ", flag="--avoid-country"),
    cli(*ROUTE, "--avoid-country", "", says="non-empty", flag="--avoid-country"),
    cli(*ROUTE, "--avoid-place", "Nowhereville", says="unknown place 'Nowhereville'"),
    cli(*ROUTE, "--via", "Nowhereville", says="unknown place 'Nowhereville'"),
    cli(
        *ROUTE, *[a for i in range(21) for a in ("--via", f"P{i}")], says="at most 20", flag="--via"
    ),
    cli("route", "Almatyy", "Tehran", says="did you mean 'Almaty'"),
    cli("route", "Almaty", "almaty", says="same place"),
    cli("route", " ", "Tehran", says="place name or id", flag="ORIGIN"),
    cli("route", "Almaty", says="Missing argument"),
    cli(*ROUTE, "--fast", says="No such option"),
    # ------------------------------------------------------------ route: output paths
    cli(*ROUTE, "--geojson", "/no/such/dir/x.geojson", says="does not exist", flag="--geojson"),
    cli(*ROUTE, "--geojson", "{tmp}", says="is a folder", flag="--geojson"),
    cli(*ROUTE, "--geojson", "{file}/x.geojson", says="not a folder", flag="--geojson"),
    cli(
        *ROUTE,
        "--depart",
        DEPART,
        "--plot",
        "/no/such/dir/cdf.png",
        says="does not exist",
        flag="--plot",
    ),
    cli(*ROUTE, "--depart", DEPART, "--plot", "{tmp}", says="is a folder", flag="--plot"),
    # --------------------------------------------------------------- route: networks
    cli(*ROUTE, "--network", "/no/such/net", says="no such file or folder"),
    cli(*ROUTE, "--network", "{tmp}/x.geojson", says="no such file"),
    cli(*ROUTE, "--network", "{file}", says="unknown network format"),
    cli(*ROUTE, "--network", "{bad}", says="invalid network"),
    # ------------------------------------------------------------------------- places
    cli("places", "--country", "XX", says="country 'XX'", flag="--country"),
    cli("places", "--country", "", says="country ''", flag="--country"),
    cli("places", "--country", "X[/y]", says="country 'X[/y]'", flag="--country"),
    cli("places", "--kind", "volcano", says="kind 'volcano'", flag="--kind"),
    cli("places", "--kind", "", says="allowed: city", flag="--kind"),
    cli("places", "--network", "/no/such/net", says="no such file or folder"),
    cli("places", "--network", "{bad}", says="invalid network"),
    cli("places", "extra", says="unexpected extra argument"),
    # ------------------------------------------------------------------------ network
    cli("network", "check", "/no/such/net", says="no such file or folder"),
    cli("network", "check", "{tmp}/x.geojson", says="no such file or folder"),
    cli("network", "check", says="Missing argument"),
    cli("network", "summary", "/no/such/net", says="no such file or folder"),
    cli("network", "summary", "{bad}", says="first: links"),
    cli("network", "export", "{tiny}", says="give --geojson", flag="--geojson"),
    cli(
        "network",
        "export",
        "{tiny}",
        "--geojson",
        "/no/such/dir/x.geojson",
        says="does not exist",
        flag="--geojson",
    ),
    cli(
        "network",
        "export",
        "{tiny}",
        "--geojson",
        "{tmp}/a.geojson",
        "--gmns",
        "{file}",
        says="is a file",
        flag="--gmns",
        not_written=("{tmp}/a.geojson",),
    ),
    cli(
        "network",
        "export",
        "{tiny}",
        "--gmns",
        "{tmp}",
        says="holds other files",
        flag="--gmns",
    ),
    cli("network", "export", "{tiny}", "--geojson", "{tmp}", says="is a folder", flag="--geojson"),
    cli(
        "network",
        "export",
        "{bad}",
        "--geojson",
        "{tmp}/b.geojson",
        "--gmns",
        "{tmp}/g",
        says="invalid network",
        not_written=("{tmp}/b.geojson", "{tmp}/g"),
    ),
    cli(
        "network",
        "export",
        "{tiny}",
        "--geojson",
        "{tiny}/x.geojson",
        "--gmns",
        "{tiny}",
        says="inside the --gmns folder",
        flag="--geojson",
        not_written=("{tiny}/x.geojson",),
    ),
    cli("network", "export", "/no/such/net", "--geojson", "{tmp}/c.geojson", says="no such"),
    cli("network", "frobnicate", says="No such command"),
    cli("no-such-command", says="No such command"),
    # ------------------------------------------------------------------ assign: options
    cli("assign", "--tntp", "{net}", "--gap", "2", says="< 1, got 2", flag="--gap"),
    cli("assign", "--tntp", "{net}", "--gap", "1", says="< 1", flag="--gap"),
    cli("assign", "--tntp", "{net}", "--gap", "-1", says=">= 0", flag="--gap"),
    cli("assign", "--tntp", "{net}", "--gap", "nan", says="finite", flag="--gap"),
    cli("assign", "--tntp", "{net}", "--max-iter", "0", says="from 1", flag="--max-iter"),
    cli("assign", "--tntp", "{net}", "--max-iter", "-5", says="from 1", flag="--max-iter"),
    cli("assign", "--tntp", "{net}", "--max-iter", "nan", says="'--max-iter'"),
    cli("assign", "--tntp", "{net}", "--max-iter", "20000000", says="10000000", flag="--max-iter"),
    cli("assign", "--tntp", "{net}", "--method", "foo", says="unknown 'foo'", flag="--method"),
    cli("assign", "--tntp", "{net}", "--vdf", "foo", says="unknown 'foo'", flag="--vdf"),
    cli("assign", "--tntp", "{net}", "--toll-factor", "-1", says=">= 0", flag="--toll-factor"),
    cli(
        "assign",
        "--tntp",
        "{net}",
        "--distance-factor",
        "inf",
        says="finite",
        flag="--distance-factor",
    ),
    cli(
        "assign",
        "--tntp",
        "{net}",
        "--distance-factor",
        "nan",
        says="finite",
        flag="--distance-factor",
    ),
    cli("assign", "--tntp", "{net}", "--threads", "0", says="from 1", flag="--threads"),
    cli("assign", says="Missing option '--tntp'"),
    # options are checked before any file is read
    cli("assign", "--tntp", "/no/such_net.tntp", "--gap", "2", says="< 1", flag="--gap"),
    # -------------------------------------------------------------- assign: input paths
    cli("assign", "--tntp", "{tmp}", says="is a folder", flag="--tntp"),
    cli("assign", "--tntp", "/no/such_net.tntp", says="no such file", flag="--tntp"),
    cli("assign", "--tntp", "{file}", says="pass --trips", flag="--trips"),
    cli(
        "assign",
        "--tntp",
        "{net}",
        "--trips",
        "/no/such_trips.tntp",
        says="no such",
        flag="--trips",
    ),
    cli("assign", "--tntp", "{net}", "--trips", "{tmp}", says="is a folder", flag="--trips"),
    # ------------------------------------------------------------- assign: output path
    cli(
        "assign",
        "--tntp",
        "{net}",
        "--flows-out",
        "{file}/out.csv",
        says="not a folder",
        flag="--flows-out",
    ),
    cli(
        "assign",
        "--tntp",
        "{net}",
        "--flows-out",
        "/no/such/dir/out.csv",
        says="does not exist",
        flag="--flows-out",
    ),
    cli(
        "assign", "--tntp", "{net}", "--flows-out", "{tmp}", says="is a folder", flag="--flows-out"
    ),
    # ------------------------------------------- assign: the network, as network check
    cli("assign", "--tntp", "{net:negative_capacity}", says="[capacity]: -100.0 is negative"),
    cli("assign", "--tntp", "{net:negative_b}", says="[b]: -0.15 is negative"),
    cli("assign", "--tntp", "{net:negative_power}", says="[power]: -4.0 is negative"),
    cli("assign", "--tntp", "{net:nan_capacity}", says="capacity is not finite"),
    cli("assign", "--tntp", "{net:tiny_capacity}", says="beyond what a float holds", flag="--tntp"),
    cli("assign", "--tntp", "{net:power_one}", "--vdf", "conical", says="power > 1", flag="--vdf"),
    # ------------------------------------------------------------------- not errors
    cli("assign", "--tntp", "{net}", "--method", "aon", says="", code=0),
    cli(*ROUTE, "--k", "1", says="", code=0),
    cli("places", "--country", "KZ", says="", code=0),
    cli("network", "check", "{tiny}", says="", code=0),
]


def _files(tmp: Path) -> dict[str, str]:
    from corridor.network.gmns import write_gmns

    write_gmns(tiny_network(), tmp / "tiny")
    bad = tmp / "bad"
    write_gmns(tiny_network(), bad)
    link = bad / "link.csv"
    link.write_text(link.read_text().replace("AB,A,B,rail_1520", "AB,A,Z,rail_1520"))
    (tmp / "plain.txt").write_text("not a network\n")
    out = {"{tiny}": str(tmp / "tiny"), "{bad}": str(bad), "{file}": str(tmp / "plain.txt")}
    for name, figures in NETS.items():
        folder = tmp / f"tntp_{name}"
        folder.mkdir()
        (folder / "x_net.tntp").write_text(_net_text(*figures))
        (folder / "x_trips.tntp").write_text(TRIPS)
        out["{net}" if name == "good" else f"{{net:{name}}}"] = str(folder / "x_net.tntp")
    out["{trips}"] = str(tmp / "tntp_good" / "x_trips.tntp")
    work = tmp / "work"
    work.mkdir()
    (work / "other.txt").write_text("someone else's file\n")  # a --gmns folder that is not ours
    out["{tmp}"] = str(work)
    return out


def _fill(text: str, files: dict[str, str]) -> str:
    for key, value in files.items():
        text = text.replace(key, value)
    return text


@pytest.mark.parametrize("case", CLI_CASES, ids=str)
def test_cli(
    case: Cli,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = _files(tmp_path)
    args = [_fill(a, files) for a in case.args]
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning leaks (--k 10000 did)
        code = main(args)
    out, err = capsys.readouterr()
    assert code == case.code, (code, out, err)
    assert "Traceback" not in out + err
    if case.code == 2:
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("error: "), err
        assert case.says in lines[0], (case.says, lines[0])
        if case.flag:
            assert lines[0].startswith(f"error: {case.flag}: "), lines[0]
        if args[0] != "network" or args[1:2] != ["check"]:
            assert out == "", out
    for path in case.not_written:
        assert not Path(_fill(path, files)).exists(), path


# ---------------------------------------------------------------------------- the API
@dataclass(frozen=True)
class Api:
    """A call and the error it must raise."""

    name: str
    call: Callable[[Any], object]  # called with the fixtures (a namespace)
    error: type[CorridorError]
    says: str
    argument: str | None = field(default=None)

    def __str__(self) -> str:
        return self.name


class _Fixtures:
    def __init__(self, tmp: Path) -> None:
        from corridor.assignment.testing import two_route_demand, two_route_network

        self.net = _default()
        self.tmp = tmp
        self.tn = two_route_network()
        self.td = two_route_demand()

    def route1(self) -> Any:
        return corridor.route(self.net, "Almaty", "Tehran", k=1)[0]

    def tn_with(self, **figures: float) -> Any:
        links = self.tn.links
        for col, value in figures.items():
            links.loc[0, col] = value
        return self.tn.replace(links=links)


_NET: list[Any] = []


def _default() -> Any:
    if not _NET:
        _NET.append(corridor.load_default())
    return _NET[0]


def api(
    name: str,
    call: Callable[[Any], object],
    error: type[CorridorError],
    says: str,
    argument: str | None = None,
) -> Api:
    return Api(name, call, error, says, argument)


def _route(**options: object) -> Callable[[Any], object]:
    return lambda f: corridor.route(f.net, "Almaty", "Tehran", **options)


def _search(**options: object) -> Callable[[Any], object]:
    return lambda f: corridor.search_routes(f.net, "Almaty", "Tehran", **options)


def _assign(**options: object) -> Callable[[Any], object]:
    return lambda f: corridor.assign(f.tn, f.td, **options)


NAN, INF = math.nan, math.inf

API_CASES: list[Api] = [
    # --------------------------------------------------------------- route: sequences
    api("modes=[]", _route(modes=[]), InputError, "at least one mode", "modes"),
    api("modes=['']", _route(modes=[""]), InputError, "non-empty", "modes"),
    api("modes=5", _route(modes=5), InputError, "a name or a list", "modes"),
    api("modes=['road', 3]", _route(modes=["road", 3]), InputError, "non-empty names", "modes"),
    api("modes='hovercraft'", _route(modes="hovercraft"), InputError, "hovercraft"),
    api(
        "avoid_countries=123",
        _route(avoid_countries=123),
        InputError,
        "a name or a list",
        "avoid_countries",
    ),
    api("avoid_countries=['T']", _route(avoid_countries=["T"]), InputError, "'T'"),
    api(
        "avoid_countries={'TKM': 1}",
        _route(avoid_countries={"TKM": 1}),
        InputError,
        "a name or a list",
        "avoid_countries",
    ),
    api(
        "avoid_places=[None]",
        _route(avoid_places=[None]),
        InputError,
        "non-empty names",
        "avoid_places",
    ),
    api(
        "avoid_places=b'x'",
        _route(avoid_places=b"Ashgabat"),
        InputError,
        "a name or a list",
        "avoid_places",
    ),
    api("via=['Nowhere']", _route(via=["Nowhereville"]), PlaceNotFoundError, "Nowhereville"),
    api("via=21 places", _route(via=[f"P{i}" for i in range(21)]), InputError, "at most 20", "via"),
    # ---------------------------------------------------------------- route: numbers
    api("units='2'", _route(units="2"), InputError, "must be a number, got '2'", "units"),
    api("units=None", _route(units=None), InputError, "must be a number", "units"),
    api("units=True", _route(units=True), InputError, "must be a number", "units"),
    api("units=1e308", _route(units=1e308), InputError, "<= 1e+09", "units"),
    api("units=1e29", _route(units=1e29), InputError, "<= 1e+09", "units"),
    api("units=0", _route(units=0), InputError, "> 0", "units"),
    api("units=-1", _route(units=-1), InputError, "> 0", "units"),
    api("units=nan", _route(units=NAN), InputError, "finite", "units"),
    api("units=inf", _route(units=INF), InputError, "finite", "units"),
    api("k=0", _route(k=0), InputError, "from 1 to 100", "k"),
    api("k=10000", _route(k=10000), InputError, "from 1 to 100", "k"),
    api("k=2.5", _route(k=2.5), InputError, "whole number", "k"),
    api("k='3'", _route(k="3"), InputError, "whole number", "k"),
    api("k=True", _route(k=True), InputError, "whole number", "k"),
    api(
        "value_of_time=-1",
        _route(value_of_time_usd_per_h=-1),
        InputError,
        ">= 0",
        "value_of_time_usd_per_h",
    ),
    api(
        "value_of_time=nan",
        _route(value_of_time_usd_per_h=NAN),
        InputError,
        "finite",
        "value_of_time_usd_per_h",
    ),
    api(
        "value_of_time='5'",
        _route(value_of_time_usd_per_h="5"),
        InputError,
        "number",
        "value_of_time_usd_per_h",
    ),
    api(
        "carbon_price=-1",
        _route(carbon_price_usd_per_t=-1),
        InputError,
        ">= 0",
        "carbon_price_usd_per_t",
    ),
    api(
        "carbon_price=inf",
        _route(carbon_price_usd_per_t=INF),
        InputError,
        "finite",
        "carbon_price_usd_per_t",
    ),
    # -------------------------------------------------------- route: names and types
    api("cargo=None", _route(cargo=None), InputError, "cargo class name", "cargo"),
    api("cargo=''", _route(cargo=""), InputError, "cargo class name", "cargo"),
    api("cargo=5", _route(cargo=5), InputError, "cargo class name", "cargo"),
    api("cargo='pianos'", _route(cargo="pianos"), InputError, "unknown cargo"),
    api("objective='nope'", _route(objective="nope"), InputError, "nope", "objective"),
    api("objective=None", _route(objective=None), InputError, "None", "objective"),
    api("p90 without depart", _route(objective="p90_time"), InputError, "depart", "depart"),
    api(
        "include_planned='yes'",
        _route(include_planned="yes"),
        InputError,
        "True or False",
        "include_planned",
    ),
    api(
        "origin=None",
        lambda f: corridor.route(f.net, None, "Tehran"),
        InputError,
        "place name or id",
        "origin",
    ),
    api(
        "origin=''",
        lambda f: corridor.route(f.net, "", "Tehran"),
        InputError,
        "place name or id",
        "origin",
    ),
    api(
        "origin=5",
        lambda f: corridor.route(f.net, 5, "Tehran"),
        InputError,
        "place name or id",
        "origin",
    ),
    api(
        "destination=None",
        lambda f: corridor.route(f.net, "Almaty", None),
        InputError,
        "place name or id",
        "destination",
    ),
    api(
        "origin unknown",
        lambda f: corridor.route(f.net, "Almatyy", "Tehran"),
        PlaceNotFoundError,
        "did you mean",
    ),
    api(
        "same place",
        lambda f: corridor.route(f.net, "Almaty", "KZ_ALMATY"),
        InputError,
        "same place",
    ),
    api(
        "network='not a network'",
        lambda f: corridor.route("not a network", "A", "B"),
        InputError,
        "corridor Network",
        "network",
    ),
    api(
        "network=None",
        lambda f: corridor.route(None, "A", "B"),
        InputError,
        "corridor Network",
        "network",
    ),
    api("unknown option", _route(fastest=True), InputError, "fastest", "fastest"),
    # ---------------------------------------------------------- route: simulation
    api(
        "depart as text", _route(depart=DEPART, reliability=True), InputError, "datetime", "depart"
    ),
    api(
        "samples=0",
        _route(depart=pd.Timestamp(DEPART).to_pydatetime(), reliability=True, samples=0),
        InputError,
        "samples",
        "samples",
    ),
    api(
        "samples=1.5",
        _route(depart=pd.Timestamp(DEPART).to_pydatetime(), reliability=True, samples=1.5),
        InputError,
        "samples",
        "samples",
    ),
    api(
        "seed=-1",
        _route(depart=pd.Timestamp(DEPART).to_pydatetime(), reliability=True, seed=-1),
        InputError,
        "seed",
        "seed",
    ),
    api(
        "seed=1.5",
        _route(depart=pd.Timestamp(DEPART).to_pydatetime(), reliability=True, seed=1.5),
        InputError,
        "seed",
        "seed",
    ),
    api(
        "deadline_h=-1",
        _route(depart=pd.Timestamp(DEPART).to_pydatetime(), reliability=True, deadline_h=-1),
        InputError,
        "deadline_h",
        "deadline_h",
    ),
    api(
        "deadline_h=nan",
        _route(depart=pd.Timestamp(DEPART).to_pydatetime(), reliability=True, deadline_h=NAN),
        InputError,
        "deadline_h",
        "deadline_h",
    ),
    api("reliability='yes'", _route(reliability="yes"), InputError, "True or False", "reliability"),
    api(
        "simulate samples=0",
        lambda f: corridor.simulate_route(
            f.net, f.route1(), depart=pd.Timestamp(DEPART).to_pydatetime(), samples=0
        ),
        InputError,
        "samples",
        "samples",
    ),
    api(
        "simulate seed=-1",
        lambda f: corridor.simulate_route(
            f.net, f.route1(), depart=pd.Timestamp(DEPART).to_pydatetime(), seed=-1
        ),
        InputError,
        "seed",
        "seed",
    ),
    api(
        "simulate depart='x'",
        lambda f: corridor.simulate_route(f.net, f.route1(), depart="x"),
        InputError,
        "datetime",
        "depart",
    ),
    # ----------------------------------------------------------------- search_routes
    api("search modes=[]", _search(modes=[]), InputError, "at least one mode", "modes"),
    api("search units='2'", _search(units="2"), InputError, "number", "units"),
    api("search k=0", _search(k=0), InputError, "from 1 to 100", "k"),
    api("search p90_time", _search(objective="p90_time"), InputError, "p90_time", "objective"),
    api("search ferry only", _search(modes=["ferry"]), InputError, "contradictory options"),
    api(
        "search no way",
        _search(modes=["road"], avoid_countries=["TKM", "AZE", "RUS"]),
        NoRouteError,
        "road",
    ),
    # ------------------------------------------------------------------ places
    api(
        "find_place(None)",
        lambda f: corridor.find_place(f.net, None),
        InputError,
        "place id, name or alias",
        "query",
    ),
    api(
        "find_place('')",
        lambda f: corridor.find_place(f.net, ""),
        InputError,
        "place id, name or alias",
        "query",
    ),
    api(
        "find_place(5)",
        lambda f: corridor.find_place(f.net, 5),
        InputError,
        "place id, name or alias",
        "query",
    ),
    api(
        "find_place('x', ...)",
        lambda f: corridor.find_place("x", "Aktau"),
        InputError,
        "corridor Network",
        "network",
    ),
    api(
        "search_places(country=1)",
        lambda f: corridor.search_places(f.net, country=1),
        InputError,
        "country 1",
        "country",
    ),
    api(
        "search_places(country='XX')",
        lambda f: corridor.search_places(f.net, country="XX"),
        InputError,
        "country 'XX'",
        "country",
    ),
    api(
        "search_places(kind='volcano')",
        lambda f: corridor.search_places(f.net, kind="volcano"),
        InputError,
        "kind 'volcano'",
        "kind",
    ),
    api(
        "search_places(kind=3)",
        lambda f: corridor.search_places(f.net, kind=3),
        InputError,
        "kind 3",
        "kind",
    ),
    api(
        "search_places(None)",
        lambda f: corridor.search_places(None),
        InputError,
        "corridor Network",
        "network",
    ),
    # ---------------------------------------------------------- validation and files
    api("validate('x')", lambda f: corridor.validate("x"), InputError, "Network", "network"),
    api("validate(None)", lambda f: corridor.validate(None), InputError, "Network", "network"),
    api("read_gmns(None)", lambda f: corridor.read_gmns(None), InputError, "path", "path"),
    api("read_gmns(5)", lambda f: corridor.read_gmns(5), InputError, "path", "path"),
    api("read_network(None)", lambda f: corridor.read_network(None), InputError, "path", "path"),
    api(
        "read_network(missing)",
        lambda f: corridor.read_network(f.tmp / "missing"),
        FormatError,
        "no such file",
    ),
    api(
        "write_gmns(net, None)",
        lambda f: corridor.write_gmns(f.net, None),
        InputError,
        "path",
        "path",
    ),
    api(
        "write_gmns(net, '')", lambda f: corridor.write_gmns(f.net, ""), InputError, "path", "path"
    ),
    api(
        "write_gmns('x', path)",
        lambda f: corridor.write_gmns("x", f.tmp / "g"),
        InputError,
        "Network",
        "network",
    ),
    api(
        "write_geojson(net, None)",
        lambda f: corridor.write_geojson(f.net, None),
        InputError,
        "path",
        "path",
    ),
    api(
        "write_geojson(None, path)",
        lambda f: corridor.write_geojson(None, f.tmp / "x.geojson"),
        InputError,
        "Network",
        "network",
    ),
    api(
        "write_geojson(net, folder)",
        lambda f: corridor.write_geojson(f.net, f.tmp),
        InputError,
        "folder",
        "path",
    ),
    api("to_geojson('x')", lambda f: corridor.to_geojson("x"), InputError, "Network", "network"),
    api("Demand(None, None)", lambda f: corridor.Demand(None, None), InputError, "zones", "zones"),
    api(
        "Demand('12', matrix)",
        lambda f: corridor.Demand("12", np.ones((2, 2))),
        InputError,
        "single string",
        "zones",
    ),
    # -------------------------------------------------------------------- assign
    api("assign(net, None)", lambda f: corridor.assign(f.tn, None), InputError, "Demand", "demand"),
    api(
        "assign('x', demand)",
        lambda f: corridor.assign("x", f.td),
        InputError,
        "Network",
        "network",
    ),
    api(
        "assign max_iter=nan",
        _assign(max_iter=NAN, method="msa"),
        InputError,
        "whole number",
        "max_iter",
    ),
    api("assign max_iter=0", _assign(max_iter=0), InputError, "whole number", "max_iter"),
    api("assign max_iter=2.5", _assign(max_iter=2.5), InputError, "whole number", "max_iter"),
    api("assign gap=2", _assign(gap=2), InputError, "< 1", "gap"),
    api("assign gap=-1", _assign(gap=-1), InputError, ">= 0", "gap"),
    api("assign gap=nan", _assign(gap=NAN), InputError, "finite", "gap"),
    api("assign gap='1e-4'", _assign(gap="1e-4"), InputError, "number", "gap"),
    api("assign method='x'", _assign(method="x"), InputError, "unknown 'x'", "method"),
    api("assign method=None", _assign(method=None), InputError, "unknown None", "method"),
    api("assign vdf='x'", _assign(vdf="x"), InputError, "unknown 'x'", "vdf"),
    api("assign threads=0", _assign(threads=0), InputError, "whole number", "threads"),
    api("assign threads=1.5", _assign(threads=1.5), InputError, "whole number", "threads"),
    api("assign toll_factor=-1", _assign(toll_factor=-1), InputError, ">= 0", "toll_factor"),
    api("assign toll_factor=nan", _assign(toll_factor=NAN), InputError, "finite", "toll_factor"),
    api(
        "assign distance_factor=inf",
        _assign(distance_factor=INF),
        InputError,
        "finite",
        "distance_factor",
    ),
    api("assign progress=5", _assign(progress=5), InputError, "callable", "progress"),
    api(
        "assign negative b",
        lambda f: corridor.assign(f.tn_with(b=-1.0), f.td, method="fw"),
        InputError,
        "has b -1.0",
        "network",
    ),
    api(
        "assign negative power",
        lambda f: corridor.assign(f.tn_with(power=-2.0), f.td, method="fw"),
        InputError,
        "has power -2.0",
        "network",
    ),
    api(
        "assign tiny capacity",
        lambda f: corridor.assign(f.tn_with(capacity=1e-300, power=4.0), f.td, method="bush"),
        InputError,
        "beyond what a float holds",
        "network",
    ),
    api(
        "assign negative free_flow_time",
        lambda f: corridor.assign(f.tn_with(free_flow_time=-1.0), f.td),
        InputError,
        "free_flow_time",
        "network",
    ),
    api(
        "validate negative capacity",
        lambda f: corridor.validate(f.tn_with(capacity=-5.0)),
        NetworkValidationError,
        "invalid network",
    ),
]


@pytest.mark.parametrize("case", API_CASES, ids=str)
def test_api(case: Api, tmp_path: Path) -> None:
    fixtures = _Fixtures(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CorridorError) as info:
            case.call(fixtures)
    assert type(info.value) is case.error, (type(info.value), info.value)
    assert case.says in str(info.value), (case.says, str(info.value))
    if case.argument is not None:
        assert getattr(info.value, "argument", None) == case.argument, info.value
    if isinstance(info.value, InputError) and case.argument is not None:
        # the value and what is allowed travel with the error, for programs
        assert info.value.to_dict()["argument"] == case.argument


def test_catalogue_size() -> None:
    assert len(CLI_CASES) + len(API_CASES) >= 150
    assert len({str(c) for c in API_CASES}) == len(API_CASES)


# ------------------------------------------------------------ strings as one item
@pytest.mark.parametrize(
    ("options", "check"),
    [
        ({"avoid_countries": "TKM"}, lambda r: "TKM" not in r.countries),
        (
            {"modes": "road"},
            lambda r: {leg.mode for leg in r.legs if leg.kind == "run"} == {"road"},
        ),
        (
            {"avoid_places": "Ashgabat"},
            lambda r: "TM_ASHGABAT" not in {leg.to_id for leg in r.legs},
        ),
    ],
    ids=["avoid_countries='TKM'", "modes='road'", "avoid_places='Ashgabat'"],
)
def test_a_string_is_one_item(options: dict[str, object], check: Callable[[Any], bool]) -> None:
    for fn in (corridor.route, corridor.search_routes):
        routes = fn(_default(), "Almaty", "Tehran", k=2, **options)
        assert routes
        assert all(check(r) for r in routes), options


def test_markup_in_names_is_printed_as_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from corridor.cli._common import console
    from corridor.cli.route import run_route
    from corridor.network.gmns import write_gmns
    from corridor.testing import ferry_network

    net = ferry_network()
    places = net.places
    places.loc[0, "name"] = "Alpha[/x]"
    places.loc[1, "name"] = "[bold]Bravo :warning:"
    net = net.replace(places=places)
    write_gmns(net, tmp_path / "net")
    assert main(["places", "--network", str(tmp_path / "net")]) == 0
    out = capsys.readouterr().out
    assert "Alpha[/x]" in out
    assert "[bold]Bravo :warning:" in out
    assert main(["network", "check", str(tmp_path / "net")]) == 0
    c = console()
    c.file = io.StringIO()
    run_route(net, "A", "B", k=1, console=c)
    assert "Alpha[/x]" in c.file.getvalue()
    assert main(["route", "A", "B", "--network", str(tmp_path / "net"), "--k", "1"]) == 0
    assert "Alpha[/x]" in capsys.readouterr().out


def test_network_check_groups_repeated_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n = 40
    nodes = "node_id,name,x_coord,y_coord\n" + "".join(f"N{i},N{i},,\n" for i in range(n))
    links = "link_id,from_node_id,to_node_id,mode,length\n" + "".join(
        f"L{i},N{i},N{i + 1},road,10\n" for i in range(n - 1)
    )
    folder = tmp_path / "grid"
    folder.mkdir()
    (folder / "node.csv").write_text(nodes)
    (folder / "link.csv").write_text(links)
    assert main(["network", "check", str(folder)]) == 0
    _, err = capsys.readouterr()
    warn = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warn) < 5, err  # one line per kind, not two per node
    assert any(re.search(rf"\b{n} places without coordinates: N0, N1", w) for w in warn), warn
    assert main(["network", "check", str(folder), "--json"]) == 0
    payload = __import__("json").loads(capsys.readouterr().out)
    assert sum(p["column"] in ("lon", "lat") for p in payload["problems"]) == 2 * n  # per cell


def test_no_numpy_warning_for_many_alternatives(capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main([*ROUTE, "--k", "100", "--json"]) == 0
    assert np.isfinite(len(capsys.readouterr().out))


def test_option_names_agree_with_the_solvers() -> None:
    from corridor.assignment import METHODS
    from corridor.assignment.options import METHOD_NAMES, VDF_NAMES
    from corridor.assignment.vdf import VDF_CODES

    assert METHOD_NAMES == METHODS
    assert tuple(VDF_CODES) == VDF_NAMES
