"""The chat tab: streamed answers, citations that open to their passage, the tool trace, thumbs
with an optional comment, earlier conversations, and example questions from the knowledge base.

Anyone may ask about the rules; personal answers need a sign-in, and the copilot binds every tool
to the session's identity. Conversations are listed and reopened only for their own identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.examples import example_questions
from assistant.messages import message as message_for
from assistant.store import SessionAccessError
from base.language import detect_language
from ui.api import KB_UNAVAILABLE
from ui.web.access import AppContext, current
from ui.web.render import NO_SOURCES, NO_TOOLS, render_sources, render_trace

AUDIENCE = "all"
HISTORY_LIMIT = 30


@dataclass
class ChatParts:
    tab: gr.Tab
    reset: tuple[Any, list[Any]]  # (handler(identity) -> updates, outputs): run after every sign-in / sign-out


def examples_for(ctx: AppContext, identity: Any) -> list[list[str]]:
    try:
        questions = example_questions(ctx.copilot.kb, identity)
    except Exception:  # an empty or unreadable index has no topics: no examples rather than no page
        questions = []
    return [[q] for q in questions]


def conversations(ctx: AppContext, identity: Any) -> list[tuple[str, str]]:
    """(label, session id) of the signed-in identity's conversations; none for an anonymous asker
    (anonymous sessions are not anyone's to reopen)."""
    if identity is None:
        return []
    rows = ctx.copilot.store.sessions(identity.role, identity.koc_id, limit=HISTORY_LIMIT)
    return [(f"{s.updated_at:%m-%d %H:%M} · {s.title or '…'}", s.id) for s in rows]


def reset_chat(ctx: AppContext, identity: Any) -> tuple:
    """A new identity starts with an empty chat, its own conversation list and its own examples."""
    return ([], None, {}, None, NO_SOURCES, NO_TOOLS, "",
            gr.update(choices=conversations(ctx, identity), value=None), gr.update(samples=examples_for(ctx, identity)),
            gr.update(visible=False, value=""))


def respond(ctx: AppContext, message: str, history: list, identity: Any, session_id: str | None,
            ids: dict) -> Iterator[tuple]:
    """Stream one answer into the chat; the last update carries the sources, trace and timing."""
    keep = gr.update()
    message = (message or "").strip()
    if not message:
        yield history, "", session_id, ids, keep, keep, "Type a question first.", keep
        return
    language = detect_language(message)
    history = list(history or []) + [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
    yield history, "", session_id, ids, keep, keep, "Looking it up…", keep
    who = current(ctx, identity)
    if identity is not None and who is None:  # revoked since sign-in: never answer as them
        history[-1]["content"] = "⚠️ " + message_for("session_expired", language)
        yield history, "", session_id, ids, keep, keep, "", keep
        return
    try:
        for item in ctx.copilot.stream(message, who, session_id):
            if isinstance(item, str):
                history[-1]["content"] += item
                yield history, "", session_id, ids, keep, keep, "", keep
            else:
                history[-1]["content"] = item.answer
                ids = {**ids, len(history) - 1: (item.session_id, item.message_id)}
                note = (f"answer #{item.message_id} · {item.latency_ms} ms · {item.provider}"
                        + (" · fallback" if item.fell_back else ""))
                yield (history, "", item.session_id, ids, render_sources(item.citations, ctx.copilot.kb),
                       render_trace(item.tool_calls), note, gr.update(choices=conversations(ctx, who)))
    except ValueError as exc:  # empty / over-long question: say so, keep the chat
        history[-1]["content"] = f"⚠️ {exc}"
        yield history, "", session_id, ids, keep, keep, "", keep
    except KB_UNAVAILABLE:
        history[-1]["content"] = "⚠️ " + message_for("kb_unavailable", language)
        yield history, "", session_id, ids, keep, keep, "", keep
    except SessionAccessError:
        history[-1]["content"] = "⚠️ " + message_for("session_expired", language)
        yield history, "", None, {}, keep, keep, "", keep
    except Exception:  # anything else: a clear message in the asker's language, never a stack trace
        history[-1]["content"] = "⚠️ " + message_for("assistant_error", language)
        yield history, "", session_id, ids, keep, keep, "", keep


def open_conversation(ctx: AppContext, session_id: str | None, identity: Any) -> tuple:
    """Reopen one of the signed-in identity's conversations; someone else's id opens nothing."""
    who = current(ctx, identity)
    if not session_id or who is None:
        return gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), ""
    try:
        turns = ctx.copilot.store.conversation(session_id, who.role, who.koc_id)
    except SessionAccessError:
        return [], None, {}, NO_SOURCES, NO_TOOLS, "That conversation is not yours."
    history: list[dict[str, str]] = []
    ids: dict[int, tuple[str, int]] = {}
    for turn in turns:
        history += [{"role": "user", "content": turn.question}, {"role": "assistant", "content": turn.answer}]
        ids[len(history) - 1] = (session_id, turn.message_id)
    last = turns[-1] if turns else None
    return (history, session_id, ids, render_sources(last.citations if last else [], ctx.copilot.kb),
            render_trace(last.tool_calls if last else []), f"Reopened a conversation of {len(turns)} answers.")


def rate(ctx: AppContext, data: gr.LikeData, ids: dict) -> tuple[str, Any, Any]:
    """Store a thumbs up/down at once; the comment box then opens for an optional comment."""
    index = data.index if isinstance(data.index, int) else data.index[0]
    ref = ids.get(index) or ids.get(str(index))
    if not ref or ref[1] is None:
        return "Feedback is only for assistant answers.", None, gr.update(visible=False)
    feedback_id = ctx.copilot.feedback(ref[0], ref[1], bool(data.liked))
    thanks = "Thanks for the feedback 👍" if data.liked else "Thanks — we'll use this to improve 👎"
    return thanks + " Add a comment below if you like.", {"session_id": ref[0], "feedback_id": feedback_id}, \
        gr.update(visible=True)


def add_comment(ctx: AppContext, comment: str, pending: dict | None) -> tuple[str, Any, Any]:
    """Attach the comment to the rating just given (only a rating of this browser session)."""
    comment = (comment or "").strip()
    if not pending or not comment:
        return "Nothing to send.", pending, gr.update()
    try:
        ctx.copilot.store.comment_feedback(pending["session_id"], int(pending["feedback_id"]), comment)
    except KeyError:
        return "That rating is not yours to comment on.", None, gr.update(visible=False)
    return "Comment saved — thank you.", None, gr.update(visible=False, value="")


def build(ctx: AppContext, identity_state: gr.State) -> ChatParts:
    with gr.Tab("Chat", elem_id="koc-tab-chat") as tab:
        session_state = gr.State(None)  # states inside the tab: a Tabs block takes its direct children for tabs
        ids_state = gr.State({})  # chatbot message index -> (session_id, message_id)
        pending_state = gr.State(None)  # the rating a comment would be attached to
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                with gr.Row():
                    history_box = gr.Dropdown(label="Earlier conversations", choices=[], value=None, scale=4,
                                              elem_id="koc-history", interactive=True)
                    new_chat = gr.Button("New chat", scale=1, elem_id="koc-new-chat", min_width=90)
                chatbot = gr.Chatbot(label="Chat", height=440, elem_id="koc-chat", feedback_options=("Like", "Dislike"))
                with gr.Row():
                    question = gr.Textbox(label="Your question", placeholder="简体 / 繁體 / English", scale=5,
                                          elem_id="koc-question", autofocus=True, min_width=200)
                    send = gr.Button("Send", variant="primary", scale=1, elem_id="koc-send", min_width=80)
                with gr.Group(visible=False, elem_id="koc-feedback-box") as comment_box:
                    comment = gr.Textbox(label="Comment on your rating (optional)", elem_id="koc-feedback-comment")
                    send_comment = gr.Button("Send comment", elem_id="koc-feedback-send", size="sm")
                examples = gr.Dataset(label="Try asking", components=[question], samples=examples_for(ctx, None),
                                      elem_id="koc-examples", type="values")
            with gr.Column(scale=2, min_width=280):
                gr.Markdown("### Sources")
                sources = gr.HTML(NO_SOURCES, elem_id="koc-sources")
                gr.Markdown("### Tool trace")
                trace = gr.HTML(NO_TOOLS, elem_id="koc-trace")
        status = gr.Markdown("", elem_id="koc-status")

    def on_send(message: str, history: list, identity: Any, session_id: str | None, ids: dict) -> Iterator[tuple]:
        yield from respond(ctx, message, history, identity, session_id, ids)

    chat_ins = [question, chatbot, identity_state, session_state, ids_state]
    chat_outs = [chatbot, question, session_state, ids_state, sources, trace, status, history_box]
    send.click(on_send, chat_ins, chat_outs, api_name="chat")
    question.submit(on_send, chat_ins, chat_outs, api_visibility="private")
    examples.click(lambda sample: sample[0] if sample else "", examples, question, api_visibility="private")
    history_box.input(lambda sid, identity: open_conversation(ctx, sid, identity), [history_box, identity_state],
                      [chatbot, session_state, ids_state, sources, trace, status], api_name="open_conversation")
    new_chat.click(lambda: ([], None, {}, NO_SOURCES, NO_TOOLS, "", None), None,
                   [chatbot, session_state, ids_state, sources, trace, status, history_box], api_visibility="private")
    def on_like(data: gr.LikeData, ids: dict) -> tuple[str, Any, Any]:
        return rate(ctx, data, ids)

    chatbot.like(on_like, [ids_state], [status, pending_state, comment_box], api_visibility="private")
    send_comment.click(lambda text, pending: add_comment(ctx, text, pending), [comment, pending_state],
                       [status, pending_state, comment_box], api_name="feedback_comment")

    outputs = [chatbot, session_state, ids_state, pending_state, sources, trace, status, history_box, examples, comment_box]
    return ChatParts(tab=tab, reset=(lambda identity: reset_chat(ctx, identity), outputs))
