"""The match verified through the platform: generated rounds are ranked through the services,
matched by the background task and read back from the database.

For each generated round: a ``stable`` result has no blocking pair (checked here, apart from
the engine's own check, from the lists saved in the database); the operator's counts by
choice rank, unplaced students and unfilled openings agree with the saved results; and
``optimal`` on the same lists places at least as many students.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sangsaeng.talent import services
from sangsaeng.talent.models import (
    CompanyRanking,
    MatchResult,
    MatchRun,
    PlacementRound,
    StudentChoice,
)
from sangsaeng.talent.selectors import round_report
from tests.factories import (
    MembershipFactory,
    OpeningFactory,
    OperatorFactory,
    OrganisationFactory,
    PlacementRoundFactory,
    StudentProfileFactory,
)
from tests.talent.conftest import past

STUDENTS, OPENINGS = 8, 4


@pytest.fixture
def pool(db):
    """Students and openings reused by every generated round (rounds are new each time)."""
    students = [StudentProfileFactory() for _ in range(STUDENTS)]
    companies = [OrganisationFactory() for _ in range(OPENINGS)]
    recruiters = [MembershipFactory(organisation=c).user for c in companies]
    openings = [OpeningFactory(organisation=c) for c in companies]
    return students, openings, recruiters, OperatorFactory()


@st.composite
def markets(draw: st.DrawFn):
    """Lists of up to N openings per student, positions per opening, and each company's
    ranking of some of its applicants (the others are not acceptable to it)."""
    max_choices = draw(st.integers(1, 3))
    # The first student ranks something: a match nobody ranked in is refused (tested apart).
    lists = [
        draw(st.permutations(range(OPENINGS)))[: draw(st.integers(int(k == 0), max_choices))]
        for k in range(STUDENTS)
    ]
    positions = [draw(st.integers(1, 3)) for _ in range(OPENINGS)]
    rankings = []
    for opening in range(OPENINGS):
        applicants = [s for s, chosen in enumerate(lists) if opening in chosen]
        order = draw(st.permutations(applicants))
        rankings.append(order[: draw(st.integers(0, len(order)))])
    return max_choices, lists, positions, rankings


def _run(pool, market, method, capture):
    students, openings, recruiters, operator = pool
    max_choices, lists, positions, rankings = market
    for opening, count in zip(openings, positions, strict=True):
        opening.positions = count
        opening.save(update_fields=["positions"])
    placement_round = PlacementRoundFactory(
        openings=openings, max_choices=max_choices, method=method
    )
    for profile, chosen in zip(students, lists, strict=True):
        if not chosen:
            continue
        services.round_join(actor=profile.person.user, placement_round=placement_round)
        services.choices_set(
            actor=profile.person.user,
            placement_round=placement_round,
            openings=[openings[k] for k in chosen],
        )
    for k, (opening, ranked) in enumerate(zip(openings, rankings, strict=True)):
        services.company_ranking_set(
            actor=recruiters[k],
            placement_round=placement_round,
            opening=opening,
            students=[students[s].person for s in ranked],
        )
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    placement_round.refresh_from_db()
    with capture(execute=True):
        run = services.match_start(actor=operator, placement_round=placement_round)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    return placement_round, run, operator


def blocking_pairs(placement_round: PlacementRound) -> list[tuple[int, int]]:
    """Pairs (student, opening) that would both rather have each other, from the database:
    the student lists the opening above what they got (or got nothing), the company ranked
    them, and the opening has room or holds someone it ranks lower."""
    lists: dict[int, list[int]] = {}
    for student, opening in (
        StudentChoice.objects.filter(round=placement_round)
        .order_by("student", "rank")
        .values_list("student_id", "opening_id")
    ):
        lists.setdefault(student, []).append(opening)
    ranks = {
        (opening, student): rank
        for opening, student, rank in CompanyRanking.objects.filter(
            round=placement_round
        ).values_list("opening_id", "student_id", "rank")
    }
    got = dict(
        MatchResult.objects.filter(round=placement_round).values_list("student_id", "opening_id")
    )
    held: dict[int, list[int]] = {}
    for student, opening in got.items():
        if opening is not None:
            held.setdefault(opening, []).append(student)
    capacity = {opening.pk: opening.positions for opening in placement_round.openings.all()}
    pairs = []
    for student, chosen in lists.items():
        for opening in chosen:
            if opening == got.get(student):
                break
            if (opening, student) not in ranks:
                continue
            holders = held.get(opening, [])
            if len(holders) < capacity[opening] or any(
                ranks[(opening, student)] < ranks[(opening, other)] for other in holders
            ):
                pairs.append((student, opening))
    return pairs


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(market=markets())
def test_generated_rounds_match_stably_and_count_right(
    pool, market, django_capture_on_commit_callbacks
):
    placement_round, run, operator = _run(
        pool, market, "stable", django_capture_on_commit_callbacks
    )
    assert blocking_pairs(placement_round) == []
    assert run.summary["blocking_pairs"] == 0

    results = list(MatchResult.objects.filter(round=placement_round))
    choice_rank = {
        (c.student_id, c.opening_id): c.rank
        for c in StudentChoice.objects.filter(round=placement_round)
    }
    for result in results:
        if result.opening_id is not None:
            assert result.choice_rank == choice_rank[(result.student_id, result.opening_id)]
            assert result.offer == MatchResult.Offer.PENDING
    counted = Counter(r.choice_rank for r in results if r.choice_rank is not None)
    (report,) = round_report(operator, placement_round)
    assert dict(report.choice_counts) == dict(counted)
    assert {str(k): v for k, v in counted.items()} == run.summary["choice_counts"]
    assert len(report.unplaced) == sum(1 for r in results if r.opening_id is None)
    filled = Counter(r.opening_id for r in results if r.opening_id is not None)
    for opening in placement_round.openings.all():
        assert filled[opening.pk] <= opening.positions
    assert {o.pk: left for o, _positions, left in report.unfilled} == {
        o.pk: o.positions - filled[o.pk]
        for o in placement_round.openings.all()
        if o.positions > filled[o.pk]
    }

    _optimal_round, optimal_run, _ = _run(
        pool, market, "optimal", django_capture_on_commit_callbacks
    )
    assert optimal_run.summary["placed"] >= run.summary["placed"]


def test_the_blocking_pair_check_finds_a_pair_the_company_and_student_prefer(
    pool, django_capture_on_commit_callbacks
):
    # Two students want opening 0 (one position); its company ranks student 1 first.
    market = (1, [[0], [0]] + [[]] * (STUDENTS - 2), [1, 1, 1, 1], [[1, 0], [], [], []])
    placement_round, _run_record, _ = _run(
        pool, market, "stable", django_capture_on_commit_callbacks
    )
    students, openings = pool[0], pool[1]
    placed = MatchResult.objects.get(round=placement_round, opening=openings[0])
    assert placed.student == students[1].person
    assert blocking_pairs(placement_round) == []
    # Give the place to the company's second choice instead: now the first choice and the
    # company would both rather have each other.
    MatchResult.objects.filter(round=placement_round, student=students[1].person).update(
        opening=None, offer=None, choice_rank=None
    )
    MatchResult.objects.filter(round=placement_round, student=students[0].person).update(
        opening=openings[0], offer="pending", choice_rank=1
    )
    assert blocking_pairs(placement_round) == [(students[1].person.pk, openings[0].pk)]
