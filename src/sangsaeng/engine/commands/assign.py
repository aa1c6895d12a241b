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
    BID_KINDS,
    OBJECTIVES,
    AffinityMatrix,
    AssignmentInfeasible,
    Bid,
    BidBonuses,
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
  --bids       {"item": "app-1", "reviewer": "expert-2", "bid": "eager"}
               (eager, willing or not_willing; the bonus is added to the pair's score; an
               eager or willing bid needs the pair's affinity line; conflicts win over bids)
output lines:
  {"item": ..., "reviewer": ..., "score": ...} for every assignment (with --bids also
  "affinity": the score before the bonus, and "bid"), then, with --alternates K,
  {"item": ..., "alternate": REVIEWER, "rank": 1, "score", "affinity", "bid", "spare_load"}
  up to K per item: the next best unassigned, unconflicted reviewers with spare load, to
  invite at once when an invitation is declined, then
  {"summary": {"objective", "total_affinity", "minimum_item_affinity", "status", ...}}
exit codes: 0 assigned; 1 infeasible (diagnosis on stderr, nothing written); 2 bad input.

example:
  sangsaeng engine assign --affinity scores.jsonl --reviewers reviewers.jsonl \
      --items applications.jsonl --conflicts conflicts.jsonl --bids bids.jsonl \
      --alternates 3 --out assignment.jsonl
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
    parser.add_argument("--bids", metavar="BIDS.jsonl")
    defaults = BidBonuses()
    parser.add_argument(
        "--bid-bonus",
        action="append",
        default=[],
        metavar="KIND=VALUE",
        help="what a bid adds to the pair's score; repeat per kind (defaults: "
        + ", ".join(f"{kind}={defaults.bonus(kind):+g}" for kind in BID_KINDS)
        + ")",
    )
    parser.add_argument(
        "--alternates",
        type=int,
        default=0,
        metavar="K",
        help="keep the K best alternates per item (default 0: none)",
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
        bids = load_bids(args.bids, items, reviewers, affinities) if args.bids else []
        bonuses = parse_bid_bonuses(args.bid_bonus)
        if args.alternates < 0:
            raise ValueError(f"--alternates must not be negative, got {args.alternates}")
        read_seconds = time.perf_counter() - started
        result = assign_reviewers(
            items,
            reviewers,
            affinities,
            conflicts,
            objective=args.objective,
            bids=bids,
            bid_bonuses=bonuses,
            alternates=args.alternates,
        )
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
    if bids:
        summary["bid_bonuses"] = {kind: bonuses.bonus(kind) for kind in BID_KINDS}
    lines: list[dict[str, object]] = [
        {"item": pair.item, "reviewer": pair.reviewer, "score": pair.score}
        | ({"affinity": pair.affinity, "bid": pair.bid} if bids else {})
        for pair in result.pairs
    ]
    lines += [
        {
            "item": alternate.item,
            "alternate": alternate.reviewer,
            "rank": alternate.rank,
            "score": alternate.score,
            "affinity": alternate.affinity,
            "bid": alternate.bid,
            "spare_load": alternate.spare_load,
        }
        for alternate in result.alternates
    ]
    lines.append({"summary": summary})
    write_jsonl(args.out, lines)
    return 0


def parse_bid_bonuses(values: list[str]) -> BidBonuses:
    given: dict[str, float] = {}
    for value in values:
        kind, separator, number = value.partition("=")
        if not separator or kind not in BID_KINDS:
            raise ValueError(
                f"--bid-bonus must look like KIND=VALUE with KIND one of "
                f"{', '.join(BID_KINDS)}, got {value!r}"
            )
        if kind in given:
            raise ValueError(f"--bid-bonus names {kind} twice")
        try:
            given[kind] = float(number)
        except ValueError:
            raise ValueError(f"--bid-bonus {value!r}: the value must be a number") from None
    return BidBonuses(**given)


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


def load_bids(
    path: str, items: list[Item], reviewers: list[Reviewer], affinities: AffinityMatrix
) -> list[Bid]:
    item_position = {item.id: position for position, item in enumerate(items)}
    reviewer_position = {reviewer.id: position for position, reviewer in enumerate(reviewers)}
    item_ids, reviewer_ids = item_position.keys(), reviewer_position.keys()
    width = max(len(reviewers), 1)
    scored = np.sort(affinities.item_positions * width + affinities.reviewer_positions)
    bids: list[Bid] = []
    seen: set[tuple[str, str]] = set()
    for line, record in read_jsonl(path):
        item_id = identifier(record, "item", path=path, line=line)
        reviewer_id = identifier(record, "reviewer", path=path, line=line)
        require_known(item_id, item_ids, noun="item", source="items", path=path, line=line)
        require_known(
            reviewer_id, reviewer_ids, noun="reviewer", source="reviewers", path=path, line=line
        )
        if (item_id, reviewer_id) in seen:
            raise JsonlError(path, line, f"reviewer {reviewer_id!r} bids twice on {item_id!r}")
        seen.add((item_id, reviewer_id))
        kind = field(record, "bid", str, path=path, line=line)
        if kind not in BID_KINDS:
            raise JsonlError(
                path, line, f'"bid" must be one of {", ".join(BID_KINDS)}, got {kind!r}'
            )
        key = item_position[item_id] * width + reviewer_position[reviewer_id]
        at = int(np.searchsorted(scored, key))
        if kind != "not_willing" and (at == len(scored) or scored[at] != key):
            raise JsonlError(
                path,
                line,
                f"{kind} bid of {reviewer_id!r} on {item_id!r}, a pair with no line in the "
                "affinity file: score that pair too (a bid adjusts a score, it does not make one)",
            )
        bids.append(Bid(item_id, reviewer_id, kind))
    return bids


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
