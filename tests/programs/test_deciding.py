"""Ranking (mean and reviewer-normalised, ties shown), selection proposals in rank order and
optimised within the budget, decisions and their mails in the applicant's language (with the
reviewers' comments, never their names), awards with milestones and late reports, exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from sangsaeng.programs import exports, selectors, services
from sangsaeng.programs.models import (
    Application,
    AssignmentRun,
    Award,
    AwardReport,
    Call,
    Decision,
    ProposedReviewer,
    ReviewAssignment,
)
from sangsaeng.programs.ranking import selection_proposal
from tests.factories import MembershipFactory, OrganisationFactory
from tests.programs.conftest import pdf_upload

pytestmark = pytest.mark.django_db

# (requested amount, scores per reviewer position): app C is best, B and A tie on the mean.
APPLICATIONS = {
    "A": (90_000_000, [4, 3]),
    "B": (60_000_000, [3, 4]),
    "C": (100_000_000, [5, 5]),
}


def _apply(world, name, amount, language="en"):
    company = OrganisationFactory(city="성남시", tags=[world.area], name_en=f"Company {name}")
    admin = MembershipFactory(organisation=company, role="admin").user
    with translation.override(language):
        application = services.application_start(actor=admin, call=world.call, organisation=company)
        services.application_save(
            actor=admin,
            application=application,
            title=f"Project {name}",
            requested_amount=amount,
            area=world.area,
            answers={"summary": f"NPU research {name}"},
        )
        services.application_file_upload(
            actor=admin, application=application, field_key="plan", upload=pdf_upload()
        )
        application = services.application_submit(actor=admin, application=application)
    return application, admin


@pytest.fixture
def reviewed(world, django_capture_on_commit_callbacks):
    """Three applications, each reviewed by two reviewers with the scores above; the first
    applicant writes in Korean."""
    applications, admins = {}, {}
    for position, (name, (amount, _scores)) in enumerate(APPLICATIONS.items()):
        applications[name], admins[name] = _apply(
            world, name, amount, language="ko" if position == 0 else "en"
        )
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    world.call.refresh_from_db()
    services.applications_screen_passing(actor=world.operator, call=world.call)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assignment_start(actor=world.operator, call=world.call)
    run.refresh_from_db()
    assert run.status == AssignmentRun.Status.DONE, run.problems
    services.invitations_send(actor=world.operator, run=run)
    criteria = list(world.call.criteria.all())
    for name, (_amount, scores) in APPLICATIONS.items():
        assignments = ReviewAssignment.objects.filter(application=applications[name]).order_by("pk")
        for assignment, score in zip(assignments, scores, strict=True):
            services.review_save(
                actor=assignment.reviewer.person.user,
                assignment=assignment,
                scores={str(c.pk): score for c in criteria},
                comment_to_applicant=f"To {name}: score {score}",
                comment_to_committee=f"Committee only {name}",
                submit=True,
            )
    for application in applications.values():
        application.refresh_from_db()
    return world, applications, admins


def test_the_ranking_by_mean_shows_ties_and_the_normalised_one_orders_them(reviewed):
    world, applications, _admins = reviewed
    rows, _ranked = selectors.ranking_rows(world.operator, world.call, rank_by="mean")
    by_receipt = {row.application.title: row for row in rows}
    assert rows[0].application.title == "Project C" and by_receipt["Project C"].mean == 100.0
    assert by_receipt["Project A"].rank_mean == by_receipt["Project B"].rank_mean == 2
    assert by_receipt["Project A"].tied_mean == [applications["B"].receipt_number]
    normalised, _ = selectors.ranking_rows(world.operator, world.call, rank_by="normalised")
    assert normalised[0].application.title == "Project C"
    assert all(row.normalised is not None for row in normalised)


def test_proposals_in_rank_order_and_optimised_stay_within_the_budget(reviewed):
    world, applications, _admins = reviewed
    greedy = selection_proposal(world.call, method="greedy", rank_by="mean")
    optimised = selection_proposal(world.call, method="optimised", rank_by="normalised")
    for proposal in (greedy, optimised):
        assert proposal.spent <= world.call.total_budget
        assert proposal.lines[applications["C"].pk].funded
    assert "Funded as requested" in greedy.lines[applications["C"].pk].explanation
    with pytest.raises(ValidationError) as refused:
        selection_proposal(
            world.call, method="optimised", rank_by="mean", area_minimums={"elsewhere": 0.5}
        )
    assert "ask for 0 won" in " ".join(refused.value.message_dict["area_minimums"])
    with pytest.raises(ValidationError):
        selection_proposal(world.call, method="greedy", rank_by="mean", area_minimums={"npu": 0.2})


def test_a_decision_over_the_budget_is_refused_and_nothing_changes(reviewed):
    world, applications, _admins = reviewed
    services.decision_set(
        actor=world.operator, application=applications["C"], selected=True, amount=100_000_000
    )
    services.decision_set(
        actor=world.operator, application=applications["A"], selected=True, amount=90_000_000
    )
    world.call.total_budget = 200_000_000
    world.call.save()
    with pytest.raises(ValidationError) as refused:
        services.decision_set(
            actor=world.operator, application=applications["B"], selected=True, amount=60_000_000
        )
    assert (
        "250,000,000 won, more than the call's budget of 200,000,000 won"
        in refused.value.messages[0]
    )
    assert not Decision.objects.filter(application=applications["B"]).exists()
    with pytest.raises(ValidationError, match="at most 100,000,000"):
        services.decision_set(
            actor=world.operator, application=applications["B"], selected=True, amount=120_000_000
        )
    with pytest.raises(ValidationError, match="requested 60,000,000"):
        services.decision_set(
            actor=world.operator, application=applications["B"], selected=True, amount=70_000_000
        )


def test_publishing_tells_each_applicant_in_their_language_without_reviewer_names(
    reviewed, django_capture_on_commit_callbacks
):
    world, applications, _admins = reviewed
    services.decisions_from_proposal(
        actor=world.operator, call=world.call, method="greedy", rank_by="mean"
    )
    decisions = {d.application_id: d for d in Decision.objects.all()}
    assert len(decisions) == 3 and decisions[applications["C"].pk].is_selected
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decisions_publish(actor=world.operator, call=world.call) == 3
    world.call.refresh_from_db()
    assert world.call.status == "decided"
    reviewer_names = [
        name
        for assignment in ReviewAssignment.objects.select_related("reviewer__person")
        for name in (assignment.reviewer.person.name_ko, assignment.reviewer.person.name_en)
    ]
    by_receipt = {m.subject.rsplit(" ", 1)[-1]: m for m in mail.outbox}
    korean = by_receipt[applications["A"].receipt_number]
    assert "결과" in korean.subject and "심사위원 1" in korean.body
    english = by_receipt[applications["C"].receipt_number]
    assert "was selected" in english.body and "Reviewer 2" in english.body
    assert "To C: score 5" in english.body
    for message in mail.outbox:
        assert "Committee only" not in message.body
        assert not any(name and name in message.body for name in reviewer_names)
    # Selected applications became awards with a kick-off and two reports.
    award = Award.objects.get(application=applications["C"])
    assert award.amount == 100_000_000
    assert sorted(award.reports.values_list("kind", flat=True)) == ["final", "interim"]
    assert award.milestones.count() == 1
    assert Application.objects.get(pk=applications["C"].pk).status == "selected"
    with pytest.raises(ValidationError, match="already published"):
        services.decisions_publish(actor=world.operator, call=world.call)


def test_publishing_waits_for_every_decision(reviewed):
    world, applications, _admins = reviewed
    services.decision_set(
        actor=world.operator, application=applications["C"], selected=True, amount=1_000_000
    )
    with pytest.raises(ValidationError, match="2 eligible applications have no decision"):
        services.decisions_publish(actor=world.operator, call=world.call)


def test_the_applicant_reads_the_comments_but_not_who_wrote_them(reviewed):
    world, applications, admins = reviewed
    services.decisions_from_proposal(
        actor=world.operator, call=world.call, method="greedy", rank_by="mean"
    )
    assert selectors.feedback_for_applicant(admins["C"], applications["C"]) == []
    services.decisions_publish(actor=world.operator, call=world.call)
    feedback = selectors.feedback_for_applicant(admins["C"], applications["C"])
    assert sorted(feedback) == ["To C: score 5", "To C: score 5"]
    assert selectors.feedback_for_applicant(admins["A"], applications["C"]) == []


def test_late_reports_are_flagged_and_reports_are_sent_by_the_holder(reviewed):
    world, applications, admins = reviewed
    services.decisions_from_proposal(
        actor=world.operator, call=world.call, method="greedy", rank_by="mean"
    )
    services.decisions_publish(actor=world.operator, call=world.call)
    award = Award.objects.get(application=applications["C"])
    interim = award.reports.get(kind="interim")
    AwardReport.objects.filter(pk=interim.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    def late_of_c():
        lines = selectors.awards_of_call(world.operator, world.call)
        return next(line for line in lines if line.award == award).late_reports

    assert [report.pk for report in late_of_c()] == [interim.pk]
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=admins["C"], report=interim, summary="", upload=None)
    assert "summary" in refused.value.message_dict
    services.report_submit(
        actor=admins["C"], report=interim, summary="시제품 완료", upload=pdf_upload()
    )
    assert late_of_c() == []
    with pytest.raises(ValidationError, match="still due"):
        services.award_complete(actor=world.operator, award=award)


def test_the_exports_hold_the_scores_and_the_anonymised_one_no_reviewer(reviewed):
    world, _applications, _admins = reviewed
    names = {
        a.reviewer.person.name for a in ReviewAssignment.objects.select_related("reviewer__person")
    }
    workbook = load_workbook(io.BytesIO(exports.applications_workbook(world.operator, world.call)))
    rows = list(workbook["Applications"].iter_rows(values_only=True))
    assert rows[0][0] == "Receipt number" and len(rows) == 4
    assert {row[1] for row in rows[1:]} == {"Project A", "Project B", "Project C"}
    reviews = list(workbook["Reviews"].iter_rows(values_only=True))
    assert len(reviews) == 7 and any(row[1] in names for row in reviews[1:])

    anonymous = load_workbook(
        io.BytesIO(exports.anonymised_reviews_workbook(world.operator, world.call))
    )
    cells = [str(cell) for row in anonymous["Reviews"].iter_rows(values_only=True) for cell in row]
    assert not any(name in cell for name in names for cell in cells)
    codes = {row[2] for row in list(anonymous["Reviews"].iter_rows(values_only=True))[1:]}
    assert codes <= {f"R{n:02d}" for n in range(1, 10)} and len(codes) >= 2


def test_proposals_are_operator_only(reviewed):
    from django.core.exceptions import PermissionDenied

    world, applications, admins = reviewed
    with pytest.raises(PermissionDenied):
        services.decision_set(
            actor=admins["C"], application=applications["C"], selected=True, amount=1
        )
    with pytest.raises(PermissionDenied):
        exports.anonymised_reviews_workbook(admins["C"], world.call)
    assert ProposedReviewer.objects.exists()


def test_every_change_to_applications_reviews_and_decisions_is_audited(reviewed):
    from auditlog.models import LogEntry

    from sangsaeng.core.audit import history_of
    from sangsaeng.programs.models import Review

    world, applications, admins = reviewed
    application = applications["C"]
    entries = LogEntry.objects.get_for_object(application)
    assert entries.filter(actor=admins["C"]).exists()  # drafted and submitted by its admin
    assert entries.filter(actor=world.operator).exists()  # screened by the office
    review = Review.objects.filter(assignment__application=application).first()
    reviewer = review.assignment.reviewer.person.user
    assert LogEntry.objects.get_for_object(review).filter(actor=reviewer).exists()
    decision = services.decision_set(
        actor=world.operator, application=application, selected=True, amount=90_000_000
    )
    assert LogEntry.objects.get_for_object(decision).filter(actor=world.operator).exists()
    assert history_of(application, admins["C"]).count() == 0  # operators read the log


def test_a_decided_calls_assignment_still_lists_its_applications(reviewed):
    world, applications, _admins = reviewed
    services.decisions_from_proposal(
        actor=world.operator, call=world.call, method="greedy", rank_by="mean"
    )
    services.decisions_publish(actor=world.operator, call=world.call)
    run = world.call.assignment_runs.latest("pk")
    page = selectors.assignment_page(world.operator, run)
    shown = {row.application.pk: row for row in page.rows}
    decided = set(
        Application.objects.filter(
            call=world.call, status__in=["selected", "not_selected"]
        ).values_list("pk", flat=True)
    )
    assert applications["C"].pk in decided and decided <= set(shown)
    assert all(shown[pk].assigned for pk in decided)
