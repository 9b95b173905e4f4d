"""Any SQuAD-format file as an answer set: ``koc eval run --squad FILE [--limit N] [--holdout-every K]``.

Every distinct paragraph is a document. Every K-th paragraph (by index: the K-th, 2K-th, …;
deterministic, no randomness) is left out of the index, so its questions must be refused; the
questions of the indexed paragraphs must be answered with a gold answer span in the answer
(``answer_contains``). SQuAD 2.0 questions without an answer are refusal cases too. ``--limit N``
keeps the first N distinct paragraphs. The same reader serves ``koc bench retrieval``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from base.language import detect_language
from evals.cases import Case
from evals.tasks import Task
from knowledge.chunker import chunk_text

DEFAULT_HOLDOUT_EVERY = 4


@dataclass(frozen=True)
class SquadQuestion:
    """One question, its gold answer texts, and the index of the paragraph it was asked about."""

    id: str
    question: str
    answers: tuple[str, ...]
    paragraph: int


@dataclass(frozen=True)
class SquadFile:
    """Distinct, whitespace-normalised paragraphs and the questions in file order."""

    name: str
    paragraphs: list[str]
    questions: list[SquadQuestion]


def read_squad(path: Path, limit: int | None = None) -> SquadFile:
    """The first ``limit`` distinct paragraphs of a SQuAD v1/v2 JSON file and their questions
    (a repeated context is one paragraph; its questions all point to the first copy)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    articles = data["data"] if isinstance(data, dict) else data
    index: dict[str, int] = {}
    paragraphs: list[str] = []
    questions: list[SquadQuestion] = []
    for article in articles:
        for para in article.get("paragraphs", []):
            text = chunk_text(para.get("context", ""), 1_000_000, 0)
            if not text:
                continue
            ctx = text[0]
            if ctx not in index:
                if limit is not None and len(paragraphs) >= limit:
                    continue
                index[ctx] = len(paragraphs)
                paragraphs.append(ctx)
            for n, qa in enumerate(para.get("qas", [])):
                q = (qa.get("question") or "").strip()
                if not q:
                    continue
                answers = tuple(dict.fromkeys(a["text"].strip() for a in qa.get("answers", []) if a.get("text", "").strip()))
                questions.append(SquadQuestion(str(qa.get("id") or f"p{index[ctx]}-q{n}"), q, answers, index[ctx]))
    if not paragraphs or not questions:
        raise ValueError(f"{path}: no paragraphs with questions (is it SQuAD format?)")
    return SquadFile(path.stem, paragraphs, questions)


def held_out(paragraph: int, every: int) -> bool:
    """Whether paragraph ``paragraph`` (0-based) is left out of the index: the K-th, 2K-th, … (K = ``every``; 0 = none)."""
    return every > 0 and paragraph % every == every - 1


def document_name(paragraph: int) -> str:
    return f"p{paragraph:05d}.txt"


def write_documents(squad: SquadFile, folder: Path, every: int) -> list[Path]:
    """Write the indexed paragraphs as ``pNNNNN.txt`` into ``folder`` and delete any other file there
    (so an incremental ingest with pruning indexes exactly this split)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {document_name(i): text for i, text in enumerate(squad.paragraphs) if not held_out(i, every)}
    for stale in folder.iterdir():
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    written = []
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def squad_tasks(squad: SquadFile, every: int) -> list[Task]:
    """One task per question: answer with a gold span (indexed paragraph) or refuse (held out / no answer)."""
    tasks = []
    seen: set[str] = set()
    for q in squad.questions:
        case_id = q.id if q.id not in seen else f"{q.id}#{len(seen)}"
        seen.add(case_id)
        answerable = bool(q.answers) and not held_out(q.paragraph, every)
        case = Case(id=case_id, kind="rules" if answerable else "refuse", question=q.question[:2000],
                    lang=detect_language(q.question), role="anonymous",
                    facts=[list(q.answers)] if answerable else [], sources=[document_name(q.paragraph)] if answerable else [],
                    notes="held out of the index" if held_out(q.paragraph, every) else "")
        tasks.append(Task(set_name=f"squad:{squad.name}", knowledge_base=squad.name, case=case, spans=q.answers, squad=True))
    return tasks
