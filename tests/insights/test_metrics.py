"""Every computed count, from records built for it: the figure and the month it falls in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sangsaeng.directory.models import Organisation, Person
from sangsaeng.events.models import Meeting, MeetingFeedback
from sangsaeng.insights.compute import recompute
from sangsaeng.insights.metrics import METRICS
from sangsaeng.insights.models import MetricPoint
from sangsaeng.insights.selectors import Filters, metric_totals
from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.programs.models import Application, Award
from sangsaeng.resources.models import Booking, ShuttleRequest
from sangsaeng.talent.models import Certificate, Enrolment, Placement
from tests.events.conftest import build_world, member
from tests.factories import (
    CourseFactory,
    EquipmentFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    ShuttleRunFactory,
    StudentFactory,
    TaxonomyTermFactory,
    UserFactory,
)
from tests.insights.conftest import seoul
from tests.programs.conftest import make_call

pytestmark = pytest.mark.django_db


def month_value(metric: str, year: int, month: int, kind: str = "", area=None) -> Decimal | None:
    point = MetricPoint.objects.filter(
        metric=metric,
        month=datetime.date(year, month, 1),
        organisation_kind=kind,
        area=area,
    ).first()
    return point.value if point else None


def test_every_metric_is_no_data_before_any_record():
    recompute()
    assert metric_totals() == dict.fromkeys(METRICS)


def test_program_counts_calls_applications_awards_and_amount():
    operator = OperatorFactory()
    area = TaxonomyTermFactory()
    company = OrganisationFactory(kind="company")
    call = make_call(operator, area)
    user = UserFactory()
    first = Application.objects.create(
        call=call,
        organisation=company,
        created_by=user,
        status="selected",
        receipt_number="R-1",
        submitted_at=seoul(2026, 3, 5),
    )
    Application.objects.create(
        call=call,
        organisation=OrganisationFactory(kind="university"),
        created_by=user,
        status="submitted",
        receipt_number="R-2",
        submitted_at=seoul(2026, 3, 20),
    )
    Application.objects.create(  # a draft is not an application yet
        call=call, organisation=OrganisationFactory(), created_by=user, status="draft"
    )
    Application.objects.create(  # nor is a withdrawn one
        call=call,
        organisation=OrganisationFactory(),
        created_by=user,
        status="withdrawn",
        receipt_number="R-3",
        submitted_at=seoul(2026, 3, 21),
    )
    Award.objects.create(
        application=first,
        amount=50_000_000,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2027, 4, 30),
    )
    recompute()
    totals = metric_totals()
    assert totals["calls_published"] == 1
    assert totals["applications"] == 2
    assert month_value("applications", 2026, 3) == 2
    assert month_value("applications", 2026, 3, kind="company") == 1
    assert totals["awards"] == 1
    assert totals["amount_awarded"] == 50_000_000


def test_resource_counts_bookings_hours_and_mpw_area():
    company = OrganisationFactory(kind="company")
    user = UserFactory()
    equipment = EquipmentFactory()
    Booking.objects.create(
        resource=equipment,
        organisation=company,
        booked_by=user,
        start=seoul(2026, 2, 2, 9),
        end=seoul(2026, 2, 2, 12),
        state="confirmed",
    )
    Booking.objects.create(
        resource=equipment,
        organisation=company,
        booked_by=user,
        start=seoul(2026, 2, 3, 9),
        end=seoul(
            2026,
            2,
            3,
            10,
        )
        + datetime.timedelta(minutes=30),
        state="confirmed",
    )
    Booking.objects.create(
        resource=equipment,
        organisation=company,
        booked_by=user,
        start=seoul(2026, 2, 4, 9),
        end=seoul(2026, 2, 4, 10),
        state="cancelled",
    )
    run = ShuttleRunFactory()
    ShuttleRequest.objects.create(
        run=run,
        organisation=company,
        requested_by=user,
        area_mm2=Decimal("4"),
        state="allocated",
        granted_mm2=Decimal("3.5"),
    )
    ShuttleRequest.objects.create(
        run=run,
        organisation=OrganisationFactory(),
        requested_by=user,
        area_mm2=Decimal("2"),
        state="submitted",
    )
    recompute()
    totals = metric_totals()
    assert totals["bookings"] == 2
    assert totals["booking_hours"] == Decimal("4.5")
    assert month_value("booking_hours", 2026, 2) == Decimal("4.5")
    assert totals["mpw_area"] == Decimal("3.5")


def test_talent_counts_completions_certificates_and_placements():
    university = OrganisationFactory(kind="university")
    course = CourseFactory(organisation=university)
    completed = Enrolment.objects.create(
        course=course,
        student=StudentFactory(),
        status="completed",
        completed_at=seoul(2026, 6, 30),
    )
    Enrolment.objects.create(course=course, student=StudentFactory(), status="enrolled")
    Certificate.objects.create(
        enrolment=completed,
        code="CERT-1",
        course_title_ko="과정",
        provider_name_ko="대학",
        completed_on=datetime.date(2026, 6, 30),
    )
    member_company = OrganisationFactory(kind="company", status="approved")
    outsider = OrganisationFactory(kind="company", status="pending")
    for employer in (member_company, outsider):
        Placement.objects.create(
            student=StudentFactory(),
            source="recorded",
            employer=employer,
            employer_name=employer.name_ko,
            kind="internship",
            starts_on=datetime.date(2026, 7, 1),
        )
    Placement.objects.create(
        student=StudentFactory(),
        source="recorded",
        employer=None,
        employer_name="외부 기업",
        kind="junior",
        starts_on=datetime.date(2026, 8, 1),
    )
    recompute()
    totals = metric_totals()
    assert totals["course_completions"] == 1
    assert month_value("course_completions", 2026, 6, kind="university") == 1
    assert totals["certificates"] == 1
    assert totals["placements"] == 3
    assert totals["placements_in_cluster"] == 1


def test_event_counts_meetings_held_and_agreements_initiated():
    world = build_world(seoul(2026, 4, 14, 14))
    a, b, c = member("A"), member("B"), member("C")
    world.register(a, "Ahn")
    world.register(b, "Baek")
    world.register(c, "Cho")
    held = Meeting.objects.create(
        event=world.event,
        first=world.people["Ahn"],
        second=world.people["Baek"],
        slot=world.slots[0],
        location=world.tables[0],
        status="held",
    )
    Meeting.objects.create(
        event=world.event,
        first=world.people["Ahn"],
        second=world.people["Cho"],
        slot=world.slots[1],
        location=world.tables[0],
        status="no_show",
    )
    for participant in (world.people["Ahn"], world.people["Baek"]):  # both say so: one
        MeetingFeedback.objects.create(
            meeting=held, participant=participant, round=1, outcome="agreement_reached"
        )
    recompute()
    totals = metric_totals()
    assert totals["meetings_held"] == 1
    assert month_value("meetings_held", 2026, 4) == 1
    assert totals["agreements_initiated"] == 1


def test_matching_and_directory_counts():
    area = TaxonomyTermFactory()
    company = OrganisationFactory(kind="company", status="approved")
    company.tags.add(area)
    university = OrganisationFactory(kind="university", status="approved")
    OrganisationFactory(kind="company", status="pending")
    author = UserFactory()
    need = Need.objects.create(
        organisation=company,
        author=author,
        kind="partner_search",
        title="비밀 과제",
        visibility="confidential",
        summary="반도체 협력 과제",
    )
    Need.objects.create(
        organisation=company, author=author, kind="technology_request", title="공개 과제"
    )
    accepted = Match.objects.create(need=need, organisation=university, state="project")
    Match.objects.create(need=need, organisation=OrganisationFactory(), state="suggested")
    JointProject.objects.create(match=accepted, title="x", start_date=datetime.date(2026, 9, 1))
    PersonFactory(kind=Person.Kind.EXPERT, organisation=university)
    StudentFactory()
    recompute()
    totals = metric_totals()
    assert totals["needs_posted"] == 2
    assert totals["matches_accepted"] == 1
    assert totals["joint_projects"] == 1
    assert month_value("joint_projects", 2026, 9) == 1
    assert (
        month_value(
            "needs_posted", datetime.date.today().year, datetime.date.today().month, area=area
        )
        is not None
    )
    assert metric_totals(Filters(area=area))["needs_posted"] == 2
    approved = Organisation.objects.filter(status="approved").count()
    assert totals["organisations_joined"] == approved
    assert totals["experts_joined"] == Person.objects.filter(kind="expert").count()
