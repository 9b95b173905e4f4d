"""Running an Alembic revision tree on an engine: shared by the ledger and the conversation store.

Each tree has its own script directory (and version table, set in its env.py), so several can
live in one database. Replicas starting together serialise on a PostgreSQL advisory lock per tree.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text


def upgrade_to_head(engine: Engine, script_location: Path, lock_key: int,
                    before: Callable[[Connection, Config], None] | None = None) -> None:
    """Bring the tree at ``script_location`` to its newest revision (idempotent). ``before`` runs
    inside the same transaction first (e.g. to adopt tables made before the tree existed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key})
        cfg.attributes["connection"] = conn
        if before is not None:
            before(conn, cfg)
        command.upgrade(cfg, "head")
