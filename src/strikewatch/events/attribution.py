"""Who claims a figure: the source a count mention is attributed to.

``attribute(sent, mention=...)`` returns an :class:`Attribution` (the source as written, with
its span in document offsets) or ``None``.  Rules, first match wins:

a. **explicit** in the sentence: "according to X", "X says/said/states/claims/reports/told/
   estimated/added", "..., said X", "as X put it".  With several, the one whose reporting
   verb governs the figure wins, else the one closest to it.  The source is kept as written,
   trimmed of appositions and trailing clauses ("Jezji Grigentja, one of the opposition
   leaders in Grodno, says" -> "Jezji Grigentja").  "he"/"she" are resolved to the last
   named person in the same or the two preceding paragraphs; unresolved pronouns give no
   attribution under this rule.
b. **quote**: the sentence is part of a quotation — it starts with a dash or an opening
   quote mark, or its paragraph holds a closing "..., says X" / "..., X said" — and the
   speaker is that closer's X (the next one in the paragraph, else the previous one), else,
   for a dash/quote-mark sentence, the speaker introduced by the immediately preceding
   paragraph's reporting verb.  A quotation that runs on over paragraphs (a paragraph that
   opens a quote and does not close it, the next one opening with a quote mark again) keeps
   the speaker of the paragraph that opened it: the reporting verb before the open quote
   ("Irina Moroz said: “..."), else the named person introducing it ("Irina Moroz described
   the night: “...").
c. **witness**: for participant counts, a named person counted among the participants
   ("juras and about 800 other workers ... downed tools" -> "juras").
d. otherwise ``None``.

Document-level work (paragraphs, reporting verbs of every sentence, known speaker names) is
done once per ``Doc`` by :func:`speaker_index` and cached (weakly, per ``Doc``); a call to
:func:`attribute` then costs O(length of the sentence) (O(paragraph) for rule b).
"""
from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strikewatch.events.counts import PERSON_NOUNS
from strikewatch.types import CountMention, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["Attribution", "SpeakerIndex", "attribute", "speaker_index", "REPORTING_VERBS"]

REPORTING_VERBS: frozenset[str] = frozenset({
    "say", "state", "claim", "report", "tell", "estimate", "add", "announce", "write",
    "confirm", "note", "insist", "allege", "explain", "declare", "assert", "count",
    "recall", "stress", "tweet", "warn", "complain", "recount", "testify", "acknowledge",
    "admit", "reckon", "calculate", "put", "told", "said", "says", "stated", "states",
    "claims", "claimed", "reported", "reports", "estimated", "estimates", "added", "adds",
})
_INVERTED_VERBS = ("said", "says", "say", "stated", "states", "added", "adds", "claimed",
                   "claims", "told", "explained", "explains", "insisted", "insists",
                   "noted", "notes", "reported", "reports", "wrote", "writes", "recalled",
                   "recalls", "estimated", "estimates", "continued", "continues", "asked",
                   "asks", "warned", "warns", "stressed", "stresses", "complained")
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "him", "her", "them", "you"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_DASHES = ("-", "–", "—", "―", "‒")
_OPEN_QUOTES = ('"', "“", "«", "„", "'", "‘", "‹")
_PARA_RE = re.compile(r"\n[^\S\n]*\n\s*")
_NP_EXCLUDE = frozenset({"prep", "relcl", "acl", "punct", "advcl", "parataxis", "ccomp",
                         "xcomp", "dep", "mark", "aux", "auxpass", "neg", "npadvmod"})
_NAME_STOP = frozenset({"that", "on", "in", "at", "to", "of", "for", "with", "who", "which",
                        "when", "and", "but", "after", "before", "from", "during", "as",
                        "by", "the", "a", "an", "it", "this", "there", "then", "about"})
_BAD_NAME_ENTS = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "CARDINAL",
                            "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT", "LAW"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who claims a figure: the source as written, where it is written, and which rule."""

    source: str
    span: Span
    rule: str = "explicit"  # explicit | quote | witness


@dataclass(frozen=True, slots=True)
class _Cand:
    source: str
    start: int
    end: int
    verb: int | None  # token index of the reporting verb (None for "according to")
    kind: str  # according | subject | inverted | put
    closer: bool  # "..., said X" / "..., X said." at the end of its segment


@dataclass(slots=True)
class SpeakerIndex:
    """Per-document precomputation for :func:`attribute` (build with :func:`speaker_index`)."""

    seg_starts: list[int]  # char offset where each segment starts (sorted)
    seg_ends: list[int]
    seg_tokens: list[tuple[int, int]]  # token range [lo, hi) of each segment
    seg_para: list[int]
    seg_quote: list[bool]  # starts with a dash or an opening quote mark
    seg_cands: list[tuple[_Cand, ...]]
    para_segs: list[list[int]]
    names: set[str] = field(default_factory=set)  # lower-cased names of known speakers/persons
    para_starts: list[int] = field(default_factory=list)  # char offset of each paragraph
    para_opens: list[bool] = field(default_factory=list)  # starts with an opening quote mark
    para_open_at: list[int] = field(default_factory=list)  # quote left open at its end, or -1
    subjects: list[tuple[int, int, str]] = field(default_factory=list)  # named subjects, sorted

    def segment_at(self, pos: int) -> int:
        k = bisect.bisect_right(self.seg_starts, pos) - 1
        return max(0, min(k, len(self.seg_starts) - 1))


# --------------------------------------------------------------------------------------
# Noun-phrase extraction
# --------------------------------------------------------------------------------------


def _np_tokens(head: "Token") -> tuple[int, int]:
    """Token range [a, b] of the noun phrase headed by ``head``, trimmed of appositions set
    off by commas, prepositional phrases and clauses."""
    keep: set[int] = set()

    def visit(t: "Token") -> None:
        keep.add(t.i)
        for c in t.children:
            if c.dep_ in _NP_EXCLUDE:
                continue
            if c.dep_ == "appos":
                # "site Onliner" is part of the name; ", one of the leaders," is not
                lo_, hi_ = sorted((t.i, c.left_edge.i))
                doc = t.doc
                if any(doc[k].text in (",", "(", "—", "–", "-") for k in range(lo_, hi_ + 1)):
                    continue
            visit(c)  # det, amod, compound, poss, case, cc, conj, nummod ...

    visit(head)
    a = b = head.i
    while a - 1 in keep:
        a -= 1
    while b + 1 in keep:
        b += 1
    doc = head.doc
    # no dangling "and"/"," at either end
    while b > a and (doc[b].dep_ in ("cc", "punct") or doc[b].is_punct):
        b -= 1
    while a < b and (doc[a].dep_ in ("cc", "punct") or doc[a].is_punct):
        a += 1
    return a, b


# --------------------------------------------------------------------------------------
# Reporting-verb candidates in one segment
# --------------------------------------------------------------------------------------


def _segment_cands(doc: "Doc", lo: int, hi: int, text: str) -> list[_Cand]:
    cands: list[_Cand] = []
    last_content = hi - 1
    while last_content > lo and (doc[last_content].is_punct or doc[last_content].is_space):
        last_content -= 1
    for i in range(lo, hi):
        t = doc[i]
        low = t.lower_
        # "according to X"
        if low == "according" and i + 1 < hi and doc[i + 1].lower_ == "to":
            pobj = next((c for c in doc[i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None and lo <= pobj.i < hi:
                a, b = _np_tokens(pobj)
            else:
                a = i + 2
                b = a
                while b + 1 < hi and not doc[b + 1].is_punct and doc[b + 1].pos_ not in ("VERB", "AUX") and doc[b + 1].lower_ not in _NAME_STOP:
                    b += 1
                if a >= hi:
                    continue
            a = max(a, i + 2)
            if a <= b < hi:
                s, e = doc[a].idx, doc[b].idx + len(doc[b])
                cands.append(_Cand(text[s:e], s, e, None, "according", False))
            continue
        lem = t.lemma_.lower()
        if lem not in REPORTING_VERBS and low not in REPORTING_VERBS:
            continue
        if t.pos_ not in ("VERB", "AUX") and not t.tag_.startswith("VB"):
            continue
        if lem == "put" or low == "put":
            # only "as X put it"
            if not (i + 1 < hi and doc[i + 1].lower_ == "it"):
                continue
        prev = doc[i - 1] if i - 1 >= lo else None
        inverted_ctx = prev is not None and (prev.text in (",", "\"", "”", "’", "'", "»") or prev.is_quote)
        subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.i < hi
                    and c.tag_ != "PRP$"]
        if not subjects and t.dep_ == "conj" and lo <= t.head.i < hi:
            # "The police put the crowd at 3,000 and said 41 had been detained"
            subjects = [c for c in t.head.children if c.dep_ == "nsubj" and lo <= c.i < hi
                        and c.tag_ != "PRP$"]
        after_subj = [c for c in subjects if c.i > i]
        subj = after_subj[0] if (inverted_ctx and after_subj) else (
            max((c for c in subjects if c.i < i), key=lambda c: c.i, default=None) or
            (after_subj[0] if after_subj else None))
        if subj is not None and subj.dep_ == "nsubjpass":
            subj = None  # "it was reported": no source
        if subj is not None and subj.lower_ in ("it", "there", "this", "that", "which", "what"):
            subj = None
        kind = "subject"
        a = b = -1
        if subj is not None:
            a, b = _np_tokens(subj)
            if subj.i > i:
                kind = "inverted"
            if lem == "put":
                kind = "put"
        elif inverted_ctx and low in _INVERTED_VERBS:
            # parser missed the subject of "..., stated juras."  Take the name words after it.
            a = i + 1
            b = a - 1
            while b + 1 < hi and b + 1 - a < 4:
                n = doc[b + 1]
                if n.is_punct or n.is_space or n.lower_ in _NAME_STOP or n.like_num:
                    break
                if n.pos_ in ("VERB", "AUX") and n.tag_ not in ("NNS", "NN", "NNP"):
                    break
                b += 1
            if b < a:
                continue
            after = doc[b + 1] if b + 1 < hi else None
            if after is not None and not (after.is_punct or after.lower_ in ("on", "in", "at", "to", "who", "from", "during", "after", "when")):
                continue
            kind = "inverted"
        else:
            continue
        if a < lo or b >= hi or a > b:
            continue
        s, e = doc[a].idx, doc[b].idx + len(doc[b])
        src = text[s:e]
        closer = False
        if kind == "inverted" and inverted_ctx:
            closer = True
        elif kind == "subject" and i >= last_content - 1 and a > lo and doc[a - 1].text in (",", "\"", "”", "'", "’"):
            closer = True  # "..., he said."
        cands.append(_Cand(src, s, e, i, kind, closer))
    return cands


# --------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------


_BLANK_RE = re.compile(r"\n[^\S\n]*\n")


def _segments(doc: "Doc") -> list[tuple[int, int]]:
    """Sentences of the parse, split again at blank lines: token ranges, trimmed of space."""
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        lo = sent.start
        for i in range(sent.start, sent.end):
            t = doc[i]
            if t.is_space and _BLANK_RE.search(t.text):
                if i > lo:
                    out.append((lo, i))
                lo = i + 1
        if sent.end > lo:
            out.append((lo, sent.end))
    cleaned = []
    for lo, hi in out:
        while lo < hi and doc[lo].is_space:
            lo += 1
        while hi > lo and doc[hi - 1].is_space:
            hi -= 1
        if hi > lo:
            cleaned.append((lo, hi))
    return cleaned


_ROLE_WORDS = frozenset({
    "leader", "operator", "worker", "strike", "machine", "activist", "spokesman",
    "spokeswoman", "spokesperson", "head", "chairman", "chair", "president", "member",
    "committee", "police", "officials", "official", "authorities", "witness", "witnesses",
    "organiser", "organisers", "organizer", "organizers", "union", "site", "news", "agency",
    "ministry", "minister", "mr", "mrs", "ms", "dr", "director", "manager", "driver",
    "engineer", "employee", "source", "sources", "observers", "monitors", "group", "centre",
    "center", "fellow", "expert", "experts", "analyst", "aide", "one", "some", "many",
    "people", "he", "she", "they", "we", "i", "you", "it", "its", "who", "everybody",
    "everyone", "nobody", "someone", "anyone", "government", "regime", "administration",
})


def _name_part(doc: "Doc", start: int, end: int, text: str) -> tuple[int, int, str] | None:
    """The personal name at the end of a source ("strike leader Vadim Vensky" -> "Vadim
    Vensky", "juras" -> "juras"), or None when the source is a description."""
    toks = doc.char_span(start, end, alignment_mode="expand")
    if toks is None or not len(toks):
        return None
    words = list(toks)
    if words[-1].text[:1].isupper():
        k = len(words)
        while k - 1 >= 0 and (words[k - 1].pos_ == "PROPN" or words[k - 1].ent_type_ == "PERSON") \
                and words[k - 1].text[:1].isupper() and words[k - 1].lower_ not in _ROLE_WORDS:
            k -= 1
        name = words[k:]
        if not name or name[0].ent_type_ in _BAD_NAME_ENTS:
            return None
        if len(name) == len(words) or words[k - 1].lower_ not in ("the", "a", "an"):
            s, e = name[0].idx, name[-1].idx + len(name[-1])
            return s, e, text[s:e]
        return None
    # lower-cased copy: "juras", "katia glod" — short, no determiner, no role word
    if len(words) <= 3 and all(w.is_alpha and w.text.islower() and w.lower_ not in _ROLE_WORDS
                               and w.pos_ in ("NOUN", "PROPN", "X", "ADJ") for w in words):
        if not any(w.lemma_.lower() in PERSON_NOUNS or w.lower_ in PERSON_NOUNS for w in words):
            return start, end, text[start:end]
    return None


_QUOTE_OPEN = frozenset("“«")
_QUOTE_CLOSE = frozenset("”»")


def _open_quote_at(par: str) -> int:
    """Offset in ``par`` of a quotation still open at its end, or -1 ('"' toggles)."""
    open_at = -1
    for k, ch in enumerate(par):
        if ch in _QUOTE_OPEN or ch == '"' and open_at < 0:
            open_at = k
        elif ch in _QUOTE_CLOSE or ch == '"':
            open_at = -1
    return open_at


# Built indexes, keyed weakly by Doc: not in ``doc.user_data``, which spaCy serialises
# (``Doc.to_bytes``, ``DocBin``) and which could not hold this object.
_INDEXES: "weakref.WeakKeyDictionary[Doc, SpeakerIndex]" = weakref.WeakKeyDictionary()


def speaker_index(doc: "Doc") -> SpeakerIndex:
    """Build (once per ``Doc``) and cache the document-level index :func:`attribute` needs.

    Costs one pass over the document; later calls for the same ``Doc`` return the cached
    object.  The cache holds the ``Doc`` weakly.
    """
    cached = _INDEXES.get(doc)
    if cached is not None:
        return cached
    text = doc.text
    para_starts = [0] + [m.end() for m in _PARA_RE.finditer(text)]
    segs = _segments(doc)
    seg_starts, seg_ends, seg_para, seg_quote, seg_cands = [], [], [], [], []
    para_segs: dict[int, list[int]] = {}
    names: set[str] = set()
    for k, (lo, hi) in enumerate(segs):
        s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
        seg_starts.append(s)
        seg_ends.append(e)
        p = bisect.bisect_right(para_starts, s) - 1
        seg_para.append(p)
        para_segs.setdefault(p, []).append(k)
        first = text[s:s + 2]
        seg_quote.append(first[:1] in _DASHES and (len(first) < 2 or first[1].isspace() or first[1] in _OPEN_QUOTES) or first[:1] in _OPEN_QUOTES)
        cands = _segment_cands(doc, lo, hi, text)
        seg_cands.append(cands)
        for c in cands:
            if c.kind in ("subject", "inverted"):
                name = _name_part(doc, c.start, c.end, text)
                if name is not None:
                    names.add(name[2].lower())
                    names.update(name[2].lower().split())
    # named sentence subjects, for pronoun resolution
    named_subjects: list[tuple[int, int, str]] = []  # (start, end, text)
    for k, (lo, hi) in enumerate(segs):
        for i in range(lo, hi):
            t = doc[i]
            if t.dep_ in ("nsubj", "nsubjpass") and (t.pos_ == "PROPN" or t.ent_type_ == "PERSON" or t.lower_ in names) and t.lower_ not in PRONOUNS and t.ent_type_ not in _BAD_NAME_ENTS:
                a, b = _np_tokens(t)
                # keep the name words only
                while a < t.i and doc[a].pos_ not in ("PROPN",) and doc[a].lower_ not in names and doc[a].ent_type_ != "PERSON":
                    a += 1
                s, e = doc[a].idx, doc[b].idx + len(doc[b])
                named_subjects.append((s, e, text[s:e]))
        for c in seg_cands[k]:
            if c.source.lower() not in PRONOUNS and c.source.lower() in names:
                named_subjects.append((c.start, c.end, c.source))
    named_subjects.sort()
    subj_starts = [x[0] for x in named_subjects]
    # resolve he/she
    resolved_cands: list[tuple[_Cand, ...]] = []
    for k, cands in enumerate(seg_cands):
        out = []
        for c in cands:
            if c.source.lower() in PRONOUNS:
                if c.source.lower() not in _PERSON_PRONOUNS:
                    continue
                # the last named subject before the pronoun, at most two paragraphs back
                j = bisect.bisect_left(subj_starts, c.start) - 1
                if j < 0:
                    continue
                s, e, name = named_subjects[j]
                if seg_para[k] - (bisect.bisect_right(para_starts, s) - 1) > 2:
                    continue
                c = _Cand(name, s, e, c.verb, c.kind, c.closer)
            out.append(c)
        resolved_cands.append(tuple(out))
    para_opens, para_open_at = [], []
    for p, ps in enumerate(para_starts):
        par = text[ps:para_starts[p + 1] if p + 1 < len(para_starts) else len(text)]
        para_opens.append(par.lstrip()[:1] in ('"', "“", "«"))
        k = _open_quote_at(par)
        para_open_at.append(ps + k if k >= 0 else -1)
    idx = SpeakerIndex(seg_starts, seg_ends, segs, seg_para, seg_quote, resolved_cands,
                       [para_segs.get(p, []) for p in range(len(para_starts))], names,
                       para_starts, para_opens, para_open_at, named_subjects)
    _INDEXES[doc] = idx
    return idx


# --------------------------------------------------------------------------------------
# attribute()
# --------------------------------------------------------------------------------------


def _best(cands: tuple[_Cand, ...], doc: "Doc", mention: CountMention | None) -> _Cand | None:
    if not cands:
        return None
    if mention is None:
        return cands[0]
    ms, me = mention.span.start, mention.span.end
    core = doc.char_span(ms, me, alignment_mode="expand")
    ancestors: set[int] = set()
    if core is not None and len(core):
        ancestors = {a.i for a in core[-1].ancestors}
    governing = [c for c in cands if c.verb is not None and c.verb in ancestors]
    pool = governing or list(cands)

    def dist(c: _Cand) -> int:
        if c.end <= ms:
            return ms - c.end
        if c.start >= me:
            return c.start - me
        return 0

    return min(pool, key=dist)


def _make(doc: "Doc", source: str, start: int, end: int, rule: str) -> Attribution:
    # ``source`` is the document text at [start, end) (never re-read Doc.text: O(document))
    return Attribution(source, Span(start, end, source), rule)


def _prev_para(idx: SpeakerIndex, para: int) -> int:
    """The closest paragraph before ``para`` that holds text, or -1."""
    p = para - 1
    while p >= 0 and not (p < len(idx.para_segs) and idx.para_segs[p]):
        p -= 1
    return p


def _continued_speaker(doc: "Doc", idx: SpeakerIndex, para: int) -> _Cand | None:
    """Speaker of a quotation that ``para`` continues ("“..." after a paragraph that left
    its quote open), looking back through a run of continued paragraphs."""
    for _ in range(12):
        if not (para < len(idx.para_opens) and idx.para_opens[para]):
            return None
        para = _prev_para(idx, para)
        if para < 0 or idx.para_open_at[para] < 0:
            return None
        open_at = idx.para_open_at[para]
        before = [c for k in idx.para_segs[para] for c in idx.seg_cands[k]
                  if c.kind != "according" and c.start < open_at]
        if before:
            return before[-1]
        # "Irina Moroz described the night: “...": the named person introducing the quote
        ps = idx.para_starts[para]
        j = bisect.bisect_left(idx.subjects, (open_at,)) - 1
        if j >= 0 and idx.subjects[j][0] >= ps:
            s, e, name = idx.subjects[j]
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None and (any(t.ent_type_ == "PERSON" for t in span)
                                     or name.lower() in idx.names):
                return _Cand(name, s, e, None, "subject", False)
    return None


def _quote_speaker(doc: "Doc", idx: SpeakerIndex, seg: int) -> _Cand | None:
    para = idx.seg_para[seg]
    segs = idx.para_segs[para] if para < len(idx.para_segs) else []
    closers = [(k, c) for k in segs for c in idx.seg_cands[k] if c.closer]
    if closers:
        after = [(k, c) for k, c in closers if k >= seg]
        if after:
            return after[0][1]
        return closers[-1][1]
    cont = _continued_speaker(doc, idx, para)
    if cont is not None:
        return cont
    if idx.seg_quote[seg] or (segs and idx.seg_quote[segs[0]]):
        # the speaker introduced by the previous paragraph's reporting verb
        prev_para = para - 1
        while prev_para >= 0 and not (prev_para < len(idx.para_segs) and idx.para_segs[prev_para]):
            prev_para -= 1
        if prev_para >= 0:
            for k in reversed(idx.para_segs[prev_para]):
                named = [c for c in idx.seg_cands[k] if c.kind != "according"]
                if named:
                    return named[-1]
    return None


def _witness(doc: "Doc", idx: SpeakerIndex, mention: CountMention, lo: int) -> Attribution | None:
    cs = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if cs is None or not len(cs):
        return None
    first = cs.start
    # lexical: "<Name> and <number> ...", "<Name>, along with <number>", "<Name> together with"
    j = first - 1
    while j >= lo and doc[j].is_space:
        j -= 1
    if j < lo:
        return None
    link = doc[j]
    if link.lower_ == "with" and j - 1 >= lo and doc[j - 1].lower_ in ("along", "together"):
        j -= 2
        if j >= lo and doc[j].text == ",":
            j -= 1
    elif link.lower_ in ("and", "&"):
        j -= 1
    else:
        return None
    if j < lo:
        return None
    # "X and 300 other workers": "other" says X is one of them, whatever NER thinks of X
    other = any(t.lower_ in ("other", "others", "fellow") for t in doc[cs.end:min(cs.end + 3, len(doc))])

    def name_like(t: "Token") -> bool:
        if t.lower_ in _NAME_STOP or t.lower_ in _ROLE_WORDS or not t.is_alpha:
            return False
        if t.lower_ in idx.names or t.ent_type_ == "PERSON":
            return True
        if t.pos_ == "PROPN" and t.text[:1].isupper():
            return other or t.ent_type_ not in _BAD_NAME_ENTS
        # lower-cased copy: a bare word that is not a common noun for people
        return other and t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in PERSON_NOUNS \
            and t.lower_ not in PERSON_NOUNS and (
                t.i - 1 < lo or doc[t.i - 1].pos_ not in ("DET", "ADJ", "NUM", "PRON"))

    end_tok = doc[j]
    if not name_like(end_tok):
        return None
    a = j
    while a - 1 >= lo and name_like(doc[a - 1]) and doc[a - 1].pos_ in ("PROPN", "NOUN"):
        a -= 1
    # the name must open the subject: nothing but a clause boundary before it
    s, e = doc[a].idx, end_tok.idx + len(end_tok)
    return _make(doc, doc[a:j + 1].text, s, e, "witness")


def attribute(sent: "SpacySpan", *, mention: CountMention | None = None,
              index: SpeakerIndex | None = None) -> Attribution | None:
    """Who claims the figure ``mention`` (or, without one, the sentence's main claim).

    ``sent`` is the spaCy sentence the mention stands in; ``index`` is
    :func:`speaker_index` of its document (built and cached on first use if omitted).
    """
    doc = sent.doc
    idx = index if index is not None else speaker_index(doc)
    if mention is not None:
        pos = mention.span.start
    else:
        stext = sent.text
        pos = sent.start_char + (len(stext) - len(stext.lstrip()))
    seg = idx.segment_at(pos)
    lo, hi = idx.seg_tokens[seg]

    # (a) explicit
    c = _best(idx.seg_cands[seg], doc, mention)
    if c is not None:
        return _make(doc, c.source, c.start, c.end, "explicit")
    # (b) quotation
    q = _quote_speaker(doc, idx, seg)
    if q is not None:
        return _make(doc, q.source, q.start, q.end, "quote")
    # (c) a named participant who witnessed it
    if mention is not None and mention.field == "participants":
        w = _witness(doc, idx, mention, lo)
        if w is not None:
            return w
    return None
