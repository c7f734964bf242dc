"""The crash regime of benchmarks/crash_ingest.py at a small count: ingest killed with SIGKILL
at random moments over a growing corpus with edits leaves a sound store, and a clean run then
gives exactly the export of a store that never crashed. (The closing figure, 1,000 kills per
backend, comes from running the script itself; see benchmarks/README.md.)"""
from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def regime(load_benchmark):
    if not hasattr(os, "fork"):
        pytest.skip("the regime forks its ingest runs")
    return load_benchmark("crash_ingest")


def test_kills_on_sqlite_lose_nothing(regime, capsys):
    assert regime.main(["--kills", "16", "--check-every", "8", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "0 failures" in out and "same as a fresh store" in out


@pytest.mark.postgres
def test_kills_on_postgres_lose_nothing(regime, capsys, db_url):
    if not db_url.startswith("postgres"):
        pytest.skip("the SQLite case is the test above")
    assert regime.main(["--kills", "12", "--check-every", "6", "--seed", "4", "--db", db_url]) == 0
    assert "0 failures" in capsys.readouterr().out
