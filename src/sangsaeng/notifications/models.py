"""In-app notifications and each user's choice of which ones also come by e-mail.

A notification stores its kind and the facts it is about (``context``), not a finished
sentence: the text is written when it is shown, in the reader's language (see
:mod:`sangsaeng.notifications.messages`). Facts about a confidential need are only ever
its summary.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # A code declared by the app whose event this is (see notifications.kinds).
    kind = models.CharField(_("kind"), max_length=48)
    context = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Which notifications a user also receives by e-mail (all of them by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_new_match = models.BooleanField(_("e-mail me about new matches"), default=True)
    email_contact_request = models.BooleanField(_("e-mail me about contact requests"), default=True)
    email_answer = models.BooleanField(_("e-mail me when a request is answered"), default=True)
    email_message = models.BooleanField(_("e-mail me about new messages"), default=True)
    email_project = models.BooleanField(_("e-mail me about joint projects"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}"

    def wants_email(self, kind: str) -> bool:
        """The user's choice for the kinds the page offers; every other kind is mailed."""
        return bool(getattr(self, f"email_{kind}", True))
