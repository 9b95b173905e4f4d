"""Handbooks defer to each other by title ("标准见《积分细则》"): which titles a passage refers
to, and which of a knowledge base's documents such a title names. An answer that stops at the
reference quotes a pointer, not the rule; the rule is in the document it names."""
from __future__ import annotations

import re
from collections.abc import Mapping

from base.language import to_simplified

#: a verb of referring, then a title in book-title marks: 见《…》, 详见《…》, 按《…》 (a rule applied from there)
_REFERENCE = re.compile(r"(?:详见|参见|参阅|参照|请见|见|按照|依照|依据|按)\s*《([^《》]{2,40})》")
#: what titles differ in without naming another document: blanks, punctuation, book-title marks
_NOISE = re.compile(r"[\s\W_]+")
#: share of a reference's character bigrams a title must hold when neither contains the other
#: (a title cited with its punctuation or a word changed: "导购 定义与分工指南" for "导购：定义与分工")
TITLE_BIGRAM_SHARE = 0.6


def cited_titles(text: str) -> list[str]:
    """The titles ``text`` refers the reader to, in order, without repeats."""
    return list(dict.fromkeys(match.group(1).strip() for match in _REFERENCE.finditer(text)))


def _normal(title: str) -> str:
    return _NOISE.sub("", to_simplified(title).lower())


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def matching_title(reference: str, titles: Mapping[str, str]) -> str | None:
    """The key of the title ``reference`` names: one that contains it whole (the brand's name
    often stands before a title and is left out when it is cited) or that it contains; else the
    title holding most of its character bigrams, when that is at least ``TITLE_BIGRAM_SHARE`` of
    them. None when no title is named, or two are named equally well (no guess between them)."""
    wanted = _normal(reference)
    if len(wanted) < 2:
        return None
    scored: dict[str, float] = {}
    for key, title in titles.items():
        have = _normal(title)
        if not have:
            continue
        if wanted in have or have in wanted:
            scored[key] = 1.0 + min(len(wanted), len(have)) / max(len(wanted), len(have))
        else:
            grams = _bigrams(wanted)
            share = len(grams & _bigrams(have)) / len(grams) if grams else 0.0
            if share >= TITLE_BIGRAM_SHARE:
                scored[key] = share
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]
