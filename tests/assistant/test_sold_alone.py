"""A thing asked to be bought on its own: sold only where the evidence states its sale."""

from assistant.sold_alone import sale_unstated, thing_asked_alone

KIT = "新店开业当天，每位到店顾客领一个开业礼包：一把折扇、2 块杯垫和 10 张贴纸。"  # 2 块: a count, no price
TICKET = "开业抽奖券在收银台领，满 58 元送一张。"


def test_the_thing_is_found_where_the_question_names_or_points_at_it():
    assert thing_asked_alone("开业礼包里送的那把折扇挺好看，单独买要多少钱？") == "折扇"
    assert thing_asked_alone("开业礼包能不能单独买？") == "开业礼包"
    assert thing_asked_alone("這款禮盒裡的杯子能單獨賣嗎") == "杯子"
    assert thing_asked_alone("替换滤芯可以单买吗") == "替换滤芯"
    assert thing_asked_alone("礼包里那块杯垫能单独买吗") == "杯垫"
    assert thing_asked_alone("折扇多少钱？") == ""  # no asking whether it is sold alone


def test_a_thing_named_only_in_a_kit_has_no_sale_stated():
    question = "开业礼包里送的那把折扇挺好看，单独买要多少钱？"
    assert sale_unstated(question, [KIT, TICKET])  # the only figure in 元 is a raffle's threshold


def test_a_price_code_or_word_of_selling_beside_the_thing_states_its_sale():
    question = "开业礼包里送的那把折扇挺好看，单独买要多少钱？"
    assert not sale_unstated(question, [KIT, "折扇 ZS-201 单独购买 39 元。"])
    assert not sale_unstated(question, [KIT, "礼包里的折扇不单独出售。"])
    assert not sale_unstated(question, [TICKET])  # never named: the other checks decide
    assert not sale_unstated("那把折扇能换颜色吗？", [KIT])  # not asked whether it is sold


def test_a_part_named_in_a_rows_description_is_not_sold_by_the_rows_price():
    """"表带的加长扣能单独买吗": the strap's row names the extension clasp in its specs; the 89 元 is the strap's. A row
    naming the thing as what it is, or a cell that prices it, does state its sale."""
    question = "「晴川」表带的加长扣可以单独买吗？多少钱"
    row = "编码: WB-101 · 名称: 「晴川」表带 · 规格: 20 毫米宽；含一枚加长扣 · 零售价: 89 元"
    assert sale_unstated(question, [row])
    assert not sale_unstated(question, ["编码: WB-190 · 名称: 加长扣 · 零售价: 19 元"])
    assert not sale_unstated(question, ["编码: WB-101 · 名称: 「晴川」表带 · 配件: 加长扣另售 19 元 · 零售价: 89 元"])
