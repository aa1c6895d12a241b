"""The audit log: who changed which record, when, and what changed.

Records are kept by django-auditlog for every registered model. Requests set the
actor through its middleware; services wrap their writes in ``acting_as`` so that
changes made from the API, the command line or a background task name their actor too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from sangsaeng.core.policy import AnyUser, is_operator


@contextlib.contextmanager
def acting_as(actor: AnyUser | None) -> Iterator[None]:
    if actor is None or not actor.is_authenticated:
        yield
        return
    # auditlog's set_actor replaces the request's context without restoring it, so the
    # middleware's signal receiver would never be disconnected (one leaked per request).
    outer = auditlog_value.get(None)
    try:
        with set_actor(
            actor,
            remote_addr=outer.get("remote_addr") if outer else None,
            remote_port=outer.get("remote_port") if outer else None,
        ):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


def history_of(obj: Model, viewer: AnyUser) -> QuerySet[LogEntry]:
    """The audit entries of ``obj`` that ``viewer`` may read (operators only, for now)."""
    if not is_operator(viewer):
        return LogEntry.objects.none()
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")


def forget_history(model: type[Model], pks: list[Any]) -> int:
    """Delete the audit entries of the records ``pks`` of ``model`` (a person's own data,
    deleted at their request, leaves nothing behind in the log); returns how many."""
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    deleted, _by_model = LogEntry.objects.filter(
        content_type=content_type, object_pk__in=[str(pk) for pk in pks]
    ).delete()
    return deleted


def forget_actor(pk: Any, email: str) -> int:
    """Unname a deleted user in the audit log: the changes stay, their author becomes
    nobody (a closed account leaves no e-mail address behind); returns how many entries."""
    entries = LogEntry.objects.filter(actor_id=pk)
    if email:
        entries = entries | LogEntry.objects.filter(actor_email__iexact=email)
    return entries.update(actor=None, actor_email=None)
