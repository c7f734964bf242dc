"""The store on SQLite and PostgreSQL: migrations, saving hand-built extractions (no spaCy),
idempotence, replacement without orphans, shared entities, transactions and exact spans."""
from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, inspect, select, text

from strikewatch.errors import StoreError
from strikewatch.ids import entity_id, entity_key
from strikewatch.store.models import Base
from strikewatch.store.repository import Store
from strikewatch.types import (
    COUNT_FIELDS,
    Claim,
    Count,
    DateValue,
    Demand,
    Document,
    Enterprise,
    EntityMention,
    EventMention,
    Extraction,
    Place,
    Span,
    Workplace,
)

# --- hand-built extractions -----------------------------------------------------------------------

BELAZ = Enterprise("belaz", "BelAZ", ("Belaz", "БелАЗ"), "Zhodino", "BY", "mining trucks", "state")
MTZ = Enterprise("mtz", "MTZ", ("Minsk Tractor Works",), "Minsk", "BY", "tractors", "state")
ZHODINO = Place("Zhodino", "BY", "city", "Minsk Region", 54.0985, 28.3331, 620127)
MINSK = Place("Minsk", "BY", "city", "Minsk", 53.9, 27.56667, 625144)

# Astral and Cyrillic characters before the spans: offsets are Python string indices.
TEXT_A = ("✊🏽 Workers at BelAZ in Zhodino walked out on 17 August 2020. "
          "About 800 people gathered at the Belaz gate, organisers said. "
          "Police said 300 took part and 12 were detained. "
          "Sergei Dylevsky of MTZ demanded new elections.\n")
TEXT_A2 = ("Workers at BelAZ in Zhodino struck again on 19 August 2020. "
           "Some 2,000 took part, the strike committee said.\n")
TEXT_B = ("Рабочие: staff of БелАЗ in Zhodino held a rally on 18 August 2020. "
          "Nearly 1,000 came, the union said.\n")


def span(text: str, needle: str, nth: int = 0) -> Span:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return Span.of(text, i, i + len(needle))


def sentence(text: str, first_words: str) -> Span:
    i = text.index(first_words)
    return Span.of(text, i, text.index(".", i) + 1)


def document(doc_id: str, body: str, publisher: str | None = "Example Wire") -> Document:
    return Document(doc_id, body, title=f"Report {doc_id}", url=f"https://example.org/{doc_id}",
                    publisher=publisher, published=date(2020, 8, 20), source=f"reports/{doc_id}.txt",
                    content_hash=f"hash-{doc_id}-{len(body)}")


def extraction_a(doc_id: str = "a1") -> Extraction:
    t = TEXT_A
    s1, s2, s3, s4 = (sentence(t, w) for w in ("Workers", "About", "Police", "Sergei"))
    participants = Count.from_claims((
        Claim(800, 800, span(t, "About 800"), "organisers", doc_id, s2),
        Claim(300, 300, span(t, "300"), "Police", doc_id, s3),
    ))
    arrests = Count.from_claims((Claim(12, 12, span(t, "12"), "Police", doc_id, s3),))
    strike = EventMention(
        doc_id, "strike", (s1, s2, s3),
        workplace=Workplace("BelAZ", span(t, "BelAZ"), BELAZ),
        actors=("workers",), location=ZHODINO, location_span=span(t, "Zhodino"),
        date=DateValue(date(2020, 8, 17), date(2020, 8, 17), "day", "17 August 2020",
                       span(t, "17 August 2020")),
        participants=participants, arrests=arrests,
        demands=(Demand("new elections", span(t, "new elections")),))
    demand = EventMention(  # a second event of the same document, without place or date
        doc_id, "protest", (s4,), workplace=Workplace("MTZ", span(t, "MTZ"), MTZ),
        actors=("Sergei Dylevsky",), demands=(Demand("new elections", span(t, "new elections")),))
    entities = (
        EntityMention("workplace", "BelAZ", span(t, "BelAZ"), "kb:belaz"),
        EntityMention("place", "Zhodino", span(t, "Zhodino"), "geo:620127"),
        EntityMention("workplace", "BelAZ", span(t, "Belaz"), "kb:belaz"),
        EntityMention("person", "Sergei Dylevsky", span(t, "Sergei Dylevsky")),
        EntityMention("workplace", "MTZ", span(t, "MTZ"), "kb:mtz"),
    )
    return Extraction(document(doc_id, t), (strike, demand), entities)


def extraction_a2(doc_id: str = "a1") -> Extraction:
    """A changed version of document a1: one different event, one entity."""
    t = TEXT_A2
    s1, s2 = sentence(t, "Workers"), sentence(t, "Some")
    ev = EventMention(
        doc_id, "strike", (s1, s2), workplace=Workplace("BelAZ", span(t, "BelAZ"), BELAZ),
        location=ZHODINO, location_span=span(t, "Zhodino"),
        date=DateValue(date(2020, 8, 19), date(2020, 8, 19), "day", "19 August 2020",
                       span(t, "19 August 2020")),
        participants=Count.from_claims(
            (Claim(2000, 2000, span(t, "Some 2,000"), "the strike committee", doc_id, s2),)))
    entities = (EntityMention("workplace", "BelAZ", span(t, "BelAZ"), "kb:belaz"),
                EntityMention("place", "Zhodino", span(t, "Zhodino"), "geo:620127"))
    return Extraction(document(doc_id, t), (ev,), entities)


def extraction_b(doc_id: str = "b1") -> Extraction:
    """Another document naming the same knowledge-base enterprise by another surface."""
    t = TEXT_B
    s1, s2 = sentence(t, "Рабочие"), sentence(t, "Nearly")
    ev = EventMention(
        doc_id, "protest", (s1, s2), workplace=Workplace("BelAZ", span(t, "БелАЗ"), BELAZ),
        location=ZHODINO, location_span=span(t, "Zhodino"),
        date=DateValue(date(2020, 8, 18), date(2020, 8, 18), "day", "18 August 2020",
                       span(t, "18 August 2020")),
        participants=Count.from_claims(
            (Claim(900, 1000, span(t, "Nearly 1,000"), "the union", doc_id, s2),)))
    entities = (EntityMention("workplace", "BelAZ", span(t, "БелАЗ"), "kb:belaz"),
                EntityMention("place", "Zhodino", span(t, "Zhodino"), "geo:620127"))
    return Extraction(document(doc_id, t, publisher="Другой выпуск"), (ev,), entities)


# --- helpers --------------------------------------------------------------------------------------

TABLES = ("sources", "documents", "events", "event_mentions", "claims", "entities", "aliases",
          "entity_mentions")


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    yield s
    s.close()


def snapshot(store: Store, *, exact: bool = False) -> dict[str, list]:
    """Every row of every table. Unless `exact`, without the surrogate integer keys and the
    ingest time, which a re-save may renew (content and string ids must not change)."""
    out: dict[str, list] = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.c if exact or not (
                (c.primary_key and isinstance(c.type, Integer)) or c.name == "ingested_at")]
            rows = conn.execute(select(*cols)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def entities(store: Store) -> dict[str, tuple[str, str, list[str], list[str]]]:
    return {e.key: (e.type, e.name, [a.alias for a in e.aliases], docs)
            for e, docs in store.iter_entities()}


def kb_entity(key: str) -> str:
    return entity_id(entity_key("workplace", f"kb:{key}"))


# --- migrations -----------------------------------------------------------------------------------


def test_migrations_create_the_schema_and_are_idempotent(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.config import Config
    from importlib import resources

    first = Store.open(db_url)
    first.save(extraction_a())
    before = snapshot(first, exact=True)
    first.close()
    second = Store.open(db_url)  # a second open migrates nothing and loses nothing
    try:
        names = set(inspect(second.engine).get_table_names())
        assert set(TABLES) | {"alembic_version"} <= names
        cfg = Config()
        cfg.set_main_option("script_location",
                            str(resources.files("strikewatch.store") / "migrations"))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with second.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() \
                == [head]
            # the migrations build exactly the schema the models declare
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert snapshot(second, exact=True) == before
        assert second.stats() == {"documents": 1, "events": 2, "mentions": 2, "claims": 3,
                                  "entities": 4}
    finally:
        second.close()


def test_empty_store(store):
    assert store.stats() == {"documents": 0, "events": 0, "mentions": 0, "claims": 0,
                             "entities": 0}
    assert list(store.iter_events()) == [] and list(store.iter_entities()) == []
    assert store.content_hash("nope") is None
    assert store.event("evt-") is None


# --- saving ---------------------------------------------------------------------------------------


def test_save_stores_documents_events_claims_entities_and_aliases(store):
    x = extraction_a()
    store.save(x)
    assert store.stats() == {"documents": 1, "events": 2, "mentions": 2, "claims": 3,
                             "entities": 4}
    assert store.content_hash("a1") == x.document.content_hash
    [doc] = store.documents()
    assert (doc.id, doc.text, doc.title, doc.url, doc.publisher, doc.published, doc.language,
            doc.origin) == ("a1", TEXT_A, "Report a1", "https://example.org/a1", "Example Wire",
                            date(2020, 8, 20), "en", "reports/a1.txt")
    assert doc.source_id is not None
    ents = entities(store)
    assert ents == {
        "workplace:kb:belaz": ("workplace", "BelAZ", ["Belaz"], ["a1"]),
        "workplace:kb:mtz": ("workplace", "MTZ", [], ["a1"]),
        "place:geo:620127": ("place", "Zhodino", [], ["a1"]),
        "person:sergei dylevsky": ("person", "Sergei Dylevsky", [], ["a1"]),
    }
    assert {e.id for e, _ in store.iter_entities()} == {entity_id(k) for k in ents}
    events = {e.type: e for e in store.iter_events()}
    strike = events["strike"]
    assert strike.workplace_name == "BelAZ" and strike.workplace_entity == kb_entity("belaz")
    assert (strike.place_name, strike.admin1, strike.country, strike.place_precision) == \
        ("Zhodino", "Minsk Region", "BY", "city")
    assert (strike.lat, strike.lon) == (54.0985, 28.3331)
    assert (strike.date_start, strike.date_end, strike.date_precision, strike.date_text) == \
        (date(2020, 8, 17), date(2020, 8, 17), "day", "17 August 2020")
    assert (strike.participants_low, strike.participants_high) == (300, 800)
    assert (strike.arrests_low, strike.arrests_high) == (12, 12)
    assert strike.injuries_low is strike.injuries_high is strike.deaths_low is None
    assert strike.actors == ["workers"] and strike.demands == ["new elections"]
    assert strike.independent_sources == 1
    protest = events["protest"]
    assert protest.place_name is None and protest.date_start is None
    assert protest.date_precision == "unknown" and protest.participants_low is None
    assert protest.workplace_entity == kb_entity("mtz")
    # events without a date sort last
    assert [e.type for e in store.iter_events()] == ["strike", "protest"]


def test_saving_the_same_extraction_again_changes_nothing(store):
    x = extraction_a()
    store.save(x)
    store.save(extraction_b())
    before = snapshot(store)
    ids = ([e.id for e in store.iter_events()], [e.id for e, _ in store.iter_entities()])
    store.save(x)
    store.save(x)
    assert snapshot(store) == before
    assert ([e.id for e in store.iter_events()], [e.id for e, _ in store.iter_entities()]) == ids


def test_event_ids_do_not_depend_on_save_order(db_url, tmp_path):
    store = Store.open(db_url)
    try:
        store.save(extraction_a())
        store.save(extraction_b())
        first = snapshot(store)
    finally:
        store.close()
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other.save(extraction_b())
        other.save(extraction_a())
        second = snapshot(other)
    finally:
        other.close()
    # the same rows whichever document came first (source ids aside: numbered as first seen)
    for table in ("events", "event_mentions", "entities"):
        assert first[table] == second[table], table


def test_a_changed_extraction_replaces_the_old_one_without_orphans(store):
    store.save(extraction_a())
    old_events = {e.id for e in store.iter_events()}
    store.save(extraction_a2())
    assert store.stats() == {"documents": 1, "events": 1, "mentions": 1, "claims": 1,
                             "entities": 2}
    [ev] = store.iter_events()
    assert ev.id not in old_events
    assert (ev.date_start, ev.participants_low, ev.participants_high) == \
        (date(2020, 8, 19), 2000, 2000)
    assert ev.arrests_low is None
    # Sergei Dylevsky and MTZ are no longer named: gone, with their aliases; BelAZ lost "Belaz"
    assert entities(store) == {
        "workplace:kb:belaz": ("workplace", "BelAZ", [], ["a1"]),
        "place:geo:620127": ("place", "Zhodino", [], ["a1"]),
    }
    snap = snapshot(store)
    assert len(snap["aliases"]) == 0 and len(snap["entity_mentions"]) == 2
    assert {r[0] for r in snap["documents"]} == {"a1"}
    [doc] = store.documents()
    assert doc.text == TEXT_A2
    # and back: the first version again gives the first rows again
    store.save(extraction_a())
    assert {e.id for e in store.iter_events()} == old_events


def test_an_extraction_with_no_events_or_entities_clears_the_document(store):
    store.save(extraction_a())
    x = extraction_a()
    store.save(dataclasses.replace(x, events=(), entities=()))
    assert store.stats() == {"documents": 1, "events": 0, "mentions": 0, "claims": 0,
                             "entities": 0}
    snap = snapshot(store)
    assert snap["aliases"] == [] and snap["entity_mentions"] == [] and snap["claims"] == []


def test_documents_naming_the_same_enterprise_share_one_entity(store):
    store.save(extraction_a())
    store.save(extraction_b())
    ents = entities(store)
    assert ents["workplace:kb:belaz"] == ("workplace", "BelAZ", ["Belaz", "БелАЗ"], ["a1", "b1"])
    assert ents["place:geo:620127"][3] == ["a1", "b1"]
    assert sum(1 for e, _ in store.iter_entities() if e.key == "workplace:kb:belaz") == 1
    events = list(store.iter_events())
    assert {e.workplace_entity for e in events if e.workplace_name == "BelAZ"} == \
        {kb_entity("belaz")}
    # two outlets, two sources
    assert len(snapshot(store)["sources"]) == 2
    # re-saving one document without the enterprise keeps the entity for the other
    store.save(dataclasses.replace(extraction_b(), entities=()))
    ents = entities(store)
    assert ents["workplace:kb:belaz"] == ("workplace", "BelAZ", ["Belaz"], ["a1"])
    store.save(dataclasses.replace(extraction_a(), entities=()))
    assert entities(store) == {}
    assert snapshot(store)["aliases"] == []


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("where", ["entities", "events"])
def test_a_failure_inside_save_leaves_the_store_as_it_was(store, monkeypatch, where):
    import strikewatch.store.repository as repository

    store.save(extraction_a())
    store.save(extraction_b())
    before = snapshot(store, exact=True)
    stats = store.stats()

    if where == "entities":  # the last step of save: after deletes and inserts were flushed
        def refresh(self, s, ids):  # after the old rows' deletes, or the new rows' inserts
            s.flush()
            raise Boom("disk on fire")
        monkeypatch.setattr(Store, "_refresh_aliases", refresh)
    else:  # while building events, after the old ones were deleted
        def explode(session, new, stale=()):
            session.flush()
            raise Boom("disk on fire")
        monkeypatch.setattr(repository.clustering, "regroup", explode)

    with pytest.raises(Boom):
        store.save(extraction_a2())
    assert snapshot(store, exact=True) == before
    assert store.stats() == stats
    with pytest.raises(Boom):  # a new document: nothing of it is kept
        store.save(extraction_a2("new"))
    assert store.content_hash("new") is None
    assert snapshot(store, exact=True) == before
    monkeypatch.undo()
    store.save(extraction_a2())  # and the store still works
    assert store.stats()["documents"] == 2 and store.content_hash("a1") == "hash-a1-%d" % len(
        TEXT_A2)


def test_events_and_claims_round_trip_with_exact_spans(store):
    xa, xb = extraction_a(), extraction_b()
    store.save(xa)
    store.save(xb)
    texts = {d.id: d.text for d in store.documents()}
    assert texts == {"a1": TEXT_A, "b1": TEXT_B}  # astral and Cyrillic characters intact

    def sd(s: Span | None) -> dict | None:
        return None if s is None else {"start": s.start, "end": s.end, "text": s.text}

    saved = {(ev.document, ev.type): ev for x in (xa, xb) for ev in x.events}
    seen = 0
    for row in store.iter_events():
        [m] = row.mentions
        ev = saved[(m.document_id, m.type)]
        t = texts[m.document_id]
        assert m.evidence == [sd(s) for s in ev.evidence]
        for s in m.evidence:
            assert t[s["start"]:s["end"]] == s["text"]
        if ev.workplace:
            wp = m.workplace
            assert (wp["name"], wp["key"]) == (ev.workplace.name, ev.workplace.enterprise.key)
            assert t[wp["start"]:wp["end"]] == wp["text"] == ev.workplace.span.text
        if ev.location:
            assert m.location["span"] == sd(ev.location_span)
            assert m.location["geonameid"] == ev.location.geonameid
        assert m.date.get("span") == sd(ev.date.span)
        assert [(d["label"], d["start"], d["end"], d["text"]) for d in m.demands] == \
            [(d.label, d.span.start, d.span.end, d.span.text) for d in ev.demands]
        want = [(f, c.low, c.high, c.span.start, c.span.end, c.span.text, c.attributed_to,
                 c.sentence.start, c.sentence.end, ev.document)
                for f in COUNT_FIELDS if ev.count(f) for c in ev.count(f).claims]
        got = [(c.field, c.low, c.high, c.start, c.end, c.text, c.attributed_to,
                c.sentence_start, c.sentence_end, c.document_id) for c in m.claims]
        assert got == want
        for c in m.claims:
            assert t[c.start:c.end] == c.text
            assert c.start >= c.sentence_start and c.end <= c.sentence_end
        seen += 1
    assert seen == 3
    # entity mentions keep their spans too
    with store.engine.connect() as conn:
        rows = conn.execute(text('SELECT document_id, start, "end", text FROM entity_mentions'))
        for doc_id, start, end, surface in rows:
            assert texts[doc_id][start:end] == surface


def test_event_lookup_by_id_prefix(store):
    store.save(extraction_a())
    ids = [e.id for e in store.iter_events()]
    for eid in ids:
        assert store.event(eid).id == eid
        assert store.event(eid[:12]).id == eid
    assert store.event("evt-") is None  # ambiguous
    assert store.event("evt-zzzz") is None


# --- properties -----------------------------------------------------------------------------------

PROP_TEXT = "".join(f"{i % 10}" for i in range(200))
claim_st = st.tuples(st.integers(0, 10**6), st.integers(0, 10**5), st.integers(0, 199),
                     st.none() | st.sampled_from(["police", "organisers", "Viasna"]))
counts_st = st.fixed_dictionaries(
    {f: st.lists(claim_st, min_size=0, max_size=6) for f in COUNT_FIELDS})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=counts_st)
def test_event_ranges_span_every_claim(tmp_path, counts):
    store = Store.open(f"sqlite:///{tmp_path / 'prop.db'}")  # same file each example: a re-save
    try:
        made = {}
        for f, specs in counts.items():
            claims = tuple(Claim(low, low + width, Span.of(PROP_TEXT, at, at + 1), who, "p")
                           for low, width, at, who in specs)
            made[f] = Count.from_claims(claims) if claims else None
        ev = EventMention("p", "strike", (Span.of(PROP_TEXT, 0, 10),), actors=("workers",),
                          **made)
        store.save(Extraction(document("p", PROP_TEXT), (ev,), ()))
        [row] = store.iter_events()
        for f, specs in counts.items():
            low, high = getattr(row, f"{f}_low"), getattr(row, f"{f}_high")
            if not specs:
                assert low is None and high is None
                continue
            assert low == min(s[0] for s in specs)
            assert high == max(s[0] + s[1] for s in specs)
            assert low <= high
            stored = [c for m in row.mentions for c in m.claims if c.field == f]
            assert sorted((c.low, c.high) for c in stored) == \
                sorted((s[0], s[0] + s[1]) for s in specs)
        assert store.stats()["claims"] == sum(len(v) for v in counts.values())
        assert store.stats()["events"] == 1
    finally:
        store.close()


# --- bugs found -----------------------------------------------------------------------------------


def test_two_mentions_with_the_same_key_are_both_stored(store):
    x = extraction_a()
    strike = x.events[0]
    twin = dataclasses.replace(strike, participants=None, arrests=Count.from_claims(
        (Claim(5, 5, span(TEXT_A, "12"), "Viasna", "a1"),)))
    store.save(dataclasses.replace(x, events=(strike, twin)))
    assert store.stats()["mentions"] == 2
    assert store.stats()["claims"] == 4


def test_a_database_error_in_save_is_a_store_error(tmp_path):
    path = tmp_path / "locked.db"
    store = Store.open(f"sqlite:///{path}?timeout=0.1")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with pytest.raises(StoreError):
            store.save(extraction_a())
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()
