"""Date expressions resolved against a report's publication date (strikewatch.events.dates)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikewatch.events import dates as dates_module
from strikewatch.events.dates import find_dates, is_historical, resolve_date
from strikewatch.types import DateValue

D = date
SUN = D(2020, 8, 23)  # a Sunday, two weeks after the Belarus election of 9 August 2020
MON = D(2020, 8, 17)  # a Monday
WED = D(2020, 8, 19)  # a Wednesday

# sentence, publication date, the date's words, start, end, precision
TABLE: list[tuple[str, date, str, date | None, date | None, str]] = [
    # weekdays: the latest such day on or before publication
    ("The plant was idle from Monday through Friday.", SUN, "from Monday through Friday", MON, D(2020, 8, 21), "day"),
    ("Workers at the tractor plant walked out on Monday.", SUN, "Monday", D(2020, 8, 17), D(2020, 8, 17), "day"),
    ("The strike began on Monday, the union said.", MON, "Monday", MON, MON, "day"),
    ("Monday saw the largest rally in Minsk so far.", SUN, "Monday", D(2020, 8, 17), D(2020, 8, 17), "day"),
    ("workers gathered at the gates on monday and waited", SUN, "monday", D(2020, 8, 17), D(2020, 8, 17), "day"),
    ("riot police moved in on friday early morning", SUN, "friday early morning", D(2020, 8, 21), D(2020, 8, 21), "day"),
    ("Miners marched on Sunday in Soligorsk.", SUN, "Sunday", SUN, SUN, "day"),
    ("The plant stopped last Monday.", MON, "last Monday", D(2020, 8, 10), D(2020, 8, 10), "day"),
    ("Monday night saw clashes outside the factory.", WED, "Monday night", MON, MON, "day"),
    # days relative to publication
    ("Yesterday the strike committee met the director.", SUN, "Yesterday", D(2020, 8, 22), D(2020, 8, 22), "day"),
    ("The workers returned to the shop floor today.", SUN, "today", SUN, SUN, "day"),
    ("Crowds gathered this morning at the gates.", SUN, "this morning", SUN, SUN, "day"),
    ("A vigil is planned for tonight in the square.", SUN, "tonight", SUN, SUN, "day"),
    ("Police blocked the avenue this evening.", SUN, "this evening", SUN, SUN, "day"),
    ("The walk-out started the day before yesterday.", SUN, "the day before yesterday", D(2020, 8, 21), D(2020, 8, 21), "day"),
    ("Dozens were detained last night near the plant.", SUN, "last night", D(2020, 8, 22), D(2020, 8, 22), "day"),
    # weeks, months, years relative to publication
    ("Thousands struck last week at BelAZ.", SUN, "last week", D(2020, 8, 10), D(2020, 8, 16), "week"),
    ("Managers threatened dismissals later last week.", SUN, "later last week", D(2020, 8, 10), D(2020, 8, 16), "week"),
    ("The first walk-outs came earlier last week.", SUN, "earlier last week", D(2020, 8, 10), D(2020, 8, 16), "week"),
    ("The strikes have spread this week.", SUN, "this week", D(2020, 8, 17), SUN, "week"),
    ("The strikes have spread this week.", WED, "this week", MON, WED, "week"),
    ("Output fell sharply last month.", SUN, "last month", D(2020, 7, 1), D(2020, 7, 31), "month"),
    ("Arrests have risen this month.", SUN, "this month", D(2020, 8, 1), SUN, "month"),
    ("The union was founded earlier this month.", SUN, "earlier this month", D(2020, 8, 1), SUN, "month"),
    ("Wages have fallen since the start of the year.", SUN, "the start of the year", D(2020, 1, 1), D(2020, 4, 30), "month"),
    ("Wages were cut last year at the refinery.", SUN, "last year", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("Workers held a meeting over the weekend.", MON, "the weekend", D(2020, 8, 15), D(2020, 8, 16), "week"),
    ("Three days ago the director resigned.", SUN, "Three days ago", D(2020, 8, 20), D(2020, 8, 20), "day"),
    ("The dispute began two weeks ago.", SUN, "two weeks ago", D(2020, 8, 3), D(2020, 8, 9), "week"),
    # a weekday with a date: the day number is trusted
    ("They met on Tuesday the 11th at the works.", SUN, "Tuesday the 11th", D(2020, 8, 11), D(2020, 8, 11), "day"),
    ("Police fired on protesters on Tuesday, August 11, in Brest.", SUN, "Tuesday, August 11", D(2020, 8, 11), D(2020, 8, 11), "day"),
    ("The stoppage on Tuesday 11 August lasted all day.", SUN, "Tuesday 11 August", D(2020, 8, 11), D(2020, 8, 11), "day"),
    ("On Wednesday, August 11, the shift did not start.", SUN, "Wednesday, August 11", D(2020, 8, 11), D(2020, 8, 11), "day"),
    ("On Monday, Aug. 17, 2020, the president visited MZKT.", SUN, "Monday, Aug. 17, 2020", MON, MON, "day"),
    # a day and a month
    ("Workers stopped the line on 14 August in Zhodino.", SUN, "14 August", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("On August 14 the Grodno Azot workers joined.", SUN, "August 14", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("The 14th of August was the first day of the strike.", SUN, "14th of August", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("The strike committee was formed on the 14th of August.", SUN, "14th of August", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("Talks collapsed on Aug. 14 at the potash mine.", SUN, "Aug. 14", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("The vote on 9 August 2020 set off the protests.", SUN, "9 August 2020", D(2020, 8, 9), D(2020, 8, 9), "day"),
    ("The order dated 2020-08-14 was read out.", SUN, "2020-08-14", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("The order dated 14.08.2020 was read out.", SUN, "14.08.2020", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("The walk-out on December 30 was brief.", D(2021, 1, 3), "December 30", D(2020, 12, 30), D(2020, 12, 30), "day"),
    ("A general strike is called for 14 August.", D(2020, 8, 10), "14 August", D(2020, 8, 14), D(2020, 8, 14), "day"),
    ("The mine flooded on 25 August.", D(2020, 8, 10), "25 August", D(2019, 8, 25), D(2019, 8, 25), "day"),
    ("Police came on the 11th.", SUN, "the 11th", D(2020, 8, 11), D(2020, 8, 11), "day"),
    # months and parts of months
    ("The unrest began in August.", SUN, "August", D(2020, 8, 1), D(2020, 8, 31), "month"),
    ("The plant closed in December.", SUN, "December", D(2019, 12, 1), D(2019, 12, 31), "month"),
    ("Work stopped at the end of August.", D(2020, 9, 10), "the end of August", D(2020, 8, 21), D(2020, 8, 31), "week"),
    ("Protests peaked in mid-August.", SUN, "mid-August", D(2020, 8, 11), D(2020, 8, 20), "week"),
    ("A second wave came in late August.", D(2020, 9, 10), "late August", D(2020, 8, 21), D(2020, 8, 31), "week"),
    ("A second wave came in early September.", D(2020, 9, 15), "early September", D(2020, 9, 1), D(2020, 9, 10), "week"),
    ("Students joined at the beginning of September.", D(2020, 9, 15), "the beginning of September", D(2020, 9, 1), D(2020, 9, 10), "week"),
    ("The union grew during the last week of August.", D(2020, 9, 15), "the last week of August", D(2020, 8, 25), D(2020, 8, 31), "week"),
    ("Sales fell in March 2020.", SUN, "March 2020", D(2020, 3, 1), D(2020, 3, 31), "month"),
    ("Shifts were cut from June to August.", SUN, "from June to August", D(2020, 6, 1), D(2020, 8, 31), "month"),
    # ranges of days
    ("Mass arrests followed on August 9-11 in Minsk.", SUN, "August 9-11", D(2020, 8, 9), D(2020, 8, 11), "day"),
    ("Rallies were held from 10 to 14 August.", SUN, "from 10 to 14 August", D(2020, 8, 10), D(2020, 8, 14), "day"),
    ("Some 7,000 were held between 10 and 14 August.", SUN, "between 10 and 14 August", D(2020, 8, 10), D(2020, 8, 14), "day"),
    ("Shifts stopped from the 10th to the 14th of August.", SUN, "from the 10th to the 14th of August", D(2020, 8, 10), D(2020, 8, 14), "day"),
    ("Talks ran from 30 December 2019 to 2 January 2020.", SUN, "from 30 December 2019 to 2 January 2020", D(2019, 12, 30), D(2020, 1, 2), "day"),
    # years and decades
    ("Solidarity was born in 1980.", SUN, "1980", D(1980, 1, 1), D(1980, 12, 31), "year"),
    ("Speakers recalled the strikes of 1980 in Gdansk.", SUN, "1980", D(1980, 1, 1), D(1980, 12, 31), "year"),
    ("The plant was privatised in the 1990s.", SUN, "the 1990s", D(1990, 1, 1), D(1999, 12, 31), "year"),
    ("The mine was modernised in 2019.", SUN, "2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("Wages have not risen since mid-2019.", SUN, "mid-2019", D(2019, 5, 1), D(2019, 8, 31), "month"),
    ("The 2020 election was disputed.", SUN, "2020", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("The workforce shrank from 1995 to 2005.", SUN, "from 1995 to 2005", D(1995, 1, 1), D(2005, 12, 31), "year"),
    ("Pay was frozen in the summer of 2019.", SUN, "the summer of 2019", D(2019, 6, 1), D(2019, 8, 31), "month"),
    # vague recency: a week before publication for "recent days"
    ("In recent days the strike has spread to Grodno.", SUN, "recent days", D(2020, 8, 16), SUN, "week"),
    ("Over the past few days workers have left.", SUN, "the past few days", D(2020, 8, 16), SUN, "week"),
]


@pytest.mark.parametrize(("sentence", "published", "words", "start", "end", "precision"), TABLE)
def test_table(sentence, published, words, start, end, precision):
    found = find_dates(sentence, published=published)
    assert len(found) == 1, found
    value = found[0]
    assert (value.text, value.start, value.end, value.precision) == (words, start, end, precision)
    assert value.span is not None
    assert sentence[value.span.start : value.span.end] == words == value.span.text


def test_table_is_large_enough():
    assert len(TABLE) >= 40


@pytest.mark.parametrize(
    "sentence",
    [
        "He spent 20 days in custody before his release.",
        "The shift starts at seven o'clock.",
        "Riot police arrived at 7 a.m. with water cannon.",
        "A couple of weeks after the vote, the plant stopped.",
        "For three days the conveyor stood still.",
        "Turnout was put at 70 per cent.",
        "The plant owes $500m to Russian banks.",
        "The 1,000 workers of the smelter signed the letter.",
        "Section 8 of the labour code allows strikes.",
        "Recently, workers have grown bolder.",
        "In current times, strikes are rare in Belarus.",
        "A total of 2000 workers signed the petition.",
        "Protesters may strike again and plan to march to the square.",
        "The march drew crowds to the square.",
        "Some 24-hour stoppages were reported, by 3-4 thousand people.",
        "Summer protests are rare; prices fall in winter.",
        "",
    ],
)
def test_no_dates(sentence):
    assert find_dates(sentence, published=SUN) == []


def test_sentence_with_several_dates():
    text = (
        "Workers at MTZ first downed tools on Monday, were joined by BelAZ on 14 August, "
        "and recalled the strikes of 1980 and the unrest of the 1990s."
    )
    found = find_dates(text, published=SUN)
    assert [(v.text, v.start, v.end, v.precision) for v in found] == [
        ("Monday", D(2020, 8, 17), D(2020, 8, 17), "day"),
        ("14 August", D(2020, 8, 14), D(2020, 8, 14), "day"),
        ("1980", D(1980, 1, 1), D(1980, 12, 31), "year"),
        ("the 1990s", D(1990, 1, 1), D(1999, 12, 31), "year"),
    ]
    assert [v.span.start for v in found] == sorted(v.span.start for v in found)


def test_several_relative_dates_and_negatives_in_one_sentence():
    text = (
        "Yesterday some 1,000 workers, 70 per cent of the shift, stayed out for three days "
        "after last week's arrests, and at 7 a.m. today they marched again."
    )
    found = find_dates(text, published=SUN)
    assert [(v.text, v.start, v.end) for v in found] == [
        ("Yesterday", D(2020, 8, 22), D(2020, 8, 22)),
        ("last week", D(2020, 8, 10), D(2020, 8, 16)),
        ("today", SUN, SUN),
    ]


def test_spans_are_offsets_into_the_full_text():
    document = "Minsk, 23 August. Workers struck on Monday. Police came on 9 August 2020 at night."
    sentence_start = document.index("Police")
    found = find_dates(document, sentence_start, len(document), published=SUN)
    assert [v.text for v in found] == ["9 August 2020"]
    span = found[0].span
    assert document[span.start : span.end] == "9 August 2020"
    # the window is respected: the first sentence alone
    first = find_dates(document, 0, document.index(" Workers"), published=SUN)
    assert [v.text for v in first] == ["23 August"]


def test_without_publication_date():
    text = "On Monday, and on 14 August, and on 9 August 2020, and in 1980, and last week."
    found = {v.text: v for v in find_dates(text, published=None)}
    assert found["Monday"] == DateValue(None, None, "unknown", "Monday", found["Monday"].span)
    assert found["14 August"].precision == "unknown"
    assert found["last week"].start is None and found["last week"].end is None
    assert (found["9 August 2020"].start, found["9 August 2020"].precision) == (D(2020, 8, 9), "day")
    assert found["1980"].start == D(1980, 1, 1)


def test_resolve_date():
    value = resolve_date("on Monday", published=MON)
    assert value == DateValue(MON, MON, "day", "Monday")
    assert value.span is None
    assert resolve_date("in the 1990s", published=SUN) == DateValue(
        D(1990, 1, 1), D(1999, 12, 31), "year", "the 1990s"
    )
    assert resolve_date("twenty days", published=SUN) is None
    assert resolve_date("at seven o'clock", published=SUN) is None
    assert resolve_date("Tuesday the 11th", published=D(2020, 9, 10)).start == D(2020, 8, 11)


def test_published_may_be_a_datetime():
    assert resolve_date("yesterday", published=datetime(2020, 8, 23, 18, 30)).start == D(2020, 8, 22)


@pytest.mark.parametrize(
    ("phrase", "historical"),
    [
        ("in 1980", True),
        ("the strikes of 1980", True),
        ("in the 1990s", True),
        ("in 2018", True),
        ("in 2019", False),
        ("last year", False),
        ("last week", False),
        ("on Monday", False),
    ],
)
def test_is_historical(phrase, historical):
    value = resolve_date(phrase, published=SUN)
    assert value is not None
    assert is_historical(value, SUN) is historical


def test_is_historical_needs_a_publication_date_and_a_resolved_value():
    assert is_historical(resolve_date("in 1980", published=None), None) is False
    assert is_historical(DateValue.unknown(), SUN) is False


def test_extreme_publication_dates_do_not_crash():
    text = "Yesterday, next week, on Monday, 14 August, in December, three years ago, this summer."
    for published in (date.min, date.max, D(1, 1, 7), D(9999, 12, 25)):
        for value in find_dates(text, published=published):
            assert value.span is not None and text[value.span.start : value.span.end] == value.text
            if value.start and value.end:
                assert value.start <= value.end


# --- properties ------------------------------------------------------------------------------

_TOKENS = [
    "on", "in", "the", "of", "from", "to", "between", "and", "through", "start", "last", "this", "next", "early",
    "mid-", "late", "end", "week", "weekend", "month", "year", "ago", "days", "a", "few",
    "Monday", "friday", "Sunday", "Wednesday", "August", "Aug.", "may", "March", "Sept", "yesterday", "today",
    "tonight", "night", "morning", "summer", "winter", "recent", "past", "1980", "1990s", "'90s",
    "2020", "2019-2020", "2020-08-14", "14.08.2020", "08/14/2020", "9", "11th", "14", "31",
    "29", "30", "1,000", "70", "$500m", "-", "–", ",", ".", "o'clock", "a.m.", "workers",
    "half", "first", "second", "weeks", "couple", "several", "three", "spring", "fall",
    "decades", "'80s", "Aug", "Dec.", "day", "before", "since", "2000",
]
_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(_TOKENS), max_size=14).map(" ".join),
    st.lists(st.sampled_from(_TOKENS + [" ", "", "\n", "İ"]), max_size=20).map("".join),
)
_published = st.one_of(st.none(), st.dates())


@settings(max_examples=400, deadline=None)
@given(text=_text, published=_published, lo=st.integers(-5, 90), hi=st.one_of(st.none(), st.integers(-5, 90)))
def test_property_spans_and_ranges(text, published, lo, hi):
    found = find_dates(text, lo, hi, published=published)
    last_end = -1
    for value in found:
        span = value.span
        assert span is not None
        assert text[span.start : span.end] == span.text == value.text
        assert span.start >= last_end  # ordered, not overlapping
        last_end = span.end
        assert value.precision in ("day", "week", "month", "year", "unknown")
        if value.start is not None and value.end is not None:
            assert value.start <= value.end
        else:
            assert value.precision == "unknown"


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(_TOKENS), max_size=14).map(" ".join),
    published=st.one_of(st.none(), st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31))),
)
def test_property_word_dispatch_equals_full_scan(text, published):
    """Trying only the alternatives a word can open finds what the whole grammar finds."""
    fast = dates_module._find(text, 0, len(text), published)
    slow = dates_module._find(text, 0, len(text), published, fast=False)
    assert fast == slow
