"""Reviewer-expertise benchmark (Stelmakh et al., 2023): the engine against published systems.

Converts each of the ten ``d_20_x`` versions of the development split into the batch
command's JSON Lines (profiles = reviewers' papers, queries = rated papers, pairs = the
rated pairs), scores them through the command's own code path (``score_files``), and prints
the loss (README of the data: weighted share of mis-ordered pairs per reviewer, mean over the
ten versions) for the engine's defaults and for BM25-only and dense-only variants.

    .venv/bin/python bench/engine_quality/run.py [--data DIR] [--models use,e5]

Embeddings are cached by text hash under --work, so a second run costs seconds.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from sangsaeng.engine.commands.score import score_files
from sangsaeng.engine.embedders import CachedEmbedder, create_embedder
from sangsaeng.engine.scoring import ScoringConfig, tuned_config

REPO = Path(__file__).resolve().parents[2]
PUBLISHED = {
    "ELMo": 0.314,
    "ACL paper matching": 0.272,
    "TPMS (TF-IDF)": 0.251,
    "SPECTER": 0.249,
    "SPECTER + MFR": 0.216,
}
VERSIONS = [f"d_20_{i}" for i in range(1, 11)]


def read_ratings(data: Path) -> dict[str, dict[str, float]]:
    """Reviewer id -> {paper id: expertise rating}."""
    ratings: dict[str, dict[str, float]] = {}
    with open(data / "evaluations-dev.tsv", encoding="utf-8") as source:
        for row in csv.DictReader(source, delimiter="\t"):
            rated = {}
            for i in range(1, 11):
                paper, rating = row.get(f"Paper{i}"), row.get(f"Expertise{i}")
                if paper and rating:
                    rated[paper] = float(rating)
            ratings[row["ParticipantID"]] = rated
    return ratings


def loss(ratings: dict[str, dict[str, float]], scores: dict[tuple[str, str], float]) -> float:
    """The dataset's loss: pairs weighted by rating difference; ties count half."""
    numerator = denominator = 0.0
    for reviewer, rated in ratings.items():
        for (paper_a, rating_a), (paper_b, rating_b) in itertools.combinations(rated.items(), 2):
            if rating_a == rating_b:
                continue
            weight = abs(rating_a - rating_b)
            denominator += weight
            score_a, score_b = scores[(paper_a, reviewer)], scores[(paper_b, reviewer)]
            if score_a == score_b:
                numerator += weight / 2
            elif (score_a - score_b) * (rating_a - rating_b) < 0:
                numerator += weight
    return numerator / denominator


def _paper_document(paper: dict) -> dict:
    content = paper["content"]
    return {
        "id": paper["id"],
        "title": content.get("title") or "",
        "text": content.get("abstract") or "",
        "lang": "en",
    }


def convert(data: Path, version: str, ratings: dict, folder: Path) -> dict[str, Path]:
    """Write one version as the command's profiles, queries and pairs files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name}.jsonl" for name in ("profiles", "queries", "pairs")}
    with open(paths["profiles"], "w", encoding="utf-8") as out:
        for reviewer in sorted(ratings):
            archive = data / version / "archives" / f"~{reviewer}.jsonl"
            with open(archive, encoding="utf-8") as lines:
                documents = [_paper_document(json.loads(line)) for line in lines if line.strip()]
            out.write(json.dumps({"id": reviewer, "documents": documents}) + "\n")
    with open(data / version / "submissions.json", encoding="utf-8") as source:
        submissions = json.load(source)
    rated = {paper for papers in ratings.values() for paper in papers}
    with open(paths["queries"], "w", encoding="utf-8") as out:
        for paper_id in sorted(rated):
            document = _paper_document(submissions[paper_id])
            query = {"id": paper_id, "title": document["title"], "text": document["text"]}
            out.write(json.dumps(query) + "\n")
    with open(paths["pairs"], "w", encoding="utf-8") as out:
        for reviewer, papers in sorted(ratings.items()):
            for paper_id in papers:
                out.write(json.dumps({"query": paper_id, "profile": reviewer}) + "\n")
    return paths


def evaluate(data: Path, work: Path, embedder, config: ScoringConfig, ratings) -> list[float]:
    """The loss of one configuration on every version."""
    losses = []
    for version in VERSIONS:
        paths = convert(data, version, ratings, work / version)
        out = work / version / "scores.jsonl"
        code = score_files(
            profiles_path=paths["profiles"],
            queries_path=paths["queries"],
            pairs_path=paths["pairs"],
            out_path=out,
            embedder=lambda: embedder,
            config=config,
        )
        if code != 0:
            raise SystemExit(f"the score command failed on {version} (exit {code})")
        with open(out, encoding="utf-8") as lines:
            scores = {
                (line["query"], line["profile"]): line["score"] for line in map(json.loads, lines)
            }
        losses.append(loss(ratings, scores))
    return losses


def variants(default: ScoringConfig) -> dict[str, ScoringConfig]:
    return {
        "engine (defaults)": default,
        "BM25 only": replace(default, sparse_weight=1.0),
        "dense only": replace(default, sparse_weight=0.0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / ".." / "shared/data/reviewer-expertise")
    parser.add_argument("--models", default="use,e5", help="comma-separated: use, e5")
    parser.add_argument("--work", type=Path, default=REPO / "bench/engine_quality/.work")
    args = parser.parse_args()
    data = args.data.resolve()
    if not (data / "evaluations-dev.tsv").exists():
        print(f"no reviewer-expertise data in {data}", file=sys.stderr)
        return 2
    ratings = read_ratings(data)
    rows = []
    for model in args.models.split(","):
        embedder = CachedEmbedder(create_embedder(model), args.work / f"embeddings-{model}.npz")
        for name, config in variants(tuned_config(model)).items():
            started = time.perf_counter()
            losses = evaluate(data, args.work / model, embedder, config, ratings)
            embedder.save()
            rows.append((f"{name}, {model}", statistics.mean(losses), statistics.pstdev(losses)))
            print(
                f"{name:<20} {model:<4} loss {rows[-1][1]:.4f} (sd over versions "
                f"{rows[-1][2]:.4f}; {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    print("\nReviewer-expertise development split (29 reviewers), loss, lower is better")
    print(f"{'system':<34} {'loss':>6}")
    for name, value in PUBLISHED.items():
        print(f"{'published: ' + name:<34} {value:>6.3f}")
    for name, value, _ in rows:
        print(f"{'ours: ' + name:<34} {value:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
