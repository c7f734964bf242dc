"""Corrections that stick: merging and splitting events and entities, on SQLite and PostgreSQL,
with hand-built extractions (no spaCy). Each correction must survive re-ingest (the same
documents saved again), a new document must land where the correction says, and every
correction leaves one audit row with before/after snapshots."""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from strikewatch import cli
from strikewatch.errors import ConfigError, StrikewatchError
from strikewatch.ids import entity_id, event_id
from strikewatch.store import corrections
from strikewatch.store.corrections import (
    CorrectionError,
    apply_overrides,
    audit_log,
    merge_entities,
    merge_events,
    resolve_entity,
    resolve_entity_key,
    split_entity,
    split_event,
)
from strikewatch.store.models import EntityOverrideRow, LinkRow
from strikewatch.store.repository import Store
from strikewatch.types import (
    Claim,
    Count,
    DateValue,
    Document,
    Enterprise,
    EntityMention,
    EventMention,
    Extraction,
    Place,
    Span,
    Workplace,
)

BELAZ = Enterprise("belaz", "BelAZ", ("Belaz", "БелАЗ"), "Zhodino", "BY", "mining trucks", "state")
ZHODINO = Place("Zhodino", "BY", "city", "Minsk Region", 54.0985, 28.3331, 620127)
BELAZ_KEY = "workplace:kb:belaz"
ME = "reviewer"

# --- hand-built extractions -----------------------------------------------------------------------


def _span(text: str, needle: str) -> Span:
    i = text.index(needle)
    return Span.of(text, i, i + len(needle))


def report(doc_id: str, day: int, *, until: int | None = None, kind: str = "strike",
           surface: str = "BelAZ", entity: tuple[str, str | None] = ("BelAZ", "kb:belaz"),
           people: tuple[str, ...] = ()) -> Extraction:
    """One document telling one event at BelAZ in Zhodino on `day` (to `until`) August 2020,
    naming the workplace by `surface` (an entity mention named and keyed by `entity`)."""
    when = f"{day} August 2020" if until is None else f"{day} to {until} August 2020"
    text = (f"Workers at {surface} in Zhodino held a {kind} from {when}. "
            f"About {100 + day} people took part, organisers said. "
            + "".join(f"{p} spoke. " for p in people) + "\n")
    s1 = Span.of(text, 0, text.index(".") + 1)
    s2 = Span.of(text, text.index("About"), text.index("said.") + 5)
    figure = _span(text, f"About {100 + day}")
    ev = EventMention(
        doc_id, kind, (s1, s2), workplace=Workplace(surface, _span(text, surface), BELAZ),
        actors=("workers",), location=ZHODINO, location_span=_span(text, "Zhodino"),
        date=DateValue(date(2020, 8, day), date(2020, 8, until or day), "day", when,
                       _span(text, when)),
        participants=Count.from_claims(
            (Claim(100 + day, 100 + day, figure, "organisers", doc_id, s2),)))
    ents = [EntityMention("workplace", entity[0], _span(text, surface), entity[1]),
            EntityMention("place", "Zhodino", _span(text, "Zhodino"), "geo:620127")]
    ents += [EntityMention("person", p, _span(text, p)) for p in people]
    doc = Document(doc_id, text, title=f"Report {doc_id}", publisher=f"Outlet {doc_id}",
                   published=date(2020, 8, 25), source=f"reports/{doc_id}.txt",
                   content_hash=f"hash-{doc_id}")
    return Extraction(doc, (ev,), tuple(ents))


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    yield s
    s.close()


def events(store: Store) -> dict[str, list[str]]:
    """Event id -> the documents of its mentions."""
    return {e.id: sorted(m.document_id for m in e.mentions) for e in store.iter_events()}


def grouping(store: Store) -> list[list[str]]:
    """Which documents tell one event, independent of event ids."""
    return sorted(events(store).values())


def event_of(store: Store, doc: str) -> str:
    [eid] = [e for e, docs in events(store).items() if doc in docs]
    return eid


def entity_docs(store: Store) -> dict[str, tuple[str, list[str], list[str]]]:
    """Entity key -> (name, aliases, documents)."""
    return {e.key: (e.name, [a.alias for a in e.aliases], docs)
            for e, docs in store.iter_entities()}


def links(store: Store) -> set[tuple[str, str, str]]:
    with store.session() as s:
        return {(r.kind, r.mention_a, r.mention_b) for r in s.scalars(select(LinkRow))}


def mention_ids(store: Store, eid: str) -> list[str]:
    return sorted(m.id for m in store.event(eid).mentions)


# --- events: merge --------------------------------------------------------------------------------


def test_merged_events_stay_merged_after_re_ingest(store):
    a, b, c = report("a1", 17), report("b1", 18, kind="protest"), report("c1", 18)
    for x in (a, b, c):
        store.save(x)
    # one workplace on different days: the rules keep 17 and 18 August apart
    assert grouping(store) == [["a1"], ["b1", "c1"]]
    ea, eb = event_of(store, "a1"), event_of(store, "b1")
    side_a, side_b = mention_ids(store, ea), mention_ids(store, eb)
    all_mentions = side_a + side_b

    merged = merge_events(store, ea[:10], eb, actor=ME)  # a unique start of an id will do
    assert grouping(store) == [["a1", "b1", "c1"]]
    assert merged == event_id(*all_mentions)  # named after its smallest mention, as always
    assert mention_ids(store, merged) == sorted(all_mentions)
    ev = store.event(merged)
    assert (ev.date_start, ev.date_end) == (date(2020, 8, 17), date(2020, 8, 18))
    assert ev.independent_sources == 3
    # every mention of A is tied to every mention of B, the smaller id first
    assert links(store) == {("must", min(x, y), max(x, y)) for x in side_a for y in side_b}

    # re-ingest, one document at a time and in any order: still one event, with the same id
    for x in (b, a, c, a, b):
        store.save(x)
        assert events(store) == {merged: ["a1", "b1", "c1"]}
    assert store.stats()["events"] == 1


def test_merge_links_every_mention_of_both_sides(store):
    for x in (report("a1", 17), report("b1", 18), report("c1", 18), report("d1", 20)):
        store.save(x)
    assert grouping(store) == [["a1"], ["b1", "c1"], ["d1"]]
    ea, eb, ed = (event_of(store, d) for d in ("a1", "b1", "d1"))
    side_a, side_b = mention_ids(store, ea), mention_ids(store, eb)
    merged = merge_events(store, eb, ea, actor=ME)
    assert {(a, b) for _, a, b in links(store)} == {
        (min(x, y), max(x, y)) for x in side_a for y in side_b}
    merged = merge_events(store, merged, ed, actor=ME)
    assert grouping(store) == [["a1", "b1", "c1", "d1"]]
    assert len(links(store)) == 2 + 3  # 1x2, then 3x1
    # d1 (20 August) is compatible with none of the others by the rules; the links hold it
    store.save(report("d1", 20))
    store.save(report("a1", 17))
    assert grouping(store) == [["a1", "b1", "c1", "d1"]]


def test_a_merge_undoes_an_earlier_split_and_the_last_decision_wins(store):
    store.save(report("a1", 17))
    store.save(report("b1", 17, until=19))
    assert grouping(store) == [["a1", "b1"]]
    eid = event_of(store, "a1")
    rest, moved = split_event(store, eid, documents=["b1"], actor=ME)
    assert {k for k, *_ in links(store)} == {"cannot"}
    merged = merge_events(store, rest, moved, actor=ME)
    assert {k for k, *_ in links(store)} == {"must"}
    assert merged == eid
    store.save(report("b1", 17, until=19))
    assert grouping(store) == [["a1", "b1"]]
    rest, moved = split_event(store, merged, documents=["a1"], actor=ME)
    assert {k for k, *_ in links(store)} == {"cannot"}
    store.save(report("a1", 17))
    store.save(report("b1", 17, until=19))
    assert grouping(store) == [["a1"], ["b1"]]


# --- events: split --------------------------------------------------------------------------------


def test_split_events_stay_split_and_new_documents_join_the_right_side(store):
    x, y = report("x1", 17), report("y1", 17, until=19)  # overlapping dates: one event by rule
    store.save(x)
    store.save(y)
    assert grouping(store) == [["x1", "y1"]]
    eid = event_of(store, "x1")
    [mx], [my] = ([m.id for m in store.event(eid).mentions if m.document_id == d]
                  for d in ("x1", "y1"))

    rest, moved = split_event(store, eid, documents=["y1"], actor=ME)
    assert events(store) == {rest: ["x1"], moved: ["y1"]}
    assert {rest, moved} == {event_id(mx), event_id(my)}
    assert links(store) == {("cannot", min(mx, my), max(mx, my))}
    assert store.event(moved).date_end == date(2020, 8, 19)
    assert store.event(rest).date_end == date(2020, 8, 17)

    # re-ingest in either order: still split, same ids
    for doc in (y, x, y):
        store.save(doc)
        assert events(store) == {rest: ["x1"], moved: ["y1"]}

    # a new report of 19 August can only be y1's event (x1 was 17 August only): it joins it
    store.save(report("z1", 19))
    assert grouping(store) == [["x1"], ["y1", "z1"]]
    assert events(store)[rest] == ["x1"]  # (y1's event is renamed if z1's mention is smaller)
    # a report compatible with both sides joins one of them and does not bridge the split
    store.save(report("w1", 17))
    assert len(events(store)) == 2
    assert sorted(d for docs in events(store).values() for d in docs) == ["w1", "x1", "y1", "z1"]
    assert ["x1", "y1"] not in [sorted(set(d) & {"x1", "y1"}) for d in events(store).values()]


def test_split_by_mention_id_and_the_founding_mention_may_leave(store):
    for d in ("a1", "b1", "c1"):
        store.save(report(d, 17))
    [eid] = events(store)
    ids = mention_ids(store, eid)
    smallest = ids[0]
    # moving the smallest mention out: the moved event takes the old id, the rest a new one
    rest, moved = split_event(store, eid, mentions=[smallest[:12]], actor=ME)
    assert moved == eid == event_id(smallest)
    assert rest == event_id(*ids[1:])
    assert mention_ids(store, moved) == [smallest] and mention_ids(store, rest) == ids[1:]
    assert len(links(store)) == 2
    for d in ("c1", "a1", "b1"):
        store.save(report(d, 17))
    assert set(events(store)) == {rest, moved}
    assert mention_ids(store, moved) == [smallest]


def test_split_removes_the_must_links_it_contradicts(store):
    store.save(report("a1", 17))
    store.save(report("b1", 18))
    merged = merge_events(store, event_of(store, "a1"), event_of(store, "b1"), actor=ME)
    assert {k for k, *_ in links(store)} == {"must"}
    rest, moved = split_event(store, merged, documents=["b1"], actor=ME)
    assert {k for k, *_ in links(store)} == {"cannot"}
    store.save(report("b1", 18))
    store.save(report("a1", 17))
    assert events(store) == {rest: ["a1"], moved: ["b1"]}


# --- events: errors -------------------------------------------------------------------------------


def test_event_corrections_reject_bad_input_with_the_value_and_the_fix(store):
    store.save(report("a1", 17))
    store.save(report("b1", 17, until=19))
    store.save(report("c1", 25))
    assert len(events(store)) == 2
    e1, e2 = event_of(store, "a1"), event_of(store, "c1")
    before = (events(store), links(store))

    cases = [
        (lambda: merge_events(store, "evt-nope", e1, actor=ME), "evt-nope", "events list"),
        (lambda: merge_events(store, "evt-", e1, actor=ME), "matches 2 events", "more characters"),
        (lambda: merge_events(store, e1, e1[:9], actor=ME), "itself", "two different"),
        (lambda: split_event(store, e1, documents=["a1", "b1"], actor=ME), "every mention",
         "only some"),
        (lambda: split_event(store, e1, documents=["c1"], actor=ME), "'c1'",
         "one of its documents"),
        (lambda: split_event(store, e1, mentions=["men-zzz"], actor=ME), "men-zzz",
         "event's mentions"),
        (lambda: split_event(store, e1, actor=ME), "documents or mentions", "--document"),
        (lambda: split_event(store, "", documents=["a1"], actor=ME), "empty event id",
         "events list"),
        (lambda: merge_events(store, e1, e2, actor="  "), "actor", "STRIKEWATCH_ACTOR"),
    ]
    for call, in_message, in_fix in cases:
        with pytest.raises(CorrectionError) as info:
            call()
        err = info.value
        assert isinstance(err, ConfigError) and isinstance(err, StrikewatchError)
        assert in_message in err.message, err.line()
        assert in_fix in (err.fix or ""), err.line()
        assert "\n" not in err.line()
    assert (events(store), links(store)) == before  # nothing half-done
    assert audit_log(store) == []


def test_a_failing_correction_leaves_the_store_as_it_was(store, monkeypatch):
    store.save(report("a1", 17))
    store.save(report("b1", 18))
    before = (events(store), links(store))

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(corrections, "_audit", boom)  # the last step of each correction
    with pytest.raises(RuntimeError):
        merge_events(store, event_of(store, "a1"), event_of(store, "b1"), actor=ME)
    assert (events(store), links(store)) == before
    monkeypatch.undo()
    assert audit_log(store) == []


# --- entities -------------------------------------------------------------------------------------


def test_apply_overrides_follows_chains_surfaces_first_and_survives_cycles():
    over = {"w:b": "w:a", "w:a|Foo": "w:split:foo", "w:split:foo": "w:c", "w:x": "w:y",
            "w:y": "w:x", "w:self": "w:self", "w:b|Bar": "w:bar"}
    assert apply_overrides(over, "w:a", "BelAZ") == "w:a"
    assert apply_overrides(over, "w:a", "Foo") == "w:c"  # surface, then key, along the chain
    assert apply_overrides(over, "w:b", "Foo") == "w:c"  # key first reaches a, then a|Foo
    assert apply_overrides(over, "w:b", "Bar") == "w:bar"  # key|surface beats key
    assert apply_overrides(over, "w:b", None) == "w:a"
    assert apply_overrides(over, "w:b", "") == "w:a"
    assert apply_overrides(over, "w:unknown", "Foo") == "w:unknown"
    assert apply_overrides(over, "w:x", "s") in {"w:x", "w:y"}  # a cycle ends, deterministically
    assert apply_overrides(over, "w:x", "s") == apply_overrides(over, "w:x", "s")
    assert apply_overrides(over, "w:self", "s") == "w:self"


def test_resolve_entity_key_reads_the_stored_overrides(store):
    with store.session() as s, s.begin():
        s.add_all([EntityOverrideRow(source="workplace:belarusian autoworks", target=BELAZ_KEY),
                   EntityOverrideRow(source=f"{BELAZ_KEY}|БелАЗ", target="workplace:split:belaz"),
                   EntityOverrideRow(source="person:a", target="person:b"),
                   EntityOverrideRow(source="person:b", target="person:a")])
    with store.session() as s:
        assert resolve_entity_key(s, "workplace:belarusian autoworks", "Belarusian Autoworks") \
            == BELAZ_KEY
        assert resolve_entity_key(s, "workplace:belarusian autoworks", "БелАЗ") \
            == "workplace:split:belaz"
        assert resolve_entity_key(s, BELAZ_KEY, "БелАЗ") == "workplace:split:belaz"
        assert resolve_entity_key(s, BELAZ_KEY, "Belaz") == BELAZ_KEY
        assert resolve_entity_key(s, BELAZ_KEY) == BELAZ_KEY
        assert resolve_entity_key(s, "person:a", "A") in {"person:a", "person:b"}
        # the name for a row created afresh: the surface when a split decided the key
        assert resolve_entity(s, BELAZ_KEY, "БелАЗ", "BelAZ") == ("workplace:split:belaz",
                                                                   "БелАЗ")
        assert resolve_entity(s, "workplace:belarusian autoworks", "Belarusian Autoworks",
                              "Belarusian Autoworks") == (BELAZ_KEY, "Belarusian Autoworks")
        assert resolve_entity(s, "person:c", "C", "C") == ("person:c", "C")


def test_merge_entities_moves_mentions_and_aliases_and_records_the_override(store):
    store.save(report("a1", 17))
    store.save(report("b1", 18, surface="Belarusian Autoworks",
                      entity=("Belarusian Autoworks", None)))
    ents = entity_docs(store)
    assert ents[BELAZ_KEY] == ("BelAZ", [], ["a1"])
    assert ents["workplace:belarusian autoworks"] == ("Belarusian Autoworks", [], ["b1"])
    kept = merge_entities(store, BELAZ_KEY, entity_id("workplace:belarusian autoworks")[:10],
                          actor=ME)
    assert kept == entity_id(BELAZ_KEY)
    ents = entity_docs(store)
    assert "workplace:belarusian autoworks" not in ents
    assert ents[BELAZ_KEY] == ("BelAZ", ["Belarusian Autoworks"], ["a1", "b1"])
    with store.session() as s:
        assert resolve_entity_key(s, "workplace:belarusian autoworks", "Belarusian Autoworks") \
            == BELAZ_KEY


def test_merge_entities_flattens_earlier_overrides(store):
    store.save(report("a1", 17))
    store.save(report("b1", 18, people=("S. Dylevsky",)))
    store.save(report("c1", 19, people=("Sergei Dylevsky",)))
    store.save(report("d1", 20, people=("Dylevsky",)))
    merge_entities(store, "person:s dylevsky", "person:dylevsky", actor=ME)
    merge_entities(store, "person:sergei dylevsky", "person:s dylevsky", actor=ME)
    with store.session() as s:
        over = {r.source: r.target for r in s.scalars(select(EntityOverrideRow))}
        assert over == {"person:dylevsky": "person:sergei dylevsky",
                        "person:s dylevsky": "person:sergei dylevsky"}
    assert entity_docs(store)["person:sergei dylevsky"] == \
        ("Sergei Dylevsky", ["Dylevsky", "S. Dylevsky"], ["b1", "c1", "d1"])


def test_split_entity_gives_an_alias_an_entity_of_its_own(store):
    store.save(report("a1", 17))
    store.save(report("b1", 18, surface="БелАЗ"))
    store.save(report("c1", 19, surface="Belaz"))
    assert entity_docs(store)[BELAZ_KEY] == ("BelAZ", ["Belaz", "БелАЗ"], ["a1", "b1", "c1"])
    new = split_entity(store, entity_id(BELAZ_KEY), alias="БелАЗ", actor=ME)
    assert new == entity_id("workplace:split:belaz")
    ents = entity_docs(store)
    assert ents[BELAZ_KEY] == ("BelAZ", ["Belaz"], ["a1", "c1"])
    assert ents["workplace:split:belaz"] == ("БелАЗ", [], ["b1"])
    with store.session() as s:
        assert resolve_entity_key(s, BELAZ_KEY, "БелАЗ") == "workplace:split:belaz"
        assert resolve_entity_key(s, BELAZ_KEY, "Belaz") == BELAZ_KEY
    # the entity's own name can be split out too: it keeps its most common other name
    new2 = split_entity(store, BELAZ_KEY, alias="BelAZ", actor=ME)
    assert new2 != new
    ents = entity_docs(store)
    assert ents[BELAZ_KEY] == ("Belaz", [], ["c1"])
    assert ents[[k for k in ents if entity_id(k) == new2][0]] == ("BelAZ", [], ["a1"])


def test_entity_corrections_reject_bad_input(store):
    store.save(report("a1", 17, people=("Sergei Dylevsky",)))
    before = entity_docs(store)
    belaz = entity_id(BELAZ_KEY)
    cases = [
        (lambda: merge_entities(store, belaz, "ent-nope", actor=ME), "ent-nope"),
        (lambda: merge_entities(store, belaz, "ent-", actor=ME), "matches 3 entities"),
        (lambda: merge_entities(store, belaz, BELAZ_KEY, actor=ME), "itself"),
        (lambda: merge_entities(store, belaz, "place:geo:620127", actor=ME), "same type"),
        (lambda: split_entity(store, belaz, alias="Belaz", actor=ME), "'Belaz'"),
        (lambda: split_entity(store, belaz, alias="BelAZ", actor=ME), "only name"),
    ]
    for call, text in cases:
        with pytest.raises(CorrectionError) as info:
            call()
        assert text in info.value.line()
        assert info.value.fix
    assert entity_docs(store) == before
    assert audit_log(store) == []


def test_events_keep_the_merged_workplace_entity_when_settled_again(store):
    x = report("b1", 18, surface="Belarusian Autoworks", entity=("Belarusian Autoworks", None))
    [ev] = x.events
    unnamed = Workplace(ev.workplace.name, ev.workplace.span, None)  # not in the knowledge base
    x = dataclasses.replace(x, events=(dataclasses.replace(ev, workplace=unnamed),))
    store.save(report("a1", 17))
    store.save(x)
    merge_entities(store, BELAZ_KEY, "workplace:belarusian autoworks", actor=ME)
    want = {entity_id(BELAZ_KEY)}
    assert {e.workplace_entity for e in store.iter_events()} == want
    store.save(x)  # re-ingest settles b1's event again from its mention
    store.save(report("c1", 19))
    assert {e.workplace_entity for e in store.iter_events()} == want


def test_entity_merge_and_split_survive_re_ingest(store):
    a, b = report("a1", 17), report("b1", 18, surface="Belarusian Autoworks",
                                     entity=("Belarusian Autoworks", None))
    c = report("c1", 19, surface="БелАЗ")
    for x in (a, b, c):
        store.save(x)
    merge_entities(store, BELAZ_KEY, "workplace:belarusian autoworks", actor=ME)
    split_entity(store, BELAZ_KEY, alias="БелАЗ", actor=ME)
    after = entity_docs(store)
    for x in (b, c, a, b):
        store.save(x)
    assert entity_docs(store) == after
    # and a new document naming the split-off surface lands on the split-off entity
    store.save(report("d1", 20, surface="БелАЗ"))
    assert entity_docs(store)["workplace:split:belaz"][2] == ["c1", "d1"]


# --- the audit log --------------------------------------------------------------------------------


def test_every_correction_is_audited_with_before_and_after(store):
    start = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=1)
    store.save(report("a1", 17))
    store.save(report("b1", 18, surface="БелАЗ"))
    store.save(report("c1", 18, people=("Dylevsky",)))
    store.save(report("d1", 19, people=("S. Dylevsky",)))
    ea, eb = event_of(store, "a1"), event_of(store, "b1")
    merged = merge_events(store, ea, eb, actor="alice")
    rest, moved = split_event(store, merged, documents=["b1", "c1"], actor="bob")
    kept = merge_entities(store, "person:dylevsky", "person:s dylevsky", actor="carol")
    new = split_entity(store, BELAZ_KEY, alias="БелАЗ", actor="dave")

    log = audit_log(store)
    assert [(r.actor, r.action) for r in log] == [
        ("alice", "events.merge"), ("bob", "events.split"), ("carol", "entities.merge"),
        ("dave", "entities.split")]
    assert all(start <= r.at <= datetime.now(timezone.utc).replace(tzinfo=None) for r in log)
    assert [r.id for r in log] == sorted(r.id for r in log)
    m, s, em, es = log
    json.dumps([r.before for r in log] + [r.after for r in log])  # plain JSON

    assert m.target == f"{ea}+{eb}"
    assert [(e["id"], e["documents"]) for e in m.before["events"]] == [(ea, ["a1"]),
                                                                        (eb, ["b1", "c1"])]
    [after] = m.after["events"]
    assert (after["id"], after["documents"], after["name"]) == (merged, ["a1", "b1", "c1"],
                                                                "BelAZ")
    assert len(after["mentions"]) == 3 and len(after["links_added"]) == 2

    assert s.target == merged
    assert [e["documents"] for e in s.before["events"]] == [["a1", "b1", "c1"]]
    assert [(e["id"], e["documents"]) for e in s.after["events"]] == [(rest, ["a1"]),
                                                                       (moved, ["b1", "c1"])]
    assert len(s.after["events"][0]["links_removed"]) == 2
    assert len(s.after["events"][0]["links_added"]) == 2

    assert em.target == f"{kept}+{entity_id('person:s dylevsky')}"
    assert [(e["key"], e["name"], e["documents"]) for e in em.before["entities"]] == [
        ("person:dylevsky", "Dylevsky", ["c1"]), ("person:s dylevsky", "S. Dylevsky", ["d1"])]
    [after] = em.after["entities"]
    assert (after["key"], after["aliases"], after["documents"]) == (
        "person:dylevsky", ["S. Dylevsky"], ["c1", "d1"])
    assert after["overrides"][0] == {"source": "person:s dylevsky", "target": "person:dylevsky",
                                     "was": None}

    assert es.target == f"{entity_id(BELAZ_KEY)}|БелАЗ"
    [before] = es.before["entities"]
    assert (before["aliases"], before["documents"]) == (["БелАЗ"], ["a1", "b1", "c1", "d1"])
    old, fresh = es.after["entities"]
    assert (old["id"], old["documents"]) == (entity_id(BELAZ_KEY), ["a1", "c1", "d1"])
    assert (fresh["id"], fresh["name"], fresh["documents"]) == (new, "БелАЗ", ["b1"])


# --- the command line -----------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    monkeypatch.setattr(cli.out, "_width", 400)
    monkeypatch.setattr(cli.err, "_width", 400)
    monkeypatch.delenv("STRIKEWATCH_ACTOR", raising=False)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store.open(url)
    store.save(report("a1", 17))
    store.save(report("b1", 18, surface="БелАЗ"))
    store.save(report("c1", 18, surface="Belarusian Autoworks",
                      entity=("Belarusian Autoworks", None)))
    store.save(report("d1", 18, kind="protest", until=20))
    store.close()
    return url


def sw(*args: str, code: int = 0, env: dict | None = None):
    result = runner.invoke(cli.app, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
    return result


def test_cli_merge_and_split_events(cli_db):
    store = Store.open(cli_db)
    try:
        assert grouping(store) == [["a1"], ["b1", "c1", "d1"]]
        ea, eb = event_of(store, "a1"), event_of(store, "b1")
        res = sw("events", "merge", ea[:12], eb[:12], "--db", cli_db, "--actor", "alice")
        [merged] = events(store)
        assert res.stdout.strip() == f"merged {ea[:12]} and {eb[:12]} into {merged}"
        res = sw("events", "split", merged[:12], "--document", "c1", "--document", "d1",
                 "--db", cli_db, env={"STRIKEWATCH_ACTOR": "bob"})
        assert grouping(store) == [["a1", "b1"], ["c1", "d1"]]
        rest, moved = event_of(store, "a1"), event_of(store, "c1")
        assert res.stdout.strip() == f"split {merged[:12]}: {rest} (remaining) and {moved} " \
                                     "(moved out)"
        assert [(r.actor, r.action) for r in audit_log(store)] == [("alice", "events.merge"),
                                                                   ("bob", "events.split")]
        # errors: one line on stderr naming the value and the fix, exit status 2
        res = sw("events", "merge", "evt-nope", rest, "--db", cli_db, code=2)
        assert res.stdout == ""
        [line] = res.stderr.splitlines()
        assert "'evt-nope'" in line and "(use an id" in line
        res = sw("events", "split", rest, "--document", "a1", "--document", "b1", "--db", cli_db,
                 code=2)
        assert "every mention" in res.stderr and len(res.stderr.splitlines()) == 1
        res = sw("events", "split", rest, "--mention", "men-", "--db", cli_db, code=2)
        assert "2 mentions" in res.stderr
        assert len(audit_log(store)) == 2
    finally:
        store.close()


def test_cli_entities_list_merge_split_and_audit(cli_db, monkeypatch):
    import getpass
    monkeypatch.setattr(getpass, "getuser", lambda: "login-name")
    listed = sw("entities", "list", "--db", cli_db).stdout
    belaz, autoworks = entity_id(BELAZ_KEY), entity_id("workplace:belarusian autoworks")
    row = next(line for line in listed.splitlines() if belaz in line)
    assert "workplace" in row and "BelAZ" in row and "БелАЗ" in row and "a1, b1, d1" in row
    assert "3 entities" in listed
    assert "place" in sw("entities", "list", "--type", "place", "--db", cli_db).stdout
    assert belaz not in sw("entities", "list", "--type", "place", "--db", cli_db).stdout

    res = sw("entities", "merge", belaz[:12], autoworks, "--db", cli_db)
    assert res.stdout.strip() == f"merged {autoworks} into {belaz}"
    res = sw("entities", "split", BELAZ_KEY, "--alias", "БелАЗ", "--db", cli_db,
             "--actor", "eve")
    new = entity_id("workplace:split:belaz")
    assert res.stdout.strip() == f"split 'БелАЗ' out of {BELAZ_KEY} into {new}"
    store = Store.open(cli_db)
    try:
        ents = entity_docs(store)
    finally:
        store.close()
    assert ents[BELAZ_KEY] == ("BelAZ", ["Belarusian Autoworks"], ["a1", "c1", "d1"])
    assert ents["workplace:split:belaz"] == ("БелАЗ", [], ["b1"])

    res = sw("entities", "split", BELAZ_KEY, "--alias", "Nope", "--db", cli_db, code=2)
    assert "'Nope'" in res.stderr and "--alias" in res.stderr
    res = sw("entities", "merge", belaz, belaz[:8], "--db", cli_db, code=2)
    assert "itself" in res.stderr

    table = sw("audit", "--db", cli_db).stdout
    assert "2 corrections" in table
    lines = [line for line in table.splitlines() if "entities." in line]
    assert [("login-name" in x, "eve" in x) for x in lines] == [(True, False), (False, True)]
    assert "entities.merge" in lines[0] and "entities.split" in lines[1]
    assert f"{belaz}+{autoworks}" in table
    assert "Belarusian Autoworks (1 mentions: c1)" in table


def test_cli_audit_of_an_empty_log(cli_db):
    assert "0 corrections" in sw("audit", "--db", cli_db).stdout


def test_default_actor(monkeypatch):
    import getpass
    monkeypatch.setenv("STRIKEWATCH_ACTOR", "from-env")
    assert cli._actor(None) == "from-env" and cli._actor("given") == "given"
    monkeypatch.delenv("STRIKEWATCH_ACTOR")
    monkeypatch.setattr(getpass, "getuser", lambda: "login-name")
    assert cli._actor(None) == "login-name"

    def nobody():
        raise OSError("no login")
    monkeypatch.setattr(getpass, "getuser", nobody)
    assert cli._actor(None) == "unknown"
