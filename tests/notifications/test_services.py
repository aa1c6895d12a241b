"""The notification services called directly."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from sangsaeng.notifications import selectors, services
from sangsaeng.notifications.models import Notification, NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_mails_after_commit_and_only_those_who_want_it(
    django_capture_on_commit_callbacks,
):
    wants, declines = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=declines, email_contact_request=False)
    with django_capture_on_commit_callbacks(execute=True):
        made = services.notify(
            recipients=[wants, declines, wants],
            kind="contact_request",
            context={"need": "NPU 검증", "party": "판교칩스"},
            link="/ko/needs/1/",
        )
    assert sorted(n.recipient_id for n in made) == sorted([wants.pk, declines.pk])
    assert [message.to for message in mail.outbox] == [[wants.email]]


def test_only_the_recipient_marks_a_notification_read():
    recipient, other = UserFactory(), UserFactory()
    notification = Notification.objects.create(recipient=recipient, kind="answer", context={})
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=other, notification=notification)
    services.notification_mark_read(actor=recipient, notification=notification)
    assert selectors.unread_count(recipient) == 0


def test_preferences_default_to_every_mail_until_chosen():
    user = UserFactory()
    assert selectors.preference_of(user).email_answer is True
    assert not NotificationPreference.objects.filter(user=user).exists()
    services.preference_update(actor=user, email_answer=False)
    assert selectors.preference_of(user).email_answer is False
