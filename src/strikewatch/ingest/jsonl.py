"""JSON and JSON Lines documents.

A record is a JSON object with ``text`` or ``html`` and the metadata fields of
:func:`~.text.parse_meta` (``id``, ``title``, ``url``, ``publisher``, ``published``, ``language``);
other fields are ignored. ``text`` wins when both are given; ``html`` goes through the HTML reader
(page metadata, overridden by the record's fields).

* ``.jsonl``: one record a line, read line by line (a file of any size streams in constant
  memory). ``max_bytes`` caps each line, not the file. Blank lines are skipped. Each bad line is
  one failure with source ``path:LINE`` and the other lines go on. Id without an ``"id"`` field:
  ``STEM-LINE``, where STEM is the file's default id (:func:`~.files.default_id`: ``feed``, or
  ``sport/feed`` in a subfolder of a named folder). A file with no records at all is one failure.
* ``.json``: one record, or a list of records; read whole, so ``max_bytes`` caps the file (use
  JSON Lines for big collections). Source ``path`` for a single record, ``path#N`` for the Nth
  (from 1) of a list; id without ``"id"``: ``STEM`` / ``STEM-N``.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from strikewatch.errors import Code, InputError
from strikewatch.ingest.files import (
    SNIFF_BYTES,
    check_not_binary,
    decode_utf8,
    default_id,
    open_regular,
    read_capped,
    too_large,
)
from strikewatch.ingest.html import html_document
from strikewatch.ingest.text import build_document, check_surrogates, json_error, json_type, parse_meta
from strikewatch.types import Document, Failure

__all__ = ["read_json_file", "read_jsonl_file", "record_document"]

_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1 << 20


def read_jsonl_file(path: Path, *, max_bytes: int, stem: str | None = None) -> Iterator[Document | Failure]:
    """Each record of a ``.jsonl`` file, as a Document or a Failure, streaming; ``stem`` as for
    :func:`~.text.read_text_file`."""
    stem = stem or default_id(path)
    try:
        fh, _size = open_regular(path)
    except InputError as err:
        yield err.failure(str(path))
        return
    with fh:
        try:
            head = fh.read(SNIFF_BYTES)
            check_not_binary(head)  # further on, a NUL or stray byte only spoils its own line
            fh.seek(0)
        except InputError as err:
            yield err.failure(str(path))
            return
        except OSError as err:
            yield InputError(f"cannot read file: {err.strerror or err}", code=Code.UNREADABLE).failure(str(path))
            return
        records = 0
        offset = 0
        line_no = 0
        while True:
            try:
                line = fh.readline(max_bytes + 1)
            except OSError as err:
                yield InputError(
                    f"cannot read file after line {line_no}: {err.strerror or err}", code=Code.UNREADABLE
                ).failure(str(path))
                return
            if not line:
                break
            line_no += 1
            start = offset
            offset += len(line)
            source = f"{path}:{line_no}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while True:  # skip the rest of the overlong line without holding it
                    rest = fh.readline(_SKIP_CHUNK)
                    offset += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                records += 1
                yield too_large(offset - start, max_bytes, what="line").failure(source)
                continue
            if line_no == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
                start += len(_BOM)
            if not line.strip():
                continue
            records += 1
            yield _line_document(line, start, source=source, default_id=f"{stem}-{line_no}")
        if records == 0:
            yield InputError("file has no records (no non-blank lines)", code=Code.EMPTY).failure(str(path))


def _line_document(line: bytes, start: int, *, source: str, default_id: str) -> Document | Failure:
    try:
        text = decode_utf8(line, what="line", offset=start)
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as err:
            raise InputError(f"line is not valid JSON: {json_error(err)}", code=Code.BAD_JSON) from err
        return record_document(obj, default_id=default_id, source=source)
    except InputError as err:
        return err.failure(source)


def read_json_file(path: Path, *, max_bytes: int, stem: str | None = None) -> Iterator[Document | Failure]:
    """The record, or each record of the list, in a ``.json`` file; ``stem`` as for
    :func:`~.text.read_text_file`."""
    stem = stem or default_id(path)
    source = str(path)
    try:
        data = read_capped(path, max_bytes)
        check_not_binary(data)
        text = decode_utf8(data).removeprefix("\ufeff")
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as err:
            raise InputError(f"file is not valid JSON: {json_error(err)}", code=Code.BAD_JSON) from err
        if isinstance(obj, list) and not obj:
            raise InputError("file holds an empty list: no records", code=Code.EMPTY)
        if not isinstance(obj, (dict, list)):
            raise InputError(
                f"file holds {json_type(obj)}, expected an object or a list of objects",
                code=Code.BAD_FIELD,
            )
    except InputError as err:
        yield err.failure(source)
        return
    if isinstance(obj, dict):
        yield _record_or_failure(obj, default_id=stem, source=source)
        return
    for n, item in enumerate(obj, start=1):
        yield _record_or_failure(item, default_id=f"{stem}-{n}", source=f"{path}#{n}")


def _record_or_failure(obj: Any, *, default_id: str, source: str) -> Document | Failure:
    try:
        return record_document(obj, default_id=default_id, source=source)
    except InputError as err:
        return err.failure(source)


def record_document(obj: Any, *, default_id: str, source: str) -> Document:
    """A Document from one decoded JSON record. Raises :class:`InputError`."""
    if not isinstance(obj, dict):
        raise InputError(
            f"record is {json_type(obj)}, expected a JSON object",
            code=Code.BAD_FIELD,
            fix='write one object per record: {"id": "...", "text": "..."}',
        )
    meta = parse_meta(obj, where="record", source=source)
    for name in ("text", "html"):
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(
                f'record field "{name}" is {json_type(value)}, expected a string',
                code=Code.BAD_FIELD,
                fix=f'make "{name}" a string',
            )
        check_surrogates(value, f'record field "{name}"')
        if name == "text":
            return build_document(value, meta, default_id=default_id, source=source)
        if not value.strip():
            raise InputError('record field "html" is empty', code=Code.EMPTY)
        return html_document(value, meta, default_id=default_id, source=source)
    raise InputError('record has neither "text" nor "html"', code=Code.NO_TEXT)
