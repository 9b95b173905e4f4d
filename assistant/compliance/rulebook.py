"""The compliance rules as validated data, read from ``rules.yaml`` (or the file KOC_COMPLIANCE_RULES names).

Rules change with the law, the platforms and each brand's handbook, so they live in a data file HQ
can maintain; this module only checks that the file is sound (every rule names a known source,
every pattern compiles) and says which entry is broken when it is not.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_RULES = Path(__file__).resolve().parent / "rules.yaml"
Severity = Literal["high", "medium", "low"]


class RulebookError(ValueError):
    """The rules file is missing, unreadable or invalid; the message names the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Strict):
    """One banned expression: a regular expression (plain words are valid ones)."""

    term: str = Field(min_length=1)
    replace: str | None = Field(None, description="What a rewrite puts in its place; empty deletes it; None keeps it.")
    suggestion: str = ""
    followed_by: str = Field("", description="The term counts only when followed by this (a claim context, part of the span).")
    source: str = Field("", description="Where a brand term was read (a knowledge-base file); empty = the rule's source.")

    @property
    def pattern(self) -> str:
        return f"(?:{self.term})(?:{self.followed_by})" if self.followed_by else self.term


class Rule(_Strict):
    id: str
    name: str
    category: str
    severity: Severity
    source: str
    also_sources: list[str] = Field(default_factory=list)
    suggestion: str
    terms: list[Term]


class PlatformLimits(_Strict):
    """Hard limits of one platform's publish page (0 = the platform has no such field)."""

    name: str
    title_max: int = Field(ge=0)
    body_max: int = Field(ge=0)
    hashtags_max: int = Field(ge=0)
    source: str


class Rulebook(_Strict):
    version: int
    sources: dict[str, str]
    allow: list[str] = Field(default_factory=list)
    negations: str = ""
    rules: list[Rule]
    platforms: dict[str, PlatformLimits] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sound(self) -> "Rulebook":
        for rule in self.rules:
            for name in (rule.source, *rule.also_sources):
                if name not in self.sources:
                    raise ValueError(f"rule {rule.id}: unknown source {name!r}")
            for i, term in enumerate(rule.terms):
                _compiles(term.pattern, f"rules.{rule.id}.terms.{i}")
        for i, pattern in enumerate(self.allow):
            _compiles(pattern, f"allow.{i}")
        if self.negations:
            _compiles(self.negations, "negations")
        for key, limits in self.platforms.items():
            if limits.source not in self.sources:
                raise ValueError(f"platform {key}: unknown source {limits.source!r}")
        return self

    def platform(self, key: str) -> PlatformLimits:
        try:
            return self.platforms[key]
        except KeyError:
            raise KeyError(f"unknown platform {key!r}; known: {', '.join(self.platforms)}") from None


def _compiles(pattern: str, where: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{where}: not a valid pattern ({exc})") from exc


@lru_cache(maxsize=4)
def load_rulebook(path: Path = DEFAULT_RULES) -> Rulebook:
    """The rules of ``path`` (cached per file); ``RulebookError`` naming the broken entry otherwise."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulebookError(f"{path}: cannot read the compliance rules ({exc})") from exc
    try:
        return Rulebook.model_validate(data)
    except ValidationError as exc:
        raise RulebookError(f"{path}: " + "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}"
                                                     for e in exc.errors())) from exc
