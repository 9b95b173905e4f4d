"""The Gradio app: a KOC chat with citations, a visible tool trace and thumbs feedback.

A thin shell over ``Copilot`` (the same object the CLI and the HTTP API call): the page owns
no logic beyond turning a token into an identity, streaming the answer and rendering the
evidence. The token lives in per-browser session state, never in a URL or a log line.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assistant.messages import message as message_for
from base.language import detect_language
from base.settings import Settings
from ui.api import KB_UNAVAILABLE
from ui.identity import resolve_identity

TITLE = "KOC Copilot"
EXAMPLES = [
    "怎么升级到下一个等级？",
    "这个月我赚了多少佣金？",
    "再卖3件晴空轻透防晒乳能赚多少？",
    "我离下一级还差什么？",
    "小紅書貼文不能用哪些詞？",
    "How is my commission calculated?",
]


def _who(identity: Any | None) -> str:
    if identity is None:
        return ("Not signed in: only documents open to everyone. Paste your KOC token for the KOC handbooks "
                "and your own numbers.")
    if identity.role == "hq":
        return "Signed in as **HQ** (all KOCs visible, HQ tools enabled)."
    return f"Signed in as **KOC #{identity.koc_id}** — personal answers show only your own data."


def render_sources(result: Any | None) -> str:
    """Citations as an HTML list so each [n] can be opened and read in full."""
    if result is None or not result.citations:
        return "<p class='koc-empty'>No sources for this answer.</p>"
    items = []
    for c in result.citations:
        items.append(
            f"<details class='koc-source'><summary>[{c.n}] {html.escape(c.source)}</summary>"
            f"<p>{html.escape(c.text)}</p><code>{html.escape(c.chunk_id[:16])}</code></details>")
    return "".join(items)


def render_trace(result: Any | None) -> str:
    """The tool trace: which tool ran with which arguments and what it returned."""
    if result is None or not result.tool_calls:
        return "<p class='koc-empty'>No tools were called.</p>"
    parts = []
    for call in result.tool_calls:
        args = html.escape(json.dumps(call.args, ensure_ascii=False))
        body = html.escape(json.dumps(call.result, ensure_ascii=False, indent=1, default=str)[:4000])
        parts.append(f"<details class='koc-tool'><summary>{html.escape(call.name)}({args})</summary><pre>{body}</pre></details>")
    return "".join(parts)


def build_blocks(settings: Settings, copilot: Any, resolve: Any | None = None) -> gr.Blocks:
    """The page. ``resolve(token) -> Identity | None`` is injectable so tests can use a real
    in-process identity lookup without a separate service.

    Longer than our usual function on purpose: Gradio wires events only between components
    declared inside the same ``Blocks`` context, so the layout and its handlers stay in one scope."""
    if resolve is None:
        def resolve(token: str) -> Any:
            return resolve_identity(token, settings)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        identity_state = gr.State(None)
        session_state = gr.State(None)
        last_ids = gr.State({})  # chatbot message index -> (session_id, message_id)

        gr.Markdown(f"# {TITLE}\nAnswers from the brand handbooks with sources, and your own commission & tier numbers.")
        with gr.Row():
            token_box = gr.Textbox(label="Access token", type="password", placeholder="KOC or HQ token", scale=4,
                                   elem_id="koc-token")
            sign_in = gr.Button("Sign in", scale=1, elem_id="koc-signin")
            sign_out = gr.Button("Sign out", scale=1)
        who = gr.Markdown(_who(None), elem_id="koc-who")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=460, elem_id="koc-chat", feedback_options=("Like", "Dislike"))
                with gr.Row():
                    question = gr.Textbox(label="Your question", placeholder="简体 / 繁體 / English", scale=5,
                                          elem_id="koc-question", autofocus=True)
                    send = gr.Button("Send", variant="primary", scale=1, elem_id="koc-send")
                gr.Examples(EXAMPLES, inputs=question)
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(render_sources(None), elem_id="koc-sources")
                gr.Markdown("### Tool trace")
                trace = gr.HTML(render_trace(None), elem_id="koc-trace")
        status = gr.Markdown("", elem_id="koc-status")

        def do_sign_in(token: str) -> tuple[Any, str, None, list, str]:
            token = (token or "").strip()
            if not token:
                return None, _who(None), None, [], ""
            try:
                identity = resolve(token)
            except ConnectionError as exc:
                return None, f"⚠️ Cannot check the token: {exc}", None, [], ""
            if identity is None:
                return None, "⚠️ Unknown token. Ask your KOC manager for a new one.", None, [], ""
            # a new identity never inherits the previous person's conversation
            return identity, _who(identity), None, [], ""

        def do_sign_out() -> tuple[None, str, None, list, str]:
            return None, _who(None), None, [], ""

        def respond(message: str, history: list, identity: Any, session_id: str | None,
                    ids: dict) -> Iterator[tuple]:
            message = (message or "").strip()
            if not message:
                yield history, "", session_id, ids, gr.update(), gr.update(), "Type a question first."
                return
            history = list(history or []) + [{"role": "user", "content": message},
                                            {"role": "assistant", "content": ""}]
            # show the question at once: a guarded answer's first sentence can take seconds on a CPU
            yield history, "", session_id, ids, gr.update(), gr.update(), "Looking it up…"
            try:
                for item in copilot.stream(message, identity, session_id):
                    if isinstance(item, str):
                        history[-1]["content"] += item
                        yield history, "", session_id, ids, gr.update(), gr.update(), ""
                    else:
                        history[-1]["content"] = item.answer
                        ids = {**ids, len(history) - 1: (item.session_id, item.message_id)}
                        note = f"{item.latency_ms} ms · {item.provider}" + (" · fallback" if item.fell_back else "")
                        yield (history, "", item.session_id, ids, render_sources(item), render_trace(item), note)
            except ValueError as exc:  # empty / over-long question: say so, keep the chat
                history[-1]["content"] = f"⚠️ {exc}"
                yield history, "", session_id, ids, gr.update(), gr.update(), ""
            except KB_UNAVAILABLE:  # the embedding model is missing: say so in the asker's language
                history[-1]["content"] = "⚠️ " + message_for("kb_unavailable", detect_language(message))
                yield history, "", session_id, ids, gr.update(), gr.update(), ""

        def on_like(data: gr.LikeData, ids: dict) -> str:
            ref = ids.get(data.index if isinstance(data.index, int) else data.index[0])
            if not ref or ref[1] is None:
                return "Feedback is only for assistant answers."
            copilot.feedback(ref[0], ref[1], bool(data.liked))
            return "Thanks for the feedback 👍" if data.liked else "Thanks — we'll use this to improve 👎"

        outs = [identity_state, who, session_state, chatbot, status]
        sign_in.click(do_sign_in, token_box, outs)
        token_box.submit(do_sign_in, token_box, outs)
        sign_out.click(do_sign_out, None, outs)
        chat_outs = [chatbot, question, session_state, last_ids, sources, trace, status]
        chat_ins = [question, chatbot, identity_state, session_state, last_ids]
        send.click(respond, chat_ins, chat_outs)
        question.submit(respond, chat_ins, chat_outs)
        chatbot.like(on_like, [last_ids], status)
    return demo


def create_ui_app(settings: Settings, copilot: Any, resolve: Any | None = None) -> FastAPI:
    """ASGI app for ``koc serve`` (the UI seam in assistant/serve.py)."""
    app = FastAPI(title=TITLE)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return gr.mount_gradio_app(app, build_blocks(settings, copilot, resolve), path="/")
