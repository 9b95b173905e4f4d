"""Finding products: from a name typed into a search box, or from a product named inside a question.

One matcher for the whole project. The catalogue is the programme policy (the file the commission
service prices from), so a product HQ adds there is known everywhere without code changes, and
nothing here knows one brand's code format: a product code is recognised because the catalogue
has it, not because it has a particular shape.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Sequence, TypeVar

from base.language import to_simplified
from tools.errors import InvalidInput
from tools.policy import Policy, Product

_T = TypeVar("_T")


def _norm(text: str) -> str:
    text = to_simplified(text.strip().lower())
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
    """The policy's products whose code or names come closest to ``query`` (an unknown product's hint)."""
    return _closest(query, policy.products, n)


def near_products(query: str, refs: Sequence[ProductRef], n: int = 3) -> list[ProductRef]:
    """The same for the products a question can name (``ProductRef``s, as the assistant holds them)."""
    return _closest(query, refs, n)


def _closest(query: str, items: Sequence[_T], n: int) -> list[_T]:
    """Items (each with ``sku``, ``name_zh``, ``name_en``) by how close their code or a name is to ``query``:
    difflib's ratio first, then shared characters, which catch short Chinese queries difflib misses."""
    q = _norm(query)
    labels = {id(item): (item.sku.lower(), _norm(item.name_zh), item.name_en.lower()) for item in items}
    names = {label: item for item in items for label in labels[id(item)]}
    picked: list[_T] = []
    for label in difflib.get_close_matches(q, list(names), n=n * 2, cutoff=0.3):
        if names[label] not in picked:
            picked.append(names[label])
    if len(picked) < n:
        def shared(item: _T) -> int:
            return len(set(q) & set(" ".join(labels[id(item)])))
        picked += [item for item in sorted(items, key=lambda i: -shared(i)) if item not in picked and shared(item)]
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


# --- a product named inside a question ------------------------------------------------------

_SIZE_RE = re.compile(r"\s*(SPF\d+\+?|\bPA\++|\d+\s*(ml|g|kg|l)\b|\d+\s*[×x]\s*\d+\s*(ml|g)|[(（].*?[)）]).*$",
                      re.IGNORECASE)
#: Share of a name's character pairs a question must hold to name it without quoting it.
MENTION_MIN_OVERLAP = 0.34


@dataclass(frozen=True)
class ProductRef:
    """A product and the short names a person may call it by."""

    sku: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    #: the names of its category ("护肤", "skincare"): a sale of "护肤品" names a kind the catalogue sells
    category: tuple[str, ...] = ()


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", to_simplified(text.lower()))
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _words(text: str) -> set[str]:
    """The English words of a text, lower case, a plural's "s" dropped ("toners" is "toner")."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in re.findall(r"[a-z0-9]+", text.lower())}


def _core(name: str) -> str:
    """The name without its size or strength ("Daily Sunscreen SPF50+ 50ml" → "Daily Sunscreen")."""
    return _SIZE_RE.sub("", name).strip()


def product_core_name(name: str) -> str:
    """A product name as people say it, without size or strength (public form of ``_core``)."""
    return _core(name)


def product_refs(policy: Policy) -> tuple[ProductRef, ...]:
    """Every product with its aliases: code, names in three scripts, and a name tail no other product shares."""
    tails: dict[str, list[str]] = {}
    for p in policy.products:
        zh, en = _core(p.name_zh), _core(p.name_en).lower().split()
        for tail in {zh[-2:], zh[-3:], " ".join(en[-2:])}:
            tails.setdefault(tail, []).append(p.sku)
    refs = []
    for p in policy.products:
        aliases = {p.sku.lower(), _core(p.name_zh), _core(to_simplified(p.name_zh_tw)), _core(p.name_en).lower()}
        aliases |= {tail for tail, skus in tails.items() if skus == [p.sku] and len(tail) >= 2 and tail[0].isalnum()}
        cat = policy.categories[p.category]
        refs.append(ProductRef(sku=p.sku, name_zh=p.name_zh, name_en=p.name_en,
                               aliases=tuple(sorted(a for a in aliases if a)),
                               category=tuple(n for n in (_norm(cat.name_zh), cat.name_en.lower()) if n)))
    return tuple(refs)


def mentioned_product(text: str, refs: tuple[ProductRef, ...]) -> ProductRef | None:
    """The product a question names best, or None when no name overlaps enough to be sure."""
    lowered = text.lower()
    for ref in refs:  # a product code quoted anywhere settles it
        if re.search(rf"(?<![\w-]){re.escape(ref.sku.lower())}(?![\w-])", lowered):
            return ref
    simplified = to_simplified(lowered)
    query, words = _bigrams(text), _words(lowered)
    best, best_score, best_rank = None, 0.0, 0.0
    for ref in refs:
        score = 0.0
        matched: set[str] = set()  # the question's English words any name of this product has
        for alias in ref.aliases:
            if alias in simplified:
                score = max(score, 1.0 + len(alias) / 100)  # exact containment beats any fuzzy match
                continue
            # Chinese names are matched by character pairs; an English name by its words, since
            # letter pairs ("io", "on", "lo") are shared by any English sentence
            english = alias.isascii()
            grams = _words(alias) if english else _bigrams(alias)
            shared = grams & (words if english else query)
            if english:
                matched |= shared
            if grams and len(shared) >= (1 if english else 2):
                score = max(score, len(shared) / len(grams))
        # among fuzzy matches, the product more of whose words the question says wins ("kids sunscreen" is the
        # kids' one, though "sunscreen lotion" shares a larger part of its short name)
        rank = score + (0.1 * len(matched) if score < 1.0 else 0.0)
        if rank > best_rank:
            best, best_score, best_rank = ref, score, rank
    if best_score >= MENTION_MIN_OVERLAP:
        return best
    return _abbreviated(simplified, refs)


#: an abbreviation keeps a name's first character and at least this share of its characters, in order
ABBREVIATION_MIN_SHARE = 0.5
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def _abbreviated(text: str, refs: tuple[ProductRef, ...]) -> ProductRef | None:
    """The one product whose Chinese name the text abbreviates the way people do, dropping
    characters but keeping the first and the order ("雪梨洁面" for "雪梨温和洁面乳"); None when no
    name or more than one name fits."""
    names = [(ref, _core(to_simplified(ref.name_zh))) for ref in refs]
    found: dict[str, ProductRef] = {}
    for run in _CJK_RUN.findall(text):
        for ref, name in names:
            shortest = max(3, math.ceil(ABBREVIATION_MIN_SHARE * len(name)))
            for start in range(len(run) - 2):
                if run[start] != name[:1]:
                    continue
                # a piece longer than the name is never a subsequence of it
                for end in range(min(len(run), start + len(name)), start + shortest - 1, -1):
                    if _is_subsequence(run[start:end], name):
                        found[ref.sku] = ref
                        break
    return next(iter(found.values())) if len(found) == 1 else None
