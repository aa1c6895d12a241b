"""Changes to accounts (sign-up, consents, preferences, closing an account), memberships
(inviting people into an organisation, accepting) and API tokens.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangsaeng.accounts import selectors, tasks
from sangsaeng.accounts.models import AnyUser, ApiToken, Consent, Invitation, Membership, User
from sangsaeng.accounts.policies import BY_KIND, POLICIES
from sangsaeng.core.audit import forget_actor
from sangsaeng.core.links import absolute_url
from sangsaeng.core.policy import Action, require
from sangsaeng.core.services import after_commit, service

if TYPE_CHECKING:
    from sangsaeng.directory.models import Organisation


LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length or 150


def _clean_display_name(display_name: str) -> str:
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise ValidationError({"display_name": _("Enter the name others see you by.")})
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            {"display_name": _("Use at most %(n)d characters.") % {"n": DISPLAY_NAME_MAX_LENGTH}}
        )
    if "@" in display_name:
        # Others read the display name: an e-mail address there would reach them.
        raise ValidationError({"display_name": _("Use a name, not an e-mail address.")})
    return display_name


# --- accounts: sign-up, consents, preferences, closing ------------------------------------


def _account(user: AnyUser) -> User:
    """The account itself (a request's user is a lazy stand-in the policy cannot ask about)."""
    if user.pk is None:
        raise PermissionDenied("an account is needed")
    return User.objects.get(pk=user.pk)


@service
def account_sign_up(
    *, actor: User, display_name: str, language: str, consents: list[str] | tuple[str, ...]
) -> User:
    """Complete a new account: the name others see, the language, the consents given.

    Every required policy must be agreed to (PIPA: collection and use of personal
    information, separately from the terms); each consent is recorded with its version.
    """
    require(actor, Action.CHANGE, _account(actor))
    errors: dict[str, str] = {}
    try:
        display_name = _clean_display_name(display_name)
    except ValidationError as error:
        errors.update({field: " ".join(m) for field, m in error.message_dict.items()})
    for policy in POLICIES:
        if policy.required and policy.kind not in consents:
            errors[f"agree_{policy.kind}"] = _("Agree to this to create an account.")
    if errors:
        raise ValidationError(errors)
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.display_name = display_name
    user.language = language if language in LANGUAGE_CODES else ""
    user.save(update_fields=["display_name", "language"])
    for kind in dict.fromkeys(consents):
        policy = BY_KIND[kind]
        Consent.objects.create(user=user, kind=policy.kind, version=policy.version)
    return user


@service
def consent_give(*, actor: User, kind: str) -> Consent:
    """Agree to the current version of a policy (again, after a new version)."""
    require(actor, Action.CHANGE, _account(actor))
    policy = BY_KIND.get(kind)
    if policy is None:
        raise ValidationError(_("No such policy."))
    standing = Consent.objects.select_for_update().filter(
        user=actor, kind=kind, withdrawn_at__isnull=True
    )
    current = standing.filter(version=policy.version).first()
    if current is not None:
        return current
    standing.update(withdrawn_at=timezone.now())
    return Consent.objects.create(user=actor, kind=kind, version=policy.version)


@service
def account_update(*, actor: User, user: User, display_name: str, language: str) -> User:
    """Change the name others see and the language mails are written in."""
    require(actor, Action.CHANGE, _account(user))
    display_name = _clean_display_name(display_name)
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose Korean or English.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.display_name = display_name
    user.language = language
    user.save(update_fields=["display_name", "language"])
    return user


@service
def language_remember(*, actor: User, language: str) -> None:
    """Note the language the user reads the site in (their mails follow it)."""
    if language in LANGUAGE_CODES and actor.language != language:
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language


@service
def account_close(*, actor: User, user: User) -> None:
    """Close an account: the user, their consents, memberships, tokens and notifications go.

    Withdrawing a required consent closes the account too (the platform may not hold an
    account without it). The apps above remove what is theirs when a user is deleted (the
    directory removes the user's own profile).
    """
    require(actor, Action.DELETE, _account(user))
    user = User.objects.select_for_update().get(pk=user.pk)
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        raise ValidationError(_("The last superuser's account cannot be closed here."))
    pk, email = user.pk, user.email
    user.delete()
    # Entries written while deleting (and before) name the user: they become nobody's.
    forget_actor(pk, email)


@service
def invitation_create(
    *,
    actor: AnyUser,
    organisation: Organisation,
    email: str,
    role: str = Membership.Role.MEMBER,
    accept_url_template: str = "",
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
    link = (
        accept_url_template.format(token=invitation.token)
        if accept_url_template
        else absolute_url(reverse("accounts:invitation_accept", args=[invitation.token]))
    )
    invitation_id = invitation.pk
    # In the invitee's language if they have an account, else in the inviter's.
    invitee = User.objects.filter(email__iexact=email).exclude(language="").first()
    language = invitee.language if invitee else translation.get_language() or settings.LANGUAGE_CODE
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
