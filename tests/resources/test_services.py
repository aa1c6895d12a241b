"""The booking services: each bad input refused with its own message, nothing half-written;
approval, cancellation, recurring bookings, the waitlist with its time-limited offers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from sangsaeng.notifications.models import Notification
from sangsaeng.resources import services
from sangsaeng.resources.models import Booking, BookingSeries, Resource, WaitlistEntry
from tests.factories import EquipmentFactory, ResourceFactory
from tests.resources.conftest import next_weekday, seoul

pytestmark = pytest.mark.django_db


def book(cluster, resource, start, end, units=1, user=None, organisation=None, **more):
    return services.booking_create(
        actor=user or cluster.member,
        resource=resource,
        organisation=organisation or cluster.company,
        start=start,
        end=end,
        units=units,
        **more,
    )


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def test_a_seat_booking_is_confirmed_and_stored_in_utc(cluster):
    pool = ResourceFactory(provider=cluster.provider, credits_per_unit_hour=Decimal(10))
    [booking] = book(cluster, pool, seoul(2, 14), seoul(2, 16), units=2, purpose="DRC runs")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
    assert booking.start.utcoffset() == datetime.timedelta(0)
    assert booking.start == seoul(2, 14)
    assert booking.credits == Decimal("40.00")  # 2 seats × 2 hours × 10


def test_a_pool_takes_exactly_its_seats(cluster):
    pool = ResourceFactory(provider=cluster.provider, capacity=3)
    book(cluster, pool, seoul(2, 9), seoul(2, 12), units=2)
    book(cluster, pool, seoul(2, 11), seoul(2, 13), units=1, user=cluster.other_member,
         organisation=cluster.other)  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as error:
        book(cluster, pool, seoul(2, 11, 30), seoul(2, 12, 30), units=1)
    assert "is already booked at" in refusal(error)
    # Back to back is no overlap: 12:00 frees the two seats.
    book(cluster, pool, seoul(2, 13), seoul(2, 14), units=3)
    assert Booking.objects.count() == 3


def test_partially_free_pool_says_how_many_seats_are_free(cluster):
    pool = ResourceFactory(provider=cluster.provider, capacity=4)
    book(cluster, pool, seoul(3, 9), seoul(3, 12), units=3)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        book(cluster, pool, seoul(3, 10), seoul(3, 11), units=2)
    assert "Only 1 of 4 seats" in refusal(error)
    assert error.value.message_dict.keys() == {"start"}


def test_overlapping_equipment_booking_is_refused(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    book(cluster, probe, seoul(2, 10), seoul(2, 12))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        book(cluster, probe, seoul(2, 11), seoul(2, 13), user=cluster.other_member,
             organisation=cluster.other)  # fmt: skip
    assert "is already booked at" in refusal(error)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "field", "english"),
    [
        ("end before start", "end", "The end must be after the start."),
        ("in the past", "start", "This time has already passed"),
        ("more seats than the pool", "units", "has only 4 seats: you asked for 5"),
        ("outside opening hours", "start", "is open Mon, Tue, Wed, Thu, Fri, 09:00–18:00"),
        ("longer than allowed", "end", "The longest booking of"),
        ("too soon", "start", "must be booked at least 48 hours ahead"),
    ],
)
def test_each_bad_booking_gets_its_own_translated_error(cluster, case, field, english):
    soon = case == "too soon"  # opening hours aside, so that tomorrow is always bookable
    pool = ResourceFactory(
        provider=cluster.provider,
        opens_at=None if soon else datetime.time(9),
        closes_at=None if soon else datetime.time(18),
        max_booking_hours=4,
        lead_time_hours=48 if soon else 0,
    )
    monday = next_weekday(0, 10)
    start, end, units = {
        "end before start": (monday, monday - datetime.timedelta(hours=1), 1),
        "in the past": (timezone.now() - datetime.timedelta(days=1), timezone.now(), 1),
        "more seats than the pool": (monday, monday + datetime.timedelta(hours=1), 5),
        "outside opening hours": (
            monday + datetime.timedelta(hours=7),
            monday + datetime.timedelta(hours=9),
            1,
        ),
        "longer than allowed": (monday, monday + datetime.timedelta(hours=6), 1),
        "too soon": (seoul(1, 10), seoul(1, 11), 1),
    }[case]
    with translation.override("en"), pytest.raises(ValidationError) as english_error:
        book(cluster, pool, start, end, units=units)
    assert field in english_error.value.message_dict
    assert english in " ".join(english_error.value.message_dict[field])
    with translation.override("ko"), pytest.raises(ValidationError) as korean_error:
        book(cluster, pool, start, end, units=units)
    korean = " ".join(korean_error.value.message_dict[field])
    assert korean != " ".join(english_error.value.message_dict[field])
    assert any("가" <= letter <= "힣" for letter in korean), korean
    assert not Booking.objects.exists()


def test_weekend_is_outside_a_weekday_resource(cluster):
    probe = EquipmentFactory(
        provider=cluster.provider, opens_at=datetime.time(9), closes_at=datetime.time(18)
    )
    saturday = next_weekday(5, 10)
    with pytest.raises(ValidationError) as error:
        book(cluster, probe, saturday, saturday + datetime.timedelta(hours=1))
    assert "start" in error.value.message_dict


def test_over_the_monthly_quota_is_refused_and_says_what_is_used(cluster):
    gpu = ResourceFactory(
        provider=cluster.provider,
        kind=Resource.Kind.COMPUTE_NODE,
        category="gpu",
        capacity=8,
        credits_per_unit_hour=Decimal(1),
        monthly_quota=Decimal(40),
    )
    day = next_weekday(1, 9, weeks=1)
    if day.month != (day + datetime.timedelta(days=1)).month:
        day -= datetime.timedelta(days=7)
    book(cluster, gpu, day, day + datetime.timedelta(hours=4), units=8)  # 32 credits
    with translation.override("en"), pytest.raises(ValidationError) as error:
        book(cluster, gpu, day + datetime.timedelta(days=1),
             day + datetime.timedelta(days=1, hours=2), units=8)  # fmt: skip
    assert "Over the monthly quota" in refusal(error)
    assert "32.00 of 40.00 credits" in refusal(error)
    # Another organisation has its own quota.
    book(cluster, gpu, day + datetime.timedelta(days=1), day + datetime.timedelta(days=1, hours=4),
         units=8, user=cluster.other_member, organisation=cluster.other)  # fmt: skip


def test_a_member_of_another_organisation_cannot_book_for_mine(cluster):
    pool = ResourceFactory(provider=cluster.provider)
    with pytest.raises(PermissionDenied):
        book(cluster, pool, seoul(2, 9), seoul(2, 10), user=cluster.other_member)


def test_organisation_kinds_limit_who_may_book(cluster):
    pool = ResourceFactory(provider=cluster.provider, allowed_kinds=["university"])
    with pytest.raises(PermissionDenied):
        book(cluster, pool, seoul(2, 9), seoul(2, 10))


def test_a_pending_organisation_is_not_a_cluster_member(cluster):
    cluster.company.status = "pending"
    cluster.company.save()
    pool = ResourceFactory(provider=cluster.provider)
    with pytest.raises(PermissionDenied):
        book(cluster, pool, seoul(2, 9), seoul(2, 10))
    open_pool = ResourceFactory(provider=cluster.provider, audience="registered")
    book(cluster, open_pool, seoul(2, 9), seoul(2, 10))


def test_approval_flow_tells_the_provider_and_the_booker(cluster):
    probe = EquipmentFactory(provider=cluster.provider, needs_approval=True)
    [booking] = book(cluster, probe, seoul(3, 10), seoul(3, 12))
    assert booking.state == Booking.State.REQUESTED
    assert Notification.objects.filter(recipient=cluster.provider_admin, kind="booking_requested")
    # A request holds the slot while it waits.
    with pytest.raises(ValidationError):
        book(cluster, probe, seoul(3, 11), seoul(3, 12), user=cluster.other_member,
             organisation=cluster.other)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.booking_decide(actor=cluster.member, booking=booking, approve=True)
    services.booking_decide(actor=cluster.provider_admin, booking=booking, approve=True)
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
    assert Notification.objects.filter(recipient=cluster.member, kind="booking_decided")


def test_cancellation_notice_is_kept_but_the_provider_may_cancel(cluster):
    probe = EquipmentFactory(provider=cluster.provider, cancellation_hours=24 * 30)
    [booking] = book(cluster, probe, seoul(2, 10), seoul(2, 11))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.booking_cancel(actor=cluster.member, booking=booking)
    assert "until 720 hours before they start" in refusal(error)
    services.booking_cancel(actor=cluster.provider_admin, booking=booking)
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert Notification.objects.filter(recipient=cluster.member, kind="booking_cancelled")


def test_a_cancelled_slot_can_be_booked_again(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    [booking] = book(cluster, probe, seoul(2, 10), seoul(2, 11))
    services.booking_cancel(actor=cluster.member, booking=booking)
    book(cluster, probe, seoul(2, 10), seoul(2, 11), user=cluster.other_member,
         organisation=cluster.other)  # fmt: skip


def test_weekly_recurring_booking_makes_every_occurrence(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    tuesday = next_weekday(1, 14)
    made = book(cluster, probe, tuesday, tuesday + datetime.timedelta(hours=2),
                rule="FREQ=WEEKLY;COUNT=4")  # fmt: skip
    assert [b.start for b in made] == [tuesday + datetime.timedelta(weeks=k) for k in range(4)]
    assert BookingSeries.objects.get().bookings.count() == 4


def test_a_recurring_booking_with_one_conflict_books_nothing_and_names_the_date(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    tuesday = next_weekday(1, 14)
    taken = tuesday + datetime.timedelta(weeks=2)
    book(cluster, probe, taken, taken + datetime.timedelta(hours=1), user=cluster.other_member,
         organisation=cluster.other)  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as error:
        book(cluster, probe, tuesday, tuesday + datetime.timedelta(hours=2),
             rule="FREQ=WEEKLY;COUNT=4")  # fmt: skip
    assert f"{taken:%Y-%m-%d}" in refusal(error)
    assert "rule" in error.value.message_dict
    assert Booking.objects.count() == 1
    assert not BookingSeries.objects.exists()


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "FREQ=WEEKLY", "FREQ=DAILY;COUNT=400"])
def test_bad_repeat_rules_are_refused(cluster, rule):
    probe = EquipmentFactory(provider=cluster.provider)
    with pytest.raises(ValidationError) as error:
        book(cluster, probe, seoul(2, 10), seoul(2, 11), rule=rule)
    assert "rule" in error.value.message_dict
    assert not Booking.objects.exists()


def test_waitlist_offer_goes_to_the_first_in_line_and_expires_to_the_next(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    start, end = seoul(5, 10), seoul(5, 12)
    [booking] = book(cluster, probe, start, end)
    # A free slot is booked, not waited for.
    with pytest.raises(ValidationError):
        services.waitlist_join(
            actor=cluster.other_member, resource=probe, organisation=cluster.other,
            start=seoul(6, 10), end=seoul(6, 11),
        )  # fmt: skip
    first = services.waitlist_join(
        actor=cluster.other_member, resource=probe, organisation=cluster.other, start=start, end=end
    )
    second = services.waitlist_join(
        actor=cluster.company_admin, resource=probe, organisation=cluster.company,
        start=start, end=end,
    )  # fmt: skip
    services.booking_cancel(actor=cluster.member, booking=booking)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == WaitlistEntry.State.OFFERED
    assert second.state == WaitlistEntry.State.WAITING
    assert Notification.objects.filter(recipient=cluster.other_member, kind="waitlist_offer")
    # The offer holds the slot: nobody else books it meanwhile.
    with pytest.raises(ValidationError):
        book(cluster, probe, start, end)
    # The offer lapses; the next in line is offered the slot.
    WaitlistEntry.objects.filter(pk=first.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.waitlist_expire_offers(actor=None) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == WaitlistEntry.State.EXPIRED
    assert second.state == WaitlistEntry.State.OFFERED
    with pytest.raises(ValidationError):
        services.waitlist_accept(actor=cluster.other_member, entry=first)
    made = services.waitlist_accept(actor=cluster.company_admin, entry=second)
    assert made.state == Booking.State.CONFIRMED
    assert made.organisation == cluster.company


def test_declining_an_offer_passes_it_on(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    start, end = seoul(5, 10), seoul(5, 12)
    [booking] = book(cluster, probe, start, end)
    first = services.waitlist_join(
        actor=cluster.other_member, resource=probe, organisation=cluster.other, start=start, end=end
    )
    second = services.waitlist_join(
        actor=cluster.company_admin, resource=probe, organisation=cluster.company,
        start=start, end=end,
    )  # fmt: skip
    services.booking_cancel(actor=cluster.member, booking=booking)
    services.waitlist_withdraw(actor=cluster.other_member, entry=first)
    second.refresh_from_db()
    assert second.state == WaitlistEntry.State.OFFERED


def test_reminders_are_sent_once_for_bookings_within_a_day(cluster):
    pool = ResourceFactory(provider=cluster.provider)
    soon = timezone.now() + datetime.timedelta(hours=3)
    [booking] = book(cluster, pool, soon, soon + datetime.timedelta(hours=1))
    book(cluster, pool, seoul(5, 10), seoul(5, 11))
    assert services.booking_send_reminders(actor=None) == 1
    assert services.booking_send_reminders(actor=None) == 0
    booking.refresh_from_db()
    assert booking.reminded_at is not None
    assert (
        Notification.objects.filter(recipient=cluster.member, kind="booking_reminder").count() == 1
    )


def test_an_mpw_run_is_not_booked_like_a_seat(cluster):
    from tests.factories import ShuttleRunFactory

    run = ShuttleRunFactory(provider=cluster.provider)
    with pytest.raises(ValidationError):
        book(cluster, run, seoul(2, 10), seoul(2, 11))
