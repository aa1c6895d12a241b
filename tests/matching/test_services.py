"""The matching services called directly, as every page, the API and the demo call them."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sangsaeng.matching import services
from sangsaeng.matching.models import Match, MatchEvent, MatchingRun, Need
from sangsaeng.matching.parties import Party
from tests.matching.conftest import KOREAN_NEED

State = Match.State
# What each workflow step is asked to do, and the state it leads to.
STEPS = {
    "request": State.REQUESTED,
    "accept": State.ACCEPTED,
    "decline": State.DECLINED,
    "lapse": State.LAPSED,
    "project": State.PROJECT,
}
TABLE = [
    pytest.param(state, step, STEPS[step] in services.TRANSITIONS[state], id=f"{state}-{step}")
    for state in State.values
    for step in STEPS
]


@pytest.fixture
def need(cluster) -> Need:
    return services.need_create(
        actor=cluster.poster, organisation=cluster.company, start_matching=False, **KOREAN_NEED
    )


def _take(step: str, cluster, match: Match) -> Match:
    if step == "request":
        return services.contact_request(
            actor=cluster.poster,
            need=match.need,
            party=match.party,
            message="함께 검증해 주실 수 있을까요?",
        )
    if step in ("accept", "decline"):
        return services.match_answer(
            actor=cluster.expert_user, match=match, accept=step == "accept", note="네"
        )
    if step == "lapse":
        # The scheduled task lapses what is overdue; only a waiting request can be.
        Match.objects.filter(pk=match.pk).update(lapses_at=timezone.now())
        if services.requests_lapse(actor=None) == 0:
            raise ValidationError("nothing lapsed")
        return Match.objects.get(pk=match.pk)
    return services.project_create(
        actor=cluster.poster, match=match, title="공동 검증", start_date=datetime.date(2026, 5, 4)
    ).match


@pytest.mark.parametrize(("state", "step", "allowed"), TABLE)
def test_the_workflow_takes_exactly_the_steps_of_its_transition_table(
    cluster, need, state, step, allowed
):
    # A request waiting for an answer has a date it lapses on (a database constraint).
    lapses_at = timezone.now() + datetime.timedelta(days=3) if state == State.REQUESTED else None
    match = Match.objects.create(
        need=need, person=cluster.verification_expert, state=state, lapses_at=lapses_at
    )
    if allowed:
        moved = _take(step, cluster, match)
        moved.refresh_from_db()
        assert moved.state == STEPS[step]
        event = MatchEvent.objects.get(match=match, to_state=STEPS[step])
        assert event.from_state == state
    else:
        with pytest.raises(ValidationError):
            _take(step, cluster, match)
        match.refresh_from_db()
        assert match.state == state
        assert not MatchEvent.objects.filter(match=match).exists()


def test_a_step_names_its_actor_in_the_audit_log(cluster, need):
    match = Match.objects.create(need=need, person=cluster.verification_expert)
    _take("request", cluster, match)
    entry = LogEntry.objects.get_for_object(match).order_by("-timestamp").first()
    assert entry is not None and entry.actor == cluster.poster


def test_posting_for_another_organisation_is_refused_and_saves_nothing(cluster):
    with pytest.raises(PermissionDenied):
        services.need_create(actor=cluster.other_admin, organisation=cluster.company, **KOREAN_NEED)
    assert not Need.objects.exists()


def test_a_refused_need_leaves_no_run_behind(cluster):
    with pytest.raises(ValidationError) as refused:
        services.need_create(
            actor=cluster.poster, organisation=cluster.company, **{**KOREAN_NEED, "title": " "}
        )
    assert "title" in refused.value.message_dict
    assert not Need.objects.exists() and not MatchingRun.objects.exists()


def test_only_who_may_change_a_need_restarts_its_matching(cluster, need):
    # A plain colleague of the poster reads the need but does not change it.
    for outsider in (cluster.other_admin, cluster.colleague):
        with pytest.raises(PermissionDenied):
            services.matching_start(actor=outsider, need=need)
    run = services.matching_start(actor=cluster.poster, need=need)
    assert run.need == need and run.status == MatchingRun.Status.QUEUED


def test_interest_is_expressed_for_ones_own_profile_only(cluster, need):
    with pytest.raises(PermissionDenied):
        services.interest_express(
            actor=cluster.lab_admin, need=need, party=Party.of(cluster.verification_expert)
        )
    match = services.interest_express(
        actor=cluster.expert_user, need=need, party=Party.of(cluster.verification_expert)
    )
    assert match.interest_expressed_at is not None
    with pytest.raises(ValidationError):
        services.interest_express(
            actor=cluster.expert_user, need=need, party=Party.of(cluster.verification_expert)
        )


def test_a_party_is_one_of_a_person_and_an_organisation(cluster):
    with pytest.raises(ValueError):
        Party()
    with pytest.raises(ValueError):
        Party(person=cluster.verification_expert, organisation=cluster.university)
    party = Party.of(cluster.analog_expert)
    assert party.key == f"person:{cluster.analog_expert.pk}"
    assert Party.parse(party.key) == ("person", cluster.analog_expert.pk)
    assert party.home_organisation == cluster.university
    # An expert without an account is answered for by their organisation's admins.
    assert party.answering_users() == [cluster.lab_admin]
    assert Party.of(cluster.verification_expert).answering_users() == [cluster.expert_user]
    for bad in ("person", "person:", "people:3", "organisation:x", ""):
        with pytest.raises(ValueError):
            Party.parse(bad)
