"""Pages as HTML: escaping of hostile text, no inline script or style, forms with CSRF,
the review screen, and the `users add` command."""
from __future__ import annotations

import re

from typer.testing import CliRunner

from conftest import PASSWORD, login

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def hostile_page(client) -> tuple[str, str]:
    login(client, "vic")
    hits = client.get("/api/events", params={"q": "belaz", "limit": 500}).json()["items"]
    for ev in hits:
        detail = client.get(f"/api/events/{ev['id']}").json()
        if any(s["document"] == "hostile" for s in detail["sources"]):
            return ev["id"], client.get(f"/events/{ev['id']}").text
    raise AssertionError("the hostile report gave no event")


def assert_clean(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)
    assert not STYLE_ATTR.search(html), STYLE_ATTR.search(html).group(0)


def test_hostile_text_is_escaped_everywhere(client):
    eid, html = hostile_page(client)
    assert_clean(html)
    doc = client.get("/documents/hostile").text
    assert_clean(doc)
    assert "&lt;script&gt;window.__pwned" in doc
    assert "&lt;img src=x onerror=" in doc
    assert "&lt;b onmouseover=alert(1)&gt;Title&lt;/b&gt;" in doc
    for url in ("/", "/review", "/login", f"/events/{eid}", "/entities/nope"):
        assert_clean(client.get(url).text)


def test_pages_exist_and_link_up(client):
    login(client, "vic")
    ev = client.get("/api/events", params={"sort": "-sources"}).json()["items"][0]
    page = client.get(f"/events/{ev['id']}").text
    assert "<mark>" in page and "Sources" in page and "History" in page
    assert "Mark verified" not in page  # a viewer cannot review
    if ev["workplace_entity"]:
        ent = client.get(f"/entities/{ev['workplace_entity']}").text
        assert ev["id"] in ent
    assert client.get("/events/evt-nope").status_code == 404


def test_review_screen_verifies_with_a_form(client):
    token = login(client)
    queue = client.get("/review").text
    eid = re.search(r'data-id="(evt-[0-9a-f]+)"', queue).group(1)
    r = client.post(f"/events/{eid}/review", data={"status": "verified", "csrf_token": "bad"},
                    follow_redirects=False)
    assert r.status_code == 403
    r = client.post(f"/events/{eid}/review", data={"status": "verified", "csrf_token": token,
                                                    "next": "/review"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"
    assert f'data-id="{eid}"' not in client.get("/review").text
    assert "verified" in client.get(f"/events/{eid}").text


def test_logged_out_review_screen_asks_to_log_in(client):
    r = client.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_users_add_needs_a_real_password(db_copy):
    from strikewatch import cli
    from strikewatch.store import accounts
    from strikewatch.store.repository import Store
    runner = CliRunner()
    r = runner.invoke(cli.app, ["users", "add", "sam", "--role", "admin", "--password-stdin",
                                "--db", db_copy], input="short\n")
    assert r.exit_code == 2 and "at least 10 characters" in r.output
    r = runner.invoke(cli.app, ["users", "add", "sam", "--role", "admin", "--password-stdin",
                                "--db", db_copy], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    store = Store.open(db_copy)
    try:
        user = accounts.authenticate(store, "sam", PASSWORD)
        assert user is not None and user.role == "admin"
        assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
        assert accounts.authenticate(store, "sam", "wrong password") is None
    finally:
        store.close()
