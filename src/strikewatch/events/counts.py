"""Find counts of participants, arrests, injuries and deaths in a parsed sentence.

``find_counts(sent)`` takes a spaCy ``Span`` (one sentence of a parsed ``Doc``) and returns a
:class:`~strikewatch.types.CountMention` for every number phrase in it that counts people
taking part in, arrested at, injured at or killed at an event.  Offsets are into
``sent.doc.text``.

How a number is judged, in order:

1. **Find** quantity phrases with :func:`strikewatch.events.numbers.scan_quantities`
   ("about a hundred", "over 70", "Thousands", "between 20 and 30", "several").
2. **Drop** numbers that are not head counts of an event: money ("$500m"), percentages,
   years, times ("at seven o'clock"), durations ("20 days", "for three days"), distances
   ("55km"), ages ("aged 45", "a 45-year-old"), labels ("Section 8", "page 3"), dates
   ("9 August"), "one of ...", ratios ("50/50"), and sizes of a workforce or population
   ("a plant with 7,500 employees", "which has about 7,500 employees", "11,000 staff",
   "a 65,000-strong city", "a town of 20,000 people").
3. **Classify** by what is counted and what happens to it: the governing verb from the
   dependency parse (subject, passive subject, object or by-agent of a trigger verb), then —
   because the parser is weak on paraphrased or lower-cased copy — the first main verb after
   the counted noun, the verb just before the number ("police detained 45 protesters"),
   crowd nouns ("a crowd of 500", "a 5,000-strong march"), and finally the counted noun
   itself ("300 protesters" are participants, "12 detainees" arrests).
   Numbers that cannot be classified are dropped: a count with no field is no count.
4. **Unnumbered** arrests and deaths: the people an arrest or killing verb happens to, when
   no figure counts them — one per name or singular pronoun ("X was arrested", "police
   arrested him"), ``PLURAL_UNNUMBERED`` for a bare plural ("the arrests were made", "the
   protesters were detained"); not for negated, modal, demanded or conditional arrests.

The trigger lists are module constants (``ARREST_TRIGGERS`` etc.) so other modules and tests
can see them; conventions are in docs/counts.md.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from strikewatch.events.numbers import Quantity, parse_quantity, scan_quantities
from strikewatch.types import CountMention, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "find_counts",
    "classify_quantity",
    "ARREST_TRIGGERS",
    "INJURY_TRIGGERS",
    "DEATH_TRIGGERS",
    "PARTICIPANT_TRIGGERS",
    "PLURAL_UNNUMBERED",
]

# --------------------------------------------------------------------------------------
# Lexicons.  Triggers are sequences of lemmas (lower case); a sequence matches if each
# token's lemma *or* lower-cased text equals the item.  Longest sequences are tried first.
# --------------------------------------------------------------------------------------

ARREST_TRIGGERS: tuple[tuple[str, ...], ...] = (
    ("arrest",), ("arrested",), ("detain",), ("detained",), ("jail",), ("jailed",),
    ("imprison",), ("imprisoned",), ("apprehend",), ("incarcerate",), ("handcuff",),
    ("take", "into", "custody"), ("taken", "into", "custody"), ("round", "up"),
    ("rounded", "up"), ("pick", "up"), ("picked", "up"), ("take", "away"),
    ("taken", "away"), ("lock", "up"), ("put", "behind", "bar"), ("haul", "off"),
    ("hauled", "off"), ("in", "custody"), ("under", "arrest"), ("behind", "bar"),
    ("nab",), ("nabbed",), ("book",), ("booked",), ("take", "in", "custody"),
    ("taken", "in", "custody"), ("put", "behind", "bars"),
)
INJURY_TRIGGERS: tuple[tuple[str, ...], ...] = (
    ("injure",), ("injured",), ("wound",), ("wounded",), ("beat",), ("beaten",), ("hurt",),
    ("hospitalise",), ("hospitalize",), ("hospitalised",), ("hospitalized",), ("maim",),
    ("maimed",), ("trample",), ("bruise",), ("shoot",), ("shot",), ("injury",),
    ("treat", "for"), ("treated", "for"), ("seek", "medical"), ("sought", "medical"),
    ("need", "medical"), ("require", "medical"), ("suffer", "injury"),
    ("take", "to", "hospital"), ("taken", "to", "hospital"), ("in", "hospital"),
    ("poison",), ("poisoned",), ("gas",), ("tear", "gas"),
    ("with", "injury"), ("in", "intensive", "care"), ("to", "hospital"),
)
DEATH_TRIGGERS: tuple[tuple[str, ...], ...] = (
    ("kill",), ("killed",), ("die",), ("died",), ("dead",), ("death",), ("murder",),
    ("murdered",), ("perish",), ("slay",), ("slain",), ("fatality",), ("shoot", "dead"),
    ("shot", "dead"), ("shoot", "and", "kill"), ("shot", "and", "killed"),
    ("lose", "their", "life"), ("lost", "their", "lives"), ("lose", "life"),
    ("beat", "to", "death"), ("beaten", "to", "death"),
)
PARTICIPANT_TRIGGERS: tuple[tuple[str, ...], ...] = (
    ("gather",), ("march",), ("rally",), ("join",), ("participate",), ("strike",),
    ("protest",), ("demonstrate",), ("block",), ("blockade",), ("picket",), ("assemble",),
    ("attend",), ("occupy",), ("converge",), ("flock",), ("chant",), ("mass",),
    ("boycott",), ("walkout",), ("sit", "in"), ("take", "part"), ("took", "part"),
    ("walk", "out"), ("walked", "out"), ("down", "tool"), ("downed", "tool"),
    ("lay", "down", "tool"), ("put", "down", "tool"), ("take", "to", "the", "street"),
    ("take", "to", "street"), ("took", "to", "the", "streets"), ("go", "out"),
    ("went", "out"), ("come", "out"), ("came", "out"), ("turn", "out"), ("turned", "out"),
    ("go", "on", "strike"), ("stop", "work"), ("stopped", "work"), ("down", "their", "tool"),
    ("stage",), ("form", "a", "chain"), ("form", "a", "human", "chain"), ("line", "up"),
    ("lined", "up"), ("fill", "the", "street"), ("stand",), ("stood",), ("sing",),
    ("refuse", "to", "work"), ("refused", "to", "work"), ("refuse", "to", "leave"),
    ("refuse", "to", "come", "up"), ("stay", "underground"), ("stay", "below", "ground"),
    ("walk", "off"), ("walked", "off"), ("walk", "to"), ("walk", "through"),
    ("walk", "along"), ("confront",), ("collect", "around"), ("collect", "outside"),
    ("collect", "in"), ("collect", "at"), ("collect", "near"), ("set", "down"), ("lay", "down"),
    ("put", "down", "their"), ("stop", "the", "conveyor"), ("stop", "the", "assembly"),
    ("stop", "production"), ("halt", "production"), ("halt", "work"), ("stop", "the", "line"),
    ("form", "a", "living", "chain"), ("follow", "them"), ("follow", "suit"),
    ("leave", "work"), ("boo",), ("whistle",), ("sit", "down"),
    ("leave", "their", "workshop"), ("left", "their", "workshop"), ("leave", "the", "workshop"),
    ("leave", "their", "workplace"), ("left", "their", "workplace"), ("walk", "in", "a", "column"),
    ("wave",), ("carry",), ("hold", "up"),
    # surface forms, for when the lemmatizer slips on paraphrased copy ("staged" -> "stag")
    ("gathered",), ("marched",), ("rallied",), ("joined",), ("participated",), ("struck",),
    ("protested",), ("demonstrated",), ("blocked",), ("picketed",), ("assembled",),
    ("attended",), ("occupied",), ("staged",), ("chanted",), ("converged",),
)
# "turned out that ..." is not a turnout: guarded in _trigger_at.

FIELD_TRIGGERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("deaths", DEATH_TRIGGERS),
    ("arrests", ARREST_TRIGGERS),
    ("injuries", INJURY_TRIGGERS),
    ("participants", PARTICIPANT_TRIGGERS),
)

_TRIGGERS_BY_FIRST: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
for _field, _triggers in FIELD_TRIGGERS:
    for _seq in _triggers:
        _TRIGGERS_BY_FIRST[_seq[0]] = _TRIGGERS_BY_FIRST.get(_seq[0], ()) + ((_field, _seq),)

# "the rally drew thousands", "the strike brought out 3,000 workers"
DRAW_VERBS: frozenset[str] = frozenset({"draw", "attract", "bring", "mobilise", "mobilize", "gather", "involve", "see", "pull"})

# The counted noun itself may say what is counted.
FIELD_NOUNS: dict[str, str] = {
    "detainee": "arrests", "arrestee": "arrests", "arrest": "arrests", "detention": "arrests",
    "detainees": "arrests", "arrests": "arrests", "detentions": "arrests",
    "injury": "injuries", "injuries": "injuries", "injured": "injuries", "wounded": "injuries",
    "death": "deaths", "deaths": "deaths", "dead": "deaths", "fatality": "deaths",
    "fatalities": "deaths", "body": "deaths", "bodies": "deaths",
    "protester": "participants", "protestor": "participants", "demonstrator": "participants",
    "striker": "participants", "marcher": "participants", "picketer": "participants",
    "participant": "participants", "rally-goer": "participants", "demonstrant": "participants",
    "walkout": "participants",
}
# Nouns that name a crowd or an action, for "a crowd of 500", "a 5,000-strong march".
EVENT_NOUNS: frozenset[str] = frozenset({
    "crowd", "rally", "march", "protest", "demonstration", "strike", "walkout", "procession",
    "column", "gathering", "picket", "sit-in", "chain", "vigil", "assembly", "mob", "throng",
    "turnout", "convoy", "protesters", "demonstrators", "contingent", "group", "meeting",
    "blockade", "occupation", "stoppage", "action", "flashmob", "flash-mob", "motorcade",
})
# People nouns (lemmas).  Anything ending in -er/-or/-ist/-ian/-ant/-ent is also taken as
# people unless it is in OBJECT_NOUNS.
PERSON_NOUNS: frozenset[str] = frozenset({
    "people", "person", "persons", "man", "men", "woman", "women", "worker", "employee",
    "staff", "resident", "protester", "protestor", "demonstrator", "striker", "marcher",
    "picketer", "participant", "activist", "supporter", "student", "pensioner", "retiree",
    "doctor", "nurse", "teacher", "miner", "driver", "farmer", "citizen", "member",
    "journalist", "reporter", "youth", "child", "children", "teenager", "civilian", "officer",
    "policeman", "policemen", "police", "soldier", "troop", "troops", "detainee", "prisoner",
    "leader", "organiser", "organizer", "colleague", "individual", "folk", "folks", "local",
    "villager", "townspeople", "inhabitant", "mother", "relative", "volunteer", "unionist",
    "docker", "steelworker", "metalworker", "engineer", "operator", "loader", "bystander",
    "passer-by", "passers-by", "victim", "fan", "pupil", "academic", "professor", "lawyer",
    "medic", "physician", "athlete", "artist", "musician", "actor", "dissident", "voter",
    "observer", "monk", "priest", "veteran", "guy", "girl", "boy", "kid", "adult", "elder",
    "opponent", "official", "staffer", "crew", "colleagues", "fellow", "comrade", "trucker",
    "truckers", "employees", "workers", "human", "humans", "lady", "ladies", "gentleman",
    "family", "families", "couple", "youngster", "resident", "dissenter", "detainee",
    "arrestee", "casualty", "injured", "wounded", "dead", "mourner", "onlooker", "spectator",
    "miner", "worker", "rally-goer", "demonstrant", "nationalist", "anarchist", "communist",
    "feminist", "unemployed", "homeless", "elderly", "disabled", "staffers", "cadet",
    "conscript", "recruit", "guard", "guardsman", "riot", "omon", "militiaman", "militia",
    "workforce", "personnel", "crews", "brigade",
})
OBJECT_NOUNS: frozenset[str] = frozenset({
    "banner", "poster", "letter", "sticker", "container", "computer", "tractor", "trailer",
    "number", "order", "paper", "flower", "corner", "border", "chapter", "quarter",
    "center", "centre", "meter", "metre", "liter", "litre", "power", "tower", "water",
    "matter", "shelter", "layer", "sector", "factor", "motor", "error", "floor", "door",
    "elevator", "monitor", "indicator", "generator", "reactor", "counter", "register",
    "filter", "helicopter", "cracker", "marker", "speaker", "sticker", "flyer", "leaflet",
    "placard", "flag", "vehicle", "car", "bus", "truck", "factory", "plant", "workshop",
    "company", "enterprise", "city", "town", "village", "region", "district", "country",
    "demand", "petition", "signature", "vote", "ballot", "percent", "point", "event",
    "incident", "case", "pension", "segment", "element", "document", "statement",
    "comment", "moment", "payment", "parliament", "department", "government", "amount",
    "agent", "restaurant", "instrument", "tournament",
})
WORKFORCE_NOUNS: frozenset[str] = frozenset({
    "employee", "employees", "staff", "workforce", "personnel", "worker", "workers", "member",
    "members", "people", "resident", "residents", "inhabitant", "inhabitants", "strong",
    "miner", "miners", "headcount", "staffer",
})
WORKFORCE_VERBS: frozenset[str] = frozenset({
    "have", "include", "employ", "number", "count", "comprise", "consist", "boast", "house",
    "serve", "contain", "total", "has", "had", "includes", "employs", "employing", "with",
    "hire", "lay", "cut", "sack", "fire", "dismiss", "pay",
})
PLACE_NOUNS: frozenset[str] = frozenset({
    "city", "town", "village", "country", "region", "district", "community", "settlement",
    "population", "nation", "county", "province", "municipality", "suburb", "metropolis",
    "plant", "factory", "company", "enterprise", "firm", "mine", "workforce", "union",
    "organisation", "organization", "party",
})
TIME_UNITS: frozenset[str] = frozenset({
    "second", "minute", "hour", "day", "night", "week", "weekend", "month", "year",
    "decade", "century", "time", "times", "shift", "round", "term", "session", "fortnight",
    "season", "morning", "evening", "afternoon", "hrs", "hr", "min", "mins", "sec",
})
MEASURE_UNITS: frozenset[str] = frozenset({
    "km", "kilometre", "kilometer", "mile", "metre", "meter", "m", "kg", "kilogram",
    "tonne", "ton", "hectare", "degree", "litre", "liter", "percent", "per", "cent",
    "percentage", "pc", "point", "dollar", "euro", "rouble", "ruble", "pound", "yuan",
    "rupee", "byn", "usd", "eur", "rub", "square", "foot", "feet", "inch", "storey",
    "floor", "kw", "mw", "barrel", "bn", "billion", "mln", "vote", "seat", "signature",
    "km/h", "mph", "gram", "ounce", "acre", "cubic", "gigawatt", "megawatt", "bus", "car",
    "truck", "vehicle", "page", "article", "chapter", "item", "step", "stage", "phase",
    "goal", "score",
})
LABEL_WORDS: frozenset[str] = frozenset({
    "section", "article", "art", "page", "p", "pp", "chapter", "paragraph", "para",
    "clause", "part", "no", "nos", "number", "#", "item", "route", "highway", "unit", "room",
    "shop", "workshop", "building", "block", "gate", "platform", "line", "bus", "flight",
    "cell", "precinct", "ward", "school", "apartment", "house", "level", "grade", "class",
    "category", "stage", "phase", "version", "law", "decree", "resolution", "case", "code",
    "colony", "division", "hall", "floor", "entrance", "exit", "lane", "terminal", "track",
    "channel", "figure", "table", "appendix", "annex", "point", "paragraphs", "articles",
    "sections", "pages", "tier", "group", "team", "lyceum", "gymnasium", "hospital",
    "polyclinic", "clinic", "plant", "mine", "shaft", "station", "depot", "warehouse", "fig",
    "vol", "volume", "issue", "episode", "season", "match", "round", "year", "years",
    "no.", "nos.", "art.", "p.", "pp.", "fig.", "vol.", "sec.", "ch.", "para.",
})
MONTHS: frozenset[str] = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
})
YEAR_PREPS: frozenset[str] = frozenset({
    "in", "since", "by", "until", "till", "from", "of", "during", "before", "after", "year",
    "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter", "around", "circa",
    "between", "and", "to", "than", "the", "'s",
})
REPORTING_LEMMAS: frozenset[str] = frozenset({
    "say", "tell", "report", "claim", "state", "estimate", "add", "announce", "write",
    "confirm", "note", "insist", "allege", "explain", "declare", "assert", "maintain",
    "according", "accord", "believe", "think", "suggest", "show", "indicate", "tweet",
    "post", "publish", "told", "said", "says", "stated", "states", "reported", "claims",
    "claimed", "put", "turn", "appear", "seem", "emerge",
})
CURRENCY_MARKS: frozenset[str] = frozenset({"$", "€", "£", "¥", "₽", "₴", "us$", "usd", "eur", "rub", "byn", "br"})
STOP_WORDS_CLAUSE: frozenset[str] = frozenset({
    ";", ":", "(", ")", "—", "–", "but", "while", "whereas", "although", "though", "because",
    "whilst", "yet", "so", "if", "unless", "when", "after", "before", "since", "as",
})
_QUANTITY_WORDS = frozenset({"dozens", "hundreds", "thousands", "millions", "scores", "several", "tens"})
# "including 20 pensioners", "among them 5 journalists": a subset of a count already made
SUBSET_MARKS: frozenset[str] = frozenset({"including", "includes", "among", "whom", "them", "incl"})
_SUFFIX_PEOPLE = ("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ant", "ants", "ent", "ents")
_STRONG_RE = re.compile(r"\s*-?\s*strong\b", re.IGNORECASE)
_AGE_RE = re.compile(r"\s*-?\s*(?:years?|yrs?|months?)[- ]old\b|\s*-\s*(?:year|yr|month|week|day|hour|minute|km|kilometre|kilometer|mile|metre|meter|storey|floor|point|page|seat|member)s?\b", re.IGNORECASE)
_TIME_AFTER_RE = re.compile(r"\s*(?:o'clock|o’clock|a\.?m\.?|p\.?m\.?|hrs\b|h\b|gmt\b|utc\b|msk\b)", re.IGNORECASE)
_PERCENT_AFTER_RE = re.compile(r"\s*(?:%|per\s*cent\b|percent\b|percentage\b|pc\b|pct\b)", re.IGNORECASE)
_RATIO_RE = re.compile(r"\s*[/:]\s*\d")
# a clock time written with a full stop or colon: "from 12.00", "by 18.00" (a whole figure
# with ".00" that is not followed by a scale word, "1.00 million")
_CLOCK_RE = re.compile(r"(?<![\d.,])(?:[01]?\d|2[0-4])[.:][0-5]\d(?![\d.,])(?!\s*(?:hundred|thousand|million|billion|k\b|m\b|mln\b|bn\b))", re.IGNORECASE)
# shares: "one in ten residents", "3 in 4 workers", "one in every five"
_RATE_WORD = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|hundred|twenty|fifty)"
_SHARE_AFTER_RE = re.compile(rf"\s+in\s+(?:every\s+)?({_RATE_WORD})\b(?:\s+(\w+))?", re.IGNORECASE)
_SHARE_BEFORE_RE = re.compile(rf"\b({_RATE_WORD})\s+in\s+(?:every\s+)?$", re.IGNORECASE)


def _is_person_noun(tok: "Token") -> bool:
    lem = tok.lemma_.lower()
    low = tok.lower_
    if lem in PERSON_NOUNS or low in PERSON_NOUNS:
        return True
    if tok.pos_ == "PRON" and low in ("them", "us", "those", "whom", "these", "you"):
        return True
    if lem in OBJECT_NOUNS or low in OBJECT_NOUNS:
        return False
    if tok.pos_ in ("NOUN", "PROPN") and low.endswith(_SUFFIX_PEOPLE) and len(low) > 4:
        return True
    return False


# --------------------------------------------------------------------------------------
# Helpers on tokens
# --------------------------------------------------------------------------------------


_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")


def _is_break(tok: "Token") -> bool:
    """A paragraph break (blank line) inside a parser sentence: windows never cross it.
    A single newline is not one: hard-wrapped text keeps its sentences whole."""
    return tok.is_space and _BLANK_LINE_RE.search(tok.text) is not None


def _trigger_at(doc: "Doc", i: int, lo: int, hi: int) -> str | None:
    """The field whose trigger phrase starts at token i (within [lo, hi)), or None."""
    best: tuple[int, str] | None = None
    t0 = doc[i]
    lem0, low0 = t0.lemma_.lower(), t0.lower_
    cands = _TRIGGERS_BY_FIRST.get(lem0, ())
    if low0 != lem0:
        cands = cands + _TRIGGERS_BY_FIRST.get(low0, ())
    for field, seq in cands:
        if i + len(seq) > hi:
            continue
        ok = True
        for k in range(1, len(seq)):
            t = doc[i + k]
            if t.lemma_.lower() != seq[k] and t.lower_ != seq[k]:
                ok = False
                break
        if ok and (best is None or len(seq) > best[0]):
            best = (len(seq), field)
    if best is None:
        return None
    field = best[1]
    t = doc[i]
    if field == "participants":
        lem = t.lemma_.lower()
        # "it turned out that", "came out against", "stood by": not turnout
        if lem in ("turn", "come", "go", "stand", "carry", "wave", "sing", "hold", "line",
                   "stage", "mass", "block", "strike") and i + 1 < hi and doc[i + 1].lower_ in ("that", "to", "by", "back", "against", "of", "up"):
            if not (lem == "line" and doc[i + 1].lower_ == "up"):
                return None
        if lem == "strike" and i + 1 < hi and doc[i + 1].lower_ in ("back", "down", "deal"):
            return None
        if t.pos_ in ("NOUN", "PROPN") and lem in ("strike", "protest", "march", "rally", "mass", "block", "picket", "stage", "wave", "stand", "chant"):
            return None  # nouns are not actions here ("the strike", "a wave")
    if field == "injuries" and t.pos_ == "NOUN" and t.lemma_.lower() in ("gas", "shot"):
        return None
    if field == "arrests" and low0 in ("book", "books", "booked", "booking") and t.pos_ != "VERB":
        return None  # "the book", "a booking"
    return field


def _is_main_verb(tok: "Token") -> bool:
    if tok.pos_ == "AUX" or tok.dep_ in ("aux", "auxpass"):
        return False
    if not tok.tag_.startswith("VB") and tok.pos_ != "VERB":
        return False
    if tok.tag_ in ("VBG", "VBN") and tok.dep_ in ("amod", "compound", "nmod"):
        return False
    return True


_NP_SKIP = frozenset({"of", "the", "these", "other", "various", "more", "-", "additional",
                     "different", "young", "local", "mostly", "mainly", "unarmed", "peaceful",
                     "angry", "its", "their", "our", "his", "her", "'s", "’s", "largely",
                     "predominantly", "overwhelmingly", "female", "male", "elderly", "striking",
                     "fellow", "ordinary", "rank", "and", "file", "rank-and-file"})


def _counted_noun(doc: "Doc", first: int, last: int, sent_end: int) -> "Token | None":
    """The noun the number counts: dependency head, else the next noun to the right.

    "about a hundred workers" -> workers; "Thousands of pensioners" -> pensioners;
    "About 90 of the mill's largely female workforce" -> workforce; "a dozen of those
    held" -> those.
    """
    core = doc[last]
    # "Thousands of pensioners": the number is nominal, its "of" object is counted
    if core.pos_ in ("NOUN", "NUM") or core.tag_ in ("NNS", "NN", "CD"):
        for child in core.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i > last and pobj.lower_ not in ("'s", "’s") \
                            and not any(c.dep_ == "case" for c in pobj.children):
                        return pobj
    head = core.head
    if core.dep_ in ("nummod", "amod", "quantmod", "compound", "det", "advmod", "npadvmod") and head.i > last and head.i - last <= 5 and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return head
    # lexical: skip "of", determiners, possessives ("the mill's"), adjectives
    j = last + 1
    steps = 0
    after_of = False
    while j < sent_end and steps < 8:
        t = doc[j]
        if _is_break(doc[j - 1]):
            break
        low = t.lower_
        if low in ("them", "us", "those", "these", "whom") and (after_of or low in ("them", "us")):
            return t
        if low == "of":
            after_of = True
        if low in _NP_SKIP or t.tag_ in ("PRP$", "POS"):
            j += 1
            steps += 1
            continue
        if t.pos_ in ("NOUN", "PROPN") and j + 1 < sent_end and doc[j + 1].tag_ == "POS":
            j += 2  # "the mill's workforce": the possessor is not counted
            steps += 2
            continue
        if t.pos_ in ("ADJ",) or t.tag_ in ("JJ", "JJR", "VBG", "VBN") and j + 1 < sent_end and doc[j + 1].pos_ in ("NOUN", "PROPN", "ADJ"):
            j += 1
            steps += 1
            continue
        if t.pos_ in ("NOUN", "PROPN"):
            # compounds: "factory workers" -> the last noun of the run
            k = j
            while k + 1 < sent_end and doc[k].dep_ == "compound" and doc[k + 1].pos_ in ("NOUN", "PROPN"):
                k += 1
            return doc[k]
        break
    return None


def _governor(noun_or_num: "Token") -> tuple["Token | None", str]:
    """The verb that governs a counted noun (or bare number), with the relation."""
    x = noun_or_num
    seen = 0
    while x.dep_ == "conj" and x.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and x.head.i < x.i and seen < 10:
        x = x.head
        seen += 1
    if x.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd"):
        return x.head, x.dep_
    if x.dep_ == "ROOT":
        # a mis-parsed clause: "Over 320 miners [ROOT] gathered [acl] outside the plant"
        for c in x.children:
            if c.dep_ in ("acl", "relcl") and c.i > x.i and c.tag_.startswith("VB"):
                return c, "nsubj"
    if x.dep_ == "pobj":
        p = x.head
        if p.lower_ == "by" and p.head.pos_ in ("VERB", "AUX"):
            return p.head, "agent"
        if p.lower_ in ("with",):
            return p, "with"
        if p.lower_ == "of":
            return p.head, "of"
        return None, "pobj"
    return None, x.dep_


def _verb_field(doc: "Doc", verb: "Token", sent_lo: int, sent_hi: int) -> str | None:
    """Field named by a verb (or its phrase): "arrested", "took part", "downed tools";
    failing that, by a verb coordinated with it ("left the halls and marched")."""
    f = _verb_field1(doc, verb, sent_lo, sent_hi)
    if f is None and verb.lemma_.lower() not in ("remain", "stay"):
        f = _conj_field(doc, verb, sent_lo, sent_hi)
    return f


def _verb_field1(doc: "Doc", verb: "Token", sent_lo: int, sent_hi: int) -> str | None:
    lem = verb.lemma_.lower()
    if lem in ("remain", "stay", "continue") and not _trigger_after(doc, verb.i + 1, sent_lo, sent_hi, ("participants",)):
        return None  # "four remained in custody": a status, not a count
    if lem == "hold":
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        if any(o.lemma_.lower() in EVENT_NOUNS for o in objs):
            return "participants"
        if not _held_in_custody(verb):
            return None  # "held responsible", "held hostage", "held up", "should be held"
        if any(c.dep_ == "auxpass" for c in verb.children) or any(
                c.lower_ in ("custody", "incommunicado") for c in verb.subtree):
            return "arrests"
        return None
    if lem == "be":
        for c in verb.children:
            if c.dep_ in ("acomp", "attr") and c.i > verb.i:
                f = _trigger_at(doc, c.i, sent_lo, sent_hi)
                if f is not None:
                    return f
        return None
    return _trigger_at(doc, verb.i, sent_lo, sent_hi)


_SECURITY_NOUNS = frozenset({"police", "policeman", "officer", "soldier", "troop", "troops",
                             "guard", "omon", "militia", "militiaman", "agent"})


_BEFORE_STOPS = frozenset({";", ":", "(", ")", "—", "–", "but", "while", "whereas",
                           "although", "though", "because", "whilst", "yet", "if", "unless",
                           ",", "."})


def _trigger_after(doc: "Doc", j: int, lo: int, hi: int,
                   fields: tuple[str, ...] = ("injuries", "deaths", "arrests")) -> str | None:
    """A trigger of one of ``fields`` among the next few prepositions/adjectives after a
    verb: "were brought in *with injuries*", "remained *in custody*", "*dead*"."""
    for k in range(j, min(j + 5, hi)):
        if k > j and (doc[k].pos_ == "VERB" or doc[k].lower_ in STOP_WORDS_CLAUSE or _is_break(doc[k - 1])):
            break
        if doc[k].pos_ in ("ADP", "ADJ") or doc[k].tag_ in ("VBN",):
            f = _trigger_at(doc, k, lo, hi)
            if f in fields:
                return f
    return None


def _conj_field(doc: "Doc", verb: "Token", lo: int, hi: int) -> str | None:
    """A trigger among verbs coordinated with ``verb`` that share its subject."""
    for c in verb.children:
        if c.dep_ == "conj" and c.i > verb.i and lo <= c.i < hi and (c.pos_ == "VERB" or c.tag_.startswith("VB")):
            if any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                continue  # its own subject: another clause
            f = _trigger_at(doc, c.i, lo, hi) or _conj_field(doc, c, lo, hi)
            if f is not None:
                return f
    return None


def _np_modifiers(noun: "Token | None") -> tuple[set[int], set[int], list["Token"]]:
    """Tokens of the counted noun's post-modifiers (skipped by the after-window) and the
    verbs of its relative clauses.

    "about 450 workers [at the plant, a maker with 7,500 employees that ...] stopped work":
    the predicate is outside the brackets.  A reduced relative that is itself a trigger
    ("60 people held overnight") is not skipped: it is the predicate in headline style.
    """
    if noun is None:
        return set(), set(), []
    out: set[int] = set()
    clauses: set[int] = set()
    verbs: list["Token"] = []
    for c in noun.children:
        if c.i < noun.i:
            continue
        if c.dep_ == "relcl":
            clauses.update(t.i for t in c.subtree)
            verbs.append(c)
        elif c.dep_ == "acl":
            if noun.pos_ == "PRON" or _trigger_at(c.doc, c.i, noun.sent.start, noun.sent.end) is None and c.lemma_.lower() != "hold":
                clauses.update(t.i for t in c.subtree)  # "women dressed in white", "those held"
                verbs.append(c)
        elif c.dep_ in ("prep", "appos") or (c.dep_ == "punct" and c.text == ","):
            out.update(t.i for t in c.subtree)
    # a trailing comma closing an apposition: "workers at BATE, the maker, stopped"
    out |= clauses
    if out:
        end = max(out) + 1
        if end < len(noun.doc) and noun.doc[end].text == "," and end not in out:
            out.add(end)
    return out, clauses, verbs


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------


def _prev_words(doc: "Doc", first: int, lo: int, n: int) -> list["Token"]:
    out = []
    j = first - 1
    while j >= lo and len(out) < n:
        if _is_break(doc[j]):
            break
        if doc[j].is_space:
            j -= 1
            continue
        out.append(doc[j])
        j -= 1
    return out


_SPEAKER_VERBS = frozenset({
    "say", "tell", "claim", "state", "add", "write", "explain", "recall", "describe",
    "insist", "report", "confirm", "note", "complain", "recount", "admit", "ask", "warn",
})


def _is_source(tok: "Token") -> bool:
    """The person a claim is attributed to: "according to one participant", "one striker
    said", "said one of them"."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
        return True
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _SPEAKER_VERBS


def _rate_value(word: str) -> int | None:
    r = parse_quantity(word)
    return r[0] if r is not None and r[0] == r[1] else None


def _is_share(q: Quantity, text: str, abs_start: int, abs_end: int) -> bool:
    """A rate, "one in ten residents", "3 in 4 workers": a small figure over a larger one,
    the whole not a span of time or a set of places ("40 in two days", "300 in 12 cities")."""
    if q.kind != "exact":
        return False
    m = _SHARE_AFTER_RE.match(text[abs_end:abs_end + 40])
    if m is not None:
        whole, unit = _rate_value(m.group(1)), (m.group(2) or "").lower()
        return whole is not None and q.low <= 10 and q.low < whole and unit.rstrip("s") not in (
            TIME_UNITS | PLACE_NOUNS | {"citie", "town", "factorie", "place", "region"})
    m = _SHARE_BEFORE_RE.search(text[max(0, abs_start - 30):abs_start])
    if m is not None:
        part = _rate_value(m.group(1))
        return part is not None and part <= 10 and part < q.low
    return False


def _is_name(tok: "Token") -> bool:
    return tok.ent_type_ == "PERSON"


def _is_label_word(w: str, plural: bool) -> bool:
    return w in LABEL_WORDS or plural and w.endswith("s") and w[:-1] in LABEL_WORDS


def _coordinated_label(doc: "Doc", first: int, lo: int, after: str) -> bool:
    """Numbers listed after a label: "routes 12 and 14", "workshops 3, 4 and 7"."""
    prev = _prev_words(doc, first, lo, 9)
    if prev and _is_label_word(prev[0].lower_, True) and re.match(r"\s*(?:,|and\b|or\b|&)\s*\d", after):
        return True
    k = 0
    while k + 1 < len(prev) and prev[k].lower_ in (",", "and", "or", "&") and prev[k + 1].like_num:
        k += 2
    return k > 0 and k < len(prev) and _is_label_word(prev[k].lower_, True)


def _not_a_count(q: Quantity, doc: "Doc", text: str, abs_start: int, abs_end: int,
                 first: int, last: int, lo: int, hi: int, noun: "Token | None") -> bool:
    """True for numbers that are not head counts of an event (see module docstring).

    ``text`` is the sentence text and ``abs_start``/``abs_end`` the figure's offsets in it.
    """
    after = text[abs_end:abs_end + 40]
    before = text[max(0, abs_start - 12):abs_start]
    prev = _prev_words(doc, first, lo, 3)
    prev1 = prev[0].lower_ if prev else ""
    low_text = q.text.lower()

    # money
    if before.rstrip().endswith(tuple(CURRENCY_MARKS)) or prev1 in CURRENCY_MARKS:
        return True
    if re.match(r"\s*(?:dollars?|euros?|roubles?|rubles?|pounds?|yuan|rupees?|bn\b|billion\b|mln\b|usd\b|eur\b|rub\b|byn\b)", after, re.IGNORECASE):
        return True
    # percentages, ratios, times
    if _PERCENT_AFTER_RE.match(after) or _RATIO_RE.match(after) or before.endswith(("/", ":")):
        return True
    if _TIME_AFTER_RE.match(after) or _CLOCK_RE.search(q.text):
        return True
    if _is_share(q, text, abs_start, abs_end):
        return True  # "one in ten residents took part"
    if prev1 == "at" and q.kind == "exact" and q.low <= 24 and (noun is None or not _is_person_noun(noun)):
        return True
    # "in a day or two", "a week or so": a duration; "coach S-7", "A-4": a label
    if prev1 == "or" and len(prev) > 2 and prev[2].lower_ in ("a", "an", "one") and prev[1].lower_ in (
            "day", "week", "month", "year", "hour", "minute", "fortnight", "night"):
        return True
    if re.search(r"[^\W\d_]-$", before):
        return True
    # ages, "20-day strike", "a 3-hour stoppage"
    if prev1 in ("aged", "age", "ages", "ageing", "aging") or _AGE_RE.match(after):
        return True
    # labels: "Section 8", "page 3", "No. 5"; dates "August 9", "9 August"
    if prev1 in LABEL_WORDS or prev1.rstrip(".") in MONTHS or prev1 == ".":
        if not (prev1 == "." and (len(prev) < 2 or prev[1].lower_ not in ("no", "nos", "art", "p", "pp", "fig", "vol") + tuple(MONTHS))):
            return True
    if _coordinated_label(doc, first, lo, after):
        return True  # "routes 12 and 14", "Shops 3, 4 and 7"
    # an age in apposition: "Ivan Petrov, 23, was detained"
    if prev1 in (",", "(") and len(prev) > 1 and _is_name(prev[1]) and q.kind == "exact" \
            and q.text.isdigit() and 10 <= q.low <= 110 and re.match(r"\s*[,)]", after):
        return True
    # a source is not a count: "according to one participant", "one striker said"
    source = noun if noun is not None else doc[last]
    if _is_source(source) and (q.low == 1 and low_text in ("one", "1") or source.dep_ == "pobj"):
        return True
    nxt = doc[last + 1] if last + 1 < hi else None
    if nxt is not None and nxt.lower_ in MONTHS and q.kind == "exact" and q.low <= 31:
        return True
    # years (4 digits written without separators)
    if re.fullmatch(r"\d{4}", q.text) and 1000 <= q.low <= 2100:
        if prev1 in YEAR_PREPS or noun is None or not _is_person_noun(noun):
            return True
    # "one of the leaders", "no one", "one another": a lone "one" must count people
    if q.kind == "exact" and q.low == 1 and low_text in ("one", "1"):
        if noun is None or not _is_person_noun(noun) or (nxt is not None and nxt.lower_ in ("of", "another", "by", "or")):
            return True
        if prev1 in ("no", "any", "every", "each", "only", "the", "this", "that", "which", "at", "someone"):
            return True
    # measured things: durations, distances, money, percentages, units
    if noun is not None:
        nl = noun.lemma_.lower()
        if nl in TIME_UNITS or noun.lower_ in TIME_UNITS or nl in MEASURE_UNITS or noun.lower_ in MEASURE_UNITS:
            return True
    # sizes of a workforce or a population
    if _STRONG_RE.match(after):
        m = _STRONG_RE.match(after)
        assert m is not None
        rest = text[abs_end + m.end():abs_end + m.end() + 40].lower()
        w = re.findall(r"[a-z][a-z'-]*", rest)
        head = next((x for x in w if x not in ("the", "a", "an", "and", "of", "angry", "peaceful")), "")
        if head.rstrip("s") not in EVENT_NOUNS and head not in EVENT_NOUNS:
            return True
    if noun is not None and (noun.lemma_.lower() in WORKFORCE_NOUNS or noun.lower_ in WORKFORCE_NOUNS):
        if prev1 in WORKFORCE_VERBS or prev1 in ("of",) and len(prev) > 1 and prev[1].lemma_.lower() in PLACE_NOUNS:
            return True
        gov, rel = _governor(noun)
        if gov is not None and rel in ("dobj", "with", "of", "attr"):
            gl = gov.lemma_.lower()
            if rel == "of" and gl in PLACE_NOUNS or rel != "of" and (gl in WORKFORCE_VERBS or gov.lower_ in WORKFORCE_VERBS):
                return True  # not "a total of 500 people were detained"
    if prev1 in ("employ", "employs", "employed", "employing", "population", "inhabitants", "populated"):
        return True
    if prev1 in SUBSET_MARKS and q.kind != "vague":
        # "X and Y were among 31 people arrested": the figure is the whole, X and Y the part
        if not (prev1 == "among" and len(prev) > 1 and prev[1].lemma_.lower() == "be"):
            return True
    # "120 of its 11,000 staff": the second figure is the whole, not a count of the event
    if len(prev) >= 3 and prev[1].lower_ == "of" and prev1 in ("its", "their", "the", "our", "his", "her", "some") and (
            prev[2].like_num or prev[2].lower_ in ("hundred", "thousand", "dozen", "dozens", "hundreds", "thousands")):
        # ... but "not one of the 800 arrested" names no part: the 800 is the count
        # ("the 800 arrested": a count told by its participle)
        p4 = _prev_words(doc, first, lo, 4)
        if not (prev[2].lower_ == "one" and len(p4) > 3 and p4[3].lower_ in ("not", "no")
                and last + 1 < hi and doc[last + 1].tag_ == "VBN"):
            return True
    if prev1 == "of" and len(prev) > 1 and prev[1].lemma_.lower() in PLACE_NOUNS:
        return True  # "a country of 9.4 million", "a town of 20,000"
    if prev1 == "of" and len(prev) > 1 and prev[1].lemma_.lower() in ("population", "workforce", "staff", "membership", "headcount"):
        return True
    return False


# --------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------


def classify_quantity(doc: "Doc", first: int, last: int, lo: int, hi: int,
                      noun: "Token | None") -> str | None:
    """The count field for the number in tokens [first, last], or None.

    ``lo``/``hi`` bound the sentence (token indices); windows never leave it nor cross a
    paragraph break.
    """
    core = doc[last]
    anchor = noun if noun is not None else core

    # a counted noun that is neither people, a crowd, nor a field noun: not a head count,
    # unless a verb that only takes people says what happened to it ("81 pilgrims were
    # arrested", "police detained 40 Xs": whatever X is, it is people)
    if noun is not None and noun.pos_ != "PRON":
        nl = noun.lemma_.lower()
        if not (_is_person_noun(noun) or nl in FIELD_NOUNS or noun.lower_ in FIELD_NOUNS
                or nl in EVENT_NOUNS):
            return _patient_of_people_verb(doc, first, last, lo, hi, noun)
    f = _classify(doc, first, last, lo, hi, noun)
    if f == "arrests" and noun is not None and noun.lemma_.lower() in _NOT_ARRESTABLE \
            and not _is_person_noun(noun):
        return None  # "two meetings were held", "a few rallies held in the town"
    return f


def _classify(doc: "Doc", first: int, last: int, lo: int, hi: int,
              noun: "Token | None") -> str | None:
    core = doc[last]
    anchor = noun if noun is not None else core

    # 1. dependency: the verb this noun/number is subject, object or agent of
    gov, rel = _governor(anchor)
    if anchor is not core and (gov is None or first <= gov.i <= last):
        # "Thousands of pensioners ...": the number itself heads the noun phrase
        gov, rel = _governor(core)
    if gov is not None and rel in ("nsubj", "nsubjpass", "dobj", "agent", "attr", "oprd") and lo <= gov.i < hi:
        f = _verb_field(doc, gov, lo, hi)
        if f is not None:
            if not (f == "participants" and rel == "dobj" and gov.lemma_.lower() in ("block", "picket", "occupy", "attend", "join", "boycott", "stage")):
                return f
            # "blocked 200 trucks" / "joined 300 workers" as object: object count is not the crowd
    if gov is not None and rel == "of" and gov.lemma_.lower() in EVENT_NOUNS and gov.i < first:
        return "participants"  # "a crowd of 500", "a march of thousands"
    if gov is not None and rel == "of" and gov.i < first and (
            gov.lemma_.lower() in ACTION_NOUNS or gov.lower_ in ACTION_NOUNS):
        # "the arrest of 12 rioters", "the killing of over 750 people" (what is done to them)
        return None if _nominal_unrealised(gov) else ACTION_NOUNS.get(gov.lemma_.lower()) or ACTION_NOUNS[gov.lower_]
    if gov is not None and rel == "dobj" and gov.lemma_.lower() in DRAW_VERBS and any(
            c.dep_ == "nsubj" and c.lemma_.lower() in EVENT_NOUNS for c in gov.children):
        return "participants"  # "the rally drew thousands"

    # "there were 300 of us at the gate", "there were 200 strikers outside"
    if gov is not None and gov.lemma_.lower() == "be" and rel in ("attr", "nsubj") and any(
            c.dep_ == "expl" for c in gov.children) and (noun is None or noun.pos_ == "PRON" or (
            _is_person_noun(noun) and noun.lemma_.lower() not in _SECURITY_NOUNS)):
        f = _trigger_after(doc, anchor.i + 1, lo, hi)
        return f or "participants"

    # 2./3. positional windows (weak parses): verb after the counted noun, verb before it
    skip, clause_skip, relcl_verbs = _np_modifiers(noun)
    no_governor = gov is None or not (gov.pos_ in ("VERB", "AUX") or gov.tag_.startswith("VB"))
    prev = _prev_words(doc, first, lo, 1)
    object_position = bool(prev) and _is_main_verb(prev[0])

    def scan_after(skipping: set[int]) -> tuple[str | None, bool]:
        """(field, whether a predicate verb was reached) for the tokens after the noun."""
        start = (anchor.i if anchor.i > last else last) + 1
        j = start
        steps = 0
        while j < hi and steps < 24:
            t = doc[j]
            if _is_break(doc[j - 1]):
                break
            if j in skipping:
                j += 1
                continue
            if j > start and t.lower_ in STOP_WORDS_CLAUSE and t.lower_ not in ("as", "so"):
                break
            if j > start and (t.like_num or t.lower_ in _QUANTITY_WORDS):
                break  # another figure: its own predicate follows
            f = _trigger_at(doc, j, lo, hi)
            if f is not None and (t.pos_ in ("VERB", "ADJ", "AUX") or t.tag_.startswith("VB") or t.tag_ == "JJ" or f != "participants"):
                return f, True
            if t.lemma_.lower() == "hold" and t.tag_ == "VBN":
                # "60 people held", "were held overnight" (not "held responsible")
                return ("arrests" if _held_in_custody(t) else None), True
            if _is_main_verb(t) and t.lemma_.lower() not in REPORTING_LEMMAS:
                if t.lemma_.lower() in ("remain", "stay", "continue") and not _trigger_after(doc, j + 1, lo, hi, ("participants",)):
                    return None, True  # "four remained in custody": a status, not a new count
                # "left the halls and marched", "stopped work and gathered"
                f = _conj_field(doc, t, lo, hi)
                if f is None:
                    # "were brought in with injuries", "were rushed to hospital"
                    f = _trigger_after(doc, j + 1, lo, hi, ("injuries", "deaths", "arrests"))
                return f, True
            j += 1
            steps += 1
        return None, False

    def after_window() -> str | None:
        f, saw_verb = scan_after(skip)
        if f is not None:
            return f
        # the event may be told in a relative clause ("500 workers who rallied ... demanded")
        for v in relcl_verbs:
            f = _verb_field(doc, v, lo, hi)
            if f is not None:
                return f
        if (not saw_verb or no_governor) and skip != clause_skip:
            # no predicate outside the modifiers, or a parse that gave the noun no verb at
            # all: the modifiers may have swallowed the predicate
            # ("andrei and 500 other miners at the pit [downed tools]")
            f, _ = scan_after(clause_skip)
        return f

    def before_window() -> str | None:
        j = first - 1
        steps = 0
        while j >= lo and steps < 8:
            t = doc[j]
            if _is_break(t) or t.lower_ in _BEFORE_STOPS:
                return None
            if _is_main_verb(t):
                f = _trigger_at(doc, j, lo, hi)
                if f is None and j + 1 < hi and t.lemma_.lower() in ("take", "round", "pick", "lock"):
                    return None
                return f
            # phrasal triggers whose verb is further left: "took into custody 30"
            j -= 1
            steps += 1
        return None

    order = (before_window, after_window) if object_position else (after_window, before_window)
    for fn in order:
        f = fn()
        if f is not None:
            return f

    # 4. crowd nouns before the number: "a crowd of about 500", "a walkout by 300 workers"
    p = _prev_words(doc, first, lo, 4)
    if len(p) >= 2 and p[0].lower_ in ("of", "by") and (p[1].lemma_.lower() in EVENT_NOUNS or p[1].lower_ in EVENT_NOUNS):
        return "participants"
    # "police put the crowd at 5,000", "turnout was estimated at 20,000"
    if p and p[0].lower_ == "at" and any(t.lemma_.lower() in EVENT_NOUNS or t.lower_ in ("attendance", "numbers") for t in _prev_words(doc, first, lo, 6)[1:]):
        return "participants"
    # "the death toll rose to 12", "the number of detainees reached 250"
    window = _prev_words(doc, first, lo, 7)
    lems = [t.lemma_.lower() for t in window]
    if "toll" in lems:
        return "deaths" if ("death" in lems or "toll" in lems) else None
    key = next((w for w in ("number", "figure", "tally", "total", "count") if w in lems), None)
    if key is not None:
        k = lems.index(key)
        for t in window[:k]:
            f = FIELD_NOUNS.get(t.lemma_.lower()) or FIELD_NOUNS.get(t.lower_)
            if f:
                return f

    # 5. the counted noun itself
    if noun is not None:
        f = FIELD_NOUNS.get(noun.lemma_.lower()) or FIELD_NOUNS.get(noun.lower_)
        if f:
            return f
        # a coordination of groups of people: "workers and residents", "pensioners, students"
        conj_people = [c for c in noun.children if c.dep_ == "conj" and _is_person_noun(c)]
        if conj_people and _is_person_noun(noun) and noun.dep_ in ("nsubj", "nsubjpass", "ROOT"):
            return "participants"
    return None


# --------------------------------------------------------------------------------------
# What happens to people: arrests and deaths told with or without a number
# --------------------------------------------------------------------------------------

# Verbs whose patient can only be people: "81 pilgrims were arrested" counts the pilgrims
# whatever the noun.  (Weak verbs — "held", "booked", "picked up", "caught" — also take
# things and events, so their patient must be people by itself.)
_STRONG_ARREST = frozenset({"arrest", "detain", "nab", "imprison", "incarcerate", "handcuff",
                            "jail"})
_STRONG_DEATH = frozenset({"kill", "murder", "slay", "lynch", "massacre", "behead"})
_ARREST_PARTICLES: dict[str, tuple[str, ...]] = {
    # verb lemma -> the particle or prepositional tail that makes it an arrest
    "round": ("up",), "pick": ("up",), "lock": ("up",), "haul": ("off", "away"),
    "take": ("custody",), "put": ("bar", "bars", "arrest"), "place": ("arrest",),
}
_WEAK_ARREST = frozenset({"hold", "book", "catch", "apprehend"})
# nouns that name an arrest or a killing: "the arrest of X", "his arrest", "the arrests"
ACTION_NOUNS: dict[str, str] = {
    "arrest": "arrests", "arrests": "arrests", "detention": "arrests",
    "detentions": "arrests", "killing": "deaths", "killings": "deaths", "murder": "deaths",
    "murders": "deaths", "massacre": "deaths",
}
# contexts in which a named arrest has not happened: "demanded the arrest of", "calls for
# arrests", "an arrest warrant", "fear of arrest", "evaded arrest", "protection from arrest"
_UNREAL_HEADS = frozenset({
    "demand", "call", "seek", "urge", "want", "ask", "press", "plead", "insist", "need",
    "order", "threaten", "threat", "fear", "avoid", "evade", "escape", "resist", "prevent",
    "stay", "protect", "protection", "immunity", "warrant", "bail", "risk", "face", "court",
    "possible", "possibility", "await", "hint", "expect", "likely", "against", "without",
    "until", "pending", "power", "powers", "sought", "plea", "appeal", "petition", "case",
    "recommend", "direct", "instruct", "move", "seek", "wish", "hope", "plan", "intend",
    "apprehension", "campaign", "agitation", "rumour", "rumor", "report",
    "allegation", "question", "whether", "deny", "denial", "no", "nor",
})
# verbs under which an arrest or a death is not (yet) a fact: "threatened to arrest",
# "demanded that he be arrested", "if they refuse they will be arrested"
_UNREAL_GOVERNORS = frozenset({
    "threaten", "demand", "want", "seek", "ask", "urge", "order", "plan", "fear", "warn",
    "decide", "refuse", "fail", "try", "attempt", "direct", "instruct", "call", "propose",
    "expect", "hope", "wish", "intend", "like", "prefer", "insist", "need", "deny", "vow",
    "promise", "pledge", "ready", "likely", "sure", "certain", "going", "able", "unable",
    "dare", "allow", "permit", "forbid", "suggest", "recommend", "advise", "hint",
})
_MODALS = frozenset({"will", "would", "shall", "should", "may", "might", "can", "could", "must",
                     "'ll", "'d", "wo", "ca", "ought"})
_NOT_ARRESTABLE = frozenset({
    "meeting", "rally", "march", "protest", "demonstration", "strike", "walkout", "vigil",
    "assembly", "gathering", "blockade", "occupation", "stoppage", "action", "motorcade",
    "sit-in", "picket", "turnout", "chain", "flashmob", "flash-mob", "procession", "convoy",
    "event", "election", "poll", "talk", "session", "conference",
})
# things, animals and vehicles that can be held, detained, caught or killed
_THING_PATIENTS = frozenset({
    "train", "vehicle", "bus", "truck", "lorry", "car", "ship", "vessel", "boat", "plane",
    "aircraft", "flight", "consignment", "shipment", "cargo", "goods", "weapon", "arm", "arms",
    "bomb", "explosive", "cattle", "cow", "animal", "bird", "dog", "goat", "sheep", "fish",
    "tiger", "elephant", "fire", "ball", "wicket", "catch", "glimpse", "cold", "eye", "attention",
    "bill", "project", "plan", "proposal", "file", "fund", "payment", "salary", "result",
    "seat", "ticket", "room", "hotel", "order", "it", "this", "that", "which", "what",
})
# people nouns that name someone arrested or wanted, beyond PERSON_NOUNS
_SUSPECT_NOUNS = frozenset({
    "accused", "suspect", "culprit", "accomplice", "mastermind", "militant", "gunman",
    "gunmen", "kingpin", "fugitive", "absconder", "mp", "mla", "chief", "head", "president",
    "secretary", "convener", "convenor", "chairman", "leader", "minister", "councillor",
    "councilor", "mayor", "priest", "cleric", "cadre", "cadres", "offender", "criminal",
    "thief", "thieves", "goon", "goons", "hooligan", "hooligans", "rioter", "looter", "mob",
    "miscreant", "miscreants", "extremist", "terrorist", "agent", "spy", "informer",
    "person", "persons", "people", "youth", "youths", "man", "men", "woman", "women",
    "boy", "boys", "girl", "girls", "son", "brother", "husband", "wife", "father", "driver",
})
_SING_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "himself", "herself", "i", "me",
                            "my", "myself", "someone", "somebody"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves", "we", "us", "our",
                              "ourselves", "those", "these", "others", "some", "all", "most",
                              "few"})
_RELATIVES = frozenset({"who", "whom", "that", "which"})
# an unnumbered plural ("the arrests were made", "the protesters were detained", "they were
# arrested"): at least two, and nothing says more (docs/counts.md, "Unnumbered counts")
PLURAL_UNNUMBERED: tuple[int, int] = (2, 2)


def _held_in_custody(verb: "Token") -> bool:
    """A "held" that is an arrest: passive or reduced ("60 people held", "he was held at
    the station"), not "held responsible/hostage/at ransom/up", nor a modal "should be held"."""
    kids = list(verb.children)
    if any(c.dep_ in ("acomp", "oprd", "xcomp", "ccomp") for c in kids):
        return False
    if any(c.dep_ == "prt" or c.lower_ in ("hostage", "hostages", "captive", "captives", "up",
                                           "back", "together", "responsible", "accountable",
                                           "liable", "guilty") for c in kids):
        return False
    if any(t.lower_ in ("ransom", "hostage", "gunpoint", "knifepoint", "esteem", "bay")
           for t in verb.subtree):
        return False
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in kids):
        return False
    doc = verb.doc
    for t in doc[verb.i + 1:min(verb.i + 8, verb.sent.end)]:
        if t.lower_ in ("responsible", "accountable", "liable", "guilty"):
            return False  # "held the minister responsible"
        if t.is_punct:
            break
    return True


def _nominal_unrealised(noun: "Token") -> bool:
    """An action noun ("arrest", "killing") that does not report a fact: "demanded the arrest
    of", "calls for arrests", "no arrests", "arrest warrant", "under house arrest"."""
    if noun.dep_ == "compound":
        return True  # "arrest warrant", "arrest orders"
    for c in noun.children:
        if c.dep_ == "compound" and c.lower_ in ("house", "home"):
            return True
        if c.dep_ in ("det", "neg") and c.lower_ in ("no", "any", "not", "every"):
            return True
        if c.dep_ in ("amod", "compound") and c.lower_ in ("possible", "further", "imminent",
                                                           "likely", "potential", "future",
                                                           "threatened", "wrongful"):
            return True
    t = noun
    for _ in range(6):
        h = t.head
        if h is t:
            break
        if h.pos_ in ("VERB", "AUX"):
            # "demanded the arrest", "called for arrests", "hinted of more arrests"; a
            # verb the phrase only modifies ("after the arrests, police said") says nothing
            core = t.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "xcomp", "oprd") or \
                t.dep_ == "prep" and t.lower_ in ("for", "of", "to", "against", "from")
            if not core:
                return False
            return h.lemma_.lower() in _UNREAL_HEADS or h.lower_ in _UNREAL_HEADS or _unrealised(h)
        if h.lemma_.lower() in _UNREAL_HEADS or h.lower_ in _UNREAL_HEADS:
            return True
        t = h
    return False


def _unrealised(verb: "Token") -> bool:
    """The arrest or death this verb tells has not happened (as far as the sentence says):
    negated, modal, an infinitive under "threatened to", a demand, a condition."""
    v = verb
    for _ in range(3):
        kids = list(v.children)
        if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") and c.dep_ in ("advmod", "neg")
               for c in kids):
            return True
        if any(c.dep_ in ("aux", "auxpass") and (c.lower_ in _MODALS or c.tag_ == "TO") for c in kids):
            head = v.head
            if not (v.dep_ == "xcomp" and head.lemma_.lower() in ("manage", "succeed", "help", "come")):
                return True
        if v.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in kids):
            return True  # imperative or bare infinitive: "arrest them"
        if v.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass") for c in kids):
            return True  # a gerund: "will not hesitate in arresting", "time for arresting X"
        left = v.left_edge.i
        before = " ".join(t.lower_ for t in v.doc[max(v.sent.start, left - 2):left])
        if before.endswith(("in case", "if", "unless")):
            return True  # "in case the government arrested leaders"
        subj = [c for c in kids if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and any(c.dep_ == "aux" and c.lower_ in ("had", "should", "were") and c.i < x.i
                        for c in kids for x in subj):
            return True  # "had X been detained, ...": a condition
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest", "whether") for c in kids):
            return True
        # a subject or object that says "no one": "not a single activist has been arrested"
        for c in kids:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                if c.lower_ in ("none", "nobody", "noone", "nothing", "neither"):
                    return True
                if any(d.dep_ in ("det", "neg", "advmod", "preconj") and d.lower_ in ("no", "not", "neither")
                       for d in c.children) or any(d.lower_ in ("not",) for d in c.lefts):
                    return True
        if v.dep_ in ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl"):
            head = v.head
            if v.dep_ != "conj" and (head.lemma_.lower() in _UNREAL_GOVERNORS or head.lower_ in _UNREAL_GOVERNORS):
                return True
            if v.dep_ in ("conj",) or v.dep_ in ("xcomp",) and head.pos_ in ("VERB", "AUX", "ADJ") or \
                    v.dep_ == "ccomp" and head.lemma_.lower() in ("get", "have", "make", "let", "see", "want", "like", "need"):
                v = head  # "to get X arrested": as real as getting is
                continue
        break
    return False


def _patient_of_people_verb(doc: "Doc", first: int, last: int, lo: int, hi: int,
                            noun: "Token") -> str | None:
    """Arrests or deaths for a number whose noun is not known to be people, when a verb that
    only takes people as its patient governs it: "81 pilgrims were arrested", "police
    detained 40 Xs", "17,000 Xs and Ys were arrested", "over 500 Xs were killed"."""
    nl = noun.lemma_.lower()
    if nl in OBJECT_NOUNS or noun.lower_ in OBJECT_NOUNS or nl in _THING_PATIENTS or \
            nl in TIME_UNITS or nl in MEASURE_UNITS or nl in PLACE_NOUNS or nl in _NOT_ARRESTABLE:
        return None
    gov, rel = _governor(noun)
    if gov is None or not lo <= gov.i < hi or rel not in ("nsubjpass", "dobj", "nsubj"):
        return None
    f = _people_verb_field(gov, numbered=True)
    if f is None:
        return None
    if rel == "nsubj" and not (f == "deaths" and gov.lemma_.lower() in ("die", "perish")):
        return None
    return None if _unrealised(gov) else f


def _people_verb_field(verb: "Token", numbered: bool = False) -> str | None:
    """"arrests"/"deaths" for a verb whose patient can only be people.  With a number,
    "apprehended" is an arrest too ("50 Xs were apprehended"; without one it is often
    "feared": "apprehending trouble")."""
    lem, low = verb.lemma_.lower(), verb.lower_
    if lem in _STRONG_ARREST or low in ("arrested", "detained", "nabbed", "jailed"):
        return "arrests"
    if numbered and lem == "apprehend":
        return "arrests"
    if lem in ("take", "put", "place", "round", "pick", "lock", "haul"):
        return "arrests" if _arrest_tail(verb) else None
    if lem in _STRONG_DEATH or low in ("killed", "murdered", "slain", "lynched"):
        return "deaths"
    if lem in ("die", "perish"):
        return "deaths"
    if lem in ("shoot", "gun", "beat", "hack", "stab", "burn", "stone", "club") and _death_tail(verb):
        return "deaths"
    return None


def _arrest_tail(verb: "Token") -> bool:
    """"rounded up", "picked up", "took into custody", "put behind bars", "placed under arrest"."""
    want = _ARREST_PARTICLES.get(verb.lemma_.lower(), ())
    for c in verb.children:
        if c.dep_ == "prt" and c.lower_ in want:
            return True
        if c.dep_ == "prep" and c.lower_ in ("into", "in", "behind", "under"):
            if any(g.lemma_.lower() in want or g.lower_ in want for g in c.children):
                if not any(g.dep_ == "compound" and g.lower_ in ("house", "home")
                           for p in c.children for g in p.children):
                    return True
        if c.dep_ in ("advmod", "prt") and c.lower_ in want:
            return True
    return False


def _death_tail(verb: "Token") -> bool:
    """"shot dead", "gunned down", "beaten to death", "burnt alive", "hacked to death"."""
    lem = verb.lemma_.lower()
    for c in verb.children:
        if c.lower_ == "dead" and c.dep_ in ("oprd", "acomp", "advmod", "xcomp", "dobj", "ccomp"):
            return True
        if c.lower_ == "down" and lem == "gun":
            return True
        if c.lower_ == "alive" and lem == "burn":
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
    return False


def _numbered(tok: "Token") -> bool:
    """A noun phrase that carries its own figure or vague word: the number path counts it."""
    for t in tok.subtree:
        if t.i > tok.i and t.dep_ not in ("compound", "flat", "amod", "det", "poss", "case"):
            continue
        if t.i > tok.i:
            continue
        if t.like_num and not (t.lower_ == "one" and tok.pos_ == "PROPN") or t.lower_ in _QUANTITY_WORDS or t.lower_ in (
                "many", "numerous", "few", "dozen", "hundred", "thousand", "scores", "several",
                "couple", "handful", "lot", "lots", "number", "both", "none", "two"):
            return True
    return False


def _name_extent(tok: "Token") -> tuple[int, int]:
    """Token range [start, end] of a name or noun with its compounds ("Ram Singh")."""
    start = end = tok.i
    for c in tok.children:
        if c.dep_ in ("compound", "flat") and c.i < tok.i:
            start = min(start, c.i)
    return start, end


_GROUP_WORDS: dict[str, int] = {"both": 2, "duo": 2, "trio": 3}


def _bare_name(tok: "Token") -> bool:
    """A singular noun with no determiner, or capitalised inside the sentence: a name the
    tagger took for a common noun ("Siddiqui was picked up", "pandya has been arrested")."""
    if tok.tag_ in ("NNS", "NNPS") or tok.ent_type_ in ("GPE", "LOC", "ORG", "FAC", "DATE", "TIME"):
        return False
    if tok.text[:1].isupper() and tok.i > tok.sent.start:
        return True
    return tok.pos_ in ("NOUN", "PROPN") and not any(
        c.dep_ in ("det", "poss", "amod", "nummod", "prep") for c in tok.children) and \
        tok.lemma_.lower() not in OBJECT_NOUNS and tok.lemma_.lower() not in _THING_PATIENTS


def _people(patient: "Token", verb: "Token | None", strong: bool) -> tuple[int, int, int] | None:
    """(count, first token, last token) of the people ``patient`` names with its conjuncts:
    one per name, pronoun or singular person, PLURAL_UNNUMBERED[0] per plural; None when it
    is not people, is numbered (the number path counts it) or says no one."""
    x = patient
    who = False
    if x.lower_ in _RELATIVES and verb is not None and verb.dep_ in ("relcl", "acl"):
        who = x.lower_ in ("who", "whom")
        x = verb.head  # "Siddiqui, who was arrested": Siddiqui
    elif x.lower_ in _RELATIVES:
        return None
    if x.dep_ == "pobj" and (x.head.lower_ in ("among", "including", "amongst") or x.head.lower_ == "of" and (
            x.head.head.like_num or x.head.head.tag_ == "CD" or x.head.head.lower_ in _QUANTITY_WORDS
            or x.head.head.lower_ in ("one", "many", "some", "most", "none", "each", "several", "few",
                                      "any", "either", "dozen", "hundred", "thousand", "score",
                                      "half", "majority", "rest", "number"))):
        return None  # "an engineer was among those arrested", "one of the arrested men": a part
    elems = [x]
    stack = [x]
    while stack:
        e = stack.pop()
        for c in e.children:
            if c.dep_ == "conj" and c.i > e.i:
                elems.append(c)
                stack.append(c)
    total = 0
    first, last = None, None
    for e in elems:
        low, lem = e.lower_, e.lemma_.lower()
        if low.endswith(("nobody", "none", "no-one")) or low in ("noone", "neither"):
            return None
        if low in _GROUP_WORDS and not any(c.like_num for c in e.children):
            n = _GROUP_WORDS[low]  # "both were caught", "the duo were arrested"
            first = e.i if first is None else min(first, e.i)
            last = e.i if last is None else max(last, e.i)
            total += n
            continue
        if _numbered(e):
            return None
        if e.pos_ == "PRON" or e.tag_ in ("PRP", "WP") or low in _PLURAL_PRONOUNS:
            if low in _SING_PRONOUNS:
                n = 1
            elif low in _PLURAL_PRONOUNS:
                if low == "few":
                    return None  # "few were arrested": not many, no count
                n = PLURAL_UNNUMBERED[0]  # "they", "those", "some of them", "most of the accused"
            else:
                continue  # "it", "one", "everyone"...
        else:
            if lem in _THING_PATIENTS or low in _THING_PATIENTS or lem in _NOT_ARRESTABLE or \
                    lem in OBJECT_NOUNS or lem in PLACE_NOUNS or lem in TIME_UNITS:
                continue
            named = e.ent_type_ in ("PERSON", "NORP") or e.pos_ == "PROPN" and e.ent_type_ not in (
                "GPE", "LOC", "ORG", "FAC", "DATE", "TIME", "EVENT", "PRODUCT", "WORK_OF_ART",
                "LAW", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT", "LANGUAGE")
            people = e.ent_type_ in ("PERSON", "NORP") or _is_person_noun(e) or lem in _SUSPECT_NOUNS \
                or low in _SUSPECT_NOUNS or who and e is x or strong and (named or _bare_name(e))
            if not people and strong and e.tag_ in ("NNS", "NNPS") and e.ent_type_ not in (
                    "GPE", "LOC", "ORG", "FAC", "DATE", "TIME", "EVENT", "PRODUCT"):
                people = True  # "police arrested the Xs": a verb that only takes people
            if not people:
                continue
            if e.pos_ not in ("NOUN", "PROPN", "ADJ"):
                continue
            plural = e.tag_ in ("NNS", "NNPS") or "Plur" in e.morph.get("Number")
            if e.pos_ == "PROPN" and e.tag_ == "NNPS" and named and e.ent_type_ == "PERSON":
                plural = False  # a name the tagger took for a plural
            n = PLURAL_UNNUMBERED[0] if plural else 1
        s, t = _name_extent(e)
        first = s if first is None else min(first, s)
        last = t if last is None else max(last, t)
        total += n
    if total == 0 or first is None or last is None:
        return None
    return total, first, last


def _patients(verb: "Token") -> list["Token"]:
    """Who the arrest or death happens to: passive subject, object, the noun a participle
    modifies ("the arrested persons", "those detained"), the subject of "die"; a verb
    coordinated without its own subject shares its head's ("were arrested and jailed")."""
    lem = verb.lemma_.lower()
    kids = list(verb.children)
    if lem in ("die", "perish", "succumb"):
        subj = [c for c in kids if c.dep_ == "nsubj"]
    else:
        subj = [c for c in kids if c.dep_ in ("nsubjpass", "dobj")]
        if not subj and verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_.lower() == "have"
                                                       for c in kids):
            # "... were arrested" parsed active; headline "50 Xs arrested in Y"
            subj = [c for c in kids if c.dep_ == "nsubj"]
    if not subj and verb.dep_ in ("acl", "amod", "relcl") and verb.tag_ in ("VBN", "JJ") and \
            verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        if verb.dep_ != "relcl":
            subj = [verb.head]
    if not subj and verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in kids):
        head = verb.head
        passive = any(c.dep_ == "auxpass" for c in kids)
        if head.tag_ == verb.tag_ or verb.tag_ == "VBN":
            # "were arrested and jailed"; "left the office and were arrested" (a passive
            # verb shares its head's active subject)
            subj = [c for c in head.children if c.dep_ == "nsubjpass" or
                    c.dep_ == "nsubj" and (passive or lem in ("die", "perish"))]
    return subj


def _unnumbered(sent: "SpacySpan", taken: list[tuple[int, int]]) -> list[CountMention]:
    """Arrests and deaths told without a figure: one per person named or pronoun ("X was
    arrested", "police arrested him", "X and Y were shot dead"), PLURAL_UNNUMBERED for a plural
    ("the protesters were detained", "the arrests were made")."""
    doc = sent.doc
    lo, hi = sent.start, sent.end
    out: list[CountMention] = []
    seen: set[tuple[str, int, int]] = set()

    def emit(field: str, n: int, a: int, b: int, verb: "Token | None" = None) -> None:
        s, e = doc[a].idx, doc[b].idx + len(doc[b].text)
        if any(s < te and ts < e for ts, te in taken):
            return  # the number path already counts these people
        if verb is not None and b < verb.i and any(
                e <= ts and te <= verb.idx for ts, te in taken):
            return  # "X: over 50 activists ... were arrested": the figure is the subject
        if b + 1 < hi and doc[b + 1].text == ":":
            return  # a dateline "Varanasi:"
        key = (field, s, e)
        if key in seen:
            return
        seen.add(key)
        out.append(CountMention(field, n, n, Span(s, e, doc.text[s:e])))  # type: ignore[arg-type]

    for tok in sent:
        lem, low = tok.lemma_.lower(), tok.lower_
        # verbs
        if tok.pos_ in ("VERB", "AUX", "ADJ") or tok.tag_.startswith("VB"):
            field = None
            strong = False
            if tok.i > lo and doc[tok.i - 1].lower_ in ("house", "home"):
                continue  # "house arrested": a status
            if lem in _WEAK_ARREST or low in ("held", "booked", "caught"):
                lem2 = {"held": "hold", "booked": "book", "caught": "catch"}.get(low, lem)
                if tok.tag_ != "VBN" and not any(c.dep_ == "nsubj" and c.lemma_.lower() in _SECURITY_NOUNS for c in tok.children):
                    continue  # active "held a meeting", "booked tickets"; "police caught him" is fine
                if lem2 == "hold" and not _held_in_custody(tok):
                    continue
                if lem2 == "book" and not any(
                        c.dep_ == "prep" and c.lower_ in ("for", "under") or c.dep_ == "agent"
                        and any(g.lemma_.lower() in _SECURITY_NOUNS for g in c.children) for c in tok.children):
                    continue  # "booked for murder", "booked under the Act"; not "booked on a flight"
                if lem2 == "catch" and any(c.lower_ in ("fire", "in", "on", "off", "up", "unawares", "unaware", "napping")
                                           or c.dep_ in ("acomp", "oprd") for c in tok.children):
                    continue
                field = "arrests"
            else:
                field = _people_verb_field(tok)
                strong = field is not None
            if field is None or _unrealised(tok):
                continue
            if field == "deaths" and lem == "kill" and tok.dep_ == "amod":
                continue  # "the killed": handled as nouns elsewhere
            for p in _patients(tok):
                got = _people(p, tok, strong)
                if got is not None:
                    emit(field, *got, verb=tok)
            continue
        # nouns: "the arrest of X", "his arrest", "the arrests were made", "preventive arrests"
        if tok.pos_ == "NOUN" and (lem in ("arrest", "detention") or low in ("arrests", "detentions")):
            if _nominal_unrealised(tok):
                continue
            whose = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"]
            whose += [c for c in tok.children if c.dep_ == "poss"]
            if whose:
                for p in whose:
                    got = _people(p, None, True)
                    if got is not None:
                        emit("arrests", *got)
                continue
            if low in ("arrests", "detentions"):
                # plural with no one named: a fact only as subject or object of a telling verb
                # ("the arrests were made", "the arrests followed", "made arrests")
                if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and any(
                        c.dep_ in ("det", "amod", "compound") for c in tok.children) or \
                        tok.dep_ in ("nsubjpass", "dobj") and tok.head.lemma_.lower() in ("make", "effect", "carry"):
                    if tok.dep_ == "pobj" and tok.head.lower_ not in ("after", "following", "since", "with", "in"):
                        continue
                    emit("arrests", PLURAL_UNNUMBERED[0], tok.i, tok.i)
            elif tok.dep_ in ("nsubjpass", "dobj") and tok.head.lemma_.lower() in ("make", "effect"):
                emit("arrests", 1, tok.i, tok.i)  # "an arrest was made"
    return out


def _strong_event(text: str, abs_end: int) -> bool:
    m = _STRONG_RE.match(text[abs_end:abs_end + 40])
    if m is None:
        return False
    rest = text[abs_end + m.end():abs_end + m.end() + 40].lower()
    w = re.findall(r"[a-z][a-z'-]*", rest)
    head = next((x for x in w if x not in ("the", "a", "an", "and", "of", "angry", "peaceful")), "")
    return head in EVENT_NOUNS or head.rstrip("s") in EVENT_NOUNS


def find_counts(sent: "SpacySpan") -> list[CountMention]:
    """Counts of participants, arrests, injuries and deaths in one parsed sentence.

    ``sent`` is a spaCy ``Span`` (a ``Doc`` is accepted too); the returned spans are offsets
    into ``sent.doc.text``.  Mentions come in text order.
    """
    if not hasattr(sent, "doc"):
        raise TypeError("find_counts takes a spaCy Span (a sentence)")
    doc = sent.doc
    if sent is doc:  # a Doc
        sent = doc[:]
    # Only the sentence's own text is read (Doc.text would cost O(document) per call);
    # offsets below are relative to it and shifted by ``base`` into document offsets.
    text = sent.text
    base = sent.start_char
    lo, hi = sent.start, sent.end
    out: list[CountMention] = []
    for q in scan_quantities(text):
        abs_start, abs_end = base + q.start, base + q.end
        cs = doc.char_span(abs_start, abs_end, alignment_mode="expand")
        if cs is None or len(cs) == 0:
            continue
        first, last = cs.start, cs.end - 1
        noun = _counted_noun(doc, first, last, hi)
        if _strong_event(text, q.end):
            field: str | None = "participants"
        else:
            if _not_a_count(q, doc, text, q.start, q.end, first, last, lo, hi, noun):
                continue
            field = classify_quantity(doc, first, last, lo, hi, noun)
        if field is None:
            continue
        out.append(CountMention(field, q.low, q.high, Span(abs_start, abs_end, q.text)))  # type: ignore[arg-type]
    # arrests and deaths told without a figure; any quantity phrase (counted or not) keeps
    # its people to the number path
    taken = [(base + q.start, base + q.end) for q in scan_quantities(text)]
    counted = {m.field for m in out}  # a figure for the field says how many; no second guess
    more = [m for m in _unnumbered(sent, taken) if m.field not in counted]
    if more:
        out = sorted(out + more, key=lambda m: m.span.start)
    return out
