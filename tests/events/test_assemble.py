"""Event assembly through the whole extractor, on short reports written for these tests."""
from __future__ import annotations

from datetime import date

from strikewatch.types import Document

PUBLISHED = date(2020, 8, 21)  # a Friday


def events_of(extractor, text: str, published: date | None = PUBLISHED):
    doc = Document(id="x", text=text, published=published)
    result = extractor.extract(doc)
    for ev in result.events:
        for sp in ev.evidence:
            assert text[sp.start:sp.end] == sp.text
    return result.events


def test_an_enumeration_gives_one_event_per_workplace_each_with_its_town(extractor):
    text = ("On Wednesday, walkouts were reported at Naftan in Novopolotsk, at Belshina in "
            "Bobruisk and at the meat processing plant in Gomel.")
    evs = events_of(extractor, text)
    got = {(e.workplace.name if e.workplace else None, e.location.name if e.location else None)
           for e in evs}
    assert len(evs) == 3
    towns = {town for _, town in got}
    assert {"Navapolatsk", "Babruysk", "Homyel"} <= towns or len(towns) == 3
    assert all(e.date.start == date(2020, 8, 19) for e in evs)
    assert all(e.type == "strike" for e in evs)


def test_gathering_arrests_and_beatings_are_one_event(extractor):
    text = ("About two hundred workers gathered at the gate of BelAZ in Zhodino on Monday.\n\n"
            "According to the police, 14 people were detained there.\n\n"
            "Several of them were beaten on the way to the station, the strike committee said.")
    [ev] = events_of(extractor, text)
    assert ev.workplace is not None and ev.workplace.enterprise.key == "belaz"
    assert ev.participants.low == 200 and ev.arrests.low == 14
    assert ev.arrests.claims[0].attributed_to == "the police"
    assert ev.injuries is not None
    assert len(ev.evidence) == 3


def test_negated_threatened_hypothetical_and_historical_mentions_give_no_event(extractor):
    text = ("Workers at Grodno Azot were threatened with dismissal for taking part in strikes. "
            "No strike took place at the Minsk Tractor Works. "
            "The only thing that could hurt him would be a nationwide strike. "
            "Veterans still talk about the strikes of 1991 in Minsk.")
    assert not events_of(extractor, text)


def test_the_following_day_counts_from_the_date_before(extractor):
    text = ("On Tuesday, workers at BelAZ in Zhodino walked out. "
            "The following day, miners at Belaruskali stopped work.")
    evs = {e.workplace.enterprise.key: e for e in events_of(extractor, text)}
    assert evs["belaz"].date.start == date(2020, 8, 18)
    assert evs["belaruskali"].date.start == date(2020, 8, 19)
    assert evs["belaruskali"].location.name == "Soligorsk"


def test_without_a_date_phrase_the_publication_date_is_assumed(extractor):
    [ev] = events_of(extractor, "Hundreds of workers at MAZ in Minsk walked out.")
    assert ev.date.start == PUBLISHED and ev.date.text == ""
    [ev] = events_of(extractor, "Hundreds of workers at MAZ in Minsk walked out.", None)
    assert ev.date.precision == "unknown" and ev.date.start is None
