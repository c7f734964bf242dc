"""Smoke test of benchmarks/bench_pipeline.py: it runs end to end on a few documents and
prints its table and ratio line. No timing is asserted: timings belong to the benchmark."""
from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def bench(load_benchmark):
    return load_benchmark("bench_pipeline")


def test_corpus_is_deterministic_and_report_sized(bench):
    a = list(bench.synthetic(50, seed=7))
    b = list(bench.synthetic(50, seed=7))
    assert a == b
    assert bench.make_report(7, 30) == a[30]  # one document never depends on the others
    assert a != list(bench.synthetic(50, seed=8))
    assert all(140 <= r.words <= 420 for r in a)
    assert len({r.id for r in a}) == 50


def test_main_runs_and_prints_ratio(bench, capsys):
    code = bench.main(["--docs", "10", "--store", "4", "--repeat", "1", "--stream", "8"])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"^ratio pipeline/spacy: \d+\.\d\d \(target >= 0\.6\)", out, re.M), out
    for stage in ("spacy", "pipeline", "ingest"):
        assert re.search(rf"^{stage} +10|^{stage} +4", out, re.M), out
    assert " 0 failures" in out, out
    assert re.search(r"^peak RSS \(ru_maxrss\): \d+ MB", out, re.M), out
