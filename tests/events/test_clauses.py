"""Which clause a date or an event word belongs to, and the classifier's added triggers."""
from __future__ import annotations

from datetime import date

from strikewatch.classify.model import Verdict
from strikewatch.events.assemble import _classified
from strikewatch.events.clauses import describes_other
from strikewatch.events.context import Sentence
from strikewatch.events.triggers import find_triggers, unreal
from strikewatch.types import Document, Span


def _sent(extractor, text: str):
    return next(iter(extractor.nlp(text).sents))


def _dated(extractor, text: str, phrase: str) -> bool:
    sent = _sent(extractor, text)
    anchors = {t.token_i for t in find_triggers(sent, text)}
    start = text.index(phrase)
    return describes_other(sent, start, start + len(phrase), anchors)


def test_a_date_in_a_clause_about_another_noun_is_not_the_events(extractor):
    assert _dated(extractor, "More than 2,000 employees took part, according to members of a "
                  "strike committee formed on Thursday night.", "Thursday night")
    assert _dated(extractor, "Workers at the plant, founded in 1946, walked out on Monday.",
                  "1946")


def test_a_date_of_the_event_word_or_its_own_clause_stays(extractor):
    assert not _dated(extractor, "The march, held on Sunday, drew thousands in Minsk.", "Sunday")
    assert not _dated(extractor, "Workers who struck on Monday won a pay rise.", "Monday")
    assert not _dated(extractor, "Workers walked out on Friday in Zhodino.", "Friday")


def test_a_reported_plan_or_a_negation_is_unreal(extractor):
    assert unreal(_sent(extractor, "Workers at the plant said they would meet on Tuesday to "
                                   "decide whether to set up a strike committee."))
    assert unreal(_sent(extractor, "The miners plan to walk out next week."))
    assert not unreal(_sent(extractor, "Workers at the plant said they had walked out."))
    assert not unreal(_sent(extractor, "More than 2,000 employees took part."))


def test_the_date_of_a_committee_does_not_split_the_walkout_it_counts(extractor):
    text = ("Workers at BelAZ in Zhodino downed tools on Friday and marched out of the factory "
            "gates.\n\nMore than 2,000 employees took part, according to members of a strike "
            "committee formed on Thursday night.")
    evs = extractor.extract(Document(id="x", text=text, published=date(2020, 8, 15))).events
    assert len(evs) == 1 and evs[0].date.start == date(2020, 8, 14)


def _verdict_sentence(extractor, text: str, verdict: Verdict) -> Sentence:
    sent = _sent(extractor, text)
    return Sentence(0, 0, Span.of(text, 0, len(text)), sent, (), (), False, verdict)


def test_an_added_trigger_is_a_riot_only_when_the_classifier_is_sure_of_the_type(extractor):
    text = "Several workers were beaten with batons by the police in Hrodna."
    unsure = _verdict_sentence(extractor, text, Verdict(0.9, "riot", 0.54))
    sure = _verdict_sentence(extractor, text, Verdict(0.9, "riot", 0.8))
    [t] = _classified(unsure, [], False, text)[0]
    assert t.type == "protest"
    assert [t.type for t in _classified(sure, [], False, text)[0]] == ["riot"]


def test_no_trigger_is_added_to_a_reported_plan(extractor):
    text = "Workers at the plant said they would meet on Tuesday to decide on a committee."
    sent = _verdict_sentence(extractor, text, Verdict(0.95, "strike", 0.97))
    assert _classified(sent, [], False, text) == ([], False)


def test_a_sentence_going_on_with_the_live_event_passes_on_the_hard_floor(extractor):
    text = "The industrial action spread on Sunday to airports like Frankfurt and Munich."
    sent = _verdict_sentence(extractor, text, Verdict(0.3, "strike", 0.5))
    found = find_triggers(sent.spacy, text)
    assert found
    assert _classified(sent, found, False, text, live=True) == (found, False)
    assert _classified(sent, found, False, text, live=False) == ([], True)
    below = _verdict_sentence(extractor, text, Verdict(0.1, "strike", 0.5))
    assert _classified(below, found, False, text, live=True) == ([], True)
