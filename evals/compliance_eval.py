"""``koc bench compliance``: precision and recall of the compliance checker on labelled sentences.

A set (``evals/compliance/*.jsonl``) is a header line and one sentence per line, labelled
``violation`` true/false, with the banned ``terms`` a reviewer marked. A sentence the checker
flags counts as predicted positive; precision and recall are over sentences, per language too.
``term_hit`` is the share of marked terms that lie inside a flagged span (the checker found the
right words, not merely something). Only the rulebook is applied (no brand's handbook), so the
numbers describe the shared rules. ``compliance_dev.jsonl`` is the set the rules were tuned on;
``compliance.jsonl`` is reported and never tuned on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.compliance.checker import TermMatcher, comparable
from assistant.compliance.rulebook import DEFAULT_RULES, RulebookError, load_rulebook
from base.commands import CommandRoot

SETS_DIR = Path(__file__).resolve().parent / "compliance"
DEFAULT_SET = SETS_DIR / "compliance.jsonl"


class LabelledSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    lang: Literal["zh-CN", "zh-TW", "en"]
    text: str = Field(min_length=1)
    violation: bool
    terms: list[str] = Field(default_factory=list)
    notes: str = ""


class LabelledSetError(ValueError):
    """A set file that does not load; the message names the file and line."""


def load_labelled(path: Path) -> list[LabelledSentence]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledSetError(f"{path}: cannot read ({exc})") from exc
    out: list[LabelledSentence] = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            out.append(LabelledSentence.model_validate_json(line))
        except ValidationError as exc:
            raise LabelledSetError(f"{path}:{n}: {exc.errors()[0]['msg']}") from exc
    if not out:
        raise LabelledSetError(f"{path}: no sentences")
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, flagged: bool) -> None:
        if truth and flagged:
            self.tp += 1
        elif truth:
            self.fn += 1
        elif flagged:
            self.fp += 1
        else:
            self.tn += 1

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {"precision": p, "recall": r, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


@dataclass
class ComplianceScore:
    overall: Counts = field(default_factory=Counts)
    by_lang: dict[str, Counts] = field(default_factory=dict)
    terms_marked: int = 0
    terms_hit: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**self.overall.as_dict(), "sentences": sum(vars(self.overall).values()),
                "term_hit": self.terms_hit / self.terms_marked if self.terms_marked else None,
                "by_lang": {k: v.as_dict() for k, v in sorted(self.by_lang.items())}, "errors": self.errors}


def score_sentences(sentences: list[LabelledSentence], matcher: TermMatcher) -> ComplianceScore:
    score = ComplianceScore()
    for s in sentences:
        found = matcher.find(s.text)
        flagged = bool(found)
        score.overall.add(s.violation, flagged)
        score.by_lang.setdefault(s.lang, Counts()).add(s.violation, flagged)
        for term in s.terms:
            score.terms_marked += 1
            at = comparable(s.text).find(comparable(term))
            score.terms_hit += any(v.start <= at < v.end for v in found) if at >= 0 else 0
        if flagged != s.violation:
            score.errors.append({"id": s.id, "text": s.text, "expected": s.violation,
                                 "flagged": [v.term for v in found]})
    return score


def bench_compliance(
    sets: Optional[list[Path]] = typer.Argument(None, help="Labelled sets (default: the report set evals/compliance/compliance.jsonl).",
                                                exists=True, dir_okay=False),
    rules: Path = typer.Option(DEFAULT_RULES, "--rules", exists=True, dir_okay=False, help="Compliance rules YAML."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per set."),
) -> None:
    """Precision and recall of the compliance checker on labelled sentences (violations and look-alikes)."""
    try:
        matcher = TermMatcher(load_rulebook(rules))
        for path in sets or [DEFAULT_SET]:
            result = {"set": path.name, **score_sentences(load_labelled(path), matcher).as_dict()}
            if as_json:
                typer.echo(json.dumps(result, ensure_ascii=False))
                continue
            fmt = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
            typer.echo(f"{path.name}: {result['sentences']} sentences · precision {fmt(result['precision'])} "
                       f"· recall {fmt(result['recall'])} · term hit {fmt(result['term_hit'])} "
                       f"(tp {result['tp']} fp {result['fp']} fn {result['fn']} tn {result['tn']})")
            for lang, c in result["by_lang"].items():
                typer.echo(f"  {lang}: precision {fmt(c['precision'])} recall {fmt(c['recall'])}")
            for e in result["errors"]:
                kind = "missed" if e["expected"] else f"false alarm {e['flagged']}"
                typer.echo(f"  {kind}: {e['id']} {e['text']}")
    except (RulebookError, LabelledSetError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def register_commands(root: CommandRoot) -> None:
    """``koc bench compliance``."""
    root.bench.command("compliance")(bench_compliance)
