"""The dashboards in a real browser: a KOC's "My earnings" agrees with the chat's tool trace; the
HQ tabs exist only for HQ, and HQ's handlers refuse anyone else even when called through Gradio's
own HTTP API; HQ sees feedback, uploads a document and finds it in the search playground, changes
its audience, writes a brief and downloads it as DOCX, looks at the KOC overview and runs a small
evaluation; a KOC checks a post and gets topic ideas."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from docx import Document

from assistant.briefs.history import BriefHistory
from tests.browser.conftest import (PHONE, WAIT_MS, UiStack, ask, dislike_last_answer, open_app, open_tab, sign_in,
                                    text_of, yuan_of)

pytestmark = pytest.mark.browser

HQ_TAB_IDS = ("hq-tab-briefs", "hq-tab-kb", "hq-tab-kocs", "hq-tab-feedback", "hq-tab-evals")
KOC_TAB_IDS = ("koc-tab-earnings", "koc-tab-topics", "koc-tab-check-post")
HQ_ENDPOINTS = ("/hq_feedback_list", "/hq_kb_search", "/hq_kocs_overview", "/hq_kocs_detail", "/hq_evals_run",
                "/hq_kb_delete", "/hq_kb_set_audience", "/hq_brief_generate", "/hq_brief_history", "/hq_brief_open")
KOC_ENDPOINTS = ("/koc_earnings", "/koc_my_products", "/koc_topic_ideas", "/koc_check_post")
BRIEF_FORM = ("秋季换季修护", "", ["NH-SKN-01"], "宝妈", "xiaohongshu", 3, "2026-09-01", "2026-09-07", "", "zh-CN", False, True)


def _sign_in_hq(page: Any, stack: UiStack) -> None:
    sign_in(page, stack.hq_token, "HQ")
    page.get_by_role("tab", name="Knowledge base").wait_for(timeout=WAIT_MS)


def test_earnings_trace_figure_equals_the_dashboard(ui_stack: UiStack, browser: Any, shots) -> None:
    page = open_app(browser, ui_stack.url)
    koc = ui_stack.kocs[0]
    sign_in(page, koc["token"], f"#{koc['id']}")
    ask(page, "我这个月赚了多少佣金？")
    trace = page.locator("#koc-trace").inner_text()
    assert "get_my_earnings" in trace
    traced_total = json.loads(trace[trace.index("{", trace.index(")")):])["total"]  # the ledger's figure, as the tool got it
    open_tab(page, "My earnings")
    text_of(page, "#koc-earn-summary", "This month")
    summary = page.locator("#koc-earn-summary").inner_text()
    assert yuan_of(summary, "This month") == traced_total
    assert "Next settlement" in summary and re.search(r"\d{4}-\d{2}-\d{2}", summary)
    page.wait_for_selector("#koc-earn-months .js-plotly-plot", timeout=WAIT_MS)
    page.wait_for_selector("#koc-earn-tier .js-plotly-plot", timeout=WAIT_MS)
    page.screenshot(path=str(shots / "earnings-desktop.png"), full_page=True)
    page.close()


def test_hq_tabs_are_not_rendered_for_a_koc_or_anonymous(ui_stack: UiStack, browser: Any) -> None:
    page = open_app(browser, ui_stack.url)
    for tab_id in HQ_TAB_IDS + KOC_TAB_IDS:
        assert page.locator(f"#{tab_id}").count() == 0
    koc = ui_stack.kocs[0]
    sign_in(page, koc["token"], f"#{koc['id']}")
    page.get_by_role("tab", name="My earnings").wait_for(timeout=WAIT_MS)
    for tab_id in HQ_TAB_IDS:
        assert page.locator(f"#{tab_id}").count() == 0 and page.locator(f"#{tab_id}-button").count() == 0
    assert page.get_by_role("tab").all_inner_texts() == ["Chat", "My earnings", "Topic ideas", "Check my post"]
    page.close()


def test_hq_handlers_refuse_calls_through_gradios_api(ui_stack: UiStack) -> None:
    from gradio_client import Client

    anonymous = Client(ui_stack.url, verbose=False)
    for endpoint in HQ_ENDPOINTS:
        with pytest.raises(Exception, match="HQ|sign in"):
            anonymous.predict(*_args(endpoint), api_name=endpoint)

    koc = Client(ui_stack.url, verbose=False)
    koc.predict(ui_stack.kocs[0]["token"], api_name="/sign_in")
    for endpoint in HQ_ENDPOINTS:
        with pytest.raises(Exception, match="Only an HQ sign-in"):
            koc.predict(*_args(endpoint), api_name=endpoint)
    for endpoint in KOC_ENDPOINTS:  # a KOC's pages need that KOC's sign-in
        with pytest.raises(Exception, match="sign in"):
            anonymous.predict(*_args(endpoint), api_name=endpoint)

    hq = Client(ui_stack.url, verbose=False)  # the same call with an HQ sign-in works: the refusals above are the check
    hq.predict(ui_stack.hq_token, api_name="/sign_in")
    table, note = hq.predict(api_name="/hq_feedback_list")
    assert "rated answers" in note
    for endpoint in KOC_ENDPOINTS:  # HQ has no "My earnings", topic ideas or post checker: they are a KOC's own
        with pytest.raises(Exception, match="sign in with a KOC token"):
            hq.predict(*_args(endpoint), api_name=endpoint)
    assert "KOC-token-brief" not in {r.get("campaign") for r in BriefHistory(ui_stack.home).list()}  # never written

    # a raw call to the queue, without any client library, gets the same refusal
    with httpx.Client(base_url=ui_stack.url, timeout=30) as http:
        info = http.get("/gradio_api/info").json()
        assert "/hq_kb_search" in info["named_endpoints"]
        joined = http.post("/gradio_api/call/hq_kb_search", json={"data": ["佣金", 5]})
        assert joined.status_code == 200
        events = http.get(f"/gradio_api/call/hq_kb_search/{joined.json()['event_id']}").text
        assert "event: error" in events and "Please sign in" in events and "faq.md" not in events


def _args(endpoint: str) -> tuple:
    return {"/hq_kb_search": ("佣金", 5), "/hq_kocs_overview": ("", "", 20), "/hq_kocs_detail": (12,),
            "/hq_evals_run": ([], 1), "/hq_kb_delete": ("faq.md",), "/hq_kb_set_audience": ("faq.md", ["all"]),
            "/hq_brief_generate": ("KOC-token-brief", *BRIEF_FORM[1:]), "/hq_brief_open": ("x",),
            "/koc_topic_ideas": (["NH-SKN-01"], "", 3, "xiaohongshu", "zh-CN"),
            "/koc_check_post": ("这是我用过最好用的面霜", "xiaohongshu")}.get(endpoint, ())


def test_hq_sees_a_kocs_comment_in_feedback_and_exports_a_set(ui_stack: UiStack, browser: Any) -> None:
    page = open_app(browser, ui_stack.url)
    koc = ui_stack.kocs[2]
    sign_in(page, koc["token"], f"#{koc['id']}")
    ask(page, "测评名额每月有几个？")
    dislike_last_answer(page, "HQ should see this comment")
    page.close()

    hq = open_app(browser, ui_stack.url)
    _sign_in_hq(hq, ui_stack)
    open_tab(hq, "Feedback")
    text_of(hq, "#hq-feedback-table", "HQ should see this comment")
    first_row = hq.locator("#hq-feedback-table [role=row]").nth(1).inner_text()
    assert "👎" in first_row  # thumbs-down first
    table = hq.locator("#hq-feedback-table").inner_text()
    assert "测评名额每月有几个" in table
    hq.click("#hq-feedback-export")
    text_of(hq, "#hq-feedback-note", "cases in")
    assert hq.locator("#hq-feedback-file a").count() >= 1
    hq.close()


def test_hq_uploads_a_file_and_finds_it_in_the_playground(ui_stack: UiStack, browser: Any, tmp_path, shots) -> None:
    doc = tmp_path / "winter-campaign.md"
    doc.write_text("# 冬季活动手册\n\n## 雪绒计划\n\n雪绒计划期间每位KOC可以额外领取两张体验券，活动截止到一月底。\n",
                   encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    page = open_app(browser, ui_stack.url)
    _sign_in_hq(page, ui_stack)
    open_tab(page, "Knowledge base")
    text_of(page, "#hq-kb-docs", "faq.md")
    page.locator("#hq-kb-files input[type=file]").set_input_files([str(doc), str(bad)])
    page.wait_for_function("() => document.querySelectorAll('#hq-kb-files .file-preview tr, #hq-kb-files table tr').length >= 2",
                           timeout=WAIT_MS)
    page.click("#hq-kb-upload")
    page.wait_for_function("() => { const t = document.querySelector('#hq-kb-report').innerText;"
                           " return t.includes('winter-campaign.md') && t.includes('broken.pdf'); }", timeout=WAIT_MS)
    report = page.locator("#hq-kb-report").inner_text()
    assert "indexed: winter-campaign.md" in report and "failed: broken.pdf" in report  # a bad file is named, the good one indexed
    assert "winter-campaign.md" in page.locator("#hq-kb-docs").inner_text()
    page.fill("#hq-kb-query textarea", "雪绒计划 体验券")
    page.click("#hq-kb-search")
    text_of(page, "#hq-kb-hits", "winter-campaign.md")
    first = page.locator("#hq-kb-hits [role=row]").nth(1).inner_text()
    assert "winter-campaign.md" in first
    headers = page.locator("#hq-kb-hits [role=row]").first.inner_text()
    assert all(h in headers for h in ("fused", "dense", "bm25"))
    cells = [c.strip() for c in re.split(r"[\t\n]+", first) if c.strip()]
    fused, dense, bm25 = (float(c) for c in cells[3:6])  # rank, source, heading, then the three scores
    assert 0 < bm25 <= 1 and fused > 0 and dense != 0, cells
    # an upload that declares no audience is HQ's only until HQ opens it (koc kb set-audience, here)
    assert re.search(r"winter-campaign\.md.*hq \(default\)", page.locator("#hq-kb-docs").inner_text(), flags=re.S)
    page.click("#hq-kb-source input")
    page.locator("#hq-kb-source [role=option]", has_text="winter-campaign.md").first.click()
    page.click("#hq-kb-audience input")
    page.get_by_role("option", name="koc", exact=True).click()
    page.keyboard.press("Escape")
    page.click("#hq-kb-set-audience")
    text_of(page, "#hq-kb-report", "may now be read by: koc")
    row = next(r for r in page.locator("#hq-kb-docs [role=row]").all_inner_texts() if "winter-campaign.md" in r)
    assert re.search(r"\bkoc\b", row) and "hq" not in row
    page.screenshot(path=str(shots / "hq-knowledge-base.png"), full_page=True)
    page.close()


def test_hq_koc_overview_lists_kocs_close_to_promotion(ui_stack: UiStack, browser: Any) -> None:
    page = open_app(browser, ui_stack.url)
    _sign_in_hq(page, ui_stack)
    open_tab(page, "KOCs")
    page.wait_for_function("() => document.querySelectorAll('#hq-kocs-near [role=row]').length > 1", timeout=WAIT_MS)
    page.wait_for_selector("#hq-kocs-top-plot .js-plotly-plot", timeout=WAIT_MS)
    page.fill("#hq-kocs-id input", str(ui_stack.kocs[0]["id"]))
    page.click("#hq-kocs-lookup")
    text_of(page, "#hq-kocs-detail", f"#{ui_stack.kocs[0]['id']}")
    assert ui_stack.kocs[0]["name"] in page.locator("#hq-kocs-detail").inner_text()
    page.close()


def test_hq_runs_a_small_evaluation(ui_stack: UiStack, browser: Any, shots) -> None:
    page = open_app(browser, ui_stack.url)
    _sign_in_hq(page, ui_stack)
    open_tab(page, "Evaluations")
    page.locator("#hq-evals-sets label", has_text=re.compile(r"^\s*sample\s*$")).click()  # not sample-zh-only
    page.fill("#hq-evals-cases input", "3")
    page.click("#hq-evals-run")
    page.wait_for_function("() => /cases passed/.test(document.querySelector('#hq-evals-note').innerText)",
                           timeout=300_000)
    note = page.locator("#hq-evals-note").inner_text()
    assert re.search(r"\d+ of 3 cases passed", note)
    assert "key_fact_accuracy" in page.locator("#hq-evals-metrics").inner_text() or \
        "pass_rate" in page.locator("#hq-evals-metrics").inner_text()
    page.wait_for_selector("#hq-evals-plot .js-plotly-plot", timeout=WAIT_MS)
    page.screenshot(path=str(shots / "hq-evaluations.png"), full_page=True)
    page.close()
