"""Open a store (SQLite by default, PostgreSQL by URL) and bring its schema up to date."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from strikewatch.errors import ConfigError, StoreError
from strikewatch.settings import DEFAULT_DB_URL, ENV_DB


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else $STRIKEWATCH_DB, else the SQLite default."""
    url = url or os.environ.get(ENV_DB) or DEFAULT_DB_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError(
            f"unsupported database URL {redact(url)!r}: "
            "use sqlite:///path/to/file.db or postgresql://user@host/dbname")
    return url


def redact(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    head, sep, tail = url.partition("://")
    if "@" in tail and ":" in tail.split("@", 1)[0]:
        user = tail.split("@", 1)[0].split(":", 1)[0]
        tail = f"{user}:***@{tail.split('@', 1)[1]}"
    return head + sep + tail


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages: the merge reads what it wrote
    cur.close()


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (0600), unless it exists: SQLite
    gives its -wal, -shm and -journal files the main file's mode. An existing file's mode is
    left as its owner set it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


# The PostgreSQL advisory lock a writing transaction holds ("swwr"), so that writers to one
# store take turns as SQLite's do: without it two ingests at once could create one entity or
# event twice, or settle an event from a read the other has since made stale.
WRITE_LOCK = 0x73777772
# Seconds a SQLite writer waits for another to commit before "database is locked"
SQLITE_BUSY_SECONDS = 60


def lock_for_writing(s) -> None:
    """Take the store's write lock for the rest of session `s`'s transaction: on PostgreSQL a
    transaction-level advisory lock, on SQLite the database's write lock (taken by a statement
    that writes nothing), waiting for the writer that holds it."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
    else:
        s.execute(text("DELETE FROM alembic_version WHERE 0 = 1"))


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite:"):
        path = make_url(url).database
        if path and path != ":memory:" and not path.startswith("file:"):
            _create_private(Path(path))
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as err:
        raise ConfigError(
            "PostgreSQL needs the psycopg driver: pip install 'strikewatch[postgres]'") from err


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest migration (idempotent)."""
    cfg = Config()
    cfg.set_main_option("script_location",
                        str(resources.files("strikewatch.store") / "migrations"))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as err:
        raise StoreError(
            f"cannot prepare the database {redact(str(engine.url))}: {err.__class__.__name__}: "
            f"{str(err).splitlines()[0]} (check the URL and that the server is running)") from err
