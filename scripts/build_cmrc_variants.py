"""Build the tuning variants of CMRC 2018 trial as SQuAD files: English questions over its Chinese
paragraphs, and its own Chinese questions, each with near-miss questions the paragraph does not
answer (SQuAD 2.0 ``is_impossible``).

Only the questions written for this project are kept in the repository
(``evals/datasets/cmrc-trial-variants.jsonl``: translations, near misses, and references to the
CMRC questions they stand for); paragraphs, original questions and answer spans are read from the
shared benchmark file when the variants are built, so no CMRC text is copied into the project.
CMRC 2018 is CC BY-SA 4.0 (Cui et al., EMNLP-IJCNLP 2019); the translated questions are derived from
it and shared under the same licence.

    .venv/bin/python scripts/build_cmrc_variants.py [--out DIR]
    koc eval run --squad DIR/cmrc-trial-en.json --holdout-every 4
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "evals" / "datasets" / "cmrc-trial-variants.jsonl"
TRIAL = ROOT.parent / "shared" / "benchmarks" / "cmrc2018_trial.json"


def build(trial: Path, variants: Path, out: Path) -> list[Path]:
    """Write ``cmrc-trial-<lang>.json`` for each language of ``variants`` into ``out``."""
    source = json.loads(trial.read_text(encoding="utf-8"))
    paragraphs = {p["id"]: p for article in source["data"] for p in article["paragraphs"]}
    original = {qa["id"]: qa for p in paragraphs.values() for qa in p["qas"]}
    rows = [json.loads(line) for line in variants.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for lang in sorted({r["lang"] for r in rows}):
        order: list[str] = []
        qas: dict[str, list[dict]] = {}
        for row in (r for r in rows if r["lang"] == lang):
            if row["paragraph"] not in qas:
                order.append(row["paragraph"])
                qas[row["paragraph"]] = []
            if row["unanswerable"]:
                qas[row["paragraph"]].append({"id": row["id"], "question": row["question"], "answers": [], "is_impossible": True})
                continue
            asked = original[row["asks"]]
            qas[row["paragraph"]].append({"id": row["id"], "question": row["question"] or asked["question"],
                                          "answers": asked["answers"]})
        data = [{"title": pid, "paragraphs": [{"id": pid, "context": paragraphs[pid]["context"], "qas": qas[pid]}]}
                for pid in order]
        path = out / f"cmrc-trial-{lang}.json"
        path.write_text(json.dumps({"version": f"variants-{lang}", "data": data}, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trial", type=Path, default=TRIAL, help="CMRC 2018 trial file (SQuAD format)")
    parser.add_argument("--out", type=Path, default=ROOT / ".koc" / "variants", help="folder for the built files")
    args = parser.parse_args()
    for path in build(args.trial, VARIANTS, args.out):
        print(path)


if __name__ == "__main__":
    main()
