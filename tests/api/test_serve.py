"""``corridor serve``: options, the workers' factory, and a real start on a free port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corridor.api import app as api_app
from corridor.cli.main import main
from corridor.network.gmns import write_gmns
from corridor.testing import gauge_network


def test_serve_is_registered_with_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--workers", "--network", "127.0.0.1"):
        assert option in out


def test_serve_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


def test_workers_build_the_app_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "net"
    write_gmns(gauge_network(), folder)
    monkeypatch.setenv(api_app.ENV_NETWORK, str(folder))
    monkeypatch.setenv(api_app.ENV_LIMITS, json.dumps({"max_k": 2}))
    monkeypatch.setenv(api_app.ENV_CACHE, "0")
    app = api_app.app_from_environment()
    with TestClient(app) as c:
        health = c.get("/v1/health").json()
        assert health["places"] == 3
        assert health["limits"]["max_k"] == 2
        r = c.get("/v1/routes", params={"origin": "A", "destination": "B", "k": 2})
        assert r.status_code == 200
    assert len(app.state.service.answers) == 0


@pytest.mark.slow
def test_corridor_serve_answers_on_loopback(tmp_path: Path) -> None:
    folder = tmp_path / "net"
    write_gmns(gauge_network(), folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "corridor.cli.main", "serve", "--port", str(port),
           "--network", str(folder), "--workers", "2"]  # fmt: skip
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/v1/health", timeout=2) as r:
                    assert json.loads(r.read())["places"] == 3
                    break
            except OSError:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.5)
        else:
            pytest.fail("corridor serve did not answer in 120 s")
        with urllib.request.urlopen(base + "/v1/routes?origin=A&destination=B&k=1") as r:
            assert json.loads(r.read())["routes"][0]["totals"]["time_h"] == 13.0
        with urllib.request.urlopen(base + "/") as r:
            assert b"leaflet.js" in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
