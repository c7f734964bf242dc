"""Two ingest processes at once on one store: both finish without a failure, and the store
ends as one ingest of both folders would leave it."""
from __future__ import annotations

import os

import pytest

from strikewatch.export.records import entity_record, event_record
from strikewatch.pipeline import ingest
from strikewatch.store.repository import Store

pytestmark = pytest.mark.slow

TEXT = ("Workers at {plant} in {town} went on strike on {day} August 2020. About {n} people "
        "gathered at the gates, organisers said. Strike committee chairman {who} said the "
        "workers demanded new elections and the release of those detained.\n")
PLANTS = [("BelAZ", "Zhodino"), ("Minsk Tractor Works", "Minsk"), ("Grodno Azot", "Grodno"),
          ("Naftan", "Novopolotsk"), ("Belaruskali", "Salihorsk")]
WHO = ["Pavel Kuznetsov", "Kuznetsov", "Olga Ivanova", "Ivanova", "Sergei Dylevsky"]


def _folders(tmp_path, n=24):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for i in range(n):
        plant, town = PLANTS[i % len(PLANTS)]
        text = TEXT.format(plant=plant, town=town, day=10 + i % 15, n=100 + 10 * i,
                           who=WHO[i % len(WHO)])
        # every third report of b copies one of a, word for word
        (a / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
        other = text if i % 3 == 0 else text.replace(plant, PLANTS[(i + 2) % len(PLANTS)][0])
        (b / f"b{i:02d}.txt").write_text(other, encoding="utf-8")
    return a, b


def _export(url):
    store = Store.open(url)
    out = ([event_record(r) for r in store.iter_events()],
           [entity_record(r, d) for r, d in store.iter_entities()],
           {d.id: d.copy_of for d in store.documents()})
    store.close()
    return out


def _fork_ingest(folder, url, extractor, batch_size) -> int:
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            store = Store.open(url)
            report = ingest([folder], store, extractor=extractor, batch_size=batch_size)
            store.close()
            code = 0 if report.ok else 1
            for f in report.failures:
                print(f.line(), flush=True)
        finally:
            os._exit(code)
    return pid


def test_two_ingests_at_once_end_as_one(tmp_path, extractor, db_url):
    a, b = _folders(tmp_path)
    Store.open(db_url).close()  # the schema exists before the two start
    pids = [_fork_ingest(a, db_url, extractor, 2), _fork_ingest(b, db_url, extractor, 3)]
    codes = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]
    assert codes == [0, 0]
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    store = Store.open(fresh)
    assert ingest([a, b], store, extractor=extractor).ok
    store.close()
    got, want = _export(db_url), _export(fresh)
    assert got[2] == want[2]  # copy links
    assert got == want
