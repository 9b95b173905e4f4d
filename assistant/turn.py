"""One conversation turn: what it knows before answering and what its answer accumulates.

``Copilot.stream`` builds a ``TurnContext`` once per question and hands it to the answer strategy
the route calls for (``answer_fixed``, ``answer_tool``, ``answer_rules``); the strategy yields the
text deltas and fills ``TurnContext.state``, from which ``Copilot`` builds and stores the
``AnswerResult``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.messages import BaseMessage

from assistant.router import Route
from assistant.types import Citation, ToolCallRecord
from knowledge.profile import KbProfile
from tools.identity import Identity


@dataclass
class AnswerState:
    """What one answer accumulates while it is produced."""

    answer: str = ""
    refused: bool = False
    citations: list[Citation] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    fell_back: bool = False
    notice: str = ""
    used_model: bool = False
    service_unreachable: bool = False  # a look-up could not reach the commission service at all
    timings: dict[str, float] = field(default_factory=dict)  # see ``agent.stream_guarded``


@dataclass
class TurnContext:
    """Everything an answer strategy needs about the question in hand.

    ``recent`` is the stored conversation window as (role, text) pairs and ``history`` the same as
    chat messages for the model; ``summary`` condenses what lies before the window. ``secrets`` are
    the strings (the asker's token, the HQ token) that must never appear in an answer.
    """

    question: str
    identity: Identity | None
    route: Route
    language: str
    history: list[BaseMessage] = field(default_factory=list)
    summary: str = ""
    recent: list[tuple[str, str]] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    profile: KbProfile = field(default_factory=KbProfile)  # the brand the replies name
    #: names the knowledge base knows, read once a turn (only after an earlier question): a question
    #: that is only one of them is a follow-up, for the route and for the search alike
    names: list[str] = field(default_factory=list)
    #: for a follow-up, the earlier question it continues (``follow_up.conversation_root``); "" otherwise
    root: str = ""
    state: AnswerState = field(default_factory=AnswerState)

    @property
    def role(self) -> str:
        """"koc", "hq", or "anonymous" when nobody is signed in."""
        return self.identity.role if self.identity is not None else "anonymous"

    @property
    def koc_id(self) -> int | None:
        """The asker's own KOC id (None for HQ and anonymous askers)."""
        return self.identity.koc_id if self.identity is not None else None
