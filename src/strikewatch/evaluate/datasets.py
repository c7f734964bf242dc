"""Readers for the third-party labelled sets that ``strikewatch evaluate --shared`` measures on.

Each reader takes the folder the set was unpacked into (as laid out in ``shared/datasets``) and
returns plain records: texts with their gold labels. Nothing here is copied into the repository;
the sets are read where they are. A missing folder gives an empty list, so a caller can skip it.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

CASE_PROTEST = frozenset({"PEACE_PROTEST", "VIOL_DEMONSTR", "PROTEST_WITH_INTER",
                          "FORCE_AGAINST_PROTEST", "MOB_VIOL"})
CASE_RIOT = frozenset({"VIOL_DEMONSTR", "MOB_VIOL"})


@dataclass(frozen=True, slots=True)
class Labelled:
    """One text with its gold: ``positive`` for the set's main question, ``label`` the set's
    own class, ``spans`` character ranges of labelled sentences inside ``text`` (``labels``
    gives each range's classes)."""

    id: str
    text: str
    positive: bool
    label: str = ""
    published: date | None = None
    spans: tuple[tuple[int, int], ...] = ()
    labels: tuple[frozenset[str], ...] = field(default=())


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def glocon_documents(root: Path) -> list[Labelled]:
    """GLOCON Gold sample documents; positive only for ``protest-scope`` in ``scope.tsv``."""
    path = root / "sample" / "document" / "Sabinet_R.json"
    if not path.exists():
        return []
    scope = _scope(root)
    out = []
    for d in _jsonl(path):
        label = int(d["label"])
        positive = label == 1 and scope.get(d["id"]) == "protest-scope"
        out.append(Labelled(str(d["id"]), d["text"], positive, str(label)))
    return out


def _scope(root: Path) -> dict[str, str]:
    path = root / "scope.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {r["id"]: r["scope"] for r in csv.DictReader(fh, delimiter="\t")}


def glocon_sentences(root: Path) -> list[Labelled]:
    """GLOCON Gold sample sentences; an event sentence counts only in a protest-scope document."""
    path = root / "sample" / "sentence" / "Sabinet.json"
    if not path.exists():
        return []
    scope = _scope(root)
    out = []
    for s in _jsonl(path):
        doc = str(s["id"]).rsplit("_", 1)[0]
        positive = int(s["label"]) == 1 and scope.get(doc) == "protest-scope"
        out.append(Labelled(str(s["id"]), s["sentence"], positive, str(s["label"])))
    return out


def case2021(root: Path) -> list[Labelled]:
    """CASE 2021 task 2 test snippets; positive for the five protest classes."""
    path = root / "task2" / "test_dataset" / "test_set_final_release_with_labels.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Labelled(f"case-{r['id']}", r["EventSnippet"], r["SubType"] in CASE_PROTEST,
                     r["SubType"]) for r in rows]


def bbc(root: Path) -> list[Labelled]:
    """BBC full text; positive for the files ``labels.tsv`` marks ``event``. The one file that
    is not UTF-8 is read as Latin-1."""
    base = root / "bbc"
    if not base.exists():
        return []
    labels: dict[str, str] = {}
    if (root / "labels.tsv").exists():
        with (root / "labels.tsv").open(encoding="utf-8") as fh:
            labels = {r["file"]: r["label"] for r in csv.DictReader(fh, delimiter="\t")}
    out = []
    for path in sorted(base.glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        key = f"{path.parent.name}/{path.stem}"
        label = labels.get(key, "")
        out.append(Labelled(key, text, label == "event", label))
    return out


def india_police_events(root: Path) -> list[Labelled]:
    """IndiaPoliceEvents documents, each with the character range of every labelled sentence
    (found in order in the document text) and its classes (ARREST, KILL, FORCE, ...)."""
    final = root / "data" / "final"
    if not (final / "docs.jsonl").exists():
        return []
    sents: dict[int, list[dict]] = {}
    for s in _jsonl(final / "sents.jsonl"):
        sents.setdefault(s["doc_id"], []).append(s)
    dates = {}
    if (final / "metadata.jsonl").exists():
        dates = {m["doc_id"]: m.get("date") for m in _jsonl(final / "metadata.jsonl")}
    out = []
    for d in _jsonl(final / "docs.jsonl"):
        text, pos = d["doc_text"], 0
        spans, labels = [], []
        for s in sorted(sents.get(d["doc_id"], []), key=lambda s: s["sent_id"]):
            i = text.find(s["sent_text"], pos)
            if i < 0:
                continue
            pos = i + len(s["sent_text"])
            spans.append((i, pos))
            labels.append(frozenset(s["sent_labels"]))
        published = None
        if dates.get(d["doc_id"]):
            try:
                published = date.fromisoformat(str(dates[d["doc_id"]])[:10])
            except ValueError:
                published = None
        out.append(Labelled(f"ipe-{d['doc_id']}", text, bool(d["doc_labels"]),
                            ",".join(sorted(d["doc_labels"])), published, tuple(spans),
                            tuple(labels)))
    return out


__all__ = ["CASE_PROTEST", "CASE_RIOT", "Labelled", "bbc", "case2021", "glocon_documents",
           "glocon_sentences", "india_police_events"]
