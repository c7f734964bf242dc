"""Shared fixtures: the extractor (loaded once), stores on SQLite and PostgreSQL, shared/."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REPORTS = REPO / "tests" / "data" / "reports"


@pytest.fixture(scope="session")
def extractor():
    from strikewatch.pipeline import Extractor
    return Extractor()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


def _pg_url() -> str | None:
    return os.environ.get("STRIKEWATCH_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sw.db'}"
    url = _pg_url()
    if not url:
        pytest.skip("set STRIKEWATCH_TEST_POSTGRES to run the store tests on PostgreSQL")
    from sqlalchemy import create_engine, text
    from strikewatch.store.db import database_url
    engine = create_engine(database_url(url))
    with engine.begin() as conn:  # a clean schema for every test
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def load_benchmark():
    """Import a script of benchmarks/ by name (it is not a package), for its smoke test."""
    import importlib.util
    import sys

    def load(name: str):
        path = REPO / "benchmarks" / f"{name}.py"
        if not path.exists():
            pytest.skip(f"benchmarks/{name}.py is not in this checkout")
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    return load
