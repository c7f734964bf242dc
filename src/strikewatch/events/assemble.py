"""From one parsed document to its event mentions.

Sentence by sentence: triggers open events; workplaces split a sentence into one event each
(an enumeration of plants in several towns gives one event per plant, each with its own town);
a sentence that only adds figures, or tells the same event again, extends the event before it
("they gathered at the gate" / "32 were arrested" / "several were beaten" is one event).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from strikewatch.events.attribution import REPORTING_VERBS, attribute
from strikewatch.events.clauses import describes_other
from strikewatch.events.counts import find_counts
from strikewatch.events.dates import find_dates, is_historical
from strikewatch.events.roles import (
    WORKPLACE_NOUNS,
    bare_workplace_reference,
    find_actors,
    WORKFORCE,
    actor_tokens,
    find_demands,
    generic_workplaces,
    named_employers,
    says_demands,
)
from strikewatch.events.triggers import TYPE_RANK, Trigger, find_triggers, unreal
from strikewatch.events.context import DocContext, Sentence
from strikewatch.ids import fold
from strikewatch.types import (
    COUNT_FIELDS,
    Claim,
    Count,
    DateValue,
    Demand,
    EventMention,
    Place,
    Span,
    Workplace,
)

_NEXT_DAY = re.compile(r"\b(?:the\s+(?:following|next)\s+day|a\s+day\s+later|"
                       r"the\s+day\s+after)\b", re.I)
# time words that say a sentence is about another time, though no date could be read from it
_TIME_CUE = re.compile(r"\b(?:before|earlier|previous|prior|later|afterwards|ago|last|next|"
                       r"since|night|evening|morning|week|weeks|month|months|year|years)\b", re.I)
_SAME_DAY = re.compile(r"\b(?:(?:on\s+)?the\s+same\s+(?:day|morning|afternoon|evening|night)|"
                       r"later\s+(?:that|in\s+the)\s+day|that\s+(?:same\s+)?(?:day|evening))\b",
                       re.I)
_PREVIOUS_DAY = re.compile(r"\b(?:the\s+(?:day|evening|night|morning)\s+before|the\s+previous\s+"
                           r"(?:day|evening|night)|a\s+day\s+earlier)\b", re.I)
# The trained classifier's say over the trigger rules (probabilities that the sentence reports an
# event that happened), set on realnews (a sweep of 0.2/0.35/0.5 and 0.65/0.8/0.9), never on the
# held-out third-party sets.
REJECT_BELOW = 0.5   # a rule trigger in a sentence the classifier scores under this is dropped,
HARD_REJECT_BELOW = 0.2  # under this if it names who acted; never if it names a known enterprise
ACCEPT_FROM = 0.8    # a sentence with no rule trigger opens an event from this score up
# a document's first event may have no anchor (no place, actors or figures: "The strike began on
# Monday.") from this score up; set on realnews, where 0.8 and 0.9 each added a wrong event and
# 0.95 none
ANCHORLESS_FROM = 0.95
RETYPE_FROM = 0.6    # the classifier's riot outranks the rules' protest from this type score
CASUALTY_FIELDS = frozenset({"arrests", "injuries", "deaths"})
# who was detained or hurt says what kind of event it came of
RIOT_AGENTS = frozenset("rioters rioter mob mobs looters arsonists rioting riots riot".split())
# what a country does in a report when it is not where the event is: "the United States condemned"
COUNTRY_ACTS = REPORTING_VERBS | frozenset("condemn criticise criticize urge call demand accuse "
                                           "deny".split())
PROTEST_AGENTS = frozenset("""protesters protester protestors demonstrators demonstrator strikers
picketers marchers activists protest protests demonstration demonstrations rally strike""".split())
SUMMARY_WORDS = frozenset("""dozens several many numerous handful various scores some
rare""".split())
CONTINUATION_WINDOW = 3  # sentences; tuned on tests/data/reports (t02: gate, arrests, beatings)
NEAR_PLACE_CHARS = 40  # "Naftan in Novopolotsk": a town this close after a workplace is its town


@dataclass
class Draft:
    """An event being assembled (mutable until frozen into an EventMention)."""

    type: str
    evidence: list[Span]
    workplace: Workplace | None = None
    actors: list[str] = field(default_factory=list)
    place: Place | None = None
    place_span: Span | None = None
    date: DateValue | None = None  # an explicit date phrase
    claims: dict[str, list[Claim]] = field(default_factory=dict)
    demands: list[Demand] = field(default_factory=list)
    last_sentence: int = 0
    paragraph: int = 0

    def key(self) -> str | None:
        if self.workplace is None:
            return None
        wp = self.workplace
        return f"kb:{wp.enterprise.key}" if wp.enterprise else fold(wp.name)

    def add_sentence(self, sent: Sentence) -> None:
        if sent.span not in self.evidence:
            self.evidence.append(sent.span)
        self.last_sentence = sent.index
        self.paragraph = sent.paragraph

    def absorb(self, other: "Draft") -> None:
        if TYPE_RANK[other.type] < TYPE_RANK[self.type]:
            self.type = other.type
        for sp in other.evidence:
            if sp not in self.evidence:
                self.evidence.append(sp)
        self.evidence.sort(key=lambda s: s.start)
        self.workplace = self.workplace or other.workplace
        self.actors += [a for a in other.actors if a not in self.actors]
        if self.place is None or (other.place and _rank(other.place) < _rank(self.place)):
            self.place, self.place_span = other.place, other.place_span
        self.date = self.date or other.date
        for f, claims in other.claims.items():
            mine = self.claims.setdefault(f, [])
            mine += [c for c in claims if c not in mine]
        self.demands += [d for d in other.demands if d.label not in {x.label for x in self.demands}]


def _rank(place: Place) -> int:
    return {"site": 0, "city": 1, "region": 2, "country": 3}.get(place.precision, 9)


def _dates_compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None or a.start is None or b.start is None:
        return True
    a_end, b_end = a.end or a.start, b.end or b.start
    return a.start <= b_end and b.start <= a_end


_ORDINAL_DAY = re.compile(r"\b(?:its|the|a)\s+(second|third|fourth|fifth|sixth|seventh|\d+(?:st|nd|rd|th))"
                          r"\s+(?:straight\s+|consecutive\s+)?day\b", re.I)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}


def _ongoing(when: DateValue, text: str, sent: Sentence) -> DateValue:
    """"The strike entered its third day" on 19 August: the event runs 17-19 August."""
    m = _ORDINAL_DAY.search(text, sent.span.start, sent.span.end)
    if m is None or when.start is None or when.precision != "day":
        return when
    word = m.group(1).lower()
    n = _ORDINALS.get(word) or int(re.match(r"\d+", word).group())
    if not 1 < n <= 60:
        return when
    start = (when.end or when.start) - timedelta(days=n - 1)
    return DateValue(start, when.end or when.start, "day", when.text, when.span)


def _workforce(sent: Sentence) -> bool:
    """A sentence that names who acted ("miners", "residents", "protesters")."""
    return bool(actor_tokens(sent.spacy))


def _classified(sent: Sentence, triggers: list[Trigger], ruled_out: bool,
                text: str, live: bool = False) -> tuple[list[Trigger], bool]:
    """The rules' triggers as the classifier corrects them, and whether it rejected the
    sentence: a sentence it scores low loses its triggers (sport, business, military, figurative
    uses); one it scores high gains a trigger of its type at the sentence's root (the lexicon
    misses it) when it names who acted, unless the rules ruled a trigger word of it out
    (negated, planned, balloted, military, sport); its riot, when sure of the type, outranks
    the rules' protest (unsure, the trigger it adds is a protest). A sentence that goes on
    with the ``live`` event ("the industrial action spread to ...") needs only to pass the hard
    floor: the classifier reads it alone, without the event it refers to."""
    v = sent.verdict
    if v is None:
        return triggers, False
    going_on = live and bool(triggers) and _anaphoric(triggers, sent)
    if not sent.enterprises and (v.p_event < HARD_REJECT_BELOW
                                 or v.p_event < REJECT_BELOW and not _workforce(sent)
                                 and not going_on):
        return [], bool(triggers)
    if not triggers and v.p_event >= ACCEPT_FROM and not ruled_out and _workforce(sent) \
            and not unreal(sent.spacy):
        root = sent.spacy.root
        etype = v.type if v.type != "riot" or v.p_type >= RETYPE_FROM else "protest"
        return [Trigger(etype, Span.of(text, root.idx, root.idx + len(root)), root.i)], False
    if v.type == "riot" and v.p_type >= RETYPE_FROM:
        triggers = [Trigger("riot", t.span, t.token_i) if t.type == "protest" else t
                    for t in triggers]
    return triggers, False


def _sure_of(sent: Sentence, threshold: float) -> bool:
    """Whether the classifier scores the sentence an event that happened at `threshold` or
    above (with no classifier: never)."""
    return sent.verdict is not None and sent.verdict.p_event >= threshold


def _counted_apart(current: Draft, place, counts) -> bool:
    """A town with its own crowd count after an event counted without a town: a part of it
    told on its own, a separate event."""
    return (place.place.precision in ("city", "site")
            and (current.place is None or current.place.precision in ("country", "region"))
            and "participants" in current.claims
            and any(f == "participants" for f, _ in counts))


def _listed_kind(sent: Sentence, first) -> str | None:
    """The kind of workplace a list of towns stands for: "major airports like Frankfurt, ...",
    "refineries in Tehran, Arak ..." give "airport", "refinery"."""
    before = [t for t in sent.spacy if t.idx < first.span.start][-8:]
    for tok in reversed(before):
        if tok.tag_ == "NNS" and tok.lower_ in WORKPLACE_NOUNS:
            return tok.lemma_.lower()
    return None


def _listed_towns(places) -> list:
    """The distinct towns a sentence names, in order."""
    out, seen = [], set()
    for p in places:
        if p.place.precision in ("city", "site") and p.place.geonameid not in seen:
            seen.add(p.place.geonameid)
            out.append(p)
    return out


def _country_acting(place, sent: Sentence) -> bool:
    """A country that speaks or acts, not where the event is: "condemnation from the United
    States", "criticised by Russia", "Russia said"."""
    if place.place.precision != "country":
        return False
    span = sent.spacy.doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    return (tok.dep_ == "pobj" and tok.head.lower_ in ("from", "by")) or tok.dep_ == "agent" \
        or (tok.dep_ == "nsubj" and tok.head.lemma_.lower() in COUNTRY_ACTS)


def _anaphoric(triggers, sent: Sentence) -> bool:
    """A trigger that refers back to an event already told: "the walkout", "this strike"."""
    doc = sent.spacy.doc
    heads = [doc[t.token_i].head if doc[t.token_i].dep_ in ("amod", "compound")
             else doc[t.token_i] for t in triggers]  # "the industrial action"
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
               for h in heads for c in h.children)


def _nearest(start: int, end: int, workplaces: list[Workplace]) -> int:
    dist = [max(w.span.start - end, start - w.span.end, 0) for w in workplaces]
    return dist.index(min(dist))


def _types_by_workplace(triggers, workplaces: list[Workplace]) -> dict[int, str]:
    """Each trigger belongs to the nearest workplace of its sentence: "railway workers
    gathered ..., and employees walked out of the lamp plant" is a protest and a strike."""
    out: dict[int, str] = {}
    if len(workplaces) < 2:
        return out
    for t in triggers:
        if t.type == "continue":
            continue
        i = _nearest(t.span.start, t.span.end, workplaces)
        if i not in out or TYPE_RANK[t.type] < TYPE_RANK[out[i]]:
            out[i] = t.type
    return out


def _actors_by_workplace(sent, workplaces: list[Workplace]) -> dict[int, list[str]]:
    """Each actor word belongs to the nearest workplace of its sentence."""
    out: dict[int, list[str]] = {i: [] for i in range(len(workplaces))}
    for tok in actor_tokens(sent):
        i = _nearest(tok.idx, tok.idx + len(tok), workplaces) if len(workplaces) > 1 else 0
        if tok.lower_ not in out[i]:
            out[i].append(tok.lower_)
    return out


class Assembler:
    """Per-document event assembly over a :class:`DocContext`."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.drafts: list[Draft] = []
        self.current: Draft | None = None
        self.last_date: tuple[DateValue, int] | None = None  # the last date phrase, paragraph

    # -- per sentence -------------------------------------------------------------------------

    def run(self) -> list[EventMention]:
        for sent in self.ctx.sentences:
            self._sentence(sent)
        return self._finish()

    def _sentence(self, sent: Sentence) -> None:
        ctx = self.ctx
        dropped: list[Trigger] = []
        triggers = find_triggers(sent.spacy, ctx.text, dropped)
        current = self._live_current(sent)
        triggers, rejected = _classified(sent, triggers, bool(dropped), ctx.text,
                                         current is not None)
        anchors = {t.token_i for t in triggers}
        dates = [d for d in find_dates(ctx.text, sent.span.start, sent.span.end,
                                       published=ctx.published)
                 if d.span is None or not describes_other(sent.spacy, d.span.start, d.span.end,
                                                          anchors)]
        fresh = [d for d in dates if not is_historical(d, ctx.published)]
        if fresh and fresh[-1].start is not None:
            self.last_date = (fresh[-1], sent.paragraph)
        if dates and not fresh:
            return  # "the strikes of 1980": a historical mention
        counts = self._claims(sent)
        if not triggers and current is not None:
            self._refine_place(current, sent)
            if says_demands(ctx.text, sent.span.start, sent.span.end):
                more = find_demands(ctx.text, sent.span.start, sent.span.end)
                known = {d.label for d in current.demands}
                current.demands += [d for d in more if d.label not in known]
                if more:
                    current.add_sentence(sent)
        etype = min((t.type for t in triggers), key=TYPE_RANK.__getitem__) if triggers else None
        when = fresh[0] if fresh else self._context_date(sent)
        if when is not None and triggers:
            when = _ongoing(when, ctx.text, sent)
        own_date = when if when is not None and when.span is not None else None
        if current is None and triggers and self.drafts and _anaphoric(triggers, sent):
            current = self.drafts[-1]  # "The walkout began in the assembly shop ..."
        workplaces = None
        if etype is None and current is not None and not rejected:
            workplaces = self._workplaces(sent)
            if len(workplaces) > 1:
                etype = current.type  # a list of workplaces under a lead that named the action
        if etype is None:
            casualties = [(f, c) for f, c in counts if f in CASUALTY_FIELDS]
            if casualties and current is None and not rejected:
                etype = self._casualties_only(sent, casualties)
                if etype is None:
                    return
            elif rejected or not self._counted_crowd(sent, counts, current, when):
                self._figures_only(sent, counts, current)
                return
            else:
                etype = "protest"  # "about 200 workers of X ...": a crowd counted somewhere new
        if workplaces is None:
            workplaces = self._workplaces(sent)
        if current is not None and _anaphoric(triggers, sent) and len(workplaces) <= 1 \
                and own_date is None:
            # "The chain stretched towards the Belaruskali headquarters": the same event
            self._extend(current, sent, etype if etype != "continue" else current.type,
                         find_actors(sent.spacy), counts,
                         find_demands(ctx.text, sent.span.start, sent.span.end), None, None)
            return
        places = [p for p in sent.places if not any(
            p.span.start < w.span.end and w.span.start < p.span.end for w in workplaces)
            and not _country_acting(p, sent)]
        actors = find_actors(sent.spacy)
        demands = find_demands(ctx.text, sent.span.start, sent.span.end)
        if etype == "continue":  # "X joined in": the type of the event before it
            if not workplaces and current is None:
                return
            etype = self.current.type if self.current is not None else "protest"

        towns = _listed_towns(places)
        if not workplaces and len(towns) > 1 and not (
                _anaphoric(triggers, sent) and current is not None
                and any(t.place == current.place for t in towns)):
            # "marches in Paris, Rennes and Marseille": one event per town; "airports like
            # Frankfurt, Munich and Berlin": one per town's airport
            for town in towns:
                kind = _listed_kind(sent, town)
                draft = Draft(etype, [sent.span], actors=list(actors), date=when,
                              demands=list(demands), last_sentence=sent.index,
                              paragraph=sent.paragraph,
                              workplace=Workplace(f"{town.span.text} {kind}", town.span)
                              if kind else None)
                draft.place, draft.place_span = town.place, town.span
                if town is towns[0]:
                    self._add_claims(draft, counts)
                self._open(draft)
            return
        if not workplaces:
            # "France's biggest union ... a huge protest march in Paris": the town
            new_place = next((p for p in places if p.place.precision in ("city", "site")),
                             places[0] if places else None)
            same_place = (new_place is None or current is None or current.place is None
                          or new_place.place == current.place)
            if same_place and current is not None and new_place is not None \
                    and _counted_apart(current, new_place, counts):
                same_place = False  # "nearly 2 million marched" / "in Rennes, 20,000 marched"
            same_date = own_date is None or (current is not None and current.date is not None
                                             and _dates_compatible(current.date, own_date))
            if current is not None and same_place and same_date:
                self._extend(current, sent, etype, actors, counts, demands, new_place, when)
                return
            if not counts and not actors and new_place is None and (
                    self.drafts or not _sure_of(sent, ANCHORLESS_FROM)):
                return  # a bare mention with nothing to anchor an event
            draft = Draft(etype, [sent.span], actors=list(actors), date=when,
                          demands=list(demands), last_sentence=sent.index,
                          paragraph=sent.paragraph)
            if new_place is not None:
                draft.place, draft.place_span = new_place.place, new_place.span
            else:
                draft.place = ctx.place_before(sent.span.start)
            self._add_claims(draft, counts)
            self._open(draft)
            return

        sentence_place = places[0] if places and places[0].span.start < workplaces[0].span.start \
            else None
        own_types = _types_by_workplace(triggers, workplaces)
        own_actors = _actors_by_workplace(sent.spacy, workplaces)
        for i, wp in enumerate(workplaces):
            seg_end = workplaces[i + 1].span.start if i + 1 < len(workplaces) else sent.span.end
            seg_start = wp.span.start if i else sent.span.start
            own = next((p for p in places if wp.span.end <= p.span.start < seg_end
                        and p.span.start - wp.span.end <= NEAR_PLACE_CHARS), None)
            if own is None and wp.enterprise is None:  # "the Tehran Oil Refinery"
                own = next((p for p in sent.places if wp.span.start <= p.span.start
                            and p.span.end <= wp.span.end
                            and p.place.precision in ("city", "site")), None)
            draft = Draft(own_types.get(i, etype), [sent.span], workplace=wp,
                          actors=own_actors[i], date=when,
                          demands=list(demands), last_sentence=sent.index,
                          paragraph=sent.paragraph)
            self._place_workplace(draft, own, sentence_place, places, len(workplaces) == 1)
            self._add_claims(draft, [(f, c) for f, c in counts if seg_start <= c.span.start < seg_end])
            self._open(draft)

    @staticmethod
    def _refine_place(draft: Draft, sent: Sentence) -> None:
        """An event placed only in a country, told on in the next sentence with a town
        ("clashes in Belarus" / "In Pinsk, young men threw stones"): the town."""
        if draft.workplace is not None or (draft.place is not None
                                           and draft.place.precision != "country"):
            return
        town = next((p for p in sent.places if p.place.precision in ("city", "site")), None)
        if town is not None:
            draft.place, draft.place_span = town.place, town.span
            draft.add_sentence(sent)

    def _counted_crowd(self, sent: Sentence, counts, current: Draft | None,
                       when: DateValue | None) -> bool:
        """Participants counted at a named enterprise, on another day or in a town other than
        the event before: an event even without a trigger word the lexicon knows."""
        if not any(f == "participants" for f, _ in counts) or sent.nationwide:
            return False
        if not self.drafts and not _sure_of(sent, ACCEPT_FROM):
            return False  # "a crowd of 80,000 for a game", "40,000 mourners at a stadium"
        if sent.enterprises:
            return True
        if when is not None and current is not None and current.date is not None \
                and not _dates_compatible(current.date, when):
            return True
        place = next((p for p in sent.places if p.place.precision in ("city", "site")), None)
        return place is not None and (current is None or current.place is None
                                      or place.place != current.place)

    def _casualties_only(self, sent: Sentence, casualties) -> str | None:
        """Arrests, injuries or deaths told apart from any event sentence: claims of the last
        event of the document when there is one (they follow it: "later, 31 were detained");
        else an event of their own when the sentence says they came of a protest or riot
        ("over ten workers and dozens of protesters were detained at the plant"). Returns
        the type of the event to open, or None when the figures were placed."""
        if self.drafts and not sent.nationwide:
            target = self.drafts[-1]
            self._add_claims(target, casualties)
            target.add_sentence(sent)
            return None
        words = {t.lower_ for t in sent.spacy}
        if words & RIOT_AGENTS:
            return "riot"
        if words & PROTEST_AGENTS:
            return "protest"
        return None  # "two men were arrested for robbing a shop": no protest said

    def _figures_only(self, sent: Sentence, counts, current: Draft | None) -> None:
        """Figures with no event of their own add to the event before them, if it is near
        and the sentence is not about somewhere else."""
        if not counts or sent.nationwide or current is None:
            return
        place = next((p for p in sent.places if p.place.precision in ("city", "site")), None)
        if place is not None and current.place is not None and place.place != current.place:
            return
        self._add_claims(current, counts)
        current.add_sentence(sent)

    def _context_date(self, sent: Sentence) -> DateValue | None:
        """No date phrase of its own: "the following day" counts from the last date told;
        otherwise the last date told in the same paragraph holds."""
        if self.last_date is None:
            return None
        last, paragraph = self.last_date
        anchor = self.drafts[-1].date if self.drafts and self.drafts[-1].date else last
        found = None
        text, lo, hi = self.ctx.text, sent.span.start, sent.span.end
        same = _SAME_DAY.search(text, lo, hi)
        if same:  # relative phrases count from the last event told, else the last date
            found = DateValue(anchor.start, anchor.end, anchor.precision, same.group(),
                              Span.of(text, same.start(), same.end()))
        elif anchor.start is not None and anchor.precision == "day":
            for pattern, step in ((_NEXT_DAY, 1), (_PREVIOUS_DAY, -1)):
                m = pattern.search(text, lo, hi)
                if m:
                    day = anchor.start + timedelta(days=step)
                    found = DateValue(day, day, "day", m.group(), Span.of(text, m.start(), m.end()))
                    break
        if found is not None:
            self.last_date = (found, sent.paragraph)
            return found
        if paragraph == sent.paragraph and last.text:
            return DateValue(last.start, last.end, last.precision, last.text)  # inherited: no span
        days = {(d.date.start, d.date.end) for d in self.drafts
                if d.date is not None and d.date.start is not None and d.date.span is not None}
        if len(days) == 1 and not _TIME_CUE.search(text, lo, hi):
            # every event told so far on one day, and no time word that could not be read
            # ("the night earlier than"): "demonstrations took place in Brest, Gomel ..."
            first = next(d.date for d in self.drafts
                         if d.date is not None and d.date.span is not None)
            return DateValue(first.start, first.end, first.precision, first.text)
        return None

    def _live_current(self, sent: Sentence) -> Draft | None:
        cur = self.current
        if cur is None or sent.index - cur.last_sentence > CONTINUATION_WINDOW:
            return None
        return cur

    def _open(self, draft: Draft) -> None:
        self.drafts.append(draft)
        self.current = draft

    def _extend(self, draft: Draft, sent: Sentence, etype: str, actors, counts, demands,
                place, when) -> None:
        if TYPE_RANK[etype] < TYPE_RANK[draft.type] and (
                draft.type == "protest" and etype == "blockade"
                or draft.type in ("protest", "blockade") and etype == "riot"):
            draft.type = etype  # stones thrown at a march make it a riot
        draft.actors += [a for a in actors if a not in draft.actors]
        draft.demands += [d for d in demands if d.label not in {x.label for x in draft.demands}]
        if draft.place is None and place is not None:
            draft.place, draft.place_span = place.place, place.span
        draft.date = draft.date or when
        self._add_claims(draft, counts)
        draft.add_sentence(sent)

    def _place_workplace(self, draft: Draft, own, opening, places, only: bool) -> None:
        """A named enterprise lies in its home town unless the text puts it in another town
        that is not just the region's capital; others take the town the text gives them."""
        ent = draft.workplace.enterprise if draft.workplace else None
        home = self.ctx.home_of(ent) if ent else None
        near = own if home is not None else own or opening
        if home is not None and (near is None or near.place.geonameid == home.geonameid
                                 or self.ctx.is_capital_or_region_of(near.place, home)):
            draft.place = home
        elif near is not None:
            draft.place, draft.place_span = near.place, near.span
        elif places and only:
            draft.place, draft.place_span = places[0].place, places[0].span
        else:
            draft.place = self.ctx.place_before(draft.evidence[0].start)

    def _workplaces(self, sent: Sentence) -> list[Workplace]:
        named = [Workplace(m.enterprise.name, m.span, m.enterprise) for m in sent.enterprises]
        taken = [(w.span.start, w.span.end) for w in named]
        generic = [self._described(name, span, sent) for name, span in
                   generic_workplaces(sent.spacy, self.ctx.text, taken)]
        taken += [(w.span.start, w.span.end) for w in generic]
        generic += [Workplace(name, span) for name, span in
                    named_employers(sent.spacy, self.ctx.text, taken)]
        found = sorted(named + generic, key=lambda w: w.span.start)
        if not found:
            # "the plant" or, within a paragraph, "the workers": the enterprise named before
            last = self.ctx.workplace_before(sent.span.start)
            if last is not None and (
                    bare_workplace_reference(sent.spacy) is not None
                    or (self.ctx.paragraph_of(last.span.start) == sent.paragraph
                        and set(find_actors(sent.spacy)) & WORKFORCE)):
                found = [last]
        return found

    def _described(self, name: str, span: Span, sent: Sentence) -> Workplace:
        """"The chemical plant" after Grodno Azot was named is Grodno Azot; "the meat
        processing plant in Gomel", with its own town, is a workplace of its own."""
        text = self.ctx.text
        definite = text[max(0, span.start - 4):span.start].lower().endswith("the ")
        last = self.ctx.workplace_before(span.start)
        if not definite or last is None or sent.enterprises:
            return Workplace(name, span)
        home = self.ctx.home_of(last.enterprise) if last.enterprise else None
        towns = [p.place for p in sent.places if p.place.precision in ("city", "site")]
        if all(home is not None and t.geonameid == home.geonameid for t in towns):
            return last
        return Workplace(name, span)

    def _claims(self, sent: Sentence) -> list[tuple[str, Claim]]:
        out: list[tuple[str, Claim]] = []
        for cm in find_counts(sent.spacy):
            who = attribute(sent.spacy, mention=cm, index=self.ctx.speakers)
            span = Span.of(self.ctx.text, cm.span.start, cm.span.end)
            out.append((cm.field, Claim(cm.low, cm.high, span, who.source if who else None,
                                        document=self.ctx.document_id, sentence=sent.span)))
        return out

    @staticmethod
    def _add_claims(draft: Draft, claims: list[tuple[str, Claim]]) -> None:
        for f, c in claims:
            bucket = draft.claims.setdefault(f, [])
            if c not in bucket:
                bucket.append(c)

    # -- per document --------------------------------------------------------------------------

    def _finish(self) -> list[EventMention]:
        merged: list[Draft] = []
        only = (self.ctx.workplace_before(len(self.ctx.text))
                if len(self.ctx.enterprise_keys) == 1 else None)
        for d in self.drafts:
            if d.workplace is None and d.type == "strike" and only is not None:
                d.workplace = only  # a strike in a report about one plant is at that plant
            if self._summary(d):
                continue  # "workers at dozens of Belarus's plants stopped work": the events told
            twin = next((m for m in merged if d.key() is not None and m.key() == d.key()
                         and _dates_compatible(m.date, d.date)), None)
            if twin is not None:
                twin.absorb(d)
            else:
                merged.append(d)
        return [self._freeze(d) for d in consolidate(merged)]

    def _summary(self, d: Draft) -> bool:
        """A country-level event told in a sentence that sums up several ("dozens of plants",
        "in several towns", "has become rare"), in a report that tells such events one by one."""
        if d.workplace is not None or d.place is None or d.place.precision != "country":
            return False
        towns = sum(1 for x in self.drafts if x.place is not None
                    and x.place.precision in ("city", "site"))
        if towns < 2:
            return False
        sent = next((x for x in self.ctx.sentences if x.span == d.evidence[0]), None)
        if sent is None:
            return False
        words = {t.lower_ for t in sent.spacy}
        return bool(words & SUMMARY_WORDS) or sent.spacy.root.lemma_ == "become"

    def _freeze(self, d: Draft) -> EventMention:
        when = d.date
        if when is None:
            when = (DateValue(self.ctx.published, self.ctx.published, "day", "")
                    if self.ctx.published else DateValue.unknown())
        counts = {}
        for f in COUNT_FIELDS:
            claims = tuple(sorted(d.claims.get(f, ()), key=lambda c: c.span.start))
            counts[f] = Count.from_claims(claims) if claims else None
        return EventMention(
            document=self.ctx.document_id, type=d.type,  # type: ignore[arg-type]
            evidence=tuple(sorted(d.evidence, key=lambda s: s.start)),
            workplace=d.workplace, actors=tuple(d.actors), location=d.place,
            location_span=d.place_span, date=when, demands=tuple(d.demands), **counts)


# who acted, in words that do not tell one crowd from another
ANY_CROWD = frozenset("""people protesters protester protestors demonstrators demonstrator
crowds crowd participants supporters residents citizens opposition activists marchers""".split())
SAME_KIND = ({"protest", "riot"}, {"protest", "blockade"}, {"blockade", "riot"})


def _kin_types(a: str, b: str) -> bool:
    return a == b or {a, b} in SAME_KIND


def _same_crowd(a: Draft, b: Draft) -> bool:
    mine, theirs = set(a.actors) - ANY_CROWD, set(b.actors) - ANY_CROWD
    return not mine or not theirs or bool(mine & theirs)


def _same_place(a: Draft, b: Draft) -> bool:
    if a.place is None or b.place is None:
        return a.place is b.place
    return a.place.geonameid == b.place.geonameid if a.place.geonameid else a.place == b.place


def _retells(a: Draft, b: Draft) -> bool:
    """Whether ``b``, with no workplace, tells again the event ``a``: the headline, the lead
    and the body of one report each open it ("37 detained at Doctors' March" / "37 doctors ...
    were detained in Minsk on Saturday" / "Doctors gathered at the hospital")."""
    return (b.workplace is None and a.type == b.type and _same_place(a, b)
            and _dates_compatible(a.date, b.date)
            and _same_crowd(a, b))


def consolidate(drafts: list[Draft]) -> list[Draft]:
    """One event per event told within a document: a draft without a workplace joins the draft
    it retells (same kind, place, day and crowd): the one such draft with a workplace, else the
    first; where two workplaces could take it, it stays apart."""
    out = list(drafts)
    changed = True
    while changed:
        changed = False
        for d in sorted(out, key=lambda x: x.workplace is not None):
            if d.workplace is not None:
                continue
            hosts = [m for m in out if m is not d and _retells(m, d)]
            placed = [m for m in hosts if m.workplace is not None]
            if len(placed) > 1 or not hosts:
                continue
            (placed or hosts)[0].absorb(d)
            out.remove(d)
            changed = True
            break
    return out


def assemble(ctx: DocContext) -> list[EventMention]:
    return Assembler(ctx).run()


__all__ = ["assemble", "Assembler"]
