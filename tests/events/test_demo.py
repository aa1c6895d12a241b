"""The demo's matchmaking days: a past one told whole, and one the demo accounts can join."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.demo import events as demo_events
from sangsaeng.demo.loader import load_demo
from sangsaeng.directory.models import Person
from sangsaeng.events import selectors, services
from sangsaeng.events.models import Event, Meeting, MeetingFeedback, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo(seed=7, scale=0.1, with_needs=False)
    return demo_events.load(7)


def test_the_past_event_has_its_schedule_meetings_and_both_rounds_of_ratings(demo):
    event = Event.objects.get(slug=demo_events.PAST_SLUG)
    assert event.title_ko == "판교 AI·팹리스 매칭데이" and event.is_fictional
    participants = event.participants.filter(status="registered")
    experts = Person.objects.filter(is_fictional=True, kind="expert", user__isnull=True).count()
    # Every generated expert without an account (up to 120), and the demo admin.
    assert participants.count() == min(experts, demo_events.PAST_PARTICIPANTS) + 1
    assert event.schedule_status == "final" and event.finished_at is not None
    run = event.runs.get()
    assert run.status == "done" and run.summary["gap_to_lp_bound"] <= 1e-3
    statuses = set(Meeting.objects.filter(event=event).values_list("status", flat=True))
    assert statuses <= {"held", "no_show"} and "held" in statuses
    rounds = set(
        MeetingFeedback.objects.filter(meeting__event=event).values_list("round", flat=True)
    )
    assert rounds == {1, 2}
    outcomes = selectors.event_outcomes(
        User.objects.get(email="operator@sangsaeng.demo.example"), event
    )
    assert outcomes.held > 0 and outcomes.ratings[2]["agreement_reached"] > 0
    assert outcomes.requests >= outcomes.accepted >= outcomes.scheduled >= outcomes.held
    # The demo admin took part: their six-month rating is theirs to give.
    admin = event.participants.get(user__email=demo_events.DEMO_ADMIN_EMAIL)
    page = selectors.feedback_page(admin.user, event)
    assert page is not None and page.round == 2 and page.rows
    assert all(row.feedback is None for row in page.rows)
    assert page.earlier


def test_the_coming_event_takes_the_demo_accounts_registration_and_requests(demo):
    event = Event.objects.get(slug=demo_events.UPCOMING_SLUG)
    assert event.starts_on > timezone.localdate()
    experts = Person.objects.filter(is_fictional=True, kind="expert", user__isnull=True).count()
    assert event.participants.count() == min(experts, demo_events.UPCOMING_PARTICIPANTS)
    admin = User.objects.get(email=demo_events.DEMO_ADMIN_EMAIL)
    organisation = Membership.objects.get(user=admin).organisation
    me = services.participant_register(
        actor=admin,
        event=event,
        organisation=organisation,
        name="데모 관리자",
        participant_type=event.participant_types.get(name_en="Company"),
        items=[{"kind": "looking_for", "title": "NPU 검증 파트너", "description": "UVM 검증"}],
        consent=True,
    )
    recommended = selectors.recommendations(admin, event)
    assert recommended and all(r.participant.event_id == event.pk for r in recommended)
    assert all(r.participant.organisation_id != organisation.pk for r in recommended)
    request = services.request_send(
        actor=admin,
        event=event,
        requested_id=recommended[0].participant.pk,
        message="만나서 이야기 나누고 싶습니다.",
    )
    assert request.requester == me


def test_loading_twice_changes_nothing(demo):
    before = Participant.objects.count(), Meeting.objects.count()
    assert demo_events.load(7) == 0
    assert (Participant.objects.count(), Meeting.objects.count()) == before
