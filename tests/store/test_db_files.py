"""SQLite files are created readable by their owner only."""
from __future__ import annotations

import os
import sqlite3
import stat

import sqlalchemy

from strikewatch.store.repository import Store


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_wal_shm_and_journal_are_private(tmp_path):
    old = os.umask(0o022)  # the usual umask, under which files were 0644
    try:
        path = tmp_path / "sub" / "private.db"
        store = Store.open(f"sqlite:///{path}")
        with store.session() as s, s.begin():
            s.execute(sqlalchemy.text("CREATE TABLE t (x)"))
            s.execute(sqlalchemy.text("INSERT INTO t VALUES (1)"))
            files = sorted(p.name for p in path.parent.iterdir())
            assert files == ["private.db", "private.db-shm", "private.db-wal"]
            assert {f: _mode(path.parent / f) for f in files} == {f: 0o600 for f in files}
        store.close()
        conn = sqlite3.connect(path, isolation_level=None)  # a rollback journal too
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (2)")
        assert _mode(f"{path}-journal") == 0o600
        conn.execute("COMMIT")
        conn.close()
    finally:
        os.umask(old)


def test_an_existing_database_keeps_its_mode(tmp_path):
    path = tmp_path / "shared.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o640)  # its owner chose group-readable
    Store.open(f"sqlite:///{path}").close()
    assert _mode(path) == 0o640


def test_memory_database_creates_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Store.open("sqlite:///:memory:").close()
    Store.open("sqlite://").close()
    assert list(tmp_path.iterdir()) == []
