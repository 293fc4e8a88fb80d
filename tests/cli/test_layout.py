"""Piped output (80 columns) reads well: no line wider than the terminal, no cell cut
(no ellipsis, every id whole on its line), a compact layout where a table would not fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from corridor.cli.main import main
from corridor.network.default import load_default

WIDTH = 80


@pytest.fixture(autouse=True)
def _eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))


def _check_fits(text: str) -> None:
    assert "…" not in text  # rich's mark of a cut cell
    for line in text.splitlines():
        assert cell_len(line.rstrip()) <= WIDTH, line


def test_places_fit_and_keep_every_id_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places"]) == 0
    out = capsys.readouterr().out
    _check_fits(out)
    first_words = {line.split()[0] for line in out.splitlines()[1:] if line[:1].strip()}
    assert set(load_default().places["place_id"]) <= first_words


def test_places_table_when_wide(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "220")
    assert main(["places", "--country", "AZ"]) == 0
    out = capsys.readouterr().out
    assert "┃ place_id" in out
    assert "…" not in out


def test_network_summary_and_check_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "summary"]) == 0
    out = capsys.readouterr().out
    _check_fits(out)
    for word in ("places by country", "places by kind", "links by mode", "links by status"):
        assert word in out
    from corridor.network.gmns import write_gmns

    write_gmns(load_default(), tmp_path / "net")
    assert main(["network", "check", str(tmp_path / "net")]) == 0
    out, _ = capsys.readouterr()
    _check_fits(out)


def test_assign_summary_fits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    net = tmp_path / "x_net.tntp"
    net.write_text(
        "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n"
        "<NUMBER OF LINKS> 3\n<END OF METADATA>\n"
        "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
        "1\t3\t8\t1\t4\t1\t1\t0\t0\t1\t;\n3\t2\t8\t1\t4\t1\t1\t0\t0\t1\t;\n"
        "1\t2\t10\t1\t10\t1\t1\t0\t0\t1\t;\n"
    )
    (tmp_path / "x_trips.tntp").write_text(
        "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 10\n<END OF METADATA>\n\n"
        "Origin 1\n2 : 10.0;\nOrigin 2\n1 : 0.0;\n"
    )
    flows = tmp_path / "flows.csv"
    assert main(["assign", "--tntp", str(net), "--gap", "1e-8", "--flows-out", str(flows)]) == 0
    out = capsys.readouterr().out
    _check_fits(out)
    assert "converged (relative gap <= 1e-08)" in out
    assert flows.read_text().splitlines()[0] == "from,to,flow,cost"
