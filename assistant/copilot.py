"""Copilot: one question in, one checked answer out — the function the CLI, UI and API all call.

Flow of a turn: detect language → route (security first) → one answer strategy, chosen by the
route, fills the turn: a fixed reply (refusals, small talk; ``answer_fixed``), a tool bound to the
signed-in identity (``answer_tool``), or the handbooks (``answer_rules``: retrieval, then the
optional chat model, guarded, with the offline answer whenever the model is absent, fails, or
little of its answer survives the guard) → persist.
Identity comes only from the ``Identity`` object (built from a token by the caller); nothing in
the question can change whose data a tool returns.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage

from assistant.answer_content import ContentAnswer
from assistant.answer_fixed import FIXED_INTENTS, answer_fixed
from assistant.answer_rules import RulesAnswer
from assistant.answer_tool import ToolAnswer, ToolsClientFactory, is_error
from assistant.audience import viewer_for
from assistant.embed_ahead import turn_texts
from assistant.follow_up import conversation_root
from assistant.offline import rest_of_question
from assistant.router import Router, about_the_tier
from assistant.security import scrub_secrets
from assistant.store import ConversationStore
from assistant.templates import tier_name
from assistant.messages import message
from assistant.turn import AnswerState, TurnContext
from assistant.types import AnswerResult
from base.language import detect_language
from base.settings import Settings
from knowledge.kb import KnowledgeBase
from tools.auth import hq_token
from tools.identity import Identity

__all__ = ["MAX_QUESTION_CHARS", "Copilot", "ToolsClientFactory"]

MAX_QUESTION_CHARS = 2000


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


#: routes a follow-up keeps whatever it continues: a refusal for another KOC's data or a secret
GUARDED_INTENTS = frozenset(intent for intent, refused in FIXED_INTENTS.items() if refused)


class Copilot:
    """The conversation core, given every part it talks to; ``ui.compose`` builds them.

    ``chat_model`` None means offline answers only; ``provider`` names it in answers and reports.
    The core routes each question, dispatches it to one answer strategy and persists the turn.
    """

    def __init__(self, settings: Settings, *, kb: KnowledgeBase, chat_model: BaseChatModel | None,
                 tools_client_factory: ToolsClientFactory, store: ConversationStore, router: Router,
                 provider: str = "offline") -> None:
        self.settings = settings
        self.kb = kb
        self.chat_model = chat_model
        self.tools_client_factory = tools_client_factory
        self.store = store
        self.router = router
        self.provider = provider if chat_model is not None else "offline"
        self.embeddings = router.embeddings  # the same model checks support in the guard
        self.tool_answer = ToolAnswer(settings, chat_model=chat_model, router=router,
                                      tools_client_factory=tools_client_factory, provider=self.provider, kb=kb)
        self.rules_answer = RulesAnswer(settings, kb=kb, chat_model=chat_model, embeddings=self.embeddings,
                                        catalog=router.catalog, tier_names=router.tier_keys)
        self.content_answer = ContentAnswer(kb, catalog=router.catalog, embeddings=self.embeddings)

    @property
    def model_proposes_tools(self) -> bool:
        """Whether the chat model is asked for a tool call when the router is unsure (``KOC_LLM_TOOL_CHOICE``)."""
        return self.tool_answer.model_proposes_tools

    # ------------------------------------------------------------------ public API
    def ask(self, question: str, identity: Identity | None, session_id: str | None = None) -> AnswerResult:
        """Answer one question (the whole answer at once)."""
        final = None
        for item in self.stream(question, identity, session_id):
            if isinstance(item, AnswerResult):
                final = item
        assert final is not None
        return final

    def stream(self, question: str, identity: Identity | None,
               session_id: str | None = None) -> Iterator[str | AnswerResult]:
        """Text deltas as the answer is produced (each already checked), then the final ``AnswerResult``."""
        started = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise ValueError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"the question is too long ({len(question)} characters; the limit is {MAX_QUESTION_CHARS})")
        sid, ctx = self._begin(question, identity, session_id)
        for delta in self._dispatch(ctx):
            yield scrub_secrets(delta, ctx.secrets)
        result = self._result(ctx, sid, started)
        result.message_id = self.store.record_turn(sid, result)
        yield result

    def feedback(self, session_id: str, message_id: int, up: bool, comment: str = "") -> int:
        """Thumbs up/down on an answer (KeyError if the message is not an answer of that session); returns its id."""
        return self.store.add_feedback(session_id, message_id, up, comment)

    # ------------------------------------------------------------------ one turn
    def _begin(self, question: str, identity: Identity | None,
               session_id: str | None) -> tuple[str, TurnContext]:
        """Open (or continue) the session and build the turn's context: history, language, route, secrets."""
        role = identity.role if identity is not None else "anonymous"
        koc_id = identity.koc_id if identity is not None else None
        sid = self.store.open_session(role, koc_id, session_id, title=question)
        recent, summary = self.store.history(sid)
        history = [HumanMessage(t) if r == "user" else AIMessage(t) for r, t in recent]
        language = detect_language(question)
        router_role = role if role == "hq" else "koc"
        route = self.router.route(question, router_role, koc_id, along=self._embedded_along(question, identity))
        ctx = TurnContext(question=question, identity=identity, route=route, language=language,
                          history=history, summary=summary, recent=recent, secrets=self._secrets(identity),
                          profile=self.kb.profile())
        ctx.names = self.rules_answer.names(ctx)
        if route.intent not in GUARDED_INTENTS:
            # a follow-up is routed with the question it continues: "那金卡呢？" is no greeting, and
            # "那上个月呢？" after "这个月我赚了多少？" asks the asker's records again
            earlier = [text for r, text in recent if r == "user"]
            root = conversation_root(question, earlier, ctx.names)
            if root:
                followed = self.router.route(f"{question} {root}", router_role, koc_id)
                if followed.tool:  # what the follow-up says itself wins over what it continues
                    between = earlier[len(earlier) - earlier[::-1].index(root):] if root in earlier else []
                    followed = replace(followed, args=self.router.follow_up_args(followed.tool, question, root, between))
                ctx = replace(ctx, route=followed, root=root)
        if ctx.route.tool == "estimate_commission" and identity is not None and identity.role == "koc":
            # "…at the next tier?": the tier above the asker's own, which only the sign-in knows
            args = self.router.at_the_next_tier(ctx.route.args, question, identity.tier)
            ctx = replace(ctx, route=replace(ctx.route, args=args))
        return sid, ctx

    def _embedded_along(self, question: str, identity: Identity | None = None) -> list[str]:
        """What a first question's rules turn will embed besides the question itself (its search text,
        that text's twin and parts): embedded in the router's batch when the router embeds at all.
        A follow-up's search text depends on the history and is embedded when it is known."""
        searched = self.rules_answer.with_names(question, viewer_for(identity))
        return [text for text in turn_texts(self.kb, searched) if text != question]

    def _dispatch(self, ctx: TurnContext) -> Iterator[str]:
        """The strategy the route calls for. An unsure route about the asker may become a tool turn
        when the model proposes a call (``ToolAnswer.proposal``); otherwise it is a rules turn."""
        intent = ctx.route.intent
        if intent in FIXED_INTENTS:
            yield from answer_fixed(ctx, intent, refused=FIXED_INTENTS[intent])
        elif intent in ("tool", "hq_tool"):
            yield from self.tool_answer(ctx)
            yield from self._handbooks_after_a_failed_lookup(ctx)
            yield from self._handbooks_for_the_tier(ctx)
            yield from self._handbooks_beside_the_lookup(ctx)
        elif intent in ("content", "rules") and (request := self.content_answer.request(ctx)) is not None:
            yield from self.content_answer(ctx, request)  # an explicit ask for topics, titles, posts; "check my post"
            if request.kind == "claim":
                yield from self._handbooks_for_the_rest(ctx, request.draft)
        elif (proposal := self.tool_answer.proposal(ctx)) is not None:
            yield from self.tool_answer(ctx, *proposal)
        else:
            yield from self.rules_answer(ctx)

    def _handbooks_for_the_rest(self, ctx: TurnContext, claim: str) -> Iterator[str]:
        """"可以写“零热量”吗？冷泡要泡多久？": the verdict on the claim answers one part; the other
        parts (with the scene the first one sets) are a rules question of their own, answered from the
        handbooks after it when they cover it, its citations numbered on from the verdict's."""
        rest = rest_of_question(ctx.question, claim)
        if rest:
            yield from self._handbooks_added(ctx, rest)

    def _handbooks_for_the_tier(self, ctx: TurnContext) -> Iterator[str]:
        """"我这个等级有什么福利？": the lookup says which tier the asker holds, the handbooks what that
        tier brings; they are asked with the tier named in place of "my tier"."""
        calls = ctx.state.tool_calls
        if not ctx.route.tier_in_handbooks or not calls or is_error(calls[-1].result):
            return
        tier = tier_name(calls[-1].result, ctx.language)
        if tier:
            yield from self._handbooks_added(ctx, about_the_tier(ctx.question, tier))

    def _handbooks_beside_the_lookup(self, ctx: TurnContext) -> Iterator[str]:
        """"我上个月赚了多少？佣金是怎么算的？": the lookup answers one part; the parts it does not
        (``Route.rest``) are the handbooks', answered after it when they cover them."""
        calls = ctx.state.tool_calls
        if ctx.route.rest and calls and not is_error(calls[-1].result):
            yield from self._handbooks_added(ctx, ctx.route.rest)

    def _handbooks_added(self, ctx: TurnContext, question: str) -> Iterator[str]:
        """The handbooks' answer to ``question`` after what the turn said, when they cover it, its
        citations numbered on from the turn's."""
        handbooks = replace(ctx, question=question, state=AnswerState())
        "".join(self.rules_answer(handbooks))
        if handbooks.state.refused or not handbooks.state.answer:
            return
        state, offset = ctx.state, len(ctx.state.citations)
        addition = "\n" + re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", handbooks.state.answer)
        state.answer += addition
        state.citations = [*state.citations, *(c.model_copy(update={"n": c.n + offset}) for c in handbooks.state.citations)]
        state.used_model = state.used_model or handbooks.state.used_model
        yield addition

    def _handbooks_after_a_failed_lookup(self, ctx: TurnContext) -> Iterator[str]:
        """A look-up that failed (no valid sign-in for the service, no such record, the service down)
        leaves the asker nothing personal; many questions that read as personal are also answered by
        the handbooks ("我还需要做什么才能升级？"), so their answer follows the error when they cover it.
        A refused sign-in stays a refusal only when the handbooks add nothing."""
        state = ctx.state
        failed = bool(state.tool_calls) and all(is_error(c.result) for c in state.tool_calls)
        if not (failed or state.service_unreachable):
            return
        handbooks = replace(ctx, state=AnswerState())
        "".join(self.rules_answer(handbooks))
        if handbooks.state.refused or not handbooks.state.answer:
            return
        addition = "\n\n" + message("handbooks_instead", ctx.language) + "\n" + handbooks.state.answer
        state.answer += addition
        state.refused = False  # the service refused the asker, but the question is answered
        state.citations = handbooks.state.citations
        state.used_model = state.used_model or handbooks.state.used_model
        yield addition

    def _result(self, ctx: TurnContext, sid: str, started: float) -> AnswerResult:
        state = ctx.state
        return AnswerResult(
            question=ctx.question, answer=scrub_secrets(state.answer, ctx.secrets).strip(), refused=state.refused,
            citations=state.citations, tool_calls=state.tool_calls,
            latency_ms=int((time.perf_counter() - started) * 1000),
            provider=self.provider if state.used_model else "offline", language=ctx.language, session_id=sid,
            fell_back=state.fell_back, intent=ctx.route.tool or ctx.route.intent, notice=state.notice,
            timings=_timings_ms(state.timings, started))

    def _secrets(self, identity: Identity | None) -> list[str]:
        secrets = [identity.token] if identity is not None else []
        try:
            secrets.append(hq_token(self.settings))
        except Exception:  # no HQ token configured: nothing of it can leak
            pass
        return secrets
