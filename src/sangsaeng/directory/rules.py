"""Who may see and change the directory: organisations, people, their work, agreements.

Also where the policy learns who a user is (:func:`load_principal`): memberships belong to
accounts, but whether an organisation is approved is the directory's to say.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sangsaeng.accounts.models import Membership, User
from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Memberships, Principal, Rule
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Indicator,
    Organisation,
    Person,
    ProfileClaim,
    Publication,
    TaxonomyTerm,
)


def load_principal(user: User) -> Principal:
    """The facts the rules need about a signed-in user (memberships: one query, when asked)."""

    def memberships() -> Memberships:
        rows = Membership.objects.filter(user=user).values_list(
            "organisation_id", "role", "organisation__status"
        )
        member_of, admin_of, approved = set(), set(), set()
        for organisation_id, role, status in rows:
            member_of.add(organisation_id)
            if role == Membership.Role.ADMIN:
                admin_of.add(organisation_id)
            if status == Organisation.Status.APPROVED:
                approved.add(organisation_id)
        return Memberships(frozenset(member_of), frozenset(admin_of), frozenset(approved))

    def student() -> bool:
        return Person.objects.filter(user=user, kind=Person.Kind.STUDENT).exists()

    return Principal(
        user=user,
        is_operator=bool(user.is_superuser or getattr(user, "is_operator", False)),
        memberships=memberships,
        student=student,
    )


class OrganisationRule(Rule):
    """Approved organisations are public; their admins change them; operators approve."""

    model = Organisation

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return Q(status=Organisation.Status.APPROVED) | Q(pk__in=who.member_of)
        if action in (Action.CHANGE, Action.MANAGE_MEMBERS):
            return Q(pk__in=who.admin_of)
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        # Anyone signed in may register an organisation; it waits for an operator's approval.
        if action == Action.CREATE:
            return who.is_authenticated
        return who.is_operator


def _interested_in_needs_of(organisations: frozenset[int]) -> Q:
    """People who expressed interest in a need of ``organisations``.

    Matches belong to the matching app, above the directory: the rule reaches them through
    the reverse relation Django keeps on Person, never by importing matching.
    """
    match_model: Any = Person._meta.get_field("matches").related_model
    matches = match_model._default_manager
    interested = matches.filter(
        need__organisation_id__in=organisations,
        interest_expressed_at__isnull=False,
        person__isnull=False,
    ).values("person_id")
    return Q(pk__in=interested)


class PersonRule(Rule):
    """Experts are public when listed; students only to themselves and their university's admins."""

    model = Person

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        own = Q(user_id=who.pk) if who.is_authenticated else NOTHING
        if action == Action.VIEW:
            listed = Q(is_public=True) & (
                Q(organisation__isnull=True) | Q(organisation__status=Organisation.Status.APPROVED)
            )
            public = listed & Q(kind=Person.Kind.EXPERT)
            colleagues = Q(organisation_id__in=who.member_of, kind=Person.Kind.EXPERT)
            # An admin sees every profile it may change, students of its own organisation too.
            managed = Q(organisation_id__in=who.admin_of)
            # Students are never listed: companies see a student's talent profile only with
            # the student's recorded consent (talent/rules.py).
            # Whoever tells an organisation of their interest in one of its needs (matching)
            # shows it their profile, a student's too.
            shown = _interested_in_needs_of(who.member_of) if who.member_of else NOTHING
            return public | own | colleagues | managed | shown
        if action == Action.CHANGE:
            # An organisation admin keeps the profiles of its people who have no account.
            unclaimed = Q(organisation_id__in=who.admin_of, user__isnull=True)
            return own | unclaimed
        if action == Action.DELETE:
            # A person deletes their own profile (PIPA); operators any.
            return own
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Operators add anyone; an organisation's admins add people to that organisation;
        anyone signed in saves their own profile (``own=True``)."""
        if who.is_operator:
            return True
        if action == Action.CREATE and context.get("own"):
            return who.is_authenticated
        organisation = context.get("organisation")
        return (
            action == Action.CREATE and organisation is not None and organisation.pk in who.admin_of
        )


class PublicationRule(Rule):
    """A publication follows its person: visible when they are, changed by who changes them."""

    model = Publication

    def filter(self, who: Principal, action: Action) -> Q:
        person_action = Action.VIEW if action == Action.VIEW else Action.CHANGE
        person_condition = PersonRule().filter(who, person_action)
        if person_condition == EVERYTHING:
            return EVERYTHING
        return Q(person__in=Person.objects.filter(person_condition))


class AgreementRule(Rule):
    """Public agreements for everyone; the others for their parties' members."""

    model = Agreement

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return Q(is_public=True) | Q(parties__in=who.member_of)
        return NOTHING


class CommitmentRule(Rule):
    """A commitment is seen with its agreement; its owner's admins report progress."""

    model = Commitment

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            readable = Agreement.objects.filter(AgreementRule().filter(who, Action.VIEW))
            return Q(agreement__in=readable)
        if action == Action.REPORT_PROGRESS:
            return Q(owner_id__in=who.admin_of)
        return NOTHING


class _CommitmentPartRule(Rule):
    """Indicators and progress updates are seen with their commitment."""

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            readable = Commitment.objects.filter(CommitmentRule().filter(who, Action.VIEW))
            return Q(commitment__in=readable)
        return NOTHING


class IndicatorRule(_CommitmentPartRule):
    model = Indicator


class CommitmentUpdateRule(_CommitmentPartRule):
    model = CommitmentUpdate


class TaxonomyTermRule(Rule):
    """Everyone reads the taxonomy; operators keep it."""

    model = TaxonomyTerm

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW or who.is_operator:
            return EVERYTHING
        return NOTHING


class ProfileClaimRule(Rule):
    """Invitations to claim a profile are the cluster office's to see; the link's secret
    token, not the policy, opens one (``selectors.open_claim_get``)."""

    model = ProfileClaim


RULES = (
    OrganisationRule,
    PersonRule,
    ProfileClaimRule,
    PublicationRule,
    AgreementRule,
    CommitmentRule,
    IndicatorRule,
    CommitmentUpdateRule,
    TaxonomyTermRule,
)
