"""Answer types, answerability, follow-up cues and sentence similarity: corpus-neutral rules,
tested on invented text that names no brand."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
import pytest

from base.language import CJK_RE, detect_language
from assistant.answer_rules import glossary_hint, search_query
from assistant.answer_focus import (asked_act, asked_kinds, measure_after_count, asked_attribute, asked_unit, condition_words,
                                    focus_nouns, missing_focus, scene_apart, states_attribute, subject_apart, times_the_act)
from assistant.answer_type import (COUNTED_THINGS, unit_forms, announces_the_list, asked_list_size, asked_time_unit, asks_at, asks_maximum, question_shape,
                                   asks_pass_mark, states_pass_mark,
                                   states_bound, states_count, states_maximum, states_vague_count, states_value,
                                   weighs_a_figure)
from assistant.evidence_scorer import EvidenceScorer, calibration, corpus_knows, idf_weight
from assistant.follow_up import (conversation_query, conversation_root, follow_up_query, is_follow_up, thing_words,
                                 with_next_tier)
from assistant.offline import (_Candidate, names_subject, _a_part_is_covered, vector_parts, answers_no_part, asking_parts, _cover_parts, CROSS_LINGUAL_STRONG_EVIDENCE, LEXICAL_SHARE, rest_of_question, HEADING_SHARE, STRONG_EVIDENCE, answers_shape, evidence_answer, focus_missing, is_covered, names_the_items,
                               question_parts, select_sentences, standalone_parts, uncovered_parts, unstated_premise)
from assistant.text_match import overlap_score, query_terms, term_groups_in
from knowledge.embed_cache import text_key
from knowledge.lexical import LexicalIndex, Tokenizer
from knowledge.types import Hit


@pytest.mark.parametrize("question,answer_type", [
    ("退货运费是多少钱？", "amount"), ("How much does the starter kit cost?", "amount"),
    ("佣金比例是百分之几？", "percentage"), ("What is the commission rate for skincare?", "percentage"),
    ("What's the minimum average engagement rate I need?", "percentage"),  # a rate named by its kind
    ("税率多少？", "percentage"), ("退货率具体是多少？", "percentage"), ("分成比例大概是多少？", "percentage"), ("这个计划是哪一年开始的？", "year"), ("In what year was it founded?", "year"),
    ("每月几号发钱？", "calendar_day"), ("创始人的生日是哪天？", "calendar_day"), ("活动在几月份？", "day"), ("When is the payout?", "date"), ("考核期有多久？", "duration"),
    ("How long is the grace period?", "duration"), ("至少要发几篇笔记？", "number"), ("升级多久评估一次？", "frequency"),
    ("How many followers do I need?", "number"), ("要怎么报名？", ""), ("Can I sell other brands?", ""),
    ("審核要幾天？", "duration"), ("这条河有多长？", "number"),
    ("What's the customer service phone number?", "phone"), ("客服電話是多少？", "phone"), ("总部邮箱是什么？", "email"),
    # a number or address mentioned, not asked: the question asks something else
    ("If I email the institute with a question, how soon should I expect a reply?", "duration"),
    ("How many credit points do I lose if I collect fans' phone numbers?", "number"),
    ("What's the phonetic rendering of the name?", ""),
    # "when" inside a clause sets a condition; opening the question or a clause it asks a date
    ("What did the survey find when it was repeated?", ""), ("How much do I get when a friend buys a kettle?", "amount"),
    ("Who runs the club, and when does it meet?", "date"), ("Can you tell me when payouts happen?", "date"),
    # "how much does it weigh" asks a weight, not a price
    ("How much does the kettle weigh?", "number"), ("How much does the kettle cost?", "amount"),
    # what a sale pays may be a rate or a sum ("0 元", "15%"); what someone pays for something is a sum
    ("What commission do I get on the membership card?", "number"), ("How much extra do books pay on launch day?", "number"),
    ("How much do customers pay for shipping?", "amount"), ("How much does a brand pay a KOC per post?", "amount"),
    ("新人券能打几折？", "percentage"), ("What discount do members get?", "percentage"),
    ("Is the launch coupon 15% off?", "percentage"), ("佣金比例是18%吗？", "percentage"),
    # a minimum before a payout is a sum of money; a minimum number of things is a count
    ("Is there a minimum before earnings are paid out?", "amount"), ("Is there a minimum before I can withdraw?", "amount"),
    ("What's the minimum number of posts before you pay me?", "number"),
    ("What is the minimum age to join?", "age"), ("几岁可以报名？", "age"), ("报名有年龄限制吗？", "age"),
    ("What is the shelf life of the toner?", "duration"),
    ("What are the exact start and end dates of the summer sale?", "date"), ("What is the deadline for entries?", "date"),
    ("Is my profile up to date?", ""),
    # "几" telling what happened before a yes/no question is "a few"; asked on its own it is "how many"
    ("朋友买了几盒，算我的单吗？", ""), ("上个月我卖了几单？", "number"),
    # examples asked for ("举几个例子"), or which kinds ("分成哪几类"), are items, not a count of them
    ("直播时哪些话不能说？举几个例子。", ""), ("售后问题分成哪几类？", ""), ("售后问题一共分几类？", "number"),
    # how long to wait before trying again is a duration; "多久…一次" without "再" asks how often
    ("申请被驳回了，隔多长时间能再提交一次？", "duration"), ("积分多久清零一次？", "frequency"),
    # how much of a sum of money is a sum, even when the noun is in the part before ("…补贴吗？补多少？");
    # a commission may be a rate, a count of days is a length of time and a count of items stays a count
    ("参加培训有交通补贴吗？补多少？", "amount"), ("押金是多少？", "amount"), ("佣金是多少？", "number"),
    ("补贴能领多少天？", "duration"),
    # a percentage named after what it is of ("what commission percentage", "what share of the price")
    ("What commission percentage do you recommend for pet food?", "percentage"),
    # "carries the most weight" weighs importance; "the weight of the tent" is a mass
    ("Which of the three scores carries the most weight?", ""), ("What is the weight of the tent?", "number"),
    # an opening "when" clause sets the scene of the question after its comma; opening the question, it asks
    ("When I post about the decaf beans, which words am I not allowed to use?", ""),
    ("When I do a co-stream, how long does the session run?", "duration"),
    # whether the pay is reckoned as a share at all: "no, a fixed 20 元 a box" answers it as well as a rate
    ("卖出一个礼盒提成怎么算？也是按售价的百分比吗？", ""), ("礼盒的佣金比例是多少？", "percentage"), ("When does the contest end, and what do winners get?", "date"), ("What share of the price do I get?", "percentage"), ("每月红包有多少个？", "number"),
])
def test_answer_type_of_a_question(question: str, answer_type: str) -> None:
    assert question_shape(question).answer_type == answer_type


def test_a_discount_question_is_not_answered_by_a_coupon_rule_that_states_none() -> None:
    """"What discount does the coupon give?" over evidence saying only who a coupon order counts for."""
    hit = Hit(text="顾客下单时使用你的优惠码，订单就计入你名下。优惠码不能转让。", source="rules.md", chunk_id="c1", rank=1, score=0.9)
    question = "What discount does my coupon code give — is it 10% off?"
    picked = select_sentences(question, [hit])
    assert picked and not answers_shape(question, picked)
    stated = Hit(text="新人优惠码在结账时打九折，每位顾客限用一次。", source="rules.md", chunk_id="c2", rank=1, score=0.9)
    assert answers_shape("新人优惠码打几折？", select_sentences("新人优惠码打几折？", [stated]))


def test_what_is_paid_out_is_not_answered_by_the_floor_a_rule_sets() -> None:
    """"奖励给多少" over a rule whose only figures are the floors an order must reach ("单次 50 本以上或金额 6,000
    元以上 … 另有奖励"): the reward is not stated. A sum paid beside the floor answers it, and a question after
    the floor itself ("满多少才有奖励") is answered by the floor."""
    floors = Hit(text="学校批量订购（单次 50 本以上或金额 6,000 元以上）须走教育渠道，不计佣金，报备后另有奖励。",
                 source="rules.md", chunk_id="c1", rank=1, score=0.9)
    for question in ("学校批量订购算在我名下后，奖励给多少？", "学校订购报备后能得多少钱？"):
        picked = select_sentences(question, [floors])
        assert picked and not answers_shape(question, picked), question
    paid = Hit(text="学校批量订购（金额 6,000 元以上）报备后，每单奖励 300 元。", source="rules.md", chunk_id="c2", rank=1,
               score=0.9)
    question = "学校批量订购算在我名下后，奖励给多少？"
    assert answers_shape(question, select_sentences(question, [paid]))
    floor_asked = "学校批量订购金额满多少才有奖励？"
    assert answers_shape(floor_asked, select_sentences(floor_asked, [floors]))


@pytest.mark.parametrize("question", ["会员权益一共有哪几类？", "三个等级的门槛分别是什么？", "Which three things must a poster show?",
                                      "能给我举几个开场白的例子吗？", "推荐几款适合送长辈的"])
def test_list_questions(question: str) -> None:
    assert question_shape(question).is_list


@pytest.mark.parametrize("answer_type,text,expected", [
    ("amount", "报名费 ¥99，次月退还。", True), ("amount", "报名需要提交资料并通过审核。", False),
    ("amount", "参加培训完全免费。", True), ("percentage", "护肤类佣金 12%。", True),
    ("percentage", "佣金按订单金额计算。", False), ("duration", "审核一般在 2 个工作日内完成。", True),
    ("frequency", "系统每天评估一次。", True), ("duration", "每年举办一次。", False), ("duration", "考核期结束后自动淘汰。", False),
    ("year", "品牌 2019 年创立。", True), ("year", "品牌在海边创立。", False),
    ("date", "每月 10 日结算。", True), ("number", "至少发布 5 篇笔记。", True), ("number", "要多发笔记。", False),
    # a year is no day of the month and no length of time; a frequency is no date
    ("day", "每月 10 日结算。", True), ("day", "品牌 2019 年创立。", False), ("day", "每天晚上查资料。", False),
    ("duration", "2026 年的新品上市了。", False), ("duration", "保质期 3 年。", True),
    # years before 1800 and reign years in Chinese numerals; an era answers "when"
    ("year", "寺庙建于乾隆十八年。", True), ("year", "公元 475 年即位。", True), ("date", "这一姓氏可追溯到金朝。", True),
    # "哪一年" is not answered by a day that comes every year, nor by one or two years of time
    ("year", "会员每年 10 月可以参加一次开放日。", False), ("year", "年会总结一年的工作。", False),
    ("year", "合作满两年可以续约。", False), ("year", "光绪元年设立。", True), ("year", "同年 10 月两省合并。", True),
    # a phone number is a long run of digits, not a year or a count; an e-mail address has its @
    ("phone", "客服热线 400-820-1234，工作日 9 点到 18 点。", True), ("phone", "品牌 2019 年创立，有 4 个等级。", False),
    ("email", "其他问题请发邮件到 help@brand.example。", True), ("email", "其他问题请联系服务号。", False),
    # sums in 万 / 亿 and after 人民币; no wait is a length of time; "every two weeks" is a frequency
    ("amount", "总投资2.5亿元。", True), ("amount", "报名费人民币 300。", True),
    ("duration", "审核当天完成。", True), ("frequency", "每两周评估一次。", True), ("frequency", "每隔 3 天提醒。", True),
    # an age is counted in years of life, not any number ("本期限招 50 人" states no age limit)
    ("age", "年满 18 周岁即可报名。", True), ("age", "Members must be 16 or older.", True),
    ("age", "本期限招 50 人。", False), ("age", "适合 3 岁以上儿童。", True),
    # "每个月" and a count per period are frequencies as "每月" is; a bare count of times is not
    ("frequency", "总部每个月会推送 2 次清仓链接。", True), ("frequency", "一个季度最多申请 3 次。", True),
    ("frequency", "The newsletter goes out twice a month.", True), ("frequency", "共有 3 次补考机会。", False),
])
def test_evidence_states_the_value(answer_type: str, text: str, expected: bool) -> None:
    assert states_value(answer_type, text) is expected


RULES = Hit(text="年度旅行：每年邀请最高等级的推广员参加年度旅行。\n考核期为 60 天，期内至少完成 5 笔订单。\n"
                 "护肤类佣金比例 12%，母婴类 10%。", source="rules.md", chunk_id="c1", rank=1, score=0.9)


def test_near_miss_without_the_value_is_refused() -> None:
    """The text says a trip exists, never how long it lasts or what it costs: refuse, although the
    neighbouring sentences match the question's words and hold other numbers."""
    for question in ("年度旅行一般安排几天？", "年度旅行的费用是多少钱？"):
        picked = select_sentences(question, [RULES])
        assert picked and not answers_shape(question, picked)
        assert not is_covered(question, True, [RULES], picked)


def test_question_whose_value_is_stated_is_covered() -> None:
    for question in ("考核期有多久？", "护肤类的佣金比例是百分之几？"):
        picked = select_sentences(question, [RULES])
        assert is_covered(question, True, [RULES], picked), question


PRODUCT = Hit(text="晨露精华 30ml，价格 ¥129。\n核心成分：茶树提取物、低浓度果酸。\n"
                   "举例：卖出 2 瓶晨露精华，¥258 × 12% = ¥30.96。", source="products.md", chunk_id="p1", rank=1, score=0.9)


def test_a_value_stated_of_another_attribute_is_no_answer() -> None:
    """The text names the serum, its acid and a 12% commission rate, but never the acid's
    concentration: "浓度是百分之几" is refused although a percentage sits beside the product's name."""
    question = "晨露精华里的果酸浓度是百分之几？"
    picked = select_sentences(question, [PRODUCT])
    assert picked and not answers_shape(question, picked, hits=[PRODUCT])
    assert answers_shape("晨露精华的价格是多少钱？", select_sentences("晨露精华的价格是多少钱？", [PRODUCT]), hits=[PRODUCT])


def test_a_count_asked_in_a_unit_needs_a_count_in_that_unit() -> None:
    """"培训群有多少人" is not answered by a sentence about the group that counts four points; a head
    count in another word for people (名, 人数) is one; "多少人口" asks the attribute, not a unit."""
    assert asked_unit("新人培训群里有多少人？") == "人位名"
    assert asked_unit("每期要交几篇作业？") == "篇条"
    assert asked_unit("这座城市有多少人口？") == "" and asked_unit("要发几个？") == COUNTED_THINGS
    assert asked_unit("几位导师带一期？") == "人位名" and asked_unit("奖品分哪几类？") == ""  # which ones: a list
    # a classifier borrowed for a noun named by its own unit: orders are counted by 张 as by 单 or 笔
    assert set(unit_forms(asked_unit("上一季最少要有幾張有效訂單？"))) >= {"张", "单", "笔"}
    assert asked_unit("每月能领几张优惠券？") == "张"
    # the count noun after the words that qualify it: not "things" because a platform's name comes first
    assert "followers?" in asked_unit("How many Weibo or Bilibili followers do I need to apply?").split("|")
    assert "posts?" in asked_unit("How many of my posts count each month?").split("|")
    # a length in characters is answered by a count of characters, not by a cap in yuan beside it
    assert "字" in asked_unit("昵称最多可以用几个字？").split("|")
    assert not states_maximum("每年最多改 2 次", asked_unit("昵称最多可以用几个字？"))
    assert states_maximum("昵称最多 12 个字", asked_unit("昵称最多可以用几个字？"))
    assert not states_count("人位名", "培训群里进行，一篇好的文案有四个核心要点。")
    assert states_count("人位名", "每期招募 30 名学员。") and states_count("人位名", "社群人数: 80")
    assert states_count("人位名", "有178万多人投票") and states_count("家间", "共有28间分店")
    group = Hit(text="每一期新人培训都在一个专门的培训群里进行。\n一篇好的邀请文案有四个核心要点。",
                source="guide.md", chunk_id="g1", rank=1, score=0.9)
    question = "新人培训群里有多少人？"
    picked = select_sentences(question, [group])
    assert picked and not answers_shape(question, picked, hits=[group])
    sized = Hit(text="每一期新人培训都在一个专门的培训群里进行，每期招募 30 名学员。", source="guide.md",
                chunk_id="g2", rank=1, score=0.9)
    assert answers_shape(question, select_sentences(question, [sized]), hits=[sized])


def test_every_measure_word_of_a_count_types_the_question_and_the_evidence() -> None:
    """"几所 / 几张 / 几场" ask how many as "几篇" does, and "四所" states that count; a lone 一 before
    such a word is an article ("推出一款新品", "是一家新品牌") and counts nothing."""
    for question in ("全市共有几所高中？", "每月能领几张券？", "一年办几场活动？", "有几家门店？"):
        assert question_shape(question).answer_type == "number", question
    assert states_value("number", "全市共四所高中") and states_value("number", "每年举办十二场")
    assert not states_value("number", "这是一家新品牌，今年推出一款新品。")
    assert states_value("number", "每月一次") and states_value("number", "限领一件")


def test_a_height_or_a_weight_asked_needs_a_length_or_a_weight() -> None:
    """"有多高" is not answered by a year or a price in the passage about the tower; its height is, stated
    in another chunk about the tower without naming it again (not in a chunk about another tower).
    "how far in advance" asks a time, not a distance."""
    assert states_count(asked_unit("这座钟楼有多高？"), "塔身高约四十二米")
    assert states_count(asked_unit("How tall can the tree grow?"), "树高可达 30 米")
    assert states_count(asked_unit("这台烤箱多重？"), "重量: 6.5 kg")
    assert states_count(asked_unit("How much does the kettle weigh?"), "The kettle weighs 1.2 kg.")
    assert not states_count(asked_unit("这座钟楼有多高？"), "钟楼建于 1921 年，门票 20 元。")
    assert asked_unit("How far in advance must I book?") == ""  # a time
    assert states_count(asked_unit("合同的任期是多长？"), "任期 4 年")  # a term's length is a time
    question = "旧城钟楼有多高？"
    built = Hit(text="旧城钟楼建于 1921 年，门票 20 元。", source="city.md", chunk_id="c0", rank=1, score=0.9)
    assert _shape_refuses(question, built)
    # a passage cut in two chunks: the lead names the tower, the other chunk states its height
    height = Hit(text="钟楼历史悠久。\n塔身高约四十二米，顶层设有观景台。", source="city.md", chunk_id="c1", rank=1,
                 score=0.9)
    lead = Hit(text="旧城钟楼是河口老城区的一座砖石钟楼。", source="city.md", chunk_id="c2", rank=2, score=0.8)
    hits = [height, lead]
    picked = select_sentences(question, hits)
    assert max(picked, key=lambda c: c.overlap).hit_rank == 1
    assert answers_shape(question, picked, hits=hits)
    # the same height in a passage about another tower answers nothing about this one
    elsewhere = Hit(text="新区电视塔建成较晚。\n塔身高约四十二米，顶层设有观景台。", source="city.md", chunk_id="c3", rank=1,
                    score=0.9)
    hits = [elsewhere, lead]
    assert not answers_shape(question, select_sentences(question, hits), hits=hits)


def test_a_vague_quantity_in_the_asked_unit_leaves_the_count_open() -> None:
    """A row that gives each flavour "若干袋" leaves the per-flavour count open, though the box's size
    in the same unit is stated; a row that states the count answers it."""
    unit = asked_unit("组合装里每种口味各有几袋？")
    assert states_vague_count(unit, "内容: 甲、乙、丙 各若干袋 · 规格: 12 袋/盒")
    assert not states_vague_count(unit, "内容: 甲、乙、丙 各 4 袋 · 规格: 12 袋/盒")
    assert not states_vague_count("", "各若干袋") and not states_vague_count(COUNTED_THINGS, "若干个")
    question = "组合装里每种口味各有几袋？"
    open_count = Hit(text="名称 | 内容 | 规格\n--- | --- | ---\n三味组合装 | 甲、乙、丙 各若干袋 | 12 袋/盒",
                     source="catalogue.md", chunk_id="v1", rank=1, score=0.9)
    stated = Hit(text="名称 | 内容 | 规格\n--- | --- | ---\n三味组合装 | 甲、乙、丙 各 4 袋 | 12 袋/盒",
                 source="catalogue.md", chunk_id="v2", rank=1, score=0.9)
    assert _shape_refuses(question, open_count)
    assert answers_shape(question, select_sentences(question, [stated]), hits=[stated])


def test_a_length_of_time_asked_in_a_unit_needs_one_in_a_near_unit() -> None:
    """"合同一签是几年" is not answered by the 14 days a sample post is due in, nor by 5 seconds of a
    video rule; 24 个月 is a few years, and 48 小时 a few days."""
    assert asked_time_unit("推广合同一签是几年？") == "个月|月|months?|年|years?"
    assert asked_time_unit("考核期有多久？") == ""
    years, days = asked_time_unit("一签是几年？"), asked_time_unit("How many days until it settles?")
    assert not states_count(years, "签收后 14 天内发布内容。") and not states_count(years, "开头 5 秒内说明合作关系。")
    assert states_count(years, "合作期为 24 个月。") and states_count(years, "协议有效期两年。")
    assert states_count(days, "48 小时内到账。") and states_count(days, "settled within 3 days")
    terms = Hit(text="样品签收后 14 天内发布内容。\n视频开头 5 秒内说明合作关系。\n报名须签署推广合同。",
                source="rules.md", chunk_id="t1", rank=1, score=0.9)
    assert _shape_refuses("推广合同一签是几年？", terms)
    assert answers_shape("样品签收后几天内要发布？", select_sentences("样品签收后几天内要发布？", [terms]), hits=[terms])


def test_a_clause_that_sets_the_scene_leaves_one_question_not_two() -> None:
    """"视频忘了加合作标识，会被扣几分？" asks one thing about the scene it sets: the points another
    rule deducts ("刷单…会被扣 30 分") do not answer it; a second question of its own does get its
    own answer."""
    labelled = Hit(text="推广视频须在开头加上「品牌合作」标识，并在简介中注明。", source="r.md", chunk_id="s1",
                   rank=1, score=0.9)
    points = Hit(text="刷单金额超过 2000 元的，会被扣 30 分。", source="r.md", chunk_id="s2", rank=2, score=0.8)
    hits = [labelled, points]
    scene = "推广视频忘了在开头加「品牌合作」标识，会被扣几分？"
    assert not answers_shape(scene, select_sentences(scene, hits), hits=hits)
    two = "样品寄到后试稿要几天内交？刷单会被扣几分？"
    assert answers_shape(two, select_sentences(two, hits), hits=hits)


def test_which_three_needs_the_three_named() -> None:
    """"具体是哪三款" is answered by a list, not by the sentence that says there are three."""
    assert asked_list_size("体验礼盒里的小样具体是哪三款？") == 3 and asked_list_size("Which three things should I learn?") == 3
    assert asked_list_size("奖品分哪几类？") == 0 and asked_list_size("体验礼盒有几款？") == 0
    assert asked_list_size("Which two-year programmes does it offer?") == 0  # a kind of programme, not a number
    # two things are often named as a pair
    pair = Hit(text="这条线路来往于北站与南湾码头。", source="a.md", chunk_id="l3", rank=1, score=0.9)
    assert names_the_items("这条线路来往于哪两个地方？", select_sentences("这条线路来往于哪两个地方？", [pair]))
    counted = Hit(text="新人可以申请一次体验礼盒，内含 3 款小样，各 5 毫升。", source="a.md", chunk_id="l1", rank=1, score=0.9)
    named = Hit(text="新人体验礼盒内含 3 款小样：晨光、山岚、暮色，各 5 毫升。", source="a.md", chunk_id="l2", rank=1, score=0.9)
    question = "新人体验礼盒里的小样具体是哪三款？"
    assert not names_the_items(question, select_sentences(question, [counted]))
    assert names_the_items(question, select_sentences(question, [named]))
    assert is_covered(question, True, [named], select_sentences(question, [named]))
    assert not is_covered(question, True, [counted], select_sentences(question, [counted]))


@pytest.mark.parametrize("question,attribute", [
    ("晨露精华里的果酸浓度是百分之几？", ("果酸", "浓度")), ("这款面霜的 PA 是几个加？", ("pa",)),
    ("漠河机场的投资金额是多少？", ("投资", "金额")), ("星光和灯塔每个月分别能领几个测评名额？", ()),
    # a rate jieba cuts off its act, and one the asking words begin with ("率是多少")
    ("这批订单退货率是多少？", ("订单", "退货率")), ("这批订单的退货率是多少？", ("退货率",)), ("聚会的场地费多少钱？", ("场地费",)),
    # "具体" between the attribute and the asking words asks it as exactly, not something else
    ("这批订单的退货率具体是多少？", ("退货率",)),
])
def test_the_attribute_a_question_measures(question: str, attribute: tuple[str, ...]) -> None:
    at = asks_at(question)
    assert at is not None and asked_attribute(question, at) == attribute


@pytest.mark.parametrize("question,previous,expected", [
    ("那星光呢？", "灯塔的佣金倍数是多少？", True), ("它多少钱？", "保湿水的成分有哪些？", True),
    ("What about the kids' one?", "What SPF does the sunscreen have?", True),
    ("How much is it?", "Tell me about the face cream.", True), ("星光", "灯塔的佣金倍数是多少？", True),
    ("怎么升级到下一个等级？", "这个月我赚了多少佣金？", False),
    ("佣金怎么结算？", "灯塔的佣金倍数是多少？", False),
    ("这个月我赚了多少佣金？", "怎么升级？", False),
    # "one" standing for a thing, and a pronoun the question ends on, point back whatever the length
    ("How do I move up to the next one?", "What levels are there?", True),
    ("How much commission do I get for that?", "Can I rent a projector through my link?", True),
    ("What is the one thing I must never do?", "What levels are there?", False),
    # a Chinese yes/no question naming nothing leaves out the subject the conversation has
    ("用完要清洗吗？", "我想借一台样机试用", True), ("可以退吗？", "拆封的面膜怎么处理？", True),
    ("怎么赚得更多？", "这个月我赚了多少佣金？", False),  # asks something new, no yes/no
    ("为什么要等这么久？", "佣金什么时候到账？", True),  # 这么 points back at what was said
    ("How many should I start with?", "How do I recruit my first partners?", True),  # counts what was named
    ("How many partners should I start with?", "What levels are there?", False),
    # a question that only asks for a value measures what the conversation is about
    ("要多久？", "新人入门要做哪些事？", True), ("最多几次？", "结业测试不及格可以重考吗？", True),
    ("How many days?", "How do I apply for a trial?", True), ("When?", "Is there a launch event?", True),
    ("哪天截止？", "新人入门要做哪些事？", False),  # 截止 says what about: a deadline, asked anew
    ("What is the deadline for trial reviews?", "How do I apply for a trial?", False),
])
def test_follow_up_cues_not_length(question: str, previous: str, expected: bool) -> None:
    assert is_follow_up(question, names=["星光", "灯塔"]) is expected
    query = follow_up_query(question, previous, ["星光", "灯塔"])
    assert (query != question) is expected


def test_things_counted_are_not_counted_by_money_shares_or_dates() -> None:
    """"招了多少个推广员" is not answered by a price, a return rate or the project's months, nor by "one"
    used as an article; a count of anything is."""
    assert asked_unit("那次活动一共招了多少个推广员？") == COUNTED_THINGS
    assert asked_unit("How many partners joined in the first month?") == COUNTED_THINGS
    assert not states_count(COUNTED_THINGS, "晨光茶铺是一个新锐品牌，主打一款乌龙，零售价 268 元。")
    assert not states_count(COUNTED_THINGS, "订单退货率：9%，低于整体的 14%。项目周期 2024 年 3 月至 6 月。")
    assert states_count(COUNTED_THINGS, "首月招募推广员 60 名。") and states_count(COUNTED_THINGS, "共设四个等级。")
    case = Hit(text="晨光茶铺是一个新锐品牌，主打一款乌龙，零售价 268 元。\n订单退货率：9%，低于整体的 14%。",
               source="cases.txt", chunk_id="k1", rank=1, score=0.9)
    assert _shape_refuses("晨光茶铺那次活动一共招了多少个推广员？", case)


def _shape_refuses(question: str, hit: Hit) -> bool:
    """Evidence is picked from ``hit``, and it does not state what ``question`` asks for."""
    picked = select_sentences(question, [hit])
    return bool(picked) and not answers_shape(question, picked, hits=[hit])


def test_the_rest_of_a_question_keeps_its_scene() -> None:
    question = "写晨光乌龙的时候，可以写“零热量”吗？冷泡要泡多久？"
    assert rest_of_question(question, "零热量") == "写晨光乌龙的时候，冷泡要泡多久？"
    assert rest_of_question("写晨光乌龙的时候，可以写“零热量”吗？", "零热量") == ""
    assert rest_of_question(question, "") == ""


def test_a_follow_up_names_a_row_however_it_is_spaced() -> None:
    """A table row "B2B 服务" and the asker's "B2B服务" are one name: the follow-up switches to it and
    drops the row it switched from."""
    query = follow_up_query("那B2B服务类呢？", "家居日用类产品的佣金一般是多少？", [],
                            entities=["家居日用", "B2B 服务"])
    assert query.startswith("B2B服务") and "家居" not in query and "佣金" in query


def test_follow_up_carries_the_topic_not_the_wording() -> None:
    query = follow_up_query("那星光呢？", "灯塔的佣金倍数是多少？", ["星光", "灯塔"])
    assert "星光" in query and "倍数" in query and "灯塔" not in query and "多少" not in query
    # a pronoun stands for the entity, not for what was asked of it
    pronoun = follow_up_query("它多少钱？", "保湿水的成分有哪些？", ["保湿水"])
    assert "保湿水" in pronoun and "成分" not in pronoun
    # a name that is no entity (a term of the handbooks) keeps the entity asked about before
    term = follow_up_query("佣金比例呢？", "保湿水多少钱？", ["保湿水", "佣金比例"], entities=["保湿水"])
    assert "保湿水" in term and "佣金比例" in term
    # English asks with words that are no topic either ("how long", "need"): the training is carried, they are not
    english = follow_up_query("And for Starlight?", "How long do I need to train for Bloom?", ["Starlight", "Bloom"])
    assert "train" in english and "Bloom" not in english and "long" not in english and "need" not in english


def test_a_chain_of_follow_ups_keeps_its_entity_and_its_root() -> None:
    earlier = ["保湿水多少钱？", "佣金比例呢？"]
    query = conversation_query("它适合孩子用吗？", earlier, ["保湿水", "佣金比例"], entities=["保湿水"])
    assert "保湿水" in query and "佣金" not in query
    assert conversation_root("那上个月呢？", ["这个月我赚了多少？"]) == "这个月我赚了多少？"
    assert conversation_root("那上上个月呢？", ["这个月我赚了多少？", "那上个月呢？"]) == "这个月我赚了多少？"
    assert conversation_root("怎么升级到下一个等级？", ["这个月我赚了多少？"]) == ""  # no cue, no follow-up


class _Fake:
    """An embedding with chosen vectors: the question is [1, 0]; sentences say how close they are."""

    model_id = "fake"
    cache = None

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.vectors.get(t, [0.0, 1.0]) for t in texts]


def test_similarity_finds_a_paraphrase_without_shared_words() -> None:
    """"How long until my money arrives?" shares no word with "佣金冻结 15 天后可结算。", but its
    vector is close: the scorer picks it over a sentence that only shares a word."""
    answer, decoy = "订单付款后佣金冻结 15 天，之后可结算。", "Money questions go to the help desk."
    hit = Hit(text=f"{decoy}\n{answer}", source="faq.md", chunk_id="c2", rank=1, score=0.8)
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({answer: [0.9, 0.436], decoy: [0.2, 0.98]}))
    picked = select_sentences("How long until my money arrives?", [hit], scorer=scorer)
    assert picked[0].text == answer and picked[0].semantic > 0.9
    assert is_covered("How long until my money arrives?", True, [hit], picked, scorer=scorer)


class _FakeParts(_Fake):
    """Chosen vectors for questions too: a part of a question may read unlike the whole of it."""

    def __init__(self, vectors: dict[str, list[float]], questions: dict[str, list[float]]) -> None:
        super().__init__(vectors)
        self.questions = questions

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.vectors.get(t, [0.0, 1.0, 0.0]) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.questions.get(text, [1.0, 0.0, 0.0])


def test_a_part_finds_its_sentence_by_its_own_meaning() -> None:
    """"How long can I borrow a sample, and what do I pay if I break it?" over Chinese rules: the
    loan period's sentence shares no word with the first part and reads unlike the whole question,
    but close to that part asked alone, so it joins the answer."""
    rule, period = "试用机仅限本人体验，不能再借给朋友。", "到手后可以留用两周，到期原箱寄回总部。"
    hit = Hit(text=f"{rule}\n{period}", source="samples.md", chunk_id="c9", rank=1, score=0.8)
    question = "How long can I borrow a sample, and what do I pay if I break it?"
    part = standalone_parts(question)[0]
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                            embeddings=_FakeParts({rule: [0.8, 0.6, 0.0], period: [0.0, 0.3, 0.95]},
                                                  {part: [0.0, 0.0, 1.0]}))
    picked = [c.text for c in select_sentences(question, [hit], scorer=scorer)]
    assert period in picked and rule in picked


def test_across_languages_a_part_is_covered_by_a_sentence_reading_close_to_it_not_by_a_glossary_word() -> None:
    """"…, and how many absent days can be excused?" over Chinese rules: a gift row states a count of days (天, the
    glossary's "days") and was taken as that part's answer; the leave rule reads far closer to the part asked alone,
    and it joins the answer. The part asking the head count keeps its own row."""
    sign, quota = "报名方式：在小程序提交表格，审核后入群。", "名额：每季 40 人，先到先得。"
    row, makeup = "出勤: 满 12 天 · 礼品: 帆布袋 1 个", "请假须提前说明，每季最多准假 4 次。"
    hit = Hit(text="\n".join([sign, quota, row, makeup]), source="club.md", chunk_id="c3", rank=1, score=0.8)
    question = "How many people can join the spring reading club, and how many absent days can be excused?"
    first, second = vector_parts(question)
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                            embeddings=_FakeParts({sign: [0.8, 0.6, 0.0], quota: [0.6, 0.75, 0.28], row: [0.75, 0.66, 0.0],
                                                   makeup: [0.1, 0.4, 0.91]},
                                                  {first: [0.6, 0.8, 0.0], second: [0.0, 0.0, 1.0]}))
    picked = [c.text for c in select_sentences(question, [hit], scorer=scorer)]
    assert makeup in picked and quota in picked


def test_a_part_counting_a_thing_is_not_covered_by_a_count_of_other_things_when_one_counts_it() -> None:
    """"海报标题最多几个字？一张海报能放几个二维码？": the title rule's "20 个字" reads close to the second part too and
    counts in 个, but the evidence also counts the codes the part names, and that sentence joins the answer."""
    title, codes = "海报标题控制在 20 个字以内，写清楚活动名。", "二维码最多放 2 个，放在右下角。"
    layout = "海报标题下方写活动时间，一张海报只讲一场活动。"
    question = "海报标题最多几个字？一张海报能放几个二维码？"
    first, second = vector_parts(question)

    def picked(texts: list[str]) -> list[str]:
        hit = Hit(text="\n".join(texts), source="poster.md", chunk_id="p1", rank=1, score=0.8)
        scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                                embeddings=_FakeParts({title: [0.9, 0.43, 0.0], codes: [0.2, 0.3, 0.93],
                                                       layout: [0.6, 0.8, 0.0]},
                                                      {first: [1.0, 0.0, 0.0], second: [0.75, 0.0, 0.66]}))
        return [c.text for c in select_sentences(question, [hit], 2, scorer=scorer)]
    chosen = picked([title, layout, codes])
    assert codes in chosen and title in chosen


def test_a_part_reading_far_from_the_evidence_and_naming_nothing_in_it_is_not_answered_by_it() -> None:
    """"体验装走哪家快递？邮费需要我出吗？" over rules on when and where trial packs go: the courier is not named, and
    the second part reads far from every sentence and names nothing the evidence writes (邮费, which the handbooks use
    elsewhere): no part is answered. Read close to the part, or writing its noun, the evidence answers it."""
    send, where = "体验装每月 10 日统一发出。", "体验装只发往内地地址。"
    hit = Hit(text=f"{send}\n{where}", source="samples.md", chunk_id="s1", rank=1, score=0.8)
    question = "体验装走哪家快递？邮费需要我出吗？"
    first, second = vector_parts(question)
    known = corpus_knows({"体验装", "邮费", "快递", "地址", "内地"})

    def covered(second_vector: list[float], text: str = f"{send}\n{where}") -> bool:
        found = Hit(text=text, source="samples.md", chunk_id="s1", rank=1, score=0.8)
        sentences = text.split("\n")
        scorer = EvidenceScorer(known=known, question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                                embeddings=_FakeParts({sentences[0]: [0.8, 0.6, 0.0], sentences[1]: [0.75, 0.66, 0.0]},
                                                      {first: [0.8, 0.6, 0.0], second: second_vector}))
        return is_covered(question, True, [found], select_sentences(question, [found], scorer=scorer), scorer=scorer)
    assert not covered([0.0, 0.0, 1.0])
    assert covered([0.0, 0.0, 1.0], f"{send}\n体验装邮费由总部承担。")


class _IngestCache:
    """Sentence vectors as ingest stores them: only for the sentences it embedded (a lead such as "说明："
    is too short to be one)."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.by_key = {text_key(text): vector for text, vector in vectors.items()}

    def get_many(self, model_id: str, kind: str, keys: list[str]) -> dict[str, list[float]]:
        return {key: self.by_key[key] for key in keys if key in self.by_key}


def test_a_list_lead_too_short_for_a_vector_reads_as_its_items() -> None:
    """"说明：" has no vector of its own (too short to embed): the lead and its list are as close to the
    question as their closest item, not judged by a shared word alone (one glossary word, 等级 for "tiers",
    made a note about content a perfect match for "What tiers are there?")."""
    item = "合规内容指带了披露标签的笔记，等级评定时计入。"
    hit = Hit(text=f"说明：\n- {item}", source="tiers.md", chunk_id="c8", rank=1, score=0.8)
    embeddings = _Fake({})
    embeddings.cache = _IngestCache({item: [0.0, 1.0]})
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=embeddings)
    lead = select_sentences("What tiers are there?", [hit], scorer=scorer)[0]
    assert lead.text.startswith("说明") and lead.lexical == 1.0
    assert lead.semantic == 0.0 and lead.overlap == pytest.approx(LEXICAL_SHARE * lead.lexical)


def test_idf_weights_come_from_the_corpus() -> None:
    index = LexicalIndex(Tokenizer(["示例品牌"]))
    index.build(["a", "b", "c"], ["示例品牌 佣金 冻结", "示例品牌 等级", "示例品牌 比赛 奖金"])
    weight = idf_weight(index)
    assert weight("示例品牌") < weight("冻结")  # the brand's name is in every chunk: no evidence
    assert calibration("sentence-transformers:embeddinggemma-300m") and calibration("hashing:char") is None


def test_across_languages_shared_words_are_not_required() -> None:
    """An English question shares no word with a Chinese sentence by nature: the sentence's
    similarity alone is its evidence, even where the search itself was unsure."""
    answer = "大容量，一家人一个月左右用完。"
    hit = Hit(text=answer, source="products.md", chunk_id="c3", rank=1, score=0.5)
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({answer: [0.6, 0.8]}))
    question = "Roughly how long does the big bottle last a family?"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert picked[0].lexical == 0 and picked[0].overlap == picked[0].semantic > 0.5
    assert is_covered(question, False, [hit], picked, scorer=scorer)


@pytest.mark.parametrize("cosine,covered", [(0.43, True), (0.38, False)])
def test_across_languages_the_strong_bar_is_the_cross_lingual_one(cosine: float, covered: bool) -> None:
    """Where the search was unsure, an English question over a Chinese sentence needs the
    cross-lingual bar (similarity is its only evidence, and runs lower), not the one-language bar."""
    answer = "前 3 天请完成三件事：找到专属链接、分享一款产品、看懂收益页。"
    hit = Hit(text=answer, source="guide.md", chunk_id="c4", rank=1, score=0.2)
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({answer: [cosine, float(np.sqrt(1 - cosine ** 2))]}))
    question = "Which three things should a newcomer learn to do?"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert picked[0].cross_lingual and picked[0].overlap < STRONG_EVIDENCE
    assert (picked[0].overlap >= CROSS_LINGUAL_STRONG_EVIDENCE) is covered
    assert is_covered(question, False, [hit], picked, scorer=scorer) is covered


def test_terms_named_only_in_the_heading_count_for_half() -> None:
    """An FAQ answer ("不会。…") rarely repeats its question: the heading that asks it counts, but a
    term found only there weighs half of one in the sentence itself."""
    body = "不会。等级不会因为不活跃而降低，只有违反规则才会失去权益。"
    question = "好久没发笔记，等级会不会掉？"
    bare = select_sentences(question, [Hit(text=body, source="faq.md", chunk_id="c4", rank=1, score=0.5)])
    under = select_sentences(question, [Hit(text=body, source="faq.md", chunk_id="c4", rank=1, score=0.5,
                                            heading_path=["一段时间没发笔记，等级会掉吗？"])])
    sentence = bare[0].text
    whole = overlap_score(query_terms(question), "一段时间没发笔记，等级会掉吗？ " + sentence)
    assert bare[0].lexical < under[0].lexical < whole
    assert under[0].lexical == pytest.approx(bare[0].lexical + HEADING_SHARE * (whole - bare[0].lexical))


def test_a_part_the_handbooks_do_not_cover_is_named_and_the_other_answered() -> None:
    """"升级多久评估一次？要自己提出申请吗？" over a rule that only says how often tiers are
    evaluated: the first part is answered, and the second is named as not covered, not refused."""
    text = "所有指标都达到才会升级，系统每天评估一次。"
    hit = Hit(text=text, source="rules.md", chunk_id="c6", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"所有", "指标", "达到", "升级", "系统", "每天", "评估", "一次"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake({}))
    question = "升级多久评估一次？要自己提出申请吗？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert focus_missing(question, [hit], picked, scorer)  # the whole question's focus is not all there…
    assert is_covered(question, True, [hit], picked, scorer=scorer)  # …but its first part is answered
    assert uncovered_parts(question, [hit], picked, scorer) == ["要自己提出申请吗"]
    assert not is_covered("要自己提出申请吗？", True, [hit], select_sentences("要自己提出申请吗？", [hit], scorer=scorer),
                          scorer=scorer)


@pytest.mark.parametrize("text,words,scene,asked", [
    # the first clause asks nothing: the handbooks lack 小学, but nobody asked about school
    ("未成年人出镜需要监护人书面同意，并且不能单独出镜。", {"未成年人", "出镜", "需要", "监护人", "书面", "同意", "单独", "满足", "条件"},
     "我家孩子刚上小学", "未成年人出镜要满足什么条件"),
    # 几 after a finished act counts a few boxes, it does not ask how many: the handbooks never name 花茶
    ("已拆封的商品不支持无理由退货，质量问题除外。", {"拆封", "商品", "支持", "无理由", "退货", "质量", "问题", "除外", "能退"},
     "顾客买了几盒花茶", "能退吗"),
])
def test_a_clause_that_only_sets_the_scene_is_never_named_as_not_covered(text: str, words: set[str], scene: str,
                                                                          asked: str) -> None:
    """"我家孩子刚上小学，未成年人出镜要满足什么条件？", "顾客买了几盒花茶，能退吗？": the first clause asks nothing,
    so the answer does not say the handbooks lack it, though its nouns are not in the evidence."""
    hit = Hit(text=text, source="rules.md", chunk_id="c7", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows(words), question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({}))
    question = f"{scene}，{asked}？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert focus_missing(scene, [hit], picked, scorer)  # the scene's nouns are not there…
    assert uncovered_parts(question, [hit], picked, scorer) == []  # …but it asks nothing


def test_a_few_things_done_are_asked_about_with_a_question_mark_or_at_the_end() -> None:
    """"我卖了几单？还差几单升级？" asks how many were sold; "我卖了几单，还差几单升级？" tells it; a last clause
    ("你们卖了几年了？") asks."""
    assert question_parts("我卖了几单？还差几单升级？") == standalone_parts("我卖了几单？还差几单升级？")
    assert standalone_parts("我卖了几单，还差几单升级？") == ["还差几单升级"]
    assert asking_parts("你们卖了几年了？") == ["你们卖了几年了"]


def test_a_question_whose_only_asking_part_is_uncovered_is_answered_by_no_part() -> None:
    """"押金能不能用积分抵扣，好早点领到新样品？" over the rule that a deposit not yet returned blocks new
    samples: the clause after the question says why it is asked, and what it asks (paying with points)
    the handbooks never mention; quoting the deposit rule would answer only the scene. A question that
    asks of the deposit rule itself is answered."""
    text = "样品押金在寄回后 7 天内退还；押金退还前不能申请新的样品。"
    hit = Hit(text=text, source="samples.md", chunk_id="c8", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"样品", "押金", "寄回", "天内", "退还", "不能", "申请", "新的", "积分",
                                                "抵扣"}),
                            question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32), embeddings=_FakeParts({}, {}))
    question = "押金能不能用积分抵扣，好早点领到新样品？"
    picked = select_sentences(question, [hit], scorer=scorer)
    uncovered = uncovered_parts(question, [hit], picked, scorer)
    assert uncovered == ["押金能不能用积分抵扣"]
    assert answers_no_part(question, uncovered, True, [hit], scorer)
    # one asking part covered, the other not: the covered one is answered and the other named
    two = "押金多少天内退还？能不能用积分抵扣？"
    picked = select_sentences(two, [hit], scorer=scorer)
    uncovered = uncovered_parts(two, [hit], picked, scorer)
    assert uncovered == ["能不能用积分抵扣"]
    assert not answers_no_part(two, uncovered, True, [hit], scorer)
    assert not answers_no_part(question, [], True, [hit], scorer)


def test_a_negated_verb_and_the_modal_after_it_are_no_noun() -> None:
    """"没交会怎么样" is 没交 + 会 (jieba reads 没 + 交会, "junction"): no focus noun for the evidence to hold;
    a noun after a negation ("不参加会议") stays one."""
    words = [word for word, _ in focus_nouns("测评逾期没交会怎么样？")]
    assert "逾期" in words and "交会" not in words
    assert ("会议", False) in focus_nouns("不参加会议可以吗？")


def test_a_short_part_is_read_in_the_scene_the_clause_before_it_sets() -> None:
    """"我用自己的码给自己下单，有佣金吗？能算升级的单量吗？": the rule answers the first part (its scene is
    the clause before it, not a bare "有佣金吗"), so the asker's own word for the second part's measure (单量)
    does not refuse the whole question."""
    text = "用自己的推广码给自己下单算自购，自购订单每月只有前 2 笔有佣金，也不计入等级的有效订单。"
    hit = Hit(text=text, source="rules.md", chunk_id="c8", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"自己", "推广码", "下单", "自购", "订单", "每月", "计佣", "等级", "有效", "佣金", "升级"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake({}))
    question = "我用自己的推广码给自己下单，有佣金吗？能算升级的单量吗？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert "单量" in focus_missing(question, [hit], picked, scorer)
    assert is_covered(question, True, [hit], picked, scorer=scorer)
    # the scene alone answers nothing of a part whose own focus is missing
    unrelated = "我用自己的推广码给自己下单，能拿到年终分红吗？"
    assert not is_covered(unrelated, True, [hit], select_sentences(unrelated, [hit], scorer=scorer), scorer=scorer)


def test_a_clause_that_sets_the_scene_is_no_part_to_answer() -> None:
    """"顾客买了礼盒，可以开收据吗？": the first clause asks nothing, so the evidence about the gift
    set does not make the question covered when what it asks (收据) is missing."""
    text = "四季礼盒售价 399 元，内含四件正装产品。"
    hit = Hit(text=text, source="products.md", chunk_id="c7", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"顾客", "礼盒", "四季", "售价", "正装", "产品", "四件"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake({}))
    question = "顾客买了四季礼盒，可以开收据吗？"
    assert question_parts(question) == ["顾客买了四季礼盒", "可以开收据吗"]
    picked = select_sentences(question, [hit], scorer=scorer)
    assert focus_missing(question, [hit], picked, scorer)
    assert not is_covered(question, True, [hit], picked, scorer=scorer)


def test_a_question_in_the_other_chinese_script_is_also_compared_in_the_handbooks_script() -> None:
    """A 繁體 question over 简体 handbooks: the model scores the two scripts lower against each other,
    so a sentence's similarity is the closer of the question as asked and the question converted."""
    sentence = "测评内容由运营按 100 分制评分，考察真实度、图片质量和互动表现。"
    as_asked = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                              embeddings=_Fake({sentence: [0.41, 0.912]}))
    converted = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                               written_vector=np.array([0.8, 0.6], dtype=np.float32),
                               embeddings=_Fake({sentence: [0.41, 0.912]}))
    assert as_asked.similarities([sentence])[sentence] == pytest.approx(0.41)
    assert converted.similarities([sentence])[sentence] == pytest.approx(0.8 * 0.41 + 0.6 * 0.912)


def test_each_part_of_a_question_is_also_compared_as_the_handbooks_write_it() -> None:
    """The parts of "我的号咋样了？还能用不" are embedded with their written twins ("账号怎么样了"), one batch: a
    sentence is as close to a part as to the closer of the two; a part written so already has no twin."""
    sentence = "连续 90 天没有订单，账号转为休眠。"
    twins = {"我的号咋样了": "我的账号怎么样了"}
    embeddings = _FakeWithQuestions({sentence: [0.6, 0.8]}, {"我的号咋样了": [1.0, 0.0], "我的账号怎么样了": [0.6, 0.8]})
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=embeddings,
                            as_written=twins.get)
    spoken, written = scorer.for_questions(["我的号咋样了", "休眠多久关闭"])
    assert spoken.similarities([sentence])[sentence] == pytest.approx(1.0)
    assert written.written_vector is None and written.similarities([sentence])[sentence] == pytest.approx(0.6)


@pytest.mark.parametrize("question,parts", [
    ("How big is the travel bottle, and roughly how long does it last?",
     ["How big is the travel bottle,", "how long does it last"]),
    ("What does it cost and what is inside?", ["What does it cost", "what is inside"]),
    ("考核期多长？至少要出几单？", ["考核期多长", "至少要出几单"]),
    ("How long and how often do I post?", ["How long", "how often do I post"]),
    # a preposition between the join and the question word
    ("What's the minimum payout, and by which day does the money go out?",
     ["What's the minimum payout,", "which day does the money go out"]),
])
def test_a_multi_part_question_splits_at_its_joins(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


def test_a_single_question_is_one_part() -> None:
    assert question_parts("What do the top three places win and keep?") == ["What do the top three places win and keep"]


def test_measures_and_english_count_nouns_name_the_unit() -> None:
    """"How many milligrams of caffeine" is not answered by a removal rate of 97%; a count in the
    unit, in either language, is. English count nouns ("credit points", "KOCs") map to their
    Chinese classifiers so an English question over Chinese handbooks is held to the same unit."""
    mg = asked_unit("How many milligrams of caffeine are in one bag?")
    assert mg and mg == asked_unit("一杯有多少毫克咖啡因？")
    assert not states_count(mg, "咖啡因脱除率不低于 97%。") and states_count(mg, "每杯约 80 mg") and states_count(mg, "约 80 毫克")
    points = asked_unit("How many credit points do I lose?")
    assert points == asked_unit("会被扣几分信用分？") and states_count(points, "每次扣 2 分") and not states_count(points, "申诉 7 天内")
    people = asked_unit("How many KOCs are in the programme right now?")
    assert states_count(people, "本期签约 60 名 KOC") and not states_count(people, "绽放KOC每月 1 个测评名额")
    # a book's length in pages is no count of its volumes
    pages = asked_unit("How many pages does the bedtime book have?")
    assert pages and pages == asked_unit("这本睡前故事书有多少页？")
    assert states_count(pages, "全书 32 页，精装") and not states_count(pages, "规格: 1 册，布面")


def test_a_share_and_a_time_of_day_are_answer_types() -> None:
    """"占多少比例" asks a percentage (a weight in grams is no answer); "几点到几点在线" asks a time of
    day (a count of staff is none); "有几点" counts points and "within what time frame" asks no clock time."""
    assert question_shape("拼配里巴西豆占多少比例？").answer_type == "percentage"
    assert question_shape("按多少税率扣的？").answer_type == "percentage"
    assert question_shape("加权比重如何制定？").answer_type == ""  # asks how, not the share
    assert question_shape("Roughly how long is the fruit, in centimeters?").answer_type == "number"  # a length
    assert question_shape("How long is the freeze period?").answer_type == "duration"
    assert question_shape("品牌和渠道各承担百分之多少？").answer_type == "percentage"
    assert question_shape("官方客服幾點到幾點在線？").answer_type == "time"
    assert question_shape("What time does the livestream start?").answer_type == "time"
    assert question_shape("注意事项有几点？").answer_type != "time"
    assert question_shape("Do I get anything extra? Within what time frame?").answer_type != "time"
    assert states_value("time", "工作日 10:00—18:00 在线") and states_value("time", "每天晚上 8 点")
    assert not states_value("time", "运营团队会派驻 1 名官方客服入群")
    # a form's list of what to fill in ("在哪集合、几点到场") asks the time, it states none
    assert not states_value("time", "报名表要写清楚姓名、在哪集合、几点到场。") and states_value("time", "早上八点集合")
    assert not states_value("percentage", "规格: 500 克")


def test_a_list_is_asked_by_the_word_list_not_by_medalist() -> None:
    assert question_shape("Can you list the three tiers?").is_list
    assert not question_shape("What did the silver medalist win?").is_list


def test_a_letter_and_a_character_are_one_name() -> None:
    """"B站" is cut into B and 站 by jieba; as a focus it is one name, so handbooks that never mention
    it do not answer "B站的合作视频怎么标注"; a letter before a place word ("在X上") is no name."""
    assert ("B站", True) in focus_nouns("B站的商业合作视频应该怎么标注？")
    assert not any(word.startswith("X") for word, _ in focus_nouns("在X上发帖可以吗？"))
    assert not any(word.startswith("T") for word, _ in focus_nouns("两条线的车站为什么呈T形交叉？"))  # a shape
    evidence = ["小红书: 添加“合作”标识；抖音: 勾选商业合作声明；视频号: 加入“#合作”话题标签"]
    assert "B站" in missing_focus("B站的商业合作视频应该怎么标注？", evidence, lambda w: False, 0.9)


def test_a_discount_written_with_a_space_is_a_percentage() -> None:
    assert states_value("percentage", "粉丝使用专属优惠码下单，首单享受 9 折，最多优惠 30 元；")
    assert states_value("percentage", "全场8折")


def test_a_chinese_name_in_an_english_question_must_be_in_chinese_evidence() -> None:
    """"Which leaves go into the 松风 tea blend?" over passages about other products (named in
    Chinese) is about something they never name."""
    others = ["产品: 白露 · 推荐切入点: 花香、柑橘调", "产品: 石泉经典 · 推荐切入点: 坚果、可可调"]
    assert missing_focus("Which leaves go into the 松风 tea blend?", others, lambda w: True, 0.9) == ["松风"]
    named = ["产品: 松风拼配茶 · 产地: 云南"]
    assert missing_focus("Which leaves go into the 松风 tea blend?", named, lambda w: True, 0.9) == []


def test_a_follow_up_query_does_not_depend_on_the_hash_seed() -> None:
    """The topic carried into a follow-up's query is in the order the earlier question says it: built
    from a set, its order changed with Python's hash seed, and two runs of the same eval answered
    "And the 30-day one?" from different passages."""
    code = ("from assistant.follow_up import conversation_query; "
            "print(conversation_query('And the 30-day one?', ['What is the healthy 7-day retention rate for a perks group?'])); "
            "print(conversation_query('那3C数码类呢？', ['美妆护肤类产品给KOC的佣金比例一般是多少？']))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(outputs) == 1
    assert "healthy retention rate perks group" in outputs.pop()


def test_a_figure_in_the_row_of_another_subject_is_no_answer() -> None:
    """A table of penalties by channel: "在集市违规一次扣多少信用分" names the 集市 row, which deducts
    nothing; the 2 分 in the 论坛 row reads alike but is about another channel. Asked of 论坛, it answers."""
    table = Hit(text="| 渠道 | 第 1 次 | 第 2 次 |\n| --- | --- | --- |\n| 论坛 | 删帖，扣信用分 2 分 | 扣信用分 5 分 |\n"
                     "| 集市 | 删帖 | 停止上架 7 天 |", source="penalties.md", chunk_id="p1", rank=1, score=0.9)
    assert asked_unit("在集市违规一次会被扣多少信用分？") == asked_unit("会扣几分？")  # jieba cuts 信用 | 分
    asked = "在集市违规一次会被扣多少信用分？"
    picked = select_sentences(asked, [table])
    assert picked and not answers_shape(asked, picked, hits=[table])
    other = "在论坛违规一次会被扣多少信用分？"
    assert answers_shape(other, select_sentences(other, [table]), hits=[table])
    assert asked_unit("可分为几个部分？") == COUNTED_THINGS  # 部分 is no count in 分: parts, counted


def test_the_cell_at_the_named_row_and_column_answers_or_says_the_value_is_not_given() -> None:
    """"乙店签了多少名学员" names the 乙店 row and the 学员人数 column, whose cell is 未公开: refused, though
    the row's other cells and a nearby sentence hold figures; asked of 甲店, the cell's 180 answers."""
    table = Hit(text="品牌 | 周期 | 学员人数 | 营收\n--- | ---\n甲店 | 3 个月 | 180 | 126 万元\n乙店 | 4 个月 | 未公开 | 58 万元\n"
                     "乙店是一家社区烘焙店，招牌面包售价 28 元。", source="cases.md", chunk_id="c1", rank=1, score=0.9)
    asked = "乙店那个案例一共签了多少个学员？"
    picked = select_sentences(asked, [table])
    assert picked and not answers_shape(asked, picked, hits=[table])
    given = "甲店那个案例一共签了多少个学员？"
    assert answers_shape(given, select_sentences(given, [table]), hits=[table])


def test_a_neighbouring_line_about_something_else_does_not_lend_its_figure() -> None:
    """"店员补贴各承担百分之多少" over a subsidy line that only says it is shared, next to a line giving
    the commission as a percentage: the neighbour holds none of the question's words (only the
    section heading above both does), so its figure is about something else. A neighbour that
    holds one ("自 1977 年发行以来" under "什么时候发行") still answers."""
    entry = Hit(text="补贴每月 3000 元（通常由品牌与门店分摊）；\n销售提成为成交额的 5% 至 10%；\n内容制作每周不超过 6 小时。",
                source="roles.md", chunk_id="r1", rank=1, score=0.9, heading_path=["店员"])
    asked = "店员补贴，品牌和门店一般各承担百分之多少？"
    picked = select_sentences(asked, [entry])
    assert picked and not answers_shape(asked, picked, hits=[entry])
    coin = Hit(text="银贝(符号: YB)是某岛的流通货币。\n自1977年发行以来，它已经使用过四个不同的名称。",
               source="coin.txt", chunk_id="k1", rank=1, score=0.9)
    when = "某岛银贝是从什么时候发行的？"
    assert answers_shape(when, select_sentences(when, [coin]), hits=[coin])


class _FakeWithQuestions(_Fake):
    """``_Fake`` that also embeds questions (a part of a multi-part question) by a table; a question
    not in it lies where the whole question does ([1, 0])."""

    def __init__(self, vectors: dict[str, list[float]], questions: dict[str, list[float]]) -> None:
        super().__init__(vectors)
        self.questions = questions

    def embed_query(self, text: str) -> list[float]:
        return self.questions.get(text, [1.0, 0.0])


def test_one_part_of_a_two_part_question_can_carry_the_evidence() -> None:
    """"寄来样品后试稿要几天内交？大家都能看到吗？": the second part's words dilute the whole question's
    match with the sentence that answers the first; judged on its own, the first part is answered
    (a count of days, its focus in the sentence), so the question is covered, not refused."""
    answer = "品牌寄出样品，报名者须在收到样品后 7 天内交付 1 篇试稿。"
    hit = Hit(text=answer, source="guide.md", chunk_id="c8", rank=1, score=0.2)
    first = "寄来样品后试稿要几天内交"
    known = corpus_knows({"品牌", "寄出", "样品", "报名", "收到", "交付", "试稿", "大家", "看到"})
    question = f"{first}？大家都能看到吗？"
    sentence = {answer: [0.3, float(np.sqrt(1 - 0.09))]}
    far = EvidenceScorer(known=known, question_vector=np.array([1.0, 0.0], dtype=np.float32),
                         embeddings=_FakeWithQuestions(sentence, {}))
    picked = select_sentences(question, [hit], scorer=far)
    assert picked and picked[0].overlap < STRONG_EVIDENCE
    assert not is_covered(question, False, [hit], picked, scorer=far)  # the part is no closer: refused
    by_parts = EvidenceScorer(known=known, question_vector=np.array([1.0, 0.0], dtype=np.float32),
                              embeddings=_FakeWithQuestions(sentence, {first: sentence[answer]}))
    assert is_covered(question, False, [hit], select_sentences(question, [hit], scorer=by_parts), scorer=by_parts)
    # a part that leans on the other ("它") is not judged alone, however close it is
    leaning = "大家都能看到吗？它要几天内交？"
    close = EvidenceScorer(known=known, question_vector=np.array([1.0, 0.0], dtype=np.float32),
                           embeddings=_FakeWithQuestions(sentence, {"它要几天内交": sentence[answer]}))
    assert not is_covered(leaning, False, [hit], select_sentences(leaning, [hit], scorer=close), scorer=close)


def _unit(cosine: float) -> list[float]:
    return [cosine, float(np.sqrt(1 - cosine ** 2))]


def test_a_handbook_question_brings_its_answer() -> None:
    """A FAQ's own question ("Q7：家里有事，能请假一段时间吗？") is as close to the asker's as questions
    are, and says nothing: the answer under it is what is quoted, with the question that makes it readable."""
    asked = "Q7：家里有事，能请假一段时间吗？"
    hit = Hit(text=f"Q6：能同时给别的品牌写稿吗？\nA：可以，不要求独家。\n{asked}\nA：可以申请暂停合作。每年 1 次，最长 45 天。",
              source="faq.txt", chunk_id="q7", rank=1, score=0.8)
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({asked: _unit(0.8), "Q6：能同时给别的品牌写稿吗？": _unit(0.5)}))
    question = "家里有点事想歇一歇，最多能停多长时间？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert picked[0].text.startswith(asked) and "最长 45 天" in picked[0].text
    assert is_covered(question, True, [hit], picked, scorer=scorer)


@pytest.mark.parametrize("cosine,covered", [(0.45, False), (0.70, True)])
def test_a_rule_about_something_else_does_not_answer_may_i(cosine: float, covered: bool) -> None:
    """"季度套餐用了一半，可以转让给同事接着用吗？" over a FAQ that forbids handing on the *membership*:
    the rule is quoted, but far from the question it forbids another thing, and what is asked (接着用)
    is stated nowhere. The same rule close to the question answers it."""
    rule = "Q2：会员身份可以转给家人吗？"
    hit = Hit(text=f"{rule}\nA：不行。会员身份绑定本人，不可转让。\n季度套餐在开通 30 天后按剩余期数退款。",
              source="faq.txt", chunk_id="q2", rank=1, score=0.8)
    scorer = EvidenceScorer(known=corpus_knows({"季度", "套餐", "会员", "身份", "家人", "转让", "开通", "退款"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({rule: _unit(cosine), "季度套餐在开通 30 天后按剩余期数退款。": _unit(0.55)}))
    question = "季度套餐用了一半，可以转让给同事接着用吗？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert any(c.text.startswith(rule) for c in picked)
    assert is_covered(question, True, [hit], picked, scorer=scorer) is covered


def test_a_question_weighing_its_own_figure_finds_the_rules_bound() -> None:
    """"这期佣金才五十多块，能提现吗？" states a sum and asks yes or no: the sentence with the withdrawal
    minimum answers it, not the one about the withdrawal date that shares more of its words."""
    assert weighs_a_figure("这期佣金才五十多块，能提现吗？") and weighs_a_figure("My order was ¥35, does it count?")
    assert not weighs_a_figure("佣金什么时候提现？") and not weighs_a_figure("提现有没有最低金额？")
    assert not weighs_a_figure("How is the commission on a ¥35 order worked out?")  # asks how, not whether
    assert states_bound("单期不足 100 元的不能提现，累计到下一期。") and states_bound("实付 39 元以上的订单才计入。")
    assert not states_bound("提现时间为每月 20 日前。")
    hit = Hit(text="这期佣金的提现时间为每月 20 日前，提现后佣金可在钱包查看。\n单期可提金额不足 100 元的不能提现，自动累计到下一期。",
              source="settlement.md", chunk_id="b1", rank=1, score=0.9)
    picked = select_sentences("这期佣金才五十多块，能提现吗？", [hit])
    assert picked and "不足 100 元" in picked[0].text


def test_a_name_the_question_writes_brings_in_the_sentence_that_holds_it() -> None:
    """"And for 银杏?" carries its topic over: the section's introduction reads closest to it and the
    row of the tier it names reads farther, yet only that row answers; it is quoted, and the
    evidence then holds the name the question asks about."""
    intro = "社群计划帮助推广员把粉丝群办好，登记后可领取专享券。"
    steps = "登记方式：在小程序里上传群二维码和成员截图。"
    rows = ["等级: 松针 · 可登记群数: 1 个", "等级: 银杏 · 可登记群数: 3 个"]
    hit = Hit(text="\n".join([intro, steps, *rows]), source="groups.md", chunk_id="g1", rank=1, score=0.8)
    vectors = {intro: [0.95, 0.31], steps: [0.9, 0.44], rows[0]: [0.36, 0.93], rows[1]: [0.35, 0.94]}
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake(vectors))
    question = "And for 银杏 groups register"
    picked = select_sentences(question, [hit], max_sentences=2, scorer=scorer)
    assert rows[1] in [c.text for c in picked] and rows[0] not in [c.text for c in picked]


def covered_alone(question: str, text: str) -> bool:
    """Whether ``text``, the one passage found (by a search that was sure), covers ``question``."""
    return is_covered(question, True, [Hit(text=text, source="h.md", chunk_id="c1", rank=1, score=0.8)])


def test_a_row_described_by_what_it_is_is_named_by_that_thing() -> None:
    """A benefits table whose row is "每季送的体验券" is named by "每季送几张体验券": its figure in the tier's
    column answers, beside another row the question names in full; 福利 asked is the table's 权益."""
    text = ("权益: 每季送的体验券 · 银级: 单次券 1 张 · 金级: 单次券 2 张 + 双人券 1 张\n"
            "权益: 上门清洁 · 银级: 无 · 金级: 每年免费 1 次")
    assert names_subject("每季送几张体验券", "每季送的体验券") and not names_subject("每季送几次", "每季送的体验券")
    assert covered_alone("刚升到金级，这一档每季送几张体验券？上门清洁有没有福利？", text)


def test_a_question_after_the_most_needs_a_bound_from_above() -> None:
    """"群最多能有多少人？" is not answered by a floor ("不少于 50 人") or a band ("200 人及以上"): only
    a text that sets a ceiling says what the most is; with it the answer stands."""
    assert asks_maximum("登记的社群最多能有多少人？") and asks_maximum("Is there a weekly limit on prizes?")
    assert not asks_maximum("最高等级有什么权益？") and not asks_maximum("登记社群要多少人？")
    # "from the first level up to the top" spans a range; "up to how many" asks the cap
    assert not asks_maximum("What are all the levels, from the one you start at up to the very top?")
    assert asks_maximum("Up to how many groups can I register?") and asks_maximum("Can I claim up to 3 a month?")
    # the thing that is most of all is no bound; "at most" after "which" still is one
    assert not asks_maximum("Which tier has the highest cap?")
    assert asks_maximum("Which vouchers can I use at most twice a month?")
    assert states_maximum("每月最多领取 5 次。") and states_maximum("超过 300 件的部分不计佣。")
    assert not states_maximum("群成员不少于 50 人，200 人及以上的群每月多发 20 张券。")
    floor = "登记的社群：群成员不少于 50 人；200 人及以上的群每月多发 20 张券。"
    ceiling = "登记的社群：群成员不少于 50 人，最多 500 人。"
    question = "登记的社群最多能有多少人？"
    for text, covered in ((floor, False), (ceiling, True)):
        assert covered_alone(question, text) is covered
    # a ceiling word capping something else, with no figure ("超出…额度的用量"), sets no maximum; a
    # figure under one does, and so does saying there is none
    assert question_shape("What's the maximum number of seats a workshop can take?").answer_type == "number"
    assert not states_maximum("套餐降级后，超出新套餐额度的用量从下一个月起另行计费。")
    assert states_maximum("每人最多一次。") and states_maximum("奖励上不封顶。") and states_maximum("Rewards have no cap.")
    beyond = "Workshops: bookings beyond your plan's allowance are billed separately from next month."
    assert not covered_alone("What's the maximum number of seats a booked workshop can take?", beyond)
    assert covered_alone("What's the maximum number of seats a booked workshop can take?",
                         "Workshops: a booked workshop takes at most 12 seats.")


def test_a_ceiling_answers_only_when_it_shares_more_than_the_ceiling_word() -> None:
    """"提现手续费最多收多少？" shares only 最多 with "单笔订单佣金最多 200 元", a cap on another thing beside the
    fee's rule, which states a floor; a cap on the fee itself answers. The top of a ladder ("从入门到最高") is a
    rung, not a bound."""
    fee = "提现：每月可申请 1 次，收取提现金额 1% 的手续费，最低 2 元。"
    question = "提现手续费最多收多少？有没有封顶？"
    assert not covered_alone(question, f"{fee}\n单笔订单佣金最多 200 元，超出部分不发放。")
    assert covered_alone(question, f"{fee}\n提现手续费最多 20 元。")
    assert not asks_maximum("一共分几级？从入门到最高按顺序列一下") and not asks_maximum("升至最高要多久？")
    # the highest point of a place is a thing, and which one is largest asks for the thing, not a bound
    assert not asks_maximum("这座山的最高点叫什么？") and not asks_maximum("哪一个脚趾最大？")
    assert not asks_maximum("Which tier pays the most?") and asks_maximum("哪些产品每月最多能退几件？")
    assert asks_maximum("提成最高是多少？")


def test_a_maximum_asked_in_a_unit_is_a_ceiling_on_that_count() -> None:
    """"登记的社群最多能有多少人？" asks a ceiling on people: a ceiling on how many groups one may register,
    beside a floor on members, caps something else; in a question of two parts the maximum is counted
    in the unit of the part that asks it."""
    assert states_maximum("每人最多登记 3 个群。") and not states_maximum("每人最多登记 3 个群。", asked_unit("最多多少人？"))
    other_cap = "登记的社群：群成员不少于 50 人；每人最多登记 3 个社群。"
    assert not covered_alone("登记的社群最多能有多少人？", other_cap)
    assert covered_alone("登记的社群最多能有多少人？", "登记的社群：群成员不少于 50 人，最多 500 人。")
    assert covered_alone("登记一个社群要多少人？最多能登记几个社群？", other_cap)
    # one sentence with a floor on people and a ceiling on sessions: the ceiling is on the sessions
    people = asked_unit("What's the maximum number of guests at a workshop I run?")
    assert not states_maximum("到场 6 人及以上的工作坊计 30 点，每月最多 3 场计点。", people)
    assert states_maximum("每场工作坊最多 20 人，每月最多 3 场计点。", people)
    assert states_maximum("A workshop takes up to 20 guests.", people)
    # the top of a range is the most a session takes; the row capping the count asked is preferred to one capping a sum
    assert states_maximum("每场 6 到 12 位参加者", asked_unit("最多多少人？"))
    assert not states_maximum("每场不少于 6 位参加者", asked_unit("最多多少人？"))
    assert not states_maximum("一名运营建议管理 30 至 50 名成员", asked_unit("最多多少人？"))  # a band recommended
    salon = ("开场前至少 10 天，在后台提交沙龙的主题、场地、开始时间和人数上限。\n"
             "项目: 场地 · 要求: 合作场地的场地费凭发票报销，每场最多 200 元\n项目: 人数 · 要求: 每场 6 到 12 位参加者\n"
             "每人每个月最多主持 2 场沙龙；\n项目: 饮品 · 要求: 不提供含酒精的饮品")
    assert covered_alone("读书沙龙一场最多能来多少人？", salon)
    # …and quoted beside the row the question names (the venue), though it names the headcount row by no word of it
    table = Hit(text="| 项目 | 要求 |\n|---|---|\n| 场地 | 合作场地的场地费凭发票报销，每场最多 200 元 |\n"
                     "| 人数 | 每场 6 到 12 位参加者 |\n| 饮品 | 不提供含酒精的饮品 |", source="h.md", chunk_id="c1", rank=1, score=0.8)
    text, _ = evidence_answer("想在书店办一场读书沙龙，场地费能报销吗？一场最多能来多少人？", [table], "zh-CN")
    assert "200 元" in text and "6 到 12 位" in text and "饮品" not in text
    # a cap on the count asked, an item of the rule that answers, is that rule's though it repeats none of the question
    tea_set = ("## 茶具奖\n\n顾客在同一笔订单里同时买了茶杯、茶叶和茶盘，你额外拿 30 元「茶具奖」。\n\n"
               "- 每个自然月最多 4 笔；\n- 不乘等级系数。")
    assert covered_alone("顾客一单里买齐了茶杯、茶叶和茶盘，有额外奖励吗？一个月最多能拿几笔？", tea_set)
    places = asked_unit("How many workshop-seat places are left in each batch?")
    assert states_count(places, "每期名额 300 人") and states_count(places, "名额：银卡 2 个")
    assert not states_count(places, "每月评选 12 篇精选") and not states_count(places, "同一位推广员每月最多入选 2 篇")


def test_a_count_asked_in_a_unit_is_found_where_the_handbooks_name_the_count() -> None:
    """"最多能来多少人" and "考几次" ask counts the handbooks name by unit and 数 (人数, 次数): the row "人数: 每场 6 到
    12 位" shares the asked count with the question, though not one character of 多少人 beyond 人."""
    assert overlap_score(query_terms("沙龙一场最多能来多少人？"), "人数：每场 6 到 12 位") > \
        overlap_score(query_terms("沙龙一场最多能来多少个？"), "人数：每场 6 到 12 位")
    assert ("几次", "次数") in query_terms("测验一个月最多能考几次？")[0]


def test_english_programme_words_find_their_chinese_sentence() -> None:
    """"How many spots…", "when does the campaign start", hashtags and a KOC's code are programme words: the
    sentence that states the 名额, the 活动's dates, the 标签 or the 码 shares them with the question, not only
    its meaning."""
    assert overlap_score(query_terms("How many spots are there?"), "名额：每场 40 人，先到先得。") > 0
    assert overlap_score(query_terms("When does the campaign start?"), "活动时间：每年 5 月 1 日开始。") > 0
    assert overlap_score(query_terms("How many hashtags can a post carry?"), "每篇标签最多 5 个。") > 0
    assert overlap_score(query_terms("Can I get a new code?"), "推广码外流的，可以申请重新生成。") > 0


def test_the_measure_a_value_is_asked_in_may_be_named_otherwise() -> None:
    """"每项各占多少分值？" counts in the asker's word (分值); the handbook's table states the shares
    under 权重. The stated percentages answer it; a question whose other focus word is missing still waits
    for evidence that names it."""
    assert measure_after_count("口感、香气、包装每项各占多少分值？") == "分值"
    assert measure_after_count("有几个名额？") == "名额" and measure_after_count("怎么报名？") == ""
    rows = ["项目: 口感 · 权重: 40%", "项目: 香气 · 权重: 35%", "项目: 包装 · 权重: 25%"]
    hit = Hit(text="\n".join(rows), source="h.md", chunk_id="c1", rank=1, score=0.8)
    known = corpus_knows(frozenset(["项目", "口感", "香气", "包装", "权重"]))
    # the rows read only fairly close (calibrated 0.29): a focus word they lack is not excused by closeness
    scorer = EvidenceScorer(known=known, question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({row: [0.5, 0.866] for row in rows}))
    assert is_covered("口感、香气、包装每项各占多少分值？", True, [hit], scorer=scorer)
    assert not is_covered("口感、香气、包装的奖金各占多少分值？", True, [hit], scorer=scorer)


def test_an_english_question_over_a_chinese_table_must_single_out_a_row() -> None:
    """"What's the commission rate on printers?" over a Chinese table of product lines reads about as
    close to every row: it names none of them, and no row's rate answers it. Asked of laptops, the
    laptops' row reads closer than the others, and its rate answers."""
    rows = ["产品线: 手机 · 佣金比例: 6%", "产品线: 平板 · 佣金比例: 8%", "产品线: 笔记本 · 佣金比例: 12%",
            "产品线: 耳机 · 佣金比例: 10%"]
    hit = Hit(text="\n".join(rows), source="rates.md", chunk_id="r1", rank=1, score=0.8)
    alike = {row: [0.5, 0.866] for row in rows}
    laptops = {**alike, rows[2]: [0.75, 0.661]}
    for vectors, answered in ((alike, False), (laptops, True)):
        scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake(vectors))
        question = "What's the commission rate on this product line?"
        picked = select_sentences(question, [hit], scorer=scorer)
        assert answers_shape(question, picked, scorer.weight, [hit]) is answered


def test_an_english_question_names_a_chinese_tables_column_by_its_chinese_name() -> None:
    """"What discount do I get as a 金叶 member?" over a perks table whose columns are the levels: the rows read
    alike to the English question, but it writes one column's name, and that cell answers it."""
    rows = ["权益: 会员价 · 青叶: 98 折 · 银叶: 92 折 · 金叶: 88 折", "权益: 生日礼 · 青叶: 无 · 银叶: 香皂 · 金叶: 礼盒",
            "权益: 专属券 · 青叶: 1 张 · 银叶: 3 张 · 金叶: 5 张"]
    hit = Hit(text="\n".join(rows), source="perks.md", chunk_id="p1", rank=1, score=0.8)
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({row: [0.5, 0.866] for row in rows}))
    question = "What discount do I get as a 金叶 member?"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert answers_shape(question, picked, scorer.weight, [hit])
    unnamed = "What discount do members get?"
    assert not answers_shape(unnamed, select_sentences(unnamed, [hit], scorer=scorer), scorer.weight, [hit])


def test_an_english_answer_quotes_the_row_its_meaning_singled_out() -> None:
    """An English question names no row of a Chinese table by its words; when one row reads clearly
    closer than the others, the answer quotes that row (and the table's notes), not every row. A list
    question wants them all."""
    rows = ["产品线: 手机 · 佣金比例: 6%", "产品线: 平板 · 佣金比例: 8%", "产品线: 笔记本 · 佣金比例: 12%",
            "产品线: 耳机 · 佣金比例: 10%"]
    note = "以上比例按实付金额计算。"
    hit = Hit(text="\n".join([*rows, note]), source="rates.md", chunk_id="r1", rank=1, score=0.8)
    vectors = {**{row: [0.5, 0.866] for row in rows}, rows[2]: [0.75, 0.661], note: [0.3, 0.954]}
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake(vectors))
    for question, every_row in (("What's the commission rate on laptops?", False),
                                ("List the commission rate of every product line.", True)):
        picked = select_sentences(question, [hit], scorer=scorer)
        text, _ = evidence_answer(question, [hit], "en", picked=picked)
        assert "12%" in text and "实付金额" in text
        assert all(row.split(" · ")[0] in text for row in rows) is every_row, question


def test_a_question_after_an_exact_date_needs_a_day_not_a_month() -> None:
    """"Which specific dates is the tasting fair on?" is not answered by "每年 5 月" (the month it falls
    in); a day of the month or of the week answers it. "几月" still takes a month."""
    assert question_shape("Which specific dates is the tasting fair on?").answer_type == "calendar_day"
    assert question_shape("会员日是每月几号？").answer_type == "calendar_day"
    assert question_shape("品鉴会在几月举办？").answer_type == "day"
    assert not states_value("calendar_day", "时间: 每年 5 月") and not states_value("calendar_day", "系数 1.5 倍")
    assert states_value("calendar_day", "5 月 12 日至 14 日") and states_value("calendar_day", "每周三晚上")
    question = "品鉴会具体日期是哪一天？"
    for text, covered in (("品鉴会：年度线下活动，每年 5 月举办，为期 2 天。", False),
                          ("品鉴会：年度线下活动，今年 5 月 12 日至 13 日举办。", True)):
        assert covered_alone(question, text) is covered


def test_a_part_that_leans_on_the_one_before_asks_the_same_of_another_thing() -> None:
    """"卖保温杯能抽几个点？卖水壶呢？" asks the rate for flasks too: the row with the flasks' rate
    answers the second part, not a sentence that only mentions flasks."""
    rows = ["品类: 保温杯 · 佣金比例: 8% · 说明: 含各类保温杯和焖烧罐", "品类: 水壶 · 佣金比例: 11% · 说明: 含运动水壶、户外折叠水袋"]
    mention = "水壶卖得最好的是户外款，刻字的水壶不退不换。"
    hit = Hit(text="\n".join([rows[0], mention, rows[1]]), source="rates.md", chunk_id="r1", rank=1, score=0.8)
    picked = [c.text for c in select_sentences("卖保温杯能抽几个点？卖水壶呢？", [hit], max_sentences=1)]
    assert rows[0] in picked and rows[1] in picked


def test_a_neighbour_that_only_repeats_the_scene_lends_no_value() -> None:
    """A sentence beside the best one answers with its figure only when it adds a word of the
    question the best one lacks (a price line beside the ingredients line). One that repeats the
    scene's words is about another step: 48 hours to upload a receipt is no wait for a review."""
    lost = ("提交申请前，须在 48 小时内上传消费小票。\n"
            "若对卡内余额有疑问，可在会员中心提交余额复核申请；\n复核期间不要注销会员卡。")
    question = "在会员中心提交余额复核以后，一般要等几天才有结果？"
    unanswered = Hit(text=lost, source="card.md", chunk_id="c1", rank=1, score=0.9)
    picked = select_sentences(question, [unanswered])
    assert picked and not answers_shape(question, picked, hits=[unanswered])
    answered = Hit(text=lost + "\n复核结果会在 5 个工作日内通知。", source="card.md", chunk_id="c2", rank=1, score=0.9)
    assert answers_shape(question, select_sentences(question, [answered]), hits=[answered])


KETTLES = Hit(text="代码 | 名称 | 规格 | 价格\n--- | ---\nX-101 | 多士炉 | 2 L；4 档烘烤 | ¥159\n"
                   "X-201 | 蒸汽烤箱 | 12 bar 蒸汽；1800 W；25 L 腔体 | ¥899", source="catalogue.md", chunk_id="k1",
              rank=1, score=0.9)


def test_a_specification_asked_by_its_measure_needs_a_figure_in_its_unit() -> None:
    """"What's the power rating of X-101?" asks a figure though no question word says so, and only a figure in
    watts answers it: the row's litres do not, nor the other row's watts. A capacity is asked in its unit
    (a hall's holds people, a magazine rounds)."""
    assert question_shape("What's the power rating of the X-101 toaster?").answer_type == "number"
    assert states_count(asked_unit("What's the power rating of the X-101 toaster?"), "功率: 1500 W")
    assert not states_count(asked_unit("What's the power rating of the X-101 toaster?"), "2 L；4 档烘烤")
    assert states_count(asked_unit("How many bars of steam pressure does it reach?"), "12 bar 蒸汽")
    assert states_count(asked_unit("这台水壶的功率是多少？"), "额定功率 1800 瓦")
    assert states_count(asked_unit("电池容量是多少？"), "电池 5000 mAh")
    assert asked_unit("What is the capacity of the arena?") == "" and asked_unit("考核压力有多大？") == ""
    for question in ("What's the power rating of the X-101 toaster?", "X-101 功率多大？"):
        assert _shape_refuses(question, KETTLES), question
    assert not _shape_refuses("How many watts does the X-201 oven use?", KETTLES)


SCARVES = Hit(text="编码 | 名称 | 规格 | 价格\n--- | ---\nW-11 | 「青岚」羊毛线 | 100% 羊毛；50 克约 120 米 | 每团 36 元\n"
                   "W-12 | 「暮雪」围巾 | 手工编织；30 × 180 厘米；4 色 | 329 元\n"
                   "W-13 | 「暖冬」羽绒背心 | 可在零下 15 ℃ 穿着 | 599 元", source="catalogue.md", chunk_id="s1", rank=1, score=0.9)


def test_a_count_in_a_measure_word_of_its_own_needs_a_count_in_that_word() -> None:
    """"几股", "零下几度", "喷多少下": a measure word no other unit stands for asks a count written in it. The
    wool's row states grams, metres and a price, no count of plies, so it does not answer; degrees are also
    written ℃. A few told before the question ("买过几根钩针，…够申请吗？") asks no count."""
    assert asked_unit("青岚羊毛线是几股的？") == "股" and asked_unit("一瓶能喷多少下？") == "下"
    assert question_shape("青岚羊毛线是几股的？").answer_type == "number"
    assert set(unit_forms(asked_unit("暖冬背心能扛到零下幾度？"))) >= {"度", "℃"}
    assert _shape_refuses("青岚羊毛线是几股的？", SCARVES)
    assert not _shape_refuses("暖冬背心能扛到零下几度？", SCARVES)
    assert question_shape("我在店里买过几根钩针，加起来一百多，够申请吗？").answer_type == ""
    assert asked_unit("我在店里买过几根钩针，一根多少钱？") == ""


def test_an_english_figure_asked_in_its_unit_is_a_measure() -> None:
    """"…, in grams?" asks a weight though no question word names one; "sold in kg bags" asks nothing of it."""
    question = "How strong is the magnet on the desk stand, in grams?"
    assert question_shape(question).answer_type == "number"
    assert not states_count(asked_unit(question), "铝合金；高度可调") and states_count(asked_unit(question), "吸力 800 克")
    assert "cm" in asked_unit("How long is the scarf, in cm?").split("|")
    assert question_shape("Is the wool sold in kg bags?").answer_type == ""


def test_two_counts_asked_in_two_units_are_answered_by_either() -> None:
    """"要卖满几单、写几篇笔记" asks a count of orders and one of posts: the row's posts cell answers a part."""
    unit = asked_unit("升到二级要卖满几单、写几篇笔记？")
    assert states_count(unit, "需发布笔记: 3 篇") and states_count(unit, "需完成订单: 12 单")
    assert not states_count(unit, "奖励系数: ×1.2")


def test_those_few_days_ask_no_duration() -> None:
    """"那几天" points at days the asker has in mind; "几天" on its own asks how many."""
    assert question_shape("国庆那几天卖面包机，一台奖励是多少？").answer_type != "duration"
    assert question_shape("几天能到账？").answer_type == "duration"



def test_a_rate_is_stated_by_its_own_name_not_by_another_rate() -> None:
    """"退货率" shares only the suffix 率 with 复购率: a table row naming the case asked, whose only rate is
    its repurchase rate, does not state its return rate; the row that has the column does."""
    question = "青川那个案例里，订单的退货率是多少？"
    assert not states_attribute(("订单", "退货率"), "品牌: 青川 · 周期: 3 个月 · 复购率: 38%")
    assert states_attribute(("总长",), "全长 55 公里") and states_attribute(("投资", "金额"), "总投资 3 亿元")
    table = "品牌 | 周期 | 复购率\n--- | ---\n青川 | 3 个月 | 38%\n白石 | 2 个月 | 25%"
    with_column = "品牌 | 周期 | 退货率\n--- | ---\n青川 | 3 个月 | 6%\n白石 | 2 个月 | 9%"
    for text, answered in ((table, False), (with_column, True)):
        hits = [Hit(text=text, source="cases.md", chunk_id="c1", rank=1, score=0.9)]
        assert answers_shape(question, select_sentences(question, hits), hits=hits) is answered


def test_a_measure_is_stated_by_its_own_name_not_by_another_measure() -> None:
    """"密度" shares only the suffix 度 with 高度: a cushion's row giving its height states no density; a row
    with a 密度 column does, and a length asked as 长度 is still stated as 全长."""
    question = "云絮靠垫的海绵密度是多少？"
    assert asked_attribute(question, asks_at(question, "number"))[-1] == "密度"
    assert not states_attribute(("密度",), "名称: 云絮靠垫 · 尺寸 / 高度: 45×45；高 12 cm · 售价: 129 元")
    assert states_attribute(("密度",), "名称: 云絮靠垫 · 海绵密度: 40 D · 售价: 129 元")
    assert states_attribute(("长度",), "全长 55 公里") and states_attribute(("容量",), "容积 1.5 升，最大容量 1.2 升")
    row = "编码 | 名称 | 尺寸 / 高度 | 售价\n--- | ---\nCX-01 | 云絮靠垫 | 45×45；高 12 cm | 129 元\nCX-02 | 云絮抱枕 | 30×50；高 10 cm | 99 元"
    hits = [Hit(text=row, source="catalogue.md", chunk_id="c1", rank=1, score=0.9)]
    assert not answers_shape(question, select_sentences(question, hits), hits=hits)


def test_a_row_times_the_act_asked_not_its_other_acts() -> None:
    """"从没电到充满要多久" asks how long charging takes: a lamp's row giving how long each mode runs says
    nothing of it, as it names the charging port and times other acts; a row that times the charge, a column
    named for it, or a row about the act itself answers. "能用多久" asks any running time the row states."""
    charge = "小萤手电从没电到充满要多久？"
    assert asked_act(charge, asks_at(charge, "duration")) == "充"
    assert asked_act("这盏灯能用多久？", asks_at("这盏灯能用多久？", "duration")) == ""
    assert asked_act("蜡烛大概能烧多少个小时？", asks_at("蜡烛大概能烧多少个小时？", "duration")) == "烧"
    modes = "编码: XL-01 · 名称: 「小萤」手电 · 参数: 300 流明，Type-C 充电，强光约 3 小时、弱光约 12 小时 · 售价: 89 元"
    assert not times_the_act("充", modes)
    assert times_the_act("充", "编码: XL-01 · 名称: 「小萤」手电 · 参数: 300 流明，充满约 2 小时 · 售价: 89 元")
    assert times_the_act("充", "名称: 小萤手电 · 充电时长: 约 2 小时")
    assert not times_the_act("充", "名称: 小萤耳机 · 续航（含充电仓）: 约 20 小时")
    assert times_the_act("调", "服务: 上门调音 · 时长: 约 90 分钟") and times_the_act("", modes)
    # a row that never names the act is left to the other checks: what it times may be that act, unnamed
    assert times_the_act("充", "名称: 小萤手电 · 参数: 强光约 3 小时")
    table = ("编码 | 名称 | 参数 | 售价\n--- | ---\nXL-01 | 「小萤」手电 | 300 流明，Type-C 充电，强光约 3 小时、弱光约 12 小时 | 89 元\n"
             "XL-02 | 「大萤」营灯 | 800 流明，强光约 4 小时 | 159 元")
    hits = [Hit(text=table, source="catalogue.md", chunk_id="c1", rank=1, score=0.9)]
    assert not answers_shape(charge, select_sentences(charge, hits), hits=hits)
    runs = "小萤手电强光能用多久？"
    assert answers_shape(runs, select_sentences(runs, hits), hits=hits)


def test_a_count_of_time_units_asks_a_length_of_time() -> None:
    """"多少个小时" asks how long, as "几个小时" does: a shelf life in months or a bare figure is no answer."""
    for question in ("这款茶要泡多少个小时？", "退款要等多少天？", "合同一签多少年？", "审核要几个工作日？"):
        assert question_shape(question).answer_type == "duration", question
    assert question_shape("几年级的孩子适合读？").answer_type != "duration"
    assert question_shape("一年有多少个月份做活动？").answer_type != "duration"
    # asked in hours, a figure in days is a neighbour; a shelf life in months is another period
    unit = asked_time_unit("这款茶要泡多少个小时？")
    assert states_count(unit, "开封后 3 天内喝完") and not states_count(unit, "保质期 9 个月")
    assert states_value("duration", "前后在海外工作了 30 多年") and states_value("duration", "历时 20 余年")

def test_a_sum_may_be_stated_by_the_price_it_is_reckoned_from() -> None:
    assert states_value("amount", "试用结束后可以按原价 6 折购入")
    assert states_value("amount", "丢失的附件按该附件标价赔偿")
    assert not states_value("amount", "佣金比例 8%") and not states_value("amount", "零售价见商品页")


def test_a_charge_may_be_stated_as_a_share_or_a_multiple_of_another_sum() -> None:
    """"How much is the late fee?" is answered by "按每日押金的 2 倍收取": what is charged, reckoned from a
    sum the asker knows. A share that is no charge (a rate paid out, an allowance) is not a sum asked."""
    assert states_value("amount", "提前 24 小时以内退订的，收取订金总额的 30% 作为违约费；")
    assert states_value("amount", "超时部分按每日押金的 2 倍收取")
    assert states_value("amount", "We charge 15% of the booking as a change fee.")
    assert states_value("amount", "10% of the deposit is charged when a slot is moved.")
    assert not states_value("amount", "门店销售额的 5% 作为店长津贴") and not states_value("amount", "奖励为当次稿费的 2 倍")


def test_a_named_row_silent_on_the_value_leaves_the_prose_beside_it_to_answer() -> None:
    """The row names the line and its reward column (¥20 a unit), not the holiday share: the prose
    sentence stating the share answers; without it the row's other figures do not."""
    row = "品类 | 奖励 | 说明\n--- | ---\n烤箱 | ¥20 / 台 | 日常发放\n"
    prose = "节日当天售出的烤箱，奖励按 80% 发放。"
    question = "节日当天卖烤箱，奖励会打几折？"
    hit = Hit(text=row + prose, source="rules.md", chunk_id="r1", rank=1, score=0.9)
    assert answers_shape(question, select_sentences(question, [hit]), hits=[hit])
    assert _shape_refuses(question, Hit(text=row, source="rules.md", chunk_id="r2", rank=1, score=0.9))


def test_a_follower_count_is_asked_and_stated_in_followers() -> None:
    """"How many followers do I need" is not answered by a platform's other counts (characters, photos);
    a follower count is, however it is written."""
    for question in ("How many followers do I need before I can join?", "最少要有多少粉丝才能报名？"):
        unit = asked_unit(question)
        assert states_count(unit, "账号粉丝数达到 1200") and states_count(unit, "至少 300 名粉丝"), question
        assert not states_count(unit, "每篇配图 6 张以上，正文 300 字左右"), question
    assert not states_count(asked_unit("新人群里有多少人？"), "粉丝数达到 1200")
    # a stream's audience is counted in people, not in the minutes a stream must last
    for question in ("How many viewers does a stream need to count as a post?", "直播间要有多少观众才算一篇？"):
        unit = asked_unit(question)
        assert states_count(unit, "在线观众不少于 80 人") and not states_count(unit, "单场不少于 45 分钟"), question


def test_a_rule_the_asker_wants_confirmed_must_be_the_handbooks_own() -> None:
    """"…pays 45%, cash-out 2 hours after delivery, right?" over rules of 8% and 15 days is not confirmed
    by quoting them; the handbooks' own figures are, and a sum the asker worked out is no rule to find."""
    rules = [Hit(text="烤箱的奖励比例为 8%。签收满 15 天后奖励可以提现。", source="r.md", chunk_id="c1", rank=1, score=0.9)]
    assert unstated_premise("The page says every line pays 45% and I can cash out 2 hours after delivery, right?", rules)
    assert unstated_premise("页面上写着奖励统一按 45%，下单后 3 小时就能取出奖励，对吧？", rules)
    assert not unstated_premise("So ovens pay 8% and I can cash out 15 days after delivery, right?", rules)
    assert not unstated_premise("So three ovens at ¥499 get me ¥119.76, right?", rules)
    assert not unstated_premise("Ovens pay 45%?", rules)  # no confirmation asked: answered or refused as usual
    # a question built on what someone is said to have said takes it as given just as "right?" does
    assert unstated_premise("The group notice says every line now pays 45%. How much do two ovens get me?", rules)
    assert unstated_premise("群里有人说现在全部都按 45% 算，我卖两台能拿多少？", rules)
    assert unstated_premise("听说下单后 3 小时就能把奖励取出来，我什么时候能拿到钱？", rules)
    assert not unstated_premise("听说烤箱是 8%，卖两台能拿多少？", rules)
    # a notice, a post or a help desk passes a rule on as a page does
    assert unstated_premise("公告上写着奖励统一按 45%，我卖两台能拿多少？", rules)
    assert unstated_premise("客服讲签收 2 天后就能提现，我什么时候能拿到钱？", rules)
    assert not unstated_premise("公告上写着签收满 15 天后可以提现，我什么时候能拿到钱？", rules)


def test_a_part_that_counts_a_thing_it_does_not_name_leans_on_the_other_part() -> None:
    """"面包机一台多少钱？卖一台奖励多少？": the second part counts the first part's thing, so it is no part to
    answer alone when the handbooks never name that thing (``is_covered``'s rescue of a multi-part question); a
    part naming its own thing is."""
    assert standalone_parts("面包机一台多少钱？卖一台奖励多少？") == []
    assert standalone_parts("卖一台烤箱奖励多少？退货怎么办？") == ["卖一台烤箱奖励多少", "退货怎么办"]
    # "ship there" points at the place the part before told; "is there a cap" points at nothing
    assert standalone_parts("A cousin in Singapore wants a helmet. Does the shop ship there?") == []
    assert standalone_parts("What is the rate on helmets? Is there a cap per order?") == [
        "What is the rate on helmets", "Is there a cap per order"]


def test_an_english_list_question_is_answered_by_a_table_of_that_kind() -> None:
    """"Which four levels are there, by name?" over a Chinese tier table: its rows share no word with the
    question but their column (等级, the glossary's "tier"), yet they are the items asked; a count the
    question states must be the table's number of rows, and a table of another kind lists nothing asked."""
    table = ("## 等级\n\n等级每月评定一次，条件见下表。\n\n| 等级 | 累计订单 | 系数 |\n|---|---|---|\n| 新叶 | — | ×1.0 |\n| 青枝 | 10 笔 | ×1.1 |\n"
             "| 繁花 | 50 笔 | ×1.2 |\n| 硕果 | 200 笔 | ×1.3 |")
    hits = [Hit(text=table, source="t.md", chunk_id="c1", rank=1, score=0.3, heading_path=["等级"])]
    assert is_covered("Which four levels are there, by name?", False, hits)
    assert not is_covered("Which six levels are there, by name?", False, hits)
    products = table.replace("等级", "商品")
    other = [Hit(text=products, source="t.md", chunk_id="c1", rank=1, score=0.3, heading_path=["商品"])]
    assert not is_covered("Which four levels are there, by name?", False, other)


def test_a_list_question_gathers_the_items_of_the_section_that_announces_them() -> None:
    """"会员活动有哪几种？" over a section titled "活动分两种" whose items name neither 会员 nor 活动, beside
    a rule that shares the question's words: the title counts the kinds with the question's own classifier
    (种), so its items are the answer; a title counting something else (三个步骤) announces nothing asked."""
    kinds = ("- 线下品鉴：每季度一次，在门店举办，名额 20 位；\n"
             "- 线上直播：每月一次，主播讲解新品，观看即可领券。")
    nearby = "会员活动的报名入口在小程序首页，报满即止。"
    hits = [Hit(text=nearby, source="a.md", chunk_id="a1", rank=1, score=0.5, heading_path=["会员手册", "报名入口"]),
            Hit(text=kinds, source="a.md", chunk_id="a2", rank=2, score=0.4, heading_path=["会员手册", "1. 活动分两种"])]
    question = "会员活动有哪几种？"
    assert announces_the_list(question, "1. 活动分两种") and not announces_the_list(question, "报名分三个步骤")
    picked = [c.text for c in select_sentences(question, hits)]
    assert picked[0].startswith(("线下品鉴", "线上直播")) and any(text.startswith("线上直播") for text in picked)
    assert any(text.startswith("线下品鉴") for text in picked)
    steps = [hits[0], hits[1].model_copy(update={"heading_path": ["会员手册", "1. 报名分两个步骤"]})]
    assert select_sentences(question, steps)[0].text == nearby


def test_an_english_question_naming_a_row_by_its_chinese_name_is_not_answered_by_another_row() -> None:
    """"How many grams of down does the 云朵 bag hold?" over a catalogue whose 云朵 row gives its weight in
    kilograms and whose other bag's row gives grams of down: the Chinese name picks the row (the first word of
    its name cell), and the other row's figure is that bag's, not this one's. Asked of the other bag, it is."""
    table = ("| 代码 | 名称 | 规格 | 重量 |\n|---|---|---|---|\n| S-01 | 云朵 信封式睡袋 | 中空棉填充 | 1.2 kg |\n"
             "| S-02 | 松雪 羽绒睡袋 | 充绒 500 克 | 0.9 kg |")
    hits = [Hit(text=table, source="catalogue.md", chunk_id="c1", rank=1, score=0.8, heading_path=["睡袋"])]
    rows = ["代码: S-01 · 名称: 云朵 信封式睡袋 · 规格: 中空棉填充 · 重量: 1.2 kg",
            "代码: S-02 · 名称: 松雪 羽绒睡袋 · 规格: 充绒 500 克 · 重量: 0.9 kg"]
    scorer = EvidenceScorer(known=lambda word: True, question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({row: [0.9, 0.436] for row in rows}))
    question = "How many grams of down does the 云朵 bag hold?"
    picked = select_sentences(question, hits, scorer=scorer)
    assert {c.text for c in picked} >= set(rows) and not answers_shape(question, picked, hits=hits)
    other = "How many grams of down does the 松雪 bag hold?"
    assert answers_shape(other, select_sentences(other, hits, scorer=scorer), hits=hits)


def test_the_part_that_carries_a_multi_part_question_must_be_answered_as_it_asks() -> None:
    """"面包是在哪家工厂烤的？供货协议的编号是多少？": the factory is named nowhere, and the part left asks a number for
    an agreement, which the best sentence (hours to ship) does not give and a far-off line about product codes gives only
    by a character of 编号. The whole question passes on that line, but no part is answered as it asks, so it is
    refused; asked of the shipping time instead, the part is answered and carries the question."""
    shipping = "所有面包均为下单后 24 小时内现烤发货，包装上印有生产日期；"
    codes = "面包编码的第四段为三位序号，1 开头为吐司，2 开头为蛋糕。"
    hits = [Hit(text=shipping, source="bakery.md", chunk_id="b1", rank=1, score=0.9),
            Hit(text=codes, source="codes.md", chunk_id="c1", rank=2, score=0.8)]
    scorer = EvidenceScorer(known=lambda word: True, question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({shipping: [0.8, 0.6], codes: [0.5, 0.866]}))
    question = "面包是在哪家工厂烤的？供货协议的编号是多少？"
    picked = select_sentences(question, hits, scorer=scorer)
    assert answers_shape(question, picked, None, hits) and not answers_shape("供货协议的编号是多少", picked, None, hits)
    assert not is_covered(question, True, hits, picked, scorer=scorer)
    shipped = "面包是在哪家工厂烤的？下单后多久发货？"
    assert is_covered(shipped, True, hits, select_sentences(shipped, hits, scorer=scorer), scorer=scorer)


def test_generic_programme_words_of_an_english_question_find_the_chinese_rule() -> None:
    """Appeals, warranties, shipping fees, invoices, deposits, credit scores and withdrawals are words of
    every programme and shop: an English question naming one shares that word with the Chinese rule."""
    pairs = [("appeal", "How long do I have to appeal a deduction?", "被扣分的七天内可以申诉一次。"),
             ("shipping", "Who pays the shipping when a customer returns a kettle?", "退货的运费由顾客承担。"),
             ("warranty", "Is the warranty one year?", "这款水壶保修 1 年。"),
             ("invoice", "Can I get an invoice for my commission?", "佣金可以开具发票。"),
             ("withdraw", "When can I withdraw my balance?", "每月 12 日可以提现。"),
             ("credit", "What credit score do new members start with?", "新人注册时信用分为 100 分。")]
    for word, question, rule in pairs:
        terms = query_terms(question)
        found = {terms[1][i - len(terms[0])][0] for i in term_groups_in(terms, rule) if i >= len(terms[0])}
        assert word in found, question


def test_a_part_naming_nothing_of_its_own_asks_about_the_part_before_it() -> None:
    """"…有没有上限？每周最多能领多少？": the second part asks the allowance's weekly cap, so a count of
    managers or of weeks ("最多设 3 名管理员，连续 3 周…") in the same chunk does not answer it; the cap stated does."""
    question = "社区书屋的管理津贴有没有上限？每周最多能领多少？"
    silent = Hit(text="社区书屋的管理员按书屋当周销售额的 4% 领取管理津贴，和佣金同一天发放。"
                      "每个书屋最多设 3 名管理员，连续 3 周没有活动的停止合作。",
                 source="club.md", chunk_id="c1", rank=1, score=0.9)
    picked = select_sentences(question, [silent])
    assert not answers_shape(question, picked, hits=[silent]) and not is_covered(question, True, [silent], picked)
    stated = Hit(text="社区书屋的管理员按书屋当周销售额的 4% 领取管理津贴，每周最多领 200 元。",
                 source="club.md", chunk_id="c2", rank=1, score=0.9)
    picked = select_sentences(question, [stated])
    assert answers_shape(question, picked, hits=[stated]) and is_covered(question, True, [stated], picked)


def test_a_role_noun_is_not_a_name_the_handbooks_must_write() -> None:
    """"顾客" (tagged a person's name by jieba's dictionary) missing from evidence that says what
    happens refuses only when the evidence is also far, as any common noun; a real name always."""
    evidence = ["超过归还日期的，每天按日租金的两倍计费。"]
    assert missing_focus("如果顾客晚还了呢？", evidence, lambda w: False, 0.6) == []
    assert missing_focus("如果顾客晚还了呢？", evidence, lambda w: False, 0.3) == ["顾客"]
    assert missing_focus("如果周沐言晚还了呢？", evidence, lambda w: False, 0.6) == ["周沐言"]


def test_the_scene_of_a_yes_no_question_must_be_in_the_rule() -> None:
    """"我出国旅行的那段时间，群里的优惠券还会照常发吗？" over the rule that coupons go out every month is
    the general rule, not the rule for that period: the scene (出国, 旅行) is no other part to excuse, and
    the handbooks use both words elsewhere. Over a rule that names the scene, the question is answered."""
    question = "我出国旅行的那段时间，群里的优惠券还会照常发吗？"
    assert {"出国", "旅行"} <= set(condition_words(question))
    assert condition_words("群里的优惠券每个月几号发？") == [] and condition_words("优惠券还会照常发吗？") == []
    # asked by a modal and its negation, not with 吗, the scene is one all the same
    assert "限流" in condition_words("账号被限流那几周我发的视频，还算不算月度任务的条数？")
    general = ["已登记的社群每月 1 日会收到社群优惠券，张数按群规模区分。"]
    assert {"出国", "旅行"} & set(missing_focus(question, general, lambda w: True, 0.8))
    named = ["推广员出国旅行期间，社群优惠券照常发放，由群管理员代为转发。"]
    assert missing_focus(question, named, lambda w: True, 0.8) == []
    # a stretch of time named as the scene ("…的那 3 晚") is a scene as "…期间" is
    stay = "金卡会员免费入住民宿的那 3 晚，可以带朋友一起住吗？"
    assert {"民宿", "入住"} <= set(condition_words(stay))
    assert not scene_apart(stay, ["金卡会员每年可免费入住合作民宿 3 晚。 会员活动可以带 1 位朋友参加。"])
    assert scene_apart(stay, ["金卡会员每年可免费入住合作民宿 3 晚。", "线下聚会可以带 1 位朋友参加。"])


def test_how_well_something_went_and_falling_short_of_a_bar_are_no_scene() -> None:
    """"这两个月卖货挺多，…能直接升两级吗": a stretch of time judged by how well it went tells a result, not a
    scene the rule must name; "要是销量没够线" falls short of a bar the rule words as its own threshold (未达到).
    The scene itself, and the nouns of the clause that falls short, still are."""
    assert condition_words("我这两个月卖货挺多，评定那天能直接升两级吗？") == []
    assert "出差" in condition_words("我出差的那两个月，评定那天能直接升两级吗？")
    fell_short = condition_words("要是销量没够线，会不会直接降一级？")
    assert "销量" in fell_short and "没够" not in fell_short


def test_a_question_asked_before_a_yes_no_question_is_no_scene_of_it() -> None:
    """"信用分满分是几分？每年什么时候重新回满？我是 9 月入会的，也一样吗？": the yes/no question is the last sentence
    only; "什么时候" belongs to a question of its own, which says no scene the rule must name (回满 is the asker's
    word for the yearly reset the handbooks write as 恢复)."""
    question = "信用分满分是几分？每年什么时候重新回满？我是 9 月入会的，也一样吗？"
    assert condition_words(question) == []
    rule = ["每位会员每年有 12 分信用分，每年 3 月 1 日统一恢复为 12 分，和入会日期无关。"]
    assert missing_focus(question, rule, lambda w: w in "信用分 入会", 0.7) == []
    # a scene told in the yes/no question's own sentence still is one
    assert "出差" in condition_words("满分是几分？我出差的那段时间，扣的分会恢复吗？")


def test_a_part_that_repeats_what_another_part_is_missing_is_not_answered_on_its_own() -> None:
    """"竹屿浴巾通过甲醛检测了吗？检测报告可以转给粉丝吗？": the handbooks never speak of formaldehyde tests, and the
    report the second part asks about is that test's. A rule on some other report answers neither part, though read
    with the whole question's "可以…吗" it excuses every common noun the evidence lacks."""
    text = "测评报告提交后 7 天内发布 1 篇笔记。 报告里不得写未经核实的功效，写好后可以给顾客看。"
    hit = Hit(text=text, source="rules.md", chunk_id="c1", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"测评", "报告", "笔记", "顾客", "功效", "提交", "发布", "粉丝"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({s: [0.54, 0.842] for s in text.split(" ")}))
    question = "竹屿浴巾通过甲醛检测了吗？检测报告可以转给粉丝吗？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert picked and focus_missing(question, [hit], picked, scorer) == []
    assert not is_covered(question, True, [hit], picked, scorer=scorer)
    # whatever the whole question is found missing, the second part leans on the first
    assert "检测" in focus_missing("竹屿浴巾通过甲醛检测了吗？", [hit], picked, scorer)
    assert not _a_part_is_covered(question, ["竹屿"], [hit], picked, scorer)
    alone = "报告可以转给粉丝吗？"
    assert _a_part_is_covered(f"竹屿浴巾通过甲醛检测了吗？{alone}", ["竹屿"], [hit], picked, scorer)


def test_a_rule_for_the_rest_of_a_yes_no_question_does_not_answer_it_in_its_scene() -> None:
    """The asking clause ("群里的优惠券还会照常发吗") stands on its own and the general rule answers it,
    but the question asks it for a scene the rule never names: no part is answered."""
    rule = "已登记的社群每月 1 日会收到社群优惠券，优惠券照常按群规模发放。"
    hit = Hit(text=rule, source="community.md", chunk_id="c9", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"出国", "旅行", "社群", "优惠券", "登记", "群规模"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake({rule: [0.9, 0.436]}))
    question = "我出国旅行的那段时间，群里的优惠券还会照常发吗？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert picked and not is_covered(question, True, [hit], picked, scorer=scorer)
    asked = "群里的优惠券还会照常发吗？"
    assert is_covered(asked, True, [hit], select_sentences(asked, [hit], scorer=scorer), scorer=scorer)


def test_a_yes_no_question_about_one_thing_doing_another_needs_a_rule_naming_both() -> None:
    """"代金券可以用来付蛋糕定金吗？" over a passage on cash vouchers and another on cake deposits: each
    rule speaks of one of them and none says whether the voucher pays the deposit, so quoting both would
    answer a question the handbooks never asked. A passage that names the voucher with the deposit
    answers it; a question whose subject is only the asker ("我能…吗") is left to the other checks."""
    coupon = "代金券：会员生日当月可以领一张代金券，面额 20 元，当月有效，不能转让。"
    cake = "蛋糕预订：生日蛋糕需要提前 2 天预订，定金为蛋糕价格的 30%，取货时付清余款。"
    question = "代金券可以用来付蛋糕定金吗？"
    assert subject_apart(question, [coupon, cake])
    assert not subject_apart(question, [coupon + "代金券不能用来支付蛋糕定金。", cake])
    assert not subject_apart("我能提前三天预订蛋糕吗？", [coupon, cake])
    assert not subject_apart("代金券能转让吗？", [coupon, cake])  # one passage names the voucher and the transfer
    # asked with 会 and a likeness ("跟余额一样"): what the subject is likened to is not what it is asked to do
    moved, kept = "更换手机号以后，账户余额会自动转到新账号。", "会员积分和余额都不能提现，积分每年 12 月 31 日清零。"
    assert subject_apart("会员积分会跟余额一样转到新账号吗？", [moved, kept])

    assert not subject_apart("会员积分会跟余额一样转到新账号吗？", [moved, kept + "换号后积分同样转到新账号。"])
    vocabulary = {"代金券", "生日", "蛋糕", "定金", "预订", "会员", "转让", "付清", "余款", "面额"}
    hits = [Hit(text=coupon, source="perks.md", chunk_id="p1", rank=1, score=0.9),
            Hit(text=cake, source="orders.md", chunk_id="o1", rank=2, score=0.8)]
    scorer = EvidenceScorer(known=corpus_knows(vocabulary), question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({coupon: [0.8, 0.6], cake: [0.8, 0.6]}))
    picked = select_sentences(question, hits, scorer=scorer)
    assert {c.hit_rank for c in picked} == {0, 1} and not is_covered(question, True, hits, picked, scorer=scorer)
    allowed = "代金券能转让吗？"
    assert is_covered(allowed, True, hits, select_sentences(allowed, hits, scorer=scorer), scorer=scorer)

def test_a_count_of_what_one_thing_may_do_needs_a_rule_naming_both() -> None:
    """"口语课的测验没过的话，可以重考几次？" over the course's passage (its test and the points it gives, no retake) and
    a FAQ on retaking the entry test: neither says how often the course's test may be retaken; its "1 次" counts points
    given. A passage naming the course's test with its retakes answers it."""
    course = "学完「口语课」后参加 8 道题的测验，答对 6 道及以上加 2 分。每年最多通过口语课加分 1 次。"
    entry = "问：入门测验没通过，多久能重考？答：24 小时后可以重考，每个自然月最多考 3 次。"
    question = "口语课的测验没过的话，可以重考几次？"
    assert subject_apart(question, [course, entry])
    assert not subject_apart(question, [course, "口语课的测验没通过的，24 小时后可以重考，最多重考 2 次。"])



def test_an_english_follow_up_naming_a_thing_of_its_own_replaces_the_thing_before() -> None:
    """"How about the kettle?" after two questions on other appliances' commission asks the kettle's
    commission: the entity list knows no English name, yet the oven before is no part of the query.
    "What about the refund period?" names an attribute, and keeps the oven."""
    entities = ["烤箱", "面包机", "榨汁机"]
    earlier = ["烤箱的佣金怎么算？", "那面包机呢？"]
    query = conversation_query("How about the kettle?", earlier, entities, entities)
    assert "kettle" in query and "佣金" in query and "面包机" not in query and "烤箱" not in query
    kept = conversation_query("What about the refund period?", ["烤箱的佣金怎么算？"], entities, entities)
    assert "烤箱" in kept
    tier = conversation_query("And the Platinum tier?", ["银卡的佣金倍数是多少？"], ["银卡", "金卡"], ["银卡", "金卡"])
    assert "倍数" in tier and "银卡" not in tier


def test_a_thing_without_an_entity_name_is_replaced_or_pointed_at_not_its_attribute() -> None:
    """With no entity list that names them ("the toaster", 烤面包机), a follow-up still tells the thing
    asked about from what was asked of it: "And the blender?" keeps the commission and drops the
    toaster, and "它的零售价是多少？" carries the thing, not the commission rate asked of it before."""
    earlier = ["What's the commission rate on the toaster?"]
    switched = conversation_query("And the blender?", earlier)
    assert "blender" in switched and "commission" in switched and "toaster" not in switched
    pointed = conversation_query("它的零售价是多少？", [*earlier, "And the blender?"])
    assert "blender" in pointed and "commission" not in pointed and "toaster" not in pointed
    chinese = conversation_query("它的零售价是多少？", ["烤面包机的佣金比例是多少？"])
    assert "面包机" in chinese and "佣金" not in chinese and "比例" not in chinese
    # "the 30-day one" stands for all that was asked, changed in one respect: the rate stays
    assert "rate" in conversation_query("And the 30-day one?", ["What is the 7-day return rate for a group?"])
    # what was asked of the thing before goes on, though no glossary knows the acronym
    acronym = conversation_query("What about for clubs?", ["What's the usual CPM for partner videos?"])
    assert "cpm" in acronym.lower() and "partner" not in acronym


def test_the_thing_a_question_asks_about_is_told_from_what_it_asks() -> None:
    assert thing_words("烤面包机的佣金比例是多少？") == ["烤面包机"]
    assert thing_words("What's the commission rate on the bread maker?") == ["bread", "maker"]
    assert thing_words("怎么申请试用？") == []


def test_a_demonstrative_that_opens_a_follow_up_stays_with_it() -> None:
    """"那一级要多少单？" points at the tier before; read without its 那 it would ask about 一级, the
    first tier, by name."""
    query = conversation_query("那一级要多少单？", ["银卡的升级条件是什么？"], ["银卡", "金卡"], ["银卡", "金卡"])
    assert query.startswith("那一级") and "银卡" in query
    assert conversation_query("那金卡呢？", ["银卡的升级条件是什么？"], ["银卡", "金卡"], ["银卡", "金卡"]).startswith("金卡")


def test_the_next_tier_is_named_from_the_policys_ladder_and_the_tier_asked_before() -> None:
    """"那下一级呢？" after a question about the second tier asks about the third: the policy's ladder
    (names → key, lowest first) names it, in the asker's language; the top tier has none above it."""
    ladder = {"铜叶会员": "copper", "Copper": "copper", "银叶会员": "silver", "Silver": "silver",
              "金叶会员": "gold", "Gold": "gold"}
    assert with_next_tier("那下一级呢？", ["银叶会员的晋级条件是什么？"], ladder) == "那金叶会员呢？"
    assert with_next_tier("And the next tier?", ["What does a Copper member need to move up?"], ladder) == "And the Silver tier?"
    chain = ["铜叶会员要满足什么条件？", "那下一级呢？"]
    assert with_next_tier("那再下一级呢？", chain, ladder) == "那再金叶会员呢？"
    assert with_next_tier("那下一级呢？", ["金叶会员有什么权益？"], ladder) == "那下一级呢？"  # the top tier
    assert with_next_tier("下一级要多少粉丝？", ["佣金怎么算？"], ladder) == "下一级要多少粉丝？"  # no tier before
    # the search names the tier above and switches to it: the tier before is no part of the query
    turn = SimpleNamespace(question="那下一级呢？", recent=[("user", "银叶会员的晋级条件是什么？"), ("assistant", "……")])
    entities = [name for name in ladder if CJK_RE.search(name)]
    query = search_query(turn, [], entities, ladder)
    assert "金叶会员" in query and "银叶" not in query and "条件" in query, query


def test_an_english_query_is_searched_with_the_handbooks_words_for_its_terms() -> None:
    assert set(glossary_hint("What's the shipping fee for returns?").split()) >= {"运费", "费", "退货"}
    assert glossary_hint("退货的运费谁出？") == ""  # a Chinese question has the handbooks' words already
    # a tier "reviewed" is judged (评估 / 考核), a "review" is a post about a product
    reviewed = set(glossary_hint("When is my tier reviewed?").split())
    assert {"评估", "考核"} <= reviewed and "测评" not in reviewed
    assert "测评" in glossary_hint("How long do I have to post my review?").split()


@pytest.mark.parametrize("question, answer_type", [
    ("How much lower should the commission be when the brand already pays a writing fee?", "number"),
    ("How much more do I earn per order after a promotion?", "number"),
    ("When does a product-swap model make sense?", ""), ("什么时候适合用置换模式？", ""),
    ("When is commission settled?", "date"), ("什么时候结算？", "date"), ("What does the fee cost?", "amount"),
])
def test_a_difference_asks_any_figure_and_when_a_choice_suits_asks_no_date(question: str, answer_type: str) -> None:
    """"How much lower" is answered by points or a sum alike; "when does X make sense" asks the case X suits."""
    assert question_shape(question).answer_type == answer_type


def test_a_change_in_points_states_a_share() -> None:
    assert states_value("percentage", "已经支付稿费的任务，佣金比例应相应下调 2 至 3 个百分点。")


def test_a_part_naming_nothing_of_its_own_is_covered_only_with_the_part_it_leans_on() -> None:
    """"读书会一场一般办多长时间？几点开始？": the handbook says who may hold a reading club and, elsewhere, the
    hour after which no messages go out. The bare second part asks when *the club* starts; a clock time
    about something else answers neither part, so the question is refused."""
    text = ("金卡会员每个季度可以报名办 1 次读书会，由总部派编辑到场。\n"
            "每晚从 22:00 开始到次日 8:00，群里不发推广消息。")
    hit = Hit(text=text, source="club.md", chunk_id="c9", rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"金卡", "会员", "季度", "报名", "读书会", "总部", "编辑", "到场", "每晚",
                                                "推广", "消息", "开始"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake({}))
    question = "读书会一场一般办多长时间？几点开始？"
    picked = select_sentences(question, [hit], scorer=scorer)
    assert not is_covered(question, True, [hit], picked, scorer=scorer)
    # a part that names its own subject is still answered on its own
    named = "读书会一场一般办多长时间？每晚几点以后不发推广消息？"
    assert is_covered(named, True, [hit], select_sentences(named, [hit], scorer=scorer), scorer=scorer)


def test_a_verb_that_only_puts_a_thing_to_use_is_no_action_the_rule_must_name() -> None:
    """"青柚爽肤水可以拿来湿敷吗？": 拿来 only says the toner is put to a use; the use (湿敷) is what the
    handbook must speak of, and it does, so nothing asked is missing."""
    evidence = ["青柚爽肤水：洁面后轻拍全脸，也可以用化妆棉湿敷 5 分钟。"]
    assert missing_focus("青柚爽肤水可以拿来湿敷吗？", evidence, lambda w: False, 0.6) == []


def test_each_part_keeps_its_sentence_when_the_first_picks_fill_the_answer() -> None:
    """Three sentences about a cream's price fill the first picks; the parts asking who pays the return
    shipping and how long the cream keeps each bring their own sentence, and the weakest price line
    makes room for them, rather than the last part's answer being cut off."""
    prices = [_Candidate(0, i, text, 1.0 - i / 10, 0.8) for i, text in enumerate(
        ["青柚面霜的售价是 159 元。", "青柚面霜大促时售价 129 元。", "青柚面霜两支装售价 289 元。"])]
    shipping = _Candidate(1, 0, "退货运费：质量问题由品牌承担。", 0.3, 0.3)
    keeping = _Candidate(2, 0, "保质期：开封后十二个月。", 0.2, 0.2)
    question = "青柚面霜售价多少？质量问题退货运费谁承担？开封后保质期多久？"
    out = _cover_parts(question, list(prices), [*prices, shipping, keeping], 3, None)
    assert shipping in out and keeping in out and prices[0] in out and len(out) == 4


def test_a_scene_and_the_thing_asked_stated_only_apart_answer_nothing() -> None:
    """"我暂停合作的那段时间，登记群的满减券还会照常发吗？": one passage says how coupons go out, another what
    a pause does; neither says what happens to the coupons during a pause, so the question is refused.
    A passage naming both answers it. "那段时间" names no one (jieba reads 段时间 as a person's name)."""
    question = "我暂停合作的那段时间，登记群的满减券还会照常发吗？"
    coupons = Hit(text="登记群每月 1 日发放满减券，每群 20 张。", source="a.md", chunk_id="a", rank=1, score=0.9)
    pause = Hit(text="暂停合作：每年可以申请 1 次，最长 60 天，暂停期间不扣信用分。", source="b.md", chunk_id="b", rank=2, score=0.85)
    both = Hit(text="暂停合作期间，登记群的满减券照常发放。", source="c.md", chunk_id="c", rank=1, score=0.9)
    assert not is_covered(question, True, [coupons, pause])
    assert is_covered(question, True, [both, pause])
    assert "段时间" not in [word for word, _ in focus_nouns(question)]


def test_a_value_beside_the_sentence_that_names_what_is_asked_is_about_something_else() -> None:
    """"读书会月度排行前三名加送的书券具体是多少钱？": the sentence naming the ranking's top three says they get
    vouchers but not how much; the amount beside it is what an ordinary member gets per event. The
    question is refused; once the ranking's sentence states its own amount, it is answered."""
    question = "读书会月度排行前三名加送的书券具体是多少钱？"
    silent = Hit(text="每月最后一天公布读书会月度排行，前 3 名加送书券。\n普通会员每次活动可领书券 ¥20–¥50。",
                 source="club.md", chunk_id="a", rank=1, score=0.9)
    stated = Hit(text="每月最后一天公布读书会月度排行，前 3 名加送书券 ¥100。\n普通会员每次活动可领书券 ¥20–¥50。",
                 source="club.md", chunk_id="a", rank=1, score=0.9)
    assert not is_covered(question, True, [silent], select_sentences(question, [silent]))
    assert is_covered(question, True, [stated], select_sentences(question, [stated]))


@pytest.mark.parametrize("question", ["读书会年会一般去哪里？", "年會在哪個城市舉辦？", "Where is the annual meet-up held?"])
def test_where_an_event_goes_needs_a_place(question: str) -> None:
    """A question asking where something happens is answered by a place: a place name, an address, a
    capitalised name after "in"; a passage saying only that the event exists, or that it moves "between
    cities", names none. Where to look something up asks a step, not a place."""
    assert question_shape(question).answer_type == "place"
    assert question_shape("在哪里可以看到我的收益？").answer_type == "" and question_shape("去哪里申请？").answer_type == ""
    assert not states_value("place", "每年邀请最高等级的会员参加年会，地点每年在各地之间轮换。")
    assert states_value("place", "今年的年会在云南大理举办。") and states_value("place", "The meet-up is held in Suzhou.")
    # a foreign name jieba takes for a person's, where something is said to be
    assert states_value("place", "这种龙生存于白垩纪晚期的阿根廷。")
    exists = Hit(text="每年邀请最高等级的会员参加读书会年会，地点每年在各地之间轮换。", source="a.md", chunk_id="a", rank=1, score=0.9)
    stated = Hit(text="今年的读书会年会在云南大理举办，一般去三天。", source="a.md", chunk_id="b", rank=1, score=0.9)
    if detect_language(question) != "en":
        assert not covered_alone(question, exists.text) and covered_alone(question, stated.text)


def test_a_charge_jieba_splits_off_its_noun_is_one_focus_noun() -> None:
    """jieba reads 场地费 as a place word and a verb; the question asks about a fee of the venue."""
    assert ("场地费", False) in focus_nouns("读书会线下聚会的场地费，总部会补贴多少？")
    assert all(word != "场地" for word, _ in focus_nouns("读书会线下聚会的场地费，总部会补贴多少？"))


def test_a_part_asking_of_a_topic_the_evidence_lacks_is_not_covered_on_its_own() -> None:
    """"读书会线下聚会的场地费，总部会补贴多少？": the first clause asks nothing and names what the second
    asks the subsidy of. A handbook stating only a per-event subsidy says nothing of the venue fee; the
    second part is not a question of its own that the subsidy answers."""
    scorer = EvidenceScorer(known=corpus_knows({"读书会", "线下", "聚会", "总部", "补贴", "家庭", "每次"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake({}))
    question = "读书会线下聚会的场地费，总部会补贴多少？"
    subsidy = Hit(text="读书会线下聚会每次到场家庭不少于 8 个的，总部补贴 40 元。", source="club.md", chunk_id="c1",
                  rank=1, score=0.9)
    assert not is_covered(question, True, [subsidy], select_sentences(question, [subsidy], scorer=scorer), scorer=scorer)
    venue = Hit(text="读书会线下聚会的场地费由总部补贴，每次最多 40 元。", source="club.md", chunk_id="c2", rank=1, score=0.9)
    assert is_covered(question, True, [venue], select_sentences(question, [venue], scorer=scorer), scorer=scorer)


def test_a_place_the_question_names_must_be_in_the_evidence() -> None:
    """"江苏省内有几家合作门店？" over "目前在 9 个省份共有 40 家合作门店。": the sentence reads very close, but the
    count is the country's, not the province's. A place jieba knows by name is required like a person's;
    a word that only places something ("店内") or a run of names jieba guessed is not."""
    from_country = ["目前在 9 个省份共有 40 家合作门店。"]
    assert missing_focus("江苏省内有几家合作门店？", from_country, lambda w: False, 0.9) == ["江苏省"]
    assert missing_focus("江苏省内有几家合作门店？", ["江苏省内共有 6 家合作门店。"], lambda w: False, 0.9) == []
    assert missing_focus("门店店内可以拍摄吗？", ["门店可以拍摄，但不要拍到其他顾客。"], lambda w: False, 0.9) == []


def test_a_named_thing_a_table_lacks_is_not_priced_by_its_rows() -> None:
    """"青岚烤盘租一天多少钱？" over a rental price list of tents: 青岚 is sold elsewhere in the handbooks, but
    the table found lists other things, so every row's figure is another thing's price. The same list
    with a 青岚 row answers it."""
    header = "装备 | 每天租金 | 押金\n--- | --- | ---\n"
    tents = Hit(text=header + "山影双人帐 | 39 元 | 300 元\n山影四人帐 | 59 元 | 450 元", source="rent.md", chunk_id="r1",
                rank=1, score=0.9)
    scorer = EvidenceScorer(known=corpus_knows({"青岚", "烤盘", "租", "装备", "租金", "押金", "山影"}),
                            question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({row: [0.9, 0.44] for row in (
                                "装备: 山影双人帐 · 每天租金: 39 元 · 押金: 300 元", "装备: 山影四人帐 · 每天租金: 59 元 · 押金: 450 元",
                                "装备: 青岚烤盘 · 每天租金: 25 元 · 押金: 100 元")}))
    question = "青岚烤盘租一天多少钱？"
    assert not is_covered(question, True, [tents], select_sentences(question, [tents], scorer=scorer), scorer=scorer)
    listed = Hit(text=header + "山影双人帐 | 39 元 | 300 元\n青岚烤盘 | 25 元 | 100 元", source="rent.md", chunk_id="r2",
                 rank=1, score=0.9)
    assert is_covered(question, True, [listed], select_sentences(question, [listed], scorer=scorer), scorer=scorer)


@pytest.mark.parametrize("question, evidence", [
    ("积分能不能转给家人用？", "积分有效期 12 个月，过期清零。"),  # a modal and its negation, no 吗
    ("会员休假到一半想回来上班可以吗？", "会员每年可以休假一次，最长 60 天。"),  # "…可以吗" after what it asks of
])
def test_a_yes_no_question_without_its_modal_before_the_act_still_names_the_act(question: str, evidence: str) -> None:
    """The act a yes/no question asks about (转给, 回来上班) is looked for in the evidence however the question
    is put: a rule about the points' expiry or the leave's length says nothing of handing points on or
    coming back to work, though it reads close to the question."""
    assert missing_focus(question, [evidence], lambda w: False, 0.8)
    # "有没有…" asks whether a thing exists, which handbooks often word otherwise: not an act to look for
    assert missing_focus("新人佣金有没有加成？", ["新人首月佣金乘以 1.1。"], lambda w: True, 0.8) == []


#: a list whose items are sub-sections: each item's name is its title, which its text never repeats
_FORMS = {"1. 寄样测评": "寄出新品，试用两周后发布真实体验。",
          "2. 直播连麦": "在直播间连线讲解，按场次结算出场费。",
          "3. 社群拼单": "在自己的社群发起拼单，成团后统一发货。"}


def _form_hits() -> list[Hit]:
    return [Hit(text=text, source="cooperation.md", chunk_id=f"f{n}", rank=n, score=0.7,
                heading_path=["合作手册", "二、三类常见样品合作形式", title])
            for n, (title, text) in enumerate(_FORMS.items(), start=1)]


@pytest.mark.parametrize("question,language", [("合作方式有哪几类？", "zh-CN"),
                                               ("What are the three forms of working with samples?", "en"),
                                               ("What kinds of sample deals are there?", "en")])
def test_a_list_of_sections_is_answered_with_their_titles_in_order(question: str, language: str) -> None:
    """A list question over a section whose title counts three kinds, each a sub-section of its own: the
    answer names each kind by its title, one item each (the text under a title does not repeat it), in
    the handbook's order whatever order the search found them in. An English question names no
    classifier: it asks for as many things as the title counts, or for the kinds there are."""
    hits = _form_hits()
    answer, citations = evidence_answer(question, [hits[2], hits[0], hits[1]], language)
    at = [answer.find(f"{title}：{text[:10]}") for title, text in _FORMS.items()]
    assert -1 not in at and at == sorted(at)
    assert len(citations) == len(_FORMS)


def test_an_english_list_question_is_announced_by_its_count_or_by_kinds() -> None:
    assert announces_the_list("What are the four levels?", "二、四个等级") and announces_the_list("Which two ways?", "两种方式")
    assert not announces_the_list("What are the three levels?", "二、四个等级")
    assert announces_the_list("What types of posts are there?", "三类笔记")
    assert not announces_the_list("What types of posts are there?", "三个步骤")  # steps are no kinds
    assert question_shape("What kinds of posts are there?").is_list
    assert not question_shape("What kind of battery does it take?").is_list  # one thing of a kind


def test_sections_a_title_counts_are_the_items_though_no_item_reads_like_the_question() -> None:
    """Each item's text is far from the question in meaning and shares none of its words, yet the
    heading above them counts the kinds it asks for: they are the answer. Without such a heading
    (plain sibling sections, or a count of kinds of something else), the same far text is no evidence."""
    question = "品牌和达人之间的合作方式一般有哪几类？"
    far = {text: [0.0, 1.0] for text in _FORMS.values()}
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32), embeddings=_Fake(far))
    hits = _form_hits()
    picked = select_sentences(question, hits, scorer=scorer)
    assert {c.hit_rank for c in picked} == {0, 1, 2} and max(c.overlap for c in picked) < 0.2
    assert is_covered(question, True, hits, picked, scorer=scorer)
    for parent in ("二、合作形式", "二、三类常见退款原因"):  # no count of kinds; kinds of something else
        plain = [h.model_copy(update={"heading_path": ["合作手册", parent, h.heading_path[-1]]}) for h in hits]
        assert not is_covered(question, True, plain, select_sentences(question, plain, scorer=scorer), scorer=scorer)


def test_a_part_asking_a_cap_brings_in_the_sentence_that_sets_it() -> None:
    """"How much is paid for each new member I bring in, and is there a monthly limit on these bonuses?" over
    Chinese rules: the second part leans on the first for its subject ("these bonuses") and asks a cap. Read on
    its own vector, a note on when the bonuses are paid reads closest to it, but sets no cap; the part is
    answered only by a sentence setting one, which joins the answer beside the bonus itself."""
    reward, other = "成功拉来一位新会员，奖金 80 元。", "直播间连线一场，出场费 150 元。"
    near, cap = "拉新奖金按月汇总，次月随佣金一起发放。", "每位会员一个月内最多可拿 3 笔拉新奖金。"
    hits = [Hit(text=t, source=f"r{n}.md", chunk_id=f"r{n}", rank=n, score=0.8)
            for n, t in enumerate([reward, other, near, cap], start=1)]
    question = "How much is paid for each new member I bring in, and is there a monthly limit on how many of these bonuses I can collect?"
    part = question_parts(question)[1]
    assert part not in standalone_parts(question)  # "these bonuses": the subject is the first part's
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                            embeddings=_FakeParts({reward: [0.9, 0.436, 0.0], other: [0.85, 0.527, 0.0],
                                                   near: [0.2, 0.775, 0.6], cap: [0.3, 0.841, 0.45]},
                                                  {part: [0.0, 0.0, 1.0]}))
    picked = [c.text for c in select_sentences(question, hits, scorer=scorer)]
    assert cap in picked and reward in picked and near not in picked


def test_an_english_question_told_in_sentences_has_each_as_a_part() -> None:
    """The story before an English question ("The blender arrived without its lid.") is a part of its own, so the
    sentence that asks is read on its own as well; an abbreviation inside a sentence ("i.e. what…") ends none."""
    question = "The blender arrived without its lid and I only found out a month later. How long after delivery can I still ask for a replacement part?"
    assert question_parts(question) == ["The blender arrived without its lid and I only found out a month later.",
                                        "How long after delivery can I still ask for a replacement part"]
    assert standalone_parts(question) == ["How long after delivery can I still ask for a replacement part"]
    assert question_parts(question, sentences=False) == [question.rstrip("?")]
    assert len(question_parts("What's a fair price, i.e. what should we pay per post?")) == 1



def test_a_part_leaning_on_the_one_before_finds_its_sentence_by_its_own_meaning() -> None:
    """"…and does my review have to carry a safety notice about it?" leans on the first part for its subject ("it"),
    shares no word with the Chinese rule that answers it, and the whole question reads far from that rule. Read on
    its own vector, the part is closest to the rule, though not close enough to cover a part outright: as the part's
    own best sentence, it joins the answer beside the price rows."""
    price, other = "代码: L-01 · 名称: 入门台灯套装 · 零售价: 89 元", "代码: L-02 · 名称: 进阶台灯套装 · 零售价: 129 元"
    warning = "带纽扣电池的套装，笔记里必须写明“内含纽扣电池，请放在儿童够不到的地方”。"
    hits = [Hit(text=f"{price}\n{other}", source="catalogue.md", chunk_id="l1", rank=1, score=0.8),
            Hit(text=warning, source="content.md", chunk_id="l2", rank=2, score=0.5)]
    question = "What does the starter lamp kit cost, and does my review have to carry a safety notice about it?"
    part = question_parts(question)[1]
    assert part not in standalone_parts(question)  # "it": no subject of its own
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                            embeddings=_FakeParts({price: [0.9, 0.436, 0.0], other: [0.8, 0.6, 0.0],
                                                   warning: [0.3, 0.866, 0.4]}, {part: [0.0, 0.0, 1.0]}))
    picked = [c.text for c in select_sentences(question, hits, scorer=scorer)]
    assert price in picked and warning in picked


def test_a_value_asked_of_a_named_row_is_not_answered_by_prose_about_something_else() -> None:
    """"公众号一天最多能发几条推广？" over a table of channels whose 公众号 row gives no count, beside a rule
    on promotions in community groups ("每个社群每天最多 2 条") in another passage: that count is the groups', not the
    channel's, and another channel's row is no answer either, whether or not the named row was picked. The same rule answers a question about the groups
    themselves, and prose that names the channel answers it wherever it stands."""
    table = ("| 渠道 | 要求 |\n|---|---|\n| 公众号 | 推送前一天提交审核，标题写明“合作” |\n"
             "| 视频站 | 每天推广视频不超过 2 条 |")
    groups = "推广消息每个社群每天最多 2 条，晚上十点以后不发。"
    hits = [Hit(text=groups, source="groups.md", chunk_id="g1", rank=1, score=0.9, heading_path=["社群规范"]),
            Hit(text=table, source="channels.md", chunk_id="c1", rank=2, score=0.8, heading_path=["渠道要求"])]
    rows = ["渠道: 公众号 · 要求: 推送前一天提交审核，标题写明“合作”", "渠道: 视频站 · 要求: 每天推广视频不超过 2 条"]
    prose = _Candidate(0, 0, groups, 0.6, 0.6, lexical=0.6)
    other = _Candidate(1, 2, rows[1], 0.4, 0.4, lexical=0.4)
    named = _Candidate(1, 1, rows[0], 0.3, 0.3, lexical=0.3)
    question = "公众号一天最多能发几条推广？"
    assert not answers_shape(question, [prose, other, named], None, hits)
    assert not answers_shape(question, [prose, other], None, hits)  # the named row is in the passage, not picked
    assert answers_shape("每个社群一天最多能发几条推广？", [prose, other, named], None, hits)
    said = _Candidate(0, 0, "公众号每天最多推送 1 条推广。", 0.6, 0.6, lexical=0.6)
    apart = [Hit(text=said.text, source="groups.md", chunk_id="g1", rank=1, score=0.9, heading_path=["社群规范"]), hits[1]]
    assert answers_shape(question, [said, other, named], None, apart)


def test_a_question_whose_every_part_is_answered_by_its_own_sentence_is_covered() -> None:
    """"试用申请交了多久能知道结果？没选上的话隔多久能再申请？" in an asker's words: the whole question reads unlike
    either rule, but each part reads close to its own sentence, which states the length of time it asks; the
    question is answered, though it names something in words the handbooks never use. A part whose closest
    sentence states no such value, or a part that asks a name, does not count as answered, and two parts are
    not answered by one sentence."""
    results = "申请截止后 3 个工作日内在群里公布入选名单。"
    again = "未入选的，60 天后可以再次申请。"
    venue = "活动统一在城东门店举办，由店长带队。"
    hit = Hit(text=f"{results}\n{again}\n{venue}", source="events.md", chunk_id="e1", rank=1, score=0.2)
    first, second = "试用申请交了多久能知道结果", "没选上的话隔多久能再申请"
    vectors = {results: [0.3, 0.954, 0.0, 0.0, 0.0], again: [0.3, 0.0, 0.954, 0.0, 0.0], venue: [0.3, 0.0, 0.0, 0.954, 0.0]}
    # a part reads only somewhat close to a sentence (cosine 0.5): no part is strong enough on its own
    to_results, to_again, to_venue = ([0.0, *(0.524 if j == k else 0.0 for j in range(3)), 0.852] for k in range(3))

    def covered(question: str, parts: dict[str, list[float]], known: Callable[[str], bool] = lambda word: True) -> bool:
        scorer = EvidenceScorer(known=known, question_vector=np.array([1.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float32),
                                embeddings=_FakeParts(vectors, parts))
        picked = select_sentences(question, [hit], scorer=scorer)
        assert max(c.overlap for c in picked) < STRONG_EVIDENCE
        return is_covered(question, False, [hit], picked, scorer=scorer)

    question = f"{first}？{second}？"
    assert covered(question, {first: to_results, second: to_again})
    assert not covered(question, {first: to_results, second: to_results})  # one sentence for both
    assert not covered(question, {first: to_results, second: to_venue})  # no time in the venue's sentence
    named = "带队的人叫什么"
    assert not covered(f"{first}？{named}？", {first: to_results, named: to_venue})
    # the asker's word for what was handed in (表格), which the handbooks never use, is no topic they lack when every
    # part has its own answer; with a part unanswered it still is
    form = "试用申请表格交了多久能知道结果"
    unused = lambda word: "表格" not in word  # noqa: E731
    assert covered(f"{form}？{second}？", {form: to_results, second: to_again}, unused)
    assert not covered(f"{form}？{second}？", {form: to_results, second: to_venue}, unused)
    # a passage with no sentence to quote answers no part: refused, not an error
    bare = Hit(text="——", source="events.md", chunk_id="e2", rank=1, score=0.2)
    scorer = EvidenceScorer(known=lambda word: True, question_vector=np.array([1.0, 0.0, 0.0, 0.0, 0.0], dtype=np.float32),
                            embeddings=_FakeParts(vectors, {first: to_results, second: to_again}))
    assert select_sentences(question, [bare], scorer=scorer) == [] and not is_covered(question, False, [bare], scorer=scorer)


def test_when_something_is_open_is_answered_by_its_hours() -> None:
    """"客服什么时候在线？" asks when in the day as well as which day: a clock time ("10:00—18:00") states it, as a
    date does; a sentence with neither still does not."""
    shape = question_shape("客服什么时候在线？")
    assert shape.answer_type == "date"
    assert states_value(shape.answer_type, "工作日 10:00—18:00，在小程序里留言。")
    assert states_value(shape.answer_type, "每月 10 日结算。")
    assert not states_value(shape.answer_type, "在小程序里留言即可。")


def test_a_lists_items_read_as_close_as_their_title() -> None:
    """"How do I sign up?" over numbered steps that read unlike it on their own ("填写实名信息…") under a title that
    reads as its answer ("二、注册步骤"): the items' subject is the title, so they are as close as it is, and they
    come before a rule elsewhere that reads only half as close."""
    step, title, aside = "填写实名信息，上传账号主页截图；", "二、注册步骤", "注册后三十天内发布第一篇合作笔记可领奖励。"
    steps = Hit(text=f"1.在小程序里点击申请加入；\n2.{step}", source="guide.md", chunk_id="s", rank=1, score=0.8,
                heading_path=["新人指南", title])
    other = Hit(text=aside, source="guide.md", chunk_id="a", rank=2, score=0.7, heading_path=["新人指南", "四、新人奖励"])
    scorer = EvidenceScorer(question_vector=np.array([1.0, 0.0], dtype=np.float32),
                            embeddings=_Fake({title: [1.0, 0.0], aside: [0.6, 0.8]}))
    picked = select_sentences("How do I sign up?", [other, steps], scorer=scorer)
    assert picked[0].hit_rank == 1 and picked[0].semantic == 1.0, [(c.text, c.semantic) for c in picked]


def test_a_cap_in_a_sentence_sharing_nothing_with_the_question_caps_something_else() -> None:
    """"展会门票最高可以收多少钱？有没有限价？" over the rule that hosts may charge for tickets, with a cap on staff
    discounts picked beside it: that cap shares no word with the question and caps the discount, so no maximum
    of the ticket price is stated. A cap on the tickets themselves answers."""
    question = "展会门票最高可以收多少钱？有没有限价？"
    tickets = _Candidate(0, 0, "展会可以收取门票，门票收入归主办人，门票不计佣金。", 0.6, 0.45, lexical=0.45)
    unpaid = _Candidate(0, 1, "不计佣金的项目：9.9 元的体验装、展会门票和运费。", 0.4, 0.25, lexical=0.25)
    discount = _Candidate(1, 0, "员工折扣每月最多用于实付 2,000 元的订单，超出部分按原价。", 0.2, 0.0)
    hits = [Hit(text=c.text, source=f"d{c.hit_rank}.md", chunk_id=f"d{c.hit_rank}", rank=c.hit_rank + 1, score=0.8)
            for c in (tickets, discount)]
    assert not is_covered(question, True, hits, [tickets, unpaid, discount])
    capped = _Candidate(0, 2, "每张门票最高收 99 元。", 0.5, 0.4, lexical=0.4)
    assert is_covered(question, True, hits, [tickets, unpaid, capped, discount])


def test_what_the_asker_tells_in_passing_is_not_asked() -> None:
    """A quantity told ("好几个月", "三十来块") asks no count and names no thing; whoever passes a question on
    ("粉丝问…") is no topic the handbooks must name: the question they asked is."""
    assert question_shape("负余额好几个月都没扣完，会有什么后果？").answer_type == ""
    assert asked_time_unit("负余额好几个月都没扣完，会有什么后果？") == ""
    assert question_shape("退款要等几个月？").answer_type == "duration"
    told = "12 月我可结算的只有三十来块，也会给我打款吗？"
    assert focus_nouns(told) == [] and "来块" not in missing_focus(told, ["每年 12 月结算不设起付线。"], lambda w: False, 0.2)
    passed_on = "学员私信问我课程能不能退，我该怎么回？"
    assert "学员" not in [w for w, _ in focus_nouns(passed_on)] and "课程" in [w for w, _ in focus_nouns(passed_on)]
    assert "粉丝" not in [w for w, _ in focus_nouns("粉丝问跟练能不能治好腰痛，我可以说能吗？")]
    assert "客服" in [w for w, _ in focus_nouns("我问客服退款进度，没人回怎么办？")]  # the asker asks someone: that one stays


def test_one_of_two_alternatives_answered_in_a_quoted_sentence_answers() -> None:
    """"会被降级或者封号吗" is answered by a rule that says there is no demotion; a question whose alternatives are
    both unstated is not, nor one whose other alternative is written only in a sentence about something else."""
    evidence = ["入门等级没有保级要求，不会降级；连续两个季度没有订单的账号转入休眠。"]
    assert "封号" not in missing_focus("连着两个季度没出单，会被降级或者封号吗？", evidence, lambda w: False, 0.2)
    assert {"罚款", "封号"} <= set(missing_focus("连着两个季度没出单，会被罚款或者封号吗？", evidence, lambda w: False, 0.2))
    visit = ["开放日只邀请最高等级。", "推荐朋友下单有额外奖励。"]
    assert "家属" in missing_focus("开放日可以带家属或者朋友一起去吗？", visit, lambda w: False, 0.2, quoted=visit[:1])


def test_a_catalogue_row_that_names_no_colour_does_not_list_colours() -> None:
    """"有哪几种颜色" asks a kind (颜色) as "什么颜色" does; a catalogue gives colours beside their name, so the
    asked row without one states none, however well the rest of the corpus knows the word."""
    rows = ["编码: AB-101 · 名称: 「晴」短袖 T 恤 · 价格: 99 元 · 说明: 均码",
            "编码: AB-102 · 名称: 「雨」长袖衫 · 价格: 129 元 · 说明: 黑、白、灰 3 种颜色"]
    question = "「晴」短袖 T 恤有哪几种颜色？"
    known = corpus_knows(frozenset(["颜色", "短袖", "长袖衫", "编码", "名称", "价格", "说明"]))
    assert "颜色" in missing_focus(question, ["\n".join(rows)], known, 0.8)
    assert "颜色" not in missing_focus("「雨」长袖衫有哪几种颜色？", ["\n".join(rows)], known, 0.8)
    # "有哪些功效" is answered by a list of what the tea does ("可以安神、助眠"), which need not say 功效
    assert asked_kinds("这款花草茶有哪些功效？") == [] and asked_kinds("有哪几种颜色？") == ["颜色"]


def test_how_long_a_thing_is_is_a_length_or_a_time() -> None:
    """"每根有多长" is answered by a length, "冻结期多长" by a time: a figure in neither unit (a resistance in
    pounds, a price) is another of the thing's figures."""
    unit = asked_unit("拉力绳每根有多长？")
    assert states_count(unit, "长 1.2 米") and states_count(unit, "冻结期 20 天") and states_count(unit, "183 × 68 cm")
    assert not states_count(unit, "阻力 15 磅、25 磅各 1 条") and not states_count(unit, "价格: 89 元")
    assert asked_unit("退款要多长时间？") == ""  # a duration, asked in no unit of its own
    row = "编码: AB-310 · 名称: 拉力绳三件套 · 价格: 89 元 · 说明: 阻力 15 磅、25 磅、35 磅各 1 条"
    assert not covered_alone("拉力绳三件套每根有多长？", row)
    assert covered_alone("拉力绳三件套每根有多长？", row.replace("各 1 条", "各 1 条，每根长 1.2 米"))


def test_an_english_question_whether_there_is_a_thing_needs_it_named() -> None:
    """"Is there a fee for…" over Chinese evidence that never names a fee (费) is not answered by the rule on how
    often the code may be reset; evidence naming the fee is. A bound ("is there a minimum spend") is no thing."""
    rule = ["推荐码泄露时可以申请重新生成，每 6 个月只能申请 1 次。"]
    assert "fee" in missing_focus("Is there a fee for resetting my referral code?", rule, lambda w: True, 0.6)
    charged = ["推荐码泄露时可以申请重新生成，每次收取 5 元手续费。"]
    assert "fee" not in missing_focus("Is there a fee for resetting my referral code?", charged, lambda w: True, 0.6)
    assert missing_focus("Is there a minimum spend for an order to count?", ["实付不低于 30 元的订单才计入。"],
                         lambda w: True, 0.6) == []


def test_what_is_paid_before_the_question_word_is_the_attribute_asked() -> None:
    """"关税大概要付多少" asks the amount of the duty: a price or a commission stated beside the rule that the
    customer pays it is no answer."""
    question = "香港顾客买一条瑜伽裤，关税大概要付多少？"
    assert asked_attribute(question, asks_at(question)) == ("关税",)
    rule = "服装可以寄香港，跨境运费和关税由顾客自付，佣金照常计算。"
    assert not covered_alone(question, f"{rule}\n编码: AB-101 · 名称: 瑜伽裤 · 价格: 239 元")
    assert covered_alone(question, f"{rule}关税按实付金额的 10% 收取。")


def test_withdrawing_is_what_handbooks_call_settlement_or_payout() -> None:
    """An asker's 提现 is the handbooks' 结算 or 打款: a rule on when commission is settled states when it can be
    withdrawn, though it never says 提现."""
    settled = ["签收后冻结 20 天，每月 18 日结算上月解冻的佣金。"]
    assert "提现" not in missing_focus("签收当天就能提现吗？", settled, lambda w: False, 0.1)
    assert "提现" in missing_focus("签收当天就能提现吗？", ["签收后可以申请换货。"], lambda w: False, 0.1)



def test_a_pass_mark_asked_needs_a_mark_that_passes() -> None:
    """"面试多少分算通过？" is not answered by a score another rule requires ("信用分不低于 9 分") in the passage on
    who may apply; a mark stated as passing ("80 分及格") answers it, in either language."""
    assert asks_pass_mark("视频面试一般会问些什么？多少分算通过？") and asks_pass_mark("What score do I need to pass the quiz?")
    assert asks_pass_mark("及格线是多少？") and not asks_pass_mark("这个月扣了多少分？")
    # minutes are no mark, and a question after the score that ends there asks nothing of passing
    assert not asks_pass_mark("开播多少分钟过后能上链接？") and not asks_pass_mark("这个月扣了几分？过期的分会清零吗？")
    assert not states_pass_mark("信用分不低于 9 分") and states_pass_mark("结业测试 80 分及格")
    rules = "申请带课的条件：等级为二级以上；信用分不低于 9 分；提交一段 3 分钟的试讲视频，通过后安排视频面试。"
    assert not covered_alone("带课资格的视频面试多少分算通过？", rules)
    assert covered_alone("带课资格的视频面试多少分算通过？", rules + "视频面试满分 100 分，80 分及格。")


def test_a_part_asking_a_value_of_things_the_corpus_never_names_is_not_covered() -> None:
    """"「晴」T 恤是什么面料？锦纶和氨纶各占多少？": the first part lacks its kind (面料), and the second asks shares of
    two fibres the handbooks never name, reading far from every sentence on its own; a price and a commission rate in
    the evidence are no answer to it, however close the whole question reads to the product's row."""
    row = "编码: AB-101 · 名称: 「晴」短袖 T 恤 · 价格: 99 元 · 说明: 均码，4 色"
    rate = "服装按实付金额的 14% 计佣。"
    question = "「晴」短袖 T 恤是什么面料？锦纶和氨纶各占多少？"
    first, second = vector_parts(question)

    def covered(words: set[str]) -> bool:
        hit = Hit(text=f"{row}\n{rate}", source="catalogue.md", chunk_id="c1", rank=1, score=0.8)
        scorer = EvidenceScorer(known=corpus_knows(frozenset(words)), question_vector=np.array([1.0, 0.0, 0.0], dtype=np.float32),
                                embeddings=_FakeParts({row: [0.8, 0.6, 0.0], rate: [0.6, 0.8, 0.0]},
                                                      {first: [0.8, 0.6, 0.0], second: [0.0, 0.0, 1.0]}))
        return is_covered(question, True, [hit], select_sentences(question, [hit], scorer=scorer), scorer=scorer)
    corpus = {"短袖", "面料", "编码", "名称", "价格", "说明", "服装", "佣金"}
    assert not covered(corpus)
    assert covered(corpus | {"锦纶", "氨纶"})  # fibres the handbooks name elsewhere: a stated share may be theirs


def test_these_few_words_and_when_it_counts_ask_no_count_and_no_date() -> None:
    """"这几个字要放在哪" points at words the asker quotes: no count is asked. "什么时候才算" asks the event after
    which something counts ("到店完成后才计"), not a date; what else the question asks still types it."""
    assert question_shape("「合作」这几个字要放在哪？").answer_type == ""
    assert question_shape("标题最多几个字？").answer_type == "number"
    assert question_shape("朋友到店体验后，什么时候才算我的？").answer_type == ""
    assert question_shape("这个我能拿多少？什么时候才算？").answer_type == "number"
    assert question_shape("佣金什么时候到账？").answer_type == "date"


def test_an_english_question_counting_a_chinese_word_counts_in_its_unit() -> None:
    """"How many 体验官 are there?" counts people (a role's word ends 官, 员, 师…): a passage counting orders does not
    answer it; "how many 信用分" counts points, "how many 礼盒" boxes."""
    assert asked_unit("How many 体验官 are there in the programme right now?") == asked_unit("How many people are there?")
    assert asked_unit("How many 信用分 do I lose?") == asked_unit("How many points do I lose?")
    assert asked_unit("How many 礼盒 count for the bonus?") == "盒"
    assert not covered_alone("How many 体验官 are there in the programme right now?", "体验官每月至少完成 3 笔订单。")



def test_a_list_of_questions_answers_none_of_them() -> None:
    """A self-test at the end of a lesson lists questions whose answers are elsewhere: the list, and its lead, are
    no evidence for the question they repeat; a FAQ's question is still quoted with the answer under it."""
    quiz = Hit(text="## 课后自测\n\n看看自己记住没有：\n标题最多多少个字？一篇最多带几个话题？\n试用品多久要发测评？\n",
               source="lesson.md", chunk_id="q1", rank=1, score=0.8)
    rule = Hit(text="## 标题与话题\n\n标题控制在 20 个字以内；一篇最多带 5 个话题。", source="lesson.md", chunk_id="r1", rank=2, score=0.7)
    picked = select_sentences("标题最多几个字？一篇最多能带几个话题？", [quiz, rule])
    assert picked and all("？" not in c.text and "记住没有" not in c.text for c in picked)
    assert any("5 个话题" in c.text for c in picked)
    faq = Hit(text="问：标题最多多少个字？\n答：不超过 20 个字。", source="faq.md", chunk_id="f1", rank=1, score=0.8)
    assert any("不超过 20 个字" in c.text for c in select_sentences("标题最多几个字？", [faq]))
