"""Event ids and memberships do not depend on the order documents arrive in."""
from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from strikewatch.export import records
from strikewatch.ingest import read_documents
from strikewatch.pipeline import fingerprint
from strikewatch.store.repository import Store

CROSSDOC = Path(__file__).resolve().parents[1] / "data" / "crossdoc"


@pytest.fixture(scope="module")
def extractions(extractor):
    docs = list(read_documents([CROSSDOC]))
    return [extractor.extract(replace(d, content_hash=fingerprint(d))) for d in docs]


def events_after(order, path: Path) -> list[tuple[str, tuple[str, ...]]]:
    store = Store.open(f"sqlite:///{path}")
    try:
        for extraction in order:
            store.save(extraction)
        return sorted((r["id"], tuple(sorted(s["document"] for s in r["sources"])))
                      for r in records(store, "events"))
    finally:
        store.close()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_any_order_gives_the_same_events(extractions, tmp_path, seed):
    base = events_after(extractions, tmp_path / "a.db")
    shuffled = extractions[:]
    random.Random(seed).shuffle(shuffled)
    assert events_after(shuffled, tmp_path / "b.db") == base
    assert any(len(docs) > 1 for _, docs in base)  # merging did happen


def events_in_batches(order, path: Path, rnd: random.Random) -> list[tuple[str, tuple[str, ...]]]:
    from strikewatch.store.repository import Pending
    store = Store.open(f"sqlite:///{path}")
    try:
        i = 0
        while i < len(order):
            size = rnd.randint(1, 9)
            store.save_many([Pending(x) for x in order[i:i + size]])
            i += size
        return sorted((r["id"], tuple(sorted(s["document"] for s in r["sources"])))
                      for r in records(store, "events"))
    finally:
        store.close()


@pytest.mark.parametrize("seed", [3, 4])
def test_batches_of_any_size_in_any_order_give_the_same_events(extractions, tmp_path, seed):
    rnd = random.Random(seed)
    shuffled = extractions[:]
    rnd.shuffle(shuffled)
    assert events_in_batches(shuffled, tmp_path / "b.db", rnd) == \
        events_after(extractions, tmp_path / "a.db")


def test_the_store_groups_as_grouping_every_mention_at_once(extractions, tmp_path):
    from strikewatch.merge.cluster import Node, groups
    from strikewatch.store.serialize import mention_row
    nodes = []
    for x in extractions:
        seen: set[str] = set()
        for i, ev in enumerate(x.events):
            row = mention_row(ev, ordinal=i)
            assert row.id not in seen
            seen.add(row.id)
            nodes.append(Node(row.id, row.document_id, row.block_key, row.date_lo, row.date_hi,
                              row.anchored))
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        for x in reversed(extractions):
            store.save(x)
        stored = sorted(sorted(m.id for m in ev.mentions) for ev in store.iter_events())
    finally:
        store.close()
    assert stored == groups(nodes)
