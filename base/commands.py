"""The seam between the ``koc`` root command (in ``ui``) and the command groups of each package.

Each package with commands has a ``cli`` module defining ``register_commands(root)``; the root
calls it with a ``CommandRoot`` (as simonw/llm's ``register_commands`` plugin hook does), so no
package below ``ui`` ever imports the root, and a third-party plugin registers the same way
through the ``koc_copilot.plugins`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import typer


class CopilotBuilder(Protocol):
    """The composition root's factory (``ui.compose.build_copilot``): commands that answer questions
    get their Copilot from it instead of wiring one themselves."""

    def __call__(self, settings: Any = None, **parts: Any) -> Any: ...


@dataclass(frozen=True)
class CommandRoot:
    """What a package may add commands to, and the factories it may use."""

    app: typer.Typer
    bench: typer.Typer
    build_copilot: CopilotBuilder
    setup_demo: Callable[[], None]
    #: the programme's tier keys (None when the policy cannot be read): audiences naming a tier are
    #: checked against them, so a typo is refused instead of becoming a tier nobody holds
    tier_keys: Callable[[], tuple[str, ...] | None] = lambda: None


RegisterCommands = Callable[[CommandRoot], None]
