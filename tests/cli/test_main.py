from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corridor.cli import main as main_module
from corridor.cli.main import main


def test_unknown_command_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: ")


@pytest.mark.parametrize("args", [[], ["network"]], ids=["corridor", "corridor network"])
def test_no_arguments_print_the_help(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Usage: corridor {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND")
    assert "Commands:" in out
    assert err == ""  # no bare "error:"


def test_ctrl_c_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(main_module, "build_app", interrupted)
    assert main(["places"]) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def _child(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    code = (
        "import sys\n"
        "from corridor.cli.main import main\n"
        "sys.stderr.write('ready\\n'); sys.stderr.flush()\n"
        f"sys.exit(main({args!r}))\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5])
def test_sigint_during_start_up_has_no_traceback(delay: float) -> None:
    # the child has imported the entry point; Ctrl-C lands while it imports pandas, reads
    # the network or searches, depending on the delay (whichever it is, one line, no trace)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = _child(["route", "Almaty", "Tehran"], env)
    assert child.stderr is not None
    assert child.stderr.readline() == "ready\n"
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    rest = child.stderr.read()
    child.stderr.close()
    code = child.wait(timeout=120)
    assert "Traceback" not in rest
    assert code in (0, 130), (code, rest)  # 0: it had finished before the signal came
    if code == 130:
        assert rest == "error: interrupted\n"


def test_broken_pipe_is_quiet() -> None:
    exe = Path(sys.executable).with_name("corridor")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "corridor.cli.main"]
    child = subprocess.Popen(
        [*cmd, "places"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    child.stdout.readline()
    child.stdout.close()  # the reader goes away, as `corridor places | head -1` does
    assert child.stderr is not None
    err = child.stderr.read()
    child.stderr.close()
    child.wait(timeout=120)
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_loads_nothing_heavy() -> None:
    mods = _modules_after(
        "import io, contextlib\nfrom corridor.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    )
    heavy = {"numpy", "pandas", "numba", "pyarrow", "scipy", "rich", "pydantic", "matplotlib"}
    assert not heavy & {m.split(".")[0] for m in mods}


def test_import_corridor_is_light() -> None:
    mods = {m.split(".")[0] for m in _modules_after("import corridor")}
    assert not {"numpy", "pandas", "numba", "pyarrow"} & mods


def test_route_on_the_default_network_does_not_load_numba() -> None:
    mods = _modules_after(
        "import io, contextlib\nfrom corridor.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['route', 'Almaty', 'Tehran']) == 0"
    )
    assert "numba" not in mods
    assert "corridor.graph._dijkstra_jit" not in mods


def test_numba_cache_is_per_user(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    probe = (
        "import corridor, os\n"
        "from corridor.graph._dijkstra_jit import dijkstra_kernel\n"
        "print(os.environ['NUMBA_CACHE_DIR'])\n"
        "print(dijkstra_kernel._cache._cache_path)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    folder, cache_path = done.stdout.split()
    assert folder == str(tmp_path / "cache" / "corridor" / "numba")
    assert cache_path.startswith(folder)  # not beside the sources
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "mine")  # the user's choice wins
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split()[1].startswith(str(tmp_path / "mine"))
