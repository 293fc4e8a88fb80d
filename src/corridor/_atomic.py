"""Atomic file and folder writing: nothing half-written is ever left at the target.

Every writer of corridor (GMNS, GeoJSON, OMX, CSV, plots) writes into a temporary file in
the target's folder and renames it over the target only when the write succeeded. What a
user can count on:

- **No partial file, ever.** The path names either the old file or the whole new one:
  the data is written to ``.NAME.corridor-tmp-PID-XXXXXXXX`` beside the target, flushed
  to disk (``fsync``), renamed over the target (``os.replace``) and the folder is flushed
  too, so a crash or power loss cannot leave a new name pointing at unwritten data.
- **Modes as for any new file.** A new file gets the mode the umask gives (``0o666 &
  ~umask``; folders ``0o777 & ~umask``); an existing file or folder keeps its permission
  bits (and, where allowed, its owner and group).
- **Symlinks are followed.** Writing to a symlink writes the file it points to; the link
  stays.
- **Devices are written in place.** A target that exists and is not a regular file or a
  folder (``/dev/null``, ``/dev/stdout``, a named pipe) is written directly, as a shell
  redirection would; it is never replaced.
- **Clean-up.** On any error the temporary file is removed. A process killed with
  SIGKILL cannot clean up; its temporary file keeps the name above, and the next write to
  the same target (or :func:`clean_stale`) removes it once it is older than
  :data:`STALE_AFTER_H` hours *and* the process ``PID`` no longer runs on this machine.

:func:`atomic_folder` gives a folder the same guarantee: the new folder is filled beside
the target and swapped in by one atomic exchange of the two names (Linux
``renameat2(RENAME_EXCHANGE)``), so the path always names one complete folder, the old
or the new. Where the exchange is not available (another OS, a file system without it),
it falls back to two renames: the old folder is renamed to
``.NAME.corridor-old-PID-XXXXXXXX``, then the new one into place. A kill between those
two renames leaves no folder at the path but two complete ones beside it; the next
write to it (or :func:`recover_folder`) renames the old one back.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from corridor.errors import InputError

__all__ = [
    "OLD_MARK",
    "STALE_AFTER_H",
    "TEMP_MARK",
    "atomic_folder",
    "atomic_path",
    "atomic_text",
    "clean_stale",
    "recover_folder",
]

#: Marks a temporary file or folder: ``.NAME`` + mark + ``PID-XXXXXXXX``.
TEMP_MARK = ".corridor-tmp-"
#: Marks an old folder moved aside by the two-rename fallback of :func:`atomic_folder`.
OLD_MARK = ".corridor-old-"
#: A leftover temporary is removed only when older than this (hours) and its PID is dead.
STALE_AFTER_H = 24.0

#: Longest part of the target's name kept in a temporary name (names are <= 255 bytes).
_NAME_KEEP = 180
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _short(name: str) -> str:
    return (
        name
        if len(name.encode()) <= _NAME_KEEP
        else name.encode()[:_NAME_KEEP].decode("utf-8", "ignore")
    )


def _new_name(target: Path, mark: str) -> Path:
    token = secrets.token_hex(4)
    return target.parent / f".{_short(target.name)}{mark}{os.getpid()}-{token}"


def _parse(entry: str, name: str, mark: str) -> int | None:
    """Return the PID of a temporary name made by :func:`_new_name` for ``name``, or None."""
    prefix = f".{_short(name)}{mark}"
    if not entry.startswith(prefix):
        return None
    pid, dash, token = entry[len(prefix) :].partition("-")
    if (
        not dash
        or not pid.isdigit()
        or len(pid) > 10
        or len(token) != 8
        or any(c not in "0123456789abcdef" for c in token)
    ):
        return None
    return int(pid)


def _owner(entry: str, name: str | None) -> tuple[str, int, str] | None:
    """Return (target name, PID, mark) of a temporary's name, or None for other names."""
    if not entry.startswith("."):
        return None
    for mark in (TEMP_MARK, OLD_MARK):
        if name is not None:
            candidates = [name]
        else:
            head, found, _ = entry.rpartition(mark)
            candidates = [head[1:]] if found else []
        for cand in candidates:
            pid = _parse(entry, cand, mark)
            if pid is not None:
                return cand, pid, mark
    return None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not ours to judge
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _remove(path: Path) -> None:
    st = os.lstat(path)
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean_stale(
    folder: str | os.PathLike[str],
    *,
    name: str | None = None,
    older_than_h: float = STALE_AFTER_H,
) -> list[Path]:
    """Remove temporaries left in ``folder`` by killed corridor processes.

    Only entries named ``.NAME.corridor-tmp-PID-XXXXXXXX`` (and the ``corridor-old``
    folders of a finished swap) are considered, and only those whose last change is older
    than ``older_than_h`` hours and whose ``PID`` is not a running process. A symlink so
    named is removed itself, never followed.

    Parameters
    ----------
    folder : path-like
        The folder to clean.
    name : str, optional
        Only temporaries of this target file name (default: of every target).
    older_than_h : float, default STALE_AFTER_H
        Minimum age in hours.

    Returns
    -------
    list of pathlib.Path
        What was removed.

    Examples
    --------
    >>> import tempfile, pathlib, subprocess, sys
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
    ...                       capture_output=True, text=True).stdout.strip()
    >>> _ = (d / f".out.csv.corridor-tmp-{dead}-0123abcd").write_text("half")
    >>> _ = (d / "out.csv").write_text("kept")
    >>> [p.name for p in clean_stale(d, older_than_h=0)]  # doctest: +ELLIPSIS
    ['.out.csv.corridor-tmp-...-0123abcd']
    >>> sorted(p.name for p in d.iterdir())
    ['out.csv']
    """
    base = Path(folder)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        owner = _owner(entry.name, name)
        if owner is None:
            continue
        target_name, pid, mark = owner
        if _pid_alive(pid):
            continue
        try:
            age_h = (now - entry.stat(follow_symlinks=False).st_mtime) / 3600.0
            if age_h < older_than_h:
                continue
            if mark == OLD_MARK and not (base / target_name).exists():
                continue  # maybe the only copy left: recover_folder puts it back
            path = Path(entry.path)
            _remove(path)
            removed.append(path)
        except OSError:
            continue
    return removed


def _check_path(path: object) -> None:
    if not isinstance(path, str | os.PathLike) or (isinstance(path, str) and not path.strip()):
        raise InputError(
            f"path must be a file or folder name (str or os.PathLike), got {path!r}",
            argument="path",
            value=path,
            allowed="a non-empty str or os.PathLike",
        )


def _resolve(path: str | os.PathLike[str]) -> Path:
    """Return the path to write: ``path``, or what it points to when it is a symlink."""
    _check_path(path)
    target = Path(path).expanduser()
    if not target.is_symlink():
        return target
    real = Path(os.path.realpath(target))
    if real.is_symlink():
        raise InputError(
            f"path {str(target)!r} is a symlink loop; give a file name", argument="path"
        )
    return real


def _fsync_path(path: Path, *, folder: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if folder else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if folder:
            return  # some systems cannot open a folder; the rename is done all the same
        raise
    try:
        os.fsync(fd)
    except OSError as err:
        if not folder or err.errno not in (errno.EINVAL, errno.EBADF, errno.EROFS):
            raise
    finally:
        os.close(fd)


def _keep_owner(path: Path, old: os.stat_result) -> None:
    """Give ``path`` the permission bits (and, where allowed, owner and group) of ``old``."""
    os.chmod(path, stat.S_IMODE(old.st_mode) & 0o777)
    st = os.stat(path)
    if (st.st_uid, st.st_gid) == (old.st_uid, old.st_gid) or not hasattr(os, "chown"):
        return
    try:
        os.chown(path, old.st_uid, old.st_gid)
    except OSError:
        with suppress(OSError):
            os.chown(path, -1, old.st_gid)


def _cannot(target: Path, err: OSError) -> InputError:
    return InputError(
        f"cannot write {str(target)!r}: {err.strerror or err}", argument="path", value=str(target)
    )


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` if the block succeeds.

    The caller writes the temporary file (it exists, empty, with the mode a new file
    gets); on leaving the block it is flushed to disk, given the mode of the file it
    replaces (if any) and renamed over the target. See the module docstring for what
    is guaranteed.

    Parameters
    ----------
    path : path-like
        The target file. Its folder must exist. A symlink is followed.

    Yields
    ------
    pathlib.Path
        An empty temporary file in the target's folder, to be written by the caller.

    Raises
    ------
    InputError
        If ``path`` is a folder, a symlink loop, a read-only file, or its folder cannot
        be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hi")
    >>> target.read_text()
    'hi'
    """
    _check_path(path)
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except (OSError, ValueError):
        special = False
    if special:  # a device, pipe or socket (/dev/null, /dev/stdout): written in place
        yield Path(path)
        return
    target = _resolve(path)
    if target.is_dir():
        raise InputError(f"path {str(target)!r} is a folder; give a file name", argument="path")
    folder = target.parent if str(target.parent) else Path(".")
    old: os.stat_result | None = None
    try:
        old = os.stat(target)
    except FileNotFoundError:
        pass
    except OSError as err:
        raise _cannot(target, err) from err
    if old is not None and not os.access(target, os.W_OK):
        raise InputError(
            f"cannot write {str(target)!r}: the file is read-only",
            argument="path",
            value=str(target),
        )
    clean_stale(folder, name=target.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = _new_name(target, TEMP_MARK)
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as to any new file
            break
        except FileExistsError:
            continue
        except OSError as err:
            raise _cannot(target, err) from err
    else:  # pragma: no cover - 100 random names taken
        raise InputError(
            f"cannot write {str(target)!r}: no free temporary name",
            argument="path",
            value=str(target),
        )
    try:
        new_mode = os.fstat(fd).st_mode
    finally:
        os.close(fd)
    try:
        yield tmp
        if old is not None:
            _keep_owner(tmp, old)
        else:
            os.chmod(tmp, stat.S_IMODE(new_mode))  # whatever the writer did to it
        _fsync_path(tmp)
        os.replace(tmp, target)
        _fsync_path(folder, folder=True)
    except BaseException:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def atomic_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, atomically (see :func:`atomic_path`).

    Raises
    ------
    InputError
        As :func:`atomic_path`, or when the disk is full.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_text(p, "hi")
    >>> p.read_text()
    'hi'
    """
    _check_path(path)
    target = Path(path)
    with atomic_path(target) as tmp:
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as err:
            raise _cannot(target, err) from err


# --------------------------------------------------------------------------- folders
def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return False
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_tree(root: Path) -> None:
    for here, _, files in os.walk(root):
        for name in files:
            _fsync_path(Path(here) / name)
        _fsync_path(Path(here), folder=True)


def recover_folder(path: str | os.PathLike[str]) -> bool:
    """Put back a folder left aside by a kill in the middle of :func:`atomic_folder`.

    Only needed where the atomic exchange is not available: when ``path`` does not
    exist but an old copy ``.NAME.corridor-old-PID-XXXXXXXX`` of a process that no longer
    runs is beside it, the newest such copy is renamed back to ``path``.

    Parameters
    ----------
    path : path-like
        The folder.

    Returns
    -------
    bool
        True if a folder was put back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> recover_folder(pathlib.Path(tempfile.mkdtemp()) / "net")
    False
    """
    target = _resolve(path)
    if target.exists() or target.is_symlink():
        return False
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return False
    found = []
    for entry in entries:
        pid = _parse(entry.name, target.name, OLD_MARK)
        if pid is not None and not _pid_alive(pid) and entry.is_dir(follow_symlinks=False):
            found.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    if not found:
        return False
    try:
        os.rename(max(found)[1], target)
    except OSError:
        return False
    _fsync_path(target.parent, folder=True)
    return True


def atomic_folder(
    path: str | os.PathLike[str],
    fill: Callable[[Path], None],
    *,
    replaceable: Callable[[Path], bool],
) -> None:
    """Create or replace folder ``path`` all at once: fill a temporary folder, then swap.

    ``fill`` writes every file into a new folder ``.NAME.corridor-tmp-PID-XXXXXXXX``
    beside ``path``; the files are flushed to disk and the folder takes the place of
    ``path`` in one atomic exchange, so ``path`` always names one complete folder (see
    the module docstring for the fallback where the exchange is not available). On any
    error the temporary folder is removed and ``path`` is as it was.

    Parameters
    ----------
    path : str or path-like
        The folder to create or replace (a symlink to a folder is followed).
    fill : callable
        Called with the temporary folder; writes every file.
    replaceable : callable
        Called with each file under an existing ``path`` (relative to it); the folder is
        only replaced when it returns true for all of them (so a folder holding other
        files is never deleted).

    Raises
    ------
    InputError
        If ``path`` exists and is not a folder of replaceable files, or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "net"
    >>> atomic_folder(out, lambda tmp: (tmp / "a.csv").write_text("x") and None,
    ...               replaceable=lambda rel: rel.name == "a.csv")
    >>> sorted(p.name for p in out.iterdir())
    ['a.csv']
    """
    target = _resolve(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _cannot(target, err) from err
    recover_folder(target)
    clean_stale(target.parent, name=target.name)
    old_stat: os.stat_result | None = None
    if target.exists():
        if not target.is_dir():
            raise InputError(f"path {str(target)!r} exists and is not a folder", argument="path")
        foreign = [
            str(p.relative_to(target))
            for p in sorted(target.rglob("*"))
            if not p.is_dir() and not replaceable(p.relative_to(target))
        ]
        if foreign:
            raise InputError(
                f"path {str(target)!r} exists and holds other files ({', '.join(foreign[:5])}); "
                "choose a new or empty folder",
                argument="path",
            )
        old_stat = os.stat(target)
    for _ in range(100):
        tmp = _new_name(target, TEMP_MARK)
        try:
            os.mkdir(tmp, 0o777)  # the umask applies, as to any new folder
            break
        except FileExistsError:
            continue
        except OSError as err:
            raise _cannot(target, err) from err
    else:  # pragma: no cover - 100 random names taken
        raise InputError(
            f"cannot write {str(target)!r}: no free temporary name",
            argument="path",
            value=str(target),
        )
    aside: Path | None = None
    try:
        fill(tmp)
        _fsync_tree(tmp)
        if old_stat is not None:
            _keep_owner(tmp, old_stat)
            if not _exchange(tmp, target):
                aside = _new_name(target, OLD_MARK)
                os.rename(target, aside)
                os.rename(tmp, target)
            # tmp (or aside) now holds the old folder
        else:
            os.rename(tmp, target)
        _fsync_path(target.parent, folder=True)
    except BaseException as err:
        if aside is not None and not target.exists():
            os.rename(aside, target)
            aside = None
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError):
            raise _cannot(target, err) from err
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
