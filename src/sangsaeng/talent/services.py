"""Changes to courses, students' profiles and consents, openings and placement rounds.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`:
keyword arguments, one transaction, its actor in the audit log), checks the access policy,
validates before it writes (``ValidationError`` keyed by field, translated), and leaves
mail and background work until the transaction commits. Rows whose counts matter (a
course's places, a round's state, an offer) are locked while they change.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangsaeng.accounts.models import AnyUser, Membership, User
from sangsaeng.core.policy import Action, can, require
from sangsaeng.core.services import after_commit, service
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.directory.selectors import resolve_tags
from sangsaeng.notifications.services import notify
from sangsaeng.talent import notifications, tasks
from sangsaeng.talent.consents import current_text
from sangsaeng.talent.models import (
    MAX_CHOICES_LIMIT,
    MAX_CV_BYTES,
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
from sangsaeng.talent.ranking import applicants_by_fit
from sangsaeng.talent.selectors import remaining_positions

COURSE_FIELDS = (
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "starts_on",
    "ends_on",
    "schedule_ko",
    "schedule_en",
    "hours",
    "capacity",
    "waitlist_limit",
    "eligibility_ko",
    "eligibility_en",
    "mode",
    "location",
    "enrol_until",
    "status",
)
OPENING_FIELDS = (
    "kind",
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "positions",
    "duration_months",
    "stipend_krw",
    "location",
    "starts_on",
    "status",
)
ROUND_FIELDS = (
    "name_ko",
    "name_en",
    "description_ko",
    "description_en",
    "max_choices",
    "students_deadline",
    "companies_deadline",
    "offers_deadline",
    "method",
    "seed",
)
PROFILE_FIELDS = ("about", "available_from", "available_until", "hours_per_week")
PERSON_FIELDS = ("name_ko", "name_en", "study_program", "graduation_year")
CV_EXTENSIONS = (".pdf", ".doc", ".docx", ".hwp", ".hwpx")
# Where a student's home organisation may be chosen from.
STUDENT_HOMES = (Organisation.Kind.UNIVERSITY, Organisation.Kind.RESEARCH_INSTITUTE)


def _clean(fields: dict[str, Any], allowed: Sequence[str], what: str) -> dict[str, Any]:
    unexpected = sorted(set(fields) - set(allowed))
    if unexpected:
        raise TypeError(f"{what} got unexpected fields: {', '.join(unexpected)}")
    return {name: (v.strip() if isinstance(v, str) else v) for name, v in fields.items()}


def _day(moment: datetime.datetime | datetime.date) -> str:
    """A deadline as people read it: the date (and time) in Seoul."""
    if isinstance(moment, datetime.datetime):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return date_format(moment, "DATE_FORMAT")


def _users_of(organisation_id: int) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(organisation_id=organisation_id).select_related(
            "user"
        )
    ]


def _own_student(actor: AnyUser) -> Person:
    """The actor's own student person; a clear error when they have no student profile."""
    person = (
        Person.objects.filter(user_id=actor.pk, kind=Person.Kind.STUDENT).first()
        if actor.is_authenticated
        else None
    )
    if person is None or not StudentProfile.objects.filter(person=person).exists():
        raise ValidationError(_("Create your student profile first."))
    return person


# --- courses ----------------------------------------------------------------------------


def _validate_course(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not fields.get("title_ko"):
        errors["title_ko"] = _("Give the course a title in Korean.")
    capacity = fields.get("capacity")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("A course needs at least one place.")
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts is None:
        errors["starts_on"] = _("Enter the date the course starts.")
    if ends is None:
        errors["ends_on"] = _("Enter the date the course ends.")
    elif starts is not None and ends < starts:
        errors["ends_on"] = _("The course cannot end before it starts.")
    enrol_until = fields.get("enrol_until")
    if enrol_until is not None and ends is not None and enrol_until > ends:
        errors["enrol_until"] = _("Enrolment must close by the day the course ends.")
    if fields.get("mode") not in Course.Mode.values:
        errors["mode"] = _("Choose whether the course is online, on site or both.")
    if fields.get("status", Course.Status.PUBLISHED) not in Course.Status.values:
        errors["status"] = _("Choose the course's status.")
    if (fields.get("waitlist_limit") or 0) < 0:
        errors["waitlist_limit"] = _("Enter zero or more waiting list places.")
    if errors:
        raise ValidationError(errors)


@service
def course_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    tags: Iterable[str] = (),
    is_fictional: bool = False,
    **fields: Any,
) -> Course:
    """Publish a course of ``organisation`` (its members may; operators for any)."""
    require(actor, Action.CREATE, Course, organisation=organisation)
    fields = _clean(fields, COURSE_FIELDS, "course_create")
    fields.setdefault("mode", Course.Mode.ON_SITE)
    _validate_course(fields)
    terms = resolve_tags(tags)
    course = Course(
        organisation=organisation,
        is_fictional=is_fictional,
        created_by=actor if actor.is_authenticated else None,
        **fields,
    )
    course.full_clean()
    course.save()
    course.tags.set(terms)
    return course


def _taken_places(course: Course) -> int:
    return course.enrolments.filter(
        status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED]
    ).count()


@service
def course_update(
    *, actor: AnyUser, course: Course, tags: Iterable[str] | None = None, **fields: Any
) -> Course:
    """Change a course; more places move students up from the waiting list."""
    require(actor, Action.CHANGE, course)
    course = Course.objects.select_for_update().get(pk=course.pk)
    fields = _clean(fields, COURSE_FIELDS, "course_update")
    merged = {name: getattr(course, name) for name in COURSE_FIELDS}
    merged.update(fields)
    _validate_course(merged)
    taken = _taken_places(course)
    if merged["capacity"] < taken:
        raise ValidationError(
            {
                "capacity": _(
                    "%(count)d students already have a place: the course needs at least "
                    "%(count)d places."
                )
                % {"count": taken}
            }
        )
    terms = resolve_tags(tags) if tags is not None else None
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    if terms is not None:
        course.tags.set(terms)
    _promote_waitlist(course)
    return course


def _promote_waitlist(course: Course) -> list[Enrolment]:
    """Give free places to the waiting list, first come first served (course row locked)."""
    free = course.capacity - _taken_places(course)
    if free <= 0:
        return []
    promoted = list(
        course.enrolments.select_for_update(of=("self",))
        .filter(status=Enrolment.Status.WAITLISTED)
        .select_related("student__user")
        .order_by("waitlisted_at", "id")[:free]
    )
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.waitlisted_at = None
        enrolment.save(update_fields=["status", "waitlisted_at", "updated_at"])
    recipients = [e.student.user for e in promoted if e.student and e.student.user]
    if recipients:
        notify(
            recipients=recipients,
            kind=notifications.WAITLIST_PROMOTED,
            context={"course_ko": course.title_ko, "course_en": course.title_en},
            link=course.get_absolute_url(),
        )
    return promoted


@service
def enrol(*, actor: AnyUser, course: Course, join_waitlist: bool = False) -> Enrolment:
    """Enrol the actor (a student) in ``course``; on its waiting list when it is full and
    ``join_waitlist`` says so."""
    require(actor, Action.CREATE, Enrolment)
    student = _own_student(actor)
    if not can(actor, Action.VIEW, course):
        raise PermissionDenied("course not visible")
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status != Course.Status.PUBLISHED:
        raise ValidationError(_("This course is not open for enrolment."))
    if course.enrol_until is not None and timezone.localdate() > course.enrol_until:
        raise ValidationError(
            _("Enrolment for this course closed on %(date)s.") % {"date": _day(course.enrol_until)}
        )
    existing = course.enrolments.filter(student=student, status__in=Enrolment.ACTIVE).first()
    if existing is not None:
        already = {
            Enrolment.Status.ENROLLED.value: _("You are already enrolled in this course."),
            Enrolment.Status.WAITLISTED.value: _("You are already on this course's waiting list."),
            Enrolment.Status.COMPLETED.value: _("You have already completed this course."),
        }
        raise ValidationError(already[existing.status])
    enrolment = Enrolment(course=course, student=student)
    if _taken_places(course) >= course.capacity:
        waiting = course.enrolments.filter(status=Enrolment.Status.WAITLISTED).count()
        if course.waitlist_limit == 0:
            raise ValidationError(_("This course is full."), code="full")
        if waiting >= course.waitlist_limit:
            raise ValidationError(_("This course and its waiting list are full."), code="full")
        if not join_waitlist:
            raise ValidationError(
                _("This course is full. You can join its waiting list."), code="waitlist"
            )
        enrolment.status = Enrolment.Status.WAITLISTED
        enrolment.waitlisted_at = timezone.now()
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:  # the same student's second request, at the same moment
        raise ValidationError(_("You are already enrolled in this course.")) from None
    return enrolment


@service
def enrolment_withdraw(*, actor: AnyUser, enrolment: Enrolment) -> Enrolment:
    """The student gives up their place (or waiting list spot); the next in line moves up."""
    require(actor, Action.DELETE, enrolment)
    course = Course.objects.select_for_update().get(pk=enrolment.course_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise ValidationError(_("You cannot withdraw from a course you have completed."))
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("You have already withdrawn from this course."))
    was_enrolled = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.waitlisted_at = None
    enrolment.save(update_fields=["status", "waitlisted_at", "updated_at"])
    if was_enrolled:
        _promote_waitlist(course)
    return enrolment


def _issue_certificate(enrolment: Enrolment) -> Certificate:
    course, student = enrolment.course, enrolment.student
    assert student is not None and enrolment.completed_at is not None
    organisation = course.organisation
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    enrolment=enrolment,
                    holder_name_ko=student.name_ko,
                    holder_name_en=student.name_en,
                    course_title_ko=course.title_ko,
                    course_title_en=course.title_en,
                    provider_name_ko=organisation.name_ko,
                    provider_name_en=organisation.name_en,
                    hours=course.hours,
                    completed_on=timezone.localdate(enrolment.completed_at),
                )
        except IntegrityError:  # a code drawn twice (1 in 10^18): draw again
            continue
    raise RuntimeError("could not draw a unique certificate code")


@service
def enrolments_complete(
    *, actor: AnyUser, course: Course, enrolments: Sequence[Enrolment]
) -> list[Certificate]:
    """The provider marks enrolled students as having completed ``course``; each gets a
    certificate with a verification code."""
    require(actor, Action.CHANGE, course)
    course = Course.objects.select_for_update().select_related("organisation").get(pk=course.pk)
    if not enrolments:
        raise ValidationError(_("Choose the students who completed the course."))
    if course.starts_on > timezone.localdate():
        raise ValidationError(
            _("Completion can be marked once the course has started (on %(date)s).")
            % {"date": _day(course.starts_on)}
        )
    locked = list(
        # Only the enrolments are locked: PostgreSQL refuses FOR UPDATE on the nullable
        # side of the joins (a deleted student's enrolment keeps no student).
        Enrolment.objects.select_for_update(of=("self",))
        .filter(pk__in=[e.pk for e in enrolments])
        .select_related("student__user")
    )
    problems = []
    for enrolment in locked:
        name = enrolment.student.name if enrolment.student else _("a former student")
        if enrolment.course_id != course.pk:
            problems.append(_("%(name)s is not on this course's list.") % {"name": name})
        elif enrolment.status == Enrolment.Status.COMPLETED:
            problems.append(_("%(name)s has already completed this course.") % {"name": name})
        elif enrolment.status != Enrolment.Status.ENROLLED or enrolment.student is None:
            problems.append(_("%(name)s is not enrolled in this course.") % {"name": name})
    if len(locked) != len({e.pk for e in enrolments}):
        problems.append(_("Some of the chosen enrolments do not exist."))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    certificates = []
    for enrolment in locked:
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.completed_at = now
        enrolment.completed_by = actor if actor.is_authenticated else None
        enrolment.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        certificates.append(_issue_certificate(enrolment))
    recipients = [e.student.user for e in locked if e.student and e.student.user]
    if recipients:
        notify(
            recipients=recipients,
            kind=notifications.CERTIFICATE,
            context={"course_ko": course.title_ko, "course_en": course.title_en},
            link=course.get_absolute_url(),
        )
    return certificates


# --- students' profiles and consents ----------------------------------------------------


def _consent(user: User, purpose: str) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, version=current_text(purpose).version
    )


def _validate_profile(fields: dict[str, Any], cv: UploadedFile | None) -> None:
    errors: dict[str, str] = {}
    start, end = fields.get("available_from"), fields.get("available_until")
    if start and end and end < start:
        errors["available_until"] = _("The end of your availability cannot come before its start.")
    hours = fields.get("hours_per_week")
    if hours is not None and not 1 <= hours <= 80:
        errors["hours_per_week"] = _("Enter between 1 and 80 hours a week.")
    year = fields.get("graduation_year")
    if year is not None and not 1950 <= year <= 2100:
        errors["graduation_year"] = _("Enter a graduation year between 1950 and 2100.")
    if cv is not None:
        if (cv.size or 0) > MAX_CV_BYTES:
            errors["cv"] = _("The CV is larger than 5 MB.")
        elif not (cv.name or "").lower().endswith(CV_EXTENSIONS):
            errors["cv"] = _("Upload your CV as a PDF, Word or Hangul file.")
    if errors:
        raise ValidationError(errors)


@service
def student_profile_create(
    *,
    actor: User,
    consent_to_profile: bool,
    consent_to_companies: bool = False,
    organisation: Organisation | None = None,
    skills: Iterable[str] = (),
    **fields: Any,
) -> StudentProfile:
    """Make the actor a student with a talent profile, recording their consents.

    A student already in the directory (imported by their university) keeps that person;
    anyone else gets a new, unlisted one. Without consent to keeping the profile nothing is
    saved.
    """
    require(actor, Action.CREATE, StudentProfile)
    fields = _clean(fields, (*PERSON_FIELDS, *PROFILE_FIELDS), "student_profile_create")
    if not consent_to_profile:
        raise ValidationError(
            {
                "consent_to_profile": _(
                    "A student profile is kept only with your consent: read the text and tick "
                    "the box."
                )
            }
        )
    person = Person.objects.select_for_update().filter(user=actor).first()
    if person is not None and person.kind != Person.Kind.STUDENT:
        raise ValidationError(
            _("Your account has an expert profile; use another account for a student profile.")
        )
    if person is not None and StudentProfile.objects.filter(person=person).exists():
        raise ValidationError(_("You already have a student profile."))
    if organisation is not None and (
        organisation.kind not in STUDENT_HOMES
        or organisation.status != Organisation.Status.APPROVED
    ):
        raise ValidationError({"organisation": _("Choose a university or research institute.")})
    _validate_profile(fields, None)
    person_fields = {k: v for k, v in fields.items() if k in PERSON_FIELDS}
    if person is None:
        if not person_fields.get("name_ko"):
            raise ValidationError({"name_ko": _("Enter your name in Korean.")})
        # A random short name: a student's name never appears in an address.
        person = Person(
            slug=f"student-{secrets.token_hex(6)}",
            kind=Person.Kind.STUDENT,
            user=actor,
            is_public=False,
        )
    for name, value in person_fields.items():
        if value not in (None, ""):
            setattr(person, name, value)
    if organisation is not None:
        person.organisation = organisation
    person.full_clean()
    person.save()
    terms = resolve_tags(skills)
    profile = StudentProfile(
        person=person, **{k: v for k, v in fields.items() if k in PROFILE_FIELDS}
    )
    profile.full_clean()
    profile.save()
    profile.skills.set(terms)
    _consent(actor, ConsentRecord.Purpose.PROFILE)
    if consent_to_companies:
        _consent(actor, ConsentRecord.Purpose.COMPANIES)
    return profile


@service
def student_profile_update(
    *,
    actor: AnyUser,
    profile: StudentProfile,
    skills: Iterable[str] | None = None,
    cv: UploadedFile | None = None,
    remove_cv: bool = False,
    **fields: Any,
) -> StudentProfile:
    """Change one's own profile: skills, about, availability, CV and study details."""
    require(actor, Action.CHANGE, profile)
    profile = StudentProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    fields = _clean(fields, (*PERSON_FIELDS, *PROFILE_FIELDS), "student_profile_update")
    merged = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    merged.update({k: v for k, v in fields.items() if k in PROFILE_FIELDS})
    if "graduation_year" in fields:
        merged["graduation_year"] = fields["graduation_year"]
    _validate_profile(merged, cv)
    if "name_ko" in fields and not fields["name_ko"]:
        raise ValidationError({"name_ko": _("Enter your name in Korean.")})
    terms = resolve_tags(skills) if skills is not None else None
    person = profile.person
    for name, value in fields.items():
        setattr(person if name in PERSON_FIELDS else profile, name, value)
    old_cv = profile.cv.name if profile.cv else ""
    if cv is not None:
        profile.cv = cv
    elif remove_cv:
        profile.cv = ""
    person.full_clean()
    person.save()
    profile.full_clean(exclude=["cv"])
    profile.save()
    if terms is not None:
        profile.skills.set(terms)
    if old_cv and (cv is not None or remove_cv):
        storage = profile.cv.storage
        after_commit(partial(storage.delete, old_cv))
    return profile


@service
def consent_give(*, actor: User, purpose: str) -> ConsentRecord:
    """Give a consent (to companies seeing the profile) with the current text's version."""
    profile = StudentProfile.objects.filter(person__user=actor).first()
    if profile is None:
        raise ValidationError(_("Create your student profile first."))
    require(actor, Action.CHANGE, profile)
    if purpose not in ConsentRecord.Purpose.values:
        raise ValidationError(_("Unknown consent."))
    if ConsentRecord.objects.filter(
        user=actor, purpose=purpose, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError(_("You have already given this consent."))
    return _consent(actor, purpose)


@service
def consent_withdraw(*, actor: User, purpose: str) -> ConsentRecord:
    """Withdraw a consent. Withdrawing the consent to keep the profile deletes the profile."""
    record = (
        ConsentRecord.objects.select_for_update()
        .filter(user=actor, purpose=purpose, withdrawn_at__isnull=True)
        .first()
    )
    if record is None:
        raise ValidationError(_("There is no standing consent to withdraw."))
    if purpose == ConsentRecord.Purpose.PROFILE:
        profile = StudentProfile.objects.filter(person__user=actor).first()
        if profile is not None:
            _delete_profile(actor, profile)
            record.refresh_from_db()
            return record
    record.withdrawn_at = timezone.now()
    record.save(update_fields=["withdrawn_at"])
    return record


@service
def student_profile_delete(*, actor: AnyUser, profile: StudentProfile) -> None:
    """Delete one's student profile and personal data (Korea's PIPA: the right to deletion).

    Places in courses are given up (the waiting list moves up), certificates are withdrawn,
    pending offers are declined, rankings are deleted; what must remain as a count
    (enrolments, results, placements) stays without the person. The consent records stay,
    withdrawn, as the record of what was agreed and when.
    """
    require(actor, Action.DELETE, profile)
    _delete_profile(actor, profile)


def _delete_profile(actor: AnyUser, profile: StudentProfile) -> None:
    profile = StudentProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    person = profile.person
    now = timezone.now()
    if person.user_id is not None:
        ConsentRecord.objects.filter(user_id=person.user_id, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
    active = Enrolment.objects.filter(
        student=person, status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED]
    )
    courses = set(
        active.filter(status=Enrolment.Status.ENROLLED).values_list("course_id", flat=True)
    )
    active.update(status=Enrolment.Status.WITHDRAWN, waitlisted_at=None, updated_at=now)
    Certificate.objects.filter(enrolment__student=person, revoked_at__isnull=True).update(
        revoked_at=now, holder_name_ko="", holder_name_en=""
    )
    MatchResult.objects.filter(student=person, offer=MatchResult.Offer.PENDING).update(
        offer=MatchResult.Offer.DECLINED, answered_at=now
    )
    cv_name = profile.cv.name if profile.cv else ""
    if cv_name:
        after_commit(partial(profile.cv.storage.delete, cv_name))
    # Rankings and participations go with the person; counts stay without it (SET_NULL).
    person.delete()
    for course in Course.objects.select_for_update().filter(pk__in=courses):
        _promote_waitlist(course)


# --- openings ---------------------------------------------------------------------------


def _validate_opening(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not fields.get("title_ko"):
        errors["title_ko"] = _("Give the opening a title in Korean.")
    if fields.get("kind") not in Opening.Kind.values:
        errors["kind"] = _("Choose an internship or a junior position.")
    positions = fields.get("positions")
    if positions is None or positions < 1:
        errors["positions"] = _("An opening needs at least one position.")
    duration = fields.get("duration_months")
    if duration is not None and duration < 1:
        errors["duration_months"] = _("Enter the duration in whole months (at least 1).")
    if fields.get("status", Opening.Status.OPEN) not in Opening.Status.values:
        errors["status"] = _("Choose the opening's status.")
    if errors:
        raise ValidationError(errors)


@service
def opening_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    tags: Iterable[str] = (),
    is_fictional: bool = False,
    **fields: Any,
) -> Opening:
    """Post an internship or junior position for ``organisation`` (its members may)."""
    require(actor, Action.CREATE, Opening, organisation=organisation)
    fields = _clean(fields, OPENING_FIELDS, "opening_create")
    _validate_opening(fields)
    terms = resolve_tags(tags)
    opening = Opening(
        organisation=organisation,
        author=actor if actor.is_authenticated else None,
        is_fictional=is_fictional,
        **fields,
    )
    opening.full_clean()
    opening.save()
    opening.tags.set(terms)
    return opening


@service
def opening_update(
    *, actor: AnyUser, opening: Opening, tags: Iterable[str] | None = None, **fields: Any
) -> Opening:
    require(actor, Action.CHANGE, opening)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    fields = _clean(fields, OPENING_FIELDS, "opening_update")
    merged = {name: getattr(opening, name) for name in OPENING_FIELDS}
    merged.update(fields)
    _validate_opening(merged)
    terms = resolve_tags(tags) if tags is not None else None
    for name, value in fields.items():
        setattr(opening, name, value)
    opening.full_clean()
    opening.save()
    if terms is not None:
        opening.tags.set(terms)
    return opening


# --- placement rounds -------------------------------------------------------------------


def _validate_round(fields: dict[str, Any], *, future: bool) -> None:
    errors: dict[str, str] = {}
    if not fields.get("name_ko"):
        errors["name_ko"] = _("Give the round a name in Korean.")
    choices = fields.get("max_choices")
    if choices is None or not 1 <= choices <= MAX_CHOICES_LIMIT:
        errors["max_choices"] = _("Let students rank between 1 and %(limit)d openings.") % {
            "limit": MAX_CHOICES_LIMIT
        }
    students, companies = fields.get("students_deadline"), fields.get("companies_deadline")
    if students is None:
        errors["students_deadline"] = _("Enter the students' deadline.")
    elif future and students <= timezone.now():
        errors["students_deadline"] = _("The students' deadline must be in the future.")
    if companies is None:
        errors["companies_deadline"] = _("Enter the companies' deadline.")
    elif students is not None and companies < students:
        errors["companies_deadline"] = _(
            "Companies rank their applicants after the students' deadline, not before."
        )
    offers = fields.get("offers_deadline")
    if offers is not None and companies is not None and offers < companies:
        errors["offers_deadline"] = _("Offers are answered after the match, not before.")
    if fields.get("method", PlacementRound.Method.STABLE) not in PlacementRound.Method.values:
        errors["method"] = _("Choose a matching method.")
    if errors:
        raise ValidationError(errors)


def _check_openings(openings: Sequence[Opening]) -> None:
    closed = [opening.title for opening in openings if opening.status != Opening.Status.OPEN]
    if closed:
        raise ValidationError(
            {"openings": _("These openings are closed: %(titles)s") % {"titles": ", ".join(closed)}}
        )


@service
def round_create(
    *,
    actor: AnyUser,
    openings: Sequence[Opening] = (),
    organisations: Sequence[Organisation] = (),
    is_fictional: bool = False,
    **fields: Any,
) -> PlacementRound:
    """Prepare a placement round (the cluster office): its openings, dates and N."""
    require(actor, Action.CREATE, PlacementRound)
    fields = _clean(fields, ROUND_FIELDS, "round_create")
    fields.setdefault("max_choices", 10)
    _validate_round(fields, future=not is_fictional)
    _check_openings(openings)
    placement_round = PlacementRound(is_fictional=is_fictional, **fields)
    placement_round.full_clean()
    placement_round.save()
    placement_round.openings.set(openings)
    placement_round.organisations.set(organisations)
    return placement_round


@service
def round_update(
    *,
    actor: AnyUser,
    placement_round: PlacementRound,
    openings: Sequence[Opening] | None = None,
    organisations: Sequence[Organisation] | None = None,
    **fields: Any,
) -> PlacementRound:
    """Change a round in preparation or taking rankings (openings only in preparation)."""
    require(actor, Action.CHANGE, placement_round)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if placement_round.status not in (PlacementRound.Status.DRAFT, PlacementRound.Status.OPEN):
        raise ValidationError(_("A round whose match has run can no longer be changed."))
    if openings is not None and placement_round.status != PlacementRound.Status.DRAFT:
        raise ValidationError(
            {"openings": _("Openings can be changed only while the round is in preparation.")}
        )
    fields = _clean(fields, ROUND_FIELDS, "round_update")
    merged = {name: getattr(placement_round, name) for name in ROUND_FIELDS}
    merged.update(fields)
    _validate_round(merged, future=False)
    if openings is not None:
        _check_openings(openings)
    for name, value in fields.items():
        setattr(placement_round, name, value)
    placement_round.full_clean()
    placement_round.save()
    if openings is not None:
        placement_round.openings.set(openings)
    if organisations is not None:
        placement_round.organisations.set(organisations)
    return placement_round


@service
def round_open(*, actor: AnyUser, placement_round: PlacementRound) -> PlacementRound:
    """Open a prepared round to students' and companies' rankings."""
    require(actor, Action.CHANGE, placement_round)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if placement_round.status != PlacementRound.Status.DRAFT:
        raise ValidationError(_("Only a round in preparation can be opened."))
    if not placement_round.openings.filter(status=Opening.Status.OPEN).exists():
        raise ValidationError(_("Add at least one open opening before opening the round."))
    if placement_round.students_deadline <= timezone.now() and not placement_round.is_fictional:
        raise ValidationError(_("The students' deadline has passed: set new dates first."))
    placement_round.status = PlacementRound.Status.OPEN
    placement_round.save(update_fields=["status", "updated_at"])
    return placement_round


def _eligible(placement_round: PlacementRound, student: Person) -> bool:
    allowed = set(placement_round.organisations.values_list("pk", flat=True))
    return not allowed or student.organisation_id in allowed


@service
def round_join(*, actor: AnyUser, placement_round: PlacementRound) -> RoundParticipant:
    """The actor (a student) takes part in an open round."""
    require(actor, Action.CREATE, RoundParticipant)
    student = _own_student(actor)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if placement_round.status != PlacementRound.Status.OPEN:
        raise ValidationError(_("This round is not taking rankings now."))
    if placement_round.phase != 1:
        raise ValidationError(_("Students join a round in its first phase."))
    if timezone.now() > placement_round.students_deadline:
        raise ValidationError(
            _("The deadline for ranking in this round passed on %(date)s.")
            % {"date": _day(placement_round.students_deadline)}
        )
    if not _eligible(placement_round, student):
        names = ", ".join(o.name for o in placement_round.organisations.all())
        raise ValidationError(_("This round is for students of %(names)s.") % {"names": names})
    participant, created = RoundParticipant.objects.get_or_create(
        round=placement_round, student=student
    )
    if not created:
        raise ValidationError(_("You have already joined this round."))
    return participant


@service
def participants_add(
    *, actor: AnyUser, placement_round: PlacementRound, students: Sequence[Person]
) -> int:
    """The cluster office adds students to a round; returns how many were new."""
    require(actor, Action.CHANGE, placement_round)
    not_students = [s.name for s in students if s.kind != Person.Kind.STUDENT]
    if not_students:
        raise ValidationError(
            _("These people are not students: %(names)s") % {"names": ", ".join(not_students)}
        )
    existing = set(
        RoundParticipant.objects.filter(round=placement_round).values_list("student_id", flat=True)
    )
    new = [
        RoundParticipant(round=placement_round, student=s) for s in students if s.pk not in existing
    ]
    RoundParticipant.objects.bulk_create(new)
    return len(new)


def _second_phase_allowed(placement_round: PlacementRound, student: Person) -> bool:
    placed = MatchResult.objects.filter(
        round=placement_round, phase=1, student=student, opening__isnull=False
    ).exclude(offer__in=[MatchResult.Offer.DECLINED, MatchResult.Offer.LAPSED])
    return not placed.exists()


@service
def choices_set(
    *, actor: AnyUser, placement_round: PlacementRound, openings: Sequence[Opening]
) -> list[StudentChoice]:
    """Save the actor's rank list for the round's current phase, most wanted first."""
    student = _own_student(actor)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if not can(actor, Action.VIEW, placement_round):
        raise PermissionDenied("round not visible")
    if placement_round.status != PlacementRound.Status.OPEN:
        raise ValidationError(_("This round is not taking rankings now."))
    if timezone.now() > placement_round.students_deadline:
        raise ValidationError(
            _("The deadline for ranking in this round passed on %(date)s.")
            % {"date": _day(placement_round.students_deadline)}
        )
    if not RoundParticipant.objects.filter(round=placement_round, student=student).exists():
        raise ValidationError(_("You are not taking part in this round: join it first."))
    phase = placement_round.phase
    if phase == 2 and not _second_phase_allowed(placement_round, student):
        raise ValidationError(
            _("The second phase is for students the first phase left without a place.")
        )
    if len(openings) > placement_round.max_choices:
        raise ValidationError(
            ngettext(
                "You may rank at most %(limit)d opening in this round; you ranked %(count)d.",
                "You may rank at most %(limit)d openings in this round; you ranked %(count)d.",
                placement_round.max_choices,
            )
            % {"limit": placement_round.max_choices, "count": len(openings)}
        )
    if len({opening.pk for opening in openings}) != len(openings):
        raise ValidationError(_("You ranked the same opening twice."))
    in_round = set(
        placement_round.openings.filter(status=Opening.Status.OPEN).values_list("pk", flat=True)
    )
    foreign = [opening.title for opening in openings if opening.pk not in in_round]
    if foreign:
        raise ValidationError(
            _("Not an open opening of this round: %(titles)s") % {"titles": ", ".join(foreign)}
        )
    if phase == 2:
        left = remaining_positions(placement_round)
        full = [opening.title for opening in openings if opening.pk not in left]
        if full:
            raise ValidationError(
                _("No positions are left for the second phase in: %(titles)s")
                % {"titles": ", ".join(full)}
            )
    StudentChoice.objects.filter(round=placement_round, phase=phase, student=student).delete()
    return StudentChoice.objects.bulk_create(
        StudentChoice(
            round=placement_round, phase=phase, student=student, opening=opening, rank=rank
        )
        for rank, opening in enumerate(openings, start=1)
    )


def _company_may_rank(actor: AnyUser, placement_round: PlacementRound, opening: Opening) -> None:
    if not can(actor, Action.CHANGE, CompanyRanking, opening=opening):
        raise PermissionDenied("only the opening's company ranks its applicants")
    if not placement_round.openings.filter(pk=opening.pk).exists():
        raise ValidationError(_("This opening is not part of the round."))
    if placement_round.status != PlacementRound.Status.OPEN:
        raise ValidationError(_("This round is not taking rankings now."))
    if timezone.now() > placement_round.companies_deadline:
        raise ValidationError(
            _("The deadline for companies' rankings passed on %(date)s.")
            % {"date": _day(placement_round.companies_deadline)}
        )


def _save_company_ranking(
    placement_round: PlacementRound, opening: Opening, students: Sequence[Person]
) -> list[CompanyRanking]:
    phase = placement_round.phase
    if len({student.pk for student in students}) != len(students):
        raise ValidationError(_("You ranked the same student twice."))
    applicants = set(
        StudentChoice.objects.filter(
            round=placement_round, phase=phase, opening=opening
        ).values_list("student_id", flat=True)
    )
    if any(student.pk not in applicants for student in students):
        raise ValidationError(_("You may rank only students who applied to this opening."))
    CompanyRanking.objects.filter(round=placement_round, phase=phase, opening=opening).delete()
    return CompanyRanking.objects.bulk_create(
        CompanyRanking(
            round=placement_round, phase=phase, opening=opening, student=student, rank=rank
        )
        for rank, student in enumerate(students, start=1)
    )


@service
def company_ranking_set(
    *,
    actor: AnyUser,
    placement_round: PlacementRound,
    opening: Opening,
    students: Sequence[Person],
) -> list[CompanyRanking]:
    """Save a company's rank list of the applicants to one of its openings, best first.

    An applicant left off the list is not acceptable to the opening (the match never
    offers them to it).
    """
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    _company_may_rank(actor, placement_round, opening)
    return _save_company_ranking(placement_round, opening, students)


@service
def company_ranking_from_engine(
    *, actor: AnyUser, placement_round: PlacementRound, opening: Opening
) -> list[CompanyRanking]:
    """Start a company's list from the engine's ranking of every applicant (to reorder)."""
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    _company_may_rank(actor, placement_round, opening)
    ranked = applicants_by_fit(placement_round, opening, placement_round.phase)
    return _save_company_ranking(placement_round, opening, [fit.student for fit in ranked])


@service
def match_start(*, actor: AnyUser, placement_round: PlacementRound) -> MatchRun:
    """Queue the match of the round's current phase (after the companies' deadline)."""
    require(actor, Action.CHANGE, placement_round)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if placement_round.status != PlacementRound.Status.OPEN:
        raise ValidationError(_("The match runs on a round that is taking rankings."))
    if timezone.now() < placement_round.companies_deadline:
        raise ValidationError(
            _("Run the match after the companies' deadline (%(date)s).")
            % {"date": _day(placement_round.companies_deadline)}
        )
    phase = placement_round.phase
    live = MatchRun.objects.filter(
        round=placement_round,
        phase=phase,
        status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING, MatchRun.Status.DONE],
    ).first()
    if live is not None:
        raise ValidationError(_("The match of this phase is already running or done."))
    if not StudentChoice.objects.filter(round=placement_round, phase=phase).exists():
        raise ValidationError(_("No student has ranked an opening in this phase."))
    run = MatchRun.objects.create(
        round=placement_round,
        phase=phase,
        method=placement_round.method,
        started_by=actor if actor.is_authenticated else None,
    )
    run_id = run.pk
    after_commit(lambda: tasks.run_match.enqueue(run_id))
    return run


@service
def offer_answer(*, actor: AnyUser, result: MatchResult, accept: bool) -> MatchResult:
    """The student accepts (a placement is recorded) or declines the offer the match made."""
    require(actor, Action.RESPOND, result)
    result = (
        MatchResult.objects.select_for_update(of=("self",))
        .select_related("round", "opening__organisation", "student")
        .get(pk=result.pk)
    )
    if result.offer != MatchResult.Offer.PENDING or result.opening is None:
        raise ValidationError(_("This offer has already been answered."))
    placement_round = result.round
    if placement_round.status == PlacementRound.Status.CLOSED:
        raise ValidationError(_("The round is finished: offers can no longer be answered."))
    deadline = placement_round.offers_deadline
    if deadline is not None and timezone.now() > deadline:
        raise ValidationError(
            _("Offers had to be answered by %(date)s.") % {"date": _day(deadline)}
        )
    opening = result.opening
    result.offer = MatchResult.Offer.ACCEPTED if accept else MatchResult.Offer.DECLINED
    result.answered_at = timezone.now()
    result.save(update_fields=["offer", "answered_at"])
    if accept:
        Placement.objects.create(
            student=result.student,
            source=Placement.Source.ROUND,
            result=result,
            round=placement_round,
            opening=opening,
            employer=opening.organisation,
            employer_name=opening.organisation.name_ko,
            kind=opening.kind,
            starts_on=opening.starts_on,
        )
    notify(
        recipients=_users_of(opening.organisation_id),
        kind=notifications.OFFER_ANSWER,
        context={
            "student": result.student.name if result.student else "",
            "opening_ko": opening.title_ko,
            "opening_en": opening.title_en,
            "accepted": accept,
        },
        link=placement_round.get_absolute_url(),
    )
    return result


@service
def second_phase_open(
    *,
    actor: AnyUser,
    placement_round: PlacementRound,
    students_deadline: datetime.datetime | None,
    companies_deadline: datetime.datetime | None,
    offers_deadline: datetime.datetime | None = None,
) -> PlacementRound:
    """Offer the students the first phase left unplaced the positions still open."""
    require(actor, Action.CHANGE, placement_round)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if placement_round.status != PlacementRound.Status.MATCHED or placement_round.phase != 1:
        raise ValidationError(_("The second phase opens once the first phase's results are out."))
    fields = {name: getattr(placement_round, name) for name in ROUND_FIELDS}
    fields.update(
        students_deadline=students_deadline,
        companies_deadline=companies_deadline,
        offers_deadline=offers_deadline,
    )
    _validate_round(fields, future=True)
    if not remaining_positions(placement_round):
        raise ValidationError(_("Every position was filled: there is nothing left to offer."))
    placement_round.students_deadline = students_deadline  # type: ignore[assignment]
    placement_round.companies_deadline = companies_deadline  # type: ignore[assignment]
    placement_round.offers_deadline = offers_deadline
    placement_round.phase = 2
    placement_round.status = PlacementRound.Status.OPEN
    placement_round.save()
    unplaced = (
        MatchResult.objects.filter(round=placement_round, phase=1, student__user__isnull=False)
        .filter(Q(opening__isnull=True) | Q(offer=MatchResult.Offer.DECLINED))
        .select_related("student__user")
    )
    notify(
        recipients=[
            result.student.user for result in unplaced if result.student and result.student.user
        ],
        kind=notifications.SECOND_PHASE,
        context={"round_ko": placement_round.name_ko, "round_en": placement_round.name_en},
        link=placement_round.get_absolute_url(),
    )
    return placement_round


@service
def round_close(*, actor: AnyUser, placement_round: PlacementRound) -> PlacementRound:
    """Finish a round: offers not answered lapse, and the retention period starts."""
    require(actor, Action.CHANGE, placement_round)
    placement_round = PlacementRound.objects.select_for_update().get(pk=placement_round.pk)
    if placement_round.status != PlacementRound.Status.MATCHED:
        raise ValidationError(_("A round is finished after its results are out."))
    now = timezone.now()
    MatchResult.objects.filter(round=placement_round, offer=MatchResult.Offer.PENDING).update(
        offer=MatchResult.Offer.LAPSED, answered_at=now
    )
    placement_round.status = PlacementRound.Status.CLOSED
    placement_round.closed_at = now
    placement_round.save(update_fields=["status", "closed_at", "updated_at"])
    return placement_round


@service
def placement_record(
    *,
    actor: AnyUser,
    student: Person,
    kind: str,
    employer: Organisation | None = None,
    employer_name: str = "",
    starts_on: datetime.date | None = None,
) -> Placement:
    """The cluster office records a placement made outside a round (at a cluster company
    in the directory, or elsewhere by name)."""
    require(actor, Action.CREATE, Placement)
    errors: dict[str, str] = {}
    if student.kind != Person.Kind.STUDENT:
        errors["student"] = _("Choose a student.")
    if kind not in Opening.Kind.values:
        errors["kind"] = _("Choose an internship or a junior position.")
    name = employer.name_ko if employer is not None else employer_name.strip()
    if not name:
        errors["employer_name"] = _("Choose the employer or enter its name.")
    if errors:
        raise ValidationError(errors)
    return Placement.objects.create(
        student=student,
        source=Placement.Source.RECORDED,
        employer=employer,
        employer_name=name,
        kind=kind,
        starts_on=starts_on,
        recorded_by=actor if actor.is_authenticated else None,
    )
