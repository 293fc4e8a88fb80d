from __future__ import annotations

from datetime import datetime

import pytest

from corridor.errors import InputError
from corridor.formats.inputs import parse_deadline, parse_depart


def test_parse_depart_and_deadline() -> None:
    assert parse_depart("2026-12-01T08:00") == datetime(2026, 12, 1, 8, 0)
    assert parse_deadline("12d") == 288.0
    assert parse_deadline("36h") == 36.0
    assert parse_deadline(" 2.5 D ") == 60.0
    for bad in ("", "12w", "-3d", "0h", "d", "1" * 70, "1e308d"):
        with pytest.raises(InputError, match="deadline") as info:
            parse_deadline(bad)
        assert info.value.argument == "deadline"
    with pytest.raises(InputError, match="depart") as info:
        parse_depart("tomorrow")
    assert info.value.argument == "depart"
    assert info.value.to_dict()["allowed"]
