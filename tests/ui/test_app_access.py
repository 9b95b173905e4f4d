"""Every handler of the web app checks the session's identity itself: called directly (as Gradio's
HTTP API would call it) without a sign-in, with a KOC's, or with a token revoked since sign-in, an
HQ handler refuses, and "My earnings" serves only a KOC's own numbers. Identities are resolved by
the real commission & tier service (in process)."""

from __future__ import annotations

from datetime import UTC, datetime

import gradio as gr
import pytest
from pydantic import SecretStr

from tests.tools.conftest import add_koc, order
from tools.client import ToolsClient
from tools.identity import Identity
from ui.identity import resolve_identity
from ui.web import earnings_tab, evals_tab, feedback_tab, kb_tab, kocs_tab
from ui.web.access import HQ_ONLY, AppContext, NOT_SIGNED_IN

HQ, KOC = "access-hq-token-for-tests", "access-koc-token-for-tests"


@pytest.fixture
def ctx(private_home, monkeypatch):
    from base.settings import Settings
    from knowledge.kb import KnowledgeBase
    from tools.ledger import import_orders
    from tools.service import create_app
    from ui.compose import build_copilot

    monkeypatch.setenv("KOC_HQ_TOKEN", HQ)
    monkeypatch.delenv("KOC_DEMO", raising=False)
    settings = Settings(home=private_home, embed_provider="hashing", llm="offline", hq_token=SecretStr(HQ), demo=False)
    service = create_app(settings)
    ledger = service.state.ledger
    add_koc(ledger.engine, ledger.policy, 5, token=KOC)
    import_orders(ledger.engine, ledger.policy, [order("acc-1", 5, quantity=3, paid=datetime.now(UTC).date().isoformat())])
    shared_kb = KnowledgeBase(settings)
    clients = lambda identity: ToolsClient.in_process(app=service, token=identity.token)  # noqa: E731
    resolve = lambda token: resolve_identity(  # noqa: E731
        token, settings, client_factory=lambda t: ToolsClient.in_process(app=service, token=t), ttl_s=0)
    copilot = build_copilot(settings, chat_model=None, kb=shared_kb, tools=clients)
    return AppContext(settings=settings, copilot=copilot, resolve=resolve, build_copilot=build_copilot)


def _hq_handlers(ctx):
    progress = lambda *a, **k: None  # noqa: E731 - stands in for Gradio's progress bar
    return {
        "kb list": lambda who: kb_tab.list_documents(ctx, who),
        "kb search": lambda who: kb_tab.search(ctx, "佣金", 3, who),
        "kb delete": lambda who: kb_tab.delete(ctx, "faq.md", who),
        "kb reindex": lambda who: kb_tab.reindex(ctx, who),
        "kb upload": lambda who: kb_tab.upload(ctx, [], who, progress),
        "kb profile": lambda who: kb_tab.save_profile(ctx, "X", "", "", "", who),
        "kocs": lambda who: kocs_tab.overview(ctx, "", "", 10, who),
        "koc detail": lambda who: kocs_tab.detail(ctx, 5, who),
        "feedback": lambda who: feedback_tab.rows(ctx, who),
        "feedback export": lambda who: feedback_tab.export(ctx, who),
        "evals run": lambda who: evals_tab.run(ctx, ["x"], 1, who, progress),
        "evals compare": lambda who: evals_tab.compare(ctx, "x", who),
        "evals list": lambda who: evals_tab.list_runs_for(ctx, who),
    }


def test_hq_handlers_refuse_everyone_but_hq(ctx) -> None:
    koc = Identity(role="koc", koc_id=5, token=KOC)
    forged = Identity(role="hq", token=KOC)  # a session claiming HQ with a KOC's token
    unknown = Identity(role="hq", token="revoked-or-made-up")
    before = ctx.copilot.kb.list_sources()
    for name, handler in _hq_handlers(ctx).items():
        with pytest.raises(gr.Error, match="sign in") as anonymous:
            handler(None)
        assert NOT_SIGNED_IN in str(anonymous.value), name
        for who in (koc, forged, unknown):
            with pytest.raises(gr.Error) as refused:
                handler(who)
            assert str(refused.value) in (f"'{HQ_ONLY}'", HQ_ONLY, f"'{NOT_SIGNED_IN}'", NOT_SIGNED_IN), name
    assert ctx.copilot.kb.list_sources() == before  # nothing was deleted or re-indexed on the way
    assert ctx.copilot.kb.profile().brand != "X"


def test_hq_handlers_work_for_hq(ctx) -> None:
    hq = Identity(role="hq", token=HQ)
    hits, verdict = kb_tab.search(ctx, "佣金怎么算", 3, hq)
    assert len(hits) == 3 and {"fused", "dense", "bm25"} <= set(hits.columns) and "threshold" in verdict
    _, _, _, top, _ = kocs_tab.overview(ctx, "", "", 10, hq)
    assert list(top["KOC"]) == [5]
    assert "rated answers" in feedback_tab.rows(ctx, hq)[1]


def test_my_earnings_is_a_kocs_own_page(ctx) -> None:
    with pytest.raises(gr.Error):
        earnings_tab.load(ctx, None)
    with pytest.raises(gr.Error):
        earnings_tab.load(ctx, Identity(role="hq", token=HQ))
    summary, *_ = earnings_tab.load(ctx, Identity(role="koc", koc_id=5, token=KOC))
    assert summary.startswith("### This month")
    with pytest.raises(gr.Error):  # a session holding KOC 5's token cannot pass as KOC 6
        earnings_tab.load(ctx, Identity(role="koc", koc_id=6, token=KOC))


def test_service_down_is_said_in_the_askers_language(ctx) -> None:
    from tests.servers import free_port
    from ui.web import chat_tab

    from ui.compose import build_copilot

    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there: the commission service is down
    down = AppContext(settings=ctx.settings, resolve=ctx.resolve, build_copilot=build_copilot,
                      copilot=build_copilot(ctx.settings, chat_model=None, kb=ctx.copilot.kb,
                                            tools=lambda identity: ToolsClient(dead, identity.token, timeout=2)))
    koc = Identity(role="koc", koc_id=5, token=KOC)
    for question, expected in (("我这个月赚了多少佣金？", "佣金与等级服务暂时无法访问"),
                               ("How much did I earn this month?", "can't be reached")):
        *_, last = chat_tab.respond(down, question, [], koc, None, {})
        assert expected in last[0][-1]["content"], last[0][-1]["content"]
    with pytest.raises(gr.Error, match="can't be reached"):
        earnings_tab.load(down, koc)
