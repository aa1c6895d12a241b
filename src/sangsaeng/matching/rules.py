"""Who may read, post, contact, answer and talk about needs, offers and matches."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule
from sangsaeng.directory.models import Organisation
from sangsaeng.matching.models import (
    ConversationMessage,
    JointProject,
    Match,
    MatchEvent,
    MatchingRun,
    Need,
)

# A confidential need's text reaches the parties its poster contacted, never those only suggested.
CONTACTED_STATES = (Match.State.REQUESTED, Match.State.ACCEPTED, Match.State.PROJECT)


def answering_side(who: Principal, prefix: str = "") -> Q:
    """Matches whose party ``who`` answers for: their own expert profile, or (as an admin)
    their organisation and its experts without an account."""
    if not who.is_authenticated:
        return NOTHING
    return (
        Q(**{f"{prefix}person__user_id": who.pk})
        | Q(
            **{
                f"{prefix}person__user__isnull": True,
                f"{prefix}person__organisation_id__in": who.admin_of,
            }
        )
        | Q(**{f"{prefix}organisation_id__in": who.admin_of})
    )


def posting_side(who: Principal, prefix: str = "") -> Q:
    return Q(**{f"{prefix}need__organisation_id__in": who.member_of})


class NeedRule(Rule):
    """Public needs for all, members-only ones for the cluster, confidential ones for their
    organisation and the parties it contacted (others it suggested read the summary).

    Students belong to no organisation of the cluster; a need posted *for students* is
    readable by them too, unless it is confidential.
    """

    model = Need

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        own = Q(organisation_id__in=who.member_of)
        if action in (Action.VIEW, Action.VIEW_SUMMARY):
            approved = Q(organisation__status=Organisation.Status.APPROVED)
            readable = own | (approved & Q(visibility=Need.Visibility.PUBLIC))
            # Members of the cluster: of an approved organisation, not of one still pending.
            if who.approved_member_of:
                readable |= approved & Q(visibility=Need.Visibility.MEMBERS)
            if who.is_authenticated and who.is_student:
                readable |= (
                    approved & Q(for_students=True) & ~Q(visibility=Need.Visibility.CONFIDENTIAL)
                )
            answering = Match.objects.filter(answering_side(who))
            contacted = answering.filter(state__in=CONTACTED_STATES).values("need_id")
            readable |= Q(visibility=Need.Visibility.CONFIDENTIAL, pk__in=contacted)
            if action == Action.VIEW_SUMMARY:
                readable |= Q(pk__in=answering.values("need_id"))
            return readable
        if action == Action.CHANGE:
            mine = Q(author_id=who.pk) if who.is_authenticated else NOTHING
            return mine | Q(organisation_id__in=who.admin_of)
        if action == Action.REQUEST_CONTACT:
            return own
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Members of an approved organisation post its needs and offers; operators any."""
        if action != Action.CREATE:
            return who.is_operator
        if who.is_operator:
            return True
        organisation = context.get("organisation")
        if organisation is None:
            return who.is_cluster_member
        return organisation.pk in who.approved_member_of


class MatchRule(Rule):
    """The poster's side asks; the party's side answers; both sides talk."""

    model = Match

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else posting_side(who) | answering_side(who)
        if action == Action.REQUEST_CONTACT:
            return posting_side(who)
        if action == Action.RESPOND:
            return answering_side(who)
        if action == Action.CONVERSE:
            return posting_side(who) | answering_side(who)
        return NOTHING


class _MatchPartRule(Rule):
    """Events, messages and projects are seen by both sides of their match and by operators."""

    def filter(self, who: Principal, action: Action) -> Q:
        if action != Action.VIEW:
            return NOTHING
        if who.is_operator:
            return EVERYTHING
        return posting_side(who, "match__") | answering_side(who, "match__")


class MatchEventRule(_MatchPartRule):
    model = MatchEvent


class ConversationMessageRule(_MatchPartRule):
    model = ConversationMessage


class JointProjectRule(_MatchPartRule):
    model = JointProject


class MatchingRunRule(Rule):
    """A need's matching progress is its organisation's to follow."""

    model = MatchingRun

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return Q(need__organisation_id__in=who.member_of)
        return NOTHING


RULES = (
    NeedRule,
    MatchRule,
    MatchEventRule,
    ConversationMessageRule,
    JointProjectRule,
    MatchingRunRule,
)
