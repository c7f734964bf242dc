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
