"""Plain-text documents, their ``NAME.meta.json`` sidecars, and the rules every reader shares.

Text normalisation (:func:`normalise_text`). Evidence offsets index ``Document.text`` exactly as
returned, so this is the whole list of what changes between the file and ``Document.text``:

1. ``\\r\\n`` and lone ``\\r`` become ``\\n`` (as Python's universal newlines do);
2. control characters are replaced one for one (no offset shift): vertical tab, form feed and
   NEL by ``\\n``, the other C0/C1 controls and DEL by a space. Tab and newline stay. This keeps
   terminal escape sequences in hostile input out of anything that prints evidence.

Nothing else: no BOM removal, no Unicode normalisation, no whitespace trimming, no quote or dash
folding, so offsets are those of ``Path.read_text(encoding="utf-8")`` (a leading BOM stays as
U+FEFF at offset 0). Spelling variants such as decomposed accents are folded where names are
matched, never in the stored text.

Metadata fields (``id``, ``title``, ``url``, ``publisher``, ``published``, ``language``) come from a
sidecar or a JSON record and obey :func:`parse_meta`:

* every field is optional; ``null`` is the same as absent; unknown fields are ignored;
* a field of the wrong JSON type is a failure (``SW110``), and so is an ``id`` that is empty or
  longer than 200 characters (as is a default id from the file path that long), and a
  ``language`` that is not a language code;
* ``published``: an ISO date or date-time (the date as written, not converted to UTC), else any
  absolute date ``dateparser`` reads with day, month and year (no relative dates like "yesterday").
  A date that cannot be read becomes ``None`` with a logged warning, not a failure;
* ``url`` must be http(s); any other value becomes ``None`` with a logged warning;
* ``title`` and ``publisher``: control and bidi-override characters removed, whitespace collapsed,
  NFC, cut to 1,000 characters; ``language``: lower-cased primary subtag (``"en-GB"`` -> ``"en"``),
  default ``"en"``.

Sidecar policy: a sidecar that cannot be used (unreadable, not JSON, not an object, a field of the
wrong type) fails the document, which is skipped: going on without it would silently give the
document the wrong id and publication date, and the date anchors "yesterday" and "last week".
The failure's source is the sidecar, the file to fix.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from strikewatch.errors import Code, InputError
from strikewatch.ingest.files import check_not_binary, decode_utf8, default_id, read_capped, sidecar_path
from strikewatch.types import Document, Failure

__all__ = [
    "Meta",
    "build_document",
    "content_hash",
    "normalise_text",
    "parse_meta",
    "parse_published",
    "read_sidecar",
    "read_text_file",
]

log = logging.getLogger("strikewatch.ingest")

DEFAULT_LANGUAGE = "en"
SIDECAR_MAX_BYTES = 1_000_000
MAX_ID_CHARS = 200
MAX_FIELD_CHARS = 1000
MAX_URL_CHARS = 2048
HASH_VERSION = 1  # bump when normalisation changes, so stored hashes stop matching

_NEWLINES = re.compile(r"\r\n?")
_CONTROLS_TO_SPACE = {c: " " for c in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
_TEXT_CONTROLS = str.maketrans({**_CONTROLS_TO_SPACE, 0x0B: "\n", 0x0C: "\n", 0x85: "\n"})
# In metadata: all controls, and the invisible marks that reorder or hide text (Trojan Source).
_FIELD_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_LANGUAGE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")


def normalise_text(raw: str) -> str:
    """The text as ``Document.text`` holds it (see the module docstring)."""
    return _NEWLINES.sub("\n", raw).translate(_TEXT_CONTROLS)


def content_hash(text: str, published: date | None, language: str) -> str:
    """sha256 over the normalised text and the metadata that changes extraction."""
    payload = json.dumps(
        {
            "v": HASH_VERSION,
            "text": text,
            "published": published.isoformat() if published else None,
            "language": language,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Meta:
    """Validated document metadata; ``None`` means "not given"."""

    id: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str | None = None

    def over(self, base: Meta) -> Meta:
        """These fields, falling back to ``base`` where not given."""
        return replace(
            base, **{f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        )


def parse_meta(obj: Mapping[str, Any], *, where: str, source: str = "") -> Meta:
    """Validate the metadata fields of a sidecar or JSON record. Raises :class:`InputError`.

    ``where`` names the object in messages ("sidecar NAME.meta.json", "record"); ``source``
    (the document's path or ``path:line``) prefixes the warnings about dropped values.
    """
    logged = f"{source}: {where}" if source else where
    raw = {name: obj.get(name) for name in ("id", "title", "url", "publisher", "published", "language")}
    for name, value in raw.items():
        allowed: tuple[type, ...] = (str, int) if name == "id" else (str,)
        if value is not None and (not isinstance(value, allowed) or isinstance(value, bool)):
            wanted = "a string or an integer" if name == "id" else "a string"
            raise InputError(
                f'{where} field "{name}" is {json_type(value)}, expected {wanted}',
                code=Code.BAD_FIELD,
                fix=f'make "{name}" {wanted}, or null',
            )
        if isinstance(value, str):
            check_surrogates(value, f'{where} field "{name}"')

    doc_id = raw["id"]
    if doc_id is not None:
        doc_id = clean_field(str(doc_id), limit=None)
        if not doc_id or len(doc_id) > MAX_ID_CHARS:
            raise InputError(
                f'{where} field "id" must have 1 to {MAX_ID_CHARS} visible characters, got {len(doc_id or "")}',
                code=Code.BAD_FIELD,
            )

    language = raw["language"]
    if language is not None and not language.strip():
        language = None  # "" means not given, as for the other text fields
    if language is not None:
        language = parse_language(language)
        if language is None:
            raise InputError(
                f'{where} field "language" is {_quote(raw["language"])}, not a language code',
                code=Code.BAD_FIELD,
                fix='use an ISO 639-1 code such as "en" or "ru"',
            )

    return Meta(
        id=doc_id,
        title=clean_field(raw["title"]),
        url=parse_url(raw["url"], where=logged),
        publisher=clean_field(raw["publisher"]),
        published=parse_published(raw["published"], where=logged),
        language=language,
    )


def clean_field(value: str | None, *, limit: int | None = MAX_FIELD_CHARS) -> str | None:
    """A metadata string made safe to store and print; ``None`` if nothing visible is left."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value)
    text = _SPACES.sub(" ", _FIELD_JUNK.sub(" ", text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def parse_language(value: str | None) -> str | None:
    """``"en-GB"`` -> ``"en"``; ``None`` if ``value`` is not a language tag."""
    if value is None:
        return None
    tag = value.strip().lower()
    match = _LANGUAGE.fullmatch(tag)
    return match.group(1) if match else None


def parse_url(value: str | None, *, where: str = "") -> str | None:
    """An http(s) URL, or ``None`` (with a warning when a value was dropped)."""
    url = clean_field(value, limit=None)
    if url is None:
        return None
    try:
        parts = urlsplit(url) if len(url) <= MAX_URL_CHARS and " " not in url else None
    except ValueError:  # "http://[::1" and friends
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        log.warning("%s url %s is not an http(s) URL; ignored", where, _quote(url[:100]))
        return None
    return url


def parse_published(value: str | None, *, where: str = "") -> date | None:
    """A publication date from an ISO string, else ``dateparser``; ``None`` if unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()  # the date as written, not moved to UTC
    except ValueError:
        pass
    found = _dateparser(text) if len(text) <= 64 else None
    if found is None:
        log.warning("%s published date %s not understood; no publication date", where, _quote(text[:100]))
    return found


def _dateparser(text: str) -> date | None:
    import dateparser  # slow import; only odd formats need it

    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],  # no "yesterday", no timestamps
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = dateparser.parse(text, settings=settings)
    except Exception:  # dateparser raises assorted errors on hostile strings; unreadable is fine
        return None
    return found.date() if found else None


def build_document(raw_text: str, meta: Meta, *, default_id: str, source: str) -> Document:
    """A Document from raw text and validated metadata. Raises :class:`InputError` if empty."""
    check_surrogates(raw_text, "text")
    text = normalise_text(raw_text)
    if not text.replace("\ufeff", "").strip():
        what = "text is empty" if not text.replace("\ufeff", "") else "text is whitespace only"
        raise InputError(what, code=Code.EMPTY)
    doc_id = meta.id or default_id
    if len(doc_id) > MAX_ID_CHARS:  # a deep folder tree; the store's ids hold 200 characters
        raise InputError(
            f"the id from the file path has {len(doc_id)} characters, over {MAX_ID_CHARS}",
            code=Code.BAD_FIELD,
            fix='give the document its own "id" (in a NAME.meta.json sidecar or the record)',
        )
    language = meta.language or DEFAULT_LANGUAGE
    return Document(
        id=doc_id,
        text=text,
        title=meta.title,
        url=meta.url,
        publisher=meta.publisher,
        published=meta.published,
        language=language,
        source=source,
        content_hash=content_hash(text, meta.published, language),
    )


def read_sidecar(path: Path, *, max_bytes: int) -> Meta:
    """The metadata in ``NAME.meta.json`` beside ``path``; empty Meta if there is none.

    Raises :class:`InputError` whose ``source`` is the sidecar.
    """
    side = sidecar_path(path)
    if not side.exists():
        return Meta()
    skipped = f"; {path.name} skipped"
    try:
        data = read_capped(side, min(max_bytes, SIDECAR_MAX_BYTES), what="sidecar")
        check_not_binary(data, what="sidecar")
        obj = json.loads(decode_utf8(data, what="sidecar").removeprefix("\ufeff"))
    except InputError as err:
        err.message += skipped
        err.source = str(side)
        raise
    except (ValueError, RecursionError) as err:
        raise InputError(
            f"sidecar is not valid JSON: {json_error(err)}{skipped}", code=Code.BAD_JSON, source=str(side)
        ) from err
    if not isinstance(obj, dict):
        raise InputError(
            f"sidecar is {json_type(obj)}, expected a JSON object{skipped}",
            code=Code.BAD_FIELD,
            fix='write one object: {"id": "...", "published": "YYYY-MM-DD", ...}',
            source=str(side),
        )
    try:
        return parse_meta(obj, where=f"sidecar {side.name}", source=str(path))
    except InputError as err:
        err.message += skipped
        err.source = str(side)
        raise


def read_text_file(path: Path, *, max_bytes: int, stem: str | None = None) -> Document | Failure:
    """One ``.txt`` document with its optional sidecar, or the one Failure that stops it.

    ``stem`` is its id without a sidecar id (see :func:`~.files.default_id`; default: its stem).
    """
    source = str(path)
    try:
        data = read_capped(path, max_bytes)
        check_not_binary(data)
        raw = decode_utf8(data)
        meta = read_sidecar(path, max_bytes=max_bytes)
        return build_document(raw, meta, default_id=stem or default_id(path), source=source)
    except InputError as err:
        return err.failure(source)


# --- helpers shared by the readers --------------------------------------------------------------


def check_surrogates(value: str, what: str) -> None:
    """JSON can smuggle in unpaired surrogates (``"\\ud800"``), which no UTF-8 store accepts."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            f"{what} has an unpaired surrogate \\u{ord(value[err.start]):04x} at character {err.start}",
            code=Code.BAD_FIELD,
            fix="fix the program that wrote it: escape real characters, not UTF-16 halves",
        ) from err


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"a number ({value!r:.40})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def json_error(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at line {err.lineno} column {err.colno}"
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return str(err)[:200]


def _quote(value: object) -> str:
    return json.dumps(value, ensure_ascii=True)
