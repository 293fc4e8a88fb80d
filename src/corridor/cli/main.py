"""Entry point of the ``corridor`` command.

Each subject registers its commands from its own module (``corridor.cli.<subject>``).
:func:`main` turns any :class:`~corridor.errors.CorridorError` into one line on stderr and
exit code 2; usage errors also exit 2 (click's convention); Ctrl-C exits 130 with one
line, never a traceback. Only typer is imported to build the commands: each command
imports what it needs when it runs, so that ``corridor --help`` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

    from corridor.errors import CorridorError

__all__ = ["build_app", "main"]

_HELP = "Freight routes, reliability and assignment on the Kazakhstan-Iran corridors."


def build_app() -> typer.Typer:
    """Build the typer application with every subcommand registered.

    Returns
    -------
    typer.Typer

    """
    import typer

    from corridor.cli import assign as assign_cli
    from corridor.cli import ferries as ferries_cli
    from corridor.cli import flows as flows_cli
    from corridor.cli import network as network_cli
    from corridor.cli import places as places_cli
    from corridor.cli import route as route_cli
    from corridor.cli import scenario as scenario_cli
    from corridor.cli import serve as serve_cli
    from corridor.cli import validate as validate_cli

    app = typer.Typer(
        name="corridor",
        help=_HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # click's plain help: typer's rich help imports markdown-it and rich's markdown
        # (about 0.2 s of CPU), more than the rest of `corridor --help` together
        rich_markup_mode=None,
    )
    network_cli.register(app)
    route_cli.register(app)
    places_cli.register(app)
    assign_cli.register(app)
    ferries_cli.register(app)
    serve_cli.register(app)
    validate_cli.register(app)
    flows_cli.register(app)
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
    "path": "",
    "demand": "",
    "logit_scale_usd_per_t": "--logit-scale",
    "map": "--map",
}


def _flag(exc: CorridorError) -> str:
    """Return the command-line spelling of the argument an error names, or ``""``."""
    argument = getattr(exc, "argument", None)
    if not isinstance(argument, str) or not argument or "." in argument:
        return ""
    if argument.startswith("-") or argument.isupper():
        return argument  # already a flag (--tntp) or an argument's name (PATH)
    return _FLAGS.get(argument, "--" + argument.replace("_", "-"))


def _one_line(exc: CorridorError) -> str:
    """Return the line an error is shown as.

    The flag, the message and, where the error lists more problems (a network, a GMNS
    folder), the first of them and where to see them all.
    """
    from pathlib import Path

    from corridor.errors import FormatError, NetworkValidationError, ScenarioError

    first, *rest = str(exc).splitlines() or [type(exc).__name__]
    flag = _flag(exc)
    if flag and not first.startswith(flag):
        first = f"{flag}: {first}"
    if isinstance(exc, NetworkValidationError):
        errors = [p for p in exc.problems if p.severity == "error"]
        if errors:
            first += "; first: " + str(errors[0]).removeprefix("error: ")
        if exc.source:
            first += f" (all of them: corridor network check {exc.source})"
    elif isinstance(exc, ScenarioError) and rest:
        # a scenario file's problems, each with its file and line: all of them, one a line
        # (a file that cannot be read at all is one problem the first line says already)
        whole = len(exc.problems) == 1 and not exc.problems[0].line and not exc.problems[0].where
        if not whole:
            first = "\n".join([first, *rest])
    elif isinstance(exc, FormatError) and rest:
        path = Path(exc.path)
        if path.is_dir() or path.suffix.lower() == ".tntp":
            first += f" (all of them: corridor network check {exc.path})"
        else:
            first = "\n".join([first, *rest])
    return first


def _print_error(first: str) -> None:
    # a plain write: a message holds data (file names, place names), never markup
    sys.stderr.write(f"error: {first}\n")
    sys.stderr.flush()


def _run(args: list[str]) -> int:
    import typer
    from typer._click.exceptions import NoArgsIsHelpError

    from corridor.errors import CorridorError

    try:
        # with standalone_mode=False click returns the code of a typer.Exit instead of raising
        code = build_app()(args, prog_name="corridor", standalone_mode=False)
    except CorridorError as exc:
        _print_error(_one_line(exc))
        return 2
    except typer.Exit as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # typer's own Ctrl-C: Exit(130)
            _print_error("interrupted")
        return int(exc.exit_code)
    except typer.Abort:
        _print_error("aborted")
        return 2
    except NoArgsIsHelpError as exc:
        # `corridor` or `corridor network` alone: the help, on stdout, is the answer
        sys.stdout.write(exc.format_message().rstrip("\n") + "\n")
        return 0
    except typer.TyperException as exc:
        # click's usage errors (typer vendors click and exposes only this base class)
        fmt = getattr(exc, "format_message", None)
        message = str(fmt() if callable(fmt) else exc).strip() or "bad usage; see --help"
        _print_error(message.splitlines()[0])
        return 2
    if code == 130:  # typer turns Ctrl-C inside a command into exit code 130, silently
        _print_error("interrupted")
    return code if isinstance(code, int) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success, 2 on bad input or a :class:`CorridorError`, 130 on Ctrl-C, 1 on an
        unexpected bug.

    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        _print_error("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`corridor places | head`): stop quietly, and keep
        # Python's flush at exit from failing on the closed pipe again
        import contextlib
        import os

        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
