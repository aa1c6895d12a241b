"""Changes to needs, offers and matches: posting, matching, contact, answer, conversation, project.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`:
keyword arguments, one transaction, its actor in the audit log), checks the access policy,
validates (raising ``ValidationError`` keyed by field with translated messages, before
anything is written), and leaves mail and background work until the transaction commits.
The match workflow is

    suggested → requested → accepted | declined | lapsed,   accepted → project,
    lapsed → requested (asked again)

and :data:`TRANSITIONS` is the only place that says so; each step leaves a
:class:`~sangsaeng.matching.models.MatchEvent` naming who took it and when. A request
reaches whoever answers for the party (:func:`~sangsaeng.matching.selectors.request_route`)
and lapses after :data:`REQUEST_LAPSE_DAYS` without an answer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, User
from sangsaeng.core.i18n import interpolate
from sangsaeng.core.limits import MEDIUM_TEXT, check_lengths
from sangsaeng.core.policy import Action, can, is_operator, require
from sangsaeng.core.services import after_commit, service
from sangsaeng.core.uploads import attachment_problem
from sangsaeng.directory.models import Organisation
from sangsaeng.directory.services import profile_claim_open, resolve_tags
from sangsaeng.matching import notifications, tasks
from sangsaeng.matching.models import (
    MAX_ATTACHMENT_BYTES,
    ConversationMessage,
    JointProject,
    Match,
    MatchingRun,
    Need,
)
from sangsaeng.matching.notifications import names
from sangsaeng.matching.parties import Party
from sangsaeng.matching.selectors import poster_users, request_route
from sangsaeng.matching.workflow import TRANSITIONS as TRANSITIONS  # the table, for tests
from sangsaeng.matching.workflow import lapse_overdue, transition
from sangsaeng.notifications.services import notify

State = Match.State
Route = Match.Route
NEED_FIELDS = (
    "kind",
    "title",
    "description",
    "summary",
    "deadline",
    "visibility",
    "for_students",
)
MAX_MESSAGE_LENGTH = MEDIUM_TEXT
PROJECT_TEXT_LIMITS = {"title": 300, "outcome": MEDIUM_TEXT}
# How long a contact request waits for an answer (and a claim link stays valid).
REQUEST_LAPSE_DAYS = 14


# --- needs ------------------------------------------------------------------------------


@contextmanager
def _attachment_removed_on_failure() -> Iterator[list[str]]:
    """Names of attachments stored in the block; removed from storage if the block fails.

    (A failure when the service's transaction commits, after the block, is not seen here.)
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _store_attachment(need: Need, attachment: UploadedFile | None, stored: list[str]) -> None:
    """Store a validated attachment now (not as a side effect of saving), noting its name."""
    if attachment is not None:
        need.attachment.save(attachment.name or "attachment", attachment, save=False)
        stored.append(need.attachment.name)


def _validate_need(fields: dict[str, Any], attachment: UploadedFile | None) -> None:
    errors: dict[str, str] = {}
    if not str(fields.get("title") or "").strip():
        errors["title"] = _("Give your need or offer a title.")
    if not str(fields.get("description") or "").strip():
        errors["description"] = _("Describe what you need or offer.")
    if fields.get("kind") not in Need.Kind.values:
        errors["kind"] = _("Choose what kind of need or offer this is.")
    if fields.get("visibility") not in Need.Visibility.values:
        errors["visibility"] = _("Choose who may see this need or offer.")
    if (
        fields.get("visibility") == Need.Visibility.CONFIDENTIAL
        and not str(fields.get("summary") or "").strip()
    ):
        errors["summary"] = _(
            "A confidential need needs a public summary: it is all that matched experts see."
        )
    deadline = fields.get("deadline")
    if isinstance(deadline, datetime.date) and deadline < timezone.localdate():
        errors["deadline"] = _("The deadline has already passed.")
    if attachment is not None:
        if attachment.size is not None and attachment.size > MAX_ATTACHMENT_BYTES:
            errors["attachment"] = _("The attachment is larger than 10 MB.")
        elif problem := attachment_problem(attachment):
            errors["attachment"] = problem
    if errors:
        raise ValidationError(errors)


@service
def need_create(
    *,
    actor: User,
    organisation: Organisation,
    tags: Iterable[str] = (),
    attachment: UploadedFile | None = None,
    is_fictional: bool = False,
    start_matching: bool = True,
    **fields: Any,
) -> Need:
    """Post a need or an offer for ``organisation`` (its members may) and start matching it.

    A post that fails after its attachment was stored leaves no file behind.
    """
    with _attachment_removed_on_failure() as stored:
        return _need_create(
            actor=actor,
            organisation=organisation,
            tags=tags,
            attachment=attachment,
            is_fictional=is_fictional,
            start_matching=start_matching,
            stored=stored,
            **fields,
        )


def _need_create(
    *,
    actor: User,
    organisation: Organisation,
    tags: Iterable[str],
    attachment: UploadedFile | None,
    is_fictional: bool,
    start_matching: bool,
    stored: list[str],
    **fields: Any,
) -> Need:
    unexpected = set(fields) - set(NEED_FIELDS)
    if unexpected:
        raise TypeError(f"need_create got unexpected fields: {', '.join(sorted(unexpected))}")
    # Members of an approved organisation post its needs and offers; operators any.
    require(actor, Action.CREATE, Need, organisation=organisation)
    fields.setdefault("visibility", Need.Visibility.PUBLIC)
    fields = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
    }
    _validate_need(fields, attachment)
    tag_terms = resolve_tags(tags)
    need = Need(organisation=organisation, author=actor, is_fictional=is_fictional, **fields)
    if need.visibility != Need.Visibility.CONFIDENTIAL:
        need.summary = need.summary or ""
    need.full_clean(exclude=["attachment"])
    _store_attachment(need, attachment, stored)
    need.save()
    need.tags.set(tag_terms)
    if start_matching:
        matching_start(actor=actor, need=need)
    return need


@service
def need_update(
    *,
    actor: AnyUser,
    need: Need,
    tags: Iterable[str] | None = None,
    attachment: UploadedFile | None = None,
    **fields: Any,
) -> Need:
    """Change a need or an offer; a failure leaves no newly stored attachment behind."""
    with _attachment_removed_on_failure() as stored:
        return _need_update(
            actor=actor, need=need, tags=tags, attachment=attachment, stored=stored, **fields
        )


def _need_update(
    *,
    actor: AnyUser,
    need: Need,
    tags: Iterable[str] | None,
    attachment: UploadedFile | None,
    stored: list[str],
    **fields: Any,
) -> Need:
    require(actor, Action.CHANGE, need)
    need = Need.objects.select_for_update().get(pk=need.pk)
    merged = {name: getattr(need, name) for name in NEED_FIELDS}
    merged.update({k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
    if "deadline" not in fields or fields["deadline"] == need.deadline:
        merged.pop("deadline")  # an unchanged past deadline is not an error
    _validate_need(merged, attachment)
    for name, value in fields.items():
        if name not in NEED_FIELDS:
            raise TypeError(f"need_update got an unexpected field {name}")
        setattr(need, name, value.strip() if isinstance(value, str) else value)
    tag_terms = resolve_tags(tags) if tags is not None else None
    need.full_clean(exclude=["attachment"])
    _store_attachment(need, attachment, stored)
    need.save()
    if tag_terms is not None:
        need.tags.set(tag_terms)
    matching_start(actor=actor, need=need)
    return need


@service
def need_close(*, actor: AnyUser, need: Need) -> Need:
    require(actor, Action.CHANGE, need)
    need.status = Need.Status.CLOSED
    need.save(update_fields=["status", "updated_at"])
    return need


# --- matching ---------------------------------------------------------------------------


@service
def matching_start(*, actor: AnyUser, need: Need) -> MatchingRun:
    """Queue the computation of ``need``'s suggested matches; the page polls the run.

    Whoever may change the need may ask for its matches to be computed again.
    """
    require(actor, Action.CHANGE, need)
    run = MatchingRun.objects.create(need=need)
    run_id = run.pk
    after_commit(lambda: tasks.compute_matches.enqueue(run_id))
    return run


# --- the contact workflow ----------------------------------------------------------------


def _refuse_own_side(actor: User, need: Need, party: Party) -> None:
    if party.person is not None and party.person.user_id == actor.pk:
        raise ValidationError(_("You cannot send a contact request to yourself."))
    home = party.home_organisation
    if home is not None and home.pk == need.organisation_id:
        raise ValidationError(_("You cannot send a contact request to your own organisation."))


@service
def contact_request(*, actor: User, need: Need, party: Party, message: str) -> Match:
    """The poster asks a suggested expert or organisation (or one found in the directory).

    The request reaches whoever answers for the party: the expert's account; for an expert
    without one, an invitation by e-mail to claim their profile (when it has an address),
    else their organisation's admins; the cluster office when nobody else can. It lapses
    after :data:`REQUEST_LAPSE_DAYS` days without an answer (a scheduled task lapses it and
    tells the sender); :attr:`Match.routed_to` and :attr:`Match.lapses_at` say both.
    """
    require(actor, Action.REQUEST_CONTACT, need)
    require(actor, Action.VIEW, party.record)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a message to go with your request.")})
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"message": _("The message is longer than 5000 characters.")})
    if need.status != Need.Status.OPEN:
        raise ValidationError(_("This need is closed."))
    _refuse_own_side(actor, need, party)
    lookup = party.lookup
    match = Match.objects.select_for_update().filter(need=need, **lookup).first()
    if match is None:
        try:
            with transaction.atomic():
                match = Match.objects.create(need=need, **lookup)
        except IntegrityError:  # a concurrent request for the same pair won
            match = Match.objects.select_for_update().get(need=need, **lookup)
    if match.state not in (State.SUGGESTED, State.LAPSED):
        raise ValidationError(
            interpolate(
                _("A contact request to %(party)s about this need was already sent."),
                {"party": party.name},
            )
        )
    route, recipients = request_route(party)
    match.request_message = message
    match.routed_to = route
    match.lapses_at = timezone.now() + datetime.timedelta(days=REQUEST_LAPSE_DAYS)
    transition(match, State.REQUESTED, actor, note=message)
    if route == Route.CLAIM_INVITATION:
        assert party.person is not None
        _claim, token = profile_claim_open(
            actor=actor, person=party.person, expires_at=match.lapses_at
        )
        match_id = match.pk
        after_commit(lambda: tasks.send_claim_invitation.enqueue(match_id, token))
    notify(
        recipients=recipients,
        kind=notifications.CONTACT_REQUEST,
        context={
            "need": need.label_for_others,
            **names("party", need.organisation),
            **names("person", party.record),
            "route": route,
            "message": message,
        },
        link=match.get_absolute_url(),
    )
    lapses_at = match.lapses_at
    after_commit(lambda: tasks.schedule_lapse_check(lapses_at))
    return match


@service
def requests_lapse(*, actor: AnyUser | None = None) -> int:
    """Lapse every contact request past its lapse date and tell each sender's side.

    The scheduled task does this as the system (``actor`` None); an operator may too.
    """
    if actor is not None and not is_operator(actor):
        raise PermissionDenied("only the system or an operator lapses requests")
    return lapse_overdue(actor)


@service
def match_answer(*, actor: User, match: Match, accept: bool, note: str = "") -> Match:
    """The contacted party accepts (a conversation opens) or declines."""
    require(actor, Action.RESPOND, match)
    check_lengths({"note": note.strip()}, {"note": MEDIUM_TEXT})
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.state == State.REQUESTED and match.lapses_at and match.lapses_at <= timezone.now():
        raise ValidationError(
            _("This request lapsed on %(date)s. The sender may ask again.")
            % {"date": timezone.localtime(match.lapses_at).date().isoformat()}
        )
    note = (note or "").strip()
    transition(match, State.ACCEPTED if accept else State.DECLINED, actor, note=note)
    notify(
        recipients=poster_users(match.need),
        kind=notifications.ANSWER,
        context={
            "need": match.need.label_for_others,
            **names("party", match.party.record),
            "accepted": accept,
            "note": note,
        },
        link=match.get_absolute_url(),
    )
    return match


@service
def interest_express(*, actor: User, need: Need, party: Party) -> Match:
    """An expert or organisation tells the poster it could help with a need it may see."""
    require(actor, Action.VIEW_SUMMARY, need)
    if need.status != Need.Status.OPEN:
        raise ValidationError(_("This need is closed."))
    if party.person is not None and party.person.user_id != actor.pk:
        raise PermissionDenied("interest is expressed for one's own profile")
    if party.organisation is not None and not can(actor, Action.MANAGE_MEMBERS, party.organisation):
        raise PermissionDenied("only an organisation's admins speak for it")
    home = party.home_organisation
    if home is not None and home.pk == need.organisation_id:
        raise ValidationError(_("This need was posted by your own organisation."))
    match, _created = Match.objects.get_or_create(need=need, **party.lookup)
    if match.interest_expressed_at is not None:
        raise ValidationError(_("You have already expressed interest in this need."))
    match.interest_expressed_at = timezone.now()
    match.save(update_fields=["interest_expressed_at", "updated_at"])
    notify(
        recipients=poster_users(need),
        kind=notifications.CONTACT_REQUEST,
        context={
            "need": need.label_for_others,
            **names("party", party.record),
            "interest": True,
        },
        link=match.get_absolute_url(),
    )
    return match


@service
def conversation_post(*, actor: User, match: Match, body: str) -> ConversationMessage:
    require(actor, Action.CONVERSE, match)
    match = Match.objects.get(pk=match.pk)
    if not match.has_conversation:
        raise ValidationError(_("The conversation opens once the contact request is accepted."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError({"body": _("The message is longer than 5000 characters.")})
    message = ConversationMessage.objects.create(match=match, author=actor, body=body)
    author = getattr(actor, "person", None)
    notify(
        recipients=[user for user in _both_sides(match) if user.pk != actor.pk],
        kind=notifications.MESSAGE,
        context={
            "need": match.need.label_for_others,
            "author_ko": author.name_ko if author else actor.name,
            "author_en": author.name_en if author else actor.name,
            "message": body,
        },
        link=f"{match.get_absolute_url()}#conversation",
    )
    return message


def _both_sides(match: Match) -> list[User]:
    """Everyone in a conversation: the need's side and the party's."""
    return [*poster_users(match.need), *match.party.answering_users()]


@service
def project_create(
    *,
    actor: User,
    match: Match,
    title: str,
    start_date: datetime.date | None,
    outcome: str = "",
) -> JointProject:
    """Turn an accepted match into a joint project; both sides' users take part."""
    require(actor, Action.CONVERSE, match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    errors: dict[str, str] = {}
    check_lengths({"title": title.strip(), "outcome": outcome.strip()}, PROJECT_TEXT_LIMITS)
    if not (title or "").strip():
        errors["title"] = _("Give the project a title.")
    if start_date is None:
        errors["start_date"] = _("Enter the project's start date.")
    if errors or start_date is None:
        raise ValidationError(errors)
    if match.state != State.ACCEPTED:
        raise ValidationError(_("Only an accepted match can become a joint project."))
    transition(match, State.PROJECT, actor, note=title.strip())
    project = JointProject.objects.create(
        match=match, title=title.strip(), start_date=start_date, outcome=outcome.strip()
    )
    participants = {user.pk for user in _both_sides(match)}
    participants.add(actor.pk)
    project.participants.set(participants)
    notify(
        recipients=[user for user in _both_sides(match) if user.pk != actor.pk],
        kind=notifications.PROJECT,
        context={
            "title": project.title,
            **names("organisation", match.need.organisation),
            **names("party", match.party.record),
        },
        link=project.get_absolute_url(),
    )
    return project


@service
def project_update(*, actor: User, project: JointProject, outcome: str) -> JointProject:
    """Both sides record what the project achieved."""
    require(actor, Action.CONVERSE, project.match)
    check_lengths({"outcome": outcome.strip()}, PROJECT_TEXT_LIMITS)
    project = JointProject.objects.select_for_update().get(pk=project.pk)
    project.outcome = outcome.strip()
    project.save(update_fields=["outcome", "updated_at"])
    return project
