"""Content help in the chat: topic ideas, titles, short posts and outlines grounded in handbook
facts, and "check my post" — instead of refusing to write.

The same functions as the HQ brief (``briefs.writer`` for products and facts, ``briefs.offline``
for the topics, ``compliance`` for the check), so a KOC and HQ get the same rules. Every item is
checked before it is shown; facts are quoted handbook sentences, cited ``[n]``.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Sequence

from assistant.answer_fixed import answer_fixed
from assistant.audience import viewer_for
from assistant.briefs.models import PLATFORM_NAMES, PLATFORM_NAMES_EN, Topic
from assistant.briefs.offline import draft_topics
from assistant.briefs.products import BriefProduct
from assistant.briefs.writer import BriefError, BriefWriter
from assistant.compliance.report import ComplianceReport, Violation
from assistant.compliance.service import ComplianceChecker
from assistant.content_request import (MAX_COUNT, ContentRequest, claim_continued, claim_in, continued_request,
                                      parse_request, platform_of)
from assistant.offline import PROHIBITION, trusted_sentences
from assistant.text_match import bigrams
from assistant.turn import TurnContext
from assistant.types import Citation
from base.language import localize, pick, to_simplified
from knowledge.audience import Viewer
from tools.catalog import ProductRef, mentioned_product
from tools.identity import Identity

DEFAULT_AUDIENCE = "新手"
_KIND = {"titles": ("标题", "titles"), "topics": ("选题", "topic ideas"), "posts": ("文案", "posts"),
         "outline": ("脚本大纲", "outline")}


class ContentAnswer:
    """Answers writing requests from the knowledge base, offline and deterministic."""

    def __init__(self, kb: Any, catalog: Sequence[ProductRef] = (), embeddings: Any | None = None) -> None:
        self.kb = kb
        self.catalog = tuple(catalog)
        self.writer = BriefWriter(kb, catalog=catalog, embeddings=embeddings)

    def request(self, ctx: TurnContext) -> ContentRequest | None:
        try:
            terms = self.kb.brand_terms()
        except Exception:  # a manifest that cannot be read: the question's own words still work
            terms = []
        root = ctx.root
        if claim := claim_in(ctx.question) or (claim_continued(ctx.question, root) if root else ""):
            # "may I say …": words the rules forbid get the verdict and the rule; other words are a
            # question about the rules, which the handbooks answer (never a request to draft posts)
            if self.writer.checker.terms(claim):
                return ContentRequest(kind="claim", count=1, platform=platform_of(ctx.question), draft=claim)
            return None
        request = parse_request(ctx.question, terms)
        if request is None and root:
            # "换成抖音的呢？" after "帮我想三个小红书选题": the same request, for what the follow-up names
            asked = parse_request(root, terms)
            if asked is not None and asked.kind != "check":
                request = continued_request(asked, ctx.question, terms)
        return request

    def __call__(self, ctx: TurnContext, request: ContentRequest) -> Iterator[str]:
        checker = self.writer.checker
        if request.kind == "claim":
            yield from self._claim(ctx, request, checker)
            return
        if request.kind == "check":
            yield from self._check(ctx, request, checker)
            return
        products = self._products(ctx.question, request)
        try:
            topics = self._topics(request, products, request.subject or ctx.question, viewer_for(ctx.identity), checker)
        except (BriefError, ValueError):
            yield from answer_fixed(ctx, "not_covered", refused=True)
            return
        text, citations = self._render(ctx.language, request, topics, checker)
        ctx.state.answer, ctx.state.citations = text, citations
        yield text

    def topic_ideas(self, products: Sequence[str], identity: Identity | None, *, subject: str = "", count: int = 5,
                    platform: str = "xiaohongshu", audience: str = "", language: str = "zh-CN") -> tuple[str, list[Citation]]:
        """Topic ideas for products a KOC picks (the app's "Topic ideas"): the chat's topic help
        without a question to read, grounded only in what ``identity`` may read. Returns the ideas
        as the chat words them and their citations; raises ``BriefError`` for an unknown product,
        platform or count, or when the handbooks it may read have nothing on the subject."""
        if platform not in PLATFORM_NAMES:
            raise BriefError(f"unknown platform {platform!r}; known: {', '.join(PLATFORM_NAMES)}")
        if not 1 <= count <= MAX_COUNT:
            raise BriefError(f"ask for 1 to {MAX_COUNT} topic ideas, not {count}")
        picked = self.writer.products(products)
        about = subject.strip() or " ".join(p.short for p in picked)
        if not about:
            raise BriefError("pick a product or say what the topics should be about")
        request = ContentRequest(kind="topics", count=count, platform=platform, subject=about, audience=audience.strip())
        checker = self.writer.checker
        try:
            topics = self._topics(request, picked, about, viewer_for(identity), checker)
        except ValueError as exc:  # more topics than angles
            raise BriefError(str(exc)) from exc
        return self._render(language, request, topics, checker)

    def _topics(self, request: ContentRequest, products: Sequence[BriefProduct], subject: str, viewer: Viewer,
                checker: ComplianceChecker) -> list[Topic]:
        """Topics drafted from the facts ``viewer`` may read (raises BriefError / ValueError)."""
        grounding = self.writer.ground(products, subject, checker, viewer)
        return draft_topics(self.writer.inputs(request.count, request.audience or DEFAULT_AUDIENCE, "",
                                               request.platform, products, grounding, checker))

    def _products(self, question: str, request: ContentRequest) -> list[BriefProduct]:
        ref = mentioned_product(question, self.catalog) if self.catalog else None
        for name in ([ref.name_zh] if ref else []) + ([request.subject] if request.subject else []):
            try:
                return self.writer.products([name])
            except BriefError:
                continue
        return []

    def _render(self, language: str, request: ContentRequest, topics: list[Topic],
                checker: ComplianceChecker) -> tuple[str, list[Citation]]:
        citations: list[Citation] = []
        numbers: dict[str, int] = {}

        def mark(topic: Topic) -> str:
            if not topic.facts:
                return ""
            c = topic.facts[0].citation
            if c.chunk_id not in numbers:
                chunk = self.kb.get_chunks([c.chunk_id])
                numbers[c.chunk_id] = len(citations) + 1
                citations.append(Citation(n=numbers[c.chunk_id], source=c.source, chunk_id=c.chunk_id,
                                          text=chunk[0].text if chunk else c.text))
            return f"[{numbers[c.chunk_id]}]"

        lines = []
        for i, t in enumerate(topics, 1):
            fact = t.facts[0].text if t.facts else ""
            if request.kind == "titles":
                item = f"{t.title}{mark(t)}"
            elif request.kind == "posts":
                item = f"{t.hook}{fact}{mark(t)} {' '.join(t.hashtags)}"
            elif request.kind == "outline":
                item = f"{t.title}：{' → '.join(t.outline)}{mark(t)} {' '.join(t.hashtags)}"
            else:
                item = f"{t.title}（{t.angle}·{t.format}）：{t.hook}依据：{fact}{mark(t)}"
            found = checker.terms(item)
            lines.append(f"{i}. {checker.matcher.rewrite(item, found) if found else item}")
        zh_platform, en_platform = PLATFORM_NAMES[request.platform], PLATFORM_NAMES_EN[request.platform]
        zh_kind, en_kind = _KIND[request.kind]
        head = pick(language, f"给你 {len(topics)} 个{zh_platform}{zh_kind}（依据手册原文，已做广告法合规检查）：",
                    f"{len(topics)} {en_platform} {en_kind}, grounded in the handbook and checked against advertising rules:")
        tags = " ".join(checker.brand.disclosure_tags)
        tail = pick(language, f"发布时记得带上 {tags}，只写自己的真实体验。" if tags else "发布前只写自己的真实体验。",
                    f"Remember to add {tags} and describe only your own experience." if tags else
                    "Describe only your own experience.")
        body = "\n".join(localize(line, language) if language != "en" else line for line in lines)
        return f"{head}\n{body}\n{tail}", citations

    def _claim(self, ctx: TurnContext, request: ContentRequest, checker: ComplianceChecker) -> Iterator[str]:
        """"May I say X?" where X breaks a rule: no, which words, the rule they break and what to do instead
        (no rewrite: with the forbidden words cut, a short claim is rarely a sentence worth posting)."""
        lang = ctx.language
        found = checker.terms(request.draft)
        reasons = [f"“{v.term}”：{v.rule}。{pick(lang, '建议：', 'Instead: ')}{v.suggestion}" for v in found]
        text = "\n".join([pick(lang, "不能这样写。", "No, you can't say that."),
                          *(localize(x, lang) if lang != "en" else x for x in reasons)])
        quote = self._handbook_rule(ctx, found)
        if quote is not None:
            sentence, hit = quote
            ctx.state.citations = [Citation(n=1, source=hit.source, chunk_id=hit.chunk_id, text=hit.text)]
            text += "\n" + pick(lang, "手册原文：", "The handbook says: ") + localize(sentence, lang) + "[1]"
        ctx.state.answer = text
        yield text

    def _handbook_rule(self, ctx: TurnContext, violations: Sequence[Violation]) -> tuple[str, Any] | None:
        """The handbook sentence that forbids what a violation names, from what the asker may read:
        one naming the words themselves, else (words in another language: "cures acne") one that
        forbids what the rule is about (its description shares words with the sentence: 医疗, 治疗);
        None when the rule is the law's alone."""
        viewer = viewer_for(ctx.identity)
        for v in violations:
            wanted = to_simplified(v.term).lower()
            for hit in self.kb.search(f"{v.term} 不能 禁止", viewer=viewer).hits if wanted else ():
                if (rule := _rule_naming(wanted, trusted_sentences(hit.text))) is not None:
                    return rule, hit
        for v in violations:
            about = bigrams(_LAW_NAME.sub("", v.rule))  # what the rule forbids, not the law's title
            for hit in self.kb.search(f"{v.rule} {v.term}", viewer=viewer).hits:
                heading = " ".join(hit.heading_path or [])
                for sentence in trusted_sentences(hit.text):
                    if (PROHIBITION.search(sentence)
                            and len(about & bigrams(f"{heading} {sentence}")) >= RULE_SHARED_BIGRAMS):
                        return sentence, hit
        return None

    def _check(self, ctx: TurnContext, request: ContentRequest, checker: ComplianceChecker) -> Iterator[str]:
        report: ComplianceReport = checker.check_post(request.draft)
        lang = ctx.language
        if report.passed:
            text = pick(lang, "没有发现广告法极限词、功效宣称或缺少的合作标注，可以发布。",
                        "No absolute claims, medical claims or missing disclosure found: it can be posted.")
        else:
            items = [f"{i}. “{v.term or '（缺少）'}”：{v.rule}。建议：{v.suggestion}" for i, v in enumerate(report.violations, 1)]
            text = "\n".join([pick(lang, f"发现 {len(report.violations)} 处需要修改：",
                                   f"{len(report.violations)} problem(s) to fix:"),
                              *(localize(x, lang) if lang != "en" else x for x in items),
                              pick(lang, "改写参考：", "Suggested rewrite:") + localize(report.rewrite, lang if lang != "en" else "zh-CN")])
        ctx.state.answer = text
        yield text


#: a handbook sentence (with its heading) speaks of the same rule when it shares this many character
#: pairs with the rule's description
RULE_SHARED_BIGRAMS = 2
_LAW_NAME = re.compile(r"《[^》]*》|第[一二三四五六七八九十百\d]+条(?:第（[一二三四五六七八九十]+）项)?")


def _rule_naming(term: str, sentences: Sequence[str]) -> str | None:
    """The sentence of a chunk that forbids ``term``: one that names it with a prohibition, else a
    list item naming it under the lead line that forbids the list ("以下用语不能出现：…… 医学级")."""
    lead = ""
    for sentence in sentences:
        simple = to_simplified(sentence).lower()
        if term in simple and PROHIBITION.search(simple):
            return sentence
        if term in simple and lead and PROHIBITION.search(lead):
            return f"{lead}……{sentence}"
        if sentence.rstrip().endswith(("：", ":")):
            lead = sentence
    return None
