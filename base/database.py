"""Database URLs as SQLAlchemy wants them, for every package that opens one.

Operators write ``postgresql://user@host/db`` (what psql and libpq accept); SQLAlchemy needs the
driver named (``postgresql+psycopg://``). One place does that rewrite, so the ledger, the
conversation store and the knowledge-base manifest read the same settings the same way.
"""

from __future__ import annotations


def sqlalchemy_url(url: str) -> str:
    """``url`` with the psycopg driver named for PostgreSQL; other URLs unchanged."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")
