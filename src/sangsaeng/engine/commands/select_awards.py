"""`sangsaeng engine select-awards`: rank reviewed applications and propose awards in a budget.

Exit codes: 0 done; 1 the areas' minimum shares cannot be met (the reasons on stderr, nothing
written); 2 bad input (file, line and reason on stderr).
"""

from __future__ import annotations

import argparse
import sys

from sangsaeng.engine.jsonl import (
    JsonlError,
    field,
    identifier,
    read_jsonl,
    require_known,
    write_jsonl,
)
from sangsaeng.engine.selection import (
    METHODS,
    OVER_MAXIMUM,
    RANK_BY,
    FundingApplication,
    ReviewScore,
    SelectionInfeasible,
    rank_applications,
    select_within_budget,
)

FORMATS = """\
input lines (JSON Lines, one object per line):
  --applications  {"id": "app-1", "amount": 150000000, "area": "fabless"}   (area optional)
  --reviews       {"application": "app-1", "reviewer": "expert-7", "score": 82.5}
                  (one overall score per reviewer and application: the rubric's weighted total)
output lines, in this order:
  ranking, best first by --rank-by:
    {"application", "reviews", "mean_score", "normalised_score", "rank_mean",
     "rank_normalised", "tied_mean": [ids], "tied_normalised": [ids]}
  reviewers: {"reviewer", "reviews", "mean", "standard_deviation",
              "basis": "own"|"panel"|"none"}
  decisions, per method, in ranking order:
    {"method": "greedy"|"optimised", "application", "funded": true|false, "amount",
     "requested", "area", "score", "rank", "reason", "detail"}
    reason: funded, funded_capped, over_maximum, no_reviews, below_minimum_score,
            does_not_fit (greedy), not_selected (optimised)
  {"summary": {"ranking": {...}, "greedy": {...}, "optimised": {...}}}
exit codes: 0 done; 1 the minimum shares cannot be met (reasons on stderr, nothing written);
2 bad input.

example:
  sangsaeng engine select-awards --applications apps.jsonl --reviews reviews.jsonl \\
      --budget 2000000000 --max-award 200000000 --area-minimum fabless=0.3 --out sel.jsonl
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "select-awards",
        help="rank reviewed applications and propose which to fund within a budget",
        description="Rank applications by mean score and by reviewer-normalised score (each "
        "reviewer's scores standardised), then propose awards within the budget: greedy down "
        "the ranking, and optimised (an integer program over the scores above a baseline, "
        "with optional minimum shares of the budget per area).",
        epilog=FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--applications", required=True, metavar="APPLICATIONS.jsonl")
    parser.add_argument("--reviews", required=True, metavar="REVIEWS.jsonl")
    parser.add_argument("--budget", required=True, type=float, metavar="AMOUNT")
    parser.add_argument("--max-award", type=float, metavar="AMOUNT", help="per-award maximum")
    parser.add_argument(
        "--over-maximum",
        choices=OVER_MAXIMUM,
        default="cap",
        help="a request above --max-award is funded at the maximum (cap) or not at all "
        "(refuse); default cap",
    )
    parser.add_argument(
        "--rank-by",
        choices=RANK_BY,
        default="normalised",
        help="the score both proposals follow (default normalised)",
    )
    parser.add_argument(
        "--method",
        choices=(*METHODS, "both"),
        default="both",
        help="which proposals to make (default both)",
    )
    parser.add_argument(
        "--area-minimum",
        action="append",
        default=[],
        metavar="AREA=SHARE",
        help="at least this share of the budget goes to the area (optimised only); repeat "
        "for several areas, e.g. --area-minimum fabless=0.3",
    )
    parser.add_argument(
        "--minimum-score",
        type=float,
        metavar="SCORE",
        help="fund nothing scoring below this (on the --rank-by scale); it is also the "
        "optimised proposal's baseline (default: the panel's mean score)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the tie-breaking lottery")
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="SECONDS", help="(default 60)"
    )
    parser.add_argument("--out", required=True, metavar="SELECTION.jsonl", help="- for stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        area_minimums = parse_area_minimums(args.area_minimum)
        applications = load_applications(args.applications)
        reviews = load_reviews(args.reviews, {a.id for a in applications})
        ranking = rank_applications(applications, reviews)
        methods = METHODS if args.method == "both" else (args.method,)
        selections = [
            select_within_budget(
                applications,
                ranking,
                budget=args.budget,
                max_award=args.max_award,
                over_maximum=args.over_maximum,
                method=method,
                rank_by=args.rank_by,
                area_minimums=area_minimums,
                minimum_score=args.minimum_score,
                seed=args.seed,
                time_limit_seconds=args.time_limit,
            )
            for method in methods
        ]
    except SelectionInfeasible as infeasible:
        print(f"sangsaeng engine select-awards: {infeasible.describe()}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"sangsaeng engine select-awards: {error}", file=sys.stderr)
        return 2
    lines: list[dict[str, object]] = [
        {
            "application": entry.application,
            "reviews": entry.reviews,
            "mean_score": entry.mean_score,
            "normalised_score": entry.normalised_score,
            "rank_mean": entry.rank_mean,
            "rank_normalised": entry.rank_normalised,
            "tied_mean": list(entry.tied_mean),
            "tied_normalised": list(entry.tied_normalised),
        }
        for entry in ranking.ordered(args.rank_by)
    ]
    lines += [
        {
            "reviewer": standard.reviewer,
            "reviews": standard.reviews,
            "mean": standard.mean,
            "standard_deviation": standard.standard_deviation,
            "basis": standard.basis,
        }
        for standard in ranking.reviewers
    ]
    for selection in selections:
        lines += [
            {
                "method": selection.method,
                "application": decision.application,
                "funded": decision.funded,
                "amount": decision.amount,
                "requested": decision.requested,
                "area": decision.area,
                "score": decision.score,
                "rank": decision.rank,
                "reason": decision.reason,
                "detail": decision.detail,
            }
            for decision in selection.decisions
        ]
    summary: dict[str, object] = {"ranking": ranking.summary()}
    summary.update({selection.method: selection.summary() for selection in selections})
    lines.append({"summary": summary})
    write_jsonl(args.out, lines)
    return 0


def parse_area_minimums(values: list[str]) -> dict[str, float]:
    minimums: dict[str, float] = {}
    for value in values:
        area, separator, share = value.rpartition("=")
        if not separator or not area:
            raise ValueError(f"--area-minimum must look like AREA=SHARE, got {value!r}")
        if area in minimums:
            raise ValueError(f"--area-minimum names area {area!r} twice")
        try:
            minimums[area] = float(share)
        except ValueError:
            raise ValueError(
                f"--area-minimum {value!r}: the share must be a number such as 0.3"
            ) from None
    return minimums


def load_applications(path: str) -> list[FundingApplication]:
    applications: list[FundingApplication] = []
    seen: set[str] = set()
    for line, record in read_jsonl(path):
        application_id = identifier(record, "id", path=path, line=line)
        if application_id in seen:
            raise JsonlError(path, line, f"application {application_id!r} appears twice")
        seen.add(application_id)
        area = record.get("area")
        if area is not None and (isinstance(area, bool) or not isinstance(area, str | int)):
            raise JsonlError(path, line, f'"area" must be a string, got {area!r}')
        try:
            applications.append(
                FundingApplication(
                    application_id,
                    field(record, "amount", float, path=path, line=line),
                    None if area in (None, "") else str(area),
                )
            )
        except JsonlError:
            raise
        except ValueError as error:
            raise JsonlError(path, line, str(error)) from None
    return applications


def load_reviews(path: str, known: set[str]) -> list[ReviewScore]:
    reviews: list[ReviewScore] = []
    seen: set[tuple[str, str]] = set()
    for line, record in read_jsonl(path):
        application = identifier(record, "application", path=path, line=line)
        require_known(
            application, known, noun="application", source="applications", path=path, line=line
        )
        reviewer = identifier(record, "reviewer", path=path, line=line)
        if (application, reviewer) in seen:
            raise JsonlError(
                path, line, f"reviewer {reviewer!r} scored application {application!r} twice"
            )
        seen.add((application, reviewer))
        reviews.append(
            ReviewScore(application, reviewer, field(record, "score", float, path=path, line=line))
        )
    return reviews
