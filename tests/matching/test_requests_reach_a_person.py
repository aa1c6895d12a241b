"""A contact request always reaches a person: the expert's account; for an expert without
one, an invitation by e-mail to claim the profile (with a secret link that expires), else
their organisation's admins; the cluster office when nobody answers for the party. The
sender is told which and when the request lapses, and lapsed requests tell their sender."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import ProfileClaim
from sangsaeng.matching import services
from sangsaeng.matching.models import Match
from sangsaeng.matching.parties import Party
from sangsaeng.matching.tasks import lapse_overdue_requests
from sangsaeng.notifications.models import Notification
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

SITE = "https://cluster.example"
MESSAGE = "검증 환경 구축을 함께 논의하고 싶습니다. 다음 주에 통화 가능하실까요?"


@pytest.fixture(autouse=True)
def site_address():
    with override_settings(SITE_URL=SITE):
        yield


def _request(cluster, need, person, django_capture_on_commit_callbacks) -> Match:
    with django_capture_on_commit_callbacks(execute=True):
        return services.contact_request(
            actor=cluster.poster, need=need, party=Party.of(person), message=MESSAGE
        )


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_an_expert_with_an_account_gets_the_request_and_its_date(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    match = _request(
        cluster, korean_need, cluster.verification_expert, django_capture_on_commit_callbacks
    )
    assert match.routed_to == Match.Route.ACCOUNT
    assert timezone.now() + datetime.timedelta(days=13) < match.lapses_at
    assert match.lapses_at < timezone.now() + datetime.timedelta(days=15)
    notification = Notification.objects.get(recipient=cluster.expert_user, kind="contact_request")
    assert notification.context["message"] == MESSAGE


def test_an_expert_without_an_account_is_invited_by_mail_to_claim_the_profile(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    unclaimed = PersonFactory(
        organisation=cluster.university,
        name_ko="최설계",
        name_en="Seolgye Choi",
        email="seolgye.choi@sejong.example",
    )
    mail.outbox.clear()
    match = _request(cluster, korean_need, unclaimed, django_capture_on_commit_callbacks)
    assert match.routed_to == Match.Route.CLAIM_INVITATION
    # Nobody on the platform answers for them: the mail is the way the request reaches them.
    assert not Notification.objects.filter(kind="contact_request").exists()
    invitation = next(m for m in mail.outbox if m.to == ["seolgye.choi@sejong.example"])
    assert "판교칩스" in invitation.subject
    assert MESSAGE in invitation.body  # the sender's own words
    lapse_date = timezone.localtime(match.lapses_at).date().isoformat()
    assert lapse_date in invitation.body
    links = _links(invitation.body)
    assert links and all(link.startswith(f"{SITE}/") for link in links)
    claim = ProfileClaim.objects.get(person=unclaimed)
    assert claim.expires_at == match.lapses_at
    token = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert claim.token_hash == ProfileClaim.hash(token) and token not in claim.token_hash

    # The sender is told where the request went and when it lapses, never the address.
    poster = Client()
    poster.force_login(cluster.poster)
    page = poster.get(reverse("matching:match_detail", args=[match.pk])).content.decode()
    assert "최설계 님은 아직 계정이 없어" in page
    assert lapse_date in page
    assert "seolgye.choi@sejong.example" not in page

    # The expert signs up from the link, claims the profile and answers the request.
    expert = Client()
    link_path = links[0].removeprefix(SITE)
    assert "This is me" not in expert.get(link_path).content.decode()
    signup = expert.post(
        f"{reverse('account_signup')}?next={link_path}",
        {
            "email": "seolgye@gmail.example",
            "display_name": "최설계",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agree_privacy": "on",
            "agree_terms": "on",
            "next": link_path,
        },
    )
    assert signup.status_code == 302 and signup["Location"] == link_path
    claimed = expert.post(link_path, follow=True)
    assert claimed.status_code == 200
    unclaimed.refresh_from_db()
    assert unclaimed.user is not None and unclaimed.user.email == "seolgye@gmail.example"
    answer = expert.post(
        reverse("matching:match_answer", args=[match.pk]),
        {"decision": "accept", "note": "좋습니다. 화요일 오후에 통화해요."},
    )
    assert answer.status_code == 302
    assert Match.objects.get(pk=match.pk).state == Match.State.ACCEPTED
    # The link works once.
    again = Client()
    again.force_login(UserFactory())
    assert again.post(link_path).status_code == 400


def test_an_expired_link_claims_nothing(cluster, korean_need, django_capture_on_commit_callbacks):
    unclaimed = PersonFactory(organisation=cluster.university, email="late@sejong.example")
    mail.outbox.clear()
    _request(cluster, korean_need, unclaimed, django_capture_on_commit_callbacks)
    link = _links(mail.outbox[-1].body)[0].removeprefix(SITE)
    ProfileClaim.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=15),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    client = Client()
    client.force_login(UserFactory())
    page = client.get(link).content.decode()
    assert "만료" in page
    assert client.post(link).status_code == 400
    unclaimed.refresh_from_db()
    assert unclaimed.user is None


def test_an_expert_without_account_or_address_is_answered_for_by_their_organisation(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    unreachable = PersonFactory(organisation=cluster.university, email="", name_ko="한무명")
    match = _request(cluster, korean_need, unreachable, django_capture_on_commit_callbacks)
    assert match.routed_to == Match.Route.ORGANISATION_ADMINS
    notification = Notification.objects.get(recipient=cluster.lab_admin, kind="contact_request")
    admin = Client()
    admin.force_login(cluster.lab_admin)
    notifications = admin.get(reverse("notifications:list")).content.decode()
    assert "한무명 님에게 연락을 요청했습니다" in notifications
    assert notification.link == match.get_absolute_url()
    admin.post(reverse("matching:match_answer", args=[match.pk]), {"decision": "decline"})
    assert Match.objects.get(pk=match.pk).state == Match.State.DECLINED


def test_when_nobody_answers_for_the_party_the_cluster_office_does(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    lonely_org = OrganisationFactory(name_ko="외딴연구소")
    nobody = PersonFactory(organisation=lonely_org, email="")
    operator = OperatorFactory()
    match = _request(cluster, korean_need, nobody, django_capture_on_commit_callbacks)
    assert match.routed_to == Match.Route.CLUSTER_OFFICE
    assert Notification.objects.filter(recipient=operator, kind="contact_request").exists()
    poster = Client()
    poster.force_login(cluster.poster)
    page = poster.get(reverse("matching:match_detail", args=[match.pk])).content.decode()
    assert "클러스터 사무국" in page


def test_a_request_nobody_answers_lapses_and_its_sender_is_told(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    match = _request(
        cluster, korean_need, cluster.verification_expert, django_capture_on_commit_callbacks
    )
    mail.outbox.clear()
    assert lapse_overdue_requests.call() == 0  # not yet due
    Match.objects.filter(pk=match.pk).update(lapses_at=timezone.now() - datetime.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert lapse_overdue_requests.call() == 1
    match.refresh_from_db()
    assert match.state == Match.State.LAPSED
    told = Notification.objects.get(recipient=cluster.poster, kind="request_lapsed")
    assert told.link == match.get_absolute_url()
    assert any(cluster.poster.email in m.to and "기한" in m.subject for m in mail.outbox)
    # The expert can no longer answer; the poster may ask again.
    with pytest.raises(ValidationError):
        services.match_answer(actor=cluster.expert_user, match=match, accept=True)
    poster = Client()
    poster.force_login(cluster.poster)
    page = poster.get(reverse("matching:match_detail", args=[match.pk])).content.decode()
    assert "기한 안에 답이 없어" in page and "다시 요청하기" in page
    again = _request(
        cluster, korean_need, cluster.verification_expert, django_capture_on_commit_callbacks
    )
    assert again.state == Match.State.REQUESTED and again.lapses_at > timezone.now()


def test_the_api_says_where_a_request_went_and_when_it_lapses(cluster, korean_need):
    from tests.api.conftest import ApiClient

    unclaimed = PersonFactory(organisation=cluster.university, email="x@sejong.example")
    response = ApiClient(cluster.poster).post(
        f"/api/needs/{korean_need.pk}/requests", {"person": unclaimed.slug, "message": MESSAGE}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["routed_to"] == "claim_invitation"
    assert body["lapses_at"]
    assert "x@sejong.example" not in response.content.decode()


def test_an_organisation_admin_answers_for_an_organisation(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = services.contact_request(
            actor=cluster.poster,
            need=korean_need,
            party=Party.of(cluster.university),
            message=MESSAGE,
        )
    assert match.routed_to == Match.Route.ORGANISATION_ADMINS
    admins = Membership.objects.filter(organisation=cluster.university, role="admin")
    assert Notification.objects.filter(
        recipient__in=[m.user for m in admins], kind="contact_request"
    ).exists()
