"""Hardening found by a hostile run: login names normalised for the limiter and for accounts,
a request body limit, no caching of what a session sees, failed logins logged."""
from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest

from conftest import PASSWORD, login


def _csrf(client) -> str:
    page = client.get("/login")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def _login(client, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": _csrf(client), "next": "/"},
                       follow_redirects=False)


# -- names ---------------------------------------------------------------------------------


def test_normalise_name():
    from strikewatch.store.accounts import normalise_name
    assert {normalise_name(n) for n in ("ada", "ada ", " Ada", "ADA\t", "ａｄａ", "\u3000ada")} \
        == {"ada"}
    assert normalise_name("Straße") == "strasse"
    for name in ("ada", "ǅemal", "İlker", "ﬀ", "Ⅻ", "ΣΊΣΥΦΟΣ"):  # stable: stored == looked up
        assert normalise_name(normalise_name(name)) == normalise_name(name)


def test_limiter_lock_holds_for_every_form_of_the_name(client, app):
    """A lock on "rita" (say from failures spread over many addresses) also stops "rita ",
    "RITA" and full-width "ｒｉｔａ", even with the right password; the old limiter keyed on
    the raw name and let "rita " log in."""
    for _ in range(5):
        app.state.limiter.failed("user:rita")
    for name in ("rita ", "RITA", "ｒｉｔａ", "rita"):
        assert _login(client, name, PASSWORD).status_code == 429, name


def test_limiter_unit():
    from strikewatch.serve.security import LoginLimiter
    limiter = LoginLimiter(attempts=2)
    limiter.failed("ip:a", "user:Ada ")
    limiter.failed("ip:a", "user:ADA")
    assert limiter.retry_after("ip:c", "user:ada") > 0
    limiter.succeeded("user: ada")
    assert limiter.retry_after("ip:c", "user:ada") == 0
    assert limiter.retry_after("ip:a") > 0  # addresses are not names: untouched
    assert limiter.retry_after("ip:A") == 0


def test_any_form_of_a_name_logs_in_to_its_account(client):
    assert _login(client, " RITA ", PASSWORD).status_code == 303
    assert client.get("/api/me").json()["name"] == "rita"


def test_names_that_normalise_alike_cannot_both_exist(app):
    from strikewatch.store import accounts
    store = app.state.store
    for name in ("Rita", "rita ", "ｒｉｔａ", "RITA"):
        with pytest.raises(accounts.AccountError, match="exists"):
            accounts.add_user(store, name, "viewer", "another password")
    for name in ("ada\x00", "ada\u200b", "a da", "a\u3000da", "a" * 101, " "):
        with pytest.raises(accounts.AccountError, match="bad user name"):
            accounts.add_user(store, name, "viewer", "another password")
    accounts.add_user(store, " Ada", "viewer", "another password")
    assert accounts.authenticate(store, "ADA", "another password").name == "ada"


def test_a_name_stored_before_normalisation_still_logs_in_and_blocks_its_twins(app):
    from strikewatch.store import accounts
    from strikewatch.store.accounts import _hasher, _now
    from strikewatch.store.models import UserRow
    store = app.state.store
    with store.session() as s, s.begin():
        s.add(UserRow(name="Legacy", role="viewer", password_hash=_hasher.hash(PASSWORD),
                      created_at=_now()))
    assert accounts.authenticate(store, "legacy", PASSWORD).name == "Legacy"
    assert accounts.authenticate(store, "legacy", "wrong password") is None
    with pytest.raises(accounts.AccountError, match="exists"):
        accounts.add_user(store, "legacy", "viewer", "another password")


# -- request body limit --------------------------------------------------------------------


def _error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["status"] == status
    return body["error"]


def test_oversized_body_is_refused_before_auth(client):
    """2 MiB to a write endpoint with no session and no CSRF token: 413 in the API's error
    shape (the old app read it all and answered 403)."""
    big = b'{"a": "' + b"x" * (2 << 20) + b'", "b": "y"}'
    for path in ("/api/events/merge", "/login", "/events/merge"):
        r = client.post(path, content=big, headers={"Content-Type": "application/json"})
        assert _error(r, 413)["code"] == "too_large", path
        assert r.headers["x-content-type-options"] == "nosniff"


def test_body_limit_is_configurable(db_copy):
    from fastapi.testclient import TestClient

    from strikewatch.serve.app import Settings, create_app
    app = create_app(Settings(db=db_copy, max_body=100))
    try:
        with TestClient(app, base_url="https://testserver") as c:
            assert _error(c.post("/api/events/merge", json={"a": "x" * 100, "b": "y"}),
                          413)["code"] == "too_large"
            _error(c.post("/api/events/merge", json={"a": "x", "b": "y"}), 401)  # small: on
    finally:
        app.state.store.close()


def _asgi_post(app, path: str, chunks, headers=()):
    """POST `chunks` to the ASGI app as a chunked body; (status, body, chunks read)."""
    chunks, read, sent = list(chunks), [0], []

    async def receive():
        if read[0] < len(chunks):
            read[0] += 1
            return {"type": "http.request", "body": chunks[read[0] - 1],
                    "more_body": read[0] < len(chunks)}
        await asyncio.sleep(0.01)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "https", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 5000),
             "server": ("testserver", 443),
             "headers": [(b"host", b"testserver"), (b"transfer-encoding", b"chunked"),
                         (b"content-type", b"application/json"), *headers]}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), read[0]


def test_chunked_body_is_counted_as_it_arrives(app):
    """200 chunks of 64 KiB (12.5 MiB) with no Content-Length: refused with 413 after the
    first MiB and a bit, the rest never read."""
    status, body, read = _asgi_post(app, "/api/events/merge", [b"x" * 65536] * 200)
    assert status == 413 and body["error"]["code"] == "too_large"
    assert read <= 17


def test_small_chunked_body_reaches_the_route_whole(app):
    from strikewatch.serve import security
    store = app.state.store
    from strikewatch.store import accounts
    user = accounts.authenticate(store, "rita", PASSWORD)
    token, csrf = accounts.open_session(store, user)
    cookie = f"{security.SESSION_COOKIE}={token}".encode()
    status, body, _ = _asgi_post(app, "/api/events/merge",
                                 [b'{"a": "nosuchevent', b'", "b": "nor', b'this"}'],
                                 [(b"cookie", cookie), (b"x-csrf-token", csrf.encode())])
    # parsed whole (the id is put together from two chunks), authorised and looked up
    assert status == 400 and body["error"]["code"] == "rejected", body
    assert "'nosuchevent'" in body["error"]["message"]


# -- caching -------------------------------------------------------------------------------


def test_nothing_a_session_sees_is_cached(client):
    anonymous = client.get("/api/events")
    assert anonymous.headers["cache-control"] == "no-store"
    login(client)
    event = client.get("/api/events?status=unreviewed").json()["items"][0]["id"]
    document = client.get(f"/api/events/{event}").json()["sources"][0]["document"]
    for path in ("/", f"/events/{event}", f"/documents/{document}", "/review",
                 "/api/events", f"/api/events/{event}", f"/api/documents/{document}",
                 "/api/me", "/feed.atom", "/no/such/page", "/api/no/such"):
        r = client.get(path)
        assert r.headers.get("cache-control") == "no-store", (path, r.status_code)


# -- failed logins logged ------------------------------------------------------------------


def test_failed_login_is_logged_escaped_without_password(client, caplog):
    caplog.set_level(logging.WARNING, logger="strikewatch.serve")
    secret = "Hunter2-not-the-password"
    assert _login(client, " RiTa\n2024 fake line\x1b[31m", secret).status_code == 401
    assert _login(client, "RITA ", secret).status_code == 401
    records = [r for r in caplog.records if r.name == "strikewatch.serve"]
    assert len(records) == 2 and all(r.levelno == logging.WARNING for r in records)
    first, second = (r.getMessage() for r in records)
    assert "ip='testclient'" in first
    assert "user='rita\\n2024 fake line\\x1b[31m'" in first
    assert "user='rita'" in second
    for message in (first, second):
        assert secret not in message and "\n" not in message and "\x1b" not in message
    assert _login(client, "rita", PASSWORD).status_code == 303  # a success is not logged
    assert len([r for r in caplog.records if r.name == "strikewatch.serve"]) == 2
