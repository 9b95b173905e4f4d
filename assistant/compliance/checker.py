"""Context-aware matching of banned expressions: "最好用" is a claim, "最好先试用" is advice,
"第一次用" is an ordinal, "100%有效" a guarantee and "百分百真实的体验" a sincerity phrase.

A term is a violation unless an allow pattern of the rulebook covers its span or the words just
before it turn it into a prohibition or a disclaimer ("不能写‘最好’", "并不能治疗"). Traditional
Chinese is compared after character-by-character conversion, so spans index the original text.
Brand terms (``kb_rules``) join as one more rule and obey the same exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.compliance.report import Violation
from assistant.compliance.rulebook import Rule, Rulebook, Term
from base.language import to_simplified

#: how many characters before a term are read for a negation ("不能宣传成“…”")
NEGATION_WINDOW = 12


@dataclass(frozen=True)
class BrandTerm:
    """A banned word the brand's own handbook lists, and the file that lists it."""

    word: str
    source: str


def comparable(text: str) -> str:
    """``text`` in simplified script with the same length (spans stay valid), lower-cased Latin."""
    simple = to_simplified(text)
    if len(simple) != len(text):  # a phrase conversion changed the length: convert one character at a time
        simple = "".join(c2 if len(c2 := to_simplified(c)) == 1 else c for c in text)
    return simple


def brand_rule(terms: Sequence[BrandTerm]) -> Rule | None:
    """The brand's banned words as a rule (None when the handbooks list none)."""
    if not terms:
        return None
    words = sorted({t.word: t for t in terms}.values(), key=lambda t: -len(t.word))
    return Rule(id="brand-banned-terms", name="品牌内容规范禁用词", category="brand", severity="high",
                source="knowledge-base", suggestion="品牌内容规范禁止这个说法，删掉或改写成真实的使用感受。",
                terms=[Term(term=re.escape(comparable(t.word)), replace="", source=t.source,
                            suggestion="品牌内容规范禁止这个说法，删掉或改写成真实的使用感受。") for t in words])


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    term: Term
    regex: re.Pattern[str]


class TermMatcher:
    """All the rulebook's terms (and the brand's), compiled once; ``find`` lists violations in a text."""

    def __init__(self, book: Rulebook, brand_terms: Sequence[BrandTerm] = ()) -> None:
        self.book = book
        rules = list(book.rules)
        extra = brand_rule(brand_terms)
        if extra is not None:
            rules.append(extra)
        self.rules = rules
        self.brand_terms = len(extra.terms) if extra else 0
        self._terms = [_Compiled(r, t, re.compile(t.pattern, re.IGNORECASE)) for r in rules for t in r.terms]
        self._allow = [re.compile(p, re.IGNORECASE) for p in book.allow]
        self._negation = re.compile(book.negations, re.IGNORECASE) if book.negations else None

    def _allowed_spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for rx in self._allow for m in rx.finditer(text) if m.end() > m.start()]

    def _negated(self, text: str, start: int) -> bool:
        if self._negation is None:
            return False
        window = text[max(0, start - NEGATION_WINDOW):start]
        window = re.split(r"[。！？!?；;\n]", window)[-1]  # a negation never reaches across a sentence
        return self._negation.search(window) is not None

    def _cited(self, rule: Rule, term: Term) -> str:
        """The rule's source as a short reference: the law and article, or the handbook file."""
        return term.source or self.book.sources.get(rule.source, rule.source).split("：")[0]

    def _source(self, rule: Rule, term: Term) -> str:
        if term.source:
            return f"{term.source}（品牌知识库）"
        return self.book.sources.get(rule.source, rule.source)

    def find(self, text: str, where: str = "") -> list[Violation]:
        """Every violation in ``text``, in order; overlapping matches keep the longest (then the earliest rule)."""
        if not text:
            return []
        simple = comparable(text)
        allowed = self._allowed_spans(simple)
        found: list[tuple[int, int, int, _Compiled]] = []
        for order, c in enumerate(self._terms):
            for m in c.regex.finditer(simple):
                start, end = m.span()
                if end <= start or any(a <= start and end <= b for a, b in allowed) or self._negated(simple, start):
                    continue
                found.append((start, end, order, c))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
        kept: list[list] = []
        for start, end, order, c in found:
            clash = [k for k in kept if not (end <= k[0] or start >= k[1])]
            if not clash:
                kept.append([start, end, order, c])
            elif len(clash) == 1 and clash[0][3].rule.id == c.rule.id:  # "根治" + "治湿疹": one claim, "根治湿疹"
                clash[0][0], clash[0][1] = min(clash[0][0], start), max(clash[0][1], end)
        kept.sort(key=lambda k: k[0])
        return [Violation(start=s, end=e, term=text[s:e], rule=f"{c.rule.name}（{self._cited(c.rule, c.term)}）",
                          suggestion=c.term.suggestion or c.rule.suggestion, rule_id=c.rule.id,
                          category=c.rule.category, severity=c.rule.severity, source=self._source(c.rule, c.term),
                          where=where, replace=c.term.replace)
                for s, e, _, c in kept]

    def rewrite(self, text: str, violations: Sequence[Violation]) -> str:
        """``text`` with every replaceable violation replaced, right to left so offsets stay valid;
        punctuation a deletion leaves doubled is collapsed."""
        out = text
        for v in sorted((v for v in violations if v.end > v.start), key=lambda v: -v.start):
            if v.replace is not None:
                out = out[:v.start] + v.replace + out[v.end:]
        return re.sub(r"([，,、；;])\s*(?:[，,、；;]\s*)+", r"\1", out).strip()
