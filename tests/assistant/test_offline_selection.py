"""Evidence selection of the offline responder: multi-part questions, duplicates, banned words."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.offline import PASSAGE_CHARS, evidence_answer, has_banned_word, select_sentences
from assistant.security import koc_ids_in
from assistant.router import Router


@dataclass
class Hit:
    text: str
    source: str = "commission-policy.docx"
    chunk_id: str = "c1"
    heading_path: list[str] = field(default_factory=list)


def test_two_part_question_gets_both_parts_and_skips_repeats() -> None:
    hits = [
        Hit("订单付款后佣金先冻结 15 天（这是退款期），之后变成可结算。", chunk_id="a"),
        Hit("订单付款后佣金先冻结 15 天（退款期），之后转为可结算。", source="faq.md", chunk_id="b"),
        Hit("每月 10 日统一结算上月转为可结算的佣金，发放到微信钱包。", chunk_id="c"),
    ]
    answer, _ = evidence_answer("佣金冻结多久？每月几号结算？", hits, "zh-CN")
    assert "15 天" in answer and "10 日" in answer
    assert answer.count("冻结 15 天") == 1


def test_chinese_numerals_in_question_match_digits_in_handbook() -> None:
    hits = [Hit("加入后先用 3 天熟悉暖岛分销小程序，学会生成专属链接。", source="onboarding-guide.html")]
    picked = select_sentences("刚加入的前三天我应该先学会什么？", hits)
    assert picked and "分销小程序" in picked[0].text


def test_writing_material_never_contains_a_banned_word() -> None:
    hits = [Hit("这周想加入的朋友私信我，完成第一笔订单就送一套旅行装。", source="training-copy-template.txt"),
            Hit("邀请朋友加入暖岛KOC时，先讲清楚成为KOC的优势和福利。", source="training-copy-template.txt", chunk_id="d")]
    answer, _ = evidence_answer("帮我写一段邀请朋友加入暖岛KOC的朋友圈文案", hits, "zh-CN", content_request=True)
    assert answer and not has_banned_word(answer)


def test_a_rule_forbidding_a_word_is_still_quoted_for_a_writing_question() -> None:
    hits = [Hit("不能写“治疗湿疹”“药用级”之类的表达。", source="content-guidelines.md")]
    answer, _ = evidence_answer("Can I write that the baby lotion treats eczema in my post?", hits, "en",
                                content_request=True)
    assert "不能" in answer


def test_earning_a_reward_is_not_a_commission_estimate(sample_catalog) -> None:
    router = Router(catalog=sample_catalog)
    for q in ("In my first 30 days, how big must my WeChat group get to earn the red envelope, and how much is it?",
              "I'm an external distributor. What do I earn on sales made by distributors I recruited?"):
        assert router.route(q).tool != "estimate_commission", q


def test_a_sentence_introducing_a_list_is_quoted_with_its_items() -> None:
    text = "根据《广告法》，以下绝对化用语一律不能出现在标题和正文中：\n- 最（最好、最安全等）\n- 第一、NO.1\n- 国家级\n- 全网最低"
    answer, _ = evidence_answer("写小红书笔记时哪些极限词不能用？", [Hit(text, source="content-guidelines.md")], "zh-CN")
    assert all(word in answer for word in ("第一", "国家级", "全网最低"))
    drafted, _ = evidence_answer("帮我写一段小红书文案，标题用哪些词", [Hit(text, source="content-guidelines.md")], "zh-CN",
                                 content_request=True)
    assert "全网最低" not in drafted


_THREE_TASKS = ("前 3 天请完成下面三件事：\n"
                "找到专属链接和优惠码：打开小程序，点击“我的”→“推广工具”，复制你的专属链接和优惠码。顾客通过它们下单，订单才会计入你名下。\n"
                "分享一款产品：在商品页点击“分享赚”，生成带专属链接的海报或卡片，发到朋友圈或妈妈群。建议从自己用过的产品开始。\n"
                "看懂收益页：冻结中、可结算、已结算三栏。")


def test_long_list_items_are_quoted_by_their_titles() -> None:
    text = _THREE_TASKS + "\n" + "第二周起每周复盘一次：看哪篇笔记带来了点击，哪款产品转化更好，再决定下一篇写什么。" * 6
    assert len(text) > PASSAGE_CHARS  # too long to quote whole: the list is gathered by its items' titles
    answer, _ = evidence_answer("前三天要完成哪几件事？", [Hit(text, source="onboarding-guide.html")], "zh-CN")
    assert "找到专属链接和优惠码；分享一款产品；看懂收益页" in answer
    assert "顾客通过它们下单" not in answer  # an item's second sentence is not quoted as an item of its own


def test_a_short_chunk_is_quoted_whole_line_by_line() -> None:
    answer, cites = evidence_answer("前三天要完成哪几件事？", [Hit(_THREE_TASKS, source="onboarding-guide.html")], "zh-CN")
    lines = answer.split("\n")
    assert lines[0] == "前 3 天请完成下面三件事："
    assert [line.split("：")[0] for line in lines[1:]] == ["找到专属链接和优惠码", "分享一款产品", "看懂收益页"]
    assert "顾客通过它们下单，订单才会计入你名下" in lines[1]  # an item keeps its conditions
    assert answer.endswith("[1]。") and answer.count("[1]") == 1 and len(cites) == 1


def test_multi_criterion_table_row_keeps_its_header() -> None:
    text = ("等级 | 发布笔记 | 互动数 | 净销售额 | 社群人数 | 粉丝数\n|---|---|---|---|---|---|\n"
            "绽放KOC | 5 篇 | 300 | ¥2,000 | 20 人 | –\n星光KOC | 15 篇 | 1,500 | ¥8,000 | 80 人 | 500")
    answer, _ = evidence_answer("晋级星光KOC需要满足哪些条件？", [Hit(text, source="koc-programme-rules.md")], "zh-CN")
    assert all(fact in answer for fact in ("15 篇", "1,500", "¥8,000", "80 人", "500", "粉丝数"))


def test_how_much_in_english_finds_the_price_line() -> None:
    text = "- 品类：护肤；价格：¥159\n- 核心成分：胶体燕麦、神经酰胺、角鲨烷。\n- 卖点：帮助修护干燥的皮肤屏障。"
    hit = Hit(text, source="product-handbook.md", heading_path=["燕麦修护面霜 50g（NH-SKN-02）"])
    answer, _ = evidence_answer("How much is the oat repair face cream and what are its key ingredients?", [hit], "en")
    assert "159" in answer and "神经酰胺" in answer


def test_a_sentence_announcing_a_section_brings_the_sections_points() -> None:
    text = ("本规范说明一张招募海报必须包含的四个部分、\n视觉要求和审核流程。\n一、海报的四个部分\n•\n"
            "主标题：一句话说清你能成为什么。\n例如：做暖岛KOC\n•\n副标题：补充为什么是你。\n•\n"
            "内容：写清用户能得到什么。\n•\n行动号召：带一个限制条件再加二维码。\n二、视觉要求\n主色使用米白。"
            + "背景留白不少于三分之一，标志放在左上角，字体用品牌规定的两种。" * 10)
    assert len(text) > PASSAGE_CHARS  # too long to quote whole: the announced section is quoted
    answer, _ = evidence_answer("一张KOC招募海报必须包含哪几个部分？", [Hit(text, source="poster.pdf")], "zh-CN")
    assert all(part in answer for part in ("主标题", "副标题", "二维码"))
    assert "主色" not in answer and "例如" not in answer


def test_a_figure_after_the_word_koc_is_a_share_or_a_count_not_an_id() -> None:
    """"KOC 40%" splits a budget and "KOC 20 人" counts people: quoting them reveals no KOC. "KOC 17",
    "koc_id=17" and "17号KOC" name one, and a line naming one is never quoted."""
    assert koc_ids_in("预算分配为 KOL 35%、KOC 40%，每期签约 KOC 20 人，KOC 1.5% 的转化率") == set()
    assert koc_ids_in("KOC 17 的佣金") == {17} and koc_ids_in("koc_id=17") == {17} and koc_ids_in("17号KOC") == {17}
    assert koc_ids_in("KOC 12, and KOC 13.") == {12, 13}


def test_a_sentence_from_a_long_chunk_brings_the_rest_of_its_short_paragraph() -> None:
    """The rule's figures are in the next sentence of the same paragraph: a long chunk quotes the
    picked sentences, each with its paragraph when that is short."""
    filler = "\n".join(f"第 {n} 条：每周复盘一次内容数据，记录互动和成交，并在周会上分享心得。" for n in range(1, 9))
    text = f"{filler}\n推荐的组合是每 1 个达人配 4 个店员。这样投入的比例约为三比七。\n{filler}"
    assert len(text) > PASSAGE_CHARS
    answer, _ = evidence_answer("推荐的达人和店员组合是怎样的？", [Hit(text)], "zh-CN")
    assert "4 个店员" in answer and "三比七" in answer


def test_a_paragraph_brought_along_never_quotes_another_kocs_figures() -> None:
    """The rest of a picked sentence's paragraph passes the same checks as a quoted passage: a
    sentence naming another KOC stays out, as it would in a short chunk quoted whole."""
    filler = "\n".join(f"第 {n} 条：每周复盘一次内容数据，记录互动和成交，并在周会上分享心得。" for n in range(1, 9))
    text = f"{filler}\n推荐的组合是每 1 个达人配 4 个店员。KOC 17 本月拿了 8888 元。\n{filler}"
    answer, _ = evidence_answer("推荐的达人和店员组合是怎样的？", [Hit(text)], "zh-CN")
    assert "4 个店员" in answer and "8888" not in answer and "KOC 17" not in answer


def test_programme_words_in_english_find_their_chinese_rule_without_vectors() -> None:
    """Quotas, deadlines and filings are programme vocabulary every brand's handbooks use: an English
    question naming them finds the Chinese sentence that states them, not its neighbours."""
    text = ("样品申请每月 1 日开放，先到先得。\n每月名额：入门级 1 个，进阶级 2 个。\n"
            "开播前需在后台完成直播报备，审核 1 个工作日。\n交稿截止后有 3 天宽限期。\n"
            "计佣基数为实付金额，不含运费。\n佣金金额四舍五入到分。")
    hit = Hit(text, source="trials.md")
    for question, expected in (("How many slots does each level get?", "名额"),
                               ("What happens after the deadline passes?", "截止"),
                               ("How long does the stream filing review take?", "报备"),
                               ("What is the base that commission is worked out on?", "基数"),
                               ("How are commission amounts rounded?", "四舍五入")):
        picked = select_sentences(question, [hit])
        assert picked and expected in picked[0].text, question


def test_a_minimum_payout_is_found_where_the_handbook_says_it_pays_nothing_below_it() -> None:
    """Chinese handbooks say a payout is 打款 and a minimum is what is 不足 or 最低: "Is there a minimum
    amount before commission gets paid out?" finds the rule on small balances, not a cap on large ones."""
    text = ("每人每月佣金合计不超过 8000 元，超出部分不予发放。\n"
            "当期应结金额不足 50 元的，不打款，顺延到下一期合并打款。")
    picked = select_sentences("Is there a minimum amount before commission actually gets paid out?",
                              [Hit(text, source="payouts.md")])
    assert picked and "不足 50 元" in picked[0].text


def test_shipping_costs_are_found_under_any_of_their_names() -> None:
    """运费, 快递费 and 邮费 name the same cost: "退回的运费谁出？" finds the sentence that says who pays the
    快递费, ahead of one that only shares 退回 with it."""
    text = "没有商品退回就没有补偿。\n签收后 7 天内预约取件退回，快递费由品牌承担。"
    picked = select_sentences("退回的运费谁出？", [Hit(text, source="returns.md")])
    assert picked and "快递费" in picked[0].text


def test_a_when_question_prefers_the_sentence_that_names_a_time() -> None:
    """"每月什么时候打款？" was answered by a sentence about a monthly cap: 每月 and 当月 say how often or
    which month, not when; the sentence naming the day is the answer."""
    hits = [Hit("超出每月封顶的那部分，当月不打款，也不留到以后。", chunk_id="cap"),
            Hit("每月 15 日前，平台把核对后的佣金打款到你的银行卡。", chunk_id="day")]
    picked = select_sentences("每月什么时候打款？", hits)
    assert picked and "15 日" in picked[0].text


def test_each_row_a_question_names_is_picked_beside_what_reads_closer() -> None:
    """"苔灯和溪壶的佣金分别是多少？": a worked example about one of them and a FAQ naming both in passing
    read closer than the table's rows, yet each named thing's row is what answers for it."""
    hits = [
        Hit("示例：苔灯卖出 3 件，实付共 300 元，佣金 300 × 9% = 27 元；苔灯的佣金按月结算。", chunk_id="ex"),
        Hit("问：苔灯、溪壶的佣金比例一样吗？答：苔灯、溪壶、杯垫的佣金比例都写在产品线表里。", source="faq.md", chunk_id="faq"),
        Hit("产品线 | 计佣方式 | 比例\n--- | --- | ---\n苔灯系列 | 按实付比例 | 9%\n溪壶系列 | 按实付比例 | 7%\n"
            "杯垫系列 | 按件固定 | 每件 2 元", chunk_id="table"),
    ]
    for question in ("苔灯和溪壶的佣金分别是多少？", "苔灯跟溪壶的佣金比例一样吗？"):
        picked = [c.text for c in select_sentences(question, hits)]
        assert any("溪壶系列" in text and "7%" in text for text in picked), question
        assert any("苔灯系列" in text and "9%" in text for text in picked), question
        assert not any("杯垫系列" in text for text in picked), question


def test_a_row_named_by_how_its_name_begins_is_quoted_without_the_others() -> None:
    """"苔灯可以无理由退货吗？" names the row "苔灯系列" by its first word: the table's other rows answer for
    other goods. A beginning inside a longer one the question writes ("会员" in "会员卡", which begins the
    row "会员卡续费") names nothing, and neither does a verb a row's name begins with ("超过")."""
    returns = Hit("商品 | 无理由退货\n--- | ---\n苔灯系列 | 签收后 7 天内未拆封可退\n溪壶系列 | 签收后 15 天内可退\n"
                  "杯垫系列 | 不支持无理由退货", chunk_id="returns")
    answer, _ = evidence_answer("苔灯可以无理由退货吗？", [returns], "zh-CN")
    assert "苔灯系列" in answer and "溪壶系列" not in answer and "杯垫系列" not in answer
    rates = Hit("产品线 | 佣金\n--- | ---\n会员礼包 | 12%\n会员卡续费 | 每年 10 元\n收纳盒 | 8%", chunk_id="rates")
    answer, _ = evidence_answer("会员卡续一年给多少佣金？", [rates], "zh-CN")
    assert "会员卡续费" in answer and "会员礼包" not in answer
    late = Hit("情形 | 处理\n--- | ---\n超过三十天未归还 | 按原价扣除\n三十天内归还 | 不处罚\n损坏 | 按三成赔偿",
               chunk_id="late")
    answer, _ = evidence_answer("超过借期没还会怎样？", [late], "zh-CN")
    assert "三十天内归还" in answer and "损坏" in answer


def test_a_row_named_by_the_kind_its_name_ends_with_is_quoted_without_the_others() -> None:
    """"顾客买的积木少了零件，多久内能免费补？" names the row "益智积木" by the noun its name ends with, the kind of
    thing it is (the clause before the comma sets the scene, no second part): the other goods' rows answer for
    other goods. A noun that every row's name ends with names none of them."""
    returns = Hit("商品 | 质量问题\n--- | ---\n原木拼图 | 签收后 15 天内可换新\n益智积木 | 缺零件的，签收后 60 天内免费补发\n"
                  "彩绘绘本 | 缺页的，签收后 30 天内可换", chunk_id="returns")
    answer, _ = evidence_answer("顾客买的积木少了零件，多久内能免费补？", [returns], "zh-CN")
    assert "益智积木" in answer and "原木拼图" not in answer and "彩绘绘本" not in answer, answer
    lamps = Hit("型号 | 续航\n--- | ---\n晨光台灯 | 8 小时\n夜航台灯 | 12 小时", chunk_id="lamps")
    answer, _ = evidence_answer("台灯能亮多久？", [lamps], "zh-CN")
    assert "晨光台灯" in answer and "夜航台灯" in answer


def test_a_part_asking_a_head_count_is_not_answered_by_a_count_of_messages() -> None:
    """"群里至少要多少人" shares 群里 with a rule about three posts a day, and that rule states a number: a
    count of posts does not answer a count of people, so the part still gets the sentence that gives the size."""
    hits = [
        Hit("可以在群里转发直播海报吗？可以，但海报计入群里当天 3 条推广消息的额度。", source="faq.md", chunk_id="a"),
        Hit("群内直播由品牌讲师主讲，想办直播的群主在小程序里报名。群成员不少于 60 人的群才能报名。需要在直播日期前至少"
            " 5 天提交报名。每个群每季度最多办 1 场群内直播。直播时长约 40 分钟，群主负责维持群里直播秩序。",
            source="community.md", chunk_id="b"),
    ]
    picked = select_sentences("想在群里办一场群内直播，群里至少要多少人？得提前几天报名？", hits)
    assert any("60 人" in c.text for c in picked) and any("5 天" in c.text for c in picked)
    assert not any("3 条" in c.text for c in picked)


def test_an_english_question_about_a_check_in_finds_its_chinese_quota_and_make_up_rules() -> None:
    """"How many people can sign up for the check-in?" over a Chinese campaign page: the programme's words for a
    check-in (打卡), signing up (报名), a quota of people (名额) and a missed day (漏) are what the page writes, so
    the sentence stating the quota is picked, not only the one about the sign-up date."""
    hits = [Hit("报名：6 月 1 日前在活动群接龙。 名额：本期最多 300 人，报满即止。 "
                "打卡时间：6 月 5 日至 6 月 25 日。 漏卡的，每期最多补 2 次。", source="campaign.html")]
    picked = [c.text for c in select_sentences("For the summer check-in, how many people can sign up, and how many "
                                               "missed days can be made up?", hits)]
    assert any("300 人" in text for text in picked) and any("补 2 次" in text for text in picked)
