"""The access policy of needs, matches and notifications as a role × object × action matrix.

Roles: anonymous, a student, a suggested expert (matched, never contacted), a member and an
admin of the posting company, an admin of another company, the admin of an organisation
still awaiting approval (their only one: not yet a member of the cluster), an operator, and
the contacted expert. A confidential need's text reaches only the posting side, the operator and the
contacted expert; the last test searches its unique words as every role, through the
search selector, the search page and the API, and finds it nowhere.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from sangsaeng.accounts.models import Membership
from sangsaeng.core.audit import history_of
from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.directory.models import Organisation
from sangsaeng.matching.models import (
    ConversationMessage,
    JointProject,
    Match,
    MatchEvent,
    MatchingRun,
    Need,
)
from sangsaeng.matching.parties import Party
from sangsaeng.matching.services import (
    contact_request,
    conversation_post,
    match_answer,
    need_create,
    project_create,
)
from sangsaeng.notifications.models import Notification, NotificationPreference
from sangsaeng.search.selectors import search_everything
from tests.api.conftest import ApiClient
from tests.factories import (
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    StudentFactory,
    UserFactory,
)

ROLES = (
    "anonymous",
    "student",
    "suggested_expert",
    "org_member",
    "org_admin",
    "other_admin",
    "pending_admin",
    "operator",
    "contacted_expert",
)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
# Members of any approved organisation (the cluster); not the admin of a pending one.
MEMBERS_OF_ANY = frozenset({"org_member", "org_admin", "other_admin", "operator"})
POSTING_SIDE = frozenset({"org_member", "org_admin"})
BOTH_SIDES = POSTING_SIDE | {"contacted_expert"}
SECRET_WORDS = "Zephyrite Quokkanode"


@pytest.fixture
def world(db):
    company = OrganisationFactory(name_en="Poster Co", description_en="chips")
    org_admin = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    org_member = MembershipFactory(organisation=company, role=Membership.Role.MEMBER).user
    other = OrganisationFactory(name_en="Other Co")
    other_admin = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user
    # Signed up and registered an organisation, which waits for an operator's approval.
    pending = OrganisationFactory(name_en="Pending Co", status=Organisation.Status.PENDING)
    pending_admin = MembershipFactory(organisation=pending, role=Membership.Role.ADMIN).user
    university = OrganisationFactory(kind="university")
    contacted_user, suggested_user, student_user = UserFactory(), UserFactory(), UserFactory()
    contacted = PersonFactory(user=contacted_user, organisation=university)
    suggested = PersonFactory(user=suggested_user, organisation=university)
    StudentFactory(user=student_user)
    users = {
        "anonymous": AnonymousUser(),
        "student": student_user,
        "suggested_expert": suggested_user,
        "org_member": org_member,
        "org_admin": org_admin,
        "other_admin": other_admin,
        "pending_admin": pending_admin,
        "operator": OperatorFactory(),
        "contacted_expert": contacted_user,
    }

    def post(
        visibility: str, title: str, description: str, summary: str = "", **extra: bool
    ) -> Need:
        return need_create(
            actor=org_admin,
            organisation=company,
            kind=Need.Kind.TECHNOLOGY_REQUEST,
            title=title,
            description=description,
            visibility=visibility,
            summary=summary,
            start_matching=False,
            **extra,
        )

    public = post("public", "Public need", "An open request for NPU compilers.")
    members = post("members", "Members need", "For cluster members: chiplet packaging.")
    members_for_students = post(
        "members", "Internship", "A members-only internship for students.", for_students=True
    )
    public_for_students = post(
        "public", "Thesis topic", "A public thesis topic.", for_students=True
    )
    confidential_for_students = post(
        "confidential",
        "Secret internship",
        "A confidential internship.",
        summary="An internship.",
        for_students=True,
    )
    confidential = post(
        "confidential",
        f"Secret {SECRET_WORDS} project",
        f"We build the {SECRET_WORDS} accelerator for a customer.",
        summary="A fabless company looks for verification help.",
    )
    Match.objects.create(need=confidential, person=suggested, rank=2)
    request = contact_request(
        actor=org_admin, need=confidential, party=Party.of(contacted), message="Can we talk?"
    )
    match_answer(actor=contacted_user, match=request, accept=True)
    message = conversation_post(actor=contacted_user, match=request, body="Gladly.")
    project = project_create(
        actor=org_admin, match=request, title="Joint work", start_date=datetime.date(2026, 3, 1)
    )
    run = MatchingRun.objects.create(need=confidential)
    objects = {
        "public_need": public,
        "members_need": members,
        "members_need_for_students": members_for_students,
        "public_need_for_students": public_for_students,
        "confidential_need_for_students": confidential_for_students,
        "confidential_need": confidential,
        "match": Match.objects.get(pk=request.pk),
        "event": request.events.first(),
        "message": message,
        "project": project,
        "run": run,
        "notification": Notification.objects.filter(recipient=contacted_user).first(),
        "preference": NotificationPreference.objects.create(user=contacted_user),
    }
    return users, objects


# (object, action, roles allowed). Every role not named is refused.
MATRIX = [
    ("public_need", Action.VIEW, EVERYONE),
    ("members_need", Action.VIEW, MEMBERS_OF_ANY),
    # A need posted for students is read by students too, unless it is confidential.
    ("members_need_for_students", Action.VIEW, MEMBERS_OF_ANY | {"student"}),
    ("members_need_for_students", Action.VIEW_SUMMARY, MEMBERS_OF_ANY | {"student"}),
    ("public_need_for_students", Action.VIEW, EVERYONE),
    ("confidential_need_for_students", Action.VIEW, POSTING_SIDE | {"operator"}),
    ("members_need_for_students", Action.CHANGE, {"org_admin", "operator"}),
    ("members_need_for_students", Action.REQUEST_CONTACT, POSTING_SIDE | {"operator"}),
    ("confidential_need", Action.VIEW, BOTH_SIDES | {"operator"}),
    ("confidential_need", Action.VIEW_SUMMARY, BOTH_SIDES | {"operator", "suggested_expert"}),
    ("public_need", Action.CHANGE, {"org_admin", "operator"}),
    ("public_need", Action.REQUEST_CONTACT, POSTING_SIDE | {"operator"}),
    ("match", Action.VIEW, BOTH_SIDES | {"operator"}),
    ("match", Action.RESPOND, {"contacted_expert"}),
    ("match", Action.CONVERSE, BOTH_SIDES),
    ("match", Action.REQUEST_CONTACT, POSTING_SIDE),
    ("match", Action.CHANGE, set()),
    ("event", Action.VIEW, BOTH_SIDES | {"operator"}),
    ("message", Action.VIEW, BOTH_SIDES | {"operator"}),
    ("project", Action.VIEW, BOTH_SIDES | {"operator"}),
    ("project", Action.CHANGE, set()),
    ("run", Action.VIEW, POSTING_SIDE | {"operator"}),
    ("notification", Action.VIEW, {"contacted_expert"}),
    ("notification", Action.CHANGE, {"contacted_expert"}),
    ("preference", Action.VIEW, {"contacted_expert"}),
]


@pytest.mark.parametrize(("name", "action", "allowed"), MATRIX)
def test_policy_matrix(world, name, action, allowed):
    users, objects = world
    record = objects[name]
    for role in ROLES:
        expected = role in allowed
        assert can(users[role], action, record) is expected, (role, name, action)
        visible = restrict(type(record).objects.all(), users[role], action)
        assert visible.filter(pk=record.pk).exists() is expected, (role, name, action)


@pytest.mark.parametrize(
    ("role", "may_post"),
    [(role, role in {"org_member", "org_admin", "other_admin", "operator"}) for role in ROLES],
)
def test_who_may_post_needs(world, role, may_post):
    users, _ = world
    assert can(users[role], Action.CREATE, Need) is may_post


@pytest.mark.parametrize(
    ("role", "may_post"),
    [(role, role in {"org_member", "org_admin", "operator"}) for role in ROLES],
)
def test_who_may_post_needs_for_the_posting_company(world, role, may_post):
    """needs are posted *for an organisation*: only its own members (and operators) may."""
    users, objects = world
    company = objects["public_need"].organisation
    assert can(users[role], Action.CREATE, Need, organisation=company) is may_post


def test_nobody_but_operators_posts_for_an_organisation_awaiting_approval(world):
    users, objects = world
    company = objects["public_need"].organisation
    company.status = "pending"
    company.save()
    allowed = {
        role for role in ROLES if can(users[role], Action.CREATE, Need, organisation=company)
    }
    assert allowed == {"operator"}


def test_members_only_need_stays_closed_to_whoever_only_registered_an_organisation(world):
    """Sign up, register an organisation (it waits for approval): members-only needs stay
    closed in the page, the list, the API and the search, until an operator approves it."""
    users, objects = world
    need = objects["members_need"]
    user = users["pending_admin"]
    client = Client()
    client.force_login(user)
    assert client.get(reverse("matching:need_detail", args=[need.pk])).status_code == 404
    assert need.title not in client.get(reverse("matching:need_list")).content.decode()
    api = ApiClient(user)
    assert api.get(f"/api/needs/{need.pk}").status_code == 404
    assert all(item["id"] != need.pk for item in api.get("/api/needs/").json())
    assert all(hit.record != need for hit in search_everything(user, query="chiplet packaging"))

    pending = user.memberships.get().organisation
    pending.status = Organisation.Status.APPROVED
    pending.save()
    assert client.get(reverse("matching:need_detail", args=[need.pk])).status_code == 200
    assert api.get(f"/api/needs/{need.pk}").status_code == 200


def test_need_pages_answer_each_role_as_the_policy_says(world):
    users, objects = world
    need = objects["confidential_need"]
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        page = client.get(reverse("matching:need_detail", args=[need.pk]))
        if role in BOTH_SIDES | {"operator"}:
            assert SECRET_WORDS in page.content.decode(), role
        elif role == "suggested_expert":
            assert page.status_code == 200
            body = page.content.decode()
            assert need.summary in body and SECRET_WORDS not in body
        else:
            assert page.status_code == 404, role


def test_api_answers_each_role_as_the_policy_says(world):
    users, objects = world
    need = objects["confidential_need"]
    for role in ROLES:
        api = ApiClient(None if role == "anonymous" else users[role])
        response = api.get(f"/api/needs/{need.pk}")
        if role in BOTH_SIDES | {"operator"}:
            assert response.json()["description"].count(SECRET_WORDS) == 1, role
        elif role == "suggested_expert":
            assert response.json()["description"] is None
            assert SECRET_WORDS not in response.content.decode()
        else:
            assert response.status_code == 404, role
        assert SECRET_WORDS not in api.get("/api/needs/").content.decode() or role in (
            BOTH_SIDES | {"operator"}
        )


def test_confidential_words_are_found_by_no_search_for_any_role(world):
    users, objects = world
    for role in ROLES:
        user = users[role]
        hits = search_everything(user, query=SECRET_WORDS)
        assert all(hit.record != objects["confidential_need"] for hit in hits), role
        assert all(SECRET_WORDS not in str(hit.explanation) for hit in hits), role
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        page = client.get(reverse("matching:search"), {"q": SECRET_WORDS}).content.decode()
        assert SECRET_WORDS not in page.replace(f'value="{SECRET_WORDS}"', ""), role
        api = ApiClient(None if role == "anonymous" else user)
        api_hits = api.get("/api/needs/search", {"q": SECRET_WORDS}).json()
        assert all(
            hit["id"] != objects["confidential_need"].pk or hit["kind"] not in ("need", "offer")
            for hit in api_hits
        ), role


def test_notifications_about_a_confidential_need_carry_its_summary_only(world):
    users, objects = world
    for notification in Notification.objects.all():
        assert SECRET_WORDS not in str(notification.context)
    need = objects["confidential_need"]
    assert Notification.objects.filter(
        recipient=users["contacted_expert"], context__need=need.summary
    ).exists()


def test_audit_log_of_a_confidential_need_is_for_operators_only(world):
    users, objects = world
    need = objects["confidential_need"]
    for role in ROLES:
        entries = history_of(need, users[role])
        assert entries.exists() is (role == "operator"), role


def test_other_roles_cannot_answer_or_talk_through_the_api(world):
    users, objects = world
    match = objects["match"]
    for role in ("student", "suggested_expert", "other_admin", "operator"):
        api = ApiClient(users[role])
        response = api.post(f"/api/needs/matches/{match.pk}/messages", {"body": "hi"})
        assert response.status_code in (403, 404), role
    assert ConversationMessage.objects.count() == 1
    assert JointProject.objects.count() == 1
    assert MatchEvent.objects.filter(match=match).count() == 3
