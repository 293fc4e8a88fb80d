"""Where corridor keeps files it makes for itself: numba's compiled kernels.

numba caches compiled machine code (``cache=True``) beside the source files unless told
otherwise, so an installed corridor would write into ``site-packages``, and the cache's
index is a pickle that numba loads: a file planted there by another user of a shared
environment would be run. :func:`use_user_cache_for_numba` points numba at a per-user
cache folder instead (what ``platformdirs.user_cache_dir("corridor")`` gives, without
the dependency), unless the user chose one with ``NUMBA_CACHE_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["use_user_cache_for_numba", "user_cache_dir"]


def user_cache_dir() -> Path | None:
    r"""Return corridor's per-user cache folder (not created here), or None without a home.

    Linux and other Unix: ``$XDG_CACHE_HOME/corridor`` (``~/.cache/corridor``); macOS:
    ``~/Library/Caches/corridor``; Windows: ``%LOCALAPPDATA%\\corridor\\Cache``.

    Examples
    --------
    >>> user_cache_dir() is None or user_cache_dir().name in ("corridor", "Cache")
    True

    """
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "")
        return Path(local) / "corridor" / "Cache" if os.path.isabs(local) else None
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "corridor"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else home / ".cache"
    return base / "corridor"


def use_user_cache_for_numba() -> None:
    """Set ``NUMBA_CACHE_DIR`` to ``<user cache dir>/numba`` unless the user set it.

    Called when :mod:`corridor` is imported, before any kernel module imports numba. When
    numba was imported first, its loaded configuration is updated as well (numba reads
    the folder when a cached function is defined, which is after this). A folder that
    cannot be created makes numba fall back to its own choice; nothing fails.
    """
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    base = user_cache_dir()
    if base is None:
        return
    folder = str(base / "numba")
    os.environ["NUMBA_CACHE_DIR"] = folder
    config = sys.modules.get("numba.core.config")
    if config is not None and not getattr(config, "CACHE_DIR", ""):
        config.CACHE_DIR = folder  # type: ignore[attr-defined]
