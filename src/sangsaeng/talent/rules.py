"""Who may see and change the records of the talent app.

Students' personal data is never public. A student's profile is seen by the student, the
cluster office, and a company only while the student consents to companies seeing it (and
the company has an opening), or for the company's openings the student ranked. Course
providers see the students enrolled in their courses. A company never sees how a student
ranked its openings, only that the student applied.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule
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


def own_student(who: Principal, prefix: str = "") -> Q:
    """Records of the principal's own student person."""
    if not who.is_authenticated:
        return NOTHING
    return Q(**{f"{prefix}user_id": who.pk})


def recruiting_organisations(who: Principal) -> frozenset[int]:
    """The approved organisations ``who`` belongs to that have an open opening."""
    if not who.approved_member_of:
        return frozenset()
    return frozenset(
        Opening.objects.filter(
            organisation_id__in=who.approved_member_of, status=Opening.Status.OPEN
        ).values_list("organisation_id", flat=True)
    )


def consenting_to_companies(prefix: str = "") -> Q:
    """Students whose consent to be seen by companies stands."""
    return Q(
        **{
            f"{prefix}user__talent_consents__purpose": ConsentRecord.Purpose.COMPANIES,
            f"{prefix}user__talent_consents__withdrawn_at__isnull": True,
        }
    )


def applied_to(who: Principal) -> Q:
    """Persons who ranked an opening of an organisation ``who`` belongs to (approved)."""
    if not who.approved_member_of:
        return NOTHING
    return Q(
        pk__in=StudentChoice.objects.filter(
            opening__organisation_id__in=who.approved_member_of
        ).values("student_id")
    )


def visible_students(who: Principal) -> Q:
    """The condition over ``Person`` of the students whose talent profile ``who`` may see."""
    if who.is_operator:
        return EVERYTHING
    condition = own_student(who) | applied_to(who)
    if recruiting_organisations(who):
        condition |= consenting_to_companies()
    return condition


class CourseRule(Rule):
    """Published courses are public; their provider's members keep them and their roster."""

    model = Course

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        provider = Q(organisation_id__in=who.approved_member_of)
        if action == Action.VIEW:
            public = Q(status__in=[Course.Status.PUBLISHED, Course.Status.CLOSED]) & Q(
                organisation__status=Organisation.Status.APPROVED
            )
            return public | Q(organisation_id__in=who.member_of)
        if action == Action.CHANGE:
            return provider
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Members of an approved organisation publish its courses; operators any."""
        if who.is_operator:
            return True
        if action != Action.CREATE:
            return False
        organisation = context.get("organisation")
        if organisation is None:
            return who.is_cluster_member
        return organisation.pk in who.approved_member_of


class EnrolmentRule(Rule):
    """A student sees and withdraws their own; the provider sees and completes its roster."""

    model = Enrolment

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator and action == Action.VIEW:
            return EVERYTHING
        own = own_student(who, "student__")
        provider = Q(course__organisation_id__in=who.approved_member_of)
        if action == Action.VIEW:
            return own | provider
        if action == Action.CHANGE:  # mark completion
            return EVERYTHING if who.is_operator else provider
        if action == Action.DELETE:  # withdraw
            return own
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        # Any signed-in student enrols; the service asks for a student profile.
        return action == Action.CREATE and who.is_authenticated


class CertificateRule(Rule):
    """The holder and the provider read a certificate; anyone with its code checks it
    (``VIEW_SUMMARY``: what the public verification page shows, the holder's name masked)."""

    model = Certificate

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW_SUMMARY:
            return EVERYTHING
        if action != Action.VIEW:
            return NOTHING
        if who.is_operator:
            return EVERYTHING
        return own_student(who, "enrolment__student__") | Q(
            enrolment__course__organisation_id__in=who.approved_member_of
        )


class StudentProfileRule(Rule):
    """See the module docstring: the student, the cluster office, consented or applied-to
    companies. Only the student changes or deletes their profile."""

    model = StudentProfile

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            condition = visible_students(who)
            if condition == EVERYTHING:
                return EVERYTHING
            return Q(person__in=Person.objects.filter(condition).values("pk"))
        if action in (Action.CHANGE, Action.DELETE):
            return own_student(who, "person__")
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        # Any signed-in user without a profile may become a student (the service checks).
        return action == Action.CREATE and who.is_authenticated


class ConsentRecordRule(Rule):
    """A user's consents are theirs to read; the cluster office reads them as the record."""

    model = ConsentRecord

    def filter(self, who: Principal, action: Action) -> Q:
        if action != Action.VIEW:
            return NOTHING
        if who.is_operator:
            return EVERYTHING
        return Q(user_id=who.pk) if who.is_authenticated else NOTHING


class OpeningRule(Rule):
    """Open openings of approved companies are public; the company's members see all of
    theirs; its admins and the author change them."""

    model = Opening

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            public = Q(
                status=Opening.Status.OPEN, organisation__status=Organisation.Status.APPROVED
            )
            return public | Q(organisation_id__in=who.member_of)
        if action == Action.CHANGE:
            author = Q(author_id=who.pk) if who.is_authenticated else NOTHING
            return Q(organisation_id__in=who.admin_of) | (
                author & Q(organisation_id__in=who.approved_member_of)
            )
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Members of an approved organisation post its openings; operators any."""
        if who.is_operator:
            return True
        if action != Action.CREATE:
            return False
        organisation = context.get("organisation")
        if organisation is None:
            return who.is_cluster_member
        return organisation.pk in who.approved_member_of


class PlacementRoundRule(Rule):
    """Rounds past preparation are public; the cluster office runs them."""

    model = PlacementRound

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return ~Q(status=PlacementRound.Status.DRAFT)
        return NOTHING


class RoundParticipantRule(Rule):
    model = RoundParticipant

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action in (Action.VIEW, Action.DELETE):
            return own_student(who, "student__")
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        # A student joins a round themselves; operators add students.
        return who.is_operator or (action == Action.CREATE and who.is_authenticated)


class StudentChoiceRule(Rule):
    """A student's rank list is theirs. A company learns who applied to its openings
    (``VIEW_SUMMARY``) but never the rank the student gave them."""

    model = StudentChoice

    def filter(self, who: Principal, action: Action) -> Q:
        own = own_student(who, "student__")
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else own
        if action == Action.CHANGE:
            return own
        if action == Action.VIEW_SUMMARY:
            if who.is_operator:
                return EVERYTHING
            return own | Q(opening__organisation_id__in=who.approved_member_of)
        return NOTHING


class CompanyRankingRule(Rule):
    """A company's rank lists are its own (and the cluster office's to read)."""

    model = CompanyRanking

    def filter(self, who: Principal, action: Action) -> Q:
        company = Q(opening__organisation_id__in=who.approved_member_of)
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else company
        if action == Action.CHANGE:
            return company
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """The opening's company (any member of it, approved) ranks its applicants."""
        opening = context.get("opening")
        return (
            action == Action.CHANGE
            and opening is not None
            and opening.organisation_id in who.approved_member_of
        )


class MatchRunRule(Rule):
    """The match's computation is the cluster office's (the default: operators only)."""

    model = MatchRun


class MatchResultRule(Rule):
    """A student sees and answers their result; a company sees the students offered its
    openings; the cluster office sees all."""

    model = MatchResult

    def filter(self, who: Principal, action: Action) -> Q:
        own = own_student(who, "student__")
        if action == Action.VIEW:
            if who.is_operator:
                return EVERYTHING
            return own | Q(opening__organisation_id__in=who.approved_member_of)
        if action == Action.RESPOND:
            return own
        return NOTHING


class PlacementRule(Rule):
    """A placement is seen by its student, its employer and the cluster office, which
    records placements made outside a round."""

    model = Placement

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return own_student(who, "student__") | Q(employer_id__in=who.approved_member_of)
        return NOTHING


RULES = (
    CourseRule,
    EnrolmentRule,
    CertificateRule,
    StudentProfileRule,
    ConsentRecordRule,
    OpeningRule,
    PlacementRoundRule,
    RoundParticipantRule,
    StudentChoiceRule,
    CompanyRankingRule,
    MatchRunRule,
    MatchResultRule,
    PlacementRule,
)
