"""The events API: the whole loop, and bad input refused in the caller's language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sangsaeng.events.models import Event, Meeting, MeetingFeedback, Participant
from tests.api.conftest import ApiClient
from tests.events.conftest import World, member

pytestmark = pytest.mark.django_db


def test_register_request_accept_schedule_agenda_check_in_rate_report(
    past_event: World, django_capture_on_commit_callbacks
):
    world = past_event
    # Registration and requests happened before the deadlines; open them again for the API.
    Event.objects.filter(pk=world.event.pk).update(
        registration_deadline=timezone.now() + datetime.timedelta(minutes=5),
        request_deadline=timezone.now() + datetime.timedelta(minutes=5),
        schedule_deadline=timezone.now() + datetime.timedelta(minutes=5),
    )
    ann, ben = member(name_en="Ann Chips"), member(name_en="Ben Lab")
    ann_api, ben_api, operator = ApiClient(ann.user), ApiClient(ben.user), ApiClient(world.operator)
    slug = world.event.slug
    registered = ann_api.post(
        f"/api/events/{slug}/registration",
        {
            "organisation": ann.organisation.slug,
            "name": "Ann",
            "profile": "NPU design",
            "offers": [{"title": "NPU IP", "description": "28nm"}],
            "looking_for": [{"title": "Verification partner"}],
            "consent": True,
        },
    )
    assert registered.status_code == 201, registered.content
    body = registered.json()
    assert body["items"] == [
        {"kind": "offer", "title": "NPU IP", "description": "28nm"},
        {"kind": "looking_for", "title": "Verification partner", "description": ""},
    ]
    assert len(body["available_slots"]) == len(world.slots)
    assert ann.user.email not in registered.content.decode()
    ben_id = ben_api.post(
        f"/api/events/{slug}/registration",
        {"organisation": ben.organisation.slug, "name": "Ben", "consent": True},
    ).json()["id"]
    listed = ApiClient().get(f"/api/events/{slug}/participants").json()
    assert {p["name"] for p in listed} == {"Ann", "Ben"}
    assert all("check_in_code" not in p for p in listed)
    request = ann_api.post(
        f"/api/events/{slug}/requests",
        {"participant": ben_id, "message": "Shall we meet?", "priority": "must"},
    )
    assert request.status_code == 201, request.content
    request_id = request.json()["id"]
    assert ben_api.get(f"/api/events/{slug}/requests").json()["received"][0]["id"] == request_id
    answer = ben_api.post(
        f"/api/events/{slug}/requests/{request_id}/answer", {"accept": True, "priority": "like"}
    )
    assert answer.json()["status"] == "accepted"
    assert ann_api.post(f"/api/events/{slug}/schedule-runs").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        run = operator.post(f"/api/events/{slug}/schedule-runs")
    assert run.status_code == 201
    finished = operator.get(f"/api/events/{slug}/schedule-runs/{run.json()['id']}").json()
    assert (finished["status"], finished["scheduled"], finished["summary"]["gap_to_lp_bound"]) == (
        "done",
        1,
        0,
    )
    assert (
        operator.post(f"/api/events/{slug}/schedule/publish").json()["schedule_status"] == "final"
    )
    agenda = ann_api.get(f"/api/events/{slug}/agenda").json()
    meetings = [row for row in agenda if row["meeting"]]
    assert len(meetings) == 1 and meetings[0]["partner"]["name"] == "Ben"
    assert (
        meetings[0]["meeting"]["place"].endswith("테이블")
        or "Table" in meetings[0]["meeting"]["place"]
    )
    code = ann_api.get(f"/api/events/{slug}/registration").json()["check_in_code"]
    assert operator.post(f"/api/events/{slug}/check-in", {"code": code}).json()["checked_in_at"]
    assert ann_api.post(f"/api/events/{slug}/check-in", {"code": code}).status_code == 403
    Meeting.objects.update(status=Meeting.Status.HELD)
    meeting_id = meetings[0]["meeting"]["id"]
    rated = ann_api.post(
        f"/api/events/{slug}/meetings/{meeting_id}/feedback",
        {"outcome": "negotiation_started", "comment": "Next steps agreed"},
    )
    assert rated.json() == {
        "meeting": meeting_id,
        "round": 1,
        "outcome": "negotiation_started",
        "comment": "Next steps agreed",
    }
    assert MeetingFeedback.objects.get().participant.name == "Ann"
    report = operator.get(f"/api/events/{slug}/report").json()
    assert (report["requests"], report["accepted"], report["held"]) == (1, 1, 1)
    assert report["ratings"]["1"]["negotiation_started"] == 1
    assert ann_api.get(f"/api/events/{slug}/report").status_code == 404


def test_bad_registrations_are_refused_in_korean_and_nothing_is_saved(world: World):
    who = member()
    api = ApiClient(who.user, language="ko")
    slug = world.event.slug
    response = api.post(
        f"/api/events/{slug}/registration",
        {"organisation": who.organisation.slug, "name": " ", "consent": False},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"] == ["다른 참가자에게 보일 이름을 입력하세요."]
    assert errors["consent"] == [
        "등록하면 참가자 명단에 이름이 실립니다. 등록하려면 동의해 주세요."
    ]
    wrong_slot = api.post(
        f"/api/events/{slug}/registration",
        {
            "organisation": who.organisation.slug,
            "name": "Kim",
            "consent": True,
            "available_slots": [999999],
        },
    )
    assert wrong_slot.json()["errors"]["available_slots"] == [
        "이 행사의 미팅 시간 중에서 고르세요."
    ]
    typo = api.post(
        f"/api/events/{slug}/registration",
        {"organisation": who.organisation.slug, "name": "Kim", "consent": True, "nmae": "x"},
    )
    assert typo.status_code == 422 and "nmae" in typo.json()["errors"]
    assert not Participant.objects.exists()


def test_a_request_to_someone_not_registered_is_refused_with_the_reason(world: World):
    ann = member()
    world.register(ann, "Ann")
    gone = world.register(member(), "Gone")
    ApiClient(gone.user).delete(f"/api/events/{world.event.slug}/registration")
    response = ApiClient(ann.user, language="en").post(
        f"/api/events/{world.event.slug}/requests",
        {"participant": gone.pk, "message": "Hello"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["requested"] == [
        "This person is not registered for this event, so you cannot ask them for a meeting."
    ]


def test_the_api_of_an_event_nobody_may_see_is_a_404(world: World):
    Event.objects.filter(pk=world.event.pk).update(is_published=False)
    assert ApiClient().get(f"/api/events/{world.event.slug}").status_code == 404
    assert ApiClient(world.operator).get(f"/api/events/{world.event.slug}").status_code == 200
