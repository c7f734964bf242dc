"""Smoke test of benchmarks/bench_merge.py: it runs end to end on about 200 mentions and prints
its table and ratio line. No timing is asserted: timings belong to the benchmark."""
from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def bench(load_benchmark):
    return load_benchmark("bench_merge")


def test_corpus_is_deterministic_and_well_formed(bench):
    a = bench.generate(200, seed=7)
    b = bench.generate(200, seed=7)
    assert a.extractions == b.extractions
    assert a.extractions != bench.generate(200, seed=8).extractions
    assert sum(len(ex.events) for ex in a.extractions) == 200
    assert all(1 <= len(ex.events) <= 3 for ex in a.extractions)
    assert len({ex.document.id for ex in a.extractions}) == a.documents
    for ex in a.extractions:  # every span is the text it points at
        text = ex.document.text
        for ev in ex.events:
            spans = [*ev.evidence, ev.workplace and ev.workplace.span, ev.location_span,
                     ev.date.span]
            for s in filter(None, spans):
                assert text[s.start:s.end] == s.text


def test_in_memory_groups_merge_duplicates_and_keep_every_mention(bench):
    nodes = bench.nodes_of(bench.generate(400, seed=3).extractions)
    got = bench.groups(nodes)
    assert sorted(m for g in got for m in g) == sorted(n.id for n in nodes)
    assert len(got) < 400  # duplicates merged


def test_main_runs_and_prints_ratio(bench, capsys):
    code = bench.main(["--mentions", "200", "--profile", "60", "--top", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"^ratio merged/plain \(sqlite\): \d+\.\d\d ", out, re.M), out
    for name in ("plain", "merged"):
        assert re.search(rf"^{name} +sqlite +200 ", out, re.M), out
    assert re.search(r"^merged total \(sqlite\): [\d.]+ s for 200 mentions, [\d,]+ events", out,
                     re.M), out
    assert "100,000 mentions merge in under 60 s (sqlite): not measured" in out
    assert re.search(r"^ +200 +[\d.]+ +[\d.]+ +[\d.]+ +\d+$", out, re.M), out  # in memory
    assert "cProfile of Store.save_many (merging) on 60 mentions" in out
