"""The compliance checker as the rest of the product calls it: a post, a title, or every text of
a brief, checked against the shared rulebook, the brand's own handbook and the platform's limits.

``checker_for(kb)`` reads the brand's rules from the knowledge base once per index state, so the
same checker serves ``koc check-post``, the chat's "check my post" and every brief.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from assistant.compliance.checker import TermMatcher
from assistant.compliance.kb_rules import BrandContentRules, content_rules
from assistant.compliance.platforms import body_violation, hashtag_violation, split_post, title_violation
from assistant.compliance.report import ComplianceReport, Violation
from assistant.compliance.rulebook import DEFAULT_RULES, Rulebook, load_rulebook
from base.language import to_simplified
from knowledge.audience import Viewer


@dataclass
class ComplianceChecker:
    """Shared rules + the brand's content rules (possibly none)."""

    book: Rulebook
    brand: BrandContentRules = BrandContentRules()

    def __post_init__(self) -> None:
        self.matcher = TermMatcher(self.book, self.brand.banned)

    def terms(self, text: str, where: str = "") -> list[Violation]:
        """Banned expressions in ``text`` (no platform or disclosure checks)."""
        return self.matcher.find(text, where)

    def check_texts(self, texts: Iterable[tuple[str, str]]) -> ComplianceReport:
        """Every ``(where, text)`` checked for banned expressions: what a brief runs on its own copy."""
        items = list(texts)
        found = [v for where, text in items for v in self.terms(text, where)]
        return ComplianceReport(violations=found, checked_texts=len(items), brand_terms=self.matcher.brand_terms)

    def missing_disclosure(self, text: str, where: str = "") -> Violation | None:
        """The handbook requires a disclosure tag the text does not carry."""
        tags = self.brand.disclosure_tags
        if not tags or any(to_simplified(t) in to_simplified(text) for t in tags):
            return None
        source = ", ".join(self.brand.sources) or "knowledge base"
        return Violation(start=len(text), end=len(text), term="", rule_id="disclosure", category="disclosure",
                         rule=f"合作内容必须标注推广关系（ad-law-14；品牌内容规范 {source}）", severity="high",
                         suggestion=f"在正文或话题里加上 {' / '.join(tags)}。", source=self.book.sources.get("ad-law-14", ""),
                         where=where)

    def check_post(self, text: str, platform: str | None = None) -> ComplianceReport:
        """A KOC's draft: banned expressions, the disclosure tag and (with ``platform``) its limits,
        plus a rewrite with every replaceable expression replaced."""
        violations = self.terms(text)
        if (missing := self.missing_disclosure(text)) is not None:
            violations.append(missing)
        if platform:
            limits = self.book.platform(platform)
            title, body = split_post(text)
            offset = text.find(body) if body else 0
            for v in (title_violation(title, limits, offset=text.find(title)) if title else None,
                      body_violation(body, limits, offset=max(offset, 0)), hashtag_violation(text, limits)):
                if v is not None:
                    violations.append(v)
        violations.sort(key=lambda v: (v.start, v.end))
        return ComplianceReport(violations=violations, checked_texts=1, rewrite=self.matcher.rewrite(text, violations),
                                brand_terms=self.matcher.brand_terms)


#: a post longer than this is not a post: refuse it rather than check megabytes
MAX_POST_CHARS = 20_000


class DraftError(ValueError):
    """A draft that cannot be checked (empty, too long, an unknown platform); the message says which."""


_cache: dict[tuple[int, str, int], ComplianceChecker] = {}
_lock = threading.Lock()


def checker_for(kb: Any | None, rules: Path = DEFAULT_RULES) -> ComplianceChecker:
    """The checker for a knowledge base (``None``: the shared rules only), cached until its chunks change."""
    book = load_rulebook(rules)
    if kb is None:
        return ComplianceChecker(book)
    every = kb.manifest.all_chunks()
    readable = {h.chunk_id for h in kb.get_chunks([c.chunk_id for c in every], viewer=Viewer.koc())}
    chunks = [c for c in every if c.chunk_id in readable]  # never an HQ-only page's words
    key = (id(kb), str(rules), hash(tuple(c.chunk_id for c in chunks)))
    with _lock:
        if key not in _cache:
            _cache.clear() if len(_cache) > 8 else None
            _cache[key] = ComplianceChecker(book, content_rules(chunks))
        return _cache[key]


def check_draft(kb: Any | None, text: str | None, platform: str | None = None,
                rules: Path = DEFAULT_RULES) -> ComplianceReport:
    """A KOC's draft checked as ``koc check-post`` and the app's "Check my post" tab do it: the draft
    refused with a clear reason when it is empty or too long, then checked against the shared rules
    and the brand's (a knowledge base without files: the shared rules only). Raises ``DraftError``;
    a broken rules file raises ``RulebookError``."""
    if not text or not text.strip():
        raise DraftError("the draft is empty")
    if len(text) > MAX_POST_CHARS:
        raise DraftError(f"the draft has {len(text):,} characters; the limit is {MAX_POST_CHARS:,}")
    checker = checker_for(kb if kb is not None and kb.manifest.files() else None, rules)
    try:
        return checker.check_post(text, platform or None)
    except KeyError as exc:  # an unknown platform: the rulebook names the known ones
        raise DraftError(str(exc.args[0])) from None
