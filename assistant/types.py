"""Typed results of the conversation core, shared by the CLI, the HTTP API and the UI.

``AnswerResult.to_json_dict`` is the wire shape of ``koc ask --json`` (design.md): the six
contract keys come first, in order, and everything extra follows them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    """One ``[n]`` in an answer, mapped to the real chunk it came from."""

    n: int
    source: str
    chunk_id: str
    text: str


class ToolCallRecord(BaseModel):
    """A tool call the assistant actually executed (shown as the visible tool trace)."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    result: Any = None


class AnswerResult(BaseModel):
    """Everything one answer produced; the last item of ``Copilot.stream``."""

    question: str
    answer: str
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    latency_ms: int = 0
    provider: str = "offline"
    language: str = "zh-CN"
    session_id: str | None = None
    fell_back: bool = False
    # extras (after the contract keys): why the answer looks the way it does
    intent: str = ""
    message_id: int | None = None
    notice: str = ""
    #: where the time went (ms): model_first_token_ms (since the question arrived), model_ms, guard_ms
    timings: dict[str, int] = Field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        """The ``koc ask --json`` object: contract keys first, extras after."""
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.model_dump() for c in self.citations],
            "tool_calls": [t.model_dump(mode="json") for t in self.tool_calls],
            "latency_ms": self.latency_ms,
            "provider": self.provider,
            "language": self.language,
            "session_id": self.session_id,
            "fell_back": self.fell_back,
            "intent": self.intent,
            "message_id": self.message_id,
            "notice": self.notice,
            "timings": self.timings,
        }
