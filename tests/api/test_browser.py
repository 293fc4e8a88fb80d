"""The web map in a real browser (Debian's chromium, headless, driven by Playwright).

Open the page, enter Almaty -> Tehran, see the alternatives drawn, and check that the
panel's numbers are the API's. Every request the page makes must go to the service: any
other is refused and fails the test, so the page works with the network cable unplugged.
The screenshots are saved in the test's temporary folder (printed).

Skips when ``/usr/bin/chromium`` is missing, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import math
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from corridor.api import create_app
from corridor.objectives import DEFAULT_OBJECTIVE

CHROMIUM = Path(os.environ.get("CORRIDOR_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.is_file():
    reason = f"{CHROMIUM} is missing: apt-get install -y chromium (see .ci/needs-api.sh)"
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The API and web map on a free loopback port, served by uvicorn in a thread."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(), log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if srv.started:
            break
        time.sleep(0.1)
    else:  # pragma: no cover - start-up failure
        pytest.fail("the test server did not start in 60 s")
    yield base
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _api(base: str, params: dict[str, Any]) -> dict[str, Any]:
    url = f"{base}/v1/routes?{urlencode(params, doseq=True)}"
    with urllib.request.urlopen(url, timeout=60) as r:
        body: dict[str, Any] = json.loads(r.read())
    return body


def _days(h: float) -> str:
    return f"{h / 24:.1f}"


def _whole(v: float) -> str:
    return f"{math.floor(v + 0.5):,}"  # JavaScript's Math.round, with thousands commas


@pytest.fixture
def page(server: str, tmp_path: Path) -> Iterator[Any]:
    foreign: list[str] = []
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh --user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        here = urlsplit(server).netloc

        def guard(route: Any) -> None:
            if urlsplit(route.request.url).netloc == here:
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(server + "/")
        pg.wait_for_selector("body[data-ready=true]", timeout=60_000)
        yield pg
        context.close()
    assert not errors, errors
    assert not foreign, f"the page asked for resources outside the service: {foreign}"


def _check_panels(pg: Any, api: dict[str, Any]) -> None:
    routes = api["routes"]
    assert routes
    assert pg.locator("article.alt").count() == len(routes)
    for r in routes:
        card = pg.locator(f'article.alt[data-rank="{r["rank"]}"]')
        t = r["totals"]
        assert card.locator('[data-testid="alt-days"]').inner_text() == _days(t["time_h"])
        assert card.locator('[data-testid="alt-usd"]').inner_text() == _whole(t["cost_usd"])
        assert card.locator('[data-testid="alt-co2e"]').inner_text() == _whole(t["co2e_kg"])
        assert card.locator('[data-testid="alt-km"]').inner_text() == _whole(t["length_km"])
        assert float(card.get_attribute("data-time-h")) == t["time_h"]
        assert float(card.get_attribute("data-cost-usd")) == t["cost_usd"]
        assert card.locator('[data-testid="alt-gauge"]').inner_text() == str(
            len(r["gauge_changes"])
        )
        # each alternative is drawn: one SVG path per run leg, in the routes pane
        runs = sum(leg["kind"] == "run" for leg in r["legs"])
        assert pg.locator(f".leaflet-routes-pane path.route-leg.rank-{r['rank']}").count() == runs


def test_almaty_tehran_alternatives_match_the_api(page: Any, server: str, tmp_path: Path) -> None:
    pg = page
    pg.locator("#origin").press_sequentially("Alma", delay=30)
    pg.wait_for_function(
        "() => [...document.querySelectorAll('#origin-list option')]"
        ".some(o => o.value === 'Almaty')",
        timeout=20_000,
    )
    pg.fill("#origin", "Almaty")
    pg.fill("#destination", "Tehran")
    pg.click("#go")
    pg.wait_for_selector("body[data-routes]", timeout=60_000)
    api = _api(
        server,
        {
            "origin": "Almaty",
            "destination": "Tehran",
            "cargo": "container_40ft",
            "units": "1",
            "objective": DEFAULT_OBJECTIVE,
            "k": "3",
        },
    )
    assert pg.locator("body").get_attribute("data-routes") == str(len(api["routes"]))
    _check_panels(pg, api)
    assert pg.locator(".leaflet-marks-pane .mark-border").count() >= 1  # borders marked
    assert pg.locator(".leaflet-network-pane path.net-link").count() > 100  # network drawn
    shot = tmp_path / "almaty-tehran.png"
    pg.screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    # reliability: P50/P90 in the panels and one CDF line per alternative
    pg.click("#reliability-box summary")
    pg.check("#reliability")
    pg.fill("#deadline", "12d")
    pg.click("#go")
    pg.wait_for_selector('[data-testid="alt-p50"]', timeout=120_000)
    api = _api(
        server,
        {
            "origin": "Almaty",
            "destination": "Tehran",
            "cargo": "container_40ft",
            "units": "1",
            "objective": DEFAULT_OBJECTIVE,
            "k": "3",
            "depart": "2026-12-01T08:00",
            "reliability": "true",
            "deadline": "12d",
            "samples": "2000",
            "seed": "1",
        },
    )
    _check_panels(pg, api)
    for r in api["routes"]:
        card = pg.locator(f'article.alt[data-rank="{r["rank"]}"]')
        rel = r["reliability"]
        assert card.locator('[data-testid="alt-p50"]').inner_text() == _days(rel["p50_h"])
        assert card.locator('[data-testid="alt-p90"]').inner_text() == _days(rel["p90_h"])
    assert pg.locator("#cdf polyline.cdf-line").count() == len(api["routes"])
    shot = tmp_path / "almaty-tehran-reliability.png"
    pg.screenshot(path=str(shot))
    print(f"screenshot: {shot}")


def test_unknown_place_shows_suggestions(page: Any) -> None:
    pg = page
    pg.fill("#origin", "Almati")
    pg.fill("#destination", "Tehran")
    pg.click("#go")
    pg.wait_for_selector("#message.error", timeout=30_000)
    assert "Almati" in pg.locator("#message").inner_text()
    pg.locator("#message .suggestions button").first.click()  # 'Almaty': searches again
    pg.wait_for_selector("article.alt", timeout=60_000)
    assert pg.locator("#origin").input_value() == "Almaty"


def test_docs_page_renders_offline(page: Any, server: str) -> None:
    pg = page
    pg.goto(server + "/docs")
    pg.wait_for_selector(".opblock-summary-path", timeout=60_000)  # the 3.1 schema rendered
    paths = pg.locator(".opblock-summary-path").all_inner_texts()
    assert "/v1/routes" in [p.strip() for p in paths]


def _flows(base: str, params: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{base}/v1/flows?{urlencode(params, doseq=True)}",
        headers={"Accept": "application/geo+json"},
    )
    with urllib.request.urlopen(req, timeout=120) as r:
        body: dict[str, Any] = json.loads(r.read())
    return body


def test_flow_layer_draws_the_loaded_links_and_bottlenecks(
    page: Any, server: str, tmp_path: Path
) -> None:
    pg = page
    pg.click("#flows-box summary")
    pg.check("#flows-toggle")
    pg.wait_for_function("() => Number(document.body.dataset.flows) > 0", timeout=120_000)
    api = _flows(server, {})
    drawn = [f for f in api["features"] if f["geometry"]]
    assert pg.locator("body").get_attribute("data-flows") == str(len(drawn))
    assert pg.locator(".leaflet-flows-pane path.flow-link").count() == len(drawn)
    assert pg.locator(".flow-legend").count() == 1
    items = pg.locator("#bottlenecks li")
    assert items.count() == len(api["bottlenecks"])
    first = api["bottlenecks"][0]
    assert items.first.get_attribute("data-id") == first["id"]
    assert f"{100 * first['use_ratio']:.0f} %" in items.first.inner_text()
    shot = tmp_path / "flows.png"
    pg.screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    # growth: the layer is fetched again with the factors; the toggle removes it
    pg.fill("#flows-growth", "KAZ-IRN=1.5")
    pg.locator("#flows-growth").dispatch_event("change")
    pg.wait_for_function(
        "() => document.getElementById('flows-message').textContent.includes('KAZ-IRN=1.5')",
        timeout=120_000,
    )
    grown = _flows(server, {"growth": "KAZ-IRN=1.5"})
    assert grown["totals"]["assigned_t"] > api["totals"]["assigned_t"]
    assert (
        pg.locator("#bottlenecks li").first.get_attribute("data-id")
        == (grown["bottlenecks"][0]["id"])
    )
    pg.uncheck("#flows-toggle")
    pg.wait_for_function("() => document.body.dataset.flows === '0'", timeout=10_000)
    assert pg.locator(".leaflet-flows-pane path.flow-link").count() == 0
    assert pg.locator(".flow-legend").count() == 0
