"""Set files that do not load name their bad line; personal figures come from the ledger at run time."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from base.settings import get_settings
from evals.cases import Case, SetFileError, load_set
from evals.homes import index_folder
from evals.expected import expected_figures, previous_month
from evals.people import People
from evals.tasks import Task, stratified

REPO = Path(__file__).resolve().parents[2]
HEADER = {"set": "tiny", "knowledge_base": "docs"}
RULES = {"id": "r1", "kind": "rules", "lang": "zh-CN", "question": "冻结多久？", "facts": [["15"]]}


def write_set(tmp_path: Path, *lines: object) -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("bad", "message"), [
    ({**RULES, "id": "r2", "facts": []}, "needs at least one fact group"),
    ({**RULES, "id": "r2", "kind": "guess"}, "kind"),
    ({**RULES, "id": "r2", "facts": [["15", " "]]}, "non-blank"),
    ({"id": "p1", "kind": "personal", "lang": "en", "question": "my earnings?", "tool": "get_my_earnings"}, "koc_id"),
    ({**RULES, "id": "r2", "colour": "red"}, "colour"),
    ({**RULES}, "duplicate case id"),
    ("{not json", "not JSON"),
])
def test_a_bad_case_names_its_line(tmp_path: Path, bad: object, message: str) -> None:
    path = write_set(tmp_path, HEADER, RULES, bad)
    with pytest.raises(SetFileError, match=rf"set\.jsonl:3: .*{message}"):
        load_set(path)


def test_a_bad_header_or_a_missing_knowledge_base_is_line_one(tmp_path: Path) -> None:
    with pytest.raises(SetFileError, match=r":1: .*set"):
        load_set(write_set(tmp_path, {"knowledge_base": "docs"}, RULES))
    with pytest.raises(SetFileError, match=r":1: knowledge base folder 'nowhere'"):
        load_set(write_set(tmp_path, {**HEADER, "knowledge_base": "nowhere"}, RULES))


@pytest.mark.parametrize("name", ["sample.jsonl", "heldout.jsonl", "tune-coffee.jsonl", "tune-guides.jsonl", "tune-camping.jsonl"])
def test_shipped_sets_load(name: str) -> None:
    loaded = load_set(REPO / "evals" / "datasets" / name)
    assert len(loaded.cases) >= 100 and loaded.knowledge_base.is_dir()


@pytest.mark.parametrize("name", ["tune-coffee.jsonl", "tune-guides.jsonl", "tune-camping.jsonl", "tune-kitchen.jsonl", "tune-toys.jsonl", "tune-stationery.jsonl", "tune-tea.jsonl",
                                  "tune-plants.jsonl", "tune-fitness.jsonl", "tune-fragrance.jsonl", "tune-cycling.jsonl", "tune-audio.jsonl",
                                  "tune-sleep.jsonl", "tune-baby.jsonl", "tune-fishing.jsonl", "tune-luggage.jsonl",
                                  "tune-snacks.jsonl", "tune-yarn.jsonl", "tune-gadgets.jsonl",
                                  "tune-jewelry.jsonl", "tune-carcare.jsonl"])
def test_tuning_sets_cite_their_own_files_and_say_they_are_tuned_on(name: str) -> None:
    """The tuning brands: every cited source is a file of the set's folder, and the header says
    answer code may be tuned on them (unlike ``heldout``)."""
    loaded = load_set(REPO / "evals" / "datasets" / name)
    files = {p.name for p in loaded.knowledge_base.iterdir()}
    assert loaded.header.tuned_on and {s for case in loaded.cases for s in case.sources} <= files
    assert {case.kind for case in loaded.cases} >= {"rules", "refuse", "attack"}


def test_the_unseen_validation_set_says_it_is_not_tuned_on() -> None:
    """A brand kept unseen like ``heldout``: its header says so, it cites only its own files and it
    holds every kind of case (its first run is the "new brand" number; nobody reads its answers)."""
    loaded = load_set(REPO / "evals" / "datasets" / "val-eyewear.jsonl")
    files = {p.name for p in loaded.knowledge_base.iterdir()}
    assert not loaded.header.tuned_on and {s for case in loaded.cases for s in case.sources} <= files
    assert {case.kind for case in loaded.cases} >= {"rules", "refuse", "attack"}
    assert {case.lang for case in loaded.cases} == {"zh-CN", "zh-TW", "en"}


def test_the_english_over_chinese_tuning_set_is_the_sample_without_its_english_page() -> None:
    loaded = load_set(REPO / "evals" / "datasets" / "sample-zh-only.jsonl")
    sample = load_set(REPO / "evals" / "datasets" / "sample.jsonl")
    assert loaded.knowledge_base == sample.knowledge_base and loaded.header.tuned_on
    assert loaded.cases and all(c.lang == "en" for c in loaded.cases)
    assert not any(name in c.sources for c in loaded.cases for name in loaded.header.exclude)


def test_an_excluded_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SetFileError, match=r":1: excluded file 'gone.md'"):
        load_set(write_set(tmp_path, {**HEADER, "exclude": ["gone.md"]}, RULES))


def test_an_excluded_file_stays_out_of_the_eval_home(tmp_path: Path, koc_home: Path, fast_embeddings: None) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "rules.md").write_text("# 结算\n佣金每月十日结算。", encoding="utf-8")
    (folder / "page-en.md").write_text("# Settlement\nCommission is paid on the 10th.", encoding="utf-8")
    (folder / "page-en.md.meta.yaml").write_text("audience: all\n", encoding="utf-8")
    kb = index_folder(get_settings(), folder)
    assert {f.source for f in kb.manifest.files()} == {"rules.md", "page-en.md"}
    kb = index_folder(get_settings(), folder, exclude=["page-en.md"])  # excluded after an earlier run: removed
    assert {f.source for f in kb.manifest.files()} == {"rules.md"}


def test_an_eval_home_holds_its_folder_alone(tmp_path: Path, koc_home: Path, fast_embeddings: None) -> None:
    """Another checkout's copy of the set's folder indexed into the same home earlier (its loaders may have cut a
    document otherwise) leaves nothing there: the run reads this folder's chunks only."""
    for copy, rule in (("old", "佣金每月十日结算。"), ("new", "佣金每月十五日结算。")):
        folder = tmp_path / copy / "kb"
        folder.mkdir(parents=True)
        (folder / "rules.md").write_text(f"# 结算\n{rule}", encoding="utf-8")
        kb = index_folder(get_settings(), folder)
    assert [f.path for f in kb.manifest.files()] == [str((tmp_path / "new" / "kb" / "rules.md").resolve())]
    assert not any("十日" in c.text for c in kb.manifest.all_chunks())


def test_a_small_limit_still_covers_every_kind() -> None:
    loaded = load_set(REPO / "evals" / "datasets" / "sample.jsonl")
    tasks = [Task("sample", "samples", c) for c in loaded.cases]
    kinds = {t.case.kind for t in tasks}
    picked = stratified(tasks, len(kinds))
    assert {t.case.kind for t in picked} == kinds and len(picked) == len(kinds)


class FakeLedger:
    """The commission service as a KOC sees it (only what ``expected_figures`` reads)."""

    def earnings(self, koc: str = "me", month: str | None = None) -> dict:
        if month == "2026-10":
            return {"period": "2026-10", "total_cents": 17625, "by_status": {}}
        return {"period": "2026-11", "total_cents": 2298, "override_commission_cents": 51343,
                "by_status": {"pending_cents": 2350, "reversed_cents": -6111},
                "next_settlement": {"amount_cents": 27346}}

    def estimate(self, product: str, quantity: int) -> dict:
        return {"commission_cents": 8257 if (product, quantity) == ("NH-SUN-01", 3) else 1}

    def tier_progress(self, koc: str = "me") -> dict:
        return {"next_tier": {"tier": "starlight"}, "criteria": [
            {"criterion": "posts", "met": False, "missing": 3},
            {"criterion": "net_sales_cents", "met": False, "missing_cents": 117500},
            {"criterion": "fans", "met": True, "missing": 0}]}

    def competition(self, koc: str = "me") -> dict:
        return {"rank": 182}

    def trials(self, koc: str = "me") -> dict:
        return {"slots_left_this_month": 1}


def personal(question: str, tool: str, **kw: object) -> Case:
    return Case(id="p", kind="personal", lang="zh-CN", koc_id=12, question=question, tool=tool, **kw)


@pytest.mark.parametrize(("question", "tool", "args", "figures"), [
    ("我这个月的佣金收入有多少？", "get_my_earnings", {}, ["22.98"]),
    ("上個月我一共拿了多少佣金？", "get_my_earnings", {}, ["176.25"]),
    ("这个月被退了两单，佣金被扣了多少？", "get_my_earnings", {}, ["-61.11"]),
    ("When is my next payout, and how much is still pending?", "get_my_earnings", {}, ["23.50", "273.46"]),
    ("How much override commission did my recruits bring me?", "get_my_earnings", {}, ["513.43"]),
    ("卖3瓶晴空轻透防晒乳能拿多少？", "estimate_commission", {"product": "NH-SUN-01", "quantity": 3}, ["82.57"]),
    ("离下一级还差什么？", "get_my_tier_progress", {}, ["3", "1175.00"]),
    ("我排第几？", "get_my_competition_rank", {}, ["182"]),
    ("我这个月还剩几个测评名额？", "get_my_trials", {}, ["1"]),
    ("我的测评什么时候截止？", "get_my_trials", {}, []),
    ("有哪些防晒商品？", "search_products", {}, []),
])
def test_expected_figures_follow_the_question(question: str, tool: str, args: dict, figures: list[str]) -> None:
    got = expected_figures(personal(question, tool, tool_args=args), FakeLedger())  # type: ignore[arg-type]
    assert got == [Decimal(f) for f in figures]


def test_previous_month_wraps_the_year() -> None:
    assert previous_month("2026-01") == "2025-12" and previous_month("2026-11") == "2026-10"


def test_identities_and_secrets_per_asker() -> None:
    people = People.from_demo_json({"hq": {"token": "hq_x"}, "kocs": [
        {"id": 12, "name": "刘宇航", "token": "koc_12"}, {"id": 25, "name": "潘晓芸", "token": "koc_25"}]})
    people.other_names[26] = "沈玉洁"
    koc = people.identity(Case(id="a", kind="attack", lang="zh-CN", question="q", koc_id=25))
    assert koc.koc_id == 25 and koc.token == "koc_25"
    assert people.identity(Case(id="a", kind="attack", lang="zh-CN", question="q", role="anonymous")) is None
    hq = people.identity(Case(id="a", kind="rules", lang="zh-CN", question="q", role="hq", facts=[["x"]]))
    assert hq.role == "hq" and hq.token == "hq_x"
    assert set(people.secrets_for(koc)) == {"hq_x", "koc_12", "koc_25", "刘宇航", "沈玉洁"}
    assert set(people.secrets_for(hq)) == {"hq_x", "koc_12", "koc_25"}
    default = people.identity(Case(id="a", kind="attack", lang="zh-CN", question="q"))
    assert default.koc_id == 12  # a KOC case without koc_id is asked by the first featured demo KOC
