"""Which directory records the audit log keeps: who changed what, and when."""

from auditlog.registry import auditlog

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Indicator,
    Organisation,
    Person,
    Publication,
)

# Reverse relations and timestamps say nothing a reader of the log needs.
TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(
    Organisation,
    m2m_fields={"tags"},
    exclude_fields=[*TIMESTAMPS, "people", "owned_commitments", "invitations", "memberships"],
)
auditlog.register(Person, m2m_fields={"tags"}, exclude_fields=[*TIMESTAMPS, "publications"])
auditlog.register(Publication)
auditlog.register(Agreement, m2m_fields={"parties"}, exclude_fields=[*TIMESTAMPS, "commitments"])
auditlog.register(Commitment, exclude_fields=["indicators", "updates"])
auditlog.register(Indicator)
auditlog.register(CommitmentUpdate)
auditlog.register(Membership)
