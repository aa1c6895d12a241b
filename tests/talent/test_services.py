"""The talent services: courses and their waiting lists, certificates, profiles and consents,
openings, and a placement round from ranking to placement. Each refusal is kept as a test
of its message and of nothing saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from sangsaeng.directory.models import Person
from sangsaeng.notifications.models import Notification
from sangsaeng.talent import services
from sangsaeng.talent.models import (
    Certificate,
    CompanyRanking,
    ConsentRecord,
    Enrolment,
    MatchResult,
    MatchRun,
    Opening,
    Placement,
    PlacementRound,
    RoundParticipant,
    StudentChoice,
    StudentProfile,
)
from sangsaeng.talent.selectors import certificate_check, remaining_positions, waitlist_position
from tests.factories import (
    CourseFactory,
    OpeningFactory,
    StudentProfileFactory,
    UserFactory,
)
from tests.talent.conftest import ahead, open_round, past


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (and in Korean where a test says so)."""
    translation.activate("en")
    yield
    translation.deactivate()


def _user(profile: StudentProfile):
    return profile.person.user


def _message(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- courses, waiting lists, completion, certificates ---------------------------------


def test_enrolling_takes_a_place_then_the_waiting_list_then_refuses(world):
    students = [StudentProfileFactory() for _ in range(5)]
    course = world.course  # 2 places, 2 on the waiting list
    first = services.enrol(actor=_user(students[0]), course=course)
    second = services.enrol(actor=_user(students[1]), course=course)
    assert first.status == second.status == Enrolment.Status.ENROLLED

    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=_user(students[2]), course=course)
    assert _message(refused) == "This course is full. You can join its waiting list."
    assert not Enrolment.objects.filter(student=students[2].person).exists()

    waiting = services.enrol(actor=_user(students[2]), course=course, join_waitlist=True)
    services.enrol(actor=_user(students[3]), course=course, join_waitlist=True)
    assert waiting.status == Enrolment.Status.WAITLISTED
    assert waitlist_position(waiting) == 1
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=_user(students[4]), course=course, join_waitlist=True)
    assert _message(refused) == "This course and its waiting list are full."


def test_enrolling_twice_is_refused_in_korean_too(world):
    student = _user(world.consenting)
    services.enrol(actor=student, course=world.course)
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=student, course=world.course)
    assert _message(refused) == "You are already enrolled in this course."
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        services.enrol(actor=student, course=world.course)
    assert _message(refused) == "이미 이 과정에 수강 신청했습니다."
    assert Enrolment.objects.filter(student=world.consenting.person).count() == 1


def test_enrolling_needs_a_student_profile_and_an_open_course(world):
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=UserFactory(), course=world.course)
    assert _message(refused) == "Create your student profile first."
    closed = CourseFactory(organisation=world.university, status="closed")
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=_user(world.consenting), course=closed)
    assert _message(refused) == "This course is not open for enrolment."
    late = CourseFactory(
        organisation=world.university, enrol_until=datetime.date.today() - datetime.timedelta(1)
    )
    with pytest.raises(ValidationError, match="Enrolment for this course closed on"):
        services.enrol(actor=_user(world.consenting), course=late)


def test_a_withdrawal_moves_the_first_on_the_waiting_list_up_and_tells_them(world):
    students = [StudentProfileFactory() for _ in range(4)]
    enrolled = [services.enrol(actor=_user(s), course=world.course) for s in students[:2]]
    waiting = [
        services.enrol(actor=_user(s), course=world.course, join_waitlist=True)
        for s in students[2:]
    ]
    services.enrolment_withdraw(actor=_user(students[0]), enrolment=enrolled[0])
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert waiting[0].status == Enrolment.Status.ENROLLED
    assert waiting[1].status == Enrolment.Status.WAITLISTED and waitlist_position(waiting[1]) == 1
    promoted = Notification.objects.get(recipient=_user(students[2]))
    assert promoted.kind == "talent_place"
    with pytest.raises(PermissionDenied):  # nobody withdraws someone else
        services.enrolment_withdraw(actor=_user(students[1]), enrolment=waiting[1])


def test_more_places_promote_the_waiting_list_and_fewer_than_taken_are_refused(world):
    students = [StudentProfileFactory() for _ in range(3)]
    for s in students[:2]:
        services.enrol(actor=_user(s), course=world.course)
    waiting = services.enrol(actor=_user(students[2]), course=world.course, join_waitlist=True)
    with pytest.raises(ValidationError) as refused:
        services.course_update(actor=world.provider, course=world.course, capacity=1)
    assert "2 students already have a place" in _message(refused)
    services.course_update(actor=world.provider, course=world.course, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED


def test_the_provider_marks_completion_and_a_certificate_can_be_checked_by_anyone(world):
    enrolment = services.enrol(actor=_user(world.consenting), course=world.course)
    with pytest.raises(PermissionDenied):
        services.enrolments_complete(
            actor=world.company_admin, course=world.course, enrolments=[enrolment]
        )
    (certificate,) = services.enrolments_complete(
        actor=world.provider, course=world.course, enrolments=[enrolment]
    )
    assert certificate.holder_name_ko == "강하은"
    assert certificate.provider_name_en == "Sejong University"
    check = certificate_check(user=UserFactory(), code=certificate.code.lower().replace("-", ""))
    assert check is not None and check.valid
    assert check.holder_masked == "강*은"
    assert check.course_title == world.course.title_en
    assert certificate_check(
        user=UserFactory(), code=certificate.code, name="Haeun Kang"
    ).name_matches
    assert not certificate_check(
        user=UserFactory(), code=certificate.code, name="김철수"
    ).name_matches
    assert certificate_check(user=UserFactory(), code="AAAA-BBBB-CCCC") is None
    with pytest.raises(ValidationError) as refused:
        services.enrolments_complete(
            actor=world.provider, course=world.course, enrolments=[enrolment]
        )
    assert _message(refused) == "Haeun Kang has already completed this course."
    assert Certificate.objects.count() == 1


def test_completion_waits_for_the_course_to_start(world):
    future = CourseFactory(
        organisation=world.university,
        starts_on=datetime.date.today() + datetime.timedelta(days=3),
    )
    enrolment = services.enrol(actor=_user(world.consenting), course=future)
    with pytest.raises(ValidationError, match="once the course has started"):
        services.enrolments_complete(actor=world.provider, course=future, enrolments=[enrolment])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_a_course_needs_places_and_sensible_dates(world):
    today = datetime.date.today()
    with pytest.raises(ValidationError) as refused:
        services.course_create(
            actor=world.provider,
            organisation=world.university,
            title_ko="",
            capacity=0,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    assert refused.value.message_dict == {
        "title_ko": ["Give the course a title in Korean."],
        "capacity": ["A course needs at least one place."],
        "ends_on": ["The course cannot end before it starts."],
    }
    with pytest.raises(PermissionDenied):
        services.course_create(
            actor=world.company_admin,
            organisation=world.university,
            title_ko="과정",
            capacity=5,
            starts_on=today,
            ends_on=today,
        )


# --- profiles and consents --------------------------------------------------------------


def test_a_profile_needs_consent_and_records_each_consent_with_its_version(world):
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.student_profile_create(actor=user, consent_to_profile=False, name_ko="이학생")
    assert "consent_to_profile" in refused.value.message_dict
    assert not Person.objects.filter(user=user).exists()

    profile = services.student_profile_create(
        actor=user,
        consent_to_profile=True,
        consent_to_companies=True,
        name_ko="이학생",
        organisation=world.university,
        skills=["verification"],
    )
    assert profile.person.kind == Person.Kind.STUDENT and not profile.person.is_public
    assert profile.person.slug.startswith("student-") and "이학생" not in profile.person.slug
    records = ConsentRecord.objects.filter(user=user)
    assert {(r.purpose, r.version, r.withdrawn_at) for r in records} == {
        ("talent_profile", "2026-01", None),
        ("talent_companies", "2026-01", None),
    }
    with pytest.raises(ValidationError, match="You already have a student profile"):
        services.student_profile_create(actor=user, consent_to_profile=True, name_ko="이학생")

    withdrawn = services.consent_withdraw(actor=user, purpose="talent_companies")
    assert withdrawn.withdrawn_at is not None
    again = services.consent_give(actor=user, purpose="talent_companies")
    assert again.pk != withdrawn.pk
    assert ConsentRecord.objects.filter(user=user, purpose="talent_companies").count() == 2


def test_an_expert_cannot_become_a_student_with_the_same_account(world):
    from tests.factories import PersonFactory

    expert = PersonFactory(user=UserFactory())
    with pytest.raises(ValidationError, match="expert profile"):
        services.student_profile_create(
            actor=expert.user, consent_to_profile=True, name_ko="전문가"
        )


def test_a_cv_must_be_a_document_of_at_most_5_mb(world):
    profile = world.consenting
    big = SimpleUploadedFile("cv.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as refused:
        services.student_profile_update(actor=_user(profile), profile=profile, cv=big)
    assert refused.value.message_dict == {"cv": ["The CV is larger than 5 MB."]}
    exe = SimpleUploadedFile("cv.exe", b"MZ")
    with pytest.raises(ValidationError, match="PDF, Word or Hangul"):
        services.student_profile_update(actor=_user(profile), profile=profile, cv=exe)


def test_deleting_a_profile_frees_places_withdraws_certificates_and_keeps_counts(world):
    profile, user = world.consenting, _user(world.consenting)
    other = StudentProfileFactory()
    services.enrol(actor=user, course=world.course)
    done = services.enrol(actor=_user(other), course=world.course)
    waiting_student = StudentProfileFactory()
    waiting = services.enrol(actor=_user(waiting_student), course=world.course, join_waitlist=True)
    second_course = CourseFactory(organisation=world.university)
    completed = services.enrol(actor=user, course=second_course)
    (certificate,) = services.enrolments_complete(
        actor=world.provider, course=second_course, enrolments=[completed]
    )
    assert done.status == Enrolment.Status.ENROLLED

    services.student_profile_delete(actor=user, profile=profile)

    assert not StudentProfile.objects.filter(pk=profile.pk).exists()
    assert not Person.objects.filter(pk=profile.person_id).exists()
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED  # the freed place went to the next
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.holder_name_ko == ""
    check = certificate_check(user=UserFactory(), code=certificate.code)
    assert check is not None and not check.valid and check.holder_masked == ""
    # The completion still counts, without the person.
    assert Enrolment.objects.filter(course=second_course, student__isnull=True).count() == 1
    assert set(ConsentRecord.objects.filter(user=user).values_list("withdrawn_at", flat=True)) != {
        None
    }
    assert ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).count() == 0


def test_withdrawing_the_consent_to_keep_a_profile_deletes_it(world):
    user = _user(world.private)
    services.consent_withdraw(actor=user, purpose="talent_profile")
    assert not StudentProfile.objects.filter(pk=world.private.pk).exists()
    with pytest.raises(ValidationError, match="no standing consent"):
        services.consent_withdraw(actor=user, purpose="talent_profile")


# --- openings ---------------------------------------------------------------------------


def test_an_opening_with_no_positions_is_refused_with_nothing_saved(world):
    before = Opening.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.opening_create(
            actor=world.company_member,
            organisation=world.company,
            kind="internship",
            title_ko="검증 인턴",
            positions=0,
        )
    assert refused.value.message_dict == {"positions": ["An opening needs at least one position."]}
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        services.opening_create(
            actor=world.company_member,
            organisation=world.company,
            kind="internship",
            title_ko="검증 인턴",
            positions=0,
        )
    assert refused.value.message_dict == {"positions": ["공고에는 한 자리 이상이 있어야 합니다."]}
    assert Opening.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.opening_create(
            actor=world.other_admin,
            organisation=world.company,
            kind="internship",
            title_ko="남의 공고",
            positions=1,
        )


# --- a placement round ------------------------------------------------------------------


def _joined(world, placement_round, *profiles):
    for profile in profiles:
        services.round_join(actor=_user(profile), placement_round=placement_round)


def test_ranking_rules_deadline_n_and_membership(world):
    placement_round = open_round(world, max_choices=1)
    student = _user(world.consenting)
    with pytest.raises(ValidationError) as refused:
        services.choices_set(
            actor=student, placement_round=placement_round, openings=[world.opening]
        )
    assert _message(refused) == "You are not taking part in this round: join it first."
    _joined(world, placement_round, world.consenting)
    with pytest.raises(ValidationError) as refused:
        services.choices_set(
            actor=student,
            placement_round=placement_round,
            openings=[world.opening, world.other_opening],
        )
    assert _message(refused) == "You may rank at most 1 opening in this round; you ranked 2."
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        services.choices_set(
            actor=student,
            placement_round=placement_round,
            openings=[world.opening, world.other_opening],
        )
    assert (
        _message(refused)
        == "이 라운드에서는 공고를 최대 1개까지 순위에 올릴 수 있습니다. 2개를 올렸습니다."
    )
    services.choices_set(actor=student, placement_round=placement_round, openings=[world.opening])

    placement_round.students_deadline = past()
    placement_round.save()
    with pytest.raises(ValidationError) as refused:
        services.choices_set(
            actor=student, placement_round=placement_round, openings=[world.other_opening]
        )
    assert _message(refused).startswith("The deadline for ranking in this round passed on")
    # Nothing lost: the list saved before the deadline stands.
    assert list(
        StudentChoice.objects.filter(round=placement_round).values_list("opening_id", flat=True)
    ) == [world.opening.pk]


def test_an_opening_outside_the_round_cannot_be_ranked(world):
    placement_round = open_round(world)
    _joined(world, placement_round, world.consenting)
    stranger = OpeningFactory(organisation=world.company)
    with pytest.raises(ValidationError, match="Not an open opening of this round"):
        services.choices_set(
            actor=_user(world.consenting), placement_round=placement_round, openings=[stranger]
        )


def test_a_round_limited_to_some_universities_refuses_other_students(world):
    from tests.factories import OrganisationFactory

    placement_round = open_round(world)
    other_university = OrganisationFactory(kind="university", name_en="Far University")
    placement_round.organisations.set([other_university])
    with pytest.raises(ValidationError, match="This round is for students of"):
        services.round_join(actor=_user(world.consenting), placement_round=placement_round)
    assert not RoundParticipant.objects.exists()


def test_a_company_ranks_only_its_own_applicants_and_only_for_its_openings(world):
    placement_round = open_round(world)
    _joined(world, placement_round, world.consenting, world.private)
    services.choices_set(
        actor=_user(world.consenting), placement_round=placement_round, openings=[world.opening]
    )
    with pytest.raises(PermissionDenied):
        services.company_ranking_set(
            actor=world.other_admin,
            placement_round=placement_round,
            opening=world.opening,
            students=[world.consenting.person],
        )
    with pytest.raises(ValidationError, match="only students who applied"):
        services.company_ranking_set(
            actor=world.company_member,
            placement_round=placement_round,
            opening=world.opening,
            students=[world.private.person],
        )
    services.company_ranking_set(
        actor=world.company_member,
        placement_round=placement_round,
        opening=world.opening,
        students=[world.consenting.person],
    )
    assert CompanyRanking.objects.get().student == world.consenting.person


def test_the_match_waits_for_the_companies_deadline(world):
    placement_round = open_round(world)
    _joined(world, placement_round, world.consenting)
    services.choices_set(
        actor=_user(world.consenting), placement_round=placement_round, openings=[world.opening]
    )
    with pytest.raises(ValidationError, match="after the companies' deadline"):
        services.match_start(actor=world.operator, placement_round=placement_round)
    with pytest.raises(PermissionDenied):
        services.match_start(actor=world.company_admin, placement_round=placement_round)
    assert not MatchRun.objects.exists()


def _run_round(world, profiles_and_lists, company_lists=None, *, capture):
    """Join, rank, pass the deadlines and run the match (the immediate task backend)."""
    placement_round = open_round(world)
    for profile, openings in profiles_and_lists:
        _joined(world, placement_round, profile)
        services.choices_set(
            actor=_user(profile), placement_round=placement_round, openings=openings
        )
    for opening, students in (company_lists or {}).items():
        actor = world.company_member if opening.organisation == world.company else world.other_admin
        services.company_ranking_set(
            actor=actor, placement_round=placement_round, opening=opening, students=students
        )
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    placement_round.refresh_from_db()
    with capture(execute=True):
        run = services.match_start(actor=world.operator, placement_round=placement_round)
    run.refresh_from_db()
    placement_round.refresh_from_db()
    return placement_round, run


def test_the_match_offers_places_and_an_accepted_offer_is_a_placement(
    world, django_capture_on_commit_callbacks
):
    third = StudentProfileFactory()
    placement_round, run = _run_round(
        world,
        [
            (world.consenting, [world.opening, world.other_opening]),
            (world.private, [world.opening]),
            (third, [world.opening]),
        ],
        {world.opening: [world.private.person, world.consenting.person]},
        capture=django_capture_on_commit_callbacks,
    )
    assert run.status == MatchRun.Status.DONE and run.progress == 100
    assert placement_round.status == PlacementRound.Status.MATCHED
    results = {r.student_id: r for r in MatchResult.objects.filter(round=placement_round)}
    # The company preferred the private applicant; the third was not on its list at all.
    assert results[world.private.person_id].opening == world.opening
    assert results[world.consenting.person_id].opening == world.other_opening
    assert results[world.consenting.person_id].choice_rank == 2
    assert results[third.person_id].opening is None
    assert run.summary["choice_counts"] == {"1": 1, "2": 1}
    assert run.summary["unplaced"] == 1

    accepted = services.offer_answer(
        actor=_user(world.consenting), result=results[world.consenting.person_id], accept=True
    )
    assert accepted.offer == MatchResult.Offer.ACCEPTED
    placement = Placement.objects.get()
    assert placement.employer == world.other_company and placement.in_cluster
    with pytest.raises(ValidationError, match="already been answered"):
        services.offer_answer(
            actor=_user(world.consenting), result=results[world.consenting.person_id], accept=False
        )
    with pytest.raises(PermissionDenied):
        services.offer_answer(
            actor=_user(world.consenting), result=results[world.private.person_id], accept=False
        )
    told = Notification.objects.filter(kind="talent_offer_answer", recipient=world.other_admin)
    assert told.count() == 1


def test_a_declined_offer_frees_its_position_for_the_second_phase(
    world, django_capture_on_commit_callbacks
):
    late = StudentProfileFactory()
    placement_round, _run = _run_round(
        world,
        [(world.consenting, [world.opening]), (world.private, [world.opening])],
        {world.opening: [world.consenting.person, world.private.person]},
        capture=django_capture_on_commit_callbacks,
    )
    first = MatchResult.objects.get(round=placement_round, student=world.consenting.person)
    services.offer_answer(actor=_user(world.consenting), result=first, accept=False)
    assert remaining_positions(placement_round) == {world.opening.pk: 1, world.other_opening.pk: 1}

    services.second_phase_open(
        actor=world.operator,
        placement_round=placement_round,
        students_deadline=ahead(1),
        companies_deadline=ahead(2),
    )
    placement_round.refresh_from_db()
    assert placement_round.phase == 2 and placement_round.status == PlacementRound.Status.OPEN
    # A student who was never part of the round cannot rank in it.
    with pytest.raises(ValidationError, match="not taking part"):
        services.choices_set(
            actor=_user(late), placement_round=placement_round, openings=[world.opening]
        )
    services.choices_set(
        actor=_user(world.private),
        placement_round=placement_round,
        openings=[world.opening, world.other_opening],
    )
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    placement_round.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_start(actor=world.operator, placement_round=placement_round)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    second = MatchResult.objects.get(round=placement_round, phase=2, student=world.private.person)
    # The company did not rank in phase 2: its applicant is taken in the engine's order.
    assert second.opening == world.opening and second.choice_rank == 1

    services.round_close(actor=world.operator, placement_round=placement_round)
    second.refresh_from_db()
    assert second.offer == MatchResult.Offer.LAPSED


def test_the_retention_sweep_removes_personal_data_of_rounds_finished_long_ago(
    world, settings, django_capture_on_commit_callbacks
):
    from sangsaeng.talent.tasks import remove_expired_personal_data

    settings.TALENT_RETENTION_DAYS = 30
    placement_round, _run = _run_round(
        world, [(world.consenting, [world.opening])], capture=django_capture_on_commit_callbacks
    )
    result = MatchResult.objects.get(round=placement_round)
    services.offer_answer(actor=_user(world.consenting), result=result, accept=True)
    services.round_close(actor=world.operator, placement_round=placement_round)
    assert remove_expired_personal_data() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert remove_expired_personal_data(now=later) == 1
    assert not StudentChoice.objects.filter(round=placement_round).exists()
    assert not RoundParticipant.objects.filter(round=placement_round).exists()
    assert MatchResult.objects.get(round=placement_round).student is None
    assert Placement.objects.get(round=placement_round).student is None
    placement_round.refresh_from_db()
    assert placement_round.personal_data_removed_at == later
    assert remove_expired_personal_data(now=later) == 0
