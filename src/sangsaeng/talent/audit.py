"""Which talent records the audit log keeps (only operators read it: core.audit.history_of).

Consents keep their own record (ConsentRecord); the log follows the records whose changes
someone may need to account for: courses, enrolments and completions, certificates,
openings, rounds, offers and placements.
"""

from auditlog.registry import auditlog

from sangsaeng.talent.models import (
    Certificate,
    ConsentRecord,
    Course,
    Enrolment,
    MatchResult,
    Opening,
    Placement,
    PlacementRound,
)

TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Course, m2m_fields={"tags"}, exclude_fields=TIMESTAMPS)
auditlog.register(Enrolment, exclude_fields=TIMESTAMPS)
auditlog.register(Certificate, include_fields=["revoked_at"])
auditlog.register(ConsentRecord)
auditlog.register(Opening, m2m_fields={"tags"}, exclude_fields=TIMESTAMPS)
auditlog.register(PlacementRound, m2m_fields={"openings"}, exclude_fields=TIMESTAMPS)
auditlog.register(MatchResult, include_fields=["offer", "answered_at"])
auditlog.register(Placement, exclude_fields=TIMESTAMPS)
