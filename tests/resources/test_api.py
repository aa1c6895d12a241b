"""The resources API: list, availability (phrase and fields), book, refusals as 400 with the
reason per field in the caller's language, cancel, and busy times without others' details."""

from __future__ import annotations

import datetime

import pytest

from sangsaeng.resources.models import Booking
from tests.api.conftest import ApiClient
from tests.factories import EquipmentFactory, ResourceFactory
from tests.resources.conftest import seoul

pytestmark = pytest.mark.django_db


def test_list_and_get_resources(cluster):
    ResourceFactory(provider=cluster.provider, slug="pool", name_en="Pool")
    EquipmentFactory(provider=cluster.provider, slug="hidden", is_active=False)
    listed = ApiClient().get("/api/resources/").json()
    assert [r["slug"] for r in listed] == ["pool"]
    assert ApiClient().get("/api/resources/pool").json()["capacity"] == 4
    assert ApiClient().get("/api/resources/hidden").status_code == 404


def test_availability_reads_a_phrase_and_fields_win(cluster):
    ResourceFactory(provider=cluster.provider, slug="gpu", kind="compute_node", category="gpu",
                    capacity=8)  # fmt: skip
    ResourceFactory(provider=cluster.provider, slug="sim", category="eda_analogue", capacity=2)
    found = ApiClient().get("/api/resources/availability", {"q": "4 GPUs for 8 hours next week"})
    body = found.json()
    assert body["units"] == 4 and body["hours"] == 8
    assert {o["resource"] for o in body["options"]} == {"gpu"}
    analogue = (
        ApiClient()
        .get(
            "/api/resources/availability",
            {"q": "2 seats of an analogue simulator on Thursday afternoon", "hours": 3},
        )
        .json()
    )
    assert analogue["hours"] == 3 and {o["resource"] for o in analogue["options"]} == {"sim"}
    start = datetime.datetime.fromisoformat(analogue["options"][0]["start"])
    assert start.astimezone(datetime.timezone(datetime.timedelta(hours=9))).weekday() == 3


def test_book_refuse_and_cancel(cluster):
    ResourceFactory(provider=cluster.provider, slug="pool", capacity=2)
    api = ApiClient(cluster.member)
    body = {
        "resource": "pool",
        "organisation": cluster.company.slug,
        "start": seoul(2, 10).isoformat(),
        "end": seoul(2, 12).isoformat(),
        "units": 2,
    }
    made = api.post("/api/resources/bookings", body)
    assert made.status_code == 201
    [booking] = made.json()
    refused = ApiClient(cluster.other_member, language="ko").post(
        "/api/resources/bookings", {**body, "organisation": cluster.other.slug, "units": 1}
    )
    assert refused.status_code == 400
    assert "start" in refused.json()["errors"]
    assert any("가" <= c <= "힣" for c in refused.json()["errors"]["start"][0])
    too_many = api.post("/api/resources/bookings", {**body, "units": 3})
    assert "units" in too_many.json()["errors"]
    backwards = api.post("/api/resources/bookings", {**body, "end": seoul(2, 9).isoformat()})
    assert backwards.json()["errors"]["end"] == ["The end must be after the start."]
    assert [b["id"] for b in api.get("/api/resources/bookings").json()] == [booking["id"]]
    cancelled = api.post(f"/api/resources/bookings/{booking['id']}/cancel")
    assert cancelled.json()["state"] == "cancelled"
    assert Booking.objects.get().state == Booking.State.CANCELLED


def test_booking_for_someone_elses_organisation_is_not_found(cluster):
    ResourceFactory(provider=cluster.provider, slug="pool")
    response = ApiClient(cluster.member).post(
        "/api/resources/bookings",
        {"resource": "pool", "organisation": cluster.other.slug,
         "start": seoul(2, 10).isoformat(), "end": seoul(2, 11).isoformat()},
    )  # fmt: skip
    assert response.status_code == 404
    assert ApiClient().post("/api/resources/bookings", {}).status_code == 401
