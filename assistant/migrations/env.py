"""Alembic environment of the conversation store (sessions, messages, tool calls, feedback).

Its own revision tree and its own version table, so it can share one database with the ledger's
migrations (``tools/migrations``) without either seeing the other's revisions.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from assistant import store  # noqa: F401  (registers the tables on the metadata)

VERSION_TABLE = "chat_alembic_version"
config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=SQLModel.metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


_run(config.attributes["connection"])
