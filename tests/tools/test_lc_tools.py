"""The assistant's tools: identity bound server-side, no KOC id for the model, errors as results."""

from __future__ import annotations

import json

import pytest

from tools.client import ToolsClient
from tools.identity import Identity
from tools.lc_tools import TOOL_NAMES_HQ, TOOL_NAMES_KOC, build_tools

from .conftest import free_port
from .test_service import KOC1, service  # noqa: F401  (fixture)


def _schema_props(tool) -> set[str]:
    return set(tool.args_schema.model_json_schema().get("properties", {}))


def test_koc_tools_have_no_koc_id_parameter():
    client = ToolsClient("http://127.0.0.1:1", "t")
    tools = build_tools(client, Identity(role="koc", koc_id=1, token="t"))
    assert tuple(t.name for t in tools) == TOOL_NAMES_KOC
    for tool in tools:
        props = _schema_props(tool)
        assert not any("koc" in p or p in ("id", "user", "user_id", "token") for p in props), (tool.name, props)
    # tier / kind name a rate from the policy ("what would a <tier> earn"), never a KOC
    assert _schema_props(next(t for t in tools if t.name == "estimate_commission")) == {"product", "quantity", "tier", "kind"}
    assert _schema_props(next(t for t in tools if t.name == "get_my_earnings")) == {"month"}
    assert _schema_props(next(t for t in tools if t.name == "get_my_tier_progress")) == set()


def test_hq_gets_the_extra_tools_only_in_hq_sessions():
    client = ToolsClient("http://127.0.0.1:1", "t")
    hq = build_tools(client, Identity(role="hq", token="t"))
    assert tuple(t.name for t in hq) == TOOL_NAMES_HQ
    assert set(TOOL_NAMES_HQ) - set(TOOL_NAMES_KOC) == {"find_kocs_near_promotion", "find_top_performers", "find_kocs_at_risk",
                                                        "koc_overview"}


def test_tools_return_json_with_cents_and_display(service):  # noqa: F811
    app, _ = service
    client = ToolsClient.in_process(token=KOC1, app=app)
    try:
        tools = {t.name: t for t in build_tools(client, Identity(role="koc", koc_id=1, token=KOC1))}
        earnings = tools["get_my_earnings"].invoke({"month": "2026-03"})
        assert earnings["total_cents"] == 1068 and earnings["total"] == "¥10.68"
        json.dumps(earnings)
        est = tools["estimate_commission"].invoke({"product": "積雪草", "quantity": 2})  # 繁體 name
        assert est["product"]["sku"] == "NH-SKN-03" and est["commission_cents"] == 4536 and "explanation" in est
        unknown = tools["estimate_commission"].invoke({"product": "sunscren", "quantity": 1})
        assert "unknown product" in unknown["error"] and "NH-SUN" in unknown["error"]
        assert "error" in tools["estimate_commission"].invoke({"product": "NH-SUN-01", "quantity": -2})
        assert "error" in tools["get_my_earnings"].invoke({"month": "March"})
        assert tools["get_my_tier_progress"].invoke({})["next_tier"]["tier"] == "bloom"
        assert tools["get_my_competition_rank"].invoke({"month": "2026-03"})["rank"] == 2
        assert tools["get_my_trials"].invoke({})["can_take_trials"] is False
        assert [p["sku"] for p in tools["search_products"].invoke({"query": "baby"})["products"]] == ["NH-BAB-01", "NH-BAB-02", "NH-BAB-03"]
        # words no product has ("找", "有哪些") are ignored when the others match
        found = tools["search_products"].invoke({"query": "找 母婴洗护 有哪些"})["products"]
        assert [p["sku"] for p in found] == ["NH-BAB-01", "NH-BAB-02", "NH-BAB-03"]
    finally:
        client.close()


def test_a_stolen_koc_id_in_identity_does_not_widen_access(service):  # noqa: F811
    """Identity.koc_id is informational: the service binds the data to the token."""
    app, _ = service
    client = ToolsClient.in_process(token=KOC1, app=app)
    try:
        tools = {t.name: t for t in build_tools(client, Identity(role="koc", koc_id=2, token=KOC1))}
        assert tools["get_my_earnings"].invoke({"month": "2026-03"})["koc_id"] == 1
    finally:
        client.close()


def test_hq_tools(service):  # noqa: F811
    app, hq = service
    client = ToolsClient.in_process(token=hq, app=app)
    try:
        tools = {t.name: t for t in build_tools(client, Identity(role="hq", token=hq))}
        assert tools["koc_overview"].invoke({"koc_id": 2})["kind"] == "external"
        assert "kocs" in tools["find_kocs_near_promotion"].invoke({"limit": 5})
        top = tools["find_top_performers"].invoke({"month": "2026-03", "limit": 2})
        assert top["month"] == "2026-03" and [k["rank"] for k in top["kocs"]] == list(range(1, len(top["kocs"]) + 1))
        assert 0 < len(top["kocs"]) <= 2
        sales = [k["net_sales_cents"] for k in top["kocs"]]
        assert sales == sorted(sales, reverse=True)
        assert "error" in tools["find_top_performers"].invoke({"month": "March"})  # explained, not crashed
        risky = tools["find_kocs_at_risk"].invoke({"limit": 50})["kocs"]
        assert all(k["risk"] in ("elimination", "blacklist", "assessment") and k["koc_id"] for k in risky)
        assert "error" in tools["get_my_earnings"].invoke({})  # HQ has no own ledger: explained, not crashed
    finally:
        client.close()


@pytest.mark.parametrize("name, args", [("get_my_earnings", {}), ("estimate_commission", {"product": "NH-SUN-01", "quantity": 1}),
                                        ("get_my_tier_progress", {}), ("search_products", {"query": "x"})])
def test_service_down_becomes_a_tool_error(name, args):
    client = ToolsClient(f"http://127.0.0.1:{free_port()}", "t", timeout=2)
    tool = next(t for t in build_tools(client, Identity(role="koc", koc_id=1, token="t")) if t.name == name)
    result = tool.invoke(args)
    # flagged, so the chat can say "the service is down" in the asker's language rather than quote the client
    assert set(result) == {"error", "unavailable"} and result["unavailable"] is True and "unavailable" in result["error"]
