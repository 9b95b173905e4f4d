"""Every handler of the web app checks the session's identity itself: called directly (as Gradio's
HTTP API would call it) without a sign-in, with a KOC's, or with a token revoked since sign-in, an
HQ handler refuses, and the KOC's pages ("My earnings", topic ideas, check my post) serve only a
signed-in KOC. Identities are resolved by the real commission & tier service (in process). The
handlers of the briefs tab, the post checker, topic ideas and a document's audience are also run
for real here, without a browser."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import gradio as gr
import pytest
from docx import Document
from pydantic import SecretStr

from tests.tools.conftest import add_koc, order
from tools.client import ToolsClient
from tools.identity import Identity
from ui.identity import resolve_identity
from ui.web import briefs_tab, check_post_tab, earnings_tab, evals_tab, feedback_tab, kb_tab, kocs_tab, topics_tab
from ui.web.access import HQ_ONLY, KOC_ONLY, AppContext, NOT_SIGNED_IN

HQ, KOC = "access-hq-token-for-tests", "access-koc-token-for-tests"
BRIEF_FORM = dict(campaign="秋季换季修护", theme="换季", products=["NH-SKN-01"], audience="宝妈", platform="xiaohongshu",
                  topics=3, start="2026-09-01", end="2026-09-07", tone="", language="zh-CN", near_promotion=False,
                  offline=True)


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
        "brief generate": lambda who: briefs_tab.generate(ctx, who, **BRIEF_FORM),
        "brief history": lambda who: briefs_tab.list_history(ctx, who),
        "brief open": lambda who: briefs_tab.reopen(ctx, "x", who),
        "kb set audience": lambda who: kb_tab.set_audience(ctx, "faq.md", ["all"], who),
    }


def _koc_handlers(ctx):
    return {
        "earnings": lambda who: earnings_tab.load(ctx, who),
        "my products": lambda who: topics_tab.my_products(ctx, who),
        "topic ideas": lambda who: topics_tab.ideas(ctx, ["NH-SKN-01"], "", 3, "xiaohongshu", "zh-CN", who),
        "check post": lambda who: check_post_tab.check(ctx, "这是我用过最好用的面霜", "xiaohongshu", who),
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
    assert ctx.copilot.kb.list_sources() == before  # nothing was deleted, re-indexed or opened up on the way
    assert ctx.copilot.kb.profile().brand != "X"
    assert not (ctx.settings.resolved_home / "briefs").exists()  # no brief was written


def test_koc_handlers_refuse_anyone_but_a_signed_in_koc(ctx) -> None:
    hq = Identity(role="hq", token=HQ)
    other = Identity(role="koc", koc_id=6, token=KOC)  # KOC 5's token passing as KOC 6
    for name, handler in _koc_handlers(ctx).items():
        for who, expected in ((None, NOT_SIGNED_IN), (hq, KOC_ONLY), (other, NOT_SIGNED_IN)):
            with pytest.raises(gr.Error) as refused:
                handler(who)
            assert expected in str(refused.value), name


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


# --------------------------------------------------------------------------- the new tabs, run for real
def test_hq_writes_a_brief_downloads_it_and_reopens_it_from_history(ctx) -> None:
    hq = Identity(role="hq", token=HQ)
    note, compliance, preview, files, history, saved = briefs_tab.generate(ctx, hq, **BRIEF_FORM)
    assert note.startswith("Brief **") and "3 topics" in note, note
    brief_id = note.split("**")[1]
    assert "Compliance check passed" in compliance
    assert preview.startswith("# 选题简报：秋季换季修护") and preview.count("\n### ") == 3
    md, docx = (next(f for f in files if f.endswith(suffix)) for suffix in (".md", ".docx"))
    assert Path(md).read_text(encoding="utf-8") == preview
    paragraphs = [p.text for p in Document(io.BytesIO(Path(docx).read_bytes())).paragraphs]
    titles = [line[len("### 1. "):] for line in preview.splitlines() if line.startswith("### ")]
    assert "选题简报：秋季换季修护" in paragraphs and all(any(t in p for p in paragraphs) for t in titles)
    assert list(history["id"]) == [brief_id] and [c[1] for c in saved["choices"]] == [brief_id]

    again = briefs_tab.reopen(ctx, brief_id, hq)
    assert again[0].startswith(f"Reopened brief **{brief_id}**") and again[2] == preview
    assert Path(next(f for f in again[3] if f.endswith(".docx"))).read_bytes()[:2] == b"PK"  # exported again
    assert briefs_tab.reopen(ctx, "no-such-brief", hq)[0].startswith("⚠️ no saved brief")
    assert briefs_tab.reopen(ctx, "../../etc/passwd", hq)[0].startswith("⚠️ not a brief id")


def test_a_wrong_brief_form_is_said_and_saves_nothing(ctx) -> None:
    hq = Identity(role="hq", token=HQ)
    for change, expected in (({"end": "2026-08-01"}, "end date is before start date"),
                             ({"start": "9/1"}, "start date '9/1' is not a date written YYYY-MM-DD"),
                             ({"campaign": "  "}, "campaign:"),
                             ({"topics": 40}, "topics:"),
                             ({"products": ["月球牌量子面霜"]}, "unknown product '月球牌量子面霜'")):
        note, *rest = briefs_tab.generate(ctx, hq, **{**BRIEF_FORM, **change})
        assert note.startswith("⚠️") and expected in note, (change, note)
        assert all(r == gr.update() for r in rest)
    assert briefs_tab.list_history(ctx, hq)[0].empty


def test_a_brief_can_target_the_kocs_closest_to_promotion_with_the_hq_sessions_token(ctx) -> None:
    note, _, preview, *_ = briefs_tab.generate(ctx, Identity(role="hq", token=HQ),
                                               **{**BRIEF_FORM, "near_promotion": True})
    assert "could not ask" not in note and "not connected" not in note
    assert "## 建议优先发给（临近晋级的 KOC）" in preview and "KOC 5 " in preview


def test_a_koc_checks_a_post_and_sees_each_problem_marked_with_its_rule(ctx) -> None:
    koc = Identity(role="koc", koc_id=5, token=KOC)
    draft = "<b>标题</b>\n这是我用过最好用的面霜，100%有效<script>alert(1)</script>"
    verdict, marked, problems, rewrite = check_post_tab.check(ctx, draft, "xiaohongshu", koc)
    assert "problems to fix" in verdict
    assert "<mark class='koc-violation' title='绝对化用语" in marked and ">最好</mark>" in marked
    assert ">100%有效</mark>" in marked
    assert "<script>" not in marked + problems and "&lt;script&gt;" in marked and "&lt;b&gt;标题" in marked
    assert "koc-missing" in marked  # the disclosure tag the handbook asks for is missing: marked where it belongs
    assert "绝对化用语" in problems and "→ " in problems
    assert "最好" not in rewrite and "100%有效" not in rewrite
    ok = check_post_tab.check(ctx, "最近第一次用这款面霜，很滋润\n#暖岛合作", "xiaohongshu", koc)
    assert ok[0].startswith("✅") and "<mark" not in ok[1]
    assert check_post_tab.check(ctx, "   ", "", koc)[0] == "⚠️ the draft is empty"
    assert check_post_tab.check(ctx, "最好", "myspace", koc)[0].startswith("⚠️ unknown platform 'myspace'")
    assert "the limit is" in check_post_tab.check(ctx, "好" * 20_001, "", koc)[0]


def test_a_koc_gets_topic_ideas_for_its_own_products(ctx) -> None:
    koc = Identity(role="koc", koc_id=5, token=KOC)
    picker = topics_tab.my_products(ctx, koc)
    assert picker["value"] == ["NH-SKN-01"]  # what KOC 5 sold this month (the fixture's order)
    assert "NH-SKN-01" in {code for _, code in picker["choices"]}
    text, sources = topics_tab.ideas(ctx, picker["value"], "", 3, "douyin", "zh-CN", koc)
    assert text.count("\n\n1. ") == 1 and "\n\n3. " in text and "抖音" in text, text
    assert "koc-source" in sources and "koc-selection-internal" not in sources
    assert topics_tab.ideas(ctx, ["月球牌量子面霜"], "", 3, "douyin", "zh-CN", koc)[0].startswith("⚠️ unknown product")
    assert topics_tab.ideas(ctx, [], "", 3, "douyin", "zh-CN", koc)[0].startswith("⚠️ pick a product")


def test_hq_changes_a_documents_audience_and_the_next_question_obeys_it(ctx) -> None:
    hq, koc = Identity(role="hq", token=HQ), Identity(role="koc", koc_id=5, token=KOC, kind="private", tier="sprout")
    question = "暖岛这个品牌名字的由来是什么？"

    def cited(who: Identity) -> set[str]:
        return {c.source for c in ctx.copilot.ask(question, who).citations}

    assert "brand-story.md" in cited(koc)
    report, docs = kb_tab.set_audience(ctx, "brand-story.md", ["hq"], hq)
    assert "may now be read by: **hq**" in report
    assert docs.set_index("source").loc["brand-story.md", "audience"] == "hq"
    assert "brand-story.md" not in cited(koc) and "brand-story.md" in cited(hq)  # in force at once

    for wrong, expected in ((["kocs"], "unknown audience 'kocs'"), (["everyone!"], "unknown audience 'everyone!'"),
                            ([], "give an audience")):
        report, _ = kb_tab.set_audience(ctx, "brand-story.md", wrong, hq)
        assert report.startswith("failed:") and expected in report, report
    assert "lighthouse" in kb_tab.set_audience(ctx, "brand-story.md", ["koc", "lighthouse"], hq)[0]  # a policy tier key
    assert kb_tab.set_audience(ctx, "no-such.md", ["all"], hq)[0].startswith("failed:")
    kb_tab.set_audience(ctx, "brand-story.md", "all", hq)
    assert "brand-story.md" in cited(koc)
