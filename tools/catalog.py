"""Finding a product from what a person types: a SKU, or part of its name in 简体/繁體/English."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from tools.errors import InvalidInput
from tools.policy import Policy, Product


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _norm(text: str) -> str:
    text = _t2s().convert(text.strip().lower())
    return re.sub(r"\s+", " ", text)


def _haystack(p: Product, policy: Policy | None = None) -> str:
    parts = [p.sku.lower(), _norm(p.name_zh), _norm(p.name_zh_tw), p.name_en.lower()]
    if policy is not None:
        cat = policy.categories[p.category]
        parts += [p.category.replace("_", " "), _norm(cat.name_zh), cat.name_en.lower()]
    return " ".join(parts)


def search(policy: Policy, query: str, limit: int = 13) -> list[Product]:
    """Products whose SKU or name contains the query (or every query word); fuzzy as a fallback."""
    q = _norm(query)
    if not q:
        return list(policy.products)[:limit]
    exact = [p for p in policy.products if p.sku.lower() == q]
    if exact:
        return exact
    hits = [p for p in policy.products if q in _haystack(p, policy)]  # SKU, names or category ("baby care", "防晒")
    if not hits:
        # every word must match; a word no product has at all ("有哪些", "please") is ignored
        stacks = [_haystack(p, policy) for p in policy.products]
        words = [w for w in q.split() if any(w in h for h in stacks)]
        hits = [p for p, h in zip(policy.products, stacks) if words and all(w in h for w in words)]
    return hits[:limit]


def close_matches(policy: Policy, query: str, n: int = 3) -> list[Product]:
    q = _norm(query)
    names = {}
    for p in policy.products:
        for label in (p.sku.lower(), _norm(p.name_zh), p.name_en.lower()):
            names[label] = p
    picked: list[Product] = []
    for label in difflib.get_close_matches(q, list(names), n=n * 2, cutoff=0.3):
        if names[label] not in picked:
            picked.append(names[label])
    if len(picked) < n:  # character overlap catches short Chinese queries difflib misses
        scored = sorted(policy.products, key=lambda p: -len(set(q) & set(_haystack(p))))
        picked += [p for p in scored if p not in picked and set(q) & set(_haystack(p))]
    return picked[:n]


def resolve(policy: Policy, query: str) -> Product:
    """Exactly one product for ``query`` or an InvalidInput listing candidates."""
    hits = search(policy, query)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        listing = ", ".join(f"{p.sku} {p.name_zh}" for p in hits[:5])
        raise InvalidInput(f"product {query!r} is ambiguous; did you mean one of: {listing}")
    near = close_matches(policy, query)
    hint = f"; close matches: {', '.join(f'{p.sku} {p.name_zh} ({p.name_en})' for p in near)}" if near else ""
    raise InvalidInput(f"unknown product {query!r}{hint}")


def product_dict(policy: Policy, p: Product) -> dict:
    rate, source = policy.product_rate(p.sku)
    cat = policy.categories[p.category]
    return {
        "sku": p.sku, "name_zh": p.name_zh, "name_zh_tw": p.name_zh_tw, "name_en": p.name_en,
        "category": p.category, "category_zh": cat.name_zh, "category_en": cat.name_en,
        "price_cents": p.price_cents, "base_rate": str(rate), "rate_source": source, "note": p.note,
    }
