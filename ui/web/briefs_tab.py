"""HQ: topic briefs (``hq-tab-briefs``) — the form of ``koc brief``, a preview with the compliance
report on top, Markdown and DOCX downloads, and the saved briefs to reopen and export again.

The handlers call what the CLI calls: ``BriefRequest.from_form``, the writer of
``ui.compose.brief_writer``, ``BriefHistory`` and ``export``; each one first checks that the
session is HQ's. "Target the KOCs closest to promotion" asks the commission & tier service with
the HQ session's own token.
"""

from __future__ import annotations

import atexit
import logging
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.briefs.history import BriefHistory, BriefNotFound
from assistant.briefs.models import MAX_TOPICS, Brief, BriefRequest, BriefRequestError
from assistant.briefs.render import export, to_markdown
from assistant.briefs.writer import BriefError
from assistant.compliance.rulebook import RulebookError
from ui.compose import brief_writer, near_promotion_source
from ui.web.access import AppContext, require_hq
from ui.web.pickers import count_slider, platform_picker, product_picker
from ui.web.render import render_compliance

log = logging.getLogger(__name__)

AUDIENCE = "hq"
HISTORY_COLUMNS = ["id", "created", "campaign", "platform", "topics", "violations", "provider"]
DOWNLOAD_FORMATS = ("md", "docx")
EMPTY_PREVIEW = "The brief appears here once it is written."


def history_table(ctx: AppContext) -> tuple[pd.DataFrame, Any]:
    rows = BriefHistory(ctx.settings.resolved_home).list()
    table = pd.DataFrame([{"id": r["id"], "created": r.get("created_at", "").replace("T", " ")[:19],
                           "campaign": r.get("campaign", r.get("error", "")), "platform": r.get("platform", ""),
                           "topics": r.get("topics", ""), "violations": r.get("violations", ""),
                           "provider": r.get("provider", "")} for r in rows], columns=HISTORY_COLUMNS)
    choices = [(f"{r['id']} · {r.get('campaign', r.get('error', ''))}", r["id"]) for r in rows]
    return table, gr.update(choices=choices, value=None)


@lru_cache(maxsize=1)
def _download_folder() -> Path:
    """One temporary folder per process for the files offered for download (Gradio copies what a
    handler returns into its own cache), removed when the process exits."""
    folder = tempfile.TemporaryDirectory(prefix="koc-brief-downloads-")
    atexit.register(folder.cleanup)
    return Path(folder.name)


def downloads(brief: Brief) -> list[str]:
    """The brief as Markdown and DOCX files for the browser to download; a brief exported again
    overwrites its own files, so the folder holds one pair per brief, not one per click."""
    folder = _download_folder()
    return [str(export(brief, fmt, folder / f"brief-{brief.id}.{fmt}")) for fmt in DOWNLOAD_FORMATS]


def shown(brief: Brief) -> tuple[str, str, list[str]]:
    """What the page shows of a brief: the compliance report, the Markdown preview, the downloads."""
    return render_compliance(brief.compliance), to_markdown(brief), downloads(brief)


def list_history(ctx: AppContext, identity: Any) -> tuple[pd.DataFrame, Any]:
    require_hq(ctx, identity)
    return history_table(ctx)


def generate(ctx: AppContext, identity: Any, *, campaign: str, theme: str, products: list[str] | str | None,
             audience: str, platform: str, topics: float, start: str, end: str, tone: str, language: str,
             near_promotion: bool, offline: bool) -> tuple:
    """Write, check and save a brief from the form; a mistake in the form is said in the note and
    changes nothing else."""
    who = require_hq(ctx, identity)
    keep = gr.update()
    try:
        request = BriefRequest.from_form(campaign=campaign, theme=theme, products=products, audience=audience,
                                         platform=platform, topics=topics, start=start, end=end, tone=tone,
                                         language=language or "zh-CN", target_near_promotion=bool(near_promotion))
    except BriefRequestError as exc:
        return f"⚠️ invalid brief request: {exc}", keep, keep, keep, keep, keep
    near = near_promotion_source(ctx.copilot.tools_client_factory, who) if request.target_near_promotion else None
    model = None if offline else ctx.copilot.chat_model
    writer = brief_writer(ctx.settings, ctx.copilot.kb, model, ctx.copilot.provider, near)
    try:
        brief = writer.write(request, today=ctx.today())
    except (BriefError, RulebookError) as exc:
        return f"⚠️ {exc}", keep, keep, keep, keep, keep
    except Exception as exc:  # a fault of ours: said on the page (not a bare "Error" pop-up) and logged in full
        log.exception("writing a brief failed")
        return f"⚠️ the brief could not be written ({type(exc).__name__}); the server log has the details", \
            keep, keep, keep, keep, keep
    BriefHistory(ctx.settings.resolved_home).save(brief)
    note = (f"Brief **{brief.id}**: {len(brief.topics)} topics, {len(brief.compliance.violations)} compliance "
            f"violations, provider {brief.provider}{' (the model draft was rejected)' if brief.fell_back else ''}; "
            "saved to the history below.")
    note += "".join(f"\n- {w}" for w in brief.warnings)
    return (note, *shown(brief), *history_table(ctx))


def reopen(ctx: AppContext, brief_id: str | None, identity: Any) -> tuple:
    """A saved brief shown and exported again, as ``koc brief show ID``."""
    require_hq(ctx, identity)
    keep = gr.update()
    if not brief_id:
        return "Choose a saved brief.", keep, keep, keep
    try:
        brief = BriefHistory(ctx.settings.resolved_home).load(brief_id)
    except BriefNotFound as exc:
        return f"⚠️ {exc.args[0]}", keep, keep, keep
    return (f"Reopened brief **{brief.id}** ({brief.request.campaign}, {brief.created_at}).", *shown(brief))


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("Briefs", elem_id="hq-tab-briefs", visible=False) as tab:
        with gr.Row():
            campaign = gr.Textbox(label="Campaign", elem_id="hq-brief-campaign", min_width=200)
            theme = gr.Textbox(label="Theme (optional)", elem_id="hq-brief-theme", min_width=200)
        with gr.Row():
            products = product_picker("Products (pick, or type a name or code)", "hq-brief-products",
                                      ctx.product_choices())
            audience = gr.Textbox(label="Target KOC group", placeholder="e.g. 宝妈, students", elem_id="hq-brief-audience",
                                  min_width=160)
        with gr.Row():
            platform = platform_picker("hq-brief-platform")
            count = count_slider(MAX_TOPICS, "Topics", "hq-brief-topics")
        with gr.Row():
            start = gr.Textbox(label="First day (YYYY-MM-DD)", elem_id="hq-brief-start", min_width=140)
            end = gr.Textbox(label="Last day (YYYY-MM-DD)", elem_id="hq-brief-end", min_width=140)
            tone = gr.Textbox(label="Tone (optional)", elem_id="hq-brief-tone", min_width=140)
            language = gr.Radio([("简体", "zh-CN"), ("繁體", "zh-TW")], value="zh-CN", label="Script",
                                elem_id="hq-brief-language", min_width=140)
        with gr.Row():
            near = gr.Checkbox(label="Target the KOCs closest to promotion", elem_id="hq-brief-near")
            offline = gr.Checkbox(label="Offline draft (deterministic, no model)", elem_id="hq-brief-offline")
            write_btn = gr.Button("Write brief", variant="primary", elem_id="hq-brief-generate", min_width=120)
        note = gr.Markdown("", elem_id="hq-brief-note")
        compliance = gr.HTML("", elem_id="hq-brief-compliance")
        files = gr.File(label="Downloads (Markdown, DOCX)", file_count="multiple", interactive=False,
                        elem_id="hq-brief-files")
        preview = gr.Markdown(EMPTY_PREVIEW, elem_id="hq-brief-preview")
        gr.Markdown("### Saved briefs")
        history = gr.Dataframe(label="Briefs, newest first", headers=HISTORY_COLUMNS, interactive=False, wrap=True,
                               elem_id="hq-brief-history")
        with gr.Row():
            saved = gr.Dropdown(label="Saved brief", choices=[], elem_id="hq-brief-saved", min_width=200,
                                allow_custom_value=True)  # the handler checks the id (and the caller) itself
            open_btn = gr.Button("Open and export again", elem_id="hq-brief-open", min_width=120)

    def on_write(campaign: str, theme: str, products: list[str] | None, audience: str, platform: str, topics: float,
                 start: str, end: str, tone: str, language: str, near: bool, offline: bool, identity: Any) -> tuple:
        return generate(ctx, identity, campaign=campaign, theme=theme, products=products, audience=audience,
                        platform=platform, topics=topics, start=start, end=end, tone=tone, language=language,
                        near_promotion=near, offline=offline)

    form = [campaign, theme, products, audience, platform, count, start, end, tone, language, near, offline, identity_state]
    write_btn.click(on_write, form, [note, compliance, preview, files, history, saved], api_name="hq_brief_generate")
    listing = lambda identity: list_history(ctx, identity)  # noqa: E731 - one line of wiring
    tab.select(listing, identity_state, [history, saved], api_name="hq_brief_history")
    open_btn.click(lambda brief_id, identity: reopen(ctx, brief_id, identity), [saved, identity_state],
                   [note, compliance, preview, files], api_name="hq_brief_open")
    return tab
