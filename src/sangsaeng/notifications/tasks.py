"""Background jobs of notifications: sending the e-mails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from sangsaeng.notifications.messages import email_subject_and_body
from sangsaeng.notifications.models import Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """Mail one notification to its recipient; False when there is nothing to send."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return False
    subject, body = email_subject_and_body(notification)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    return True
