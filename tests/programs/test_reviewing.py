"""The reviewer pool, conflicts of every kind, bids, the engine's assignment as a background
task (swaps, invitations, alternates filling a declined place, an infeasible problem in
words), and reviews (scale, deadline, reminders)."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.programs import selectors, services
from sangsaeng.programs.infeasibility import explain_problems
from sangsaeng.programs.models import (
    AssignmentRun,
    Call,
    Conflict,
    PastAffiliation,
    ProposedReviewer,
    Review,
    ReviewAssignment,
)
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
)
from tests.programs.conftest import SECRET, fill_application, make_reviewer, pdf_upload

pytestmark = pytest.mark.django_db


def _second_application(world):
    application = services.application_start(
        actor=world.other_admin, call=world.call, organisation=world.other_company
    )
    services.application_save(
        actor=world.other_admin,
        application=application,
        title="LPDDR5 memory controller for edge NPUs",
        requested_amount=60_000_000,
        area=world.area,
        answers={"summary": "A DRAM controller and memory interface for LPDDR5."},
    )
    services.application_file_upload(
        actor=world.other_admin, application=application, field_key="plan", upload=pdf_upload()
    )
    return services.application_submit(actor=world.other_admin, application=application)


def close(world):
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    world.call.refresh_from_db()


@pytest.fixture
def closed(world):
    """Two screened-in applications of a call that has just closed."""
    first = fill_application(world)
    second = _second_application(world)
    close(world)
    services.applications_screen_passing(actor=world.operator, call=world.call)
    first.refresh_from_db()
    second.refresh_from_db()
    return world, first, second


def reasons(application):
    return {
        (c.reviewer_id, c.reason)
        for c in Conflict.objects.filter(application=application, lifted_at__isnull=True)
    }


def test_conflicts_of_every_kind_are_found_with_their_reason(closed):
    world, first, second = closed
    this_year = timezone.localdate().year
    neutral = OrganisationFactory(kind="research_institute")
    # Same organisation now (an expert profile at the applicant), and by membership.
    _colleague_user, colleague = make_reviewer("colleague", world.company, [])
    member_user, by_membership = make_reviewer("member-expert", neutral, [])
    MembershipFactory(user=member_user, organisation=world.other_company)
    # Former organisation within the window, and one outside it.
    _u, recent = make_reviewer("recent-leaver", neutral, [])
    PastAffiliation.objects.create(
        reviewer=recent, organisation=world.company, until_year=this_year - 2
    )
    _u, old = make_reviewer("old-leaver", neutral, [])
    PastAffiliation.objects.create(
        reviewer=old, organisation=world.company, until_year=this_year - 6
    )
    # An accepted contact request, and a joint project, with the applicant.
    need = Need.objects.create(
        organisation=world.company, kind="technology_request", title="t", description="d"
    )
    Match.objects.create(need=need, person=world.reviewers["dram"].person, state="accepted")
    project_match = Match.objects.create(
        need=need, person=world.reviewers["rf"].person, state="project"
    )
    project = JointProject.objects.create(
        match=project_match, title="Edge NPU board", start_date=datetime.date(2025, 1, 1)
    )
    project.participants.set([world.users["rf"], world.admin])
    # A co-authorship older than the window does not count.
    engineer = PersonFactory(organisation=world.company)
    PublicationFactory(person=engineer, title="Old joint paper", year=this_year - 9)
    _u, old_coauthor = make_reviewer(
        "old-coauthor", neutral, [("Old Joint Paper", "x", this_year - 9)]
    )

    services.conflicts_refresh(actor=world.operator, call=world.call)

    found = reasons(first)
    assert (colleague.pk, "same_organisation") in found
    assert (recent.pk, "past_organisation") in found
    assert all(reviewer != old.pk for reviewer, _ in found)
    assert (world.reviewers["partner"].pk, "partner") in found
    assert (world.reviewers["coauthor"].pk, "coauthor") in found
    assert all(reviewer != old_coauthor.pk for reviewer, _ in found)
    assert (world.reviewers["dram"].pk, "accepted_match") in found
    assert (world.reviewers["rf"].pk, "joint_project") in found
    assert (by_membership.pk, "same_organisation") in reasons(second)
    coauthor = Conflict.objects.get(application=first, reason="coauthor")
    assert "A Sparse NPU for Edge Vision" in coauthor.description
    assert "2025" in coauthor.description
    joint = Conflict.objects.get(application=first, reason="joint_project")
    assert "Edge NPU board" in joint.description


def test_a_partner_expert_conflicts_too(world):
    application = fill_application(world, submit=False)
    services.partner_add(
        actor=world.admin, application=application, person=world.reviewers["npu"].person
    )
    services.application_submit(actor=world.admin, application=application)
    services.conflicts_refresh(actor=world.operator, call=world.call)
    conflict = Conflict.objects.get(application=application, reviewer=world.reviewers["npu"])
    assert conflict.reason == "partner" and "partner expert" in conflict.description


def test_refreshing_removes_what_the_records_no_longer_show_but_keeps_lifted_ones(closed):
    world, first, _second = closed
    _u, leaver = make_reviewer("leaver", OrganisationFactory(kind="research_institute"), [])
    affiliation = PastAffiliation.objects.create(
        reviewer=leaver, organisation=world.company, until_year=timezone.localdate().year
    )
    services.conflicts_refresh(actor=world.operator, call=world.call)
    partner = Conflict.objects.get(application=first, reason="partner")
    services.conflict_lift(actor=world.operator, conflict=partner, reason="다른 학과 소속")
    affiliation.delete()
    result = services.conflicts_refresh(actor=world.operator, call=world.call)
    assert result["removed"] == 1
    assert not Conflict.objects.filter(reviewer=leaver).exists()
    partner.refresh_from_db()
    assert partner.lifted_at is not None and partner.lift_reason == "다른 학과 소속"


def test_lifting_needs_a_reason_is_for_operators_and_is_audited(closed):
    world, first, _second = closed
    services.conflicts_refresh(actor=world.operator, call=world.call)
    conflict = Conflict.objects.get(application=first, reason="partner")
    with pytest.raises(ValidationError):
        services.conflict_lift(actor=world.operator, conflict=conflict, reason=" ")
    with pytest.raises(PermissionDenied):
        services.conflict_lift(actor=world.admin, conflict=conflict, reason="no")
    services.conflict_lift(actor=world.operator, conflict=conflict, reason="확인함")
    entry = LogEntry.objects.get_for_object(conflict).filter(actor=world.operator).first()
    assert entry is not None and "lift_reason" in entry.changes_dict
    added = services.conflict_add(
        actor=world.operator, application=first, reviewer=world.reviewers["rf"], note="가족 관계"
    )
    assert added.reason == "operator" and "가족 관계" in added.description


def test_bids_and_declared_conflicts_on_titles_only(closed):
    world, first, second = closed
    services.conflicts_refresh(actor=world.operator, call=world.call)
    npu = world.users["npu"]
    titles = {item.application.pk for item in selectors.biddable_applications(npu, world.call)}
    assert titles == {first.pk, second.pk}
    # The coauthor sees only what they do not conflict with.
    coauthor = world.users["coauthor"]
    assert {i.application.pk for i in selectors.biddable_applications(coauthor, world.call)} == {
        second.pk
    }
    with pytest.raises(PermissionDenied):  # a conflicted reviewer does not even see the title
        services.bid_place(actor=coauthor, application=first, kind="eager")
    services.bid_place(actor=npu, application=first, kind="eager")
    with pytest.raises(ValidationError):
        services.bid_place(actor=npu, application=first, kind="sure")
    services.conflict_declare(actor=npu, application=first, note="자문 경험")
    assert not first.bids.exists()
    assert first.pk not in {
        item.application.pk for item in selectors.biddable_applications(npu, world.call)
    }


def _run(world, capture, **options):
    with capture(execute=True):
        run = services.assignment_start(actor=world.operator, call=world.call, **options)
    run.refresh_from_db()
    return run


def test_the_assignment_respects_conflicts_keeps_alternates_and_explains_each_pair(
    closed, django_capture_on_commit_callbacks
):
    world, _first, second = closed
    run = _run(world, django_capture_on_commit_callbacks, alternates=3)
    assert run.status == "done", run.error
    assigned = ProposedReviewer.objects.filter(run=run, role="assigned")
    assert assigned.count() == 4  # two reviewers each
    conflicted = set(
        Conflict.objects.filter(lifted_at__isnull=True).values_list("application_id", "reviewer_id")
    )
    assert conflicted  # the partner and the co-author
    pairs = set(
        ProposedReviewer.objects.filter(run=run).values_list("application_id", "reviewer_id")
    )
    assert not pairs & conflicted
    # The DRAM expert fits the memory-controller application best.
    best = (
        ProposedReviewer.objects.filter(run=run, application=second).order_by("-affinity").first()
    )
    assert best.reviewer == world.reviewers["dram"]
    assert "lpddr5" in best.reason["terms"] or best.reason["document"] == "DRAM controllers"
    assert ProposedReviewer.objects.filter(run=run, role="alternate").exists()
    assert run.summary["assigned"] == 4 and run.summary["seconds"] >= 0


def test_swaps_offer_the_alternates_and_keep_loads(closed, django_capture_on_commit_callbacks):
    world, first, _second = closed
    run = _run(world, django_capture_on_commit_callbacks)
    page = selectors.assignment_page(world.operator, run)
    row = next(r for r in page.rows if r.application == first)
    pair, alternate = row.assigned[0].proposal, row.alternates[0].proposal
    services.proposal_swap(actor=world.operator, proposal=pair, replacement=alternate)
    alternate.refresh_from_db()
    pair.refresh_from_db()
    assert alternate.role == "assigned" and alternate.swapped_in and pair.role == "alternate"
    # Swapping in someone not among this application's alternates is refused.
    other_row = next(r for r in page.rows if r.application != first)
    with pytest.raises(ValidationError, match="alternates"):
        services.proposal_swap(
            actor=world.operator,
            proposal=row.assigned[1].proposal,
            replacement=other_row.assigned[0].proposal,
        )
    # A reviewer at their load is refused as a swap.
    cap = world.reviewers[next(iter(world.reviewers))]
    call = world.call
    call.reviewer_max_load = 1
    call.save()
    crowded = ProposedReviewer.objects.filter(run=run, application=first, role="alternate").first()
    if (
        crowded
        and ProposedReviewer.objects.filter(
            run=run, reviewer=crowded.reviewer, role="assigned"
        ).exists()
    ):
        with pytest.raises(ValidationError, match="as many applications"):
            services.proposal_swap(
                actor=world.operator,
                proposal=ProposedReviewer.objects.filter(
                    run=run, application=first, role="assigned"
                ).first(),
                replacement=crowded,
            )
    assert cap is not None


def test_a_declined_invitation_goes_to_the_best_alternate_at_once(
    closed, django_capture_on_commit_callbacks
):
    from sangsaeng.notifications.models import Notification

    world, first, _second = closed
    run = _run(world, django_capture_on_commit_callbacks)
    count = services.invitations_send(actor=world.operator, run=run)
    assert count == ReviewAssignment.objects.count() == 4
    invited = Notification.objects.filter(kind="review_invitation")
    assert invited.exists() and all(SECRET not in str(n.context) for n in invited)
    declined = ReviewAssignment.objects.filter(application=first).first()
    others = set(
        ReviewAssignment.objects.filter(application=first).values_list("reviewer_id", flat=True)
    )
    best = (
        ProposedReviewer.objects.filter(run=run, application=first, role="alternate")
        .order_by("rank")
        .first()
    )
    replacement = services.assignment_respond(
        actor=declined.reviewer.person.user, assignment=declined, accept=False
    )
    assert replacement is not None and replacement.reviewer == best.reviewer
    assert replacement.replaces == declined and replacement.status == "invited"
    # Nothing else moved.
    assert set(
        ReviewAssignment.objects.filter(application=first)
        .exclude(pk__in=[declined.pk, replacement.pk])
        .values_list("reviewer_id", flat=True)
    ) == others - {declined.reviewer_id}
    with pytest.raises(ValidationError, match="already sent"):
        services.invitations_send(actor=world.operator, run=run)
    with pytest.raises(ValidationError, match="already sent"):
        services.assignment_start(actor=world.operator, call=world.call)


def test_an_infeasible_assignment_is_explained_in_words(closed, django_capture_on_commit_callbacks):
    world, first, _second = closed
    world.call.reviewers_per_application = 5  # five reviewers, two of them conflicted
    world.call.save()
    run = _run(world, django_capture_on_commit_callbacks)
    assert run.status == "infeasible"
    assert not ProposedReviewer.objects.filter(run=run).exists()
    lines = explain_problems(run.problems)
    text = " ".join(lines)
    assert first.receipt_number in text
    assert "needs 5 reviewers" in text and "conflicts of interest" in text


def test_nobody_opted_in_is_explained_too(closed, django_capture_on_commit_callbacks):
    world, _first, _second = closed
    for profile in world.reviewers.values():
        profile.opted_in = False
        profile.save()
    run = _run(world, django_capture_on_commit_callbacks)
    assert run.status == "infeasible"
    assert "opted in" in " ".join(explain_problems(run.problems))


def test_the_assignment_waits_for_the_call_to_close_and_for_screening(world):
    fill_application(world)
    with pytest.raises(ValidationError, match="once the call has closed"):
        services.assignment_start(actor=world.operator, call=world.call)
    close(world)
    with pytest.raises(ValidationError, match="Screen the applications"):
        services.assignment_start(actor=world.operator, call=world.call)


@pytest.fixture
def reviewing(closed, django_capture_on_commit_callbacks):
    world, first, second = closed
    run = _run(world, django_capture_on_commit_callbacks)
    services.invitations_send(actor=world.operator, run=run)
    return world, first, second


def _scores(call, value):
    return {str(criterion.pk): value for criterion in call.criteria.all()}


def test_reviews_score_every_criterion_on_the_scale(reviewing):
    world, first, _second = reviewing
    assignment = ReviewAssignment.objects.filter(application=first).first()
    user = assignment.reviewer.person.user
    for bad, message in ((6, "from 1 to 5; 6 is outside"), (0, "outside"), ("4.5", "whole number")):
        with pytest.raises(ValidationError) as refused:
            services.review_save(
                actor=user,
                assignment=assignment,
                scores=_scores(world.call, bad),
                comment_to_applicant="",
                comment_to_committee="",
            )
        found = [text for texts in refused.value.message_dict.values() for text in texts]
        assert message in " ".join(found)
    assert not Review.objects.filter(assignment=assignment).exists()
    draft = services.review_save(
        actor=user,
        assignment=assignment,
        scores={str(world.call.criteria.first().pk): 5},
        comment_to_applicant="",
        comment_to_committee="",
    )
    assert draft.status == "draft" and draft.total is None
    with pytest.raises(ValidationError) as refused:
        services.review_save(
            actor=user,
            assignment=assignment,
            scores={str(world.call.criteria.first().pk): 5},
            comment_to_applicant="",
            comment_to_committee="",
            submit=True,
        )
    assert {"comment_to_applicant"} <= set(refused.value.message_dict)
    technical, commercial = world.call.criteria.all()
    review = services.review_save(
        actor=user,
        assignment=assignment,
        scores={str(technical.pk): 5, str(commercial.pk): 2},
        comment_to_applicant="명확한 계획입니다.",
        comment_to_committee="예산이 다소 큼",
        submit=True,
    )
    # Weights 2 and 1 on a 1–5 scale: (2 × 4/4 + 1 × 1/4) / 3 = 75 of 100.
    assert review.status == "submitted" and review.total == 75.0
    assignment.refresh_from_db()
    assert assignment.status == "accepted"


def test_a_review_after_the_deadline_is_refused(reviewing):
    world, first, _second = reviewing
    assignment = ReviewAssignment.objects.filter(application=first).first()
    ReviewAssignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.review_save(
            actor=assignment.reviewer.person.user,
            assignment=assignment,
            scores=_scores(world.call, 4),
            comment_to_applicant="좋습니다",
            comment_to_committee="",
            submit=True,
        )
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_conflict_found_after_invitation_takes_the_review_away(reviewing):
    world, first, _second = reviewing
    assignment = ReviewAssignment.objects.filter(application=first).first()
    services.conflict_add(
        actor=world.operator, application=first, reviewer=assignment.reviewer, note="새로 확인"
    )
    assignment.refresh_from_db()
    assert assignment.status == "declined"
    with pytest.raises((PermissionDenied, ValidationError)):
        services.review_save(
            actor=assignment.reviewer.person.user,
            assignment=assignment,
            scores=_scores(world.call, 4),
            comment_to_applicant="x",
            comment_to_committee="",
        )


def test_reminders_go_to_reviewers_due_soon_once_a_day(reviewing):
    from sangsaeng.notifications.models import Notification

    world, _first, _second = reviewing
    assert services.reminders_send(actor=world.operator, call=world.call) == 0
    ReviewAssignment.objects.update(due_at=timezone.now() + datetime.timedelta(days=2))
    reminded = services.reminders_send(actor=world.operator, call=world.call)
    assert reminded == len(set(ReviewAssignment.objects.values_list("reviewer_id", flat=True)))
    assert Notification.objects.filter(kind="review_reminder").count() == reminded
    assert services.reminders_send(actor=world.operator, call=world.call) == 0


def test_progress_flags_late_reviews_and_disagreements(reviewing):
    world, first, _second = reviewing
    high, low = ReviewAssignment.objects.filter(application=first)[:2]
    for assignment, value in ((high, 5), (low, 1)):
        services.review_save(
            actor=assignment.reviewer.person.user,
            assignment=assignment,
            scores=_scores(world.call, value),
            comment_to_applicant="의견",
            comment_to_committee="",
            submit=True,
        )
    progress = selectors.review_progress(world.operator, world.call)
    assert [row.application for row in progress.disagreements()] == [first]
    assert progress.submitted == 2 and progress.late == 0
    ReviewAssignment.objects.update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    late = selectors.review_progress(world.operator, world.call, only="late")
    assert late.late == 2 and all(row.application != first for row in late.rows)


def test_the_run_is_operator_only(closed):
    world, _first, _second = closed
    for role in ("admin", "npu"):
        with pytest.raises(PermissionDenied):
            services.assignment_start(actor=world.users[role], call=world.call)
    assert not AssignmentRun.objects.exists()


def test_the_daily_command_reminds_too(reviewing):
    from io import StringIO

    from django.core.management import call_command

    from sangsaeng.notifications.models import Notification

    ReviewAssignment.objects.update(due_at=timezone.now() + datetime.timedelta(days=1))
    out = StringIO()
    call_command("programs_remind", stdout=out)
    reviewers = len(set(ReviewAssignment.objects.values_list("reviewer_id", flat=True)))
    assert out.getvalue().strip() == f"{reviewers} reviewers reminded"
    assert Notification.objects.filter(kind="review_reminder").count() == reviewers
