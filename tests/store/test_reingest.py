"""Re-ingesting a changed document stores the change, whatever changed (text or metadata); a
store filled by two ingests at once, or document by document in any order, ends as one fresh
ingest of the same documents would leave it."""
from __future__ import annotations

import json

from strikewatch.export.records import entity_record, event_record
from strikewatch.pipeline import ingest
from strikewatch.store.repository import Store

REPORT = ("Workers at {plant} in {town} went on strike on 17 August 2020. About {n} people "
          "gathered at the gates, organisers said. Strike committee chairman {who} said the "
          "workers demanded new elections and the release of those detained. {tail}\n")


def _write(folder, name, text, **meta):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if meta:
        (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _report(plant="BelAZ", town="Zhodino", n=300, who="Pavel Kuznetsov", tail=""):
    return REPORT.format(plant=plant, town=town, n=n, who=who, tail=tail)


def entity_records(store: Store) -> list[dict]:
    return [entity_record(row, docs) for row, docs in store.iter_entities()]


def _export(store: Store):
    return [event_record(row) for row in store.iter_events()], entity_records(store)


def test_an_edited_text_replaces_its_extraction(tmp_path, extractor, db_url):
    inbox = tmp_path / "inbox"
    _write(inbox, "a", _report(n=300), published="2020-08-18")
    store = Store.open(db_url)
    assert ingest([inbox], store, extractor=extractor).ok
    _write(inbox, "a", _report(plant="Grodno Azot", town="Grodno", n=450), published="2020-08-18")
    report = ingest([inbox], store, extractor=extractor)
    assert report.ok and report.stored == 1 and report.unchanged == 0
    [doc] = store.documents()
    assert "Grodno Azot" in doc.text
    [event] = list(store.iter_events())
    assert event.participants_low == 450 and "Grodno Azot" in (event.workplace_name or "")
    # and the next run finds it unchanged
    again = ingest([inbox], store, extractor=extractor)
    assert again.ok and again.unchanged == 1 and again.stored == 0
    store.close()


def test_metadata_edits_are_stored(tmp_path, extractor, db_url):
    inbox = tmp_path / "inbox"
    _write(inbox, "a", _report(), published="2020-08-18", title="Old", url="https://a.example/1",
           publisher="Paper A")
    store = Store.open(db_url)
    assert ingest([inbox], store, extractor=extractor).ok
    for change in ({"published": "2020-08-19"}, {"title": "New title"},
                   {"url": "https://a.example/2"}, {"publisher": "Paper B"}):
        meta = json.loads((inbox / "a.meta.json").read_text()) | change
        (inbox / "a.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        report = ingest([inbox], store, extractor=extractor)
        assert report.ok and report.stored == 1, change
        [doc] = store.documents()
        key, value = next(iter(change.items()))
        assert str(getattr(doc, key)) == value
    store.close()


def test_an_edit_that_ends_a_copy_unlinks_it(tmp_path, extractor, db_url):
    inbox = tmp_path / "inbox"
    text = _report(tail="Production stopped in the main assembly shop, the plant confirmed. "
                        "Riot police arrived at noon and detained 12 workers near the canteen.")
    _write(inbox, "a", text, published="2020-08-18")
    _write(inbox, "b", text.replace("went on strike", "walked out"), published="2020-08-19")
    store = Store.open(db_url)
    assert ingest([inbox], store, extractor=extractor).ok
    assert {d.id: d.copy_of for d in store.documents()} == {"a": None, "b": "a"}
    _write(inbox, "a", _report(plant="Naftan", town="Novopolotsk", n=80, who="Olga Ivanova"),
           published="2020-08-18")
    assert ingest([inbox], store, extractor=extractor).ok
    assert {d.id: d.copy_of for d in store.documents()} == {"a": None, "b": None}
    store.close()


def test_one_document_twice_in_a_run_keeps_the_later_reading(tmp_path, extractor):
    _write(tmp_path / "x", "a", _report(n=100), id="same")
    _write(tmp_path / "y", "a", _report(n=200), id="same")
    store = Store.open(f"sqlite:///{tmp_path / 'sw.db'}")
    report = ingest([tmp_path / "x"], store, extractor=extractor)
    report = ingest([tmp_path / "y"], store, extractor=extractor)
    assert report.ok
    [event] = list(store.iter_events())
    assert event.participants_low == 200
    store.close()


def test_a_surname_joins_the_full_name_in_any_order(tmp_path, extractor):
    full = _report(who="Pavel Kuznetsov")
    short = _report(plant="Grodno Azot", town="Grodno", n=90, who="Kuznetsov")
    exports = []
    for order in (("full", "short"), ("short", "full"), ("both",)):
        store = Store.open(f"sqlite:///{tmp_path / ('-'.join(order) + '.db')}")
        for step in order:
            inbox = tmp_path / "-".join(order) / step
            if step in ("full", "both"):
                _write(inbox, "f", full, published="2020-08-18")
            if step in ("short", "both"):
                _write(inbox, "s", short, published="2020-08-19")
            assert ingest([inbox], store, extractor=extractor).ok
        exports.append(_export(store))
        people = [e for e in exports[-1][1] if e["type"] == "person"]
        assert [p["name"] for p in people if "Kuznetsov" in p["name"]] == ["Pavel Kuznetsov"], order
        store.close()
    assert exports[0] == exports[1] == exports[2]


def test_a_second_full_name_unjoins_the_surname(tmp_path, extractor, db_url):
    store = Store.open(db_url)
    _write(tmp_path / "1", "f", _report(who="Pavel Kuznetsov"), published="2020-08-18")
    _write(tmp_path / "1", "s", _report(plant="Naftan", town="Novopolotsk", who="Kuznetsov"),
           published="2020-08-19")
    assert ingest([tmp_path / "1"], store, extractor=extractor).ok
    _write(tmp_path / "2", "g", _report(plant="Grodno Azot", town="Grodno",
                                        who="Igor Kuznetsov"), published="2020-08-20")
    assert ingest([tmp_path / "2"], store, extractor=extractor).ok
    names = sorted(e["name"] for e in entity_records(store) if "Kuznetsov" in e["name"])
    assert names == ["Igor Kuznetsov", "Kuznetsov", "Pavel Kuznetsov"]
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert ingest([tmp_path / "1", tmp_path / "2"], fresh, extractor=extractor).ok
    assert _export(fresh) == _export(store)
    store.close()
    fresh.close()


def test_an_ingest_that_another_ingest_overlaps_links_copies(tmp_path, extractor, db_url):
    """What two processes on one store do, interleaved: ingest B runs to the end while ingest A
    is between its first document and its final copy-link step."""
    text = _report(tail="Production stopped in the main assembly shop, the plant confirmed. "
                        "Riot police arrived at noon and detained 12 workers near the canteen.")
    _write(tmp_path / "A", "a1", text, published="2020-08-18")
    _write(tmp_path / "A", "a2", _report(plant="Naftan", town="Novopolotsk", who="Olga Ivanova"),
           published="2020-08-18")
    _write(tmp_path / "B", "b1", text.replace("went on strike", "walked out"),
           published="2020-08-17")
    store, other = Store.open(db_url), Store.open(db_url)
    done: list[bool] = []

    def meanwhile(_source):
        if not done:
            done.append(True)
            assert ingest([tmp_path / "B"], other, extractor=extractor).ok

    report = ingest([tmp_path / "A"], store, extractor=extractor, on_document=meanwhile,
                    batch_size=1)
    assert report.ok and done
    links = {d.id: d.copy_of for d in store.documents()}
    assert links == {"a1": "b1", "a2": None, "b1": None}
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert ingest([tmp_path / "A", tmp_path / "B"], fresh, extractor=extractor).ok
    assert _export(fresh) == _export(store)
    for s in (store, other, fresh):
        s.close()


def test_an_event_that_loses_a_report_is_settled_again(tmp_path, extractor, db_url):
    """Its other reports' figures, actors and sources only: what a fresh store holds."""
    one = ("Workers at BelAZ in Zhodino went on strike on 17 August 2020. About 300 people "
           "gathered at the gates, organisers said.\n")
    two = ("Staff at BelAZ in Zhodino stopped work on 17 August 2020. The strike committee said "
           "1000 workers took part.\n")
    elsewhere = ("Staff at Naftan in Novopolotsk stopped work on 12 August 2020. The strike "
                 "committee said 1000 workers took part.\n")
    inbox = tmp_path / "inbox"
    _write(inbox, "a", one, published="2020-08-17")
    _write(inbox, "b", two, published="2020-08-18", publisher="Paper B")
    store = Store.open(db_url)
    assert ingest([inbox], store, extractor=extractor).ok
    [event] = list(store.iter_events())
    assert event.independent_sources == 2 and event.participants_high == 1000
    _write(inbox, "b", elsewhere, published="2020-08-18", publisher="Paper B")
    assert ingest([inbox], store, extractor=extractor).ok
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert ingest([inbox], fresh, extractor=extractor).ok
    assert _export(store) == _export(fresh)
    belaz = next(e for e in store.iter_events() if e.workplace_name == "BelAZ")
    assert belaz.independent_sources == 1 and belaz.participants_high == 300
    store.close()
    fresh.close()
