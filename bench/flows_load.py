"""Load on ``/v1/flows``: ``corridor serve`` with 2 workers, cached and uncached flow cases.

Run: ``python bench/flows_load.py [--cached 5000] [--uncached 60] [--concurrency 8]``

Starts ``corridor serve --workers 2`` on a free loopback port (each worker assigns the default
case at start-up), then sends, from one asyncio client over keep-alive connections (the client
of ``bench/api_load.py``):

* ``cached``: ``--cached`` requests of the default case (``GET /v1/flows``, the 2024
  baseline): after each worker's first, answers are the worker's cached bytes;
* ``uncached``: ``--uncached`` requests each with a different global growth factor
  (``growth=1.0001``, ``1.0002`` ...), so every one is assigned (the baseline to gap 1e-6 on
  the default network) and written as JSON: the model behind the endpoint.

It prints requests/s, p50/p90/p99 latency, the status codes and the load average before and
after (the machine is shared). Nothing is asserted: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import Phase, serve_and_measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cached", type=int, default=5_000, help="default case, cached")
    parser.add_argument("--uncached", type=int, default=60, help="distinct growth factors")
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive connections")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=300.0, help="per phase")
    args = parser.parse_args()

    cached = Phase("flows, default (cached)", ["/v1/flows"] * args.cached)
    uncached = Phase(
        "flows, distinct (assigned)",
        [f"/v1/flows?growth={1 + (i + 1) * 1e-4:.4f}" for i in range(args.uncached)],
    )
    warm = Phase("warm-up", ["/v1/flows"] * 50)
    serve_and_measure(args, [cached, uncached], warm, ["--time-budget", "120"])


if __name__ == "__main__":
    main()
