"""'Topic ideas' (``koc-tab-topics``): topic ideas for a KOC's own products or the ones it picks —
the chat's content help (``ContentAnswer.topic_ideas``) without a question to parse, grounded only
in what this KOC may read and checked against the advertising rules before it is shown.

"Its own products" are what it sold lately and what it is trying out, read from the commission &
tier service with its own token (``tools.dashboard.own_products``).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.briefs.models import split_names
from assistant.briefs.writer import BriefError
from assistant.content_request import MAX_COUNT
from tools.client import ToolServiceError
from tools.dashboard import own_products
from ui.web.access import AppContext, require_koc
from ui.web.pickers import count_slider, platform_picker, product_picker
from ui.web.render import NO_SOURCES, render_sources

AUDIENCE = "koc"
#: products of its own picked for a KOC when the tab opens
PRESELECTED = 2
LANGUAGES = [("简体", "zh-CN"), ("繁體", "zh-TW"), ("English", "en")]


def my_products(ctx: AppContext, identity: Any) -> Any:
    """The product picker: the catalogue, with the KOC's own best sellers picked (none when the
    commission & tier service cannot say: the KOC picks by hand)."""
    who = require_koc(ctx, identity)
    try:
        with ctx.client(who) as client:
            mine = own_products(client, ctx.today())
    except ToolServiceError:
        mine = []
    choices = ctx.product_choices()
    known = {code for _, code in choices}
    return gr.update(choices=choices, value=[code for code in mine if code in known][:PRESELECTED])


def ideas(ctx: AppContext, products: list[str] | str | None, subject: str, count: float, platform: str,
          language: str, identity: Any) -> tuple[str, str]:
    """(the ideas as Markdown, their sources); a product or platform it cannot use is said instead."""
    who = require_koc(ctx, identity)
    try:
        text, citations = ctx.copilot.content_answer.topic_ideas(
            split_names(products), who, subject=subject or "", count=int(count or 0), platform=platform or "",
            language=language or "zh-CN")
    except BriefError as exc:
        return f"⚠️ {exc}", NO_SOURCES
    return text.replace("\n", "\n\n"), render_sources(citations, ctx.copilot.kb)


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("Topic ideas", elem_id="koc-tab-topics", visible=False) as tab:
        with gr.Row():
            products = product_picker("Products (yours are picked; pick others or type a name)", "koc-topics-products")
            subject = gr.Textbox(label="About (optional)", placeholder="e.g. 换季, 开学", elem_id="koc-topics-subject",
                                 min_width=160)
        with gr.Row():
            platform = platform_picker("koc-topics-platform")
            count = count_slider(MAX_COUNT, "Ideas", "koc-topics-count")
            language = gr.Radio(LANGUAGES, value="zh-CN", label="Language", elem_id="koc-topics-language", min_width=160)
        go = gr.Button("Get topic ideas", variant="primary", elem_id="koc-topics-go")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=280):
                result = gr.Markdown("", elem_id="koc-topics-result")
            with gr.Column(scale=2, min_width=260):
                gr.Markdown("### Sources")
                sources = gr.HTML(NO_SOURCES, elem_id="koc-topics-sources")
    tab.select(lambda identity: my_products(ctx, identity), identity_state, products, api_name="koc_my_products")
    go.click(lambda p, s, n, pf, lang, identity: ideas(ctx, p, s, n, pf, lang, identity),
             [products, subject, count, platform, language, identity_state], [result, sources], api_name="koc_topic_ideas")
    return tab
