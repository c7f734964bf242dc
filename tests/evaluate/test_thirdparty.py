"""The third-party measurement: metrics, floors, readers on hand-built folders, and
``evaluate --shared`` end to end on a miniature shared/ tree written here."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from strikewatch import cli
from strikewatch.evaluate import datasets as ds
from strikewatch.evaluate.thirdparty import Figure, binary, failed_floors, parse_floor

runner = CliRunner()


def test_binary_metrics():
    pred = [True, True, False, False, True]
    gold = [True, False, True, False, True]
    m = binary(pred, gold)
    assert m["precision"] == round(2 / 3, 3) and m["recall"] == round(2 / 3, 3)
    assert m["f1"] == round(2 / 3, 3)
    # negative class: tn=1, fp=1, fn=1 -> F1 0.5; macro = (0.667 + 0.5) / 2
    assert m["macro_f1"] == round((2 / 3 + 0.5) / 2, 3)
    assert binary([False], [False])["precision"] is None


@pytest.mark.parametrize(("text", "want"), [
    ("glocon.doc.f1>=0.85", ("glocon.doc.f1", ">=", 0.85)),
    ("bbc.fp_rate<=0.005", ("bbc.fp_rate", "<=", 0.005)),
    ("recall=0.9", ("recall", ">=", 0.9)),
])
def test_parse_floor(text, want):
    assert parse_floor(text) == want


def test_bad_floor():
    with pytest.raises(ValueError):
        parse_floor("f1 > 0.8")


def test_failed_floors():
    figures = [Figure("a", 0.8, None), Figure("b", 0.01, None), Figure("c", None, None)]
    assert failed_floors(figures, [("a", ">=", 0.8), ("b", "<=", 0.02)]) == []
    missed = failed_floors(figures, [("a", ">=", 0.9), ("b", "<=", 0.005), ("c", ">=", 0.1),
                                     ("d", ">=", 0.1)])
    assert len(missed) == 4


def _tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


STRIKE = ("Hundreds of dock workers walked out at the port of Durban on Monday, "
          "demanding a pay rise, the union said.")
RIOT = "Rioters looted shops and set cars on fire in the centre of Lagos on Tuesday night."
QUIET = "The central bank kept its main interest rate unchanged on Thursday."
SPORT = "The striker scored twice as the home side rallied to a 3-2 win on Saturday."


@pytest.fixture(scope="module")
def mini_shared(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shared")
    g = root / "datasets" / "glocon-gold-sample"
    _jsonl(g / "sample" / "document" / "Sabinet_R.json",
           [{"id": "d1", "url": "u1", "text": STRIKE, "label": 1},
            {"id": "d2", "url": "u2", "text": QUIET, "label": 0},
            {"id": "d3", "url": "u3", "text": SPORT, "label": 1}])
    _tsv(g / "scope.tsv", ["id", "scope", "reason"],
         [["d1", "protest-scope", "strike"], ["d3", "other-event", "not ours"]])
    _jsonl(g / "sample" / "sentence" / "Sabinet.json",
           [{"id": "d1_1", "url": "u1", "sent_num": 1, "sentence": STRIKE, "label": 1},
            {"id": "d2_1", "url": "u2", "sent_num": 1, "sentence": QUIET, "label": 0}])
    _tsv(root / "datasets" / "case2021-task2" / "task2" / "test_dataset" /
         "test_set_final_release_with_labels.tsv", ["id", "EventSnippet", "SubType"],
         [["1", STRIKE, "PEACE_PROTEST"], ["2", RIOT, "VIOL_DEMONSTR"], ["3", QUIET, "OTHER"]])
    bbc = root / "datasets" / "bbc-fulltext"
    for name, text in (("business/001", STRIKE), ("sport/001", SPORT), ("business/002", QUIET)):
        (bbc / "bbc" / f"{name}.txt").parent.mkdir(parents=True, exist_ok=True)
        (bbc / "bbc" / f"{name}.txt").write_text("Headline\n\n" + text, encoding="utf-8")
    _tsv(bbc / "labels.tsv", ["file", "label", "note"], [["business/001", "event", "strike"]])
    ipe = root / "datasets" / "india-police-events" / "data" / "final"
    arrest = "Police arrested 12 rioters after the clashes in the old city on Friday."
    _jsonl(ipe / "docs.jsonl", [{"doc_id": 1, "doc_text": arrest + " " + QUIET,
                                 "doc_labels": ["ARREST"]}])
    _jsonl(ipe / "sents.jsonl", [{"doc_id": 1, "sent_id": 0, "sent_text": arrest,
                                  "sent_labels": ["ARREST", "ANY_ACTION"]},
                                 {"doc_id": 1, "sent_id": 1, "sent_text": QUIET,
                                  "sent_labels": []}])
    return root


def test_readers(mini_shared):
    base = mini_shared / "datasets"
    docs = ds.glocon_documents(base / "glocon-gold-sample")
    assert [d.positive for d in docs] == [True, False, False]  # other-event is not ours
    assert [s.positive for s in ds.glocon_sentences(base / "glocon-gold-sample")] == [True, False]
    case = ds.case2021(base / "case2021-task2")
    assert [c.positive for c in case] == [True, True, False]
    bbc = ds.bbc(base / "bbc-fulltext")
    assert {b.id for b in bbc} == {"business/001", "business/002", "sport/001"}
    assert [b.id for b in bbc if b.positive] == ["business/001"]
    (doc,) = ds.india_police_events(base / "india-police-events")
    lo, hi = doc.spans[0]
    assert doc.text[lo:hi].startswith("Police arrested") and "ARREST" in doc.labels[0]
    assert ds.case2021(base / "nowhere") == []


@pytest.fixture
def patched_extractor(extractor, monkeypatch):
    monkeypatch.setattr("strikewatch.pipeline.Extractor", lambda *a, **k: extractor)
    monkeypatch.setattr(cli.out, "_width", 200)
    return extractor


@pytest.mark.slow
def test_evaluate_shared_end_to_end(mini_shared, patched_extractor):
    result = runner.invoke(cli.app, ["evaluate", "--shared", str(mini_shared),
                                     "--sets", "glocon,case,bbc,ipe",
                                     "--floor", "bbc.recall>=0.0"], catch_exceptions=False)
    assert result.exit_code == 0, result.stdout + result.stderr
    for name in ("glocon.doc.f1", "glocon.sent.recall", "case.protest.f1", "case.riot_typing",
                 "bbc.fp_rate", "bbc.recall", "ipe.arrest.recall", "ipe.kill.precision"):
        assert name in result.stdout
    # a floor no extractor can meet fails the run, and says which
    result = runner.invoke(cli.app, ["evaluate", "--shared", str(mini_shared), "--sets", "case",
                                     "--floor", "case.protest.f1>=1.01"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "below floor: case.protest.f1" in result.stderr


def test_evaluate_unknown_set(mini_shared):
    result = runner.invoke(cli.app, ["evaluate", "--shared", str(mini_shared), "--sets", "nope"])
    assert result.exit_code == 2 and "unknown set" in result.stderr


def test_evaluate_needs_something():
    result = runner.invoke(cli.app, ["evaluate"])
    assert result.exit_code == 2
