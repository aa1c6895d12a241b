"""Attacks on students' personal data, each kept as a test: as another student, as an
anonymous visitor, as a company (pages, the API, search), and through the directory's
"listed" box (a student Person with ``is_public`` set, by an import or an older form):
neither the directory entry nor what the talent app keeps private (about text, skills, CV,
availability, courses, certificates, rounds) reaches anyone without the student's consent."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangsaeng.talent import services
from sangsaeng.talent.models import PlacementRound
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, StudentProfileFactory
from tests.talent.conftest import open_round, past

SECRET = "Zanzibarite"  # only in the private student's own words (tests/talent/conftest.py)


@pytest.fixture
def certificate(world):
    """The private student completed the course: a certificate in their name."""
    enrolment = services.enrol(actor=world.private.person.user, course=world.course)
    (issued,) = services.enrolments_complete(
        actor=world.provider, course=world.course, enrolments=[enrolment]
    )
    return issued


@pytest.fixture
def other_student(world):
    return StudentProfileFactory(
        person__organisation=world.university,
        person__name_ko="옆자리학생",
        person__name_en="Nosy Neighbour",
        companies=True,
    ).person.user


def _matched_round(world, django_capture_on_commit_callbacks):
    """A round both students ranked in, matched: the private student got company B's opening."""
    placement_round = open_round(world)
    for profile, opening in (
        (world.consenting, world.opening),
        (world.private, world.other_opening),
    ):
        user = profile.person.user
        services.round_join(actor=user, placement_round=placement_round)
        services.choices_set(actor=user, placement_round=placement_round, openings=[opening])
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.match_start(actor=world.operator, placement_round=placement_round)
    return placement_round


# --- another student ------------------------------------------------------------------


def test_another_student_reaches_no_page_of_a_private_student(client, world, other_student):
    services.student_profile_update(
        actor=world.private.person.user,
        profile=world.private,
        cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 private cv", content_type="application/pdf"),
    )
    assert client.login(username=other_student.username, password=PASSWORD)
    for name in ("talent:student_detail", "talent:student_cv"):
        assert client.get(reverse(name, args=[world.private.pk])).status_code == 404
    api = ApiClient(other_student)
    assert api.get(f"/api/talent/students/{world.private.pk}").status_code == 404
    # Consent to companies is not consent to fellow students.
    assert api.get(f"/api/talent/students/{world.consenting.pk}").status_code == 404
    people = api.get("/api/people", {"kind": "student"}).content.decode()
    assert "비공개학생" not in people and "강하은" not in people


def test_another_student_cannot_read_a_certificate_or_an_enrolment(
    client, world, other_student, certificate
):
    assert client.login(username=other_student.username, password=PASSWORD)
    assert client.get(reverse("talent:certificate_pdf", args=[certificate.pk])).status_code == 404
    mine = ApiClient(other_student).get("/api/talent/enrolments").content.decode()
    assert "비공개학생" not in mine and str(certificate.code) not in mine


def test_another_student_cannot_see_or_answer_someone_elses_offer(
    world, other_student, django_capture_on_commit_callbacks
):
    placement_round = _matched_round(world, django_capture_on_commit_callbacks)
    result = placement_round.results.get(student=world.private.person)
    api = ApiClient(other_student)
    answer = api.post(f"/api/talent/results/{result.pk}/answer", {"accept": True})
    assert answer.status_code == 404
    result.refresh_from_db()
    assert result.offer == "pending"
    assert api.get(f"/api/talent/rounds/{placement_round.pk}/results").json() == []
    assert api.get(f"/api/talent/rounds/{placement_round.pk}/report").status_code == 404


# --- anonymous --------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_no_student(client, world, certificate):
    for name in ("talent:student_detail", "talent:student_cv"):
        response = client.get(reverse(name, args=[world.consenting.pk]))
        assert response.status_code in (302, 404)
        assert "강하은" not in response.content.decode()
    # The course's public page names no one enrolled.
    course_page = client.get(reverse("talent:course_detail", args=[world.course.pk]))
    assert course_page.status_code == 200
    assert "비공개학생" not in course_page.content.decode()
    assert client.get(reverse("talent:course_roster", args=[world.course.pk])).status_code == 302
    anonymous = ApiClient(None)
    assert anonymous.get(f"/api/talent/courses/{world.course.pk}/roster").status_code in (401, 404)
    assert "비공개학생" not in anonymous.get("/api/people", {"kind": "student"}).content.decode()


def test_the_public_certificate_check_never_gives_the_holders_name(client, world, certificate):
    page = client.get(reverse("talent:certificate_verify"), {"code": certificate.code})
    body = page.content.decode()
    assert page.status_code == 200
    assert world.course.title_en in body or world.course.title_ko in body
    # The hours read as hours, not a bare number.
    assert "40시간" in body or "40 hours" in body
    assert "비공개학생" not in body and "Quietly Private" not in body
    assert "noindex" in body
    api = ApiClient(None).get("/api/talent/certificates/verify", {"code": certificate.code})
    assert "비공개학생" not in api.content.decode()
    # Guessing a name answers yes or no, never the name.
    guess = ApiClient(None).get(
        "/api/talent/certificates/verify", {"code": certificate.code, "name": "김철수"}
    )
    assert guess.json()["name_matches"] is False
    assert "비공개학생" not in guess.content.decode()


def test_a_placement_round_page_names_no_participant(
    client, world, django_capture_on_commit_callbacks
):
    placement_round = _matched_round(world, django_capture_on_commit_callbacks)
    page = client.get(reverse("talent:round_detail", args=[placement_round.pk])).content.decode()
    assert "비공개학생" not in page and "강하은" not in page
    api = ApiClient(None).get(f"/api/talent/rounds/{placement_round.pk}").content.decode()
    assert "비공개학생" not in api and "강하은" not in api


# --- a company --------------------------------------------------------------------------


def test_a_company_cannot_read_another_companys_applicants_or_fits(world):
    placement_round = open_round(world)
    user = world.private.person.user
    services.round_join(actor=user, placement_round=placement_round)
    services.choices_set(
        actor=user, placement_round=placement_round, openings=[world.other_opening]
    )
    api = ApiClient(world.company_member)  # company A; the student applied to company B
    applicants = api.get(
        f"/api/talent/rounds/{placement_round.pk}/openings/{world.other_opening.pk}/applicants"
    )
    assert applicants.status_code == 404
    assert "비공개학생" not in applicants.content.decode()
    fits = api.get(f"/api/talent/openings/{world.other_opening.pk}/students")
    # Another company's opening: no student at all (the list is the opening's company's).
    assert fits.status_code == 200 and fits.json() == []
    # Ranking a student who did not apply to one's own opening is refused and names no one.
    refused = api.put(
        f"/api/talent/rounds/{placement_round.pk}/openings/{world.opening.pk}/ranking",
        {"students": [world.private.pk]},
    )
    assert refused.status_code == 400
    assert "비공개학생" not in refused.content.decode()


def test_a_company_learns_who_applied_but_not_the_rank_the_student_gave_it(world):
    placement_round = open_round(world)
    user = world.consenting.person.user
    services.round_join(actor=user, placement_round=placement_round)
    services.choices_set(
        actor=user, placement_round=placement_round, openings=[world.other_opening, world.opening]
    )
    api = ApiClient(world.company_member)
    body = api.get(
        f"/api/talent/rounds/{placement_round.pk}/openings/{world.opening.pk}/applicants"
    ).json()
    assert [row["student"]["name"] for row in body] == ["Haeun Kang"]
    # The only rank is the company's own (none yet), never the student's 2.
    assert [set(row) for row in body] == [{"student", "rank"}]
    assert body[0]["rank"] is None
    assert "choice" not in json.dumps(body)
    assert api.get(f"/api/talent/rounds/{placement_round.pk}/choices").json() == []


def test_a_company_cannot_answer_the_offer_it_made(world, django_capture_on_commit_callbacks):
    placement_round = _matched_round(world, django_capture_on_commit_callbacks)
    result = placement_round.results.get(student=world.consenting.person)
    answer = ApiClient(world.company_admin).post(
        f"/api/talent/results/{result.pk}/answer", {"accept": True}
    )
    assert answer.status_code in (403, 404)
    result.refresh_from_db()
    assert result.offer == "pending"


def test_the_students_index_is_not_reachable_through_the_search_api(world):
    for kind in ("students", "student", "talent_student"):
        body = (
            ApiClient(world.company_member)
            .get("/api/search", {"q": f"{SECRET} photonic", "kind": kind})
            .content.decode()
        )
        assert "비공개학생" not in body and SECRET not in body


def test_a_company_without_consent_sees_nothing_after_the_student_withdraws(client, world):
    """Consent withdrawn: the company's pages, API and fits forget the student at once."""
    user = world.consenting.person.user
    services.consent_withdraw(actor=user, purpose="talent_companies")
    api = ApiClient(world.company_member)
    assert api.get(f"/api/talent/students/{world.consenting.pk}").status_code == 404
    fits = api.get(f"/api/talent/openings/{world.opening.pk}/students").content.decode()
    assert "Haeun Kang" not in fits
    assert client.login(username=world.company_member.username, password=PASSWORD)
    page = client.get(reverse("talent:opening_detail", args=[world.opening.pk])).content.decode()
    assert "강하은" not in page and "Haeun Kang" not in page


# --- the directory's "listed" box ---------------------------------------------------------


@pytest.fixture
def listed_private(world):
    """The private student's directory entry says "listed" (an import, an older form) but
    the student never consented to companies."""
    person = world.private.person
    person.is_public = True
    person.save()
    services.student_profile_update(
        actor=person.user,
        profile=world.private,
        available_from=datetime.date(2027, 3, 1),
        hours_per_week=20,
        cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 private cv", content_type="application/pdf"),
    )
    enrolment = services.enrol(actor=person.user, course=world.course)
    services.enrolments_complete(actor=world.provider, course=world.course, enrolments=[enrolment])
    return world.private


def test_a_listed_student_is_not_shown_to_a_company_by_the_directory(client, world, listed_private):
    """Main's directory rule lists no student, whatever ``is_public`` holds: a company sees
    neither the directory entry nor anything the talent app keeps."""
    api = ApiClient(world.company_member)
    people = api.get("/api/people", {"kind": "student"}).content.decode()
    assert "Quietly Private" not in people and "비공개학생" not in people
    person = listed_private.person
    assert api.get(f"/api/people/{person.slug}").status_code == 404
    assert client.login(username=world.company_member.username, password=PASSWORD)
    page = client.get(reverse("directory:person_detail", args=[person.slug]))
    assert page.status_code == 404
    for seen in (people, page.content.decode()):
        assert SECRET not in seen and "cv.pdf" not in seen
    assert client.get(reverse("talent:student_detail", args=[listed_private.pk])).status_code == 404
    assert api.get(f"/api/talent/students/{listed_private.pk}").status_code == 404
    search = api.get("/api/search", {"q": f"{SECRET} photonic layout"}).content.decode()
    assert SECRET not in search and "Quietly Private" not in search


def test_a_listed_student_is_never_shown_to_anonymous_visitors(client, world, listed_private):
    person = listed_private.person
    assert client.get(reverse("directory:person_detail", args=[person.slug])).status_code == 404
    people = ApiClient(None).get("/api/people", {"kind": "student"}).content.decode()
    assert "Quietly Private" not in people and "비공개학생" not in people
    assert ApiClient(None).get(f"/api/people/{person.slug}").status_code == 404
