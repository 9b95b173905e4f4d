"""The ingest manifest: which file holds which content hash and which chunks (SQLModel; SQLite or PostgreSQL).

It is the source of truth for incremental ingest (unchanged hash → nothing to do), for
pruning, and for chunk reference counts: a chunk shared by two files (a duplicate upload)
is deleted from the indexes only when no file refers to it any more. Chunk texts and
metadata live here too, so the lexical index can be rebuilt and hits can be shown
without a round trip to a remote Chroma server.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event, func, text
from sqlmodel import Field, Session, SQLModel, create_engine, select

from base.database import is_sqlite, sqlalchemy_url

_PG_LOCK_KEY = 4_240_519  # "koc knowledge-base manifest tables"


class FileRecord(SQLModel, table=True):
    __tablename__ = "kb_files"
    path: str = Field(primary_key=True)  # absolute path: the identity of a file
    source: str = Field(index=True)  # display name used in citations
    content_hash: str
    chunk_ids: str = "[]"  # JSON list, in document order
    title: str = ""
    doc_type: str = ""
    audience: str = ""
    language: str = ""
    terms: str = "[]"  # JSON list of brand terms found in the file
    model_id: str = ""
    size_bytes: int = 0
    ingested_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def chunk_list(self) -> list[str]:
        return json.loads(self.chunk_ids)


class ChunkRecord(SQLModel, table=True):
    __tablename__ = "kb_chunks"
    chunk_id: str = Field(primary_key=True)
    text: str
    source: str  # display name of the first file that brought this chunk
    title: str = ""
    heading_path: str = "[]"  # JSON list
    doc_type: str = ""
    audience: str = ""
    language: str = ""


class KbMeta(SQLModel, table=True):
    __tablename__ = "kb_meta"
    key: str = Field(primary_key=True)
    value: str


class Manifest:
    """The manifest in a SQLite file under KOC_HOME, or in a shared database (``KOC_KB_DATABASE_URL``)
    that every replica reads, so a document ingested through one is known to all."""

    def __init__(self, where: Path | str) -> None:
        if isinstance(where, Path):
            where.parent.mkdir(parents=True, exist_ok=True)
            where = f"sqlite:///{where}"
        if is_sqlite(where):
            self.engine = create_engine(where, connect_args={"check_same_thread": False, "timeout": 30})

            @event.listens_for(self.engine, "connect")
            def _wal(dbapi_conn, _record) -> None:  # concurrent readers (UI) while an ingest writes
                dbapi_conn.execute("PRAGMA journal_mode=WAL")
        else:
            self.engine = create_engine(sqlalchemy_url(where), pool_size=10, max_overflow=20, pool_pre_ping=True)
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # replicas starting together create the tables once
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            SQLModel.metadata.create_all(conn, tables=[FileRecord.__table__, ChunkRecord.__table__, KbMeta.__table__])

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # ---- meta
    def get_meta(self, key: str) -> str | None:
        """One value, read with a bare connection: every search reads the revision, and an ORM
        session (identity map, unit of work) costs several times the query itself."""
        with self.engine.connect() as conn:
            return conn.execute(select(KbMeta.value).where(KbMeta.key == key)).scalar_one_or_none()

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as s:
            s.merge(KbMeta(key=key, value=value))
            s.commit()

    # ---- files
    def files(self) -> list[FileRecord]:
        with self.session() as s:
            return list(s.exec(select(FileRecord).order_by(FileRecord.source)))

    def file(self, path: str) -> FileRecord | None:
        with self.session() as s:
            return s.get(FileRecord, path)

    def referenced_chunk_ids(self, exclude_path: str | None = None) -> set[str]:
        return {cid for f in self.files() if f.path != exclude_path for cid in f.chunk_list}

    # ---- chunks
    def chunks(self, ids: list[str]) -> dict[str, ChunkRecord]:
        out: dict[str, ChunkRecord] = {}
        with self.session() as s:
            for start in range(0, len(ids), 500):
                batch = ids[start:start + 500]
                for row in s.exec(select(ChunkRecord).where(ChunkRecord.chunk_id.in_(batch))):
                    out[row.chunk_id] = row
        return out

    def all_chunks(self) -> list[ChunkRecord]:
        with self.session() as s:
            return list(s.exec(select(ChunkRecord).order_by(ChunkRecord.chunk_id)))

    def chunk_meta(self) -> list[tuple[str, str, str]]:
        """(chunk id, doc type, language) of every chunk, sorted by id (the lexical index's row order)."""
        with self.session() as s:
            rows = s.exec(select(ChunkRecord.chunk_id, ChunkRecord.doc_type, ChunkRecord.language)
                          .order_by(ChunkRecord.chunk_id))
            return [(cid, doc_type, language) for cid, doc_type, language in rows]

    def chunk_count(self) -> int:
        with self.session() as s:
            return int(s.exec(select(func.count()).select_from(ChunkRecord)).one())
