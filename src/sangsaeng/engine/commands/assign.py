"""`sangsaeng engine assign`: reviewers to applications from an affinity file, solved exactly.

Exit codes: 0 assigned, 1 no assignment meets every constraint (the diagnosis is on stderr and
no output is written), 2 bad input (the file, line and reason are on stderr).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from sangsaeng.engine.assignment import (
    OBJECTIVES,
    AffinityMatrix,
    AssignmentInfeasible,
    Conflict,
    Item,
    Reviewer,
    assign_reviewers,
)
from sangsaeng.engine.jsonl import (
    JsonlError,
    field,
    identifier,
    read_jsonl,
    require_known,
    write_jsonl,
)

FORMATS = """\
input lines (JSON Lines, one object per line):
  --affinity   {"query": ITEM, "profile": REVIEWER, "score": 0.83}   (the engine's score lines;
               other keys such as "explanation" are ignored; a pair without a line is not a
               candidate, so top-k affinities keep the problem sparse)
  --reviewers  {"id": "expert-1", "max_load": 6, "min_load": 0}       (min_load optional)
  --items      {"id": "app-1", "min_reviewers": 3, "max_reviewers": 3} (both optional)
  --conflicts  {"item": "app-1", "reviewer": "expert-1", "reason": "same organisation"}
output lines:
  {"item": ..., "reviewer": ..., "score": ...} for every assignment, then
  {"summary": {"objective", "total_affinity", "minimum_item_affinity", "status", ...}}
exit codes: 0 assigned; 1 infeasible (diagnosis on stderr, nothing written); 2 bad input.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assign",
        help="assign expert reviewers to applications (exact, under loads and conflicts)",
        description="Assign reviewers to items so that every item gets between its min and "
        "max reviewers, every reviewer at most max_load (and at least min_load) items, no "
        "conflicted pair is used, and the objective is optimal.",
        epilog=FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--affinity", required=True, metavar="SCORES.jsonl")
    parser.add_argument("--reviewers", required=True, metavar="REVIEWERS.jsonl")
    parser.add_argument("--items", required=True, metavar="ITEMS.jsonl")
    parser.add_argument("--conflicts", metavar="CONFLICTS.jsonl")
    parser.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default="total",
        help="total: maximise the sum of affinities; fair: first maximise the lowest "
        "affinity any item has to accept, then the total (default: total)",
    )
    parser.add_argument(
        "--reviewers-per-item",
        type=int,
        default=3,
        metavar="N",
        help="min and max reviewers of items that do not say (default 3)",
    )
    parser.add_argument("--out", required=True, metavar="ASSIGNMENT.jsonl", help="- for stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        if args.reviewers_per_item < 0:
            raise ValueError("--reviewers-per-item must not be negative")
        reviewers = load_reviewers(args.reviewers)
        items = load_items(args.items, args.reviewers_per_item)
        affinities = load_affinities(args.affinity, items, reviewers)
        conflicts = load_conflicts(args.conflicts, items, reviewers) if args.conflicts else []
        read_seconds = time.perf_counter() - started
        result = assign_reviewers(items, reviewers, affinities, conflicts, objective=args.objective)
    except AssignmentInfeasible as infeasible:
        print(f"sangsaeng engine assign: {infeasible.describe()}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"sangsaeng engine assign: {error}", file=sys.stderr)
        return 2
    summary = result.summary() | {
        "items": len(items),
        "reviewers": len(reviewers),
        "affinity_pairs": len(affinities.scores),
        "conflicts": len(conflicts),
        "read_seconds": round(read_seconds, 3),
    }
    lines = (
        {"item": pair.item, "reviewer": pair.reviewer, "score": pair.score} for pair in result.pairs
    )
    write_jsonl(args.out, _then(lines, {"summary": summary}))
    return 0


def _then(records, last):
    yield from records
    yield last


def load_reviewers(path: str) -> list[Reviewer]:
    reviewers: list[Reviewer] = []
    seen: set[str] = set()
    for line, record in read_jsonl(path):
        reviewer_id = identifier(record, "id", path=path, line=line)
        if reviewer_id in seen:
            raise JsonlError(path, line, f"reviewer {reviewer_id!r} appears twice")
        seen.add(reviewer_id)
        try:
            reviewers.append(
                Reviewer(
                    reviewer_id,
                    field(record, "max_load", int, path=path, line=line),
                    field(record, "min_load", int, path=path, line=line, default=0),
                )
            )
        except JsonlError:
            raise
        except ValueError as error:
            raise JsonlError(path, line, str(error)) from None
    return reviewers


def load_items(path: str, reviewers_per_item: int) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    for line, record in read_jsonl(path):
        item_id = identifier(record, "id", path=path, line=line)
        if item_id in seen:
            raise JsonlError(path, line, f"item {item_id!r} appears twice")
        seen.add(item_id)
        minimum = field(record, "min_reviewers", int, path=path, line=line, default=None)
        maximum = field(record, "max_reviewers", int, path=path, line=line, default=None)
        if minimum is None:
            minimum = (
                min(reviewers_per_item, maximum) if maximum is not None else reviewers_per_item
            )
        if maximum is None:
            maximum = max(reviewers_per_item, minimum)
        try:
            items.append(Item(item_id, minimum, maximum))
        except ValueError as error:
            raise JsonlError(path, line, str(error)) from None
    return items


def load_affinities(path: str, items: list[Item], reviewers: list[Reviewer]) -> AffinityMatrix:
    item_position = {item.id: position for position, item in enumerate(items)}
    reviewer_position = {reviewer.id: position for position, reviewer in enumerate(reviewers)}
    rows: list[int] = []
    columns: list[int] = []
    scores: list[float] = []
    for line, record in read_jsonl(path):
        item_id = identifier(record, "query", path=path, line=line)
        reviewer_id = identifier(record, "profile", path=path, line=line)
        require_known(
            item_id,
            item_position,
            noun="query",
            role="an item",
            source="items",
            path=path,
            line=line,
        )
        require_known(
            reviewer_id,
            reviewer_position,
            noun="profile",
            role="a reviewer",
            source="reviewers",
            path=path,
            line=line,
        )
        rows.append(item_position[item_id])
        columns.append(reviewer_position[reviewer_id])
        scores.append(field(record, "score", float, path=path, line=line))
    return AffinityMatrix(
        np.asarray(rows, dtype=np.int64),
        np.asarray(columns, dtype=np.int64),
        np.asarray(scores, dtype=np.float64),
    )


def load_conflicts(path: str, items: list[Item], reviewers: list[Reviewer]) -> list[Conflict]:
    item_ids = {item.id for item in items}
    reviewer_ids = {reviewer.id for reviewer in reviewers}
    conflicts = []
    for line, record in read_jsonl(path):
        item_id = identifier(record, "item", path=path, line=line)
        reviewer_id = identifier(record, "reviewer", path=path, line=line)
        require_known(item_id, item_ids, noun="item", source="items", path=path, line=line)
        require_known(
            reviewer_id, reviewer_ids, noun="reviewer", source="reviewers", path=path, line=line
        )
        reason = field(record, "reason", str, path=path, line=line, default="declared")
        conflicts.append(Conflict(item_id, reviewer_id, reason))
    return conflicts
