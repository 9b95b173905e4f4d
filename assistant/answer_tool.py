"""The tool answer: a personal question answered by a tool bound to the signed-in identity.

The router (or, when it is unsure, the chat model) decides the call; the tool runs with the
asker's own token, so nothing in the question can change whose data comes back. The result is
said by its template, or phrased by the model when the model may and the guard lets its wording
through (every figure it states must be in the result).
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool

from assistant.agent import ToolDecision, choose_tool_call, run_tool, stream_tool_answer
from assistant.answer_fixed import answer_fixed
from assistant.audience import viewer_for
from assistant.guard import numbers_in
from assistant.messages import message
from assistant.rate_source import rate_citation
from assistant.relay import relay
from assistant.router import HQ_TOOLS, Router, is_personal
from assistant.templates import render_tool_result
from assistant.turn import TurnContext
from assistant.types import Citation, ToolCallRecord
from base.settings import Settings
from knowledge.kb import KnowledgeBase
from tools.client import ToolsClient
from tools.identity import Identity
from tools.lc_tools import build_tools

log = logging.getLogger(__name__)

ToolsClientFactory = Callable[[Identity], ToolsClient]
Tools = dict[str, BaseTool]


def model_proposes_tools(settings: Settings, provider: str) -> bool:
    """Whether the chat model is asked for a tool call when the router is unsure (``KOC_LLM_TOOL_CHOICE``):
    "model" always, "router" never, "auto" unless the model is the bundled local one (its calls come back as text)."""
    choice = settings.llm_tool_choice
    local = settings.llm == "local" or provider == "local"
    return choice == "model" or (choice == "auto" and not local)


class ToolAnswer:
    """Answers a turn with a tool call; ``proposal`` lets the model pick the tool for an unsure route."""

    def __init__(self, settings: Settings, *, chat_model: BaseChatModel | None, router: Router,
                 tools_client_factory: ToolsClientFactory, provider: str, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings
        self.kb = kb  # where an estimate's rate is quoted from (None: estimates go uncited)
        self.chat_model = chat_model
        self.router = router
        self.tools_client_factory = tools_client_factory
        self.provider = provider

    @property
    def model_proposes_tools(self) -> bool:
        return model_proposes_tools(self.settings, self.provider)

    def tools_for(self, identity: Identity) -> Tools:
        """The tools bound to ``identity``, by name (raises when the tools client can't be built)."""
        client = self.tools_client_factory(identity)
        return {t.name: t for t in build_tools(client, identity)}

    def proposal(self, ctx: TurnContext) -> tuple[ToolDecision, Tools] | None:
        """The model's tool call for a route the router is unsure of, when the question is about the
        signed-in asker and the model may propose tools; None leaves the turn to the rules answer."""
        model, identity = self.chat_model, ctx.identity
        if not (ctx.route.unsure and identity is not None and is_personal(ctx.question) and model is not None
                and self.model_proposes_tools):
            return None
        try:
            tools = self.tools_for(identity)
        except Exception as exc:  # the commission service is unreachable: the rules answer still can help
            log.warning("tools unavailable for a model proposal: %s", exc)
            return None
        decision = choose_tool_call(model, tools, ctx.route, self.router, ctx.question, ctx.language, ctx.history,
                                    ctx.summary)
        if decision is None or decision.model_error:
            return None
        ctx.state.used_model = True
        return decision, tools

    def __call__(self, ctx: TurnContext, decision: ToolDecision | None = None,
                 tools: Tools | None = None) -> Iterator[str]:
        """Answer with a tool: ``decision``/``tools`` from ``proposal``, or decided here from the route."""
        identity = ctx.identity
        if identity is None:
            yield from answer_fixed(ctx, "needs_identity", refused=True)
            return
        if ctx.route.tool in HQ_TOOLS and identity.role != "hq":
            yield from answer_fixed(ctx, "hq_only", refused=True)
            return
        try:
            tools = tools if tools is not None else self.tools_for(identity)
        except Exception as exc:
            log.warning("tools unavailable: %s", exc)
            ctx.state.service_unreachable = True
            yield from answer_fixed(ctx, "tool_unavailable", refused=False)
            return
        decision, steps_left = self._decide(ctx, tools, decision)
        if decision is None:
            yield from answer_fixed(ctx, "hq_only" if identity.role != "hq" else "needs_identity", refused=True)
            return
        yield from self._answer(ctx, tools, decision, steps_left)

    def _decide(self, ctx: TurnContext, tools: Tools,
                decision: ToolDecision | None) -> tuple[ToolDecision | None, int]:
        """The call to make (a proposal's, else the router's with the model's help where allowed) and
        the model steps left after deciding it."""
        steps_left = self.settings.max_agent_steps
        if decision is not None:
            return decision, steps_left - 1  # the proposal took a model step
        decision = choose_tool_call(self.chat_model, tools, ctx.route, self.router, ctx.question, ctx.language,
                                    ctx.history, ctx.summary, ask_model=self.model_proposes_tools)
        if self.chat_model is not None:
            steps_left -= 1
            ctx.state.used_model = True
        return decision, steps_left

    def _answer(self, ctx: TurnContext, tools: Tools, decision: ToolDecision, steps_left: int) -> Iterator[str]:
        """Run the call, record it, and say its result: phrased by the model when it may, else by the template."""
        state, identity, model = ctx.state, ctx.identity, self.chat_model
        assert identity is not None  # checked by the caller
        if decision.model_error:
            state.fell_back, state.notice = True, message("llm_down", ctx.language)
        result = run_tool(tools, decision)
        state.tool_calls.append(ToolCallRecord(name=decision.name, args=decision.args, result=result))
        template = render_tool_result(decision.name, result, ctx.language, ctx.profile)
        source = self._rate_source(ctx, decision, result)
        # a result without figures ("no such product") is said best by its template: the model's
        # wording could never be shown (it must state one of the template's figures)
        if (model is not None and not decision.model_error and steps_left >= 1 and not is_error(result)
                and numbers_in(template)):
            yield from relay(stream_tool_answer(model, ctx.question, ctx.language, result, template, ctx.secrets,
                                                role=identity.role, own_koc_id=identity.koc_id, timings=state.timings),
                             ctx, template, [])
            yield from _quote_source(ctx, source)
            return
        state.answer = f"{state.notice}\n{template}" if state.notice else template
        state.refused = is_refusal(result)  # like a question asked without signing in: nothing personal is given
        yield state.answer
        yield from _quote_source(ctx, source)

    def _rate_source(self, ctx: TurnContext, decision: ToolDecision, result: Any) -> tuple[str, Citation] | None:
        """The handbook sentence stating an estimate's rate, as the asker may read it (estimates only)."""
        if self.kb is None or decision.name != "estimate_commission" or is_error(result):
            return None
        try:
            return rate_citation(self.kb, ctx.question, result, viewer_for(ctx.identity), ctx.language)
        except Exception as exc:  # the knowledge base is unreadable: the estimate itself still stands
            log.warning("no handbook source for the estimate: %s", exc)
            return None


def _quote_source(ctx: TurnContext, source: tuple[str, Citation] | None) -> Iterator[str]:
    """Append the cited rate sentence to the answer (a new line), when there is one."""
    if source is None:
        return
    sentence, citation = source
    n = len(ctx.state.citations) + 1
    ctx.state.citations.append(citation.model_copy(update={"n": n}))
    quote = "\n" + sentence.replace("[1]", f"[{n}]")
    ctx.state.answer += quote
    yield quote


#: the commission service's statuses that refuse the asker (no valid sign-in, not theirs to see)
REFUSING_STATUSES = frozenset({401, 403})


def is_refusal(result: Any) -> bool:
    """A tool result in which the service refused the asker, rather than failed or found nothing."""
    return isinstance(result, dict) and result.get("status") in REFUSING_STATUSES


def is_error(result: Any) -> bool:
    """A tool result that reports a failure instead of data."""
    return isinstance(result, dict) and "error" in result

