"""Read-only questions about memberships, invitations and API tokens, through the policy.

Memberships and invitations point at the directory's organisations, but accounts sits
below the directory in the layers: it reaches an organisation only through its own
relation (:func:`managed_organisation_get`), never by importing the directory.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from sangsaeng.accounts import other_consents
from sangsaeng.accounts.models import AnyUser, ApiToken, Consent, Invitation, Membership, User
from sangsaeng.accounts.other_consents import OtherConsent
from sangsaeng.accounts.rules import owns_invited_address
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
    """Open invitations to an address the user verified, for the dashboard to offer.

    An account whose address is not verified is offered none (nor their links): whoever
    signs up first with someone's address must not accept that person's invitations.
    """
    if not user.is_authenticated:
        return Invitation.objects.none()
    return restrict(
        Invitation.objects.filter(owns_invited_address(user.pk), accepted_at__isnull=True), user
    ).select_related("organisation", "invited_by")


def open_invitation_get(*, user: AnyUser, token: str) -> Invitation | None:
    """The open invitation the link with ``token`` opens, if it is addressed to ``user``.

    The token is the mailed link's secret: holding it proves that one reads the invited
    address (the dashboard shows it only to a verified owner). It must still name the
    address of the account that opens it.
    """
    if not isinstance(user, User):
        return None
    invitation = (
        Invitation.objects.filter(token=token, accepted_at__isnull=True)
        .select_related("organisation", "invited_by")
        .first()
    )
    if invitation is None or invitation.email.lower() not in addresses_of(user):
        return None
    return invitation


def addresses_of(user: User) -> set[str]:
    """The account's e-mail address and every other address it verified, in lower case."""
    verified = EmailAddress.objects.filter(user_id=user.pk, verified=True)
    return {
        user.email.lower(),
        *(address.lower() for address in verified.values_list("email", flat=True)),
    }


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


def other_consents_of(user: AnyUser) -> list[OtherConsent]:
    """The consents ``user`` gave in other apps (registered in :mod:`.other_consents`)."""
    if not user.is_authenticated:
        return []
    return other_consents.standing_of(user)
