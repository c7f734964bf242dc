"""Event assembly through the whole extractor, on short reports written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from strikewatch.types import Document, Place

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


def _draft(type_, start, *, place=None, workplace=None, actors=(), day=None):
    from strikewatch.events.assemble import Draft
    from strikewatch.types import DateValue, Span, Workplace
    d = Draft(type_, [Span(start, start + 5, "x" * 5)], actors=list(actors),
              workplace=Workplace(workplace, Span(start, start + 5, "x" * 5)) if workplace else None)
    d.place = place
    d.date = DateValue(day, day, "day", "on Wednesday") if day else None
    return d


LAGOS = Place("Lagos", "NG", "city", geonameid=2332459)
KANO = Place("Kano", "NG", "city", geonameid=2335204)


def test_a_headline_a_lead_and_a_body_telling_one_protest_give_one_event():
    from strikewatch.events.assemble import consolidate
    day = date(2020, 8, 19)
    title = _draft("protest", 0, place=LAGOS, actors=["nurses"])
    lead = _draft("protest", 60, place=LAGOS, actors=["nurses", "people"], day=day)
    body = _draft("protest", 200, place=LAGOS, workplace="the teaching hospital",
                  actors=["nurses"])
    [one] = consolidate([title, lead, body])
    assert one is body and len(one.evidence) == 3 and one.date is not None


def test_retold_events_stay_apart_when_kind_place_day_crowd_or_workplace_differ():
    from strikewatch.events.assemble import consolidate
    day, other_day = date(2020, 8, 19), date(2020, 8, 12)
    for a, b in [(_draft("protest", 0, place=LAGOS), _draft("strike", 50, place=LAGOS)),
                 (_draft("protest", 0, place=LAGOS), _draft("protest", 50, place=KANO)),
                 (_draft("protest", 0, place=LAGOS), _draft("protest", 50)),
                 (_draft("protest", 0, place=LAGOS, day=day),
                  _draft("protest", 50, place=LAGOS, day=other_day)),
                 (_draft("protest", 0, place=LAGOS, actors=["students"]),
                  _draft("protest", 50, place=LAGOS, actors=["pensioners", "people"])),
                 (_draft("strike", 0, place=LAGOS, workplace="the port"),
                  _draft("strike", 50, place=LAGOS, workplace="the refinery"))]:
        assert len(consolidate([a, b])) == 2
    # two workplaces could each take the one without: it stays apart
    ab = [_draft("strike", 0, place=LAGOS, workplace="the port"),
          _draft("strike", 50, place=LAGOS, workplace="the refinery"),
          _draft("strike", 90, place=LAGOS)]
    assert len(consolidate(ab)) == 3


def test_protests_in_two_towns_on_one_day_stay_two_events(extractor):
    text = ("Hundreds of students marched in Kisumu on Wednesday against the fee rise.\n\n"
            "In Nakuru, pensioners rallied outside the county offices on Wednesday.")
    evs = events_of(extractor, text)
    assert len(evs) == 2


def test_strikers_who_marched_held_a_march(extractor):
    text = ("Police counted 800,000 across some 200 protests, including in Lyon and Toulouse, "
            "where strikers marched through the centre on Thursday.")
    evs = events_of(extractor, text)
    assert evs and all(e.type == "protest" for e in evs)


def test_an_event_sentence_naming_a_country_and_a_town_is_placed_in_the_town(extractor):
    text = ("Pension reform brings France to a halt\n\n"
            "The head of France's biggest union spoke at the start of a huge protest march in "
            "Paris on Thursday.")
    evs = events_of(extractor, text)
    assert any(e.location is not None and e.location.name == "Paris" for e in evs)


@pytest.mark.parametrize("text", [
    "Two men were arrested in Soweto on Wednesday for being in possession of stolen car parts.",
    "Four people died when their shack in Bellville burnt down on Thursday, police said.",
    "The final drew a crowd of 80,000 to the stadium in Melbourne on Saturday.",
])
def test_arrests_deaths_or_a_crowd_with_no_protest_said_are_no_event(extractor, text):
    assert extractor.extract(Document(id="x", text=text, published=date(2020, 8, 21))).events == ()


def test_detentions_of_protesters_alone_are_an_event(extractor):
    text = "Over ten workers and dozens of protesters were detained at the plant in Zhodino."
    [ev] = extractor.extract(Document(id="x", text=text, published=date(2020, 8, 21))).events
    assert ev.arrests is not None


def test_undated_towns_after_a_one_day_report_are_on_that_day(extractor):
    text = ("On Sunday, September 20, massive demonstrations took place in Minsk.\n\n"
            "According to the center, demonstrations also took place in Brest, Gomel and "
            "Grodno.\n\nThe night earlier than, about 200 residents of Zhodino had stood along "
            "the main road.")
    evs = extractor.extract(Document(id="x", text=text, published=date(2020, 9, 21))).events
    by_town = {e.location.name: e.date.start for e in evs if e.location is not None}
    assert by_town["Brest"] == date(2020, 9, 20)
    assert by_town["Zhodzina"] == date(2020, 9, 21)  # the publication date, not Sunday


def test_an_employment_status_is_no_workplace_but_an_industry_is(extractor):
    def workplace(text):
        [ev] = extractor.extract(Document(id="x", text=text, published=date(2021, 6, 28))).events
        return ev.workplace.name if ev.workplace else None
    assert workplace("Permanent workers walked out in Abadan on Monday.") is None
    assert workplace("Railway workers walked out in Abadan on Monday.") == "Railway workers"


def test_a_country_that_condemns_or_speaks_is_not_where_the_event_was(extractor):
    text = ("Government troops opened fire on striking garment workers demonstrating for higher "
            "wages on Friday, drawing condemnation from the United States.")
    evs = extractor.extract(Document(id="x", text=text, published=date(2014, 1, 4))).events
    assert evs and all(e.location is None or e.location.name != "United States" for e in evs)
