"""The evaluation gate: extraction accuracy may not drop below the pinned floors.

Floors are pinned a little under what was measured (the figure in each comment). Raising one is
a deliberate edit; lowering one needs a reason in the commit. When the corpus or its gold
changes, CORPUS_SHA changes and this test says so: re-measure and re-pin on purpose.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from strikewatch.evaluate import evaluate_paths
from strikewatch.export import export
from strikewatch.pipeline import ingest
from strikewatch.store.repository import Store

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "tests" / "data" / "reports"
GOLD = REPO / "tests" / "data" / "gold"
CORPUS_SHA = "170ce5529c15278b"
TOLERANCE = 0.0

# tests/data/reports + tests/data/gold, measured 2026-11-22
REPORT_FLOORS = {
    "recall": 0.94,       # measured 0.976
    "precision": 0.94,    # measured 0.976
    "city": 0.95,         # measured 0.988
    "date": 0.9,          # measured 0.938
    "count": 0.88,        # measured 0.911
    "attribution": 0.85,  # measured 0.895
    "demand": 0.9,        # measured 1.0
    "evidence": 1.0,      # measured 1.0
}
# ../shared/corpora/seeds with ../shared/eval/gold: the floors (measured: all 1.0)
SEED_FLOORS = {"recall": 0.9, "precision": 0.75, "city": 0.8, "date": 0.8, "count": 0.8,
               "attribution": 0.8, "evidence": 1.0}


def corpus_sha(*folders: Path) -> str:
    h = hashlib.sha256()
    for folder in folders:
        for p in sorted(folder.glob("*")):
            if p.is_file() and p.suffix in (".txt", ".json"):
                h.update(p.relative_to(folder).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def graded(extractor, tmp_path: Path, docs: Path, gold: list[Path], cross: list[Path]):
    store = Store.open(f"sqlite:///{tmp_path / 'gate.db'}")
    report = ingest([docs], store, extractor=extractor)
    assert report.ok, [f.line() for f in report.failures]
    events, entities = tmp_path / "events.jsonl", tmp_path / "entities.jsonl"
    export(store, "events", output=events)
    export(store, "entities", output=entities)
    store.close()
    return evaluate_paths(events, entities, gold, cross, docs)


def check(report, floors: dict[str, float]) -> None:
    data = report.to_dict()
    low = {k: (data.get(k), floor) for k, floor in floors.items()
           if data.get(k) is None or data[k] < floor - TOLERANCE}
    assert not low, "below the floor (measured, floor): " + json.dumps(low) + "\n" + \
        "\n".join(report.lines(verbose=True))


def test_report_corpus_is_the_one_the_floors_were_pinned_on():
    assert corpus_sha(REPORTS, GOLD) == CORPUS_SHA, (
        "tests/data changed: re-measure the gate and pin the new CORPUS_SHA and floors")


def test_gate_on_project_reports(extractor, tmp_path):
    report = graded(extractor, tmp_path, REPORTS, sorted(GOLD.glob("*.json")), [])
    check(report, REPORT_FLOORS)
    assert report.entity_groups.rate >= 0.94, report.entity_groups  # measured 34/34
    assert report.keep_apart.rate == 1.0, report.keep_apart  # measured 9/9


def test_gate_on_shared_seeds(extractor, tmp_path, shared):
    gold = shared / "eval" / "gold"
    report = graded(extractor, tmp_path, shared / "corpora" / "seeds",
                    sorted(p for p in gold.glob("*.json") if not p.name.startswith("cross")),
                    sorted(gold.glob("cross-*.json")))
    check(report, SEED_FLOORS)
    data = report.to_dict()
    assert data["different_event"].split("/")[0] == data["different_event"].split("/")[1]
    assert data["keep_apart"].split("/")[0] == data["keep_apart"].split("/")[1]


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.json")), ids=lambda p: p.stem)
def test_every_gold_file_has_its_report(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert (REPORTS / f"{gold['document']}.txt").exists()


CROSSDOC = REPO / "tests" / "data" / "crossdoc"
CROSSDOC_GOLD = GOLD / "crossdoc"
# tests/data/crossdoc: 34 reports, originals, copies and independent reports of 8 events.
# Lowered 2026-12-02 (from 0.88 / 0.82; rules alone measure 0.905 / 0.83): the trained
# classifier, on by default, drops a booing and an evening protest told in machine-reworded
# copies; it cuts false events on third-party data by a factor of five (BBC 9.8% -> 1.9%).
CROSSDOC_FLOORS = {
    "recall": 0.84,       # measured 0.857
    "precision": 0.78,    # measured 0.804
    "city": 0.95,         # measured 1.0
    "date": 0.9,          # measured 0.971
    "evidence": 1.0,      # measured 1.0
}


def _ratio(text: str) -> float:
    done, total = (int(x) for x in text.split("/"))
    return done / total if total else 1.0


def test_gate_across_documents(extractor, tmp_path):
    report = graded(extractor, tmp_path, CROSSDOC, sorted(CROSSDOC_GOLD.glob("x*.json")),
                    [CROSSDOC_GOLD / "cross.json"])
    check(report, CROSSDOC_FLOORS)
    data = report.to_dict()
    assert _ratio(data["same_event"]) >= 0.86, data["same_event"]  # measured 58/66 (63/66 rules only)
    assert _ratio(data["different_event"]) >= 0.73, data["different_event"]  # measured 76/102 (83/102 rules only)
    assert _ratio(data["entity_groups"]) >= 0.8, data["entity_groups"]  # measured 73/85
    assert _ratio(data["keep_apart"]) == 1.0, data["keep_apart"]  # measured 16/16
