"""Typed values that cross package borders: what a search returns and what an ingest reports.

The assistant, evals and UI depend on these shapes only, never on the index internals.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class SearchFilters(BaseModel):
    """Metadata filters, applied inside both retrievers; ``None`` means no constraint. ``audience``
    keeps chunks whose audience includes it (a curator's view: who may read what is the search's
    ``viewer``, ``knowledge.audience``)."""

    doc_type: str | None = None
    audience: str | None = None
    language: str | None = None
    #: one document, by its display name (``Hit.source``): where a handbook's reference leads
    source: str | None = None


class Hit(BaseModel):
    """One evidence chunk. ``score`` is the fused score the coverage threshold is calibrated on."""

    rank: int
    score: float
    chunk_id: str
    source: str
    title: str = ""
    heading_path: list[str] = Field(default_factory=list)
    text: str
    doc_type: str = ""
    language: str = ""
    audience: str = ""
    dense_score: float | None = None
    lexical_score: float | None = None


class SearchResult(BaseModel):
    """Hits plus the coverage decision, so callers never re-derive "is this answerable"."""

    query: str
    hits: list[Hit]
    covered: bool
    threshold: float


class FileError(BaseModel):
    source: str
    error: str


class IngestReport(BaseModel):
    added_files: list[str] = Field(default_factory=list)
    changed_files: list[str] = Field(default_factory=list)
    unchanged_files: list[str] = Field(default_factory=list)
    removed_files: list[str] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
