"""Trigger words and phrases, including the rewordings that spun and translated copies use."""
from __future__ import annotations

from datetime import date

import pytest

from strikewatch.types import Document


def events_of(extractor, text: str):
    return extractor.extract(Document(id="x", text=text, published=date(2020, 8, 21))).events


@pytest.mark.parametrize("text, etype", [
    ("The walk-out at BelAZ in Zhodino began on Wednesday.", "strike"),
    ("Workers at Grodno Azot ceased work on Wednesday.", "strike"),
    ("Hundreds of staff at BelAZ departed their workshops in Zhodino on Wednesday.", "strike"),
    ("Alexander Lukashenko was met by whistles of workers of MZKT on Monday.", "protest"),
    ("Thousands of women lined the road in Minsk on Saturday.", "protest"),
])
def test_reworded_triggers(extractor, text, etype):
    evs = events_of(extractor, text)
    assert [e.type for e in evs] == [etype]


@pytest.mark.parametrize("text", [
    "The old houses stand along the river in Minsk.",  # "stand along" needs people
    "The factory whistle at BelAZ in Zhodino sounded at noon on Monday.",
    "Union leaders of BelAZ were meeting in Zhodino on Monday.",  # the verb is no rally
    "Our people in Johannesburg have once more demonstrated their belief in the party.",
    "His efforts to reform the law were blocked by Congress in Washington on Monday.",
    "The flotilla was blocked by the navy near Gaza on Monday.",
    "The workers' only option in Johannesburg is to go on strike, Kleynhans said on Monday.",
    "Mexico broke through in the 73rd minute on Duenas' strike in Miami on Sunday.",
    "The broadcaster in Johannesburg is concerned by the looming strike of 300 workers.",
    "Their release followed the freeing of five oil workers on Monday in Port Harcourt.",
    "Ministers faced discontent at Monday's meeting of the party in London.",
    "The actor turned down his award in London in 1973 in protest at discrimination.",
    "Unions in London have already earmarked 23 March for a one-day strike.",
    "At 3 p.m. the striking miners are to gather in the main square in Salihorsk.",
    "Residents fear the violence could lead to a return to the days when clashes between "
    "soldiers and gangs in Warri left hundreds dead.",
    # the modal governs the trigger nine words up the tree
    "Royal Mail workers in the CWU will also strike again on Wednesday in the latest of a "
    "series of six days of industrial action in the run-up to Christmas.",
])
def test_look_alikes_are_not_events(extractor, text):
    assert events_of(extractor, text) == ()


def test_a_quantity_word_is_not_a_workplace(extractor):
    [ev] = events_of(extractor, "round 1,500 staff at belaz departed their workshops in "
                                "zhodino on wednesday morning.")
    assert ev.workplace is not None and ev.workplace.enterprise.key == "belaz"


def test_sport_words_rule_out_only_sport(extractor):
    """"Final", "team" or "season" are not sport by themselves; a score or a half is."""
    from strikewatch.events.triggers import find_triggers
    nlp = extractor.nlp
    for text, want in (("The strike at the port of Durban entered its final day on Friday.", 1),
                       ("The home side rallied to a 3-2 win on Saturday.", 0),
                       ("His double strike sealed it for the visitors in the second half.", 0)):
        doc = nlp(text)
        got = [t for s in doc.sents for t in find_triggers(s, text)]
        assert len(got) == want, (text, got)


def test_riot_police_are_no_riot_however_parsed(extractor):
    from strikewatch.events.triggers import find_triggers
    nlp = extractor.nlp
    text = ("Videos appear where women hug riot police officers who lower their shields, "
            "and a policeman gives flowers to the women.")
    doc = nlp(text)
    assert [t for s in doc.sents for t in find_triggers(s, text) if t.type == "riot"] == []


@pytest.mark.parametrize("text", [
    "Border staff at the country's biggest airport were due to walk out on Friday over rosters.",
    "Dock workers in Antwerp are poised to strike next week, the union said.",
])
def test_due_or_poised_to_strike_is_not_a_strike(extractor, text):
    assert events_of(extractor, text) == ()


def test_people_blocking_a_road_is_a_blockade(extractor):
    evs = events_of(extractor, "Miners blocked the road to the mine in Rustenburg on Monday.")
    assert [e.type for e in evs] == ["blockade"]


def test_a_strike_in_a_report_about_sport_is_a_shot(extractor):
    text = ("Fulham beat Manchester United 1-0 in the league at Craven Cottage in London on "
            "Saturday. The goalkeeper had no chance. The coach said: \"In fairness, it's a "
            "fantastic strike from the Fulham player.\"")
    assert events_of(extractor, text) == ()


@pytest.mark.parametrize("text, etype", [
    # workers' meetings are protests
    ("Workers at the Gomel glassworks held meetings in Gomel on Friday.", "protest"),
    ("Thousands of workers held a mass meeting outside the plant in Zhodino on Monday.",
     "protest"),
    # a crowd's violence makes a riot
    ("Protesters hurled rocks at police in Beirut on Sunday.", "riot"),
    ("A demonstrator threw a Molotov cocktail at police in Hong Kong on Sunday.", "riot"),
    ("Marchers smashed shop windows in Portland on Thursday.", "riot"),
    ("The protest in Hamburg turned violent on Friday.", "riot"),
    ("Violent protests erupted in Bogota on Tuesday.", "riot"),
    # police violence, or violence in general, leaves the protest a protest
    ("Police fired tear gas at protesters in Harare on Friday.", "protest"),
    ("The march in Hong Kong on Sunday ended peacefully after months of often violent "
     "demonstrations.", "protest"),
])
def test_one_sentence_gives_one_event_of_its_type(extractor, text, etype):
    assert [e.type for e in events_of(extractor, text)] == [etype]


def test_a_sit_in_is_a_strike_when_workers_sit_in_else_a_protest(extractor):
    assert [e.type for e in events_of(
        extractor, "Hundreds of protesters joined a sit-in outside the army headquarters in "
                   "Khartoum on Tuesday.")] == ["protest"]
    assert [e.type for e in events_of(
        extractor, "Workers at BelAZ staged a sit-in in Zhodino on Monday.")] == ["strike"]


def test_a_relative_clause_tells_its_own_event(extractor):
    evs = events_of(extractor, "Managers in Zhodino dismissed the workers who went on strike "
                               "at BelAZ on Monday.")
    assert [e.type for e in evs] == ["strike"]


@pytest.mark.parametrize("text, types", [
    ("On Saturday a \u201cBrilliant March\u201d was held in Minsk, in which women took part.",
     ["protest"]),
    ("The strike at BelAZ began in March in Zhodino.", ["strike"]),  # the month: no march
])
def test_march_is_a_march_unless_it_is_the_month(extractor, text, types):
    assert [e.type for e in events_of(extractor, text)] == types


def test_the_month_is_told_from_a_named_march(extractor):
    from strikewatch.events.triggers import _the_month

    def march(text):
        return next(t for t in extractor.nlp(text) if t.lower_ == "march")
    assert _the_month(march("The strike began in March in Zhodino."))
    assert _the_month(march("Nurses walked out on 23 March 2021."))
    assert _the_month(march("Nurses walked out on March 23."))
    assert not _the_month(march("Later a \u201cBrilliant March\u201d was held in Minsk."))
    assert not _the_month(march("Thousands joined the Women's March in Washington."))
