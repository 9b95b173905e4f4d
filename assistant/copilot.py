"""Copilot: one question in, one checked answer out — the function the CLI, UI and API all call.

Flow of a turn: detect language → route (security first) → refusals / small talk / a tool
bound to the signed-in identity / retrieval → (optional) chat model, guarded → offline answer
whenever the model is absent, fails, or little of its answer survives the guard → persist.
Identity comes only from the ``Identity`` object (built from a token by the caller); nothing in
the question can change whose data a tool returns.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from assistant.agent import choose_tool_call, run_tool, stream_rules_answer, stream_tool_answer
from assistant.guard import GuardResult, numbers_in
from assistant.language import detect_language, localize
from assistant.messages import message
from assistant.offline import cite, evidence_answer, is_covered, select_sentences
from assistant.prompts import short_evidence
from assistant.router import HQ_TOOLS, Route, Router, is_personal
from assistant.security import scrub_secrets
from assistant.store import get_store
from assistant.templates import render_tool_result
from assistant.types import AnswerResult, Citation, ToolCallRecord
from knowledge.settings import Settings, get_settings

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 2000
_AUTO = "auto"


@dataclass
class _Turn:
    """What one answer accumulates while it is produced."""

    language: str
    answer: str = ""
    refused: bool = False
    citations: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    fell_back: bool = False
    notice: str = ""
    used_model: bool = False
    timings: dict[str, float] = field(default_factory=dict)  # see ``agent.stream_guarded``


def _timings_ms(timings: dict[str, float], started: float) -> dict[str, int]:
    """Where the answer's time went, in ms: the model's first token (since the question arrived),
    generation, and the guard's checks."""
    out: dict[str, int] = {}
    if "model_first_token_at" in timings:
        out["model_first_token_ms"] = int((timings["model_first_token_at"] - started) * 1000)
    for key in ("model_s", "guard_s"):
        if key in timings:
            out[key[:-2] + "_ms"] = int(timings[key] * 1000)
    return out


_QUOTE_LEAD = {"zh": "手册原文：", "en": "From the handbook (Chinese original): "}


def _complete_with_evidence(turn: _Turn, best: Any, hits: list[Any]) -> Iterator[str]:
    """A small model drops figures ("暂停名额90天" without the 60-point threshold). When the model's
    answer leaves out a number of the best evidence sentence, that sentence is quoted after it,
    cited, so the answer is complete; the quote is the handbook's own text, nothing generated."""
    missing = numbers_in(best.text) - numbers_in(re.sub(r"\[\d+\]", "", turn.answer))
    if not missing:
        return
    hit = hits[best.hit_rank]
    n = next((c.n for c in turn.citations if c.chunk_id == hit.chunk_id), len(turn.citations) + 1)
    if all(c.n != n for c in turn.citations):
        turn.citations.append(Citation(n=n, source=hit.source, chunk_id=hit.chunk_id, text=hit.text))
    quote = "\n" + localize(_QUOTE_LEAD["en" if turn.language == "en" else "zh"] + cite(best.text, n), turn.language)
    turn.answer += quote
    yield quote


def default_tools_client_factory(settings: Settings) -> Callable[[Any], Any]:
    """HTTP client to the running commission service; in-process over the same KOC_HOME ledger if it is down."""

    def factory(identity: Any) -> Any:
        from tools.client import ToolsClient

        url = settings.resolved_tools_url
        if _service_up(url):
            return ToolsClient(url, identity.token)
        return ToolsClient.in_process(settings, token=identity.token)

    return factory


_HEALTH: dict[str, tuple[float, bool]] = {}


def _service_up(url: str) -> bool:
    """Health check cached for 30 s, so a down service costs one short timeout, not one per question."""
    now = time.monotonic()
    cached = _HEALTH.get(url)
    if cached and now - cached[0] < 30:
        return cached[1]
    import httpx

    try:
        ok = httpx.get(f"{url}/health", timeout=0.5).status_code == 200
    except httpx.HTTPError:
        ok = False
    _HEALTH[url] = (now, ok)
    return ok


class Copilot:
    """The conversation core. ``chat_model``: "auto" (the configured provider), a chat model, or None (offline)."""

    def __init__(self, settings: Settings | None = None, *, chat_model: Any = _AUTO, kb: Any | None = None,
                 tools_client_factory: Callable[[Any], Any] | None = None, today: date | None = None) -> None:
        self.settings = settings or get_settings()
        self._chat_model_arg = chat_model
        self._chat_model: Any = None if chat_model == _AUTO else chat_model
        self._model_resolved = chat_model != _AUTO
        self._kb = kb
        self._router: Router | None = None
        self.today = today
        self.tools_client_factory = tools_client_factory or default_tools_client_factory(self.settings)
        self.store = get_store(self.settings.resolved_home)

    # ------------------------------------------------------------------ lazily built parts
    @property
    def kb(self) -> Any:
        if self._kb is None:
            from knowledge.kb import KnowledgeBase

            self._kb = KnowledgeBase(self.settings)
        return self._kb

    @property
    def embeddings(self) -> Any | None:
        try:
            return self.kb.embeddings
        except Exception:  # no embedding model here: route by rules, guard lexically
            return None

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(embeddings=self.embeddings, today=self.today)
        return self._router

    @property
    def chat_model(self) -> Any | None:
        if not self._model_resolved:
            self._model_resolved = True
            try:
                from assistant.providers import get_chat_model

                self._chat_model = get_chat_model(self.settings)
            except Exception as exc:  # provider broken: answer offline rather than not at all
                log.warning("chat model unavailable, answering offline: %s", exc)
                self._chat_model = None
        return self._chat_model

    @property
    def provider(self) -> str:
        if self._chat_model_arg == _AUTO:
            if self.chat_model is None:
                return "offline"
            try:
                from assistant.providers import resolve_provider

                return resolve_provider(self.settings)
            except Exception:
                return "custom"
        if self._chat_model_arg is None:
            return "offline"
        return str(getattr(self._chat_model_arg, "_llm_type", "custom"))

    @property
    def model_proposes_tools(self) -> bool:
        """Whether the chat model is asked for a tool call when the router is unsure (``KOC_LLM_TOOL_CHOICE``)."""
        choice = self.settings.llm_tool_choice
        local = self.settings.llm == "local" or (self._chat_model_arg == _AUTO and self.provider == "local")
        return choice == "model" or (choice == "auto" and not local)

    # ------------------------------------------------------------------ public API
    def ask(self, question: str, identity: Any | None, session_id: str | None = None) -> AnswerResult:
        """Answer one question (the whole answer at once)."""
        final = None
        for item in self.stream(question, identity, session_id):
            if isinstance(item, AnswerResult):
                final = item
        assert final is not None
        return final

    def stream(self, question: str, identity: Any | None, session_id: str | None = None) -> Iterator[str | AnswerResult]:
        """Text deltas as the answer is produced (each already checked), then the final ``AnswerResult``."""
        started = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise ValueError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"the question is too long ({len(question)} characters; the limit is {MAX_QUESTION_CHARS})")
        role = identity.role if identity is not None else "anonymous"
        koc_id = identity.koc_id if identity is not None else None
        sid = self.store.open_session(role, koc_id, session_id, title=question)
        recent, summary = self.store.history(sid)
        history: list[BaseMessage] = [HumanMessage(t) if r == "user" else AIMessage(t) for r, t in recent]
        turn = _Turn(language=detect_language(question))
        route = self.router.route(question, role if role == "hq" else "koc", koc_id)
        secrets = self._secrets(identity)
        streamed: list[str] = []
        for delta in self._dispatch(question, identity, route, turn, history, summary, recent, secrets):
            delta = scrub_secrets(delta, secrets)
            streamed.append(delta)
            yield delta
        result = AnswerResult(
            question=question, answer=scrub_secrets(turn.answer, secrets).strip(), refused=turn.refused,
            citations=turn.citations, tool_calls=turn.tool_calls,
            latency_ms=int((time.perf_counter() - started) * 1000),
            provider=self.provider if turn.used_model else "offline", language=turn.language, session_id=sid,
            fell_back=turn.fell_back, intent=route.tool or route.intent, notice=turn.notice,
            timings=_timings_ms(turn.timings, started))
        result.message_id = self.store.record_turn(sid, result)
        yield result

    def feedback(self, session_id: str, message_id: int, up: bool, comment: str = "") -> None:
        """Thumbs up/down on an answer (KeyError if the message is not an answer of that session)."""
        self.store.add_feedback(session_id, message_id, up, comment)

    # ------------------------------------------------------------------ branches
    def _dispatch(self, question: str, identity: Any, route: Route, turn: _Turn, history: list[BaseMessage],
                  summary: str, recent: list[tuple[str, str]], secrets: list[str]) -> Iterator[str]:
        lang = turn.language
        if route.intent in ("secret", "cross_koc"):
            yield from self._fixed(turn, route.intent, refused=True)
        elif route.intent == "smalltalk":
            yield from self._fixed(turn, "smalltalk", refused=False)
        elif route.intent in ("tool", "hq_tool"):
            yield from self._tool_turn(question, identity, route, turn, history, summary, secrets)
        else:
            # the model may propose a tool only when the router is unsure and the question is about the asker
            if (route.unsure and identity is not None and is_personal(question) and self.chat_model is not None
                    and self.model_proposes_tools):
                tools = self._tools(identity)
                decision = choose_tool_call(self.chat_model, tools, route, self.router, question, lang, history, summary)
                if decision is not None and not decision.model_error:
                    turn.used_model = True
                    yield from self._tool_turn(question, identity, route, turn, history, summary, secrets,
                                               decision=decision, tools=tools)
                    return
            yield from self._rules_turn(question, identity, route, turn, history, summary, recent, secrets)

    def _fixed(self, turn: _Turn, key: str, refused: bool) -> Iterator[str]:
        turn.answer, turn.refused = message(key, turn.language), refused
        yield turn.answer

    def _tools(self, identity: Any) -> dict[str, Any]:
        from tools.lc_tools import build_tools

        client = self.tools_client_factory(identity)
        return {t.name: t for t in build_tools(client, identity)}

    def _tool_turn(self, question: str, identity: Any, route: Route, turn: _Turn, history: list[BaseMessage],
                   summary: str, secrets: list[str], decision: Any = None, tools: dict | None = None) -> Iterator[str]:
        lang = turn.language
        if identity is None:
            yield from self._fixed(turn, "needs_identity", refused=True)
            return
        if route.tool in HQ_TOOLS and identity.role != "hq":
            yield from self._fixed(turn, "hq_only", refused=True)
            return
        try:
            tools = tools if tools is not None else self._tools(identity)
        except Exception as exc:
            log.warning("tools unavailable: %s", exc)
            yield from self._fixed(turn, "tool_unavailable", refused=False)
            return
        model = self.chat_model
        steps_left = self.settings.max_agent_steps
        if decision is None:
            decision = choose_tool_call(model, tools, route, self.router, question, lang, history, summary,
                                        ask_model=self.model_proposes_tools)
            if model is not None:
                steps_left -= 1
                turn.used_model = True
        else:
            steps_left -= 1
        if decision is None:
            yield from self._fixed(turn, "hq_only" if identity.role != "hq" else "needs_identity", refused=True)
            return
        model_ok = model is not None and not decision.model_error
        if decision.model_error:
            turn.fell_back, turn.notice = True, message("llm_down", lang)
        result = run_tool(tools, decision)
        turn.tool_calls.append(ToolCallRecord(name=decision.name, args=decision.args, result=result))
        template = render_tool_result(decision.name, result, lang)
        # a result without figures ("no such product") is said best by its template: the model's
        # wording could never be shown (it must state one of the template's figures)
        if (model_ok and steps_left >= 1 and not (isinstance(result, dict) and "error" in result)
                and numbers_in(template)):
            yield from self._relay(stream_tool_answer(model, question, lang, result, template, secrets, role=identity.role,
                                                      own_koc_id=identity.koc_id, timings=turn.timings),
                                   turn, template, [])
            return
        turn.answer = f"{turn.notice}\n{template}" if turn.notice else template
        yield turn.answer

    def _rules_turn(self, question: str, identity: Any, route: Route, turn: _Turn, history: list[BaseMessage], summary: str,
                    recent: list[tuple[str, str]], secrets: list[str]) -> Iterator[str]:
        lang = turn.language
        query = question
        last_user = next((t for r, t in reversed(recent) if r == "user"), "")
        if last_user and len(question) <= 12:
            query = f"{last_user} {question}"  # a short follow-up ("那灯塔呢？") is about the previous question
        found = self.kb.search(query, k=self.settings.search_k)
        hits = list(found.hits)
        content = route.intent == "content" and route.source == "rules"  # an explicit writing request
        picked = select_sentences(query, hits, content_request=content)
        if not is_covered(query, found.covered, hits, picked):
            yield from self._fixed(turn, "not_covered", refused=True)
            return
        offline_text, offline_cites = evidence_answer(query, hits, lang, content_request=content, picked=picked)
        if not offline_text:
            yield from self._fixed(turn, "not_covered", refused=True)
            return
        model = self.chat_model
        if model is None:
            turn.answer, turn.citations = offline_text, offline_cites
            yield offline_text
            return
        turn.used_model = True
        evidence = short_evidence(hits, picked)
        yield from self._relay(stream_rules_answer(model, question, lang, evidence, history=history, summary=summary,
                                                   content_request=content, embeddings=self.embeddings, secrets=secrets,
                                                   role=identity.role if identity is not None else "anonymous",
                                                   own_koc_id=identity.koc_id if identity is not None else None,
                                                   timings=turn.timings),
                               turn, offline_text, offline_cites)
        if not turn.fell_back and not content and picked:
            yield from _complete_with_evidence(turn, picked[0], hits)

    @staticmethod
    def _relay(items: Iterator[str | GuardResult], turn: _Turn, fallback_text: str,
               fallback_citations: list[Citation]) -> Iterator[str]:
        """Pass on a guarded model stream; answer with ``fallback_text`` (the offline answer or the
        tool template) when nothing of the model's survived, and say so when the model failed."""
        checked: GuardResult | None = None
        for item in items:
            if isinstance(item, GuardResult):
                checked = item
            else:
                yield item
        if checked is not None and checked.error:
            turn.fell_back, turn.notice = True, message("llm_down", turn.language)
            if checked.text:  # what was shown is checked; say the rest is missing instead of mixing two answers
                tail = "\n" + turn.notice
                turn.answer, turn.citations = checked.text + tail, checked.citations
                yield tail
            else:
                turn.answer, turn.citations = f"{turn.notice}\n{fallback_text}", fallback_citations
                yield turn.answer
            return
        if checked is None or checked.weak:
            turn.fell_back = True
            turn.answer, turn.citations = fallback_text, fallback_citations
            yield fallback_text
            return
        turn.answer, turn.citations = checked.text, checked.citations

    def _secrets(self, identity: Any | None) -> list[str]:
        secrets = [identity.token] if identity is not None else []
        try:
            from tools.auth import hq_token

            secrets.append(hq_token(self.settings))
        except Exception:
            pass
        return secrets
