"""The access policy of shared infrastructure as a role × object × action matrix.

Roles: anonymous, a student, a member and an admin of the booking company, a member of
another company, an admin of the provider, and an operator. Each row is checked through
``can()`` and through ``restrict()``; the ``allows`` questions the services ask (may this
user book this resource for this organisation, list a resource for it) have rows of their
own, and a last table checks the same rules as status codes at the API and the pages.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from sangsaeng.accounts.models import Membership
from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.directory.models import Organisation
from sangsaeng.resources import services
from sangsaeng.resources.models import (
    AreaAllocation,
    Booking,
    BookingSeries,
    CalendarFeed,
    Resource,
    ShuttleRequest,
    WaitlistEntry,
)
from tests.factories import (
    EquipmentFactory,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    ResourceFactory,
    ShuttleRunFactory,
    StudentFactory,
    UserFactory,
)
from tests.resources.conftest import seoul

ROLES = (
    "anonymous",
    "student",
    "member",
    "company_admin",
    "other_member",
    "provider_admin",
    "operator",
)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
OPERATOR = frozenset({"operator"})
PROVIDER = frozenset({"provider_admin", "operator"})
OWN_SIDE = frozenset({"member", "company_admin"})
BOOKERS = OWN_SIDE | {"other_member", "provider_admin", "operator"}


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    provider = OrganisationFactory(kind=Organisation.Kind.SUPPORT_AGENCY, slug="provider")
    company = OrganisationFactory(slug="company")
    other = OrganisationFactory(slug="other", kind=Organisation.Kind.UNIVERSITY)
    student = UserFactory()
    StudentFactory(user=student)
    users = {
        "anonymous": AnonymousUser(),
        "student": student,
        "member": MembershipFactory(organisation=company).user,
        "company_admin": MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user,
        "other_member": MembershipFactory(organisation=other).user,
        "provider_admin": MembershipFactory(organisation=provider, role=Membership.Role.ADMIN).user,
        "operator": OperatorFactory(),
    }
    # The provider admin books for the provider; the operator is in no organisation.
    probe = EquipmentFactory(provider=provider, slug="probe")
    pool = ResourceFactory(provider=provider, slug="pool", allowed_kinds=["company"])
    hidden = ResourceFactory(provider=provider, slug="hidden", is_active=False)
    run = ShuttleRunFactory(provider=provider, slug="run")
    [booking] = services.booking_create(
        actor=users["member"], resource=probe, organisation=company,
        start=seoul(3, 10), end=seoul(3, 11), purpose="secret",
    )  # fmt: skip
    series = services.booking_create(
        actor=users["member"], resource=pool, organisation=company,
        start=seoul(4, 10), end=seoul(4, 11), rule="FREQ=WEEKLY;COUNT=2",
    )[0].series  # fmt: skip
    entry = services.waitlist_join(
        actor=users["other_member"], resource=probe, organisation=other,
        start=seoul(3, 10), end=seoul(3, 11),
    )  # fmt: skip
    request = services.shuttle_request_create(
        actor=users["member"], run=run, organisation=company, design="npu", area_mm2=10
    )
    with django_capture_on_commit_callbacks(execute=True):
        allocation = services.allocation_start(actor=users["operator"], run=run)
    objects = {
        "resource": probe,
        "inactive resource": hidden,
        "mpw run": run,
        "booking": booking,
        "booking series": series,
        "waitlist entry": entry,
        "shuttle request": request,
        "area allocation": allocation,
        "member's feed": services.calendar_feed_get_or_create(actor=users["member"]),
    }
    return users, objects, {"company": company, "other": other, "provider": provider,
                            "probe": probe, "pool": pool, "run": run}  # fmt: skip


MATRIX: list[tuple[str, Action, frozenset[str]]] = [
    ("resource", Action.VIEW, EVERYONE),
    ("resource", Action.VIEW_SUMMARY, EVERYONE),
    ("resource", Action.CHANGE, PROVIDER),
    ("resource", Action.DELETE, PROVIDER),
    ("resource", Action.APPROVE, PROVIDER),
    ("inactive resource", Action.VIEW, PROVIDER),
    ("inactive resource", Action.CHANGE, PROVIDER),
    ("mpw run", Action.VIEW, EVERYONE),
    ("mpw run", Action.APPROVE, PROVIDER),
    ("booking", Action.VIEW, OWN_SIDE | PROVIDER),
    ("booking", Action.CHANGE, OWN_SIDE | PROVIDER),
    ("booking", Action.APPROVE, PROVIDER),
    ("booking", Action.DELETE, OPERATOR),
    ("booking series", Action.VIEW, OWN_SIDE | PROVIDER),
    ("booking series", Action.CHANGE, OPERATOR),
    ("waitlist entry", Action.VIEW, frozenset({"other_member"}) | PROVIDER),
    ("waitlist entry", Action.CHANGE, frozenset({"other_member", "operator"})),
    ("shuttle request", Action.VIEW, OWN_SIDE | PROVIDER),
    ("shuttle request", Action.CHANGE, OWN_SIDE | OPERATOR),
    ("shuttle request", Action.APPROVE, PROVIDER),
    ("area allocation", Action.VIEW, PROVIDER),
    ("area allocation", Action.APPROVE, PROVIDER),
    ("area allocation", Action.CHANGE, OPERATOR),
    ("member's feed", Action.VIEW, frozenset({"member"})),
    ("member's feed", Action.DELETE, frozenset({"member"})),
]


@pytest.mark.parametrize(("name", "action", "allowed"), MATRIX, ids=lambda v: str(v))
def test_matrix(world, name, action, allowed):
    users, objects, _ = world
    record = objects[name]
    for role in ROLES:
        expected = role in allowed
        assert can(users[role], action, record) is expected, (role, name, action)
        found = restrict(type(record).objects.filter(pk=record.pk), users[role], action).exists()
        assert found is expected, (role, name, action, "restrict")


# (question, context names, roles allowed)
ALLOWS: list[tuple[str, type, Action, dict[str, str], frozenset[str]]] = [
    ("book the probe for the company", Booking, Action.CREATE,
     {"resource": "probe", "organisation": "company"}, OWN_SIDE | OPERATOR),
    ("book the probe for the university", Booking, Action.CREATE,
     {"resource": "probe", "organisation": "other"}, frozenset({"other_member", "operator"})),
    ("book the companies-only pool for the university", Booking, Action.CREATE,
     {"resource": "pool", "organisation": "other"}, NOBODY),
    ("wait for the probe for the company", WaitlistEntry, Action.CREATE,
     {"resource": "probe", "organisation": "company"}, OWN_SIDE | OPERATOR),
    ("request MPW area for the company", ShuttleRequest, Action.CREATE,
     {"run": "run", "organisation": "company"}, OWN_SIDE | OPERATOR),
    ("list a resource for the provider", Resource, Action.CREATE,
     {"organisation": "provider"}, PROVIDER),
    ("list a resource for the company", Resource, Action.CREATE,
     {"organisation": "company"}, frozenset({"company_admin", "operator"})),
    ("list a resource at all", Resource, Action.CREATE, {},
     frozenset({"company_admin"}) | PROVIDER),
    ("make a calendar feed", CalendarFeed, Action.CREATE, {}, SIGNED_IN),
    ("approve an allocation of no run", AreaAllocation, Action.CREATE, {}, OPERATOR),
    ("see every booking series", BookingSeries, Action.VIEW, {}, OPERATOR),
]  # fmt: skip


@pytest.mark.parametrize(("question", "model", "action", "context", "allowed"), ALLOWS,
                         ids=[row[0] for row in ALLOWS])  # fmt: skip
def test_allows(world, question, model, action, context, allowed):
    users, _, records = world
    arguments = {key: records[value] for key, value in context.items()}
    for role in ROLES:
        assert can(users[role], action, model, **arguments) is (role in allowed), (role, question)


def test_pending_organisation_may_not_book_a_cluster_resource(world):
    users, _, records = world
    records["company"].status = Organisation.Status.PENDING
    records["company"].save()
    assert not can(users["member"], Action.CREATE, Booking, resource=records["probe"],
                   organisation=records["company"])  # fmt: skip


def _client(users, role):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


# (method, path with {placeholders}, roles that get 200/302; all others get the status given)
PAGES = [
    ("get", "/en/resources/", EVERYONE, None),
    ("get", "/en/resources/probe/", EVERYONE, None),
    ("get", "/en/resources/bookings/{booking}/", OWN_SIDE | PROVIDER, 404),
    ("get", "/en/resources/hidden/", PROVIDER, 404),
    ("get", "/api/resources/bookings/{booking}", OWN_SIDE | PROVIDER, 404),
    ("get", "/api/resources/probe/busy", EVERYONE, None),
    ("get", "/en/resources/mpw/allocations/{allocation}/", PROVIDER, 404),
    ("get", "/en/resources/new/", frozenset({"company_admin"}) | PROVIDER, 403),
]


@pytest.mark.parametrize(("method", "path", "allowed", "refused"), PAGES, ids=[p[1] for p in PAGES])
def test_pages_and_api_answer_as_the_matrix_says(world, method, path, allowed, refused):
    users, objects, _ = world
    url = path.format(booking=objects["booking"].pk, allocation=objects["area allocation"].pk)
    for role in ROLES:
        response = getattr(_client(users, role), method)(url)
        if role in allowed:
            assert response.status_code in (200, 302), (role, url, response.status_code)
        elif role == "anonymous" and response.status_code == 302:
            assert "login" in response.url, (role, url)
        else:
            assert response.status_code == refused, (role, url, response.status_code)


def test_busy_times_over_the_api_carry_no_other_organisations_details(world):
    users, objects, _ = world
    start = (seoul(3, 0)).isoformat()
    for role in ROLES:
        slots = _client(users, role).get("/api/resources/probe/busy", {"start": start}).json()
        assert [slot["start"][:16] for slot in slots] == [
            objects["booking"].start.astimezone(datetime.UTC).isoformat()[:16]
        ]
        readable = role in OWN_SIDE | PROVIDER
        assert (slots[0]["booking"] is not None) is readable, role
        assert "secret" not in str(slots)


def test_only_the_provider_decides_a_booking_others_are_refused_or_not_told(world):
    users, objects, _ = world
    booking = objects["booking"]
    booking.state = Booking.State.REQUESTED
    booking.save()
    url = f"/en/resources/bookings/{booking.pk}/decide/"
    expected = {"member": 403, "company_admin": 403, "student": 404, "other_member": 404}
    for role, status in expected.items():
        assert _client(users, role).post(url, {"decision": "approve"}).status_code == status, role
    booking.refresh_from_db()
    assert booking.state == Booking.State.REQUESTED
    _client(users, "provider_admin").post(url, {"decision": "approve"})
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
