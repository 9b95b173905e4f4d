"""``koc ingest``, ``koc search`` and ``koc kb list/remove/set-audience/profile``: thin shells over :class:`KnowledgeBase`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import typer

from base.commands import CommandRoot
from knowledge.audience import AudienceError, Viewer
from knowledge.embeddings import EmbeddingConfigError
from knowledge.kb import KnowledgeBase, SourceNotFound, StorageError
from knowledge.types import SearchFilters
from knowledge.vector_store import EmbeddingModelMismatch

kb_app = typer.Typer(help="Curate the knowledge base (list, remove, who may read what).", no_args_is_help=True)
#: the programme's tier keys, from the command root (the knowledge layer cannot read the policy)
_tier_keys: Callable[[], tuple[str, ...] | None] = lambda: None


def _kb() -> KnowledgeBase:
    try:
        return KnowledgeBase()
    except (EmbeddingModelMismatch, EmbeddingConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or directories (recursed) to ingest."),
    prune: bool = typer.Option(False, "--prune", help="Also remove files that are gone (or no longer in the given directories)."),
    as_json: bool = typer.Option(False, "--json", help="Print the ingest report as JSON."),
    audience: Optional[str] = typer.Option(
        None, "--audience", help="Who may read these files, over what they declare and kept across re-ingests: "
        "all, koc, private, external, hq or tier keys (comma-separated). Files declaring none get KOC_DEFAULT_AUDIENCE."),
) -> None:
    """Add new and changed files to the knowledge base; unchanged files cost nothing; bad files are reported.

    Exit code 0 only when every file was ingested: 1 when any file failed (the good ones are still
    ingested) or the disk is full, 2 when the embedding model is missing or the audience is unknown."""
    kb = _kb()
    try:
        report = kb.ingest(paths, prune=prune, progress=not as_json and sys.stderr.isatty(), audience=audience,
                           tiers=_tier_keys() if audience else None)
    except (AudienceError, EmbeddingConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except StorageError as exc:  # disk full / below KOC_MIN_FREE_MB: the previous index is intact
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(f"added {len(report.added_files)}, changed {len(report.changed_files)}, "
                   f"unchanged {len(report.unchanged_files)}, removed {len(report.removed_files)} files; "
                   f"chunks +{report.chunks_added} -{report.chunks_removed} (embedded {report.chunks_embedded}) "
                   f"in {report.seconds:.1f}s")
        for err in report.errors:
            typer.echo(f"  error: {err.source}: {err.error}", err=True)
    if report.errors:  # the good files are in; the exit code still says that some were not
        if not as_json:
            typer.echo(f"error: {len(report.errors)} of the given files could not be ingested (listed above)", err=True)
        raise typer.Exit(1)


def search(
    query: str = typer.Argument(..., help="The question or keywords."),
    k: int = typer.Option(0, "-k", help="Number of hits (default KOC_SEARCH_K)."),
    doc_type: str = typer.Option(None, "--doc-type", help="Only chunks of this doc type."),
    audience: str = typer.Option(None, "--audience", help="Only chunks whose audience includes this one."),
    language: str = typer.Option(None, "--language", help="Only chunks in this language (zh-CN, zh-TW, en)."),
    as_viewer: str = typer.Option("hq", "--as", help="Search as this asker: hq (everything), anonymous, koc, "
                                  "private, external, or KIND:TIER (private:TIER_KEY)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Hybrid (dense + BM25) search: rank, score, source, audience, heading path, chunk id, text.

    Run on the machine holding the index, it sees everything by default (as HQ); ``--as`` shows
    exactly what that kind of asker's questions are answered from."""
    try:
        viewer = Viewer.parse(as_viewer)
    except AudienceError as exc:
        raise typer.BadParameter(str(exc), param_hint="--as") from exc
    kb = _kb()
    filters = SearchFilters(doc_type=doc_type, audience=audience, language=language)
    try:
        result = kb.search(query, k=k or None, filters=filters, viewer=viewer)
    except AudienceError as exc:
        raise typer.BadParameter(str(exc), param_hint="--audience") from exc
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    if not result.covered:
        typer.echo(f"(no evidence above the threshold {result.threshold:.2f}: the knowledge base may not cover this)")
    for h in result.hits:
        path = " > ".join(h.heading_path) or "-"
        typer.echo(f"[{h.rank}] {h.score:.3f}  {h.source}  [{h.audience}]  §{path}  ({h.chunk_id[:12]})")
        typer.echo("    " + h.text.replace("\n", "\n    "))


@kb_app.command("list")
def kb_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Ingested sources with their chunk counts."""
    kb = _kb()
    rows = kb.list_sources()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("the knowledge base is empty (koc ingest PATH...)")
    for r in rows:
        audience = r["audience"] + (" (default)" if r["audience_default"] else "")
        typer.echo(f"{r['source']}\t{r['chunks']} chunks\t{r['language'] or '-'}\t{r['doc_type'] or '-'}\t"
                   f"{audience}\t{r['title']}")


@kb_app.command("remove")
def kb_remove(source: str = typer.Argument(..., help="Source name (as in `koc kb list`) or file path.")) -> None:
    """Remove one source and the chunks only it held."""
    kb = _kb()
    try:
        n = kb.remove(source)
    except SourceNotFound as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"removed {source} ({n} chunks deleted)")


@kb_app.command("set-audience")
def kb_set_audience(
    source: str = typer.Argument(..., help="Source name (as in `koc kb list`) or file path."),
    audience: str = typer.Argument(..., help="all, koc, private, external, hq or tier keys (comma-separated)."),
) -> None:
    """Change who may read one source; in force for the next question on every replica sharing this KOC_HOME."""
    kb = _kb()
    try:
        label = kb.set_audience(source, audience, tiers=_tier_keys())
    except AudienceError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except SourceNotFound as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{source}: audience {label}")


@kb_app.command("profile")
def kb_profile(
    brand: Optional[str] = typer.Option(None, help="The brand's name as its handbooks write it."),
    alias: Optional[list[str]] = typer.Option(None, "--alias", help="Another name of the brand (repeatable; replaces the list)."),
    contact_zh: Optional[str] = typer.Option(None, "--contact-zh", help="Whom to contact for what the handbooks don't cover (Chinese)."),
    contact_en: Optional[str] = typer.Option(None, "--contact-en", help="The same, in English."),
) -> None:
    """Show the brand profile, or change the fields given (the next question uses it)."""
    kb = _kb()
    update = {k: v for k, v in {"brand": brand, "aliases": alias, "contact_zh": contact_zh,
                                "contact_en": contact_en}.items() if v is not None}
    if update:
        kb.set_profile(kb.profile().model_copy(update=update))
    typer.echo(kb.profile().model_dump_json(indent=2))


def register_commands(root: CommandRoot) -> None:
    """``koc ingest``, ``koc search`` and ``koc kb ...`` (benchmarks are registered by evals.cli)."""
    global _tier_keys
    _tier_keys = root.tier_keys
    root.app.command("ingest")(ingest)
    root.app.command("search")(search)
    root.app.add_typer(kb_app, name="kb")
