"""Smoke test of benchmarks/bench_web.py on a few hundred events, without the browser part:
it runs and prints its table, baseline and ratio lines. No timing is asserted."""
from __future__ import annotations


def test_bench_web_runs(capsys, load_benchmark):
    module = load_benchmark("bench_web")
    assert module.main(["--events", "300", "--no-browser"]) == 0
    out = capsys.readouterr().out
    assert "300 events in SQLite" in out
    assert "full text q=belaz" in out and "pages 181-200" in out
    assert "ratio app/SQL on the first page" in out
    assert "worst p95 over the filter cases" in out
