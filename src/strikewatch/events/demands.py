"""Demands: what the people in an event ask for, found with a per-language table.

The table is data, not code: ``strikewatch/data/lang/<lang>/demands.tsv``, one row per pattern
(label, category, pattern); docs/demands.md describes the columns, the categories and how to add
a language. It is read once per language and kept.

A row whose pattern starts with a context (``{cue}``, ``{against}``) names a topic that is a
demand only when people ask for it or oppose it ("fuel prices", "the new law"): the match counts
when the context stands right before it ("protest against rising fuel prices"), or when a word
that opens a list of demands (helper ``@<context>_list``) comes earlier in the sentence with no
clause break (``@break``) in between ("they demanded higher pay, cheaper fuel and ..."). Any other
row is a demand by its wording ("new elections", "unpaid wages") and counts wherever it is found,
as it always has: the caller only looks in sentences that tell an event, or that speak of
demands (``says_demands``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from strikewatch.types import Demand, Span

COLUMNS = ("label", "category", "pattern")
# helper rows every table defines (their label is "@" + the name)
REQUIRED = ("demand", "break", "mods")
LOOK_BACK = 80  # how far before a match its context may start, in characters
AHEAD = 40  # how much of the match itself a context may look at ("for" + "higher pay")
MARK = "\x00"  # stands where the match starts, in the text a context is tried on
WORD_START = r"(?<![\w'’-])"  # a context row's match starts a word
_MACRO = re.compile(r"\{([a-z_]+)\}")
_LABEL = re.compile(r"[^\t@#\s][^\t]*")
_CATEGORY = re.compile(r"[a-z][a-z_]*")


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    category: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None  # must end where the match starts (MARK); None: no need
    opens: re.Pattern[str] | None  # or this earlier in the sentence, with no clause break
    line: int


@dataclass(frozen=True, slots=True)
class DemandTable:
    lang: str
    rows: tuple[Row, ...]
    speaks: re.Pattern[str]  # the sentence speaks of demands at all
    breaks: re.Pattern[str]  # a clause break ends a list of demands

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.label for r in self.rows))

    @property
    def categories(self) -> dict[str, str]:
        """Each label's category."""
        return {r.label: r.category for r in self.rows}


class TableError(ValueError):
    """A demand table that cannot be used, with the file and line that say why."""


def table_text(lang: str) -> str:
    ref = resources.files("strikewatch").joinpath("data", "lang", lang, "demands.tsv")
    if not ref.is_file():
        raise TableError(f"no demand table for language {lang!r} (data/lang/{lang}/demands.tsv)")
    return ref.read_text(encoding="utf-8")


@cache
def demand_table(lang: str = "en") -> DemandTable:
    """The demand table of a language, read and compiled once."""
    return parse_table(table_text(lang), lang)


def parse_table(text: str, lang: str = "en") -> DemandTable:
    where = f"data/lang/{lang}/demands.tsv"
    macros: dict[str, str] = {}
    contexts: set[str] = set()
    raw: list[tuple[int, str, str, str]] = []
    header = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise TableError(f"{where}:{n}: {len(cells)} columns, want {len(COLUMNS)} "
                             f"separated by tabs ({', '.join(COLUMNS)})")
        if not header:
            if tuple(c.strip() for c in cells) != COLUMNS:
                raise TableError(f"{where}:{n}: the first row must be the header "
                                 f"{chr(9).join(COLUMNS)!r}")
            header = True
            continue
        label, category, pattern = cells[0].strip(), cells[1].strip(), cells[2]
        if label.startswith("@"):
            name = label[1:]
            if category not in ("macro", "context") or not _CATEGORY.fullmatch(name):
                raise TableError(f"{where}:{n}: a helper row is '@name<TAB>macro|context<TAB>regex'")
            macros[name] = _expand(pattern, macros, contexts, where, n)
            if category == "context":
                contexts.add(name)
            continue
        if not _LABEL.fullmatch(label) or not _CATEGORY.fullmatch(category):
            raise TableError(f"{where}:{n}: bad label {label!r} or category {category!r}")
        raw.append((n, label, category, pattern))
    missing = [m for m in REQUIRED if m not in macros]
    if missing:
        raise TableError(f"{where}: helper rows missing: {', '.join('@' + m for m in missing)}")
    rows: list[Row] = []
    for n, label, category, pattern in raw:
        context = opens = None
        m = _MACRO.match(pattern)
        if m and m.group(1) in contexts:
            name = m.group(1)
            context = _compile(rf"(?:{macros[name]})\s+[\"'“‘«(]?(?:{macros['mods']}){MARK}",
                               where, n)
            if f"{name}_list" in macros:
                opens = _compile(macros[f"{name}_list"], where, n)
            pattern = WORD_START + pattern[m.end():]
        body = _expand(pattern, macros, contexts, where, n)
        rows.append(Row(label, category, _compile(body, where, n), context, opens, n))
    return DemandTable(lang, tuple(rows), _compile(macros["demand"], where, 0),
                       _compile(macros["break"], where, 0))


def _expand(pattern: str, macros: dict[str, str], contexts: set[str], where: str, n: int) -> str:
    """``{name}`` replaced by helper ``@name``; a context may only start a row's pattern."""
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in contexts:
            raise TableError(f"{where}:{n}: {{{name}}} is a context: only at the start of a pattern")
        if name not in macros:
            raise TableError(f"{where}:{n}: unknown helper {{{name}}}")
        return f"(?:{macros[name]})"
    out = _MACRO.sub(sub, pattern)
    _compile(out, where, n)
    return out


def _compile(pattern: str, where: str, n: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.I)
    except re.error as e:
        raise TableError(f"{where}:{n}: bad pattern: {e}") from None


def says_demands(text: str, start: int, end: int, *, lang: str = "en") -> bool:
    """Does the sentence speak of demands at all (so its demand words are demands)?"""
    return demand_table(lang).speaks.search(text, start, end) is not None


def find_demands(text: str, start: int, end: int, *, lang: str = "en") -> list[Demand]:
    """The demands told in ``text[start:end]`` (one sentence), each label once (its first
    mention), in the order they are told."""
    table = demand_table(lang)
    chunk = text[start:end]
    opened: dict[int, list[int]] = {}  # id(row.opens) -> where its matches end
    first: dict[str, tuple[int, int, int, str]] = {}  # label -> (start, row, end, category)
    for i, row in enumerate(table.rows):
        seen = first.get(row.label)
        pos = 0
        while (m := row.pattern.search(chunk, pos)) is not None:
            if seen is not None and m.start() >= seen[0]:
                break
            if row.context is None or _in_context(table, row, chunk, m.start(), opened):
                if seen is None or (m.start(), i) < seen[:2]:
                    first[row.label] = (m.start(), i, m.end(), row.category)
                break
            pos = m.start() + 1
    out = [Demand(label, Span.of(text, start + s, start + e), category)
           for label, (s, _, e, category) in first.items()]
    return sorted(out, key=lambda d: d.span.start)


def _in_context(table: DemandTable, row: Row, chunk: str, at: int,
                opened: dict[int, list[int]]) -> bool:
    lo = max(0, at - LOOK_BACK)
    while lo > 0 and chunk[lo - 1].isalnum():  # not from the middle of a word
        lo -= 1
    if row.context.search(chunk[lo:at] + MARK + chunk[at:at + AHEAD]) is not None:
        return True
    if row.opens is None:
        return False
    ends = opened.get(id(row.opens))
    if ends is None:
        ends = opened[id(row.opens)] = [m.end() for m in row.opens.finditer(chunk)]
    # a list of demands opened earlier in the sentence and not closed by a clause break
    return any(o <= at and table.breaks.search(chunk, o, at) is None for o in ends)
