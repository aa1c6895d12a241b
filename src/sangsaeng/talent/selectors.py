"""Reads of the talent app, always through the access policy.

Each record has one fetcher (``course_get``, ``opening_get``, ``round_get``, ...) that raises
:class:`~sangsaeng.core.selectors.NotFound` when it does not exist or the user may not see
it. The outcome figures at the end (trained, certified, placed, placed in the cluster's
companies) are what the insights app reads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser
from sangsaeng.accounts.other_consents import OtherConsent
from sangsaeng.core.policy import Action, can, principal_of, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.talent.models import (
    Certificate,
    CompanyRanking,
    ConsentRecord,
    Course,
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
from sangsaeng.talent.rules import consenting_to_companies

# --- students ---------------------------------------------------------------------------


def own_student(user: AnyUser) -> Person | None:
    """The user's own student person (with or without a talent profile yet)."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk, kind=Person.Kind.STUDENT).first()


def own_profile(user: AnyUser) -> StudentProfile | None:
    if not user.is_authenticated:
        return None
    return (
        StudentProfile.objects.select_related("person__organisation")
        .prefetch_related("skills")
        .filter(person__user_id=user.pk)
        .first()
    )


def may_become_student(user: AnyUser) -> bool:
    """Signed in, and no expert profile in the way."""
    if not user.is_authenticated:
        return False
    person = Person.objects.filter(user_id=user.pk).first()
    return person is None or person.kind == Person.Kind.STUDENT


def profiles_visible_to(user: AnyUser) -> QuerySet[StudentProfile]:
    return restrict(StudentProfile.objects.all(), user, Action.VIEW)


def profile_get(*, user: AnyUser, pk: int) -> StudentProfile:
    """A student's profile the user may see (theirs, consented, or applied), else NotFound."""
    profile = (
        profiles_visible_to(user)
        .select_related("person__organisation")
        .prefetch_related("skills")
        .filter(pk=pk)
        .first()
    )
    if profile is None:
        raise NotFound(_("No such student."))
    return profile


def consents_of(user: AnyUser) -> QuerySet[ConsentRecord]:
    if not user.is_authenticated:
        return ConsentRecord.objects.none()
    return restrict(ConsentRecord.objects.filter(user_id=user.pk), user, Action.VIEW)


def standing_consents(user: AnyUser) -> set[str]:
    return set(
        consents_of(user).filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
    )


def shares_with_companies(profile: StudentProfile) -> bool:
    if profile.person.user_id is None:
        return False
    return ConsentRecord.objects.filter(
        user_id=profile.person.user_id,
        purpose=ConsentRecord.Purpose.COMPANIES,
        withdrawn_at__isnull=True,
    ).exists()


def completed_enrolments(person: Person) -> QuerySet[Enrolment]:
    """The courses a student completed on the platform (verified by their provider)."""
    return (
        Enrolment.objects.filter(student=person, status=Enrolment.Status.COMPLETED)
        .select_related("course__organisation", "certificate")
        .prefetch_related("course__tags")
        .order_by("-completed_at")
    )


def student_homes() -> QuerySet[Organisation]:
    """Universities and institutes a student may name as theirs."""
    return Organisation.objects.filter(
        status=Organisation.Status.APPROVED,
        kind__in=[Organisation.Kind.UNIVERSITY, Organisation.Kind.RESEARCH_INSTITUTE],
    ).order_by("name_ko")


def student_home_get(slug: str) -> Organisation:
    home = student_homes().filter(slug=slug).first()
    if home is None:
        raise NotFound(_("No such organisation."))
    return home


# --- courses ----------------------------------------------------------------------------


def courses_visible_to(user: AnyUser) -> QuerySet[Course]:
    return restrict(Course.objects.all(), user, Action.VIEW)


def _with_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.annotate(
        taken=Count(
            "enrolments",
            filter=Q(
                enrolments__status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED]
            ),
        ),
        waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)),
    )


def course_list(
    user: AnyUser, *, query: str = "", area: str = "", mode: str = "", mine: bool = False
) -> QuerySet[Course]:
    courses = courses_visible_to(user)
    if mine:
        courses = courses.filter(organisation_id__in=principal_of(user).member_of)
    if mode:
        courses = courses.filter(mode=mode)
    if area:
        courses = courses.filter(Q(tags__code=area) | Q(tags__parent__code=area))
    for word in query.split():
        courses = courses.filter(
            Q(title_ko__icontains=word)
            | Q(title_en__icontains=word)
            | Q(organisation__name_ko__icontains=word)
            | Q(organisation__name_en__icontains=word)
        )
    courses = courses.filter(pk__in=courses.values("pk"))  # one row each, whatever the joins
    # Courses open for enrolment first (soonest first), then the others, latest first.
    open_first = Case(When(status=Course.Status.PUBLISHED, then=Value(0)), default=Value(1))
    return (
        _with_counts(courses)
        .select_related("organisation")
        .prefetch_related("tags")
        .order_by(open_first, "starts_on", "id")
    )


def course_get(*, user: AnyUser, pk: int) -> Course:
    course = (
        _with_counts(courses_visible_to(user))
        .select_related("organisation")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if course is None:
        raise NotFound(_("No such course."))
    return course


def may_change(user: AnyUser, record: Any) -> bool:
    return can(user, Action.CHANGE, record)


def course_roster(user: AnyUser, course: Course) -> QuerySet[Enrolment]:
    """The course's enrolments, for its provider (and the cluster office)."""
    return (
        restrict(Enrolment.objects.filter(course=course), user, Action.CHANGE)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("student__organisation", "certificate")
        .order_by("status", "waitlisted_at", "created_at", "id")
    )


def roster_enrolments(user: AnyUser, course: Course, ids: list[int]) -> list[Enrolment]:
    return list(course_roster(user, course).filter(pk__in=ids))


def my_enrolment(user: AnyUser, course: Course) -> Enrolment | None:
    student = own_student(user)
    if student is None:
        return None
    return (
        Enrolment.objects.filter(course=course, student=student, status__in=Enrolment.ACTIVE)
        .select_related("certificate")
        .first()
    )


def my_enrolments(user: AnyUser) -> QuerySet[Enrolment]:
    student = own_student(user)
    if student is None:
        return Enrolment.objects.none()
    return (
        restrict(Enrolment.objects.filter(student=student), user, Action.VIEW)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("course__organisation", "certificate")
        .order_by("-created_at")
    )


def enrolment_get(*, user: AnyUser, pk: int) -> Enrolment:
    enrolment = (
        restrict(Enrolment.objects.all(), user, Action.VIEW)
        .select_related("course", "student")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise NotFound(_("No such enrolment."))
    return enrolment


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if enrolment.status != Enrolment.Status.WAITLISTED or enrolment.waitlisted_at is None:
        return None
    ahead = Enrolment.objects.filter(
        course_id=enrolment.course_id, status=Enrolment.Status.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=enrolment.waitlisted_at)
        | Q(waitlisted_at=enrolment.waitlisted_at, id__lt=enrolment.pk)
    )
    return ahead.count() + 1


# --- certificates -----------------------------------------------------------------------


def certificate_get(*, user: AnyUser, pk: int) -> Certificate:
    """A certificate its holder or its provider may download."""
    certificate = (
        restrict(Certificate.objects.all(), user, Action.VIEW)
        .select_related("enrolment__course__organisation")
        .filter(pk=pk)
        .first()
    )
    if certificate is None:
        raise NotFound(_("No such certificate."))
    return certificate


def mask_name(name: str) -> str:
    """A name as the public check shows it: 강하은 → 강*은, Haeun Kang → H**** K***."""
    name = name.strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class CertificateCheck:
    """What anyone holding a code learns: that the certificate is genuine, what it certifies,
    and the holder's name masked (they may compare it with the name printed on it)."""

    code: str
    valid: bool
    course_title: str
    provider_name: str
    completed_on: Any
    hours: int | None
    holder_masked: str
    name_matches: bool | None = None


def _normalised_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else code.strip().upper()


def certificate_check(*, user: AnyUser, code: str, name: str = "") -> CertificateCheck | None:
    """The public verification of a certificate by its code (None: no such certificate)."""
    code = _normalised_code(code)
    if not code:
        return None
    certificate = restrict(Certificate.objects.all(), user, Action.VIEW_SUMMARY).filter(code=code)
    found = certificate.first()
    if found is None:
        return None
    holder = found.holder_name_ko or found.holder_name_en
    matches = None
    if name.strip() and found.is_valid:
        typed = "".join(name.split()).casefold()
        matches = typed in {
            "".join(found.holder_name_ko.split()).casefold(),
            "".join(found.holder_name_en.split()).casefold(),
        } - {""}
    return CertificateCheck(
        code=found.code,
        valid=found.is_valid,
        course_title=found.course_title,
        provider_name=found.provider_name,
        completed_on=found.completed_on,
        hours=found.hours,
        holder_masked=mask_name(holder),
        name_matches=matches,
    )


# --- openings ---------------------------------------------------------------------------


def openings_visible_to(user: AnyUser) -> QuerySet[Opening]:
    return restrict(Opening.objects.all(), user, Action.VIEW)


def opening_list(
    user: AnyUser, *, kind: str = "", area: str = "", mine: bool = False, open_only: bool = True
) -> QuerySet[Opening]:
    openings = openings_visible_to(user)
    if open_only and not mine:
        openings = openings.filter(status=Opening.Status.OPEN)
    if mine:
        openings = openings.filter(organisation_id__in=principal_of(user).member_of)
    if kind:
        openings = openings.filter(kind=kind)
    if area:
        openings = openings.filter(
            pk__in=Opening.objects.filter(Q(tags__code=area) | Q(tags__parent__code=area)).values(
                "pk"
            )
        )
    return openings.select_related("organisation").prefetch_related("tags")


def opening_get(*, user: AnyUser, pk: int) -> Opening:
    opening = (
        openings_visible_to(user)
        .select_related("organisation")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if opening is None:
        raise NotFound(_("No such opening."))
    return opening


def is_of_company(user: AnyUser, opening: Opening) -> bool:
    """Whether the user speaks for the opening's company (an approved member of it)."""
    return opening.organisation_id in principal_of(user).approved_member_of


def postable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user may post openings or courses for."""
    who = principal_of(user)
    organisations = Organisation.objects.filter(status=Organisation.Status.APPROVED)
    if not who.is_operator:
        organisations = organisations.filter(pk__in=who.approved_member_of)
    return organisations.order_by("name_ko")


def consenting_profiles(user: AnyUser) -> QuerySet[StudentProfile]:
    """Profiles of students who consent to companies, as far as the user may see them."""
    return profiles_visible_to(user).filter(
        person__in=Person.objects.filter(consenting_to_companies()).values("pk")
    )


# --- rounds -----------------------------------------------------------------------------


def rounds_visible_to(user: AnyUser) -> QuerySet[PlacementRound]:
    return restrict(PlacementRound.objects.all(), user, Action.VIEW)


def round_list(user: AnyUser) -> QuerySet[PlacementRound]:
    return rounds_visible_to(user).annotate(opening_count=Count("openings", distinct=True))


def round_get(*, user: AnyUser, pk: int) -> PlacementRound:
    placement_round = rounds_visible_to(user).filter(pk=pk).first()
    if placement_round is None:
        raise NotFound(_("No such placement round."))
    return placement_round


def round_openings(placement_round: PlacementRound) -> QuerySet[Opening]:
    return (
        placement_round.openings.select_related("organisation")
        .prefetch_related("tags")
        .order_by("organisation__name_ko", "id")
    )


def rankable_openings(user: AnyUser, placement_round: PlacementRound) -> QuerySet[Opening]:
    """The round's openings a student may rank now (in phase 2: those with room left)."""
    openings = round_openings(placement_round).filter(status=Opening.Status.OPEN)
    openings = openings.filter(pk__in=openings_visible_to(user).values("pk"))
    if placement_round.phase == 2:
        openings = openings.filter(pk__in=list(remaining_positions(placement_round)))
    return openings


def may_rank_applicants(user: AnyUser, opening: Opening) -> bool:
    """Whether the user ranks the opening's applicants (its company's members)."""
    return can(user, Action.CHANGE, CompanyRanking, opening=opening)


def round_opening_ids(placement_round: PlacementRound) -> list[int]:
    return list(placement_round.openings.order_by("pk").values_list("pk", flat=True))


def round_opening_get(*, user: AnyUser, placement_round: PlacementRound, pk: int) -> Opening:
    opening = openings_visible_to(user).filter(pk=pk, rounds=placement_round).first()
    if opening is None:
        raise NotFound(_("No such opening in this round."))
    return opening


def company_round_openings(user: AnyUser, placement_round: PlacementRound) -> list[Opening]:
    """The round's openings of the user's own organisations, with their applicant counts."""
    who = principal_of(user)
    openings = round_openings(placement_round).filter(organisation_id__in=who.approved_member_of)
    phase = placement_round.phase
    return list(
        openings.annotate(
            applicant_count=Count(
                "choices", filter=Q(choices__round=placement_round, choices__phase=phase)
            )
        )
    )


def participation(user: AnyUser, placement_round: PlacementRound) -> RoundParticipant | None:
    student = own_student(user)
    if student is None:
        return None
    return RoundParticipant.objects.filter(round=placement_round, student=student).first()


def my_choices(user: AnyUser, placement_round: PlacementRound, phase: int) -> list[StudentChoice]:
    student = own_student(user)
    if student is None:
        return []
    return list(
        restrict(
            StudentChoice.objects.filter(round=placement_round, phase=phase, student=student),
            user,
            Action.VIEW,
        ).select_related("opening__organisation")
    )


def round_choice_openings(
    *, user: AnyUser, placement_round: PlacementRound, ids: list[int]
) -> list[Opening]:
    """The round's openings with these ids, in the order given (unknown ids are left out)."""
    found = openings_visible_to(user).filter(pk__in=ids, rounds=placement_round).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def round_choice_openings_any(*, user: AnyUser, ids: list[int]) -> list[Opening]:
    """Openings the user may see with these ids, in the order given."""
    found = openings_visible_to(user).filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


@dataclass
class Applicant:
    """A student who ranked one of the company's openings, as the company sees them."""

    student: Person
    profile: StudentProfile | None
    rank: int | None  # the company's rank of them; None while unranked
    completed: list[Enrolment] = field(default_factory=list)


def applicants(user: AnyUser, placement_round: PlacementRound, opening: Opening) -> list[Applicant]:
    """The students who ranked ``opening`` in the round's current phase, in the company's
    order (ranked first), for the company and the cluster office. Never the rank the
    students gave it."""
    phase = placement_round.phase
    chose = restrict(
        StudentChoice.objects.filter(round=placement_round, phase=phase, opening=opening),
        user,
        Action.VIEW_SUMMARY,
    ).values_list("student_id", flat=True)
    student_ids = list(chose)
    ranks = dict(
        restrict(
            CompanyRanking.objects.filter(round=placement_round, phase=phase, opening=opening),
            user,
            Action.VIEW,
        ).values_list("student_id", "rank")
    )
    profiles = {
        p.person_id: p
        for p in profiles_visible_to(user)
        .filter(person_id__in=student_ids)
        .select_related("person__organisation")
        .prefetch_related("skills")
    }
    people = Person.objects.filter(pk__in=student_ids).select_related("organisation")
    completed: dict[int, list[Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(
        student_id__in=student_ids, status=Enrolment.Status.COMPLETED
    ).select_related("course__organisation"):
        completed.setdefault(enrolment.student_id or 0, []).append(enrolment)
    found = [
        Applicant(
            person, profiles.get(person.pk), ranks.get(person.pk), completed.get(person.pk, [])
        )
        for person in people
        if person.pk in profiles
    ]
    found.sort(key=lambda a: (a.rank is None, a.rank or 0, a.student.name_ko))
    return found


def applicant_people(
    *, user: AnyUser, placement_round: PlacementRound, opening: Opening, ids: list[int]
) -> list[Person]:
    """Applicants with these ids, in the order given (for a company's ranking form)."""
    by_id = {a.student.pk: a.student for a in applicants(user, placement_round, opening)}
    return [by_id[pk] for pk in ids if pk in by_id]


def applicant_people_by_profile(
    *, user: AnyUser, placement_round: PlacementRound, opening: Opening, ids: list[int]
) -> list[Person]:
    """Applicants named by their profile ids, in the order given (for the API)."""
    by_profile = {
        a.profile.pk: a.student
        for a in applicants(user, placement_round, opening)
        if a.profile is not None
    }
    return [by_profile[pk] for pk in ids if pk in by_profile]


def remaining_positions(placement_round: PlacementRound) -> dict[int, int]:
    """Positions per opening still open after the first phase (declined offers free theirs)."""
    run = (
        MatchRun.objects.filter(round=placement_round, phase=1, status=MatchRun.Status.DONE)
        .order_by("-id")
        .first()
    )
    if run is None:
        return {}
    taken = Counter(
        MatchResult.objects.filter(round=placement_round, phase=1, opening__isnull=False)
        .exclude(offer__in=[MatchResult.Offer.DECLINED, MatchResult.Offer.LAPSED])
        .values_list("opening_id", flat=True)
    )
    left = {int(k): int(v) - taken.get(int(k), 0) for k, v in run.capacities.items()}
    return {opening: count for opening, count in left.items() if count > 0}


def may_rank_second_phase(user: AnyUser, placement_round: PlacementRound) -> bool:
    student = own_student(user)
    if student is None:
        return False
    placed = MatchResult.objects.filter(
        round=placement_round, phase=1, student=student, opening__isnull=False
    ).exclude(offer__in=[MatchResult.Offer.DECLINED, MatchResult.Offer.LAPSED])
    return not placed.exists()


def latest_run(user: AnyUser, placement_round: PlacementRound) -> MatchRun | None:
    return (
        restrict(MatchRun.objects.filter(round=placement_round), user, Action.VIEW)
        .order_by("-id")
        .first()
    )


def run_get(*, user: AnyUser, pk: int) -> MatchRun:
    run = restrict(MatchRun.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if run is None:
        raise NotFound(_("No such match run."))
    return run


def my_results(user: AnyUser, placement_round: PlacementRound) -> list[MatchResult]:
    student = own_student(user)
    if student is None:
        return []
    return list(
        restrict(
            MatchResult.objects.filter(round=placement_round, student=student), user, Action.VIEW
        )
        .select_related("opening__organisation")
        .order_by("phase")
    )


def result_get(*, user: AnyUser, pk: int) -> MatchResult:
    result = (
        restrict(MatchResult.objects.all(), user, Action.VIEW)
        .select_related("round", "opening__organisation", "student")
        .filter(pk=pk)
        .first()
    )
    if result is None:
        raise NotFound(_("No such result."))
    return result


def company_results(user: AnyUser, placement_round: PlacementRound) -> list[MatchResult]:
    """The students the match offered the user's company's openings."""
    who = principal_of(user)
    return list(
        restrict(
            MatchResult.objects.filter(
                round=placement_round,
                opening__isnull=False,
                opening__organisation_id__in=who.approved_member_of,
            ),
            user,
            Action.VIEW,
        )
        .select_related("opening", "student__organisation", "student__talent_profile")
        .order_by("phase", "opening__title_ko", "id")
    )


@dataclass
class RoundReport:
    """What the cluster office sees of a phase's match."""

    phase: int
    run: MatchRun | None
    students: int
    placed: int
    choice_counts: list[tuple[int, int]]  # (choice rank, students), from the saved results
    unplaced: list[MatchResult]
    unfilled: list[tuple[Opening, int, int]]  # (opening, positions, left)
    offers: list[tuple[str, int]]  # (the offers' state, as people read it; how many)


def round_report(user: AnyUser, placement_round: PlacementRound) -> list[RoundReport]:
    """Per phase: counts by choice rank, unplaced students and unfilled openings, read from
    the saved results (so they agree with what students and companies see)."""
    reports = []
    runs = restrict(
        MatchRun.objects.filter(round=placement_round, status=MatchRun.Status.DONE),
        user,
        Action.VIEW,
    ).order_by("phase", "-id")
    seen: set[int] = set()
    for run in runs:
        if run.phase in seen:
            continue
        seen.add(run.phase)
        results = restrict(
            MatchResult.objects.filter(round=placement_round, phase=run.phase),
            user,
            Action.VIEW,
        )
        counts: Counter[int] = Counter(
            rank for rank in results.values_list("choice_rank", flat=True) if rank is not None
        )
        filled = Counter(results.filter(opening__isnull=False).values_list("opening_id", flat=True))
        openings = Opening.objects.filter(pk__in=[int(k) for k in run.capacities]).select_related(
            "organisation"
        )
        unfilled = []
        for opening in openings:
            positions = int(run.capacities[str(opening.pk)])
            left = positions - filled.get(opening.pk, 0)
            if left > 0:
                unfilled.append((opening, positions, left))
        offers: Counter[str] = Counter(
            offer for offer in results.values_list("offer", flat=True) if offer
        )
        reports.append(
            RoundReport(
                phase=run.phase,
                run=run,
                students=results.count(),
                placed=results.filter(opening__isnull=False).count(),
                choice_counts=sorted(counts.items()),
                unplaced=list(
                    results.filter(opening__isnull=True)
                    .select_related("student__organisation")
                    .order_by("student__name_ko")
                ),
                unfilled=sorted(unfilled, key=lambda row: (-row[2], row[0].title_ko)),
                offers=[
                    (str(MatchResult.Offer(state).label), count) for state, count in offers.items()
                ],
            )
        )
    return reports


def round_counts(placement_round: PlacementRound) -> dict[str, int]:
    """Public figures of a round: openings, positions, students taking part."""
    openings = placement_round.openings.all()
    return {
        "openings": openings.count(),
        "positions": sum(o.positions for o in openings),
        "participants": RoundParticipant.objects.filter(round=placement_round).count(),
    }


# --- placements and outcomes ------------------------------------------------------------


def placements_visible_to(user: AnyUser) -> QuerySet[Placement]:
    return restrict(Placement.objects.all(), user, Action.VIEW).select_related(
        "employer", "opening", "student"
    )


def my_placements(user: AnyUser) -> QuerySet[Placement]:
    student = own_student(user)
    if student is None:
        return Placement.objects.none()
    return placements_visible_to(user).filter(student=student)


def students_for_placement(user: AnyUser) -> QuerySet[Person]:
    """Students the cluster office may record a placement for."""
    if not principal_of(user).is_operator:
        return Person.objects.none()
    return Person.objects.filter(kind=Person.Kind.STUDENT).order_by("name_ko")


def cluster_companies(user: AnyUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        status=Organisation.Status.APPROVED, kind=Organisation.Kind.COMPANY
    ).order_by("name_ko")


def _in_cluster() -> Q:
    return Q(
        employer__status=Organisation.Status.APPROVED, employer__kind=Organisation.Kind.COMPANY
    )


@dataclass(frozen=True)
class Outcome:
    """Students trained, certified, placed and placed in the cluster's companies."""

    key: Any
    label: str
    trained: int
    certified: int
    placed: int
    placed_in_cluster: int
    hosted: int = 0  # placements with this organisation as employer


def outcomes_by_organisation(user: AnyUser) -> list[Outcome]:
    """Per organisation: students who completed its courses (trained), certificates it
    issued (certified), how many of the students it trained were placed, and of those how
    many with the cluster's companies; for employers, the students placed with them.

    Counts only, never names. The cluster office sees every organisation; others see the
    organisations they belong to.
    """
    who = principal_of(user)
    organisations = Organisation.objects.filter(
        Q(courses__isnull=False) | Q(placements__isnull=False)
    ).distinct()
    if not who.is_operator:
        organisations = organisations.filter(pk__in=who.member_of)
    rows = []
    placed_students = set(
        Placement.objects.filter(student__isnull=False).values_list("student_id", flat=True)
    )
    cluster_students = set(
        Placement.objects.filter(_in_cluster(), student__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    for organisation in organisations.order_by("name_ko"):
        completed = Enrolment.objects.filter(
            course__organisation=organisation, status=Enrolment.Status.COMPLETED
        )
        trained_ids = set(
            completed.exclude(student__isnull=True).values_list("student_id", flat=True)
        )
        anonymous = completed.filter(student__isnull=True).count()
        rows.append(
            Outcome(
                key=organisation.pk,
                label=organisation.name,
                trained=len(trained_ids) + anonymous,
                certified=Certificate.objects.filter(
                    enrolment__course__organisation=organisation
                ).count(),
                placed=len(trained_ids & placed_students),
                placed_in_cluster=len(trained_ids & cluster_students),
                hosted=Placement.objects.filter(employer=organisation).count(),
            )
        )
    return rows


def outcomes_by_round(user: AnyUser) -> list[Outcome]:
    """Per round (past preparation): students taking part and ranking (trained: those of
    them who completed a course on the platform; certified: with a certificate), placed (an
    accepted offer) and placed with the cluster's companies."""
    rounds = rounds_visible_to(user).exclude(status=PlacementRound.Status.DRAFT)
    rows = []
    for placement_round in rounds.order_by("-students_deadline"):
        students = set(
            StudentChoice.objects.filter(round=placement_round).values_list("student_id", flat=True)
        ) | set(
            MatchResult.objects.filter(round=placement_round, student__isnull=False).values_list(
                "student_id", flat=True
            )
        )
        trained = set(
            Enrolment.objects.filter(
                student_id__in=students, status=Enrolment.Status.COMPLETED
            ).values_list("student_id", flat=True)
        )
        certified = set(
            Certificate.objects.filter(
                enrolment__student_id__in=students, revoked_at__isnull=True
            ).values_list("enrolment__student_id", flat=True)
        )
        placements = Placement.objects.filter(round=placement_round)
        rows.append(
            Outcome(
                key=placement_round.pk,
                label=placement_round.name,
                trained=len(trained),
                certified=len(certified),
                placed=placements.count(),
                placed_in_cluster=placements.filter(_in_cluster()).count(),
            )
        )
    return rows


def dashboard_summary(user: AnyUser) -> dict[str, Any] | None:
    """The talent panel of a student's dashboard; for a signed-in user with no profile and
    no organisation, an invitation to become a student. None for everyone else."""
    profile = own_profile(user)
    if profile is None:
        newcomer = may_become_student(user) and not principal_of(user).member_of
        return {"profile": None} if newcomer else None
    now = timezone.now()
    open_rounds = rounds_visible_to(user).filter(status=PlacementRound.Status.OPEN)
    return {
        "profile": profile,
        "enrolments": list(my_enrolments(user)[:5]),
        "open_rounds": [r for r in open_rounds if r.students_deadline >= now][:3],
        "pending_offers": list(
            MatchResult.objects.filter(
                student=profile.person, offer=MatchResult.Offer.PENDING
            ).select_related("opening", "round")
        ),
    }


def standing_consents_for_account(user: AnyUser) -> list[OtherConsent]:
    """The student's standing consents, as the account's consents page lists them."""
    return [
        OtherConsent(
            title=str(record.get_purpose_display()),
            version=record.version,
            given_at=record.granted_at,
            manage_url=reverse("talent:profile"),
        )
        for record in consents_of(user).filter(withdrawn_at__isnull=True).order_by("granted_at")
    ]
