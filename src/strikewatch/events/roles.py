"""Who acted and where they work: generic workplaces, actors, demands."""
from __future__ import annotations

# the demand code lives in events/demands.py (table: data/lang/<lang>/demands.tsv); re-exported
from strikewatch.events.demands import find_demands, says_demands  # noqa: F401
from strikewatch.types import Span

WORKPLACE_NOUNS = frozenset("""plant factory works mine mill refinery depot enterprise combine
shipyard foundry smelter hospital university institute company firm airport port terminal
terminals metro theatre theater school college clinic laboratory colliery quarry warehouse dock
docks petrochemical petrochemicals complex station railway railways bakery corporation
mines plants factories mills refineries depots enterprises hospitals airports schools""".split())
# "railway workers in Brest", "trolleybus drivers": an occupational group stands for a workplace
GROUP_NOUNS = frozenset("""workers drivers miners employees staff operators engineers""".split())
ACTOR_NOUNS = frozenset("""worker workers employee employees miner miners resident residents
pensioner pensioners retiree retirees student students doctor doctors nurse nurses teacher
teachers people demonstrator demonstrators protester protesters protestor protestors relative
relatives woman women driver drivers staff journalist journalists citizen citizens supporter
supporters farmer farmers athlete athletes artist artists musician musicians crowd crowds
opposition activist activists youth volunteers volunteer railwaymen engineers scientists
medics inhabitants""".split())
WORKFORCE = frozenset("workers employees miners staff".split())
WEAK_MODIFIERS = frozenset("""other various many several some local large big huge own main
whole entire same state-owned state owned industrial giant police striking
protesting following next previous day night morning evening shift
separate single another new few more most all these those their its
our his her this that the a an permanent temporary contract fixed-term term casual part-time
full-time seasonal agency ordinary rank-and-file""".split())  # employment status: no workplace

def actor_tokens(sent) -> list:
    """The tokens that say who acted: "workers", "pensioners", "students"."""
    return [tok for tok in sent if tok.lower_ in ACTOR_NOUNS and tok.pos_ in ("NOUN", "PROPN")]


def find_actors(sent) -> list[str]:
    """Who acted, as written and lower-cased, each once."""
    seen: list[str] = []
    for tok in actor_tokens(sent):
        if tok.lower_ not in seen:
            seen.append(tok.lower_)
    return seen


def _modifiers(chunk) -> list:
    root = chunk.root
    # a place names a workplace ("Frankfurt airport", "the Tehran Oil Refinery"), not a
    # workforce ("Minsk workers")
    skip = ("DATE", "TIME", "CARDINAL", "ORDINAL", "NORP") + (
        ("GPE",) if root.lower_ not in WORKPLACE_NOUNS or root.tag_ == "NNS" else ())
    return [t for t in chunk if t.i < root.i and t.dep_ in ("compound", "amod", "nmod", "npadvmod")
            and t.lower_ not in WEAK_MODIFIERS and not t.like_num and t.pos_ not in ("DET", "VERB")
            and not (t.i + 1 < len(t.doc) and t.doc[t.i + 1].like_num)  # "round 1,500 staff"
            and any(ch.isalpha() for ch in t.text)  # not punctuation: '"> Workers'
            and t.tag_ not in ("VBN", "VBG", "VBD")
            and t.ent_type_ not in skip]


def generic_workplaces(sent, text: str, taken: list[tuple[int, int]]) -> list[tuple[str, Span]]:
    """Unnamed workplaces with a descriptive modifier: "the meat processing plant",
    "railway workers", "trolleybus drivers". Chunks overlapping `taken` spans are skipped."""
    out: list[tuple[str, Span]] = []
    if not any(t.lower_ in WORKPLACE_NOUNS or t.lower_ in GROUP_NOUNS for t in sent):
        return out
    for chunk in sent.noun_chunks:
        root = chunk.root
        word = root.lower_
        if word not in WORKPLACE_NOUNS and word not in GROUP_NOUNS:
            continue
        if word in WORKPLACE_NOUNS and root.tag_ == "NNS":
            continue  # "state-owned plants": a class of workplaces, not one
        mods = _modifiers(chunk)
        if not mods:
            continue
        first = mods[0]
        s, e = first.idx, root.idx + len(root)
        if any(s < b and a < e for a, b in taken):
            continue
        out.append((text[s:e], Span.of(text, s, e)))
    return out


EMPLOYER_PREPS = frozenset("of at from in".split())


def named_employers(sent, text: str, taken: list[tuple[int, int]]) -> list[tuple[str, Span]]:
    """Organisations the parser names as the actors' employer or the action's site, not in the
    knowledge base: "workers of Lidselmash", "employees at Tata Steel", "a strike at SNCF",
    "the contract workers of A, B and C". Never persons or places."""
    out: list[tuple[str, Span]] = []
    for ent in sent.ents:
        if ent.label_ not in ("ORG", "FAC"):
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < b and a < e for a, b in taken) or e - s < 3:
            continue
        root = ent.root
        head = root.head
        while head.dep_ == "conj" or (root.dep_ == "conj" and head.ent_type_ in ("ORG", "FAC")):
            root, head = head, head.head  # "workers of A, B and C": each conjunct
        if not (head.dep_ == "prep" and head.lower_ in EMPLOYER_PREPS):
            continue
        owner = head.head
        if owner.lower_ in ACTOR_NOUNS or owner.lower_ in GROUP_NOUNS or \
                owner.lemma_.lower() in ("strike", "walkout", "protest", "stoppage", "action",
                                         "picket", "sit-in", "occupation"):
            out.append((text[s:e], Span.of(text, s, e)))
    return out


def bare_workplace_reference(sent) -> int | None:
    """Offset of "the factory"/"the plant" used without a name (an anaphor), if any."""
    for tok in sent:
        if tok.lower_ in ("factory", "plant", "enterprise", "mine", "works", "refinery") and \
                tok.pos_ == "NOUN" and any(c.lower_ in ("the", "their", "its", "our") for c in tok.children):
            return tok.idx
    return None
