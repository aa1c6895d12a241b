"""A placement round's match: the market read from the database, the engine's solution
(:mod:`sangsaeng.engine.students`), the results written back. Run by a background task
(:func:`sangsaeng.talent.tasks.run_match`), which reports progress on the :class:`MatchRun`.

The market of a phase: every student who ranked openings in it (their list, most wanted
first, at most the round's N), every opening of the round with its positions (for the
second phase, what the first left open: declined and lapsed offers free their position),
and each company's rank list of its applicants. An applicant a company left off its list is
not acceptable to that opening; an opening its company did not rank at all takes its
applicants in the engine's order of fit (:func:`sangsaeng.talent.ranking.engine_scores`),
then the rest in the seeded lottery's order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.engine import students as engine
from sangsaeng.notifications.services import notify
from sangsaeng.talent import notifications
from sangsaeng.talent.models import (
    CompanyRanking,
    MatchResult,
    MatchRun,
    Opening,
    PlacementRound,
    StudentChoice,
)
from sangsaeng.talent.ranking import engine_scores

GONE = "gone-"  # engine ids of first-phase results whose student was since removed


@dataclass
class Market:
    students: list[engine.Student]
    openings: list[engine.Opening]
    scores: list[engine.StudentScore]
    capacities: dict[str, int]
    first: engine.StudentMatching | None = None  # the first phase, for a second phase


def set_progress(run: MatchRun, progress: int, status: str = MatchRun.Status.RUNNING) -> None:
    """Progress is written at once (outside any transaction), so the page sees it move."""
    run.progress, run.status = progress, status
    MatchRun.objects.filter(pk=run.pk).update(progress=progress, status=status)


def _first_phase(placement_round: PlacementRound) -> engine.StudentMatching:
    run = (
        MatchRun.objects.filter(round=placement_round, phase=1, status=MatchRun.Status.DONE)
        .order_by("-id")
        .first()
    )
    if run is None:
        raise ValueError("the second phase needs the first phase's results")
    placements = []
    for pk, student_id, opening_id, rank, offer in MatchResult.objects.filter(
        round=placement_round, phase=1
    ).values_list("pk", "student_id", "opening_id", "choice_rank", "offer"):
        student = str(student_id) if student_id is not None else f"{GONE}{pk}"
        freed = opening_id is None or offer in (
            MatchResult.Offer.DECLINED,
            MatchResult.Offer.LAPSED,
        )
        placements.append(
            engine.Placement(student, None, None)
            if freed
            else engine.Placement(student, str(opening_id), rank)
        )
    return engine.StudentMatching(
        placements=tuple(placements),
        method=run.method,  # type: ignore[arg-type]
        blocking_pairs=0,
        solve_seconds=0.0,
        capacities={str(k): int(v) for k, v in run.capacities.items()},
        phase=1,
    )


def build_market(placement_round: PlacementRound, phase: int) -> Market:
    """The phase's market, read from the database in a handful of queries."""
    preferences: dict[int, list[int]] = defaultdict(list)
    for student_id, opening_id in (
        StudentChoice.objects.filter(round=placement_round, phase=phase)
        .order_by("student_id", "rank")
        .values_list("student_id", "opening_id")
    ):
        preferences[student_id].append(opening_id)
    first = _first_phase(placement_round) if phase == 2 else None
    if first is not None:
        capacities = dict(first.capacities)
        opening_ids = [int(k) for k in capacities]
        # A student who ranked nothing in the first phase enters the second as unplaced.
        known = {p.student for p in first.placements}
        missing = [engine.Placement(str(s), None, None) for s in preferences if str(s) not in known]
        if missing:
            first = engine.StudentMatching(
                placements=first.placements + tuple(missing),
                method=first.method,
                blocking_pairs=0,
                solve_seconds=0.0,
                capacities=first.capacities,
                phase=1,
            )
        openings = list(Opening.objects.filter(pk__in=opening_ids).prefetch_related("tags"))
    else:
        openings = list(
            placement_round.openings.filter(status=Opening.Status.OPEN).prefetch_related("tags")
        )
        capacities = {str(o.pk): o.positions for o in openings}
    in_market = set(preferences)
    rankings: dict[int, list[int]] = defaultdict(list)
    for opening_id, student_id in (
        CompanyRanking.objects.filter(round=placement_round, phase=phase)
        .order_by("opening_id", "rank")
        .values_list("opening_id", "student_id")
    ):
        if student_id in in_market:
            rankings[opening_id].append(student_id)
    ranked_openings = set(
        CompanyRanking.objects.filter(round=placement_round, phase=phase)
        .values_list("opening_id", flat=True)
        .distinct()
    )
    open_ids = {o.pk for o in openings}
    students = [
        engine.Student(str(person), tuple(str(o) for o in listed if o in open_ids))
        for person, listed in preferences.items()
    ]
    students = [s for s in students if s.preferences]
    applicants: dict[int, list[int]] = defaultdict(list)
    for student in students:
        for listed_id in student.preferences:
            applicants[int(listed_id)].append(int(student.id))
    engine_openings = [
        engine.Opening(
            str(o.pk),
            capacities[str(o.pk)],
            tuple(str(s) for s in rankings[o.pk]) if o.pk in ranked_openings else None,
        )
        for o in openings
    ]
    unranked = [o for o in openings if o.pk not in ranked_openings and applicants.get(o.pk)]
    scores = engine_scores(unranked, applicants) if unranked else []
    return Market(students, engine_openings, scores, capacities, first)


def solve(placement_round: PlacementRound, run: MatchRun, market: Market) -> engine.StudentMatching:
    method = run.method  # type: ignore[assignment]
    if market.first is not None:
        return engine.match_second_phase(
            market.first,
            market.students,
            market.openings,
            market.scores,
            method=method,  # type: ignore[arg-type]
            seed=placement_round.seed,
            max_choices=placement_round.max_choices,
        )
    return engine.match_students(
        market.students,
        market.openings,
        market.scores,
        method=method,  # type: ignore[arg-type]
        seed=placement_round.seed,
        max_choices=placement_round.max_choices,
    )


def save_results(
    placement_round: PlacementRound,
    run: MatchRun,
    market: Market,
    result: engine.StudentMatching,
) -> int:
    """Write the results and publish them (the round's results are out), in one transaction,
    so a failure leaves the round as it was. Returns the students placed. Telling everyone
    is a task of its own (:func:`announce`), queued once the results are saved."""
    with transaction.atomic():
        locked = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
        if locked.status != PlacementRound.Status.OPEN or locked.phase != run.phase:
            raise ValueError("the round moved on while its match ran")
        rows = [
            MatchResult(
                round=locked,
                phase=run.phase,
                run=run,
                student_id=int(placement.student),
                opening_id=int(placement.opening) if placement.opening is not None else None,
                choice_rank=placement.rank,
                offer=MatchResult.Offer.PENDING if placement.opening is not None else None,
            )
            for placement in result.placements
            if not placement.student.startswith(GONE)
        ]
        MatchResult.objects.bulk_create(rows, batch_size=2000)
        summary = dict(result.summary())
        summary["unfilled"] = result.unfilled
        run.summary = summary
        # Phase 1: each opening's positions; phase 2: what the first phase left open.
        run.capacities = market.capacities if run.phase == 1 else dict(result.capacities)
        run.status, run.progress, run.finished_at = MatchRun.Status.DONE, 100, timezone.now()
        run.save(update_fields=["summary", "capacities", "status", "progress", "finished_at"])
        locked.status = PlacementRound.Status.MATCHED
        locked.save(update_fields=["status", "updated_at"])
    return sum(1 for row in rows if row.opening_id is not None)


@transaction.atomic
def announce(placement_round: PlacementRound, run: MatchRun) -> None:
    """Every student of the phase hears that the results are out (their own result is on
    the round's page), and each company how many students were offered its openings; the
    mails go out afterwards, one task each (the notifications app's way)."""
    names = {"round_ko": placement_round.name_ko, "round_en": placement_round.name_en}
    students = User.objects.filter(
        person__match_results__round=placement_round, person__match_results__phase=run.phase
    )
    notify(
        recipients=students,
        kind=notifications.ROUND_RESULT,
        context={**names, "role": "student"},
        link=placement_round.get_absolute_url(),
    )
    offered: dict[int, int] = defaultdict(int)
    for organisation_id in MatchResult.objects.filter(
        round=placement_round, phase=run.phase, opening__isnull=False
    ).values_list("opening__organisation_id", flat=True):
        offered[organisation_id] += 1
    members: dict[int, list[User]] = defaultdict(list)
    for membership in Membership.objects.filter(
        Q(organisation_id__in=list(offered))
    ).select_related("user"):
        members[membership.organisation_id].append(membership.user)
    for organisation_id, count in offered.items():
        if members[organisation_id]:
            notify(
                recipients=members[organisation_id],
                kind=notifications.ROUND_RESULT,
                context={**names, "role": "company", "count": count},
                link=placement_round.get_absolute_url(),
            )


def run_match(run: MatchRun) -> int:
    """Compute and save one run's match, reporting progress; returns the students placed."""
    placement_round = PlacementRound.objects.get(pk=run.round_id)
    set_progress(run, 5)
    market = build_market(placement_round, run.phase)
    set_progress(run, 40)
    result = solve(placement_round, run, market)
    set_progress(run, 75)
    return save_results(placement_round, run, market, result)
