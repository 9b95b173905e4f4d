"""The Gradio app: sign-in, then one tab per module of ``ui.web``.

Who sees what: the chat is for everyone (personal answers need a sign-in); "My earnings", "Topic
ideas" and "Check my post" are shown to a signed-in KOC; the HQ tabs (briefs, knowledge base,
KOCs, feedback, evaluations) are rendered only for an HQ identity. Showing a tab is a convenience: every handler checks the session's identity
itself (``ui.web.access``), so a KOC session — or a direct call to Gradio's HTTP API — cannot
reach HQ functions or another KOC's data. The token lives in per-browser session state on the
server (``gr.State``), never in a URL, a component value after sign-in, or a log line.

Adding a tab is adding a module with ``AUDIENCE`` and ``build(ctx, identity_state) -> gr.Tab`` to
``TABS``. Every tab is a thin shell: the work is done by the functions the CLI uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI

from base.commands import CopilotBuilder
from base.settings import Settings
from ui.compose import build_copilot
from ui.identity import resolve_identity
from ui.web import (briefs_tab, chat_tab, check_post_tab, earnings_tab, evals_tab, feedback_tab, kb_tab, kocs_tab,
                    topics_tab)
from ui.web.access import AppContext, Resolver

TITLE = "KOC Copilot"
CSS_PATH = Path(__file__).resolve().parent / "web" / "app.css"
#: The tabs after the chat, in page order; each module says who it is for (AUDIENCE: koc | hq).
TABS = (earnings_tab, topics_tab, check_post_tab, briefs_tab, kb_tab, kocs_tab, feedback_tab, evals_tab)


def who_text(identity: Any | None) -> str:
    if identity is None:
        return ("Not signed in: only documents open to everyone. Paste your KOC token for the KOC handbooks "
                "and your own numbers.")
    if identity.role == "hq":
        return "Signed in as **HQ** (HQ studio tabs below)."
    return f"Signed in as **KOC #{identity.koc_id}** — personal answers show only your own data."


def sign_in(resolve: Resolver, token: str) -> tuple[Any, str, str]:
    """(identity or None, who-line, token box value). The box is emptied either way."""
    token = (token or "").strip()
    if not token:
        return None, who_text(None), ""
    try:
        identity = resolve(token)
    except ConnectionError:
        return None, ("⚠️ 暂时无法验证令牌（佣金与等级服务不可用）。 / The token cannot be checked right now: "
                      "the commission & tier service is unavailable."), ""
    if identity is None:
        return None, "⚠️ 令牌无效，请向 KOC 运营索取新令牌。 / Unknown token: ask your KOC manager for a new one.", ""
    return identity, who_text(identity), ""


def tab_visibility(identity: Any | None) -> list[Any]:
    role = getattr(identity, "role", None)
    return [gr.update(visible=role == module.AUDIENCE) for module in TABS]


def build_blocks(settings: Settings, copilot: Any, resolve: Resolver | None = None,
                 builder: CopilotBuilder = build_copilot) -> gr.Blocks:
    """The page. ``resolve(token) -> Identity | None`` is injectable so tests can use a real
    in-process identity lookup without a separate service."""
    if resolve is None:
        def resolve(token: str) -> Any:
            return resolve_identity(token, settings)
    ctx = AppContext(settings=settings, copilot=copilot, resolve=resolve, build_copilot=builder)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        identity_state = gr.State(None)
        gr.Markdown(f"# {TITLE}\nAnswers from the brand handbooks with sources, and your own commission & tier numbers.",
                    elem_id="koc-header")
        with gr.Row(elem_id="koc-signin-row"):
            token_box = gr.Textbox(label="Access token", type="password", placeholder="KOC or HQ token", scale=4,
                                   elem_id="koc-token", min_width=200)
            sign_in_btn = gr.Button("Sign in", scale=1, elem_id="koc-signin", min_width=80)
            sign_out_btn = gr.Button("Sign out", scale=1, elem_id="koc-signout", min_width=80)
        who = gr.Markdown(who_text(None), elem_id="koc-who")
        with gr.Tabs(elem_id="koc-tabs", overflow_behavior="wrap"):  # on a phone every tab stays in sight
            chat = chat_tab.build(ctx, identity_state)
            tabs = [module.build(ctx, identity_state) for module in TABS]

        reset_fn, reset_outputs = chat.reset

        def then_refresh(event: Any) -> None:  # after any change of identity: which tabs show, a fresh chat
            (event.then(tab_visibility, identity_state, tabs, api_visibility="private")
             .then(reset_fn, identity_state, reset_outputs, api_visibility="private"))

        signed = [identity_state, who, token_box]
        then_refresh(sign_in_btn.click(lambda token: sign_in(resolve, token), token_box, signed, api_name="sign_in"))
        then_refresh(token_box.submit(lambda token: sign_in(resolve, token), token_box, signed, api_visibility="private"))
        then_refresh(sign_out_btn.click(lambda: (None, who_text(None), ""), None, signed, api_name="sign_out"))
    return demo


def create_ui_app(settings: Settings, copilot: Any, resolve: Resolver | None = None) -> FastAPI:
    """ASGI app for ``koc serve`` (the UI seam in ui/serve.py)."""
    app = FastAPI(title=TITLE)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return gr.mount_gradio_app(app, build_blocks(settings, copilot, resolve), path="/", css=CSS_PATH.read_text(),
                               footer_links=[])
