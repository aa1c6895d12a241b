"""Linking an indicator to a count, entering figures by hand, and the trend that says on
track or at risk; each bad input refused with a clear message and nothing saved."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from sangsaeng.directory.models import Indicator
from sangsaeng.insights import selectors, services
from sangsaeng.insights.compute import recompute
from sangsaeng.insights.models import IndicatorPoint, IndicatorSource, RecomputeRun
from sangsaeng.matching.models import JointProject, Match, Need
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    OperatorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def joint_project(start: datetime.date) -> None:
    company = OrganisationFactory(kind="company", status="approved")
    university = OrganisationFactory(kind="university", status="approved")
    need = Need.objects.create(
        organisation=company, author=UserFactory(), kind="partner_search", title="과제"
    )
    match = Match.objects.create(need=need, organisation=university, state="project")
    JointProject.objects.create(match=match, title="p", start_date=start)


def linked(target: int, start: datetime.date, end: datetime.date) -> Indicator:
    indicator = IndicatorFactory(
        commitment=CommitmentFactory(agreement=AgreementFactory()), target=target
    )
    IndicatorSource.objects.create(
        indicator=indicator, metric="joint_projects", period_start=start, period_end=end
    )
    return indicator


def progress_of(indicator: Indicator, today: datetime.date) -> selectors.IndicatorProgress:
    found = selectors.commitment_progress(OperatorFactory(), today=today)
    return next(p for p in found if p.indicator.pk == indicator.pk)


def test_a_linked_indicator_counts_its_period_only_and_is_on_track_at_its_pace():
    for day in (datetime.date(2025, 12, 1), datetime.date(2026, 2, 3), datetime.date(2026, 3, 9)):
        joint_project(day)
    # Two projects in the first quarter of a one-year period: on pace for 8 a year.
    indicator = linked(6, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    slow = linked(20, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    recompute(today=datetime.date(2026, 3, 31))
    today = datetime.date(2026, 3, 31)
    on_track = progress_of(indicator, today)
    assert on_track.value == 2
    assert [p.value for p in on_track.points] == [0, 1, 2]
    assert on_track.status == selectors.ON_TRACK
    assert progress_of(slow, today).status == selectors.AT_RISK
    indicator.refresh_from_db()
    assert indicator.value == 2


def test_a_period_without_any_record_is_no_data_not_zero():
    joint_project(datetime.date(2024, 5, 1))
    indicator = linked(5, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    recompute(today=datetime.date(2026, 6, 30))
    found = progress_of(indicator, datetime.date(2026, 6, 30))
    assert found.value is None
    assert found.status == selectors.NO_DATA
    assert found.points == []


def test_reaching_the_target_says_so():
    joint_project(datetime.date(2026, 2, 1))
    indicator = linked(1, datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
    recompute(today=datetime.date(2026, 3, 1))
    assert progress_of(indicator, datetime.date(2026, 3, 1)).status == selectors.REACHED


def test_the_operator_links_an_indicator_and_the_task_computes_it(
    django_capture_on_commit_callbacks,
):
    joint_project(timezone.localdate())
    operator = OperatorFactory()
    indicator = IndicatorFactory(commitment=CommitmentFactory(agreement=AgreementFactory()))
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_link(
            actor=operator,
            indicator=indicator,
            metric="joint_projects",
            period_start=today.replace(day=1),
            period_end=today + datetime.timedelta(days=365),
            target=Decimal(10),
        )
    run = RecomputeRun.objects.get()
    assert run.status == RecomputeRun.Status.DONE  # the immediate backend ran the task
    assert run.points > 0
    indicator.refresh_from_db()
    assert indicator.value == 1
    assert indicator.target == 10


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"period_start": datetime.date(2020, 1, 1), "period_end": datetime.date(2020, 12, 31)},
            "period_end",
            "already ended",
        ),
        ({"period_start": datetime.date(2030, 1, 1)}, "period_end", "end after it starts"),
        ({"metric": "coffee_drunk"}, "metric", "Choose one of the counts"),
        ({"target": Decimal(0)}, "target", "more than zero"),
    ],
)
def test_bad_links_are_refused_and_nothing_is_saved(changes, field, message):
    indicator = IndicatorFactory(commitment=CommitmentFactory(agreement=AgreementFactory()))
    arguments = {
        "metric": "awards",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": timezone.localdate() + datetime.timedelta(days=30),
        "target": Decimal(5),
    } | changes
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.indicator_link(actor=OperatorFactory(), indicator=indicator, **arguments)
    assert message in " ".join(refused.value.message_dict[field])
    assert not IndicatorSource.objects.exists()
    assert not RecomputeRun.objects.exists()


def test_only_operators_link_indicators_or_ask_for_a_recomputation():
    indicator = IndicatorFactory(commitment=CommitmentFactory(agreement=AgreementFactory()))
    with pytest.raises(PermissionDenied):
        services.indicator_link(
            actor=UserFactory(),
            indicator=indicator,
            metric="awards",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2099, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.recompute_request(actor=UserFactory())


def test_a_hand_entered_figure_names_who_and_when_and_sets_the_value():
    operator = OperatorFactory()
    indicator = IndicatorFactory(
        commitment=CommitmentFactory(agreement=AgreementFactory()), target=10
    )
    point = services.indicator_value_record(
        actor=operator, indicator=indicator, on=datetime.date(2026, 3, 1), value=Decimal(4)
    )
    assert point.entered_by == operator
    assert point.origin == IndicatorPoint.Origin.MANUAL
    indicator.refresh_from_db()
    assert indicator.value == 4
    with pytest.raises(ValidationError):
        services.indicator_value_record(
            actor=operator, indicator=indicator, on=datetime.date(2026, 3, 1), value=Decimal(-1)
        )
    found = progress_of(indicator, datetime.date(2026, 3, 2))
    assert found.value == 4
    assert found.status == selectors.HAND_KEPT
