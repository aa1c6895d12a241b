"""The notifications events send: meeting requests and answers, the schedule, reminders.

Each kind words its notification from the facts stored with it, in the reader's language.
A request carries its sender's own message, quoted as they wrote it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.notifications.kinds import NotificationKind

MEETING_REQUEST = "event_meeting_request"
MEETING_ANSWER = "event_meeting_answer"
SCHEDULE = "event_schedule"
REMINDER = "event_reminder"


def _meeting_request(facts: dict[str, Any]) -> str:
    values = {
        "sender": facts.get("sender", ""),
        "event": facts.get("event", ""),
        "message": facts.get("message", ""),
    }
    if facts.get("withdrawn"):
        return _("%(sender)s withdrew their meeting request at %(event)s.") % values
    return _("%(sender)s asks to meet you at %(event)s: “%(message)s”") % values


def _meeting_answer(facts: dict[str, Any]) -> str:
    values = {"party": facts.get("party", ""), "event": facts.get("event", "")}
    if facts.get("accepted"):
        return _("%(party)s accepted your meeting request at %(event)s.") % values
    return _("%(party)s declined your meeting request at %(event)s.") % values


def _schedule(facts: dict[str, Any]) -> str:
    values = {"event": facts.get("event", ""), "count": facts.get("count", 0)}
    if facts.get("rebooked"):
        return _("A new meeting was added to your agenda at %(event)s.") % values
    return _("The final schedule of %(event)s is out: %(count)s meetings on your agenda.") % values


def _reminder(facts: dict[str, Any]) -> str:
    values = {"event": facts.get("event", "")}
    stage = facts.get("stage")
    if stage == "day_before":
        return (
            _(
                "%(event)s is tomorrow. Your agenda, with your tables and the check-in code, "
                "is ready."
            )
            % values
        )
    if stage == "follow_up":
        return (
            _("Six months after %(event)s: what came of your meetings? Please rate them again.")
            % values
        )
    return _("Thank you for coming to %(event)s. Please rate each of your meetings.") % values


KINDS = (
    NotificationKind(
        MEETING_REQUEST, gettext_lazy("meeting request at an event"), _meeting_request
    ),
    NotificationKind(MEETING_ANSWER, gettext_lazy("answer to a meeting request"), _meeting_answer),
    NotificationKind(SCHEDULE, gettext_lazy("event schedule"), _schedule),
    NotificationKind(REMINDER, gettext_lazy("event reminder"), _reminder),
)
