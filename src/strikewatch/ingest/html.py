"""HTML documents: the main text and metadata of a saved web page, through trafilatura.

* Decoding: UTF-8 if the bytes are valid UTF-8; otherwise the charset the page declares in a
  ``<meta>`` tag, decoded strictly; otherwise a failure (``SW106``). No guessing.
* Text: trafilatura's main-text extraction (comments, images and links left out). HTML is parsed,
  never run. ``<script>``, ``<style>``, ``<noscript>`` and ``<template>`` elements are pruned
  before text extraction, on top of trafilatura's own cleaning, so their content never reaches
  ``Document.text``; JSON-LD metadata in scripts is still read, since metadata is extracted first.
  The text then gets the same normalisation as plain text (:func:`~.text.normalise_text`).
* Metadata: title, canonical URL, site name (else host name) as publisher, publication date from
  the page's metadata only (``htmldate`` without its "extensive" search, which would take a date
  mentioned in the article body for the publication date), and language from ``<html lang>``.
  A ``NAME.meta.json`` sidecar beside ``NAME.html``, or the fields of a JSON record, override them.
* Before parsing, comments, the contents of script, style, noscript and template elements
  (JSON-LD under 1 MB is kept) and a DOCTYPE's internal subset (where "billion laughs" entities
  are declared) are cut out of the markup in one linear pass, so a 10 MB script or comment
  cannot hit libxml2's buffer limit and stop the parse before the article.
* A page with no main text (only scripts, navigation, an empty body) is a failure (``SW111``);
  so is any error trafilatura or lxml raise on hostile markup, and a page that hits one of
  libxml2's limits (elements nested over 256 deep, a text node over 10 MB), whose text past
  the limit would otherwise be dropped without a word.
"""
from __future__ import annotations

import codecs
import logging
import re
from datetime import date
from pathlib import Path

from strikewatch.errors import Code, InputError
from strikewatch.ingest.files import check_not_binary, decode_utf8, default_id, read_capped
from strikewatch.ingest.text import (
    Meta,
    build_document,
    clean_field,
    parse_language,
    parse_published,
    parse_url,
    read_sidecar,
)
from strikewatch.types import Document, Failure

__all__ = ["decode_html", "html_document", "read_html_file"]

log = logging.getLogger("strikewatch.ingest")

_PRUNE = ["//script", "//style", "//noscript", "//template"]
_RAW = re.compile(r"<(script|style|noscript|template)\b([^>]*)>", re.IGNORECASE)
_LD_JSON = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.IGNORECASE)
_SUBSET = re.compile(r"<!DOCTYPE\b([^\[>]*)\[", re.IGNORECASE)
MAX_LD_JSON = 1_000_000
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)


def read_html_file(path: Path, *, max_bytes: int, stem: str | None = None) -> Document | Failure:
    """One ``.html``/``.htm`` document with its optional sidecar, or the one Failure that stops it;
    ``stem`` as for :func:`~.text.read_text_file`."""
    source = str(path)
    try:
        data = read_capped(path, max_bytes)
        check_not_binary(data)
        markup = decode_html(data)
        meta = read_sidecar(path, max_bytes=max_bytes)
        return html_document(markup, meta, default_id=stem or default_id(path), source=source)
    except InputError as err:
        return err.failure(source)


def decode_html(data: bytes) -> str:
    """UTF-8, else the declared charset (strictly). Raises :class:`InputError`."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared is None:
        decode_utf8(data)  # raises the UTF-8 error with its byte offset and fix
    name = declared.group(1).decode("ascii")  # type: ignore[union-attr]
    try:
        codec = codecs.lookup(name)
    except LookupError as err:
        raise InputError(
            f"file is not UTF-8 and declares an unknown charset {name!r}",
            code=Code.ENCODING,
            fix="re-save it as UTF-8",
        ) from err
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as err:
        raise InputError(
            f"file is not valid {name} (its declared charset) at byte offset {err.start}, nor UTF-8",
            code=Code.ENCODING,
            fix="re-save it as UTF-8 and fix the <meta charset>",
        ) from err


def html_document(markup: str, meta: Meta, *, default_id: str, source: str) -> Document:
    """A Document from HTML markup; ``meta`` overrides what the page says about itself."""
    text, page_meta = extract_html(markup, source=source)
    return build_document(text, meta.over(page_meta), default_id=default_id, source=source)


def extract_html(markup: str, *, source: str = "") -> tuple[str, Meta]:
    """Main text and page metadata. Raises :class:`InputError` (``SW111``)."""
    import trafilatura  # heavy import; only HTML needs it
    from trafilatura.utils import load_html

    markup = defuse(markup)
    if "<html" not in markup[:4096].lower():
        # trafilatura rejects bare fragments ("<p>...</p>"); a JSON "html" field often is one.
        markup = f"<html><body>{markup}</body></html>"
    try:
        tree = load_html(markup)
        _check_limits()
        lang = None
        if tree is not None:
            lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        extracted = (
            trafilatura.bare_extraction(
                tree,
                with_metadata=True,
                include_comments=False,
                include_images=False,
                include_links=False,
                date_extraction_params={
                    "original_date": True,
                    "extensive_search": False,
                    "max_date": date.today().isoformat(),
                },
                prune_xpath=_PRUNE,
            )
            if tree is not None
            else None
        )
    except InputError:
        raise
    except Exception as err:  # lxml/trafilatura on hostile markup: the document fails, the run goes on
        raise InputError(
            f"HTML could not be parsed: {type(err).__name__}: {str(err)[:200]}",
            code=Code.NO_MAIN_TEXT,
            fix="check that the file is a complete HTML page",
        ) from err
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            "no main text found in the HTML (only scripts, menus or markup)",
            code=Code.NO_MAIN_TEXT,
        )
    page = Meta(
        title=clean_field(_str(extracted, "title")),
        url=parse_url(_str(extracted, "url"), where=f"{source}: page"),
        publisher=clean_field(_str(extracted, "sitename") or _str(extracted, "hostname")),
        published=parse_published(_str(extracted, "date"), where=f"{source}: page"),
        language=parse_language(lang if isinstance(lang, str) else None),
    )
    return text, page


def defuse(markup: str) -> str:
    """`markup` without comments, without the contents of raw-text elements (script, style,
    noscript, template; a JSON-LD script under MAX_LD_JSON keeps its metadata) and without a
    DOCTYPE's internal subset. One pass, linear in the length: every search starts where the
    last one ended, and an unclosed comment or element runs to the end, as in a browser."""
    out: list[str] = []
    i, n = 0, len(markup)
    subset = _SUBSET.search(markup, 0, min(n, 4096))
    if subset is not None:
        end = markup.find("]", subset.end())
        close = markup.find(">", end) if end >= 0 else -1
        out.append(markup[:subset.start()] + "<!DOCTYPE html>")
        i = close + 1 if close >= 0 else n
    while i < n:
        comment = markup.find("<!--", i)
        raw = _RAW.search(markup, i, comment if comment >= 0 else n)
        if raw is not None:
            out.append(markup[i:raw.end()])
            closing = re.compile(rf"</{raw.group(1)}\s*>", re.IGNORECASE).search(markup, raw.end())
            stop = closing.start() if closing else n
            if _LD_JSON.search(raw.group(2)) and stop - raw.end() <= MAX_LD_JSON:
                out.append(markup[raw.end():stop])
            i = stop
        elif comment >= 0:
            out.append(markup[i:comment])
            end = markup.find("-->", comment + 4)
            i = end + 3 if end >= 0 else n
        else:
            out.append(markup[i:])
            break
    return "".join(out)


def _check_limits() -> None:
    """Raise InputError when libxml2 stopped at one of its limits in the parse just made (the
    text beyond it is missing from the tree, with no exception raised)."""
    from trafilatura import utils

    log_ = getattr(getattr(utils, "HTML_PARSER", None), "error_log", ())
    for entry in log_:
        if entry.type_name != "ERR_RESOURCE_LIMIT":
            continue
        if "depth" in entry.message.lower():
            raise InputError(
                "HTML elements are nested deeper than the parser's limit of 256, so the text "
                "below that depth cannot be read",
                code=Code.NO_MAIN_TEXT,
                fix="save the article's text as .txt, or remove the wrapping elements")
        raise InputError(
            f"HTML hits a parser limit ({entry.message.strip()[:120]}): a single text or "
            "element of over 10 MB, so the text after it cannot be read",
            code=Code.NO_MAIN_TEXT,
            fix="save the article's text as .txt")


def _str(obj: object, name: str) -> str | None:
    value = getattr(obj, name, None)
    return value if isinstance(value, str) else None
