"""Parse written quantities ("about a hundred", "over 70", "tens of thousands") into ranges.

Every quantity becomes an inclusive ``(low, high)`` range of whole numbers with
``low <= high``.  The conventions (which vague word means what, how "about", "over", "up to"
widen a figure) are documented, with their sources, in ``docs/counts.md``; the tables below
are the single place they are defined.

Two entry points:

* :func:`parse_quantity` parses one phrase that is *only* a quantity ("about 7,500",
  "dozens of") and returns its range, or ``None``.
* :func:`scan_quantities` finds every quantity phrase in a longer text, with character
  offsets, for :mod:`strikewatch.events.counts`.  It does not judge whether a number counts
  people; that is the caller's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Quantity",
    "QuantityKind",
    "parse_quantity",
    "scan_quantities",
    "VAGUE_WORDS",
    "UNQUANTIFIED",
]

QuantityKind = Literal["exact", "approximate", "vague", "bound", "range"]

# --------------------------------------------------------------------------------------
# Tables (keep in step with docs/counts.md)
# --------------------------------------------------------------------------------------

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES: dict[str, int] = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
}
# Suffixes glued to digits: "2k", "1.5m", "3bn".
DIGIT_SUFFIXES: dict[str, int] = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
}

# Vague plural quantities: (low, high).  ``low`` is the Crowd Counting Consortium's coded
# value where CCC defines one ("hundreds" = 200, "thousands" = 2000, "tens of thousands" =
# 20000, "hundreds of thousands" = 200000), and by the same "two of the unit" rule elsewhere
# ("dozens" = 24, "scores" = 40, "tens" = 20); ``high`` is the figure just below the next
# order of magnitude, where a writer would have switched to the next word.
VAGUE_WORDS: dict[str, tuple[int, int]] = {
    "tens": (20, 99),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
    "tens of millions": (20_000_000, 99_999_999),
}
# Small vague quantities, alone ("several people") or multiplying a unit ("several hundred").
FEW_WORDS: dict[str, tuple[int, int]] = {
    "a couple": (2, 3),
    "a few": (3, 5),
    "several": (3, 9),
    "a handful": (3, 9),
}
# Units a FEW_WORD or a number can multiply: "several hundred", "two dozen", "a few thousand".
MULTIPLIABLE: dict[str, int] = {
    "dozen": 12, "dozens": 12, "score": 20, "hundred": 100, "hundreds": 100,
    "thousand": 1_000, "thousands": 1_000, "million": 1_000_000, "millions": 1_000_000,
}
# Words that talk about an amount without giving one: parse_quantity returns None.
UNQUANTIFIED: frozenset[str] = frozenset({
    "many", "numerous", "a crowd", "crowds", "a number of", "a lot of", "lots of",
    "a large number of", "a great many", "countless", "masses", "rows", "multitudes",
})

# Modifiers.  Each maps to a rule applied to the base range, see _apply_modifier.
MODIFIER_RULE: dict[str, str] = {
    "about": "approx", "around": "approx", "some": "approx", "roughly": "approx",
    "approximately": "approx", "approx": "approx", "approx.": "approx", "circa": "approx",
    "c.": "approx", "an estimated": "approx", "estimated": "approx", "close to": "approx",
    "more or less": "approx", "just about": "approx", "perhaps": "approx", "maybe": "approx",
    "an estimate of": "approx", "round": "approx",  # "round 1,500": a reworded "around"
    "nearly": "below", "almost": "below", "just under": "below",
    "over": "above", "more than": "above", "just over": "above", "well over": "above",
    "upwards of": "above", "in excess of": "above",
    "at least": "atleast", "no fewer than": "atleast", "no less than": "atleast",
    "up to": "upto", "as many as": "upto", "at most": "upto", "not more than": "upto",
    "no more than": "upto",
    "fewer than": "under", "less than": "under", "under": "under",
    "as few as": "atleast",
}
# Postfix modifiers: "70 or more", "70-plus", "70+", "a hundred or so".
POSTFIX_RULE: dict[tuple[str, ...], str] = {
    ("or", "more"): "atleast", ("and", "more"): "atleast", ("or", "so"): "approx",
    ("plus",): "atleast", ("+",): "atleast", ("-", "plus"): "atleast",
    ("odd",): "atleast", ("-", "odd"): "atleast",
}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity phrase found in a text: offsets are into the text that was scanned."""

    start: int
    end: int
    low: int
    high: int
    kind: QuantityKind
    text: str
    value: int | None = None  # the literal figure for exact/approximate/bound quantities
    modifier: str | None = None  # the modifier as written, lowercased ("about", "over")


# --------------------------------------------------------------------------------------
# Lexer
# --------------------------------------------------------------------------------------

_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"  # 7,500  1,200,000
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d])"  # 1 200 (thin/nbsp/space groups)
    r"|\d+(?:\.\d+)?"
)
_TOKEN_RE = re.compile(
    rf"(?P<num>(?:{_DIGITS}))(?P<suf>k|K|mn|mln|m|bn)?(?![\w/:]|[.,]\d)"  # digits[+suffix]
    r"|(?P<glued>\d[\w.,:/]*)"  # glued to letters or marks: 55km 1990s 2nd 7.30pm 50/50 7:30
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*\.?)"
    r"|(?P<punct>\S)"
)


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str  # lowercased, trailing "." stripped from words
    start: int
    end: int
    kind: str  # num | glued | word | punct
    value: int | None = None  # for num tokens: integer value, None if not whole


def _number_value(digits: str, suffix: str | None) -> tuple[int | None, bool]:
    """Integer value of a digit token; second item says whether it was a decimal."""
    clean = re.sub(r"[,\s\u00a0\u202f\u2009]", "", digits)
    mult = DIGIT_SUFFIXES.get(suffix.lower(), 1) if suffix else 1
    if "." in clean:
        whole, frac = clean.split(".", 1)
        scaled = int(whole) * mult + (int(frac) * mult) // (10 ** len(frac))
        exact = (int(frac) * mult) % (10 ** len(frac)) == 0
        return (scaled if exact else None), True
    return int(clean) * mult, False


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        if m.group("num") is not None:
            value, _ = _number_value(m.group("num"), m.group("suf"))
            toks.append(_Tok(m.group(0), m.group(0).lower(), m.start(), m.end(), "num", value))
        elif m.group("glued") is not None:
            toks.append(_Tok(m.group(0), m.group(0).lower(), m.start(), m.end(), "glued"))
        elif m.group("word") is not None:
            word = m.group(0)
            low = word.lower().replace("’", "'")
            if low.endswith(".") and low not in ("approx.", "c."):
                # a full stop ends the sentence, it is not part of the word
                word = word[:-1]
                low = low[:-1]
                toks.append(_Tok(word, low, m.start(), m.start() + len(word), "word"))
                toks.append(_Tok(".", ".", m.end() - 1, m.end(), "punct"))
                continue
            toks.append(_Tok(word, low, m.start(), m.end(), "word"))
        else:
            toks.append(_Tok(m.group(0), m.group(0), m.start(), m.end(), "punct"))
    return toks


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Base:
    """A bare quantity (no modifier): tokens [i, j) with its range."""

    j: int
    low: int
    high: int
    kind: QuantityKind  # exact | vague | range
    scale: int = 1  # the scale word/suffix the quantity ended with (for "2-3 thousand")


def _words_at(toks: list[_Tok], i: int, phrase: str) -> int | None:
    """If the (space separated) phrase starts at token i, return the index after it."""
    parts = phrase.split()
    if i + len(parts) > len(toks):
        return None
    for k, p in enumerate(parts):
        if toks[i + k].low != p:
            return None
    return i + len(parts)


def _cardinal_words(toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """Parse written-out cardinals ("two hundred and fifty", "thirty-two", "a thousand").

    Returns (end index, value, last scale word's value) or None.
    """
    total = 0
    current = 0  # the group below the last thousand/million
    seen = False
    last_scale = 1
    j = i
    n = len(toks)
    while j < n:
        t = toks[j]
        if t.kind != "word":
            break
        w = t.low
        parts = w.split("-")
        small: int | None = None
        if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and 0 < UNITS[parts[1]] < 10:
            small = TENS[parts[0]] + UNITS[parts[1]]
        elif w in UNITS:
            small = UNITS[w]
        elif w in TENS:
            small = TENS[w]
        if small is not None:
            below = current % 100
            if seen and not (below == 0 or (below % 10 == 0 and below >= 20 and small < 10)):
                break  # "twenty thirty", "five six": two numbers, stop before the second
            current += small
            seen = True
            last_scale = 1
            j += 1
            continue
        if w == "a" and not seen and j + 1 < n and toks[j + 1].low in SCALES:
            current = 1
            seen = True
            j += 1
            continue
        if w in SCALES and seen:
            scale = SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            last_scale = scale
            j += 1
            # "two hundred and fifty", "a thousand and one"
            if (j + 1 < n and toks[j].low == "and"
                    and (toks[j + 1].low in UNITS or toks[j + 1].low.split("-")[0] in TENS)):
                j += 1
            continue
        break
    if not seen:
        return None
    return j, total + current, last_scale


def _digits_with_scale(toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """Digits, optionally followed by scale words: "7,500", "1.5 thousand", "2 million"."""
    t = toks[i]
    if t.kind != "num":
        return None
    m = _TOKEN_RE.match(t.text)
    assert m is not None
    digits, suffix = m.group("num"), m.group("suf")
    j = i + 1
    scale = DIGIT_SUFFIXES.get(suffix.lower(), 1) if suffix else 1
    total_scale = 1
    while j < len(toks) and toks[j].low in SCALES:
        total_scale *= SCALES[toks[j].low]
        j += 1
    clean = re.sub(r"[,\s\u00a0\u202f\u2009]", "", digits)
    mult = scale * total_scale
    if "." in clean:
        whole, frac = clean.split(".", 1)
        num = int(whole) * mult * 10 ** len(frac) + int(frac) * mult
        if num % (10 ** len(frac)):
            return None  # not a whole number of people
        value = num // (10 ** len(frac))
    else:
        value = int(clean) * mult
    return j, value, max(scale, total_scale)


def _single(toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """One number, digits or words: (end, value, scale)."""
    if i >= len(toks):
        return None
    r = _digits_with_scale(toks, i)
    if r is None:
        r = _cardinal_words(toks, i)
    if r is None:
        return None
    j, value, scale = r
    # "two dozen", "3 dozen", "a dozen", "half a dozen" handled by caller for "a"/"half";
    if j < len(toks) and toks[j].low in ("dozen", "score"):
        unit = 12 if toks[j].low == "dozen" else 20
        return j + 1, value * unit, unit
    return j, value, scale


def _base_at(toks: list[_Tok], i: int) -> _Base | None:
    """A bare quantity starting at token i (no approximator)."""
    n = len(toks)
    if i >= n:
        return None
    t = toks[i]

    # "between 20 and 30", "from 20 to 30"
    if t.low in ("between", "from"):
        a = _single(toks, i + 1)
        if a is not None and a[0] < n and toks[a[0]].low in (("and",) if t.low == "between" else ("to",)):
            b = _single(toks, a[0] + 1)
            if b is not None:
                lo, hi = _scale_pair(a, b)
                return _Base(b[0], min(lo, hi), max(lo, hi), "range", b[2])
        return None

    # vague multi-word plurals first (longest first): "hundreds of thousands"
    for phrase in _VAGUE_BY_FIRST.get(t.low, ()):
        j = _words_at(toks, i, phrase)
        if j is not None:
            lo, hi = VAGUE_WORDS[phrase]
            return _Base(j, lo, hi, "vague")

    # "half a dozen"
    j = _words_at(toks, i, "half a dozen")
    if j is not None:
        return _Base(j, 6, 6, "exact", 12)
    # "a dozen", "a score of"
    for phrase, val in (("a dozen", 12), ("a score", 20)):
        j = _words_at(toks, i, phrase)
        if j is not None:
            return _Base(j, val, val, "exact", val)

    # "several hundred", "a few thousand", "a couple of dozen", "several", "a handful"
    for phrase in _FEW_BY_FIRST.get(t.low, ()):
        j = _words_at(toks, i, phrase)
        if j is None:
            continue
        lo, hi = FEW_WORDS[phrase]
        k = j
        if k + 1 < n and toks[k].low == "of" and toks[k + 1].low in MULTIPLIABLE:
            k += 1  # "a couple of hundred"
        if k < n and toks[k].low in MULTIPLIABLE:
            unit = MULTIPLIABLE[toks[k].low]
            k += 1
            # "several hundred thousand"
            while k < n and toks[k].low in ("thousand", "million") and unit < SCALES[toks[k].low]:
                unit *= SCALES[toks[k].low]
                k += 1
            return _Base(k, lo * unit, hi * unit, "vague", unit)
        return _Base(j, lo, hi, "vague")

    one = _single(toks, i)
    if one is None:
        return None
    j, value, scale = one
    # ranges: "20-30", "20–30", "20 to 30", "two or three", "20 or 30"
    if j + 1 < n and toks[j].low in ("-", "–", "—", "to", "or"):
        b = _single(toks, j + 1)
        if b is not None:
            lo, hi = _scale_pair((j, value, scale), b)
            if lo <= hi:
                return _Base(b[0], lo, hi, "range", b[2])
    return _Base(j, value, value, "exact", scale)


def _scale_pair(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[int, int]:
    """ "2-3 thousand": the scale of the second figure applies to a bare first figure."""
    _, av, ascale = a
    _, bv, bscale = b
    if ascale == 1 and bscale > 1 and av * bscale <= bv:
        av = av * bscale
    return av, bv


def _by_first_word(phrases) -> dict[str, tuple[str, ...]]:
    """Index phrases by their first word, longest first within each word."""
    out: dict[str, list[str]] = {}
    for p in phrases:
        out.setdefault(p.split()[0], []).append(p)
    return {k: tuple(sorted(v, key=lambda p: -len(p.split()))) for k, v in out.items()}


_MODIFIERS_BY_FIRST = _by_first_word(MODIFIER_RULE)
_VAGUE_BY_FIRST = _by_first_word(VAGUE_WORDS)
_FEW_BY_FIRST = _by_first_word(FEW_WORDS)
# words a quantity phrase can start with (besides digits): a cheap test before matching
_START_WORDS: frozenset[str] = frozenset(
    set(_MODIFIERS_BY_FIRST) | set(_VAGUE_BY_FIRST) | set(_FEW_BY_FIRST) | set(UNITS)
    | set(TENS) | {"a", "half", "between", "from"})


def _match_modifier(toks: list[_Tok], i: int) -> tuple[int, str] | None:
    """Longest approximator/bound starting at token i: (end index, modifier)."""
    for phrase in _MODIFIERS_BY_FIRST.get(toks[i].low, ()):
        j = _words_at(toks, i, phrase)
        if j is not None:
            return j, phrase
    return None


def _match_postfix(toks: list[_Tok], j: int) -> tuple[int, str] | None:
    for parts, rule in POSTFIX_RULE.items():
        if j + len(parts) > len(toks):
            continue
        if all(toks[j + k].low == p for k, p in enumerate(parts)):
            # "+" and "-plus" must be glued: "70+", "70-plus"
            if parts[0] in ("+", "-") and toks[j].start != toks[j - 1].end:
                continue
            return j + len(parts), rule
    return None


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _apply_modifier(rule: str, lo: int, hi: int, kind: QuantityKind) -> tuple[int, int]:
    """Widen a base range by a modifier's rule (see docs/counts.md, "Modifiers")."""
    exact = lo == hi and kind == "exact"
    if rule in ("approx", "exact"):
        return lo, hi
    if not exact:
        # modifiers on vague words or ranges keep the range ("over hundreds", "up to 20-30")
        if rule == "upto" or rule == "under":
            return lo, hi
        return lo, hi
    n = lo
    if rule == "above":
        return n + 1, max(n + 1, 2 * n)
    if rule == "atleast":
        return n, max(n, 2 * n)
    if rule == "below":
        high = max(n - 1, 0)
        return min(_ceil_div(9 * n, 10), high), high
    if rule == "under":
        high = max(n - 1, 0)
        return min(_ceil_div(n, 2), high), high
    if rule == "upto":
        return _ceil_div(n, 2), n
    return lo, hi


def _match_at(toks: list[_Tok], i: int) -> tuple[int, int, int, QuantityKind, int | None, str | None] | None:
    """A full quantity phrase at token i: (end, low, high, kind, literal value, modifier)."""
    modifier: str | None = None
    rule = None
    k = i
    mod = _match_modifier(toks, i)
    if mod is not None:
        k, modifier = mod
        rule = MODIFIER_RULE[modifier]
        # "some of", "around the", "over the": a modifier must be followed by a quantity
    base = _base_at(toks, k)
    if base is None:
        if modifier is None:
            return None
        # the modifier word may itself be the start of something else ("some" + nothing)
        return None
    j = base.j
    lo, hi, kind = base.low, base.high, base.kind
    value = lo if lo == hi and kind == "exact" else None
    post = _match_postfix(toks, j)
    if post is not None and kind == "exact":
        j, prule = post
        if rule is None or rule == "exact":
            rule = prule
    if rule is not None:
        lo, hi = _apply_modifier(rule, lo, hi, kind)
        if kind == "exact" and rule not in ("approx", "exact"):
            kind = "bound"
        elif kind == "exact" and rule == "approx":
            kind = "approximate"
    lo, hi = min(lo, hi), max(lo, hi)
    return j, lo, hi, kind, value, modifier


def scan_quantities(text: str) -> list[Quantity]:
    """Every quantity phrase in ``text``, left to right, non-overlapping, longest first.

    Offsets are into ``text``.  Numbers glued to letters ("55km", "1990s", "2nd") are never
    quantities; anything else that reads as a number is returned, including years, money
    and percentages: filtering those is the caller's business.
    """
    toks = _lex(text)
    out: list[Quantity] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.kind != "num" and (t.low not in _START_WORDS and t.low.split("-")[0] not in TENS):
            i += 1
            continue
        r = _match_at(toks, i)
        if r is None:
            i += 1
            continue
        j, lo, hi, kind, value, modifier = r
        start, end = toks[i].start, toks[j - 1].end
        out.append(Quantity(start, end, lo, hi, kind, text[start:end], value, modifier))
        i = j
    return out


_TRAILING_OF = re.compile(r"\s+of\s*$", re.IGNORECASE)


def parse_quantity(phrase: str) -> tuple[int, int] | None:
    """Parse a phrase that is a quantity into an inclusive ``(low, high)`` range.

    >>> parse_quantity("about a hundred")
    (100, 100)
    >>> parse_quantity("over 70")
    (71, 140)
    >>> parse_quantity("tens of thousands")
    (20000, 99999)
    >>> parse_quantity("a crowd") is None
    True

    The whole phrase must be a quantity (a trailing "of" is allowed: "dozens of");
    anything else, and words that give no amount ("many", "a crowd"), return ``None``.
    """
    if not isinstance(phrase, str):
        return None
    p = " ".join(phrase.split())
    p = _TRAILING_OF.sub("", p).strip()
    if not p:
        return None
    if p.lower() in UNQUANTIFIED:
        return None
    toks = _lex(p)
    if not toks:
        return None
    r = _match_at(toks, 0)
    if r is None:
        return None
    j, lo, hi, _kind, _value, _mod = r
    if j != len(toks):
        return None
    return (lo, hi) if lo <= hi else (hi, lo)
