"""The access policy of support programs as a role × object × action matrix, and the leak
tests: an unassigned or conflicted reviewer, another company, the public and search never see
an application's contents; applicants never see who reviewed them.

Roles: the public, a student, a member and an admin of the applicant company, an admin of
another company (which has a draft of its own), a reviewer assigned to the application, an
opted-in reviewer not assigned to it, a reviewer who was assigned and then found conflicted,
and an operator. Each row is checked through ``can()`` and through ``restrict()``.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.notifications.models import Notification
from sangsaeng.programs import services
from sangsaeng.programs.models import (
    Application,
    ApplicationVector,
    AssignmentRun,
    Award,
    Bid,
    Call,
    Conflict,
    Decision,
    PastAffiliation,
    ProposedReviewer,
    Review,
    ReviewAssignment,
    ReviewerProfile,
)
from sangsaeng.search.selectors import search_everything
from tests.api.conftest import ApiClient
from tests.factories import OrganisationFactory, StudentFactory, UserFactory
from tests.programs.conftest import SECRET, fill_application, make_reviewer

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "student",
    "applicant_member",
    "applicant_admin",
    "other_admin",
    "assigned_reviewer",
    "unassigned_reviewer",
    "conflicted_reviewer",
    "operator",
)
EVERYONE = frozenset(ROLES)
OPERATOR = frozenset({"operator"})
APPLICANT = frozenset({"applicant_member", "applicant_admin"})
READERS = APPLICANT | {"assigned_reviewer", "operator"}
NOBODY: frozenset[str] = frozenset()


@pytest.fixture
def matrix(world):
    """Every kind of record, as the call's loop leaves them, without running the engine."""
    application = fill_application(world)
    other_draft = services.application_start(
        actor=world.other_admin, call=world.call, organisation=world.other_company
    )
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    world.call.refresh_from_db()
    services.application_screen(
        actor=world.operator, application=application, eligible=True, reason="ok"
    )
    neutral = OrganisationFactory(kind="research_institute")
    assigned_user, assigned = make_reviewer("assigned", neutral, [("NPU", "NPU", 2024)])
    unassigned_user, unassigned = make_reviewer("unassigned", neutral, [("RF", "RF", 2024)])
    conflicted_user, conflicted = make_reviewer("conflicted", neutral, [("ADC", "ADC", 2024)])
    student = UserFactory()
    StudentFactory(user=student)
    past = PastAffiliation.objects.create(reviewer=assigned, organisation=neutral, until_year=2020)
    run = AssignmentRun.objects.create(call=world.call, status="done")
    proposal = ProposedReviewer.objects.create(
        run=run, application=application, reviewer=assigned, role="assigned", score=1, affinity=1
    )
    assignment = ReviewAssignment.objects.create(
        application=application, reviewer=assigned, run=run, due_at=world.call.review_deadline
    )
    conflicted_assignment = ReviewAssignment.objects.create(
        application=application, reviewer=conflicted, run=run, due_at=world.call.review_deadline
    )
    conflict = Conflict.objects.create(
        application=application, reviewer=conflicted, reason="declared", note="family"
    )
    bid = Bid.objects.create(reviewer=unassigned, application=application, kind="eager")
    criteria = list(world.call.criteria.all())
    review = services.review_save(
        actor=assigned_user,
        assignment=assignment,
        scores={str(c.pk): 4 for c in criteria},
        comment_to_applicant="Solid plan.",
        comment_to_committee="Budget is high.",
        submit=True,
    )
    decision = Decision.objects.create(
        application=application,
        outcome="selected",
        amount=50_000_000,
        published_at=timezone.now(),
    )
    award = Award.objects.create(
        application=application,
        amount=50_000_000,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    milestone = award.milestones.create(title="Kick-off", due_on=datetime.date(2026, 2, 1))
    report = award.reports.create(kind="interim", due_on=datetime.date(2026, 6, 30))
    users = {
        "anonymous": AnonymousUser(),
        "student": student,
        "applicant_member": world.member,
        "applicant_admin": world.admin,
        "other_admin": world.other_admin,
        "assigned_reviewer": assigned_user,
        "unassigned_reviewer": unassigned_user,
        "conflicted_reviewer": conflicted_user,
        "operator": world.operator,
    }
    objects = {
        "program": world.call.program,
        "call": world.call,
        "form_field": world.call.form_fields.first(),
        "criterion": criteria[0],
        "application": application,
        "other_draft": other_draft,
        "partner": application.partners.first(),
        "file": application.files.first(),
        "vector": ApplicationVector.objects.create(
            application=application, model="m", text_hash="h", vector=b"\x00" * 8
        ),
        "reviewer_profile": assigned,
        "past_affiliation": past,
        "conflict": conflict,
        "bid": bid,
        "run": run,
        "proposal": proposal,
        "assignment": assignment,
        "conflicted_assignment": conflicted_assignment,
        "review": review,
        "decision": decision,
        "award": award,
        "milestone": milestone,
        "report": report,
    }
    return world, users, objects


# (object, action, roles allowed). Every role not named is refused.
MATRIX = [
    ("program", Action.VIEW, EVERYONE),
    ("program", Action.CHANGE, OPERATOR),
    ("call", Action.VIEW, EVERYONE),
    ("call", Action.CHANGE, OPERATOR),
    ("form_field", Action.VIEW, EVERYONE),
    ("form_field", Action.CHANGE, OPERATOR),
    ("criterion", Action.VIEW, EVERYONE),
    ("criterion", Action.CHANGE, OPERATOR),
    ("application", Action.VIEW, READERS),
    ("application", Action.VIEW_SUMMARY, READERS | {"unassigned_reviewer"}),
    ("application", Action.CHANGE, NOBODY),  # screened: frozen for everyone
    ("application", Action.APPROVE, OPERATOR),
    ("application", Action.DELETE, NOBODY),
    ("other_draft", Action.VIEW, {"other_admin", "operator"}),
    ("other_draft", Action.VIEW_SUMMARY, {"other_admin", "operator"}),
    ("other_draft", Action.CHANGE, {"other_admin"}),
    ("partner", Action.VIEW, READERS),
    ("partner", Action.CHANGE, NOBODY),
    ("file", Action.VIEW, READERS),
    ("file", Action.CHANGE, NOBODY),
    ("vector", Action.VIEW, OPERATOR),
    ("vector", Action.CHANGE, NOBODY),
    ("reviewer_profile", Action.VIEW, {"assigned_reviewer", "operator"}),
    ("reviewer_profile", Action.CHANGE, {"assigned_reviewer"}),
    ("past_affiliation", Action.VIEW, {"assigned_reviewer", "operator"}),
    ("past_affiliation", Action.CHANGE, {"assigned_reviewer"}),
    ("conflict", Action.VIEW, {"conflicted_reviewer", "operator"}),
    ("conflict", Action.CHANGE, OPERATOR),
    ("bid", Action.VIEW, {"unassigned_reviewer", "operator"}),
    ("bid", Action.CHANGE, {"unassigned_reviewer"}),
    ("run", Action.VIEW, OPERATOR),
    ("run", Action.CHANGE, OPERATOR),
    ("proposal", Action.VIEW, OPERATOR),
    ("proposal", Action.CHANGE, OPERATOR),
    ("assignment", Action.VIEW, {"assigned_reviewer", "operator"}),
    ("assignment", Action.RESPOND, {"assigned_reviewer"}),
    ("assignment", Action.CHANGE, NOBODY),
    ("conflicted_assignment", Action.VIEW, OPERATOR),
    ("conflicted_assignment", Action.RESPOND, NOBODY),
    ("review", Action.VIEW, {"assigned_reviewer", "operator"}),
    ("review", Action.CHANGE, {"assigned_reviewer"}),
    ("review", Action.VIEW_SUMMARY, APPLICANT | {"assigned_reviewer", "operator"}),
    ("decision", Action.VIEW, APPLICANT | OPERATOR),
    ("decision", Action.CHANGE, OPERATOR),
    ("award", Action.VIEW, APPLICANT | OPERATOR),
    ("award", Action.CHANGE, OPERATOR),
    ("award", Action.REPORT_PROGRESS, APPLICANT),
    ("milestone", Action.VIEW, APPLICANT | OPERATOR),
    ("milestone", Action.REPORT_PROGRESS, APPLICANT),
    ("report", Action.VIEW, APPLICANT | OPERATOR),
    ("report", Action.CHANGE, OPERATOR),
    ("report", Action.REPORT_PROGRESS, APPLICANT),
]


def test_policy_matrix(matrix):
    _world, users, objects = matrix
    wrong = []
    for name, action, allowed in MATRIX:
        record = objects[name]
        for role in ROLES:
            expected = role in allowed
            if can(users[role], action, record) is not expected:
                wrong.append(f"can: {role} {action} {name} should be {expected}")
            visible = restrict(type(record).objects.all(), users[role], action)
            if visible.filter(pk=record.pk).exists() is not expected:
                wrong.append(f"restrict: {role} {action} {name} should be {expected}")
    assert not wrong, "\n".join(wrong)


def test_who_may_create(matrix):
    world, users, objects = matrix
    cases = [
        (Application, {}, {"applicant_member", "applicant_admin", "other_admin"}),
        (Application, {"organisation": world.company}, APPLICANT),
        (ReviewerProfile, {}, {"assigned_reviewer", "unassigned_reviewer", "conflicted_reviewer"}),
        (
            ReviewerProfile,
            {"person": objects["reviewer_profile"].person},
            {"assigned_reviewer"},
        ),
        (
            Conflict,
            {"reviewer": ReviewerProfile.objects.get(person__user=users["unassigned_reviewer"])},
            {"unassigned_reviewer", "operator"},
        ),
        (Call, {}, OPERATOR),
        (Review, {}, OPERATOR),
    ]
    for model, context, allowed in cases:
        for role in ROLES:
            assert can(users[role], Action.CREATE, model, **context) is (role in allowed), (
                role,
                model.__name__,
                context,
            )


def _client(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


def test_only_readers_open_the_application_page_the_api_and_its_files(matrix):
    _world, users, objects = matrix
    application, document = objects["application"], objects["file"]
    for role in ROLES:
        client = _client(users[role])
        page = client.get(f"/en/programs/applications/{application.pk}/")
        download = client.get(f"/en/programs/files/{document.pk}/")
        api = ApiClient(users[role] if users[role].is_authenticated else None)
        read = api.get(f"/api/programs/applications/{application.pk}")
        if role in READERS:
            assert page.status_code == 200 and SECRET in page.text, role
            assert download.status_code == 200, role
            assert SECRET in read.json()["answers"]["summary"], role
        else:
            assert page.status_code in (302, 404), role
            assert SECRET not in page.text, role
            assert download.status_code in (302, 404), role
            assert read.status_code in (401, 404), role
            assert SECRET not in read.content.decode(), role


def test_a_conflicted_reviewer_never_opens_the_application_even_if_invited(matrix):
    _world, users, objects = matrix
    user = users["conflicted_reviewer"]
    client = _client(user)
    assignment = objects["conflicted_assignment"]
    assert client.get(f"/en/programs/reviews/{assignment.pk}/").status_code == 404
    api = ApiClient(user)
    response = api.client.put(
        f"/api/programs/reviews/{assignment.pk}",
        {"scores": {}, "comment_to_applicant": "x"},
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 404 and SECRET not in response.content.decode()
    listed = api.get("/api/programs/reviews")
    assert listed.json() == [] and SECRET not in listed.content.decode()
    assert SECRET not in client.get("/en/programs/reviews/").text


def test_nothing_of_an_application_is_found_by_search_or_told_to_others(matrix):
    _world, users, _objects = matrix
    for role in ROLES:
        user = users[role]
        hits = search_everything(user, query=SECRET)
        assert all(not isinstance(hit.record, Application) for hit in hits), role
        assert all(SECRET not in hit.title for hit in hits), role
        page = _client(user).get("/en/search/", {"q": SECRET}).text
        # The query itself is echoed in the search box and the page's own address.
        echoed = page.replace(f'value="{SECRET}"', "").replace(f"q={SECRET}", "")
        assert SECRET not in echoed, role
        api = ApiClient(user if user.is_authenticated else None)
        assert SECRET not in api.get("/api/needs/search", {"q": SECRET}).content.decode(), role
    for notification in Notification.objects.all():
        assert SECRET not in str(notification.context)


def test_calls_are_found_by_the_search_box(matrix):
    world, users, _objects = matrix
    hits = search_everything(users["anonymous"], query="AI-fabless joint research")
    assert any(hit.record == world.call for hit in hits)


def test_applicants_never_see_who_reviewed_them(matrix):
    _world, users, objects = matrix
    application = objects["application"]
    reviewer = objects["reviewer_profile"].person
    for role in APPLICANT:
        client = _client(users[role])
        page = client.get(f"/en/programs/applications/{application.pk}/").text
        assert "Solid plan." in page and "Budget is high." not in page
        assert reviewer.name_ko not in page and reviewer.name_en not in page
        feedback = ApiClient(users[role]).get(
            f"/api/programs/applications/{application.pk}/feedback"
        )
        assert feedback.json()["comments"] == ["Solid plan."]
        assert reviewer.name_en not in feedback.content.decode()
        assert not restrict(Review.objects.all(), users[role], Action.VIEW).exists()
        assert (
            ApiClient(users[role])
            .get(f"/api/programs/reviews/{objects['assignment'].pk}")
            .status_code
            == 404
        )


def test_the_reviewers_pages_show_titles_only_to_unconflicted_reviewers(matrix):
    world, users, objects = matrix
    url = f"/en/programs/reviewer/calls/{world.call.slug}/"
    title = objects["application"].title
    assert title in _client(users["unassigned_reviewer"]).get(url).text
    assert title not in _client(users["conflicted_reviewer"]).get(url).text
    for role in ("unassigned_reviewer", "conflicted_reviewer"):
        assert "엣지 비전용" not in _client(users[role]).get(url).text
