"""Fake chat models: the LLM is the one component the tests replace.

``FunctionChatModel`` computes each reply from the messages it is sent (as pydantic-ai's
FunctionModel does), so a test states what the model does with its prompt ("echo the evidence
sentence", "call the tool the question names") and does not break when the core makes one call
more or fewer. ``ScriptedChatModel`` replays a list of replies, for the cases that are about order
(a failure in the middle of a stream, a second call that must not happen).

Each call (``invoke`` or ``stream``) of a ``ScriptedChatModel`` consumes the next scripted reply:
a string, an ``AIMessage`` (e.g. with ``tool_calls``), an exception to raise, or (for ``stream``)
a ``(text, exception)`` pair that streams the text and then fails. ``bind_tools`` records the
tools it was given and returns the same model, as a real tool-calling model would behave.
``last_user_text``, ``evidence_number`` and ``is_tool_choice`` read a prompt for the functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class _FakeChatModel(BaseChatModel):
    """What both fakes share: the calls they received, the tools bound to them, and streaming a
    reply in small chunks (optionally failing after it)."""

    calls: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)

    @staticmethod
    def _chunks(text: str, error: BaseException | None) -> Iterator[ChatGenerationChunk]:
        for i in range(0, len(text), 4):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[i:i + 4]))
        if error is not None:
            raise error

    def bind_tools(self, tools: Any, **kwargs: Any) -> "_FakeChatModel":
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self


class ScriptedChatModel(_FakeChatModel):
    replies: list[Any]

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(list(messages))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, BaseException):
            raise reply
        return reply if isinstance(reply, AIMessage) else AIMessage(content=str(reply))

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        reply = self.replies[0] if self.replies else None
        if isinstance(reply, tuple):  # (text, exception): stream the text, then fail mid-answer
            self.calls.append(list(messages))
            if len(self.replies) > 1:
                self.replies.pop(0)
            text, error = reply
        else:
            text, error = str(self._next(messages).content), None
        yield from self._chunks(text, error)


def tool_call(name: str, **args: Any) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{name}"}])


Reply = str | AIMessage | tuple[str, BaseException]
ReplyFunction = Callable[[list[BaseMessage], list[str]], Reply]


class FunctionChatModel(_FakeChatModel):
    """Each reply is ``fn(messages, bound_tool_names)``: a string, an ``AIMessage`` with tool calls,
    or (for ``stream``) a ``(text, exception)`` pair that streams the text and then fails. ``fn``
    raising is the model failing before it says anything."""

    fn: ReplyFunction

    @property
    def _llm_type(self) -> str:
        return "function"

    def _reply(self, messages: list[BaseMessage]) -> Reply:
        self.calls.append(list(messages))
        return self.fn(list(messages), list(self.bound_tools))

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        reply = self._reply(messages)
        if isinstance(reply, tuple):
            raise reply[1]
        message = reply if isinstance(reply, AIMessage) else AIMessage(content=str(reply))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        text, error = reply if isinstance(reply, tuple) else (str(getattr(reply, "content", reply)), None)
        yield from self._chunks(text, error)


def last_user_text(messages: list[BaseMessage]) -> str:
    """The text of the last human message (where the core puts the evidence and the question)."""
    return next((str(m.content) for m in reversed(messages) if m.type == "human"), "")


def evidence_lines(prompt: str) -> dict[int, str]:
    """The numbered evidence of a rules prompt (``[n] (heading) text`` lines): text by ``n``."""
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] (?:\(.*?\) )?(.*)$", prompt, flags=re.M)}


def evidence_number(messages: list[BaseMessage], needle: str) -> int:
    """The ``[n]`` the prompt gives the evidence containing ``needle``; 0 (a marker no evidence
    has, which the guard drops) when no evidence contains it."""
    return next((n for n, text in evidence_lines(last_user_text(messages)).items() if needle in text), 0)


def is_tool_choice(messages: list[BaseMessage]) -> bool:
    """Whether the messages ask the model to choose a tool (``prompts.tool_messages``)."""
    return last_user_text(messages).startswith("Call the one tool")
