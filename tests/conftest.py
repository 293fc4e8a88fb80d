"""Shared fixtures: paths to the TNTP networks in ../shared/tntp.

The TNTP test networks (Transportation Networks for Research) are not part of the
repository. Tests that need them take the ``tntp_dir`` fixture: on a machine without the
files they are skipped, with a reason naming the folder looked in and ``CORRIDOR_TNTP``;
under CI (``CI=true``) a missing folder is a failure, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

_REPO = Path(__file__).resolve().parents[1]

# CI runs a fixed set of Hypothesis examples so that a result can be reproduced from the log;
# local runs explore new examples each time (and keep failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: The network whose folder shows that the TNTP files are there.
TNTP_PROBE = "SiouxFalls"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the long ``fuzz`` runs unless ``-m`` names them (``make fuzz`` does)."""
    if "fuzz" in (config.getoption("markexpr", "") or ""):
        return
    keep = [item for item in items if item.get_closest_marker("fuzz") is None]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


def in_ci() -> bool:
    """Return True when running under CI (``CI`` set to true, 1 or yes)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def tntp_root() -> Path:
    """Return the folder holding the TNTP test networks (env CORRIDOR_TNTP overrides)."""
    env = os.environ.get("CORRIDOR_TNTP")
    if env:
        return Path(env)
    for cand in (_REPO.parent / "shared" / "tntp", _REPO.parent.parent / "shared" / "tntp"):
        if cand.is_dir():
            return cand
    return _REPO.parent / "shared" / "tntp"


def require_tntp() -> Path:
    """Return the TNTP folder; skip the test without it, or fail it under CI."""
    root = tntp_root()
    if not (root / TNTP_PROBE).is_dir():
        reason = (
            f"TNTP networks not found: no {TNTP_PROBE}/ under {root}; put the "
            "TransportationNetworks folders there or set CORRIDOR_TNTP to their folder"
        )
        if in_ci():
            pytest.fail(f"{reason} (CI=true: these tests may not be skipped)", pytrace=False)
        pytest.skip(reason)
    return root


@pytest.fixture(scope="session")
def tntp_dir() -> Path:
    return require_tntp()
