"""The demo knowledge base must agree with docs/brand-facts.md, be well-formed, and stay generated.

These tests read the fact sheet itself (not a copy of it), so changing a price, a threshold or a
rate in one place without the other fails here.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT / "knowledge" / "samples"
FACTS = (REPO_ROOT / "docs" / "brand-facts.md").read_text(encoding="utf-8")
EVAL_SET = REPO_ROOT / "evals" / "datasets" / "core.jsonl"

DOC_SUFFIXES = {".md", ".html", ".docx", ".pdf", ".txt"}
NOT_DOCUMENTS = {"dictionary.txt"}
LEGACY_ENCODINGS = {"training-copy-template.txt": "gbk", "faq-zh-tw.txt": "big5"}
META_KEYS = {"title", "doc_type", "audience", "language"}
DOC_TYPES = {"brand", "product", "programme", "commission", "onboarding", "training", "poster", "content", "faq"}
AUDIENCES = {"koc", "external", "all", "hq"}
LANGUAGES = {"zh-CN", "zh-TW", "en"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------- reading the fact sheet ----------

def _markdown_table(section_title: str) -> list[list[str]]:
    """Rows (without header/separator) of the first table under ``## section_title``."""
    section = FACTS.split(f"## {section_title}", 1)[1]
    rows = []
    for line in section.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            if rows:
                break
            continue
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return [r for r in rows[1:] if not set("".join(r)) <= set("-: ")]


def _short_name(name: str) -> str:
    """The product name without size/SPF/notes: '晴空轻透防晒乳 SPF50+ …' → '晴空轻透防晒乳'."""
    return re.split(r"[\s(（]", name, maxsplit=1)[0]


PRODUCTS = [
    {"sku": r[0], "name": _short_name(r[1]), "category": r[2].split()[0], "price": r[3]}
    for r in _markdown_table("Products")
]
TIERS = [
    {
        "zh": r[0], "tw": r[1], "en": r[2], "posts": r[3], "interactions": r[4], "sales": r[5],
        "group": r[6], "fans": r[7], "multiplier": r[8],
    }
    for r in _markdown_table("Tiers")
]
CATEGORY_RATES = dict(
    (m.group(1), m.group(2)) for m in re.finditer(r"([\u4e00-\u9fff]+) (\d+%)", FACTS.split("Category rates:", 1)[1].split("\n")[0])
)


def test_fact_sheet_parses() -> None:
    """Guard the parsers above: if the sheet's layout changes, fail loudly rather than check nothing."""
    assert len(PRODUCTS) == 13
    assert [t["zh"] for t in TIERS] == ["新芽KOC", "绽放KOC", "星光KOC", "灯塔KOC"]
    assert CATEGORY_RATES == {"防晒": "15%", "护肤": "12%", "母婴洗护": "10%", "身体护理": "10%", "礼盒": "8%"}


# ---------- reading the samples ----------

class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _join_cjk_lines(text: str) -> str:
    """PDF extraction breaks lines inside Chinese words; rejoin them so phrases can be matched."""
    return re.sub(r"(?<=[\u4e00-\u9fff，。、“”：；）（])\n(?=[\u4e00-\u9fff，。、“”：；）（])", "", text)


def doc_text(path: Path) -> str:
    suffix = path.suffix
    if suffix == ".md":
        return path.read_text(encoding="utf-8")
    if suffix == ".html":
        parser = _TextOnly()
        parser.feed(path.read_text(encoding="utf-8"))
        return "".join(parser.parts)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if suffix == ".pdf":
        import pypdf

        return _join_cjk_lines("\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages))
    if suffix == ".txt":
        return path.read_bytes().decode(LEGACY_ENCODINGS.get(path.name, "utf-8"))
    raise AssertionError(f"unexpected document type {path}")


def documents() -> list[Path]:
    return sorted(
        p for p in SAMPLES.iterdir()
        if p.suffix in DOC_SUFFIXES and p.name not in NOT_DOCUMENTS and not p.name.endswith(".meta.yaml")
    )


def metadata(path: Path) -> dict:
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
        assert text.startswith("---\n"), f"{path.name}: no YAML front matter"
        return yaml.safe_load(text.split("---\n", 2)[1])
    sidecar = path.with_name(path.name + ".meta.yaml")
    assert sidecar.exists(), f"{path.name}: missing sidecar {sidecar.name}"
    return yaml.safe_load(sidecar.read_text(encoding="utf-8"))


def text_of(name: str) -> str:
    return doc_text(SAMPLES / name)


# ---------- structure and metadata ----------

def test_enough_documents_across_formats_and_languages() -> None:
    docs = documents()
    assert len(docs) >= 12
    assert {p.suffix for p in docs} == DOC_SUFFIXES
    assert {metadata(p)["language"] for p in docs} == LANGUAGES


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_every_document_has_valid_metadata_and_headings(path: Path) -> None:
    meta = metadata(path)
    assert set(meta) == META_KEYS, path.name
    assert meta["doc_type"] in DOC_TYPES
    assert meta["audience"] in AUDIENCES
    assert meta["language"] in LANGUAGES
    assert meta["title"].strip()
    text = doc_text(path)
    assert 800 <= len(text.encode("utf-8")) <= 12_000, f"{path.name}: unrealistic length"
    if meta["language"] != "en":
        assert len(CJK.findall(text)) > 200
    if path.suffix in {".md", ".txt"}:
        assert re.search(r"^## ", text, re.M), f"{path.name}: no ## headings for the chunker"


def test_sidecars_belong_to_documents() -> None:
    for sidecar in SAMPLES.glob("*.meta.yaml"):
        assert (SAMPLES / sidecar.name.removesuffix(".meta.yaml")).exists(), sidecar.name


def test_legacy_encodings_are_real() -> None:
    for name, encoding in LEGACY_ENCODINGS.items():
        raw = (SAMPLES / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert CJK.search(raw.decode(encoding))
    assert "培训文案" in text_of("training-copy-template.txt")
    assert "綻放KOC" in text_of("faq-zh-tw.txt")


def test_pdf_text_round_trips_chinese() -> None:
    text = text_of("recruitment-poster-guidelines.pdf")
    for phrase in ("暖岛KOC招募海报设计规范", "主标题", "副标题", "行动号召", "二维码", "#暖岛合作"):
        assert phrase in text


def test_generated_files_are_up_to_date() -> None:
    """The committed binaries equal what the generator produces now (and it is deterministic)."""
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        import make_sample_docs
    finally:
        sys.path.pop(0)
    built = make_sample_docs.build_all()
    assert built == make_sample_docs.build_all()
    for name, data in built.items():
        assert (SAMPLES / name).read_bytes() == data, f"{name} is stale: run scripts/make_sample_docs.py"


# ---------- facts agree with the sheet ----------

@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p["sku"])
def test_product_handbook_lists_every_product(product: dict) -> None:
    handbook = text_of("product-handbook.md")
    row = next((line for line in handbook.splitlines() if line.startswith(f"| {product['sku']} |")), None)
    assert row is not None, f"{product['sku']} missing from the quick-reference table"
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1].startswith(product["name"])
    assert cells[2] == product["category"]
    assert cells[3] == product["price"]
    section = handbook.split(f"（{product['sku']}", 1)
    assert len(section) == 2, f"{product['sku']} has no section of its own"
    body = section[1].split("\n### ", 1)[0]
    assert f"价格：{product['price']}" in body
    for part in ("卖点", "用法" if product["category"] != "礼盒" else "内容"):
        assert part in body


def test_product_handbook_avoids_banned_claims() -> None:
    handbook = text_of("product-handbook.md")
    for word in ("第一", "顶级", "国家级", "全网最低", "100%有效", "根治", "医学级", "治疗", "药用"):
        assert word not in handbook, word


@pytest.mark.parametrize("tier", TIERS, ids=lambda t: t["en"])
def test_programme_rules_thresholds_match(tier: dict) -> None:
    rules = text_of("koc-programme-rules.md")
    row = next(line for line in rules.splitlines() if line.startswith(f"| {tier['zh']} |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[6] == tier["multiplier"]
    if tier["posts"].startswith("entry"):
        return
    assert cells[1] == f"{tier['posts']} 篇"
    assert cells[2] == tier["interactions"]
    assert cells[3] == tier["sales"]
    assert cells[4] == f"{tier['group']} 人"
    assert cells[5] == tier["fans"]


@pytest.mark.parametrize("tier", TIERS, ids=lambda t: t["en"])
def test_tier_names_and_multipliers_in_every_language(tier: dict) -> None:
    assert tier["zh"] in text_of("koc-programme-rules.md")
    assert f"{tier['tw']} {tier['multiplier']}" in text_of("faq-zh-tw.txt")
    english = text_of("koc-programme-at-a-glance-en.md")
    assert re.search(rf"\| {tier['en']} \({tier['zh']}\) \|.*\| {re.escape(tier['multiplier'])} \|", english)
    commission = text_of("commission-policy.docx")
    assert tier["zh"] in commission and tier["multiplier"] in commission
    for field in ("interactions", "sales", "fans"):
        if tier[field] not in {"–", ""} and not tier["posts"].startswith("entry"):
            assert tier[field] in text_of("faq-zh-tw.txt")


def test_commission_policy_matches_sheet() -> None:
    policy = text_of("commission-policy.docx")
    for category, rate in CATEGORY_RATES.items():
        assert re.search(rf"{category}\s*\n?\s*(NH-[A-Z]+-\d+.*?\n)?\s*{rate}", policy), (category, rate)
    assert "18%" in policy and "3%" in policy
    assert "冻结状态 15 天" in policy
    assert "每月 10 日为结算日" in policy
    assert "微信钱包" in policy and "扣回" in policy
    for prize in ("¥1,000", "¥600", "¥300", "¥100 优惠券", "¥500"):
        assert prize in policy


def test_worked_examples_are_correct() -> None:
    """Every 'amount × rate × multiplier = result' in the samples is arithmetic the service would agree with."""
    from decimal import ROUND_HALF_UP, Decimal

    pattern = re.compile(r"¥([\d,]+) × (\d+)% × (1\.\d) = ¥([\d,.]+)")
    found = 0
    for path in documents():
        for amount, rate, multiplier, result in pattern.findall(doc_text(path)):
            value = Decimal(amount.replace(",", "")) * Decimal(rate) / 100 * Decimal(multiplier)
            assert value.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(result.replace(",", "")), (path.name, result)
            found += 1
    assert found >= 5


def test_rules_agree_across_documents() -> None:
    rules = text_of("koc-programme-rules.md")
    for phrase in ("连续 3 次测评得分低于 60 分", "90 天", "14 天内", "7 天宽限期", "永久取消测评资格", "所有未结算佣金不予发放"):
        assert phrase in rules
    for reward in ("¥50 优惠券", "¥200 产品券", "¥800 奖金", "¥20 红包", "30 天暖岛会员卡", "¥5,000", "旅行装"):
        assert reward in rules
    distributor = text_of("external-distributor-guide.md")
    assert "60 天" in distributor and "少于 5 笔" in distributor and "3%" in distributor
    onboarding = text_of("onboarding-guide.html")
    for phrase in ("前 3 天", "20 人", "¥30 红包", "【招募中】", "【培训中】", "【已结营】"):
        assert phrase in onboarding
    training = text_of("training-copy-template.txt")
    for point in ("要点一：用户的痛点", "要点二：成为暖岛KOC的优势", "要点三：KOC如何解决问题", "要点四：转化"):
        assert point in training
    content = text_of("content-guidelines.md")
    for word in ("最", "第一", "顶级", "国家级", "全网最低", "100%有效", "根治", "零添加", "医学级", "#暖岛合作"):
        assert word in content
    for name in ("faq.md", "koc-programme-at-a-glance-en.md", "faq-zh-tw.txt", "brand-story.md"):
        assert "ops@nuandao.example" in text_of(name)


def test_brand_dictionary_covers_brand_terms() -> None:
    lines = (SAMPLES / "dictionary.txt").read_text(encoding="utf-8").splitlines()
    assert all(re.fullmatch(r"\S+ \d+ [a-z]+", line) for line in lines)
    terms = {line.split()[0] for line in lines}
    assert {p["name"] for p in PRODUCTS} <= terms
    assert {p["sku"] for p in PRODUCTS} <= terms
    assert {t["zh"] for t in TIERS} | {t["tw"] for t in TIERS} <= terms
    assert {"暖岛分销小程序", "暖島分銷小程序", "晴空輕透防曬乳"} <= terms


# ---------- the eval set points at real facts ----------

def _eval_cases() -> list[dict]:
    if not EVAL_SET.exists():
        return []
    return [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not EVAL_SET.exists(), reason="eval set not written yet")
def test_eval_rules_facts_exist_in_their_source() -> None:
    """A rules case's must_contain strings appear in its expected_source, else the case can't be passed."""
    rules = [c for c in _eval_cases() if c["kind"] == "rules"]
    assert rules
    for case in rules:
        text = doc_text(SAMPLES / case["expected_source"])
        for fact in case["must_contain"]:
            assert fact in text, (case["id"], fact)
        for group in case.get("any_of", []):
            assert any(option in text for option in group), (case["id"], group)


EVAL_KEYS = {"id", "question", "lang", "role", "kind", "must_contain", "must_refuse", "must_not_contain"}
EVAL_OPTIONAL = {"any_of", "expected_source", "also_sources", "expected_tool", "tool_args"}
TOOLS = {"get_my_earnings", "estimate_commission", "get_my_tier_progress", "get_my_competition_rank",
         "get_my_trials", "search_products", "find_kocs_near_promotion", "koc_overview"}
HQ_TOOLS = {"find_kocs_near_promotion", "koc_overview"}


@pytest.mark.skipif(not EVAL_SET.exists(), reason="eval set not written yet")
def test_eval_set_schema_and_mix() -> None:
    cases = _eval_cases()
    assert len(cases) >= 60
    assert len({c["id"] for c in cases}) == len(cases)
    skus = {p["sku"] for p in PRODUCTS}
    for c in cases:
        assert EVAL_KEYS <= set(c) <= EVAL_KEYS | EVAL_OPTIONAL, c["id"]
        assert c["lang"] in LANGUAGES and c["role"] in {"koc", "hq"}
        assert c["kind"] in {"rules", "personal", "uncovered", "attack", "content"}
        assert c["must_refuse"] == (c["kind"] in {"uncovered", "attack"}), c["id"]
        if c["kind"] == "rules":
            assert (SAMPLES / c["expected_source"]).exists(), c["id"]
            for other in c.get("also_sources", []):
                assert (SAMPLES / other).exists() and other != c["expected_source"], c["id"]
            assert c["must_contain"] or c.get("any_of"), c["id"]
        if c["kind"] == "personal":
            assert c["expected_tool"] in TOOLS
            assert (c["expected_tool"] in HQ_TOOLS) == (c["role"] == "hq"), c["id"]
            if c["expected_tool"] == "estimate_commission":
                assert c["tool_args"]["sku"] in skus and c["tool_args"]["quantity"] >= 1
    by_kind = {k: [c for c in cases if c["kind"] == k] for k in ("rules", "personal", "uncovered", "attack", "content")}
    assert len(by_kind["rules"]) >= 25 and len(by_kind["personal"]) >= 15
    assert len(by_kind["uncovered"]) >= 8 and len(by_kind["attack"]) >= 8 and len(by_kind["content"]) >= 4
    for kind in ("rules", "personal"):
        assert {c["lang"] for c in by_kind[kind]} == LANGUAGES
