"""Changes to memberships (inviting people into an organisation, accepting) and API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import ApiToken, Invitation, Membership, User
from sangsaeng.core.audit import acting_as
from sangsaeng.core.mail import mail_subject
from sangsaeng.core.policy import Action, AnyUser, require, restrict
from sangsaeng.directory.models import Organisation


@transaction.atomic
def invitation_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    email: str,
    role: str = Membership.Role.MEMBER,
    accept_url_template: str = "/accounts/invitations/{token}/",
) -> Invitation:
    """Invite someone by e-mail to join ``organisation``; the mail carries a one-time link."""
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
        with transaction.atomic(), acting_as(actor):
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
    send_mail(
        subject=mail_subject(
            _("Invitation to join %(organisation)s on Sangsaeng")
            % {"organisation": organisation.name}
        ),
        message=_(
            "%(inviter)s invited you to join %(organisation)s on Sangsaeng.\n\n"
            "Sign up or log in with this address, then open:\n%(link)s\n"
        )
        % {"inviter": actor, "organisation": organisation.name, "link": link},
        from_email=None,
        recipient_list=[email],
    )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    """Turn an open invitation addressed to ``user``'s e-mail into a membership."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation is not valid or was already used."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Log in as %(email)s.")
            % {"email": invitation.email}
        )
    with acting_as(user):
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def membership_remove(*, actor: AnyUser, membership: Membership) -> None:
    """Remove a member; an organisation always keeps at least one admin."""
    require(actor, Action.DELETE, membership)
    if membership.role == Membership.Role.ADMIN and not (
        Membership.objects.filter(organisation=membership.organisation, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(_("An organisation needs at least one admin."))
    with acting_as(actor):
        membership.delete()


# --- API tokens ---------------------------------------------------------------------

API_TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 100


@transaction.atomic
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


@transaction.atomic
def api_token_revoke(*, actor: AnyUser, token: ApiToken) -> ApiToken:
    """Revoke a token: requests carrying it are refused from now on (revoking twice is harmless)."""
    require(actor, Action.DELETE, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones included, marked by ``revoked_at``)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return restrict(ApiToken.objects.filter(user_id=user.pk), user, Action.VIEW)


def api_token_user(token: str) -> User | None:
    """The user a presented token belongs to, or None if it is unknown or revoked.

    Notes the time of use (at most once a minute, to spare the database a write per request).
    """
    if not token.startswith(ApiToken.PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash(token), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
