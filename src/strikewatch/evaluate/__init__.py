"""``strikewatch evaluate``: grade an events/entities export against gold files.

:func:`grade` works on records already in memory; :func:`evaluate_paths` reads the JSON Lines
export, the gold files and the ``.txt`` documents (for the evidence check) from disk.
Documents are read as ``Path.read_text(encoding="utf-8")`` reads them (universal newlines), which
is the text the evidence offsets of FORMAT.md refer to.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from strikewatch.errors import Code, InputError
from strikewatch.evaluate.grader import DocumentResult, Report, Score, Tally, grade, load_gold

__all__ = ["DocumentResult", "Report", "Score", "Tally", "document_texts", "evaluate_paths", "grade",
           "load_gold", "read_jsonl"]

PathLike = str | Path


def read_jsonl(path: PathLike) -> list[dict]:
    """The JSON objects of a JSON Lines file; blank lines are skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 may be in a value
    except FileNotFoundError as err:
        raise InputError(f"no such file {path}", code=Code.NOT_FOUND, source=str(path)) from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}", code=Code.UNREADABLE, source=str(path)) from err
    rows: list[dict] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"not JSON: {err}", code=Code.BAD_JSON, source=f"{path}:{number}") from err
        if not isinstance(row, dict):
            raise InputError("a line must hold one JSON object", code=Code.BAD_FIELD, source=f"{path}:{number}")
        rows.append(row)
    return rows


def _sidecar_id(text_path: Path) -> str | None:
    sidecar = text_path.with_name(text_path.stem + ".meta.json")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = meta.get("id") if isinstance(meta, dict) else None
    return found if isinstance(found, str) and found else None


def document_texts(docs_dir: PathLike, documents: Iterable[str]) -> dict[str, str]:
    """Document id -> text, for the ids found in ``docs_dir``.

    A document's file is the ``.txt`` whose ``.meta.json`` sidecar has that ``id``, else ``ID.txt``,
    else the first ``ID_*.txt`` (by name).
    """
    files = sorted(Path(docs_dir).glob("*.txt"))
    ids = {path: _sidecar_id(path) for path in files}
    texts: dict[str, str] = {}
    for doc in documents:
        ranked = ([p for p in files if ids[p] == doc] + [p for p in files if p.stem == doc]
                  + [p for p in files if p.stem.startswith(doc + "_")])
        if ranked:
            try:
                texts[doc] = ranked[0].read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(f"cannot read {ranked[0]}: {err}", code=Code.UNREADABLE,
                                 source=str(ranked[0])) from err
    return texts


def evaluate_paths(events_path: PathLike, entities_path: PathLike | None, gold_paths: Iterable[PathLike],
                   cross_paths: Iterable[PathLike] = (), docs_dir: PathLike | None = None) -> Report:
    """Grade the export files against gold files; without ``docs_dir`` evidence spans are checked
    for shape only. A missing entities file grades as an empty one."""
    events = read_jsonl(events_path)
    entities = read_jsonl(entities_path) if entities_path and Path(entities_path).exists() else []
    gold, cross = load_gold(gold_paths), load_gold(cross_paths)
    texts = document_texts(docs_dir, [str(g.get("document")) for g in gold]) if docs_dir else None
    return grade(events, entities, gold, cross, texts=texts)
