"""Open a store (SQLite by default, PostgreSQL by URL) and bring its schema up to date."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
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


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite:"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:" and not url.startswith("sqlite:///:memory:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
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
