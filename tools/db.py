"""Database engine for the ledger: SQLite (WAL) under KOC_HOME by default, PostgreSQL by URL.

The schema is owned by the Alembic migrations in ``tools/migrations``; ``open_engine`` runs them
to head on every start, under a PostgreSQL advisory lock so replicas starting together do not
race. SQLite gets WAL + a busy timeout so the HTTP service can read while an import writes.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event

from base.database import sqlalchemy_url
from base.migrations import upgrade_to_head
from base.settings import Settings, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 4_240_517  # arbitrary constant identifying "koc ledger migrations"


def database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.database_url:
        return sqlalchemy_url(settings.database_url)
    return f"sqlite:///{settings.resolved_home / 'ledger.db'}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MB page cache: index maintenance during bulk imports
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _sqlite_begin(conn) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None); we emit BEGIN ourselves so
    # write transactions can take the write lock up front (see write_tx).
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("koc_write") else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine with dialect-specific settings (no migrations)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction. On SQLite it is BEGIN IMMEDIATE: the write lock is taken before the
    first read, so "read what exists, then insert the rest" cannot race another writer (a
    deferred transaction would fail with SQLITE_BUSY when it tries to upgrade). PostgreSQL relies
    on unique constraints and ON CONFLICT instead."""
    with engine.connect() as conn:
        conn = conn.execution_options(koc_write=True)
        with conn.begin():
            yield conn


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    upgrade_to_head(engine, MIGRATIONS_DIR, _PG_LOCK_KEY)


_ENGINES: dict[str, Engine] = {}


def open_engine(settings: Settings | None = None, url: str | None = None) -> Engine:
    """The (cached, migrated) engine for the configured ledger database."""
    url = url or database_url(settings)
    engine = _ENGINES.get(url)
    if engine is None:
        engine = make_engine(url)
        migrate(engine)
        _ENGINES[url] = engine
    return engine


def dispose_engines() -> None:
    """Close every cached engine (tests, forked workers)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
