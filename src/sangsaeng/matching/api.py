"""The JSON API of needs, offers and matches (under /api/needs/), with the pages' access rules.

Endpoints parse input with schemas, read through the matching selectors (so through the
access policy) and change records only through the matching services. A record the caller
may not see is a 404, the same as one that does not exist. A confidential need read by a
matched party who was not contacted comes back with its summary and no text.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictBool

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import User
from sangsaeng.core.api import READ_ERRORS, WRITE_ERRORS, StrictInput, caller, left_out
from sangsaeng.core.limits import MEDIUM_TEXT
from sangsaeng.core.policy import Action, can
from sangsaeng.core.selectors import NotFound
from sangsaeng.matching import selectors, services
from sangsaeng.matching.models import ConversationMessage, JointProject, Match, MatchingRun, Need
from sangsaeng.matching.parties import Party

router = Router(tags=["needs"])


class NeedOut(Schema):
    """A need as the caller may see it (read from a ``NeedView``)."""

    id: int
    kind: str
    title: str = Field(description="the title, or a confidential need's summary")
    description: str | None = Field(description="null when only the summary may be read")
    summary: str
    visibility: str
    status: str
    deadline: datetime.date | None
    organisation: str = Field(description="the posting organisation's short name")
    tags: list[str]
    for_students: bool = Field(description="students of the cluster may read it and answer")
    full_text: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_organisation(view: selectors.NeedView) -> str:
        return view.need.organisation.slug

    @staticmethod
    def resolve_tags(view: selectors.NeedView) -> list[str]:
        return [tag.code for tag in view.need.tags.all()]


class NeedIn(StrictInput):
    organisation: str = Field(description="short name of an organisation you belong to")
    kind: str = Field(description=", ".join(Need.Kind.values))
    title: str
    description: str
    visibility: str = "public"
    summary: str = ""
    deadline: datetime.date | None = None
    for_students: bool = False
    tags: list[str] = []


class NeedPatch(StrictInput):
    kind: str = left_out()
    title: str = left_out()
    description: str = left_out()
    visibility: str = left_out()
    summary: str = left_out()
    deadline: datetime.date | None = None
    for_students: StrictBool = left_out()
    tags: list[str] = left_out()


class PartyOut(Schema):
    kind: str = Field(description="person or organisation")
    slug: str
    name: str
    role: str = Field(description="expert, student, or the organisation's kind")

    @staticmethod
    def resolve_role(party: Party) -> str:
        return party.person.kind if party.person is not None else party.record.kind


class MatchOut(Schema):
    id: int
    need: int
    party: PartyOut
    state: str
    score: float | None
    rank: int | None
    explanation: dict[str, Any] | None = Field(
        description="null for those who may not read the need's text, which it quotes"
    )
    interest_expressed: bool
    request_message: str
    routed_to: str = Field(
        description="whom the request reached: account, claim_invitation (an e-mail "
        "inviting the expert to claim their profile), organisation_admins or cluster_office"
    )
    lapses_at: datetime.datetime | None = Field(description="when a request nobody answers lapses")
    answer_note: str = Field(description="the note the party gave with its answer")

    @staticmethod
    def resolve_need(match: Match) -> int:
        return match.need_id

    @staticmethod
    def resolve_explanation(match: Match, context: Any) -> dict[str, Any] | None:
        viewer = caller(context["request"])
        return match.explanation if can(viewer, Action.VIEW, match.need) else None

    @staticmethod
    def resolve_interest_expressed(match: Match) -> bool:
        return match.interest_expressed_at is not None


class RunOut(Schema):
    id: int
    status: str
    progress: int
    suggestions: int
    finished: bool

    @staticmethod
    def resolve_finished(run: MatchingRun) -> bool:
        return run.is_finished


class PartyIn(StrictInput):
    person: str | None = Field(None, description="an expert's short name")
    organisation: str | None = Field(None, description="an organisation's short name")


class ContactRequestIn(PartyIn):
    message: str = Field(max_length=MEDIUM_TEXT)


class AnswerIn(StrictInput):
    accept: StrictBool
    note: str = Field("", max_length=MEDIUM_TEXT)


class MessageIn(StrictInput):
    body: str = Field(max_length=MEDIUM_TEXT)


class MessageOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(message: ConversationMessage) -> str:
        return str(message.author or "")


class ProjectIn(StrictInput):
    title: str
    start_date: datetime.date
    outcome: str = Field("", max_length=MEDIUM_TEXT)


class ProjectOut(Schema):
    id: int
    match: int
    need: int
    title: str
    start_date: datetime.date
    outcome: str
    participants: list[str]

    @staticmethod
    def resolve_need(project: JointProject) -> int:
        return project.match.need_id

    @staticmethod
    def resolve_match(project: JointProject) -> int:
        return project.match_id

    @staticmethod
    def resolve_participants(project: JointProject) -> list[str]:
        return [str(user) for user in project.participants.all()]


class ProjectPatch(StrictInput):
    outcome: str


class NeedForYouOut(Schema):
    need: NeedOut
    score: float
    explanation: dict[str, Any]
    interested: bool

    @staticmethod
    def resolve_need(item: selectors.NeedForYou) -> selectors.NeedView:
        return item.view


# --- helpers ----------------------------------------------------------------------------


def _need_view(request: HttpRequest, need_id: int) -> selectors.NeedView:
    return selectors.need_get(user=caller(request), pk=need_id)


def _match(request: HttpRequest, match_id: int) -> Match:
    return selectors.match_get(user=caller(request), pk=match_id)


def _party(user: Any, data: PartyIn) -> Party:
    if bool(data.person) == bool(data.organisation):
        raise HttpError(400, _("No such expert or organisation."))
    return selectors.party_get(
        user=user, person=data.person or "", organisation=data.organisation or ""
    )


# --- needs ------------------------------------------------------------------------------


@router.get("/", response={200: list[NeedOut], **READ_ERRORS}, summary="Needs and offers")
def list_needs(
    request: HttpRequest, offers: bool | None = None, kind: str = "", mine: bool = False
) -> list[selectors.NeedView]:
    """Needs and offers whose text you may read, open ones first."""
    user = caller(request)
    needs = selectors.need_list(user, kind=kind, offers=offers, mine=mine)
    return [selectors.readable_view(need, user) for need in needs[:200]]


@router.post("/", response={201: NeedOut, **WRITE_ERRORS}, auth=required_auth)
def create_need(request: HttpRequest, data: NeedIn) -> tuple[int, selectors.NeedView]:
    """Post a need or an offer for your organisation; matching starts in the background."""
    user: User = caller(request)  # type: ignore[assignment]
    try:
        organisation = selectors.party_get(user=user, organisation=data.organisation).organisation
        assert organisation is not None  # an organisation was asked for
    except NotFound:
        raise HttpError(404, _("No such expert or organisation.")) from None
    fields = data.dict(exclude={"organisation", "tags"})
    need = services.need_create(actor=user, organisation=organisation, tags=data.tags, **fields)
    return 201, selectors.readable_view(need, user)


@router.get("/for-you", response={200: list[NeedForYouOut], **READ_ERRORS}, auth=required_auth)
def needs_for_you(request: HttpRequest) -> list[selectors.NeedForYou]:
    """Open needs that match your expert profile or your organisation, best first."""
    return selectors.needs_for_you(caller(request))


@router.get("/matches", response={200: list[MatchOut], **READ_ERRORS}, auth=required_auth)
def my_matches(request: HttpRequest) -> list[Match]:
    """Contact requests you sent or received, newest first."""
    return list(selectors.my_matches(caller(request))[:200])


@router.get("/matches/{match_id}", response={200: MatchOut, **READ_ERRORS})
def get_match(request: HttpRequest, match_id: int) -> Match:
    return _match(request, match_id)


@router.post(
    "/matches/{match_id}/answer", response={200: MatchOut, **WRITE_ERRORS}, auth=required_auth
)
def answer_match(request: HttpRequest, match_id: int, data: AnswerIn) -> Match:
    """Accept or decline a contact request made to you (or your organisation)."""
    user: User = caller(request)  # type: ignore[assignment]
    return services.match_answer(
        actor=user, match=_match(request, match_id), accept=data.accept, note=data.note
    )


@router.get(
    "/matches/{match_id}/messages",
    response={200: list[MessageOut], **READ_ERRORS},
    auth=required_auth,
)
def list_messages(request: HttpRequest, match_id: int) -> list[ConversationMessage]:
    return list(selectors.conversation(caller(request), _match(request, match_id)))


@router.post(
    "/matches/{match_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    auth=required_auth,
)
def post_message(
    request: HttpRequest, match_id: int, data: MessageIn
) -> tuple[int, ConversationMessage]:
    user: User = caller(request)  # type: ignore[assignment]
    message = services.conversation_post(
        actor=user, match=_match(request, match_id), body=data.body
    )
    return 201, message


@router.post(
    "/matches/{match_id}/project",
    response={201: ProjectOut, **WRITE_ERRORS},
    auth=required_auth,
)
def create_project(
    request: HttpRequest, match_id: int, data: ProjectIn
) -> tuple[int, JointProject]:
    """Turn an accepted match into a joint project."""
    user: User = caller(request)  # type: ignore[assignment]
    project = services.project_create(
        actor=user,
        match=_match(request, match_id),
        title=data.title,
        start_date=data.start_date,
        outcome=data.outcome,
    )
    return 201, project


@router.get("/projects", response={200: list[ProjectOut], **READ_ERRORS}, auth=required_auth)
def my_projects(request: HttpRequest) -> list[JointProject]:
    """Your joint projects (of contact requests you sent or answered), newest first."""
    return list(selectors.my_projects(caller(request))[:200])


@router.get("/projects/{project_id}", response={200: ProjectOut, **READ_ERRORS})
def get_project(request: HttpRequest, project_id: int) -> JointProject:
    return selectors.project_get(user=caller(request), pk=project_id)


@router.patch(
    "/projects/{project_id}", response={200: ProjectOut, **WRITE_ERRORS}, auth=required_auth
)
def update_project(request: HttpRequest, project_id: int, data: ProjectPatch) -> JointProject:
    """Record what the project achieved (either side)."""
    user: User = caller(request)  # type: ignore[assignment]
    project = selectors.project_get(user=user, pk=project_id)
    return services.project_update(actor=user, project=project, outcome=data.outcome)


@router.get("/runs/{run_id}", response={200: RunOut, **READ_ERRORS})
def get_run(request: HttpRequest, run_id: int) -> MatchingRun:
    """A matching run's progress (poll it after posting a need)."""
    return selectors.run_get(user=caller(request), pk=run_id)


@router.get("/{need_id}", response={200: NeedOut, **READ_ERRORS})
def get_need(request: HttpRequest, need_id: int) -> selectors.NeedView:
    return _need_view(request, need_id)


@router.patch("/{need_id}", response={200: NeedOut, **WRITE_ERRORS}, auth=required_auth)
def update_need(request: HttpRequest, need_id: int, data: NeedPatch) -> selectors.NeedView:
    view = _need_view(request, need_id)
    fields = data.dict(exclude_unset=True)
    tags = fields.pop("tags", None)
    need = services.need_update(actor=caller(request), need=view.need, tags=tags, **fields)
    return selectors.readable_view(need, caller(request))


@router.post("/{need_id}/close", response={200: NeedOut, **WRITE_ERRORS}, auth=required_auth)
def close_need(request: HttpRequest, need_id: int) -> selectors.NeedView:
    view = _need_view(request, need_id)
    need = services.need_close(actor=caller(request), need=view.need)
    return selectors.readable_view(need, caller(request))


@router.get("/{need_id}/matches", response={200: list[MatchOut], **READ_ERRORS})
def need_matches(request: HttpRequest, need_id: int) -> list[Match]:
    """The need's suggested matches with explanations (for those who read its text)."""
    view = _need_view(request, need_id)
    if not view.full_text:
        return []
    return list(selectors.suggestions_for(caller(request), view.need))


@router.get("/{need_id}/run", response={200: RunOut, **READ_ERRORS})
def latest_run(request: HttpRequest, need_id: int) -> MatchingRun:
    view = _need_view(request, need_id)
    run = selectors.latest_run(caller(request), view.need)
    if run is None:
        raise HttpError(404, _("No such matching run."))
    return run


@router.post("/{need_id}/requests", response={201: MatchOut, **WRITE_ERRORS}, auth=required_auth)
def request_contact(
    request: HttpRequest, need_id: int, data: ContactRequestIn
) -> tuple[int, Match]:
    """Send a contact request, with a message, to an expert or an organisation."""
    user: User = caller(request)  # type: ignore[assignment]
    view = _need_view(request, need_id)
    match = services.contact_request(
        actor=user, need=view.need, party=_party(user, data), message=data.message
    )
    return 201, match


@router.post("/{need_id}/interest", response={201: MatchOut, **WRITE_ERRORS}, auth=required_auth)
def express_interest(request: HttpRequest, need_id: int, data: PartyIn) -> tuple[int, Match]:
    """Tell the poster that you (or an organisation you run) could help."""
    user: User = caller(request)  # type: ignore[assignment]
    view = _need_view(request, need_id)
    match = services.interest_express(actor=user, need=view.need, party=_party(user, data))
    return 201, match
