"""Ranking and budget selection benchmark: 1,000 applications, time and how well each recovers
the true quality.

    .venv/bin/python bench/programs/bench_selection.py --applications 1000 --reviewers 300

Synthetic call: each application has a true quality (normal, mean 70, sd 8 on a 100-point
scale), an amount of 50–300 million won in steps of 10 million and one of four areas; each
is scored by ``--reviews`` reviewers drawn at random. A reviewer has a leniency (normal, sd 6
points), a spread (0.6–1.4 times the quality's deviation from 70) and noise (sd 4 points), and
scores are whole points in 0–100. Reported: seconds for the ranking and each proposal, the
Spearman correlation of each ranking with the true quality, and the true quality funded
(sum over funded applications of quality − 70) for greedy and optimised proposals by each
ranking, with and without a minimum share of 30% for one area.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from scipy.stats import spearmanr

from sangsaeng.engine.selection import (
    FundingApplication,
    ReviewScore,
    rank_applications,
    select_within_budget,
)


def make_call(count: int, reviewer_count: int, reviews_each: int, seed: int):
    rng = np.random.default_rng(seed)
    quality = rng.normal(70, 8, count)
    amounts = rng.integers(5, 31, count) * 10_000_000
    areas = rng.choice(["ai", "fabless", "packaging", "eda"], count, p=[0.4, 0.3, 0.2, 0.1])
    applications = [
        FundingApplication(f"app-{k:04d}", float(amounts[k]), str(areas[k])) for k in range(count)
    ]
    leniency = rng.normal(0, 6, reviewer_count)
    spread = rng.uniform(0.6, 1.4, reviewer_count)
    reviews = []
    for k in range(count):
        for r in rng.choice(reviewer_count, reviews_each, replace=False):
            score = 70 + spread[r] * (quality[k] - 70) + leniency[r] + rng.normal(0, 4)
            reviews.append(
                ReviewScore(
                    applications[k].id, f"expert-{r:03d}", float(np.clip(round(score), 0, 100))
                )
            )
    return applications, reviews, quality


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--reviewers", type=int, default=300)
    parser.add_argument("--reviews", type=int, default=3)
    parser.add_argument("--budget-share", type=float, default=0.15, help="of the total requested")
    parser.add_argument("--max-award", type=float, default=250_000_000)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261125)
    options = parser.parse_args()
    for seed in range(options.seed, options.seed + options.seeds):
        applications, reviews, quality = make_call(
            options.applications, options.reviewers, options.reviews, seed
        )
        true_quality = {a.id: q for a, q in zip(applications, quality, strict=True)}
        budget = round(options.budget_share * sum(a.amount for a in applications), -7)
        started = time.perf_counter()
        ranking = rank_applications(applications, reviews)
        rank_seconds = time.perf_counter() - started
        row: dict[str, object] = {
            "seed": seed,
            "applications": len(applications),
            "reviews": len(reviews),
            "budget": budget,
            "rank_seconds": round(rank_seconds, 3),
            "ties_mean": len(ranking.ties("mean")),
            "ties_normalised": len(ranking.ties("normalised")),
            "reviewers_by_panel": ranking.summary()["reviewers_standardised_by_panel"],
        }
        for by in ("mean", "normalised"):
            scores = [e.score(by) for e in ranking.entries]
            row[f"spearman_{by}"] = round(float(spearmanr(scores, quality).statistic), 4)
        for by in ("mean", "normalised"):
            for method in ("greedy", "optimised"):
                for minimums in (None, {"packaging": 0.3}):
                    if method == "greedy" and minimums:
                        continue
                    started = time.perf_counter()
                    selection = select_within_budget(
                        applications,
                        ranking,
                        budget=budget,
                        max_award=options.max_award,
                        method=method,
                        rank_by=by,
                        area_minimums=minimums,
                        seed=seed,
                    )
                    seconds = time.perf_counter() - started
                    name = f"{method}_{by}" + ("_packaging30" if minimums else "")
                    row[name] = {
                        "seconds": round(seconds, 3),
                        "status": selection.status,
                        "funded": len(selection.funded),
                        "spent_share": round(selection.spent / budget, 4),
                        "true_quality_funded": round(
                            sum(true_quality[d.application] - 70 for d in selection.funded), 1
                        ),
                    }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
