"""HQ: the knowledge base (``hq-tab-kb``) — upload documents, see what is indexed and who may read
each document, change that, delete and re-index, try searches with each score shown, and edit the
brand profile the replies use.

The handlers call the same ``KnowledgeBase`` methods as ``koc ingest``, ``koc kb
list|remove|set-audience|profile`` and ``koc search``; each one first checks that the session is HQ's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from knowledge.audience import GROUPS, AudienceError
from knowledge.kb import SourceNotFound, StorageError
from knowledge.uploads import UploadError, keep_upload
from ui.compose import tier_keys
from ui.web.access import AppContext, require_hq

AUDIENCE = "hq"
DOC_COLUMNS = ["source", "title", "chunks", "language", "audience", "doc type", "ingested at"]
HIT_COLUMNS = ["rank", "source", "heading", "fused", "dense", "bm25", "text"]


def documents(ctx: AppContext) -> pd.DataFrame:
    rows = [{"source": d["source"], "title": d["title"], "chunks": d["chunks"], "language": d["language"],
             "audience": d["audience"] + (" (default)" if d["audience_default"] else ""), "doc type": d["doc_type"],
             "ingested at": d["ingested_at"][:19].replace("T", " ")}
            for d in ctx.copilot.kb.list_sources()]
    return pd.DataFrame(rows, columns=DOC_COLUMNS)


def source_choices(ctx: AppContext) -> Any:
    return gr.update(choices=[d["source"] for d in ctx.copilot.kb.list_sources()], value=None)


def list_documents(ctx: AppContext, identity: Any) -> tuple:
    require_hq(ctx, identity)
    profile = ctx.copilot.kb.profile()
    return documents(ctx), source_choices(ctx), profile.brand, ", ".join(profile.aliases), profile.contact_zh, profile.contact_en


def upload(ctx: AppContext, files: list[Any] | None, identity: Any, progress: gr.Progress) -> tuple:
    """Keep each upload under KOC_HOME/uploads and ingest it, one file at a time so the progress bar
    moves and one bad file does not stop the others; every file gets its own line in the report."""
    require_hq(ctx, identity)
    if not files:
        return "Choose one or more files first.", documents(ctx), source_choices(ctx)
    kb = ctx.copilot.kb
    lines = []
    for i, item in enumerate(files):
        temp = Path(getattr(item, "name", item))
        name = getattr(item, "orig_name", None) or temp.name
        progress((i, len(files)), desc=f"indexing {name}")
        try:
            kept = keep_upload(ctx.settings.resolved_home, temp, name)
            report = kb.ingest([kept])
        except (UploadError, StorageError, OSError) as exc:
            lines.append(f"- failed: **{name}**: {exc}")
            continue
        if report.errors:
            lines += [f"- failed: **{e.source}**: {e.error}" for e in report.errors]
        elif report.unchanged_files:
            lines.append(f"- unchanged: **{name}**: nothing to do")
        else:
            lines.append(f"- indexed: **{name}**: {report.chunks_added} chunks added ({report.seconds:.1f} s)")
    progress((len(files), len(files)), desc="done")
    return "\n".join(lines), documents(ctx), source_choices(ctx)


def delete(ctx: AppContext, source: str | None, identity: Any) -> tuple:
    require_hq(ctx, identity)
    if not source:
        return "Choose a document to delete.", documents(ctx), source_choices(ctx)
    try:
        removed = ctx.copilot.kb.remove(source)
    except SourceNotFound as exc:
        return f"failed: {exc}", documents(ctx), source_choices(ctx)
    return f"Deleted **{source}** ({removed} chunks left the index).", documents(ctx), source_choices(ctx)


def audience_choices(ctx: AppContext) -> list[str]:
    """Every group, then the policy's tier keys: what a document's audience is made of."""
    return [*GROUPS, *(t.key for t in ctx.tiers())]


def set_audience(ctx: AppContext, source: str | None, audience: list[str] | str | None, identity: Any) -> tuple:
    """Who may read one document from now on (``koc kb set-audience``): in force from the next
    question. Tier keys are checked against the policy, so a typo is refused, not stored."""
    require_hq(ctx, identity)
    if not source:
        return "Choose a document first.", documents(ctx)
    try:  # no readable policy: tier_keys is None and any well-formed tier key is taken
        label = ctx.copilot.kb.set_audience(source, audience or "", tiers=tier_keys(ctx.settings))
    except (AudienceError, SourceNotFound) as exc:
        return f"failed: {exc.args[0]}", documents(ctx)
    return f"**{source}** may now be read by: **{label}** (from the next question on).", documents(ctx)


def reindex(ctx: AppContext, identity: Any) -> tuple:
    """Ingest every indexed file again from where it lives: changed files are re-chunked, unchanged
    ones cost nothing, missing ones are reported."""
    require_hq(ctx, identity)
    kb = ctx.copilot.kb
    paths = [Path(d["path"]) for d in kb.list_sources()]
    try:
        report = kb.ingest(paths)
    except StorageError as exc:
        return f"failed: {exc}", documents(ctx), source_choices(ctx)
    errors = "".join(f"\n- failed: {e.source}: {e.error}" for e in report.errors)
    text = (f"Re-indexed {len(paths)} files: {len(report.changed_files)} changed, {len(report.unchanged_files)} unchanged, "
            f"{report.chunks_added} chunks added, {report.chunks_removed} removed.{errors}")
    return text, documents(ctx), source_choices(ctx)


def search(ctx: AppContext, query: str, k: float, identity: Any) -> tuple[pd.DataFrame, str]:
    """The hybrid search the assistant uses, with the dense, BM25 and fused score of every hit."""
    require_hq(ctx, identity)
    query = (query or "").strip()
    if not query:
        return pd.DataFrame(columns=HIT_COLUMNS), "Type a query."
    result = ctx.copilot.kb.search(query, k=int(k))
    rows = [{"rank": h.rank, "source": h.source, "heading": " › ".join(h.heading_path[1:] or h.heading_path),
             "fused": h.score, "dense": h.dense_score, "bm25": h.lexical_score, "text": h.text[:200]} for h in result.hits]
    verdict = "covered" if result.covered else "no evidence (the assistant would refuse)"
    return pd.DataFrame(rows, columns=HIT_COLUMNS), f"{len(rows)} hits · threshold {result.threshold:.3f} · {verdict}"


def save_profile(ctx: AppContext, brand: str, aliases: str, contact_zh: str, contact_en: str, identity: Any) -> str:
    require_hq(ctx, identity)
    kb = ctx.copilot.kb
    names = [a.strip() for a in (aliases or "").replace("，", ",").split(",") if a.strip()]
    kb.set_profile(kb.profile().model_copy(update={"brand": brand.strip(), "aliases": names,
                                                   "contact_zh": contact_zh.strip(), "contact_en": contact_en.strip()}))
    return "Profile saved; the next answer uses it."


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("Knowledge base", elem_id="hq-tab-kb", visible=False) as tab:
        with gr.Row():
            files = gr.File(label="Upload documents (md, txt, html, pdf, docx)", file_count="multiple",
                            elem_id="hq-kb-files", min_width=260)
            with gr.Column(min_width=260):
                upload_btn = gr.Button("Upload and index", variant="primary", elem_id="hq-kb-upload")
                report = gr.Markdown("", elem_id="hq-kb-report")
        docs = gr.Dataframe(label="Documents", elem_id="hq-kb-docs", interactive=False, wrap=True, headers=DOC_COLUMNS)
        with gr.Row():
            chosen = gr.Dropdown(label="Document", choices=[], elem_id="hq-kb-source", min_width=200,
                                 allow_custom_value=True)  # the handler checks the name (and the caller) itself
            delete_btn = gr.Button("Delete", variant="stop", elem_id="hq-kb-delete", min_width=80)
            reindex_btn = gr.Button("Re-index all", elem_id="hq-kb-reindex", min_width=80)
        with gr.Row():
            audience = gr.Dropdown(label="Who may read the chosen document (groups, tier keys)",
                                   choices=audience_choices(ctx), multiselect=True, allow_custom_value=True,
                                   elem_id="hq-kb-audience", min_width=240)
            audience_btn = gr.Button("Set audience", elem_id="hq-kb-set-audience", min_width=100)
        gr.Markdown("### Search playground")
        with gr.Row():
            query = gr.Textbox(label="Query", elem_id="hq-kb-query", scale=4, min_width=200)
            k = gr.Slider(1, 20, value=5, step=1, label="Hits", scale=1, min_width=120)
            search_btn = gr.Button("Search", elem_id="hq-kb-search", scale=1, min_width=80)
        verdict = gr.Markdown("", elem_id="hq-kb-verdict")
        hits = gr.Dataframe(label="Hits (dense, BM25 and fused scores)", elem_id="hq-kb-hits", interactive=False,
                            wrap=True, headers=HIT_COLUMNS)
        gr.Markdown("### Brand profile (the name and contact the replies use)")
        with gr.Row():
            brand = gr.Textbox(label="Brand", elem_id="hq-kb-brand", min_width=160)
            aliases = gr.Textbox(label="Other names (comma-separated)", min_width=160)
        with gr.Row():
            contact_zh = gr.Textbox(label="Contact (Chinese)", min_width=200)
            contact_en = gr.Textbox(label="Contact (English)", min_width=200)
        save_btn = gr.Button("Save profile", elem_id="hq-kb-save-profile")
        saved = gr.Markdown("")

    listing = [docs, chosen, brand, aliases, contact_zh, contact_en]
    tab.select(lambda identity: list_documents(ctx, identity), identity_state, listing, api_name="hq_kb_list")

    def on_upload(files: list[Any] | None, identity: Any, progress: gr.Progress = gr.Progress()) -> tuple:
        return upload(ctx, files, identity, progress)

    upload_btn.click(on_upload, [files, identity_state], [report, docs, chosen], api_name="hq_kb_upload")
    delete_btn.click(lambda source, identity: delete(ctx, source, identity), [chosen, identity_state],
                     [report, docs, chosen], api_name="hq_kb_delete")
    reindex_btn.click(lambda identity: reindex(ctx, identity), identity_state, [report, docs, chosen],
                      api_name="hq_kb_reindex")
    audience_btn.click(lambda source, who_reads, identity: set_audience(ctx, source, who_reads, identity),
                       [chosen, audience, identity_state], [report, docs], api_name="hq_kb_set_audience")
    search_btn.click(lambda q, n, identity: search(ctx, q, n, identity), [query, k, identity_state], [hits, verdict],
                     api_name="hq_kb_search")
    query.submit(lambda q, n, identity: search(ctx, q, n, identity), [query, k, identity_state], [hits, verdict],
                 api_visibility="private")
    save_btn.click(lambda b, a, cz, ce, identity: save_profile(ctx, b, a, cz, ce, identity), [brand, aliases, contact_zh, contact_en, identity_state], saved,
                   api_name="hq_kb_profile")
    return tab
