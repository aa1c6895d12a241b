"""The one place that decides who may do what.

Every queryset that reaches a page, the API, search or a notification goes through
``restrict(queryset, user, action)``, and every single-object decision through
``can(user, action, obj)``. Both read the same per-model rules below, so the page and
the API cannot disagree. Tests cover it as a matrix of role × object × action.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from sangsaeng.accounts.models import ApiToken, Invitation, Membership, User
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Indicator,
    Organisation,
    Person,
    Publication,
    TaxonomyTerm,
)
from sangsaeng.matching.models import (
    ConversationMessage,
    IndexChange,
    JointProject,
    Match,
    MatchEvent,
    MatchingRun,
    Need,
)
from sangsaeng.notifications.models import Notification, NotificationPreference

AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"
    MANAGE_MEMBERS = "manage_members"
    REPORT_PROGRESS = "report_progress"
    # Needs and matches: read a need's summary only; contact a party; answer; talk.
    VIEW_SUMMARY = "view_summary"
    REQUEST_CONTACT = "request_contact"
    RESPOND = "respond"
    CONVERSE = "converse"


# --- facts about a user -------------------------------------------------------------


def is_operator(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or getattr(user, "is_operator", False))
    )


def _organisation_ids(user: AnyUser, role: str | None = None) -> set[int]:
    if not user.is_authenticated:
        return set()
    memberships = Membership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return set(memberships.values_list("organisation_id", flat=True))


def member_organisation_ids(user: AnyUser) -> set[int]:
    return _organisation_ids(user)


def admin_organisation_ids(user: AnyUser) -> set[int]:
    return _organisation_ids(user, Membership.Role.ADMIN)


def _belongs_to_approved_organisation(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation__status=Organisation.Status.APPROVED
        ).exists()
    )


# --- per-model rules: a Q filter for querysets and a check for one object ----------

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


def _organisation_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if action == Action.VIEW:
        return Q(status=Organisation.Status.APPROVED) | Q(pk__in=member_organisation_ids(user))
    if action in (Action.CHANGE, Action.MANAGE_MEMBERS):
        return Q(pk__in=admin_organisation_ids(user))
    return NOTHING


def _person_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    own = Q(user_id=user.pk) if user.is_authenticated else NOTHING
    if action == Action.VIEW:
        listed = Q(is_public=True) & (
            Q(organisation__isnull=True) | Q(organisation__status=Organisation.Status.APPROVED)
        )
        public = listed & Q(kind=Person.Kind.EXPERT)
        colleagues = Q(organisation_id__in=member_organisation_ids(user), kind=Person.Kind.EXPERT)
        # An admin sees every profile it may change, students of its own organisation included.
        managed = Q(organisation_id__in=admin_organisation_ids(user))
        # A listed student is seen by people of the cluster's approved organisations (who offer
        # internships and jobs), never by anonymous visitors.
        recruiters = (
            listed & Q(kind=Person.Kind.STUDENT)
            if _belongs_to_approved_organisation(user)
            else NOTHING
        )
        return public | own | colleagues | managed | recruiters
    if action == Action.CHANGE:
        # An organisation admin keeps the profiles of its people who have no account.
        unclaimed = Q(organisation_id__in=admin_organisation_ids(user), user__isnull=True)
        return own | unclaimed
    return NOTHING


def _publication_filter(user: AnyUser, action: Action) -> Q:
    """A publication follows its person: visible when they are, changed by who changes them."""
    person_condition = _person_filter(user, Action.VIEW if action == Action.VIEW else Action.CHANGE)
    if person_condition == EVERYTHING:
        return EVERYTHING
    return Q(person__in=Person.objects.filter(person_condition))


def _agreement_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if action == Action.VIEW:
        return Q(is_public=True) | Q(parties__in=member_organisation_ids(user))
    return NOTHING


def _commitment_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if action == Action.VIEW:
        return Q(agreement__in=Agreement.objects.filter(_agreement_filter(user, Action.VIEW)))
    if action == Action.REPORT_PROGRESS:
        return Q(owner_id__in=admin_organisation_ids(user))
    return NOTHING


def _commitment_child_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if action == Action.VIEW:
        return Q(commitment__in=Commitment.objects.filter(_commitment_filter(user, Action.VIEW)))
    return NOTHING


def _taxonomy_filter(user: AnyUser, action: Action) -> Q:
    if action == Action.VIEW:
        return EVERYTHING
    return EVERYTHING if is_operator(user) else NOTHING


def _membership_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if not user.is_authenticated:
        return NOTHING
    managed = Q(organisation_id__in=admin_organisation_ids(user))
    if action == Action.VIEW:
        return managed | Q(user_id=user.pk) | Q(organisation_id__in=member_organisation_ids(user))
    if action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        return managed
    return NOTHING


def _invitation_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if not user.is_authenticated:
        return NOTHING
    managed = Q(organisation_id__in=admin_organisation_ids(user))
    if action == Action.VIEW:
        return managed | Q(email__iexact=user.email)
    if action in (Action.CREATE, Action.DELETE):
        return managed
    return NOTHING


def _api_token_filter(user: AnyUser, action: Action) -> Q:
    """A token is its owner's; an operator may see and revoke any (e.g. a leaked one)."""
    if is_operator(user):
        return EVERYTHING
    if not user.is_authenticated or action not in (Action.VIEW, Action.DELETE):
        return NOTHING
    return Q(user_id=user.pk)


def _user_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    return Q(pk=user.pk) if user.is_authenticated else NOTHING


# --- needs, offers and matches ----------------------------------------------------------


def _match_answering_side(user: AnyUser, prefix: str = "") -> Q:
    """Matches whose party ``user`` answers for: their own expert profile, or (as an admin)
    their organisation and its experts without an account."""
    if not user.is_authenticated:
        return NOTHING
    admin_of = admin_organisation_ids(user)
    return (
        Q(**{f"{prefix}person__user_id": user.pk})
        | Q(
            **{
                f"{prefix}person__user__isnull": True,
                f"{prefix}person__organisation_id__in": admin_of,
            }
        )
        | Q(**{f"{prefix}organisation_id__in": admin_of})
    )


def _match_posting_side(user: AnyUser, prefix: str = "") -> Q:
    return Q(**{f"{prefix}need__organisation_id__in": member_organisation_ids(user)})


# A confidential need's text reaches the parties its poster contacted, never those only suggested.
CONTACTED_STATES = ("requested", "accepted", "project")


def _need_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    own = Q(organisation_id__in=member_organisation_ids(user))
    if action in (Action.VIEW, Action.VIEW_SUMMARY):
        approved = Q(organisation__status=Organisation.Status.APPROVED)
        readable = own | (approved & Q(visibility="public"))
        if user.is_authenticated and member_organisation_ids(user):
            readable |= approved & Q(visibility="members")
        answering = Match.objects.filter(_match_answering_side(user))
        contacted = answering.filter(state__in=CONTACTED_STATES).values("need_id")
        readable |= Q(visibility="confidential", pk__in=contacted)
        if action == Action.VIEW_SUMMARY:
            readable |= Q(pk__in=answering.values("need_id"))
        return readable
    if action == Action.CHANGE:
        mine = Q(author_id=user.pk) if user.is_authenticated else NOTHING
        return mine | Q(organisation_id__in=admin_organisation_ids(user))
    if action == Action.REQUEST_CONTACT:
        return own
    return NOTHING


def _match_filter(user: AnyUser, action: Action) -> Q:
    operator = is_operator(user)
    if action == Action.VIEW:
        return EVERYTHING if operator else _match_posting_side(user) | _match_answering_side(user)
    if action == Action.REQUEST_CONTACT:
        return _match_posting_side(user)
    if action == Action.RESPOND:
        return _match_answering_side(user)
    if action == Action.CONVERSE:
        return _match_posting_side(user) | _match_answering_side(user)
    return NOTHING


def _match_child_filter(user: AnyUser, action: Action) -> Q:
    """Events, messages and projects are seen by both sides of their match and by operators."""
    if action != Action.VIEW:
        return NOTHING
    if is_operator(user):
        return EVERYTHING
    return _match_posting_side(user, "match__") | _match_answering_side(user, "match__")


def _matching_run_filter(user: AnyUser, action: Action) -> Q:
    if is_operator(user):
        return EVERYTHING
    if action == Action.VIEW:
        return Q(need__organisation_id__in=member_organisation_ids(user))
    return NOTHING


def _operators_only(user: AnyUser, action: Action) -> Q:
    return EVERYTHING if is_operator(user) else NOTHING


def _own_notification_filter(user: AnyUser, action: Action) -> Q:
    """Notifications are private to their recipient, operators included."""
    if not user.is_authenticated or action not in (Action.VIEW, Action.CHANGE):
        return NOTHING
    return Q(recipient_id=user.pk)


def _notification_preference_filter(user: AnyUser, action: Action) -> Q:
    if not user.is_authenticated or action not in (Action.VIEW, Action.CHANGE):
        return NOTHING
    return Q(user_id=user.pk)


def may_post_needs_for(user: AnyUser, organisation: Organisation) -> bool:
    """Members of an approved organisation post its needs and offers; operators any."""
    if is_operator(user):
        return True
    return organisation.is_approved and organisation.pk in member_organisation_ids(user)


RULES: dict[type[Model], Callable[[AnyUser, Action], Q]] = {
    Organisation: _organisation_filter,
    Person: _person_filter,
    Publication: _publication_filter,
    Agreement: _agreement_filter,
    Commitment: _commitment_filter,
    Indicator: _commitment_child_filter,
    CommitmentUpdate: _commitment_child_filter,
    TaxonomyTerm: _taxonomy_filter,
    Membership: _membership_filter,
    Invitation: _invitation_filter,
    User: _user_filter,
    ApiToken: _api_token_filter,
    Need: _need_filter,
    Match: _match_filter,
    MatchEvent: _match_child_filter,
    ConversationMessage: _match_child_filter,
    JointProject: _match_child_filter,
    MatchingRun: _matching_run_filter,
    IndexChange: _operators_only,
    Notification: _own_notification_filter,
    NotificationPreference: _notification_preference_filter,
}

# Actions on no particular object: may this user create one at all?
CREATE_RULES: dict[type[Model], Callable[[AnyUser], bool]] = {
    # Anyone signed in may register an organisation; it waits for an operator's approval.
    Organisation: lambda user: user.is_authenticated,
    Agreement: is_operator,
    TaxonomyTerm: is_operator,
    Person: is_operator,
    # Anyone signed in may make API tokens for themselves.
    ApiToken: lambda user: user.is_authenticated,
    # Members of an approved organisation post needs and offers (for that organisation).
    Need: _belongs_to_approved_organisation,
}


def _rule_for(model: type[Model]) -> Callable[[AnyUser, Action], Q]:
    try:
        return RULES[model]
    except KeyError:
        raise LookupError(f"no access rule for {model.__name__}: add one to the policy") from None


def restrict(queryset: QuerySet[Any], user: AnyUser, action: Action = Action.VIEW) -> QuerySet[Any]:
    """The part of ``queryset`` that ``user`` may act on with ``action``."""
    condition = _rule_for(queryset.model)(user, action)
    if condition == EVERYTHING:
        return queryset
    return queryset.filter(condition).distinct()


def can(user: AnyUser, action: Action, obj: Model | type[Model]) -> bool:
    """Whether ``user`` may do ``action`` to ``obj`` (or, for CREATE, to a model class)."""
    if isinstance(obj, type):
        if action != Action.CREATE:
            raise ValueError("a model class can only be checked for CREATE")
        create_rule = CREATE_RULES.get(obj)
        return bool(create_rule and create_rule(user)) or is_operator(user)
    if obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def require(user: AnyUser, action: Action, obj: Model | type[Model]) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, obj)``."""
    if not can(user, action, obj):
        raise PermissionDenied(f"{action} refused on {obj!r}")
