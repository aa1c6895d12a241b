"""Notifications: the list, the unread count, marking read, and the e-mail preferences."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import translation

from sangsaeng.notifications.models import Notification, NotificationPreference
from sangsaeng.notifications.services import notify
from tests.factories import UserFactory


def setup_function() -> None:
    translation.activate("ko")


def test_unread_count_list_and_mark_read(client, db, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[user],
            kind="answer",
            context={"need": "NPU 검증", "party": "세종대학교", "accepted": True},
            link="/ko/needs/",
        )
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "세종대학교가 “NPU 검증” 건의 연락 요청을 수락했습니다." in page
    assert 'id="unread-count">1<' in page
    notification = Notification.objects.get()
    client.post(reverse("notifications:read", args=[notification.pk]))
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'id="unread-count"' not in page
    assert len(mail.outbox) == 1
    assert "수락했습니다" in mail.outbox[0].subject
    # One language, the recipient's (Korean until they use the site in English).
    assert "accepted your contact request" not in mail.outbox[0].body


def test_a_user_who_turned_answer_mails_off_gets_none(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    client.post(
        reverse("notifications:preferences"),
        {"email_new_match": "on", "email_contact_request": "on"},
    )
    assert NotificationPreference.objects.get(user=user).email_answer is False
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="answer", context={"need": "x", "party": "y"})
        notify(recipients=[user], kind="new_match", context={"need": "x", "role": "party"})
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=user).count() == 2


def test_nobody_marks_another_users_notification_read(client, db):
    owner, other = UserFactory(), UserFactory()
    (notification,) = notify(recipients=[owner], kind="answer", context={})
    client.force_login(other)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
