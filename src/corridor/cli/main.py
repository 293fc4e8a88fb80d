"""Entry point of the ``corridor`` command.

Each subject registers its commands from its own module (``corridor.cli.<subject>``).
:func:`main` turns any :class:`~corridor.errors.CorridorError` into one line on stderr and
exit code 2; usage errors also exit 2 (click's convention).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer
from rich.console import Console

from corridor.errors import CorridorError

__all__ = ["build_app", "main"]


def build_app() -> typer.Typer:
    """Build the typer application with every subcommand registered.

    Returns
    -------
    typer.Typer

    """
    from corridor.cli import assign as assign_cli
    from corridor.cli import ferries as ferries_cli
    from corridor.cli import network as network_cli
    from corridor.cli import places as places_cli
    from corridor.cli import route as route_cli
    from corridor.cli import scenario as scenario_cli
    from corridor.cli import serve as serve_cli

    app = typer.Typer(
        name="corridor",
        help="Freight routes, reliability and assignment on the Kazakhstan-Iran corridors.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    network_cli.register(app)
    route_cli.register(app)
    places_cli.register(app)
    assign_cli.register(app)
    ferries_cli.register(app)
    serve_cli.register(app)
    scenario_cli.register(app)
    return app


#: How the Python argument named in an error is spelt on the command line, where the
#: spelling differs from ``--`` plus the name with dashes.
_FLAGS = {
    "origin": "ORIGIN",
    "destination": "DESTINATION",
    "avoid_countries": "--avoid-country",
    "avoid_places": "--avoid-place",
    "modes": "--mode",
    "deadline_h": "--deadline",
    "value_of_time_usd_per_h": "--value-of-time",
    "carbon_price_usd_per_t": "--carbon-price",
    "route": "",
    "network": "--network",
    "output": "",
}


def _flag(exc: CorridorError) -> str:
    """Return the command-line spelling of the argument an error names, or ``""``."""
    argument = getattr(exc, "argument", None)
    if not isinstance(argument, str) or not argument or "." in argument:
        return ""
    return _FLAGS.get(argument, "--" + argument.replace("_", "-"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success, 2 on bad input or a :class:`CorridorError`, 1 on an unexpected bug.

    """
    args = list(sys.argv[1:] if argv is None else argv)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        # with standalone_mode=False click returns the code of a typer.Exit instead of raising
        code = build_app()(args, standalone_mode=False)
    except CorridorError as exc:
        first, *rest = str(exc).splitlines() or [type(exc).__name__]
        flag = _flag(exc)
        if flag and flag not in first:
            first = f"{flag}: {first}"
        err.print(f"error: {first}", markup=False)
        for line in rest:
            err.print(line, markup=False)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        err.print("error: aborted", markup=False)
        return 2
    except typer.TyperException as exc:
        # click's usage errors (typer vendors click and exposes only this base class)
        fmt = getattr(exc, "format_message", None)
        err.print(f"error: {fmt() if callable(fmt) else exc}", markup=False)
        return 2
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
