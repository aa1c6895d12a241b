"""The talent loops through the JSON API, and its refusals of bad input in the caller's
language with nothing saved."""

from __future__ import annotations

import datetime

from sangsaeng.talent.models import Enrolment, Opening, PlacementRound, StudentChoice
from tests.api.conftest import ApiClient
from tests.talent.conftest import open_round, past


def test_enrol_complete_and_check_the_certificate_through_the_api(world):
    student = ApiClient(world.consenting.person.user)
    response = student.post(f"/api/talent/courses/{world.course.pk}/enrol", {})
    assert response.status_code == 201, response.content
    enrolment_id = response.json()["id"]
    again = ApiClient(world.consenting.person.user, language="ko").post(
        f"/api/talent/courses/{world.course.pk}/enrol", {}
    )
    assert again.status_code == 400
    assert again.json()["errors"]["__all__"] == ["이미 이 과정에 수강 신청했습니다."]

    provider = ApiClient(world.provider)
    roster = provider.get(f"/api/talent/courses/{world.course.pk}/roster").json()
    assert [entry["student"] for entry in roster] == ["Haeun Kang"]
    done = provider.post(
        f"/api/talent/courses/{world.course.pk}/complete", {"enrolments": [enrolment_id]}
    )
    assert done.status_code == 200, done.content
    code = done.json()[0]["code"]
    check = ApiClient(None).get("/api/talent/certificates/verify", {"code": code, "name": "강하은"})
    assert check.json() | {"completed_on": None} == {
        "code": code,
        "valid": True,
        "course_title": world.course.title_en,
        "provider_name": "Sejong University",
        "completed_on": None,
        "hours": 40,
        "holder_masked": "강*은",
        "name_matches": True,
    }
    assert ApiClient(None).get("/api/talent/certificates/verify", {"code": "X"}).status_code == 404


def test_a_full_course_refuses_unless_waiting_is_asked_for(world):
    from tests.factories import StudentProfileFactory

    for _ in range(2):
        ApiClient(StudentProfileFactory().person.user).post(
            f"/api/talent/courses/{world.course.pk}/enrol", {}
        )
    client = ApiClient(world.consenting.person.user, language="ko")
    full = client.post(f"/api/talent/courses/{world.course.pk}/enrol", {})
    assert full.status_code == 400
    assert full.json()["errors"]["__all__"] == [
        "이 과정은 정원이 찼습니다. 대기자 명단에 오를 수 있습니다."
    ]
    waiting = client.post(f"/api/talent/courses/{world.course.pk}/enrol", {"join_waitlist": True})
    assert waiting.json()["status"] == "waitlisted" and waiting.json()["waitlist_position"] == 1
    assert Enrolment.objects.filter(course=world.course).count() == 3


def test_an_opening_without_positions_is_refused_in_korean(world):
    response = ApiClient(world.company_member, language="ko").post(
        "/api/talent/openings",
        {"company": world.company.slug, "kind": "internship", "title_ko": "검증", "positions": 0},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"positions": ["공고에는 한 자리 이상이 있어야 합니다."]}
    assert not Opening.objects.filter(title_ko="검증").exists()


def test_profile_and_consents_through_the_api(world):
    from tests.factories import UserFactory

    user = UserFactory()
    client = ApiClient(user)
    refused = client.post("/api/talent/profile", {"consent_to_profile": False, "name_ko": "이"})
    assert refused.status_code == 400 and "consent_to_profile" in refused.json()["errors"]
    created = client.post(
        "/api/talent/profile",
        {
            "consent_to_profile": True,
            "name_ko": "이학생",
            "organisation": world.university.slug,
            "skills": ["verification"],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["shares_with_companies"] is False
    given = client.post("/api/talent/consents", {"purpose": "talent_companies", "given": True})
    assert given.status_code == 200
    consents = client.get("/api/talent/consents").json()
    assert {c["purpose"] for c in consents} == {"talent_profile", "talent_companies"}
    assert client.get("/api/talent/profile").json()["shares_with_companies"] is True
    assert client.delete("/api/talent/profile").status_code == 204
    assert client.get("/api/talent/profile").status_code == 404


def test_rank_match_and_answer_through_the_api(world, django_capture_on_commit_callbacks):
    placement_round = open_round(world, max_choices=1)
    student = ApiClient(world.consenting.person.user, language="ko")
    not_joined = student.put(
        f"/api/talent/rounds/{placement_round.pk}/choices", {"openings": [world.opening.pk]}
    )
    assert not_joined.status_code == 400
    assert "참여하고 있지 않습니다" in not_joined.json()["errors"]["__all__"][0]
    assert student.post(f"/api/talent/rounds/{placement_round.pk}/join").status_code == 201
    too_many = student.put(
        f"/api/talent/rounds/{placement_round.pk}/choices",
        {"openings": [world.opening.pk, world.other_opening.pk]},
    )
    assert too_many.status_code == 400
    saved = student.put(
        f"/api/talent/rounds/{placement_round.pk}/choices", {"openings": [world.opening.pk]}
    )
    assert saved.json() == [{"opening": world.opening.pk, "rank": 1}]

    company = ApiClient(world.company_member)
    applicants = company.get(
        f"/api/talent/rounds/{placement_round.pk}/openings/{world.opening.pk}/applicants"
    ).json()
    assert [a["student"]["name"] for a in applicants] == ["Haeun Kang"]
    assert "rank" in applicants[0] and applicants[0]["rank"] is None
    ranked = company.put(
        f"/api/talent/rounds/{placement_round.pk}/openings/{world.opening.pk}/ranking",
        {"students": [world.consenting.pk]},
    )
    assert ranked.status_code == 200 and ranked.json()[0]["rank"] == 1

    operator = ApiClient(world.operator)
    early = operator.post(f"/api/talent/rounds/{placement_round.pk}/match")
    assert early.status_code == 400
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    late = student.put(
        f"/api/talent/rounds/{placement_round.pk}/choices", {"openings": [world.other_opening.pk]}
    )
    assert late.status_code == 400 and "마감" in late.json()["errors"]["__all__"][0]
    assert StudentChoice.objects.get().opening == world.opening
    with django_capture_on_commit_callbacks(execute=True):
        started = operator.post(f"/api/talent/rounds/{placement_round.pk}/match")
    assert started.status_code == 202
    run = operator.get(f"/api/talent/runs/{started.json()['id']}").json()
    assert run["finished"] and run["summary"]["placed"] == 1
    report = operator.get(f"/api/talent/rounds/{placement_round.pk}/report").json()
    assert report[0]["choice_counts"] == {"1": 1} and report[0]["unplaced"] == 0

    (result,) = student.get(f"/api/talent/rounds/{placement_round.pk}/results").json()
    assert result["opening"] == world.opening.pk and result["offer"] == "pending"
    accepted = student.post(f"/api/talent/results/{result['id']}/answer", {"accept": True})
    assert accepted.json()["offer"] == "accepted"
    outcomes = operator.get("/api/talent/outcomes").json()
    company_row = next(r for r in outcomes["by_organisation"] if r["key"] == world.company.pk)
    assert company_row["hosted"] == 1


def test_openings_for_me_come_with_reasons(world):
    fits = ApiClient(world.consenting.person.user).get("/api/talent/openings/for-me").json()
    assert fits[0]["opening"]["id"] == world.opening.pk
    assert [s["code"] for s in fits[0]["reasons"]["shared_skills"]] == ["verification"]


def test_the_openapi_schema_lists_the_talent_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/talent/courses",
        "/api/talent/certificates/verify",
        "/api/talent/profile",
        "/api/talent/openings/for-me",
        "/api/talent/rounds/{round_id}/choices",
        "/api/talent/rounds/{round_id}/match",
        "/api/talent/outcomes",
    ):
        assert path in paths, path


def test_dates_of_a_round_come_in_utc(world):
    placement_round = open_round(world)
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        companies_deadline=datetime.datetime(2030, 1, 2, tzinfo=datetime.UTC),
    )
    body = ApiClient(None).get(f"/api/talent/rounds/{placement_round.pk}").json()
    assert body["students_deadline"].startswith("2030-01-01T00:00:00")
