"""`sangsaeng engine allocate-mpw`: share an MPW shuttle run's area among design requests.

Exit codes: 0 allocated, 2 bad input (file, line and reason on stderr).
"""

from __future__ import annotations

import argparse
import sys

from sangsaeng.engine.jsonl import JsonlError, field, identifier, read_jsonl, write_jsonl
from sangsaeng.engine.mpw import (
    DEFAULT_AREA_STEP,
    AreaRequest,
    ShuttleRun,
    allocate_mpw_area,
    check_request,
)

FORMATS = """\
input lines (JSON Lines, one object per line):
  --requests  {"design": "npu-v2", "organisation": "fabless-3", "area": 12.5,
               "min_block": 9, "weight": 2}
              area and min_block in mm²; min_block optional (default: the whole area or
              nothing); weight optional (default 1): the priority of one mm² of this design
output lines, one per request in input order, then a summary:
  {"design", "organisation", "requested", "granted", "outcome": "full"|"partial"|"none",
   "reason": "full"|"max_block"|"run_full"|"organisation_cap"|"below_minimum",
   "detail": "...", "weight", "run_area_left", "organisation_area_left"}
  {"summary": {"granted_area", "utilisation", "outcomes", "reasons", "by_organisation",
               "weighted_area", "lp_bound", "status", ...}}
bad input (exit 2): a request below the run's minimum block, a minimum block above the run's
maximum block, a minimum block above the requested area, a design listed twice.

example:
  sangsaeng engine allocate-mpw --requests requests.jsonl --total-area 100 \\
      --min-block 1 --max-block 25 --organisation-share 0.3 --out allocation.jsonl
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "allocate-mpw",
        help="allocate an MPW shuttle run's area among design requests (exact)",
        description="Grant each design nothing or between its minimum block and what it asked "
        "for, within the run's total area, its block sizes and a cap per organisation, so that "
        "the priority-weighted area granted is the largest possible (then the most designs "
        "served). Each request's line says why it got what it got.",
        epilog=FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--requests", required=True, metavar="REQUESTS.jsonl")
    parser.add_argument("--run", default="run", metavar="ID", help="the run's id (for the summary)")
    parser.add_argument("--total-area", required=True, type=float, metavar="MM2")
    parser.add_argument("--min-block", required=True, type=float, metavar="MM2")
    parser.add_argument("--max-block", required=True, type=float, metavar="MM2")
    parser.add_argument(
        "--organisation-share",
        type=float,
        metavar="SHARE",
        help="the most one organisation may get, as a share of the total area (0.3 = 30%%; "
        "default: no cap)",
    )
    parser.add_argument(
        "--area-step",
        type=float,
        default=DEFAULT_AREA_STEP,
        metavar="MM2",
        help=f"grants are whole multiples of this area (default {DEFAULT_AREA_STEP:g} mm²)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="SECONDS", help="(default 60)"
    )
    parser.add_argument("--out", required=True, metavar="ALLOCATION.jsonl", help="- for stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.time_limit <= 0:
            raise ValueError(f"--time-limit must be positive, got {args.time_limit:g}")
        shuttle = ShuttleRun(
            args.run,
            args.total_area,
            args.min_block,
            args.max_block,
            args.organisation_share,
            args.area_step,
        )
        requests = load_requests(args.requests, shuttle)
        allocation = allocate_mpw_area(shuttle, requests, time_limit_seconds=args.time_limit)
    except ValueError as error:
        print(f"sangsaeng engine allocate-mpw: {error}", file=sys.stderr)
        return 2
    lines: list[dict[str, object]] = [
        {
            "design": grant.design,
            "organisation": grant.organisation,
            "requested": grant.requested,
            "granted": grant.granted,
            "outcome": grant.outcome,
            "reason": grant.reason,
            "detail": grant.detail,
            "weight": grant.weight,
            "run_area_left": grant.run_area_left,
            "organisation_area_left": grant.organisation_area_left,
        }
        for grant in allocation.grants
    ]
    lines.append({"summary": allocation.summary()})
    write_jsonl(args.out, lines)
    return 0


def load_requests(path: str, shuttle: ShuttleRun) -> list[AreaRequest]:
    requests: list[AreaRequest] = []
    seen: set[str] = set()
    for line, record in read_jsonl(path):
        design = identifier(record, "design", path=path, line=line)
        if design in seen:
            raise JsonlError(path, line, f"design {design!r} appears twice")
        seen.add(design)
        try:
            request = AreaRequest(
                design,
                identifier(record, "organisation", path=path, line=line),
                field(record, "area", float, path=path, line=line),
                field(record, "min_block", float, path=path, line=line, default=None),
                field(record, "weight", float, path=path, line=line, default=1.0),
            )
            check_request(shuttle, request)
        except JsonlError:
            raise
        except ValueError as error:
            raise JsonlError(path, line, str(error)) from None
        requests.append(request)
    return requests
