"""Every malformed cursor, filter, id or body is a 4xx in the one error shape, on SQLite and on
PostgreSQL (which cannot hold a NUL character nor compare an integer beyond int64)."""
from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD

# what a URL can carry: any character but lone surrogates
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
FILTERS = ("from", "to", "type", "place", "region", "country", "workplace", "entity",
           "status", "min_sources", "q", "sort", "limit")
SORTS = ("date", "-date", "sources", "-sources", "participants", "-participants")
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6)
# cursors as the API writes them (base64 of JSON [value, id]) with any value inside, huge
# integers first among them, and plain junk
CURSORS = st.one_of(
    st.tuples(st.integers(min_value=-(2 ** 80), max_value=2 ** 80) | JSONISH, JSONISH).map(
        lambda pair: base64.urlsafe_b64encode(json.dumps(list(pair)).encode())
        .decode().rstrip("=")),
    st.builds(lambda d, e: base64.urlsafe_b64encode(json.dumps([{"d": d}, e]).encode())
              .decode().rstrip("="), JSONISH, JSONISH),
    TEXT)
PROPERTY = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def _is_client_error(r) -> None:
    """A 2xx, or a 4xx carrying {"error": {"status", "code", "message"}}: never a 5xx."""
    assert r.status_code < 500, (r.request.url, r.status_code, r.text[:300])
    if r.status_code >= 400 and r.request.url.path.startswith("/api/"):
        error = r.json()["error"]
        assert error["status"] == r.status_code and error["code"] and error["message"], r.text


@pytest.fixture
def client(db_url):
    from fastapi.testclient import TestClient

    from strikewatch.serve.app import Settings, create_app
    from strikewatch.store import accounts
    from strikewatch.store.repository import Store
    store = Store.open(db_url)
    accounts.add_user(store, "rita", "reviewer", PASSWORD)
    app = create_app(Settings(db=db_url, public="all"), store=store)
    user = accounts.authenticate(store, "rita", PASSWORD)
    token, csrf = accounts.open_session(store, user)
    try:
        with TestClient(app, base_url="https://testserver",
                        raise_server_exceptions=False) as c:
            c.reviewer = {"Cookie": f"sw_session={token}", "X-CSRF-Token": csrf}
            yield c
    finally:
        store.close()


def test_cursors(client):
    @PROPERTY
    @given(cursor=CURSORS, sort=st.sampled_from(SORTS))
    def check(cursor, sort):
        _is_client_error(client.get("/api/events", params={"cursor": cursor, "sort": sort}))
    check()


def test_int64_edges_of_a_cursor(client):
    for value in (2 ** 63 - 1, 2 ** 63, -(2 ** 63), -(2 ** 63) - 1, 10 ** 30):
        for sort in ("sources", "participants"):
            cursor = base64.urlsafe_b64encode(json.dumps([value, "evt-x"]).encode()).decode()
            r = client.get("/api/events", params={"cursor": cursor, "sort": sort})
            _is_client_error(r)
            assert r.status_code == (200 if -(2 ** 63) <= value < 2 ** 63 else 400), (value, r.text)


def test_filters(client):
    @PROPERTY
    @given(params=st.dictionaries(st.sampled_from(FILTERS), TEXT, max_size=4),
           path=st.sampled_from(["/api/events", "/api/points", "/api/timeline",
                                 "/api/export/events.csv", "/api/entities", "/"]))
    def check(params, path):
        _is_client_error(client.get(path, params=params))
    check()


def test_ids_in_paths_and_bodies(client):
    @settings(PROPERTY, max_examples=50)
    @given(ident=TEXT.filter(lambda t: t.strip("/.") == t and t),
           body=st.dictionaries(st.sampled_from(["a", "b", "documents", "mentions", "status",
                                                 "alias", "note"]), JSONISH, max_size=3))
    def check(ident, body):
        ident = quote(ident, safe="")
        for path in (f"/api/events/{ident}", f"/api/documents/{ident}",
                     f"/api/entities/{ident}", f"/events/{ident}", f"/entities/{ident}"):
            _is_client_error(client.get(path))
            _is_client_error(client.get(path, headers=client.reviewer))
        for path in ("/api/events/merge", f"/api/events/{ident}/review",
                     f"/api/events/{ident}/split", "/api/entities/merge"):
            _is_client_error(client.post(path, json=body, headers=client.reviewer))
    check()


def test_a_nul_in_an_address_is_a_bad_request(client):
    for path in ("/api/events/a%00b", "/api/documents/x%00", "/api/events?region=%00",
                 "/api/timeline?place=a%00"):
        r = client.get(path)
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request", path
