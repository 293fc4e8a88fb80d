"""Imports run one way: the import-linter contract of pyproject.toml holds, and no module of
the package imports the package's own ``__init__``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "corridor"


def test_layer_contract_is_kept() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe is not None, "lint-imports (import-linter) is not installed: pip install -e '.[dev]'"
    out = subprocess.run(
        [exe], cwd=SRC.parents[1], capture_output=True, text=True, check=False, timeout=120
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 kept, 0 broken" in out.stdout


def test_no_module_imports_the_package_init() -> None:
    pattern = re.compile(r"^\s*(from corridor import |import corridor\s*$)", re.MULTILINE)
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if p.name != "__init__.py" or p.parent != SRC
        if pattern.search(p.read_text(encoding="utf-8").split('"""', 2)[-1])
    ]
    assert not offenders, offenders
