"""Cross-lingual benchmark: Korean needs against English profiles, and the reverse.

``crosslingual.jsonl`` (hand-written) holds 60 one-document profiles of the AI
and fabless-semiconductor domain (30 English, 30 Korean, each on its own subtopic) and one
need per profile written in the *other* language. Every need is searched against all 60
profiles (plus, with ``--distractors``, the English reviewer profiles of the
reviewer-expertise data) and we report recall@1, recall@10 and MRR of its one relevant
profile, per direction, for a grid of the cross-language BM25 weight.

    .venv/bin/python bench/engine_crosslingual/run.py [--models use,e5] [--distractors DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from sangsaeng.engine.embedders import create_embedder
from sangsaeng.engine.index import Document, ExpertiseIndex, Profile, Query
from sangsaeng.engine.scoring import tuned_config

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def load(path: Path) -> tuple[list[Profile], list[dict]]:
    profiles, queries = [], []
    with open(path, encoding="utf-8") as lines:
        for line in map(json.loads, lines):
            if line["kind"] == "profile":
                documents = tuple(
                    Document(d["id"], d["text"], d["title"], d["lang"]) for d in line["documents"]
                )
                profiles.append(Profile(line["id"], documents))
            else:
                queries.append(line)
    return profiles, queries


def distractor_profiles(folder: Path) -> list[Profile]:
    profiles = []
    for archive in sorted((folder / "d_20_1" / "archives").glob("*.jsonl")):
        with open(archive, encoding="utf-8") as lines:
            papers = [json.loads(line) for line in lines if line.strip()]
        documents = tuple(
            Document(p["id"], p["content"].get("abstract") or "", p["content"].get("title") or "")
            for p in papers
        )
        profiles.append(Profile(f"reviewer-{archive.stem}", documents))
    return profiles


def measure(index: ExpertiseIndex, queries: list[dict]) -> dict[str, dict[str, float]]:
    by_direction: dict[str, list[int]] = {}
    for query in queries:
        direction = "ko need -> en profile" if query["lang"] == "ko" else "en need -> ko profile"
        ranked = [
            m.profile_id
            for m in index.search(Query(query["id"], query["text"]), top_k=50, explain=False)
        ]
        relevant = query["relevant"][0]
        by_direction.setdefault(direction, []).append(
            ranked.index(relevant) + 1 if relevant in ranked else 10**6
        )
    return {
        direction: {
            "recall@1": sum(r <= 1 for r in ranks) / len(ranks),
            "recall@10": sum(r <= 10 for r in ranks) / len(ranks),
            "mrr": sum(1 / r for r in ranks) / len(ranks),
        }
        for direction, ranks in by_direction.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "crosslingual.jsonl")
    parser.add_argument("--models", default="use,e5")
    parser.add_argument("--distractors", type=Path, help="reviewer-expertise folder")
    parser.add_argument("--weights", default="0.0,0.1,0.2,0.3,0.5,0.8,1.0")
    args = parser.parse_args()
    profiles, queries = load(args.data)
    if args.distractors:
        profiles += distractor_profiles(args.distractors)
    print(f"{len(profiles)} profiles, {len(queries)} needs")
    for model in args.models.split(","):
        embedder = create_embedder(model)
        tuned = tuned_config(model)
        index = ExpertiseIndex(embedder, tuned)
        index.add_profiles(profiles)
        for weight in [float(w) for w in args.weights.split(",")]:
            # the same vectors and terms, only the mixing weight changes
            index.config = replace(tuned, cross_language_sparse_weight=weight)
            marker = " (tuned default)" if weight == tuned.cross_language_sparse_weight else ""
            for direction, figures in sorted(measure(index, queries).items()):
                print(
                    f"{model:<4} cross-language BM25 weight {weight:.1f}{marker:<16} {direction}: "
                    + "  ".join(f"{k} {v:.3f}" for k, v in figures.items()),
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
