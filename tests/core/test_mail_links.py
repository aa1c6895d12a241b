"""Every mail the platform sends carries absolute links from the site's address that open the
right page for its recipient, names the platform (never the host it was asked from), and is
written in the recipient's language only.

One walk through the loop sends every kind of mail: sign-up confirmation and password reset
(django-allauth), an invitation to an organisation, an invitation to claim a profile, and a
notification of every kind (new matches, a contact request, interest, an answer, a message,
a joint project, a lapsed request, a decision on a registration).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.services import organisation_create, organisation_decide
from sangsaeng.matching import services
from sangsaeng.matching.models import Match, Need
from sangsaeng.matching.parties import Party
from sangsaeng.matching.tasks import lapse_overdue_requests
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
)

SITE = "https://cluster.example"
LINK = re.compile(r"https?://[^\s<>\"']+")
NEED = {
    "kind": Need.Kind.PARTNER_SEARCH,
    "title": "RISC-V NPU 검증 파트너",
    "description": "RISC-V 기반 NPU 서브시스템의 UVM 검증과 형식 검증을 함께할 연구실을 찾습니다.",
}


@pytest.fixture(autouse=True)
def site_address():
    with override_settings(SITE_URL=SITE):
        yield


@pytest.fixture
def every_mail(db, django_capture_on_commit_callbacks) -> list[mail.EmailMessage]:
    mail.outbox.clear()
    run = django_capture_on_commit_callbacks
    company = OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    poster = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    university = OrganisationFactory(kind="university", name_ko="세종대학교")
    lab_admin = MembershipFactory(organisation=university, role=Membership.Role.ADMIN).user
    expert_user = UserFactory(language="en")
    expert = PersonFactory(
        user=expert_user,
        organisation=university,
        name_ko="이검증",
        name_en="Grace Lee",
        profile_text="Functional and formal verification of RISC-V NPUs with UVM.",
        expertise_keywords=["RISC-V", "NPU", "UVM"],
    )
    PublicationFactory(person=expert, title="UVM verification of a RISC-V NPU")
    unclaimed = PersonFactory(organisation=university, email="unclaimed@sejong.example")
    client = Client()
    with run(execute=True):
        # allauth: the sign-up confirmation, then a password reset.
        client.post(
            "/ko/accounts/signup/",
            {
                "email": "newcomer@example.org",
                "display_name": "오민지",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "agree_privacy": "on",
                "agree_terms": "on",
            },
        )
        Client().post("/en/accounts/password/reset/", {"email": expert_user.email})
        # An invitation to join an organisation.
        admin = Client()
        admin.force_login(poster)
        admin.post(
            f"/ko/accounts/organisations/{company.slug}/members/",
            {"email": "colleague@example.org", "role": "member"},
        )
        # A need, its matches, a request, interest, an answer, a message, a project.
        need = services.need_create(actor=poster, organisation=company, **NEED)
    with run(execute=True):
        request = services.contact_request(
            actor=poster, need=need, party=Party.of(expert), message="화요일에 통화할까요?"
        )
        services.contact_request(
            actor=poster, need=need, party=Party.of(unclaimed), message="함께하실까요?"
        )
        services.interest_express(actor=lab_admin, need=need, party=Party.of(university))
    with run(execute=True):
        services.match_answer(actor=expert_user, match=request, accept=True, note="Gladly.")
        services.conversation_post(actor=poster, match=request, body="다음 주 화요일 어떠세요?")
        services.project_create(
            actor=poster, match=request, title="공동 검증", start_date=datetime.date(2026, 5, 4)
        )
    with run(execute=True):
        Match.objects.filter(person=unclaimed).update(lapses_at=timezone.now())
        lapse_overdue_requests.call()
        newcomer = User.objects.get(email="newcomer@example.org")
        pending = organisation_create(actor=newcomer, kind="company", name_ko="퀼론포토닉스")
        organisation_decide(
            actor=OperatorFactory(), organisation=pending, approve=False, reason="소재지 확인 필요"
        )
    return list(mail.outbox)


def test_every_kind_of_mail_is_sent(every_mail):
    subjects = " / ".join(message.subject for message in every_mail)
    for expected in ("판교칩스", "wrote about", "수락", "기한", "가입", "초대", "Password"):
        assert expected in subjects or any(expected in m.body for m in every_mail), expected
    assert len(every_mail) >= 10


def test_every_link_in_every_mail_is_absolute_and_opens_its_page(every_mail):
    checked = 0
    for message in every_mail:
        links = LINK.findall(message.body)
        assert links, message.subject
        recipient = User.objects.filter(email__in=message.to).first()
        for link in links:
            assert link.startswith(f"{SITE}/"), (message.subject, link)
            client = Client()
            if recipient is not None:
                client.force_login(recipient)
            response = client.get(link.removeprefix(SITE), follow=True)
            assert response.status_code == 200, (message.subject, link)
            assert response.redirect_chain == [] or "/login/" not in response.redirect_chain[-1][0]
            checked += 1
    assert checked >= 15


def test_mails_name_the_platform_and_speak_one_language(every_mail):
    for message in every_mail:
        text = f"{message.subject}\n{message.body}"
        assert "127.0.0.1" not in text and "testserver" not in text, message.subject
    signup = next(m for m in every_mail if m.to == ["newcomer@example.org"])
    assert "상생" in signup.subject and "상생" in signup.body
    # The English reader's mails are in English only.
    for message in every_mail:
        if message.to == [User.objects.get(language="en").email]:
            assert not re.search("[가-힣]{4,}", message.subject), message.subject


def test_the_contact_request_mail_carries_the_senders_words(every_mail):
    to_expert = [m for m in every_mail if "asks to contact you" in m.subject]
    assert to_expert and "화요일에 통화할까요?" in to_expert[0].body
    claim = next(m for m in every_mail if m.to == ["unclaimed@sejong.example"])
    assert "함께하실까요?" in claim.body
