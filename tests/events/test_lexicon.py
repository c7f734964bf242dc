"""The trigger lexicon is data: the English one loads whole, and a broken one says where."""
from __future__ import annotations

import pytest

from strikewatch.events.lexicon import WORD_SETS, LexiconError, parse_lexicon, trigger_lexicon

SETS = "\n".join(f'{name} = "x"' for name in WORD_SETS)


def test_the_english_lexicon_defines_every_set_and_only_known_types():
    lex = trigger_lexicon("en")
    assert set(WORD_SETS) <= set(lex.words)
    assert lex.triggers["walkout"] == "strike" and lex.agents["rioter"] == "riot"
    assert (("take", "to", "the", "street"), "protest") in lex.phrases
    assert lex.score.search("a 3-2 win") and "would" in lex["modals"]


def test_a_minimal_lexicon_parses():
    text = f'[triggers]\nstreik = "strike"\n[phrases]\nstrike = ["die arbeit niederlegen"]\n' \
           f'[patterns]\nscore = "\\\\d+:\\\\d+"\n[words]\n{SETS}\n'
    lex = parse_lexicon(text, "de")
    assert lex.triggers == {"streik": "strike"}
    assert lex.phrases == ((("die", "arbeit", "niederlegen"), "strike"),)
    assert lex.score.search("2:1")


@pytest.mark.parametrize("text, says", [
    (f'[triggers]\nstreik = "streik"\n[words]\n{SETS}\n', "unknown event type"),
    ('[triggers]\nstreik = "strike"\n[words]\nmodals = "x"\n', "missing"),
    (f'[patterns]\nscore = "("\n[words]\n{SETS}\n', "score"),
    ("[triggers\n", "triggers.toml"),
])
def test_a_broken_lexicon_says_what_and_where(text, says):
    with pytest.raises(LexiconError, match=says):
        parse_lexicon(text, "xx")


def test_a_language_without_a_lexicon_is_refused():
    with pytest.raises(LexiconError, match="no trigger lexicon"):
        trigger_lexicon("zz")
