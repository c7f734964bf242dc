"""Sentence boundaries at line breaks: a line is a sentence, unless the text is hard-wrapped."""
from __future__ import annotations


def _sentences(extractor, text: str) -> list[str]:
    return [s.text.strip() for s in extractor.nlp(text).sents if s.text.strip()]


def test_a_hard_wrapped_sentence_stays_one(extractor):
    text = ("Greek civil servants union ADEDY\non Tuesday called a 24-hour general strike for "
            "Nov. 12 in\nprotest at pension reforms required under the bailout deal.\n")
    assert len(_sentences(extractor, text)) == 1


def test_a_heading_and_lines_of_their_own_stay_apart(extractor):
    text = ("Rail workers form picket line\nRAILWAY workers formed a picket line on Wednesday.\n"
            "Members of the union gathered outside the station.\n"
            "\"We are here to support them\"\nsaid one member.")
    got = _sentences(extractor, text)
    assert got[:3] == ["Rail workers form picket line",
                       "RAILWAY workers formed a picket line on Wednesday.",
                       "Members of the union gathered outside the station."]
    assert "said one member." in got
