"""The notifications the resources app sends (in-app, and mailed in Korean and English).

Each notification's facts hold the resource's name in both languages and the times in UTC
(ISO 8601); the headline is written in the reader's language and shows Seoul time.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.core.i18n import localized
from sangsaeng.notifications.kinds import NotificationKind

BOOKING_REQUESTED = "booking_requested"
BOOKING_DECIDED = "booking_decided"
BOOKING_CANCELLED = "booking_cancelled"
BOOKING_REMINDER = "booking_reminder"
WAITLIST_OFFER = "waitlist_offer"
SHUTTLE_ALLOCATED = "shuttle_allocated"


def facts(resource: Any, start: datetime.datetime, end: datetime.datetime, **more: Any) -> dict:
    return {
        "resource_ko": resource.name_ko,
        "resource_en": resource.name_en,
        "start": start.isoformat(),
        "end": end.isoformat(),
        **more,
    }


def _resource(facts: dict[str, Any]) -> str:
    return localized(facts.get("resource_ko", ""), facts.get("resource_en", ""))


def _when(facts: dict[str, Any]) -> str:
    try:
        start = datetime.datetime.fromisoformat(facts["start"])
        end = datetime.datetime.fromisoformat(facts["end"])
    except (KeyError, ValueError):
        return ""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def _requested(facts: dict[str, Any]) -> str:
    return _("A booking of %(resource)s awaits your approval: %(when)s.") % {
        "resource": _resource(facts),
        "when": _when(facts),
    }


def _decided(facts: dict[str, Any]) -> str:
    values = {"resource": _resource(facts), "when": _when(facts)}
    if facts.get("approved"):
        return _("Your booking of %(resource)s was approved: %(when)s.") % values
    return _("Your booking of %(resource)s was not approved: %(when)s.") % values


def _cancelled(facts: dict[str, Any]) -> str:
    return _("Your booking of %(resource)s was cancelled by the provider: %(when)s.") % {
        "resource": _resource(facts),
        "when": _when(facts),
    }


def _reminder(facts: dict[str, Any]) -> str:
    return _("Reminder: you have booked %(resource)s for %(when)s.") % {
        "resource": _resource(facts),
        "when": _when(facts),
    }


def _offer(facts: dict[str, Any]) -> str:
    expires = facts.get("expires", "")
    with contextlib.suppress(ValueError):
        expires = f"{timezone.localtime(datetime.datetime.fromisoformat(expires)):%Y-%m-%d %H:%M}"
    return _(
        "The slot you waited for is free: %(resource)s, %(when)s. Book it before %(expires)s."
    ) % {"resource": _resource(facts), "when": _when(facts), "expires": expires}


def _allocated(facts: dict[str, Any]) -> str:
    return _("The area of %(resource)s is allocated: %(design)s got %(granted)s mm².") % {
        "resource": _resource(facts),
        "design": facts.get("design", ""),
        "granted": facts.get("granted", "0"),
    }


KINDS = (
    NotificationKind(BOOKING_REQUESTED, gettext_lazy("booking awaiting approval"), _requested),
    NotificationKind(BOOKING_DECIDED, gettext_lazy("booking approved or not"), _decided),
    NotificationKind(BOOKING_CANCELLED, gettext_lazy("booking cancelled"), _cancelled),
    NotificationKind(BOOKING_REMINDER, gettext_lazy("booking reminder"), _reminder),
    NotificationKind(WAITLIST_OFFER, gettext_lazy("waitlist offer"), _offer),
    NotificationKind(SHUTTLE_ALLOCATED, gettext_lazy("MPW area allocated"), _allocated),
)
