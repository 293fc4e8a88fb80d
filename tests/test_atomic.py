"""Files as the user expects: umask modes, kept modes, symlinks followed, atomic, cleaned up.

The kill tests run a writer in a child process, kill it with SIGKILL at random moments
(bounded: a few kills each) and check that the target is always complete.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import corridor._atomic as atomic_module
from corridor._atomic import (
    OLD_MARK,
    TEMP_MARK,
    atomic_folder,
    atomic_path,
    atomic_text,
    clean_stale,
    recover_folder,
)
from corridor.errors import InputError

SRC = Path(atomic_module.__file__).resolve().parents[1]  # .../src


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


# --------------------------------------------------------------------------- modes
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_file_gets_the_umask_mode(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        atomic_text(tmp_path / "out.txt", "hi")
        atomic_folder(
            tmp_path / "net",
            lambda tmp: (tmp / "a.csv").write_text("x") and None,
            replaceable=lambda rel: True,
        )
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "out.txt") == 0o666 & ~umask
    assert mode_of(tmp_path / "net") == 0o777 & ~umask
    assert mode_of(tmp_path / "net" / "a.csv") == 0o666 & ~umask


def test_existing_file_and_folder_keep_their_mode(tmp_path: Path, umask_022: object) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    atomic_text(target, "new")
    assert target.read_text() == "new"
    assert mode_of(target) == 0o640
    folder = tmp_path / "net"
    folder.mkdir()
    os.chmod(folder, 0o750)
    atomic_folder(
        folder, lambda tmp: (tmp / "a.csv").write_text("x") and None, replaceable=lambda r: True
    )
    assert mode_of(folder) == 0o750


def test_writer_that_recreates_the_file_still_gets_the_umask_mode(
    tmp_path: Path, umask_022: object
) -> None:
    target = tmp_path / "out.bin"
    with atomic_path(target) as tmp:
        tmp.unlink()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o600)  # like mkstemp
        os.write(fd, b"data")
        os.close(fd)
    assert mode_of(target) == 0o644


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write any file")
    target = tmp_path / "out.txt"
    target.write_text("old")
    os.chmod(target, 0o444)
    with pytest.raises(InputError, match="read-only"):
        atomic_text(target, "new")


# --------------------------------------------------------------------------- symlinks
def test_writing_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real" / "out.txt"
    real.parent.mkdir()
    real.write_text("old")
    os.chmod(real, 0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_text(link, "new")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert mode_of(real) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["out.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real"]


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    atomic_text(link, "x")
    assert link.is_symlink()
    assert (tmp_path / "made.txt").read_text() == "x"


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(InputError, match="symlink loop"):
        atomic_text(a, "x")


def test_symlinked_folder_is_replaced_behind_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    link = tmp_path / "link"
    atomic_folder(
        real, lambda tmp: (tmp / "a.csv").write_text("1") and None, replaceable=lambda r: True
    )
    link.symlink_to(real)
    atomic_folder(
        link, lambda tmp: (tmp / "a.csv").write_text("2") and None, replaceable=lambda r: True
    )
    assert link.is_symlink()
    assert (real / "a.csv").read_text() == "2"


# --------------------------------------------------------------------------- atomicity
def test_fsyncs_file_then_folder_before_and_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        events.append(f"fsync {kind}")
        real_fsync(fd)

    def replace(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        events.append("replace")
        real_replace(a, b)

    monkeypatch.setattr(atomic_module.os, "fsync", fsync)
    monkeypatch.setattr(atomic_module.os, "replace", replace)
    atomic_text(tmp_path / "out.txt", "hi")
    assert events == ["fsync file", "replace", "fsync folder"]


def test_error_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def write_then_fail() -> None:
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_temporary_name_says_whose_it_is(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "out.txt") as tmp:
        assert tmp.parent == tmp_path
        prefix = f".out.txt{TEMP_MARK}{os.getpid()}-"
        assert tmp.name.startswith(prefix)
        assert len(tmp.name) == len(prefix) + 8
        tmp.write_text("x")


def test_long_name_gives_a_valid_temporary_name(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 250)
    atomic_text(target, "x")
    assert target.read_text() == "x"


def test_folder_and_bad_parent_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        atomic_text(tmp_path, "x")
    (tmp_path / "afile.txt").write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        atomic_text(tmp_path / "afile.txt" / "out.csv", "x")
    with pytest.raises(InputError, match="cannot write"):
        atomic_folder(tmp_path / "afile.txt" / "net", lambda t: None, replaceable=lambda r: True)


# --------------------------------------------------------------------------- clean-up
def test_stale_temporaries_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = dead_pid()
    stale = tmp_path / f".out.csv{TEMP_MARK}{dead}-0123abcd"
    stale.write_text("half")
    stale_dir = tmp_path / f".net{TEMP_MARK}{dead}-0123abcd"
    stale_dir.mkdir()
    (stale_dir / "node.csv").write_text("x")
    alive = tmp_path / f".out.csv{TEMP_MARK}{os.getpid()}-0123abcd"
    alive.write_text("mine")
    young = tmp_path / f".other.csv{TEMP_MARK}{dead}-0123abcd"
    young.write_text("recent")
    odd = tmp_path / f".out.csv{TEMP_MARK}{dead}-notours!"
    odd.write_text("not our name")
    user = tmp_path / "out.csv"
    user.write_text("user file")
    old = time.time() - 48 * 3600
    for p in (stale, stale_dir, alive, odd, user):
        os.utime(p, (old, old))
    removed = clean_stale(tmp_path)
    assert sorted(p.name for p in removed) == sorted([stale.name, stale_dir.name])
    assert all(p.exists() for p in (alive, young, odd, user))


def test_next_write_removes_old_leftovers_of_its_target(tmp_path: Path) -> None:
    stale = tmp_path / f".out.csv{TEMP_MARK}{dead_pid()}-0123abcd"
    stale.write_text("half")
    old = time.time() - 48 * 3600
    os.utime(stale, (old, old))
    atomic_text(tmp_path / "out.csv", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_symlink_named_like_a_temporary_is_removed_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    trap = tmp_path / f".out.csv{TEMP_MARK}{dead_pid()}-0123abcd"
    trap.symlink_to(victim)
    clean_stale(tmp_path, older_than_h=0)
    assert not trap.is_symlink()
    assert (victim / "keep.txt").read_text() == "keep"


def test_recover_folder_puts_the_old_copy_back(tmp_path: Path) -> None:
    target = tmp_path / "net"
    aside = tmp_path / f".net{OLD_MARK}{dead_pid()}-0123abcd"
    aside.mkdir()
    (aside / "node.csv").write_text("old")
    assert recover_folder(target) is True
    assert (target / "node.csv").read_text() == "old"
    assert recover_folder(target) is False


def test_old_copy_is_kept_by_clean_up_while_the_target_is_missing(tmp_path: Path) -> None:
    aside = tmp_path / f".net{OLD_MARK}{dead_pid()}-0123abcd"
    aside.mkdir()
    clean_stale(tmp_path, older_than_h=0)
    clean_stale(tmp_path, name="net", older_than_h=0)
    assert aside.exists()


# --------------------------------------------------------------------------- folders
def fill_version(version: int, n_files: int = 5):  # type: ignore[no-untyped-def]
    def fill(tmp: Path) -> None:
        for i in range(n_files):
            (tmp / f"f{i}.txt").write_text(f"{version}\n" * 100)
        (tmp / "manifest.txt").write_text(f"{version} {n_files}\n")

    return fill


def folder_complete(path: Path) -> int:
    """Return the version of a complete folder; fail if it is partial or mixed."""
    version, n_files = map(int, (path / "manifest.txt").read_text().split())
    names = sorted(p.name for p in path.iterdir())
    assert names == sorted([*(f"f{i}.txt" for i in range(n_files)), "manifest.txt"])
    for i in range(n_files):
        assert (path / f"f{i}.txt").read_text() == f"{version}\n" * 100
    return version


def test_atomic_folder_replaces_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "net"
    atomic_folder(target, fill_version(1), replaceable=lambda r: True)
    atomic_folder(target, fill_version(2, n_files=3), replaceable=lambda r: True)
    assert folder_complete(target) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_failed_fill_leaves_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(atomic_module, "_exchange", lambda a, b: False)
    target = tmp_path / "net"
    atomic_folder(target, fill_version(1), replaceable=lambda r: True)

    def failing(tmp: Path) -> None:
        fill_version(2)(tmp)
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="No space left"):
        atomic_folder(target, failing, replaceable=lambda r: True)
    assert folder_complete(target) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net"]
    atomic_folder(target, fill_version(3), replaceable=lambda r: True)
    assert folder_complete(target) == 3


def test_exchange_is_used_where_the_system_has_it(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    if not atomic_module._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here")
    assert (b / "x").read_text() == "a"
    assert not (a / "x").exists()


# --------------------------------------------------------------------------- kill -9
CHILD = r"""
import sys, types
pkg = types.ModuleType("corridor"); pkg.__path__ = [sys.argv[1] + "/corridor"]
sys.modules["corridor"] = pkg
from pathlib import Path
from corridor import _atomic
kind, target = sys.argv[2], Path(sys.argv[3])
if sys.argv[4] == "no-exchange":
    _atomic._exchange = lambda a, b: False
print("ready", flush=True)
version = 1
while True:
    version += 1
    if kind == "file":
        body = (f"{version}\n" * 20000).encode()
        with _atomic.atomic_path(target) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(f"{len(body)}\n".encode())
                for i in range(0, len(body), 4096):
                    fh.write(body[i : i + 4096])
    else:
        def fill(tmp, v=version):
            for i in range(5):
                (tmp / f"f{i}.txt").write_text(f"{v}\n" * 100)
            (tmp / "manifest.txt").write_text(f"{v} 5\n")
        _atomic.atomic_folder(target, fill, replaceable=lambda rel: True)
"""


def file_complete(path: Path) -> None:
    head, _, body = path.read_bytes().partition(b"\n")
    assert len(body) == int(head)
    lines = set(body.decode().split())
    assert len(lines) == 1  # one version only


def kill_runs(kind: str, target: Path, mode: str, kills: int, seed: int) -> int:
    """Start the writer ``kills`` times, SIGKILL it at a random moment; return leftovers."""
    rng = random.Random(seed)
    print(f"kill test seed={seed}")
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(SRC), kind, str(target), mode],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.005, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        if kind == "file":
            file_complete(target)
        else:
            if not target.exists():
                assert mode == "no-exchange"  # the documented window of the fallback
                assert recover_folder(target)
            folder_complete(target)
    return sum(TEMP_MARK in p.name or OLD_MARK in p.name for p in target.parent.iterdir())


@pytest.mark.timeout(120)
def test_kill_9_never_leaves_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    body = "1\n" * 20000
    target.write_text(f"{len(body)}\n{body}")
    left = kill_runs("file", target, "exchange", kills=6, seed=random.randrange(2**32))
    print(f"{left} temporaries left by 6 kills")
    assert not clean_stale(tmp_path, name="out.csv")  # young: kept for STALE_AFTER_H
    clean_stale(tmp_path, name="out.csv", older_than_h=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    file_complete(target)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mode", ["exchange", "no-exchange"])
def test_kill_9_always_leaves_one_complete_folder(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "net"
    atomic_folder(target, fill_version(1), replaceable=lambda r: True)
    left = kill_runs("folder", target, mode, kills=5, seed=random.randrange(2**32))
    print(f"{left} temporaries left by 5 kills")
    clean_stale(tmp_path, name="net", older_than_h=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net"]
    folder_complete(target)


@pytest.mark.timeout(120)
def test_folder_path_never_missing_while_swapped(tmp_path: Path) -> None:
    target = tmp_path / "net"
    atomic_folder(target, fill_version(1), replaceable=lambda r: True)
    if not atomic_module._exchange(tmp_path / "net", target):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(SRC), "folder", str(target), "exchange"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    looks, missing = 0, 0
    try:
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            looks += 1
            missing += not os.path.isdir(target)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert looks > 1000
    assert missing == 0
    folder_complete(target)


# --------------------------------------------------------------------------- every writer
def _writers() -> dict[str, object]:
    import numpy as np

    from corridor.demand import Demand, write_demand_csv, write_omx
    from corridor.network import write_geojson, write_gmns
    from corridor.testing import tiny_network

    demand = Demand.from_matrix(["a", "b"], np.array([[0.0, 1.0], [2.0, 0.0]]))
    return {
        "geojson": lambda p: write_geojson(tiny_network(), p / "net.geojson"),
        "gmns": lambda p: write_gmns(tiny_network(), p / "gmns"),
        "demand csv": lambda p: write_demand_csv(demand, p / "od.csv"),
        "omx": lambda p: write_omx(demand, p / "od.omx"),
    }


@pytest.mark.parametrize("name", ["geojson", "gmns", "demand csv", "omx"])
def test_every_writer_gives_umask_modes_and_leaves_no_temp(
    tmp_path: Path, umask_022: object, name: str
) -> None:
    _writers()[name](tmp_path)  # type: ignore[operator]
    for path in tmp_path.rglob("*"):
        assert TEMP_MARK not in path.name
        assert mode_of(path) == (0o755 if path.is_dir() else 0o644), path


@pytest.mark.parametrize("name", ["demand csv", "omx", "geojson", "gmns"])
def test_every_writer_refuses_a_file_as_folder(tmp_path: Path, name: str) -> None:
    (tmp_path / "afile.txt").write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        _writers()[name](tmp_path / "afile.txt")  # type: ignore[operator]


def test_devices_are_written_in_place_never_replaced() -> None:
    before = os.stat("/dev/null")
    atomic_text("/dev/null", "gone")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_named_pipe_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    atomic_text(fifo, "through the pipe")
    out, _ = reader.communicate(timeout=30)
    assert out == b"through the pipe"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
