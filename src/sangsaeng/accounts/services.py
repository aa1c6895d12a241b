"""Changes to memberships: inviting people into an organisation and accepting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import Invitation, Membership, User
from sangsaeng.core.audit import acting_as
from sangsaeng.core.policy import Action, AnyUser, require
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
        subject=_("Invitation to join %(organisation)s on Sangsaeng")
        % {"organisation": organisation.name},
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
        membership, created = Membership.objects.get_or_create(
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
