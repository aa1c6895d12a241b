"""A student's profile without consent never reaches a company: not on a page, not in the
API, not in search, not in a notification. Consent given shows it to recruiting companies;
consent withdrawn hides it again; applying shows it to the company applied to, only."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sangsaeng.core.selectors import NotFound
from sangsaeng.notifications.models import Notification
from sangsaeng.search.selectors import search_everything
from sangsaeng.talent import ranking, selectors, services
from sangsaeng.talent.models import PlacementRound
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD
from tests.talent.conftest import open_round, past

SECRET = "Zanzibarite"  # only in the private student's own words


def _everything_a_company_can_read(world, user) -> str:
    """Every page, API answer and search result about students a company member can reach."""
    client = ApiClient(user)
    parts = [
        client.get(f"/api/talent/openings/{world.opening.pk}/students").content.decode(),
        client.get(f"/api/talent/openings/{world.other_opening.pk}/students").content.decode(),
        client.get("/api/search", {"q": SECRET}).content.decode(),
        client.get("/api/search", {"q": "photonic layout"}).content.decode(),
        client.get("/api/people", {"kind": "student"}).content.decode(),
    ]
    for profile in (world.consenting, world.private):
        parts.append(client.get(f"/api/talent/students/{profile.pk}").content.decode())
    for hit in search_everything(user, query=f"{SECRET} photonic layout"):
        parts.append(hit.title)
    parts += [fit.student.name for fit in ranking.students_for_opening(user, world.opening)]
    return "\n".join(parts)


def test_a_private_profile_reaches_no_company_anywhere(client, world):
    seen = _everything_a_company_can_read(world, world.company_member)
    # The consenting student is there: the probe does find students.
    assert "Haeun Kang" in seen
    assert "비공개학생" not in seen and "Quietly Private" not in seen and SECRET not in seen
    with pytest.raises(NotFound):
        selectors.profile_get(user=world.company_member, pk=world.private.pk)
    assert client.login(username=world.company_member.username, password=PASSWORD)
    page = client.get(reverse("talent:student_detail", args=[world.private.pk]))
    assert page.status_code == 404
    assert client.get(reverse("talent:student_cv", args=[world.private.pk])).status_code == 404
    search_page = client.get(reverse("search:search"), {"q": SECRET}).content.decode()
    assert "비공개학생" not in search_page


def test_no_student_is_public_and_no_contact_detail_leaves(world):
    anonymous = ApiClient(None)
    assert anonymous.get(f"/api/talent/students/{world.consenting.pk}").status_code == 401
    body = anonymous.get("/api/search", {"q": "SystemVerilog UVM 검증"}).content.decode()
    assert "강하은" not in body
    company_view = ApiClient(world.company_member).get(
        f"/api/talent/students/{world.consenting.pk}"
    )
    assert company_view.status_code == 200
    assert world.consenting.person.user.email not in company_view.content.decode()
    assert "email" not in json.loads(company_view.content)


def test_consent_given_shows_and_withdrawn_hides(world):
    private_user = world.private.person.user
    assert (
        not selectors.consenting_profiles(world.company_member).filter(pk=world.private.pk).exists()
    )
    services.consent_give(actor=private_user, purpose="talent_companies")
    assert selectors.profile_get(user=world.company_member, pk=world.private.pk)
    services.consent_withdraw(actor=private_user, purpose="talent_companies")
    with pytest.raises(NotFound):
        selectors.profile_get(user=world.company_member, pk=world.private.pk)


def test_a_company_without_an_open_opening_sees_no_consenting_student(world):
    world.other_opening.status = "closed"
    world.other_opening.save()
    with pytest.raises(NotFound):
        selectors.profile_get(user=world.other_admin, pk=world.consenting.pk)


def test_applying_shows_the_profile_to_that_company_only(world):
    placement_round = open_round(world)
    user = world.private.person.user
    services.round_join(actor=user, placement_round=placement_round)
    services.choices_set(actor=user, placement_round=placement_round, openings=[world.opening])
    assert selectors.profile_get(user=world.company_member, pk=world.private.pk)
    with pytest.raises(NotFound):
        selectors.profile_get(user=world.other_admin, pk=world.private.pk)
    # Applying is not consenting: the student is still not among "students who may fit".
    names = [
        fit.student.name
        for fit in ranking.students_for_opening(world.company_member, world.opening)
    ]
    assert "비공개학생" not in names


def test_no_notification_to_a_company_names_a_student_who_did_not_apply(
    world, django_capture_on_commit_callbacks
):
    placement_round = open_round(world)
    applicant = world.consenting.person.user
    services.round_join(actor=applicant, placement_round=placement_round)
    services.choices_set(actor=applicant, placement_round=placement_round, openings=[world.opening])
    services.round_join(actor=world.private.person.user, placement_round=placement_round)
    services.choices_set(
        actor=world.private.person.user,
        placement_round=placement_round,
        openings=[world.other_opening],
    )
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.match_start(actor=world.operator, placement_round=placement_round)
    for result in placement_round.results.filter(opening__isnull=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.offer_answer(actor=result.student.user, result=result, accept=True)
    company_notes = Notification.objects.filter(
        recipient__in=[world.company_admin, world.company_member]
    )
    assert company_notes.exists()
    text = json.dumps([n.context for n in company_notes], ensure_ascii=False)
    assert "강하은" in text  # the applicant who accepted company A's offer
    assert "비공개학생" not in text and "Quietly Private" not in text
