"""Fixed answers: refusals, small talk and notices, in the asker's language (``messages``).

The router's security and small-talk intents are answered here directly; the tool and rules
strategies end here too when they cannot answer (nobody signed in, an HQ-only tool, a question
the handbooks don't cover).
"""

from __future__ import annotations

from typing import Iterator

from assistant.messages import message
from assistant.turn import TurnContext

#: intents answered by a fixed reply alone, and whether that reply is a refusal
FIXED_INTENTS: dict[str, bool] = {"secret": True, "internal": True, "cross_koc": True, "smalltalk": False}


def answer_fixed(ctx: TurnContext, key: str, *, refused: bool) -> Iterator[str]:
    """Answer with the fixed message ``key`` (a ``messages`` key), in one delta."""
    ctx.state.answer, ctx.state.refused = message(key, ctx.language, ctx.profile), refused
    yield ctx.state.answer
