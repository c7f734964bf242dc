"""What the event assembler knows of a whole document: its sentences with the places and
enterprises each names, the document's country, and who speaks where."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from strikewatch.classify.model import SentenceClassifier, Verdict
from strikewatch.events.attribution import speaker_index
from strikewatch.geo.gazetteer import Gazetteer
from strikewatch.geo.knowledge import KnowledgeBase
from strikewatch.ids import fold
from strikewatch.types import Enterprise, EnterpriseMention, Place, PlaceMention, Span, Workplace

_NATIONWIDE = re.compile(r"\b(?:nationwide|across the country|all over the country|"
                         r"throughout the country|in total|in all)\b", re.I)
# Regional capitals stand for their region in reports ("a plant near Minsk"): a named
# enterprise keeps its home town over these.
_CAPITALS = frozenset(fold(n) for n in """Minsk Brest Grodno Hrodna Gomel Homel Mogilev Mahilyow
Mahiliou Vitebsk Viciebsk""".split())


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    paragraph: int
    span: Span
    spacy: object  # spacy.tokens.Span
    places: tuple[PlaceMention, ...]
    enterprises: tuple[EnterpriseMention, ...]
    nationwide: bool
    verdict: Verdict | None = None  # the trained classifier's, when one is given


class DocContext:
    def __init__(self, *, document_id: str, text: str, published: date | None, doc,
                 kb: KnowledgeBase, gazetteer: Gazetteer,
                 given_names: frozenset[str] = frozenset(),
                 classifier: SentenceClassifier | None = None) -> None:
        self.given_names = given_names
        self.document_id = document_id
        self.text = text
        self.published = published
        self.doc = doc
        self.gazetteer = gazetteer
        self.kb = kb
        enterprises = kb.scan(text)
        self.country = self._country(enterprises)
        places = [p for p in gazetteer.scan(text, country=self.country)
                  if not any(e.span.start <= p.span.start < e.span.end for e in enterprises)]
        para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
        self._para_starts = para_starts
        self.sentences: list[Sentence] = []
        sents = [sent for sent in doc.sents if text[sent.start_char:sent.end_char].strip()]
        verdicts = (classifier.classify([text[x.start_char:x.end_char] for x in sents])
                    if classifier is not None else [None] * len(sents))
        for sent, verdict in zip(sents, verdicts):
            s, e = sent.start_char, sent.end_char
            self.sentences.append(Sentence(
                index=len(self.sentences), paragraph=bisect.bisect_right(para_starts, s) - 1,
                span=Span.of(text, s, e), spacy=sent,
                places=tuple(p for p in places if s <= p.span.start < e),
                enterprises=tuple(m for m in enterprises if s <= m.span.start < e),
                nationwide=bool(_NATIONWIDE.search(text, s, e)), verdict=verdict))
        self._places = sorted(places, key=lambda p: p.span.start)
        self._place_starts = [p.span.start for p in self._places]
        self._enterprises = sorted(enterprises, key=lambda m: m.span.start)
        self._ent_starts = [m.span.start for m in self._enterprises]
        self.enterprise_keys = frozenset(m.enterprise.key for m in enterprises)
        self.speakers = speaker_index(doc)
        self._homes: dict[str, Place | None] = {}

    def _country(self, enterprises: list[EnterpriseMention]) -> str | None:
        votes = Counter(m.enterprise.country for m in enterprises)
        if not votes:  # no known enterprise: let the places a scan without a hint finds vote
            votes.update(pm.place.country for pm in self.gazetteer.scan(self.text, country=None))
        return votes.most_common(1)[0][0] if votes else None

    def paragraph_of(self, offset: int) -> int:
        return bisect.bisect_right(self._para_starts, offset) - 1

    def place_before(self, offset: int) -> Place | None:
        """The last city (else region) named before `offset`: the place the text is about."""
        i = bisect.bisect_left(self._place_starts, offset)
        fallback = None
        for pm in reversed(self._places[:i]):
            if pm.place.precision in ("city", "site"):
                return pm.place
            if fallback is None and pm.place.precision == "region":
                fallback = pm.place
        return fallback

    def workplace_before(self, offset: int) -> Workplace | None:
        i = bisect.bisect_left(self._ent_starts, offset)
        if i == 0:
            return None
        m = self._enterprises[i - 1]
        return Workplace(m.enterprise.name, m.span, m.enterprise)

    def home_of(self, ent: Enterprise) -> Place | None:
        if ent.key not in self._homes:
            self._homes[ent.key] = self.gazetteer.resolve(ent.town, country=ent.country)
        return self._homes[ent.key]

    @staticmethod
    def is_capital_or_region_of(place: Place, home: Place) -> bool:
        return (place.precision in ("region", "country")
                or fold(place.name) in _CAPITALS
                or (place.admin1 is not None and place.admin1 == home.admin1
                    and place.name != home.name and fold(place.name) in _CAPITALS))
