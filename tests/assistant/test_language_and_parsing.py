"""Language/script detection, reply conversion, and the argument parsing the router relies on."""

from __future__ import annotations

from datetime import date

import pytest

from base.language import detect_language, localize, to_simplified
from assistant.numbers import extract_month, extract_quantity, parse_zh_number
from assistant.text_match import overlap_score, query_terms
from tools.catalog import ProductRef, mentioned_product

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("text,lang", [
    ("我这个月赚了多少？", "zh-CN"), ("我這個月賺了多少？", "zh-TW"), ("How much did I earn this month?", "en"),
    ("怎么升级到绽放KOC", "zh-CN"), ("怎麼升級到綻放KOC", "zh-TW"), ("What does a 星光KOC get?", "en"),
    ("NH-SUN-01的佣金是多少", "zh-CN"), ("退款後傭金會怎樣？", "zh-TW"),
    # a Chinese name in a short English question, an English word in a short Chinese one
    ("What about 松风?", "en"), ("How tall is 林秀英?", "en"), ("能用 Excel 吗？", "zh-CN"), ("KOC 是什么？", "zh-CN"),
    # an English title in 《》 is a name inside a Chinese question
    ("《Songs We Sang On The Road》是哪一年出的？", "zh-CN"), ("《The Glow Guide For New Members》裡的傭金規則是什麼？", "zh-TW"),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_localize_converts_script_only_for_chinese() -> None:
    assert localize("佣金会怎样", "zh-TW") == "佣金會怎樣"
    assert localize("傭金會怎樣", "zh-CN") == to_simplified("傭金會怎樣") == "佣金会怎样"
    assert localize("commission", "en") == "commission"


def test_traditional_script_is_converted_word_by_word() -> None:
    """Left to itself the converter reads 包括发布 as 包 + 括发 and writes 髮 (hair) for 发 (issue)."""
    assert localize("门槛包括发布笔记数和头发护理", "zh-TW") == "門檻包括發佈筆記數和頭髮護理"
    assert localize("KOC 12 的 ¥30.02\n第二行", "zh-TW") == "KOC 12 的 ¥30.02\n第二行"


@pytest.mark.parametrize("text,n", [
    ("卖三件晴空防晒乳", 3), ("如果我卖 12 瓶", 12), ("賣兩瓶", 2), ("二十五件", 25),
    ("How much would I earn selling 3 of NH-SUN-01", 3), ("if I sell five bottles", 5), ("4 tubes of balm", 4),
    ("賣兩條護臀膏", 2), ("卖五片面膜", 5), ("我这个月赚了多少", None),
    # appliances, tents and lamps are counted by their own measure words
    ("再卖3台投影仪能拿多少", 3), ("卖两顶遮阳帽", 2), ("賣5盞檯燈", 5), ("卖 2 把雨伞", 2),
    # further sales counted as such ("three more sales of …"); a year after "sales of" counts nothing
    ("What would three more sales of the desk lamp earn me?", 3), ("3 more bottles of toner", 3),
    ("2 extra sales of the kettle", 2), ("Sales of 2025 were high", None),
])
def test_extract_quantity(text: str, n: int | None) -> None:
    assert extract_quantity(text) == n


def test_parse_zh_number() -> None:
    assert [parse_zh_number(x) for x in ["三", "十", "十二", "二十五", "一百零五", "两"]] == [3, 10, 12, 25, 105, 2]
    assert parse_zh_number("abc") is None


@pytest.mark.parametrize("text,month", [
    ("我这个月赚了多少", "2026-11"), ("上个月", "2026-10"), ("3月份收入", "2026-03"), ("三月的佣金", "2026-03"),
    ("How much did I earn in March?", "2026-03"), ("last month", "2026-10"), ("2026-02 earnings", "2026-02"),
    ("我賺了多少", None), ("12月", "2025-12"),
])
def test_extract_month(text: str, month: str | None) -> None:
    assert extract_month(text, TODAY) == month


@pytest.mark.parametrize("text,sku", [
    ("卖三件晴空轻透防晒乳能赚多少", "NH-SUN-01"), ("賣兩瓶海鹽舒緩保濕水", "NH-SKN-01"),
    ("selling 3 of NH-SUN-01", "NH-SUN-01"), ("3 Oat Repair Face Cream", "NH-SKN-02"), ("儿童防晒霜", "NH-SUN-02"),
    ("护臀膏5个", "NH-BAB-03"), ("the gift box", "NH-GFT-01"), ("我这个月赚了多少", None), ("防晒", None),
    ("米糠洁面卖两支", "NH-SKN-04"), ("卖三件衣服能赚多少", None),  # an abbreviation keeps first character and order
    # letters shared with an English name are no mention of it ("commission" holds "io" and "on")
    ("I'm a beginner. If I sell one XY-Z301 at full price, how much commission is that?", None),
    ("3 Oat Repair Creams", "NH-SKN-02"),  # most of a name's words, a plural among them
])
def test_mentioned_product(text: str, sku: str | None, sample_catalog) -> None:
    ref = mentioned_product(text, sample_catalog)
    assert (ref.sku if ref else None) == sku


def test_an_abbreviation_that_fits_two_names_names_neither() -> None:
    refs = (ProductRef(sku="A-1", name_zh="山茶温和洁面乳", name_en="Camellia Cleanser", aliases=("a-1",)),
            ProductRef(sku="A-2", name_zh="山茶清爽洁面霜", name_en="Camellia Cleansing Cream", aliases=("a-2",)))
    assert mentioned_product("山茶洁面卖两支", refs) is None
    assert mentioned_product("山茶温和洁面卖两支", refs).sku == "A-1"


def test_a_programme_word_jieba_cuts_in_two_keeps_its_synonyms() -> None:
    """"发钱" is cut 发 / 钱, so its programme synonym (结算) was never looked up and a sentence about any money
    sent out outscored the settlement rule; the word stands for its pieces."""
    terms = query_terms("每个月几号发钱？")
    settlement = "结算日：每月 12 日结算，结算的是上个月已经解冻的佣金。"
    reward = "问：奖励什么时候到？答：每月 5 日评定后，奖励在 10 个工作日内发放，现金打到微信零钱。"
    assert overlap_score(terms, settlement) > overlap_score(terms, reward)


def test_an_english_mention_is_the_product_more_of_whose_words_it_says() -> None:
    """"kids sunscreen" is the kids' product, though "sunscreen lotion" shares a larger part of the other
    product's short English name."""
    refs = (ProductRef(sku="S-1", name_zh="晨光防晒乳", name_en="Morning Sunscreen Lotion",
                       aliases=("morning sunscreen lotion", "sunscreen lotion", "s-1")),
            ProductRef(sku="S-2", name_zh="小海豚儿童防晒霜", name_en="Little Dolphin Kids Mineral Sunscreen",
                       aliases=("little dolphin kids mineral sunscreen", "mineral sunscreen", "s-2")))
    assert mentioned_product("a message recommending the kids sunscreen", refs).sku == "S-2"
    assert mentioned_product("how much is the sunscreen lotion?", refs).sku == "S-1"
    assert mentioned_product("卖3瓶晨光防晒乳", refs).sku == "S-1"


@pytest.mark.parametrize("text, quantity", [("And 5 gift boxes?", 5), ("two travel mug sets", 2), ("3 more bottles", 3),
                                            ("within 30 days of orders", None), ("sell 2 of the gift boxes", 2)])
def test_a_count_may_stand_before_the_products_name_and_its_unit(text: str, quantity: int | None) -> None:
    assert extract_quantity(text) == quantity
