"""The certificate's PDF, what happens without its font, and the retention command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from sangsaeng.talent import certificates, services
from sangsaeng.talent.models import PlacementRound, RoundParticipant
from tests.factories import PASSWORD, PlacementRoundFactory
from tests.talent.conftest import past


@pytest.fixture
def certificate(world):
    enrolment = services.enrol(actor=world.consenting.person.user, course=world.course)
    (issued,) = services.enrolments_complete(
        actor=world.provider, course=world.course, enrolments=[enrolment]
    )
    return issued


def test_the_pdf_carries_the_code_and_a_link_to_the_public_check(certificate, settings):
    settings.SITE_URL = "https://cluster.example"
    pdf = certificates.render_pdf(certificate)
    assert pdf.startswith(b"%PDF-")
    assert f"Certificate {certificate.code}".encode() in pdf  # the document's title
    assert certificates.verification_url(certificate, "ko") == (
        f"https://cluster.example/ko/talent/verify/?code={certificate.code}"
    )


def test_without_the_korean_font_the_download_says_which_package_to_install(
    client, world, certificate, monkeypatch, tmp_path
):
    monkeypatch.setattr(certificates, "FONT_DIRS", (tmp_path,))
    with pytest.raises(certificates.FontMissing, match="fonts-nanum"):
        certificates.render_pdf(certificate)
    assert client.login(username=world.consenting.person.user.username, password=PASSWORD)
    with translation.override("ko"):
        url = reverse("talent:certificate_pdf", args=[certificate.pk])
    response = client.get(url)
    assert response.status_code == 503
    assert "fonts-nanum" in response.content.decode()


def test_the_retention_command_clears_rounds_finished_long_ago(world, settings):
    settings.TALENT_RETENTION_DAYS = 30
    old = PlacementRoundFactory(
        status="closed",
        closed_at=timezone.now() - datetime.timedelta(days=31),
        students_deadline=past(60),
        companies_deadline=past(59),
    )
    recent = PlacementRoundFactory(
        status="closed",
        closed_at=timezone.now() - datetime.timedelta(days=2),
        students_deadline=past(10),
        companies_deadline=past(9),
    )
    for placement_round in (old, recent):
        RoundParticipant.objects.create(round=placement_round, student=world.consenting.person)
    out = StringIO()
    call_command("talent_retention", stdout=out)
    assert "1 rounds finished more than 30 days ago" in out.getvalue()
    assert not RoundParticipant.objects.filter(round=old).exists()
    assert RoundParticipant.objects.filter(round=recent).exists()
    assert PlacementRound.objects.get(pk=old.pk).personal_data_removed_at is not None
    scheduled = StringIO()
    call_command("talent_retention", "--schedule", stdout=scheduled)
    # The tests' immediate backend cannot run a task later: the command says so.
    assert "cron" in scheduled.getvalue()


def test_the_nightly_sweep_runs_at_three_in_the_morning_in_seoul():
    from sangsaeng.talent.tasks import SEOUL, next_sweep_time

    before = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=SEOUL)
    after = datetime.datetime(2026, 3, 1, 3, 0, tzinfo=SEOUL)
    assert next_sweep_time(before) == datetime.datetime(2026, 3, 1, 3, 0, tzinfo=SEOUL)
    assert next_sweep_time(after) == datetime.datetime(2026, 3, 2, 3, 0, tzinfo=SEOUL)
