"""Keep the search index in step: log every change to what the engine reads.

Each save or deletion of a searchable record (and of the records it ``follows``, and each
change of its tags) appends an :class:`~sangsaeng.search.models.IndexChange` in the same
transaction, so the log never records a change that was rolled back. After logging, the
:data:`profile_changed` signal tells other apps (matching refreshes its suggestions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from sangsaeng.core.indexing import Searchable
from sangsaeng.search import registry
from sangsaeng.search.index import record_change

# Sent after a change of a searchable record was logged: ``subject``, ``object_id``.
profile_changed = Signal()


def _logger(subject: str, object_id_of: Callable[[Any], int | None]) -> Callable[..., None]:
    def log_change(sender: Any, instance: Model, **kwargs: Any) -> None:
        object_id = object_id_of(instance)
        if object_id is not None:
            record_change(subject, object_id)
            profile_changed.send(sender=sender, subject=subject, object_id=object_id)

    log_change.__name__ = f"log_{subject}_change"
    return log_change


def _on_tags(handler: Callable[..., None]) -> Callable[..., None]:
    def tags_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
        if action in ("post_add", "post_remove", "post_clear") and instance.pk is not None:
            handler(sender, instance)

    return tags_changed


def _connect(searchable: Searchable) -> None:
    subject = searchable.subject
    watched: list[tuple[type[Model], Callable[[Any], int | None]]] = [
        (searchable.model, lambda record: record.pk),
        *searchable.follows,
    ]
    for model, object_id_of in watched:
        handler = _logger(subject, object_id_of)
        uid = f"sangsaeng-index-{subject}-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    if searchable.tags_field:
        through = getattr(searchable.model, searchable.tags_field).through
        m2m_changed.connect(
            _on_tags(_logger(subject, lambda record: record.pk)),
            sender=through,
            dispatch_uid=f"sangsaeng-index-{subject}-tags",
            weak=False,
        )


def connect() -> None:
    for searchable in registry.searchables():
        _connect(searchable)
