"""The demo infrastructure (valid, oversubscribed where promised, idempotent), the scheduled
tick command, and the MPW request refusals at the service."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from sangsaeng.demo import resources as demo
from sangsaeng.resources import services
from sangsaeng.resources.models import Booking, Resource, ShuttleRequest, WaitlistEntry
from sangsaeng.resources.slots import Hold, peak
from tests.factories import (
    EquipmentFactory,
    OperatorFactory,
    OrganisationFactory,
    ShuttleRunFactory,
)
from tests.resources.conftest import seoul

pytestmark = pytest.mark.django_db


def test_demo_infrastructure_is_valid_oversubscribed_and_idempotent():
    OperatorFactory()  # the demo lists its resources as the cluster office's operator
    for slug, kind in (
        ("sejong-university", "university"),
        ("seongnam-city", "government"),
        ("keti", "research_institute"),
    ):
        OrganisationFactory(slug=slug, kind=kind)
    for number in range(5):
        OrganisationFactory(slug=f"demo-company-{number}", is_fictional=True)
    added = demo.load(7)
    assert added > 1000
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == {"licence_pool", "compute_node", "equipment", "mpw_run"}
    assert Resource.objects.filter(kind="compute_node", capacity=8).count() >= 3
    # Never more held than the capacity, at any instant.
    by_resource = defaultdict(list)
    for booking in Booking.objects.filter(state__in=Booking.HOLDING):
        by_resource[booking.resource].append(Hold(booking.start, booking.end, booking.units))
    for resource, holds in by_resource.items():
        for hold in holds:
            assert peak(holds, hold.start, hold.end) <= resource.capacity, resource
    assert Booking.objects.filter(end__lt=timezone.now() - datetime.timedelta(days=90)).exists()
    run = Resource.objects.get(kind="mpw_run")
    asked = sum(ShuttleRequest.objects.filter(run=run).values_list("area_mm2", flat=True))
    assert asked > run.total_area_mm2
    assert not Resource.objects.exclude(is_fictional=True).exists()
    assert demo.load(7) == 0


def test_tick_command_expires_offers_and_sends_reminders(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    start, end = seoul(5, 10), seoul(5, 11)
    [booking] = services.booking_create(
        actor=cluster.member, resource=probe, organisation=cluster.company, start=start, end=end
    )
    entry = services.waitlist_join(
        actor=cluster.other_member, resource=probe, organisation=cluster.other, start=start, end=end
    )
    services.booking_cancel(actor=cluster.member, booking=booking)
    WaitlistEntry.objects.filter(pk=entry.pk).update(offer_expires_at=timezone.now())
    soon = timezone.now() + datetime.timedelta(hours=2)
    services.booking_create(
        actor=cluster.member, resource=probe, organisation=cluster.company,
        start=soon, end=soon + datetime.timedelta(hours=1),
    )  # fmt: skip
    out = StringIO()
    call_command("resources_tick", stdout=out)
    assert out.getvalue().strip() == "offers expired: 1, reminders sent: 1"
    entry.refresh_from_db()
    assert entry.state == WaitlistEntry.State.EXPIRED


@pytest.mark.parametrize(
    ("area", "minimum", "field", "english"),
    [
        ("2", None, "area_mm2", "The smallest block of"),
        ("10", "2", "min_block_mm2", "a design cannot get less"),
        ("10", "12", "min_block_mm2", "cannot exceed the area asked for"),
        ("30", None, "area_mm2", "the design must fit in it"),
        ("", None, "area_mm2", "Enter the area you need"),
    ],
)
def test_bad_mpw_requests_are_refused_with_their_reason(cluster, area, minimum, field, english):
    run = ShuttleRunFactory(provider=cluster.provider)  # blocks of 4–25 mm²
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.shuttle_request_create(
            actor=cluster.member, run=run, organisation=cluster.company, design="npu",
            area_mm2=area, min_block_mm2=minimum,
        )  # fmt: skip
    assert english in " ".join(error.value.message_dict[field])
    assert not ShuttleRequest.objects.exists()


def test_an_mpw_request_after_the_deadline_is_refused(cluster):
    run = ShuttleRunFactory(
        provider=cluster.provider, request_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.shuttle_request_create(
            actor=cluster.member, run=run, organisation=cluster.company, design="npu",
            area_mm2=Decimal(10),
        )  # fmt: skip
    assert "has passed" in " ".join(error.value.messages)


def test_a_changed_request_voids_the_proposal(cluster, django_capture_on_commit_callbacks):
    run = ShuttleRunFactory(provider=cluster.provider)
    request = services.shuttle_request_create(
        actor=cluster.member, run=run, organisation=cluster.company, design="npu", area_mm2=10
    )
    with django_capture_on_commit_callbacks(execute=True):
        allocation = services.allocation_start(actor=cluster.operator, run=run)
    services.shuttle_request_set_priority(actor=cluster.provider_admin, request=request, priority=3)
    allocation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.allocation_confirm(actor=cluster.operator, allocation=allocation)
    request.refresh_from_db()
    assert request.granted_mm2 is None
