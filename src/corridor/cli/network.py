"""``corridor network ...``: check and summarise network files."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``network`` command group to ``app``."""
    group = typer.Typer(help="Check and summarise networks.", no_args_is_help=True)

    @group.command("summary")
    def summary() -> None:
        """Print a summary of the network."""
        from rich.console import Console

        from corridor.testing import tiny_network

        Console().print(tiny_network().summary())

    app.add_typer(group, name="network")
