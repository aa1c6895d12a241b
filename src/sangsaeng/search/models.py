"""The search index's change log: which records' index entries must be refreshed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexChange(models.Model):
    """Append-only log of records whose search-index entry must be refreshed.

    Written by signals in the same transaction as the change; every process's in-memory
    index applies the entries after the last one it has seen before it answers a search.
    ``subject`` names a searchable model (see :mod:`sangsaeng.search.registry`).
    """

    subject = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")
        ordering = ["id"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.id}: {self.subject} {self.object_id}"
