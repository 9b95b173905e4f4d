"""The brief as typed data: what HQ asks for (``BriefRequest``) and what it gets (``Brief``).

The JSON of ``koc brief --format json`` is ``Brief.model_dump(mode="json")``; the Markdown and
DOCX renderings and the saved history are made from the same object, so they never disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.compliance.report import ComplianceReport

Platform = Literal["xiaohongshu", "douyin", "wechat"]
PostFormat = Literal["图文", "短视频", "群发"]
PLATFORM_NAMES: dict[str, str] = {"xiaohongshu": "小红书", "douyin": "抖音", "wechat": "微信群 / 朋友圈"}
#: one angle per topic and this many angles exist (``patterns.PATTERNS``)
MAX_TOPICS = 12


class BriefRequest(BaseModel):
    """What HQ asks for."""

    model_config = ConfigDict(extra="forbid")

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
