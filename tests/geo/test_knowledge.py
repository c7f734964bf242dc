"""The enterprise knowledge base: loading, users' files, and finding names in text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikewatch.geo.knowledge import KnowledgeBase, KnowledgeBaseError, name_key, tokenize


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def keys(kb: KnowledgeBase, text: str, start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
    return [(m.enterprise.key, m.span.text) for m in kb.scan(text, start, end)]


def test_bundled_file_is_large_and_consistent(kb: KnowledgeBase) -> None:
    assert len(kb) >= 45
    for ent in kb.enterprises:
        assert kb.get(ent.key) is ent
        assert ent.country == "BY"
        assert ent.town and ent.name
    assert kb.get("no_such_key") is None


@pytest.mark.parametrize(
    ("key", "needed"),
    [
        ("mtz", {"MTZ", "МТЗ"}),
        ("maz", {"MAZ", "МАЗ"}),
        ("mzkt", {"MZKT"}),
        ("bmz", {"BMZ"}),
        ("belaz", {"БелАЗ"}),
        ("grodno_azot", {"Гродно Азот", "Hrodna Azot"}),
        ("belaruskali", {"Беларуськалий"}),
    ],
)
def test_aliases_cover_abbreviations_and_scripts(kb: KnowledgeBase, key: str, needed: set[str]) -> None:
    ent = kb.get(key)
    assert ent is not None
    assert needed <= set(ent.aliases)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Workers at the Grodno Azot plant walked out.", [("grodno_azot", "Grodno Azot")]),
        ("Grodno Azot's night shift stopped", [("grodno_azot", "Grodno Azot")]),
        ("staff of Grodno-Azot and Hrodna Azot", [("grodno_azot", "Grodno-Azot"), ("grodno_azot", "Hrodna Azot")]),
        ("GRODNOAZOT and grodnoazot", [("grodno_azot", "GRODNOAZOT"), ("grodno_azot", "grodnoazot")]),
        ("рабочие «Гродно Азот» вышли", [("grodno_azot", "Гродно Азот")]),
        ("minsk wheel tractor plant workers", [("mzkt", "minsk wheel tractor plant")]),
        ("the Minsk Wheeled Tractor Plant (MZKT)", [("mzkt", "Minsk Wheeled Tractor Plant"), ("mzkt", "MZKT")]),
        ("at the Minsk Tractor Works", [("mtz", "Minsk Tractor Works")]),
        ("mtz, maz and mzkt", [("mtz", "mtz"), ("maz", "maz"), ("mzkt", "mzkt")]),
        ("Belarusian Steel Works in Zhlobin", [("bmz", "Belarusian Steel Works")]),
        ("Belaruskali miners", [("belaruskali", "Belaruskali")]),
        ("БелАЗ и МАЗ", [("belaz", "БелАЗ"), ("maz", "МАЗ")]),
        ("the BELAZ truck maker", [("belaz", "BELAZ")]),
        ("Belarusian state TV staff", [("belteleradiocompany", "Belarusian state TV")]),
        ("Naftan in Novopolotsk", [("naftan", "Naftan")]),
        ("Mozyr refinery", [("mozyr_refinery", "Mozyr refinery")]),
        ("Belshína", [("belshina", "Belshína")]),  # diacritics are folded
    ],
)
def test_scan_finds_enterprises(kb: KnowledgeBase, text: str, expected: list[tuple[str, str]]) -> None:
    assert keys(kb, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Azot prices rose",  # 'Azot' alone names many plants: not an alias
        "the integral of a function",  # 'Integral' needs its capital
        "a tractor plant in Minsk",
        "Minsk, Tractor Works",  # punctuation breaks a name
        "Belarusian workers",
        "Grodno. Azot",
        "xmtz maz2",
    ],
)
def test_scan_finds_nothing(kb: KnowledgeBase, text: str) -> None:
    assert keys(kb, text) == []


def test_minsk_wheel_tractor_is_never_mtz(kb: KnowledgeBase) -> None:
    for text in ("Minsk Wheel Tractor Plant", "MINSK WHEEL TRACTOR PLANT", "minsk wheel-tractor plant",
                 "Minsk Wheel Tractor Works", "Minsk Wheeled Tractor Factory"):
        found = keys(kb, text)
        assert [k for k, _ in found] == ["mzkt"], text


def test_longest_match_and_no_overlap(kb: KnowledgeBase) -> None:
    text = "Grodno Tobacco Factory Neman"
    assert keys(kb, text) == [("neman_tobacco", text)]


def test_spans_are_offsets_in_the_full_text(kb: KnowledgeBase) -> None:
    text = "Intro. Strikes hit BelAZ and MAZ on Monday."
    found = kb.scan(text, 7, 34)
    assert [(m.enterprise.key, m.span.start, m.span.end) for m in found] == [("belaz", 19, 24), ("maz", 29, 32)]
    assert keys(kb, text, 0, 21) == []  # "Bel" is a cut word, not a name


def test_extra_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"format": 1, "enterprises": [
        {"key": "zavod_x", "name": "Zavod X", "aliases": ["ZX Plant"], "town": "Lida", "country": "BY"},
        {"key": "belaz", "name": "BelAZ", "aliases": ["Belarusian Autoworks"], "town": "Zhodzina",
         "country": "BY", "sector": "trucks", "owner": "state"},
    ]}), encoding="utf-8")
    kb = KnowledgeBase.load([extra])
    assert kb.get("zavod_x") is not None
    assert [m.enterprise.key for m in kb.scan("at the zx plant and BelAZ")] == ["zavod_x", "belaz"]
    assert kb.get("belaz").aliases == ("Belarusian Autoworks",)
    assert kb.get("mtz") is not None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": 2, "enterprises": []}', "format"),
        ('{"format": 1, "enterprises": [{"key": "x"}]}', "'country'"),
        ('{"format": 1, "enterprises": [{"key": "Bad Key", "name": "A", "town": "Lida", "country": "BY"}]}', "key must"),
        ('{"format": 1, "enterprises": [{"key": "a", "name": "A", "town": "Lida", "country": "Belarus"}]}', "alpha-2"),
        ('{"format": 1, "enterprises": [{"key": "a", "name": "A", "town": "Lida", "country": "BY", "aliases": "A"}]}',
         "list of non-empty strings"),
        ('{"format": 1, "enterprises": [{"key": "a", "name": "A", "town": "Lida", "country": "BY", "site": 1}]}',
         "unknown field"),
        ('{"format": 1, "enterprises": [{"key": "a", "name": "A", "town": "Lida", "country": "BY"},'
         ' {"key": "a", "name": "B", "town": "Lida", "country": "BY"}]}', "twice"),
        ('{"format": 1, "enterprises": [{"key": "a", "name": "MAZ", "town": "Lida", "country": "BY"}]}',
         "names both"),
        ('{"format": 1, "enterprises": [{"key": "a", "name": "--", "town": "Lida", "country": "BY"}]}', "no letters"),
    ],
)
def test_bad_extra_file_names_file_and_problem(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        KnowledgeBase.load([bad])
    assert "bad.json" in str(err.value)
    assert problem in str(err.value)


def test_missing_extra_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="missing.json"):
        KnowledgeBase.load([tmp_path / "missing.json"])


def test_name_key_matches_text_tokens() -> None:
    assert name_key("Grodno-Azot") == ("grodno", "azot")
    assert name_key("Гродно Азот") == ("grodno", "azot")
    assert name_key("Zhodzína") == ("zhodzina",)
    assert [t.norm for t in tokenize("Grodno Azot's")] == ["grodno", "azot", "s"]


def test_hostile_input(kb: KnowledgeBase) -> None:
    big = ("Workers of Grodno Azot and MAZ struck. " * 26000)[:1_000_000]
    found = kb.scan(big)
    assert len(found) > 40000
    odd = "\u0000\ufeff\u200b МТЗ\u0301 💥 𝐌𝐀𝐙 ＭＡＺ " + "\ud7ff" + "a\u0300" * 50
    for m in kb.scan(odd):
        assert odd[m.span.start : m.span.end] == m.span.text
    assert kb.scan("MAZ", 5, 2) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Grodno AzotMAZмтзБелАЗ'-.,\n ẃ́")), max_size=80), st.data())
def test_spans_always_cover_their_text(kb: KnowledgeBase, text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for m in kb.scan(text, start, end):
        assert text[m.span.start : m.span.end] == m.span.text
        assert start <= m.span.start < m.span.end <= end


@pytest.mark.parametrize("text, key", [
    ("a stamp operator at the minsk tractor functions said", "mtz"),
    ("workers of the belarusian steel flowers in zhlobin", "bmz"),
    ("at the minsk wheel tractor plant on monday", "mzkt"),
])
def test_a_reworded_generic_last_word_still_names_the_enterprise(text, key):
    kb = KnowledgeBase.load()
    assert [m.enterprise.key for m in kb.scan(text)] == [key]
