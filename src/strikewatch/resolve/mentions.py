"""The people, organisations, workplaces and places a document names, each resolved within
the document to one canonical name (Vadim Vensky / Vadim Venskij; Jezji / Yezhi Grigentja)."""
from __future__ import annotations

import re
from collections import Counter

from strikewatch.events.context import DocContext
from strikewatch.ids import fold
from strikewatch.types import EntityMention, EventMention, Span

HONORIFICS = ("mr", "mrs", "ms", "dr")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
# transliteration folds for name keys: Venskij/Vensky, Jezhi/Yezhi, Tsikhanouskaya/Tikhanovskaya
# Hleb Karatkevich / Gleb Korotkevich: Belarusian h for Russian g, a for unstressed o
_FOLDS = ((r"(?:ij|iy|yj|yi)$", "y"), (r"^j", "y"), (r"zh", "z"), (r"kh", "h"), (r"ts", "t"),
          (r"ou", "ov"), (r"w$", "v"), (r"ii$", "i"), (r"g", "h"), (r"o", "a"))


def name_key(token: str) -> str:
    k = fold(token).replace(" ", "")
    for pattern, repl in _FOLDS:
        k = re.sub(pattern, repl, k)
    return k


def _person_spans(ctx: DocContext) -> list[Span]:
    text = ctx.text
    person_folds = {fold(e.text) for e in ctx.doc.ents if e.label_ == "PERSON"}
    taken = [(m.span.start, m.span.end) for s in ctx.sentences for m in s.enterprises]
    taken += [(p.span.start, p.span.end) for s in ctx.sentences for p in s.places]
    spans: list[Span] = []
    for ent in ctx.doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        if ent.label_ == "ORG" and fold(ent.text) not in person_folds:
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < b and a < e for a, b in taken):
            continue
        m = _POSSESSIVE.search(text[s:e])
        if m:
            e -= len(m.group())
        before = text[max(0, s - 4):s].lower()
        for h in HONORIFICS:
            if re.search(rf"\b{h}\.? $", before):
                s -= len(re.search(rf"{h}\.? $", before).group())
                break
        if e > s and text[s:e].strip() and any(c.isalpha() for c in text[s:e]):
            spans.append(Span.of(text, s, e))
    return spans


def _bare(span: Span) -> list[str]:
    words = span.text.split()
    if words and fold(words[0]) in HONORIFICS:
        words = words[1:]
    return words


def persons(ctx: DocContext) -> list[EntityMention]:
    spans = _person_spans(ctx)
    clusters: dict[str, list[Span]] = {}
    firsts: dict[str, set[str]] = {}
    for sp in spans:  # full names first: they found the clusters
        words = _bare(sp)
        if len(words) >= 2:
            key = name_key(words[-1])
            clusters.setdefault(key, []).append(sp)
            firsts.setdefault(name_key(words[0]), set()).add(key)
    for sp in spans:
        words = _bare(sp)
        if len(words) != 1:
            continue
        k = name_key(words[0])
        if k in clusters:
            clusters[k].append(sp)
        elif len(firsts.get(k, ())) == 1:
            clusters[next(iter(firsts[k]))].append(sp)
        else:
            clusters.setdefault(k, []).append(sp)
    out: list[EntityMention] = []
    for key, members in clusters.items():
        full = [" ".join(_bare(m)) for m in members if len(_bare(m)) >= 2]
        pool = full or [" ".join(_bare(m)) for m in members]
        canonical = Counter(pool).most_common(1)[0][0]
        if canonical.islower():
            canonical = canonical.title()
        words = canonical.split()
        if len(words) >= 2:
            pkey = f"name:{name_key(words[0])} {name_key(words[-1])}"
        elif fold(words[0]) in ctx.given_names:  # "Maksim": only within this document
            pkey = f"name:{ctx.document_id}#{name_key(words[0])}"
        else:
            pkey = f"name:{name_key(words[0])}"
        out += [EntityMention("person", canonical, m, pkey) for m in members]
    return out


def organizations(ctx: DocContext, person_spans: list[Span]) -> list[EntityMention]:
    taken = [(m.span.start, m.span.end) for s in ctx.sentences for m in s.enterprises]
    taken += [(p.span.start, p.span.end) for s in ctx.sentences for p in s.places]
    taken += [(p.start, p.end) for p in person_spans]
    out = []
    for ent in ctx.doc.ents:
        if ent.label_ != "ORG":
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < b and a < e for a, b in taken) or len(ent.text.strip()) < 2:
            continue
        span = Span.of(ctx.text, s, e)
        out.append(EntityMention("organization", span.text.strip(), span))
    return out


def entity_mentions(ctx: DocContext, events: list[EventMention]) -> list[EntityMention]:
    out = persons(ctx)
    out += organizations(ctx, [m.span for m in out])
    for sent in ctx.sentences:
        out += [EntityMention("workplace", m.enterprise.name, m.span, f"kb:{m.enterprise.key}")
                for m in sent.enterprises]
        out += [EntityMention("place", p.place.name, p.span,
                              f"geo:{p.place.geonameid}" if p.place.geonameid else None)
                for p in sent.places]
    seen = {(m.span.start, m.span.end) for m in out}
    for ev in events:
        wp = ev.workplace
        if wp is not None and wp.enterprise is None and (wp.span.start, wp.span.end) not in seen:
            out.append(EntityMention("workplace", wp.name, wp.span))
            seen.add((wp.span.start, wp.span.end))
    return sorted(out, key=lambda m: (m.span.start, m.span.end, m.type))
