"""Keep the search index in step: log every change to what the engine reads.

Each save or deletion of a person, publication, organisation or need (and each change of
their tags) appends an :class:`~sangsaeng.matching.models.IndexChange` in the same
transaction, so the log never records a change that was rolled back. When open needs
exist, a directory change also queues a refresh of their suggestions once committed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from sangsaeng.directory.models import Organisation, Person, Publication
from sangsaeng.matching.models import IndexChange, Need
from sangsaeng.matching.search_index import NEED, ORGANISATION, PERSON, record_change


def _directory_changed(subject: str, object_id: int) -> None:
    record_change(subject, object_id)
    if Need.objects.filter(status=Need.Status.OPEN).exists():
        from sangsaeng.matching.tasks import refresh_open_needs

        change_id = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        transaction.on_commit(lambda: refresh_open_needs.enqueue(change_id))


def _person_changed(sender: Any, instance: Person, **kwargs: Any) -> None:
    _directory_changed(PERSON, instance.pk)


def _publication_changed(sender: Any, instance: Publication, **kwargs: Any) -> None:
    if instance.person_id is not None:
        _directory_changed(PERSON, instance.person_id)


def _organisation_changed(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    _directory_changed(ORGANISATION, instance.pk)


def _need_changed(sender: Any, instance: Need, **kwargs: Any) -> None:
    record_change(NEED, instance.pk)


def _tags_changed(subject: str, on_change: Any) -> Any:
    def handler(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
        if action in ("post_add", "post_remove", "post_clear") and instance.pk is not None:
            on_change(sender, instance)

    handler.__name__ = f"_{subject}_tags_changed"
    return handler


def connect() -> None:
    for model, handler in (
        (Person, _person_changed),
        (Publication, _publication_changed),
        (Organisation, _organisation_changed),
        (Need, _need_changed),
    ):
        uid = f"sangsaeng-index-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    for model, subject, handler in (
        (Person, PERSON, _person_changed),
        (Organisation, ORGANISATION, _organisation_changed),
        (Need, NEED, _need_changed),
    ):
        m2m_changed.connect(
            _tags_changed(subject, handler),
            sender=model.tags.through,
            dispatch_uid=f"sangsaeng-index-{model.__name__}-tags",
            weak=False,
        )
