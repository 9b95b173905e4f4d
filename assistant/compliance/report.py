"""What a compliance check returns: each problem with its span, the rule, severity and a fix.

``Violation`` is the element of the ``violations`` list that ``koc check-post --json`` prints and
that every brief carries; ``start``/``end`` index the checked text (Python string offsets).
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Violation(BaseModel):
    """One problem in a text."""

    start: int = Field(description="Offset of the first character of the problem in the checked text.")
    end: int = Field(description="Offset just past it (start == end: something is missing, e.g. the disclosure tag).")
    term: str = Field(description="The offending words as written (empty when something is missing).")
    rule: str = Field(description="The rule broken, in words, with the law or handbook it rests on.")
    suggestion: str = Field(description="How to fix it.")
    rule_id: str = ""
    category: str = ""
    severity: str = "high"
    source: str = Field("", description="The law, platform page or knowledge-base file the rule comes from.")
    where: str = Field("", description="Which part of a brief the text was (e.g. topics[2].title); empty for a post.")
    replace: str | None = Field(None, exclude=True, description="What a rewrite puts in its place (None: leave it to a person).")


class ComplianceReport(BaseModel):
    """The result of checking a post or a brief."""

    violations: list[Violation] = Field(default_factory=list)
    checked_texts: int = 0
    rewrite: str = Field("", description="The post with every replaceable term replaced (posts only).")
    brand_terms: int = Field(0, description="Banned words read from the brand's handbooks and applied.")

    @property
    def passed(self) -> bool:
        return not self.violations
