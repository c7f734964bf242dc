"""Event triggers: the words that say a strike, protest, blockade or riot took place, and the
contexts that say it did not (negated, hypothetical, threatened, planned, historical)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from strikewatch.events.lexicon import trigger_lexicon
from strikewatch.events.roles import ACTOR_NOUNS
from strikewatch.types import Span

LEXICON = trigger_lexicon("en")
TRIGGERS = LEXICON.triggers
AGENTS = LEXICON.agents
PHRASES = LEXICON.phrases
_BY_FIRST: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}
for _words, _etype in sorted(PHRASES, key=lambda p: -len(p[0])):  # the longest first
    _BY_FIRST[_words[0]] = _BY_FIRST.get(_words[0], ()) + ((_words, _etype),)
_SCORE = LEXICON.score
# the word sets, each described where it is defined (data/lang/en/triggers.toml)
VERB_ONLY = LEXICON["verb_only"]
ROLE_HEADS = LEXICON["role_heads"]
NOT_HAPPENED_HEADS = LEXICON["not_happened_heads"]
DONE_IF_PAST = LEXICON["done_if_past"]
GOALS = LEXICON["goals"]
UNREAL_MODIFIERS = LEXICON["unreal_modifiers"]
MODALS = LEXICON["modals"]
NEGATIONS = LEXICON["negations"]
CONDITIONALS = LEXICON["conditionals"]
MILITARY_MODIFIERS = LEXICON["military_modifiers"]
BUSINESS_CHAIN = LEXICON["business_chain"]
SPORT_WORDS = LEXICON["sport_words"]
SPORT_SENSITIVE = LEXICON["sport_sensitive"]
ROUTES = LEXICON["routes"]
THROW_VERBS = LEXICON["throw_verbs"]
MISSILES = LEXICON["missiles"]
SMASH_VERBS = LEXICON["smash_verbs"]
SMASHED = LEXICON["smashed"]
LIGHT_VERBS = LEXICON["light_verbs"]
FIRES = LEXICON["fires"]
TURN_VERBS = LEXICON["turn_verbs"]
HABITUAL = LEXICON["habitual"]
RIOT_GEAR = LEXICON["riot_gear"]
SHOTS = LEXICON["shots"]
GENERIC_PREPOSITIONS = LEXICON["generic_prepositions"]
PEOPLE_ONLY = LEXICON["people_only"]
MEETING_MODIFIERS = LEXICON["meeting_modifiers"]
PROTEST_LEADERS = LEXICON["protest_leaders"]
WORKFORCE = LEXICON["workforce"]
MONTH_BEFORE = LEXICON["month_before"]
SPORT_DOCUMENT = 3  # sport words in a document that make its sport-sensitive words sport
TYPE_RANK = {"strike": 0, "riot": 1, "blockade": 2, "protest": 3, "other": 4, "continue": 5}


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    span: Span
    token_i: int  # index of the head token in the spaCy Doc


def _shooting(verb) -> bool:
    """"Police fired tear gas at the protesters": fire is shooting there, not dismissing."""
    if verb.lemma_.lower() != "fire":
        return False
    return any(c.lower_ in SHOTS or any(g.lower_ in SHOTS for g in c.subtree)
               for c in verb.children if c.dep_ in ("dobj", "prep", "advmod", "npadvmod"))


def _no_longer(tok) -> bool:
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children)
               for c in tok.children)


def _blocked(tok) -> bool:
    """Does the syntax around this trigger say the event did not (yet) happen?"""
    if any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in tok.children):
        return True
    if _no_longer(tok) or _no_longer(tok.head):
        return True
    if any(c.lower_ in ("no",) and c.dep_ == "det" for c in tok.children):
        return True
    if tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("hypothetical", "possible", "potential",
                                                     "nationwide", "general", "future"):
        if any(t.lower_ in MODALS for t in tok.sent):
            return True
    node = tok
    crossed = False  # above a relative clause only a modal rules the event out: "dismissed
    for _ in range(16):  # workers who went on strike", not "could lead to days when clashes"
        if node.dep_ == "relcl" and node.i != tok.i:
            crossed = True
        head = node.head
        if node.dep_ == "xcomp" and head.lemma_ == "be" and not crossed and any(
                c.lower_ == "to" for c in node.children) and _people_subject(head):
            return True  # "the miners are to gather in the square": planned
        if head.lemma_.lower() in NOT_HAPPENED_HEADS and head.i != tok.i and not (
                head.lemma_.lower() in DONE_IF_PAST and head.tag_ in ("VBD", "VBN")) \
                and not _shooting(head) and not crossed:
            return True
        for c in head.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
                return True
            if crossed:
                continue
            if c.dep_ == "nsubj" and head.lemma_ == "be" and c.lemma_.lower() in GOALS:
                return True  # "their only option is to go on strike"
            if c.dep_ == "neg":
                return True
            if c.dep_ == "mark" and c.lower_ in CONDITIONALS:
                return True
        if node.dep_ == "advcl" and any(c.lower_ in CONDITIONALS for c in node.children):
            return True
        if head.i == node.i:
            break
        node = head
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS for c in tok.children)


def unreal(sent) -> bool:
    """Whether the main predicate of a spaCy sentence, or the clause it reports, says what it
    tells did not (yet) happen: "workers said they would meet on Tuesday to decide", "they plan
    to walk out", "no one was detained"."""
    root = sent.root
    return any(_blocked(p) for p in (root, *(c for c in root.children
                                             if c.dep_ in ("ccomp", "xcomp"))))


def _not_a_blockade(verb) -> bool:
    """"Block" blocks a route or a place, or people do it; else it is no blockade."""
    if verb.lemma_.lower() != "block" or verb.pos_ != "VERB":
        return False
    things = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if any(c.lemma_.lower() in ROUTES or c.ent_type_ in ("GPE", "FAC", "LOC")
           or c.pos_ == "PROPN" for c in things):
        return False
    return not _people_subject(verb)


def _figurative(verb) -> bool:
    """"Demonstrated their belief", "demonstrated that ...": showing, not a demonstration."""
    return verb.lemma_.lower() == "demonstrate" and verb.pos_ == "VERB" and any(
        c.dep_ in ("dobj", "ccomp") for c in verb.children)


def _unreal_modified(tok) -> bool:
    return bool(_modifiers(tok) & UNREAL_MODIFIERS)


def _continues(tok) -> bool:
    """"Workers at MAZ followed on Friday", "students joined in": people or a body follow or
    join; "following the shooting", "their release followed the freeing" is no event."""
    if tok.lemma_.lower() not in ("follow", "join"):
        return True
    if tok.dep_ == "prep":
        return False
    return _people_subject(tok) or any(
        c.dep_ == "nsubj" and (c.ent_type_ in ("ORG", "NORP") or c.pos_ == "PROPN")
        for c in tok.children)


def _objects(verb) -> list:
    """The things a verb acts on: its direct objects and their conjuncts, and what it is aimed
    or done with ("pelted police with stones")."""
    out = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    out += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
            for g in c.children if g.dep_ == "pobj"]
    out += [g for c in out for g in c.conjuncts]
    return out


def _violent(tok) -> bool:
    """A crowd's violence: missiles thrown, windows smashed, fires lit, a protest that "turned
    violent" or a "violent protest"."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" or any(c.dep_ == "dobj" for c in tok.children):  # "light" as ADJ
        objects = _objects(tok)
        things = {t.lemma_.lower() for t in objects}
        things |= {g.lemma_.lower() for t in objects for g in t.children if g.dep_ == "compound"}
        if lemma in THROW_VERBS and things & MISSILES:
            return True
        if lemma in SMASH_VERBS and things & SMASHED:
            return True
        return lemma in LIGHT_VERBS and bool(things & FIRES)
    if lemma != "violent":
        return False
    head = tok.head
    if any(c.lower_ in HABITUAL for c in tok.children):
        return False  # "months of often violent demonstrations"
    if tok.dep_ == "amod":
        return (TRIGGERS.get(head.lemma_.lower()) in ("protest", "riot")
                and not (head.tag_ == "NNS" and head.dep_ == "pobj"
                         and not any(c.dep_ == "det" for c in head.children)))
    if tok.dep_ in ("acomp", "oprd") and head.lemma_.lower() in TURN_VERBS:
        return any(c.dep_ == "nsubj" and (TRIGGERS.get(c.lemma_.lower()) in ("protest", "riot")
                                          or c.lemma_.lower() in AGENTS)
                   for c in head.children)
    return False


def _the_month(tok) -> bool:
    """"In March", "March 8", "23 March 2021" are the month; "a 'Brilliant March' was held" and
    "the march" are marches."""
    if not tok.is_title or tok.i == tok.sent.start:
        return False
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (nxt is not None and nxt.like_num) or (prev is not None and (
        prev.like_num or prev.lower_ in MONTH_BEFORE)) or (
        tok.pos_ == "PROPN" and not any(c.dep_ in ("det", "amod", "compound", "poss")
                                        for c in tok.children)
        and not (prev is not None and prev.is_quote))


def _role(tok) -> bool:
    if tok.dep_ == "compound" and tok.head.lower_ in ROLE_HEADS:
        return True
    return tok.dep_ == "compound" and tok.head.lemma_ in ("committee", "leader", "fund")


def _generic(tok) -> bool:
    """A bare plural after a preposition names events in general, not one that happened."""
    return (tok.tag_ == "NNS" and tok.dep_ == "pobj"
            and tok.head.lower_ in GENERIC_PREPOSITIONS
            and not any(c.dep_ in ("det", "nummod", "poss", "amod") for c in tok.children))


def _people_subject(verb) -> bool:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(c.lower_ in ACTOR_NOUNS or c.lower_ in ("hundreds", "thousands", "dozens")
               or c.ent_type_ in ("NORP", "CARDINAL") for c in subjects)


def _greeted(tok) -> bool:
    """"met by whistles", "greeted with shouts": the noun is the protest."""
    head = tok.head
    return (tok.tag_ == "NNS" and head.lower_ in ("by", "with")
            and head.head.lemma_.lower() in ("meet", "greet", "receive"))


def _modifiers(tok) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "poss")
            and c.i < tok.i}


def _acting(tok) -> bool:
    """An agent noun that tells people acting, not a role: counted ("20,000 demonstrators"),
    or the subject of a verb that happened ("strikers gathered", "protesters were numerous")."""
    if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in tok.children):
        return True
    if tok.dep_ in ("dobj", "pobj") and tok.head.lemma_.lower() in ("count", "number", "report",
                                                                     "estimate", "gather"):
        return True
    head = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and (
        head.tag_ in ("VBD", "VBG", "VBN") or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD"
                                                  for c in head.children)
        or head.lemma_ == "be" and head.tag_ == "VBD")


def _military(tok) -> bool:
    if tok.lemma_.lower() != "strike":
        return False
    mods = _modifiers(tok)
    prev = tok.doc[tok.i - 1].lower_ if tok.i else ""
    return bool(mods & MILITARY_MODIFIERS) or prev in MILITARY_MODIFIERS


def _business_chain(tok) -> bool:
    """"The retail chain": a business. A chain is people when it is human, living or of
    solidarity, or when people form, make, hold or stand in it."""
    if tok.lemma_.lower() != "chain":
        return False
    if _modifiers(tok) & BUSINESS_CHAIN:
        return True
    people = any(c.lower_ in ("human", "living", "solidarity") for c in tok.children)
    verb = tok.head.head if tok.head.dep_ == "prep" else tok.head
    return not (people or verb.lemma_.lower() in ("form", "make", "hold", "stand", "link",
                                                  "join", "create", "line"))


def _sport(tok, sent) -> bool:
    """A sport-sensitive word in a sentence, or a document, about sport ("a fantastic strike
    from the Fulham player", two sentences after "the league")."""
    if tok.lemma_.lower() not in SPORT_SENSITIVE:
        return False
    if any(t.lower_ in SPORT_WORDS for t in sent) or _SCORE.search(sent.text):
        return True
    doc = sent.doc
    if "strikewatch_sport" not in doc.user_data:
        doc.user_data["strikewatch_sport"] = sum(t.lower_ in SPORT_WORDS for t in doc) \
            >= SPORT_DOCUMENT
    return doc.user_data["strikewatch_sport"]


def _not_a_protest_meeting(tok) -> bool:
    """"The meeting of the Parliamentary Labour Party", "Sunday's meeting in Monaco": a meeting
    is a protest when it is a mass or protest meeting, or when workers or people hold one."""
    if tok.lemma_.lower() != "meeting" or tok.pos_ != "NOUN":
        return False
    if _modifiers(tok) & MEETING_MODIFIERS:
        return False
    head = tok.head
    return not (tok.dep_ == "dobj" and head.lemma_.lower() in ("hold", "stage", "have")
                and _people_subject(head))


def _in_protest(tok) -> bool:
    """"Resigned in protest", "burned property in protest at": the purpose of another act,
    which is the event if it is one."""
    return (tok.lemma_.lower() == "protest" and tok.pos_ == "NOUN" and tok.dep_ == "pobj"
            and tok.head.text == "in" and tok.is_lower  # not a Title Case headline's parse
            and tok.head.head.lemma_.lower() not in PROTEST_LEADERS
            and not any(c.dep_ in ("det", "amod", "nummod", "poss") for c in tok.children))


def find_triggers(sent, text: str, dropped: list[Trigger] | None = None) -> list[Trigger]:
    """The event triggers of a spaCy sentence that report events as having happened; trigger
    words the context rules out (negated, planned, military, sport ...) go to ``dropped``."""
    if dropped is None:
        dropped = []
    found: list[Trigger] = []
    toks = [t for t in sent if t.text not in ("-", "\u2010", "\u2011")]  # "walk-out": walk out
    lemmas = [t.lemma_.lower().replace("-", "") for t in toks]  # "walk-out" is a walkout
    lowers = [t.lower_.replace("-", "") for t in toks]
    taken: set[int] = set()
    for i in range(len(toks)):
        for words, etype in _BY_FIRST.get(lemmas[i], ()) + _BY_FIRST.get(lowers[i], ()):
            n = len(words)
            if i in taken or (tuple(lemmas[i:i + n]) != words
                              and tuple(lowers[i:i + n]) != words):
                continue
            head = toks[i]
            if _blocked(head) or (words[0] in PEOPLE_ONLY and not _people_subject(head)) \
                    or _not_a_blockade(head):
                dropped.append(Trigger(etype, Span.of(text, head.idx, head.idx + len(head)),
                                       head.i))
                continue
            found.append(Trigger(etype, Span.of(text, head.idx,
                                                toks[i + n - 1].idx + len(toks[i + n - 1])),
                                 head.i))
            taken.update(range(i, i + n))
    for i, tok in enumerate(toks):
        if i in taken:
            continue
        if _violent(tok) and not _blocked(tok):
            found.append(Trigger("riot", Span.of(text, tok.idx, tok.idx + len(tok)), tok.i))
            continue
        agent = AGENTS.get(lemmas[i])
        if agent is not None and tok.pos_ == "NOUN" and _acting(tok):
            if not _blocked(tok) and not _sport(tok, sent):
                found.append(Trigger(agent, Span.of(text, tok.idx, tok.idx + len(tok)), tok.i))
            continue
        etype = TRIGGERS.get(lemmas[i]) or (  # the surface form where a noun's lemma is off
            TRIGGERS.get(lowers[i].rstrip("s")) if tok.pos_ != "VERB" else None)
        if etype is None or tok.pos_ not in ("NOUN", "VERB", "PROPN"):
            continue
        if lemmas[i] in VERB_ONLY and tok.pos_ != "VERB" and not _greeted(tok):
            continue  # "the administration block"
        if tok.lower_ == "march" and _the_month(tok):
            continue
        if tok.dep_ == "amod" or (lemmas[i] == "strike" and tok.pos_ == "VERB" and any(
                c.dep_ in ("dobj", "prt", "advmod") and c.lower_ in ("back", "deal", "blow", "down")
                or c.dep_ == "dobj" for c in tok.children)):
            continue  # "striking employees", "struck back", "struck a deal"
        if tok.dep_ == "compound" and tok.head.lemma_.lower() not in TRIGGERS:
            continue  # "riot police", "protest movement"
        if i + 1 < len(toks) and lemmas[i] == "riot" and lemmas[i + 1] in RIOT_GEAR:
            continue  # "women hug riot police officers" (however the parser attaches it)
        if (_generic(tok) or _military(tok) or _business_chain(tok) or _sport(tok, sent)
                or _role(tok) or _blocked(tok) or _not_a_blockade(tok) or _figurative(tok)
                or _unreal_modified(tok) or not _continues(tok)
                or _not_a_protest_meeting(tok) or _in_protest(tok)):
            # "the cost associated with protests" (protests in general), "air strikes", "the
            # retail chain", "a late strike", "strike committee", "threatened to strike"
            dropped.append(Trigger(etype, Span.of(text, tok.idx, tok.idx + len(tok)), tok.i))
            continue
        found.append(Trigger(etype, Span.of(text, tok.idx, tok.idx + len(tok)), tok.i))
    return sorted(_sit_ins(_agents_led(found, sent), sent), key=lambda t: t.span.start)


def _sit_ins(found: list[Trigger], sent) -> list[Trigger]:
    """A sit-in is a strike when a workforce sits in, else a protest."""
    if any(t.lower_ in WORKFORCE for t in sent):
        return found
    doc = sent.doc
    return [Trigger("protest", t.span, t.token_i)
            if t.type == "strike" and doc[t.token_i].lemma_.lower() in ("sit-in", "sit")
            else t for t in found]


def _agents_led(found: list[Trigger], sent) -> list[Trigger]:
    """An agent noun that is the subject of a trigger verb lets the verb say what happened:
    "strikers marched" is a march, "protesters rioted" a riot."""
    doc = sent.doc
    at = {t.token_i: t for t in found}
    return [t for t in found
            if not (doc[t.token_i].lemma_.lower() in AGENTS and doc[t.token_i].dep_ in
                    ("nsubj", "nsubjpass") and doc[t.token_i].head.i in at
                    and doc[t.token_i].head.i != t.token_i)]


def event_type(triggers: list[Trigger]) -> str:
    return min((t.type for t in triggers), key=TYPE_RANK.__getitem__) if triggers else "other"
