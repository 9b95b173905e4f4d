"""A scripted chat model: the LLM is the one component the tests replace.

Each call (``invoke`` or ``stream``) consumes the next scripted reply: a string, an ``AIMessage``
(e.g. with ``tool_calls``), an exception to raise, or (for ``stream``) a ``(text, exception)``
pair that streams the text and then fails. ``bind_tools`` records the tools it was
given and returns the same model, as a real tool-calling model would behave.
"""

from __future__ import annotations

from typing import Any, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedChatModel(BaseChatModel):
    replies: list[Any]
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)

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
        for i in range(0, len(text), 4):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[i:i + 4]))
        if error is not None:
            raise error

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedChatModel":
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self


def tool_call(name: str, **args: Any) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{name}"}])
