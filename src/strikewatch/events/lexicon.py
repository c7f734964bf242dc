"""A language's trigger lexicon: the words that tell a strike, protest, blockade or riot, and
the words that say one did not happen. Data, not code: ``strikewatch/data/lang/<lang>/
triggers.toml`` (docs/language-packs.md describes it), read once per language and kept."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

EVENT_TYPES = frozenset({"strike", "protest", "blockade", "riot", "continue"})
# the word sets every lexicon defines (triggers.py reads each of them)
WORD_SETS = ("verb_only", "role_heads", "not_happened_heads", "done_if_past", "goals",
             "unreal_modifiers", "modals", "negations", "conditionals", "military_modifiers",
             "business_chain", "sport_words", "sport_sensitive", "routes", "throw_verbs",
             "missiles", "smash_verbs", "smashed", "light_verbs", "fires", "turn_verbs",
             "habitual", "riot_gear", "shots", "generic_prepositions", "people_only",
             "meeting_modifiers", "protest_leaders", "workforce", "month_before")


class LexiconError(ValueError):
    """A trigger lexicon that cannot be used, with the file and the entry that say why."""


@dataclass(frozen=True, slots=True)
class TriggerLexicon:
    lang: str
    triggers: Mapping[str, str]                        # lemma -> event type
    agents: Mapping[str, str]                          # agent noun -> event type
    phrases: tuple[tuple[tuple[str, ...], str], ...]   # words in order -> event type
    score: re.Pattern[str]                             # a sports score or match clock
    words: Mapping[str, frozenset[str]]

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.words[name]


def lexicon_text(lang: str) -> str:
    ref = resources.files("strikewatch").joinpath("data", "lang", lang, "triggers.toml")
    if not ref.is_file():
        raise LexiconError(f"no trigger lexicon for language {lang!r} "
                           f"(data/lang/{lang}/triggers.toml)")
    return ref.read_text(encoding="utf-8")


def parse_lexicon(text: str, lang: str) -> TriggerLexicon:
    where = f"data/lang/{lang}/triggers.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LexiconError(f"{where}: {err}") from err

    def typed(section: str) -> dict[str, str]:
        table = data.get(section, {})
        bad = {k: v for k, v in table.items() if v not in EVENT_TYPES}
        if bad:
            raise LexiconError(f"{where} [{section}]: unknown event type in {bad}; "
                               f"use one of {sorted(EVENT_TYPES)}")
        return {k.lower(): v for k, v in table.items()}

    phrases = []
    for etype, items in data.get("phrases", {}).items():
        if etype not in EVENT_TYPES:
            raise LexiconError(f"{where} [phrases]: unknown event type {etype!r}")
        phrases += [(tuple(p.lower().split()), etype) for p in items]
    words = {name: frozenset(str(value).lower().split())
             for name, value in data.get("words", {}).items()}
    missing = [name for name in WORD_SETS if name not in words]
    if missing:
        raise LexiconError(f"{where} [words]: missing {', '.join(missing)}")
    try:
        score = re.compile(data.get("patterns", {}).get("score", r"(?!)"), re.I)
    except re.error as err:
        raise LexiconError(f"{where} [patterns] score: {err}") from err
    return TriggerLexicon(lang, MappingProxyType(typed("triggers")),
                          MappingProxyType(typed("agents")), tuple(phrases), score,
                          MappingProxyType(words))


@cache
def trigger_lexicon(lang: str = "en") -> TriggerLexicon:
    """The trigger lexicon of a language, read and checked once."""
    return parse_lexicon(lexicon_text(lang), lang)


__all__ = ["LexiconError", "TriggerLexicon", "WORD_SETS", "parse_lexicon", "trigger_lexicon"]
