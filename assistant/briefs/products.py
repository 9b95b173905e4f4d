"""Which products a brief is about: each name or code must be real, known to the catalogue (the
programme policy) or named in the brand's handbooks, never invented.

The catalogue gives the canonical name; a knowledge base of another brand than the policy's still
works, because a product its handbooks name is accepted as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from base.language import to_simplified
from tools.catalog import ProductRef, mentioned_product


class UnknownProduct(ValueError):
    """A product neither the catalogue nor the handbooks know."""


@dataclass(frozen=True)
class BriefProduct:
    """A product as the brief writes it: its full name, a short name for titles, and its code."""

    name: str
    short: str
    code: str = ""


_SIZE = re.compile(r"\s*(SPF\d+\+?|PA\++|\d+(\.\d+)?\s*(ml|g|kg|l)\b|[(（].*?[)）]).*$", re.I)


def short_name(name: str) -> str:
    """A name without size or strength ("晴空轻透防晒乳 SPF50+ 50ml" → "晴空轻透防晒乳")."""
    return _SIZE.sub("", name).strip() or name.strip()


def _in_handbooks(name: str, corpus: str) -> bool:
    return bool(name) and to_simplified(name).lower() in corpus


def _names(ref: ProductRef, raw: str) -> bool:
    """``raw`` is the product's code or (part of) one of its names, not merely similar to it."""
    q = to_simplified(raw).lower().strip()
    names = [ref.sku.lower(), to_simplified(short_name(ref.name_zh)).lower(), short_name(ref.name_en).lower(),
             *(a.lower() for a in ref.aliases if len(a) >= 4)]
    return any(q == n or (len(q) >= 4 and q in n) or (len(n) >= 4 and n in q) for n in names if n)


def resolve_products(names: Sequence[str], catalog: Sequence[ProductRef], corpus: str) -> list[BriefProduct]:
    """Every name resolved; ``UnknownProduct`` naming the first one that is neither in the catalogue
    (with the handbooks mentioning it) nor in the handbooks. ``corpus`` is the handbooks' text, simplified
    and lower-cased."""
    out: list[BriefProduct] = []
    for raw in names:
        ref = mentioned_product(raw, tuple(catalog)) if catalog else None
        if ref is not None and not _names(ref, raw):
            ref = None  # "月球牌量子面霜" shares a tail with a real product, but is not it
        if ref is not None and (_in_handbooks(ref.sku, corpus) or _in_handbooks(short_name(ref.name_zh), corpus)):
            out.append(BriefProduct(name=ref.name_zh, short=short_name(ref.name_zh), code=ref.sku))
        elif _in_handbooks(raw, corpus) or _in_handbooks(short_name(raw), corpus):
            out.append(BriefProduct(name=raw.strip(), short=short_name(raw)))
        else:
            raise UnknownProduct(f"unknown product {raw!r}: neither the product catalogue nor the handbooks name it")
    return list({p.name: p for p in out}.values())
