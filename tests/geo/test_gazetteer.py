"""Place resolution and place finding on the offline gazetteer."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikewatch.geo.gazetteer import Gazetteer, fold_token
from strikewatch.geo.knowledge import KnowledgeBase
from strikewatch.types import Enterprise


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def found(gaz: Gazetteer, text: str, country: str | None = "BY", **kw: int) -> list[tuple[str, str]]:
    return [(m.span.text, m.place.name) for m in gaz.scan(text, country=country, **kw)]


VARIANTS = [
    ("Zhodino", "Zhodzina", "Жодино", "Жодзіна", "Gorod Zhodino"),
    ("Soligorsk", "Salihorsk", "Салигорск", "Солигорск"),
    ("Svetlogorsk", "Svietlahorsk", "Svetlahorsk", "Светлогорск"),
    ("Grodno", "Hrodna", "Гродно", "Гродна"),
    ("Mogilev", "Mahilyow", "Magilyov", "Mahilioŭ", "Могилёв"),
    ("Gomel", "Homel", "Homyel", "Homiel", "Гомель"),
    ("Vitebsk", "Viciebsk", "Vitsebsk", "Витебск"),
    ("Bobruisk", "Babruysk", "Bobruysk", "Бобруйск"),
    ("Novopolotsk", "Navapolatsk", "Наваполацк"),
    ("Mozyr", "Mazyr", "Мозырь"),
    ("Zhlobin", "Жлобин"),
    ("Borisov", "Barysaw", "Barysau", "Борисов"),
    ("Molodechno", "Maladzyechna", "Maladziečna"),
    ("Baranovichi", "Baranavichy"),
    ("Orsha", "Vorsha", "Орша"),
]


@pytest.mark.parametrize("names", VARIANTS, ids=lambda v: v[0])
def test_spellings_resolve_to_one_place(gaz: Gazetteer, names: tuple[str, ...]) -> None:
    places = [gaz.resolve(n) for n in names]
    assert all(p is not None for p in places), names
    assert {p.geonameid for p in places} == {places[0].geonameid}
    assert places[0].country == "BY" and places[0].precision == "city"
    assert places[0].lat is not None and places[0].lon is not None


@pytest.mark.parametrize(
    ("name", "canonical", "admin1"),
    [
        ("Zhodino", "Zhodzina", "Minsk Region"),
        ("Minsk", "Minsk", "Minsk City"),
        ("Grodno", "Hrodna", "Grodno Region"),
        ("Gomel", "Homyel", "Gomel Region"),
        ("Salihorsk", "Soligorsk", "Minsk Region"),
        ("Brest", "Brest", "Brest Region"),
    ],
)
def test_canonical_names_and_regions(gaz: Gazetteer, name: str, canonical: str, admin1: str) -> None:
    place = gaz.resolve(name, country="BY")
    assert place is not None
    assert (place.name, place.admin1, place.country) == (canonical, admin1, "BY")


@pytest.mark.parametrize(
    ("name", "hint", "country"),
    [("Brest", "BY", "BY"), ("Brest", "FR", "FR"), ("Brest", None, "BY"), ("Lida", "BY", "BY"),
     ("Minsk", None, "BY"), ("Kiev", None, "UA"), ("St. Petersburg", "BY", "RU")],
)
def test_ambiguous_names_prefer_the_hint(gaz: Gazetteer, name: str, hint: str | None, country: str) -> None:
    place = gaz.resolve(name, country=hint)
    assert place is not None and place.country == country


@pytest.mark.parametrize(
    ("name", "expected", "precision"),
    [
        ("Belarus", "Belarus", "country"),
        ("Republic of Belarus", "Belarus", "country"),
        ("Беларусь", "Belarus", "country"),
        ("Russia", "Russia", "country"),
        ("Minsk Region", "Minsk Region", "region"),
        ("Minsk oblast", "Minsk Region", "region"),
        ("Gomel region", "Gomel Region", "region"),
        ("Homiel voblasts", "Gomel Region", "region"),
        ("Hrodna oblast", "Grodno Region", "region"),
        ("Grodno Region", "Grodno Region", "region"),
        ("Brest province", "Brest Region", "region"),
        ("Crimea", "Crimea", "region"),
        ("Minsk city", "Minsk", "city"),
        ("the Hague", "The Hague", "city"),
    ],
)
def test_countries_and_regions(gaz: Gazetteer, name: str, expected: str, precision: str) -> None:
    place = gaz.resolve(name)
    assert place is not None
    assert (place.name, place.precision) == (expected, precision)


@pytest.mark.parametrize("name", ["", "   ", "Xqzvbn", "---", "🙂"])
def test_unknown_names(gaz: Gazetteer, name: str) -> None:
    assert gaz.resolve(name) is None


def test_bad_country_hint_names_the_value(gaz: Gazetteer) -> None:
    with pytest.raises(ValueError, match="'Belarus'"):
        gaz.resolve("Minsk", country="Belarus")
    with pytest.raises(ValueError, match="'BYR'"):
        gaz.scan("Minsk", country="BYR")
    assert gaz.resolve("Minsk", country="by") is not None


def test_bad_min_population() -> None:
    with pytest.raises(ValueError, match="min_population=100"):
        Gazetteer.load(100)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Workers struck in Zhodino on Monday.", [("Zhodino", "Zhodzina")]),
        ("in zhodino the money minsk", [("zhodino", "Zhodzina"), ("minsk", "Minsk")]),
        ("Grodno's workers and Hrodna's", [("Grodno", "Hrodna"), ("Hrodna", "Hrodna")]),
        ("svietlahorsk and mahilyow", [("svietlahorsk", "Svetlogorsk"), ("mahilyow", "Mahilyow")]),
        ("Рабочие в Гродно и Жодино", [("Гродно", "Hrodna"), ("Жодино", "Zhodzina")]),
        ("across the Minsk Region and the gomel region", [("Minsk Region", "Minsk Region"),
                                                         ("gomel region", "Gomel Region")]),
        ("rallies in Belarus and Lithuania", [("Belarus", "Belarus"), ("Lithuania", "Lithuania")]),
        ("Nizhny Novgorod and St. Petersburg", [("Nizhny Novgorod", "Nizhniy Novgorod"),
                                                ("St. Petersburg", "Saint Petersburg")]),
        ("in Brest-Litovsk", [("Brest-Litovsk", "Brest")]),
        ("officials in Moscow and Kiev", [("Moscow", "Moscow"), ("Kiev", "Kyiv")]),
        ("The US and the UK", [("US", "United States"), ("UK", "United Kingdom")]),
    ],
)
def test_scan_finds_places(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(gaz, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Of the 300 workers, most joined.",
        "Belarusian workers and Belarusians abroad",
        "Police detained 50 people near Independence Square.",
        "Mobile internet was cut. Union leaders met early.",
        "Early on, Grant Mark Reading said Nice things about Split and Bath.",
        "Maria Kolesnikova, Svetlana Tikhanovskaya and Viktor Babariko",
        "Vladimir Putin and Joseph Stalin",
        "the soul of the nation; a lime tree; let us go",
        "a phoenix rising, perm hair",
        "see sydney.example.org or mail minsk@example.org",
    ],
)
def test_scan_avoids_common_words(gaz: Gazetteer, text: str) -> None:
    assert found(gaz, text) == []
    assert found(gaz, text, country=None) == []


def test_scan_without_hint_is_stricter(gaz: Gazetteer) -> None:
    text = "strikes in Zhodino, zhodino, Minsk and minsk"
    assert found(gaz, text, country=None) == [("Minsk", "Minsk"), ("minsk", "Minsk")]
    assert len(found(gaz, text)) == 4


def test_multiword_names_need_plain_gaps(gaz: Gazetteer) -> None:
    assert found(gaz, "Nizhny, Novgorod", country="RU") == [("Novgorod", "Velikiy Novgorod")]
    assert found(gaz, "in Minsk. Region officials said") == [("Minsk", "Minsk")]


def test_scan_bounds_and_offsets(gaz: Gazetteer) -> None:
    text = "Zhodino. Then Hrodna, then Lida."
    mentions = gaz.scan(text, 9, 21, country="BY")
    assert [(m.span.start, m.span.end, m.span.text) for m in mentions] == [(14, 20, "Hrodna")]


def test_every_enterprise_town_resolves(gaz: Gazetteer) -> None:
    for ent in KnowledgeBase.load().enterprises:
        place = gaz.place_of_enterprise(ent)
        assert place.geonameid is not None, ent.town
        assert (place.name, place.country, place.precision) == (ent.town, ent.country, "city")


def test_place_of_unknown_town(gaz: Gazetteer) -> None:
    ent = Enterprise("x", "X", (), "Nowheresville", "BY")
    place = gaz.place_of_enterprise(ent)
    assert (place.name, place.country, place.precision, place.geonameid) == ("Nowheresville", "BY", "city", None)


def test_fold_token() -> None:
    assert fold_token("hrodna") == fold_token("grodno")
    assert fold_token("zhodzina") == fold_token("zhodino")
    assert fold_token("salihorsk") == fold_token("soligorsk")
    assert fold_token("barysaw") == fold_token("borisov") == fold_token("barysau")
    assert fold_token("minsk") != fold_token("pinsk")
    assert fold_token("of") == "of"


def test_hostile_input(gaz: Gazetteer) -> None:
    assert gaz.scan("") == []
    big = ("Strikes spread from Minsk to Hrodna and Zhodino; " * 20000)[:1_000_000]
    assert len(gaz.scan(big, country="BY")) > 50000
    odd = "\u0000\ufeff\u200bМинск\u0301 💥 Ｍｉｎｓｋ 東京 Zhodzi\u0301na " + "\u0301" * 20 + "a\u0300" * 50
    for m in gaz.scan(odd, country="BY"):
        assert odd[m.span.start : m.span.end] == m.span.text
    assert gaz.scan("Minsk", 4, 1) == []


def test_detail_countries_add_small_towns() -> None:
    gaz = Gazetteer.load(100_000, detail_countries=["BY"], detail_min_population=5000)
    place = gaz.resolve("Novolukoml")
    assert place is not None and (place.name, place.country) == ("Novolukoml", "BY")
    assert gaz.resolve("Warsaw") is not None  # 1.7 million people
    assert gaz.resolve("Suwalki") is None  # fewer than 100,000 and not in a detail country


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("MinskZhodinoГродноBelarus region'-.,\n ́ẃ")), max_size=80),
       st.data(), st.sampled_from(["BY", None]))
def test_spans_always_cover_their_text(gaz: Gazetteer, text: str, data: st.DataObject, hint: str | None) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for m in gaz.scan(text, start, end, country=hint):
        assert text[m.span.start : m.span.end] == m.span.text
        assert start <= m.span.start < m.span.end <= end
