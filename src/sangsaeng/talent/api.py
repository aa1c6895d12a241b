"""The talent part of the JSON API (under /api/talent/), with the pages' access rules.

Endpoints parse input with schemas, read through the talent selectors (so through the
access policy) and change records only through the talent services. A record the caller
may not see is a 404, the same as one that does not exist. A student's profile reaches a
company only with the student's consent or for an opening the student ranked; e-mail
addresses and phone numbers never appear.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.core.api import READ_ERRORS, WRITE_ERRORS, RecordId, StrictInput, api_enum, caller
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.selectors import organisation_get
from sangsaeng.talent import ranking, selectors, services
from sangsaeng.talent.models import (
    Certificate,
    ConsentRecord,
    Course,
    Enrolment,
    MatchResult,
    MatchRun,
    Opening,
    PlacementRound,
    StudentProfile,
)

# Models name their choices Kind and Status; the schema needs one name per enumeration.
if TYPE_CHECKING:
    CourseMode = Course.Mode
    CourseStatus = Course.Status
    ConsentPurpose = ConsentRecord.Purpose
    OpeningKind = Opening.Kind
    OpeningStatus = Opening.Status
else:
    CourseMode = api_enum("CourseMode", Course.Mode)
    CourseStatus = api_enum("CourseStatus", Course.Status)
    ConsentPurpose = api_enum("ConsentPurpose", ConsentRecord.Purpose)
    OpeningKind = api_enum("OpeningKind", Opening.Kind)
    OpeningStatus = api_enum("OpeningStatus", Opening.Status)

router = Router(tags=["talent"])


def _codes(terms: Any) -> list[str]:
    return [term.code for term in terms.all()]


# --- schemas ----------------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    title: str
    title_ko: str
    title_en: str
    description: str
    provider: str = Field(description="the provider organisation's short name")
    provider_name: str
    areas: list[str]
    starts_on: datetime.date
    ends_on: datetime.date
    schedule: str
    hours: int | None
    capacity: int
    taken: int | None = None
    waiting: int | None = None
    waitlist_limit: int
    eligibility: str
    mode: str
    location: str
    enrol_until: datetime.date | None
    status: str
    is_fictional: bool

    @staticmethod
    def resolve_provider(course: Course) -> str:
        return course.organisation.slug

    @staticmethod
    def resolve_provider_name(course: Course) -> str:
        return course.organisation.name

    @staticmethod
    def resolve_areas(course: Course) -> list[str]:
        return _codes(course.tags)

    @staticmethod
    def resolve_taken(course: Course) -> int | None:
        return getattr(course, "taken", None)

    @staticmethod
    def resolve_waiting(course: Course) -> int | None:
        return getattr(course, "waiting", None)


class CourseIn(StrictInput):
    provider: str = Field(description="short name of an organisation you belong to")
    title_ko: str
    title_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    areas: list[str] = []
    starts_on: datetime.date
    ends_on: datetime.date
    schedule_ko: str = ""
    schedule_en: str = ""
    hours: int | None = Field(None, ge=0)
    capacity: int
    waitlist_limit: int = Field(20, ge=0)
    eligibility_ko: str = ""
    eligibility_en: str = ""
    mode: CourseMode = Field(Course.Mode.ON_SITE, validate_default=True)
    location: str = ""
    enrol_until: datetime.date | None = None
    status: CourseStatus = Field(Course.Status.PUBLISHED, validate_default=True)


class EnrolIn(StrictInput):
    join_waitlist: bool = Field(False, description="wait for a place when the course is full")


class EnrolmentOut(Schema):
    id: int
    course: int
    course_title: str
    status: str
    waitlist_position: int | None
    certificate: int | None = Field(None, description="the certificate's id, once completed")
    certificate_code: str | None

    @staticmethod
    def resolve_course(enrolment: Enrolment) -> int:
        return enrolment.course_id

    @staticmethod
    def resolve_course_title(enrolment: Enrolment) -> str:
        return enrolment.course.title

    @staticmethod
    def resolve_waitlist_position(enrolment: Enrolment) -> int | None:
        return selectors.waitlist_position(enrolment)

    @staticmethod
    def resolve_certificate(enrolment: Enrolment) -> int | None:
        certificate = getattr(enrolment, "certificate", None)
        return certificate.pk if certificate else None

    @staticmethod
    def resolve_certificate_code(enrolment: Enrolment) -> str | None:
        certificate = getattr(enrolment, "certificate", None)
        return certificate.code if certificate else None


class RosterEntryOut(EnrolmentOut):
    student: str = Field(description="the student's name (the provider sees its roster)")

    @staticmethod
    def resolve_student(enrolment: Enrolment) -> str:
        return enrolment.student.name if enrolment.student else ""


class CompleteIn(StrictInput):
    enrolments: list[RecordId] = Field(description="ids of enrolments of the course")


class CertificateOut(Schema):
    id: int
    code: str
    course_title: str
    provider_name: str
    completed_on: datetime.date
    hours: int | None
    valid: bool

    @staticmethod
    def resolve_valid(certificate: Certificate) -> bool:
        return certificate.is_valid


class CertificateCheckOut(Schema):
    code: str
    valid: bool
    course_title: str
    provider_name: str
    completed_on: datetime.date
    hours: int | None
    holder_masked: str = Field(description="the holder's name with most letters hidden")
    name_matches: bool | None = Field(description="whether the name sent matches; null if none")


class TermOut(Schema):
    code: str
    name: str


class CompletedCourseOut(Schema):
    course: int
    title: str
    provider_name: str
    completed_on: datetime.date | None

    @staticmethod
    def resolve_course(enrolment: Enrolment) -> int:
        return enrolment.course_id

    @staticmethod
    def resolve_title(enrolment: Enrolment) -> str:
        return enrolment.course.title

    @staticmethod
    def resolve_provider_name(enrolment: Enrolment) -> str:
        return enrolment.course.organisation.name

    @staticmethod
    def resolve_completed_on(enrolment: Enrolment) -> datetime.date | None:
        return enrolment.completed_at.date() if enrolment.completed_at else None


class StudentOut(Schema):
    """A student's profile as a company (consented or applied) or the student sees it."""

    id: int
    name: str
    organisation: str | None = Field(description="the university's short name")
    study_program: str
    graduation_year: int | None
    skills: list[str]
    about: str
    available_from: datetime.date | None
    available_until: datetime.date | None
    hours_per_week: int | None
    has_cv: bool
    completed_courses: list[CompletedCourseOut] = Field(description="verified by the provider")

    @staticmethod
    def resolve_name(profile: StudentProfile) -> str:
        return profile.person.name

    @staticmethod
    def resolve_organisation(profile: StudentProfile) -> str | None:
        organisation = profile.person.organisation
        return organisation.slug if organisation else None

    @staticmethod
    def resolve_study_program(profile: StudentProfile) -> str:
        return profile.person.study_program

    @staticmethod
    def resolve_graduation_year(profile: StudentProfile) -> int | None:
        return profile.person.graduation_year

    @staticmethod
    def resolve_skills(profile: StudentProfile) -> list[str]:
        return _codes(profile.skills)

    @staticmethod
    def resolve_has_cv(profile: StudentProfile) -> bool:
        return bool(profile.cv)

    @staticmethod
    def resolve_completed_courses(profile: StudentProfile) -> list[Enrolment]:
        return list(selectors.completed_enrolments(profile.person))


class OwnProfileOut(StudentOut):
    shares_with_companies: bool

    @staticmethod
    def resolve_shares_with_companies(profile: StudentProfile) -> bool:
        return selectors.shares_with_companies(profile)


class ProfileIn(StrictInput):
    consent_to_profile: bool = Field(description="required: consent to keeping the profile")
    consent_to_companies: bool = False
    name_ko: str = ""
    name_en: str = ""
    organisation: str | None = Field(None, description="a university's or institute's short name")
    study_program: str = ""
    graduation_year: int | None = None
    skills: list[str] = []
    about: str = ""
    available_from: datetime.date | None = None
    available_until: datetime.date | None = None
    hours_per_week: int | None = None


class ProfilePatch(StrictInput):
    name_ko: str | None = None
    name_en: str | None = None
    study_program: str | None = None
    graduation_year: int | None = None
    skills: list[str] | None = None
    about: str | None = None
    available_from: datetime.date | None = None
    available_until: datetime.date | None = None
    hours_per_week: int | None = None


class ConsentOut(Schema):
    purpose: str
    version: str
    granted_at: datetime.datetime
    withdrawn_at: datetime.datetime | None


class ConsentIn(StrictInput):
    purpose: ConsentPurpose
    given: bool = Field(description="true to give the consent, false to withdraw it")


class OpeningOut(Schema):
    id: int
    kind: str
    title: str
    title_ko: str
    title_en: str
    description: str
    company: str = Field(description="the company's short name")
    company_name: str
    skills: list[str]
    positions: int
    duration_months: int | None
    stipend_krw: int | None
    location: str
    starts_on: datetime.date | None
    status: str
    is_fictional: bool

    @staticmethod
    def resolve_company(opening: Opening) -> str:
        return opening.organisation.slug

    @staticmethod
    def resolve_company_name(opening: Opening) -> str:
        return opening.organisation.name

    @staticmethod
    def resolve_skills(opening: Opening) -> list[str]:
        return _codes(opening.tags)


class OpeningIn(StrictInput):
    company: str = Field(description="short name of an organisation you belong to")
    kind: OpeningKind
    title_ko: str
    title_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    skills: list[str] = []
    positions: int
    duration_months: int | None = None
    stipend_krw: int | None = Field(None, ge=0)
    location: str = ""
    starts_on: datetime.date | None = None
    status: OpeningStatus = Field(Opening.Status.OPEN, validate_default=True)


class OpeningPatch(StrictInput):
    kind: OpeningKind | None = None
    title_ko: str | None = None
    title_en: str | None = None
    description_ko: str | None = None
    description_en: str | None = None
    skills: list[str] | None = None
    positions: int | None = None
    duration_months: int | None = None
    stipend_krw: int | None = Field(None, ge=0)
    location: str | None = None
    starts_on: datetime.date | None = None
    status: OpeningStatus | None = None


class ReasonsOut(Schema):
    shared_skills: list[TermOut]
    courses: list[str] = Field(description="titles of the student's verified courses that fit")
    explanation: dict[str, Any]

    @staticmethod
    def resolve_shared_skills(reasons: ranking.Reasons) -> list[dict[str, str]]:
        return [{"code": t.code, "name": t.name} for t in reasons.shared_skills]

    @staticmethod
    def resolve_courses(reasons: ranking.Reasons) -> list[str]:
        return [course.title for course in reasons.courses]


class OpeningFitOut(Schema):
    opening: OpeningOut
    score: float
    reasons: ReasonsOut


class StudentFitOut(Schema):
    student: StudentOut
    score: float
    reasons: ReasonsOut

    @staticmethod
    def resolve_student(fit: ranking.StudentFit) -> StudentProfile:
        return fit.profile


class RoundOut(Schema):
    id: int
    name: str
    description: str
    status: str
    phase: int
    max_choices: int
    students_deadline: datetime.datetime
    companies_deadline: datetime.datetime
    offers_deadline: datetime.datetime | None
    method: str
    openings: list[RecordId]
    is_fictional: bool

    @staticmethod
    def resolve_openings(placement_round: PlacementRound) -> list[int]:
        return selectors.round_opening_ids(placement_round)


class RoundIn(StrictInput):
    name_ko: str
    name_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    openings: list[RecordId] = []
    max_choices: int = 10
    students_deadline: datetime.datetime
    companies_deadline: datetime.datetime
    offers_deadline: datetime.datetime | None = None
    method: PlacementRound.Method = PlacementRound.Method.STABLE


class ChoicesIn(StrictInput):
    openings: list[RecordId] = Field(description="opening ids, most wanted first")


class ChoiceOut(Schema):
    opening: int
    rank: int


class ApplicantOut(Schema):
    student: StudentOut
    rank: int | None = Field(description="your rank of this applicant; null while unranked")

    @staticmethod
    def resolve_student(applicant: selectors.Applicant) -> StudentProfile | None:
        return applicant.profile


class RankingIn(StrictInput):
    students: list[RecordId] = Field(description="student (profile) ids, best first")


class RunOut(Schema):
    id: int
    phase: int
    method: str
    status: str
    progress: int
    finished: bool
    summary: dict[str, Any]

    @staticmethod
    def resolve_finished(run: MatchRun) -> bool:
        return run.is_finished


class ResultOut(Schema):
    id: int
    round: int
    phase: int
    opening: int | None
    opening_title: str | None
    choice_rank: int | None = Field(description="1: the student's first choice")
    offer: str | None

    @staticmethod
    def resolve_round(result: MatchResult) -> int:
        return result.round_id

    @staticmethod
    def resolve_opening(result: MatchResult) -> int | None:
        return result.opening_id

    @staticmethod
    def resolve_opening_title(result: MatchResult) -> str | None:
        return result.opening.title if result.opening else None


class AnswerIn(StrictInput):
    accept: bool


class ReportOut(Schema):
    phase: int
    students: int
    placed: int
    unplaced: int
    choice_counts: dict[str, int]
    unfilled: dict[str, int] = Field(description="positions left per opening id")


class OutcomeOut(Schema):
    key: int
    label: str
    trained: int
    certified: int
    placed: int
    placed_in_cluster: int
    hosted: int


# --- helpers ----------------------------------------------------------------------------


def _organisation(request: HttpRequest, slug: str) -> Any:
    return organisation_get(user=caller(request), slug=slug)


def _own_profile(request: HttpRequest) -> StudentProfile:
    profile = selectors.own_profile(caller(request))
    if profile is None:
        raise NotFound(_("You have no student profile."))
    return profile


def _round(request: HttpRequest, round_id: int) -> PlacementRound:
    return selectors.round_get(user=caller(request), pk=round_id)


# --- courses and certificates -----------------------------------------------------------


@router.get("/courses", response={200: list[CourseOut], **READ_ERRORS})
def list_courses(request: HttpRequest, q: str = "", mode: str = "") -> list[Course]:
    """Published courses (and your own organisation's drafts)."""
    return list(selectors.course_list(caller(request), query=q, mode=mode)[:200])


@router.post("/courses", response={201: CourseOut, **WRITE_ERRORS}, auth=required_auth)
def create_course(request: HttpRequest, data: CourseIn) -> tuple[int, Course]:
    """Publish a course of an organisation you belong to."""
    fields = data.dict(exclude={"provider", "areas"})
    course = services.course_create(
        actor=caller(request),
        organisation=_organisation(request, data.provider),
        tags=data.areas,
        **fields,
    )
    return 201, selectors.course_get(user=caller(request), pk=course.pk)


@router.get("/courses/{course_id}", response={200: CourseOut, **READ_ERRORS})
def get_course(request: HttpRequest, course_id: int) -> Course:
    return selectors.course_get(user=caller(request), pk=course_id)


@router.post(
    "/courses/{course_id}/enrol", response={201: EnrolmentOut, **WRITE_ERRORS}, auth=required_auth
)
def enrol(request: HttpRequest, course_id: int, data: EnrolIn) -> tuple[int, Enrolment]:
    """Enrol in a course (or join its waiting list when it is full and you ask to)."""
    course = selectors.course_get(user=caller(request), pk=course_id)
    enrolment = services.enrol(
        actor=caller(request), course=course, join_waitlist=data.join_waitlist
    )
    return 201, enrolment


@router.get(
    "/courses/{course_id}/roster",
    response={200: list[RosterEntryOut], **READ_ERRORS},
    auth=required_auth,
)
def course_roster(request: HttpRequest, course_id: int) -> list[Enrolment]:
    """The course's students, for its provider."""
    course = selectors.course_get(user=caller(request), pk=course_id)
    if not selectors.may_change(caller(request), course):
        raise NotFound(_("No such course."))
    return list(selectors.course_roster(caller(request), course))


@router.post(
    "/courses/{course_id}/complete",
    response={200: list[CertificateOut], **WRITE_ERRORS},
    auth=required_auth,
)
def complete(request: HttpRequest, course_id: int, data: CompleteIn) -> list[Certificate]:
    """Mark enrolled students as having completed the course; certificates are issued."""
    user = caller(request)
    course = selectors.course_get(user=user, pk=course_id)
    enrolments = selectors.roster_enrolments(user, course, data.enrolments)
    if len(enrolments) != len(set(data.enrolments)):
        raise NotFound(_("No such enrolment."))
    return services.enrolments_complete(actor=user, course=course, enrolments=enrolments)


@router.get("/enrolments", response={200: list[EnrolmentOut], **READ_ERRORS}, auth=required_auth)
def my_enrolments(request: HttpRequest) -> list[Enrolment]:
    return list(selectors.my_enrolments(caller(request)))


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response={200: EnrolmentOut, **WRITE_ERRORS},
    auth=required_auth,
)
def withdraw(request: HttpRequest, enrolment_id: int) -> Enrolment:
    enrolment = selectors.enrolment_get(user=caller(request), pk=enrolment_id)
    return services.enrolment_withdraw(actor=caller(request), enrolment=enrolment)


@router.get("/certificates/verify", response={200: CertificateCheckOut, **READ_ERRORS})
def verify_certificate(request: HttpRequest, code: str, name: str = "") -> Any:
    """Check a certificate by its code (no sign-in). The holder's name is shown masked;
    send ``name`` to learn whether it matches."""
    check = selectors.certificate_check(user=caller(request), code=code, name=name)
    if check is None:
        raise HttpError(404, _("No certificate has this code."))
    return check


# --- students' profiles -----------------------------------------------------------------


@router.get("/profile", response={200: OwnProfileOut, **READ_ERRORS}, auth=required_auth)
def get_profile(request: HttpRequest) -> StudentProfile:
    """Your own student profile."""
    return _own_profile(request)


@router.post("/profile", response={201: OwnProfileOut, **WRITE_ERRORS}, auth=required_auth)
def create_profile(request: HttpRequest, data: ProfileIn) -> tuple[int, StudentProfile]:
    """Become a student: the profile is kept only with ``consent_to_profile``."""
    fields = data.dict(exclude={"organisation"})
    organisation = selectors.student_home_get(data.organisation) if data.organisation else None
    profile = services.student_profile_create(
        actor=caller(request), organisation=organisation, **fields
    )
    return 201, selectors.own_profile(caller(request)) or profile


@router.patch("/profile", response={200: OwnProfileOut, **WRITE_ERRORS}, auth=required_auth)
def update_profile(request: HttpRequest, data: ProfilePatch) -> StudentProfile:
    fields = data.dict(exclude_unset=True)
    services.student_profile_update(actor=caller(request), profile=_own_profile(request), **fields)
    return _own_profile(request)


@router.delete("/profile", response={204: None, **WRITE_ERRORS}, auth=required_auth)
def delete_profile(request: HttpRequest) -> tuple[int, None]:
    """Delete your student profile and its personal data (consents stay, withdrawn)."""
    services.student_profile_delete(actor=caller(request), profile=_own_profile(request))
    return 204, None


@router.get("/consents", response={200: list[ConsentOut], **READ_ERRORS}, auth=required_auth)
def list_consents(request: HttpRequest) -> list[ConsentRecord]:
    """Every consent you gave, with its version and when it was given and withdrawn."""
    return list(selectors.consents_of(caller(request)))


@router.post("/consents", response={200: ConsentOut, **WRITE_ERRORS}, auth=required_auth)
def change_consent(request: HttpRequest, data: ConsentIn) -> ConsentRecord:
    """Give or withdraw a consent (withdrawing ``talent_profile`` deletes the profile)."""
    if data.given:
        return services.consent_give(actor=caller(request), purpose=data.purpose)
    return services.consent_withdraw(actor=caller(request), purpose=data.purpose)


@router.get("/students/{student_id}", response={200: StudentOut, **READ_ERRORS}, auth=required_auth)
def get_student(request: HttpRequest, student_id: int) -> StudentProfile:
    """A student's profile: yours, or one that consented to companies or ranked your opening."""
    return selectors.profile_get(user=caller(request), pk=student_id)


# --- openings ---------------------------------------------------------------------------


@router.get("/openings", response={200: list[OpeningOut], **READ_ERRORS})
def list_openings(request: HttpRequest, kind: str = "", mine: bool = False) -> list[Opening]:
    return list(selectors.opening_list(caller(request), kind=kind, mine=mine)[:200])


@router.get(
    "/openings/for-me", response={200: list[OpeningFitOut], **READ_ERRORS}, auth=required_auth
)
def openings_for_me(request: HttpRequest, limit: int = 20) -> Any:
    """Open openings ranked for your student profile, with the reasons (at most 50)."""
    return ranking.openings_for_student(caller(request), limit=max(1, min(limit, 50)))


@router.post("/openings", response={201: OpeningOut, **WRITE_ERRORS}, auth=required_auth)
def create_opening(request: HttpRequest, data: OpeningIn) -> tuple[int, Opening]:
    fields = data.dict(exclude={"company", "skills"})
    opening = services.opening_create(
        actor=caller(request),
        organisation=_organisation(request, data.company),
        tags=data.skills,
        **fields,
    )
    return 201, opening


@router.get("/openings/{opening_id}", response={200: OpeningOut, **READ_ERRORS})
def get_opening(request: HttpRequest, opening_id: int) -> Opening:
    return selectors.opening_get(user=caller(request), pk=opening_id)


@router.patch(
    "/openings/{opening_id}", response={200: OpeningOut, **WRITE_ERRORS}, auth=required_auth
)
def update_opening(request: HttpRequest, opening_id: int, data: OpeningPatch) -> Opening:
    opening = selectors.opening_get(user=caller(request), pk=opening_id)
    fields = data.dict(exclude_unset=True)
    tags = fields.pop("skills", None)
    return services.opening_update(actor=caller(request), opening=opening, tags=tags, **fields)


@router.get(
    "/openings/{opening_id}/students",
    response={200: list[StudentFitOut], **READ_ERRORS},
    auth=required_auth,
)
def students_for_opening(request: HttpRequest, opening_id: int) -> Any:
    """For the opening's company: consenting students ranked for it, with the reasons."""
    opening = selectors.opening_get(user=caller(request), pk=opening_id)
    return ranking.students_for_opening(caller(request), opening)


# --- placement rounds -------------------------------------------------------------------


@router.get("/rounds", response={200: list[RoundOut], **READ_ERRORS})
def list_rounds(request: HttpRequest) -> list[PlacementRound]:
    return list(selectors.round_list(caller(request)))


@router.post("/rounds", response={201: RoundOut, **WRITE_ERRORS}, auth=required_auth)
def create_round(request: HttpRequest, data: RoundIn) -> tuple[int, PlacementRound]:
    """Prepare a round (the cluster office)."""
    user = caller(request)
    openings = selectors.round_choice_openings_any(user=user, ids=data.openings)
    if len(openings) != len(set(data.openings)):
        raise HttpError(404, _("No such opening."))
    fields = data.dict(exclude={"openings"})
    return 201, services.round_create(actor=user, openings=openings, **fields)


@router.get("/rounds/{round_id}", response={200: RoundOut, **READ_ERRORS})
def get_round(request: HttpRequest, round_id: int) -> PlacementRound:
    return _round(request, round_id)


@router.post(
    "/rounds/{round_id}/open", response={200: RoundOut, **WRITE_ERRORS}, auth=required_auth
)
def open_round(request: HttpRequest, round_id: int) -> PlacementRound:
    return services.round_open(actor=caller(request), placement_round=_round(request, round_id))


@router.post("/rounds/{round_id}/join", response={201: None, **WRITE_ERRORS}, auth=required_auth)
def join_round(request: HttpRequest, round_id: int) -> tuple[int, None]:
    services.round_join(actor=caller(request), placement_round=_round(request, round_id))
    return 201, None


@router.get(
    "/rounds/{round_id}/choices", response={200: list[ChoiceOut], **READ_ERRORS}, auth=required_auth
)
def my_choices(request: HttpRequest, round_id: int) -> list[dict[str, int]]:
    """Your rank list in the round's current phase."""
    placement_round = _round(request, round_id)
    choices = selectors.my_choices(caller(request), placement_round, placement_round.phase)
    return [{"opening": c.opening_id, "rank": c.rank} for c in choices]


@router.put(
    "/rounds/{round_id}/choices",
    response={200: list[ChoiceOut], **WRITE_ERRORS},
    auth=required_auth,
)
def set_choices(request: HttpRequest, round_id: int, data: ChoicesIn) -> list[dict[str, int]]:
    """Replace your rank list (most wanted first, at most the round's N)."""
    user = caller(request)
    placement_round = _round(request, round_id)
    openings = selectors.round_choice_openings(
        user=user, placement_round=placement_round, ids=data.openings
    )
    if len(openings) != len(data.openings):
        raise HttpError(400, _("Some of these openings are not part of this round."))
    saved = services.choices_set(actor=user, placement_round=placement_round, openings=openings)
    return [{"opening": c.opening_id, "rank": c.rank} for c in saved]


@router.get(
    "/rounds/{round_id}/openings/{opening_id}/applicants",
    response={200: list[ApplicantOut], **READ_ERRORS},
    auth=required_auth,
)
def applicants(request: HttpRequest, round_id: int, opening_id: int) -> list[Any]:
    """For the opening's company: the students who ranked it, in your order."""
    user = caller(request)
    placement_round = _round(request, round_id)
    opening = selectors.round_opening_get(user=user, placement_round=placement_round, pk=opening_id)
    if not selectors.may_rank_applicants(user, opening):
        raise NotFound(_("No such opening in this round."))
    return selectors.applicants(user, placement_round, opening)


@router.put(
    "/rounds/{round_id}/openings/{opening_id}/ranking",
    response={200: list[ApplicantOut], **WRITE_ERRORS},
    auth=required_auth,
)
def set_ranking(request: HttpRequest, round_id: int, opening_id: int, data: RankingIn) -> list[Any]:
    """Replace your rank list of the opening's applicants (student profile ids, best first);
    an applicant left out is not offered the opening."""
    user = caller(request)
    placement_round = _round(request, round_id)
    opening = selectors.round_opening_get(user=user, placement_round=placement_round, pk=opening_id)
    people = selectors.applicant_people_by_profile(
        user=user, placement_round=placement_round, opening=opening, ids=data.students
    )
    if len(people) != len(data.students):
        raise HttpError(400, _("You may rank only students who applied to this opening."))
    services.company_ranking_set(
        actor=user, placement_round=placement_round, opening=opening, students=people
    )
    return selectors.applicants(user, placement_round, opening)


@router.post("/rounds/{round_id}/match", response={202: RunOut, **WRITE_ERRORS}, auth=required_auth)
def start_match(request: HttpRequest, round_id: int) -> tuple[int, MatchRun]:
    """Run the match of the round's current phase in the background; poll the run."""
    run = services.match_start(actor=caller(request), placement_round=_round(request, round_id))
    return 202, selectors.run_get(user=caller(request), pk=run.pk)


@router.get("/runs/{run_id}", response={200: RunOut, **READ_ERRORS}, auth=required_auth)
def get_run(request: HttpRequest, run_id: int) -> MatchRun:
    return selectors.run_get(user=caller(request), pk=run_id)


@router.get(
    "/rounds/{round_id}/results", response={200: list[ResultOut], **READ_ERRORS}, auth=required_auth
)
def my_results(request: HttpRequest, round_id: int) -> list[MatchResult]:
    """Your results in the round (one per phase)."""
    return selectors.my_results(caller(request), _round(request, round_id))


@router.get(
    "/rounds/{round_id}/report", response={200: list[ReportOut], **READ_ERRORS}, auth=required_auth
)
def round_report(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    """For the cluster office: counts by choice rank, unplaced students, unfilled openings."""
    user = caller(request)
    placement_round = _round(request, round_id)
    if not selectors.may_change(user, placement_round):
        raise NotFound(_("No such placement round."))
    return [
        {
            "phase": report.phase,
            "students": report.students,
            "placed": report.placed,
            "unplaced": len(report.unplaced),
            "choice_counts": {str(rank): count for rank, count in report.choice_counts},
            "unfilled": {str(opening.pk): left for opening, _positions, left in report.unfilled},
        }
        for report in selectors.round_report(user, placement_round)
    ]


@router.post(
    "/results/{result_id}/answer", response={200: ResultOut, **WRITE_ERRORS}, auth=required_auth
)
def answer_offer(request: HttpRequest, result_id: int, data: AnswerIn) -> MatchResult:
    """Accept or decline the offer the match made you."""
    result = selectors.result_get(user=caller(request), pk=result_id)
    return services.offer_answer(actor=caller(request), result=result, accept=data.accept)


@router.get(
    "/outcomes", response={200: dict[str, list[OutcomeOut]], **READ_ERRORS}, auth=required_auth
)
def outcomes(request: HttpRequest) -> dict[str, Any]:
    """Trained, certified, placed and placed in the cluster: by organisation and by round."""
    user = caller(request)
    return {
        "by_organisation": selectors.outcomes_by_organisation(user),
        "by_round": selectors.outcomes_by_round(user),
    }
