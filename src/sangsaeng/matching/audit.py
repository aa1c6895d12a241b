"""Which matching records the audit log keeps (only operators read it: core.audit.history_of)."""

from auditlog.registry import auditlog

from sangsaeng.matching.models import JointProject, Match, Need

TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Need, m2m_fields={"tags"}, exclude_fields=[*TIMESTAMPS, "matches", "runs"])
auditlog.register(Match, include_fields=["state", "request_message", "interest_expressed_at"])
auditlog.register(JointProject, exclude_fields=TIMESTAMPS)
