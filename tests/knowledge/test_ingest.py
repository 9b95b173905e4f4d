"""Incremental ingest: add, unchanged, change, prune, duplicate upload, bad files, model mixing, cache reuse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from knowledge.kb import KnowledgeBase, SourceNotFound
from knowledge.vector_store import EmbeddingModelMismatch


def _index_ids(kb: KnowledgeBase) -> set[str]:
    return set(kb.vectors.collection.get(include=[])["ids"])


def test_first_ingest_then_unchanged_costs_no_embedding(kb: KnowledgeBase, docs: Path) -> None:
    first = kb.ingest([docs])
    assert sorted(first.added_files) == ["products.md", "rules.txt", "shipping.md"]
    assert first.chunks_embedded == first.chunks_added > 0 and not first.errors
    encoded = kb.embeddings.encoded
    again = kb.ingest([docs])
    assert sorted(again.unchanged_files) == ["products.md", "rules.txt", "shipping.md"]
    assert again.chunks_embedded == 0 and kb.embeddings.encoded == encoded
    assert kb.vectors.count() == kb.manifest.chunk_count() == first.chunks_added


def test_changed_file_replaces_exactly_its_chunks(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    before = _index_ids(kb)
    old_products = set(next(f for f in kb.manifest.files() if f.source == "products.md").chunk_list)
    text = (docs / "products.md").read_text(encoding="utf-8").replace("售价 256 元", "售价 299 元")
    (docs / "products.md").write_text(text, encoding="utf-8")
    report = kb.ingest([docs])
    assert report.changed_files == ["products.md"] and sorted(report.unchanged_files) == ["rules.txt", "shipping.md"]
    assert report.chunks_embedded == 1 and report.chunks_removed == 1  # only the 精华 section changed
    new_products = set(next(f for f in kb.manifest.files() if f.source == "products.md").chunk_list)
    assert len(old_products - new_products) == 1 and len(new_products - old_products) == 1
    assert _index_ids(kb) == (before - (old_products - new_products)) | (new_products - old_products)
    hit = kb.search("晨露精华多少钱", k=1).hits[0]
    assert "299" in hit.text


def test_prune_removes_files_that_are_gone(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    rules_chunks = set(next(f for f in kb.manifest.files() if f.source == "rules.txt").chunk_list)
    (docs / "rules.txt").unlink()
    kept = kb.ingest([docs])  # without --prune nothing is removed
    assert kept.removed_files == [] and rules_chunks <= _index_ids(kb)
    pruned = kb.ingest([docs], prune=True)
    assert pruned.removed_files == ["rules.txt"] and pruned.chunks_removed == len(rules_chunks)
    assert not rules_chunks & _index_ids(kb)
    assert all("灯塔" not in h.text for h in kb.search("灯塔KOC测评名额", k=5).hits)


def test_duplicate_upload_creates_no_duplicate_chunks(kb: KnowledgeBase, docs: Path, tmp_path: Path) -> None:
    kb.ingest([docs])
    count = kb.vectors.count()
    copy = tmp_path / "copy-of-rules.txt"
    shutil.copy(docs / "rules.txt", copy)
    report = kb.ingest([copy])
    assert report.added_files == ["copy-of-rules.txt"] and report.chunks_added == 0 and report.chunks_embedded == 0
    assert kb.vectors.count() == count
    hits = kb.search("灯塔KOC测评名额", k=5).hits
    assert len({h.chunk_id for h in hits}) == len(hits)
    # removing one of the two copies keeps the shared chunk; removing the other deletes it
    assert kb.remove("rules.txt") == 0 and kb.vectors.count() == count
    assert kb.search("灯塔KOC测评名额", k=1).hits[0].source == "copy-of-rules.txt"
    assert kb.remove(str(copy)) == 1 and kb.vectors.count() == count - 1


def test_bad_files_are_reported_and_nothing_indexed_is_lost(kb: KnowledgeBase, docs: Path, tmp_path: Path) -> None:
    kb.ingest([docs])
    count = kb.vectors.count()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "junk.md").write_bytes(bytes(range(256)) * 10)
    (bad / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (bad / "good.txt").write_text("绽放KOC每月有一个测评名额。", encoding="utf-8")
    # a file that was fine before and is now corrupt keeps its indexed chunks
    (docs / "rules.txt").write_bytes(b"\x00\x01\x02 binary now")
    report = kb.ingest([bad, docs, tmp_path / "missing.md"])
    errors = {e.source: e.error for e in report.errors}
    assert set(errors) == {"broken.pdf", "empty.txt", "junk.md", "photo.jpg", "rules.txt", str(tmp_path / "missing.md")}
    assert "PDF" in errors["broken.pdf"] and "empty" in errors["empty.txt"] and "unsupported" in errors["photo.jpg"]
    assert report.added_files == ["good.txt"]
    assert kb.vectors.count() == count + 1
    assert any("灯塔" in h.text for h in kb.search("灯塔KOC测评名额", k=3).hits)


def test_size_limit(koc_home: Path, fast_embeddings: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from base.settings import get_settings

    monkeypatch.setenv("KOC_MAX_FILE_MB", "0.01")
    get_settings.cache_clear()
    big = tmp_path / "big.txt"
    big.write_text("很长的文件。" * 5000, encoding="utf-8")
    report = KnowledgeBase().ingest([big])
    assert report.errors and "KOC_MAX_FILE_MB" in report.errors[0].error


def test_index_refuses_to_mix_embedding_models(kb: KnowledgeBase, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from base.settings import get_settings

    kb.ingest([docs])
    monkeypatch.setenv("KOC_EMBED_PROVIDER", "fast")
    get_settings.cache_clear()
    with pytest.raises(EmbeddingModelMismatch, match="cannot be mixed|Use the same"):
        KnowledgeBase()


def test_embedding_cache_is_shared_across_homes(tmp_path: Path, docs: Path, fast_embeddings: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from base.settings import get_settings

    monkeypatch.setenv("KOC_EMBED_CACHE", str(tmp_path / "cache.sqlite"))
    for n, expected_encoded in ((1, None), (2, 0)):
        monkeypatch.setenv("KOC_HOME", str(tmp_path / f"home{n}"))
        get_settings.cache_clear()
        kb = KnowledgeBase()
        report = kb.ingest([docs])
        assert report.chunks_embedded > 0  # each home indexes the chunks...
        if expected_encoded is not None:  # ...but the model runs only the first time
            # the chunks and their sentences (``knowledge.sentences``) all come from the shared cache
            assert kb.embeddings.encoded == expected_encoded and kb.embeddings.cache_hits >= report.chunks_embedded
    get_settings.cache_clear()


def test_list_and_remove_sources(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    sources = {s["source"]: s for s in kb.list_sources()}
    assert sources["products.md"]["doc_type"] == "product" and sources["products.md"]["chunks"] == 2
    assert sources["shipping.md"]["language"] == "en"
    removed = kb.remove("products.md")
    assert removed == 2 and "products.md" not in {s["source"] for s in kb.list_sources()}
    with pytest.raises(SourceNotFound):
        kb.remove("products.md")


def test_state_persists_across_instances(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    fresh = KnowledgeBase()
    assert fresh.search("云朵面霜价格", k=1).hits[0].source == "products.md"
    assert fresh.ingest([docs]).chunks_embedded == 0


def test_brand_dictionary_file_keeps_terms_whole(kb: KnowledgeBase, docs: Path) -> None:
    (docs / "dictionary.txt").write_text("# brand terms\n晴空轻透防晒乳\n", encoding="utf-8")
    kb.ingest([docs])
    tokens = kb.lexical.tokenizer.tokens("晴空輕透防曬乳多少錢")  # Traditional query, normalised to Simplified
    assert "晴空轻透防晒乳" in tokens
    assert "云朵面霜" in kb.lexical.tokenizer.tokens("云朵面霜")  # bold term from the markdown


def test_profile_is_read_at_ingest_and_editable(kb, docs: Path) -> None:
    """The brand's name and contact come from profile.yaml beside the documents; a bad one is reported."""
    from knowledge.profile import KbProfile

    assert kb.profile() == KbProfile()  # nothing given: every field empty
    (docs / "profile.yaml").write_text("brand: 山野\naliases: [Shanye]\ncontact_zh: 企业微信 山野小助手\n", encoding="utf-8")
    report = kb.ingest([docs])
    assert not [e for e in report.errors if e.source == "profile.yaml"]
    assert "profile.yaml" not in [s["source"] for s in kb.list_sources()]  # not a document
    profile = kb.profile()
    assert profile.brand == "山野" and profile.names == ["Shanye", "山野"] and profile.contact_zh
    kb.set_profile(profile.model_copy(update={"contact_en": "the Shanye helper account"}))
    assert kb.profile().contact_en == "the Shanye helper account"
    (docs / "profile.yaml").write_text("brand: [not, a, name]\nslogan: x\n", encoding="utf-8")
    errors = [e for e in kb.ingest([docs]).errors if e.source == "profile.yaml"]
    assert errors and "brand" in errors[0].error and "slogan" in errors[0].error


def test_sentences_are_embedded_once_at_ingest(kb: KnowledgeBase, docs: Path) -> None:
    """The offline responder ranks sentences by their vectors: ingest puts every quotable sentence (and
    the title of a section holding a bare list) in the embedding cache, and a second ingest of unchanged
    files embeds nothing."""
    from knowledge.sentences import embedding_units, section_title, sentence_vectors

    kb.ingest([docs])
    units = [u for c in kb.manifest.all_chunks() for u in embedding_units(c.text, section_title(json.loads(c.heading_path)))]
    assert units and kb.last_sentence_units == len(set(units))
    assert set(sentence_vectors(kb.embeddings, units)) == set(units)
    encoded = kb.embeddings.encoded
    kb.ingest([docs])
    assert kb.embeddings.encoded == encoded


def test_the_main_chinese_script_is_the_one_most_chunks_use(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "a.md").write_text("# 结算\n佣金每月十日结算到微信钱包，冻结期十五天。", encoding="utf-8")
    kb.ingest([folder])
    assert kb.chinese_script == "zh-CN"
    for name in ("b.txt", "c.txt"):
        (folder / name).write_text(f"{name}：傭金每月十日結算到微信錢包，凍結期十五天，請留意帳戶設定與測評規則。", encoding="utf-8")
    kb.ingest([folder])
    assert kb.chinese_script == "zh-TW"  # two Traditional files against one Simplified


def test_a_bare_lists_section_title_is_embedded_with_its_sentences() -> None:
    """"减肥、燃脂、排毒。" means what its title says: the title is embedded with the chunk's sentences, and only
    for a chunk holding such a list (other titles cost nothing at ingest)."""
    from knowledge.sentences import embedding_units

    assert embedding_units("减肥、燃脂、降血糖、排毒。", "禁止使用的功效说法") == ["减肥、燃脂、降血糖、排毒。", "禁止使用的功效说法"]
    assert embedding_units("每篇合作笔记都要写明合作。", "合作标识") == ["每篇合作笔记都要写明合作。"]


def test_a_lists_items_read_with_their_section_title() -> None:
    """Bulleted and numbered lines are items whose subject is their section's title: their sentences read with
    it, and the title is embedded for a chunk that has them; a plain sentence does not."""
    from knowledge.sentences import embedding_units, list_item_sentences, reads_with_title

    text = "报名前请先阅读：\n1. 在小程序里点击申请加入；\n- 上传账号主页截图。"
    items = list_item_sentences(text)
    assert items == {"在小程序里点击申请加入；", "上传账号主页截图。"}
    assert reads_with_title("上传账号主页截图。", items) and not reads_with_title("报名前请先阅读：", items)
    assert embedding_units(text, "注册步骤")[-1] == "注册步骤"
