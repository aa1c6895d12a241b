"""Read-only questions about memberships, invitations and API tokens, through the policy.

Memberships and invitations point at the directory's organisations, but accounts sits
below the directory in the layers: it reaches an organisation only through its own
relation (:func:`managed_organisation_get`), never by importing the directory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, ApiToken, Consent, Invitation, Membership, User
from sangsaeng.core.policy import Action, can, require, restrict
from sangsaeng.core.selectors import NotFound


def _organisation_model() -> type[Model]:
    return Membership._meta.get_field("organisation").related_model  # type: ignore[return-value]


def memberships_of(user: AnyUser) -> QuerySet[Membership]:
    """The user's own memberships, with their organisations, by Korean name."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        restrict(Membership.objects.filter(user_id=user.pk), user)
        .select_related("organisation")
        .order_by("organisation__name_ko")
    )


def invitations_for(user: AnyUser) -> QuerySet[Invitation]:
    """Open invitations addressed to the user's e-mail address."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return restrict(
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True), user
    ).select_related("organisation", "invited_by")


def open_invitation_get(*, user: AnyUser, token: str) -> Invitation | None:
    """The open invitation with ``token`` if ``user`` may see it (it is addressed to them)."""
    return (
        restrict(Invitation.objects.filter(token=token, accepted_at__isnull=True), user)
        .select_related("organisation", "invited_by")
        .first()
    )


def open_invitation_by_token(token: str) -> Invitation | None:
    """The open invitation a mailed link carries: its secret token is the permission to see
    which organisation invites, and as what (for someone who has no account yet)."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )


def managed_organisation_get(*, user: AnyUser, slug: str) -> Any:
    """An organisation whose members ``user`` manages.

    Raises :class:`NotFound` when the user may not see it, ``PermissionDenied`` when they
    see it but may not manage its members.
    """
    organisation_model = _organisation_model()
    organisation = restrict(organisation_model._default_manager.filter(slug=slug), user).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    require(user, Action.MANAGE_MEMBERS, organisation)
    return organisation


def manages_members(user: AnyUser, organisation_id: int) -> bool:
    """Whether ``user`` (still) manages the members of the organisation ``organisation_id``."""
    organisation = _organisation_model()._default_manager.filter(pk=organisation_id).first()
    return organisation is not None and can(user, Action.MANAGE_MEMBERS, organisation)


def members_of(user: AnyUser, organisation: Any) -> QuerySet[Membership]:
    return restrict(Membership.objects.filter(organisation=organisation), user).select_related(
        "user"
    )


def open_invitations_of(user: AnyUser, organisation: Any) -> QuerySet[Invitation]:
    return restrict(
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True), user
    ).select_related("invited_by")


def membership_get(*, user: AnyUser, pk: int) -> Membership:
    membership = (
        restrict(Membership.objects.all(), user)
        .select_related("organisation", "user")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise NotFound(_("No such membership."))
    return membership


# --- API tokens ---------------------------------------------------------------------


def api_tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones included, marked by ``revoked_at``)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return restrict(ApiToken.objects.filter(user_id=user.pk), user, Action.VIEW)


def api_token_get(*, user: AnyUser, pk: int) -> ApiToken:
    token = restrict(ApiToken.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if token is None:
        raise NotFound(_("No such API token."))
    return token


def api_token_lookup(token: str) -> ApiToken | None:
    """The active token record a presented token belongs to, with its user, or None."""
    if not token.startswith(ApiToken.PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(token), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    return record


# --- accounts -----------------------------------------------------------------------


def preferred_language_of(email: str) -> str:
    """The language the account with ``email`` reads the site in ("" if none or unknown)."""
    user = User.objects.filter(email__iexact=email).only("language").first()
    return user.language if user is not None else ""


def consents_of(user: AnyUser) -> QuerySet[Consent]:
    """The user's consents, standing and withdrawn, newest first per policy."""
    if not user.is_authenticated:
        return Consent.objects.none()
    return restrict(Consent.objects.filter(user_id=user.pk), user)
