"""The composition root: settings, knowledge base, chat model, tools client and conversation store,
built here once and handed to the conversation core.

Every way in (CLI, HTTP API, Gradio app, evaluation runs) gets its ``Copilot`` from
``build_copilot``, so they all answer with the same parts; tests pass their own parts (a fake chat
model, a small knowledge base) through the same function instead of reaching inside the core.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from langchain_core.language_models import BaseChatModel

from assistant.briefs.writer import BriefWriter, NearPromotion
from assistant.copilot import Copilot, ToolsClientFactory
from assistant.evidence_scorer import corpus_knows
from assistant.providers import get_chat_model, resolve_provider
from assistant.router import Router
from assistant.store import get_store
from base.probe import http_ok
from base.settings import Settings, get_settings
from knowledge.embeddings import CachedEmbeddings
from knowledge.kb import KnowledgeBase
from tools.catalog import ProductRef, product_refs
from tools.client import ToolsClient
from tools.identity import Identity
from tools.policy import Policy, get_policy

log = logging.getLogger(__name__)

#: How long a "the commission service is up / down" answer is trusted.
SERVICE_CHECK_TTL_S = 30.0

ModelChoice = BaseChatModel | None | Literal["configured"]


@dataclass
class _ServiceCheck:
    """The commission service's health, checked at most once per ``SERVICE_CHECK_TTL_S``."""

    url: str
    checked_at: float = field(default=-SERVICE_CHECK_TTL_S)
    up: bool = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at >= SERVICE_CHECK_TTL_S:
            self.up, self.checked_at = http_ok(f"{self.url}/health", timeout_s=0.5), now
        return self.up


def tools_client_factory(settings: Settings) -> ToolsClientFactory:
    """HTTP client to the running commission service; in-process over the same KOC_HOME ledger
    when it is not running, so ``koc ask`` works without ``koc serve-tools``."""
    service_up = _ServiceCheck(settings.resolved_tools_url)

    def factory(identity: Identity) -> ToolsClient:
        if service_up():
            return ToolsClient(settings.resolved_tools_url, identity.token)
        return ToolsClient.in_process(settings, token=identity.token)

    return factory


def readable_policy(settings: Settings) -> Policy | None:
    """The programme policy, or None when it can't be read (the commission service reports why)."""
    try:
        return get_policy(settings.policy)
    except Exception as exc:  # a broken policy must not take the chat down
        log.warning("programme policy unavailable: %s", exc)
        return None


def catalog(policy: Policy | None) -> tuple[ProductRef, ...]:
    """The policy's products for the router; empty without a policy."""
    return product_refs(policy) if policy is not None else ()


def tier_keys(settings: Settings | None = None) -> tuple[str, ...] | None:
    """The programme's tier keys, lowest first; None when the policy cannot be read."""
    policy = readable_policy(settings or get_settings())
    return tuple(t.key for t in policy.tiers) if policy is not None else None


def tier_names(policy: Policy | None) -> dict[str, str]:
    """Every name the policy gives its tiers (with and without a trailing "KOC"), each mapped to the
    tier's key: the router spots tier questions by name and estimates at the tier a question names."""
    if policy is None:
        return {}
    names: dict[str, str] = {}
    for t in policy.tiers:
        for n in (t.key, t.name_zh, t.name_zh_tw, t.name_en):
            for variant in (n, re.sub(r"\s*koc$", "", n, flags=re.IGNORECASE)):
                if len(variant.strip()) >= 2:
                    names.setdefault(variant, t.key)
    return names


def embeddings_or_none(kb: KnowledgeBase) -> CachedEmbeddings | None:
    """The knowledge base's embedding model, or None when none is installed (route by rules, guard lexically)."""
    try:
        return kb.embeddings
    except Exception as exc:
        log.warning("no embedding model, routing by rules only: %s", exc)
        return None


def chat_model_for(settings: Settings) -> tuple[BaseChatModel | None, str]:
    """The configured chat model and its provider name; offline (None) when it cannot be built."""
    try:
        model = get_chat_model(settings)
    except Exception as exc:  # provider broken: answer offline rather than not at all
        log.warning("chat model unavailable, answering offline: %s", exc)
        return None, "offline"
    return model, (resolve_provider(settings) if model is not None else "offline")


def near_promotion_source(factory: ToolsClientFactory, identity: Identity) -> NearPromotion:
    """The KOCs closest to promotion, asked of the commission & tier service with ``identity``'s own
    token (HQ's: the service refuses anyone else), one client per question."""
    def ask(limit: int) -> list[dict]:
        with factory(identity) as client:
            return client.near_promotion(limit)["kocs"]
    return ask


def brief_writer(settings: Settings, kb: KnowledgeBase, chat_model: BaseChatModel | None = None,
                 provider: str = "offline", near_promotion: NearPromotion | None = None) -> BriefWriter:
    """The brief writer of ``koc brief`` and the HQ studio: the knowledge base, the policy's product
    catalogue (none without a readable policy: products must then be named in the handbooks), the
    chat model (None: the offline brief), the compliance rules and who is close to promotion."""
    return BriefWriter(kb, catalog=catalog(readable_policy(settings)), chat_model=chat_model, embeddings=embeddings_or_none(kb),
                       rules=settings.compliance_rules, near_promotion=near_promotion, provider=provider)


def build_copilot(settings: Settings | None = None, *, chat_model: ModelChoice = "configured",
                  kb: KnowledgeBase | None = None, tools: ToolsClientFactory | None = None,
                  today: date | None = None) -> Copilot:
    """A Copilot from ``settings``; each part may be given instead (tests, evaluation runs)."""
    settings = settings or get_settings()
    kb = kb or KnowledgeBase(settings)
    if chat_model == "configured":
        model, provider = chat_model_for(settings)
    else:
        model, provider = chat_model, str(getattr(chat_model, "_llm_type", "custom"))
    policy = readable_policy(settings)
    router = Router(embeddings=embeddings_or_none(kb), catalog=catalog(policy), today=today,
                    tier_names=tier_names(policy), handbook_word=lambda word: corpus_knows(kb.vocabulary())(word))
    return Copilot(settings, kb=kb, chat_model=model, tools_client_factory=tools or tools_client_factory(settings),
                   store=get_store(settings), router=router, provider=provider)
