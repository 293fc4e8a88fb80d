"""The default network's columnar copy (Arrow IPC) equals its CSVs, and is never used stale."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from corridor.network.default import (
    COLUMNAR_DIR,
    default_network_files,
    load_default,
    read_columnar,
    source_digest,
    write_columnar,
)
from corridor.network.gmns import read_gmns


@pytest.fixture(scope="module")
def root() -> Path:
    with resources.as_file(default_network_files()) as path:
        return Path(path)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_dtype=True, check_exact=True)


def test_columnar_copy_equals_the_csvs(root: Path) -> None:
    fast = read_columnar(root)
    assert fast is not None, "columnar copy missing or stale: run `make data`"
    slow = read_gmns(root)
    _same(fast.places, slow.places)
    _same(fast.links, slow.links)
    assert list(fast.parameters) == list(slow.parameters)
    for name, table in slow.parameters.items():
        _same(fast.parameters[name], table)
    assert dict(fast.metadata) == dict(slow.metadata)


def test_load_default_reads_the_copy_and_names_the_network(root: Path) -> None:
    net = load_default()
    assert net.metadata["name"] == "default"
    _same(net.links, read_gmns(root).links)


def test_a_stale_copy_is_not_used(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "default"
    shutil.copytree(root, copy)
    assert read_columnar(copy) is not None
    node = copy / "node.csv"
    node.write_text(node.read_text(encoding="utf-8").replace("Almaty", "Almaty2"), "utf-8")
    assert read_columnar(copy) is None  # the CSVs changed: the digest differs
    write_columnar(read_gmns(copy), copy)
    fresh = read_columnar(copy)
    assert fresh is not None
    assert "Almaty2" in set(fresh.places["name"])


def test_a_damaged_copy_is_not_used(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "default"
    shutil.copytree(root, copy)
    (copy / COLUMNAR_DIR / "links.arrow").write_bytes(b"not arrow")
    assert read_columnar(copy) is None
    (copy / COLUMNAR_DIR / "manifest.json").write_text("{", encoding="utf-8")
    assert read_columnar(copy) is None


def test_writing_is_deterministic(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "default"
    shutil.copytree(root, copy)
    write_columnar(read_gmns(copy), copy)
    for path in sorted((root / COLUMNAR_DIR).iterdir()):
        assert (copy / COLUMNAR_DIR / path.name).read_bytes() == path.read_bytes(), path.name
    assert source_digest(copy) == source_digest(root)
