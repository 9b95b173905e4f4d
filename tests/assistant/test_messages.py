"""Fixed replies name the brand and its contact from the knowledge base's profile."""

from __future__ import annotations

from assistant.messages import message
from knowledge.profile import KbProfile


def test_a_contact_named_as_whom_follows_please_contact() -> None:
    profile = KbProfile(brand="山隅", aliases=["Shanyu"], contact_zh="服务号“山隅小助手”", contact_en="the Shanyu helper account")
    assert message("not_covered", "zh-CN", profile).endswith("其他问题请联系服务号“山隅小助手”。")
    assert message("not_covered", "en", profile).endswith("For anything else, please contact the Shanyu helper account.")


def test_a_contact_written_as_an_instruction_stands_as_its_own_sentence() -> None:
    """HQ may write the whole instruction; "please contact On working days…" would not read."""
    profile = KbProfile(brand="山隅", aliases=["Shanyu"],
                        contact_zh="工作日 10:00—18:00 可通过小程序在线客服联系运营团队。",
                        contact_en="On working days, contact the operations team via the mini-program.")
    zh, en = message("not_covered", "zh-CN", profile), message("not_covered", "en", profile)
    assert zh.endswith("。工作日 10:00—18:00 可通过小程序在线客服联系运营团队。") and "请联系工作日" not in zh
    assert en.endswith(" On working days, contact the operations team via the mini-program.") and "contact On" not in en


def test_a_contact_written_as_sentences_stands_as_its_own_whatever_its_first_word() -> None:
    """"The handbooks don't cover this. Please write to…" is two sentences of HQ's own: put after "please
    contact" it would not read. A name with its address, even ending in a full stop, still follows it."""
    profile = KbProfile(brand="山隅", aliases=["Shanyu"], contact_zh="",
                        contact_en="Our handbooks may not cover this. Please write to help@shanyu.example and we reply in a day.")
    en = message("not_covered", "en", profile)
    assert en.endswith(" Our handbooks may not cover this. Please write to help@shanyu.example and we reply in a day.")
    assert "contact Our" not in en
    named = KbProfile(brand="山隅", aliases=["Shanyu"], contact_zh="", contact_en="the Shanyu desk (help@shanyu.example).")
    assert message("not_covered", "en", named).endswith("please contact the Shanyu desk (help@shanyu.example).")
