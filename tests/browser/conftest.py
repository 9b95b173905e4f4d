"""One app for every browser test: the real back end (demo ledger behind the commission & tier
service over HTTP, the sample knowledge base, offline answers) and the Gradio app on 127.0.0.1,
driven by Debian's chromium through playwright. Session-scoped: building the demo ledger is the
slow part, and the tests only add to the state (a rating, an upload, an evaluation run)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.servers import ThreadedServer, demo_services

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Where screenshots go: KOC_SCREENSHOT_DIR (the README's come from a run with docs/screenshots), else a temp dir.
SCREENSHOT_ENV = "KOC_SCREENSHOT_DIR"
WAIT_MS = 60_000


@dataclass
class UiStack:
    url: str
    kocs: list[dict[str, Any]]
    hq_token: str
    home: Path
    settings: Any


@pytest.fixture(scope="session")
def ui_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiStack]:
    from ui.app import create_ui_app
    from ui.compose import build_copilot

    home = tmp_path_factory.mktemp("ui_home")
    with demo_services(home) as (settings, demo):
        with ThreadedServer(create_ui_app(settings, build_copilot(settings, chat_model=None))) as ui:
            yield UiStack(ui.url, demo.demo_kocs, demo.hq_token, home, settings)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (scripts/test_prereqs.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path_factory.mktemp("screenshots"))
    target.mkdir(parents=True, exist_ok=True)
    return target


def open_app(browser: Any, url: str, viewport: dict[str, int] = DESKTOP) -> Any:
    page = browser.new_page(viewport=viewport)
    page.goto(url, wait_until="load", timeout=WAIT_MS)
    page.wait_for_selector("#koc-question textarea", timeout=WAIT_MS)
    return page


def sign_in(page: Any, token: str, expect: str) -> None:
    page.fill("#koc-token input", token)
    page.click("#koc-signin")
    page.wait_for_function("([e]) => document.querySelector('#koc-who').innerText.includes(e)", arg=[expect],
                           timeout=WAIT_MS)


def ask(page: Any, question: str) -> str:
    """Send a question and return the finished answer's text. The status line names each answer
    (``answer #N · …``), so a finished answer is never mistaken for the one before it."""
    before = page.locator("#koc-status").inner_text()
    page.fill("#koc-question textarea", question)
    page.click("#koc-send")
    page.wait_for_function(
        "([b]) => { const t = document.querySelector('#koc-status').innerText; return /answer #\\d+ ·/.test(t) && t !== b; }",
        arg=[before], timeout=WAIT_MS)
    return last_answer(page)


def last_answer(page: Any) -> str:
    """The newest answer bubble's text once it is rendered: Gradio shows a bubble ("Loading
    content") before its text, and on a busy host the status line can be there first. The text is
    read in the same check that finds it rendered: Gradio may draw the bubble again ("Loading
    content" for a moment) when the components beside it update, so reading it afterwards can race."""
    rendered = page.wait_for_function(
        "() => { const b = [...document.querySelectorAll('#koc-chat .bot')].pop();"
        " const t = b ? b.innerText.trim() : '';"
        " return t && !t.includes('Loading content') ? t : null; }", timeout=WAIT_MS)
    return str(rendered.json_value())


def dislike_last_answer(page: Any, comment: str) -> None:
    """Thumbs down on the newest answer, then the comment box it opens, and wait for the save."""
    page.locator("#koc-chat .bot").last.hover()
    page.locator("#koc-chat button[aria-label='Dislike']").last.click()
    page.wait_for_selector("#koc-feedback-comment textarea", state="visible", timeout=WAIT_MS)
    page.fill("#koc-feedback-comment textarea", comment)
    page.click("#koc-feedback-send")
    page.wait_for_function("() => document.querySelector('#koc-status').innerText.includes('Comment saved')",
                           timeout=WAIT_MS)


def text_of(page: Any, selector: str, contains: str) -> str:
    """The text of ``selector`` once it holds ``contains``. On a timeout the failure says what the
    element held instead and what error pop-ups the page showed, and keeps a screenshot beside the
    others, so a failure on another host can be read without re-running it there."""
    try:
        page.wait_for_function("([s, c]) => { const e = document.querySelector(s); return e && e.innerText.includes(c); }",
                               arg=[selector, contains], timeout=WAIT_MS)
    except Exception as exc:  # playwright's TimeoutError: turned into a readable assertion
        held = page.locator(selector).all_inner_texts()
        toasts = page.locator(".toast-body, .toast-wrap").all_inner_texts()
        target = Path(os.environ.get(SCREENSHOT_ENV) or tempfile.gettempdir()) / f"timeout-{selector.strip('#')}.png"
        page.screenshot(path=str(target), full_page=True)
        raise AssertionError(f"{selector} never held {contains!r}; it held {held!r}; pop-ups {toasts!r}; "
                             f"screenshot {target}") from exc
    return page.locator(selector).inner_text()


def keep_filled(page: Any, values: dict[str, str], tries: int = 3) -> None:
    """Fill each textbox again until it holds its value: on a slow host an update the sign-in started can
    reach a tab after the test typed into it and clear a field, and the form is then sent without it."""
    for _ in range(tries):
        empty = {sel: text for sel, text in values.items() if page.locator(sel).input_value() != text}
        if not empty:
            return
        for sel, text in empty.items():
            page.fill(sel, text)
        page.wait_for_timeout(500)
    held = {sel: page.locator(sel).input_value() for sel in values}
    raise AssertionError(f"fields never kept their values: {held!r}")


def open_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def yuan_of(text: str, after: str) -> str:
    """The first ¥ amount following ``after`` in ``text``."""
    match = re.search(re.escape(after) + r".*?(-?¥[\d,]+\.\d{2})", text, flags=re.S)
    assert match, f"no ¥ amount after {after!r} in {text[:300]!r}"
    return match.group(1)
