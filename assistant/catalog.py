"""Finding which product a question names (SKU, Chinese or English name, or a fuzzy part of one).

The catalogue is the programme policy (the same file the commission service prices from), so a
product HQ adds there is recognised here without code changes. Matching is character-bigram
overlap on Simplified text, which tolerates "晴空防晒乳" for "晴空轻透防晒乳" and 繁體 names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.language import to_simplified

SKU_RE = re.compile(r"\b[A-Za-z]{2}-[A-Za-z]{3}-\d{2}\b")
_SIZE_RE = re.compile(r"\s*(SPF\d+\+?|\bPA\++|\d+\s*(ml|g)|\d×\d+g|\(.*?\)).*$", re.IGNORECASE)


@dataclass(frozen=True)
class ProductRef:
    sku: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", to_simplified(text.lower()))
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _core(name: str) -> str:
    return _SIZE_RE.sub("", name).strip()


@lru_cache(maxsize=4)
def _load(policy_path: str) -> tuple[ProductRef, ...]:
    from tools.policy import get_policy

    products = get_policy(Path(policy_path)).products
    # tails such as 防晒乳 / 护臀膏 / "gift box" name a product on their own when no other shares them
    tails: dict[str, list[str]] = {}
    for p in products:
        zh, en = _core(p.name_zh), _core(p.name_en).lower().split()
        for tail in {zh[-2:], zh[-3:], " ".join(en[-2:])}:
            tails.setdefault(tail, []).append(p.sku)
    refs = []
    for p in products:
        aliases = {p.sku.lower(), _core(p.name_zh), _core(to_simplified(p.name_zh_tw)), _core(p.name_en).lower()}
        aliases |= {tail for tail, skus in tails.items() if skus == [p.sku] and len(tail) >= 2 and tail[0].isalnum()}
        refs.append(ProductRef(sku=p.sku, name_zh=p.name_zh, name_en=p.name_en,
                               aliases=tuple(sorted(a for a in aliases if a))))
    return tuple(refs)


def load_catalog(policy_path: Path | str | None = None) -> tuple[ProductRef, ...]:
    """All products of the policy; empty when the policy can't be read (the router then skips products)."""
    if policy_path is None:
        from knowledge.settings import get_settings

        policy_path = get_settings().policy
    try:
        return _load(str(policy_path))
    except Exception:  # a broken policy must not take the chat down; the service reports it
        return ()


def match_product(text: str, catalog: tuple[ProductRef, ...]) -> ProductRef | None:
    """The product the text names best, or None when no name overlaps enough to be sure."""
    sku = SKU_RE.search(text)
    if sku:
        for ref in catalog:
            if ref.sku.lower() == sku.group(0).lower():
                return ref
    simplified = to_simplified(text.lower())
    query = _bigrams(text)
    best, best_score = None, 0.0
    for ref in catalog:
        for alias in ref.aliases:
            if alias and alias in simplified:
                score = 1.0 + len(alias) / 100  # exact containment beats any fuzzy match
            else:
                grams = _bigrams(alias)
                shared = len(grams & query)
                score = shared / len(grams) if grams and shared >= 2 else 0.0
            if score > best_score:
                best, best_score = ref, score
    return best if best_score >= 0.34 else None
