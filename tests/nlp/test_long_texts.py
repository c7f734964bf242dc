"""Long texts are parsed in pieces with their own offsets, and a document that cannot be
parsed fails alone: the other documents of the run are stored."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikewatch.nlp.english import split_pieces
from strikewatch.pipeline import ingest
from strikewatch.store.repository import Store

EVENT = ("Workers at BelAZ in Zhodino went on strike on 17 August 2020. About 300 people "
         "gathered at the gates, organisers said.\n\n")
FILLER = "The weather in the region was mild for the season and the harvest went on.\n\n"


@given(st.text(alphabet="ab .\n", max_size=400), st.integers(5, 60))
@settings(max_examples=300, deadline=None)
def test_pieces_join_back_and_stay_under_the_size(text, size):
    pieces = split_pieces(text, size)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= size for p in pieces) or pieces == [text]


def test_pieces_end_at_paragraph_breaks_when_there_are_some():
    text = (FILLER * 40)
    pieces = split_pieces(text, 1000)
    assert len(pieces) > 1 and all(p.endswith("\n\n") for p in pieces)


def test_a_text_longer_than_a_piece_keeps_its_offsets(tmp_path, extractor, monkeypatch):
    monkeypatch.setattr(extractor.nlp, "piece", 2_000)
    text = FILLER * 60 + EVENT + FILLER * 3
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'sw.db'}")
    report = ingest([tmp_path / "long.txt"], store, extractor=extractor)
    assert report.ok and report.events == 1
    [event] = list(store.iter_events())
    assert event.workplace_name == "BelAZ" and event.participants_low == 300
    for mention in event.mentions:
        for ev in mention.evidence:
            assert text[ev["start"]:ev["end"]] == ev["text"]
    store.close()


def test_a_document_that_cannot_be_parsed_fails_alone(tmp_path, extractor, monkeypatch):
    (tmp_path / "good.txt").write_text(EVENT, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("POISON " + EVENT, encoding="utf-8")
    real = extractor.parser.pipe

    def pipe(texts, **kw):
        texts = list(texts)
        if any(t.startswith("POISON") for t in texts):
            raise ValueError("[E088] Text of length 1200000 exceeds maximum of 1000000")
        return real(texts, **kw)

    monkeypatch.setattr(extractor.parser, "pipe", pipe)
    store = Store.open(f"sqlite:///{tmp_path / 'sw.db'}")
    report = ingest([tmp_path], store, extractor=extractor)
    [failure] = report.failures
    assert failure.source.endswith("bad.txt") and "E088" in failure.message
    assert [d.id for d in store.documents()] == ["good"] and report.events == 1
    store.close()


@pytest.mark.slow
def test_a_text_over_a_million_characters_is_stored_with_the_others(tmp_path, extractor):
    """The real case: spaCy's own limit is 1,000,000 characters."""
    text = FILLER * 13_500 + EVENT  # about 1.05 million characters
    assert len(text) > 1_000_000
    (tmp_path / "a-long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b-good.txt").write_text(EVENT.replace("BelAZ", "Naftan"), encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'sw.db'}")
    report = ingest([tmp_path], store, extractor=extractor)
    assert report.ok and report.stored == 2
    assert sorted(e.workplace_name for e in store.iter_events()) == ["BelAZ", "Naftan"]
    store.close()
