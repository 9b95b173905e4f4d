"""Offline answers over the sample KB: cited real chunks, refusals for uncovered questions, the
asker's language and script, and answer latency (p95 recorded in the report)."""

from __future__ import annotations

import re

import pytest

from assistant.copilot import Copilot
from assistant.offline import _pairs_asked, evidence_answer
from ui.compose import build_copilot
from base.language import detect_language, to_simplified
from knowledge.types import Hit
from tests.assistant.askers import PRIVATE_KOC

COVERED = [
    ("晋级星光KOC需要满足哪些条件？", "zh-CN"),
    ("订单付款以后，佣金要冻结多久？", "zh-CN"),
    ("退款後傭金會怎樣？", "zh-TW"),
    ("How is commission calculated?", "en"),
    ("暖岛的创始人是谁？", "zh-CN"),
    ("销售比赛的奖品是什么？", "zh-CN"),
]
UNCOVERED = [
    "暖岛的股票现在多少钱一股？", "明天厦门会下雨吗？", "暖岛的口红有哪些色号？",
    "What was Nuandao's annual revenue last year?", "What's the weather going to be like in Shanghai this weekend?",
    "暖島有賣男士刮鬍泡嗎？",
]


@pytest.fixture
def copilot(settings, shared_kb) -> Copilot:
    return build_copilot(settings, chat_model=None, kb=shared_kb)


@pytest.mark.parametrize("question,lang", COVERED)
def test_offline_answer_cites_real_chunks(copilot: Copilot, shared_kb, question: str, lang: str) -> None:
    result = copilot.ask(question, PRIVATE_KOC)
    assert not result.refused, result.answer
    assert result.citations and result.provider == "offline" and result.language == lang
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.answer)}
    assert markers == {c.n for c in result.citations}
    stored = {h.chunk_id: h.text for h in shared_kb.get_chunks([c.chunk_id for c in result.citations])}
    for c in result.citations:
        assert stored[c.chunk_id] == c.text  # the citation is the real chunk, text and all
    # every quoted sentence comes from its cited chunk (compared in Simplified script)
    parts = re.split(r"\[(\d+)\]", result.answer)
    for segment, n in zip(parts[0::2], parts[1::2]):
        body = to_simplified(segment.strip().splitlines()[-1].strip(" .。；;-「」"))
        if not body:
            continue  # a second marker on the same sentence
        chunk = to_simplified(next(c.text for c in result.citations if c.n == int(n)))
        tail = body.split(": ")[-1] if " · " in body else body  # a table row is quoted with its header
        assert tail[-10:] in chunk, (body, n)


def test_rules_fact_reaches_the_answer(copilot: Copilot) -> None:
    result = copilot.ask("订单付款以后，佣金要冻结多久？", PRIVATE_KOC)
    assert "15" in result.answer


@pytest.mark.parametrize("question", UNCOVERED)
def test_uncovered_questions_are_refused_with_a_contact(copilot: Copilot, question: str) -> None:
    result = copilot.ask(question, PRIVATE_KOC)
    assert result.refused and not result.citations
    assert "ops@nuandao.example" in result.answer


def test_reply_script_follows_the_asker(copilot: Copilot) -> None:
    tw = copilot.ask("綻放KOC有什麼權益？", PRIVATE_KOC)
    assert detect_language(tw.answer) == "zh-TW" and not tw.refused
    cn = copilot.ask("绽放KOC有什么权益？", PRIVATE_KOC)
    assert detect_language(cn.answer) == "zh-CN"
    refusal = copilot.ask("暖島有賣男士刮鬍泡嗎？", PRIVATE_KOC)
    assert "暖島" in refusal.answer and "暖岛" not in refusal.answer


def test_english_question_over_chinese_evidence_gets_an_english_lead_in(shared_kb) -> None:
    hits = [h for h in shared_kb.search("订单付款以后，佣金要冻结多久？", k=5).hits if detect_language(h.text) != "en"]
    assert hits
    text, citations = evidence_answer("How long is commission frozen after payment?", hits, "en",
                                      profile=shared_kb.profile())
    assert text.startswith("The Nuandao handbook covers this")  # the brand's name from the KB profile
    neutral, _ = evidence_answer("How long is commission frozen after payment?", hits, "en")
    assert neutral.startswith("The handbook covers this")  # no profile: no brand named
    assert "15" in text and citations and citations[0].n == 1


def test_streaming_yields_text_then_the_result(copilot: Copilot) -> None:
    from assistant.types import AnswerResult

    items = list(copilot.stream("佣金怎么计算？", PRIVATE_KOC))
    assert isinstance(items[-1], AnswerResult)
    assert "".join(i for i in items[:-1]) .strip() == items[-1].answer


def test_empty_question_is_a_clear_error(copilot: Copilot) -> None:
    with pytest.raises(ValueError, match="empty"):
        copilot.ask("   ", PRIVATE_KOC)


def test_an_english_answer_quoting_english_and_chinese_says_only_part_is_chinese() -> None:
    hits = [Hit(text="Commission is frozen for 15 days after payment.", source="a.md", chunk_id="a", rank=1, score=0.9),
            Hit(text="佣金冻结 15 天后可结算，payment 后每月 10 日结算。", source="b.md", chunk_id="b", rank=2, score=0.8)]
    text, _ = evidence_answer("How long is commission frozen after payment?", hits, "en")
    assert text.startswith("The handbook covers this (partly quoted from the Chinese original)")
    english_only, _ = evidence_answer("How long is commission frozen after payment?", hits[:1], "en")
    assert "Chinese original" not in english_only


def test_a_follow_up_is_answered_as_the_question_it_continues(copilot: Copilot) -> None:
    """"那星光呢？" is routed with the question before it (never the greeting a bare "…呢" may resemble)."""
    first = copilot.ask("绽放KOC每月有几个测评名额？", PRIVATE_KOC)
    follow = copilot.ask("那星光呢？", PRIVATE_KOC, first.session_id)
    assert follow.intent == "rules" and not follow.refused
    assert "星光" in follow.answer and "2" in follow.answer


JACKETS = ("| 款号 | 名称 | 面料 | 售价 |\n| --- | --- | --- | --- |\n"
           "| JK-01 | 松针 保暖夹克 | 再生尼龙 | 699 元 |\n"
           "| JK-02 | 云杉 羽绒夹克 | 防泼水涤纶 | 899 元 |\n"
           "| JK-03 | 白桦 软壳夹克 | 弹力锦纶 | 599 元 |\n\n"
           "- 夹克均提供 1 年质保。")


HUMIDITY = ("| 编号 | 商品名 | 容量 | 零售价 |\n| --- | --- | --- | --- |\n"
            "| DH-01 | 静音 除湿机 | 12 升 | 899 元 |\n"
            "| DH-02 | 迷你除湿机 | 2 升 | 299 元 |\n"
            "| HM-01 | 桌面 加湿器 | 3 升 | 199 元 |")


def test_a_kind_names_every_row_whose_name_ends_on_it() -> None:
    """A column headed 商品名 names its rows, and so does the kind a name ends on: "除湿机多少钱？" is
    answered with both dehumidifier rows, not with the humidifier's."""
    hits = [Hit(text=HUMIDITY, source="catalogue.md", chunk_id="h", rank=1, score=0.9)]
    text, _ = evidence_answer("除湿机多少钱？", hits, "zh-CN")
    assert "899 元" in text and "299 元" in text and "加湿器" not in text


def test_a_question_naming_one_row_is_answered_with_that_row() -> None:
    """A short table chunk is quoted whole, but not the rows about products the question never names:
    the asked product's row and the notes under the table stay."""
    hits = [Hit(text=JACKETS, source="catalogue.md", chunk_id="t", rank=1, score=0.9)]
    text, _ = evidence_answer("松针夹克多少钱？", hits, "zh-CN")
    assert "699 元" in text and "质保" in text
    assert "云杉" not in text and "白桦" not in text
    both, _ = evidence_answer("松针和白桦夹克分别是什么面料？", hits, "zh-CN")
    assert "再生尼龙" in both and "弹力锦纶" in both and "云杉" not in both
    unnamed, _ = evidence_answer("夹克都有哪些款？", hits, "zh-CN")  # no row named: the whole table
    assert all(name in unnamed for name in ("松针", "云杉", "白桦"))
    for against in ("比松针更便宜的夹克是哪款？", "How does the 松针 jacket compare with the other jackets?"):
        compared, _ = evidence_answer(against, hits, "zh-CN")  # set against the others: every row
        assert all(name in compared for name in ("松针", "云杉", "白桦")), against


FAQ = ("问：押金什么时候退？\n答：活动结束后 7 个工作日内原路退回。\n"
       "问：可以带朋友一起参加吗？\n答：每位报名者可以带 1 位同伴，同伴不单独计名额。\n"
       "问：活动当天下雨怎么办？\n答：小雨照常进行，暴雨会提前一天在群里通知改期。")


def test_a_faq_chunk_is_quoted_for_the_pair_that_answers() -> None:
    """A short chunk of several questions and answers is no passage to quote whole: the pair that
    answers is quoted, the others answer something else."""
    hits = [Hit(text=FAQ, source="faq.md", chunk_id="f", rank=1, score=0.9)]
    text, _ = evidence_answer("可以带朋友一起参加吗？", hits, "zh-CN")
    assert "1 位同伴" in text and "押金" not in text and "下雨" not in text


def test_a_faq_question_one_chunk_ends_on_is_quoted_from_the_chunk_that_answers_it() -> None:
    """Chunks overlap: one ends on a FAQ's question, the next repeats it with its answer. The question alone
    answers nothing, so the answer is quoted from the chunk that holds it, whichever ranks first."""
    ends = "问：押金什么时候退？\n答：活动结束后 7 个工作日内原路退回。\n问：可以带朋友一起参加吗？"
    rest = "问：可以带朋友一起参加吗？\n答：每位报名者可以带 1 位同伴，同伴不单独计名额。\n问：活动当天下雨怎么办？"
    hits = [Hit(text=ends, source="faq.md", chunk_id="f1", rank=1, score=0.9),
            Hit(text=rest, source="faq.md", chunk_id="f2", rank=2, score=0.8)]
    text, citations = evidence_answer("可以带朋友一起参加吗？", hits, "zh-CN")
    assert "1 位同伴" in text and [c.chunk_id for c in citations] == ["f2"]


def test_a_faq_pair_stating_the_value_asked_stays_beside_the_pair_picked() -> None:
    """When the pair picked states no value of the kind the question asks (a rate), the pairs that do
    stay: the figure may sit in a neighbouring answer (an English question's pick is by meaning)."""
    lines = ["Q1：粉丝不多还能报名吗？", "A：一般门槛是 500 粉以上，老顾客可以破格。", "Q2：互动怎么算？",
             "A：互动数除以粉丝数，要求不低于 3%。", "Q3：样品要寄回吗？", "A：价值超过 300 元的要寄回。"]
    assert _pairs_asked(lines, ["Q1：粉丝不多还能报名吗？"]) == lines[:2]
    assert _pairs_asked(lines, ["Q1：粉丝不多还能报名吗？"], "percentage") == lines[:4]
    assert _pairs_asked(lines, ["Q3：样品要寄回吗？"], "amount") == lines[4:]  # the pick states the sum asked
    assert _pairs_asked(lines, ["不在这里的句子"]) == lines  # no pair holds a pick: quoted whole


CLAIMS_HANDBOOK = """---
audience: koc
---
# 奖励与提现

## 奖励比例

烤箱的奖励比例为实付金额的 8%。

## 提现

签收满 15 天后，奖励可以在小程序里提现。
"""


def test_a_rule_passed_on_whose_figures_the_handbooks_never_state_is_denied(tmp_path) -> None:
    """"群里有人说一律 45%，签收 2 小时就能提现，对吧？": the refusal says the handbooks have no such rule, so the claim
    is denied, not merely left unanswered, and its figures are not repeated (a quoted line would carry them). A
    claim the handbooks bear out is answered, with no denial."""
    from tests.handbooks import handbook_kb

    settings, kb = handbook_kb(tmp_path, {"rewards.md": CLAIMS_HANDBOOK})
    copilot = build_copilot(settings, chat_model=None, kb=kb)
    denied = copilot.ask("群里有人说现在烤箱一律 45%，签收 15 天后就能提现，对吧？", PRIVATE_KOC)
    assert denied.refused and "没有你说的这条规定" in denied.answer and "45%" not in denied.answer, denied.answer
    english = copilot.ask("The group notice says ovens now pay 45% and I can cash out 2 hours after delivery, right?",
                          PRIVATE_KOC)
    assert english.refused and "have no such rule" in english.answer, english.answer
    assert "45%" not in english.answer and "2 hours" not in english.answer
    confirmed = copilot.ask("听说签收满 15 天后奖励就能提现，对吧？", PRIVATE_KOC)
    assert not confirmed.refused and "15 天" in confirmed.answer and "没有你说的这条规定" not in confirmed.answer



def test_whether_a_rule_passed_on_is_true_is_answered_by_the_handbooks_own_rule(tmp_path) -> None:
    """"群里有人说烤箱奖励是 45%，签收满 2 天就能提现，真的吗？" asks whether the rule is true, not to use it: the claim is
    denied first, then the handbooks' own rate and wait are quoted, and the claimed figure is never repeated."""
    from tests.handbooks import handbook_kb

    settings, kb = handbook_kb(tmp_path, {"rewards.md": CLAIMS_HANDBOOK})
    copilot = build_copilot(settings, chat_model=None, kb=kb)
    told = copilot.ask("群里有人说烤箱的奖励比例为实付金额的 45%，签收满 2 天后奖励就可以在小程序里提现，真的吗？", PRIVATE_KOC)
    assert not told.refused and "没有你说的这条规定" in told.answer, told.answer
    assert "8%" in told.answer and "15 天" in told.answer and "45%" not in told.answer, told.answer
    assert told.answer.index("没有你说的这条规定") < told.answer.index("8%")
    # asked to be worked out or confirmed ("对吧"), the same claim is still refused after the denial
    confirmed = copilot.ask("群里有人说烤箱的奖励比例为实付金额的 45%，签收满 2 天后奖励就可以在小程序里提现，对吧？", PRIVATE_KOC)
    assert confirmed.refused and "没有你说的这条规定" in confirmed.answer and "45%" not in confirmed.answer

LIST_HANDBOOK = """---
audience: koc
---
# 内容发布规范

## 一、合作标识

每一篇合作笔记都要在正文第一行写明合作，并带上品牌话题。

## 二、禁止使用的功效说法

减肥、燃脂、降血糖、排毒、治疗失眠、替代药物。

## 三、审核流程

笔记发布前提交审核，运营在 2 个工作日内给出结果。
"""


def test_a_bare_list_is_read_and_quoted_with_the_title_that_says_what_its_items_are(tmp_path) -> None:
    """A section whose body is only a list of items ("减肥、燃脂、排毒。") shares no word with "哪些功效说法不能用？";
    its title does. The list is read with its title, and quoted under it, so the answer says what the items are."""
    from tests.handbooks import handbook_kb

    settings, kb = handbook_kb(tmp_path, {"content.md": LIST_HANDBOOK})
    result = build_copilot(settings, chat_model=None, kb=kb).ask("哪些功效说法不能用？", PRIVATE_KOC)
    assert not result.refused, result.answer
    assert "二、禁止使用的功效说法：减肥、燃脂" in result.answer, result.answer


@pytest.mark.parametrize("sentence,bare", [
    ("减肥、燃脂、降血糖、排毒、治疗失眠、替代药物。", True),
    ("Zoom, Tencent Meeting, Microsoft Teams", True),
    ("禁用词：最好、第一、顶级", False),  # its lead words say what the items are
    ("演示空气炸锅、咖啡机等高温操作时，主播须戴隔热手套；", False),  # a clause of its own
    ("本手册只供总部运营、财务、供应链同事阅读。", False),  # a sentence whose first and last items say things
    ("等级: 一级 · 订单: 5 · 内容: 3", False),  # a table row
])
def test_a_bare_list_is_short_items_and_nothing_else(sentence: str, bare: bool) -> None:
    from knowledge.sentences import is_bare_list

    assert is_bare_list(sentence) is bare


STEPS_HANDBOOK = """---
audience: koc
---
# 新人指南

## 一、谁可以报名

年满 18 周岁、完成实名认证的顾客都可以报名。

## 二、注册步骤

1. 在小程序里点击申请加入；
2. 填写实名信息，上传账号主页截图；
3. 运营在 3 个工作日内完成审核。

## 三、结算

每月 20 日前把上月佣金打到本人银行卡。
"""


def test_a_lists_items_are_read_and_quoted_under_the_title_that_names_their_subject(tmp_path) -> None:
    """"怎么注册？" over numbered steps that never write 注册: the items' subject is their section's title
    ("二、注册步骤"), so they are read with it and quoted under it."""
    from tests.handbooks import handbook_kb

    settings, kb = handbook_kb(tmp_path, {"guide.md": STEPS_HANDBOOK})
    result = build_copilot(settings, chat_model=None, kb=kb).ask("怎么注册？", PRIVATE_KOC)
    assert not result.refused, result.answer
    assert result.answer.startswith("二、注册步骤\n") and "3 个工作日内完成审核" in result.answer, result.answer
