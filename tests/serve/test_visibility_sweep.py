"""A logged-out reader sees nothing hidden, anywhere: every operation of the OpenAPI schema and
every HTML page, over a store with unverified and rejected events, documents only they cite,
entities and aliases named only in those documents, and split audit entries. Reviewers still
see all of it. Also: a split-out part is unreviewed, `--public all` never shows rejected
events, and the Atom feed's links never come from the Host header."""
from __future__ import annotations

import html
import itertools
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from sqlalchemy import select

from conftest import PASSWORD

ATOM = "{http://www.w3.org/2005/Atom}"
PLANTED = ("Qzonly Hiddenperson", "Qzalias Secretworks", "Qzname Hiddenova",
           "Qztitle Secret report", "Qzclaimant Secretsource")
# a body that passes validation for each write the schema describes (so a refusal is a refusal)
BODIES = {"ReviewBody": {"status": "verified"}, "EditBody": {"changes": {"type": "strike"}},
          "MergeBody": {"a": "evt-0", "b": "evt-1"}, "SplitEventBody": {"documents": ["x01"]},
          "SplitEntityBody": {"alias": "x"}}
FORM = {"status": "verified", "a": "evt-0", "b": "evt-1", "document": "x01", "alias": "x",
        "name": "rita", "password": PASSWORD, "csrf_token": "", "next": "/"}


@dataclass
class Planted:
    db: str
    verified: list[str]  # what a logged-out reader must still see
    rejected: str
    split_out: str  # the part split out of a verified event (its smallest mention went too)
    split_rest: str  # the rest of a verified event split (its audit names the part split out)
    split_doc: str
    belaz: str  # a public entity with an alias written only in a hidden document
    hidden_person: str


def _event(s, workplace: str):
    from sqlalchemy import func

    from strikewatch.store.models import EventRow, MentionRow
    return s.scalar(select(EventRow.id).join(MentionRow).where(EventRow.workplace_name == workplace)
                    .group_by(EventRow.id)
                    .order_by(func.count(MentionRow.document_id.distinct()).desc(), EventRow.id)
                    .limit(1))


def _mentions(s, eid: str) -> list[tuple[str, str]]:
    from strikewatch.store.models import MentionRow
    return s.execute(select(MentionRow.id, MentionRow.document_id)
                     .where(MentionRow.event_id == eid).order_by(MentionRow.id)).all()


@pytest.fixture(scope="module")
def planted(served_db, tmp_path_factory) -> Planted:
    """The served store with hidden things planted: verified, rejected and unreviewed events,
    two splits of verified events, and names written only in hidden documents."""
    from strikewatch.ids import entity_id
    from strikewatch.store import corrections, review
    from strikewatch.store.models import (
        AliasRow,
        ClaimRow,
        DocumentRow,
        EntityMentionRow,
        EntityRow,
        EventRow,
    )
    from strikewatch.store.repository import Store
    target = tmp_path_factory.mktemp("sweep") / "planted.db"
    shutil.copy(served_db, target)
    db = f"sqlite:///{target}"
    store = Store.open(db)
    with store.session() as s:
        belaz_event, azot, kali = (_event(s, w) for w in ("BelAZ", "Grodno Azot", "Belaruskali"))
        steel = _event(s, "Belarusian Steel Works")
        belaz = s.scalar(select(EventRow.workplace_entity).where(EventRow.id == belaz_event))
        first_doc = _mentions(s, belaz_event)[0][1]  # the document of its smallest mention
        azot_mentions = _mentions(s, azot)
        last_doc = azot_mentions[-1][1]
        assert last_doc != azot_mentions[0][1]
    for eid in (belaz_event, azot, steel):
        review.review_event(store, eid, status="verified", actor="rita")
    review.review_event(store, kali, status="rejected", actor="rita")
    # the smallest mention leaves with the part split out (and with it the reviewer's status)
    belaz_rest, belaz_out = corrections.split_event(store, belaz_event, documents=[first_doc],
                                                    actor="rita")
    # the rest keeps the event's id, so its audit shows the split naming the part split out
    azot_rest, azot_out = corrections.split_event(store, azot, documents=[last_doc], actor="rita")
    assert azot_rest == azot
    with store.session() as s, s.begin():
        hidden_doc = _mentions(s, kali)[0][1]
        person = entity_id("person:qzonly hiddenperson")
        s.add(EntityRow(id=person, type="person", name=PLANTED[0], key="person:qzonly hiddenperson"))
        s.flush()
        s.add_all([
            EntityMentionRow(entity_id=person, document_id=hidden_doc, start=0, end=5,
                             text=PLANTED[0], name=PLANTED[0]),
            EntityMentionRow(entity_id=belaz, document_id=hidden_doc, start=0, end=5,
                             text=PLANTED[1], name="BelAZ"),
            AliasRow(entity_id=belaz, alias=PLANTED[1])])
        # a public place whose stored name only a hidden document writes
        place = s.scalar(select(EntityMentionRow.entity_id).join(EntityRow).where(
            EntityRow.type == "place", EntityMentionRow.document_id == _mentions(s, steel)[0][1]))
        s.get(EntityRow, place).name = PLANTED[2]
        s.add(EntityMentionRow(entity_id=place, document_id=hidden_doc, start=0, end=5,
                               text=PLANTED[2], name=PLANTED[2]))
        s.get(DocumentRow, hidden_doc).title = PLANTED[3]
        # a public document that is a copy of a hidden one
        s.get(DocumentRow, _mentions(s, steel)[0][1]).copy_of = hidden_doc
        # a claim of a hidden event told by a public document
        hidden_claim = s.scalar(select(ClaimRow).join(ClaimRow.mention).where(
            ClaimRow.document_id.in_([d for _, d in _mentions(s, belaz_rest)]),
            ClaimRow.mention.has(event_id=_hidden_sibling(s, belaz_rest))))
        if hidden_claim is not None:
            hidden_claim.attributed_to = PLANTED[4]
    store.close()
    return Planted(db, [belaz_rest, azot_rest, steel], kali, belaz_out, azot_rest, last_doc,
                   belaz, person)


def _hidden_sibling(s, eid: str) -> str | None:
    """An unreviewed event told by one of `eid`'s documents."""
    from strikewatch.store.models import EventRow, MentionRow
    docs = [d for _, d in _mentions(s, eid)]
    return s.scalar(select(MentionRow.event_id).join(EventRow).where(
        MentionRow.document_id.in_(docs), EventRow.review_status == "unreviewed").limit(1))


@dataclass
class Secrets:
    strings: set[str]
    events: list[str]
    documents: list[str]
    entities: list[str]


def secrets_of(db: str, public: tuple[str, ...]) -> Secrets:
    """What a logged-out reader must never see, worked out here from the rows (not by the
    code under test): hidden events and their mentions, documents no public event cites, the
    entities no public document names, and every name written only in hidden documents."""
    import json

    from strikewatch.export import records
    from strikewatch.store.models import DocumentRow, EntityMentionRow, EntityRow, EventRow
    from strikewatch.store.models import MentionRow
    from strikewatch.store.repository import Store
    store = Store.open(db)
    try:
        with store.session() as s:
            status = dict(s.execute(select(EventRow.id, EventRow.review_status)).all())
            mentions = s.execute(select(MentionRow.id, MentionRow.document_id,
                                        MentionRow.event_id)).all()
            docs = {d.id: d for d in s.scalars(select(DocumentRow))}
            shown_docs = {d for _, d, e in mentions if status[e] in public}
            named = s.execute(select(EntityMentionRow.entity_id, EntityMentionRow.document_id,
                                     EntityMentionRow.text, EntityMentionRow.name)).all()
            entities = set(s.scalars(select(EntityRow.id)))
        public_records = [r for r in records(store, "events") if r["review_status"] in public]
    finally:
        store.close()
    corpus = " ".join([json.dumps(public_records, ensure_ascii=False)] + [
        f"{docs[d].text} {docs[d].title} {docs[d].publisher}" for d in shown_docs] + [
        f"{t} {n}" for _, d, t, n in named if d in shown_docs]).lower()
    hidden_events = sorted(e for e, st in status.items() if st not in public)
    hidden_docs = sorted(d for d in docs if d not in shown_docs and d.lower() not in corpus)
    hidden_entities = sorted(entities - {e for e, d, _, _ in named if d in shown_docs})
    names = {x for _, d, t, n in named if d not in shown_docs for x in (t, n) if x}
    strings = {*hidden_events, *hidden_docs, *hidden_entities,
               *(m for m, _, e in mentions if status[e] not in public),
               *(n for n in {*names, *PLANTED} if len(n) >= 4 and n.lower() not in corpus)}
    return Secrets({x.lower() for x in strings}, hidden_events, hidden_docs, hidden_entities)


def leaks(body: str, secrets: set[str]) -> list[str]:
    hay = body.lower() + "\n" + html.unescape(body).lower()
    return sorted(x for x in secrets if x in hay)


def _app(db: str, public: str):
    from strikewatch.serve.app import Settings, create_app
    return create_app(Settings(db=db, public=public))


def _values(name: str, ids: dict[str, list[str]]) -> list[str]:
    for prefix, values in ids.items():
        if name.startswith(prefix):
            return values
    return [v for values in ids.values() for v in values]


def _fill(path: str, values: dict[str, list[str]]) -> list[str]:
    """Every URL of a route template, each path parameter filled with each of its values."""
    names = [m.group(1) for m in re.finditer(r"\{(\w+)(?::\w+)?\}", path)]
    urls = []
    for combo in itertools.product(*(values[n] for n in names)):
        url = path
        for n, v in zip(names, combo):
            url = re.sub(r"\{" + n + r"(?::\w+)?\}", quote(v, safe="/"), url)
        urls.append(url)
    return urls


def _ids(db: str) -> dict[str, list[str]]:
    from strikewatch.store.models import DocumentRow, EntityRow, EventRow
    from strikewatch.store.repository import Store
    store = Store.open(db)
    try:
        with store.session() as s:
            return {"event": sorted(s.scalars(select(EventRow.id))),
                    "document": sorted(s.scalars(select(DocumentRow.id))),
                    "entity": sorted(s.scalars(select(EntityRow.id)))}
    finally:
        store.close()


def sweep(client, app, secrets: Secrets, ids: dict[str, list[str]]) -> dict[str, int]:
    """Call every operation and page as an anonymous reader; returns counts."""
    from fastapi.routing import APIRoute
    counts = {"operations": 0, "pages": 0, "requests": 0, "ok": 0}
    found: dict[str, list[str]] = {}
    probes = [secrets.events[0], secrets.documents[0], secrets.entities[0], PLANTED[0],
              "rejected", "unreviewed,rejected"]

    def call(method: str, url: str, **kw):
        r = client.request(method, url, **kw)
        counts["requests"] += 1
        counts["ok"] += r.status_code == 200
        assert r.status_code < 500, (method, url, r.text[:300])
        # an error may quote a query value back ("unknown type ..."): the reader's own words
        asked = {str(v).lower() for v in (kw.get("params") or {}).values()}
        if hits := leaks(r.text, secrets.strings - asked):
            found.setdefault(f"{method} {url} {kw.get('params') or ''}", hits)
        return r

    schema = app.openapi()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            counts["operations"] += 1
            params = op.get("parameters", [])
            values = {p["name"]: p["schema"].get("enum") or _values(p["name"], ids)
                      for p in params if p["in"] == "path"}
            urls = _fill(path, values)
            if method != "get":
                ref = (op.get("requestBody", {}).get("content", {}).get("application/json", {})
                       .get("schema", {}).get("$ref", ""))
                for url in urls[:5]:
                    r = call(method.upper(), url, json=BODIES.get(ref.rsplit("/", 1)[-1], {}))
                    assert r.status_code in (401, 403), (method, url, r.text)
                continue
            for url in urls:
                call("GET", url)
            for p in params:
                if p["in"] != "query":
                    continue
                kind = p["schema"].get("anyOf", [p["schema"]])[0]
                choices = kind.get("enum") or (["true"] if kind.get("type") == "boolean" else
                                               probes if kind.get("type") == "string" else [])
                for value in choices:
                    call("GET", urls[0], params={p["name"]: value})
    from strikewatch.serve import pages
    for route in pages.router.routes:  # every page (none is in the OpenAPI schema)
        if not isinstance(route, APIRoute):
            continue
        counts["pages"] += 1
        names = re.findall(r"\{(\w+)", route.path)
        urls = _fill(route.path, {n: _values(n, ids) for n in names})
        for method in route.methods:
            for url in (urls if method == "GET" else urls[:5]):
                r = call(method, url, **({} if method == "GET" else {"data": FORM}))
                if method != "GET":
                    assert r.status_code in (401, 403), (method, url, r.text[:300])
    assert not found, found
    return counts


@pytest.mark.parametrize("public", ["verified", "all"])
def test_anonymous_sweep_finds_nothing_hidden(planted, public):
    from fastapi.testclient import TestClient

    from strikewatch.store.visibility import public_statuses
    secrets = secrets_of(planted.db, public_statuses(public))
    assert planted.rejected in secrets.events and planted.hidden_person in secrets.entities
    if public == "verified":
        assert planted.split_out in secrets.events and planted.split_doc in secrets.documents
    ids = _ids(planted.db)
    app = _app(planted.db, public)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            counts = sweep(client, app, secrets, ids)
            shown = {e["id"] for e in client.get("/api/events?limit=500").json()["items"]}
            assert set(planted.verified) <= shown  # the public view is not simply empty
            ent = client.get(f"/api/entities/{planted.belaz}").json()
            assert ent["name"] == "BelAZ" and ent["documents"]
    finally:
        app.state.store.close()
    assert counts["operations"] >= 16 and counts["pages"] >= 12, counts
    assert counts["ok"] >= 30, counts
    print(f"public={public}: {counts}")


def test_reviewers_still_see_everything(planted):
    from fastapi.testclient import TestClient

    from strikewatch.store import accounts
    app = _app(planted.db, "verified")
    try:
        user = accounts.authenticate(app.state.store, "rita", PASSWORD)
        token, _csrf = accounts.open_session(app.state.store, user)
        with TestClient(app, base_url="https://testserver",
                        cookies={"sw_session": token}) as client:
            ids = _ids(planted.db)
            for eid in ids["event"]:
                assert client.get(f"/api/events/{eid}").status_code == 200, eid
            items = client.get("/api/entities?limit=500").json()["items"]
            assert planted.hidden_person in {e["id"] for e in items}
            belaz = client.get(f"/api/entities/{planted.belaz}").json()
            assert PLANTED[1] in belaz["aliases"]
            assert PLANTED[2] in client.get("/api/export/entities.jsonl").text
            audit = client.get(f"/api/events/{planted.split_rest}").json()["audit"]
            split = next(a for a in audit if a["action"] == "events.split")
            assert split["actor"] == "rita" and planted.split_doc in str(split["after"])
            assert planted.rejected in client.get("/api/export/events.jsonl").text
    finally:
        app.state.store.close()


def test_split_out_part_is_unreviewed_and_the_rest_keeps_its_status(planted):
    from strikewatch.store.models import EventRow
    from strikewatch.store.repository import Store
    store = Store.open(planted.db)
    try:
        with store.session() as s:
            status = dict(s.execute(select(EventRow.id, EventRow.review_status)).all())
    finally:
        store.close()
    assert status[planted.split_out] == "unreviewed"
    assert status[planted.verified[0]] == status[planted.split_rest] == "verified"


def test_public_all_means_verified_and_unreviewed_never_rejected(planted):
    from fastapi.testclient import TestClient
    app = _app(planted.db, "all")
    try:
        with TestClient(app, base_url="https://testserver") as client:
            statuses = {e["review_status"] for e in
                        client.get("/api/events?limit=500").json()["items"]}
            assert statuses == {"verified", "unreviewed"}
            assert client.get(f"/api/events/{planted.rejected}").status_code == 404
            assert client.get(f"/events/{planted.rejected}").status_code == 404
            assert client.get("/api/events?status=rejected").json()["items"] == []
            assert planted.rejected not in client.get("/api/export/events.csv").text
    finally:
        app.state.store.close()


def test_feed_links_come_from_the_base_url_not_the_host_header(planted, monkeypatch):
    from fastapi.testclient import TestClient
    monkeypatch.setenv("STRIKEWATCH_BASE_URL", "https://strikes.example.org/watch/")
    app = _app(planted.db, "verified")
    try:
        with TestClient(app, base_url="https://testserver") as client:
            for url in ("/feed.atom", "/api/feed.atom"):
                r = client.get(url, headers={"Host": "evil.example"})
                assert r.status_code == 200 and "evil.example" not in r.text
                feed = ET.fromstring(r.content)
                links = [e.get("href") for e in feed.iter(f"{ATOM}link")]
                assert links and all(h.startswith("https://strikes.example.org/watch/")
                                     for h in links), links
                assert feed.find(f"{ATOM}id").text == \
                    "https://strikes.example.org/watch/api/feed.atom"
        monkeypatch.delenv("STRIKEWATCH_BASE_URL")
        with TestClient(app, base_url="https://testserver") as client:
            r = client.get("/feed.atom", headers={"Host": "evil.example"})
            assert "evil.example" not in r.text and "http://127.0.0.1:8000/events/" in r.text
    finally:
        app.state.store.close()
