"""Ingest saves documents in batches: the same store as one by one, and a document the store
refuses fails alone."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError

from strikewatch.pipeline import ingest
from strikewatch.store.repository import Store

TEXT = ("Workers at {plant} in {town} went on strike on 17 August 2020. "
        "About {n} people gathered at the gates, organisers said.\n")
PLANTS = [("BelAZ", "Zhodino"), ("Minsk Tractor Works", "Minsk"), ("Grodno Azot", "Grodno"),
          ("BelAZ", "Zhodino"), ("Naftan", "Novopolotsk")]


def _inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i, (plant, town) in enumerate(PLANTS):
        (folder / f"d{i}.txt").write_text(TEXT.format(plant=plant, town=town, n=100 + i),
                                          encoding="utf-8")
    return folder


def _grouping(store: Store) -> list[list[str]]:
    return sorted(sorted(m.document_id for m in ev.mentions) for ev in store.iter_events())


def test_batches_store_what_one_by_one_stores(tmp_path, extractor):
    folder = _inbox(tmp_path)
    out = []
    for size in (1, 2, 64):
        store = Store.open(f"sqlite:///{tmp_path / f'b{size}.db'}")
        report = ingest([folder], store, extractor=extractor, batch_size=size)
        assert report.ok and report.stored == len(PLANTS)
        out.append((_grouping(store), store.stats()))
        store.close()
    assert out[0] == out[1] == out[2]
    assert ["d0", "d3"] in out[0][0]  # the two BelAZ reports are one event


def test_a_document_the_store_refuses_fails_alone(tmp_path, extractor, monkeypatch):
    folder = _inbox(tmp_path)
    store = Store.open(f"sqlite:///{tmp_path / 'sw.db'}")
    real = Store._save

    def picky(self, items):
        if any(item.extraction.document.id == "d2" for item in items):
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(self, items)

    monkeypatch.setattr(Store, "_save", picky)
    report = ingest([folder], store, extractor=extractor, batch_size=64)
    assert report.stored == 4
    [failure] = report.failures
    assert failure.source.endswith("d2.txt") and failure.code.startswith("SW")
    assert "disk I/O error" in failure.message
    assert {d.id for d in store.documents()} == {"d0", "d1", "d3", "d4"}
    store.close()
