"""Topic briefs over real Chroma indexes (the sample brand and the second brand): structure and
counts, citations that map to chunks supporting them, platform limits, determinism, renderings,
history, the model path (generate → validate → repair → fall back) with a fake chat model."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from docx import Document

from assistant.briefs.distinct import similar_pairs
from assistant.briefs.history import BriefHistory, BriefNotFound
from assistant.briefs.models import BriefRequest, BriefRequestError
from assistant.briefs.patterns import PATTERNS
from assistant.briefs.render import EXPORT_FORMATS, export, to_docx, to_json, to_markdown
from assistant.briefs.writer import BriefError, BriefWriter
from assistant.compliance.platforms import title_length
from assistant.compliance.rulebook import load_rulebook
from assistant.compliance.service import checker_for
from assistant.text_match import support
from knowledge.kb import KnowledgeBase
from tests.assistant.fakes import FunctionChatModel, ScriptedChatModel, last_user_text

START, END = date(2026, 9, 1), date(2026, 9, 14)


def _request(**kw) -> BriefRequest:
    base = dict(campaign="秋季换季修护", audience="宝妈", platform="xiaohongshu", topics=6,
                products=["燕麦修护面霜", "NH-SUN-01"], start=START, end=END)
    return BriefRequest(**{**base, **kw})


@pytest.fixture(scope="module")
def writer(shared_kb, sample_catalog) -> BriefWriter:
    return BriefWriter(shared_kb, catalog=sample_catalog, embeddings=shared_kb.embeddings)


@pytest.fixture(scope="module")
def brief(writer):
    return writer.write(_request())


def _citations(b):
    return [c for m in b.key_messages for c in m.citations] + [c for t in b.topics for c in t.citations]


def test_structure_and_counts(brief) -> None:
    limits = load_rulebook().platform("xiaohongshu")
    assert len(brief.topics) == 6 and brief.key_messages and brief.summary
    assert len({t.angle for t in brief.topics}) == 6
    for t in brief.topics:
        assert t.title and t.hook and t.outline and t.facts and t.citations and t.products
        assert title_length(t.title) <= limits.title_max and len(t.hashtags) <= limits.hashtags_max
    assert brief.dos and brief.donts and all(m.citations for m in brief.dos + brief.donts)
    assert [s.topic for s in brief.schedule] == list(range(1, 7))
    assert brief.schedule[0].date == START and brief.schedule[-1].date == END
    assert brief.compliance.passed and brief.compliance.checked_texts > 6
    assert brief.provider == "offline" and not brief.fell_back


def test_every_citation_maps_to_a_chunk_that_supports_it(brief, shared_kb) -> None:
    for c in _citations(brief):
        chunk = shared_kb.get_chunks([c.chunk_id])
        assert chunk and chunk[0].source == c.source
        assert support(c.text, chunk[0].text) >= 0.9, (c.text, chunk[0].text)
    for t in brief.topics:
        for f in t.facts:
            assert f.citation in t.citations and support(f.text, shared_kb.get_chunks([f.citation.chunk_id])[0].text) >= 0.9


def test_products_are_real_and_disclosure_tag_is_on_every_topic(brief, shared_kb) -> None:
    tag = checker_for(shared_kb).brand.disclosure_tags[0]
    assert all(tag in t.hashtags for t in brief.topics)
    assert {p for t in brief.topics for p in t.products} <= {"燕麦修护面霜 50g", "晴空轻透防晒乳 SPF50+ PA++++ 50ml"}


def test_offline_briefs_are_deterministic(writer) -> None:
    a, b = writer.write(_request()), writer.write(_request())
    assert a.id != b.id and a.content() == b.content()


@pytest.mark.parametrize("platform", ["xiaohongshu", "douyin", "wechat"])
def test_titles_fit_each_platform(writer, platform: str) -> None:
    limits = load_rulebook().platform(platform)
    b = writer.write(_request(platform=platform, topics=12, products=["晴空轻透防晒乳 SPF50+ PA++++ 50ml"]))
    assert all(title_length(t.title) <= (limits.title_max or 30) for t in b.topics)
    assert {t.format for t in b.topics} <= ({"短视频"} if platform == "douyin" else {"群发"} if platform == "wechat"
                                           else {"图文", "短视频"})
    assert not similar_pairs([t.title for t in b.topics], writer.embeddings)


def test_renderings_hold_the_brief(brief) -> None:
    data = json.loads(to_json(brief))
    assert {"topics", "key_messages", "compliance"} <= set(data) and "violations" in data["compliance"]
    for t in data["topics"]:
        assert t["title"] and t["angle"] and all({"chunk_id", "source", "text"} <= set(c) for c in t["citations"])
    assert all(m["citations"] for m in data["key_messages"])
    md = to_markdown(brief)
    assert all(t.title in md for t in brief.topics) and brief.topics[0].citations[0].source in md
    doc = Document(io.BytesIO(to_docx(brief)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert all(t.title in text for t in brief.topics) and brief.key_messages[0].text in text
    assert doc.tables and doc.tables[0].rows[1].cells[0].text == str(START)


def test_export_writes_each_format_and_refuses_an_unknown_one(brief, tmp_path) -> None:
    paths = {fmt: export(brief, fmt, tmp_path / f"brief.{fmt}") for fmt in EXPORT_FORMATS}
    assert paths["md"].read_text(encoding="utf-8") == to_markdown(brief)
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["id"] == brief.id
    assert f"选题简报：{brief.request.campaign}" in [p.text for p in Document(str(paths["docx"])).paragraphs]
    with pytest.raises(ValueError, match="unknown brief format 'pdf'"):
        export(brief, "pdf", tmp_path / "brief.pdf")
    assert not (tmp_path / "brief.pdf").exists()


def test_a_request_from_a_form_splits_products_reads_dates_and_names_wrong_fields() -> None:
    form = dict(campaign=" 秋季换季修护 ", audience="宝妈", platform="douyin", topics=3)
    r = BriefRequest.from_form(**form, products="燕麦修护面霜，NH-SUN-01、 ,", start="2026-09-01", end=" ")
    assert r.products == ["燕麦修护面霜", "NH-SUN-01"] and r.start == START and r.end is None
    assert r.campaign == "秋季换季修护"  # what a person typed, without the stray spaces
    assert BriefRequest.from_form(**form, products=["A, B", "C", "A"]).products == ["A", "B", "C"]
    assert BriefRequest.from_form(**form, start=START).start == START
    with pytest.raises(BriefRequestError, match="^start date '2026/09/01' is not a date written YYYY-MM-DD$"):
        BriefRequest.from_form(**form, start="2026/09/01")
    with pytest.raises(BriefRequestError, match="end date is before start date"):
        BriefRequest.from_form(**form, start="2026-09-02", end="2026-09-01")
    with pytest.raises(BriefRequestError) as wrong:
        BriefRequest.from_form(campaign="", audience=" ", platform="weibo", topics=0)
    message = str(wrong.value)
    assert all(f"{field}:" in message for field in ("campaign", "audience", "platform", "topics")) and "\n" not in message


def test_zh_tw_brief_is_in_traditional_script(writer) -> None:
    b = writer.write(_request(language="zh-TW", topics=2))
    assert "開箱" in b.topics[0].title and b.compliance.passed


def test_unknown_products_and_too_many_topics_are_refused(writer) -> None:
    with pytest.raises(BriefError, match="unknown product"):
        writer.write(_request(products=["月球牌量子面霜"]))
    with pytest.raises(ValueError):
        _request(topics=len(PATTERNS) + 1)
    with pytest.raises(ValueError, match="end date"):
        _request(start=END, end=START)


def test_brief_over_the_second_brands_knowledge_base(heldout_kb) -> None:
    """A product only the second brand's handbooks name (no catalogue): facts, tag and rules are its own."""
    headings = [json.loads(c.heading_path)[-1] for c in heldout_kb.manifest.all_chunks() if c.source == "product-catalogue.md"]
    product = next(h for h in headings if "（" in h).split("（")[0].strip()
    b = BriefWriter(heldout_kb, embeddings=heldout_kb.embeddings).write(
        _request(products=[product], platform="douyin", topics=4, audience="新手猫主人"))
    tag = checker_for(heldout_kb).brand.disclosure_tags[0]
    assert len(b.topics) == 4 and b.compliance.passed and all(tag in t.hashtags for t in b.topics)
    sources = {c.source for c in _citations(b)}
    assert sources and sources <= {c.source for c in heldout_kb.manifest.all_chunks()}
    assert "product-catalogue.md" in sources
    for c in _citations(b):
        assert support(c.text, heldout_kb.get_chunks([c.chunk_id])[0].text) >= 0.9


def _valid_reply(messages, _tools) -> str:
    """A well-formed draft over the facts the prompt numbers (what a good model returns)."""
    facts = {int(n): t for n, t in re.findall(r"^F(\d+): (.*)$", last_user_text(messages), flags=re.M)}
    ids = list(facts)
    angles = [p.angle for p in PATTERNS]
    return json.dumps({"summary": "秋季修护活动", "key_messages": [{"text": facts[ids[0]], "facts": [ids[0]]}],
                       "topics": [{"title": f"{a}：秋天的面霜", "angle": a, "hook": "换季了，聊聊我的护肤。",
                                   "outline": ["开场", "用法"], "hashtags": ["#宝妈"], "facts": [ids[i % len(ids)]]}
                                  for i, a in enumerate(angles[:3])]}, ensure_ascii=False)


def test_model_draft_is_used_when_it_validates(shared_kb, sample_catalog) -> None:
    model = FunctionChatModel(fn=_valid_reply)
    b = BriefWriter(shared_kb, catalog=sample_catalog, chat_model=model, embeddings=shared_kb.embeddings,
                    provider="function").write(_request(topics=3))
    assert b.provider == "function" and not b.fell_back and len(model.calls) == 1
    assert b.topics[0].title == "开箱：秋天的面霜" and all(t.citations for t in b.topics)


def test_model_draft_is_repaired_once_then_falls_back(shared_kb, sample_catalog) -> None:
    bad = json.dumps({"summary": "s", "key_messages": [], "topics": [
        {"title": "全网最好的面霜，第一品牌", "angle": "开箱", "hook": "100%有效", "outline": ["x"], "hashtags": [], "facts": [999]}]},
        ensure_ascii=False)
    model = ScriptedChatModel(replies=["not json at all", bad])
    b = BriefWriter(shared_kb, catalog=sample_catalog, chat_model=model, embeddings=shared_kb.embeddings,
                    provider="scripted").write(_request(topics=3))
    assert len(model.calls) == 2 and "problems" in str(model.calls[1][-1].content)
    assert b.fell_back and b.provider == "offline" and b.warnings and b.compliance.passed and len(b.topics) == 3
    repaired = FunctionChatModel(fn=lambda m, t: bad if len(m) < 3 else _valid_reply(m[:2], t))
    ok = BriefWriter(shared_kb, catalog=sample_catalog, chat_model=repaired, embeddings=shared_kb.embeddings,
                     provider="function").write(_request(topics=3))
    assert len(repaired.calls) == 2 and not ok.fell_back and ok.provider == "function"


def test_targets_the_kocs_closest_to_promotion(writer, shared_kb, sample_catalog) -> None:
    rows = [{"koc_id": 7, "name": "A", "tier_zh": "甲", "next_tier_zh": "乙", "gap_text": "还差 2 篇笔记"}]
    b = BriefWriter(shared_kb, catalog=sample_catalog, near_promotion=lambda limit: rows[:limit]).write(
        _request(topics=2, target_near_promotion=True))
    assert [k.koc_id for k in b.target_kocs] == [7] and "还差 2 篇笔记" in to_markdown(b)

    def down(limit: int) -> list[dict]:
        raise ConnectionError("service down")

    b = BriefWriter(shared_kb, catalog=sample_catalog, near_promotion=down).write(_request(topics=2, target_near_promotion=True))
    assert not b.target_kocs and "service down" in b.warnings[0]


def test_history_lists_reopens_and_survives_a_corrupt_file(brief, tmp_path) -> None:
    history = BriefHistory(tmp_path)
    history.save(brief)
    (tmp_path / "briefs" / "broken.json").write_text("{", encoding="utf-8")
    rows = history.list()
    assert {r["id"] for r in rows} == {brief.id, "broken"} and any(r.get("error") for r in rows)
    assert history.load(brief.id).content() == brief.content()
    with pytest.raises(BriefNotFound):
        history.load("../etc/passwd")
    with pytest.raises(BriefNotFound):
        history.load("broken")


def test_topic_patterns_hold_no_banned_words() -> None:
    checker = checker_for(None)
    for p in PATTERNS:
        for text in (*p.titles, p.hook, *p.outline):
            assert not checker.terms(text.format(p="产品", a="读者", c="活动", f1="事实", f2="事实")), text


def test_near_identical_titles_are_found(shared_kb) -> None:
    pairs = similar_pairs(["秋天的面霜开箱", "秋天的面霜开箱！", "防晒三步用法"], shared_kb.embeddings)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]


HQ_ONLY_MARKERS = ("潮汐分", "白鹭组", "宋知遥", "观察名单", "koc-selection-internal")


def test_briefs_and_chat_topics_never_quote_an_hq_only_handbook(writer, shared_kb) -> None:
    """A brief is copy KOCs will post from: it is grounded in what every KOC may read, so a campaign
    named after an HQ-only handbook's subject gets no fact from it (here: nothing to ground on)."""
    assert shared_kb.search("潮汐分 观察名单 白鹭组").hits[0].source == "koc-selection-internal.md"  # HQ sees it
    try:
        brief = writer.write(_request(campaign="内部评估模型 重点培养名单 清退", products=[], topics=3))
    except BriefError:
        return  # nothing a KOC may read covers it: refused, not filled from the hidden handbook
    assert "koc-selection-internal.md" not in {c.source for c in _citations(brief)}
    shown = to_json(brief)
    assert not [m for m in HQ_ONLY_MARKERS if m in shown]


def test_a_handbook_for_one_kind_of_koc_stays_out_of_briefs_for_all(tmp_path, koc_home, fast_embeddings) -> None:
    """Grounding searches as a KOC would: a page only external distributors may read is not quoted in
    a brief every KOC posts from, even when it is the best match for the campaign."""
    from knowledge.kb import KnowledgeBase

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "open.md").write_text("---\naudience: koc\n---\n# 雪松精华\n## 卖点\n雪松精华每瓶 30 毫升，早晚各用两滴，适合干性皮肤的换季护理。\n"
                                  "## 用法\n洁面后取两滴雪松精华按压至吸收，再叠加面霜锁住水分。\n", encoding="utf-8")
    (docs / "unlabelled.md").write_text("---\naudience: external\n---\n# 雪松精华换季\n## 雪松精华换季备忘\n雪松精华换季时的渠道底价是零售价的三折。\n"
                                        "雪松精华换季促销的内部预算为八万元整。\n雪松精华换季砍价时最多可以让到四折。\n"
                                        "雪松精华换季的样品只发给三十位老顾客。\n", encoding="utf-8")
    kb = KnowledgeBase()
    kb.ingest([docs])
    brief = BriefWriter(kb).write(_request(campaign="雪松精华换季", products=[], topics=2))
    assert {c.source for c in _citations(brief)} == {"open.md"}
    assert not [m for m in ("底价", "三折", "内部预算") if m in to_json(brief)]


#: a toy brand's catalogue page: one product's row
TOY_CATALOGUE = ("---\naudience: koc\n---\n# 商品目录\n## 积木\n| 代码 | 商品名 | 规格 | 零售价 |\n|---|---|---|---|\n"
                 "| QG-01 | 松果积木 | 120 片木质积木，附收纳袋 | 168 元 |\n\n")


def _toy_brief(tmp_path, files: dict[str, str], topics: int):
    """An offline brief on the toy brand's one product, over a knowledge base of ``files`` (name → text)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase()
    kb.ingest([docs])
    return BriefWriter(kb).write(_request(campaign="开学季", products=["松果积木"], topics=topics))


def test_a_products_facts_name_it_and_are_never_pay_sums_or_programme_rules(tmp_path, koc_home, fast_embeddings) -> None:
    """A topic about a product quotes what the handbooks say of that product (its selling points, its
    catalogue row), not a worked commission sum that mentions it, nor a programme rule that merely sits
    near it in a search (when a borrowed sample goes back); and no outline line speaks of a texture,
    a dose or a patch test, which a toy does not have."""
    brief = _toy_brief(tmp_path, {
        "catalogue.md": TOY_CATALOGUE + "松果积木用榉木打磨，边角圆润，适合三到六岁的孩子搭房子和小动物。\n",
        "pay.md": "---\naudience: koc\n---\n# 计算\n## 举例\n示例 2：一级推广员在周末卖出 1 盒松果积木。\n"
                  "一级推广员卖出 2 盒松果积木：168 × 2 × 10% = 33.60 元。\n"
                  "## 样品借用\n借来的样品在签收后 30 天内要寄回，寄回运费由品牌承担。\n"}, topics=4)
    facts = [f.text for t in brief.topics for f in t.facts]
    assert facts and all("松果积木" in f for f in facts), facts
    assert any("榉木" in f or "168 元" in f for f in facts)
    shown = to_json(brief)
    assert "33.60" not in shown and "寄回" not in shown and "示例" not in shown
    assert not [w for w in ("质地", "用量", "局部试用", "成分表") if w in shown]


def test_facts_read_as_sentences_not_rows_titles_or_pieces_of_quotes(tmp_path, koc_home, fast_embeddings) -> None:
    """A catalogue row is shown as a phrase (its product, then its cells; the citation keeps the row),
    a list's number stays with its list, and neither a document's title nor a training example cut
    inside its quotation ("改写：“…。") is offered as a core message."""
    brief = _toy_brief(tmp_path, {
        "catalogue.md": TOY_CATALOGUE + "1. 松果积木用榉木打磨，边角圆润，适合三到六岁的孩子。\n",
        "training.txt": "松果积木 推广员写作课（内部版）\n\n原标题：松果积木真好玩。改写：“周末两小时｜松果积木搭出一座城堡。”\n"},
        topics=3)
    facts = {f.text: f.citation.text for t in brief.topics for f in t.facts}
    assert facts.get("松果积木：120 片木质积木，附收纳袋；168 元", "").startswith("代码: QG-01"), facts
    assert "松果积木用榉木打磨，边角圆润，适合三到六岁的孩子。" in facts  # without its list number
    shown = [m.text for m in brief.key_messages] + list(facts)
    assert not [t for t in shown if "写作课" in t or t.count("“") != t.count("”") or " · " in t], shown
