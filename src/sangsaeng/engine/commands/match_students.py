"""`sangsaeng engine match-students`: students to internships and jobs, stable or optimal.

Exit codes: 0 matched, 2 bad input (file, line and reason on stderr).
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
from sangsaeng.engine.students import (
    METHODS,
    Opening,
    Placement,
    Student,
    StudentMatching,
    StudentScore,
    match_second_phase,
    match_students,
)

FORMATS = """\
input lines (JSON Lines, one object per line):
  --students  {"id": "s1", "preferences": ["fab-intern", "eda-job"]}   (preferences optional)
  --openings  {"id": "fab-intern", "capacity": 2, "preferences": ["s3", "s1"]}
              (preferences optional; a student an opening does not list is not acceptable to it)
  --scores    {"student": "s1", "opening": "fab-intern", "score": 0.7}, or the engine's score
              lines {"query": ..., "profile": ..., "score": ...} with one id a student and the
              other an opening (either way round)
missing preferences are derived from the scores: a student ranks the openings scored with them;
an opening ranks its scored students, then the other students who listed it by a seeded lottery.
  --previous  the output of the first phase (its student lines; the summary line is skipped):
              runs the second phase, matching the students it left unplaced to the positions
              still open (capacities from --openings minus what it filled); nothing it placed
              moves, and lists keep only the openings still open; --students lists this
              phase's students (score lines of the others are passed over)
output lines:
  {"student": "s1", "opening": "fab-intern", "rank": 1}  (opening and rank null when unplaced;
  in a second phase only the students the first phase left unplaced)
  {"summary": {"method", "phase", "placed", "unplaced", "choice_counts": {"1": n, "2": m},
               "unfilled_openings", "unfilled_positions", "blocking_pairs",
               "unfilled": {"fab-intern": 1, ...}, ...}}
exit codes: 0 matched; 2 bad input (a list longer than --max-choices, an unknown id, ...).

example (a round with two phases):
  sangsaeng engine match-students --students s.jsonl --openings o.jsonl --max-choices 5 \
      --out phase1.jsonl
  sangsaeng engine match-students --students s2.jsonl --openings o.jsonl --max-choices 5 \
      --previous phase1.jsonl --out phase2.jsonl
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "match-students",
        help="match students to internships and jobs (stable or welfare-optimal)",
        description="Match students to openings with capacities: 'stable' runs "
        "student-proposing deferred acceptance; 'optimal' places the most students, then "
        "minimises the total rank of their placements.",
        epilog=FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--students", required=True, metavar="S.jsonl")
    parser.add_argument("--openings", required=True, metavar="O.jsonl")
    parser.add_argument("--scores", metavar="SCORES.jsonl")
    parser.add_argument("--method", choices=METHODS, default="stable")
    parser.add_argument("--seed", type=int, default=0, help="seed of the tie-breaking lottery")
    parser.add_argument(
        "--max-choices",
        type=int,
        metavar="N",
        help="a student may rank at most N openings (a longer list is an error)",
    )
    parser.add_argument(
        "--previous",
        metavar="PHASE1.jsonl",
        help="run the second phase after this first-phase output",
    )
    parser.add_argument("--out", required=True, metavar="MATCH.jsonl", help="- for stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.max_choices is not None and args.max_choices < 1:
            raise ValueError(f"--max-choices must be at least 1, got {args.max_choices}")
        students = load_students(args.students, args.max_choices)
        openings = load_openings(args.openings)
        first = load_previous(args.previous, students, openings) if args.previous else None
        earlier = {p.student for p in first.placements} if first else set()
        scores = load_scores(args.scores, students, openings, earlier) if args.scores else []
        if first is not None:
            result = match_second_phase(
                first,
                students,
                openings,
                scores,
                method=args.method,
                seed=args.seed,
                max_choices=args.max_choices,
            )
        else:
            result = match_students(
                students,
                openings,
                scores,
                method=args.method,
                seed=args.seed,
                max_choices=args.max_choices,
            )
    except ValueError as error:
        print(f"sangsaeng engine match-students: {error}", file=sys.stderr)
        return 2
    lines: list[dict[str, object]] = [
        {"student": p.student, "opening": p.opening, "rank": p.rank} for p in result.placements
    ]
    lines.append({"summary": result.summary() | {"unfilled": result.unfilled}})
    write_jsonl(args.out, lines)
    return 0


def _id_list(record: dict, key: str, *, path: str, line: int) -> tuple[str, ...] | None:
    value = field(record, key, list, path=path, line=line, default=None)
    if value is None:
        return None
    if not all(isinstance(x, str | int) and not isinstance(x, bool) for x in value):
        raise JsonlError(path, line, f'"{key}" must be a list of ids')
    ids = tuple(str(x) for x in value)
    if len(set(ids)) != len(ids):
        raise JsonlError(path, line, f'"{key}" names an id twice')
    return ids


def load_students(path: str, max_choices: int | None = None) -> list[Student]:
    students, seen = [], set()
    for line, record in read_jsonl(path):
        student_id = identifier(record, "id", path=path, line=line)
        if student_id in seen:
            raise JsonlError(path, line, f"student {student_id!r} appears twice")
        seen.add(student_id)
        preferences = _id_list(record, "preferences", path=path, line=line) or ()
        if max_choices is not None and len(preferences) > max_choices:
            raise JsonlError(
                path,
                line,
                f"student {student_id!r} ranks {len(preferences)} openings, more than the "
                f"{max_choices} allowed (--max-choices)",
            )
        students.append(Student(student_id, preferences))
    return students


def load_previous(path: str, students: list[Student], openings: list[Opening]) -> StudentMatching:
    """The first phase's output as a matching, checked against this phase's files."""
    capacities = {o.id: o.capacity for o in openings}
    student_ids = {s.id for s in students}
    placements: list[Placement] = []
    seen: set[str] = set()
    filled: dict[str, int] = {}
    for line, record in read_jsonl(path):
        if "summary" in record:
            continue
        student_id = identifier(record, "student", path=path, line=line)
        if student_id in seen:
            raise JsonlError(path, line, f"student {student_id!r} appears twice")
        seen.add(student_id)
        opening_id = record.get("opening")
        if opening_id is not None:
            opening_id = identifier(record, "opening", path=path, line=line)
            require_known(
                opening_id, capacities, noun="opening", source="openings", path=path, line=line
            )
            filled[opening_id] = filled.get(opening_id, 0) + 1
            if filled[opening_id] > capacities[opening_id]:
                raise JsonlError(
                    path,
                    line,
                    f"places more students in {opening_id!r} than its {capacities[opening_id]} "
                    "positions in the openings file",
                )
        rank = field(record, "rank", int, path=path, line=line, default=None)
        placements.append(Placement(student_id, opening_id, rank))
    missing = sorted(student_ids - seen)
    if missing:
        raise JsonlError(
            path,
            0,
            f"students in the students file but not in the first phase: "
            f"{', '.join(map(repr, missing[:5]))}",
        )
    return StudentMatching(tuple(placements), "stable", 0, 0.0, capacities=capacities)


def load_openings(path: str) -> list[Opening]:
    openings, seen = [], set()
    for line, record in read_jsonl(path):
        opening_id = identifier(record, "id", path=path, line=line)
        if opening_id in seen:
            raise JsonlError(path, line, f"opening {opening_id!r} appears twice")
        seen.add(opening_id)
        capacity = field(record, "capacity", int, path=path, line=line)
        if capacity < 0:
            raise JsonlError(path, line, f"capacity must not be negative, got {capacity}")
        preferences = _id_list(record, "preferences", path=path, line=line)
        openings.append(Opening(opening_id, capacity, preferences))
    return openings


def load_scores(
    path: str,
    students: list[Student],
    openings: list[Opening],
    skipped_students: set[str] | None = None,
) -> list[StudentScore]:
    """Score lines; in a second phase, lines of first-phase students not in this phase's
    students file (``skipped_students``) are passed over, so the same file serves both."""
    student_ids = {s.id for s in students}
    opening_ids = {o.id for o in openings}
    skipped = (skipped_students or set()) - student_ids
    scores = []
    for line, record in read_jsonl(path):
        if "student" in record or "opening" in record:
            student_id = identifier(record, "student", path=path, line=line)
            opening_id = identifier(record, "opening", path=path, line=line)
        else:
            first = identifier(record, "query", path=path, line=line)
            second = identifier(record, "profile", path=path, line=line)
            if skipped and (first in skipped or second in skipped):
                continue
            if first in opening_ids and second in student_ids and first not in student_ids:
                student_id, opening_id = second, first
            elif first in student_ids and second in opening_ids and second not in student_ids:
                student_id, opening_id = first, second
            else:
                raise JsonlError(
                    path,
                    line,
                    f"cannot tell which of {first!r} and {second!r} is the student and which "
                    "the opening (each must be in exactly one of the two files)",
                )
        if student_id in skipped:
            continue
        require_known(
            student_id, student_ids, noun="student", source="students", path=path, line=line
        )
        require_known(
            opening_id, opening_ids, noun="opening", source="openings", path=path, line=line
        )
        scores.append(
            StudentScore(
                student_id, opening_id, field(record, "score", float, path=path, line=line)
            )
        )
    return scores
