"""Who may see and change memberships, invitations, user accounts and API tokens."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from sangsaeng.accounts.models import ApiToken, Consent, Invitation, Membership, User
from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule


class MembershipRule(Rule):
    """Members see their organisations' members; admins add and remove them."""

    model = Membership

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if not who.is_authenticated:
            return NOTHING
        managed = Q(organisation_id__in=who.admin_of)
        if action == Action.VIEW:
            return managed | Q(user_id=who.pk) | Q(organisation_id__in=who.member_of)
        if action in (Action.CREATE, Action.CHANGE, Action.DELETE):
            return managed
        return NOTHING


def owns_invited_address(user_id: object) -> Exists:
    """Invitations to an address ``user_id`` has verified (an unverified one proves nothing:
    anyone may sign up with someone else's address)."""
    return Exists(
        EmailAddress.objects.annotate(address=Lower("email")).filter(
            user_id=user_id, verified=True, address=Lower(OuterRef("email"))
        )
    )


class InvitationRule(Rule):
    """An organisation's admins invite; the invitee sees the invitations to an address they
    verified. (The mailed link is a proof of its own: see ``services.invitation_accept``.)"""

    model = Invitation

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if not who.is_authenticated:
            return NOTHING
        managed = Q(organisation_id__in=who.admin_of)
        if action == Action.VIEW:
            return managed | Q(owns_invited_address(who.pk))
        if action in (Action.CREATE, Action.DELETE):
            return managed
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        organisation = context.get("organisation")
        if action == Action.CREATE and organisation is not None:
            return who.is_operator or organisation.pk in who.admin_of
        return who.is_operator


class UserRule(Rule):
    """A user sees and changes their own account; operators see every account."""

    model = User

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        return Q(pk=who.pk) if who.is_authenticated else NOTHING


class ApiTokenRule(Rule):
    """A token is its owner's; an operator may see and revoke any (e.g. a leaked one)."""

    model = ApiToken

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if not who.is_authenticated or action not in (Action.VIEW, Action.DELETE):
            return NOTHING
        return Q(user_id=who.pk)

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        # Anyone signed in may make API tokens for themselves.
        return who.is_authenticated if action == Action.CREATE else who.is_operator


class ConsentRule(Rule):
    """A user reads their own consents; operators read any (to show what was agreed to).

    Consents are given and withdrawn only through the accounts services, never edited.
    """

    model = Consent

    def filter(self, who: Principal, action: Action) -> Q:
        if action != Action.VIEW:
            return NOTHING
        if who.is_operator:
            return EVERYTHING
        return Q(user_id=who.pk) if who.is_authenticated else NOTHING


RULES = (MembershipRule, InvitationRule, UserRule, ApiTokenRule, ConsentRule)
