"""The JSON API in process: visibility, filters, keyset pagination, one error shape, review
with CSRF, the Atom feed, exports."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from conftest import login

ATOM = "{http://www.w3.org/2005/Atom}"


def error_of(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def all_events(client, **params) -> list[dict]:
    return client.get("/api/events", params={"limit": 500, **params}).json()["items"]


def test_logged_out_readers_see_verified_events_only(client):
    assert all_events(client) == []
    assert client.get("/api/points").json() == {"points": []}
    assert client.get("/api/timeline").json() == {"days": []}
    login(client, "vic")  # a viewer sees everything, and cannot review
    events = all_events(client)
    assert len(events) > 5
    error_of(client.get(f"/api/events/{events[0]['id']}/review"), 405)


def test_review_verifies_an_event_for_the_public_view_and_the_feed(client):
    csrf = login(client)
    eid = all_events(client, sort="-sources")[0]["id"]
    error_of(client.post(f"/api/events/{eid}/review", json={"status": "verified"}), 403)
    r = client.post(f"/api/events/{eid}/review", json={"status": "verified"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    client.cookies.clear()
    public = all_events(client)
    assert [e["id"] for e in public] == [eid]
    detail = client.get(f"/api/events/{eid}").json()
    assert detail["review_status"] == "verified" and detail["verified_at"]
    assert detail["audit"][-1]["action"] == "events.review"
    assert detail["audit"][-1]["actor"] is None  # reviewers' names are not public
    feed = ET.fromstring(client.get("/api/feed.atom").content)
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"urn:strikewatch:event:{eid}"]
    assert client.get("/feed.atom").headers["content-type"].startswith("application/atom+xml")


def test_review_needs_a_reviewer(client):
    eid = "evt-0"
    error_of(client.post(f"/api/events/{eid}/review", json={"status": "verified"}), 401)
    csrf = login(client, "vic")
    error_of(client.post(f"/api/events/{eid}/review", json={"status": "verified"},
                         headers={"X-CSRF-Token": csrf}), 403)


def test_edits_and_statuses_survive_re_ingest(client, app, extractor):
    from strikewatch.store.repository import Store
    csrf = login(client)
    ev = next(e for e in all_events(client, sort="-sources") if e["participants"])
    h = {"X-CSRF-Token": csrf}
    assert client.patch(f"/api/events/{ev['id']}", json={"changes": {"participants_low": 1234,
                        "participants_high": 1234}}, headers=h).status_code == 200
    assert client.post(f"/api/events/{ev['id']}/review", json={"status": "verified"},
                       headers=h).status_code == 200
    store: Store = app.state.store
    detail = client.get(f"/api/events/{ev['id']}").json()
    docs = [s["document"] for s in detail["sources"]]
    for doc in store.documents():  # every source extracted and stored again
        if doc.id in docs:
            from strikewatch.types import Document
            again = extractor.extract(Document(doc.id, doc.text, title=doc.title,
                                               publisher=doc.publisher, published=doc.published,
                                               source=doc.origin, content_hash="new"))
            store.save(again)
    after = client.get(f"/api/events/{ev['id']}").json()
    assert after["review_status"] == "verified"
    assert (after["participants"]["low"], after["participants"]["high"]) == (1234, 1234)
    error_of(client.patch(f"/api/events/{ev['id']}", json={"changes": {"arrests_low": "many"}},
                          headers=h), 400)
    error_of(client.patch(f"/api/events/{ev['id']}", json={"changes": {"id": "x"}},
                          headers=h), 400)


def test_keyset_pages_walk_every_event_once_in_order(client):
    login(client, "vic")
    for sort in ("-date", "date", "-sources", "participants"):
        whole = [e["id"] for e in all_events(client, sort=sort)]
        walked, cursor = [], None
        while True:
            params = {"limit": 3, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = client.get("/api/events", params=params).json()
            walked += [e["id"] for e in page["items"]]
            cursor = page["next"]
            if not cursor:
                break
        assert walked == whole and len(set(walked)) == len(walked), sort
    dates = [e["date_start"] for e in all_events(client, sort="date") if e["date_start"]]
    assert dates == sorted(dates)


def test_filters(client):
    login(client, "vic")
    every = all_events(client)
    strikes = all_events(client, type="strike")
    assert strikes and all(e["type"] == "strike" for e in strikes) and len(strikes) < len(every)
    belaz = all_events(client, q="belaz")
    assert belaz and all("BelAZ" in (e["workplace"] or "") for e in belaz)
    many = all_events(client, min_sources=2)
    assert all(e["independent_sources"] >= 2 for e in many)
    aug = all_events(client, **{"from": "2020-08-01", "to": "2020-08-31"})
    assert aug and all("2020-08" <= e["date_start"] <= "2020-08-31" for e in aug)
    town = every[0]["place"]
    assert all(e["place"] == town for e in all_events(client, place=town))
    wp = next(e for e in every if e["workplace_entity"])
    assert wp["id"] in [e["id"] for e in all_events(client, workplace=wp["workplace_entity"])]
    ent = client.get(f"/api/entities/{wp['workplace_entity']}").json()
    assert wp["id"] in [e["id"] for e in ent["events"]]
    assert wp["id"] in [e["id"] for e in all_events(client, entity=wp["workplace_entity"])]


@pytest.mark.parametrize("url, status", [
    ("/api/events?sort=bad", 400), ("/api/events?cursor=%%%", 400),
    ("/api/events?from=yesterday", 400), ("/api/events?type=party", 400),
    ("/api/events?limit=0", 400), ("/api/events/evt-nope", 404),
    ("/api/documents/nope", 404), ("/api/entities/nope", 404), ("/api/nothing", 404),
    ("/api/export/events.xlsx", 400),
])
def test_every_error_has_one_shape(client, url, status):
    error_of(client.get(url), status)


def test_exports_and_documents_follow_the_public_view(client):
    assert client.get("/api/export/events.jsonl").text == ""
    csrf = login(client)
    eid = all_events(client)[0]["id"]
    client.post(f"/api/events/{eid}/review", json={"status": "verified"},
                headers={"X-CSRF-Token": csrf})
    doc = client.get(f"/api/events/{eid}").json()["sources"][0]["document"]
    client.cookies.clear()
    lines = client.get("/api/export/events.jsonl").text.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [eid]
    assert client.get("/api/export/events.csv").headers["content-type"].startswith("text/csv")
    assert client.get("/api/export/entities.geojson").status_code == 200
    body = client.get(f"/api/documents/{doc}").json()
    assert eid in body["events"] and body["spans"]
    for sp in body["spans"]:
        assert 0 <= sp["start"] < sp["end"] <= len(body["text"])


def test_login_is_rate_limited(client):
    import re
    page = client.get("/login")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    codes = [client.post("/login", data={"name": "rita", "password": "wrong password!",
                                         "csrf_token": token}).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    r = client.post("/login", data={"name": "rita", "password": "wrong", "csrf_token": "x"})
    assert r.status_code == 403  # no CSRF token, no login attempt at all


def test_security_headers_and_cookies(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    login(client)
    jar = {c.name: c for c in client.cookies.jar}
    assert jar["sw_session"].secure and jar["sw_session"].has_nonstandard_attr("HttpOnly")


def test_merge_and_split_events_and_entities_through_the_api(client):
    csrf = login(client)
    h = {"X-CSRF-Token": csrf}
    a, b = [e["id"] for e in all_events(client, sort="-sources")[:2]]
    r = client.post("/api/events/merge", json={"a": a, "b": b}, headers=h)
    assert r.status_code == 200, r.text
    merged = r.json()["id"]
    detail = client.get(f"/api/events/{merged}").json()
    docs = [s["document"] for s in detail["sources"]]
    assert detail["audit"][-1]["action"] == "events.merge" and detail["audit"][-1]["actor"] == "rita"
    r = client.post(f"/api/events/{merged}/split", json={"documents": docs[:1]}, headers=h)
    assert r.status_code == 200 and len(r.json()["ids"]) == 2, r.text
    error_of(client.post("/api/events/merge", json={"a": a, "b": a}, headers=h), 400)

    people = client.get("/api/entities", params={"type": "workplace", "limit": 500}).json()
    kept, gone = people["items"][0]["id"], people["items"][1]["id"]
    r = client.post("/api/entities/merge", json={"a": kept, "b": gone}, headers=h)
    assert r.status_code == 200 and r.json()["id"] == kept, r.text
    error_of(client.get(f"/api/entities/{gone}"), 404)
    alias = client.get(f"/api/entities/{kept}").json()["aliases"][0]
    r = client.post(f"/api/entities/{kept}/split", json={"alias": alias}, headers=h)
    assert r.status_code == 200 and r.json()["id"] != kept, r.text


def test_public_readers_see_no_names_from_unverified_reports(client):
    assert client.get("/api/entities", params={"type": "person"}).json()["items"] == []
    login(client, "vic")
    person = client.get("/api/entities", params={"type": "person"}).json()["items"][0]
    client.cookies.clear()
    error_of(client.get(f"/api/entities/{person['id']}"), 404)
    assert client.get(f"/entities/{person['id']}").status_code == 404
