from __future__ import annotations

import json

import pytest

from corridor.cli.main import main


def test_places_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "--country", "KZ", "--kind", "port", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["place_id"] for r in rows] == ["KZ_AKTAU_PORT", "KZ_KURYK"]


def test_places_bad_country_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "--country", "XX"]) == 2
    assert "country 'XX'" in capsys.readouterr().err
