"""Date expressions in news reports, resolved against the publication date.

``find_dates`` scans one sentence of a document with a compiled regular-expression grammar (one
alternative per phrase shape) and resolves every date expression with plain ``datetime``
arithmetic.  It is regex-first on purpose, as it runs on every sentence: only at words that
can open a date expression (a number, a month or weekday name, "last", "the end", ...) is the
grammar tried, and only with the alternatives that word can open, so a sentence without a date
costs about 10 microseconds.

dateparser is not used.  Tested phrase by phrase (dateparser 1.5, RELATIVE_BASE = publication,
PREFER_DATES_FROM = past) it gets absolute dates right ("14 August", "Aug. 14", "2020-08-14",
"14.08.2020"), which the grammar resolves just as well, but it mis-resolves most news-report
shapes: "on Monday" in a Monday paper -> a week earlier, "Tuesday the 11th" -> 2019-11-23,
"in August" -> one day, "in the 1990s" -> the publication date, "in 1980" -> one day,
"20 days" -> a date, "August 9-11" -> 2011-08-09, "late August" / "mid-August" -> None; and a
call costs 1-10 ms (over a second for the first "late August").

Conventions (``p`` is the publication date)
-------------------------------------------
* Relative phrases look backwards from ``p``.  "Monday" / "on Monday" / "this Monday" is the
  latest Monday on or before ``p`` (a Monday paper's "on Monday" is ``p`` itself); "last Monday"
  is strictly before ``p``; "next Monday" strictly after.  A part of the day ("Friday early
  morning", "Monday night") stays on that weekday.
* "today", "tonight", "this morning/afternoon/evening" = ``p``; "yesterday", "last night" =
  ``p``-1; "the day before yesterday" = ``p``-2; "tomorrow" = ``p``+1.
* "last week" (also "earlier/later/early/late last week") is the previous ISO week Monday..Sunday;
  "this week" / "earlier this week" is Monday..``p``; "next week" the next ISO week.  "last month"
  and "last year" are the previous calendar month / year; "this month" / "this year" run from
  the first day to ``p``.  Modifiers (earlier, later, early, late) never narrow these ranges.
  "the start / end of the year / month" (or of last year, next month) are the parts below of
  that year or month.  "from Monday to Friday" ends on the latest Friday on or before ``p``
  and starts on the Monday before it (precision "day").
  "the weekend" / "this weekend" is the latest Saturday-Sunday whose Saturday is on or before
  ``p``; "last weekend" is the weekend of the previous ISO week.
* A day and month without a year take ``p``'s year, or the previous year when the date would
  fall more than ``TOLERANCE_DAYS`` (7) after ``p``.  The same rule picks the year of a bare
  month, a part of a month, a season, and the month of "Tuesday the 11th" (the day number is
  trusted; when the weekday disagrees with the latest candidate month, the latest of the two
  months before that agrees with it is taken instead, if any).
* Parts of a month: early / beginning / start of = days 1-10; mid / middle = 11-20;
  late / end = 21-last; first half = 1-15, second half = 16-last; the first..fourth week of a
  month = days 1-7 .. 22-28, the last week = its last seven days.  These all carry precision
  "week" (their bounds are finer than a month but not exact days).
* Parts of a year: early / beginning = Jan-Apr, mid / middle = May-Aug, late / end = Sep-Dec,
  first / second half = Jan-Jun / Jul-Dec, precision "month".  Seasons (northern hemisphere):
  spring Mar-May, summer Jun-Aug, autumn / fall Sep-Nov, winter YYYY = Dec YYYY-1 .. Feb YYYY;
  precision "month".  Decades: "the 1990s" = 1990-1999, early = 0-3, mid = 4-6, late = 7-9;
  "the '90s" / "the 90s" is in the 1900s for 30-90, else the 2000s; precision "year".
* Precision is the granularity of the range's bounds, not its width: "August 9-11" and "from 10
  August to 14 September" are "day", "June to August" is "month", "1980-1985" is "year".
* "N days/weeks/months/years ago": the day ``p``-N, the ISO week, calendar month or calendar
  year N units back.  "a couple of" = 2; "a few" / "several" = 2-6 units back (precision one
  step coarser for days and weeks).
* Rolling windows: "the past/last N days|weeks|months|years" = ``p``-N units .. ``p``;
  "in recent days", "the past few days" = ``p``-7 .. ``p`` (precision "week"); "recent weeks",
  "the past few weeks" = ``p``-28 .. ``p`` (precision "month").  "recently", "lately",
  "these days", "in current times" yield nothing: too vague to date an event.
* Durations ("20 days in custody", "for three days", "a couple of weeks after") and times of day
  ("seven o'clock", "at 7 a.m.") are not dates and yield nothing.  Bare four-digit years only
  count in a date context ("in 1980", "the strikes of 1980", "since 2019", "the 2020 election"),
  and never before a counted noun ("of 2000 workers").  "may", "march" and abbreviated months
  in lower case need a date context too ("in may", "on march 9", "may 2020").
* Spans never include a leading simple preposition ("on Monday" -> "Monday", "in 1980" ->
  "1980") nor the article before a day ("the 14th of August" -> "14th of August"); "from ...
  to ...", "between ... and ..." are part of range spans, and "the" is part of "the 1990s",
  "the end of August", "the last week of August", "the summer of 1980", "the weekend".
* Without a publication date, anything needing it (relative phrases, dates without a year)
  comes back with precision "unknown", start/end None, and its span and text.
* Numeric dates: YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY and DD/MM/YYYY (day first, as the
  European sources this monitor reads write them; MM/DD/YYYY is only taken when the first
  number cannot be a month).

Narrative-relative phrases ("the next day", "the previous week", "two days later") depend on
the event being told, not on the publication date; they are not resolved here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta

from strikewatch.types import DatePrecision, DateValue, Span

__all__ = [
    "HISTORICAL_DAYS",
    "TOLERANCE_DAYS",
    "find_dates",
    "is_historical",
    "resolve_date",
]

TOLERANCE_DAYS = 7
"""A date without a year may lie this many days after publication before it is put a year back."""

HISTORICAL_DAYS = 365
"""A date whose range ends more than this many days before publication is historical."""

_Resolved = tuple[date | None, date | None, DatePrecision]

# --------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------

_MONTH = (
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?!\d|[.,:]\d)"
_DAY = _DAYNUM + r"(?:(?:st|nd|rd|th)\b)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d|[.,]\d)"
_NOT_IN_NUMBER = r"(?<![\w.,/$£€:])(?<!\d[-–—])"
_CONJ = r"(?P<conj>\s*[-–—]\s*|\s+(?:to|until|till|through|thru|and)\s+)"
_NUMWORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_VAGUE = r"(?:a\s+couple\s+of|couple\s+of|a\s+few|few|several)"

_ALTERNATIVES: list[tuple[str, str]] = [
    (
        "iso",
        (
            rf"{_NOT_IN_NUMBER}(?P<y>1[89]\d\d|20\d\d)(?P<sep>[-/])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
            rf"(?P<d>{_DAYNUM})(?![\w\-/])"
        ),
    ),
    (
        "numeric",
        (
            rf"{_NOT_IN_NUMBER}(?P<a>\d{{1,2}})(?P<sep>[./])(?P<b>\d{{1,2}})(?P=sep)"
            rf"(?P<y>1[89]\d\d|20\d\d)(?![\w\-/]|[.,]\d)"
        ),
    ),
    (
        "wd_date",
        (
            rf"(?P<wd>{_WEEKDAY})(?:,\s*|\s+)(?:"
            rf"(?:the\s+)?(?P<d1>{_DAY})(?:\s+of)?,?\s+(?P<m1>{_MONTH})"
            rf"|(?P<m2>{_MONTH})\s+(?:the\s+)?(?P<d2>{_DAY})"
            rf"|the\s+(?P<d3>{_DAY})|(?P<d4>{_DAYNUM})(?:st|nd|rd|th)\b"
            rf")(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    (
        "range_dm",
        (
            rf"(?:(?P<pre>from|between)\s+(?:the\s+)?)?{_NOT_IN_NUMBER}(?P<d1>{_DAY})"
            rf"(?:(?:\s+of)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?)?"
            rf"{_CONJ}(?:the\s+)?(?P<d2>{_DAY})(?:\s+of)?\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?"
        ),
    ),
    (
        "range_md",
        (
            rf"(?:(?P<pre>from|between)\s+)?(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?"
            rf"{_CONJ}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?"
        ),
    ),
    (
        "dm",
        rf"{_NOT_IN_NUMBER}(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    ("md", rf"(?P<m>{_MONTH})\s+(?:the\s+)?(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"),
    (
        "week_of_month",
        (
            rf"(?:the\s+)?(?P<ord>first|second|third|fourth|last|final)\s+week\s+(?:of|in)\s+"
            rf"(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    (
        "month_range",
        (
            rf"(?:(?P<pre>from|between)\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?{_CONJ}"
            rf"(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?"
        ),
    ),
    (
        "decade",
        (
            r"(?P<the>the\s+)?(?:(?P<mod>early|mid|late)(?:\s*-\s*|\s+))?"
            r"(?:(?P<dec4>1[89]\d0|20\d0)|(?P<dec2>'?[0-9]0))'?s\b"
        ),
    ),
    (
        "year_range",
        (
            rf"(?:(?P<pre>from|between)\s+)?{_NOT_IN_NUMBER}(?P<y1>{_YEAR}){_CONJ}"
            r"(?P<y2>1[89]\d\d|20\d\d|\d\d)(?!\d|[.,]\d)"
        ),
    ),
    (
        "month",
        (
            rf"(?:(?:the\s+)?(?P<part>end|beginning|start|middle|first\s+half|second\s+half"
            rf"|latter\s+half|first\s+days|last\s+days)\s+of\s+|(?P<mod>early|mid|late)(?:\s*-\s*|\s+))?"
            rf"(?:(?P<rel>last|this|next)\s+)?(?P<m>{_MONTH})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?"
        ),
    ),
    (
        "year",
        (
            rf"(?:(?:the\s+)?(?P<part>end|beginning|start|middle|first\s+half|second\s+half"
            rf"|latter\s+half)\s+of\s+|(?P<mod>early|mid|late)(?:\s*-\s*|\s+))?"
            rf"{_NOT_IN_NUMBER}(?P<y>{_YEAR})(?!\s*[-–—]?\s*\d)"
        ),
    ),
    (
        "season",
        (
            rf"(?:(?P<rel>last|this|next|past)\s+|(?P<the>the)\s+)?"
            rf"(?P<season>spring|summer|autumn|fall|winter)\b(?:\s+of)?(?:,?\s+(?P<y>{_YEAR}))?"
        ),
    ),
    (
        "ago",
        (
            rf"(?P<n>\d{{1,3}}|{_NUMWORD}|{_VAGUE}|an?)\s+"
            r"(?P<u>days?|weeks?|fortnights?|months?|years?|decades?)\s+ago\b"
        ),
    ),
    (
        "rolling",
        (
            rf"(?:the\s+(?:past|last)\s+(?:(?P<n>\d{{1,3}}|{_NUMWORD}|{_VAGUE})\s+)?"
            r"(?P<u>days?|weeks?|months?|years?)|recent\s+(?P<ru>days|weeks|months))\b"
        ),
    ),
    (
        "rel_day",
        (
            r"(?:(?:early|late|earlier|later)\s+)?(?P<w>the\s+day\s+before\s+yesterday"
            r"|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|tomorrow"
            r"|this\s+(?:morning|afternoon|evening)|last\s+night)\b"
            r"(?:\s+(?:morning|afternoon|evening|night)\b)?"
        ),
    ),
    (
        "weekend",
        r"(?:(?:early|late|earlier|later)\s+)?(?P<rel>last|this|next|the|past)\s+weekend\b",
    ),
    (
        "rel_period",
        (
            r"(?:(?P<mod>earlier|later|early|late)\s+(?:in\s+)?)?(?P<rel>last|this|next)\s+"
            r"(?P<u>week|month|year)\b"
        ),
    ),
    (
        "part_rel",
        (
            r"(?:the\s+)?(?P<part>end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+"
            r"(?P<rel>the|this|last|next)\s+(?P<u>month|year)\b"
        ),
    ),
    (
        "wd_range",
        rf"(?:(?P<pre>from|between)\s+)?(?P<wd1>{_WEEKDAY}){_CONJ}(?P<wd2>{_WEEKDAY})",
    ),
    (
        "weekday",
        (
            rf"(?:(?:early|late)\s+(?:on\s+)?)?(?:(?P<rel>last|this|next|past)\s+)?(?P<wd>{_WEEKDAY})"
            r"(?:\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\b)?"
        ),
    ),
    ("nth", rf"(?<=\bon\s)the\s+(?P<d>{_DAYNUM})(?:st|nd|rd|th)\b(?!\s*[-–—]?\s*\w)"),
]


# The words each alternative can begin with ("#" a number, "M" a month, "W" a weekday,
# "S" a season, "N" a number word).  find_dates tries, at each word, only the alternatives
# that can begin there; tests check this against a scan of every position with the full grammar.
_OPENERS: dict[str, str] = {
    "iso": "#",
    "numeric": "#",
    "wd_date": "W",
    "range_dm": "from between #",
    "range_md": "from between M",
    "dm": "#",
    "md": "M",
    "week_of_month": "the first second third fourth last final",
    "month_range": "from between M",
    "decade": "the early mid late #",
    "year_range": "from between #",
    "month": "the end beginning start middle first second latter last early mid late this next M",
    "year": "the end beginning start middle first second latter early mid late #",
    "season": "last this next past the S",
    "ago": "# N a an few several couple",
    "rolling": "the recent",
    "rel_day": "early late earlier later the yesterday today tonight tomorrow this last",
    "weekend": "early late earlier later last this next the past",
    "rel_period": "earlier later early late last this next",
    "part_rel": "the end beginning start middle first second",
    "wd_range": "from between W",
    "weekday": "early late last this next past W",
    "nth": "the",
}
_WORD_CLASS = {
    **{
        w: "M"
        for w in "january february march april may june july august september october"
        " november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
    },
    **{w: "W" for w in "monday tuesday wednesday thursday friday saturday sunday".split()},
    **{w: "S" for w in "spring summer autumn fall winter".split()},
    **{w: "N" for w in "one two three four five six seven eight nine ten eleven twelve".split()},
}
# "the" opens a date only before one of these (or a number, or an apostrophe: "the '90s").
_THE_DATE = re.compile(
    r"the\s+(?:['’]?\d|(?:end|beginning|start|middle|first|second|third|fourth|last|final|latter"
    r"|past|day|weekend|early|mid|late|spring|summer|autumn|fall|winter)\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def _prefixed(kind: str, pattern: str) -> str:
    return re.sub(r"\(\?P([<=])(\w+)", lambda m: f"(?P{m.group(1)}{kind}__{m.group(2)}", pattern)


def _compile_master(kinds: list[str]) -> re.Pattern[str]:
    body = "|".join(f"(?P<{k}>{_prefixed(k, _PATTERNS[k])})" for k in kinds)
    return re.compile(r"\b(?:" + body + ")", _FLAGS)


_FLAGS = re.IGNORECASE
_PATTERNS = dict(_ALTERNATIVES)
_KINDS = [k for k, _ in _ALTERNATIVES]
_MASTER = _compile_master(_KINDS)  # the whole grammar, for the reference scan
_SINGLE = {k: re.compile(r"\b(?:" + p + ")", _FLAGS) for k, p in _ALTERNATIVES}


def _dispatch() -> dict[str, tuple[re.Pattern[str], tuple[str, ...]]]:
    by_word: dict[str, list[str]] = {}
    for kind in _KINDS:
        for word in _OPENERS[kind].split():
            by_word.setdefault(word, []).append(kind)
    compiled: dict[tuple[str, ...], re.Pattern[str]] = {}
    table = {}
    for word, kinds in by_word.items():
        key = tuple(kinds)
        if key not in compiled:
            compiled[key] = _compile_master(kinds)
        table[word] = (compiled[key], key)
    return table


_DISPATCH = _dispatch()

# Words before a bare year that make it a date ("in 1980", "the strikes of 1980"); not "to",
# "about", "around", which come before counts more often ("rose to 2000", "about 1500 took part").
_YEAR_CONTEXT = frozenset(
    "in on of since until till by from between and or during through throughout before after"
    " circa year spring summer autumn fall winter".split()
)
# Words before "may", "march" (or a bare abbreviation) that make it a month: prepositions only,
# not "to" ("plan to march") nor "the" ("the march on Sunday").
_MONTH_CONTEXT = frozenset(
    "in on of since until till by from during through throughout before after around early"
    " late mid last this next between".split()
)
_PREV_WORD = re.compile(r"(?:^|[^\w'])([a-z]+)[\s,]*$")
_NEXT_WORD = re.compile(r"['’]?s?\s*-?\s*([a-z]+)")
_COUNT_NOUNS = frozenset(
    "people persons workers employees protesters protestors demonstrators strikers miners"
    " participants members staff students residents citizens voters signatures police"
    " officers troops soldiers men women children detainees arrests rubles roubles dollars"
    " euros tonnes tons km kilometres kilometers metres meters hectares units jobs times cars"
    " vehicles trucks buses copies households families supporters marchers".split()
)
_EVENT_NOUNS = frozenset(
    "election elections presidential parliamentary vote votes poll polls strike strikes"
    " protest protests uprising revolution crisis referendum unrest riots demonstrations"
    " campaign census budget constitution coup war olympics general nationwide season law"
    " reform movement massacre crackdown".split()
)
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar"})
_UNAMBIGUOUS_MONTHS = frozenset(
    "january february april june july august september october november december".split()
)
_MONTH_NUM = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)
}
_WEEKDAY_NUM = {
    d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    **{
        w: i
        for i, w in enumerate(
            "one two three four five six seven eight nine ten eleven twelve".split(), 1
        )
    },
}


class _Reject(Exception):
    """The matched words are not a date after all (or not a valid one)."""


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _last_day(year, month))


def _shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + k
    return n // 12, n % 12 + 1


def _week_of(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _month_num(token: str) -> int:
    return _MONTH_NUM[token.lower()[:3]]


def _day_num(token: str) -> int:
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Reject from exc


def _year_for(p: date, month: int, day: int = 1) -> int:
    """The year of month/day that is latest while not more than TOLERANCE_DAYS after p."""
    limit = p + timedelta(days=TOLERANCE_DAYS) if p < date.max - timedelta(days=31) else p
    for year in range(min(limit.year, 9999), max(limit.year - 9, 0), -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= limit:
            return year
    raise _Reject


def _count(token: str) -> int | None:
    """A count word as a number; None for vague counts (a few, several)."""
    t = " ".join(token.lower().split())
    if t.isdigit():
        return int(t)
    if "couple" in t:
        return 2
    return _NUMBERS.get(t)


def _unit(token: str) -> str:
    return token.lower().rstrip("s")


def _back(p: date, unit: str, n: int) -> date:
    if unit == "day":
        return p - timedelta(days=n)
    if unit == "week":
        return p - timedelta(days=7 * n)
    if unit == "fortnight":
        return p - timedelta(days=14 * n)
    if unit == "decade":
        n, unit = n * 10, "year"
    if unit == "month":
        y, m = _shift_month(p.year, p.month, -n)
        return date(y, m, min(p.day, _last_day(y, m)))
    y = p.year - n
    return date(y, p.month, min(p.day, _last_day(y, p.month)))


# --------------------------------------------------------------------------------------------
# Resolvers: one per alternative; g holds the alternative's groups, p the publication date.
# --------------------------------------------------------------------------------------------

_UNKNOWN: _Resolved = (None, None, "unknown")


def _day_result(d: date) -> _Resolved:
    return d, d, "day"


def _r_iso(g: dict[str, str], p: date | None) -> _Resolved:
    return _day_result(_make(int(g["y"]), int(g["m"]), _day_num(g["d"])))


def _r_numeric(g: dict[str, str], p: date | None) -> _Resolved:
    a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
    if g["sep"] == "/" and b > 12 >= a:  # MM/DD/YYYY only when DD/MM cannot be
        a, b = b, a
    return _day_result(_make(y, b, a))


def _r_wd_date(g: dict[str, str], p: date | None) -> _Resolved:
    wd = _WEEKDAY_NUM[g["wd"].lower()]
    day = _day_num(g.get("d1") or g.get("d2") or g.get("d3") or g["d4"])
    month_token = g.get("m1") or g.get("m2")
    if g.get("y"):
        if not month_token:
            raise _Reject
        return _day_result(_make(int(g["y"]), _month_num(month_token), day))
    if p is None:
        return _UNKNOWN
    if month_token:
        month = _month_num(month_token)
        return _day_result(_make(_year_for(p, month, day), month, day))
    # "Tuesday the 11th": the latest month where day 11 is not after p (+ tolerance); prefer
    # an earlier month whose 11th is a Tuesday when the latest one's is not.
    limit = p + timedelta(days=TOLERANCE_DAYS)
    candidates: list[date] = []
    y, m = limit.year, limit.month
    for _ in range(14):
        if day <= _last_day(y, m) and date(y, m, day) <= limit:
            candidates.append(date(y, m, day))
            if len(candidates) == 3:
                break
        y, m = _shift_month(y, m, -1)
    if not candidates:
        raise _Reject
    chosen = next((c for c in candidates if c.weekday() == wd), candidates[0])
    return _day_result(chosen)


def _range_years(
    g: dict[str, str], p: date | None, m1: int, d1: int, m2: int, d2: int
) -> tuple[int, int] | None:
    y1 = int(g["y1"]) if g.get("y1") else None
    y2 = int(g["y2"]) if g.get("y2") else None
    if y1 is None and y2 is not None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    if y1 is None:
        if p is None:
            return None
        y1 = _year_for(p, m1, d1)
    if y2 is None:
        y2 = y1 if (m1, d1) <= (m2, d2) else y1 + 1
    return y1, y2


def _check_range_conj(g: dict[str, str]) -> None:
    conj = g["conj"].strip().lower()
    if g.get("pre", "").lower() == "between" and conj != "and" and conj not in "-–—":
        raise _Reject
    if g.get("pre", "").lower() == "from" and conj == "and":
        raise _Reject


def _r_range_dm(g: dict[str, str], p: date | None) -> _Resolved:
    _check_range_conj(g)
    d1, d2 = _day_num(g["d1"]), _day_num(g["d2"])
    m2 = _month_num(g["m2"])
    m1 = _month_num(g["m1"]) if g.get("m1") else m2
    return _finish_day_range(g, p, m1, d1, m2, d2)


def _r_range_md(g: dict[str, str], p: date | None) -> _Resolved:
    _check_range_conj(g)
    if g["conj"].strip().lower() == "and" and g.get("pre", "").lower() != "between":
        raise _Reject  # "on August 9 and 10 people were detained"
    d1, d2 = _day_num(g["d1"]), _day_num(g["d2"])
    m1 = _month_num(g["m1"])
    m2 = _month_num(g["m2"]) if g.get("m2") else m1
    return _finish_day_range(g, p, m1, d1, m2, d2)


def _finish_day_range(
    g: dict[str, str], p: date | None, m1: int, d1: int, m2: int, d2: int
) -> _Resolved:
    if m1 == m2 and d2 < d1 and not g.get("y2"):
        raise _Reject
    years = _range_years(g, p, m1, d1, m2, d2)
    if years is None:
        return _UNKNOWN
    start, end = _make(years[0], m1, d1), _make(years[1], m2, d2)
    if end < start:
        raise _Reject
    return start, end, "day"


def _r_dm(g: dict[str, str], p: date | None) -> _Resolved:
    month, day = _month_num(g["m"]), _day_num(g["d"])
    if day > _last_day(2000, month):  # 2000 is a leap year
        raise _Reject
    if g.get("y"):
        return _day_result(_make(int(g["y"]), month, day))
    if p is None:
        return _UNKNOWN
    return _day_result(_make(_year_for(p, month, day), month, day))


_r_md = _r_dm


def _month_year(g: dict[str, str], p: date | None, month: int) -> int | None:
    if g.get("y"):
        return int(g["y"])
    if p is None:
        return None
    return _year_for(p, month)


def _r_week_of_month(g: dict[str, str], p: date | None) -> _Resolved:
    month = _month_num(g["m"])
    year = _month_year(g, p, month)
    if year is None:
        return _UNKNOWN
    last = _last_day(year, month)
    ordinal = g["ord"].lower()
    if ordinal in ("last", "final"):
        first = last - 6
    else:
        first = 1 + 7 * ("first", "second", "third", "fourth").index(ordinal)
    return date(year, month, first), date(year, month, first + 6), "week"


def _r_month_range(g: dict[str, str], p: date | None) -> _Resolved:
    _check_range_conj(g)
    if g["conj"].strip().lower() == "and" and g.get("pre", "").lower() != "between":
        raise _Reject  # "June and August" is two months, not a range
    m1, m2 = _month_num(g["m1"]), _month_num(g["m2"])
    years = _range_years(g, p, m1, 1, m2, 1)
    if years is None:
        return _UNKNOWN
    start = date(years[0], m1, 1)
    end = _month_span(years[1], m2)[1]
    if end < start:
        raise _Reject
    return start, end, "month"


_PART_OF_MONTH = {
    "early": (1, 10),
    "beginning": (1, 10),
    "start": (1, 10),
    "first days": (1, 10),
    "mid": (11, 20),
    "middle": (11, 20),
    "late": (21, 31),
    "end": (21, 31),
    "last days": (21, 31),
    "first half": (1, 15),
    "second half": (16, 31),
    "latter half": (16, 31),
}


def _r_month(g: dict[str, str], p: date | None) -> _Resolved:
    month = _month_num(g["m"])
    rel = (g.get("rel") or "").lower()
    if g.get("y"):
        year = int(g["y"])
    elif p is None:
        return _UNKNOWN
    elif rel == "last":  # the latest such month that is over before p's month
        year = p.year if month < p.month else p.year - 1
    elif rel == "next":
        year = p.year if month > p.month else p.year + 1
    elif rel == "this":
        year = p.year
    else:
        year = _year_for(p, month)
    part = " ".join((g.get("part") or g.get("mod") or "").lower().split())
    first, last = _month_span(year, month)
    if not part:
        return first, last, "month"
    lo, hi = _PART_OF_MONTH[part]
    return date(year, month, lo), date(year, month, min(hi, last.day)), "week"


_PART_OF_YEAR = {
    "early": (1, 4),
    "beginning": (1, 4),
    "start": (1, 4),
    "mid": (5, 8),
    "middle": (5, 8),
    "late": (9, 12),
    "end": (9, 12),
    "first half": (1, 6),
    "second half": (7, 12),
    "latter half": (7, 12),
}


def _r_year(g: dict[str, str], p: date | None) -> _Resolved:
    year = int(g["y"])
    part = " ".join((g.get("part") or g.get("mod") or "").lower().split())
    if not part:
        return date(year, 1, 1), date(year, 12, 31), "year"
    lo, hi = _PART_OF_YEAR[part]
    return date(year, lo, 1), _month_span(year, hi)[1], "month"


def _r_year_range(g: dict[str, str], p: date | None) -> _Resolved:
    _check_range_conj(g)
    conj = g["conj"].strip().lower()
    if conj == "and" and g.get("pre", "").lower() != "between":
        raise _Reject
    y1, y2s = int(g["y1"]), g["y2"]
    if len(y2s) == 2:
        if conj not in "-–—":
            raise _Reject  # "in 2019 to 35 ..." is not a range
        y2 = y1 // 100 * 100 + int(y2s)
    else:
        y2 = int(y2s)
    if not y1 < y2 <= y1 + 100:
        raise _Reject
    return date(y1, 1, 1), date(y2, 12, 31), "year"


def _r_decade(g: dict[str, str], p: date | None) -> _Resolved:
    if g.get("dec4"):
        start = int(g["dec4"])
    else:
        if not (g.get("the") or g.get("mod")):
            raise _Reject  # "in his 70s"
        two = int(g["dec2"].lstrip("'"))
        start = 1900 + two if two >= 30 else 2000 + two
    lo, hi = {"": (0, 9), "early": (0, 3), "mid": (4, 6), "late": (7, 9)}[
        (g.get("mod") or "").lower()
    ]
    return date(start + lo, 1, 1), date(start + hi, 12, 31), "year"


_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}


def _season_span(name: str, year: int) -> tuple[date, date]:
    lo, hi = _SEASONS[name]
    if name == "winter":  # winter YYYY = Dec YYYY-1 .. Feb YYYY
        return date(year - 1, 12, 1), _month_span(year, 2)[1]
    return date(year, lo, 1), _month_span(year, hi)[1]


def _r_season(g: dict[str, str], p: date | None) -> _Resolved:
    name = g["season"].lower()
    rel = (g.get("rel") or "").lower()
    if not (rel or g.get("the") or g.get("y")):
        raise _Reject  # "summer protests", "prices fall"
    if name == "fall" and not (g.get("y") or g.get("the") or rel in ("last", "this", "next")):
        raise _Reject
    if g.get("y"):
        start, end = _season_span(name, int(g["y"]))
        return start, end, "month"
    if p is None:
        return _UNKNOWN
    limit = p + timedelta(days=TOLERANCE_DAYS)
    # instances labelled with years around p, newest first
    spans = [_season_span(name, y) for y in range(p.year + 1, p.year - 3, -1)]
    if rel in ("last", "past"):
        chosen = next(s for s in spans if s[1] < p)
    elif rel == "next":
        chosen = [s for s in spans if s[0] > p][-1]
    elif rel == "this":
        chosen = next((s for s in spans if s[0] <= p <= s[1]), None) or next(
            s for s in spans if s[0] <= limit
        )
    else:
        chosen = next(s for s in spans if s[0] <= limit)
    return chosen[0], chosen[1], "month"


def _r_ago(g: dict[str, str], p: date | None) -> _Resolved:
    unit = _unit(g["u"])
    n = _count(g["n"])
    if n is not None and n > 500:
        raise _Reject
    if p is None:
        return _UNKNOWN
    if n is None:  # a few / several: 2..6 units back
        start, end = _back(p, unit, 6), _back(p, unit, 2)
        if unit in ("day", "week", "fortnight"):
            return start, end, "week" if unit == "day" else "month"
        if unit == "month":
            return (
                _month_span(start.year, start.month)[0],
                _month_span(end.year, end.month)[1],
                "month",
            )
        return date(start.year, 1, 1), date(end.year, 12, 31), "year"
    d = _back(p, unit, n)
    if unit == "day":
        return _day_result(d)
    if unit in ("week", "fortnight"):
        return (*_week_of(d), "week")
    if unit == "month":
        return (*_month_span(d.year, d.month), "month")
    return date(d.year, 1, 1), date(d.year, 12, 31), "year"


def _r_rolling(g: dict[str, str], p: date | None) -> _Resolved:
    if g.get("ru"):
        unit, n = _unit(g["ru"]), None
    else:
        unit = _unit(g["u"])
        n = _count(g["n"]) if g.get("n") else 1
        if n is not None and n > 500:
            raise _Reject
    if p is None:
        return _UNKNOWN
    if n is None:  # a few, several, recent
        span = {"day": 7, "week": 28, "month": 183, "year": 5 * 365}[unit]
        precision = {"day": "week", "week": "month", "month": "month", "year": "year"}[unit]
        return p - timedelta(days=span), p, precision  # type: ignore[return-value]
    return _back(p, unit, n), p, unit  # type: ignore[return-value]


_REL_DAY = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "last night": -1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "tomorrow": 1,
    "the day after tomorrow": 2,
}


def _r_rel_day(g: dict[str, str], p: date | None) -> _Resolved:
    if p is None:
        return _UNKNOWN
    return _day_result(p + timedelta(days=_REL_DAY[" ".join(g["w"].lower().split())]))


def _r_weekend(g: dict[str, str], p: date | None) -> _Resolved:
    if p is None:
        return _UNKNOWN
    rel = g["rel"].lower()
    monday = _week_of(p)[0]
    if rel in ("last", "past"):
        saturday = monday - timedelta(days=2)
    elif rel == "next":
        saturday = monday + timedelta(days=12)
    else:  # the / this weekend: the latest one that has begun
        saturday = monday + timedelta(days=5) if p.weekday() >= 5 else monday - timedelta(days=2)
    return saturday, saturday + timedelta(days=1), "week"


def _r_rel_period(g: dict[str, str], p: date | None) -> _Resolved:
    if p is None:
        return _UNKNOWN
    rel, unit = g["rel"].lower(), g["u"].lower()
    mod = (g.get("mod") or "").lower()
    step = {"last": -1, "this": 0, "next": 1}[rel]
    if unit == "week":
        monday = _week_of(p)[0] + timedelta(days=7 * step)
        if step == 0:
            if mod == "later":
                return p, monday + timedelta(days=6), "week"
            return monday, p, "week"
        return monday, monday + timedelta(days=6), "week"
    if unit == "month":
        y, m = _shift_month(p.year, p.month, step)
        first, last = _month_span(y, m)
        if step == 0:
            return (p, last, "month") if mod == "later" else (first, p, "month")
        return first, last, "month"
    y = p.year + step
    if step == 0:
        return (p, date(y, 12, 31), "year") if mod == "later" else (date(y, 1, 1), p, "year")
    return date(y, 1, 1), date(y, 12, 31), "year"


def _r_part_rel(g: dict[str, str], p: date | None) -> _Resolved:
    if p is None:
        return _UNKNOWN
    step = {"the": 0, "this": 0, "last": -1, "next": 1}[g["rel"].lower()]
    part = " ".join(g["part"].lower().split())
    if g["u"].lower() == "year":
        lo, hi = _PART_OF_YEAR[part]
        year = p.year + step
        return date(year, lo, 1), _month_span(year, hi)[1], "month"
    y, m = _shift_month(p.year, p.month, step)
    lo, hi = _PART_OF_MONTH[part]
    return date(y, m, lo), date(y, m, min(hi, _last_day(y, m))), "week"


def _r_wd_range(g: dict[str, str], p: date | None) -> _Resolved:
    _check_range_conj(g)
    if g["conj"].strip().lower() == "and" and g.get("pre", "").lower() != "between":
        raise _Reject  # "on Monday and Friday" is two days
    if p is None:
        return _UNKNOWN
    wd1, wd2 = _WEEKDAY_NUM[g["wd1"].lower()], _WEEKDAY_NUM[g["wd2"].lower()]
    last = p - timedelta(days=(p.weekday() - wd2) % 7)
    return last - timedelta(days=(wd2 - wd1) % 7), last, "day"


def _r_weekday(g: dict[str, str], p: date | None) -> _Resolved:
    if p is None:
        return _UNKNOWN
    wd = _WEEKDAY_NUM[g["wd"].lower()]
    rel = (g.get("rel") or "").lower()
    if rel in ("last", "past"):
        back = (p.weekday() - wd) % 7 or 7
        return _day_result(p - timedelta(days=back))
    if rel == "next":
        return _day_result(p + timedelta(days=(wd - p.weekday()) % 7 or 7))
    return _day_result(p - timedelta(days=(p.weekday() - wd) % 7))


def _r_nth(g: dict[str, str], p: date | None) -> _Resolved:
    if p is None:
        return _UNKNOWN
    day = _day_num(g["d"])
    limit = p + timedelta(days=TOLERANCE_DAYS)
    y, m = limit.year, limit.month
    for _ in range(3):
        if day <= _last_day(y, m) and date(y, m, day) <= limit:
            return _day_result(date(y, m, day))
        y, m = _shift_month(y, m, -1)
    raise _Reject


_RESOLVERS: dict[str, Callable[[dict[str, str], date | None], _Resolved]] = {
    "iso": _r_iso,
    "numeric": _r_numeric,
    "wd_date": _r_wd_date,
    "range_dm": _r_range_dm,
    "range_md": _r_range_md,
    "dm": _r_dm,
    "md": _r_md,
    "week_of_month": _r_week_of_month,
    "month_range": _r_month_range,
    "decade": _r_decade,
    "year_range": _r_year_range,
    "month": _r_month,
    "year": _r_year,
    "season": _r_season,
    "ago": _r_ago,
    "rolling": _r_rolling,
    "rel_day": _r_rel_day,
    "weekend": _r_weekend,
    "rel_period": _r_rel_period,
    "part_rel": _r_part_rel,
    "wd_range": _r_wd_range,
    "weekday": _r_weekday,
    "nth": _r_nth,
}
assert set(_RESOLVERS) == set(_KINDS) == set(_OPENERS)


# --------------------------------------------------------------------------------------------
# Context checks for words that are dates only in context
# --------------------------------------------------------------------------------------------


def _prev_word(text: str, lo: int, s: int) -> str:
    m = _PREV_WORD.search(text[max(lo, s - 30) : s].lower())
    return m.group(1) if m else ""


def _next_word(text: str, e: int, hi: int) -> str:
    m = _NEXT_WORD.match(text[e : min(hi, e + 30)].lower())
    return m.group(1) if m else ""


def _check_context(
    kind: str, g: dict[str, str], text: str, s: int, e: int, lo: int, hi: int
) -> None:
    """Raise _Reject when a match of an ambiguous shape lacks the context that makes it a date."""
    if kind in ("dm", "md", "month", "range_dm", "range_md", "month_range"):
        if any(g.get(k) for k in ("y", "y1", "y2", "part", "mod", "rel", "pre")):
            return
        tokens = [g[k] for k in ("m", "m1", "m2") if g.get(k)]
        if kind == "month":  # a bare month name: only the unambiguous full names stand alone
            needs = tokens[0].lower() not in _UNAMBIGUOUS_MONTHS
        else:  # "may 14", "14 march": lower case needs a date context
            needs = any(t.lower() in _AMBIGUOUS_MONTHS and t[0].islower() for t in tokens)
        if needs and _prev_word(text, lo, s) not in _MONTH_CONTEXT:
            raise _Reject
    elif kind == "year" and not (g.get("part") or g.get("mod")):
        after = _next_word(text, e, hi)
        if after in _COUNT_NOUNS:
            raise _Reject  # "of 2000 workers"
        if text[e : e + 2] in ("'s", "’s") or after in _EVENT_NOUNS:
            return
        if _prev_word(text, lo, s) not in _YEAR_CONTEXT:
            raise _Reject
    elif kind == "year_range" and not g.get("pre") and _next_word(text, e, hi) in _COUNT_NOUNS:
        raise _Reject


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _as_date(published: date | None) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published


def _groups(m: re.Match[str], kind: str, prefixed: bool) -> dict[str, str]:
    if not prefixed:
        return {k: v for k, v in m.groupdict().items() if v is not None}
    head = kind + "__"
    return {
        k[len(head) :]: v for k, v in m.groupdict().items() if v is not None and k.startswith(head)
    }


def _evaluate(
    kind: str, m: re.Match[str], prefixed: bool, text: str, lo: int, hi: int, p: date | None
) -> DateValue | None:
    s, e = m.span()
    g = _groups(m, kind, prefixed)
    try:
        _check_context(kind, g, text, s, e, lo, hi)
        start, end, precision = _RESOLVERS[kind](g, p)
    except _Reject:
        return None
    except (ValueError, OverflowError, KeyError, StopIteration, IndexError):
        # arithmetic at the edges of the calendar (e.g. published=date.max): keep the words
        start, end, precision = _UNKNOWN
    if start is not None and end is not None and end < start:
        start, end, precision = _UNKNOWN
    return DateValue(start, end, precision, text[s:e], Span.of(text, s, e))


def find_dates(
    text: str, start: int = 0, end: int | None = None, *, published: date | None
) -> list[DateValue]:
    """Every date expression in ``text[start:end]``, in order, with spans into ``text``."""
    n = len(text)
    lo = min(max(start, 0), n)
    hi = n if end is None else min(max(end, lo), n)
    return _find(text, lo, hi, _as_date(published))


def _candidates(text: str, lo: int, hi: int) -> Iterator[tuple[int, str]]:
    """Where a date expression may begin, with the class of the word that opens it."""
    for m in _WORD.finditer(text, lo, hi):
        w = m.group()
        if w[0].isdigit():
            yield m.start(), "#"
            continue
        w = w.lower()
        if w == "the":
            if _THE_DATE.match(text, m.start(), hi):
                yield m.start(), w
        elif w in _DISPATCH:
            yield m.start(), w
        else:
            cls = _WORD_CLASS.get(w)
            if cls is not None:
                yield m.start(), cls


def _find(text: str, lo: int, hi: int, p: date | None, fast: bool = True) -> list[DateValue]:
    """The dates in text[lo:hi]; ``fast=False`` tries the whole grammar at every position."""
    found: list[DateValue] = []
    pos = lo
    full = (_MASTER, tuple(_KINDS))
    positions: Iterable[tuple[int, str]] = (
        _candidates(text, lo, hi) if fast else ((i, "") for i in range(lo, hi))
    )
    for c, opener in positions:
        if c < pos:
            continue
        master, kinds = _DISPATCH[opener] if opener else full
        m = master.match(text, c, hi)
        if m is None:
            continue
        kind = m.lastgroup or ""
        value = _evaluate(kind, m, True, text, lo, hi, p)
        if value is None:  # try the later alternatives at the same place
            for other in kinds[kinds.index(kind) + 1 :]:
                m2 = _SINGLE[other].match(text, c, hi)
                if m2 is not None and m2.end() > m2.start():
                    value = _evaluate(other, m2, False, text, lo, hi, p)
                    if value is not None:
                        break
        if value is not None:
            found.append(value)
            pos = value.span.end  # type: ignore[union-attr]
    return found


def resolve_date(phrase: str, *, published: date | None) -> DateValue | None:
    """The first date expression in ``phrase``, without a span; None if it holds none."""
    values = find_dates(phrase, published=published)
    if not values:
        return None
    v = values[0]
    return DateValue(v.start, v.end, v.precision, v.text)


def is_historical(value: DateValue, published: date | None, *, days: int = HISTORICAL_DAYS) -> bool:
    """True when the date ends more than ``days`` (a year) before publication.

    "in 1980", "the strikes of 1980", "in the 1990s" are historical for a 2020 report; "last
    year" and "in 2019" are not.  Without a publication date, or for an unresolved value, there
    is nothing to compare with and the answer is False.
    """
    p = _as_date(published)
    last = value.end or value.start
    if p is None or last is None:
        return False
    try:
        return last < p - timedelta(days=days)
    except OverflowError:
        return False
