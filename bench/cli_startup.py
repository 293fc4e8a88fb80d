"""How fast the ``corridor`` command answers, run as a user runs it: a new process each time.

Run: ``.venv/bin/python bench/cli_startup.py [--repeats 7] [--breakdown] [--peer-src DIR]``

For each command: one warm-up run (it fills numba's cache on a first run), then
``--repeats`` runs with the commands alternated run by run (so a burst of load on this
shared machine hits them all alike). Prints the median and spread of the wall time, the
median CPU time (user + system of the child, which load on other cores does not
inflate), the goal, and the load average before and after. With ``--breakdown``, one
extra run of each under ``python -X importtime`` lists the imports that took longest.
With ``--peer-src DIR`` (e.g. ``git archive <commit> src | tar -x -C /tmp/base``, then
``--peer-src /tmp/base/src``) the same commands also run from that copy of the sources
(``python -m corridor.cli.main`` with ``PYTHONPATH=DIR``, as the current code then runs
too), alternated run by run with the current code, and the ratios are printed.

Goals (issue 16): ``corridor --help`` <= 0.3 s and ``corridor route Almaty Tehran``
<= 1.0 s wall after the first run. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("corridor --help", ["--help"], 0.3),
    ("corridor places", ["places"], None),
    ("corridor route Almaty Tehran", ["route", "Almaty", "Tehran"], 1.0),
    ("corridor route Almaty Tehran --json", ["route", "Almaty", "Tehran", "--json"], None),
]


def _corridor() -> list[str]:
    beside = Path(sys.executable).with_name("corridor")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("corridor")
    return [found] if found else [sys.executable, "-m", "corridor.cli.main"]


def _run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Return (wall s, CPU s) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-500:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def _breakdown(args: list[str], top: int) -> list[tuple[str, float]]:
    """Return the slowest top-level imports (cumulative s) of one run."""
    code = f"import sys; from corridor.cli.main import main; sys.exit(main({args!r}))"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        m = _LINE.match(line)
        if m and len(m.group(3)) <= 1:  # imported by the program itself, not by a module
            rows.append((m.group(4), int(m.group(2)) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]


def _table(
    title: str, walls: dict[str, list[float]], cpus: dict[str, list[float]], goals: bool
) -> None:
    print(title)
    print(f"{'command':40} {'wall median':>11} {'min-max':>13} {'CPU median':>10} {'goal':>6}")
    for name, _, goal in COMMANDS:
        w, c = walls[name], cpus[name]
        spread = f"{min(w):.2f}-{max(w):.2f}"
        goal_txt = f"{goal:.1f} s" if goal and goals else "-"
        print(
            f"{name:40} {statistics.median(w):>9.3f} s {spread:>13} "
            f"{statistics.median(c):>8.3f} s {goal_txt:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--breakdown", action="store_true", help="import-time breakdown")
    parser.add_argument("--top", type=int, default=8, help="imports listed per command")
    parser.add_argument("--peer-src", type=Path, help="sources of a peer version to compare")
    opts = parser.parse_args()

    runs: dict[str, tuple[list[str], dict[str, str] | None]] = {"current": (_corridor(), None)}
    if opts.peer_src is not None:
        module = [sys.executable, "-m", "corridor.cli.main"]
        here = str(Path(__file__).resolve().parents[1] / "src")
        runs = {
            "current": (module, {**os.environ, "PYTHONPATH": here}),
            "peer": (module, {**os.environ, "PYTHONPATH": str(opts.peer_src.resolve())}),
        }
    load0 = os.getloadavg()
    for base, env in runs.values():  # warm-up: numba's cache, the OS file cache
        for _, args, _ in COMMANDS:
            _run(base + args, env)
    walls = {k: {name: [] for name, _, _ in COMMANDS} for k in runs}
    cpus = {k: {name: [] for name, _, _ in COMMANDS} for k in runs}
    for _ in range(opts.repeats):
        for name, args, _ in COMMANDS:
            for key, (base, env) in runs.items():
                wall, cpu = _run(base + args, env)
                walls[key][name].append(wall)
                cpus[key][name].append(cpu)
    load1 = os.getloadavg()
    print(f"{opts.repeats} runs each, alternated; {os.cpu_count()} cores")
    print(f"load average before {load0[0]:.1f}, after {load1[0]:.1f} (1 min)")
    for key, (base, env) in runs.items():
        where = env["PYTHONPATH"] if env else " ".join(base)
        _table(f"\n{key}: {where}", walls[key], cpus[key], key == "current")
    if "peer" in runs:
        print("\nratio current / peer (medians):")
        for name, _, _ in COMMANDS:
            rw = statistics.median(walls["current"][name]) / statistics.median(walls["peer"][name])
            rc = statistics.median(cpus["current"][name]) / statistics.median(cpus["peer"][name])
            print(f"  {name:40} wall {rw:.2f}  CPU {rc:.2f}")
    if opts.breakdown:
        for name, args, _ in COMMANDS:
            print(f"\nslowest imports of `{name}` (cumulative s, one run):")
            for module_name, seconds in _breakdown(args, opts.top):
                print(f"  {module_name:40} {seconds:.3f}")


if __name__ == "__main__":
    main()
