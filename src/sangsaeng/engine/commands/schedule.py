"""`sangsaeng engine schedule`: requested 1:1 meetings into slots and tables, with agendas.

Exit codes: 0 scheduled, 2 bad input (file, line and reason on stderr).
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
from sangsaeng.engine.meetings import (
    DEFAULT_VENUE,
    PRIORITY_WEIGHTS,
    MeetingRequest,
    PairAffinity,
    Participant,
    TimeSlot,
    schedule_meetings,
)

FORMATS = """\
input lines (JSON Lines, one object per line):
  --participants {"id": "p1", "available": ["t01", "t02"], "max_meetings": 6, "max_consecutive": 3}
                 (all but id optional; without "available" a participant is there all day)
  --requests     {"from": "p1", "to": "p2", "priority": "must"}   (priority optional: "must"
                 meet, "like" to meet (the default), or a number; a request in both directions
                 is one meeting with the priorities summed; "venue" optional: the kind of
                 place it needs, named in --tables, e.g. "online")
  --slots        {"id": "t01", "label": "10:00-10:20", "break": false}   (in time order)
  --affinity     the engine's score lines {"query": "p1", "profile": "p2", "score": 0.4}
                 (either order); a meeting's weight is priority + affinity-weight × affinity
--tables        N tables, or places per venue: table=40,online=10 (requests then name a venue;
                "table" is the default)
output lines:
  {"requester", "requested", "slot", "label", "table", "priority", "affinity", "weight"}
  (and "venue" when --tables names venues)
  {"requester", "requested", "priority", "unscheduled": reason}
  {"participant": "p1", "agenda": [{"slot", "label", "table", "with"}, ...]}
  {"summary": {"scheduled_share", "objective_value", "lp_bound", "gap_to_lp_bound",
               "status", "found_by", "by_priority": {"3": {"requested", "scheduled"}}, ...}}
the solve: the LP relaxation gives the bound; its solution rounded and improved by local search
is kept when within --gap of it, else HiGHS branch-and-cut runs for the rest of --time-limit.

example:
  sangsaeng engine schedule --participants p.jsonl --requests r.jsonl --slots slots.jsonl \
      --tables 80 --affinity scores.jsonl --time-limit 50 --out schedule.jsonl
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="schedule B2B matchmaking meetings into time slots and tables",
        description="Schedule as much of the requested meeting weight as possible: nobody "
        "in two meetings at once or outside their availability, no meetings in breaks, no "
        "more meetings in a slot than tables, and per-participant limits respected.",
        epilog=FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--participants", required=True, metavar="P.jsonl")
    parser.add_argument("--requests", required=True, metavar="R.jsonl")
    parser.add_argument("--slots", required=True, metavar="SLOTS.jsonl")
    parser.add_argument("--tables", required=True, type=parse_tables, metavar="N|VENUE=N,...")
    parser.add_argument("--affinity", metavar="SCORES.jsonl")
    parser.add_argument("--affinity-weight", type=float, default=1.0, metavar="W")
    parser.add_argument(
        "--must-weight",
        type=float,
        default=PRIORITY_WEIGHTS["must"],
        metavar="W",
        help=f'the weight of a "must" request (default {PRIORITY_WEIGHTS["must"]:g})',
    )
    parser.add_argument(
        "--like-weight",
        type=float,
        default=PRIORITY_WEIGHTS["like"],
        metavar="W",
        help=f'the weight of a "like" request (default {PRIORITY_WEIGHTS["like"]:g})',
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="for the whole solve, LP bound included (default 60)",
    )
    parser.add_argument(
        "--gap", type=float, default=1e-4, help="stop within this relative gap (default 1e-4)"
    )
    parser.add_argument("--out", required=True, metavar="SCHEDULE.jsonl", help="- for stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        if isinstance(args.tables, int) and args.tables < 1:
            raise ValueError(f"--tables must be at least 1, got {args.tables}")
        if args.time_limit <= 0 or args.gap < 0:
            raise ValueError("--time-limit must be positive and --gap not negative")
        slots = load_slots(args.slots)
        participants = load_participants(args.participants, {s.id for s in slots})
        known = {p.id for p in participants}
        if not (args.must_weight > 0 and args.like_weight > 0):
            raise ValueError("--must-weight and --like-weight must be positive")
        requests = load_requests(
            args.requests,
            known,
            {"must": args.must_weight, "like": args.like_weight},
            venues=set(args.tables) if isinstance(args.tables, dict) else None,
        )
        affinities = load_affinities(args.affinity, known) if args.affinity else []
        schedule = schedule_meetings(
            participants,
            requests,
            slots,
            args.tables,
            affinities,
            affinity_weight=args.affinity_weight,
            time_limit_seconds=args.time_limit,
            relative_gap=args.gap,
        )
    except ValueError as error:
        print(f"sangsaeng engine schedule: {error}", file=sys.stderr)
        return 2
    label = {s.id: s.label for s in slots}
    lines: list[dict[str, object]] = []
    for m in schedule.meetings:
        line: dict[str, object] = {
            "requester": m.requester,
            "requested": m.requested,
            "slot": m.slot,
            "label": label[m.slot],
            "table": m.table,
            "priority": m.priority,
            "affinity": m.affinity,
            "weight": m.weight,
        }
        if isinstance(args.tables, dict):
            line["venue"] = m.venue
        lines.append(line)
    lines += [
        {
            "requester": u.requester,
            "requested": u.requested,
            "priority": u.priority,
            "unscheduled": u.reason,
        }
        for u in schedule.unscheduled
    ]
    for participant, agenda in schedule.agendas().items():
        lines.append(
            {
                "participant": participant,
                "agenda": [
                    {
                        "slot": m.slot,
                        "label": label[m.slot],
                        "table": m.table,
                        "with": m.requested if m.requester == participant else m.requester,
                    }
                    for m in agenda
                ],
            }
        )
    lines.append({"summary": schedule.summary() | {"tables": args.tables}})
    write_jsonl(args.out, lines)
    return 0


def parse_tables(value: str) -> int | dict[str, int]:
    """``80`` → 80; ``table=40,online=10`` → {"table": 40, "online": 10}."""
    if "=" not in value:
        try:
            return int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of tables: {value!r}") from None
    places: dict[str, int] = {}
    for part in value.split(","):
        venue, _, count = part.partition("=")
        venue = venue.strip()
        if not venue or not count.strip().isdigit() or venue in places:
            raise argparse.ArgumentTypeError(
                f"write places per venue as table=40,online=10, got {value!r}"
            )
        places[venue] = int(count)
    return places


def load_slots(path: str) -> list[TimeSlot]:
    slots, seen = [], set()
    for line, record in read_jsonl(path):
        slot_id = identifier(record, "id", path=path, line=line)
        if slot_id in seen:
            raise JsonlError(path, line, f"slot {slot_id!r} appears twice")
        seen.add(slot_id)
        is_break = field(record, "break", bool, path=path, line=line, default=False)
        slot_label = field(record, "label", str, path=path, line=line, default=None)
        slots.append(TimeSlot(slot_id, is_break, slot_label))
    if not slots:
        raise JsonlError(path, 0, "no slots")
    return slots


def load_participants(path: str, slot_ids: set[str]) -> list[Participant]:
    participants, seen = [], set()
    for line, record in read_jsonl(path):
        participant_id = identifier(record, "id", path=path, line=line)
        if participant_id in seen:
            raise JsonlError(path, line, f"participant {participant_id!r} appears twice")
        seen.add(participant_id)
        available = field(record, "available", list, path=path, line=line, default=None)
        if available is not None:
            available = frozenset(str(x) for x in available)
            unknown = sorted(available - slot_ids)
            if unknown:
                raise JsonlError(path, line, f'unknown slots in "available": {unknown[:5]}')
        try:
            participants.append(
                Participant(
                    participant_id,
                    available,
                    field(record, "max_meetings", int, path=path, line=line, default=None),
                    field(record, "max_consecutive", int, path=path, line=line, default=None),
                )
            )
        except JsonlError:
            raise
        except ValueError as error:
            raise JsonlError(path, line, str(error)) from None
    return participants


def load_requests(
    path: str,
    known: set[str],
    named: dict[str, float] | None = None,
    venues: set[str] | None = None,
) -> list[MeetingRequest]:
    named = PRIORITY_WEIGHTS if named is None else named
    requests, seen = [], set()
    for line, record in read_jsonl(path):
        requester = identifier(record, "from", path=path, line=line)
        requested = identifier(record, "to", path=path, line=line)
        for party in (requester, requested):
            require_known(
                party, known, noun="participant", source="participants", path=path, line=line
            )
        if (requester, requested) in seen:
            raise JsonlError(path, line, f"request {requester!r} → {requested!r} appears twice")
        seen.add((requester, requested))
        priority = field(
            record, "priority", (float, str), path=path, line=line, default=named["like"]
        )
        if isinstance(priority, str):
            if priority not in named:
                raise JsonlError(
                    path,
                    line,
                    f'"priority" must be "must", "like" or a positive number, got {priority!r}',
                )
            priority = named[priority]
        venue = field(record, "venue", str, path=path, line=line, default=DEFAULT_VENUE)
        if venue != DEFAULT_VENUE and (venues is None or venue not in venues):
            raise JsonlError(path, line, f'"venue" {venue!r} is not one that --tables names')
        try:
            requests.append(MeetingRequest(requester, requested, priority, venue))
        except ValueError as error:
            raise JsonlError(path, line, str(error)) from None
    return requests


def load_affinities(path: str, known: set[str]) -> list[PairAffinity]:
    affinities, seen = [], set()
    for line, record in read_jsonl(path):
        first = identifier(record, "query", path=path, line=line)
        second = identifier(record, "profile", path=path, line=line)
        for party in (first, second):
            require_known(
                party, known, noun="participant", source="participants", path=path, line=line
            )
        pair = frozenset((first, second))
        if pair in seen:
            raise JsonlError(path, line, f"a second affinity for {first!r} and {second!r}")
        seen.add(pair)
        affinities.append(
            PairAffinity(first, second, field(record, "score", float, path=path, line=line))
        )
    return affinities
