"""The resources pages through Django's client: find, book (and each refusal keeping what was
typed), busy/free for others, cancel, waitlist, approvals, MPW requests and allocation,
usage charts and XLSX, iCalendar feeds."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from sangsaeng.directory.models import Organisation
from sangsaeng.resources import services
from sangsaeng.resources.models import AreaAllocation, Booking, ShuttleRequest, WaitlistEntry
from tests.factories import EquipmentFactory, ResourceFactory, ShuttleRunFactory
from tests.resources.conftest import next_weekday, seoul

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_catalogue_is_public_and_search_finds_free_gpus(cluster):
    node = ResourceFactory(
        provider=cluster.provider, kind="compute_node", category="gpu", capacity=8,
        name_en="GPU node A",
    )  # fmt: skip
    ResourceFactory(provider=cluster.provider, name_en="Digital pool")
    page = Client().get("/en/resources/", {"q": "4 GPUs for 8 hours next week"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "GPU node A" in body and "Digital pool" in body
    options = page.context["availability"].options
    assert options and all(option.resource == node for option in options)
    assert page.context["query"].units == 4 and page.context["query"].hours == 8
    monday = next_weekday(0, 0, weeks=0) if next_weekday(0, 0, weeks=0) > seoul(0, 0) else None
    assert options[0].start.astimezone(datetime.UTC) >= (monday or options[0].start)
    assert f"{reverse('resources:booking_create', args=[node.slug])}?start=" in body
    # What is free in the slot, not what would be left after booking it (an idle node: 8 of 8).
    assert '<td class="free-then">8 of 8 GPUs free</td>' in body
    assert "4 options for 4 unit(s) for 8 hours" in body or "for 4 unit(s) for 8 hours" in body


def test_booking_through_the_page_and_a_refusal_keeps_what_was_typed(cluster):
    probe = EquipmentFactory(provider=cluster.provider, name_en="Probe A")
    client = client_for(cluster.member)
    url = reverse("resources:booking_create", args=[probe.slug])
    start = seoul(3, 10)
    data = {
        "organisation": cluster.company.pk,
        "start": local(start),
        "end": local(start + datetime.timedelta(hours=2)),
        "units": 1,
        "purpose": "wafer probing of lot 7",
    }
    response = client.post(f"/en{url[3:]}", data)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == booking.get_absolute_url()
    assert booking.start == start

    other = client_for(cluster.other_member)
    data.update(organisation=cluster.other.pk, purpose="my purpose stays")
    refused = other.post(f"/en{url[3:]}", data)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "is already booked at" in body
    assert "my purpose stays" in body and 'id="join-waitlist"' in body
    assert Booking.objects.count() == 1

    joined = other.post(
        reverse("resources:waitlist_join", args=[probe.slug]),
        {
            "organisation": cluster.other.pk,
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
            "units": 1,
        },
    )
    assert joined.status_code == 302
    assert WaitlistEntry.objects.get().user == cluster.other_member


def test_others_see_busy_but_not_who_or_why(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    start = seoul(1, 10)
    services.booking_create(
        actor=cluster.member, resource=probe, organisation=cluster.company, start=start,
        end=start + datetime.timedelta(hours=2), purpose="secret tape-out prep",
    )  # fmt: skip
    week = {"week": start.date().isoformat()}
    own = client_for(cluster.member).get(probe.get_absolute_url(), week).content.decode()
    assert "Pangyo Chips" in own or "판교칩스" in own
    for viewer in (Client(), client_for(cluster.other_member)):
        body = viewer.get(probe.get_absolute_url(), week).content.decode()
        assert "slot-busy" in body
        assert "판교칩스" not in body and "Pangyo Chips" not in body
        assert "secret tape-out prep" not in body
    booking = Booking.objects.get()
    assert client_for(cluster.other_member).get(booking.get_absolute_url()).status_code == 404


def test_cancel_from_the_booking_page_offers_the_waitlist(cluster):
    probe = EquipmentFactory(provider=cluster.provider)
    start, end = seoul(4, 10), seoul(4, 11)
    [booking] = services.booking_create(
        actor=cluster.member, resource=probe, organisation=cluster.company, start=start, end=end
    )
    entry = services.waitlist_join(
        actor=cluster.other_member, resource=probe, organisation=cluster.other, start=start, end=end
    )
    response = client_for(cluster.member).post(
        reverse("resources:booking_cancel", args=[booking.pk])
    )
    assert response.status_code == 302
    page = client_for(cluster.other_member).get("/en/resources/bookings/").content.decode()
    assert "held for you until" in page
    accepted = client_for(cluster.other_member).post(
        reverse("resources:waitlist_answer", args=[entry.pk]), {"answer": "accept"}
    )
    made = Booking.objects.get(state=Booking.State.CONFIRMED)
    assert accepted.url == made.get_absolute_url() and made.organisation == cluster.other


def test_provider_approves_from_the_booking_page(cluster):
    probe = EquipmentFactory(provider=cluster.provider, needs_approval=True)
    [booking] = services.booking_create(
        actor=cluster.member, resource=probe, organisation=cluster.company,
        start=seoul(3, 10), end=seoul(3, 11),
    )  # fmt: skip
    admin = client_for(cluster.provider_admin)
    assert 'id="approve-booking"' in admin.get(booking.get_absolute_url()).content.decode()
    assert (
        'id="approve-booking"'
        not in client_for(cluster.member).get(booking.get_absolute_url()).content.decode()
    )
    admin.post(reverse("resources:booking_decide", args=[booking.pk]), {"decision": "approve"})
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_provider_lists_a_resource_and_a_member_may_not(cluster):
    form = {
        "provider": cluster.provider.pk,
        "slug": "new-pool",
        "kind": "licence_pool",
        "category": "eda_digital",
        "name_ko": "새 라이선스",
        "name_en": "New licences",
        "capacity": 5,
        "opens_at": "09:00",
        "closes_at": "08:00",
        "open_weekdays": ["0", "1"],
        "audience": "cluster",
        "max_booking_hours": 8,
        "lead_time_hours": 0,
        "cancellation_hours": 0,
        "credits_per_unit_hour": "1",
        "is_active": "on",
    }
    admin = client_for(cluster.provider_admin)
    refused = admin.post("/en/resources/new/", form)
    assert "It must close after it opens." in refused.content.decode()
    assert 'value="새 라이선스"' in refused.content.decode()
    form["closes_at"] = "18:00"
    created = admin.post("/en/resources/new/", form)
    assert created.status_code == 302 and created.url.endswith("/resources/new-pool/")
    assert client_for(cluster.member).get("/en/resources/new/").status_code == 403


def test_mpw_request_below_the_minimum_block_is_refused_on_the_page(cluster):
    run = ShuttleRunFactory(provider=cluster.provider)
    client = client_for(cluster.member)
    url = reverse("resources:shuttle_request", args=[run.slug])
    refused = client.post(
        url, {"organisation": cluster.company.pk, "design": "tiny", "area_mm2": "2"}
    )
    assert refused.status_code == 400
    assert (
        "ask for at least that much"
        in client.post(
            f"/en{url[3:]}", {"organisation": cluster.company.pk, "design": "tiny", "area_mm2": "2"}
        ).content.decode()
    )
    assert not ShuttleRequest.objects.exists()
    client.post(url, {"organisation": cluster.company.pk, "design": "npu", "area_mm2": "12"})
    assert ShuttleRequest.objects.get().design == "npu"


def test_operator_allocates_an_oversubscribed_run_and_confirms(
    cluster, django_capture_on_commit_callbacks
):
    run = ShuttleRunFactory(provider=cluster.provider, total_area_mm2=30, organisation_share=None)
    for number, (area, minimum) in enumerate([(20, 15), (15, None), (10, 5)]):
        services.shuttle_request_create(
            actor=cluster.member, run=run, organisation=cluster.company,
            design=f"design-{number}", area_mm2=area, min_block_mm2=minimum,
        )  # fmt: skip
    operator = client_for(cluster.operator)
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(reverse("resources:allocation_start", args=[run.slug]))
    allocation = AreaAllocation.objects.get()
    assert allocation.status == AreaAllocation.Status.PROPOSED  # tasks run at once in tests
    page = operator.get(f"/en/resources/{run.slug}/").content.decode()
    assert "30 of 30 mm² to 2 of 3 designs" in page
    assert "less than asked" not in page
    assert 'id="confirm-allocation"' in page
    # The reason column is "사유" in Korean, not the sign-up form's "Why" (목적).
    korean = operator.get(f"/ko/resources/{run.slug}/").content.decode()
    assert '<th scope="col">사유</th>' in korean
    # The member sees their requests but not the proposal before it is confirmed.
    member_page = client_for(cluster.member).get(f"/en/resources/{run.slug}/").content.decode()
    assert 'id="allocation-lines"' not in member_page
    operator.post(reverse("resources:allocation_confirm", args=[allocation.pk]))
    granted = {r.design: r.granted_mm2 for r in ShuttleRequest.objects.all()}
    assert sum(granted.values()) == Decimal(30)
    assert all(g == 0 or g >= 5 for g in granted.values())


def test_usage_page_has_charts_and_the_export_is_a_workbook(cluster):
    pool = ResourceFactory(provider=cluster.provider, credits_per_unit_hour=Decimal(2))
    Booking.objects.create(
        resource=pool, organisation=cluster.company, start=seoul(-3, 9), end=seoul(-3, 13),
        units=2, credits=Decimal(16),
    )  # fmt: skip
    page = client_for(cluster.member).get("/en/resources/usage/")
    body = page.content.decode()
    assert 'id="utilisation-config"' in body and "chart.umd.min.js" in body
    assert 'id="by-organisation-config"' in body and "Pangyo Chips" in body
    # Another organisation's member sees utilisation, not who used it.
    other = client_for(cluster.other_member).get("/en/resources/usage/").content.decode()
    assert 'id="utilisation-config"' in other and "Pangyo Chips" not in other
    export = client_for(cluster.member).get("/en/resources/usage.xlsx")
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[1][0] == "Pangyo Chips" and rows[1][5] == 16.0


def test_feeds_show_own_bookings_in_detail_and_others_as_busy(cluster):
    probe = EquipmentFactory(provider=cluster.provider, name_en="Probe A")
    services.booking_create(
        actor=cluster.member, resource=probe, organisation=cluster.company,
        start=seoul(2, 10), end=seoul(2, 11), purpose="lot 7",
    )  # fmt: skip
    own_feed = services.calendar_feed_get_or_create(actor=cluster.member)
    calendar = Calendar.from_ical(Client().get(f"/en{own_feed.get_absolute_url()[3:]}").content)
    [event] = calendar.walk("VEVENT")
    assert "Probe A" in str(event["SUMMARY"]) and "lot 7" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == seoul(2, 10)

    other_feed = services.calendar_feed_get_or_create(actor=cluster.other_member, resource=probe)
    text = Client().get(f"/en{other_feed.get_absolute_url()[3:]}").content.decode()
    [busy] = Calendar.from_ical(text).walk("VEVENT")
    assert "Busy" in str(busy["SUMMARY"])
    assert "lot 7" not in text and "Pangyo" not in text
    # A new address retires the old one.
    services.calendar_feed_get_or_create(actor=cluster.member, reset=True)
    assert Client().get(own_feed.get_absolute_url()).status_code == 404


def test_who_may_book_names_the_kinds_in_the_readers_language(cluster):
    pool = ResourceFactory(
        provider=cluster.provider, name_en="Analogue pool", allowed_kinds=["company", "university"]
    )
    english = Client().get(pool.get_absolute_url().replace("/ko/", "/en/")).content.decode()
    korean = Client().get(pool.get_absolute_url().replace("/en/", "/ko/")).content.decode()
    assert "company, university" in english
    assert "기업" in korean and "company" not in korean.split('id="rules-heading"')[1]


def test_areas_are_shown_without_trailing_zeros(cluster):
    run = ShuttleRunFactory(provider=cluster.provider, total_area_mm2=Decimal("100"))
    services.shuttle_request_create(
        actor=cluster.member, run=run, organisation=cluster.company,
        design="npu-lite", area_mm2=Decimal("8"), min_block_mm2=Decimal("4.8"),
    )  # fmt: skip
    page = client_for(cluster.member).get(f"/en/resources/{run.slug}/").content.decode()
    # 4.800 reads as four thousand eight hundred to many; 100.000 as a hundred thousand.
    assert "<td>4.8</td>" in page and "4.800" not in page
    assert "<dd>100 mm²</dd>" in page


def test_who_may_not_book_is_told_why_instead_of_finding_no_button(cluster):
    probe = EquipmentFactory(provider=cluster.provider, name_en="Probe A")
    run = ShuttleRunFactory(provider=cluster.provider)
    anonymous = Client().get(f"/en/resources/{probe.slug}/").content.decode()
    assert 'id="log-in-to-book"' in anonymous and 'id="book-resource"' not in anonymous
    anonymous_run = Client().get(f"/en/resources/{run.slug}/").content.decode()
    assert "Log in to request area on this run." in anonymous_run
    assert 'id="shuttle-requests"' not in anonymous_run  # nothing of theirs to list
    cluster.company.status = Organisation.Status.PENDING
    cluster.company.save()
    pending = client_for(cluster.member)
    page = pending.get(f"/en/resources/{probe.slug}/").content.decode()
    assert 'id="not-eligible"' in page and "awaits the cluster office" in page
    assert 'id="book-resource"' not in page
    run_page = pending.get(f"/en/resources/{run.slug}/").content.decode()
    assert 'id="not-eligible"' in run_page and 'id="shuttle-request-form"' not in run_page
    member = client_for(cluster.other_member).get(f"/en/resources/{probe.slug}/").content.decode()
    assert 'id="book-resource"' in member and 'id="not-eligible"' not in member
