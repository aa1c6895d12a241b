"""Who may see and change the records of the resources app.

- Resources: everyone sees those open for bookings (the catalogue is public); the provider's
  admins list, change and manage theirs (approve bookings, allocate an MPW run); operators all.
- Bookings: an organisation's members see its bookings in detail, the provider's admins those
  of their resources; everyone else sees only busy and free (``selectors.busy_slots``, which
  carries no organisation and no purpose). The booker, their organisation's admins and the
  provider's admins cancel.
- Who may book is the resource's own rule (:func:`eligible`): the booking organisation's
  kind, and whether it must be an approved member of the cluster.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule
from sangsaeng.directory.models import Organisation
from sangsaeng.resources.models import (
    AreaAllocation,
    Booking,
    BookingSeries,
    CalendarFeed,
    Resource,
    ShuttleRequest,
    WaitlistEntry,
)


def eligible(resource: Resource, organisation: Organisation) -> bool:
    """Whether ``organisation`` may book ``resource`` (its audience and organisation kinds)."""
    if not resource.is_active:
        return False
    if (
        resource.audience == Resource.Audience.CLUSTER
        and organisation.status != Organisation.Status.APPROVED
    ):
        return False
    return not resource.allowed_kinds or organisation.kind in resource.allowed_kinds


def _may_book_for(who: Principal, **context: Any) -> bool:
    """Book (or wait, or request area) for ``organisation`` on ``resource``."""
    if not who.is_authenticated:
        return False
    resource, organisation = context.get("resource"), context.get("organisation")
    if organisation is None:
        return who.is_operator or bool(who.member_of)
    if not (who.is_operator or organisation.pk in who.member_of):
        return False
    return resource is None or eligible(resource, organisation)


class ResourceRule(Rule):
    model = Resource

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        managed = Q(provider_id__in=who.admin_of)
        if action in (Action.VIEW, Action.VIEW_SUMMARY):
            return Q(is_active=True) | Q(provider_id__in=who.member_of)
        if action in (Action.CHANGE, Action.DELETE, Action.APPROVE):
            return managed
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """An approved organisation's admins list its resources; operators any."""
        if action != Action.CREATE:
            return who.is_operator
        if who.is_operator:
            return True
        organisation = context.get("organisation")
        providers = who.admin_of & who.approved_member_of
        return organisation.pk in providers if organisation is not None else bool(providers)


class BookingRule(Rule):
    model = Booking

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if not who.is_authenticated:
            return NOTHING
        provider = Q(resource__provider_id__in=who.admin_of)
        if action == Action.VIEW:
            return Q(organisation_id__in=who.member_of) | provider
        if action == Action.CHANGE:
            return Q(booked_by_id=who.pk) | Q(organisation_id__in=who.admin_of) | provider
        if action == Action.APPROVE:
            return provider
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        if action == Action.CREATE:
            return _may_book_for(who, **context)
        return who.is_operator


class BookingSeriesRule(Rule):
    model = BookingSeries

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action != Action.VIEW or not who.is_authenticated:
            return NOTHING
        return Q(organisation_id__in=who.member_of) | Q(resource__provider_id__in=who.admin_of)


class WaitlistEntryRule(Rule):
    model = WaitlistEntry

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if not who.is_authenticated:
            return NOTHING
        own = Q(user_id=who.pk) | Q(organisation_id__in=who.admin_of)
        if action == Action.VIEW:
            return own | Q(resource__provider_id__in=who.admin_of)
        if action == Action.CHANGE:
            return own
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        if action == Action.CREATE:
            return _may_book_for(who, **context)
        return who.is_operator


class ShuttleRequestRule(Rule):
    model = ShuttleRequest

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if not who.is_authenticated:
            return NOTHING
        provider = Q(run__provider_id__in=who.admin_of)
        if action == Action.VIEW:
            return Q(organisation_id__in=who.member_of) | provider
        if action == Action.CHANGE:
            return Q(organisation_id__in=who.member_of)
        if action == Action.APPROVE:
            return provider
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        if action == Action.CREATE:
            return _may_book_for(who, resource=context.get("run"), **_without(context, "run"))
        return who.is_operator


def _without(context: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in context.items() if key not in names}


class AreaAllocationRule(Rule):
    """The run's provider and the operators compute, read and confirm its allocation."""

    model = AreaAllocation

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action in (Action.VIEW, Action.APPROVE):
            return Q(run__provider_id__in=who.admin_of)
        return NOTHING


class CalendarFeedRule(Rule):
    """A feed's secret address is its owner's alone."""

    model = CalendarFeed

    def filter(self, who: Principal, action: Action) -> Q:
        if not who.is_authenticated:
            return NOTHING
        if action in (Action.VIEW, Action.CHANGE, Action.DELETE):
            return Q(user_id=who.pk)
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        return who.is_authenticated if action == Action.CREATE else False


RULES = (
    ResourceRule,
    BookingRule,
    BookingSeriesRule,
    WaitlistEntryRule,
    ShuttleRequestRule,
    AreaAllocationRule,
    CalendarFeedRule,
)
