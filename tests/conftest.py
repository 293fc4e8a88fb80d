"""Shared fixtures: paths to the TNTP networks in ../shared/tntp."""

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


def tntp_root() -> Path:
    """Return the folder holding the TNTP test networks (env CORRIDOR_TNTP overrides)."""
    env = os.environ.get("CORRIDOR_TNTP")
    if env:
        return Path(env)
    for cand in (_REPO.parent / "shared" / "tntp", _REPO.parent.parent / "shared" / "tntp"):
        if cand.is_dir():
            return cand
    return _REPO.parent / "shared" / "tntp"


@pytest.fixture(scope="session")
def tntp_dir() -> Path:
    root = tntp_root()
    if not (root / "SiouxFalls").is_dir():
        pytest.fail(f"TNTP networks not found under {root}; set CORRIDOR_TNTP")
    return root
