"""What breaking a rule costs, read from the handbooks' penalty table, after the answer to "may I…?"."""

from __future__ import annotations

from pathlib import Path

from assistant.breach_penalty import asks_if_allowed, breach_row, penalty_rows
from knowledge.audience import Viewer
from ui.compose import build_copilot
from tests.assistant.askers import PRIVATE_KOC
from tests.handbooks import handbook_kb

RULE = "展台附近不拍孩子攀爬展台的画面，也不让孩子站在展台上合影。"
ROWS = [
    ("c1", "违规情形: 拍摄孩子攀爬展台或站上展台 · 扣分: 6 分"),
    ("c1", "违规情形: 展会样品带回家转卖 · 扣分: 10 分"),
    ("c1", "违规情形: 展会样品试用笔记逾期未发 · 扣分: 3 分"),
    ("c1", "违规情形: 冒充品牌客服或展会讲解员 · 扣分: 12 分"),
    ("c2", "展位: A 区 · 面积: 36 平方米"),  # a table, but no penalty column
]


def test_a_question_asking_if_allowed_or_what_follows():
    assert asks_if_allowed("可以拍小朋友爬展台的视频吗？")
    assert asks_if_allowed("我就发一条应该没事吧") and asks_if_allowed("让朋友帮我拍，这样可以吧？")
    assert asks_if_allowed("Can I film my kid on the stand?") and asks_if_allowed("What happens if I do?")
    assert not asks_if_allowed("How long is the title allowed to be?")  # a limit, not a permission
    assert asks_if_allowed("How long before I'm allowed to take the post down?")
    assert not asks_if_allowed("群里说当天就能提现，真的假的？到底怎么算")  # 怎么 is no 吗
    assert not asks_if_allowed("展位面积多大？")


def test_penalty_rows_are_rows_with_a_penalty_column():
    assert [row for _, row in penalty_rows(ROWS)] == [row for _, row in ROWS[:4]]


def test_the_row_is_the_breach_the_quoted_rule_writes():
    assert breach_row("可以拍小朋友爬展台的视频吗？", [RULE], ROWS) == ROWS[0]
    assert breach_row("Can I film my kid climbing the stand?", [RULE], ROWS) == ROWS[0]
    assert breach_row("展台多高？", [RULE], ROWS) is None  # not asked whether it is allowed
    # the words two breaches share (展会样品) tell neither: a rule on trial notes is no rule on selling samples
    assert breach_row("样品能自己留着吗？", ["展会样品用完可以留下，但要在 14 天内发笔记。"], ROWS) is None
    assert breach_row("可以拍吗？", [RULE], ROWS[4:]) is None  # no penalty table
    # a role a breach's verb is about ("冒充…或展会讲解员") is no breach of a rule that only names the role
    assert breach_row("展会讲解员的讲解可以录下来发吗？", ["展会讲解员每天 10 点和 15 点各讲一场，可以录像。"], ROWS) is None
    assert breach_row("可以说自己是展会讲解员吗？", ["不能冒充展会讲解员，也不能自称品牌客服。"], ROWS) == ROWS[3]


HANDBOOKS = {
    "compliance.md": f"---\naudience: koc\n---\n# 展会拍摄规范\n\n{RULE}\n展会期间可以拍展品和自己的讲解。\n",
    "penalties.md": "---\naudience: koc\n---\n# 扣分办法\n\n| 违规情形 | 扣分 |\n| --- | --- |\n"
                    "| 拍摄孩子攀爬展台或站上展台 | 6 分 |\n| 展会样品带回家转卖 | 10 分 |\n",
    "hq-penalties.md": "---\naudience: hq\n---\n# 内部处理口径\n\n| 违规情形 | 处理 |\n| --- | --- |\n"
                       "| 拍摄孩子攀爬展台画面 | 内部观察名单 3 个月 |\n",
}


def test_the_answer_to_may_i_ends_with_what_breaking_the_rule_costs(tmp_path: Path) -> None:
    # one hit searched: the penalty table is not what the search returns, the rule is
    settings, kb = handbook_kb(tmp_path, HANDBOOKS, search_k=1)
    copilot = build_copilot(settings.model_copy(update={"policy": tmp_path / "no-policy.yaml"}), chat_model=None, kb=kb)
    result = copilot.ask("展会上可以拍孩子攀爬展台的画面吗？", PRIVATE_KOC, None)
    assert not result.refused
    assert "违反这条的处理：违规情形: 拍摄孩子攀爬展台或站上展台 · 扣分: 6 分" in result.answer
    cited = {c.source for c in result.citations}
    assert "penalties.md" in cited and "hq-penalties.md" not in cited
    assert "观察名单" not in result.answer  # an HQ-only table is never a KOC's answer
    assert any("观察名单" in row for _, row in kb.table_rows(None))
    assert not any("观察名单" in row for _, row in kb.table_rows(Viewer.koc(None, None)))
    # a question that asks no permission gets the rule alone
    plain = copilot.ask("展会拍摄规范是什么？", PRIVATE_KOC, None)
    assert "违反这条的处理" not in plain.answer
