"""Changes to memberships (inviting people into an organisation, accepting) and API tokens.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangsaeng.accounts import selectors, tasks
from sangsaeng.accounts.models import AnyUser, ApiToken, Invitation, Membership, User
from sangsaeng.core.policy import Action, require
from sangsaeng.core.services import after_commit, service

if TYPE_CHECKING:
    from sangsaeng.directory.models import Organisation


@service
def invitation_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    email: str,
    role: str = Membership.Role.MEMBER,
    accept_url_template: str = "/accounts/invitations/{token}/",
) -> Invitation:
    """Invite someone by e-mail to join ``organisation``; the mail carries a one-time link.

    The mail goes out from the task worker once the invitation is saved.
    """
    require(actor, Action.MANAGE_MEMBERS, organisation)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                email=email,
                role=role,
                invited_by=actor if actor.is_authenticated else None,
            )
    except IntegrityError:
        raise ValidationError(
            {"email": _("An invitation to this address is already waiting.")}
        ) from None
    link = accept_url_template.format(token=invitation.token)
    invitation_id = invitation.pk
    language = translation.get_language() or settings.LANGUAGE_CODE
    after_commit(lambda: tasks.send_invitation_email.enqueue(invitation_id, link, language))
    return invitation


@service
def invitation_accept(*, actor: User, token: str) -> Membership:
    """Turn an open invitation addressed to ``actor`` into a membership.

    The token is the secret of the link mailed to the invited address: holding it proves
    that one reads that address. Nothing else shows it but the dashboard, and only to an
    account that verified the address (:func:`selectors.invitations_for`), so an account
    made with someone else's address, unverified, cannot accept their invitations. The
    invited address must also be the account's own (its address, or one it verified).
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation is not valid or was already used."))
    if invitation.email.lower() not in selectors.addresses_of(actor):
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Log in as %(email)s.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=actor, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@service
def membership_remove(*, actor: AnyUser, membership: Membership) -> None:
    """Remove a member; an organisation always keeps at least one admin."""
    require(actor, Action.DELETE, membership)
    if membership.role == Membership.Role.ADMIN and not (
        Membership.objects.filter(organisation=membership.organisation, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(_("An organisation needs at least one admin."))
    membership.delete()


# --- API tokens ---------------------------------------------------------------------

API_TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 100
# A token's time of use is noted at most this often, to spare the database a write a request.
TOKEN_USE_RESOLUTION_SECONDS = 60


@service
def api_token_create(*, actor: AnyUser, name: str) -> tuple[ApiToken, str]:
    """Make an API token for ``actor``; returns the record and the token, shown only this once."""
    require(actor, Action.CREATE, ApiToken)
    assert isinstance(actor, User)  # require() refuses anonymous callers
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. where it is used.")})
    if len(name) > API_TOKEN_NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": _("Use at most %(n)d characters.") % {"n": API_TOKEN_NAME_MAX_LENGTH},
            }
        )
    token = ApiToken.generate()
    record = ApiToken.objects.create(
        user=actor,
        name=name,
        token_hash=ApiToken.hash(token),
        token_start=token[: len(ApiToken.PREFIX) + 4],
    )
    return record, token


@service
def api_token_revoke(*, actor: AnyUser, token: ApiToken) -> ApiToken:
    """Revoke a token: requests carrying it are refused from now on (revoking twice is harmless)."""
    require(actor, Action.DELETE, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@service
def api_token_record_use(*, actor: User, token: ApiToken) -> None:
    """Note that ``actor`` used ``token`` now (at most once a minute)."""
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > TOKEN_USE_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk, user=actor).update(last_used_at=now)
