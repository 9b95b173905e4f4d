"""SQuAD files as answer sets: the hold-out split is deterministic and decides what must be refused."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from evals.squad import document_name, held_out, read_squad, squad_tasks, write_documents
from tests.conftest import SHARED_BENCHMARKS


def tiny_squad(path: Path, paragraphs: int = 8) -> Path:
    paras = [{"context": f"第{i}段：青禾的第{i}号规则是每月{i + 1}日结算。",
              "qas": [{"id": f"q{i}", "question": f"第{i}号规则几号结算？", "answers": [{"text": f"{i + 1}日", "answer_start": 0}]}]}
             for i in range(paragraphs)]
    paras.append({"context": "第0段：青禾的第0号规则是每月1日结算。",  # a repeated context is the same paragraph
                  "qas": [{"id": "dup", "question": "又问第0号规则？", "answers": [{"text": "1日"}]}]})
    paras.append({"context": "没有答案的段落。", "qas": [{"id": "v2", "question": "不可回答？", "answers": [],
                                                   "is_impossible": True}]})
    path.write_text(json.dumps({"version": "v2.0", "data": [{"title": "t", "paragraphs": paras}]}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_every_kth_paragraph_is_held_out_by_index() -> None:
    assert [i for i in range(12) if held_out(i, 4)] == [3, 7, 11]
    assert not any(held_out(i, 0) for i in range(12))
    assert [i for i in range(5) if held_out(i, 1)] == [0, 1, 2, 3, 4]


def test_split_is_deterministic_and_decides_the_kind(tmp_path: Path) -> None:
    squad = read_squad(tiny_squad(tmp_path / "s.json"))
    assert len(squad.paragraphs) == 9 and squad.questions[8].paragraph == 0  # the duplicate maps to paragraph 0
    first, again = squad_tasks(squad, 4), squad_tasks(read_squad(tmp_path / "s.json"), 4)
    assert [(t.case.id, t.case.kind) for t in first] == [(t.case.id, t.case.kind) for t in again]
    kinds = {t.case.id: t.case.kind for t in first}
    assert kinds["q3"] == kinds["q7"] == "refuse"  # paragraphs 3 and 7 are held out
    assert kinds["q0"] == kinds["q4"] == kinds["dup"] == "rules"
    assert kinds["v2"] == "refuse"  # SQuAD 2.0: no answer, must refuse
    q2 = next(t for t in first if t.case.id == "q2")
    assert q2.squad and q2.spans == ("3日",) and q2.case.sources == [document_name(2)] and q2.case.role == "anonymous"
    assert next(t for t in first if t.case.id == "q3").case.sources == []


def test_limit_keeps_the_first_distinct_paragraphs(tmp_path: Path) -> None:
    squad = read_squad(tiny_squad(tmp_path / "s.json"), limit=3)
    assert len(squad.paragraphs) == 3 and {q.id for q in squad.questions} == {"q0", "q1", "q2", "dup"}


def test_documents_are_exactly_the_indexed_paragraphs(tmp_path: Path) -> None:
    squad = read_squad(tiny_squad(tmp_path / "s.json"))
    folder = tmp_path / "docs"
    (folder).mkdir()
    (folder / "stale.txt").write_text("old", encoding="utf-8")
    write_documents(squad, folder, 4)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [document_name(i) for i in range(9) if i not in (3, 7)]
    write_documents(squad, folder, 0)
    assert len(list(folder.iterdir())) == 9


def test_cmrc_variants_build_from_the_shared_trial_file(tmp_path: Path) -> None:
    """The committed variants hold only the questions written for the project; built against the
    shared CMRC trial file, every answerable question keeps a gold span found in its paragraph and
    every near miss is a SQuAD 2.0 question without an answer."""
    spec = importlib.util.spec_from_file_location("build_cmrc_variants", Path(__file__).resolve().parents[2] / "scripts" / "build_cmrc_variants.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    paths = builder.build(SHARED_BENCHMARKS / "cmrc2018_trial.json", builder.VARIANTS, tmp_path)
    assert [p.name for p in paths] == ["cmrc-trial-en.json", "cmrc-trial-zh.json"]
    for path in paths:
        squad = read_squad(path)
        assert len(squad.paragraphs) == 60
        answerable = [q for q in squad.questions if q.answers]
        assert len(answerable) == 168 and len(squad.questions) - len(answerable) == 60
        assert all(any(a in squad.paragraphs[q.paragraph] for a in q.answers) for q in answerable)
