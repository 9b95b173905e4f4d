"""The brief as typed data: what HQ asks for (``BriefRequest``) and what it gets (``Brief``).

The JSON of ``koc brief --format json`` is ``Brief.model_dump(mode="json")``; the Markdown and
DOCX renderings and the saved history are made from the same object, so they never disagree.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.compliance.report import ComplianceReport

Platform = Literal["xiaohongshu", "douyin", "wechat"]
PostFormat = Literal["图文", "短视频", "群发"]
PLATFORM_NAMES: dict[str, str] = {"xiaohongshu": "小红书", "douyin": "抖音", "wechat": "微信群 / 朋友圈"}
PLATFORM_NAMES_EN: dict[str, str] = {"xiaohongshu": "Xiaohongshu", "douyin": "Douyin", "wechat": "WeChat"}
#: one angle per topic and this many angles exist (``patterns.PATTERNS``)
MAX_TOPICS = 12
_NAME_SEPARATORS = re.compile(r"[,，、;；\n]+")


class BriefRequestError(ValueError):
    """A request as typed (command line, studio form) that is not a valid brief request; the message
    names each field that is wrong."""


def split_names(products: str | Sequence[str] | None) -> list[str]:
    """Products as typed ("A, B，C、D") or picked from a list (whose items may hold several too)."""
    items = [products] if isinstance(products, str) else list(products or [])
    return [name for item in items for name in _NAME_SEPARATORS.split(str(item))]


def _day(text: str | date | None, which: str) -> date | None:
    if text is None or isinstance(text, date):
        return text
    text = str(text).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BriefRequestError(f"{which} date {text!r} is not a date written YYYY-MM-DD") from None


class BriefRequest(BaseModel):
    """What HQ asks for."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    campaign: str = Field(min_length=1, max_length=200, description="Campaign name (and theme).")
    theme: str = Field("", max_length=500)
    products: list[str] = Field(default_factory=list, description="Product names or codes.")
    audience: str = Field(min_length=1, max_length=100, description="Target KOC group, e.g. 宝妈.")
    platform: Platform
    topics: int = Field(ge=1, le=MAX_TOPICS)
    start: date | None = None
    end: date | None = None
    tone: str = Field("", max_length=100)
    language: Literal["zh-CN", "zh-TW"] = "zh-CN"
    target_near_promotion: bool = False

    @classmethod
    def from_form(cls, *, products: str | Sequence[str] | None = None, start: str | date | None = None,
                  end: str | date | None = None, **fields: Any) -> "BriefRequest":
        """A request from what a person typed (``koc brief`` options, the HQ studio's form): products
        separated by commas or picked, dates as YYYY-MM-DD (empty = none). Raises
        ``BriefRequestError`` with one short line per wrong field, not pydantic's report."""
        start_day, end_day = _day(start, "start"), _day(end, "end")
        try:
            return cls(products=split_names(products), start=start_day, end=end_day, **fields)
        except ValidationError as exc:
            wrong = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in exc.errors())
            raise BriefRequestError(wrong) from None

    @field_validator("products")
    @classmethod
    def _clean_products(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(p.strip() for p in value if p.strip()))

    @model_validator(mode="after")
    def _dates(self) -> "BriefRequest":
        if self.start and self.end and self.end < self.start:
            raise ValueError("end date is before start date")
        return self


class Citation(BaseModel):
    """A handbook chunk a statement rests on; ``text`` is the quoted span from it."""

    chunk_id: str
    source: str
    text: str


class Fact(BaseModel):
    """One handbook sentence, quoted, with where it comes from."""

    id: int
    text: str
    citation: Citation


class KeyMessage(BaseModel):
    text: str
    citations: list[Citation]


class Topic(BaseModel):
    title: str
    angle: str
    hook: str
    format: PostFormat
    outline: list[str]
    hashtags: list[str]
    products: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class ScheduleSlot(BaseModel):
    date: date
    topic: int = Field(description="1-based topic number.")
    title: str


class TargetKoc(BaseModel):
    """A KOC close to promotion (from the commission & tier service), for HQ to hand the brief to."""

    koc_id: int
    name: str = ""
    tier: str = ""
    next_tier: str = ""
    gap_text: str = ""


class Brief(BaseModel):
    id: str
    created_at: str
    request: BriefRequest
    provider: str = "offline"
    fell_back: bool = False
    summary: str
    key_messages: list[KeyMessage]
    topics: list[Topic]
    dos: list[KeyMessage] = Field(default_factory=list)
    donts: list[KeyMessage] = Field(default_factory=list)
    schedule: list[ScheduleSlot] = Field(default_factory=list)
    compliance: ComplianceReport = Field(default_factory=ComplianceReport)
    target_kocs: list[TargetKoc] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def content(self) -> dict:
        """Everything but the identity and time stamp: two briefs of one request compare equal on it."""
        return self.model_dump(mode="json", exclude={"id", "created_at"})
