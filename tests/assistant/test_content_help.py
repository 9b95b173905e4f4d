"""Content help in the chat, offline: topics and titles from the handbooks instead of a refusal,
and "check my post" with each problem, its rule and a rewrite."""

from __future__ import annotations

import re

import pytest

from assistant.briefs.writer import BriefError
from assistant.compliance.platforms import title_length
from assistant.compliance.service import checker_for
from assistant.content_request import asks_to_write, claim_in, parse_request
from tools.identity import Identity
from ui.compose import build_copilot

HQ_ONLY_MARKERS = ("潮汐分", "白鹭组", "宋知遥", "观察名单", "koc-selection-internal")


@pytest.fixture(scope="module")
def copilot(sample_home, shared_kb):
    from base.settings import Settings

    return build_copilot(Settings(home=sample_home, embed_provider="hashing", llm="offline"), chat_model=None, kb=shared_kb)


def _items(answer: str) -> list[str]:
    return [re.sub(r"\[\d+\]", "", m) for m in re.findall(r"^\d+\. (.+)$", answer, flags=re.M)]


def test_titles_are_written_not_refused(copilot, shared_kb) -> None:
    result = copilot.ask("帮我给燕麦修护面霜想5个小红书标题", None)
    assert not result.refused and result.intent == "content"
    items = _items(result.answer)
    assert len(items) == len(set(items)) == 5 and all(title_length(i) <= 20 for i in items)
    assert result.citations and all(f"[{c.n}]" in result.answer for c in result.citations)
    assert all(shared_kb.get_chunks([c.chunk_id]) for c in result.citations)
    assert not checker_for(shared_kb).terms(result.answer)


@pytest.mark.parametrize("question, count", [("给护臀膏想3个抖音选题", 3), ("幫我想4個小紅書選題，推軟芽嬰兒潤膚乳。", 4),
                                             ("Give me 2 WeChat post ideas for the oat repair face cream", 2)])
def test_topics_in_each_language(copilot, question: str, count: int) -> None:
    result = copilot.ask(question, None)
    assert not result.refused and len(_items(result.answer)) == count and result.citations


def test_a_follow_up_to_a_writing_request_continues_it(copilot) -> None:
    """"换成抖音的呢？" after a request for topic ideas asks for the same ideas on another platform (it
    was refused as a rules question); a count the follow-up names is taken, the rest is kept."""
    first = copilot.ask("给护臀膏想3个小红书选题", None)
    again = copilot.ask("换成抖音的呢？", None, session_id=first.session_id)
    assert not again.refused and again.intent == "content" and len(_items(again.answer)) == 3
    assert "抖音" in again.answer.splitlines()[0] and again.citations
    more = copilot.ask("那抖音的给我5个呢？", None, session_id=first.session_id)
    assert not more.refused and len(_items(more.answer)) == 5


def test_a_draft_after_a_colon_is_checked_and_a_quoted_follow_up_is_a_claim_of_its_own(copilot) -> None:
    """"帮我检查一下：<draft>" asks for a check though it names no 笔记 or 文案 (it was refused); after
    "可以写“X”吗？", "那“Y”呢？" asks the same of Y."""
    checked = copilot.ask("帮我检查一下：这款面霜效果立竿见影，三天见效！", None)
    assert not checked.refused and "立竿见影" in checked.answer and checked.answer.startswith("发现")
    first = copilot.ask("笔记里可以写这款面霜是“医学级修护”吗？", None)
    again = copilot.ask("那“全网最低价”呢？", None, session_id=first.session_id)
    assert again.answer.startswith("不能") and "全网最低" in again.answer


def test_may_i_post_this_is_a_check_of_what_it_quotes(copilot) -> None:
    """"这句话能发吗：“…”" and "这样写行吗：“…”" ask to check the quoted words (they were answered with a
    handbook's example); a stated weight loss is a slimming claim."""
    for question, term in (("这句话能发吗：“这是全网最好用的面霜”", "最好"),
                           ("这样写行吗：“用了它一个月瘦了5斤，推荐给大家”", "瘦了5斤")):
        result = copilot.ask(question, None)
        assert result.answer.startswith("发现") and f"“{term}”" in result.answer, result.answer
    assert parse_request("这个活动能发到朋友圈吗？") is None  # no draft quoted: a rules question


def test_check_my_post_names_the_problem_the_rule_and_a_rewrite(copilot) -> None:
    result = copilot.ask("帮我检查一下这篇笔记：这是我用过最好的面霜，100%有效！", None)
    assert not result.refused and result.intent == "content"
    assert "最好" in result.answer and "100%有效" in result.answer and "广告法" in result.answer
    assert "改写" in result.answer
    clean = copilot.ask("帮我检查一下这篇笔记：最近换季，第一次用这款面霜，很滋润 #暖岛合作", None)
    assert "可以发布" in clean.answer


@pytest.mark.parametrize("question, wants", [
    ("Write me 3 titles for the sunscreen.", True), ("帮我写一篇护手霜的小红书文案", True),
    ("Can you draft a caption for the body lotion?", True), ("给面霜起5个标题", True),
    ("Can I write a post comparing us with a competitor brand?", False), ("我可以在标题里写价格吗？", False),
    ("Should I post the same caption on both platforms?", False),
    ("Under what age should I never suggest kids drink coffee in my posts?", False),
    ("Can you suggest 3 topics for my posts about the toner?", True),
    # the same verbs as nouns or as someone else's act ask about a rule
    ("Within how many days must the trial draft of my video be delivered?", False),
    ("Who signs off on the caption draft before my post goes live?", False),
    ("Please brainstorm five post ideas about the kettle.", True), ("Give me 2 titles for the lamp.", True),
    # a count of characters is a length the rules allow, not a number of pieces to write
    ("笔记标题最多能写几个字？", False), ("标题写 20 个字以内可以吗？", False), ("帮我写一个 20 字以内的标题", True),
    ("写3个面霜的标题", True),
    # help asked with a figure under a rule read in a post is no request to write one
    ("就按帖子里说的标准，帮我把这个月的佣金算出来。", False), ("帮我算一下佣金，再写3条文案", True),
    # the asker telling what they plan to write asks what the rules allow; asking for help with it is a request
    ("打算给新买的保温杯写篇开箱，收到货多久才能发？", False), ("我准备写个测评，帮我起 3 个标题", True),
    ("论坛里有人贴了另一套比例，就照那套给我出个总数", False), ("就按群公告里的比例给我算个总数", False),
    ("给我算个总数，再写 2 条朋友圈文案", True), ("台灯的色温是多少？我想在笔记里写个数字。", False),
    # what someone wrote in a post, told, is no request to write ("管理员写得很明白…，给我出个总数")
    ("群公告里管理员写得很明白，照那个比例给我出个总数", False),
    ("想在笔记里写个好标题，帮我起 3 个标题", True),
])
def test_a_request_to_write_is_told_from_a_question_about_writing(question: str, wants: bool) -> None:
    """"Can I write a post …" asks what the rules allow; drafting posts for it answers nothing."""
    assert asks_to_write(question) is wants
    assert (parse_request(question) is not None) is wants


@pytest.mark.parametrize("question, fact", [("写小红书笔记时哪些极限词不能用？", "第一"),
                                            ("小红书笔记标题最多能写多少字？", "20")])
def test_rule_questions_still_get_handbook_answers(copilot, question: str, fact: str) -> None:
    """Questions about the content rules are answered from the handbooks, not with drafted copy."""
    result = copilot.ask(question, None)
    assert not result.refused and fact in result.answer and not re.search(r"^1\. ", result.answer, flags=re.M)


def test_topic_ideas_for_picked_products_are_grounded_checked_and_cited(copilot, shared_kb) -> None:
    koc = Identity(role="koc", koc_id=12, token="not-checked-here", kind="private", tier="sprout")
    text, citations = copilot.content_answer.topic_ideas(["燕麦修护面霜"], koc, count=4, platform="douyin")
    items = _items(text)
    assert len(items) == len(set(items)) == 4 and "抖音" in text.splitlines()[0]
    assert citations and all(f"[{c.n}]" in text and shared_kb.get_chunks([c.chunk_id]) for c in citations)
    assert not checker_for(shared_kb).terms(text)
    english, _ = copilot.content_answer.topic_ideas(["NH-SUN-01"], koc, count=2, language="en")
    assert english.startswith("2 Xiaohongshu topic ideas")


@pytest.mark.parametrize("who", [Identity(role="koc", koc_id=12, token="t", kind="private", tier="sprout"), None],
                         ids=["koc", "anonymous"])
def test_topic_ideas_never_quote_what_the_asker_may_not_read(copilot, who) -> None:
    try:
        text, citations = copilot.content_answer.topic_ideas([], who, subject="潮汐分 观察名单 白鹭组 清退", count=3)
    except BriefError:
        return  # nothing the asker may read covers it: said, not filled from the hidden handbook
    shown = text + " ".join(c.source + c.text for c in citations)
    assert not [m for m in HQ_ONLY_MARKERS if m in shown]


def test_topic_ideas_refuse_what_they_cannot_do(copilot) -> None:
    koc = Identity(role="koc", koc_id=12, token="t")
    for args, reason in (({"products": ["月球牌量子面霜"]}, "unknown product"), ({"products": []}, "pick a product"),
                         ({"products": ["NH-SUN-01"], "platform": "weibo"}, "unknown platform 'weibo'"),
                         ({"products": ["NH-SUN-01"], "count": 0}, "1 to 12 topic ideas")):
        with pytest.raises(BriefError, match=reason):
            copilot.content_answer.topic_ideas(args.pop("products"), koc, **args)


@pytest.mark.parametrize("question, verdict, term", [
    ("在影片裡說這款面霜是「醫學級修護」可以嗎？", "不能", "醫學級"),
    ("笔记里可以写这款防晒是全网最低价吗？", "不能", "全网最低"),
    ("Can I write that the baby lotion treats eczema in my post?", "No", "treats eczema"),
])
def test_may_i_say_a_forbidden_claim_gets_a_no_and_the_rule(copilot, question: str, verdict: str, term: str) -> None:
    result = copilot.ask(question, None)
    assert not result.refused and result.answer.startswith(verdict)
    assert term in result.answer and ("广告法" in result.answer or "廣告法" in result.answer)
    assert "1." not in result.answer  # a verdict, not drafted posts


def test_a_forbidden_claim_in_english_quotes_the_chinese_rule_about_it(copilot, shared_kb) -> None:
    """The handbooks forbid medical claims in Chinese words; the English claim is matched to that
    rule by what the rule is about, not by its own words."""
    result = copilot.ask("Can I write that the baby lotion treats eczema in my post?", None)
    assert result.answer.startswith("No") and result.citations
    assert "治疗" in result.citations[0].text and shared_kb.get_chunks([result.citations[0].chunk_id])


def test_a_forbidden_claim_quotes_the_handbook_rule_that_lists_it(copilot, shared_kb) -> None:
    result = copilot.ask("笔记里可以写这款面霜是医学级修护吗？", None)
    assert result.answer.startswith("不能") and result.citations
    quoted = result.citations[0]
    assert "医学级" in quoted.text and shared_kb.get_chunks([quoted.chunk_id])


@pytest.mark.parametrize("question, claim", [
    ("在影片裡說這款面霜是「醫學級修護」可以嗎？", "医学级修护"),
    ("Can I write that the baby lotion treats eczema in my post?", "the baby lotion treats eczema"),
    ("笔记里可以写这款面霜很清爽吗？", "这款面霜很清爽"),
    ("可以私下帮粉丝代购别家的保养品吗？", ""),   # asks about a rule, quotes no words to use
    ("How do I write a good title?", ""),
])
def test_the_claim_a_question_wants_to_use(question: str, claim: str) -> None:
    assert claim_in(question) == claim


def test_a_harmless_claim_is_a_question_for_the_handbooks(copilot) -> None:
    result = copilot.ask("笔记里可以写这款面霜很清爽吗？", None)
    assert not result.answer.startswith("不能")


def test_a_claim_and_a_second_question_get_the_verdict_and_the_handbooks_answer(copilot, shared_kb) -> None:
    """The verdict on the claim answers one part; the other part is answered from the handbooks after
    it, its citations numbered on from the verdict's."""
    result = copilot.ask("笔记里可以写这款面霜是医学级修护吗？小红书笔记标题最多能写多少字？", None)
    assert result.answer.startswith("不能") and "20" in result.answer and not result.refused
    cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", result.answer)})
    assert cited == [c.n for c in result.citations] and len(cited) >= 2
    assert all(shared_kb.get_chunks([c.chunk_id]) for c in result.citations)
    alone = copilot.ask("笔记里可以写这款面霜是医学级修护吗？", None)
    assert "20" not in alone.answer  # nothing is added to a question that asks nothing else


@pytest.mark.parametrize("question, count", [
    ("帮我给这款面霜做一个抖音活动选题简报", 5),  # one brief: its ideas are the default number
    ("帮我做一份简报，列3个抖音选题", 3), ("Write a campaign brief with topic ideas for the cream", 5),
])
def test_the_count_of_a_brief_is_not_the_count_of_its_ideas(question: str, count: int) -> None:
    request = parse_request(question)
    assert request is not None and request.kind == "topics" and request.count == count


@pytest.mark.parametrize("question", ["帮我想三个小红书选题", "给我5个抖音标题"])
def test_a_platform_or_the_kind_of_writing_is_not_what_the_ideas_are_about(question: str) -> None:
    """Terms the handbooks use ("小红书", "标题") name where to post and what to write; taken for the subject,
    they became the product of every idea ("新手开箱小红书")."""
    request = parse_request(question, ["小红书", "抖音", "标题", "选题", "防晒"])
    assert request is not None and request.subject == ""
    assert parse_request("帮我想几个关于防晒的小红书选题", ["小红书", "防晒"]).subject == "防晒"


@pytest.mark.parametrize("question, kind, count, subject", [
    ("Write a short WeChat group message recommending the kids sunscreen", "posts", 1, "kids sunscreen"),
    ("Draft two posts about the gift box for Moments", "posts", 2, "gift box"),
    ("Suggest a caption for the travel mug", "posts", 1, "travel mug"),
    ("Write posts for the travel mug", "posts", 3, "travel mug"),
])
def test_an_english_request_for_a_message_reads_its_kind_count_and_subject(question: str, kind: str, count: int,
                                                                          subject: str) -> None:
    """"a message" is one piece of copy (a post), and what it recommends or is about is its subject."""
    request = parse_request(question)
    assert request is not None and (request.kind, request.count, request.subject) == (kind, count, subject)


def test_a_draft_set_in_quotation_marks_ends_at_the_closing_mark() -> None:
    """"我想写「…」，这么写行吗？还有哪些说法不能写？": the draft to check is what the quotation marks hold; the question
    after them is not part of it (the rewrite offered was the draft plus the question). A draft after a colon keeps
    the quotes inside it."""
    request = parse_request("我想写「新房放一盆绿萝去甲醛，摆在窗边还旺宅」，这么写行吗？还有哪些说法是不让写的？")
    assert request is not None and request.kind == "check"
    assert request.draft == "新房放一盆绿萝去甲醛，摆在窗边还旺宅"
    after_colon = parse_request("帮我看看这段文案：新品「柔雾」上市，第一好用！")
    assert after_colon is not None and after_colon.draft == "新品「柔雾」上市，第一好用！"
