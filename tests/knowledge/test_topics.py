"""Topics from the knowledge base's own headings, and the uploads folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.examples import example_questions
from knowledge.topics import clean_heading, spread, topics
from knowledge.uploads import UploadError, keep_upload, safe_name


def test_headings_become_topics_questions_first(shared_kb) -> None:
    found = topics(shared_kb.manifest.all_chunks())
    headings = {t.heading for t in found}
    assert "佣金怎么算？" in headings  # a FAQ heading is kept as it is written
    assert all(not h.startswith(("一、", "二、")) for h in headings)  # numbering is layout
    picked = spread(found, 6)
    assert len(picked) == 6 and picked[0].is_question
    assert len({t.source for t in picked}) >= 3  # taken in turn from several documents


def test_examples_are_about_this_knowledge_base_and_what_the_asker_may_read(shared_kb) -> None:
    from knowledge.audience import Viewer
    from tools.identity import Identity

    koc = Identity(role="koc", koc_id=12, token="t", kind="private", tier=None)
    questions = example_questions(shared_kb, None, n=6)
    headings = {t.heading for t in shared_kb.topics()}
    assert len(questions) == 6 and all(any(h in q for h in headings) for q in questions)
    assert len(example_questions(shared_kb, koc, n=6)) == 6
    hidden = {t.heading for t in shared_kb.topics()} - {t.heading for t in shared_kb.topics(Viewer.koc("private"))}
    assert any("潮汐分" in h for h in hidden)  # the HQ-only handbook's headings exist, for HQ only
    many = example_questions(shared_kb, koc, n=200)
    assert not [q for q in many if any(h in q for h in hidden)]


def test_numbering_is_removed() -> None:
    assert clean_heading("二、广告法极限词") == "广告法极限词" and clean_heading("3. Tiers") == "Tiers"


def test_an_upload_stays_inside_the_uploads_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmpfile"
    temp.write_text("x", encoding="utf-8")
    kept = keep_upload(tmp_path / "home", temp, "../../etc/evil.md")
    assert kept == tmp_path / "home" / "uploads" / "evil.md" and kept.read_text(encoding="utf-8") == "x"
    assert safe_name("C:\\docs\\faq.md") == "faq.md"
    with pytest.raises(UploadError):
        safe_name("../")
