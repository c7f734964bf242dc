"""Read documents from files and folders: ``.txt`` (+ ``NAME.meta.json``), ``.html``/``.htm``,
``.json`` and ``.jsonl``.

    for item in read_documents([Path("reports/")]):
        if isinstance(item, Failure):
            print(item.line())      # reports/x.txt: [SW106] file is not valid UTF-8 at byte 12 ...
        else:
            store(item)             # a Document

Bad input never stops the iteration: each bad document yields exactly one
:class:`~strikewatch.types.Failure` (a code from :class:`strikewatch.errors.Code`, a message
naming what is wrong and where, and a fix), and reading goes on. Documents and failures come in a
deterministic order (see :mod:`.files`). Within one call, a second document with an id already
seen is a failure (``SW112``) rather than a silent overwrite downstream.

The policies live in the modules' docstrings: walking and byte-level checks in :mod:`.files`;
text normalisation, metadata and sidecars in :mod:`.text`; HTML in :mod:`.html`; JSON records in
:mod:`.jsonl`.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from strikewatch.errors import Code, InputError
from strikewatch.ingest.files import DEFAULT_MAX_BYTES, SUFFIXES, iter_inputs, open_regular
from strikewatch.ingest.html import read_html_file
from strikewatch.ingest.jsonl import read_json_file, read_jsonl_file
from strikewatch.ingest.text import read_text_file
from strikewatch.types import Document, Failure

__all__ = ["DEFAULT_MAX_BYTES", "SUFFIXES", "count_inputs", "read_documents"]

PathArg = Path | str | os.PathLike[str]


def read_documents(
    paths: Sequence[PathArg] | PathArg, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | Failure]:
    """Each document under ``paths`` (files and folders), or a Failure for each bad one.

    ``max_bytes`` caps a file (``.txt``, ``.html``, ``.json``) or a line (``.jsonl``); larger
    inputs are refused before they are read.
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    seen: dict[str, tuple[str, str]] = {}  # id -> (source, content hash)
    for item in _read(_as_paths(paths), max_bytes):
        if isinstance(item, Document):
            first = seen.get(item.id)
            if first is not None:
                same = " with the same text" if first[1] == item.content_hash else ""
                yield InputError(
                    f"document id {item.id!r} is already used by {first[0]}{same}; skipped",
                    code=Code.DUPLICATE_ID,
                ).failure(item.source)
                continue
            seen[item.id] = (item.source, item.content_hash)
        yield item


def _read(paths: Iterable[Path], max_bytes: int) -> Iterator[Document | Failure]:
    for entry in iter_inputs(paths):
        if isinstance(entry, Failure):
            yield entry
            continue
        path, kind, stem = entry
        if kind == "text":
            yield read_text_file(path, max_bytes=max_bytes, stem=stem)
        elif kind == "html":
            yield read_html_file(path, max_bytes=max_bytes, stem=stem)
        elif kind == "json":
            yield from read_json_file(path, max_bytes=max_bytes, stem=stem)
        else:
            yield from read_jsonl_file(path, max_bytes=max_bytes, stem=stem)


def count_inputs(paths: Sequence[PathArg] | PathArg) -> int:
    """About how many items :func:`read_documents` will yield, for a progress bar.

    One per file and per bad path; for ``.jsonl``, its number of lines (counted in chunks, not
    parsed). A ``.json`` list counts as one, so the real number can be higher.
    """
    total = 0
    for entry in iter_inputs(_as_paths(paths)):
        if isinstance(entry, Failure) or entry[1] != "jsonl":
            total += 1
        else:
            total += max(1, _count_lines(entry[0]))
    return total


def _count_lines(path: Path) -> int:
    try:
        fh, _size = open_regular(path)
    except InputError:
        return 1
    lines = 0
    last = b"\n"
    with fh:
        try:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        except OSError:
            return max(lines, 1)
    return lines + (last != b"\n")


def _as_paths(paths: Sequence[PathArg] | PathArg) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]
