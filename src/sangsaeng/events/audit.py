"""Which events records the audit log keeps (only operators read it: core.audit.history_of)."""

from auditlog.registry import auditlog

from sangsaeng.events.models import Event, Meeting, MeetingRequest, Participant

TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Event, exclude_fields=TIMESTAMPS)
auditlog.register(
    Participant,
    include_fields=["status", "organisation", "attendance", "checked_in_at", "participant_type"],
)
auditlog.register(
    MeetingRequest, include_fields=["status", "requester_priority", "requested_priority"]
)
auditlog.register(Meeting, include_fields=["status", "slot", "location", "absent", "follow_up"])
