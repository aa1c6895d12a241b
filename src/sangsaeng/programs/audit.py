"""Which programs records the audit log keeps: every change to an application, a review, a
decision, a conflict, an award and its reports, and to a call's terms (operators read it)."""

from auditlog.registry import auditlog

from sangsaeng.programs.models import (
    Application,
    ApplicationFile,
    ApplicationPartner,
    Award,
    AwardReport,
    Call,
    Conflict,
    Criterion,
    Decision,
    FormField,
    Milestone,
    Review,
    ReviewAssignment,
)

TIMESTAMPS = ["created_at", "updated_at"]

auditlog.register(Call, m2m_fields={"eligible_tags"}, exclude_fields=TIMESTAMPS)
auditlog.register(FormField)
auditlog.register(Criterion)
auditlog.register(Application, exclude_fields=TIMESTAMPS)
auditlog.register(ApplicationPartner)
auditlog.register(ApplicationFile)
auditlog.register(Conflict, exclude_fields=TIMESTAMPS)
auditlog.register(ReviewAssignment, exclude_fields=TIMESTAMPS)
auditlog.register(Review, exclude_fields=TIMESTAMPS)
auditlog.register(Decision, exclude_fields=TIMESTAMPS)
auditlog.register(Award, exclude_fields=TIMESTAMPS)
auditlog.register(Milestone)
auditlog.register(AwardReport)
