"""Malformed TNTP files: each gives a FormatError through the API and exit 2 through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.cli.main import main
from corridor.errors import CorridorError, FormatError
from corridor.network import read_network

HEADER = (
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> {links}\n"
    "<END OF METADATA>\n\n"
)
COLUMNS = "~ init_node term_node capacity length free_flow_time b power speed toll link_type ;\n"
ROW_12 = "\t1\t2\t100\t1\t1\t0.15\t4\t0\t0\t1\t;\n"
ROW_23 = "\t2\t3\t100\t1\t1\t0.15\t4\t0\t0\t1\t;\n"
GOOD = HEADER.format(links=2) + COLUMNS + ROW_12 + ROW_23

CASES = {
    "empty file": "",
    "wrong link count": HEADER.format(links=3) + COLUMNS + ROW_12 + ROW_23,
    "missing end of metadata": GOOD.replace("<END OF METADATA>\n", ""),
    "non-numeric capacity": GOOD.replace("\t100\t1\t1\t0.15", "\tlots\t1\t1\t0.15", 1),
    "truncated row": HEADER.format(links=2) + COLUMNS + ROW_12 + "\t2\t3\t100",
    "metadata only": HEADER.format(links=2),
}


def test_good_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "good_net.tntp"
    path.write_text(GOOD)
    assert read_network(path, check=False).n_links == 2


@pytest.mark.parametrize("name", sorted(CASES))
def test_api_format_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad_net.tntp"
    path.write_text(CASES[name])
    with pytest.raises(CorridorError) as info:
        read_network(path)
    assert isinstance(info.value, FormatError), type(info.value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_exit_2_nothing_written(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad_net.tntp"
    path.write_text(CASES[name])
    assert main(["network", "check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # problems are diagnostics: stderr
    assert err.splitlines()[0].startswith("error: ")
    assert "Traceback" not in out + err
    geojson = tmp_path / "out.geojson"
    assert main(["network", "export", str(path), "--geojson", str(geojson)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not geojson.exists()
