"""'Check my post' (``koc-tab-check-post``): a KOC pastes a draft and picks the platform; the checker
of ``koc check-post`` (``assistant.compliance.service.check_draft``) finds each problem, and the
page marks the words in the draft, names the rule each breaks with a fix, and offers a rewrite.

The draft is the KOC's own text and is shown escaped: whatever it holds is never markup.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.compliance.rulebook import RulebookError
from assistant.compliance.service import DraftError, check_draft
from ui.web.access import AppContext, require_koc
from ui.web.pickers import platform_picker
from ui.web.render import NO_VIOLATIONS, render_marked, render_violations

AUDIENCE = "koc"
ANY_PLATFORM = [("any platform (no length limits)", "")]


def check(ctx: AppContext, text: str, platform: str | None, identity: Any) -> tuple[str, str, str, str]:
    """(verdict, the draft with its problems marked, the problems, a rewrite)."""
    require_koc(ctx, identity)
    try:
        report = check_draft(ctx.copilot.kb, text, platform or None, ctx.settings.compliance_rules)
    except (DraftError, RulebookError) as exc:
        return f"⚠️ {exc}", "", NO_VIOLATIONS, ""
    if report.passed:
        return "✅ No problems found: it can be posted.", render_marked(text, []), NO_VIOLATIONS, ""
    verdict = (f"**{len(report.violations)} problems to fix.** The marked words break the rules listed under the "
               "draft; the rewrite replaces what can be replaced (the rest needs your own words).")
    return verdict, render_marked(text, report.violations), render_violations(report.violations), report.rewrite


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("Check my post", elem_id="koc-tab-check-post", visible=False) as tab:
        draft = gr.Textbox(label="Your draft (title on the first line)", lines=6, elem_id="koc-check-draft")
        with gr.Row():
            platform = platform_picker("koc-check-platform", first=ANY_PLATFORM)
            go = gr.Button("Check", variant="primary", elem_id="koc-check-go", min_width=100)
        verdict = gr.Markdown("", elem_id="koc-check-verdict")
        marked = gr.HTML("", elem_id="koc-check-marked")
        problems = gr.HTML("", elem_id="koc-check-problems")
        rewrite = gr.Textbox(label="Suggested rewrite", lines=4, interactive=False, elem_id="koc-check-rewrite")
    go.click(lambda t, p, identity: check(ctx, t, p, identity), [draft, platform, identity_state],
             [verdict, marked, problems, rewrite], api_name="koc_check_post")
    return tab
