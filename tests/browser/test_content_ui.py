"""Briefs and content help in a real browser: HQ writes a brief from the form, sees its topics and
compliance report, downloads the DOCX (opened here with python-docx) and finds the brief in the
history; a KOC checks a post with planted violations and sees them marked with their rules, and
gets topic ideas for its own products, on a phone-sized screen too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from docx import Document

from tests.browser.conftest import PHONE, WAIT_MS, UiStack, keep_filled, open_app, open_tab, sign_in, text_of

pytestmark = pytest.mark.browser


def test_hq_writes_a_brief_downloads_the_docx_and_finds_it_in_history(ui_stack: UiStack, browser: Any, shots) -> None:
    page = open_app(browser, ui_stack.url)
    sign_in(page, ui_stack.hq_token, "HQ")
    open_tab(page, "Briefs")
    page.fill("#hq-brief-campaign textarea", "秋季换季修护")
    page.fill("#hq-brief-audience textarea", "宝妈")
    page.click("#hq-brief-products input")
    page.locator("#hq-brief-products [role=option]", has_text="NH-SKN-01").first.click()
    page.keyboard.press("Escape")
    page.wait_for_selector("#hq-brief-products .token", timeout=WAIT_MS)
    page.fill("#hq-brief-start textarea", "2026-09-01")
    page.fill("#hq-brief-end textarea", "2026-09-10")
    page.check("#hq-brief-offline input")
    assert page.locator("#hq-brief-offline input").is_checked()
    keep_filled(page, {"#hq-brief-campaign textarea": "秋季换季修护", "#hq-brief-audience textarea": "宝妈",
                       "#hq-brief-start textarea": "2026-09-01", "#hq-brief-end textarea": "2026-09-10"})
    page.click("#hq-brief-generate")
    note = text_of(page, "#hq-brief-note", "topics,")
    brief_id = re.search(r"Brief (\d{8}-\d{6}-[0-9a-f]{6})", note).group(1)
    assert "5 topics, 0 compliance violations" in note
    assert "Compliance check passed" in page.locator("#hq-brief-compliance").inner_text()
    preview = text_of(page, "#hq-brief-preview", "选题简报：秋季换季修护")
    titles = page.locator("#hq-brief-preview h3").all_inner_texts()
    assert len(titles) == 5 and all(t.strip() in preview for t in titles)

    docx_link = page.locator("#hq-brief-files a[download$='.docx']")
    with page.expect_download(timeout=WAIT_MS) as download:
        docx_link.click()
    paragraphs = [p.text for p in Document(download.value.path()).paragraphs]
    assert "选题简报：秋季换季修护" in paragraphs
    assert all(any(t.strip() in p for p in paragraphs) for t in titles), (titles, paragraphs[:20])
    assert page.locator("#hq-brief-files a[download$='.md']").count() == 1

    assert brief_id in text_of(page, "#hq-brief-history", brief_id)
    page.screenshot(path=str(shots / "hq-briefs.png"), full_page=True)
    page.close()


def test_koc_checks_a_post_and_sees_each_violation_marked_with_its_rule(ui_stack: UiStack, browser: Any, shots) -> None:
    page = open_app(browser, ui_stack.url)
    koc = ui_stack.kocs[0]
    sign_in(page, koc["token"], f"#{koc['id']}")
    open_tab(page, "Check my post")
    page.fill("#koc-check-draft textarea", "换季面霜分享\n这是我用过最好用的面霜，100%有效，<b>宝宝湿疹也能根治</b>")
    page.click("#koc-check-go")
    page.wait_for_selector("#koc-check-marked mark.koc-violation", timeout=WAIT_MS)
    marks = page.locator("#koc-check-marked mark.koc-violation")
    assert {"最好", "100%有效"} <= set(marks.all_inner_texts()), marks.all_inner_texts()
    assert marks.filter(has_text="最好").first.get_attribute("title").startswith("绝对化用语")
    assert "<b>宝宝湿疹" in page.locator("#koc-check-marked").inner_text()  # the draft's own text, shown as text
    problems = page.locator("#koc-check-problems").inner_text()
    assert "绝对化用语" in problems and "医疗功效" in problems and "→" in problems
    rewrite = page.locator("#koc-check-rewrite textarea").input_value()
    assert rewrite and "最好" not in rewrite and "100%有效" not in rewrite
    page.screenshot(path=str(shots / "koc-check-post.png"), full_page=True)
    page.close()


def test_koc_gets_topic_ideas_for_its_own_products_on_a_phone(ui_stack: UiStack, browser: Any, shots) -> None:
    page = open_app(browser, ui_stack.url, viewport=PHONE)
    koc = ui_stack.kocs[0]
    sign_in(page, koc["token"], f"#{koc['id']}")
    open_tab(page, "Topic ideas")
    page.wait_for_selector("#koc-topics-products .token", timeout=WAIT_MS)  # its own products, picked for it
    page.click("#koc-topics-go")
    page.wait_for_function("() => document.querySelectorAll('#koc-topics-result li').length > 0", timeout=WAIT_MS)
    ideas = page.locator("#koc-topics-result").inner_text()
    assert page.locator("#koc-topics-result li").count() == 5 and "[1]" in ideas, ideas
    assert page.locator("#koc-topics-sources details.koc-source").count() >= 1
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"
    page.screenshot(path=str(shots / "koc-topics-phone.png"), full_page=True)
    page.close()
