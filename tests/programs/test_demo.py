"""The support-programs demo: a closed call decided end to end and an open call to apply to."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from sangsaeng.accounts.models import User
from sangsaeng.demo import programs as programs_demo
from sangsaeng.demo.loader import load_demo
from sangsaeng.directory.models import Person
from sangsaeng.programs.models import (
    Application,
    AssignmentRun,
    Award,
    AwardReport,
    Call,
    Conflict,
    ProposedReviewer,
    Review,
    ReviewAssignment,
    ReviewerProfile,
)

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_whole_loop():
    # The directory the programs demo draws on (companies and experts; students are not
    # needed, and leaving them out keeps the search index this test builds small).
    load_demo(seed=3, scale=0.7, with_needs=False)
    Person.objects.filter(kind=Person.Kind.STUDENT).delete()
    started = time.perf_counter()
    assert programs_demo.load(3) == 45
    print(f"programs demo loaded in {time.perf_counter() - started:.1f} s")
    closed = Call.objects.get(slug=programs_demo.CLOSED_CALL)
    opened = Call.objects.get(slug=programs_demo.OPEN_CALL)
    assert closed.status == "decided" and closed.commitment is not None
    assert opened.phase == "open"
    assert Application.objects.filter(call=closed).count() == 40
    assert all(a.partners.exists() for a in Application.objects.filter(call=closed))
    assert ReviewerProfile.objects.filter(opted_in=True).count() == 60
    reasons = set(
        Conflict.objects.filter(application__call=closed).values_list("reason", flat=True)
    )
    assert reasons >= {
        "same_organisation",
        "past_organisation",
        "coauthor",
        "accepted_match",
        "joint_project",
        "partner",
        "declared",
        "operator",
    }, reasons
    assert Conflict.objects.filter(lifted_at__isnull=False).exists()
    run = AssignmentRun.objects.get(call=closed)
    assert run.status == "done" and run.invitations_sent_at
    assert ProposedReviewer.objects.filter(run=run, role="alternate").exists()
    assert ReviewAssignment.objects.filter(replaces__isnull=False).exists()
    assert (
        Review.objects.filter(assignment__application__call=closed, status="submitted").count()
        >= 38 * 3
    )
    assert Award.objects.filter(application__call=closed).exists()
    assert AwardReport.objects.filter(submitted_at__isnull=True, kind="interim").exists()
    # orgadmin@ applied to the closed call (and sees the decision) and may apply to the open one.
    orgadmin = User.objects.get(email="orgadmin@sangsaeng.demo.example")
    client = Client()
    client.force_login(orgadmin)
    assert "Check eligibility and apply" in client.get(f"/en/programs/calls/{opened.slug}/").text
    apply_page = client.get(f"/en/programs/calls/{opened.slug}/apply/").text
    assert "Start the application" in apply_page
    expert = User.objects.get(email="expert@sangsaeng.demo.example")
    assert ReviewerProfile.objects.get(person__user=expert).opted_in
    # A second load changes nothing.
    assert programs_demo.load(3) == 0
