"""Script normalisation and language detection for Chinese/English text.

Retrieval must treat 繁體 and 简体 alike, so everything that is indexed or queried
lexically goes through :func:`to_simplified`. Language detection is deliberately
simple and explainable: the share of CJK characters decides zh vs en, and an OpenCC
round trip (how many characters change under t2s) decides Traditional vs Simplified.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified (characters and common phrases); other text passes through."""
    return _t2s().convert(text) if _CJK.search(text) else text


def normalize(text: str) -> str:
    """NFKC (full-width → half-width letters/digits), whitespace collapsed, stripped."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


def detect_language(text: str) -> str:
    """Return ``zh-CN``, ``zh-TW`` or ``en`` (the only three the product serves)."""
    sample = text[:5000]
    cjk = _CJK.findall(sample)
    latin = len(_LATIN.findall(sample))
    if not cjk or len(cjk) * 3 < latin * 0.5:
        # a Chinese word costs ~1 char, an English word ~5 letters; weigh them comparably
        return "en"
    joined = "".join(cjk)
    simplified = to_simplified(joined)
    changed = sum(1 for a, b in zip(joined, simplified) if a != b)
    return "zh-TW" if changed / len(joined) >= 0.03 or changed >= 3 and changed / len(joined) > 0.01 else "zh-CN"
