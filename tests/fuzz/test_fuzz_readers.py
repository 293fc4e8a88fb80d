"""Fuzzing the readers: mutated and random files, and only a CorridorError may come out.

Each reader (GMNS folder, TNTP network, trips and flows, demand CSV, OMX) is fed valid
files with Hypothesis-drawn mutations (flipped, inserted and deleted bytes, cuts, repeated
chunks, tokens that broke readers before: ``1e400``, ``nan``, long digit runs, bad UTF-8,
NUL, quotes, separators) and random bytes. A reader may accept the input or raise a
:class:`~corridor.errors.CorridorError`; anything else (a raw ``ValueError``, a
``MemoryError``, a hang, a crash of the process) fails the test.

Budget: ``make test`` runs each reader for a few seconds (``CORRIDOR_FUZZ_SECONDS``,
default 3); ``make fuzz`` runs the ``fuzz``-marked long versions (default 60 s each). Runs
are in batches of Hypothesis examples, each batch with its own seed: under CI the seeds
are 0, 1, 2 ... (reproducible from the log); locally the first seed is random and printed.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from corridor.demand import Demand, read_demand_csv, read_omx, write_omx
from corridor.errors import CorridorError, NetworkValidationError
from corridor.network import read_network, write_gmns
from corridor.network.tntp import read_tntp_flows, read_tntp_trips
from corridor.network.validation import group_problems
from corridor.testing import gauge_network

SHORT_S = float(os.environ.get("CORRIDOR_FUZZ_SECONDS", "3"))
LONG_S = float(os.environ.get("CORRIDOR_FUZZ_LONG_SECONDS", "60"))
BATCH = 25

TOKENS = [
    b"1e400",
    b"-1e400",
    b"nan",
    b"inf",
    b"-1",
    b"0",
    b"2.5",
    b"9" * 30,
    b"9" * 5000,
    b"\xff\xfe",
    b"\xe9",
    b"\x00",
    b",",
    b'"',
    b":",
    b";",
    b"~",
    b"<",
    b">",
    b"\n",
    b"\r\n",
    b"\t",
    "Алматы".encode(),
    "\u00b2".encode(),
    b"Origin ",
    b"<END OF METADATA>",
    b"<NUMBER OF ZONES> 10000000000\n",
    b"[" * 200,
    b"{",
    b'"corridor_name": "lon"',
    b"x_coord",
    b"lon",
    b"from_id",
    b"true",
]

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1 << 20), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.sampled_from(TOKENS)),
    st.tuples(st.just("bytes"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.integers(1, 64)),
    st.tuples(st.just("cut"), st.integers(0, 1 << 20), st.just(0)),
    st.tuples(st.just("repeat"), st.integers(0, 1 << 20), st.integers(1, 200)),
)
mutations = st.lists(mutation, min_size=1, max_size=6)


def mutate(data: bytes, edits: list[tuple[str, int, object]]) -> bytes:
    out = bytearray(data)
    for op, where, arg in edits:
        at = where % (len(out) + 1)
        if op == "flip" and out:
            out[at % len(out)] = int(arg)  # type: ignore[call-overload]
        elif op in ("insert", "bytes"):
            out[at:at] = bytes(arg)  # type: ignore[call-overload]
        elif op == "delete":
            del out[at : at + int(arg)]  # type: ignore[call-overload]
        elif op == "cut":
            del out[at:]
        elif op == "repeat":
            chunk = bytes(out[at : at + 64])
            out[at:at] = chunk * min(int(arg), 1 << 16 // max(1, len(chunk)))  # type: ignore[call-overload]
    return bytes(out)


def inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    mutated = st.builds(mutate, st.sampled_from(seeds), mutations)
    return st.one_of(mutated, mutated, mutated, st.binary(max_size=2048))


def run_for(seconds: float, check: Callable[[bytes], None], data: st.SearchStrategy[bytes]) -> int:
    """Run ``check`` on drawn inputs in seeded batches for ``seconds``; return inputs checked."""
    base = 0 if os.environ.get("CI") else random.randrange(1 << 30)
    print(f"fuzz base seed {base} ({seconds:g} s)")
    checked = 0

    def one(blob: bytes) -> None:
        nonlocal checked
        checked += 1
        with contextlib.suppress(CorridorError):
            check(blob)

    end = time.monotonic() + seconds
    batch = 0
    while batch == 0 or time.monotonic() < end:
        wrapped = settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
        )(seed(base + batch)(given(data)(one)))
        wrapped()
        batch += 1
    return checked


# ----------------------------------------------------------------------------- seeds
NET = (
    b"<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 3\n"
    b"<END OF METADATA>\n\n"
    b"~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
    b"\t1\t3\t100\t1\t2.5\t0.15\t4\t0\t0\t1\t;\n"
    b"\t3\t2\t100\t1\t2.5\t0.15\t4\t0\t0\t1\t;\n"
    b"\t2\t1\t50\t2\t1\t0.15\t4\t0\t0\t1\t;\n"
)
TRIPS = (
    b"<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 10.5\n<END OF METADATA>\n\n"
    b"Origin 1\n    1 :      0.0;     2 :      5.0;    3 :    1.5;\n"
    b"Origin 2\n    1 :      4.0;\nOrigin 3\n"
)
FLOWS = b"From \tTo \tVolume \tCost \n1 \t3 \t10.5 \t3.0 \n3 \t2 \t4 \t1.25 \n"
DEMAND = b'origin,destination,trips\nA,B,1.5\nB,A,2\n"C, x",A,0\nA,C,1e3\n'
THIRD_PARTY = {
    "node.csv": b"node_id,name,x_coord,y_coord,zone_id\n1,a,50,40,1\n2,b,51,40,\n3,c,52,41,3\n",
    "link.csv": b"link_id,from_node_id,to_node_id,allowed_uses,length,directed,lanes\n"
    b"1,1,2,auto,1000,false,2\n2,2,3,truck,500,true,1\n",
    "config.csv": b"dataset_name,long_length,crs\nthird,m,EPSG:4326\n",
}


def gmns_seed(tmp: Path) -> dict[str, bytes]:
    folder = tmp / "seed"
    write_gmns(gauge_network(), folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.*")}


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# ----------------------------------------------------------------------------- readers
def gmns_check(tmp: Path) -> tuple[Callable[[bytes], None], st.SearchStrategy[bytes]]:
    ours = gmns_seed(tmp)
    seeds = [ours, THIRD_PARTY]
    choices = [(i, name) for i, files in enumerate(seeds) for name in files]
    folder = tmp / "net"
    picked: list[tuple[int, str]] = []

    def check(blob: bytes) -> None:
        # the first bytes choose which file of which seed folder gets the mutated content
        i, name = choices[blob[0] % len(choices)] if blob else choices[0]
        picked.append((i, name))
        files = {**seeds[i], name: blob[1:]}
        if folder.exists():
            for p in sorted(folder.rglob("*"), reverse=True):
                p.rmdir() if p.is_dir() else p.unlink()
        folder.mkdir(exist_ok=True)
        write_folder(folder, files)
        try:
            read_network(folder)
        except NetworkValidationError as err:
            group_problems(err.problems)
            raise

    data = st.builds(
        lambda k, edits, rnd: bytes([k]) + (mutate(target(k), edits) if rnd is None else rnd),
        st.integers(0, 255),
        mutations,
        st.none() | st.none() | st.none() | st.binary(max_size=1024),
    )

    def target(k: int) -> bytes:
        i, name = choices[k % len(choices)]
        return seeds[i][name]

    return check, data


def file_check(
    tmp: Path, name: str, reader: Callable[[Path], object], seeds: list[bytes]
) -> tuple[Callable[[bytes], None], st.SearchStrategy[bytes]]:
    path = tmp / name

    def check(blob: bytes) -> None:
        path.write_bytes(blob)
        reader(path)

    return check, inputs(seeds)


def omx_seeds(tmp: Path) -> list[bytes]:
    out = []
    for i, zones in enumerate((("1", "2", "3"), ("KZ_AKTAU", "Алматы"))):
        path = tmp / f"seed{i}.omx"
        n = len(zones)
        write_omx(Demand.from_matrix(zones, np.arange(n * n, dtype=float).reshape(n, n)), path)
        out.append(path.read_bytes())
    return out


def omx_inputs(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    # mutate past the superblock too (the pre-check cannot see those): most bytes of an
    # OMX file are B-trees, object headers and compressed chunks the library must parse
    deep = st.lists(
        st.tuples(st.just("flip"), st.integers(96, 1 << 16), st.integers(0, 255)),
        min_size=1,
        max_size=12,
    )
    return st.one_of(inputs(seeds), st.builds(mutate, st.sampled_from(seeds), deep))


def make_reader(kind: str, tmp: Path) -> tuple[Callable[[bytes], None], st.SearchStrategy[bytes]]:
    if kind == "gmns":
        return gmns_check(tmp)
    if kind == "tntp-net":
        return file_check(tmp, "x_net.tntp", read_network, [NET])
    if kind == "tntp-trips":
        return file_check(tmp, "x_trips.tntp", read_tntp_trips, [TRIPS])
    if kind == "tntp-flow":
        return file_check(tmp, "x_flow.tntp", read_tntp_flows, [FLOWS])
    if kind == "demand-csv":
        return file_check(tmp, "od.csv", read_demand_csv, [DEMAND])
    path = tmp / "od.omx"

    def check(blob: bytes) -> None:
        path.write_bytes(blob)
        read_omx(path, timeout_s=30)

    return check, omx_inputs(omx_seeds(tmp))


KINDS = ["gmns", "tntp-net", "tntp-trips", "tntp-flow", "demand-csv", "omx"]
#: Fewest inputs a run must have checked (the OMX reader starts a process per file).
FLOOR = {"omx": 3}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", KINDS)
def test_only_corridor_errors_escape(kind: str, tmp_path: Path) -> None:
    check, data = make_reader(kind, tmp_path)
    checked = run_for(SHORT_S, check, data)
    print(f"{kind}: {checked} inputs")
    assert checked >= FLOOR.get(kind, BATCH)


@pytest.mark.fuzz
@pytest.mark.timeout(0)
@pytest.mark.parametrize("kind", KINDS)
def test_only_corridor_errors_escape_long(kind: str, tmp_path: Path) -> None:
    check, data = make_reader(kind, tmp_path)
    checked = run_for(LONG_S, check, data)
    print(f"{kind}: {checked} inputs in {LONG_S:g} s")
    assert checked >= FLOOR.get(kind, BATCH)
