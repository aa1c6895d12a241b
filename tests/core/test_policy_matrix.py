"""The access policy as a matrix of role × object × action.

One small cluster is built once for the module (each test runs in its own savepoint, so
writes through the API are rolled back). The table says, for every object and action,
which of the six roles may do it; every role not named may not. Each row is checked
through ``can()`` and through ``restrict()`` (the queryset pages and the API list from), and
a second table checks the same rules at the API, as the status code a client receives.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Model
from django.test import Client

from sangsaeng.accounts.models import ApiToken, Invitation, Membership, User
from sangsaeng.accounts.services import api_token_create
from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.directory.models import (
    Agreement,
    CommitmentUpdate,
    Organisation,
    Person,
    TaxonomyTerm,
)
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    StudentFactory,
    TaxonomyTermFactory,
    UserFactory,
)

ROLES = ("anonymous", "student", "expert", "org_member", "org_admin", "operator")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
MEMBERS = frozenset({"org_member", "org_admin", "operator"})
OPERATOR = frozenset({"operator"})


@dataclass
class Cluster:
    """One user per role and one record per kind of object, related as the names say."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Model] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _build_cluster() -> Cluster:
    cluster = Cluster()
    own_org = OrganisationFactory(slug="own-org")
    other_org = OrganisationFactory(slug="other-org", kind=Organisation.Kind.UNIVERSITY)
    third_org = OrganisationFactory(slug="third-org")
    pending_org = OrganisationFactory(slug="pending-org", status=Organisation.Status.PENDING)
    own_pending_org = OrganisationFactory(
        slug="own-pending-org", status=Organisation.Status.PENDING
    )
    MembershipFactory(organisation=pending_org, role=Membership.Role.ADMIN)

    org_admin = MembershipFactory(organisation=own_org, role=Membership.Role.ADMIN).user
    MembershipFactory(user=org_admin, organisation=own_pending_org, role=Membership.Role.ADMIN)
    member_membership = MembershipFactory(organisation=own_org, role=Membership.Role.MEMBER)
    expert = UserFactory()
    public_expert = PersonFactory(slug="public-expert", user=expert, organisation=other_org)
    student = UserFactory()
    student_profile = StudentFactory(slug="student-profile", user=student, organisation=other_org)
    cluster.users = {
        "anonymous": AnonymousUser(),
        "student": student,
        "expert": expert,
        "org_member": member_membership.user,
        "org_admin": org_admin,
        "operator": OperatorFactory(),
    }

    public_agreement = AgreementFactory(slug="public-agreement", parties=[other_org, third_org])
    private_agreement = AgreementFactory(
        slug="private-agreement", parties=[own_org, other_org], is_public=False
    )
    own_commitment = CommitmentFactory(agreement=private_agreement, owner=own_org)
    other_commitment = CommitmentFactory(agreement=public_agreement, owner=other_org)
    cluster.objects = {
        "approved organisation": other_org,
        "pending organisation": pending_org,
        "own organisation": own_org,
        "own pending organisation": own_pending_org,
        "public expert": public_expert,
        "unclaimed colleague profile": PersonFactory(
            slug="colleague", organisation=own_org, is_public=False
        ),
        "student profile": student_profile,
        "listed student profile": StudentFactory(
            slug="listed-student", organisation=other_org, is_public=True
        ),
        "publication": PublicationFactory(person=public_expert),
        "public agreement": public_agreement,
        "non-public agreement": private_agreement,
        "own commitment": own_commitment,
        "other commitment": other_commitment,
        "indicator": IndicatorFactory(commitment=own_commitment),
        "progress update": CommitmentUpdate.objects.create(
            commitment=own_commitment,
            reported_on=datetime.date(2026, 3, 1),
            note_en="Kick-off held",
            status="in_progress",
        ),
        "membership": member_membership,
        "invitation": Invitation.objects.create(
            organisation=own_org, email="invitee@example.org", invited_by=org_admin
        ),
        "taxonomy term": TaxonomyTermFactory(code="ai"),
        "user": expert,
        "api token": api_token_create(actor=expert, name="expert's script")[0],
    }
    cluster.tokens = {
        role: api_token_create(actor=user, name="matrix")[1]
        for role, user in cluster.users.items()
        if role != "anonymous"
    }
    return cluster


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_cluster()
        transaction.set_rollback(True)


# (object, action, roles allowed). Every role not named is refused.
MATRIX: list[tuple[str, Action, frozenset[str]]] = [
    ("approved organisation", Action.VIEW, EVERYONE),
    ("approved organisation", Action.CHANGE, OPERATOR),
    ("approved organisation", Action.DELETE, OPERATOR),
    ("approved organisation", Action.APPROVE, OPERATOR),
    ("approved organisation", Action.MANAGE_MEMBERS, OPERATOR),
    ("pending organisation", Action.VIEW, OPERATOR),
    ("pending organisation", Action.CHANGE, OPERATOR),
    ("pending organisation", Action.APPROVE, OPERATOR),
    ("own organisation", Action.VIEW, EVERYONE),
    ("own organisation", Action.CHANGE, frozenset({"org_admin", "operator"})),
    ("own organisation", Action.DELETE, OPERATOR),
    ("own organisation", Action.APPROVE, OPERATOR),
    ("own organisation", Action.MANAGE_MEMBERS, frozenset({"org_admin", "operator"})),
    ("own pending organisation", Action.VIEW, frozenset({"org_admin", "operator"})),
    ("own pending organisation", Action.CHANGE, frozenset({"org_admin", "operator"})),
    # An organisation's admin cannot approve their own registration.
    ("own pending organisation", Action.APPROVE, OPERATOR),
    ("public expert", Action.VIEW, EVERYONE),
    ("public expert", Action.CHANGE, frozenset({"expert", "operator"})),
    # A person deletes their own profile (PIPA); an organisation's admin does not.
    ("public expert", Action.DELETE, frozenset({"expert", "operator"})),
    ("unclaimed colleague profile", Action.VIEW, MEMBERS),
    ("unclaimed colleague profile", Action.CHANGE, frozenset({"org_admin", "operator"})),
    ("student profile", Action.VIEW, frozenset({"student", "operator"})),
    ("student profile", Action.CHANGE, frozenset({"student", "operator"})),
    ("student profile", Action.DELETE, frozenset({"student", "operator"})),
    ("unclaimed colleague profile", Action.DELETE, OPERATOR),
    # A student ticking "listed" is still private: companies see students through the
    # talent app's recorded consent only (tests/talent/test_privacy.py), or when the student
    # showed interest in one of their needs (tests/matching/test_students.py).
    ("listed student profile", Action.VIEW, OPERATOR),
    ("listed student profile", Action.CHANGE, OPERATOR),
    ("publication", Action.VIEW, EVERYONE),
    ("publication", Action.CHANGE, frozenset({"expert", "operator"})),
    ("public agreement", Action.VIEW, EVERYONE),
    ("public agreement", Action.CHANGE, OPERATOR),
    ("public agreement", Action.DELETE, OPERATOR),
    ("non-public agreement", Action.VIEW, MEMBERS),
    ("non-public agreement", Action.CHANGE, OPERATOR),
    ("own commitment", Action.VIEW, MEMBERS),
    ("own commitment", Action.REPORT_PROGRESS, frozenset({"org_admin", "operator"})),
    ("own commitment", Action.CHANGE, OPERATOR),
    ("other commitment", Action.VIEW, EVERYONE),
    ("other commitment", Action.REPORT_PROGRESS, OPERATOR),
    ("indicator", Action.VIEW, MEMBERS),
    ("indicator", Action.CHANGE, OPERATOR),
    ("progress update", Action.VIEW, MEMBERS),
    ("progress update", Action.CHANGE, OPERATOR),
    ("membership", Action.VIEW, MEMBERS),
    ("membership", Action.CHANGE, frozenset({"org_admin", "operator"})),
    ("membership", Action.DELETE, frozenset({"org_admin", "operator"})),
    ("invitation", Action.VIEW, frozenset({"org_admin", "operator"})),
    ("invitation", Action.DELETE, frozenset({"org_admin", "operator"})),
    ("taxonomy term", Action.VIEW, EVERYONE),
    ("taxonomy term", Action.CHANGE, OPERATOR),
    ("taxonomy term", Action.DELETE, OPERATOR),
    ("user", Action.VIEW, frozenset({"expert", "operator"})),
    ("user", Action.CHANGE, frozenset({"expert", "operator"})),
    ("api token", Action.VIEW, frozenset({"expert", "operator"})),
    ("api token", Action.DELETE, frozenset({"expert", "operator"})),
    ("api token", Action.CHANGE, OPERATOR),
]

# (model, roles that may create one at all). Services may allow more in context, e.g. an
# organisation's admin adds people to that organisation.
CREATE_MATRIX: list[tuple[type[Model], frozenset[str]]] = [
    (Organisation, SIGNED_IN),
    (Person, OPERATOR),
    (Agreement, OPERATOR),
    (TaxonomyTerm, OPERATOR),
    (Membership, OPERATOR),
    (ApiToken, SIGNED_IN),
    (User, OPERATOR),
]

# (model, action, the object it is asked about, roles allowed): questions asked of no
# particular record, with the context the service acts in (who may add a person *to this
# organisation*), and the page-level ones (who opens the approval queue, who imports).
CONTEXT_MATRIX: list[tuple[type[Model], Action, str | None, frozenset[str]]] = [
    (Person, Action.CREATE, "own organisation", frozenset({"org_admin", "operator"})),
    (Person, Action.CREATE, "approved organisation", OPERATOR),
    (Person, Action.CREATE, None, OPERATOR),
    (Invitation, Action.CREATE, "own organisation", frozenset({"org_admin", "operator"})),
    (Invitation, Action.CREATE, "approved organisation", OPERATOR),
    (Organisation, Action.APPROVE, None, OPERATOR),
    (Organisation, Action.IMPORT, None, OPERATOR),
]

ROWS = [
    pytest.param(role, name, action, role in allowed, id=f"{role}-{action}-{name}")
    for name, action, allowed in MATRIX
    for role in ROLES
]
CREATE_ROWS = [
    pytest.param(role, model, role in allowed, id=f"{role}-create-{model.__name__}")
    for model, allowed in CREATE_MATRIX
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "object_name", "action", "expected"), ROWS)
def test_policy_decides_each_role_object_action(
    cluster: Cluster, role: str, object_name: str, action: Action, expected: bool
) -> None:
    user = cluster.users[role]
    obj = cluster.objects[object_name]
    assert can(user, action, obj) is expected
    allowed_ids = restrict(type(obj)._default_manager.all(), user, action).values_list(
        "pk", flat=True
    )
    assert (obj.pk in set(allowed_ids)) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "model", "expected"), CREATE_ROWS)
def test_policy_decides_who_may_create(
    cluster: Cluster, role: str, model: type[Model], expected: bool
) -> None:
    assert can(cluster.users[role], Action.CREATE, model) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "model", "action", "within", "expected"),
    [
        pytest.param(
            role,
            model,
            action,
            within,
            role in allowed,
            id=f"{role}-{action}-{model.__name__}-in-{within}",
        )
        for model, action, within, allowed in CONTEXT_MATRIX
        for role in ROLES
    ],
)
def test_policy_decides_in_the_context_a_service_acts_in(
    cluster: Cluster,
    role: str,
    model: type[Model],
    action: Action,
    within: str | None,
    expected: bool,
) -> None:
    context = {"organisation": cluster.objects[within]} if within else {}
    assert can(cluster.users[role], action, model, **context) is expected


# --- the same rules at the API ------------------------------------------------------

# (role, method, path, body, expected status)
API_MATRIX: list[tuple[str, str, str, dict[str, Any] | None, int]] = [
    ("anonymous", "GET", "/api/organisations/other-org", None, 200),
    ("anonymous", "GET", "/api/organisations/pending-org", None, 404),
    ("org_admin", "GET", "/api/organisations/pending-org", None, 404),
    ("org_admin", "GET", "/api/organisations/own-pending-org", None, 200),
    ("operator", "GET", "/api/organisations/pending-org", None, 200),
    ("anonymous", "PATCH", "/api/organisations/own-org", {"city": "Seongnam"}, 401),
    ("org_member", "PATCH", "/api/organisations/own-org", {"city": "Seongnam"}, 403),
    ("org_admin", "PATCH", "/api/organisations/own-org", {"city": "Seongnam"}, 200),
    ("org_admin", "PATCH", "/api/organisations/other-org", {"city": "Seongnam"}, 403),
    ("org_admin", "PATCH", "/api/organisations/pending-org", {"city": "Seongnam"}, 404),
    ("operator", "PATCH", "/api/organisations/other-org", {"city": "Seongnam"}, 200),
    ("org_admin", "POST", "/api/organisations/own-pending-org/approve", None, 403),
    ("expert", "POST", "/api/organisations/pending-org/approve", None, 404),
    ("operator", "POST", "/api/organisations/pending-org/approve", None, 200),
    ("operator", "POST", "/api/organisations/pending-org/reject", {"reason": "No office"}, 200),
    ("anonymous", "GET", "/api/people/public-expert", None, 200),
    ("student", "PATCH", "/api/people/public-expert", {"position_en": "CTO"}, 403),
    ("expert", "PATCH", "/api/people/public-expert", {"position_en": "CTO"}, 200),
    ("org_admin", "PATCH", "/api/people/colleague", {"position_en": "Engineer"}, 200),
    ("org_member", "PATCH", "/api/people/colleague", {"position_en": "Engineer"}, 403),
    ("student", "GET", "/api/people/student-profile", None, 200),
    ("expert", "GET", "/api/people/student-profile", None, 404),
    ("org_admin", "GET", "/api/people/student-profile", None, 404),
    ("anonymous", "GET", "/api/people/listed-student", None, 404),
    ("org_member", "GET", "/api/people/listed-student", None, 404),
    ("anonymous", "GET", "/api/agreements/private-agreement", None, 404),
    ("expert", "GET", "/api/agreements/private-agreement", None, 404),
    ("org_member", "GET", "/api/agreements/private-agreement", None, 200),
    ("org_admin", "PATCH", "/api/agreements/private-agreement", {"source_en": "x"}, 403),
    ("operator", "PATCH", "/api/agreements/private-agreement", {"source_en": "press"}, 200),
    ("anonymous", "GET", "/api/agreements/public-agreement", None, 200),
    ("anonymous", "GET", "/api/taxonomy", None, 200),
    ("student", "GET", "/api/me", None, 200),
    ("anonymous", "GET", "/api/me", None, 401),
    ("anonymous", "GET", "/api/tokens", None, 401),
]
PROGRESS = {"note_en": "Two courses opened", "status": "in_progress"}
API_PROGRESS_MATRIX: list[tuple[str, str, int]] = [
    ("org_admin", "own commitment", 201),
    ("operator", "own commitment", 201),
    ("org_member", "own commitment", 403),
    ("expert", "own commitment", 404),
    ("anonymous", "own commitment", 401),
    ("org_admin", "other commitment", 403),
]


def _client_request(
    cluster: Cluster, role: str, method: str, path: str, body: dict[str, Any] | None
) -> Any:
    headers = {"Accept-Language": "en"}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {cluster.tokens[role]}"
    client = Client()
    if method == "GET":
        return client.get(path, headers=headers)
    send = client.patch if method == "PATCH" else client.post
    return send(path, body or {}, content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "method", "path", "body", "expected"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}-{row[2]}") for row in API_MATRIX],
)
def test_api_answers_each_role_as_the_policy_decides(
    cluster: Cluster,
    role: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    expected: int,
) -> None:
    response = _client_request(cluster, role, method, path, body)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "object_name", "expected"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in API_PROGRESS_MATRIX],
)
def test_api_progress_reports_follow_the_policy(
    cluster: Cluster, role: str, object_name: str, expected: int
) -> None:
    commitment = cluster.objects[object_name]
    path = f"/api/commitments/{commitment.pk}/progress"
    response = _client_request(cluster, role, "POST", path, PROGRESS)
    assert response.status_code == expected, response.content


def test_every_model_of_the_platform_has_an_access_rule():
    from django.apps import apps

    from sangsaeng.core.policy import registered_models

    platform_models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("sangsaeng.") and not model._meta.abstract
    ]
    assert platform_models
    missing = [model.__name__ for model in platform_models if model not in registered_models()]
    assert missing == [], f"add access rules for {missing} to core/policy.py"
