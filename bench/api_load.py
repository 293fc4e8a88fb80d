"""Load on the REST API: ``corridor serve`` with 2 workers, requests on loopback.

Run: ``python bench/api_load.py [--requests 20000] [--distinct 4000] [--reliability 300]``

Starts ``corridor serve --workers 2`` on a free loopback port, waits until it answers, warms
it up, then sends a bounded number of ``GET /v1/routes`` requests from one asyncio client
over ``--concurrency`` keep-alive connections (raw HTTP/1.1, so that the client costs
little of the shared CPU), in three phases:

* ``plain, popular``: ``--requests`` queries drawn from 50 popular ones (time, cost or
  co2e; k = 1 or 3) between cities and ports: after the first of each, answers come from
  the worker's cache of deterministic answers. This is the goal's workload (>= 300 req/s,
  p99 <= 100 ms on the 2-core machine).
* ``plain, distinct``: ``--distinct`` queries that are all different, so every one is
  computed (route search + JSON): the cost of the model behind the API.
* ``reliability``: ``--reliability`` distinct queries with ``reliability=true``,
  ``samples=1000``, ``seed=1``, k = 1: search plus Monte Carlo for every request.

Each phase also stops after ``--max-seconds``. It prints requests/s, p50/p90/p99 latency, the
status codes, and the machine's load average before and after (the machine is shared).
The server is stopped at the end. Nothing is asserted: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class Phase:
    name: str
    paths: list[str]
    latencies_s: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    wall_s: float = 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _places() -> list[str]:
    """Cities and ports of the default network that have links (bench-side set-up only)."""
    from corridor.graph import GraphCache
    from corridor.network.default import load_default

    net = load_default()
    graph = GraphCache().get(net, cargo="container_40ft")
    kinds = net.places["kind"].isin(["city", "port"])
    return [
        str(p)
        for p in net.places.loc[kinds, "place_id"]
        if p in graph.place_row and graph.layers(graph.place_row[p]).size
    ]


def _path(**params: object) -> str:
    return "/v1/routes?" + urlencode(params)


def _phases(args: argparse.Namespace) -> list[Phase]:
    rng = random.Random(20261201)
    places = _places()
    pairs = list(itertools.permutations(places, 2))
    rng.shuffle(pairs)
    combos = [
        (o, d, obj, k) for (o, d) in pairs for obj in ("time", "cost", "co2e") for k in (1, 3)
    ]
    rng.shuffle(combos)
    popular = [_path(origin=o, destination=d, objective=obj, k=k) for o, d, obj, k in combos[:50]]
    distinct = [
        _path(origin=o, destination=d, objective=obj, k=k)
        for o, d, obj, k in combos[50 : 50 + args.distinct]
    ]
    reliability = [
        _path(origin=o, destination=d, k=1, reliability="true", depart="2026-12-01T08:00",
              samples=1000, seed=1)
        for o, d in pairs[: args.reliability]
    ]  # fmt: skip
    return [
        Phase("plain, popular (cached)", [rng.choice(popular) for _ in range(args.requests)]),
        Phase("plain, distinct (computed)", distinct),
        Phase("reliability (computed)", reliability),
    ]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    close = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    await reader.readexactly(length)
    return status, close


async def _client(port: int, queue: asyncio.Queue[str], phase: Phase, stop_at: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            try:
                path = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            request = (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n"
            ).encode()
            t0 = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, close = await _read_response(reader)
            phase.latencies_s.append(time.perf_counter() - t0)
            phase.statuses[status] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def _run(port: int, phase: Phase, concurrency: int, max_seconds: float) -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in phase.paths:
        queue.put_nowait(p)
    t0 = time.perf_counter()
    stop_at = t0 + max_seconds
    await asyncio.gather(*(_client(port, queue, phase, stop_at) for _ in range(concurrency)))
    phase.wall_s = time.perf_counter() - t0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _report(phase: Phase) -> None:
    n = len(phase.latencies_s)
    if not n:
        print(f"{phase.name}: no request sent")
        return
    ms = [x * 1000 for x in phase.latencies_s]
    print(
        f"{phase.name:28s} {n:6d} req in {phase.wall_s:7.1f} s = {n / phase.wall_s:7.1f} req/s; "
        f"latency p50 {statistics.median(ms):7.1f} ms, p90 {_pct(ms, 90):7.1f} ms, "
        f"p99 {_pct(ms, 99):7.1f} ms; status {dict(sorted(phase.statuses.items()))}"
    )


def _wait_up(port: int, proc: subprocess.Popen[bytes], timeout_s: float) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout_s:
        if proc.poll() is not None:
            raise SystemExit(f"corridor serve exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"corridor serve did not answer within {timeout_s} s")


def serve_and_measure(
    args: argparse.Namespace,
    phases: list[Phase],
    warm: Phase,
    serve_options: list[str] | None = None,
) -> None:
    """Start ``corridor serve`` on a free port, warm it up, run and report each phase.

    ``args`` gives ``workers``, ``concurrency`` and ``max_seconds``; ``serve_options`` are
    added to the ``serve`` command line. The server is stopped however the run ends.
    """
    port = _free_port()
    load_before = os.getloadavg()
    cmd = [
        sys.executable, "-m", "corridor.cli.main", "serve", "--port", str(port),
        "--workers", str(args.workers), "--log-level", "warning", *(serve_options or []),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd)
    try:
        up_s = _wait_up(port, proc, 300.0)
        asyncio.run(_run(port, warm, args.concurrency, 120.0))
        print(
            f"corridor serve --workers {args.workers}: answering after {up_s:.1f} s; "
            f"{os.cpu_count()} CPUs; load average before {load_before[0]:.2f} "
            f"(1 min), {load_before[1]:.2f} (5 min)"
        )
        print(f"client: one asyncio process, {args.concurrency} keep-alive connections")
        for phase in phases:
            asyncio.run(_run(port, phase, args.concurrency, args.max_seconds))
            _report(phase)
        after = os.getloadavg()
        print(f"load average after: {after[0]:.2f} (1 min), {after[1]:.2f} (5 min)")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000, help="plain, popular")
    parser.add_argument("--distinct", type=int, default=4_000, help="plain, distinct")
    parser.add_argument("--reliability", type=int, default=300, help="with reliability")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=300.0, help="per phase")
    args = parser.parse_args()

    phases = _phases(args)
    # both workers warm up at start; a short unmeasured round reaches each of them
    warm = Phase("warm-up", phases[0].paths[:200] + phases[2].paths[:4])
    serve_and_measure(args, phases, warm)


if __name__ == "__main__":
    main()
