"""Reviewer assignment benchmark: conference scale, and min-cost flow against a plain MILP.

    .venv/bin/python bench/assignment/bench_reviewers.py scale --items 10000 --reviewers 10000
    .venv/bin/python bench/assignment/bench_reviewers.py compare --sizes 200 500 1000
    .venv/bin/python bench/assignment/bench_reviewers.py cli --items 10000 --reviewers 10000
    .venv/bin/python bench/assignment/bench_reviewers.py programs --items 1000 --reviewers 800

``programs`` is a support-program call end to end through ``sangsaeng engine assign``: every
pair scored (dense affinities unless ``--top-k`` is smaller than the reviewers), 2% of pairs
conflicted, each reviewer bidding on 20 items among their best (30% eager, 50% willing, 20% not
willing), and 3 alternates kept per item.

Affinities are synthetic but shaped like the engine's: items and reviewers get topic vectors,
the score is their cosine similarity plus noise, and only each item's top-k reviewers are kept
(sparse, as a top-200 retrieval would give). Each solve runs in a fresh child process so that
its peak resident memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from sangsaeng.engine.assignment import AffinityMatrix, Item, Reviewer, assign_reviewers

OUT = Path(__file__).resolve().parents[2] / "bench" / "out"


def make_instance(
    item_count: int, reviewer_count: int, top_k: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dimension = 32
    item_topics = rng.normal(size=(item_count, dimension)).astype(np.float32)
    reviewer_topics = rng.normal(size=(reviewer_count, dimension)).astype(np.float32)
    item_topics /= np.linalg.norm(item_topics, axis=1, keepdims=True)
    reviewer_topics /= np.linalg.norm(reviewer_topics, axis=1, keepdims=True)
    top_k = min(top_k, reviewer_count)
    rows, columns, scores = [], [], []
    for start in range(0, item_count, 1000):
        block = item_topics[start : start + 1000] @ reviewer_topics.T
        block += rng.normal(scale=0.05, size=block.shape).astype(np.float32)
        best = np.argpartition(-block, top_k - 1, axis=1)[:, :top_k]
        rows.append(np.repeat(np.arange(start, start + len(block)), top_k))
        columns.append(best.ravel())
        scores.append(np.round(np.take_along_axis(block, best, axis=1).ravel(), 4))
    return (
        np.concatenate(rows).astype(np.int64),
        np.concatenate(columns).astype(np.int64),
        np.concatenate(scores).astype(np.float64),
    )


def _solve_in_child(arguments: tuple) -> dict:
    item_count, reviewer_count, top_k, seed, per_item, load, objective, method = arguments
    rows, columns, scores = make_instance(item_count, reviewer_count, top_k, seed)
    memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if method == "flow":
        items = [Item(f"i{i}", per_item, per_item) for i in range(item_count)]
        reviewers = [Reviewer(f"r{r}", load) for r in range(reviewer_count)]
        result = assign_reviewers(
            items, reviewers, AffinityMatrix(rows, columns, scores), objective=objective
        )
        total, minimum = result.total_affinity, result.minimum_pair_affinity
        status = result.status
    else:
        total, minimum, status = _solve_milp(
            rows, columns, scores, item_count, reviewer_count, per_item, load
        )
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "items": item_count,
        "reviewers": reviewer_count,
        "pairs": len(scores),
        "method": method,
        "objective": objective,
        "status": status,
        "total_affinity": round(total, 6),
        "minimum_pair_affinity": round(minimum, 6),
        "solve_seconds": round(seconds, 2),
        "peak_rss_mib": round(peak_mib),
        "instance_rss_mib": round(memory_before / 1024),
    }


def _solve_milp(rows, columns, scores, item_count, reviewer_count, per_item, load):
    """The same problem as a plain binary integer program, solved by HiGHS (scipy.milp)."""
    pair_count = len(scores)
    by_item = csr_array(
        (np.ones(pair_count), (rows, np.arange(pair_count))), shape=(item_count, pair_count)
    )
    by_reviewer = csr_array(
        (np.ones(pair_count), (columns, np.arange(pair_count))),
        shape=(reviewer_count, pair_count),
    )
    result = milp(
        c=-scores,
        constraints=[
            LinearConstraint(by_item, per_item, per_item),
            LinearConstraint(by_reviewer, 0, load),
        ],
        integrality=np.ones(pair_count),
        bounds=Bounds(0, 1),
    )
    if not result.success:
        return float("nan"), float("nan"), result.message
    chosen = result.x > 0.5
    return float(scores[chosen].sum()), float(scores[chosen].min()), "optimal"


def run_child(arguments: tuple) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_solve_in_child, (arguments,))


def scale(options: argparse.Namespace) -> None:
    for objective in options.objectives:
        row = run_child(
            (
                options.items,
                options.reviewers,
                options.top_k,
                options.seed,
                options.per_item,
                options.load,
                objective,
                "flow",
            )
        )
        print(json.dumps(row), flush=True)


def compare(options: argparse.Namespace) -> None:
    for size in options.sizes:
        rows = [
            run_child(
                (
                    size,
                    size,
                    options.top_k,
                    options.seed,
                    options.per_item,
                    options.load,
                    "total",
                    method,
                )
            )
            for method in ("flow", "milp")
        ]
        for row in rows:
            print(json.dumps(row), flush=True)
        same = abs(rows[0]["total_affinity"] - rows[1]["total_affinity"]) <= 1e-6 * max(
            1.0, abs(rows[1]["total_affinity"])
        )
        print(json.dumps({"items": size, "same_objective": same}), flush=True)


def cli(options: argparse.Namespace) -> None:
    """End to end through JSON Lines: write the files, run the command, time it."""
    rows, columns, scores = make_instance(
        options.items, options.reviewers, options.top_k, options.seed
    )
    folder = OUT / f"assign-{options.items}x{options.reviewers}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "items.jsonl", "w") as handle:
        handle.writelines(json.dumps({"id": f"i{i}"}) + "\n" for i in range(options.items))
    with open(folder / "reviewers.jsonl", "w") as handle:
        handle.writelines(
            json.dumps({"id": f"r{r}", "max_load": options.load}) + "\n"
            for r in range(options.reviewers)
        )
    with open(folder / "scores.jsonl", "w") as handle:
        handle.writelines(
            f'{{"query":"i{i}","profile":"r{r}","score":{s}}}\n'
            for i, r, s in zip(rows.tolist(), columns.tolist(), scores.tolist(), strict=True)
        )
    for objective in options.objectives:
        command = [
            str(Path(sys.executable).with_name("sangsaeng")),
            "engine",
            "assign",
            "--affinity",
            str(folder / "scores.jsonl"),
            "--reviewers",
            str(folder / "reviewers.jsonl"),
            "--items",
            str(folder / "items.jsonl"),
            "--objective",
            objective,
            "--out",
            str(folder / f"assignment-{objective}.jsonl"),
        ]
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = {}
        if completed.returncode == 0:
            last = (folder / f"assignment-{objective}.jsonl").read_text().rstrip().rsplit("\n", 1)
            summary = json.loads(last[-1])["summary"]
        print(
            json.dumps(
                {
                    "command": "sangsaeng engine assign",
                    "objective": objective,
                    "exit_code": completed.returncode,
                    "wall_seconds": round(seconds, 2),
                    "peak_rss_mib_max_child_so_far": round(peak),
                    "summary": summary,
                    "stderr": completed.stderr[-500:],
                }
            ),
            flush=True,
        )


def programs(options: argparse.Namespace) -> None:
    """A support-program call through the command: conflicts, bids and alternates."""
    top_k = min(options.top_k, options.reviewers) if options.top_k else options.reviewers
    rows, columns, scores = make_instance(options.items, options.reviewers, top_k, options.seed)
    rng = np.random.default_rng(options.seed + 1)
    folder = OUT / f"programs-{options.items}x{options.reviewers}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "items.jsonl", "w") as handle:
        handle.writelines(json.dumps({"id": f"app-{i}"}) + "\n" for i in range(options.items))
    with open(folder / "reviewers.jsonl", "w") as handle:
        handle.writelines(
            json.dumps({"id": f"expert-{r}", "max_load": options.load}) + "\n"
            for r in range(options.reviewers)
        )
    with open(folder / "scores.jsonl", "w") as handle:
        handle.writelines(
            f'{{"query":"app-{i}","profile":"expert-{r}","score":{s}}}\n'
            for i, r, s in zip(rows.tolist(), columns.tolist(), scores.tolist(), strict=True)
        )
    conflicted = rng.random(len(scores)) < 0.02
    with open(folder / "conflicts.jsonl", "w") as handle:
        handle.writelines(
            json.dumps({"item": f"app-{i}", "reviewer": f"expert-{r}", "reason": "declared"}) + "\n"
            for i, r in zip(rows[conflicted].tolist(), columns[conflicted].tolist(), strict=True)
        )
    bid_count = 0
    with open(folder / "bids.jsonl", "w") as handle:
        order = np.lexsort((-scores, columns))  # each reviewer's pairs, best first
        by_reviewer = np.split(order, np.flatnonzero(np.diff(columns[order])) + 1)
        for pairs in by_reviewer:
            for k in rng.permutation(pairs[:60])[:20]:
                kind = rng.choice(["eager", "willing", "not_willing"], p=[0.3, 0.5, 0.2])
                handle.write(
                    json.dumps(
                        {"item": f"app-{rows[k]}", "reviewer": f"expert-{columns[k]}", "bid": kind}
                    )
                    + "\n"
                )
                bid_count += 1
    for objective in options.objectives:
        command = [
            str(Path(sys.executable).with_name("sangsaeng")),
            "engine",
            "assign",
            "--affinity",
            str(folder / "scores.jsonl"),
            "--reviewers",
            str(folder / "reviewers.jsonl"),
            "--items",
            str(folder / "items.jsonl"),
            "--conflicts",
            str(folder / "conflicts.jsonl"),
            "--bids",
            str(folder / "bids.jsonl"),
            "--alternates",
            "3",
            "--objective",
            objective,
            "--out",
            str(folder / f"assignment-{objective}.jsonl"),
        ]
        started = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        summary = {}
        if completed.returncode == 0:
            last = (folder / f"assignment-{objective}.jsonl").read_text().rstrip().rsplit("\n", 1)
            summary = json.loads(last[-1])["summary"]
        print(
            json.dumps(
                {
                    "command": "sangsaeng engine assign (conflicts, bids, 3 alternates)",
                    "items": options.items,
                    "reviewers": options.reviewers,
                    "score_lines": len(scores),
                    "conflict_lines": int(conflicted.sum()),
                    "bid_lines": bid_count,
                    "objective": objective,
                    "exit_code": completed.returncode,
                    "wall_seconds": round(seconds, 2),
                    "peak_rss_mib_max_child_so_far": round(
                        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                    ),
                    "summary": summary,
                    "stderr": completed.stderr[-500:],
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="mode", required=True)
    for name in ("scale", "compare", "cli", "programs"):
        sub = commands.add_parser(name)
        sub.add_argument("--items", type=int, default=10_000)
        sub.add_argument("--reviewers", type=int, default=10_000)
        sub.add_argument("--sizes", type=int, nargs="+", default=[200, 500, 1000])
        sub.add_argument("--top-k", type=int, default=200)
        sub.add_argument("--per-item", type=int, default=3)
        sub.add_argument("--load", type=int, default=6)
        sub.add_argument("--seed", type=int, default=20261125)
        sub.add_argument("--objectives", nargs="+", default=["total", "fair"])
    options = parser.parse_args()
    {"scale": scale, "compare": compare, "cli": cli, "programs": programs}[options.mode](options)


if __name__ == "__main__":
    main()
