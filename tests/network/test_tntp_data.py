"""A clone without ../shared: the TNTP tests skip with a clear reason, but never under CI."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"


def load_conftest() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corridor_tests_conftest", CONFTEST)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_data_skips_naming_folder_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conftest = load_conftest()
    monkeypatch.setenv("CORRIDOR_TNTP", str(tmp_path / "nowhere"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as info:
        conftest.require_tntp()
    reason = str(info.value)
    assert str(tmp_path / "nowhere") in reason
    assert "CORRIDOR_TNTP" in reason


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_missing_data_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    conftest = load_conftest()
    monkeypatch.setenv("CORRIDOR_TNTP", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception) as info:
        conftest.require_tntp()
    assert "CI=true" in str(info.value)
    assert "CORRIDOR_TNTP" in str(info.value)


def test_data_found_through_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conftest = load_conftest()
    (tmp_path / "SiouxFalls").mkdir()
    monkeypatch.setenv("CORRIDOR_TNTP", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    assert conftest.require_tntp() == tmp_path


def run_pytest(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "CORRIDOR_TNTP")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(folder)],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=folder,
        timeout=120,
        check=False,
    )


def test_whole_run_skips_locally_and_fails_under_ci(tmp_path: Path) -> None:
    """End to end, in a fresh pytest process: the fixture as a test suite sees it."""
    suite = tmp_path / "suite"
    suite.mkdir()
    shutil.copy(CONFTEST, suite / "conftest.py")
    (suite / "test_uses_tntp.py").write_text(
        "def test_needs_data(tntp_dir):\n    assert (tntp_dir / 'SiouxFalls').is_dir()\n"
    )
    missing = str(tmp_path / "no-tntp")
    local = run_pytest(suite, CORRIDOR_TNTP=missing)
    assert local.returncode == 0, local.stdout + local.stderr
    assert "1 skipped" in local.stdout
    assert missing in local.stdout
    assert "CORRIDOR_TNTP" in local.stdout
    ci = run_pytest(suite, CORRIDOR_TNTP=missing, CI="true")
    assert ci.returncode == 1, ci.stdout + ci.stderr
    assert " skipped" not in ci.stdout.splitlines()[-1]
    assert "1 error" in ci.stdout  # the fixture fails: the test cannot pass by skipping
    assert "CI=true" in ci.stdout
