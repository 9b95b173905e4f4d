"""``BriefWriter``: a request in, a checked brief out — what ``koc brief``, the HQ studio and the
chat's topic help call.

Steps: resolve the products (catalogue or handbooks, never invented) → retrieve and quote the
handbook facts → draft the topics offline (deterministic) → with a chat model, ask it for a
draft, validate, repair once, else keep the offline draft → schedule, compliance report, and the
KOCs closest to promotion when asked. A brief is never shown before its compliance check.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from langchain_core.language_models import BaseChatModel

from assistant.briefs import llm
from assistant.briefs.grounding import Grounding, gather
from assistant.briefs.models import PLATFORM_NAMES, Brief, BriefRequest, KeyMessage, TargetKoc, Topic
from assistant.briefs.offline import TopicInputs, draft_topics
from assistant.briefs.patterns import PLATFORM_FORMAT
from assistant.briefs.products import BriefProduct, resolve_products
from assistant.briefs.schedule import schedule
from assistant.briefs.validate import copy_texts, problems
from assistant.compliance.rulebook import DEFAULT_RULES
from assistant.compliance.service import ComplianceChecker, checker_for
from base.language import localize, to_simplified
from knowledge.audience import Viewer
from tools.catalog import ProductRef

log = logging.getLogger(__name__)
KEY_MESSAGES = 4
NearPromotion = Callable[[int], list[dict]]


class BriefError(ValueError):
    """The brief cannot be written (unknown product, handbooks with nothing on the campaign)."""


def handbook_corpus(kb: Any) -> str:
    """All chunk text and headings, simplified and lower-cased: what "the handbooks name it" is checked against."""
    return "\n".join(to_simplified(f"{c.heading_path} {c.text}").lower() for c in kb.manifest.all_chunks())


def key_messages(grounding: Grounding, products: Sequence[BriefProduct]) -> list[KeyMessage]:
    """The first fact of each product, then the others in order, up to ``KEY_MESSAGES``."""
    ordered = [f for p in products for f in grounding.for_product(p.short)[:1]] + grounding.facts
    picked = list({f.id: f for f in ordered}.values())[:KEY_MESSAGES]
    return [KeyMessage(text=f.text, citations=[f.citation]) for f in picked]


def summary(request: BriefRequest, products: Sequence[BriefProduct], n: int) -> str:
    names = "、".join(p.name for p in products)
    dates = f"，档期 {request.start} 至 {request.end}" if request.start and request.end else ""
    theme = f"主题：{request.theme}。" if request.theme else ""
    tone = f"语气：{request.tone}。" if request.tone else ""
    return (f"「{request.campaign}」面向{request.audience}，在{PLATFORM_NAMES[request.platform]}发布 {n} 个选题"
            f"{f'（产品：{names}）' if names else ''}{dates}。{theme}{tone}每个选题都引用手册原文，发布前已做广告法合规检查。")


def _localized(brief: Brief, language: str) -> Brief:
    if language != "zh-TW":
        return brief
    for t in brief.topics:
        t.title, t.hook, t.outline = localize(t.title, language), localize(t.hook, language), [localize(x, language) for x in t.outline]
    brief.summary = localize(brief.summary, language)
    return brief


class BriefWriter:
    """Writes briefs over one knowledge base; every part it talks to is handed in."""

    def __init__(self, kb: Any, *, catalog: Sequence[ProductRef] = (), chat_model: BaseChatModel | None = None,
                 embeddings: Any | None = None, rules: Path = DEFAULT_RULES, near_promotion: NearPromotion | None = None,
                 provider: str = "offline", viewer: Viewer | None = None) -> None:
        self.kb = kb
        # whose reading a brief is grounded in: what every KOC may read, unless told otherwise
        # (an HQ-only handbook must never end up in copy that KOCs post)
        self.viewer = viewer or Viewer.koc()
        self.catalog = tuple(catalog)
        self.chat_model = chat_model
        self.embeddings = embeddings
        self.rules = rules
        self.near_promotion = near_promotion
        self.provider = provider if chat_model is not None else "offline"

    @property
    def checker(self) -> ComplianceChecker:
        return checker_for(self.kb, self.rules)

    def products(self, names: Sequence[str]) -> list[BriefProduct]:
        try:
            return resolve_products(names, self.catalog, handbook_corpus(self.kb) if names else "")
        except ValueError as exc:
            raise BriefError(str(exc)) from exc

    def ground(self, products: Sequence[BriefProduct], topic: str, checker: ComplianceChecker,
               viewer: Viewer | None = None) -> Grounding:
        groups: dict[str, list[str]] = {p.short: [p.name, f"{p.short} 卖点 特点 用法"] for p in products}
        groups.setdefault(topic, [topic])
        grounding = gather(self.kb, groups, checker, viewer or self.viewer, named={p.short for p in products})
        if not grounding.facts:
            raise BriefError(f"the handbooks have nothing to ground a brief on {topic!r}")
        return grounding

    def inputs(self, count: int, audience: str, campaign: str, platform: str, products: Sequence[BriefProduct],
               grounding: Grounding, checker: ComplianceChecker) -> TopicInputs:
        return TopicInputs(count=count, audience=audience, campaign=campaign, platform=platform,
                           limits=checker.book.platform(platform), products=products, grounding=grounding,
                           disclosure_tags=checker.brand.disclosure_tags, scene_tags=checker.brand.scene_tags)

    def write(self, request: BriefRequest, today: date | None = None) -> Brief:
        checker = self.checker
        products = self.products(request.products)
        grounding = self.ground(products, f"{request.campaign} {request.theme}".strip(), checker)
        inputs = self.inputs(request.topics, request.audience, request.campaign, request.platform, products,
                             grounding, checker)
        try:
            topics = draft_topics(inputs)
        except ValueError as exc:
            raise BriefError(str(exc)) from exc
        created = datetime.now(UTC)
        digest = hashlib.sha1(f"{request.model_dump_json()}{created.isoformat()}".encode()).hexdigest()[:6]
        brief = Brief(id=f"{created:%Y%m%d-%H%M%S}-{digest}", created_at=created.isoformat(timespec="seconds"),
                      request=request, summary=summary(request, products, len(topics)),
                      key_messages=key_messages(grounding, products), topics=topics,
                      dos=grounding.dos, donts=grounding.donts)
        if self.chat_model is not None:
            brief = self._with_model(brief, grounding, products, inputs, checker)
        start = request.start or today or date.today()
        brief.schedule = schedule(brief.topics, start, request.end)
        brief = _localized(brief, request.language)
        brief.compliance = checker.check_texts(copy_texts(brief))
        if request.target_near_promotion:
            brief.target_kocs, warning = self._targets()
            brief.warnings += [warning] if warning else []
        return brief

    def _with_model(self, brief: Brief, grounding: Grounding, products: Sequence[BriefProduct], inputs: TopicInputs,
                    checker: ComplianceChecker) -> Brief:
        """The model's draft when it validates (after at most one repair); the offline brief otherwise."""
        names = [p.name for p in products]
        fmt = PLATFORM_FORMAT.get(brief.request.platform, "图文")

        def check(text: str, messages: list[KeyMessage], topics: list[Topic]) -> list[str]:
            candidate = brief.model_copy(update={"summary": text or brief.summary, "key_messages": messages,
                                                 "topics": topics})
            return problems(candidate, kb=self.kb, limits=inputs.limits, checker=checker, embeddings=self.embeddings)

        draft, issues = llm.generate(self.chat_model, llm.prompt(brief.request, grounding, names, inputs.limits.title_max),
                                     grounding, names, fmt, check)
        if draft is None:
            log.info("model brief rejected, using the offline brief: %s", issues[:3])
            return brief.model_copy(update={"provider": "offline", "fell_back": True,
                                            "warnings": [f"model draft rejected: {i}" for i in issues[:10]]})
        text, messages, topics = draft
        return brief.model_copy(update={"provider": self.provider, "summary": text or brief.summary,
                                        "key_messages": messages, "topics": topics})

    def _targets(self) -> tuple[list[TargetKoc], str]:
        if self.near_promotion is None:
            return [], "the commission & tier service is not connected: no KOCs targeted"
        try:
            rows = self.near_promotion(10)
        except Exception as exc:  # the service is down: the brief is still useful without targets
            return [], f"could not ask the commission & tier service who is close to promotion: {exc}"
        return [TargetKoc(koc_id=int(r["koc_id"]), name=str(r.get("name", "")),
                          tier=str(r.get("tier_zh") or r.get("tier") or ""),
                          next_tier=str(r.get("next_tier_zh") or r.get("next_tier") or ""),
                          gap_text=str(r.get("gap_text", ""))) for r in rows], ""
