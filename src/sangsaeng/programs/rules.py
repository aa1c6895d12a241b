"""Who may see and change the records of support programs.

Calls, their forms and rubrics are public once published. Applications are confidential:
their contents reach only the applicant organisation's members, operators and the reviewers
assigned to them, and a reviewer with an active conflict of interest never, even if assigned.
Opted-in reviewers without a conflict see the titles of a closed call's applications to
bid on them (``VIEW_SUMMARY``). Applicants never read reviews, only the comments addressed
to them once the decision is published, without the reviewers' names (``VIEW_SUMMARY`` of a
review). Actions used here:

- ``VIEW`` read; ``VIEW_SUMMARY`` a title to bid on, or a review's comment to the applicant;
- ``CHANGE`` edit (an applicant's draft, a reviewer's own profile or review, an operator's call);
- ``APPROVE`` screen and decide (operators); ``RESPOND`` answer a review invitation;
- ``REPORT_PROGRESS`` an award holder's reports and milestones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule
from sangsaeng.directory.models import Person
from sangsaeng.programs.models import (
    Application,
    ApplicationFile,
    ApplicationPartner,
    ApplicationVector,
    AssignmentRun,
    Award,
    AwardReport,
    Bid,
    Call,
    Conflict,
    Criterion,
    Decision,
    FormField,
    Milestone,
    PastAffiliation,
    ProposedReviewer,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    SupportProgram,
)

Status = Application.Status


def applicant_side(who: Principal, prefix: str = "") -> Q:
    """Applications (at ``prefix``) of an organisation ``who`` belongs to."""
    return Q(**{f"{prefix}organisation_id__in": who.member_of}) if who.member_of else NOTHING


def conflicted_application_ids(who: Principal) -> Any:
    """The applications ``who`` has an active conflict of interest with (a subquery)."""
    return Conflict.objects.filter(reviewer__person__user_id=who.pk, lifted_at__isnull=True).values(
        "application_id"
    )


def assigned_reviewer(who: Principal, prefix: str = "") -> Q:
    """Applications (at ``prefix``) ``who`` was asked to review and is not conflicted with."""
    if not who.is_authenticated:
        return NOTHING
    assigned = (
        ReviewAssignment.objects.filter(reviewer__person__user_id=who.pk)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .values("application_id")
    )
    field = f"{prefix}id" if prefix else "pk"
    return Q(**{f"{field}__in": assigned}) & ~Q(**{f"{field}__in": conflicted_application_ids(who)})


def own_reviewer(who: Principal, prefix: str = "") -> Q:
    """Records (at ``prefix``, a reviewer profile) of ``who``'s own reviewer profile."""
    if not who.is_authenticated:
        return NOTHING
    return Q(**{f"{prefix}person__user_id": who.pk})


def is_opted_in_reviewer(who: Principal) -> bool:
    if not who.is_authenticated:
        return False
    return ReviewerProfile.objects.filter(person__user_id=who.pk, opted_in=True).exists()


class SupportProgramRule(Rule):
    """Programmes are public; operators run them."""

    model = SupportProgram

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING
        return EVERYTHING if who.is_operator else NOTHING


class CallRule(Rule):
    """A call is public once published; operators draft, publish and run it."""

    model = Call

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return ~Q(status=Call.Status.DRAFT)
        return NOTHING


class _CallPartRule(Rule):
    """A call's form and rubric are read by anyone who may read the call."""

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return ~Q(call__status=Call.Status.DRAFT)
        return NOTHING


class FormFieldRule(_CallPartRule):
    model = FormField


class CriterionRule(_CallPartRule):
    model = Criterion


class ApplicationRule(Rule):
    """Confidential: the applicant's members, operators, and assigned reviewers without a
    conflict read it; members edit their organisation's draft; operators screen and decide.
    Opted-in reviewers without a conflict read the titles of a closed call's applications."""

    model = Application

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.APPROVE:
            return EVERYTHING if who.is_operator else NOTHING
        if action == Action.CHANGE:
            # Operators screen and decide; they never edit what an applicant wrote.
            if not who.approved_member_of:
                return NOTHING
            return Q(
                organisation_id__in=who.approved_member_of,
                status__in=[Status.DRAFT, Status.SUBMITTED],
            )
        if action not in (Action.VIEW, Action.VIEW_SUMMARY):
            return NOTHING
        if who.is_operator:
            return EVERYTHING
        readable = applicant_side(who) | assigned_reviewer(who)
        if action == Action.VIEW_SUMMARY and is_opted_in_reviewer(who):
            biddable = Q(
                call__status=Call.Status.PUBLISHED,
                call__closes_at__lt=timezone.now(),
                status__in=[Status.SUBMITTED, Status.ELIGIBLE],
            ) & ~Q(pk__in=conflicted_application_ids(who))
            readable |= biddable
        return readable

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Members of an approved organisation apply for it (operators do not apply)."""
        if action != Action.CREATE:
            return who.is_operator
        organisation = context.get("organisation")
        if organisation is None:
            return who.is_cluster_member
        return organisation.pk in who.approved_member_of


class _ApplicationPartRule(Rule):
    """Partners and files are read with their application and changed with its draft."""

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            if who.is_operator:
                return EVERYTHING
            return applicant_side(who, "application__") | assigned_reviewer(who, "application__")
        if action == Action.CHANGE and who.approved_member_of:
            return Q(
                application__organisation_id__in=who.approved_member_of,
                application__status=Status.DRAFT,
            )
        return NOTHING


class ApplicationPartnerRule(_ApplicationPartRule):
    model = ApplicationPartner


class ApplicationFileRule(_ApplicationPartRule):
    model = ApplicationFile


class ApplicationVectorRule(Rule):
    """Embeddings are the assignment's working data: operators only."""

    model = ApplicationVector

    def filter(self, who: Principal, action: Action) -> Q:
        return EVERYTHING if who.is_operator and action == Action.VIEW else NOTHING


class ReviewerProfileRule(Rule):
    """An expert keeps their own reviewer profile; operators read every one."""

    model = ReviewerProfile

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else own_reviewer(who)
        if action == Action.CHANGE:
            return own_reviewer(who)
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """An expert opts in for their own profile only."""
        if action != Action.CREATE or not who.is_authenticated:
            return False
        person = context.get("person")
        if person is None:
            return Person.objects.filter(user_id=who.pk, kind=Person.Kind.EXPERT).exists()
        return bool(person.user_id == who.pk and person.kind == Person.Kind.EXPERT)


class PastAffiliationRule(Rule):
    model = PastAffiliation

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else own_reviewer(who, "reviewer__")
        if action == Action.CHANGE:
            return own_reviewer(who, "reviewer__")
        return NOTHING


class ConflictRule(Rule):
    """Reviewers see their own conflicts; operators see all, add and lift them."""

    model = Conflict

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator and action in (Action.VIEW, Action.CHANGE):
            return EVERYTHING
        if action == Action.VIEW:
            return own_reviewer(who, "reviewer__")
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Reviewers declare their own conflicts; operators add any."""
        if action != Action.CREATE:
            return who.is_operator
        if who.is_operator:
            return True
        reviewer = context.get("reviewer")
        return bool(
            who.is_authenticated and reviewer is not None and reviewer.person.user_id == who.pk
        )


class BidRule(Rule):
    model = Bid

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else own_reviewer(who, "reviewer__")
        if action == Action.CHANGE:
            return own_reviewer(who, "reviewer__")
        return NOTHING


class AssignmentRunRule(Rule):
    """Only the cluster office computes and reads assignment proposals."""

    model = AssignmentRun


class ProposedReviewerRule(Rule):
    model = ProposedReviewer


class ReviewAssignmentRule(Rule):
    """A reviewer sees and answers their own invitations, except where they have an active
    conflict of interest (then not even the title reaches them); operators see all."""

    model = ReviewAssignment

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW and who.is_operator:
            return EVERYTHING
        if action in (Action.VIEW, Action.RESPOND):
            if not who.is_authenticated:
                return NOTHING
            return own_reviewer(who, "reviewer__") & ~Q(
                application_id__in=conflicted_application_ids(who)
            )
        return NOTHING


class ReviewRule(Rule):
    """A review is its reviewer's and the operators'; the applicant reads only the comment
    addressed to them (``VIEW_SUMMARY``), once the decision is published."""

    model = Review

    def filter(self, who: Principal, action: Action) -> Q:
        own = (
            own_reviewer(who, "assignment__reviewer__")
            & ~Q(assignment__application_id__in=conflicted_application_ids(who))
            if who.is_authenticated
            else NOTHING
        )
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else own
        if action == Action.CHANGE:
            return own
        if action == Action.VIEW_SUMMARY:
            if who.is_operator:
                return EVERYTHING
            published = Q(
                status=Review.Status.SUBMITTED,
                assignment__application__decision__published_at__isnull=False,
            )
            return own | (published & applicant_side(who, "assignment__application__"))
        return NOTHING


class DecisionRule(Rule):
    """Operators decide; the applicant reads the decision once it is published."""

    model = Decision

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING if action in (Action.VIEW, Action.CHANGE) else NOTHING
        if action == Action.VIEW:
            return applicant_side(who, "application__") & Q(published_at__isnull=False)
        return NOTHING


class AwardRule(Rule):
    """An award is its holder's and the operators'; the holder reports on it."""

    model = Award

    def filter(self, who: Principal, action: Action) -> Q:
        holder = applicant_side(who, "application__")
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else holder
        if action == Action.CHANGE:
            return EVERYTHING if who.is_operator else NOTHING
        if action == Action.REPORT_PROGRESS:
            return holder
        return NOTHING


class _AwardPartRule(Rule):
    def filter(self, who: Principal, action: Action) -> Q:
        holder = applicant_side(who, "award__application__")
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else holder
        if action == Action.CHANGE:
            return EVERYTHING if who.is_operator else NOTHING
        if action == Action.REPORT_PROGRESS:
            return holder
        return NOTHING


class MilestoneRule(_AwardPartRule):
    model = Milestone


class AwardReportRule(_AwardPartRule):
    model = AwardReport


RULES: tuple[type[Rule], ...] = (
    SupportProgramRule,
    CallRule,
    FormFieldRule,
    CriterionRule,
    ApplicationRule,
    ApplicationPartnerRule,
    ApplicationFileRule,
    ApplicationVectorRule,
    ReviewerProfileRule,
    PastAffiliationRule,
    ConflictRule,
    BidRule,
    AssignmentRunRule,
    ProposedReviewerRule,
    ReviewAssignmentRule,
    ReviewRule,
    DecisionRule,
    AwardRule,
    MilestoneRule,
    AwardReportRule,
)
