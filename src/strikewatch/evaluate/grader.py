"""Grade an events/entities export against gold files (contract: shared/eval/FORMAT.md).

Each gold event takes at most one exported event of its document (required gold first): same
type, and a workplace/actor alias fuzzy-matching the export's names, or, with no workplace on
either side, the right city plus the right date or count. The export in the right city, then the
one agreeing on having a workplace, wins; ties go to the earlier export. Matched pairs are then
checked field by field; cross-document gold adds event pairs, entity groups and keep-apart names.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from strikewatch.errors import Code, InputError

__all__ = ["FIELDS", "DocumentResult", "Report", "Score", "Tally", "grade", "key_words", "load_gold",
           "names_agree", "normalize"]

Record = dict[str, Any]

FIELDS = ("city", "date", "count", "attribution", "demand", "evidence")
COUNT_FIELDS = ("participants", "arrests", "injuries", "deaths")
NAME_RATIO = 0.88    # difflib ratio for an event's workplace/actor/city/attribution name
ENTITY_RATIO = 0.92  # difflib ratio for an entity name
_FILLER = frozenset(
    "the a an of in at and plant factory works work enterprise company group jsc ojsc oao rue"
    " facility manufacturing mr ms mrs".split()
)


def normalize(text: object) -> str:
    """NFKD without diacritics, lower case, runs of non-alphanumerics as single spaces."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare.lower()).split())


def key_words(text: object) -> str:
    """The normalised name without generic words ("Grodno Azot plant" -> "grodno azot")."""
    return " ".join(word for word in normalize(text).split() if word not in _FILLER)


def _has_phrase(words: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {words} "


def names_agree(alias: object, name: object, no_reverse: frozenset[str] = frozenset()) -> bool:
    """Does the exported ``name`` denote the gold ``alias``? The alias may contain the name only
    when the name has 4+ characters and is not in ``no_reverse`` (the gold's cities)."""
    want, have = key_words(alias), key_words(name)
    if not want or not have:
        return False
    if _has_phrase(have, want):
        return True
    if len(have) >= 4 and have not in no_reverse and _has_phrase(want, have):
        return True
    return difflib.SequenceMatcher(None, want, have).ratio() >= NAME_RATIO


def _any_agree(aliases: Iterable[Any], names: Sequence[Any], no_reverse: frozenset[str] = frozenset()) -> bool:
    return any(names_agree(alias, name, no_reverse) for alias in aliases for name in names if name)


def _same_entity_name(gold_name: object, name: object) -> bool:
    want, have = normalize(gold_name), normalize(name)
    return want == have or difflib.SequenceMatcher(None, want, have).ratio() >= ENTITY_RATIO


def _event_names(event: Mapping[str, Any]) -> list[Any]:
    names: list[Any] = []
    workplace = event.get("workplace")
    if isinstance(workplace, dict) and workplace.get("name"):
        names += [workplace["name"], *(workplace.get("aliases") or [])]
    return names + [actor for actor in event.get("actors") or [] if isinstance(actor, str)]


def _place_names(event: Mapping[str, Any]) -> list[Any]:
    location = event.get("location") or {}
    return [location[key] for key in ("name", "admin1") if location.get(key)]


def _sources(event: Mapping[str, Any], doc: str) -> list[Record]:
    return [source for source in event.get("sources") or [] if str(source.get("document")) == doc]


def _date_within(event: Mapping[str, Any], window: Mapping[str, str]) -> bool:
    start = (event.get("date") or {}).get("start")
    if not start:
        return False
    try:
        day = date.fromisoformat(str(start)[:10])
    except ValueError:
        return False
    return date.fromisoformat(window["from"]) <= day <= date.fromisoformat(window["to"])


def _range_fits(record: Mapping[str, Any], spec: Mapping[str, Any]) -> bool:
    """Does a range (a claim or the settled count) reach value±tolerance without a ``not`` value?"""
    low, high = record.get("low"), record.get("high")
    if low is None and high is None:
        return False
    low, high = (high if low is None else low), (low if high is None else high)
    if any(low <= bad <= high for bad in spec.get("not", [])):
        return False
    value, tolerance = spec["value"], spec.get("tolerance", 0.0)
    return low <= value * (1 + tolerance) and high >= value * (1 - tolerance)


def _count_result(count: Any, spec: Mapping[str, Any]) -> tuple[bool, bool | None]:
    """(the value matched, the attribution matched — None when the gold does not ask)."""
    asks_source = bool(spec.get("attributed_to"))
    if not count:
        return False, (False if asks_source else None)
    claims = [claim for claim in count.get("claims") or [] if isinstance(claim, dict)]
    hit = _range_fits(count, spec) or any(_range_fits(claim, spec) for claim in claims)
    if not asks_source:
        return hit, None
    return hit, any(_range_fits(claim, spec) and bool(claim.get("attributed_to"))
                    and _any_agree(spec["attributed_to"], [claim["attributed_to"]]) for claim in claims)


def _evidence_ok(event: Mapping[str, Any], doc: str, text: str | None) -> bool:
    spans = [span for source in _sources(event, doc) for span in source.get("evidence") or []]
    return bool(spans) and all(_span_ok(span, text) for span in spans)


def _span_ok(span: Mapping[str, Any], text: str | None) -> bool:
    start, end = span.get("start"), span.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and start < end):
        return False
    return text is None or span.get("text", text[start:end]) == text[start:end]


def _rank(gold: Mapping[str, Any], event: Mapping[str, Any]) -> tuple[bool, bool] | None:
    """How well ``event`` fits ``gold`` (higher is better), or None when it cannot be that event."""
    if event.get("type") not in gold["type"]:
        return None
    in_city = _any_agree(gold.get("city", []), _place_names(event))
    aliases = (gold.get("workplace") or []) + (gold.get("actor") or [])
    no_reverse = frozenset(key_words(city) for city in gold.get("city", []))
    if not _any_agree(aliases, _event_names(event), no_reverse) and not _anchored(gold, event, in_city):
        return None
    return in_city, bool(event.get("workplace")) == bool(gold.get("workplace"))


def _anchored(gold: Mapping[str, Any], event: Mapping[str, Any], in_city: bool) -> bool:
    """An event without a workplace on either side: the right city plus the right date or count."""
    if gold.get("workplace") or event.get("workplace") or not in_city:
        return False
    return ("date" in gold and _date_within(event, gold["date"])) or any(
        field in gold and _count_result(event.get(field), gold[field])[0] for field in COUNT_FIELDS)


def _assign(gold_events: Sequence[Record], mine: Sequence[Record]) -> tuple[dict[str, int], set[int]]:
    """Gold key -> index into ``mine``, each export used once, required gold events first."""
    matched: dict[str, int] = {}
    used: set[int] = set()
    for gold in sorted(gold_events, key=lambda g: not g.get("required")):
        ranked = [(rank, i) for i, event in enumerate(mine)
                  if i not in used and (rank := _rank(gold, event)) is not None]
        if ranked:
            best = max(ranked, key=lambda pair: pair[0])[1]  # max keeps the first of equals
            used.add(best)
            matched[gold["key"]] = best
    return matched, used


def _checks(gold: Mapping[str, Any], event: Mapping[str, Any], doc: str, text: str | None) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    if not gold.get("city_optional") or event.get("location"):
        out.append(("city", _any_agree(gold.get("city", []), _place_names(event))))
    if "date" in gold:
        out.append(("date", _date_within(event, gold["date"])))
    for field in COUNT_FIELDS:
        if field in gold:
            hit, credited = _count_result(event.get(field), gold[field])
            out.append(("count", hit))
            if credited is not None:
                out.append(("attribution", credited))
    for want in gold.get("demands", []):
        out.append(("demand", any(key_words(want) in key_words(d) for d in event.get("demands") or [])))
    out.append(("evidence", _evidence_ok(event, doc, text)))
    return out


@dataclass(frozen=True)
class Score:
    """``correct`` out of ``total``: a per-field count, a cross-document pair count ..."""

    correct: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.correct / self.total, 3) if self.total else None

    def __add__(self, other: Score) -> Score:
        return Score(self.correct + other.correct, self.total + other.total)

    def __str__(self) -> str:
        return f"{self.correct}/{self.total}"


@dataclass(frozen=True)
class Tally:
    required: int = 0
    found: int = 0
    exported: int = 0
    exported_matched: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(astuple(self), astuple(other))))


Fields = tuple[tuple[str, Score], ...]


def _fields_dict(fields: Fields) -> dict[str, list[int]]:
    return {name: [score.correct, score.total] for name, score in fields}


@dataclass(frozen=True)
class DocumentResult:
    document: str
    tally: Tally
    fields: Fields
    missed: tuple[str, ...] = ()     # keys of required gold events not found
    unmatched: tuple[str, ...] = ()  # exported events of the document that match no gold event


@dataclass(frozen=True)
class Report:
    documents: tuple[DocumentResult, ...]
    tally: Tally
    fields: Fields
    same_event: Score
    different_event: Score
    entity_groups: Score
    keep_apart: Score
    notes: tuple[str, ...] = ()  # cross-document pairs whose events were not both found

    @property
    def recall(self) -> float | None:
        return Score(self.tally.found, self.tally.required).rate

    @property
    def precision(self) -> float | None:
        return Score(self.tally.exported_matched, self.tally.exported).rate

    @property
    def f1(self) -> float:
        r, p = self.recall, self.precision
        return round(2 * r * p / (r + p), 3) if r and p else 0.0

    def _by_document(self) -> dict[str, DocumentResult]:
        return {doc.document: doc for doc in self.documents}  # a repeated document: the last one

    def to_dict(self) -> dict[str, Any]:
        return {
            "recall": self.recall, "precision": self.precision, "f1": self.f1,
            **{name: score.rate for name, score in self.fields},
            "same_event": str(self.same_event), "different_event": str(self.different_event),
            "entity_groups": str(self.entity_groups), "keep_apart": str(self.keep_apart),
            "counts": {**asdict(self.tally), "fields": _fields_dict(self.fields)},
            "per_document": {doc: {"tally": asdict(d.tally), "fields": _fields_dict(d.fields)}
                             for doc, d in self._by_document().items()},
        }

    def lines(self, verbose: bool = False) -> list[str]:
        out: list[str] = []
        if verbose:
            for doc in self.documents:
                out += [f"  {doc.document}: missed {key}" for key in doc.missed]
                out += [f"  {doc.document}: unmatched export {what}" for what in doc.unmatched]
            out += list(self.notes)
        out += [f"{doc}: found {r.tally.found}/{r.tally.required} required events; "
                f"{r.tally.exported_matched}/{r.tally.exported} exported events match gold"
                for doc, r in self._by_document().items()]
        out.append("fields: " + " ".join(f"{name}={score}" for name, score in self.fields))
        out.append(f"recall={self.recall} precision={self.precision} f1={self.f1} "
                   f"same_event={self.same_event} different_event={self.different_event} "
                   f"entity_groups={self.entity_groups} keep_apart={self.keep_apart}")
        return out


def _grade_document(gold: Mapping[str, Any], events: Sequence[Record],
                    text: str | None) -> tuple[DocumentResult, dict[str, Record]]:
    doc = str(gold["document"])
    mine = [event for event in events if _sources(event, doc)]
    matched, used = _assign(gold["events"], mine)
    fields = {name: Score() for name in FIELDS}
    for g in gold["events"]:
        if g["key"] in matched:
            for name, ok in _checks(g, mine[matched[g["key"]]], doc, text):
                fields[name] += Score(int(ok), 1)
    required = [g["key"] for g in gold["events"] if g.get("required")]
    tally = Tally(len(required), sum(key in matched for key in required), len(mine), len(used))
    unmatched = tuple(f"{e.get('type')} {_event_names(e)[:3]} @ {_place_names(e)}"
                      for i, e in enumerate(mine) if i not in used)
    result = DocumentResult(doc, tally, tuple(fields.items()),
                            tuple(key for key in required if key not in matched), unmatched)
    return result, {key: mine[i] for key, i in matched.items()}


def _pairs(cross: Sequence[Mapping[str, Any]], found: Mapping[str, Mapping[str, Record]],
           notes: list[str]) -> tuple[Score, Score]:
    """``same_event`` pairs exported as one event; ``different_event`` pairs kept apart."""
    scores = {"same_event": Score(), "different_event": Score()}
    for file in cross:
        for kind in scores:
            for a, b in file.get(kind, []):
                ev_a, ev_b = (found.get(doc, {}).get(key) for doc, key in (a.split(":", 1), b.split(":", 1)))
                if ev_a is None or ev_b is None:
                    notes.append(f"  {kind} {a} ~ {b}: not both found")
                    scores[kind] += Score(0, 1)
                    continue
                together = ev_a.get("id") == ev_b.get("id")
                scores[kind] += Score(int(together == (kind == "same_event")), 1)
    return scores["same_event"], scores["different_event"]


def _covers(entity: Mapping[str, Any], names: Iterable[Any]) -> bool:
    """Does every one of ``names`` match the entity's name or one of its aliases?"""
    own = [entity.get("name") or "", *(entity.get("aliases") or [])]
    return all(any(_same_entity_name(name, mine) for mine in own) for name in names)


def _group_resolved(group: Mapping[str, Any], entities: Sequence[Record]) -> bool:
    types = group["type"] if isinstance(group["type"], list) else [group["type"]]
    return any(entity.get("type") in types and _covers(entity, group["names"]) for entity in entities)


def grade(events: list[dict], entities: list[dict], gold: list[dict], cross: list[dict], *,
          texts: dict[str, str] | None = None) -> Report:
    """Grade an export (``events``/``entities`` records) against per-document ``gold`` files and
    cross-document ``cross`` files; ``texts`` (document id -> text) lets evidence spans be checked."""
    results: list[DocumentResult] = []
    found: dict[str, dict[str, Record]] = {}
    for g in gold:
        result, matched = _grade_document(g, events, (texts or {}).get(str(g["document"])))
        results.append(result)
        found[result.document] = matched
    fields: dict[str, Score] = {}
    for result in results:
        for name, score in result.fields:
            fields[name] = fields.get(name, Score()) + score
    notes: list[str] = []
    same, different = _pairs(cross, found, notes)
    files = [*gold, *cross]
    groups = [group for f in files for group in f.get("entities", [])]
    apart = [pair for f in files for pair in f.get("keep_apart", [])]
    return Report(tuple(results), sum((r.tally for r in results), Tally()), tuple(fields.items()),
                  same, different, Score(sum(_group_resolved(g, entities) for g in groups), len(groups)),
                  Score(sum(not any(_covers(e, pair) for e in entities) for pair in apart), len(apart)),
                  tuple(notes))


def load_gold(paths: Iterable[str | Path]) -> list[dict]:
    """Read gold or cross-document gold files (each one JSON object)."""
    out: list[dict] = []
    for path in map(Path, paths):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:  # ValueError: bad UTF-8 or bad JSON
            code = Code.NOT_FOUND if isinstance(err, FileNotFoundError) else (
                Code.BAD_JSON if isinstance(err, json.JSONDecodeError) else Code.UNREADABLE)
            raise InputError(f"cannot read gold file: {err}", code=code, source=str(path)) from err
        if not isinstance(data, dict):
            raise InputError("a gold file must hold one JSON object", code=Code.BAD_FIELD, source=str(path))
        out.append(data)
    return out
