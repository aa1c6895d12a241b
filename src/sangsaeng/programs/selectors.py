"""Read-only questions about support programs, always through the access policy.

Each record has one fetcher (``call_get``, ``application_get``, ``assignment_get``, …) that
raises :class:`~sangsaeng.core.selectors.NotFound` when it does not exist or the user may not
see it; pages and the API both answer that with 404. An application's contents are read
only through :func:`application_get` (``VIEW``); its title for bidding through
:func:`biddable_applications` (``VIEW_SUMMARY``); an applicant reads the reviewers' comments
through :func:`feedback_for_applicant`, which never carries who wrote them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.i18n import localized
from sangsaeng.core.policy import Action, can, principal_of, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import Commitment, Organisation, Person, Publication, TaxonomyTerm
from sangsaeng.directory.selectors import (
    agreements_visible_to,
    organisations_visible_to,
    people_visible_to,
)
from sangsaeng.programs.answers import display_value, field_name
from sangsaeng.programs.completeness import application_problems
from sangsaeng.programs.eligibility import (
    EligibilityCheck,
    call_area_ids,
    check_eligibility,
    is_eligible,
)
from sangsaeng.programs.models import (
    Application,
    ApplicationFile,
    ApplicationPartner,
    AssignmentRun,
    Award,
    AwardReport,
    Bid,
    Call,
    Conflict,
    Criterion,
    Decision,
    FormField,
    ProposedReviewer,
    Review,
    ReviewAssignment,
    ReviewerProfile,
    SupportProgram,
)
from sangsaeng.programs.ranking import CallRanking, call_ranking

Status = Application.Status

# --- calls ---------------------------------------------------------------------------------


def calls_visible_to(user: AnyUser) -> QuerySet[Call]:
    return restrict(Call.objects.all(), user, Action.VIEW).select_related("program")


def call_list(user: AnyUser, *, phase: str = "") -> list[Call]:
    """Calls ``user`` may see, open ones first, then upcoming, under review and decided."""
    order: dict[str, int] = {
        Call.Phase.OPEN: 0,
        Call.Phase.UPCOMING: 1,
        Call.Phase.REVIEW: 2,
        Call.Phase.DRAFT: 3,
        Call.Phase.DECIDED: 4,
    }
    now = timezone.now()
    calls = [call for call in calls_visible_to(user) if not phase or call.phase_at(now) == phase]
    return sorted(calls, key=lambda call: (order[call.phase_at(now)], call.closes_at))


def call_get(*, user: AnyUser, slug: str) -> Call:
    call = (
        calls_visible_to(user)
        .select_related("commitment", "commitment__agreement", "program__owner")
        .filter(slug=slug)
        .first()
    )
    if call is None:
        raise NotFound(_("No such call."))
    return call


def programs_visible_to(user: AnyUser) -> QuerySet[SupportProgram]:
    return restrict(SupportProgram.objects.all(), user, Action.VIEW)


def program_get(*, user: AnyUser, slug: str) -> SupportProgram:
    program = programs_visible_to(user).filter(slug=slug).first()
    if program is None:
        raise NotFound(_("No such programme."))
    return program


def programme_owners(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations that may run a programme: the city, agencies, universities, institutes."""
    return (
        organisations_visible_to(user)
        .filter(status=Organisation.Status.APPROVED)
        .exclude(kind=Organisation.Kind.COMPANY)
        .order_by("kind", "name_ko")
    )


def commitment_choices(user: AnyUser) -> QuerySet[Commitment]:
    """The commitments of the agreements ``user`` may see, for a call to name."""
    return (
        Commitment.objects.filter(agreement__in=agreements_visible_to(user))
        .select_related("agreement")
        .order_by("agreement__signed_on", "order")
    )


def affiliation_choices(user: AnyUser) -> QuerySet[Organisation]:
    return organisations_visible_to(user).order_by("name_ko")


def form_fields(user: AnyUser, call: Call) -> list[FormField]:
    return list(restrict(FormField.objects.filter(call=call), user, Action.VIEW))


def criteria(user: AnyUser, call: Call) -> list[Criterion]:
    return list(restrict(Criterion.objects.filter(call=call), user, Action.VIEW))


def call_areas(call: Call) -> QuerySet[TaxonomyTerm]:
    """The terms an application may name as its area (the call's areas and below)."""
    if not call.eligible_tags.exists():
        return TaxonomyTerm.objects.all()
    return TaxonomyTerm.objects.filter(pk__in=call_area_ids(call))


@dataclass
class ApplyOption:
    """One organisation ``user`` could apply for, with the call's checks for it."""

    organisation: Organisation
    checks: list[EligibilityCheck]
    existing: Application | None

    @property
    def eligible(self) -> bool:
        return is_eligible(self.checks)


def apply_options(user: AnyUser, call: Call) -> list[ApplyOption]:
    """The organisations ``user`` belongs to (approved ones apply), each checked."""
    if not user.is_authenticated:
        return []
    principal = principal_of(user)
    organisations = Organisation.objects.filter(pk__in=principal.member_of).prefetch_related("tags")
    existing = {
        a.organisation_id: a
        for a in restrict(
            Application.objects.filter(call=call).exclude(status=Status.WITHDRAWN),
            user,
            Action.VIEW,
        )
    }
    return [
        ApplyOption(
            organisation, check_eligibility(call, organisation), existing.get(organisation.pk)
        )
        for organisation in organisations.order_by("name_ko")
    ]


def applicable_organisation_get(*, user: AnyUser, slug: str) -> Organisation:
    """An organisation ``user`` belongs to, by slug."""
    organisation = (
        Organisation.objects.filter(pk__in=principal_of(user).member_of, slug=slug).first()
        if user.is_authenticated
        else None
    )
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


# --- applications ----------------------------------------------------------------------------


def application_get(*, user: AnyUser, pk: int) -> Application:
    """An application whose contents ``user`` may read, or :class:`NotFound`."""
    application = (
        restrict(Application.objects.all(), user, Action.VIEW)
        .select_related("call", "call__program", "organisation", "area", "created_by")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise NotFound(_("No such application."))
    return application


def readable_applications(user: AnyUser) -> QuerySet[Application]:
    """Every application whose contents ``user`` may read (not others' drafts)."""
    return (
        restrict(Application.objects.all(), user, Action.VIEW)
        .select_related("call", "organisation", "area")
        .order_by("-updated_at", "-pk")
    )


def area_get(call: Call, code: str) -> TaxonomyTerm:
    area = call_areas(call).filter(code=code).first()
    if area is None:
        raise NotFound(_("No such area."))
    return area


def my_applications(user: AnyUser) -> QuerySet[Application]:
    """Applications of the organisations ``user`` belongs to, newest first."""
    if not user.is_authenticated or not principal_of(user).member_of:
        return Application.objects.none()
    return (
        restrict(
            Application.objects.filter(organisation_id__in=principal_of(user).member_of),
            user,
            Action.VIEW,
        )
        .select_related("call", "organisation")
        .order_by("-updated_at")
    )


@dataclass
class Answer:
    field: FormField
    value: Any
    shown: str
    file: ApplicationFile | None = None

    @property
    def name(self) -> str:
        return field_name(self.field)


@dataclass
class ApplicationView:
    """What a reader sees of an application they may read."""

    application: Application
    viewer: AnyUser
    answers: list[Answer]
    partners: list[ApplicationPartner]

    @cached_property
    def may_change(self) -> bool:
        return self.application.is_draft and can(self.viewer, Action.CHANGE, self.application)

    @cached_property
    def may_withdraw(self) -> bool:
        application = self.application
        return (
            application.status in (Status.DRAFT, Status.SUBMITTED)
            and timezone.now() <= application.call.closes_at
            and can(self.viewer, Action.CHANGE, application)
        )

    @cached_property
    def may_screen(self) -> bool:
        return can(self.viewer, Action.APPROVE, self.application)

    @cached_property
    def is_applicant(self) -> bool:
        return self.application.organisation_id in principal_of(self.viewer).member_of

    @cached_property
    def eligibility(self) -> list[EligibilityCheck]:
        return [EligibilityCheck.from_dict(check) for check in self.application.eligibility]

    @cached_property
    def problems(self) -> dict[str, str]:
        return application_problems(self.application) if self.application.is_draft else {}

    @property
    def problem_lines(self) -> list[tuple[str, str]]:
        """What keeps the draft from being submitted, each with the question it is about."""
        labels = {
            "title": _("Project title"),
            "requested_amount": _("Amount requested (KRW)"),
            "area": _("Area"),
            **{answer.name: answer.field.label for answer in self.answers},
        }
        return [(labels.get(name, ""), message) for name, message in self.problems.items()]


def application_view(user: AnyUser, application: Application) -> ApplicationView:
    fields = list(application.call.form_fields.all())
    files = {
        f.field_key: f
        for f in restrict(ApplicationFile.objects.filter(application=application), user)
    }
    answers = [
        Answer(
            field,
            application.answers.get(field.key),
            display_value(field, application.answers.get(field.key)),
            files.get(field.key),
        )
        for field in fields
    ]
    partners = list(
        restrict(ApplicationPartner.objects.filter(application=application), user).select_related(
            "organisation", "person", "person__organisation"
        )
    )
    return ApplicationView(application, user, answers, partners)


def file_get(*, user: AnyUser, pk: int) -> ApplicationFile:
    record = (
        restrict(ApplicationFile.objects.all(), user, Action.VIEW)
        .select_related("application")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise NotFound(_("No such file."))
    return record


def partner_get(*, user: AnyUser, pk: int) -> ApplicationPartner:
    partner = restrict(ApplicationPartner.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if partner is None:
        raise NotFound(_("No such partner."))
    return partner


def partner_choices(user: AnyUser, application: Application) -> dict[str, Any]:
    """Organisations (universities and institutes first) and experts one may name."""
    organisations = (
        organisations_visible_to(user)
        .filter(status=Organisation.Status.APPROVED)
        .exclude(pk=application.organisation_id)
        .order_by("kind", "name_ko")
    )
    experts = (
        people_visible_to(user)
        .filter(kind=Person.Kind.EXPERT)
        .select_related("organisation")
        .order_by("name_ko")
    )
    return {"organisations": organisations, "experts": experts}


def partner_organisation_get(*, user: AnyUser, pk: int) -> Organisation:
    organisation = organisations_visible_to(user).filter(pk=pk).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


def partner_person_get(*, user: AnyUser, pk: int) -> Person:
    person = people_visible_to(user).filter(pk=pk, kind=Person.Kind.EXPERT).first()
    if person is None:
        raise NotFound(_("No such expert."))
    return person


def decision_for_applicant(user: AnyUser, application: Application) -> Decision | None:
    """The published decision, for the applicant (operators see drafts on their pages)."""
    return (
        restrict(Decision.objects.filter(application=application), user, Action.VIEW)
        .filter(published_at__isnull=False)
        .first()
    )


def feedback_for_applicant(user: AnyUser, application: Application) -> list[str]:
    """The reviewers' comments to the applicant, once the decision is published: the text
    only, in a fixed order, never who wrote it."""
    return [
        comment
        for comment in restrict(
            Review.objects.filter(assignment__application=application),
            user,
            Action.VIEW_SUMMARY,
        )
        .filter(
            status=Review.Status.SUBMITTED,
            assignment__application__decision__published_at__isnull=False,
        )
        .order_by("assignment_id")
        .values_list("comment_to_applicant", flat=True)
        if comment.strip()
    ]


def award_of(user: AnyUser, application: Application) -> Award | None:
    return (
        restrict(Award.objects.filter(application=application), user, Action.VIEW)
        .prefetch_related("milestones", "reports")
        .first()
    )


def report_get(*, user: AnyUser, pk: int) -> AwardReport:
    report = (
        restrict(AwardReport.objects.all(), user, Action.VIEW)
        .select_related("award__application")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFound(_("No such report."))
    return report


def milestone_get(*, user: AnyUser, pk: int) -> Any:
    from sangsaeng.programs.models import Milestone

    milestone = restrict(Milestone.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if milestone is None:
        raise NotFound(_("No such milestone."))
    return milestone


def award_get(*, user: AnyUser, pk: int) -> Award:
    award = restrict(Award.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if award is None:
        raise NotFound(_("No such award."))
    return award


# --- the operator's view of a call ------------------------------------------------------------


def call_applications(user: AnyUser, call: Call, *, status: str = "") -> QuerySet[Application]:
    applications = restrict(
        Application.objects.filter(call=call).exclude(status=Status.DRAFT), user, Action.APPROVE
    ).select_related("organisation", "area")
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("receipt_number")


def status_counts(user: AnyUser, call: Call) -> dict[str, int]:
    rows = (
        restrict(Application.objects.filter(call=call), user, Action.APPROVE)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def conflicts_of_call(
    user: AnyUser, call: Call, *, active: bool | None = None
) -> QuerySet[Conflict]:
    conflicts = restrict(Conflict.objects.filter(application__call=call), user).select_related(
        "application", "reviewer__person", "lifted_by"
    )
    if active is True:
        conflicts = conflicts.filter(lifted_at__isnull=True)
    elif active is False:
        conflicts = conflicts.filter(lifted_at__isnull=False)
    return conflicts.order_by("application__receipt_number", "reviewer__person__name_ko")


def conflict_get(*, user: AnyUser, pk: int) -> Conflict:
    conflict = (
        restrict(Conflict.objects.all(), user).select_related("application").filter(pk=pk).first()
    )
    if conflict is None:
        raise NotFound(_("No such conflict."))
    return conflict


def reviewer_pool(user: AnyUser) -> QuerySet[ReviewerProfile]:
    return (
        restrict(ReviewerProfile.objects.filter(opted_in=True), user)
        .select_related("person", "person__organisation")
        .order_by("person__name_ko")
    )


def reviewer_get(*, user: AnyUser, pk: int) -> ReviewerProfile:
    reviewer = restrict(ReviewerProfile.objects.all(), user).filter(pk=pk).first()
    if reviewer is None:
        raise NotFound(_("No such reviewer."))
    return reviewer


def latest_run(user: AnyUser, call: Call) -> AssignmentRun | None:
    return restrict(AssignmentRun.objects.filter(call=call), user).first()


def run_get(*, user: AnyUser, pk: int) -> AssignmentRun:
    run = restrict(AssignmentRun.objects.all(), user).select_related("call").filter(pk=pk).first()
    if run is None:
        raise NotFound(_("No such assignment run."))
    return run


def assignment_url(run: AssignmentRun, page: str = "") -> str:
    from django.urls import reverse

    url = reverse("programs:assignment", args=[run.call.slug])
    return f"{url}?page={page}" if page.isdigit() else url


def proposal_get(*, user: AnyUser, pk: int) -> ProposedReviewer:
    proposal = (
        restrict(ProposedReviewer.objects.all(), user).select_related("run").filter(pk=pk).first()
    )
    if proposal is None:
        raise NotFound(_("No such proposed reviewer."))
    return proposal


@dataclass
class PairLine:
    """One proposed reviewer as the assignment page shows it, its words already written."""

    proposal: ProposedReviewer
    name: str
    meta: str
    reason: str

    @property
    def pk(self) -> int:
        return self.proposal.pk


@dataclass
class ProposedApplication:
    application: Application
    assigned: list[PairLine] = field(default_factory=list)
    alternates: list[PairLine] = field(default_factory=list)


@dataclass
class AssignmentPage:
    run: AssignmentRun
    page: Page
    rows: list[ProposedApplication]


def _pair_meta(proposal: ProposedReviewer, load: int, cap: int) -> str:
    parts = [
        _("fit %(fit)s · load %(load)s/%(cap)s")
        % {"fit": f"{proposal.affinity:.3f}", "load": load, "cap": cap}
    ]
    if proposal.bid:
        parts.append(f"{_('bid')}: {Bid.Kind(proposal.bid).label}")
    if proposal.swapped_in:
        parts.append(_("swapped in"))
    return " · ".join(parts)


def _pair_reason(reason: dict[str, Any]) -> str:
    parts = []
    if reason.get("document"):
        parts.append(_("best evidence: “%(title)s”") % {"title": reason["document"]})
    elif reason.get("profile"):
        parts.append(_("best evidence: their profile"))
    if reason.get("terms"):
        parts.append(f"{_('shared')}: {', '.join(reason['terms'])}")
    return " · ".join(parts)


def assignment_page(
    user: AnyUser,
    run: AssignmentRun,
    *,
    page: str | int | None = 1,
    per_page: int = 50,
    query: str = "",
) -> AssignmentPage:
    """One page of a proposal: each application with its assigned reviewers and alternates,
    and every reviewer's load (how many they are assigned in the proposal)."""
    applications = restrict(
        Application.objects.filter(call=run.call, status=Status.ELIGIBLE), user, Action.APPROVE
    ).only("pk", "receipt_number", "title", "organisation_id", "call_id")
    if query:
        applications = applications.filter(
            Q(receipt_number__icontains=query) | Q(title__icontains=query)
        )
    shown = Paginator(applications.order_by("receipt_number"), per_page).get_page(page)
    ids = [a.pk for a in shown]
    proposals = list(
        restrict(ProposedReviewer.objects.filter(run=run, application_id__in=ids), user).order_by(
            "application_id", "role", "rank", "-score"
        )
    )
    loads = dict(
        ProposedReviewer.objects.filter(run=run, role=ProposedReviewer.Role.ASSIGNED)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    reviewer_ids = {p.reviewer_id for p in proposals}
    profiles = ReviewerProfile.objects.filter(pk__in=reviewer_ids).values_list(
        "pk", "max_load", "person__name_ko", "person__name_en"
    )
    cap = run.call.reviewer_max_load
    caps = {pk: min(max_load, cap) for pk, max_load, _ko, _en in profiles}
    names = {pk: localized(name_ko, name_en) for pk, _max, name_ko, name_en in profiles}
    rows = {a.pk: ProposedApplication(a) for a in shown}
    for proposal in proposals:
        reviewer = proposal.reviewer_id
        line = PairLine(
            proposal,
            names.get(reviewer, ""),
            _pair_meta(proposal, loads.get(reviewer, 0), caps.get(reviewer, 0)),
            _pair_reason(proposal.reason or {}),
        )
        row = rows[proposal.application_id]
        if proposal.role == ProposedReviewer.Role.ASSIGNED:
            row.assigned.append(line)
        else:
            row.alternates.append(line)
    return AssignmentPage(run, shown, list(rows.values()))


# --- reviewers ------------------------------------------------------------------------------


def own_expert(user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk, kind=Person.Kind.EXPERT).first()


def own_reviewer_profile(user: AnyUser) -> ReviewerProfile | None:
    if not user.is_authenticated:
        return None
    return (
        restrict(ReviewerProfile.objects.filter(person__user_id=user.pk), user)
        .prefetch_related("evidence", "past_affiliations__organisation")
        .first()
    )


def own_publications(person: Person) -> QuerySet[Publication]:
    return Publication.objects.filter(person=person).order_by("-year", "order", "id")


def own_conflicts(user: AnyUser) -> QuerySet[Conflict]:
    if not user.is_authenticated:
        return Conflict.objects.none()
    return (
        restrict(Conflict.objects.all(), user)
        .filter(reviewer__person__user_id=user.pk)
        .select_related("application", "application__call")
    )


@dataclass
class BiddableApplication:
    application: Application
    bid: str


def reviewing_calls(user: AnyUser) -> list[Call]:
    """Closed calls whose applications an opted-in reviewer may see by title and bid on."""
    biddable = restrict(Application.objects.all(), user, Action.VIEW_SUMMARY).filter(
        status__in=[Status.SUBMITTED, Status.ELIGIBLE], call__closes_at__lt=timezone.now()
    )
    ids = set(biddable.values_list("call_id", flat=True))
    return list(Call.objects.filter(pk__in=ids).order_by("-closes_at"))


def biddable_applications(user: AnyUser, call: Call) -> list[BiddableApplication]:
    """A closed call's applications ``user`` may see by title (not conflicted), with their
    bids. Only the title, area and applicant's name are read here."""
    profile = own_reviewer_profile(user)
    if profile is None or not profile.opted_in:
        return []
    applications = (
        restrict(Application.objects.filter(call=call), user, Action.VIEW_SUMMARY)
        .filter(status__in=[Status.SUBMITTED, Status.ELIGIBLE], call__closes_at__lt=timezone.now())
        .exclude(
            pk__in=Conflict.objects.filter(reviewer=profile, lifted_at__isnull=True).values(
                "application_id"
            )
        )
        .select_related("organisation", "area")
        .only(
            "pk",
            "title",
            "receipt_number",
            "organisation__name_ko",
            "organisation__name_en",
            "area__name_ko",
            "area__name_en",
            "call_id",
        )
        .order_by("receipt_number")
    )
    bids = dict(Bid.objects.filter(reviewer=profile).values_list("application_id", "kind"))
    return [BiddableApplication(a, bids.get(a.pk, "")) for a in applications]


def biddable_application_get(*, user: AnyUser, pk: int) -> Application:
    application = (
        restrict(Application.objects.all(), user, Action.VIEW_SUMMARY).filter(pk=pk).first()
    )
    if application is None:
        raise NotFound(_("No such application."))
    return application


def my_assignments(user: AnyUser) -> QuerySet[ReviewAssignment]:
    """``user``'s review invitations (their own only), soonest due first."""
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return (
        restrict(ReviewAssignment.objects.filter(reviewer__person__user_id=user.pk), user)
        .select_related("application", "application__call")
        .prefetch_related(Prefetch("review", Review.objects.all()))
        .order_by("status", "due_at", "application__receipt_number")
    )


def assignment_get(*, user: AnyUser, pk: int) -> ReviewAssignment:
    assignment = (
        restrict(ReviewAssignment.objects.all(), user)
        .select_related("application", "application__call", "reviewer__person")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise NotFound(_("No such review."))
    return assignment


def review_of(assignment: ReviewAssignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).first()


# --- review progress -------------------------------------------------------------------------


@dataclass
class ReviewLine:
    assignment: ReviewAssignment
    reviewer_name: str
    review: Review | None
    late: bool


@dataclass
class ApplicationProgress:
    application: Application
    lines: list[ReviewLine]
    needed: int

    @property
    def totals(self) -> list[float]:
        return [
            line.review.total
            for line in self.lines
            if line.review is not None
            and line.review.is_submitted
            and line.review.total is not None
        ]

    @property
    def spread(self) -> float | None:
        totals = self.totals
        return max(totals) - min(totals) if len(totals) >= 2 else None

    @property
    def submitted(self) -> int:
        return len(self.totals)

    @property
    def active(self) -> int:
        return sum(1 for line in self.lines if line.assignment.is_active)

    @property
    def late(self) -> int:
        return sum(1 for line in self.lines if line.late)


@dataclass
class ReviewProgress:
    call: Call
    rows: list[ApplicationProgress]

    @property
    def expected(self) -> int:
        return sum(row.active for row in self.rows)

    @property
    def submitted(self) -> int:
        return sum(row.submitted for row in self.rows)

    @property
    def late(self) -> int:
        return sum(row.late for row in self.rows)

    @property
    def percent(self) -> int:
        return int(100 * self.submitted / self.expected) if self.expected else 0

    def disagreements(self) -> list[ApplicationProgress]:
        threshold = self.call.disagreement_points
        return [row for row in self.rows if row.spread is not None and row.spread > threshold]

    def short_of_reviewers(self) -> list[ApplicationProgress]:
        return [row for row in self.rows if row.active < row.needed]


def review_progress(user: AnyUser, call: Call, *, only: str = "") -> ReviewProgress:
    """Every eligible application's reviews: who, answered or not, submitted or not, late or
    not, and the spread of the overall scores (a disagreement above the call's threshold)."""
    now = timezone.now()
    applications = list(
        restrict(
            Application.objects.filter(
                call=call, status__in=[Status.ELIGIBLE, Status.SELECTED, Status.NOT_SELECTED]
            ),
            user,
            Action.APPROVE,
        ).order_by("receipt_number")
    )
    assignments = (
        restrict(ReviewAssignment.objects.filter(application__call=call), user)
        .select_related("reviewer__person")
        .order_by("application_id", "id")
    )
    reviews = {
        r.assignment_id: r
        for r in restrict(Review.objects.filter(assignment__application__call=call), user)
    }
    by_application: dict[int, list[ReviewLine]] = defaultdict(list)
    for assignment in assignments:
        review = reviews.get(assignment.pk)
        submitted = review is not None and review.is_submitted
        late = assignment.is_active and not submitted and assignment.due_at < now
        by_application[assignment.application_id].append(
            ReviewLine(assignment, assignment.reviewer.person.name, review, late)
        )
    rows = [
        ApplicationProgress(a, by_application.get(a.pk, []), call.reviewers_per_application)
        for a in applications
    ]
    progress = ReviewProgress(call, rows)
    if only == "late":
        progress.rows = [row for row in rows if row.late]
    elif only == "disagreements":
        progress.rows = progress.disagreements()
    elif only == "short":
        progress.rows = progress.short_of_reviewers()
    return progress


def unconflicted_reviewers(user: AnyUser, application: Application) -> QuerySet[ReviewerProfile]:
    """Opted-in reviewers the office could invite by hand for ``application``."""
    return (
        reviewer_pool(user)
        .exclude(
            pk__in=Conflict.objects.filter(application=application, lifted_at__isnull=True).values(
                "reviewer_id"
            )
        )
        .exclude(
            pk__in=ReviewAssignment.objects.filter(application=application).values("reviewer_id")
        )
    )


# --- ranking, decisions, awards ------------------------------------------------------------


@dataclass
class RankingRow:
    application: Application
    reviews: int
    totals: list[float]
    mean: float | None
    normalised: float | None
    rank_mean: int | None
    rank_normalised: int | None
    tied_mean: Sequence[str]
    tied_normalised: Sequence[str]
    decision: Decision | None

    @property
    def spread(self) -> float | None:
        return max(self.totals) - min(self.totals) if len(self.totals) >= 2 else None


def ranking_rows(
    user: AnyUser, call: Call, *, rank_by: str = "normalised"
) -> tuple[list[RankingRow], CallRanking]:
    """The call's eligible applications ranked by ``rank_by`` (``normalised`` or ``mean``)."""
    ranked = call_ranking(call)
    decisions = {
        d.application_id: d for d in restrict(Decision.objects.filter(application__call=call), user)
    }
    receipts = {str(a.pk): a.receipt_number or "" for a in ranked.applications}
    rows = []
    for application in ranked.applications:
        entry = ranked.entry(application)
        rows.append(
            RankingRow(
                application=application,
                reviews=entry.reviews,
                totals=ranked.totals.get(application.pk, []),
                mean=entry.mean_score,
                normalised=entry.normalised_score,
                rank_mean=entry.rank_mean,
                rank_normalised=entry.rank_normalised,
                tied_mean=[receipts[a] for a in entry.tied_mean],
                tied_normalised=[receipts[a] for a in entry.tied_normalised],
                decision=decisions.get(application.pk),
            )
        )
    key = "rank_normalised" if rank_by == "normalised" else "rank_mean"
    rows.sort(
        key=lambda row: (
            getattr(row, key) is None,
            getattr(row, key) or 0,
            row.application.receipt_number or "",
        )
    )
    return rows, ranked


def decided_total(user: AnyUser, call: Call) -> int:
    return sum(
        restrict(
            Decision.objects.filter(application__call=call, outcome=Decision.Outcome.SELECTED), user
        ).values_list("amount", flat=True)
    )


def call_areas_in_use(call: Call) -> list[TaxonomyTerm]:
    ids = set(
        Application.objects.filter(
            call=call, status=Status.ELIGIBLE, area__isnull=False
        ).values_list("area_id", flat=True)
    )
    return list(TaxonomyTerm.objects.filter(pk__in=ids).order_by("order", "code"))


@dataclass
class AwardLine:
    award: Award
    late_reports: list[AwardReport]
    late_milestones: list[Any]


def awards_of_call(user: AnyUser, call: Call) -> list[AwardLine]:
    today = timezone.localdate()
    awards = (
        restrict(Award.objects.filter(application__call=call), user)
        .select_related("application", "application__organisation")
        .prefetch_related("reports", "milestones")
        .order_by("application__receipt_number")
    )
    return [
        AwardLine(
            award,
            [r for r in award.reports.all() if r.is_late_on(today)],
            [m for m in award.milestones.all() if m.is_late_on(today)],
        )
        for award in awards
    ]


def my_awards(user: AnyUser) -> QuerySet[Award]:
    if not user.is_authenticated or not principal_of(user).member_of:
        return Award.objects.none()
    return (
        restrict(Award.objects.all(), user)
        .filter(application__organisation_id__in=principal_of(user).member_of)
        .select_related("application", "application__call")
        .prefetch_related("reports")
    )


# --- the dashboard -------------------------------------------------------------------------


def dashboard_summary(user: AnyUser) -> dict[str, Any] | None:
    """What the programs panel shows a user: their applications, reviews to do, late reports."""
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    applications = list(my_applications(user)[:6])
    assignments = [
        a
        for a in my_assignments(user).exclude(status=ReviewAssignment.Status.DECLINED)
        if not (getattr(a, "review", None) and a.review.is_submitted)
    ]
    late_reports = [
        report
        for award in my_awards(user)
        for report in award.reports.all()
        if report.is_late_on(today)
    ]
    operator_calls = (
        [call for call in call_list(user) if call.phase in (Call.Phase.OPEN, Call.Phase.REVIEW)]
        if principal_of(user).is_operator
        else []
    )
    if not (applications or assignments or late_reports or operator_calls):
        return None
    return {
        "applications": applications,
        "assignments": assignments[:6],
        "assignment_count": len(assignments),
        "late_reports": late_reports,
        "operator_calls": operator_calls[:5],
        "today": today,
        "now": timezone.now(),
    }
