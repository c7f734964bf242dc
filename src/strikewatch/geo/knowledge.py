"""Knowledge base of enterprises, and the token matching the geo stage shares.

Names are matched on tokens, not characters: a token is a run of letters or digits (with
combining accents), normalised by :func:`norm_token` (Latin and Cyrillic to ASCII via
anyascii, lowercase). So "Grodno-Azot", "GRODNO AZOT", "Гродно Азот" and "grodno azot's" all
give the tokens ``grodno azot``; a match starts and ends on a word boundary, and a name spans
only spaces, a line break, a hyphen or an apostrophe (a dot after a short abbreviation).

File format (the bundled ``data/enterprises.json`` and users' files alike)::

    {"format": 1, "enterprises": [{"key": "belaz", "name": "BelAZ", "aliases": ["БелАЗ"],
      "cased_aliases": [], "town": "Zhodzina", "country": "BY", "sector": "...", "owner": "state"}]}

Aliases match in any case. ``cased_aliases`` match only when capitalised in the text, for
names that are also ordinary words ("Integral", "Horizont"). Words that name many plants
("Azot", "Khimvolokno", "Neman", "Metro") are not aliases on their own at all: "Azot" is the
name of nitrogen plants across the former USSR, so only "Grodno Azot" and its spellings are.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from anyascii import anyascii

from strikewatch.types import Enterprise, EnterpriseMention, Span

T = TypeVar("T")

TOKEN_RE = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_OTHER_SCRIPT = re.compile(r"[^\x00-\u036f\u0400-\u052f\u1e00-\u1eff]")
_KEY_RE = re.compile(r"[a-z0-9_]+")
KB_FORMAT = 1


def norm_token(token: str) -> str:
    """One token as lowercase ASCII letters and digits ("" if nothing is left).

    Only Latin and Cyrillic are transliterated; a token in another script is kept as it is
    (lowercased), so it never equals an ASCII key.
    """
    if token.isascii():
        return token.lower()
    if _OTHER_SCRIPT.search(token):
        return token.lower()
    return _NON_ALNUM.sub("", anyascii(token).lower())


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    norm: str
    joined: bool  # only spaces, a hyphen, an apostrophe or a dot since the previous token


_JOIN_GAP = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*(?:[-‐‑–'’][ \t\u00a0]*)?")
_ABBREV_GAP = re.compile(r"\.[ \t\u00a0]*")  # "St. Petersburg", "U.S."


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets in ``text``; words cut by the bounds are dropped."""
    stop = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    out: list[Token] = []
    prev = -1
    for m in TOKEN_RE.finditer(text, start, stop):
        s, e = m.span()
        if (s == start and s > 0 and _is_word(text[s - 1])) or (e == stop and e < len(text) and _is_word(text[e])):
            continue  # a word cut in two by the bounds is not a word
        norm = norm_token(m.group())
        if norm:
            joined = prev >= 0 and s - prev <= 40 and (
                (s - prev == 1 and text[prev] == " ")
                or _JOIN_GAP.fullmatch(text, prev, s) is not None
                or (len(out[-1].norm) <= 3 and _ABBREV_GAP.fullmatch(text, prev, s) is not None)
            )
            out.append(Token(s, e, norm, joined))
            prev = e
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum() or "\u0300" <= ch <= "\u036f"


SPUN_HEADS = frozenset("works plant factory mill refinery combine enterprise".split())
SPUN_STOP = frozenset("""and or of in at on the a an to for with by from is was were are be has
have had said says workers employees staff""".split())


def name_key(name: str) -> tuple[str, ...]:
    """The token key of a name, as text tokens give it."""
    return tuple(n for n in map(norm_token, TOKEN_RE.findall(name)) if n)


class NgramIndex(Generic[T]):
    """Token n-gram dictionary: finds every key at every token position in one pass."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, ...], list[T]] = {}
        self._prefixes: set[tuple[str, ...]] = set()

    def add(self, key: tuple[str, ...], value: T) -> None:
        values = self._values.get(key)
        if values is None:
            if not key:
                return
            self._values[key] = [value]
            for n in range(1, len(key) + 1):
                self._prefixes.add(key[:n])
        elif value not in values:
            values.append(value)

    def get(self, key: tuple[str, ...]) -> list[T]:
        return self._values.get(key, [])

    def __len__(self) -> int:
        return len(self._values)

    def find(self, norms: Sequence[str], joined: Sequence[bool]) -> Iterator[tuple[int, int, list[T]]]:
        """Yield ``(i, n, values)`` for each key at ``norms[i:i+n]``, longest first at each i;
        a key spans token j only if ``joined[j]`` (nothing but a space or a hyphen before it)."""
        prefixes, values = self._prefixes, self._values
        for i in range(len(norms)):
            if (norms[i],) not in prefixes:
                continue
            hits: list[tuple[int, int, list[T]]] = []
            n = 1
            while i + n <= len(norms) and (n == 1 or joined[i + n - 1]):
                key = tuple(norms[i : i + n])
                if key not in prefixes:
                    break
                if key in values:
                    hits.append((i, n, values[key]))
                n += 1
            yield from reversed(hits)


def select_longest(matches: Sequence[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """Keep the longest of overlapping ``(i, n, value)`` matches (leftmost on ties), in text order."""
    taken: set[int] = set()
    kept: list[tuple[int, int, T]] = []
    for i, n, value in sorted(matches, key=lambda m: (-m[1], m[0])):
        cells = range(i, i + n)
        if any(c in taken for c in cells):
            continue
        taken.update(cells)
        kept.append((i, n, value))
    return sorted(kept, key=lambda m: m[0])


class KnowledgeBaseError(ValueError):
    """A knowledge-base file that cannot be used; the message names the file and the fix."""


class KnowledgeBase:
    """Known enterprises and a matcher for their names in text."""

    def __init__(self, enterprises: Sequence[Enterprise], cased: Sequence[tuple[str, str]] = ()) -> None:
        """``cased`` pairs (key, alias) mark aliases matched only when capitalised in the text."""
        self._by_key: dict[str, Enterprise] = {}
        for ent in enterprises:
            self._by_key[ent.key] = ent
        cased_set = {(k, name_key(a)) for k, a in cased}
        self._index: NgramIndex[tuple[str, bool]] = NgramIndex()
        owner: dict[tuple[str, ...], str] = {}
        heads: dict[tuple[str, ...], set[str]] = {}
        for ent in self._by_key.values():
            for alias in (ent.name, *ent.aliases):
                key = name_key(alias)
                if not key:
                    raise KnowledgeBaseError(f"enterprise {ent.key!r}: alias {alias!r} has no letters; remove it")
                other = owner.setdefault(key, ent.key)
                if other != ent.key:
                    raise KnowledgeBaseError(
                        f"alias {alias!r} names both {other!r} and {ent.key!r}; keep it in one entry only"
                    )
                self._index.add(key, (ent.key, (ent.key, key) in cased_set))
                if len(key) >= 3 and key[-1] in SPUN_HEADS:
                    heads.setdefault(key[:-1], set()).add(ent.key)
        # "minsk tractor functions": a reworded copy changes the generic last word of a name
        # (tests/data/crossdoc spun copies); kept only where the rest names one enterprise
        self._spun = {k: next(iter(v)) for k, v in heads.items() if len(v) == 1
                      and not self._index.get(k)}

    @classmethod
    def load(cls, extra_paths: Sequence[Path] = ()) -> KnowledgeBase:
        """The bundled knowledge base plus users' files of the same shape.

        An entry whose key is already known replaces it (later files win). Raises
        :class:`KnowledgeBaseError` naming the file and the problem for an unreadable file, a
        malformed entry, or an alias that would name two enterprises.
        """
        bundled = resources.files("strikewatch").joinpath("data", "enterprises.json")
        entries: dict[str, tuple[Enterprise, list[str]]] = {}
        sources = [("bundled enterprises.json", bundled.read_text(encoding="utf-8"))]
        for path in extra_paths:
            try:
                sources.append((str(path), Path(path).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                raise KnowledgeBaseError(f"{path}: cannot read knowledge-base file ({exc}); check the path") from exc
        for source, raw in sources:
            for ent, cased in _parse(source, raw):
                entries[ent.key] = (ent, cased)
        cased_pairs = [(k, a) for k, (_, cased) in entries.items() for a in cased]
        try:
            return cls([e for e, _ in entries.values()], cased_pairs)
        except KnowledgeBaseError as exc:
            names = ", ".join(s for s, _ in sources)
            raise KnowledgeBaseError(f"{names}: {exc}") from exc

    @property
    def enterprises(self) -> tuple[Enterprise, ...]:
        return tuple(self._by_key.values())

    def get(self, key: str) -> Enterprise | None:
        return self._by_key.get(key)

    def __len__(self) -> int:
        return len(self._by_key)

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[EnterpriseMention]:
        """Enterprise names in ``text[start:end]``: longest match wins, no overlaps, text order."""
        tokens = tokenize(text, start, end)
        norms = [t.norm for t in tokens]
        found: list[tuple[int, int, str]] = []
        for i, n, values in self._index.find(norms, [t.joined for t in tokens]):
            for key, cased in values:
                if cased and not text[tokens[i].start].isupper():
                    continue
                found.append((i, n, key))
                break
        for i in range(len(tokens) - 1):
            for n in (3, 2):
                key = self._spun.get(tuple(norms[i:i + n]))
                if key and i + n < len(tokens) and tokens[i + n].norm.isalpha() \
                        and tokens[i + n].norm not in SPUN_STOP:
                    found.append((i, n + 1, key))
                    break
        out = []
        for i, n, key in select_longest(found):
            span = Span.of(text, tokens[i].start, tokens[i + n - 1].end)
            out.append(EnterpriseMention(self._by_key[key], span))
        return out


def _parse(source: str, raw: str) -> Iterator[tuple[Enterprise, list[str]]]:
    """Entries of one knowledge-base file, checked; errors name the file, the entry and the fix."""
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise KnowledgeBaseError(f"{source}: not valid JSON ({exc}); fix the syntax") from exc
    if not isinstance(doc, dict) or doc.get("format") != KB_FORMAT or not isinstance(doc.get("enterprises"), list):
        raise KnowledgeBaseError(
            f'{source}: expected {{"format": {KB_FORMAT}, "enterprises": [...]}}; fix the top level'
        )
    seen: set[str] = set()
    for n, item in enumerate(doc["enterprises"]):
        where = f"{source}: enterprise #{n}"
        if not isinstance(item, dict):
            raise KnowledgeBaseError(f"{where}: expected an object, got {type(item).__name__}")
        where = f"{source}: enterprise {item.get('key', n)!r}"
        key = _text(item, "key", where)
        if not _KEY_RE.fullmatch(key):
            raise KnowledgeBaseError(f"{where}: key must be lowercase letters, digits and _ (e.g. 'belaz')")
        if key in seen:
            raise KnowledgeBaseError(f"{where}: key appears twice in the file; merge the entries")
        seen.add(key)
        country = _text(item, "country", where)
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise KnowledgeBaseError(f"{where}: country {country!r} must be an ISO 3166 alpha-2 code like 'BY'")
        aliases = _texts(item, "aliases", where)
        cased = _texts(item, "cased_aliases", where)
        extra = set(item) - {"key", "name", "aliases", "cased_aliases", "town", "country", "sector", "owner"}
        if extra:
            raise KnowledgeBaseError(f"{where}: unknown field(s) {sorted(extra)}; remove or rename them")
        name = _text(item, "name", where)
        ent = Enterprise(
            key=key,
            name=name,
            aliases=tuple(dict.fromkeys([*aliases, *cased])),
            town=_text(item, "town", where),
            country=country,
            sector=_text(item, "sector", where, optional=True),
            owner=_text(item, "owner", where, optional=True),
        )
        yield ent, cased


def _text(item: dict[str, Any], field: str, where: str, *, optional: bool = False) -> Any:
    value = item.get(field)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: field {field!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _texts(item: dict[str, Any], field: str, where: str) -> list[str]:
    value = item.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeBaseError(f"{where}: field {field!r} must be a list of non-empty strings")
    return [v.strip() for v in value]
