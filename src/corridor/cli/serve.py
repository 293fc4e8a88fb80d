"""``corridor serve``: the REST API and the web map on uvicorn.

Each worker process builds the app with :func:`corridor.api.app.app_from_environment`
(uvicorn's factory mode), so the network, its graphs and the reliability tables are built
once per worker; the command hands its options to the workers in the environment.
"""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
        network: Annotated[
            str | None, typer.Option(help="Network file or folder; the default network if omitted.")
        ] = None,
        max_k: Annotated[int, typer.Option(help="Service limit: alternatives per query.")] = 10,
        max_samples: Annotated[
            int, typer.Option(help="Service limit: Monte Carlo draws per route.")
        ] = 100_000,
        max_via: Annotated[int, typer.Option(help="Service limit: via places per query.")] = 5,
        max_labels: Annotated[
            int, typer.Option(help="Service limit: label budget of a Pareto search.")
        ] = 1_000_000,
        time_budget: Annotated[
            float, typer.Option(help="Service limit: seconds one request may take.")
        ] = 20.0,
        cache_entries: Annotated[
            int, typer.Option(help="Answers of deterministic route queries kept per worker.")
        ] = 1024,
        log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
    ) -> None:
        """Serve the REST API (/v1/..., /docs) and the web map (/) over HTTP."""
        import uvicorn

        from corridor.api import app as api_app
        from corridor.api.limits import ServiceLimits
        from corridor.errors import InputError

        if workers < 1:
            raise InputError(
                f"--workers must be >= 1, got {workers}", argument="workers", value=workers
            )
        if not 0 <= port <= 65535:
            raise InputError(f"--port must be 0 to 65535, got {port}", argument="port", value=port)
        limits = ServiceLimits(
            max_k=max_k,
            max_samples=max_samples,
            max_via=max_via,
            max_labels=max_labels,
            time_budget_s=time_budget,
        )
        if network is not None:  # fail here, not once per worker
            from corridor.network.io import read_network

            read_network(network)
        os.environ[api_app.ENV_NETWORK] = os.path.abspath(network) if network else ""
        os.environ[api_app.ENV_LIMITS] = json.dumps(limits.to_dict())
        os.environ[api_app.ENV_CACHE] = str(cache_entries)
        typer.echo(f"corridor: serving on http://{host}:{port}/ with {workers} worker(s)")
        uvicorn.run(
            "corridor.api.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=False,
        )
