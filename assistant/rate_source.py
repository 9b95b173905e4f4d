"""Where an estimate's rate comes from: the handbook sentence that states it, cited.

An estimate is computed by the commission service from the policy, but a KOC asking "what would
a <tier> earn on one <product>?" is asking about a published rule, and should be able to check it.
So a commission estimate also quotes the one handbook sentence (as the asker may read it) that
states the figures the estimate used: the tier's multiplier next to the tier's name, or the
product's or category's base rate. Nothing is quoted when no sentence states them, so the
citation always supports the numbers it sits beside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from assistant.guard import numbers_in
from assistant.offline import cite
from assistant.types import Citation
from base.language import localize, to_simplified
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from knowledge.sentences import split_sentences
from tools.catalog import product_core_name

#: a worked example's sum: it works out one sale of its own, the asker's only when it names the product
_WORKED = re.compile(r"[=＝]")
#: how many hits are read for the sentence (the rate tables rank high for a rate question)
SEARCH_K = 8


def _names(result: dict[str, Any], *prefixes: str) -> list[str]:
    """The non-empty names the result gives a tier or product, simplified and lower-cased."""
    names: list[str] = []
    for prefix in prefixes:
        for suffix in ("_zh", "_zh_tw", "_en", ""):
            value = result.get(f"{prefix}{suffix}")
            if isinstance(value, str) and value.strip():
                names.append(to_simplified(value).lower())
    return names


def _scorer(result: dict[str, Any]) -> Callable[[str], tuple[int, bool]]:
    """Scores a sentence: 2 when it states the tier's multiplier by the tier's name, 1 when it
    states the base rate by the product's or category's name, else 0; and whether it is about this
    sale: a worked example's sum ("= ¥75.06") is, only when it names the product. The figures and
    names are read from the result once, not per sentence."""
    multiplier = next(iter(numbers_in(str(result.get("multiplier", "")))), "")
    base = next(iter(numbers_in(str(result.get("base_rate_percent") or ""))), "")
    product = result.get("product") if isinstance(result.get("product"), dict) else {}
    external = result.get("kind") == "external"  # no tier ladder: the tier in the result is only nominal
    tier_names = [] if external or not multiplier else _names(result, "tier")
    names = _names(product, "name", "category") + [str(product.get("sku", "")).lower()]
    # as handbooks write a product: with or without its size ("面霜 50g", "面霜")
    product_names = [n for n in dict.fromkeys([*names, *(product_core_name(n) for n in names)]) if n]

    def score(sentence: str) -> tuple[int, bool]:
        s = to_simplified(sentence).lower()
        nums = numbers_in(sentence)
        names_product = any(n in s for n in product_names)
        this_sale = names_product or not _WORKED.search(sentence)
        if tier_names and multiplier in nums and any(n in s for n in tier_names):
            return 2, this_sale
        if base and base in nums and names_product:
            return 1, this_sale
        return 0, this_sale
    return score


def rate_citation(kb: KnowledgeBase, question: str, result: dict[str, Any], viewer: Viewer,
                  language: str) -> tuple[str, Citation] | None:
    """The cited sentence that states this estimate's rate, or None when no readable one does."""
    if not isinstance(result, dict) or "commission_cents" not in result:
        return None
    tier = "" if result.get("kind") == "external" else " ".join(_names(result, "tier")[:1])
    found = kb.search(f"{question} {tier}".strip(), k=SEARCH_K, viewer=viewer)
    score_of = _scorer(result)
    best: tuple[tuple[int, bool, int], str, Any] | None = None
    for hit in found.hits:
        for sentence in split_sentences(hit.text):
            score, this_sale = score_of(sentence)
            # the strongest match; among equals one about this sale (not a worked example of another
            # product's), then the shortest, which is the easiest to check
            key = (score, this_sale, -len(sentence))
            if score and (best is None or key > best[0]):
                best = (key, sentence, hit)
    if best is None:
        return None
    _, sentence, hit = best
    text = sentence if language == "en" else localize(sentence, language)
    return cite(text, 1), Citation(n=1, source=hit.source, chunk_id=hit.chunk_id, text=hit.text)
