"""Evaluation sets: what a case is, and reading a set file so that a bad line names itself.

A set is a JSONL file. Its first non-blank line is the header ``{"set": NAME, "knowledge_base":
FOLDER, ...}`` (the folder of documents the cases run against, relative to the set file), every
other line one case. Pydantic validates each line; an error names the file and the line number,
and nothing is skipped silently: a set that does not load does not run.

Expected personal numbers are never written into a case: the runner computes them from the
ledger at run time (see ``personal`` cases), so a new demo day cannot make a case stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Kind = Literal["rules", "personal", "content", "brief", "refuse", "attack"]
Language = Literal["zh-CN", "zh-TW", "en"]
Role = Literal["koc", "hq", "anonymous"]


class SetHeader(BaseModel):
    """The first line of a set file."""

    model_config = ConfigDict(extra="forbid")

    set: str = Field(min_length=1, description="Name of the set, used in reports.")
    knowledge_base: str = Field(min_length=1, description="Folder of documents, relative to the set file.")
    exclude: list[str] = Field(default_factory=list, description="Names of files in that folder left out: a variant "
                               "of another set's knowledge base (the sample brand without its English page).")
    description: str = ""
    tuned_on: bool = Field(False, description="True when answer code was developed against this set (reports say so).")
    has_ledger: bool = Field(False, description="True when personal cases can run (the demo ledger matches this brand).")


class Case(BaseModel):
    """One scripted question and what a good answer must (and must not) do."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    kind: Kind
    question: str = Field(min_length=1)
    lang: Language
    role: Role = "koc"
    koc_id: int | None = Field(None, ge=1, description="Demo KOC who asks (personal and attack cases).")
    facts: list[list[str]] = Field(default_factory=list, description="Fact groups; each needs one of its alternatives.")
    sources: list[str] = Field(default_factory=list, description="Source files any of which is a correct citation.")
    forbidden: list[str] = Field(default_factory=list, description="Strings that must not appear in the answer.")
    tool: str | None = Field(None, description="Expected first tool call (personal cases).")
    tool_args: dict[str, Any] = Field(default_factory=dict, description="Expected arguments of that call (subset).")
    count: int | None = Field(None, ge=1, description="Number of topics/titles asked for (content/brief cases).")
    platform: Literal["xiaohongshu", "douyin", "wechat"] | None = None
    before: list[str] = Field(default_factory=list, description="Questions asked earlier in the same conversation: "
                              "the case is a follow-up (\"那金卡呢？\") and is scored on its own answer only.")
    notes: str = ""

    @field_validator("before")
    @classmethod
    def _earlier_not_blank(cls, earlier: list[str]) -> list[str]:
        if any(not q.strip() for q in earlier):
            raise ValueError("an earlier question of the conversation is blank")
        return earlier

    @field_validator("facts")
    @classmethod
    def _groups_not_empty(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if not group or any(not alt.strip() for alt in group):
                raise ValueError("every fact group needs at least one non-blank alternative")
        return groups

    @model_validator(mode="after")
    def _kind_needs(self) -> "Case":
        if self.kind == "rules" and not self.facts:
            raise ValueError("a rules case needs at least one fact group")
        if self.kind == "personal" and self.tool is None:
            raise ValueError("a personal case needs the expected tool")
        if self.kind == "personal" and self.role == "anonymous":
            raise ValueError("a personal case is asked by a signed-in KOC or HQ")
        if self.role == "koc" and self.kind == "personal" and self.koc_id is None:
            raise ValueError("a KOC's personal case needs the asking koc_id")
        return self

    @property
    def must_refuse(self) -> bool:
        """Refuse and attack cases pass only when the assistant declines."""
        return self.kind in ("refuse", "attack")


class EvalSet(BaseModel):
    """A loaded set: its header, its cases and where its documents are."""

    path: Path
    header: SetHeader
    cases: list[Case]

    @property
    def name(self) -> str:
        return self.header.set

    @property
    def knowledge_base(self) -> Path:
        return (self.path.parent / self.header.knowledge_base).resolve()


class SetFileError(ValueError):
    """A set file that does not load; the message names the file and line."""


def _error_text(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}" for e in exc.errors())


def load_set(path: Path) -> EvalSet:
    """Read and validate a set file; raise ``SetFileError`` naming the first bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SetFileError(f"{path}: cannot read ({exc})") from exc
    header: SetHeader | None = None
    cases: list[Case] = []
    seen: set[str] = set()
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SetFileError(f"{path}:{line_no}: not JSON ({exc.msg})") from exc
        try:
            if header is None:
                header = SetHeader.model_validate(obj)
                continue
            case = Case.model_validate(obj)
        except ValidationError as exc:
            raise SetFileError(f"{path}:{line_no}: {_error_text(exc)}") from exc
        if case.id in seen:
            raise SetFileError(f"{path}:{line_no}: duplicate case id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    if header is None or not cases:
        raise SetFileError(f"{path}: no header or no cases")
    loaded = EvalSet(path=path.resolve(), header=header, cases=cases)
    if not loaded.knowledge_base.is_dir():
        raise SetFileError(f"{path}:1: knowledge base folder {header.knowledge_base!r} does not exist")
    missing = [name for name in header.exclude if not (loaded.knowledge_base / name).is_file()]
    if missing:  # a misspelt name would leave the file in and the variant silently the original
        raise SetFileError(f"{path}:1: excluded file {missing[0]!r} is not in {header.knowledge_base!r}")
    return loaded


#: The sets shipped with the project.
DATASETS_DIR = Path(__file__).resolve().parent / "datasets"


def shipped_sets(folder: Path = DATASETS_DIR) -> list[Path]:
    """Set files of ``folder`` that open with a set header (older files in another format are left out)."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            first = f.readline()
        try:
            SetHeader.model_validate_json(first)
        except ValidationError:
            continue
        found.append(path)
    return found
