"""LangChain tools the assistant may call, bound server-side to the signed-in identity.

The model never sees or passes a KOC id: KOC tools talk to ``/v1/kocs/me/...`` with the user's
own token, so even a prompt-injected model can only ever read the asker's data. HQ-only tools
are simply not in a KOC session's list. Every tool returns a JSON-serialisable dict; failures
come back as ``{"error": "..."}`` for the assistant to explain, never as an exception.
"""

from __future__ import annotations

import re
from typing import Annotated, Callable, Literal

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import AfterValidator, BaseModel, Field

from tools.client import ToolsClient, ToolServiceError
from tools.identity import Identity

TOOL_NAMES_KOC = ("get_my_earnings", "estimate_commission", "get_my_tier_progress", "get_my_competition_rank",
                  "get_my_trials", "search_products")
TOOL_NAMES_HQ = TOOL_NAMES_KOC + ("find_kocs_near_promotion", "find_top_performers", "find_kocs_at_risk", "koc_overview")

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _MONTH.match(value):
        raise ValueError("month must be YYYY-MM, e.g. 2026-05")
    return value


OptionalMonth = Annotated[str | None, AfterValidator(_month)]


class EarningsArgs(BaseModel):
    month: OptionalMonth = Field(None, description="Month as YYYY-MM; omit for the current month.")


class EstimateArgs(BaseModel):
    product: str = Field(description="Product code (SKU, as search_products lists it) or part of its name in Chinese or English.")
    quantity: int = Field(description="Number of units sold, at least 1.")
    tier: str | None = Field(None, max_length=40, description="A tier key, only when the question asks about a tier other "
                             "than the asker's own (\"what would a <tier> earn\"); omit for the asker's own rate.")
    kind: Literal["private", "external"] | None = Field(
        None, description="'external' only when the question asks about an external distributor's rate; omit otherwise.")


class NoArgs(BaseModel):
    pass


class RankArgs(BaseModel):
    month: OptionalMonth = Field(None, description="Competition month as YYYY-MM; omit for the current month.")


class SearchArgs(BaseModel):
    query: str = Field(description="SKU, product name (part), or category such as 防晒 / sun care.")


class NearPromotionArgs(BaseModel):
    limit: int = Field(10, ge=1, le=100, description="How many KOCs to list.")
    to_tier: str | None = Field(None, max_length=32, description="Only KOCs whose next tier is this tier key.")


class TopPerformersArgs(BaseModel):
    month: OptionalMonth = Field(None, description="Month as YYYY-MM; omit for the current month.")
    limit: int = Field(10, ge=1, le=100, description="How many KOCs to list.")


class AtRiskArgs(BaseModel):
    limit: int = Field(20, ge=1, le=200, description="How many KOCs to list.")


class OverviewArgs(BaseModel):
    koc_id: int = Field(ge=1, description="The KOC's numeric id.")


def _safe(call: Callable[[], dict]) -> dict:
    try:
        return call()
    except ToolServiceError as exc:  # "unavailable": the service is down, not refusing: the chat says so plainly
        return {"error": str(exc), **({"errors": exc.errors} if exc.errors else {}),
                **({"unavailable": True} if exc.unavailable else {}),
                **({"status": exc.status_code} if exc.status_code else {})}
    except Exception as exc:  # noqa: BLE001 - a tool must never crash the conversation
        return {"error": f"the commission tool failed unexpectedly ({type(exc).__name__})"}


def _tool(func: Callable, schema: type[BaseModel], description: str) -> BaseTool:
    return StructuredTool.from_function(func=func, name=func.__name__, description=description, args_schema=schema,
                                        handle_validation_error=lambda e: {"error": f"invalid arguments: {e}"})


def _self_service_tools(client: ToolsClient, identity: Identity) -> list[BaseTool]:
    """The tools every session has; they only ever ask about ``me`` (HQ estimates use the entry tier)."""

    def get_my_earnings(month: str | None = None) -> dict:
        return _safe(lambda: client.earnings("me", month=_month(month)))

    def estimate_commission(product: str, quantity: int, tier: str | None = None, kind: str | None = None) -> dict:
        def run() -> dict:
            if quantity < 1:
                return {"error": "quantity must be at least 1", "status": 422, "field": "quantity"}
            if tier or kind or identity.role == "hq":  # a rate from the policy alone, not this KOC's own
                return {**client.estimate_for_tier(product, quantity, tier, kind or "private"), "hypothetical": True}
            return client.estimate(product, quantity, "me")
        return _safe(run)

    def get_my_tier_progress() -> dict:
        return _safe(lambda: client.tier_progress("me"))

    def get_my_competition_rank(month: str | None = None) -> dict:
        return _safe(lambda: client.competition("me", month=_month(month)))

    def get_my_trials() -> dict:
        return _safe(lambda: client.trials("me"))

    def search_products(query: str) -> dict:
        return _safe(lambda: client.products(query))

    personal = identity.role == "koc"
    return [
        _tool(get_my_earnings, EarningsArgs,
              "The signed-in KOC's commission for a month: total, by status (pending in the refund window, "
              "settleable, settled, reversed by refunds), by product, and the next settlement." if personal else
              "Only for KOC sessions; HQ should use koc_overview."),
        _tool(estimate_commission, EstimateArgs,
              "Estimate the commission for selling N units of a product at the signed-in KOC's rate (or at a named tier, "
              "or as an external distributor), with the rate explained."
              if personal else "Estimate the commission for N units of a product at a tier's rate (default the entry tier)."),
        _tool(get_my_tier_progress, NoArgs,
              "The signed-in KOC's tier, the next tier, the gap per criterion (posts, interactions, net sales, group, fans) "
              "and what the next tier unlocks."),
        _tool(get_my_competition_rank, RankArgs,
              "The signed-in KOC's rank in the monthly sales competition, the gap to the next rank, prize and anonymised neighbours."),
        _tool(get_my_trials, NoArgs,
              "The signed-in KOC's product trials: due dates, review scores, open trial slots, elimination/blacklist standing."),
        _tool(search_products, SearchArgs, "Find products by SKU, name (简体/繁體/English) or category, with price and commission rate."),
    ]


def _hq_tools(client: ToolsClient) -> list[BaseTool]:
    """The tools only an HQ session gets: they name other KOCs."""

    def find_kocs_near_promotion(limit: int = 10, to_tier: str | None = None) -> dict:
        return _safe(lambda: client.near_promotion(limit, to_tier))

    def find_top_performers(month: str | None = None, limit: int = 10) -> dict:
        return _safe(lambda: client.top_performers(month, limit))

    def find_kocs_at_risk(limit: int = 20) -> dict:
        return _safe(lambda: client.at_risk(limit))

    def koc_overview(koc_id: int) -> dict:
        return _safe(lambda: client.overview(int(koc_id)))

    return [
        _tool(find_kocs_near_promotion, NearPromotionArgs, "HQ only: KOCs closest to their next tier, with what each is missing."),
        _tool(find_top_performers, TopPerformersArgs,
              "HQ only: the month's KOCs with the highest net sales (the sales competition's order), with paid orders."),
        _tool(find_kocs_at_risk, AtRiskArgs,
              "HQ only: KOCs about to lose something: one poor trial review from suspension, an overdue trial, or an "
              "external distributor short of the assessment's paid orders."),
        _tool(koc_overview, OverviewArgs, "HQ only: one KOC's profile, tier, this month's commission and recent rule events."),
    ]


def build_tools(client: ToolsClient, identity: Identity) -> list[BaseTool]:
    """The tools of one session. KOC sessions get only self-service tools (no id parameter)."""
    tools = _self_service_tools(client, identity)
    if identity.role == "hq":
        tools += _hq_tools(client)
    return tools
