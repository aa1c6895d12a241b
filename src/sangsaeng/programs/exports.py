"""Spreadsheets of a call for the cluster office: applications with their scores, and the
reviews without the reviewers' identities (for a committee that must judge the reviews, not
the reviewers)."""

from __future__ import annotations

import io
import random
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.policy import Action, require, restrict
from sangsaeng.programs.models import Call, Criterion, Decision, Review
from sangsaeng.programs.selectors import ranking_rows


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for position, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = max(12, min(48, len(name) + 4))
    sheet.freeze_panes = "A2"


def _bytes(workbook: Workbook) -> bytes:
    del workbook[workbook.sheetnames[0]]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def applications_workbook(user: AnyUser, call: Call) -> bytes:
    """Every submitted application with its screening, scores, rank and decision, and every
    review with its reviewer (for the office's own records)."""
    require(user, Action.CHANGE, call)
    rows, _ranked = ranking_rows(user, call)
    ranked = {row.application.pk: row for row in rows}
    from sangsaeng.programs.selectors import call_applications

    applications = list(call_applications(user, call))
    decisions = {
        d.application_id: d for d in restrict(Decision.objects.filter(application__call=call), user)
    }
    workbook = Workbook()
    _sheet(
        workbook,
        _("Applications"),
        [
            _("Receipt number"),
            _("Project title"),
            _("Applicant"),
            _("Area"),
            _("Amount requested (KRW)"),
            _("Submitted at"),
            _("Status"),
            _("Screening reason"),
            _("Reviews"),
            _("Mean score"),
            _("Normalised score"),
            _("Rank (mean)"),
            _("Rank (normalised)"),
            _("Decision"),
            _("Amount awarded (KRW)"),
        ],
        [
            [
                a.receipt_number,
                a.title,
                a.organisation.name,
                a.area.name if a.area else "",
                a.requested_amount,
                _local(a.submitted_at),
                str(a.get_status_display()),
                a.screening_reason,
                ranked[a.pk].reviews if a.pk in ranked else 0,
                _rounded(ranked[a.pk].mean if a.pk in ranked else None),
                _rounded(ranked[a.pk].normalised if a.pk in ranked else None),
                ranked[a.pk].rank_mean if a.pk in ranked else None,
                ranked[a.pk].rank_normalised if a.pk in ranked else None,
                str(decisions[a.pk].get_outcome_display()) if a.pk in decisions else "",
                decisions[a.pk].amount if a.pk in decisions else None,
            ]
            for a in applications
        ],
    )
    criteria = list(Criterion.objects.filter(call=call))
    reviews = restrict(
        Review.objects.filter(assignment__application__call=call), user
    ).select_related("assignment__application", "assignment__reviewer__person")
    _sheet(
        workbook,
        _("Reviews"),
        [
            _("Receipt number"),
            _("Reviewer"),
            _("Status"),
            *[criterion.name for criterion in criteria],
            _("Overall score (of 100)"),
            _("Comment to the applicant"),
            _("Comment to the committee"),
        ],
        [
            [
                review.assignment.application.receipt_number,
                review.assignment.reviewer.person.name,
                str(review.get_status_display()),
                *[review.scores.get(str(criterion.pk)) for criterion in criteria],
                review.total,
                review.comment_to_applicant,
                review.comment_to_committee,
            ]
            for review in reviews.order_by(
                "assignment__application__receipt_number", "assignment_id"
            )
        ],
    )
    return _bytes(workbook)


def anonymised_reviews_workbook(user: AnyUser, call: Call) -> bytes:
    """The submitted reviews with each reviewer replaced by a code (R01, R02, …) that is the
    same across the call's reviews and reveals nothing of who they are (not even the order in
    which they joined)."""
    require(user, Action.CHANGE, call)
    criteria = list(Criterion.objects.filter(call=call))
    reviews = list(
        restrict(
            Review.objects.filter(
                assignment__application__call=call, status=Review.Status.SUBMITTED
            ),
            user,
        )
        .select_related("assignment__application")
        .order_by("assignment__application__receipt_number", "assignment_id")
    )
    reviewer_ids = sorted({review.assignment.reviewer_id for review in reviews})
    random.Random(f"{call.pk}-{call.created_at.isoformat()}").shuffle(reviewer_ids)
    codes = {reviewer: f"R{position:02d}" for position, reviewer in enumerate(reviewer_ids, 1)}
    workbook = Workbook()
    _sheet(
        workbook,
        _("Reviews"),
        [
            _("Receipt number"),
            _("Project title"),
            _("Reviewer code"),
            *[criterion.name for criterion in criteria],
            _("Overall score (of 100)"),
            _("Comment to the applicant"),
            _("Comment to the committee"),
        ],
        [
            [
                review.assignment.application.receipt_number,
                review.assignment.application.title,
                codes[review.assignment.reviewer_id],
                *[review.scores.get(str(criterion.pk)) for criterion in criteria],
                review.total,
                review.comment_to_applicant,
                review.comment_to_committee,
            ]
            for review in reviews
        ],
    )
    return _bytes(workbook)
