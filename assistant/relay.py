"""Relaying a guarded model stream into a turn, with the fallback both answer strategies share.

The model's checked sentences are passed on as they come; when nothing of the model's survived
the guard, the turn is answered with its fallback (the offline answer or the tool template), and
a model that failed says so rather than mixing two answers.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from assistant.guard import GuardResult
from assistant.messages import message
from assistant.turn import TurnContext
from assistant.types import Citation


def relay(items: Iterable[str | GuardResult], ctx: TurnContext, fallback_text: str,
          fallback_citations: list[Citation]) -> Iterator[str]:
    """Pass on a guarded model stream (``agent.stream_*_answer``) and settle ``ctx.state``: the
    model's checked answer, ``fallback_text`` when nothing of it survived, or what was shown plus
    the "model unavailable" notice when the model failed mid-answer."""
    state = ctx.state
    checked: GuardResult | None = None
    for item in items:
        if isinstance(item, GuardResult):
            checked = item
        else:
            yield item
    if checked is not None and checked.error:
        state.fell_back, state.notice = True, message("llm_down", ctx.language)
        if checked.text:  # what was shown is checked; say the rest is missing instead of mixing two answers
            tail = "\n" + state.notice
            state.answer, state.citations = checked.text + tail, checked.citations
            yield tail
        else:
            state.answer, state.citations = f"{state.notice}\n{fallback_text}", fallback_citations
            yield state.answer
        return
    if checked is None or checked.weak:
        state.fell_back = True
        state.answer, state.citations = fallback_text, fallback_citations
        yield fallback_text
        return
    state.answer, state.citations = checked.text, checked.citations
