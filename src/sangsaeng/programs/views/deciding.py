"""The cluster office ranks the reviewed applications, takes a selection proposal (in rank
order or optimised within the budget), decides, publishes, and follows the awards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.forms import show_errors
from sangsaeng.programs import exports, selectors, services
from sangsaeng.programs.forms import DecisionForm, MilestoneForm, ReportAddForm, SelectionForm
from sangsaeng.programs.ranking import selection_proposal
from sangsaeng.programs.views.common import form_problems, report_errors
from sangsaeng.programs.views.managing import managed_call

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    """The ranking by either score, a selection proposal (asked for with the form), and the
    draft decisions."""
    call = managed_call(request, slug)
    areas = selectors.call_areas_in_use(call)
    asked = "method" in request.GET
    form = SelectionForm(request.GET if asked else None, areas=areas)
    rank_by = request.GET.get("rank_by", "normalised")
    if rank_by not in ("normalised", "mean"):
        rank_by = "normalised"
    proposal = None
    if asked and form.is_valid():
        try:
            proposal = selection_proposal(
                call,
                method=form.cleaned_data["method"],
                rank_by=form.cleaned_data["rank_by"],
                minimum_score=form.cleaned_data.get("minimum_score"),
                area_minimums=form.area_minimums(),
            )
        except ValidationError as error:
            show_errors(form, error)
        rank_by = form.cleaned_data["rank_by"] if form.is_valid() else rank_by
    rows, ranked = selectors.ranking_rows(request.user, call, rank_by=rank_by)
    return render(
        request,
        "programs/manage/ranking.html",
        {
            "call": call,
            "tab": "ranking",
            "rows": rows,
            "ranked": ranked,
            "rank_by": rank_by,
            "form": form,
            "proposal": proposal,
            "query": request.GET.urlencode(),
            "decided_total": selectors.decided_total(request.user, call),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decisions_from_proposal(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    form = SelectionForm(request.POST, areas=selectors.call_areas_in_use(call))
    if form.is_valid():
        try:
            count = services.decisions_from_proposal(
                actor=request.user,
                call=call,
                method=form.cleaned_data["method"],
                rank_by=form.cleaned_data["rank_by"],
                minimum_score=form.cleaned_data.get("minimum_score"),
                area_minimums=form.area_minimums(),
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(
                request,
                _("%(count)s draft decisions follow the proposal: check them, then publish.")
                % {"count": count},
            )
    else:
        form_problems(request, form)
    return redirect("programs:ranking", call.slug)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_set(
                actor=request.user,
                application=application,
                selected=form.cleaned_data["selected"],
                amount=form.cleaned_data.get("amount"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The decision is recorded (not yet published)."))
    else:
        form_problems(request, form)
    return redirect("programs:ranking", application.call.slug)


@login_required
@require_POST
def decisions_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    try:
        count = services.decisions_publish(actor=request.user, call=call)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("programs:ranking", call.slug)
    messages.success(
        request,
        _("%(count)s decisions are published; the applicants are told in their language.")
        % {"count": count},
    )
    return redirect("programs:awards", call.slug)


@login_required
def awards(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    return render(
        request,
        "programs/manage/awards.html",
        {
            "call": call,
            "tab": "awards",
            "lines": selectors.awards_of_call(request.user, call),
            "milestone_form": MilestoneForm(),
            "report_form": ReportAddForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = selectors.award_get(user=request.user, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(
                actor=request.user,
                award=award,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data.get("due_on"),
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Milestone added."))
    else:
        form_problems(request, form)
    return redirect("programs:awards", award.application.call.slug)


@login_required
@require_POST
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = selectors.award_get(user=request.user, pk=pk)
    form = ReportAddForm(request.POST)
    if form.is_valid():
        try:
            services.report_add(
                actor=request.user,
                award=award,
                kind=form.cleaned_data["kind"],
                due_on=form.cleaned_data.get("due_on"),
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Report added."))
    else:
        form_problems(request, form)
    return redirect("programs:awards", award.application.call.slug)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_applications(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    return _xlsx(
        exports.applications_workbook(request.user, call), f"{call.slug}-applications.xlsx"
    )


@login_required
def export_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    call = managed_call(request, slug)
    return _xlsx(
        exports.anonymised_reviews_workbook(request.user, call),
        f"{call.slug}-reviews-anonymised.xlsx",
    )
