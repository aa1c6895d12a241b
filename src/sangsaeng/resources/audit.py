"""Which resources records the audit log keeps (every change to a booking is audited)."""

from auditlog.registry import auditlog

from sangsaeng.resources.models import (
    AreaAllocation,
    Booking,
    Resource,
    ShuttleRequest,
    WaitlistEntry,
)

TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Resource, exclude_fields=TIMESTAMPS)
auditlog.register(Booking, exclude_fields=[*TIMESTAMPS, "reminded_at"])
auditlog.register(WaitlistEntry, exclude_fields=["created_at"])
auditlog.register(ShuttleRequest, exclude_fields=TIMESTAMPS)
auditlog.register(AreaAllocation, include_fields=["status", "confirmed_at", "confirmed_by"])
