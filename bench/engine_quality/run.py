"""Reviewer-expertise benchmark (Stelmakh et al., 2023): cross-validated over reviewers.

Converts each of the ten ``d_20_x`` versions of the development split into the batch
command's JSON Lines (profiles = reviewers' papers with title and abstract and no ``lang``,
queries = rated papers, pairs = the rated pairs) and scores them through the command's own
code path (``score_files``), once for the command's defaults exactly as
``sangsaeng engine score --profiles --queries --pairs --out`` runs them, and once for every
candidate configuration that the defaults were chosen from.

The headline is the cross-validated loss of that choice (protocol.py): in each of 5 folds x
10 seeds over the 29 reviewers, the candidate with the lowest loss on the training
reviewers scores the held-out ones; the held-out losses are pooled, with a 95% bootstrap
interval over reviewers. Each candidate's own loss on all 29 is *in-sample*: it is shown
only labelled so. The published systems' losses are their own published predictions on
these 29 reviewers (README of the data); their per-reviewer predictions are not part of
the data folder, so they appear without folds or intervals.

    .venv/bin/python bench/engine_quality/run.py [--data DIR] [--work DIR] [--quick]

Embeddings are cached by text hash under --work, so a second run costs minutes, not hours.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from protocol import (
    FOLDS,
    SEEDS,
    VERSIONS,
    bootstrap_interval,
    cross_validate,
    default_data,
    denominators,
    paired_difference,
    read_archive,
    read_ratings,
    read_submissions,
    reviewer_loss_parts,
)

from sangsaeng.engine.commands.score import score_files
from sangsaeng.engine.embedders import (
    DEFAULT_BATCH_EMBEDDER,
    CachedEmbedder,
    Embedder,
    EnglishAndMultilingual,
    create_embedder,
)
from sangsaeng.engine.scoring import ScoringConfig, candidate_configs, tuned_config

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PUBLISHED = {
    "ELMo": 0.314,
    "ACL paper matching": 0.272,
    "TPMS (TF-IDF)": 0.251,
    "SPECTER": 0.249,
    "SPECTER + MFR": 0.216,
}


def _paper_document(paper: dict) -> dict:
    """A paper as the command reads it: title and abstract, no language given."""
    content = paper["content"]
    return {
        "id": paper["id"],
        "title": content.get("title") or "",
        "text": content.get("abstract") or "",
    }


def convert(data: Path, version: str, ratings: dict, folder: Path) -> dict[str, Path]:
    """Write one version as the command's profiles, queries and pairs files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name}.jsonl" for name in ("profiles", "queries", "pairs")}
    with open(paths["profiles"], "w", encoding="utf-8") as out:
        for reviewer in sorted(ratings):
            documents = [_paper_document(p) for p in read_archive(data, version, reviewer)]
            out.write(json.dumps({"id": reviewer, "documents": documents}) + "\n")
    submissions = read_submissions(data, version)
    rated = {paper for papers in ratings.values() for paper in papers}
    with open(paths["queries"], "w", encoding="utf-8") as out:
        for paper_id in sorted(rated):
            out.write(json.dumps(_paper_document(submissions[paper_id])) + "\n")
    with open(paths["pairs"], "w", encoding="utf-8") as out:
        for reviewer, papers in sorted(ratings.items()):
            for paper_id in papers:
                out.write(json.dumps({"query": paper_id, "profile": reviewer}) + "\n")
    return paths


def score_version(paths: dict[str, Path], out: Path, **options) -> dict[tuple[str, str], float]:
    code = score_files(
        profiles_path=paths["profiles"],
        queries_path=paths["queries"],
        pairs_path=paths["pairs"],
        out_path=out,
        **options,
    )
    if code != 0:
        raise SystemExit(f"the score command failed on {paths['pairs'].parent} (exit {code})")
    with open(out, encoding="utf-8") as lines:
        return {(line["query"], line["profile"]): line["score"] for line in map(json.loads, lines)}


def numerators(ratings: dict, scores: dict[tuple[str, str], float]) -> np.ndarray:
    return np.array(
        [
            reviewer_loss_parts(rated, lambda paper, r=reviewer: scores[(paper, r)])[0]
            for reviewer, rated in ratings.items()
        ]
    )


def evaluate(
    name: str, data: Path, work: Path, ratings: dict, options: Callable[[], dict]
) -> tuple[np.ndarray, list[float]]:
    """Per-reviewer numerators (mean over versions) and the loss of each version."""
    dens = denominators(ratings)
    started = time.perf_counter()
    total = np.zeros(len(ratings))
    per_version = []
    for version in VERSIONS:
        paths = convert(data, version, ratings, work / "files" / version)
        scores = score_version(paths, work / "scores" / name / f"{version}.jsonl", **options())
        version_numerators = numerators(ratings, scores)
        total += version_numerators
        per_version.append(float(version_numerators.sum() / dens.sum()))
    print(
        f"  scored {name} ({time.perf_counter() - started:.0f} s): in-sample "
        f"{total.sum() / len(VERSIONS) / dens.sum():.4f}",
        file=sys.stderr,
        flush=True,
    )
    return total / len(VERSIONS), per_version


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data(REPO))
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument(
        "--quick", action="store_true", help="only the command's defaults, no candidates"
    )
    args = parser.parse_args()
    data = args.data.resolve()
    if not (data / "evaluations-dev.tsv").exists():
        print(f"no reviewer-expertise data in {data}", file=sys.stderr)
        return 2
    ratings = read_ratings(data)
    dens = denominators(ratings)
    embedders: dict[str, CachedEmbedder] = {}

    def single(model: str) -> CachedEmbedder:
        if model not in embedders:
            embedders[model] = CachedEmbedder(
                create_embedder(model), args.work / f"embeddings-{model}.npz"
            )
        return embedders[model]

    def cached(model: str) -> Embedder:
        """The model, its vectors remembered by text hash (the same vectors either way)."""
        if model == "minilm-use":
            return EnglishAndMultilingual(single("minilm"), single("use"))
        return single(model)

    # 1. The command's defaults, exactly as `sangsaeng engine score` runs them (its embedder
    #    and its config; the cache only saves recomputing the same vectors).
    default_model = DEFAULT_BATCH_EMBEDDER
    default_numerators, default_versions = evaluate(
        "command defaults",
        data,
        args.work,
        ratings,
        lambda: {"embedder": lambda: cached(default_model), "config": None},
    )
    for embedder in embedders.values():
        embedder.save()

    # 2. Every candidate the defaults were chosen from, then the choice cross-validated.
    candidates: dict[str, np.ndarray] = {}
    versions: dict[str, list[float]] = {}
    if not args.quick:
        for name, (model, config) in candidate_configs().items():
            candidates[name], versions[name] = evaluate(
                name,
                data,
                args.work,
                ratings,
                lambda model=model, config=config: {
                    "embedder": lambda: cached(model),
                    "config": config,
                },
            )
            for embedder in embedders.values():
                embedder.save()

    print("\nReviewer-expertise development split: 29 reviewers, 10 versions (d_20_1..10)")
    print("loss = weighted share of mis-ordered pairs (lower is better); 95% bootstrap")
    print("intervals over reviewers\n")
    if candidates:
        result = cross_validate(candidates, dens)
        low, high = bootstrap_interval(result.numerators, dens)
        print(
            f"CROSS-VALIDATED ({FOLDS} folds x {SEEDS} seeds, chosen on training reviewers "
            f"among {len(candidates)} candidates):"
        )
        print(f"  held-out loss {result.loss(dens):.4f}  [{low:.3f}, {high:.3f}]")
        print("  chosen: " + ", ".join(f"{k} x{v}" for k, v in sorted(result.chosen.items())))
        on_all = min(candidates, key=lambda name: candidates[name].sum())
        print(
            f"  the same choice on all 29 reviewers: {on_all} (the command's default: "
            f"{DEFAULT_BATCH_EMBEDDER}, {tuned_config(DEFAULT_BATCH_EMBEDDER).describe()})"
        )
        # The previous engine's procedure: USE, its BM25 weight chosen the same way.
        previous = cross_validate(
            {name: values for name, values in candidates.items() if name.startswith("use,")},
            dens,
        )
        low, high = bootstrap_interval(previous.numerators, dens)
        diff, dlow, dhigh = paired_difference(result.numerators, previous.numerators, dens)
        print(
            f"  the same for USE alone (the previous engine): {previous.loss(dens):.4f} "
            f"[{low:.3f}, {high:.3f}]; difference {diff:+.4f} [{dlow:+.3f}, {dhigh:+.3f}]"
        )
        print()
    low, high = bootstrap_interval(default_numerators, dens)
    label = f"command defaults ({default_model}, {default_config_name()})"
    print(f"{'system':<60} {'loss':>7}  interval")
    for name, value in PUBLISHED.items():
        print(f"{'published: ' + name:<60} {value:>7.3f}  (no per-reviewer predictions here)")
    print(
        f"{label + ', in-sample':<60} {default_numerators.sum() / dens.sum():>7.4f}  "
        f"[{low:.3f}, {high:.3f}]"
    )
    for name, values in candidates.items():
        low, high = bootstrap_interval(values, dens)
        print(
            f"{'candidate, in-sample: ' + name:<60} {values.sum() / dens.sum():>7.4f}  "
            f"[{low:.3f}, {high:.3f}]"
        )
    print("\nper version (in-sample):")
    header = "".join(f"{v.removeprefix('d_20_'):>7}" for v in VERSIONS)
    print(f"{'':<44}{header}")
    rows = {"command defaults": default_versions, **versions}
    for name, values in rows.items():
        print(f"{name[:43]:<44}" + "".join(f"{v:>7.3f}" for v in values))
    return 0


def default_config_name() -> str:
    config: ScoringConfig = tuned_config(DEFAULT_BATCH_EMBEDDER)
    return config.describe()


if __name__ == "__main__":
    sys.exit(main())
