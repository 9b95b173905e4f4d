"""The agent steps that involve a chat model, each wrapped so no decision rests on the model.

- ``choose_tool_call``: when the router is unsure, the model (tools bound, LangChain ``bind_tools``)
  proposes a call; it is schema-validated and accepted only where it agrees with the router or
  the router is unsure. A confident router skips the model round trip (its choice wins anyway).
- ``run_tool``: executes a tool bound to the signed-in identity (the model never passes a KOC id).
- ``stream_tool_answer`` / ``stream_rules_answer``: the model writes; the guard checks every
  sentence before it is shown (``stream_guarded``).
The caller (``Copilot``) owns the fallbacks; any exception from the model means "model down".
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.tools import BaseTool

from assistant.guard import AnswerGuard, GuardResult, numbers_in, split_generated
from assistant.prompts import Evidence, rules_messages, tool_answer_messages, tool_messages
from assistant.router import Route, Router
from base.language import CJK_RE

log = logging.getLogger(__name__)


@dataclass
class ToolDecision:
    name: str
    args: dict[str, Any]
    source: str  # router | model | router+model
    model_steps: int = 0
    model_error: str = ""


def validate_call(tools: dict[str, BaseTool], name: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """The call's arguments after schema validation, or None for an unknown tool or bad arguments."""
    tool = tools.get(name)
    if tool is None:
        return None
    schema = tool.args_schema
    try:
        if schema is not None and hasattr(schema, "model_validate"):
            return schema.model_validate(args or {}).model_dump(exclude_none=True)
        return dict(args or {})
    except Exception:
        return None


def choose_tool_call(model: BaseChatModel | None, tools: dict[str, BaseTool], route: Route, router: Router,
                     question: str, language: str, history: Sequence[BaseMessage] = (), summary: str = "",
                     ask_model: bool = True) -> ToolDecision | None:
    """Which tool runs, with which arguments. Router first; the model's call only where allowed."""
    router_call = None
    if route.tool and route.tool in tools:
        router_call = ToolDecision(route.tool, validate_call(tools, route.tool, route.args) or dict(route.args), "router")
    if model is None or not ask_model or not tools or (router_call is not None and not route.unsure):
        return router_call  # a confident router needs no model round trip: its choice would win anyway
    try:
        ai = model.bind_tools(list(tools.values())).invoke(tool_messages(question, language, history, summary))
    except Exception as exc:  # model down: the router's decision stands
        log.warning("tool-choice call failed: %s", exc)
        if router_call:
            router_call.model_error = f"{type(exc).__name__}: {exc}"
            router_call.model_steps = 1
        return router_call
    for call in getattr(ai, "tool_calls", None) or []:
        args = validate_call(tools, call.get("name", ""), call.get("args") or {})
        if args is None:
            continue  # unknown tool (e.g. an HQ tool in a KOC session) or arguments that fail the schema
        if router_call and call["name"] == router_call.name:
            # agreement: the router's parsed arguments win; the model may only fill what the router left open
            merged = {**args, **router_call.args}
            return ToolDecision(router_call.name, validate_call(tools, router_call.name, merged) or router_call.args,
                                "router+model", 1)
        if route.unsure:
            return ToolDecision(call["name"], args, "model", 1)
    if router_call:
        router_call.model_steps = 1
    return router_call


def run_tool(tools: dict[str, BaseTool], decision: ToolDecision) -> Any:
    """Execute the decided call; errors come back as ``{"error": ...}`` like the tools' own errors."""
    try:
        result = tools[decision.name].invoke(decision.args)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    if isinstance(result, str):
        try:
            return json.loads(result)
        except ValueError:
            return {"text": result}
    return result


def stream_tool_answer(model: BaseChatModel, question: str, language: str, result: Any, template_text: str,
                       secrets: Sequence[str], role: str = "koc", own_koc_id: int | None = None,
                       timings: dict[str, float] | None = None) -> Iterator[str | GuardResult]:
    """The model phrases a tool result, streamed sentence by sentence; every number it states must
    be in the result. Nothing is shown until a sentence carrying one of the template's figures has
    passed, so a reply that never states one shows nothing and the caller shows the template."""
    guard = AnswerGuard([], [result], secrets=secrets, tool_text=template_text, role=role, own_koc_id=own_koc_id)
    figures = numbers_in(template_text)
    yield from stream_guarded(model, tool_answer_messages(question, language, template_text), guard,
                              anchor=lambda out, _reason: bool(numbers_in(out) & figures),
                              need_citation=False, timings=timings)


def stream_rules_answer(model: BaseChatModel, question: str, language: str, evidence: Sequence[Evidence], *,
                        history: Sequence[BaseMessage] = (), summary: str = "", content_request: bool = False,
                        embeddings: Any | None = None, secrets: Sequence[str] = (), role: str = "koc",
                        own_koc_id: int | None = None, timings: dict[str, float] | None = None) -> Iterator[str | GuardResult]:
    """The model answers from the numbered ``evidence``, streamed sentence by sentence through the
    guard. Filler ("好的！") is held back until a supported sentence is shown."""
    guard = AnswerGuard([e.hit for e in evidence], embeddings=embeddings, secrets=secrets, role=role,
                        own_koc_id=own_koc_id)
    messages = rules_messages(question, language, evidence, history, summary, content_request)
    yield from stream_guarded(model, messages, guard, anchor=lambda _out, reason: reason != "filler",
                              timings=timings)


def stream_guarded(model: BaseChatModel, messages: list[BaseMessage], guard: AnswerGuard, *,
                   anchor: Callable[[str, str], bool], need_citation: bool = True,
                   timings: dict[str, float] | None = None) -> Iterator[str | GuardResult]:
    """Stream the model's sentences that pass ``guard``, each the moment it is complete, then the
    final ``GuardResult``.

    The first sentence reaches the user while the model is still writing. Sentences that pass are
    held back until one satisfies ``anchor`` (so an answer that ends up falling back has shown
    nothing); once one has been shown the answer stands, since every shown sentence passed the
    guard, and ``weak`` is set only when nothing was shown. ``timings`` receives when the model's
    first token arrived (``model_first_token_at``, a ``perf_counter`` value) and the seconds spent
    generating (``model_s``) and checking (``guard_s``).
    """
    timings = timings if timings is not None else {}
    buffer, held = "", []
    shown: list[str] = []
    started = time.perf_counter()

    def emit(sentence: str) -> Iterator[str]:
        out, reason = guard.review(sentence)
        if out is None:
            return
        if not shown and not anchor(out, reason):
            held.append(out)
            return
        delta = "".join(held) + out + ("" if _cjk(out) else " ")
        held.clear()
        shown.append(delta)
        yield delta

    def verdict(error: str = "") -> GuardResult:
        timings["guard_s"] = timings.get("guard_s", 0.0) + guard.seconds
        timings["model_s"] = timings.get("model_s", 0.0) + time.perf_counter() - started - guard.seconds
        result = guard.result(text="".join(shown).strip(), need_citation=need_citation)
        result.weak, result.error = not shown, error
        return result

    try:
        for chunk in model.stream(messages):
            piece = _text(chunk)
            if piece and "model_first_token_at" not in timings:
                timings["model_first_token_at"] = time.perf_counter()
            buffer += piece
            sentences = split_generated(buffer)
            if len(sentences) > 1:
                for sentence in sentences[:-1]:
                    yield from emit(sentence)
                buffer = sentences[-1]
    except Exception as exc:  # model down or timed out mid-answer: report what was shown, checked
        log.warning("model failed mid-answer: %s", exc)
        yield verdict(f"{type(exc).__name__}: {exc}")
        return
    for sentence in split_generated(buffer):
        yield from emit(sentence)
    yield verdict()


def _cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content or "")
