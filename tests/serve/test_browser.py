"""End to end in headless Chromium (Debian's chromium, driven by Playwright): the map, the
timeline brush, filters, an event's highlighted evidence, review, the public view and the
feed, and a hostile report whose payloads must never run. Screenshots of the map, an event
page and the review screen go to artifacts/screenshots (not committed)."""
from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import PASSWORD

CHROMIUM = os.environ.get("STRIKEWATCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("STRIKEWATCH_ARTIFACTS",
                                Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_copy):
    import uvicorn

    from strikewatch.serve.app import Settings, assets_missing, create_app
    settings = Settings(db=db_copy)
    if assets_missing(settings):
        pytest.skip("browser assets missing: run `npm ci --prefix web`")
    app = create_app(settings)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.store.close()


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def test_newsroom_end_to_end(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # log in as a reviewer
    page.goto(f"{server}/login")
    page.fill("input[name=name]", "rita")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_selector("#who")

    # the map: country outlines and clustered markers, the timeline and the table
    page.goto(f"{server}/")
    page.wait_for_selector(".leaflet-marker-icon")
    page.wait_for_selector("body[data-loading='0']", state="attached")
    assert page.locator(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg").count() >= 1
    rows_before = page.locator("#events tbody tr").count()
    assert rows_before > 5
    assert page.locator("#timeline rect.bar").count() > 3
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)

    # brush the timeline: the dates go into the form, the URL, the table and the map
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 35, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=.*to="))
    page.wait_for_selector("body[data-loading='0']", state="attached")
    start = page.input_value("input[name=from]")
    end = page.input_value("input[name=to]")
    assert start <= end
    dates = page.locator("#events tbody tr td:first-child a").all_inner_texts()
    assert all(d == "undated" or start <= d[:10] <= end for d in dates), (start, end, dates)
    assert len(dates) < rows_before

    # filter by type: every row is a strike, and the URL holds the filters
    page.click("#clear")
    page.wait_for_selector("body[data-loading='0']", state="attached")
    page.select_option("select[name=type]", "strike")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"type=strike"))
    page.wait_for_selector("body[data-loading='0']", state="attached")
    types = page.locator("#events tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"strike"}
    linked = page.url
    page.goto(linked)  # the link restores the filters
    page.wait_for_selector("body[data-loading='0']", state="attached")
    assert page.input_value("select[name=type]") == "strike"

    # open an event: its evidence and claims are highlighted in their sentences
    page.click("#events tbody tr:first-child td:first-child a")
    page.wait_for_selector("#event")
    event_url = page.url
    event_id = page.get_attribute("#event", "data-id")
    assert page.locator("q.context mark").count() >= 1
    assert page.locator("q.context mark").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "event.png"), full_page=True)

    # the review screen, then verify this event from its page
    page.goto(f"{server}/review")
    page.wait_for_selector("#queue")
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    page.goto(event_url)
    page.click("#mark-verified")
    page.wait_for_selector("#status.status-verified")

    # the hostile report: shown as text, and nothing of it runs
    page.goto(f"{server}/documents/hostile")
    text = page.inner_text("#doctext")
    assert "<script>window.__pwned" in text and "onerror" in text
    assert page.evaluate("typeof window.__pwned") == "undefined"

    # log out: the public view shows the verified event, in the table and the feed
    page.goto(f"{server}/")
    page.click("header form button[type=submit]")
    page.wait_for_selector("#login-link")
    page.goto(f"{server}/")
    page.wait_for_selector("body[data-loading='0']", state="attached")
    public_ids = page.locator("#events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert public_ids == [event_id]
    feed = page.request.get(f"{server}/feed.atom").text()
    assert f"urn:strikewatch:event:{event_id}" in feed

    assert dialogs == [] and errors == [], (dialogs, errors)
    assert re.match(r"evt-[0-9a-f]+", event_id)
