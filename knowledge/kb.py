"""KnowledgeBase: the one object the CLI, the UI, the assistant and the benchmark use.

It ties the pieces together — loaders → chunker → cached embeddings → Chroma + BM25 +
manifest — and owns the two hard promises of the issue: incremental ingest (an
unchanged file costs no embedding, a changed file replaces exactly its chunks, a
duplicate upload adds nothing) and a search that says when it has no evidence.
Every search is made as a viewer (``knowledge.audience``): chunks the asker may not read
are left out inside the dense and the lexical retrievers (``knowledge.visibility``), and an
audience change reaches every process sharing KOC_HOME through the manifest's revision.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import numpy as np
from chromadb.errors import ChromaError
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from base.colloquial import written_form
from base.language import CJK_RE, detect_language, localize, to_simplified
from base.settings import Settings, get_settings
from knowledge import fusion
from knowledge.audience import AudienceError, Viewer, effective_tokens, normalize_audience, parse_audience
from knowledge.chunker import Chunk, chunk_document
from knowledge.embeddings import CachedEmbeddings, embed_queries, get_embeddings, model_id_for
from knowledge.lexical import LexicalIndex, Tokenizer
from knowledge.loaders import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES, LoadError, LoadedDocument, load_file, sidecar_path
from knowledge.manifest import ChunkRecord, FileRecord, KbMeta, Manifest
from knowledge.profile import PROFILE_FILE, KbProfile, ProfileError, parse_profile
from knowledge.references import matching_title
from knowledge.retriever import KnowledgeRetriever
from knowledge.sentence_index import SentenceIndex
from knowledge.sentences import embed_sentences, row_cells, row_key, section_title, split_sentences
from knowledge.term_vectors import TermIndex, embed_terms
from knowledge.topics import Topic, topics
from knowledge.types import FileError, Hit, IngestReport, SearchFilters, SearchResult
from knowledge.vector_store import EmbeddingModelMismatch, VectorStore, make_client
from knowledge.visibility import Visibility, nearest_visible

SearchMode = Literal["hybrid", "dense", "bm25", "rrf"]
DICTIONARY_FILE = "dictionary.txt"
PIPELINE_VERSION = "17"  # bump when loaders/chunker change output, so unchanged files are re-chunked once
REVISION_META = "revision"  # changes with every ingest, removal and audience change (all replicas re-read)
OVERRIDE_META = "audience:"  # + file path: the audience HQ set for that file (kept across re-ingests)


class SourceNotFound(KeyError):
    """``remove`` was given a source the knowledge base does not hold."""


@dataclass
class _Candidate:
    path: Path
    source: str


def _file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


AUXILIARY_FILES = (DICTIONARY_FILE, PROFILE_FILE)
#: the column a table gives its rows' English names in ("英文名: Leafling")
ENGLISH_NAME_COLUMN = re.compile(r"英文名(?:称|字)?|英文|english(?: name)?", re.IGNORECASE)


def _english_name(cells: list[tuple[str, str]]) -> str:
    """The cell of a row under its English-name column, "" when the table has none."""
    return next((cell.strip() for column, cell in cells[1:] if ENGLISH_NAME_COLUMN.fullmatch(column.strip())), "")


#: the first column of a table of the programme's tiers
TIER_COLUMN = re.compile(r"(?:等级|级别|等级名称|会员等级|身份等级|tiers?|levels?|tier name)", re.IGNORECASE)
PROFILE_META = "profile"


def _is_auxiliary(path: Path) -> bool:
    """Sidecars, the brand dictionary and the brand profile describe the knowledge base; they are not documents."""
    return path.name.endswith(SIDECAR_SUFFIX) or path.name in AUXILIARY_FILES


def _dictionary_term(line: str) -> str:
    """One term per line; jieba's own format ``word freq [tag]`` is accepted too."""
    parts = line.split()
    return parts[0] if len(parts) >= 2 and parts[1].isdigit() else line.strip()


#: One file ready to record: where it came from, its bytes and digest, the loaded document, its chunks.
_Prepared = tuple[_Candidate, bytes, str, LoadedDocument, list[Chunk]]


log = logging.getLogger(__name__)


class StorageError(RuntimeError):
    """The knowledge base could not be written (disk full, file-size limit, I/O error). The write
    steps of an ingest are each atomic and the manifest is written after the vectors, so what was
    indexed before keeps answering."""


class DiskSpaceLow(StorageError):
    """An ingest stopped before writing would leave less than KOC_MIN_FREE_MB free."""


#: what writing the index can fail with when the disk is full or broken
WRITE_ERRORS = (OSError, sqlite3.Error, SQLAlchemyError, ChromaError)
#: OSErrors that mean "the disk cannot take this write" (full, over a size or quota limit, failing, read-only)
STORAGE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS}
#: bytes of one stored vector, rounded up (768 float32 for EmbeddingGemma; 1,024 dims at most here)
BYTES_PER_VECTOR_COPY = 4 * 1024


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]


#: the share of a lexical-hint match that counts in ranking (``KnowledgeBase.search``)
HINT_WEIGHT = 0.5


class KnowledgeBase:
    def __init__(self, settings: Settings | None = None, embeddings: CachedEmbeddings | None = None) -> None:
        self.settings = settings or get_settings()
        self.home = self.settings.resolved_home
        self._embeddings = embeddings
        self.model_id = embeddings.model_id if embeddings is not None else model_id_for(self.settings)
        self.manifest = Manifest(self.settings.kb_database_url or self.home / "manifest.db")
        stored = self.manifest.get_meta("model_id")
        if stored and stored != self.model_id and self.manifest.files():
            raise EmbeddingModelMismatch(
                f"this knowledge base (KOC_HOME={self.home}) was built with embedding model '{stored}', "
                f"but the configured model is '{self.model_id}'. Vectors of two models cannot be mixed: "
                f"use the same KOC_EMBED_PROVIDER/KOC_EMBED_MODEL, "
                f"or another KOC_HOME and re-ingest.")
        self.client = make_client(self.settings.chroma_url, self.home / "chroma")
        self.vectors = VectorStore(self.client, self.settings.collection, self.model_id)
        self._lock = threading.RLock()
        self._lexical: LexicalIndex | None = None
        # per lexical row: its table rows read with their header, and (first column, key, English name) of those
        # with a key; both from one reading of the chunk's sentences
        self._table: tuple[LexicalIndex, list[list[str]], list[list[tuple[str, str, str]]]] | None = None
        self._sections: tuple[LexicalIndex, dict[str, list[str]]] | None = None  # chunk id -> its section's chunk ids
        self._sentences: tuple[LexicalIndex, SentenceIndex] | None = None
        self._terms: tuple[LexicalIndex, TermIndex] | None = None
        self._lexical_terms: list[str] = []
        self._lex_meta: list[tuple[str, str]] = []  # (doc_type, language) per lexical row
        self._row_sides = np.zeros(0, dtype=np.int64)  # per lexical row: 1 English, -1 Chinese, 0 unknown
        self._chinese_script = "zh-CN"  # the script most chunks are written in (``chinese_script``)
        self._visibility = Visibility()
        self._vocabularies: dict[tuple, frozenset[str]] = {}  # (revision, viewer) → words it may read
        self._revision: str | None = None  # the manifest revision the lexical index and visibility reflect
        self.last_dense_strategy = ""  # how the last dense search honoured the viewer (benchmark, tests)
        self.last_lexical_seconds = 0.0
        self.last_sentence_units, self.last_sentence_seconds = 0, 0.0
        self.last_term_units, self.last_term_seconds = 0, 0.0

    # ------------------------------------------------------------------ embeddings
    @property
    def embeddings(self) -> CachedEmbeddings:
        """Loaded on first use: listing or removing sources never loads the model."""
        if self._embeddings is None:
            self._embeddings = get_embeddings(self.settings)
        return self._embeddings

    # ------------------------------------------------------------------ ingest
    def _expand(self, paths: list[Path], report: IngestReport) -> tuple[list[_Candidate], list[Path], list[Path]]:
        files: list[_Candidate] = []
        dirs: list[Path] = []
        dictionaries: list[Path] = []
        for raw in paths:
            path = Path(raw).expanduser()
            if path.is_dir():
                root = path.resolve()
                dirs.append(root)
                for f in sorted(root.rglob("*")):
                    rel = f.relative_to(root)
                    if any(part.startswith((".", "__")) for part in rel.parts) or not f.is_file():
                        continue
                    if f.name in AUXILIARY_FILES:
                        dictionaries.append(f)
                    elif not _is_auxiliary(f):
                        files.append(_Candidate(f, rel.as_posix()))
            elif path.is_file():
                if path.name in AUXILIARY_FILES:
                    dictionaries.append(path.resolve())
                else:
                    files.append(_Candidate(path.resolve(), path.name))
            else:
                report.errors.append(FileError(source=str(raw), error="no such file or directory"))
        return files, dirs, dictionaries

    def ingest(self, paths: list[Path], prune: bool = False, progress: bool = False,
               audience: str | None = None, tiers: Collection[str] | None = None) -> IngestReport:
        """Add new and changed files, skip unchanged ones, report bad ones; optionally prune gone files.

        ``audience`` (``koc ingest --audience``) is set on every file given, unchanged ones included,
        over what the files declare, and kept across later ingests like ``set_audience``; ``tiers``
        (the policy's tier keys, when known) refuses an unknown tier as ``set_audience`` does."""
        started = time.perf_counter()
        report = IngestReport()
        label = normalize_audience(audience, tiers) if audience else ""  # AudienceError before anything is written
        with self._lock:
            candidates, dirs, dictionaries = self._expand(paths, report)
            if label:
                for cand in candidates:
                    self._set_override(str(cand.path), label)
            for d in dictionaries:
                if d.name == PROFILE_FILE:
                    self._load_profile(d, report)
                else:
                    self._load_dictionary(d, report)
            seen: set[str] = set()
            todo = [item for cand in candidates if (item := self._prepare(cand, report, seen)) is not None]
            known = self._known_chunk_ids([c.chunk_id for *_, chunks in todo for c in chunks])
            try:
                self._check_space(self._bytes_needed(todo, known))
                self._store_new_vectors(todo, known, progress)
                self._record(todo, report, known)
                self._embed_sentences()
                if prune:
                    self._prune(dirs, seen, report)
                if label:
                    for cand in candidates:
                        self._apply_audience(str(cand.path))
                self.manifest.set_meta("model_id", self.model_id)
                self._bump_revision()
                self._refresh()
                self._embed_terms()
            except WRITE_ERRORS as exc:
                if isinstance(exc, OSError) and exc.errno not in STORAGE_ERRNOS:
                    raise
                raise StorageError(f"could not write the knowledge base in {self.home}: {_first_line(exc)}. "
                                   "What was indexed before still answers; free disk space and run the ingest again "
                                   "(chunks already embedded are cached)") from exc
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    # ------------------------------------------------------------------ disk space
    def _bytes_needed(self, todo: list[_Prepared], known: set[str]) -> int:
        """A generous estimate of the disk space the new chunks take (vectors in the cache, Chroma's
        SQLite and its HNSW files; text in the manifest, Chroma and the lexical index)."""
        new = {c.chunk_id: c for *_, chunks in todo for c in chunks if c.chunk_id not in known}
        return sum(BYTES_PER_VECTOR_COPY * 4 + 4 * len(c.text.encode("utf-8")) for c in new.values())

    def _check_space(self, needed: int = 0) -> None:
        """Raise ``DiskSpaceLow`` unless the disk of KOC_HOME keeps KOC_MIN_FREE_MB free after ``needed`` bytes."""
        reserve = int(self.settings.min_free_mb * 1024 * 1024)
        free = shutil.disk_usage(self.home).free
        if free - needed < reserve:
            raise DiskSpaceLow(
                f"not enough free disk space for this ingest in {self.home}: {free / 1048576:.1f} MB free, "
                f"about {needed / 1048576:.1f} MB needed and KOC_MIN_FREE_MB={self.settings.min_free_mb:g} MB kept "
                "free so the existing index keeps answering. Nothing more was added; free some space (or lower "
                "KOC_MIN_FREE_MB) and run the ingest again")

    def _prepare(self, cand: _Candidate, report: IngestReport, seen: set[str]) -> _Prepared | None:
        """Load and chunk one file; None when it is a repeat, unchanged, or bad (bad files go into the report)."""
        key = str(cand.path)
        if key in seen:
            return None
        seen.add(key)
        try:
            size = cand.path.stat().st_size
            if size > self.settings.max_file_mb * 1024 * 1024:
                raise LoadError(f"file is {size / 1048576:.1f} MB, over the KOC_MAX_FILE_MB limit of "
                                f"{self.settings.max_file_mb:g} MB")
            if cand.path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise LoadError(f"unsupported file type '{cand.path.suffix or '(none)'}' "
                                f"(supported: {', '.join(SUPPORTED_SUFFIXES)})")
            data = cand.path.read_bytes()
            digest = self._digest(data, cand.path)
            old = self.manifest.file(key)
            if old and old.content_hash == digest and old.model_id == self.model_id:
                report.unchanged_files.append(cand.source)
                return None
            doc = load_file(cand.path, self.settings.max_file_mb)
            try:  # HQ's setting (set_audience, ingest --audience) over the file's own; "" = the default
                doc.audience = self.manifest.get_meta(OVERRIDE_META + key) or normalize_audience(doc.audience)
            except AudienceError as exc:
                raise LoadError(f"invalid audience: {exc}") from exc
            chunks = chunk_document(doc, self.settings.chunk_size, self.settings.chunk_overlap)
            if not chunks:
                raise LoadError("no text content")
        except LoadError as exc:
            report.errors.append(FileError(source=cand.source, error=str(exc)))
            return None
        except OSError as exc:
            report.errors.append(FileError(source=cand.source, error=f"cannot read file: {exc}"))
            return None
        return cand, data, digest, doc, chunks

    def _store_new_vectors(self, todo: list[_Prepared], known: set[str], progress: bool) -> None:
        """Embed every chunk the store does not hold yet and write them to Chroma in one call.

        The whole batch is embedded first, in full model batches (files are often one chunk); vectors
        land in the cache batch by batch, so an interrupted ingest resumes where it stopped. One
        Chroma write for the batch: per-file writes cost ~50 ms each."""
        pending: dict[str, str] = {}
        first_doc: dict[str, tuple[_Candidate, LoadedDocument]] = {}
        for cand, _data, _digest, doc, chunks in todo:
            for c in chunks:
                if c.chunk_id not in known and c.chunk_id not in pending:
                    pending[c.chunk_id] = self._embed_text(doc, c)
                    first_doc[c.chunk_id] = (cand, doc)
        if not pending:
            return
        bar = self._progress(progress, len(pending))

        def on_batch(n: int) -> None:  # the cache grows batch by batch: stop while the reserve is still free
            if bar is not None:
                bar.advance(task, n)
            self._check_space()

        with bar or nullcontext():
            task = bar.add_task("embedding chunks", total=len(pending)) if bar else None
            vecs = self.embeddings.embed_documents(list(pending.values()), on_batch=on_batch)
        self._check_space(len(pending) * BYTES_PER_VECTOR_COPY * 2)
        vectors = dict(zip(pending, vecs))
        self.vectors.add(list(pending), [vectors[cid] for cid in pending],
                         [{"doc_type": d.doc_type, "audience": d.audience, "language": d.language,
                           "source": cand.source} for cid in pending for cand, d in [first_doc[cid]]])

    def _embed_sentences(self) -> None:
        """Sentence vectors for the offline responder's evidence ranking (``knowledge.sentences``):
        every chunk's, so an index built before they existed gets them too; cached ones cost a read."""
        t0 = time.perf_counter()
        chunks = [(c.text, section_title(json.loads(c.heading_path))) for c in self.manifest.all_chunks()]
        self.last_sentence_units = embed_sentences(self.embeddings, chunks, on_batch=lambda _n: self._check_space())
        self.last_sentence_seconds = time.perf_counter() - t0

    def _embed_terms(self) -> None:
        """Vectors of the corpus's own words (``knowledge.term_vectors``), so an English question's word can be
        read in the handbooks' word for it; cached ones cost a read."""
        t0 = time.perf_counter()
        lexical, _ = self._current()
        self.last_term_units = embed_terms(self.embeddings, lexical.df, self.settings.term_vectors_max,
                                           on_batch=lambda _n: self._check_space())
        self.last_term_seconds = time.perf_counter() - t0

    def _digest(self, data: bytes, path: Path) -> str:
        """File bytes + sidecar + chunking parameters: any of them changing means the chunks may change."""
        extra = f"\n{self._sidecar_bytes(path)}\n{self.settings.chunk_size}/{self.settings.chunk_overlap}/{PIPELINE_VERSION}"
        return _file_hash(data + extra.encode())

    @staticmethod
    def _sidecar_bytes(path: Path) -> str:
        side = sidecar_path(path)
        return side.read_text(encoding="utf-8", errors="replace") if side else ""

    @staticmethod
    def _progress(enabled: bool, total: int):
        if not enabled or total == 0:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), transient=False)

    def _known_chunk_ids(self, ids: list[str]) -> set[str]:
        in_manifest = set(self.manifest.chunks(list(set(ids))))
        return in_manifest & self.vectors.existing_ids(list(in_manifest)) if in_manifest else set()

    def _record(self, todo, report: IngestReport, known: set[str]) -> None:
        """Write chunk and file rows for the batch in one transaction, then release replaced chunks."""
        replaced: list[set[str]] = []
        with self.manifest.session() as s:
            for cand, data, digest, doc, chunks in todo:
                key = str(cand.path)
                old = s.get(FileRecord, key)
                new_chunks = [c for c in chunks if c.chunk_id not in known]
                for c in new_chunks:
                    s.merge(ChunkRecord(chunk_id=c.chunk_id, text=c.text, source=cand.source, title=doc.title,
                                        heading_path=json.dumps(list(c.heading_path), ensure_ascii=False),
                                        doc_type=doc.doc_type, audience=doc.audience, language=doc.language))
                known.update(c.chunk_id for c in new_chunks)
                report.chunks_embedded += len(new_chunks)
                report.chunks_added += len(new_chunks)
                if old is None:
                    report.added_files.append(cand.source)
                else:
                    report.changed_files.append(cand.source)
                    replaced.append(set(old.chunk_list) - {c.chunk_id for c in chunks})
                s.merge(FileRecord(path=key, source=cand.source, content_hash=digest,
                                   chunk_ids=json.dumps([c.chunk_id for c in chunks]), title=doc.title,
                                   doc_type=doc.doc_type, audience=doc.audience, language=doc.language,
                                   terms=json.dumps(doc.terms, ensure_ascii=False), model_id=self.model_id,
                                   size_bytes=len(data), ingested_at=datetime.now(timezone.utc)))
            s.commit()
        for gone in replaced:
            report.chunks_removed += self._release(gone)

    @staticmethod
    def _embed_text(doc: LoadedDocument, chunk: Chunk) -> str:
        """The text that is embedded: the chunk with its title/heading context (improves dense recall)."""
        title = [] if doc.title_from_name else [doc.title]  # a file name is not worth embedding
        context = " > ".join(dict.fromkeys([*title, *chunk.heading_path]))
        return f"{context}\n{chunk.text}" if context and context not in chunk.text else chunk.text

    def _release(self, chunk_ids: set[str]) -> int:
        """Delete chunks no file refers to any more; re-point shared chunks at a remaining file."""
        if not chunk_ids:
            return 0
        files = self.manifest.files()
        owner: dict[str, str] = {}
        for f in files:
            for cid in f.chunk_list:
                owner.setdefault(cid, f.source)
        orphans = [cid for cid in chunk_ids if cid not in owner]
        with self.manifest.session() as s:
            for cid in chunk_ids:
                row = s.get(ChunkRecord, cid)
                if row is None:
                    continue
                if cid in owner:
                    if row.source != owner[cid]:
                        row.source = owner[cid]
                        s.add(row)
                else:
                    s.delete(row)
            s.commit()
        self.vectors.delete(orphans)
        return len(orphans)

    def _prune(self, dirs: list[Path], seen: set[str], report: IngestReport) -> None:
        for f in self.manifest.files():
            p = Path(f.path)
            gone = not p.exists()
            not_listed = any(p.is_relative_to(d) for d in dirs) and f.path not in seen
            if gone or not_listed:
                report.removed_files.append(f.source)
                report.chunks_removed += self._remove_record(f)

    def _remove_record(self, record: FileRecord) -> int:
        with self.manifest.session() as s:
            row = s.get(FileRecord, record.path)
            if row is not None:
                s.delete(row)
            override = s.get(KbMeta, OVERRIDE_META + record.path)
            if override is not None:  # a removed file is forgotten, its audience too
                s.delete(override)
            s.commit()
        return self._release(set(record.chunk_list))

    def _load_dictionary(self, path: Path, report: IngestReport) -> None:
        try:
            terms = [_dictionary_term(t) for t in path.read_text(encoding="utf-8").splitlines()
                     if t.strip() and not t.lstrip().startswith("#")]
        except (OSError, UnicodeDecodeError) as exc:
            report.errors.append(FileError(source=path.name, error=f"unreadable dictionary: {exc}"))
            return
        self.manifest.set_meta(f"dictionary:{path.resolve()}", json.dumps(terms, ensure_ascii=False))

    def _load_profile(self, path: Path, report: IngestReport) -> None:
        try:
            profile = parse_profile(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ProfileError) as exc:
            report.errors.append(FileError(source=path.name, error=f"unreadable profile: {exc}"))
            return
        self.set_profile(profile)

    # ------------------------------------------------------------------ the brand profile
    def profile(self) -> KbProfile:
        """The brand profile (empty fields when none was given)."""
        raw = self.manifest.get_meta(PROFILE_META)
        return KbProfile.model_validate_json(raw) if raw else KbProfile()

    def set_profile(self, profile: KbProfile) -> None:
        """Replace the brand profile; the next question uses it."""
        self.manifest.set_meta(PROFILE_META, profile.model_dump_json())

    # ------------------------------------------------------------------ lexical index
    def brand_terms(self, viewer: Viewer | None = None) -> list[str]:
        """The dictionary's terms and those found in documents (only documents ``viewer`` may read)."""
        terms: list[str] = []
        for f in self.manifest.files():
            if viewer is None or viewer.sees(effective_tokens(f.audience, self.settings.default_audience)):
                terms += json.loads(f.terms)
        with self.manifest.session() as s:
            for row in s.exec(select(KbMeta).where(KbMeta.key.startswith("dictionary:"))):
                terms += json.loads(row.value)
        return list(dict.fromkeys(terms))

    def referenced_document(self, reference: str, viewer: Viewer | None = None) -> str | None:
        """The display name of the document a handbook's reference names by title ("见《积分细则》",
        ``knowledge.references``), among the documents ``viewer`` may read; None when none
        is named: a reference to a page the asker may not read leads nowhere."""
        default = self.settings.default_audience
        titles = {f.source: f.title for f in self.manifest.files()
                  if viewer is None or viewer.sees(effective_tokens(f.audience, default))}
        return matching_title(reference, titles)

    def row_keys(self, viewer: Viewer | None = None) -> list[str]:
        """The subjects the handbooks' tables have a row for (tiers, products, platforms: the first
        cell of each row), in the chunks ``viewer`` may read. Rows of one table are things a
        follow-up switches between ("那视频号呢？" after a question about 抖音's row). Read once per
        revision of the index."""
        return list(dict.fromkeys(key for rows in self._rows_by_chunk(viewer) for _column, key, _english in rows))

    def reads_more(self, viewer: Viewer, than: Viewer) -> bool:
        """Whether ``viewer`` may read a chunk that ``than`` may not (a signed-in KOC, handbooks the public
        cannot see): what the public can be told exists, without a word of it."""
        _lex, vis = self._current()
        wider, narrower = vis.mask(viewer), vis.mask(than)
        if wider is None:
            return narrower is not None and not bool(narrower.all())
        return bool((wider & ~narrower).any()) if narrower is not None else False

    def tier_ladder(self, viewer: Viewer | None = None) -> list[str]:
        """The programme's tiers as the handbooks' tables list them: the rows of the longest table keyed by
        tier, in its order (handbooks list a ladder from its first rung). What "the top tier" names
        when no policy does; [] when no table is keyed by tier."""
        ladders = [list(dict.fromkeys(key for column, key, _english in rows if TIER_COLUMN.fullmatch(column)))
                   for rows in self._rows_by_chunk(viewer)]
        return max(ladders, key=len, default=[]) if any(len(ladder) >= 2 for ladder in ladders) else []

    def english_names(self, viewer: Viewer | None = None) -> dict[str, str]:
        """The English names the handbooks' tables give their rows (a column 英文名 beside a tier or a product)
        → the row's Chinese name: an English question names a tier as "Leafling", the rules for it are written
        under 绿叶. Only rows ``viewer`` may read."""
        return {english: key for rows in self._rows_by_chunk(viewer) for _column, key, english in rows
                if english and english.isascii() and CJK_RE.search(key)}

    def _rows_by_chunk(self, viewer: Viewer | None) -> list[list[tuple[str, str, str]]]:
        """Each readable chunk's table rows as (first column's name, row key, its English name or ""), read once
        per revision."""
        lex, vis, (_sentences, keyed) = self._table_rows_read()
        allowed = vis.mask(viewer)
        return [found for position, found in enumerate(keyed) if allowed is None or bool(allowed[position])]

    def table_rows(self, viewer: Viewer | None = None) -> list[tuple[str, str]]:
        """Every table row of the chunks ``viewer`` may read, as (chunk id, the row read with its header): a rule
        kept in a table elsewhere (the points a breach costs) is found by its cells, not by a search. Read once per
        revision."""
        lex, vis, (sentences, _keyed) = self._table_rows_read()
        allowed = vis.mask(viewer)
        return [(lex.ids[position], sentence) for position, found in enumerate(sentences)
                if allowed is None or bool(allowed[position]) for sentence in found]

    def _table_rows_read(self) -> tuple[LexicalIndex, Visibility, tuple[list[list[str]], list[list[tuple[str, str, str]]]]]:
        """The current index, its visibility, and per lexical row its table rows (``table_rows``) and their
        keyed cells (``_rows_by_chunk``): every chunk's sentences are split once per revision for both."""
        lex, vis = self._current()
        with self._lock:
            if self._table is None or self._table[0] is not lex:
                sentences: list[list[str]] = []
                keyed: list[list[tuple[str, str, str]]] = []
                for text in self._texts_by_position(lex):
                    rows = [(sentence, cells) for sentence in split_sentences(text) if (cells := row_cells(sentence))]
                    sentences.append([sentence for sentence, _cells in rows])
                    keyed.append([(cells[0][0], key, _english_name(cells)) for sentence, cells in rows
                                  if (key := row_key(sentence))])
                self._table = (lex, sentences, keyed)
            return lex, vis, (self._table[1], self._table[2])

    def section_chunk_ids(self, chunk_id: str) -> list[str]:
        """The chunks of the section ``chunk_id`` is cut from (one document, one heading path); read once
        per revision. Who may read them is the search's business."""
        lex, _vis = self._current()
        with self._lock:
            if self._sections is None or self._sections[0] is not lex:
                groups: dict[tuple[str, str], list[str]] = {}
                for c in self.manifest.all_chunks():
                    groups.setdefault((c.source, c.heading_path), []).append(c.chunk_id)
                self._sections = (lex, {cid: ids for ids in groups.values() for cid in ids})
            return list(self._sections[1].get(chunk_id, [chunk_id]))

    def _rebuild_lexical(self, force: bool = False) -> LexicalIndex:
        t0 = time.perf_counter()
        chunks = self.manifest.all_chunks()
        tokenizer = Tokenizer(self.brand_terms())
        lexical = LexicalIndex(tokenizer)
        stamp = LexicalIndex.make_stamp([c.chunk_id for c in chunks], tokenizer.terms)
        directory = self.home / "lexical"
        if force or not lexical.load(directory, stamp) or lexical.ids != [c.chunk_id for c in chunks]:
            lexical.build([c.chunk_id for c in chunks], [self._lexical_text(c) for c in chunks])
            try:
                lexical.save(directory)
            except OSError as exc:  # disk full or read-only: the index in memory answers; the next start rebuilds it
                log.warning("lexical index not persisted (%s): it is rebuilt on the next start", exc)
        self._set_lex_meta([(c.doc_type, c.language) for c in chunks])
        self._lexical, self._lexical_terms = lexical, tokenizer.terms
        self.last_lexical_seconds = time.perf_counter() - t0
        return lexical

    @staticmethod
    def _lexical_text(c: ChunkRecord) -> str:
        return " ".join(json.loads(c.heading_path)) + "\n" + c.text

    @property
    def lexical(self) -> LexicalIndex:
        return self._current()[0]

    @property
    def chinese_script(self) -> str:
        """The Chinese script most chunks are written in, "zh-CN" or "zh-TW" (Simplified on a tie): the
        embedding model scores a question in the other script markedly lower against the same
        sentence (0.41 against 0.53 for one FAQ pair), so a question is compared in this script.
        Counted when the chunks' metadata is read (once per revision), not per question."""
        self._current()
        return self._chinese_script

    def _set_lex_meta(self, meta: list[tuple[str, str]]) -> None:
        """The (doc type, language) of every lexical row, and the main Chinese script they add up to."""
        self._lex_meta = meta
        languages = [language for _doc_type, language in meta]
        self._row_sides = np.array([0 if not language else 1 if language == "en" else -1 for language in languages])
        self._chinese_script = "zh-TW" if languages.count("zh-TW") > languages.count("zh-CN") else "zh-CN"

    def _current(self) -> tuple[LexicalIndex, Visibility]:
        """The lexical index and the audience bits of the manifest's current revision: when another
        process or replica ingested, removed or changed an audience, both are re-read before this search."""
        revision = self.manifest.get_meta(REVISION_META) or ""
        with self._lock:
            if self._lexical is None or revision != self._revision:
                self._refresh()
            assert self._lexical is not None
            return self._lexical, self._visibility

    def _refresh(self) -> None:
        """Re-read the revision, the lexical index (only when its chunks or terms changed) and the
        audience bits. Called with the lock held."""
        revision = self.manifest.get_meta(REVISION_META) or ""
        terms = Tokenizer(self.brand_terms()).terms
        meta = self.manifest.chunk_meta()
        if self._lexical is None or self._lexical.ids != [cid for cid, *_ in meta] or terms != self._lexical_terms:
            self._rebuild_lexical()
        else:  # same chunks: a re-ingest may still have changed their doc type or language
            self._set_lex_meta([(doc_type, language) for _cid, doc_type, language in meta])
        assert self._lexical is not None
        self._visibility = Visibility.build(self._lexical.ids, self.manifest.files(), self.settings.default_audience)
        self._revision = revision

    def _bump_revision(self) -> None:
        self.manifest.set_meta(REVISION_META, uuid.uuid4().hex)

    # ------------------------------------------------------------------ search
    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None,
               mode: SearchMode = "hybrid", viewer: Viewer | None = None, lexical_hint: str = "") -> SearchResult:
        """Hybrid search (default); ``mode`` = dense / bm25 / rrf exists for the benchmark.

        ``viewer`` decides which chunks exist for this search, inside both retrievers: the dense
        candidates and the BM25 scores of chunks the viewer may not read are dropped before fusion,
        so nothing downstream (answers, citations, refusals, briefs) can see them. None = every
        chunk: for HQ and curation tools; everything that answers a person passes its viewer.
        ``lexical_hint``: words searched by the lexical retriever besides the query's own (the
        handbooks' words for an English question's terms), not embedded."""
        k = k or self.settings.search_k
        if mode == "hybrid" and self.settings.fusion == "rrf":
            mode = "rrf"  # KOC_FUSION=rrf: plain reciprocal rank fusion instead of weighted scores
        th = fusion.threshold(self.model_id, self.settings.min_evidence_score)
        if not query.strip():
            return SearchResult(query=query, hits=[], covered=False, threshold=th)
        lex, vis = self._current()
        allowed = self._allowed(filters, viewer, vis)
        if not lex.ids or (allowed is not None and not allowed.any()):
            return SearchResult(query=query, hits=[], covered=False, threshold=th)
        depth = max(4 * k, 30)
        dense, dense_rank, q_vecs = self._dense_candidates(query, depth, filters, allowed, lex) \
            if mode != "bm25" else ({}, {}, [])
        lexical, lex_rank = self._lexical_candidates(f"{query} {lexical_hint}".strip(), depth, allowed,
                                                     dense if mode != "bm25" else {}, lex) \
            if mode != "dense" else ({}, {})
        # the hint ranks chunks; whether the handbooks cover the question is judged on its own words
        own_words = self._lexical_candidates(query, depth, allowed, {**dense, **lexical}, lex)[0] \
            if lexical_hint and mode != "dense" else lexical
        margin = self.settings.sentence_margin
        by_sentence = self._sentence_candidates(q_vecs, depth, allowed, lex, detect_language(query)) \
            if mode == "hybrid" and q_vecs and margin >= 0 else {}
        if mode in ("hybrid", "rrf") and q_vecs:  # dense score of lexical-only candidates too
            missing = [cid for cid in dict.fromkeys([*lexical, *by_sentence]) if cid not in dense]
            qs = [np.asarray(v, dtype=np.float32) for v in q_vecs]
            for cid, vec in self.vectors.vectors(missing).items():
                chunk = np.asarray(vec, dtype=np.float32)
                dense[cid] = max(float(np.dot(q, chunk)) for q in qs)
        w = fusion.dense_weight(self.model_id, self.settings.dense_weight)
        # a chunk is as close as its best sentence (less a margin): a FAQ chunk of five questions is
        # far, as a whole, from a question about its fifth; its coverage (``_evidence``) stays its own
        ranking = {cid: max(sim, by_sentence.get(cid, -1.0) - margin) for cid, sim in dense.items()} \
            if by_sentence else dense
        if lexical_hint and mode != "dense":
            # a chunk the hint's words find ranks by half of that match: the handbook's word for an
            # English term is a lead, not the asker's own word
            lexical = {cid: max(own_words.get(cid, 0.0), HINT_WEIGHT * score) for cid, score in lexical.items()}
        scored = self._fuse(mode, ranking, lexical, dense_rank, lex_rank, w)
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        records = self.manifest.chunks([cid for cid, _ in ranked])
        hits = [self._hit(records[cid], r + 1, score, dense.get(cid), own_words.get(cid), vis, viewer)
                for r, (cid, score) in enumerate(ranked) if cid in records]
        if hits and mode in ("hybrid", "rrf"):
            language = detect_language(query)
            evidence = max(self._evidence(language, hit, w) for hit in hits)
        elif hits:
            evidence = hits[0].score
        else:
            evidence = float("-inf")
        return SearchResult(query=query, hits=hits, covered=bool(hits) and evidence >= th, threshold=th)

    def _evidence(self, question_language: str, hit: Hit, w_dense: float) -> float:
        """A hit's fused evidence for the coverage decision. An English question over a Chinese chunk
        (or the reverse) shares no words with it and scores lower in vector space for the same
        meaning, so its cosine is raised by the model's cross-lingual shift before the threshold
        (calibrated within one language) is applied; the best hit, so judged, decides."""
        dense = hit.dense_score or 0.0
        if fusion.cross_lingual(question_language, hit.language):
            dense += fusion.cross_lingual_shift(self.model_id)
        return fusion.weighted(dense, hit.lexical_score or 0.0, w_dense)

    def query_texts(self, query: str) -> list[str]:
        """What a search embeds for ``query``: the query, and its twin as the handbooks would write it
        (``as_written``) when it is written otherwise."""
        twin = self.as_written(query)
        return [query] if twin is None else [query, twin]

    def _dense_candidates(self, query: str, depth: int, filters: SearchFilters | None, allowed: np.ndarray | None,
                          lex: LexicalIndex) -> tuple[dict[str, float], dict[str, int], list[list[float]]]:
        """Chroma's nearest chunks the search may use: similarity and rank per chunk id, and the
        vectors searched with (the question's first). A question in the Chinese script the handbooks
        mostly do not use, or in the spoken register, is also searched as its written twin (``as_written``), each
        chunk keeping the closer of the two."""
        vectors = embed_queries(self.embeddings, self.query_texts(query))  # one batch; the embeddings keep them
        dense: dict[str, float] = {}
        for vec in vectors:
            for cid, sim in self._dense_query(vec, depth, self._where(filters), allowed, lex):
                dense[cid] = max(sim, dense.get(cid, sim))
        ordered = sorted(dense, key=lambda cid: -dense[cid])
        return dense, {cid: i for i, cid in enumerate(ordered)}, vectors

    def as_written(self, text: str) -> str | None:
        """``text`` as the handbooks would write it: spoken words in their written forms (``base.colloquial``:
        "咋样" → "怎么样") and in the knowledge base's main Chinese script (``chinese_script``); None when
        it is written so already or has no Chinese. The embedding model scores a question written in the
        other script or the spoken register well below the same question as the handbooks word it."""
        written = written_form(text)
        converted = written if self.chinese_script == "zh-CN" else localize(written, "zh-TW")
        return None if converted == text else converted

    def _dense_query(self, q_vec: list[float], depth: int, where: dict | None, allowed: np.ndarray | None,
                     lex: LexicalIndex) -> list[tuple[str, float]]:
        """The ``depth`` nearest chunks among the ``allowed`` rows (``visibility.nearest_visible``)."""
        found, self.last_dense_strategy = nearest_visible(self.vectors, q_vec, depth, where, allowed, lex.ids,
                                                          lex.positions())
        return found

    def _sentence_candidates(self, q_vecs: list[list[float]], depth: int, allowed: np.ndarray | None,
                             lex: LexicalIndex, language: str) -> dict[str, float]:
        """The ``depth`` chunks (among the ``allowed``) whose best sentence is closest to the question,
        with that similarity. Only chunks in the question's language: across English and Chinese a
        single sentence's similarity is too loose to rank by (it pulled near misses in)."""
        index = self._sentence_index(lex)
        if not len(index.matrix):
            return {}
        best = index.best(q_vecs, allowed)
        if len(self._row_sides) == len(best) and language:  # rows on the question's side of the language line
            side = 1 if language == "en" else -1
            best = np.where((self._row_sides == side) | (self._row_sides == 0), best, -np.inf)
        top = [i for i in np.argsort(-best)[:depth] if np.isfinite(best[i])]
        return {lex.ids[i]: float(best[i]) for i in top}

    def _sentence_index(self, lex: LexicalIndex) -> SentenceIndex:
        """The sentence vectors of the chunks of ``lex``, read from the embedding cache once per
        lexical index (so once per revision)."""
        with self._lock:
            if self._sentences is None or self._sentences[0] is not lex:
                index = SentenceIndex.build(self.embeddings, self._texts_by_position(lex), self.settings.sentence_search_max)
                self._sentences = (lex, index)
            return self._sentences[1]

    def term_index(self) -> TermIndex:
        """The vectors of the corpus's own words (``knowledge.term_vectors``), read from the embedding cache once
        per lexical index; which of them a viewer may read is ``vocabulary``'s to say."""
        lex, _ = self._current()
        with self._lock:
            if self._terms is None or self._terms[0] is not lex:
                self._terms = (lex, TermIndex.build(self.embeddings, lex.df, self.settings.term_vectors_max))
            return self._terms[1]

    def _texts_by_position(self, lex: LexicalIndex) -> list[str]:
        """Every chunk's text in the positions of ``lex`` (its rows, masks and caches line up with them)."""
        texts = {c.chunk_id: c.text for c in self.manifest.all_chunks()}
        return [texts.get(cid, "") for cid in lex.ids]

    def _lexical_candidates(self, query: str, depth: int, allowed: np.ndarray | None,
                            dense: dict[str, float], lex: LexicalIndex) -> tuple[dict[str, float], dict[str, int]]:
        """BM25's best chunks among the ``allowed`` rows, scaled so the best one scores its query-term
        coverage; the dense candidates get their lexical score too, for a fair fusion."""
        q_tokens = lex.tokenizer.tokens(query)
        raw = lex.scores(q_tokens)
        raw = np.where(allowed, raw, 0.0) if allowed is not None else raw
        best = float(raw.max()) if raw.size else 0.0
        lexical: dict[str, float] = {}
        rank: dict[str, int] = {}
        if best <= 0:
            return lexical, rank
        top = [i for i in np.argsort(-raw)[:depth] if raw[i] > 0]
        best_text = self.manifest.chunks([lex.ids[top[0]]])[lex.ids[top[0]]]
        scale = lex.coverage(q_tokens, self._lexical_text(best_text), best_text.chunk_id) / best
        for r, i in enumerate(top):
            lexical[lex.ids[i]], rank[lex.ids[i]] = float(raw[i]) * scale, r
        index = lex.positions()
        for cid in dense:
            if cid not in lexical and cid in index:
                lexical[cid] = float(raw[index[cid]]) * scale
        return lexical, rank

    @staticmethod
    def _fuse(mode: SearchMode, dense: dict[str, float], lexical: dict[str, float], dense_rank: dict[str, int],
              lex_rank: dict[str, int], w: float) -> dict[str, float]:
        """One score per candidate, by the search mode."""
        if mode == "dense":
            return dict(dense)
        if mode == "bm25":
            return dict(lexical)
        ids = set(dense) | set(lexical)
        if mode == "rrf":
            return {cid: fusion.rrf([dense_rank.get(cid), lex_rank.get(cid)]) for cid in ids}
        return {cid: fusion.weighted(dense.get(cid, 0.0), lexical.get(cid, 0.0), w) for cid in ids}

    @staticmethod
    def _where(filters: SearchFilters | None) -> dict | None:
        """Chroma's metadata filter for doc type and language (audience is decided by ``_allowed``)."""
        if filters is None:
            return None
        conds = [{key: value} for key, value in filters.model_dump(exclude={"audience", "source"}).items() if value]
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}

    def _allowed(self, filters: SearchFilters | None, viewer: Viewer | None, vis: Visibility) -> np.ndarray | None:
        """True per lexical row the search may use (viewer, then the filters); None = every row."""
        mask = vis.mask(viewer)
        if filters is not None and filters.audience:
            having = vis.having(parse_audience(filters.audience))
            mask = having if mask is None else mask & having
        if filters is not None and (filters.doc_type or filters.language):
            want = (filters.doc_type, filters.language)
            meta = np.array([all(w is None or w == have for w, have in zip(want, row)) for row in self._lex_meta],
                            dtype=bool)
            mask = meta if mask is None else mask & meta
        if filters is not None and filters.source:
            held = {cid for f in self.manifest.files() if f.source == filters.source for cid in f.chunk_list}
            rows = np.array([cid in held for cid in vis.ids], dtype=bool)
            mask = rows if mask is None else mask & rows
        return mask

    def _hit(self, c: ChunkRecord, rank: int, score: float, dense: float | None, lexical: float | None,
             vis: Visibility, viewer: Viewer | None) -> Hit:
        return Hit(rank=rank, score=round(float(score), 6), chunk_id=c.chunk_id,
                   source=vis.source_for(c.chunk_id, c.source, viewer), title=c.title,
                   heading_path=json.loads(c.heading_path), text=c.text, doc_type=c.doc_type,
                   language=c.language, audience=vis.labels.get(c.chunk_id, ""),
                   dense_score=None if dense is None else round(dense, 6),
                   lexical_score=None if lexical is None else round(lexical, 6))

    def get_chunks(self, chunk_ids: list[str], viewer: Viewer | None = None) -> list[Hit]:
        """Chunks by id, in the order asked (unknown ids and chunks ``viewer`` may not read are
        skipped): how citations are opened."""
        lex, vis = self._current()
        allowed, positions = vis.mask(viewer), lex.positions()
        readable = [cid for cid in chunk_ids
                    if allowed is None or (cid in positions and bool(allowed[positions[cid]]))]
        records = self.manifest.chunks(readable)
        return [self._hit(records[cid], i + 1, 0.0, None, None, vis, viewer)
                for i, cid in enumerate(cid for cid in readable if cid in records)]

    # ------------------------------------------------------------------ curation
    def list_sources(self) -> list[dict]:
        """Every file with its metadata; ``audience`` is what it is searched with (the default when
        it declares none, ``audience_default`` then True)."""
        default = self.settings.default_audience
        return [{"source": f.source, "path": f.path, "title": f.title, "chunks": len(f.chunk_list),
                 "doc_type": f.doc_type, "audience": ",".join(sorted(effective_tokens(f.audience, default))),
                 "audience_default": not f.audience, "language": f.language,
                 "content_hash": f.content_hash, "model_id": f.model_id, "size_bytes": f.size_bytes,
                 "ingested_at": f.ingested_at.isoformat()} for f in self.manifest.files()]

    def remove(self, source: str) -> int:
        """Remove one file (by display name, path or absolute path); returns chunks deleted from the index."""
        with self._lock:
            removed = self._remove_record(self._find_source(source))
            self._bump_revision()
            self._refresh()
            return removed

    def remove_outside(self, root: Path) -> int:
        """Remove every file not under ``root`` (one revision for them all); returns chunks deleted: a home
        that must hold one folder alone (an evaluation's) drops what another copy of it left there."""
        own = root.resolve()
        with self._lock:
            stale = [f for f in self.manifest.files() if not Path(f.path).is_relative_to(own)]
            if not stale:
                return 0
            removed = sum(self._remove_record(record) for record in stale)
            self._bump_revision()
            self._refresh()
            return removed

    def vocabulary(self, viewer: Viewer | None = None) -> frozenset[str]:
        """Every indexed word of the chunks ``viewer`` may read (None = all), cached per revision and
        viewer: "does the corpus use this word" must never be answered from a hidden page."""
        lexical, _ = self._current()
        if viewer is None or viewer.sees_everything:
            return frozenset(lexical.df)
        key = (self._revision, viewer.name, viewer.tokens)
        found = self._vocabularies.get(key)
        if found is None:
            readable = [h.chunk_id for h in self.get_chunks(list(lexical.ids), viewer=viewer)]
            texts = [self._lexical_text(c) for c in self.manifest.chunks(readable).values()]
            found = frozenset(tok for text in texts for tok in lexical.tokenizer.tokens(text))
            self._vocabularies = {k: v for k, v in self._vocabularies.items() if k[0] == self._revision}
            self._vocabularies[key] = found
        return found

    def documents_folder(self) -> Path | None:
        """The folder holding every indexed document (their common parent), or None when empty."""
        parents = [str(Path(f.path).parent) for f in self.manifest.files()]
        return Path(os.path.commonpath(parents)) if parents else None

    def topics(self, viewer: Viewer | None = None) -> list[Topic]:
        """The topics the documents ``viewer`` may read cover, from their own headings
        (``knowledge.topics``); None = every document (HQ)."""
        chunks = self.manifest.all_chunks()
        if viewer is not None:
            readable = {h.chunk_id for h in self.get_chunks([c.chunk_id for c in chunks], viewer=viewer)}
            chunks = [c for c in chunks if c.chunk_id in readable]
        return topics(chunks)

    def _find_source(self, source: str) -> FileRecord:
        files = self.manifest.files()
        resolved = str(Path(source).expanduser().resolve())
        matches = [f for f in files if f.path == resolved] or [f for f in files if f.source == source]
        if not matches:
            raise SourceNotFound(f"no source '{source}' in the knowledge base (see `koc kb list`)")
        if len(matches) > 1:
            raise SourceNotFound(f"'{source}' names {len(matches)} files; give the full path")
        return matches[0]

    def set_audience(self, source: str, audience: str | list[str], tiers: Collection[str] | None = None) -> str:
        """Who may read one file from now on (HQ's decision, kept across re-ingests of the file);
        returns the stored audience. In force for the next search of every process sharing this
        KOC_HOME: the manifest's revision changes and each process re-reads the audience bits.
        ``tiers``: the policy's tier keys, when known, so an unknown one is refused (``AudienceError``)."""
        label = normalize_audience(audience, tiers)
        if not label:
            raise AudienceError("give an audience: all, koc, private, external, hq or tier keys")
        with self._lock:
            record = self._find_source(source)
            self._set_override(record.path, label)
            self._apply_audience(record.path)
            self._bump_revision()
            self._refresh()
        return label

    def _set_override(self, path: str, label: str) -> None:
        self.manifest.set_meta(OVERRIDE_META + path, label)

    def _apply_audience(self, path: str) -> None:
        """Write a file's overriding audience to its manifest rows and its chunks' Chroma metadata."""
        label = self.manifest.get_meta(OVERRIDE_META + path)
        with self.manifest.session() as s:
            row = s.get(FileRecord, path)
            if row is None or label is None or row.audience == label:
                return
            row.audience = label
            s.add(row)
            ids = row.chunk_list
            for start in range(0, len(ids), 500):
                s.exec(update(ChunkRecord).where(ChunkRecord.chunk_id.in_(ids[start:start + 500]))
                       .values(audience=label))
            s.commit()
        self.vectors.set_metadata(ids, {"audience": label})

    def as_retriever(self, k: int = 5, filters: SearchFilters | None = None, *, viewer: Viewer | None
                     ) -> KnowledgeRetriever:
        """A LangChain retriever that searches as ``viewer`` (None = everything: HQ only)."""
        return KnowledgeRetriever(kb=self, k=k, filters=filters, viewer=viewer)

    def warm_up(self) -> None:
        """Load the embedding model and the keyword index now, so a server's first questions do not
        pay for them (loading the model took 20+ s under load, counted against the first askers)."""
        if self.manifest.chunk_count():
            _ = self.embeddings.inner
            _ = self.lexical

    def stats(self) -> dict:
        return {"files": len(self.manifest.files()), "chunks": self.manifest.chunk_count(),
                "vectors": self.vectors.count(), "model_id": self.model_id, "home": str(self.home)}
