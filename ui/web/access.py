"""Who may call a handler: every event handler of the app starts here, so a hidden tab is never
the protection.

Gradio keeps ``gr.State`` on the server, per browser session; a call to the app's HTTP API cannot
set it, only the sign-in handler can. Each check still asks the commission & tier service again
(through the short-lived identity cache), so a revoked token stops working on the next click,
not at the next sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, date
from typing import Any

import gradio as gr

from assistant.copilot import Copilot
from base.commands import CopilotBuilder
from base.settings import Settings
from tools.client import ToolsClient
from tools.identity import Identity
from tools.policy import Tier
from ui.compose import readable_policy

Resolver = Callable[[str], Identity | None]

NOT_SIGNED_IN = "请先用令牌登录。 / Please sign in with your token first."
HQ_ONLY = "只有总部账号可以使用这里。 / Only an HQ sign-in can use this."
KOC_ONLY = "这是 KOC 本人使用的页面，请用 KOC 令牌登录。 / This page is a KOC's own: sign in with a KOC token."
CHECK_FAILED = "暂时无法验证登录（佣金与等级服务不可用），请稍后再试。 / Your sign-in cannot be checked right now (the commission & tier service is unavailable); please try again shortly."


@dataclass
class AppContext:
    """Everything the tabs use: the same parts the CLI and the HTTP API are built from."""

    settings: Settings
    copilot: Copilot
    resolve: Resolver
    build_copilot: CopilotBuilder

    def today(self) -> date:
        return datetime.now(UTC).date()

    def client(self, identity: Identity) -> ToolsClient:
        """A commission-service client carrying ``identity``'s own token (the service scopes every answer)."""
        return self.copilot.tools_client_factory(identity)

    def tiers(self) -> list[Tier]:
        """The policy's tiers, lowest first; none when the policy cannot be read (filters then offer less)."""
        policy = readable_policy(self.settings)
        return list(policy.tiers) if policy is not None else []

    def product_choices(self) -> list[tuple[str, str]]:
        """The policy's catalogue as (name · code, code), for pickers that also take a typed name."""
        return [(f"{p.name_zh} · {p.sku}", p.sku) for p in self.copilot.router.catalog]


def current(ctx: AppContext, identity: Any) -> Identity | None:
    """The session's identity if its token is still valid, else None."""
    if not isinstance(identity, Identity):
        return None
    try:
        fresh = ctx.resolve(identity.token)
    except ConnectionError as exc:
        raise gr.Error(CHECK_FAILED) from exc
    if fresh is None or fresh.role != identity.role or fresh.koc_id != identity.koc_id:
        return None
    return fresh


def require_hq(ctx: AppContext, identity: Any) -> Identity:
    """The HQ identity of this session, or a refusal shown to the caller (``gr.Error``)."""
    who = current(ctx, identity)
    if who is None:
        raise gr.Error(NOT_SIGNED_IN if identity is None else HQ_ONLY)
    if who.role != "hq":
        raise gr.Error(HQ_ONLY)
    return who


def require_koc(ctx: AppContext, identity: Any) -> Identity:
    """The KOC identity of this session (its own data only), or a refusal."""
    who = current(ctx, identity)
    if who is None:
        raise gr.Error(NOT_SIGNED_IN)
    if who.role != "koc":
        raise gr.Error(KOC_ONLY)
    return who
