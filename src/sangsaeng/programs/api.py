"""The programs part of the JSON API (under /api/programs/), with the pages' access rules.

Calls are public once published. Applications are read by their applicant's members, the
operators and the reviewers assigned to them without a conflict; anybody else gets the 404
of a record that does not exist. Reviews are their reviewer's (and the operators'); an
applicant reads only the decision and the comments addressed to them, never who wrote them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import User
from sangsaeng.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PageQuery,
    StrictInput,
    caller,
    page_of,
)
from sangsaeng.core.policy import Action, require
from sangsaeng.programs import selectors, services
from sangsaeng.programs.models import Application, Call, ReviewAssignment

router = Router(tags=["programs"])


class FormFieldOut(Schema):
    key: str
    kind: str
    label_ko: str
    label_en: str
    required: bool
    max_length: int | None
    choices: list[dict[str, str]]
    max_file_megabytes: int


class CriterionOut(Schema):
    id: int
    name_ko: str
    name_en: str
    weight: int


class CallOut(Schema):
    slug: str
    program: str = Field(description="the programme's short name")
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str
    phase: str = Field(description="upcoming, open, review or decided")
    total_budget: int
    max_award: int
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    eligible_kinds: list[str]
    region: str
    areas: list[str]
    score_min: int
    score_max: int
    commitment: int | None = Field(description="the agreement commitment the call serves")

    @staticmethod
    def resolve_program(call: Call) -> str:
        return call.program.slug

    @staticmethod
    def resolve_areas(call: Call) -> list[str]:
        return [tag.code for tag in call.eligible_tags.all()]

    @staticmethod
    def resolve_commitment(call: Call) -> int | None:
        return call.commitment_id


class CallDetailOut(CallOut):
    form: list[FormFieldOut]
    rubric: list[CriterionOut]

    @staticmethod
    def resolve_form(call: Call) -> list[Any]:
        return list(call.form_fields.all())

    @staticmethod
    def resolve_rubric(call: Call) -> list[Any]:
        return list(call.criteria.all())


class PartnerOut(Schema):
    organisation: str | None
    person: str | None
    role: str

    @staticmethod
    def resolve_organisation(partner: Any) -> str | None:
        return partner.organisation.slug if partner.organisation else None

    @staticmethod
    def resolve_person(partner: Any) -> str | None:
        return partner.person.slug if partner.person else None


class ApplicationOut(Schema):
    id: int
    call: str
    organisation: str
    title: str
    status: str
    receipt_number: str | None
    requested_amount: int | None
    area: str | None
    answers: dict[str, Any]
    submitted_at: datetime.datetime | None
    screening_reason: str
    partners: list[PartnerOut]

    @staticmethod
    def resolve_call(application: Application) -> str:
        return application.call.slug

    @staticmethod
    def resolve_organisation(application: Application) -> str:
        return application.organisation.slug

    @staticmethod
    def resolve_area(application: Application) -> str | None:
        return application.area.code if application.area else None

    @staticmethod
    def resolve_partners(application: Application) -> list[Any]:
        return list(application.partners.all())


class StartIn(StrictInput):
    organisation: str = Field(description="short name of an organisation you belong to")


class DraftIn(StrictInput):
    title: str = ""
    requested_amount: int | None = None
    area: str | None = Field(None, description="a taxonomy code among the call's areas")
    answers: dict[str, Any] = {}


class FeedbackOut(Schema):
    outcome: str
    amount: int
    note: str
    comments: list[str] = Field(description="the reviewers' comments to you, without names")


class ReviewOut(Schema):
    scores: dict[str, int]
    total: float | None
    comment_to_applicant: str
    comment_to_committee: str
    status: str


class AssignmentOut(Schema):
    id: int
    application: int
    call: str
    title: str
    status: str
    due_at: datetime.datetime
    review: ReviewOut | None

    @staticmethod
    def resolve_application(assignment: ReviewAssignment) -> int:
        return assignment.application_id

    @staticmethod
    def resolve_call(assignment: ReviewAssignment) -> str:
        return assignment.application.call.slug

    @staticmethod
    def resolve_title(assignment: ReviewAssignment) -> str:
        return assignment.application.title

    @staticmethod
    def resolve_review(assignment: ReviewAssignment) -> Any:
        return selectors.review_of(assignment)


class ReviewIn(StrictInput):
    scores: dict[str, Any] = Field(description="criterion id → score on the call's scale")
    comment_to_applicant: str = ""
    comment_to_committee: str = ""
    submit: bool = False


class RespondIn(StrictInput):
    accept: bool


class RankingOut(Schema):
    application: int
    receipt_number: str | None
    reviews: int
    mean: float | None
    normalised: float | None
    rank_mean: int | None
    rank_normalised: int | None
    tied_with: list[str]


# --- calls -----------------------------------------------------------------------------------


@router.get("/calls", response={200: list[CallOut], **READ_ERRORS}, summary="Calls")
def list_calls(request: HttpRequest, phase: str = "") -> list[Call]:
    """Published calls (operators also see drafts), open ones first."""
    return selectors.call_list(caller(request), phase=phase)


@router.get("/calls/{slug}", response={200: CallDetailOut, **READ_ERRORS})
def get_call(request: HttpRequest, slug: str) -> Call:
    """A call with its application form and review rubric."""
    return selectors.call_get(user=caller(request), slug=slug)


@router.post(
    "/calls/{slug}/applications",
    response={201: ApplicationOut, **WRITE_ERRORS},
    auth=required_auth,
)
def start_application(request: HttpRequest, slug: str, data: StartIn) -> tuple[int, Application]:
    """Start a draft for your organisation (after the call's eligibility checks pass)."""
    user: User = caller(request)  # type: ignore[assignment]
    call = selectors.call_get(user=user, slug=slug)
    organisation = selectors.applicable_organisation_get(user=user, slug=data.organisation)
    return 201, services.application_start(actor=user, call=call, organisation=organisation)


# --- applications ----------------------------------------------------------------------------


@router.get(
    "/applications", response={200: Page[ApplicationOut], **READ_ERRORS}, auth=required_auth
)
def list_applications(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """Your organisations' applications (operators: every one)."""
    return page_of(selectors.readable_applications(caller(request)), query)


@router.get("/applications/{application_id}", response={200: ApplicationOut, **READ_ERRORS})
def get_application(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_get(user=caller(request), pk=application_id)


@router.patch(
    "/applications/{application_id}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=required_auth,
)
def save_draft(request: HttpRequest, application_id: int, data: DraftIn) -> Application:
    """Save a draft; every value is checked and a refused save changes nothing."""
    user = caller(request)
    application = selectors.application_get(user=user, pk=application_id)
    area = selectors.area_get(application.call, data.area) if data.area else None
    return services.application_save(
        actor=user,
        application=application,
        title=data.title,
        requested_amount=data.requested_amount,
        area=area,
        answers=data.answers,
    )


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=required_auth,
)
def submit_application(request: HttpRequest, application_id: int) -> Application:
    """Submit before the deadline (refused one second after it); a receipt is mailed."""
    user = caller(request)
    application = selectors.application_get(user=user, pk=application_id)
    return services.application_submit(actor=user, application=application)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=required_auth,
)
def withdraw_application(request: HttpRequest, application_id: int) -> Application:
    user = caller(request)
    application = selectors.application_get(user=user, pk=application_id)
    return services.application_withdraw(actor=user, application=application)


@router.get(
    "/applications/{application_id}/feedback",
    response={200: FeedbackOut, **READ_ERRORS},
    auth=required_auth,
)
def feedback(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """The published decision and the reviewers' comments to you (404 before publication)."""
    user = caller(request)
    application = selectors.application_get(user=user, pk=application_id)
    decision = selectors.decision_for_applicant(user, application)
    if decision is None:
        from sangsaeng.core.selectors import NotFound

        raise NotFound
    return {
        "outcome": decision.outcome,
        "amount": decision.amount,
        "note": decision.note,
        "comments": selectors.feedback_for_applicant(user, application),
    }


# --- reviews ---------------------------------------------------------------------------------


@router.get("/reviews", response={200: list[AssignmentOut], **READ_ERRORS}, auth=required_auth)
def my_reviews(request: HttpRequest) -> list[ReviewAssignment]:
    """Your review invitations, soonest due first."""
    return list(selectors.my_assignments(caller(request)))


@router.get("/reviews/{assignment_id}", response={200: AssignmentOut, **READ_ERRORS})
def get_review(request: HttpRequest, assignment_id: int) -> ReviewAssignment:
    return selectors.assignment_get(user=caller(request), pk=assignment_id)


@router.post(
    "/reviews/{assignment_id}/respond",
    response={200: AssignmentOut, **WRITE_ERRORS},
    auth=required_auth,
)
def respond(request: HttpRequest, assignment_id: int, data: RespondIn) -> ReviewAssignment:
    """Accept or decline an invitation (a declined place goes to the best alternate)."""
    user: User = caller(request)  # type: ignore[assignment]
    assignment = selectors.assignment_get(user=user, pk=assignment_id)
    services.assignment_respond(actor=user, assignment=assignment, accept=data.accept)
    return selectors.assignment_get(user=user, pk=assignment_id)


@router.put(
    "/reviews/{assignment_id}",
    response={200: AssignmentOut, **WRITE_ERRORS},
    auth=required_auth,
)
def save_review(request: HttpRequest, assignment_id: int, data: ReviewIn) -> ReviewAssignment:
    """Save or submit a review: each criterion scored on the call's scale, before the
    deadline."""
    user: User = caller(request)  # type: ignore[assignment]
    assignment = selectors.assignment_get(user=user, pk=assignment_id)
    # A conflicted reviewer may not read the application, so may not review it.
    selectors.application_get(user=user, pk=assignment.application_id)
    services.review_save(
        actor=user,
        assignment=assignment,
        scores={str(key): value for key, value in data.scores.items()},
        comment_to_applicant=data.comment_to_applicant,
        comment_to_committee=data.comment_to_committee,
        submit=data.submit,
    )
    return selectors.assignment_get(user=user, pk=assignment_id)


@router.get(
    "/calls/{slug}/ranking", response={200: list[RankingOut], **WRITE_ERRORS}, auth=required_auth
)
def ranking(request: HttpRequest, slug: str, rank_by: str = "normalised") -> list[dict[str, Any]]:
    """The cluster office's ranking by mean and reviewer-normalised score, ties shown."""
    user = caller(request)
    call = selectors.call_get(user=user, slug=slug)
    require(user, Action.CHANGE, call)
    rows, _ranked = selectors.ranking_rows(user, call, rank_by=rank_by)
    return [
        {
            "application": row.application.pk,
            "receipt_number": row.application.receipt_number,
            "reviews": row.reviews,
            "mean": row.mean,
            "normalised": row.normalised,
            "rank_mean": row.rank_mean,
            "rank_normalised": row.rank_normalised,
            "tied_with": list(row.tied_normalised if rank_by == "normalised" else row.tied_mean),
        }
        for row in rows
    ]
