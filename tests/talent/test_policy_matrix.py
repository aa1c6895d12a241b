"""The talent records' access rules as a role × object × action matrix.

Roles: anonymous; a student (who consents to companies, enrolled, certified, ranked company
A's opening and was placed there); another student (no consent, applied nowhere); a member
of the university that runs the course (the provider); a member and an admin of company A
(with an open opening); an admin of company B (also recruiting, nobody applied to it); an
operator. Every row is checked through ``can()`` and through ``restrict()``; a second
table checks the same rules at the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sangsaeng.accounts.models import Membership
from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.talent.models import (
    Certificate,
    CompanyRanking,
    ConsentRecord,
    Course,
    Enrolment,
    MatchResult,
    MatchRun,
    Opening,
    Placement,
    PlacementRound,
    RoundParticipant,
    StudentChoice,
    StudentProfile,
)
from tests.api.conftest import ApiClient
from tests.factories import (
    CourseFactory,
    MembershipFactory,
    OpeningFactory,
    OperatorFactory,
    OrganisationFactory,
    PlacementRoundFactory,
    StudentProfileFactory,
)

ROLES = (
    "anonymous",
    "student",
    "other_student",
    "provider",
    "company_member",
    "company_admin",
    "other_company",
    "operator",
)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
COMPANY = frozenset({"company_member", "company_admin"})
RECRUITERS = COMPANY | {"other_company"}
OPERATOR = frozenset({"operator"})
NOBODY: frozenset[str] = frozenset()


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Model] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _build() -> World:
    university = OrganisationFactory(kind="university")
    company_a = OrganisationFactory()
    company_b = OrganisationFactory()
    provider = MembershipFactory(organisation=university).user
    company_member = MembershipFactory(organisation=company_a).user
    company_admin = MembershipFactory(organisation=company_a, role=Membership.Role.ADMIN).user
    other_company = MembershipFactory(organisation=company_b, role=Membership.Role.ADMIN).user
    student = StudentProfileFactory(person__organisation=university, companies=True)
    other = StudentProfileFactory(person__organisation=university)
    applicant = StudentProfileFactory(person__organisation=university)  # no consent, applied

    published = CourseFactory(organisation=university)
    draft = CourseFactory(organisation=university, status="draft")
    enrolment = Enrolment.objects.create(course=published, student=student.person)
    completed = Enrolment.objects.create(
        course=draft,
        student=student.person,
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    certificate = Certificate.objects.create(
        enrolment=completed,
        holder_name_ko="학생",
        course_title_ko="과정",
        provider_name_ko="대학",
        completed_on=timezone.localdate(),
    )
    opening = OpeningFactory(organisation=company_a, author=company_admin)
    closed = OpeningFactory(organisation=company_a, status="closed")
    OpeningFactory(organisation=company_b)
    placement_round = PlacementRoundFactory(openings=[opening])
    draft_round = PlacementRoundFactory(status="draft")
    participant = RoundParticipant.objects.create(round=placement_round, student=student.person)
    RoundParticipant.objects.create(round=placement_round, student=applicant.person)
    choice = StudentChoice.objects.create(
        round=placement_round, student=student.person, opening=opening, rank=1
    )
    StudentChoice.objects.create(
        round=placement_round, student=applicant.person, opening=opening, rank=1
    )
    ranking = CompanyRanking.objects.create(
        round=placement_round, opening=opening, student=student.person, rank=1
    )
    run = MatchRun.objects.create(round=placement_round, method="stable", status="done")
    result = MatchResult.objects.create(
        round=placement_round,
        run=run,
        student=student.person,
        opening=opening,
        choice_rank=1,
        offer=MatchResult.Offer.PENDING,
    )
    placement = Placement.objects.create(
        student=student.person,
        source=Placement.Source.ROUND,
        round=placement_round,
        opening=opening,
        employer=company_a,
        employer_name=company_a.name_ko,
        kind="internship",
    )
    return World(
        users={
            "anonymous": AnonymousUser(),
            "student": student.person.user,
            "other_student": other.person.user,
            "provider": provider,
            "company_member": company_member,
            "company_admin": company_admin,
            "other_company": other_company,
            "operator": OperatorFactory(),
        },
        objects={
            "published course": published,
            "draft course": draft,
            "enrolment": enrolment,
            "certificate": certificate,
            "consenting profile": student,
            "private profile": other,
            "applicant's private profile": applicant,
            "consent record": ConsentRecord.objects.filter(user=student.person.user).first(),
            "open opening": opening,
            "closed opening": closed,
            "open round": placement_round,
            "draft round": draft_round,
            "participation": participant,
            "choice": choice,
            "company ranking": ranking,
            "match run": run,
            "match result": result,
            "placement": placement,
        },
        context={"university": university, "company_a": company_a, "opening": opening},
    )


MATRIX = [
    ("published course", Action.VIEW, EVERYONE),
    ("published course", Action.CHANGE, {"provider", "operator"}),
    ("draft course", Action.VIEW, {"provider", "operator"}),
    ("draft course", Action.DELETE, OPERATOR),
    ("enrolment", Action.VIEW, {"student", "provider", "operator"}),
    ("enrolment", Action.CHANGE, {"provider", "operator"}),  # mark completion
    ("enrolment", Action.DELETE, {"student"}),  # withdraw
    ("certificate", Action.VIEW, {"student", "provider", "operator"}),
    ("certificate", Action.VIEW_SUMMARY, EVERYONE),  # the public check by code
    ("certificate", Action.CHANGE, NOBODY),
    # Consent to companies: recruiting companies see it, other students and providers not.
    ("consenting profile", Action.VIEW, {"student", "operator"} | RECRUITERS),
    ("consenting profile", Action.CHANGE, {"student"}),
    ("consenting profile", Action.DELETE, {"student"}),
    ("private profile", Action.VIEW, {"other_student", "operator"}),
    ("private profile", Action.CHANGE, {"other_student"}),
    # No consent, but ranked company A's opening: company A sees them, company B does not.
    ("applicant's private profile", Action.VIEW, COMPANY | OPERATOR),
    ("consent record", Action.VIEW, {"student", "operator"}),
    ("consent record", Action.CHANGE, NOBODY),
    ("open opening", Action.VIEW, EVERYONE),
    ("open opening", Action.CHANGE, {"company_admin", "operator"}),
    ("closed opening", Action.VIEW, COMPANY | OPERATOR),
    ("open round", Action.VIEW, EVERYONE),
    ("open round", Action.CHANGE, OPERATOR),
    ("draft round", Action.VIEW, OPERATOR),
    ("participation", Action.VIEW, {"student", "operator"}),
    ("participation", Action.DELETE, {"student", "operator"}),
    ("choice", Action.VIEW, {"student", "operator"}),  # a company never sees the rank given
    ("choice", Action.CHANGE, {"student"}),
    ("choice", Action.VIEW_SUMMARY, {"student", "operator"} | COMPANY),  # who applied
    ("company ranking", Action.VIEW, COMPANY | OPERATOR),
    ("company ranking", Action.CHANGE, COMPANY),
    ("match run", Action.VIEW, OPERATOR),
    ("match run", Action.CHANGE, OPERATOR),
    ("match result", Action.VIEW, {"student", "operator"} | COMPANY),
    ("match result", Action.RESPOND, {"student"}),
    ("placement", Action.VIEW, {"student", "operator"} | COMPANY),
    ("placement", Action.CHANGE, OPERATOR),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "action", "allowed"), MATRIX, ids=lambda v: str(v))
def test_matrix(world, name, action, allowed):
    obj = world.objects[name]
    for role in ROLES:
        user = world.users[role]
        expected = role in allowed
        assert can(user, action, obj) is expected, (role, name, action)
        found = restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
        assert found is expected, (role, name, action, "restrict")


def _allows(world, model, action, **context):
    return {role for role in ROLES if can(world.users[role], action, model, **context)}


@pytest.mark.django_db
def test_questions_asked_of_no_record(world):
    university, company_a = world.context["university"], world.context["company_a"]
    assert _allows(world, Course, Action.CREATE, organisation=university) == {
        "provider",
        "operator",
    }
    assert _allows(world, Course, Action.CREATE, organisation=company_a) == COMPANY | OPERATOR
    assert _allows(world, Opening, Action.CREATE, organisation=company_a) == COMPANY | OPERATOR
    assert _allows(world, PlacementRound, Action.CREATE) == OPERATOR
    assert _allows(world, Placement, Action.CREATE) == OPERATOR
    assert _allows(world, StudentProfile, Action.CREATE) == SIGNED_IN
    assert _allows(world, Enrolment, Action.CREATE) == SIGNED_IN
    assert (
        _allows(world, CompanyRanking, Action.CHANGE, opening=world.context["opening"]) == COMPANY
    )


API_MATRIX = [
    ("anonymous", "GET", "/api/talent/courses/{published course}", 200),
    ("anonymous", "GET", "/api/talent/courses/{draft course}", 404),
    ("provider", "GET", "/api/talent/courses/{draft course}/roster", 200),
    ("company_admin", "GET", "/api/talent/courses/{published course}/roster", 404),
    ("anonymous", "GET", "/api/talent/students/{consenting profile}", 401),
    ("company_member", "GET", "/api/talent/students/{consenting profile}", 200),
    ("other_company", "GET", "/api/talent/students/{consenting profile}", 200),
    ("provider", "GET", "/api/talent/students/{consenting profile}", 404),
    ("company_member", "GET", "/api/talent/students/{private profile}", 404),
    ("company_member", "GET", "/api/talent/students/{applicant's private profile}", 200),
    ("other_company", "GET", "/api/talent/students/{applicant's private profile}", 404),
    ("operator", "GET", "/api/talent/students/{private profile}", 200),
    ("company_member", "GET", "/api/talent/openings/{closed opening}", 200),
    ("other_company", "GET", "/api/talent/openings/{closed opening}", 404),
    ("company_member", "GET", "/api/talent/rounds/{open round}/report", 404),
    ("operator", "GET", "/api/talent/rounds/{open round}/report", 200),
    (
        "other_company",
        "GET",
        "/api/talent/rounds/{open round}/openings/{open opening}/applicants",
        404,
    ),
    (
        "company_member",
        "GET",
        "/api/talent/rounds/{open round}/openings/{open opening}/applicants",
        200,
    ),
    ("anonymous", "GET", "/api/talent/rounds/{draft round}", 404),
    ("company_member", "POST", "/api/talent/results/{match result}/answer", 403),
    ("other_student", "POST", "/api/talent/results/{match result}/answer", 404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "method", "template", "status"), API_MATRIX)
def test_api_matrix(world, role, method, template, status):
    path = template
    for name, obj in world.objects.items():
        path = path.replace("{" + name + "}", str(obj.pk))
    user = world.users[role]
    client = ApiClient(None if role == "anonymous" else user)
    response = client.get(path) if method == "GET" else client.post(path, {"accept": False})
    assert response.status_code == status, (role, path, response.content[:200])
