"""Calibrate the "no evidence" threshold for the configured embedding provider.

Ingests the sample knowledge base into a temporary KOC_HOME (the embedding cache is the
configured one, so repeated runs are cheap), scores the top hit of in-domain and
out-of-domain questions (knowledge/calibration.yaml), and prints the threshold that
separates them best (midpoint of the widest gap at the best accuracy). The chosen values
are recorded in knowledge/fusion.py and docs/benchmarks.md.

    python -m knowledge.calibrate [--provider fast]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml

from base.settings import Settings, get_settings
from knowledge.kb import KnowledgeBase

from knowledge import fusion

HERE = Path(__file__).resolve().parent


def evidence_scores(kb, questions: list[str]) -> list[float]:
    w = fusion.dense_weight(kb.model_id, kb.settings.dense_weight)
    out = []
    for q in questions:
        hits = kb.search(q, k=1).hits
        out.append(fusion.weighted(hits[0].dense_score or 0.0, hits[0].lexical_score or 0.0, w) if hits else 0.0)
    return out


def best_threshold(inside: list[float], outside: list[float]) -> tuple[float, float]:
    """(threshold, accuracy): the cut with the best accuracy, centred in its gap."""
    values = sorted(set(inside + outside))
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:])] or values
    best = (0.0, -1.0, 0.0)
    for i, cut in enumerate(cuts):
        acc = (sum(s >= cut for s in inside) + sum(s < cut for s in outside)) / (len(inside) + len(outside))
        gap = (values[i + 1] - values[i]) if i + 1 < len(values) else 0.0
        if (acc, gap) > (best[1], best[2]):
            best = (cut, acc, gap)
    return round(best[0], 3), best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", default="")
    parser.add_argument("--samples", type=Path, default=HERE / "samples")
    args = parser.parse_args()
    base = get_settings()
    questions = yaml.safe_load((HERE / "calibration.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="koc-calibrate-") as tmp:
        settings = Settings(**{**base.model_dump(), "home": Path(tmp), "chroma_url": "",
                               "embed_provider": args.provider or base.embed_provider,
                               "embed_cache": base.embed_cache or base.models_dir.parent / "embed-cache" / "embed_cache.sqlite"})
        kb = KnowledgeBase(settings)
        kb.ingest([args.samples], progress=True)
        inside = evidence_scores(kb, questions["in_domain"])
        outside = evidence_scores(kb, questions["out_of_domain"])
    th, acc = best_threshold(inside, outside)
    print(json.dumps({"model_id": kb.model_id, "threshold": th, "accuracy": acc,
                      "in_domain_min": round(min(inside), 3), "in_domain_median": round(sorted(inside)[len(inside) // 2], 3),
                      "out_of_domain_max": round(max(outside), 3),
                      "out_of_domain_median": round(sorted(outside)[len(outside) // 2], 3),
                      "in_domain": [round(x, 3) for x in inside], "out_of_domain": [round(x, 3) for x in outside]},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
