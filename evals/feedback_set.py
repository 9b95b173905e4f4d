"""Rated answers from the chat → an evaluation set that ``koc eval run`` reads.

A rating says whether an answer helped, not what the right answer is, so only what can be scored
without guessing becomes a case:

* an answer that called a tool → a ``personal`` case expecting the same tool (the runner computes
  the expected figures from the ledger, as for every personal case);
* a refusal rated up → a ``refuse`` case;
* an answer rated up → a ``rules`` case whose facts are the figures the answer gave (a number
  the asker accepted; without a figure there is nothing to check, and it goes to review);
* everything rated down → the review list, with the question, the answer and the comment, for
  someone to write the expected facts: a thumbs-down says the answer was wrong, not what is right.

The review list is written beside the set (``<set>.review.jsonl``); a reviewed item becomes a case
by adding ``facts`` and moving it into the set.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.store import RatedAnswer
from evals.cases import Case, SetHeader

#: A figure in an answer: digits with thousands separators or decimals, optionally a percent sign.
FIGURE_RE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.])\d+(?:\.\d+)?%?")
MAX_FACTS = 3
LANGUAGES = ("zh-CN", "zh-TW", "en")


@dataclass
class FeedbackExport:
    """An exported set: its JSONL text, how many cases, and what needs a reviewer."""

    set_text: str
    cases: int
    review: list[dict[str, Any]] = field(default_factory=list)

    @property
    def review_text(self) -> str:
        return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in self.review)


def figures(answer: str) -> list[str]:
    """Distinct figures of an answer, citation markers ([1]) left out."""
    text = re.sub(r"\[\d+\]", " ", answer)
    return list(dict.fromkeys(FIGURE_RE.findall(text)))[:MAX_FACTS]


def _alternatives(figure: str) -> list[str]:
    plain = figure.replace(",", "")
    return [figure] if plain == figure else [figure, plain]


def to_case(rated: RatedAnswer) -> tuple[Case | None, str]:
    """The case a rated answer becomes, or None and why it needs review."""
    lang = rated.language if rated.language in LANGUAGES else "zh-CN"
    base: dict[str, Any] = {"id": f"fb-{rated.feedback_id}", "question": rated.question, "lang": lang,
                            "notes": f"from feedback {'up' if rated.up else 'down'}: {rated.comment}".strip(": ")}
    if not rated.question:
        return None, "the question was not stored"
    role = rated.role if rated.role in ("koc", "hq") else "anonymous"
    if rated.tool_calls and role != "anonymous":
        first = rated.tool_calls[0]
        case = {**base, "kind": "personal", "role": role, "tool": first["name"],
                "koc_id": rated.koc_id if role == "koc" else None}
        return Case.model_validate(case), ""
    if not rated.up:
        return None, "rated down: write the expected facts"
    if rated.refused:
        return Case.model_validate({**base, "kind": "refuse", "role": role}), ""
    found = figures(rated.answer)
    if not found:
        return None, "rated up, but the answer has no figure to check: write the expected facts"
    sources = list(dict.fromkeys(c.get("source", "") for c in rated.citations if c.get("source")))
    return Case.model_validate({**base, "kind": "rules", "role": role, "facts": [_alternatives(f) for f in found],
                                "sources": sources}), ""


def export_feedback(rated: list[RatedAnswer], set_path: Path, knowledge_base: Path, name: str = "feedback") -> FeedbackExport:
    """The set text for ``set_path`` (its header names ``knowledge_base`` relative to it)."""
    cases, review = [], []
    for item in rated:
        case, why = to_case(item)
        if case is None:
            review.append({"feedback_id": item.feedback_id, "up": item.up, "question": item.question,
                           "answer": item.answer, "comment": item.comment, "language": item.language,
                           "sources": [c.get("source") for c in item.citations], "why": why})
        else:
            cases.append(case)
    relative = os.path.relpath(knowledge_base.resolve(), set_path.resolve().parent)
    header = SetHeader(set=name, knowledge_base=relative, tuned_on=False,
                       has_ledger=any(c.kind == "personal" for c in cases),
                       description="Drafted from rated chat answers; personal cases are scored on the demo ledger.")
    lines = [header.model_dump_json()] + [c.model_dump_json(exclude_defaults=True) for c in cases]
    return FeedbackExport(set_text="\n".join(lines) + "\n", cases=len(cases), review=review)


def write_export(export: FeedbackExport, set_path: Path) -> Path | None:
    """Write the set (and the review list beside it, when there is one); returns the review file."""
    set_path.parent.mkdir(parents=True, exist_ok=True)
    set_path.write_text(export.set_text, encoding="utf-8")
    if not export.review:
        return None
    review_path = set_path.with_suffix(".review.jsonl")
    review_path.write_text(export.review_text, encoding="utf-8")
    return review_path
